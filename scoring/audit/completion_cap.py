"""``completion_cap``: a rate-scored indicator completed above the cap scores full (超过130%不扣分).

Some rules deduct for a completion far above the target (偏差过大); an audit may rule that
above ``cap`` (1.3 = 130%) it is not penalised: the indicator stands at its 分值.
"""

from __future__ import annotations

from decimal import Decimal

from pydantic import Field

from scoring.audit.spec import AuditSpec, Leaf, Verdict
from scoring.model.base import Model
from scoring.model.numbers import percent
from scoring.model.ruleset import Indicator, Ruleset

RATES = ("ratio",)


class CompletionCap(Model):
    """Above this completion (actual / target, 1.3 = 130%) the indicator scores full."""

    cap: Decimal = Field(gt=0)


def _check(_params: CompletionCap, _ruleset: Ruleset, node: Indicator) -> str | None:
    if node.method in RATES and node.actual is not None and node.target is not None:
        return None
    return f"不是按完成率（{'、'.join(RATES)}）评分的指标"


def _run(params: CompletionCap, leaf: Leaf) -> Verdict | None:
    assert leaf.node.actual is not None  # by _check
    assert leaf.node.target is not None
    actual = leaf.values.evaluate(leaf.node.actual, {})
    target = leaf.values.evaluate(leaf.node.target, {})
    if not isinstance(actual, Decimal) or not isinstance(target, Decimal) or target <= 0:
        return None
    completion = actual / target
    if completion <= params.cap or leaf.score >= leaf.weight:
        return None
    words = f"完成率 {percent(completion)} 超过 {percent(params.cap)}，不扣分，按满分计"
    return Verdict(leaf.weight, words)


COMPLETION_CAP = AuditSpec("completion_cap", CompletionCap, _run, _check)
