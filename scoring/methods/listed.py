"""``listed`` (按所列项目计分): points for each item of a list fact, named in the breakdown."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from decimal import Decimal

from scoring.errors import EvaluationError
from scoring.i18n import _
from scoring.methods.common import fact_of_type, found, positive
from scoring.methods.spec import Checking, Emitter, Judge, MethodSpec, Outcome, Read, Words
from scoring.model.formula import normalize_name
from scoring.model.numbers import show, trimmed
from scoring.model.problems import Loc, Problem
from scoring.model.ruleset import Indicator, Tier


def listed(node: Indicator, weight: Decimal, read: Read, tiers: tuple[Tier, ...]) -> Outcome:
    """Each item listed earns ``points``, up to the weight; the breakdown names every item."""
    items = read("fact")
    if not isinstance(items, tuple):
        message = _("{what} must be a list of items, found {found}").format(
            what=node.fact, found=found(items)
        )
        raise EvaluationError(message)
    points = node.points or Decimal(0)
    earned = points * len(items)
    named = "、".join(items) if items else "无"
    said = f"{node.fact} {len(items)} 项（{named}），每项 {show(points)}"
    if earned > weight:
        return Outcome(weight, f"{said}，计 {show(earned)}，最高 {show(weight)}")
    return Outcome(earned, said)


def _check(checking: Checking, node: Indicator, loc: Loc, path: str) -> Iterator[Problem]:
    yield from fact_of_type(checking, node, loc, path, "fact", "list")
    if node.points is not None:
        yield from positive(node.points, (*loc, "points"), path, "points")


def _emit(node: Indicator, weight: Decimal, tiers: tuple[Tier, ...], out: Emitter) -> str:
    items, earned, full = out.fact(node.fact), out.fresh(), out.const(weight)
    out.line(f"if type({items}) is not tuple: {out.bail}")
    out.line(f"{earned} = {out.const(node.points or Decimal(0))} * len({items})")
    return f"({full} if {earned} > {full} else {earned})"


def _words(node: Indicator, words: Words) -> str:
    allowed = words.ruleset.facts.get(node.fact or "")
    among = f"（{'、'.join(allowed.options)}）" if allowed and allowed.options else ""
    points, most = trimmed(node.points or Decimal(0)), trimmed(words.weight or Decimal(0))
    return f"按{node.fact}所列项目计分{among}：每项得{points}分，最高{most}分"


def _judgement(node: Indicator, fact: Callable[[str], object]) -> str:
    items = fact(normalize_name(node.fact or ""))
    count = len(items) if isinstance(items, tuple) else 0
    message = _("listed: each further item of {fact} scores {points}; {count} listed now")
    return message.format(fact=node.fact, points=show(node.points or Decimal(0)), count=count)


LISTED = MethodSpec(
    name="listed",
    required=frozenset({"fact", "points"}),
    optional=frozenset(),
    score=listed,
    check=_check,
    wording=_words,
    gap=Judge(_judgement),
    emit=_emit,
)
