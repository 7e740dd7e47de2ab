"""``checklist`` (①…得1分；②…得1分): each item met earns its points."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

from scoring.i18n import _
from scoring.methods.common import ZERO, check_items, circled, yes_no
from scoring.methods.spec import Checking, Emitter, MethodSpec, Outcome, Read, Toggle, Words
from scoring.model.numbers import show, trimmed
from scoring.model.problems import Loc, Problem
from scoring.model.ruleset import Indicator, Tier


def checklist(node: Indicator, weight: Decimal, read: Read, tiers: tuple[Tier, ...]) -> Outcome:
    """Additive checklist (①…②…): each item met earns its points."""
    earned, lines = ZERO, []
    for index, item in enumerate(node.items or ()):
        what = _("met of {item}").format(item=item.name)
        met = yes_no(read, "items", index, "met", what=what)
        earned += item.points if met else ZERO
        lines.append(f"{'✓' if met else '✗'} {item.name} {show(item.points if met else ZERO)}")
    return Outcome(earned, "；".join(lines))


def _check(checking: Checking, node: Indicator, loc: Loc, path: str) -> Iterator[Problem]:
    yield from check_items(node, loc, path, "met")
    points = sum((item.points for item in node.items or ()), Decimal(0))
    if node.items and node.weight is not None and points != node.weight:
        message = _("items' points sum to {points}, expected the weight {weight}").format(
            points=points, weight=node.weight
        )
        yield Problem((*loc, "items"), message, path, "items")


def _emit(node: Indicator, weight: Decimal, tiers: tuple[Tier, ...], out: Emitter) -> str:
    earned, zero = out.fresh(), out.const(ZERO)
    out.line(f"{earned} = {zero}")
    for item in node.items or ():
        met = out.yes_no(item.met)
        out.line(f"{earned} += {out.const(item.points)} if {met} else {zero}")
    return earned


def _words(node: Indicator, words: Words) -> str:
    items = "；".join(
        f"{circled(index)}{item.name}，得{trimmed(item.points)}分"
        for index, item in enumerate(node.items or ())
    )
    return f"逐项计分：{items}"


CHECKLIST = MethodSpec(
    name="checklist",
    required=frozenset({"items"}),
    optional=frozenset(),
    score=checklist,
    check=_check,
    wording=_words,
    gap=Toggle(),
    emit=_emit,
)
