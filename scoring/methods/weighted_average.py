"""``weighted_average`` (各项按百分制评分，按权重折算): sub-scores averaged by their shares."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from decimal import Decimal

from scoring.errors import EvaluationError
from scoring.i18n import _
from scoring.methods.common import ZERO, formula_words, number, positive
from scoring.methods.spec import Checking, Emitter, Judge, MethodSpec, Outcome, Read, Words
from scoring.model.numbers import show, trimmed
from scoring.model.problems import Loc, Problem
from scoring.model.ruleset import Indicator, Tier


def weighted_average(
    node: Indicator, weight: Decimal, read: Read, tiers: tuple[Tier, ...]
) -> Outcome:
    """Sub-scores out of 100, averaged by their shares, as a fraction of the weight."""
    parts = node.parts or ()
    total_share = sum((part.share for part in parts), ZERO)
    weighted, lines = ZERO, []
    for index, part in enumerate(parts):
        what = _("value of {part}").format(part=part.name)
        value = number(read, "parts", index, "value", what=what)
        if not ZERO <= value <= 100:
            message = _("{part} scores {value}, outside 0–100").format(
                part=part.name, value=show(value)
            )
            raise EvaluationError(message)
        weighted += part.share * value
        lines.append(f"{part.name} {show(value)} × {show(part.share)}")
    average = weighted / total_share
    shown = f"({' + '.join(lines)}) / {show(total_share)} = {show(average)} / 100"
    # one division, last: a third of 3 points is exactly 1, not 0.999…
    return Outcome(weight * weighted / total_share / 100, shown)


def _check(checking: Checking, node: Indicator, loc: Loc, path: str) -> Iterator[Problem]:
    if node.parts is not None and not node.parts:
        yield Problem((*loc, "parts"), _("give at least one part"), path, "parts")
    for index, part in enumerate(node.parts or ()):
        yield from positive(part.share, (*loc, "parts", index, "share"), path, "parts")


def _emit(node: Indicator, weight: Decimal, tiers: tuple[Tier, ...], out: Emitter) -> str:
    parts = node.parts or ()
    total_share = out.const(sum((part.share for part in parts), ZERO))
    weighted = out.fresh()
    out.line(f"{weighted} = {out.const(ZERO)}")
    for part in parts:
        value = out.number(part.value)
        out.line(f"if not {out.const(ZERO)} <= {value} <= 100: {out.bail}")
        out.line(f"{weighted} += {out.const(part.share)} * {value}")
    score = out.fresh()
    out.line(f"{score} = {weighted} / {total_share}")  # the average shown
    out.line(f"{score} = {out.const(weight)} * {weighted} / {total_share} / 100")
    return score


def _words(node: Indicator, words: Words) -> str:
    parts = "；".join(
        f"{part.name}（权重 {trimmed(part.share)}）：{formula_words(part.value)}"
        for part in node.parts or ()
    )
    return f"各项按百分制评分，按权重折算：{parts}"


def _judgement(node: Indicator, fact: Callable[[str], object]) -> str:
    return _("weighted_average: the points come from several sub-scores ({names})").format(
        names=_(", ").join(part.name for part in node.parts or ())
    )


WEIGHTED_AVERAGE = MethodSpec(
    name="weighted_average",
    required=frozenset({"parts"}),
    optional=frozenset(),
    score=weighted_average,
    check=_check,
    wording=_words,
    gap=Judge(_judgement),
    emit=_emit,
)
