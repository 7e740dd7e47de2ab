"""What the methods share: reading a parameter as a number or yes/no, checks, and words."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from decimal import Decimal

from scoring.errors import EvaluationError, one_of, suggest
from scoring.i18n import _
from scoring.methods.spec import Checking, Emitter, Read
from scoring.model.facts import TierClaim
from scoring.model.formula import Formula
from scoring.model.numbers import formula_text, show, trimmed
from scoring.model.problems import Loc, Problem
from scoring.model.ruleset import Indicator

ZERO = Decimal(0)
FULL_MARKS = "得满分"
FLOORED = "扣完为止"
CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"

# --- reading parameters at score time ---------------------------------------------------------


def found(value: object) -> str:
    """A value as a ruleset's author would write it, for messages."""
    if isinstance(value, bool):
        return _("{value} (a yes/no value)").format(value=str(value).lower())
    if isinstance(value, Decimal):
        return _("the number {value}").format(value=show(value))
    if isinstance(value, TierClaim):
        return _("the tier {tier!r}").format(tier=value.tier)
    return repr(value)


def number(read: Read, *field: str | int, what: str | None = None) -> Decimal:
    """A parameter that must be a number."""
    value = read(*field)
    if isinstance(value, bool) or not isinstance(value, Decimal):
        message = _("{what} must be a number, found {found}").format(
            what=what or field[-1], found=found(value)
        )
        raise EvaluationError(message)
    return value


def not_negative(value: Decimal, what: str) -> Decimal:
    """``value``, which a negative input makes an error."""
    if value < 0:
        message = _("{what} is negative ({value}): an input error").format(
            what=what, value=show(value)
        )
        raise EvaluationError(message)
    return value


def count(read: Read, *field: str | int, what: str | None = None) -> Decimal:
    """A parameter that must be a number of 0 or more."""
    return not_negative(number(read, *field, what=what), what or str(field[-1]))


def actual_and_target(read: Read) -> tuple[Decimal, Decimal]:
    """The ``actual`` and ``target`` of a rate or an equality, neither negative."""
    actual = not_negative(number(read, "actual"), "actual")
    return actual, not_negative(number(read, "target"), "target")


def yes_no(read: Read, *field: str | int, what: str | None = None) -> bool:
    """A parameter that must be true or false."""
    value = read(*field)
    if not isinstance(value, bool):
        message = _("{what} must be true or false, found {found}").format(
            what=what or field[-1], found=found(value)
        )
        raise EvaluationError(message)
    return value


def emit_first(out: Emitter, choices: Iterable[tuple[str, Decimal]], otherwise: Decimal) -> str:
    """The code of "the first choice that holds gives its score, else ``otherwise``".

    ``choices``: each one's condition (an expression of the compiled function) and score.
    """
    score, keyword = out.fresh(), "if"
    for holds, points in choices:
        out.line(f"{keyword} {holds}:")
        out.line(f"    {score} = {out.const(points)}")
        keyword = "elif"
    if keyword == "if":
        return out.const(otherwise)
    out.line("else:")
    out.line(f"    {score} = {out.const(otherwise)}")
    return score


# --- checking parameters at load time ---------------------------------------------------------


def positive(value: Decimal | None, loc: Loc, path: str, field: str) -> Iterator[Problem]:
    """A problem when ``value`` is given and not above 0."""
    if value is not None and value <= 0:
        yield Problem(loc, _("must be positive, found {found}").format(found=value), path, field)


def within_weight(
    score: Decimal, weight: Decimal | None, loc: Loc, path: str, field: str, message: str
) -> Iterator[Problem]:
    """A problem when ``score`` leaves 0–weight; ``message`` (marked with N_) says which score."""
    if weight is not None and not 0 <= score <= weight:
        yield Problem(loc, _(message).format(score=score, weight=weight), path, field)


def hint(text: str, choices: Iterable[str]) -> str:
    """A near miss, or, when there is none that is safe to offer, the choices listed.

    A tier label or option one negation away (基本满意 for 基本不满意) is the opposite answer.
    """
    known = sorted(choices)
    near = suggest(text, known)
    if near or not known:
        return near
    return _(" (choose one of {choices})").format(choices=one_of(known))


def check_items(node: Indicator, loc: Loc, path: str, needs: str) -> Iterator[Problem]:
    """A checklist's or deduct's items: unique ids, positive points, ``met`` or ``count`` each."""
    other = "count" if needs == "met" else "met"
    ids: set[str] = set()
    for index, item in enumerate(node.items or ()):
        where = (*loc, "items", index)
        if item.id in ids:
            message = _("duplicate item id {id!r}").format(id=item.id)
            yield Problem((*where, "id"), message, path, "items")
        ids.add(item.id)
        yield from positive(item.points, (*where, "points"), path, "items")
        if getattr(item, needs) is None:
            message = _("item {id!r} needs {name!r}").format(id=item.id, name=needs)
            yield Problem(where, message, path, "items")
        if getattr(item, other) is not None:
            message = _("{name!r} does not apply to an item of method {method}").format(
                name=other, method=node.method
            )
            yield Problem((*where, other), message, path, "items", at_key=True)
    if node.items is not None and not node.items:
        yield Problem((*loc, "items"), _("give at least one item"), path, "items")


# --- the 评分标准 in words ---------------------------------------------------------------------


def formula_words(formula: Formula | None) -> str:
    """A parameter's formula in a 评分标准 sentence ('' when absent)."""
    return "" if formula is None else formula_text(formula.source)


def literal(formula: Formula | None) -> Decimal | None:
    """The number a formula is, when it is only a number."""
    if formula is None or formula.names:
        return None
    try:
        return Decimal(formula.source.strip())
    except ArithmeticError:
        return None


def limit_words(value: Decimal, rate: bool) -> str:
    """A limit: a rate as a percentage (0.95 → 95%)."""
    return f"{trimmed(value.scaleb(2))}%" if rate else trimmed(value)


def step_words(value: Decimal, rate: bool) -> str:
    """A step or tolerance: for a rate in 百分点 (0.01 → 1个百分点)."""
    return f"{trimmed(value.scaleb(2))}个百分点" if rate else trimmed(value)


def points_words(score: Decimal, verb: str = "计") -> str:
    """``计4分``, ``得2分``, or ``不得分``."""
    return "不得分" if not score else f"{verb}{trimmed(score)}分"


def circled(index: int) -> str:
    """The mark of a listed item: ① for the first, (21) past ⑳."""
    return CIRCLED[index] if index < len(CIRCLED) else f"({index + 1})"


def fact_of_type(
    checking: Checking, node: Indicator, loc: Loc, path: str, field: str, wanted: str
) -> Iterator[Problem]:
    """The fact a leaf names in ``field`` (``fact``, ``due``) is declared, of type ``wanted``."""
    name = getattr(node, field)
    if name is None:
        return
    spec = checking.ruleset.facts.get(name)
    if spec is None:
        near = suggest(name, list(checking.ruleset.facts))
        message = _("unknown fact {name!r}{hint}").format(name=name, hint=near)
        yield Problem((*loc, field), message, path, field)
    elif spec.type != wanted:
        message = _("fact {name!r} is declared type {type}, method {method} needs type {wanted}")
        message = message.format(name=name, type=spec.type, method=node.method, wanted=wanted)
        yield Problem((*loc, field), message, path, field)
