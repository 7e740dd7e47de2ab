"""``evidence_required``: an indicator scored without its evidence (附件编号) loses points.

The evidence is a fact the scoring ruleset declares (``fact: 附件编号``, e.g. a ``list``); left
out or empty, ``deduct`` points come off the indicator's score (never below 0).
"""

from __future__ import annotations

from decimal import Decimal

from pydantic import Field

from scoring.audit.spec import AuditSpec, Leaf, Verdict
from scoring.i18n import _
from scoring.model.base import Model
from scoring.model.formula import normalize_name
from scoring.model.numbers import show
from scoring.model.ruleset import Indicator, Ruleset


class EvidenceRequired(Model):
    """The declared fact that holds the evidence, and the points off when it is missing."""

    fact: str = Field(min_length=1)
    deduct: Decimal = Field(gt=0)


def _check(params: EvidenceRequired, ruleset: Ruleset, _node: Indicator) -> str | None:
    declared = {normalize_name(name) for name in ruleset.facts}
    if normalize_name(params.fact) in declared:
        return None
    return _("the ruleset declares no fact {fact!r}").format(fact=params.fact)


def _run(params: EvidenceRequired, leaf: Leaf) -> Verdict | None:
    given = {normalize_name(name): value for name, value in leaf.facts.facts.items()}
    value = given.get(normalize_name(params.fact))
    if value is not None and (value if isinstance(value, tuple | list) else str(value).strip()):
        return None  # given: a number, a list with an item, …
    points = max(leaf.score - params.deduct, Decimal(0))
    words = f"未提供{params.fact}（无佐证材料），扣 {show(params.deduct)} 分"
    return Verdict(points, words)


EVIDENCE_REQUIRED = AuditSpec("evidence_required", EvidenceRequired, _run, _check)
