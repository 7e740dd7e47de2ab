"""Functions the engine generates from its own text, each distinct text compiled once.

A ruleset's compiled function (:mod:`scoring.engine.compiled`) and its formulas' readers
(:mod:`scoring.engine.reading`) are Python text whose every constant is an index into ``K``,
never a ruleset's words, so formulas of the same shape (``a / b``, the same tiers) give the
same text: across one ruleset's leaves, a ruleset and its next year's, or the same ruleset
loaded again. CPython's compiler is the cost of making them (about 0.3 ms a reader); here each
text is compiled once a process and its code bound afresh to each function's constants.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache
from types import CodeType
from typing import Any

KEPT_TEXTS = 512
"""Distinct texts kept compiled; the largest shipped ruleset's function is about 23 KB."""


@lru_cache(maxsize=KEPT_TEXTS)
def _code(text: str) -> CodeType:
    return compile(text, "<scoring generated>", "exec")


def generated(text: str, name: str, constants: list[Any]) -> Callable[..., Any]:
    """The function ``name`` that ``text`` defines, reading its constants from ``constants``.

    Raises what :func:`compile` raises for a text it cannot compile (SyntaxError, and
    RecursionError or MemoryError for a text too deep).
    """
    scope: dict[str, Any] = {"K": constants}
    exec(_code(text), scope)  # our own text: indices into K, never a ruleset's words
    return scope[name]  # type: ignore[no-any-return]
