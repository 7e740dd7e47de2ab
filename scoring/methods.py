"""The built-in scoring methods, one small pure function each, looked up by name.

Each takes the indicator, its weight, a ``read`` that evaluates one of the indicator's parameters
(recording what it read), and the tiers in force; it returns the unrounded score, within
[0, weight], and the arithmetic that explains it. Decimal in, Decimal out.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, localcontext

from scoring.errors import DivisionByZeroError, EvaluationError
from scoring.formula import DECIMAL_CONTEXT, Value
from scoring.models import Indicator, Tier, TierClaim

Read = Callable[[str], Value | TierClaim]
ONE = Decimal(1)
ZERO = Decimal(0)


@dataclass(frozen=True)
class Outcome:
    """A leaf's unrounded score and the arithmetic behind it."""

    score: Decimal
    explanation: str
    findings: tuple[tuple[str, str], ...] = ()


Method = Callable[[Indicator, Decimal, Read, tuple[Tier, ...]], Outcome]


def show(value: Decimal) -> str:
    """A number for people: as given, or to 4 decimal places when longer."""
    exponent = value.as_tuple().exponent
    if isinstance(exponent, int) and exponent < -4 and _fits(value, 4):
        value = value.quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP).normalize()
    return format(value, "f")


def _fits(value: Decimal, places: int) -> bool:
    """Whether rounding ``value`` to ``places`` stays within the context's precision."""
    return value.adjusted() + places < DECIMAL_CONTEXT.prec


def _found(value: object) -> str:
    """A value as a ruleset's author would write it, for messages."""
    if isinstance(value, bool):
        return f"{str(value).lower()} (a yes/no value)"
    if isinstance(value, Decimal):
        return f"the number {show(value)}"
    if isinstance(value, TierClaim):
        return f"the tier {value.tier!r}"
    return repr(value)


def percent(rate: Decimal) -> str:
    """A rate as a percentage to 2 places, 四舍五入: 0.8675 → ``86.75%``."""
    with localcontext(DECIMAL_CONTEXT):
        hundred = rate * 100
        return f"{hundred.quantize(Decimal('0.01')) if _fits(hundred, 2) else hundred}%"


def _number(read: Read, field: str) -> Decimal:
    value = read(field)
    if isinstance(value, bool) or not isinstance(value, Decimal):
        message = f"{field} must be a number, found {_found(value)}"
        raise EvaluationError(message)
    return value


def _rate_score(weight: Decimal, numerator: Decimal, denominator: Decimal) -> tuple[Decimal, str]:
    rate = numerator / denominator
    shown = f"{show(numerator)} / {show(denominator)} = {percent(rate)}"
    if rate > ONE:
        return weight, f"{shown}, capped at 100%"
    return weight * rate, shown


def ratio(node: Indicator, weight: Decimal, read: Read, tiers: tuple[Tier, ...]) -> Outcome:
    """正向指标: weight × min(actual / target, 1)."""
    actual, target = _number(read, "actual"), _number(read, "target")
    if actual < 0:
        message = f"actual is negative ({show(actual)}): an input error"
        raise EvaluationError(message)
    if target < 0:
        message = f"target is negative ({show(target)})"
        raise EvaluationError(message)
    if target == 0:
        if node.on_zero_target == "full":
            return Outcome(weight, f"target 0, on_zero_target: full → {show(weight)}")
        if node.on_zero_target == "zero":
            return Outcome(ZERO, "target 0, on_zero_target: zero → 0")
        message = f"target is 0 ({node.target.source if node.target else ''}): set on_zero_target"
        raise DivisionByZeroError(message)
    score, explanation = _rate_score(weight, actual, target)
    return Outcome(score, explanation)


def reverse_ratio(node: Indicator, weight: Decimal, read: Read, tiers: tuple[Tier, ...]) -> Outcome:
    """反向指标 (e.g. cost): weight × min(target / actual, 1); an actual ≤ 0 scores weight."""
    actual, target = _number(read, "actual"), _number(read, "target")
    if target < 0:
        message = f"target is negative ({show(target)})"
        raise EvaluationError(message)
    if actual <= 0:
        return Outcome(weight, f"actual {show(actual)} ≤ 0 → full marks")
    score, explanation = _rate_score(weight, target, actual)
    return Outcome(score, explanation)


def bands(node: Indicator, weight: Decimal, read: Read, tiers: tuple[Tier, ...]) -> Outcome:
    """Stepped bands: the first band from the top whose ``at_least`` the value reaches."""
    value = _number(read, "value")
    for band in node.bands or ():
        if value >= band.at_least:
            return Outcome(
                band.score, f"{show(value)} ≥ {show(band.at_least)} → {show(band.score)}"
            )
    return Outcome(node.otherwise, f"{show(value)} below every band → {show(node.otherwise)}")


def tiers(node: Indicator, weight: Decimal, read: Read, scale: tuple[Tier, ...]) -> Outcome:
    """定性指标: the tier the unit claims, at the points it states or the tier's default."""
    claim = read("fact")
    if isinstance(claim, str):
        claim = TierClaim(tier=claim)
    if not isinstance(claim, TierClaim):
        message = f"expected a tier, found {_found(claim)}"
        raise EvaluationError(message)
    tier = next((tier for tier in scale if claim.tier in tier.names()), None)
    if tier is None:
        message = f"unknown tier {claim.tier!r}"
        raise EvaluationError(message)
    low, high = tier.range
    closing = "]" if high == 1 else ")"
    span = f"{claim.tier} [{percent(low)}, {percent(high)}{closing}"
    if claim.score is None:
        if tier.default is None:
            message = f"tier {tier.label!r} has no default: state the score"
            raise EvaluationError(message)
        score = weight * tier.default
        return Outcome(score, f"{span}, default {percent(tier.default)}")
    with localcontext(DECIMAL_CONTEXT):
        fraction = claim.score / weight
    if not tier.allows(fraction):
        message = f"score {show(claim.score)} is outside tier {span} of {show(weight)}"
        raise EvaluationError(message)
    note = f": {claim.note}" if claim.note else ""
    return Outcome(claim.score, f"{span}, scored {show(claim.score)}{note}")


def boolean(node: Indicator, weight: Decimal, read: Read, tiers: tuple[Tier, ...]) -> Outcome:
    """Yes or no: true scores the weight, false scores ``false_score``."""
    value = read("value")
    if not isinstance(value, bool):
        message = f"value must be true or false, found {_found(value)}"
        raise EvaluationError(message)
    source = node.value.source if node.value else ""
    if value:
        return Outcome(weight, f"{source}: yes")
    return Outcome(node.false_score, f"{source}: no")


def deduct(node: Indicator, weight: Decimal, read: Read, tiers: tuple[Tier, ...]) -> Outcome:
    """扣分制: weight − count × points, floored at 0."""
    count = _number(read, "count")
    if count < 0:
        message = f"count is negative ({show(count)})"
        raise EvaluationError(message)
    assert node.points is not None
    lost = count * node.points
    shown = f"{show(weight)} − {show(count)} × {show(node.points)}"
    if lost >= weight:
        return Outcome(ZERO, f"{shown}, floored at 0")
    return Outcome(weight - lost, shown)


def formula(node: Indicator, weight: Decimal, read: Read, tiers: tuple[Tier, ...]) -> Outcome:
    """A formula giving the points directly; a result outside [0, weight] is an error."""
    value = _number(read, "expr")
    if not ZERO <= value <= weight:
        expr = node.expr.source if node.expr else ""
        message = f"formula {expr!r} gives {show(value)}, outside 0–{show(weight)}"
        raise EvaluationError(message)
    return Outcome(value, f"{node.expr.source if node.expr else ''} = {show(value)}")


METHODS: Mapping[str, Method] = {
    "ratio": ratio,
    "reverse_ratio": reverse_ratio,
    "bands": bands,
    "tiers": tiers,
    "boolean": boolean,
    "deduct": deduct,
    "formula": formula,
}
