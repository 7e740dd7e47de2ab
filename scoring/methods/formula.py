"""``formula`` (其他): a formula over the facts gives the points directly."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from decimal import Decimal

from scoring.errors import EvaluationError
from scoring.i18n import _
from scoring.methods.common import ZERO, formula_words, number
from scoring.methods.spec import Checking, Emitter, Judge, MethodSpec, Outcome, Read, Words
from scoring.model.numbers import formula_text, show
from scoring.model.problems import Loc, Problem
from scoring.model.ruleset import Indicator, Tier


def formula(node: Indicator, weight: Decimal, read: Read, tiers: tuple[Tier, ...]) -> Outcome:
    """A formula giving the points directly; a result outside [0, weight] is an error."""
    value = number(read, "expr")
    if not ZERO <= value <= weight:
        expr = node.expr.source if node.expr else ""
        message = _("formula {formula!r} gives {value}, outside 0–{weight}").format(
            formula=expr, value=show(value), weight=show(weight)
        )
        raise EvaluationError(message)
    return Outcome(value, f"{formula_text(node.expr.source) if node.expr else ''} = {show(value)}")


def _check(checking: Checking, node: Indicator, loc: Loc, path: str) -> Iterator[Problem]:
    """A ``formula`` must stay within 0–weight at every corner of its facts' declared bounds."""
    if node.expr is None or node.weight is None:
        return
    yield from checking.corners(node.expr, node.weight, (*loc, "expr"), path)


def _emit(node: Indicator, weight: Decimal, tiers: tuple[Tier, ...], out: Emitter) -> str:
    value = out.number(node.expr)
    out.line(f"if not {out.const(ZERO)} <= {value} <= {out.const(weight)}: {out.bail}")
    return value


def _words(node: Indicator, words: Words) -> str:
    return f"得分 = {formula_words(node.expr)}"


def _judgement(node: Indicator, fact: Callable[[str], object]) -> str:
    assert node.expr is not None
    message = _("formula: the points come from {formula}, not from one fact's target")
    return message.format(formula=node.expr.source)


FORMULA = MethodSpec(
    name="formula",
    required=frozenset({"expr"}),
    optional=frozenset(),
    score=formula,
    check=_check,
    wording=_words,
    gap=Judge(_judgement),
    emit=_emit,
)
