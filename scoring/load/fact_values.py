"""A fact's value as people type it, checked against its declaration: numbers, choices, tiers.

Each reader raises :class:`scoring.model.values.UnreadableError` with a message saying why the
value cannot be read and how to write it; :func:`scoring.load.facts.check_facts` places it.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from scoring.errors import one_of
from scoring.i18n import _
from scoring.model import values
from scoring.model.base import check_number
from scoring.model.facts import FactValue, TierClaim
from scoring.model.ruleset import FactSpec, Ruleset
from scoring.model.tier_scale import tier_scale

FactReader = Callable[[Any], "FactValue | None"]
"""A fact's value as written in → its typed value, or None when left empty."""


def fact_value(name: str, spec: FactSpec, value: Any, ruleset: Ruleset) -> FactValue | None:
    """The typed value (None when left empty), as people type it (see :mod:`scoring.model.values`).

    Raises:
        UnreadableError: with the message saying why it cannot be read and how to write it.
    """
    return fact_reader(name, spec, ruleset)(value)


def fact_reader(name: str, spec: FactSpec, ruleset: Ruleset) -> FactReader:
    """What :func:`fact_value` does for one fact, as a function: a table's column reads many."""
    if spec.type == "boolean":
        return values.boolean
    if spec.type == "date":
        return values.day
    if spec.type == "list":
        return functools.partial(values.listed, spec=spec)
    if spec.type in ("tier", "choice"):
        return functools.partial(_categorical, name, spec, ruleset)
    if spec.unit == "%":  # a rate: 86.75% or 0.8675, each read the long way
        return functools.partial(_number, spec)
    return _plain_number_reader(spec)


def _plain_number_reader(spec: FactSpec) -> FactReader:
    """:func:`_number` for a number that is not a rate, plain digits within bounds read at once.

    Most cells of a province's table are such digits; anything else (a comma, a unit, a number
    out of bounds or with places for an integer) goes the long way, which says what is wrong.
    """
    low, high, whole = spec.min, spec.max, spec.type == "integer"
    plain_digits, long_way = values.PLAIN_NUMBER.fullmatch, functools.partial(_number, spec)

    def read(value: Any) -> FactValue | None:
        if type(value) is str and plain_digits(value):
            number = Decimal(value)
            if (
                (low is None or number >= low)
                and (high is None or number <= high)
                and (not whole or number == number.to_integral_value())
            ):
                return number
        return long_way(value)

    return read


def _categorical(name: str, spec: FactSpec, ruleset: Ruleset, value: Any) -> FactValue | None:
    """A tier or choice fact's value."""
    if isinstance(value, str) and not values.normalise_text(value):
        return None
    if spec.type == "tier":
        return _tier_value(name, value, ruleset)
    options = {values.normalise_text(option): option for option in spec.options or ()}
    chosen = options.get(values.normalise_text(value)) if isinstance(value, str) else None
    if chosen is not None:
        return chosen
    # no did-you-mean: 有结余 is one character from 无结余, its opposite
    message = _("expected one of {options}, found {found}").format(
        options=_(", ").join(options.values()), found=values.shown(value)
    )
    raise values.UnreadableError(message)


def _number(spec: FactSpec, value: Any) -> FactValue | None:
    """A number or integer fact's value, within its declared bounds."""
    number = values.number(value, spec)  # within the engine's range and places
    if number is None:
        return None
    if spec.type == "integer" and number != number.to_integral_value():
        message = _("expected a whole number, found {found}").format(found=value)
        raise values.UnreadableError(message)
    if spec.min is not None and number < spec.min:
        message = _("{value} is below the declared min {min}").format(
            value=_written(number), min=spec.min
        )
        raise values.UnreadableError(message)
    if spec.max is not None and number > spec.max:
        message = _("{value} is above the declared max {max}").format(
            value=_written(number), max=spec.max
        )
        raise values.UnreadableError(message)
    return number


def _written(number: Decimal) -> str:
    return format(number, "f")


def _tier_value(name: str, value: Any, ruleset: Ruleset) -> TierClaim:
    tiers, weight = tier_scale(ruleset, name)
    labels = {label: tier for tier in tiers for label in tier.names()}
    if isinstance(value, str):
        claim = TierClaim(tier=values.normalise_text(value))
    elif isinstance(value, dict) and set(value) <= {"tier", "score", "note"} and "tier" in value:
        claim = _tier_claim(value)
    else:
        found = values.shown(value)
        message = _("expected a tier label or {{tier: …, score: …, note: …}}, found {found}")
        message = message.format(found=found)
        raise values.UnreadableError(message)
    tier = labels.get(claim.tier)
    if tier is None:
        # no did-you-mean: 基本不满意 is near 基本满意 and 很满意 near 满意, other answers
        message = _("unknown tier {tier!r}: choose one of {labels}").format(
            tier=claim.tier, labels=one_of(each.label for each in tiers)
        )
        raise values.UnreadableError(message)
    if claim.score is None and tier.default is None:
        message = _("tier {tier!r} has no default score: give {{tier: …, score: …, note: …}}")
        message = message.format(tier=tier.label)
        raise values.UnreadableError(message)
    if claim.score is not None and weight is not None and not tier.allows(claim.score / weight):
        low, high = (bound * weight for bound in tier.range)
        closing = "]" if tier.range[1] == 1 else ")"
        message = _("score {score} is outside tier {tier!r} [{low}, {high}{closing}").format(
            score=claim.score, tier=tier.label, low=low, high=high, closing=closing
        )
        raise values.UnreadableError(message)
    return TierClaim(tier=tier.label, score=claim.score, note=claim.note)


def _tier_claim(value: dict[str, Any]) -> TierClaim:
    score = value.get("score")
    if score is not None and (isinstance(score, bool) or not isinstance(score, int | Decimal)):
        message = _("score: expected a number, found {found}").format(found=values.shown(score))
        raise values.UnreadableError(message)
    if score is not None:
        try:
            check_number(Decimal(score))
        except ValueError as exc:
            message = _("score: {problem}").format(problem=exc)
            raise values.UnreadableError(message) from None
    note = value.get("note")
    tier = value["tier"]
    return TierClaim(
        tier=values.normalise_text(tier) if isinstance(tier, str) else str(tier),
        score=None if score is None else Decimal(score),
        note=None if note is None else str(note),
    )
