"""``deadline`` (时效): full points when done on or before the planned date; after, deductions."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date
from decimal import Decimal

from scoring.errors import EvaluationError
from scoring.i18n import _
from scoring.methods.bands import BANDS, interval_words
from scoring.methods.common import (
    FLOORED,
    ZERO,
    fact_of_type,
    found,
    points_words,
    positive,
)
from scoring.methods.spec import Checking, Emitter, Judge, MethodSpec, Outcome, Read, Words
from scoring.model.formula import normalize_name
from scoring.model.numbers import interval_text, show, trimmed
from scoring.model.problems import Loc, Problem
from scoring.model.ruleset import Indicator, Tier


def _day(read: Read, field: str) -> date:
    value = read(field)
    try:
        return date.fromisoformat(value) if isinstance(value, str) else _refuse(field, value)
    except ValueError:
        return _refuse(field, value)


def _refuse(field: str, value: object) -> date:
    message = _("{what} must be a date, found {found}").format(what=field, found=found(value))
    raise EvaluationError(message)


def days_late(node: Indicator, read: Read) -> tuple[date, date, int]:
    """The date done, the date due, and the days between them (0 or less: on time)."""
    done, due = _day(read, "fact"), _day(read, "due")
    return done, due, (done - due).days


def deadline(node: Indicator, weight: Decimal, read: Read, tiers: tuple[Tier, ...]) -> Outcome:
    """时效: on or before ``due`` the weight; late, ``step`` a day or the band of days late."""
    done, due, late = days_late(node, read)
    said = f"{node.fact} {done.isoformat()}，计划 {due.isoformat()} 前："
    if late <= 0:
        return Outcome(weight, f"{said}按时完成")
    said += f"逾期 {late} 天"
    if node.step is not None:
        deducted = node.step * late
        floored = f"，{FLOORED}" if deducted > weight else ""
        score = max(ZERO, weight - deducted)
        return Outcome(
            score, f"{said}，每天扣 {show(node.step)} 分，扣 {show(deducted)} 分{floored}"
        )
    for band in node.bands or ():
        if band.interval.contains(Decimal(late)):
            return Outcome(band.score, f"{said}，逾期天数 {interval_text(band.interval)}")
    return Outcome(node.otherwise, f"{said}，逾期不得分" if not node.otherwise else said)


def _emit(node: Indicator, weight: Decimal, tiers: tuple[Tier, ...], out: Emitter) -> str:
    done, due, late, score = out.fact(node.fact), out.fact(node.due), out.fresh(), out.fresh()
    day, full = out.const(date.fromisoformat), out.const(weight)
    out.line(f"if type({done}) is not str or type({due}) is not str: {out.bail}")
    out.line(f"{late} = ({day}({done}) - {day}({due})).days")  # not a date: ValueError, bail
    out.line(f"if {late} <= 0:")
    out.line(f"    {score} = {full}")
    if node.step is not None:
        out.line("else:")
        out.line(f"    {score} = max({out.const(ZERO)}, {full} - {out.const(node.step)} * {late})")
        return score
    for band in node.bands or ():
        out.line(f"elif {out.const(band.interval.contains)}({out.const(Decimal)}({late})):")
        out.line(f"    {score} = {out.const(band.score)}")
    out.line("else:")
    out.line(f"    {score} = {out.const(node.otherwise)}")
    return score


def _check(checking: Checking, node: Indicator, loc: Loc, path: str) -> Iterator[Problem]:
    yield from fact_of_type(checking, node, loc, path, "fact", "date")
    yield from fact_of_type(checking, node, loc, path, "due", "date")
    if node.step is not None and node.bands is not None:
        message = _("give step (points a day late) or bands (of days late), not both")
        yield Problem((*loc, "bands"), message, path, "bands")
    if node.step is not None:
        yield from positive(node.step, (*loc, "step"), path, "step")
    if node.bands is None and "otherwise" in node.model_fields_set:
        message = _("otherwise is the score of days late that no band holds: give bands")
        yield Problem((*loc, "otherwise"), message, path, "otherwise", at_key=True)
    yield from BANDS.check(checking, node, loc, path)


def _words(node: Indicator, words: Words) -> str:
    on_time = f"{node.fact}不晚于{node.due}，得满分"
    if node.step is not None:
        return f"{on_time}；逾期每天扣{trimmed(node.step)}分，{FLOORED}"
    steps = "；".join(
        f"逾期天数{interval_words(band, rate=False)}{points_words(band.score)}"
        for band in node.bands or ()
    )
    rest = f"其他情况{points_words(node.otherwise)}" if node.bands else "逾期不得分"
    return "；".join(part for part in (on_time, steps, rest) if part)


def _judgement(node: Indicator, fact: Callable[[str], object]) -> str:
    due = fact(normalize_name(node.due or ""))
    when = due if isinstance(due, str) else node.due
    message = _("deadline: full points when {done} is no later than {due}")
    return message.format(done=node.fact, due=when)


DEADLINE = MethodSpec(
    name="deadline",
    required=frozenset({"fact", "due"}),
    optional=frozenset({"step", "bands", "otherwise"}),
    score=deadline,
    check=_check,
    wording=_words,
    gap=Judge(_judgement),
    emit=_emit,
)
