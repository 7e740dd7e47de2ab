"""``bands`` (分档计分): the score of the band whose interval holds the value."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from decimal import Decimal
from fractions import Fraction

from scoring.i18n import N_, _
from scoring.methods.common import (
    emit_first,
    formula_words,
    limit_words,
    number,
    points_words,
    within_weight,
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
from scoring.model.intervals import Interval, covers, gaps
from scoring.model.numbers import interval_text, show, show_beside
from scoring.model.problems import Loc, Problem
from scoring.model.ruleset import Band, Indicator, Tier


def bands(node: Indicator, weight: Decimal, read: Read, tiers: tuple[Tier, ...]) -> Outcome:
    """Stepped bands: the first band whose interval holds the value (the only one, if unique)."""
    value = number(read, "value")
    edges = [
        end
        for band in node.bands or ()
        for end in (band.interval.low, band.interval.high)
        if end is not None
    ]
    shown = show_beside(value, edges)
    for band in node.bands or ():
        if band.interval.contains(value):
            interval = interval_text(band.interval)
            return Outcome(band.score, f"{shown} {interval} → {show(band.score)}")
    return Outcome(node.otherwise, f"{shown} 不在所列区间内 → {show(node.otherwise)}")


def _check(checking: Checking, node: Indicator, loc: Loc, path: str) -> Iterator[Problem]:
    if node.bands is None:
        return
    if not node.bands:
        yield Problem((*loc, "bands"), _("give at least one band"), path, "bands")
    earlier: list[Interval] = []
    for index, band in enumerate(node.bands):
        where = (*loc, "bands", index)
        yield from within_weight(
            band.score,
            node.weight,
            (*where, "score"),
            path,
            "bands",
            N_("band score {score} is outside 0–{weight}"),
        )
        interval = band.interval
        if interval.empty:
            reason = (
                _("for the single value write equals: {value}").format(value=interval.low)
                if interval.low == interval.high
                else _("its ends cross")
            )
            message = _("band {band} holds no value: {reason}").format(band=interval, reason=reason)
            yield Problem(where, message, path, "bands")
        elif node.hit == "unique":
            for other_index, other in enumerate(earlier):
                if other.intersects(interval):
                    message = _(
                        "band {band} overlaps band {number} ({other}): "
                        "hit: unique needs bands that do not overlap"
                    ).format(band=interval, number=other_index + 1, other=other)
                    yield Problem(where, message, path, "bands")
        elif covers(earlier, interval):
            message = _(
                "band {band} can never match: the bands before it cover it "
                "(the first match wins; list bands from the highest down)"
            ).format(band=interval)
            yield Problem(where, message, path, "bands")
        earlier.append(interval)
    if "otherwise" in node.model_fields_set:
        return  # written out: the bureau meant values between the bands to score it
    for gap in gaps(earlier):
        message = _(
            "values {gap} match no band and score otherwise ({otherwise}); "
            "write otherwise: to confirm"
        ).format(gap=gap, otherwise=node.otherwise)
        yield Problem((*loc, "bands"), message, path, "bands", severity="warning")


def _words(node: Indicator, words: Words) -> str:
    rate = words.is_rate(node.value)
    steps = "；".join(
        f"{interval_words(band, rate)}{points_words(band.score)}" for band in node.bands or ()
    )
    rest = f"；其他情况{points_words(node.otherwise)}" if node.otherwise else ""
    return f"{formula_words(node.value)}：{steps}{rest}"


def _emit(node: Indicator, weight: Decimal, tiers: tuple[Tier, ...], out: Emitter) -> str:
    value = out.number(node.value)
    choices = [
        (f"{out.const(band.interval.contains)}({value})", band.score) for band in node.bands or ()
    ]
    return emit_first(out, choices, node.otherwise)


def interval_words(band: Band, rate: bool) -> str:
    """A band's interval as a 评分标准 writes it: ``≥95%``, ``>3且≤7``."""
    if band.equals is not None:
        return f"={limit_words(band.equals, rate)}"
    ends = (("≥", band.at_least), (">", band.above), ("≤", band.at_most), ("<", band.below))
    return "且".join(f"{sign}{limit_words(end, rate)}" for sign, end in ends if end is not None)


def _regions(
    node: Indicator, now: Decimal, value_of: Callable[[Formula], Fraction]
) -> list[Region]:
    """Each band scoring more than now, the best first."""
    found = []
    for band in sorted(node.bands or (), key=lambda band: -band.score):
        if band.score <= now:
            continue
        interval = band.interval
        low = None if interval.low is None else Fraction(interval.low)
        high = None if interval.high is None else Fraction(interval.high)
        span = Span(low, interval.low_closed, high, interval.high_closed)
        found.append((span, band.score == node.weight))
    return found


BANDS = MethodSpec(
    name="bands",
    required=frozenset({"value", "bands"}),
    optional=frozenset({"otherwise", "hit"}),
    score=bands,
    check=_check,
    wording=_words,
    gap=Solve("value", _regions),
    emit=_emit,
)
