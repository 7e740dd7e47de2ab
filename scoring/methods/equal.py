"""``equal`` (等于指标值): full marks when actual equals target, within a tolerance."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from decimal import Decimal
from fractions import Fraction

from scoring.i18n import _
from scoring.methods.common import (
    ZERO,
    actual_and_target,
    formula_words,
    limit_words,
    literal,
    step_words,
)
from scoring.methods.rates import RATE_PARAMETERS, target_value
from scoring.methods.spec import (
    Checking,
    Emitter,
    MethodSpec,
    Outcome,
    Read,
    Region,
    Solve,
    Span,
    Words,
)
from scoring.model.formula import Formula
from scoring.model.numbers import show, show_beside
from scoring.model.problems import Loc, Problem
from scoring.model.ruleset import Indicator, Tier


def equal(node: Indicator, weight: Decimal, read: Read, tiers: tuple[Tier, ...]) -> Outcome:
    """等于: the weight when actual equals target (within ``tolerance``), else 0."""
    actual, target = actual_and_target(read)
    tolerance = node.tolerance or ZERO
    within = f"（允许误差 {show(tolerance)}）" if tolerance else ""
    shown = show_beside(actual, (target - tolerance, target + tolerance))
    if abs(actual - target) <= tolerance:
        return Outcome(weight, f"{shown} = {show(target)}{within}：达标")
    return Outcome(ZERO, f"{shown} ≠ {show(target)}{within}：未达标")


def _emit(node: Indicator, weight: Decimal, tiers: tuple[Tier, ...], out: Emitter) -> str:
    actual, target = out.number(node.actual), out.number(node.target)
    out.line(f"if {actual} < 0 or {target} < 0: {out.bail}")
    tolerance, score = out.const(node.tolerance or ZERO), out.fresh()
    out.line(f"{score} = ({target} - {tolerance}, {target} + {tolerance})")  # shown beside
    zero = out.const(ZERO)
    out.line(
        f"{score} = {out.const(weight)} if abs({actual} - {target}) <= {tolerance} else {zero}"
    )
    return score


def _check(checking: Checking, node: Indicator, loc: Loc, path: str) -> Iterator[Problem]:
    if node.tolerance is not None and node.tolerance < 0:
        message = _("must be 0 or more, found {found}").format(found=node.tolerance)
        yield Problem((*loc, "tolerance"), message, path, "tolerance")


def _words(node: Indicator, words: Words) -> str:
    rate = words.is_rate(node.actual)
    target = literal(node.target)
    shown = limit_words(target, rate) if target is not None else formula_words(node.target)
    actual = formula_words(node.actual)
    if node.tolerance:
        return (
            f"{actual} 与 {shown} 相差不超过 {step_words(node.tolerance, rate)}（含）的"
            "得满分，否则不得分"
        )
    return f"{actual} 等于 {shown} 的得满分，否则不得分"


def _regions(
    node: Indicator, now: Decimal, value_of: Callable[[Formula], Fraction]
) -> list[Region]:
    target = target_value(node, value_of)
    tolerance = Fraction(node.tolerance or 0)
    return [(Span(max(target - tolerance, Fraction(0)), True, target + tolerance, True), True)]


EQUAL = MethodSpec(
    name="equal",
    required=RATE_PARAMETERS,
    optional=frozenset({"tolerance"}),
    score=equal,
    check=_check,
    wording=_words,
    gap=Solve("actual", _regions, others=("target",)),
    emit=_emit,
)
