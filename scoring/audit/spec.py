"""What an audit rule kind is: an :class:`AuditSpec` with its parameters' model, run and checks.

An audit ruleset's rule names its kind (``kind: completion_cap``) and gives that kind's
``params``; :data:`scoring.audit.KINDS` registers each kind by name, so adding a kind is one
module and one registry line, as adding a review check is.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from scoring.engine.derive import Values
from scoring.model.base import Model
from scoring.model.facts import Facts
from scoring.model.review import TargetTable
from scoring.model.ruleset import Indicator, Ruleset


@dataclass(frozen=True)
class Leaf:
    """What a rule reads of one indicator: its node, its score so far, the facts and tables."""

    path: str
    node: Indicator
    weight: Decimal
    score: Decimal
    """The department's score (自评得分), or the one an earlier rule of this audit set."""
    facts: Facts
    values: Values
    tables: Mapping[str, TargetTable]
    """The approved target tables the rules name, by the name written in ``params.table``."""


@dataclass(frozen=True)
class Verdict:
    """What a rule decides for a leaf: the points it stands at, and why (Chinese)."""

    points: Decimal
    words: str


Run = Callable[[Any, Leaf], Verdict | None]
"""A kind's parameters (its ``params`` model) and a leaf → its verdict, or None (no change)."""
Check = Callable[[Any, Ruleset, Indicator], str | None]
"""Why a kind cannot apply to an indicator of the ruleset (e.g. not rate-scored), or None."""


def applies_anywhere(_params: Any, _ruleset: Ruleset, _node: Indicator) -> str | None:
    """A kind that applies to any leaf."""
    return None


@dataclass(frozen=True)
class AuditSpec:
    """An audit rule kind: its name, its parameters' model, its run and its check of a leaf."""

    name: str
    params: type[Model]
    run: Run
    check: Check = applies_anywhere
    table: bool = False
    """Whether its ``params.table`` names an approved target table (read by the loader)."""
