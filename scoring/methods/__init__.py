"""The built-in scoring methods, one small pure function each, looked up by name.

Each takes the indicator, its weight, a ``read`` that evaluates one of the indicator's parameters
(recording what it read), and the tiers in force; it returns the unrounded score, within
[0, weight], and the arithmetic that explains it. Decimal in, Decimal out.
"""

from __future__ import annotations

import functools
import io
import tokenize
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from decimal import ROUND_CEILING, ROUND_FLOOR, ROUND_HALF_UP, Decimal, localcontext

from scoring.errors import DivisionByZeroError, EvaluationError
from scoring.i18n import _
from scoring.model.facts import TierClaim
from scoring.model.formula import DECIMAL_CONTEXT, Value
from scoring.model.intervals import Interval
from scoring.model.ruleset import CHECK_NAMES, Indicator, Tier

Read = Callable[..., Value | TierClaim]
"""``read("actual")`` or ``read("items", 0, "met")``: a parameter's value, recorded."""
ZERO = Decimal(0)


@dataclass(frozen=True)
class Outcome:
    """A leaf's unrounded score and the arithmetic behind it."""

    score: Decimal
    explanation: str
    findings: tuple[tuple[str, str], ...] = ()


Method = Callable[[Indicator, Decimal, Read, tuple[Tier, ...]], Outcome]

FULL_MARKS = "得满分"
FLOORED = "扣完为止"
_FORMULA_WORDS = {
    "not": "非",
    "and": "且",
    "or": "或",
    "True": "是",
    "False": "否",
    "if": "若",
    "else": "否则",
}
"""Python's words in a formula as the 自评表 writes them (none of them can be a fact's name)."""
_FUNCTION_WORDS = {
    "abs": "绝对值",
    "min": "最小值",
    "max": "最大值",
    "round": "四舍五入",
    "clamp": "限定",
}
"""The formula functions, when called (a fact may share a function's name)."""
_CHECK_WORDS = {"actual": "实际", "target": "目标", "value": "取值"}
"""What a check's ``when`` reads besides facts: the indicator's own parameters."""
assert set(_CHECK_WORDS) == CHECK_NAMES
_OPERATORS = {"<=": "≤", ">=": "≥", "!=": "≠", "==": "=", "*": "×", "**": "^"}


@functools.lru_cache(maxsize=4096)  # a ruleset's few formulas, shown again for every unit
def formula_text(source: str, *, check: bool = False) -> str:
    """A formula as the 自评表 shows it: Python's words and operators in Chinese and symbols.

    ``not 存在经费互相挤占`` → ``非 存在经费互相挤占``, ``actual * 1.3 <= target`` (a check's
    condition, with ``check``) → ``实际 × 1.3 ≤ 目标``. Names, numbers and text stay as written.
    """
    line = " ".join(source.split())
    words = {**_FORMULA_WORDS, **(_CHECK_WORDS if check else {})}
    try:
        tokens = [
            token
            for token in tokenize.generate_tokens(io.StringIO(line).readline)
            if token.type not in (tokenize.NEWLINE, tokenize.ENDMARKER)
        ]
    except (tokenize.TokenError, SyntaxError):  # never for a compiled formula; shown as written
        return line
    parts, at = [], 0
    for index, token in enumerate(tokens):
        start, end = token.start[1], token.end[1]
        text = token.string
        following = tokens[index + 1].string if index + 1 < len(tokens) else ""
        if token.type == tokenize.NAME:
            if following == "(" and text in _FUNCTION_WORDS:
                text = _FUNCTION_WORDS[text]
            else:
                text = words.get(text, text)
        elif token.type == tokenize.OP:
            text = _OPERATORS.get(text, text)
        parts += [line[at:start], text]
        at = end
    parts.append(line[at:])
    return "".join(parts)


def interval_text(interval: Interval) -> str:
    """A band's interval in the 自评表's words: ``≥ 0.8 且 < 0.9``."""
    is_point = interval.low is not None and interval.low == interval.high
    if is_point and interval.low_closed and interval.high_closed:
        return f"= {interval.low:f}"
    parts = []
    if interval.low is not None:
        parts.append(f"{'≥' if interval.low_closed else '>'} {interval.low:f}")
    if interval.high is not None:
        parts.append(f"{'≤' if interval.high_closed else '<'} {interval.high:f}")
    return " 且 ".join(parts) or "任意值"


def show(value: Decimal) -> str:
    """A number for people: as given, or to 4 decimal places when longer."""
    exponent = value.as_tuple().exponent
    if isinstance(exponent, int) and exponent < -4 and _fits(value, 4):
        value = value.quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP).normalize()
    return format(value, "f")


def _fits(value: Decimal, places: int) -> bool:
    """Whether rounding ``value`` to ``places`` stays within the context's precision."""
    return value.adjusted() + places < DECIMAL_CONTEXT.prec


def _show_beside(value: Decimal, edges: Iterable[Decimal]) -> str:
    """``show(value)``, with more places when 4 would put it on the other side of an edge.

    0.89999 is shown as 0.89999 beside a band ending below 0.9, never as 0.9.
    """
    edges = tuple(edges)
    shown = show(value)
    for places in range(5, DECIMAL_CONTEXT.prec):
        if all(_side(Decimal(shown), edge) == _side(value, edge) for edge in edges):
            return shown
        if not _fits(value, places):
            break
        rounded = value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
        shown = format(rounded.normalize(), "f")
    return format(value, "f")


def _side(value: Decimal, edge: Decimal) -> int:
    return (value > edge) - (value < edge)


def _found(value: object) -> str:
    """A value as a ruleset's author would write it, for messages."""
    if isinstance(value, bool):
        return _("{value} (a yes/no value)").format(value=str(value).lower())
    if isinstance(value, Decimal):
        return _("the number {value}").format(value=show(value))
    if isinstance(value, TierClaim):
        return _("the tier {tier!r}").format(tier=value.tier)
    return repr(value)


def percent(rate: Decimal) -> str:
    """A rate as a percentage to 2 places, 四舍五入: 0.8675 → ``86.75%``."""
    with localcontext(DECIMAL_CONTEXT):
        hundred = rate * 100
        return f"{hundred.quantize(Decimal('0.01')) if _fits(hundred, 2) else hundred}%"


def _number(read: Read, *field: str | int, what: str | None = None) -> Decimal:
    value = read(*field)
    if isinstance(value, bool) or not isinstance(value, Decimal):
        message = _("{what} must be a number, found {found}").format(
            what=what or field[-1], found=_found(value)
        )
        raise EvaluationError(message)
    return value


def _not_negative(value: Decimal, what: str) -> Decimal:
    if value < 0:
        message = _("{what} is negative ({value}): an input error").format(
            what=what, value=show(value)
        )
        raise EvaluationError(message)
    return value


def _actual_and_target(read: Read) -> tuple[Decimal, Decimal]:
    actual = _not_negative(_number(read, "actual"), "actual")
    return actual, _not_negative(_number(read, "target"), "target")


def _rate_score(weight: Decimal, numerator: Decimal, denominator: Decimal) -> tuple[Decimal, str]:
    rate = numerator / denominator
    shown = f"{show(numerator)} / {show(denominator)} = {percent(rate)}"
    if numerator > denominator:
        return weight, f"{shown}，最高按100%计"
    # multiply before dividing: 3 × 1 / 3 is exactly 1, 3 × (1 / 3) is 0.999…
    return weight * numerator / denominator, shown


def _zero_target(node: Indicator, weight: Decimal) -> Outcome:
    if node.on_zero_target == "full":
        return Outcome(weight, f"目标值为0，按规定{FULL_MARKS} → {show(weight)}")
    if node.on_zero_target == "zero":
        return Outcome(ZERO, "目标值为0，按规定不得分 → 0")
    message = _("target is 0 ({formula}): set on_zero_target").format(
        formula=node.target.source if node.target else ""
    )
    raise DivisionByZeroError(message)


def ratio(node: Indicator, weight: Decimal, read: Read, tiers: tuple[Tier, ...]) -> Outcome:
    """正向指标: weight × min(actual / target, 1)."""
    actual, target = _actual_and_target(read)
    if target == 0:
        return _zero_target(node, weight)
    score, explanation = _rate_score(weight, actual, target)
    return Outcome(score, explanation)


def reverse_ratio(node: Indicator, weight: Decimal, read: Read, tiers: tuple[Tier, ...]) -> Outcome:
    """反向指标 (e.g. cost): weight × min(target / actual, 1); an actual of 0 scores weight."""
    actual, target = _actual_and_target(read)
    if actual == 0:
        return Outcome(weight, f"实际值为0 → {FULL_MARKS}")
    score, explanation = _rate_score(weight, target, actual)
    return Outcome(score, explanation)


def reverse_linear(
    node: Indicator, weight: Decimal, read: Read, tiers: tuple[Tier, ...]
) -> Outcome:
    """反向指标, linear: full marks up to the target, falling to 0 at twice the target."""
    actual, target = _actual_and_target(read)
    shown_actual = _show_beside(actual, (target, 2 * target))
    if actual <= target:
        return Outcome(weight, f"{shown_actual} ≤ {show(target)} → {FULL_MARKS}")
    if target == 0:
        return Outcome(ZERO, f"{shown_actual} > 目标值0 → 0")
    fraction = 2 - actual / target
    shown = f"1 − ({shown_actual} − {show(target)}) / {show(target)} = {percent(fraction)}"
    if fraction < 0:
        return Outcome(ZERO, f"{shown}，最低按0计")
    return Outcome(weight * (2 * target - actual) / target, shown)


def equal(node: Indicator, weight: Decimal, read: Read, tiers: tuple[Tier, ...]) -> Outcome:
    """等于: the weight when actual equals target (within ``tolerance``), else 0."""
    actual, target = _actual_and_target(read)
    tolerance = node.tolerance or ZERO
    within = f"（允许误差 {show(tolerance)}）" if tolerance else ""
    shown = _show_beside(actual, (target - tolerance, target + tolerance))
    if abs(actual - target) <= tolerance:
        return Outcome(weight, f"{shown} = {show(target)}{within}：达标")
    return Outcome(ZERO, f"{shown} ≠ {show(target)}{within}：未达标")


def bands(node: Indicator, weight: Decimal, read: Read, tiers: tuple[Tier, ...]) -> Outcome:
    """Stepped bands: the first band whose interval holds the value (the only one, if unique)."""
    value = _number(read, "value")
    edges = [
        end
        for band in node.bands or ()
        for end in (band.interval.low, band.interval.high)
        if end is not None
    ]
    shown = _show_beside(value, edges)
    for band in node.bands or ():
        if band.interval.contains(value):
            interval = interval_text(band.interval)
            return Outcome(band.score, f"{shown} {interval} → {show(band.score)}")
    return Outcome(node.otherwise, f"{shown} 不在所列区间内 → {show(node.otherwise)}")


def threshold(node: Indicator, weight: Decimal, read: Read, tiers: tuple[Tier, ...]) -> Outcome:
    """Full marks within a limit; beyond it, ``points`` off per ``step``, floored at 0."""
    value = _number(read, "value")
    assert node.step is not None
    assert node.points is not None
    if node.at_most is not None:
        limit, excess, rule, side = node.at_most, value - node.at_most, "≤", "超过"
    else:
        assert node.at_least is not None
        limit, excess, rule, side = node.at_least, node.at_least - value, "≥", "低于"
    shown_value = _show_beside(value, (limit,))
    if excess <= 0:
        return Outcome(weight, f"{shown_value} {rule} {show(limit)} → {FULL_MARKS}")
    steps = excess / node.step
    counted = f"{show(steps)} × {show(node.step)}"
    if node.steps in ("whole", "started"):
        rounding = ROUND_FLOOR if node.steps == "whole" else ROUND_CEILING
        steps = steps.to_integral_value(rounding=rounding)
        how = "不足一档的不扣" if node.steps == "whole" else "不足一档的按一档计"
        counted += f"，按 {show(steps)} 档计（{how}）"
        lost = steps * node.points
    else:  # proportional; multiplying first keeps 0.02 × 3 / 0.03 exactly 2
        lost = excess * node.points / node.step
    shown = (
        f"{shown_value} {side} {show(limit)}，相差 {_show_beside(excess, (ZERO,))} = {counted}；"
        f"扣分 {show(steps)} × {show(node.points)} = {show(lost)}"
    )
    if lost >= weight:
        return Outcome(ZERO, f"{shown}，{FLOORED}")
    return Outcome(weight - lost, shown)


def tiers(node: Indicator, weight: Decimal, read: Read, scale: tuple[Tier, ...]) -> Outcome:
    """定性指标: the tier the unit claims, at the points it states or the tier's default."""
    claim = read("fact")
    if isinstance(claim, str):
        claim = TierClaim(tier=claim)
    if not isinstance(claim, TierClaim):
        message = _("expected a tier, found {found}").format(found=_found(claim))
        raise EvaluationError(message)
    tier = next((tier for tier in scale if claim.tier in tier.names()), None)
    if tier is None:
        message = _("unknown tier {tier!r}").format(tier=claim.tier)
        raise EvaluationError(message)
    low, high = tier.range
    closing = "]" if high == 1 else ")"
    span = f"{claim.tier} [{percent(low)}, {percent(high)}{closing}"
    if claim.score is None:
        if tier.default is None:
            message = _("tier {tier!r} has no default: state the score").format(tier=tier.label)
            raise EvaluationError(message)
        score = weight * tier.default
        return Outcome(score, f"{span}，得分未填报，按默认值{percent(tier.default)}计")
    with localcontext(DECIMAL_CONTEXT):
        fraction = claim.score / weight
    if not tier.allows(fraction):
        message = _("score {score} is outside tier {span} of {weight}").format(
            score=show(claim.score), span=span, weight=show(weight)
        )
        raise EvaluationError(message)
    note = f"：{claim.note}" if claim.note else ""
    return Outcome(claim.score, f"{span}，填报得分 {show(claim.score)}{note}")


def boolean(node: Indicator, weight: Decimal, read: Read, tiers: tuple[Tier, ...]) -> Outcome:
    """Yes or no: true scores the weight, false scores ``false_score``."""
    value = _boolean(read, "value")
    source = formula_text(node.value.source) if node.value else ""
    return Outcome(weight if value else node.false_score, f"{source}：{'是' if value else '否'}")


def _boolean(read: Read, *field: str | int, what: str | None = None) -> bool:
    value = read(*field)
    if not isinstance(value, bool):
        message = _("{what} must be true or false, found {found}").format(
            what=what or field[-1], found=_found(value)
        )
        raise EvaluationError(message)
    return value


def _count(read: Read, *field: str | int, what: str | None = None) -> Decimal:
    return _not_negative(_number(read, *field, what=what), what or str(field[-1]))


def deduct(node: Indicator, weight: Decimal, read: Read, tiers: tuple[Tier, ...]) -> Outcome:
    """扣分制: weight − Σ count × points (each named item, or one count), floored at 0."""
    if node.items is None:
        assert node.points is not None
        count = _count(read, "count")
        lost = count * node.points
        shown = f"{show(weight)} − {show(count)} × {show(node.points)}"
    else:
        lost, lines = ZERO, []
        for index, item in enumerate(node.items):
            what = _("count of {item}").format(item=item.name)
            count = _count(read, "items", index, "count", what=what)
            if count:
                lost += count * item.points
                lines.append(f"{item.name} {show(count)} × {show(item.points)}")
        shown = f"{show(weight)} − ({'；'.join(lines)})" if lines else "无扣分"
    if lost >= weight:
        return Outcome(ZERO, f"{shown}，{FLOORED}")
    return Outcome(weight - lost, shown)


def checklist(node: Indicator, weight: Decimal, read: Read, tiers: tuple[Tier, ...]) -> Outcome:
    """Additive checklist (①…②…): each item met earns its points."""
    earned, lines = ZERO, []
    for index, item in enumerate(node.items or ()):
        what = _("met of {item}").format(item=item.name)
        met = _boolean(read, "items", index, "met", what=what)
        earned += item.points if met else ZERO
        lines.append(f"{'✓' if met else '✗'} {item.name} {show(item.points if met else ZERO)}")
    return Outcome(earned, "；".join(lines))


def cases(node: Indicator, weight: Decimal, read: Read, tiers: tuple[Tier, ...]) -> Outcome:
    """Categorical: the first case whose condition holds gives its score."""
    for index, case in enumerate(node.cases or ()):
        name = case.name or case.when.source
        what = _("when of case {number} ({name})").format(number=index + 1, name=name)
        if _boolean(read, "cases", index, "when", what=what):
            shown = case.name or formula_text(case.when.source)
            return Outcome(case.score, f"{shown} → {show(case.score)}")
    return Outcome(node.otherwise, f"不属于所列情形 → {show(node.otherwise)}")


def choice(node: Indicator, weight: Decimal, read: Read, tiers: tuple[Tier, ...]) -> Outcome:
    """Categorical, as the unit states it: the chosen option's score."""
    chosen = read("fact")
    options = node.options or {}
    if not isinstance(chosen, str) or chosen not in options:
        message = _("expected one of {options}, found {found}").format(
            options=_(", ").join(options), found=_found(chosen)
        )
        raise EvaluationError(message)
    return Outcome(options[chosen], f"{chosen} → {show(options[chosen])}")


def weighted_average(
    node: Indicator, weight: Decimal, read: Read, tiers: tuple[Tier, ...]
) -> Outcome:
    """Sub-scores out of 100, averaged by their shares, as a fraction of the weight."""
    parts = node.parts or ()
    total_share = sum((part.share for part in parts), ZERO)
    weighted, lines = ZERO, []
    for index, part in enumerate(parts):
        what = _("value of {part}").format(part=part.name)
        value = _number(read, "parts", index, "value", what=what)
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


def formula(node: Indicator, weight: Decimal, read: Read, tiers: tuple[Tier, ...]) -> Outcome:
    """A formula giving the points directly; a result outside [0, weight] is an error."""
    value = _number(read, "expr")
    if not ZERO <= value <= weight:
        expr = node.expr.source if node.expr else ""
        message = _("formula {formula!r} gives {value}, outside 0–{weight}").format(
            formula=expr, value=show(value), weight=show(weight)
        )
        raise EvaluationError(message)
    return Outcome(value, f"{formula_text(node.expr.source) if node.expr else ''} = {show(value)}")


METHODS: Mapping[str, Method] = {
    "ratio": ratio,
    "reverse_ratio": reverse_ratio,
    "reverse_linear": reverse_linear,
    "equal": equal,
    "bands": bands,
    "threshold": threshold,
    "tiers": tiers,
    "boolean": boolean,
    "deduct": deduct,
    "checklist": checklist,
    "cases": cases,
    "choice": choice,
    "weighted_average": weighted_average,
    "formula": formula,
}
"""Every method but ``either``, which the engine resolves to one of its alternatives."""
