"""``completion_cap``: an indicator completed above the cap scores full (超过130%不扣分).

Some rules deduct for a completion far above the target (偏差过大, scored by ``bands`` or a
formula on a completion rate); an audit may rule that above ``cap`` (1.3 = 130%) it is not
penalised: the indicator stands at its 分值. The completion is the fact or derived value
``rate`` names, else the indicator's own ``actual / target`` (a ``ratio``).
"""

from __future__ import annotations

from decimal import Decimal

from pydantic import Field

from scoring.audit.spec import AuditSpec, Leaf, Verdict
from scoring.i18n import _
from scoring.model.base import Model
from scoring.model.formula import normalize_name
from scoring.model.numbers import percent
from scoring.model.ruleset import Indicator, Ruleset


class CompletionCap(Model):
    """Above this completion (1.3 = 130%) the indicator scores full; where its rate is."""

    cap: Decimal = Field(gt=0)
    rate: str | None = Field(default=None, min_length=1)
    """The fact or derived value holding the completion rate; default actual / target."""


def _check(params: CompletionCap, ruleset: Ruleset, node: Indicator) -> str | None:
    if params.rate is not None:
        declared = {normalize_name(name) for name in [*ruleset.facts, *ruleset.derived]}
        if normalize_name(params.rate) in declared:
            return None
        return _("the ruleset declares no fact or derived value {name!r}").format(name=params.rate)
    if node.actual is not None and node.target is not None:
        return None
    return _("it has no actual and target: name its completion rate in params.rate")


def _completion(params: CompletionCap, leaf: Leaf) -> Decimal | None:
    if params.rate is not None:
        name = normalize_name(params.rate)
        value = leaf.values.get(leaf.values.plan.fold.get(params.rate, name))
        return value if isinstance(value, Decimal) else None
    assert leaf.node.actual is not None  # by _check
    assert leaf.node.target is not None
    actual = leaf.values.evaluate(leaf.node.actual, {})
    target = leaf.values.evaluate(leaf.node.target, {})
    if not isinstance(actual, Decimal) or not isinstance(target, Decimal) or target <= 0:
        return None
    return actual / target


def _run(params: CompletionCap, leaf: Leaf) -> Verdict | None:
    completion = _completion(params, leaf)
    if completion is None or completion <= params.cap or leaf.score >= leaf.weight:
        return None
    words = f"完成率 {percent(completion)} 超过 {percent(params.cap)}，不扣分，按满分计"
    return Verdict(leaf.weight, words)


COMPLETION_CAP = AuditSpec("completion_cap", CompletionCap, _run, _check)
