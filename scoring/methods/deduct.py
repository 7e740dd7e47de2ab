"""``deduct`` (扣分制): the weight less points for each counted case, floored at 0."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from decimal import Decimal
from fractions import Fraction

from scoring.i18n import _
from scoring.methods.common import (
    FLOORED,
    ZERO,
    check_items,
    circled,
    count,
    formula_words,
    positive,
)
from scoring.methods.spec import (
    ZERO_SPAN,
    Checking,
    Emitter,
    MethodSpec,
    Outcome,
    Read,
    Region,
    Solve,
    Words,
)
from scoring.model.formula import Formula
from scoring.model.numbers import show, trimmed
from scoring.model.problems import Loc, Problem
from scoring.model.ruleset import Indicator, Tier


def deduct(node: Indicator, weight: Decimal, read: Read, tiers: tuple[Tier, ...]) -> Outcome:
    """扣分制: weight − Σ count × points (each named item, or one count), floored at 0."""
    if node.items is None:
        assert node.points is not None
        counted = count(read, "count")
        lost = counted * node.points
        shown = f"{show(weight)} − {show(counted)} × {show(node.points)}"
    else:
        lost, lines = ZERO, []
        for index, item in enumerate(node.items):
            what = _("count of {item}").format(item=item.name)
            counted = count(read, "items", index, "count", what=what)
            if counted:
                lost += counted * item.points
                lines.append(f"{item.name} {show(counted)} × {show(item.points)}")
        shown = f"{show(weight)} − ({'；'.join(lines)})" if lines else "无扣分"
    if lost >= weight:
        return Outcome(ZERO, f"{shown}，{FLOORED}")
    return Outcome(weight - lost, shown)


def _check(checking: Checking, node: Indicator, loc: Loc, path: str) -> Iterator[Problem]:
    if node.items is not None:
        if node.count is not None or node.points is not None:
            message = _("give items, or one count and points, not both")
            yield Problem((*loc, "items"), message, path, "items")
        yield from check_items(node, loc, path, "count")
        return
    for name in ("count", "points"):
        if getattr(node, name) is None:
            message = _("method deduct needs {name!r} (or items)").format(name=name)
            yield Problem(loc, message, path, name)
    yield from positive(node.points, (*loc, "points"), path, "points")


def _emit(node: Indicator, weight: Decimal, tiers: tuple[Tier, ...], out: Emitter) -> str:
    lost, zero, full = out.fresh(), out.const(ZERO), out.const(weight)
    if node.items is None:
        assert node.points is not None
        counted = out.number(node.count)
        out.line(f"if {counted} < 0: {out.bail}")
        out.line(f"{lost} = {counted} * {out.const(node.points)}")
    else:
        out.line(f"{lost} = {zero}")
        for item in node.items:
            counted = out.number(item.count)
            out.line(f"if {counted} < 0: {out.bail}")
            out.line(f"if {counted}: {lost} += {counted} * {out.const(item.points)}")
    return f"({zero} if {lost} >= {full} else {full} - {lost})"


def _words(node: Indicator, words: Words) -> str:
    if node.items:
        items = "；".join(
            f"{circled(index)}{item.name}（{formula_words(item.count)}）"
            f"每个扣{trimmed(item.points)}分"
            for index, item in enumerate(node.items)
        )
        return f"扣分制：{items}；扣完为止"
    return f"{formula_words(node.count)} 每个扣{trimmed(node.points or Decimal(0))}分，扣完为止"


def _regions(
    node: Indicator, now: Decimal, value_of: Callable[[Formula], Fraction]
) -> list[Region]:
    """A count of 0 (each item's, when it has items)."""
    return [(ZERO_SPAN, True)]


DEDUCT = MethodSpec(
    name="deduct",
    required=frozenset(),
    optional=frozenset({"count", "points", "items"}),
    score=deduct,
    check=_check,
    wording=_words,
    gap=Solve("count", _regions, each_item=True),
    emit=_emit,
)
