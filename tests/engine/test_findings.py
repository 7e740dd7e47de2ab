"""Finding codes: the engine emits only the codes Finding lists, and every listed code is used."""

from __future__ import annotations

import ast
from collections.abc import Iterable
from pathlib import Path

import pytest
from pydantic import ValidationError

import scoring
from scoring.model.results import FINDING_CODES, Finding

PACKAGE = Path(scoring.__file__).parent


def emitted_codes() -> set[str]:
    """The codes written in scoring/.

    ``Finding(code=…)``, and the ``(code, message, …)`` tuples the engine and the methods gather
    before they become findings.
    """
    found: set[str] = set()
    for file in sorted(PACKAGE.rglob("*.py")):
        gathers = file.parent.name in ("engine", "methods")
        for node in ast.walk(ast.parse(file.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
            if name == "Finding":
                found |= {
                    str(keyword.value.value)
                    for keyword in node.keywords
                    if keyword.arg == "code" and isinstance(keyword.value, ast.Constant)
                }
            elif gathers and name == "append" and isinstance(node.func, ast.Attribute):
                receiver = ast.unparse(node.func.value)
                if receiver.endswith("findings") or receiver == "found":
                    found |= _first_texts(node.args)
            elif gathers and name == "Outcome":
                given = [*node.args[2:], *(k.value for k in node.keywords if k.arg == "findings")]
                found |= {text for arg in given for text in _first_texts(ast.walk(arg))}
    return found


def _first_texts(nodes: Iterable[ast.AST]) -> set[str]:
    """The texts that open the tuples among ``nodes``: ``("check", message)`` gives check."""
    return {
        str(node.elts[0].value)
        for node in nodes
        if isinstance(node, ast.Tuple)
        and node.elts
        and isinstance(node.elts[0], ast.Constant)
        and isinstance(node.elts[0].value, str)
    }


def test_the_engine_emits_only_listed_codes():
    assert emitted_codes() <= FINDING_CODES


def test_every_listed_code_is_emitted():
    assert emitted_codes() >= FINDING_CODES


def test_a_finding_with_an_unlisted_code_is_refused():
    with pytest.raises(ValidationError, match="code"):
        Finding(code="unknown", message="m")
