"""``threshold`` (超过/低于限值扣分): full marks within a limit, points off per step beyond it."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal
from fractions import Fraction

from scoring.i18n import _
from scoring.methods.common import (
    FLOORED,
    FULL_MARKS,
    ZERO,
    formula_words,
    limit_words,
    number,
    positive,
    step_words,
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
    Words,
)
from scoring.model.formula import Formula
from scoring.model.numbers import show, show_beside, trimmed
from scoring.model.problems import Loc, Problem
from scoring.model.ruleset import Indicator, Tier


def threshold(node: Indicator, weight: Decimal, read: Read, tiers: tuple[Tier, ...]) -> Outcome:
    """Full marks within a limit; beyond it, ``points`` off per ``step``, floored at 0."""
    value = number(read, "value")
    assert node.step is not None
    assert node.points is not None
    if node.at_most is not None:
        limit, excess, rule, side = node.at_most, value - node.at_most, "≤", "超过"
    else:
        assert node.at_least is not None
        limit, excess, rule, side = node.at_least, node.at_least - value, "≥", "低于"
    shown_value = show_beside(value, (limit,))
    if excess <= 0:
        return Outcome(weight, f"{shown_value} {rule} {show(limit)} → {FULL_MARKS}")
    steps = excess / node.step
    counted = f"{show(steps)} × {show(node.step)}"
    if node.steps in ("whole", "started"):
        rounding = ROUND_FLOOR if node.steps == "whole" else ROUND_CEILING
        steps = steps.to_integral_value(rounding=rounding)
        how = "不足一档的不扣" if node.steps == "whole" else "不足一档的按一档计"
        counted += f"，按 {show(steps)} 档计（{how}）"
        lost = steps * node.points
    else:  # proportional; multiplying first keeps 0.02 × 3 / 0.03 exactly 2
        lost = excess * node.points / node.step
    shown = (
        f"{shown_value} {side} {show(limit)}，相差 {show_beside(excess, (ZERO,))} = {counted}；"
        f"扣分 {show(steps)} × {show(node.points)} = {show(lost)}"
    )
    if lost >= weight:
        return Outcome(ZERO, f"{shown}，{FLOORED}")
    return Outcome(weight - lost, shown)


def _emit(node: Indicator, weight: Decimal, tiers: tuple[Tier, ...], out: Emitter) -> str:
    value = out.number(node.value)
    assert node.step is not None
    assert node.points is not None
    if node.at_most is not None:
        excess = f"{value} - {out.const(node.at_most)}"
    else:
        assert node.at_least is not None
        excess = f"{out.const(node.at_least)} - {value}"
    full, step, points = out.const(weight), out.const(node.step), out.const(node.points)
    over, score = out.fresh(), out.fresh()
    out.line(f"{over} = {excess}")
    out.line(f"if {over} <= 0:")
    out.line(f"    {score} = {full}")
    out.line("else:")
    if node.steps in ("whole", "started"):
        rounding = out.const(ROUND_FLOOR if node.steps == "whole" else ROUND_CEILING)
        lost = f"({over} / {step}).to_integral_value(rounding={rounding}) * {points}"
    else:
        lost = f"{over} * {points} / {step}"
    out.line(f"    {score} = {over} / {step}")  # the steps the plain path shows
    out.line(f"    {score} = {lost}")
    out.line(f"    {score} = {out.const(ZERO)} if {score} >= {full} else {full} - {score}")
    return score


def _check(checking: Checking, node: Indicator, loc: Loc, path: str) -> Iterator[Problem]:
    if node.at_least is None and node.at_most is None:
        message = _("method threshold needs one limit: at_most (full marks up to it) or at_least")
        yield Problem(loc, message, path, "at_most")
    elif node.at_least is not None and node.at_most is not None:
        message = _("method threshold takes one limit, at_most or at_least, not both")
        yield Problem((*loc, "at_least"), message, path, "at_least", at_key=True)
    yield from positive(node.step, (*loc, "step"), path, "step")
    yield from positive(node.points, (*loc, "points"), path, "points")


def _words(node: Indicator, words: Words) -> str:
    rate = words.is_rate(node.value)
    step, points = node.step or Decimal(0), node.points or Decimal(0)
    parts = {"whole": "（不足一档的不扣）", "started": "（不足一档的按一档计）"}
    part = parts.get(node.steps or "", "")
    if node.at_most is not None:
        full, change = f"≤{limit_words(node.at_most, rate)}", "超过"
    else:
        full, change = f"≥{limit_words(node.at_least or Decimal(0), rate)}", "低于"
    return (
        f"{formula_words(node.value)}{full}的得满分；每{change}{step_words(step, rate)}"
        f"扣{trimmed(points)}分{part}，扣完为止"
    )


def _regions(
    node: Indicator, now: Decimal, value_of: Callable[[Formula], Fraction]
) -> list[Region]:
    if node.at_most is not None:
        return [(Span(None, False, Fraction(node.at_most), True), True)]
    assert node.at_least is not None
    return [(Span(Fraction(node.at_least), True, None, False), True)]


THRESHOLD = MethodSpec(
    name="threshold",
    required=frozenset({"value", "step", "points"}),
    optional=frozenset({"at_least", "at_most", "steps"}),
    score=threshold,
    check=_check,
    wording=_words,
    gap=Solve("value", _regions),
    emit=_emit,
)
