"""``cases`` (按情形计分): the first case whose condition holds gives its score."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from decimal import Decimal

from scoring.i18n import N_, _
from scoring.methods.common import emit_first, formula_words, points_words, within_weight, yes_no
from scoring.methods.spec import Checking, Emitter, Judge, MethodSpec, Outcome, Read, Words
from scoring.model.numbers import formula_text, show
from scoring.model.problems import Loc, Problem
from scoring.model.ruleset import Indicator, Tier


def cases(node: Indicator, weight: Decimal, read: Read, tiers: tuple[Tier, ...]) -> Outcome:
    """Categorical: the first case whose condition holds gives its score."""
    for index, case in enumerate(node.cases or ()):
        name = case.name or case.when.source
        what = _("when of case {number} ({name})").format(number=index + 1, name=name)
        if yes_no(read, "cases", index, "when", what=what):
            shown = case.name or formula_text(case.when.source)
            return Outcome(case.score, f"{shown} → {show(case.score)}")
    return Outcome(node.otherwise, f"不属于所列情形 → {show(node.otherwise)}")


def _check(checking: Checking, node: Indicator, loc: Loc, path: str) -> Iterator[Problem]:
    if node.cases is not None and not node.cases:
        yield Problem((*loc, "cases"), _("give at least one case"), path, "cases")
    for index, case in enumerate(node.cases or ()):
        where = (*loc, "cases", index, "score")
        message = N_("case score {score} is outside 0–{weight}")
        yield from within_weight(case.score, node.weight, where, path, "cases", message)


def _emit(node: Indicator, weight: Decimal, tiers: tuple[Tier, ...], out: Emitter) -> str:
    # every condition read up front: one the plain path would not reach and that fails bails,
    # and the plain path, which stops at the first that holds, scores the unit
    choices = [(out.yes_no(case.when), case.score) for case in node.cases or ()]
    return emit_first(out, choices, node.otherwise)


def _words(node: Indicator, words: Words) -> str:
    listed = "；".join(
        f"{case.name or formula_words(case.when)}，{points_words(case.score, '得')}"
        for case in node.cases or ()
    )
    return f"按情形计分：{listed}；其他情况{points_words(node.otherwise, '得')}"


def _judgement(node: Indicator, fact: Callable[[str], object]) -> str:
    best = max(node.cases or (), key=lambda case: case.score)
    return _(
        "cases: the first case that holds decides; the best, {name} ({points}), "
        "holds when {condition}"
    ).format(
        name=best.name or best.when.source,
        points=show(best.score),
        condition=best.when.source,
    )


CASES = MethodSpec(
    name="cases",
    required=frozenset({"cases"}),
    optional=frozenset({"otherwise"}),
    score=cases,
    check=_check,
    wording=_words,
    gap=Judge(_judgement),
    emit=_emit,
)
