"""Rates, actual against target: ``ratio`` (正向), ``reverse_ratio``, ``reverse_linear`` (反向)."""

from __future__ import annotations

import ast
from collections.abc import Callable, Iterator
from decimal import Decimal
from fractions import Fraction

from scoring.errors import DivisionByZeroError
from scoring.i18n import _
from scoring.methods.common import (
    FULL_MARKS,
    ZERO,
    actual_and_target,
    formula_words,
)
from scoring.methods.spec import (
    Checking,
    Emitter,
    MethodSpec,
    Outcome,
    Read,
    Region,
    Solve,
    Span,
    UnsolvableError,
    Words,
    no_checks,
)
from scoring.model.formula import Formula
from scoring.model.numbers import percent, show, show_beside
from scoring.model.problems import Loc, Problem
from scoring.model.ruleset import Indicator, Tier

RATE_PARAMETERS = frozenset({"actual", "target"})


def _rate_score(weight: Decimal, numerator: Decimal, denominator: Decimal) -> tuple[Decimal, str]:
    rate = numerator / denominator
    shown = f"{show(numerator)} / {show(denominator)} = {percent(rate)}"
    if numerator > denominator:
        return weight, f"{shown}，最高按100%计"
    # multiply before dividing: 3 × 1 / 3 is exactly 1, 3 × (1 / 3) is 0.999…
    return weight * numerator / denominator, shown


def _zero_target(node: Indicator, weight: Decimal) -> Outcome:
    if node.on_zero_target == "full":
        return Outcome(weight, f"目标值为0，按规定{FULL_MARKS} → {show(weight)}")
    if node.on_zero_target == "zero":
        return Outcome(ZERO, "目标值为0，按规定不得分 → 0")
    message = _("target is 0 ({formula}): set on_zero_target").format(
        formula=node.target.source if node.target else ""
    )
    raise DivisionByZeroError(message)


def ratio(node: Indicator, weight: Decimal, read: Read, tiers: tuple[Tier, ...]) -> Outcome:
    """正向指标: weight × min(actual / target, 1)."""
    actual, target = actual_and_target(read)
    if target == 0:
        return _zero_target(node, weight)
    score, explanation = _rate_score(weight, actual, target)
    return Outcome(score, explanation)


def reverse_ratio(node: Indicator, weight: Decimal, read: Read, tiers: tuple[Tier, ...]) -> Outcome:
    """反向指标 (e.g. cost): weight × min(target / actual, 1); an actual of 0 scores weight."""
    actual, target = actual_and_target(read)
    if actual == 0:
        return Outcome(weight, f"实际值为0 → {FULL_MARKS}")
    score, explanation = _rate_score(weight, target, actual)
    return Outcome(score, explanation)


def reverse_linear(
    node: Indicator, weight: Decimal, read: Read, tiers: tuple[Tier, ...]
) -> Outcome:
    """反向指标, linear: full marks up to the target, falling to 0 at twice the target."""
    actual, target = actual_and_target(read)
    shown_actual = show_beside(actual, (target, 2 * target))
    if actual <= target:
        return Outcome(weight, f"{shown_actual} ≤ {show(target)} → {FULL_MARKS}")
    if target == 0:
        return Outcome(ZERO, f"{shown_actual} > 目标值0 → 0")
    fraction = 2 - actual / target
    shown = f"1 − ({shown_actual} − {show(target)}) / {show(target)} = {percent(fraction)}"
    if fraction < 0:
        return Outcome(ZERO, f"{shown}，最低按0计")
    return Outcome(weight * (2 * target - actual) / target, shown)


def _emit_capped(node: Indicator, weight: Decimal, out: Emitter, *, reverse: bool) -> str:
    """The code of :func:`ratio` (``reverse``: of :func:`reverse_ratio`)."""
    actual, target = out.number(node.actual), out.number(node.target)
    out.line(f"if {actual} < 0 or {target} < 0: {out.bail}")
    full, score = out.const(weight), out.fresh()
    numerator, denominator = (target, actual) if reverse else (actual, target)
    zero = full if reverse else {"full": full, "zero": out.const(ZERO)}.get(node.on_zero_target)
    out.line(f"if {denominator} == 0:")  # reverse: an actual of 0 scores full marks
    out.line(f"    {out.bail}" if zero is None else f"    {score} = {zero}")
    out.line("else:")
    # _rate_score: the rate shown, then the score capped at the weight
    out.line(f"    {score} = {numerator} / {denominator}")
    capped = f"{full} * {numerator} / {denominator}"
    out.line(f"    {score} = {full} if {numerator} > {denominator} else {capped}")
    return score


def _emit_ratio(node: Indicator, weight: Decimal, tiers: tuple[Tier, ...], out: Emitter) -> str:
    return _emit_capped(node, weight, out, reverse=False)


def _emit_reverse_ratio(
    node: Indicator, weight: Decimal, tiers: tuple[Tier, ...], out: Emitter
) -> str:
    return _emit_capped(node, weight, out, reverse=True)


def _emit_reverse_linear(
    node: Indicator, weight: Decimal, tiers: tuple[Tier, ...], out: Emitter
) -> str:
    actual, target = out.number(node.actual), out.number(node.target)
    out.line(f"if {actual} < 0 or {target} < 0: {out.bail}")
    full, zero, two, score = out.const(weight), out.const(ZERO), out.const(2), out.fresh()
    out.line(f"{score} = {two} * {target}")  # shown beside the actual
    out.line(f"if {actual} <= {target}:")
    out.line(f"    {score} = {full}")
    out.line(f"elif {target} == 0:")
    out.line(f"    {score} = {zero}")
    out.line(f"elif {two} - {actual} / {target} < 0:")
    out.line(f"    {score} = {zero}")
    out.line("else:")
    out.line(f"    {score} = {full} * ({two} * {target} - {actual}) / {target}")
    return score


def _check_ratio(checking: Checking, node: Indicator, loc: Loc, path: str) -> Iterator[Problem]:
    """A warning when the target is a fact that may be 0 and 0 is not provided for."""
    target = node.target
    if target is None or "on_zero_target" in node.model_fields_set:
        return
    if not isinstance(target.tree, ast.Name):
        return
    zero = checking.zero_fact(target.tree.id)
    if zero is None:
        return
    fact, why = zero
    message = _(
        "the target is fact {fact!r}, which may be 0 ({why}): method ratio divides by it, so a "
        "unit with {fact} = 0 cannot be scored; set on_zero_target (full, zero or error) to say "
        "what a target of 0 gives"
    ).format(fact=fact, why=why)
    yield Problem((*loc, "target"), message, path, "target", severity="warning")


def _ratio_words(node: Indicator, words: Words) -> str:
    zero = {"full": "；指标值为0时得满分", "zero": "；指标值为0时不得分"}
    return (
        f"按完成比例计分，满分为止：{formula_words(node.actual)} / {formula_words(node.target)}"
        f"{zero.get(node.on_zero_target, '')}"
    )


def _reverse_ratio_words(node: Indicator, words: Words) -> str:
    return (
        "反向指标，按指标值与实际值之比计分，满分为止："
        f"{formula_words(node.target)} / {formula_words(node.actual)}；实际值为0的得满分"
    )


def _reverse_linear_words(node: Indicator, words: Words) -> str:
    return (
        f"反向指标，{formula_words(node.actual)} 不超过 {formula_words(node.target)} 的得满分；"
        "超出的按超出比例扣分，达到指标值两倍的不得分"
    )


def target_value(node: Indicator, value_of: Callable[[Formula], Fraction]) -> Fraction:
    """The target's value now, for gap."""
    assert node.target is not None
    return value_of(node.target)


def _ratio_regions(
    node: Indicator, now: Decimal, value_of: Callable[[Formula], Fraction]
) -> list[Region]:
    target = target_value(node, value_of)
    if target == 0:
        message = _("target is 0 (on_zero_target: {setting}): no actual scores").format(
            setting=node.on_zero_target
        )
        raise UnsolvableError(message)
    return [(Span(target, True, None, False), True)]


def _reverse_regions(
    node: Indicator, now: Decimal, value_of: Callable[[Formula], Fraction]
) -> list[Region]:
    return [(Span(Fraction(0), True, target_value(node, value_of), True), True)]


RATIO = MethodSpec(
    name="ratio",
    required=RATE_PARAMETERS,
    optional=frozenset({"on_zero_target"}),
    score=ratio,
    check=_check_ratio,
    wording=_ratio_words,
    gap=Solve("actual", _ratio_regions, others=("target",)),
    emit=_emit_ratio,
)
REVERSE_RATIO = MethodSpec(
    name="reverse_ratio",
    required=RATE_PARAMETERS,
    optional=frozenset(),
    score=reverse_ratio,
    check=no_checks,
    wording=_reverse_ratio_words,
    gap=Solve("actual", _reverse_regions, others=("target",)),
    emit=_emit_reverse_ratio,
)
REVERSE_LINEAR = MethodSpec(
    name="reverse_linear",
    required=RATE_PARAMETERS,
    optional=frozenset(),
    score=reverse_linear,
    check=no_checks,
    wording=_reverse_linear_words,
    gap=Solve("actual", _reverse_regions, others=("target",)),
    emit=_emit_reverse_linear,
)
