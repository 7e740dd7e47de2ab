"""Where a number, a band's interval or a formula becomes text for people (the 自评表's words).

Every view and every method formats through here: ``show`` (as given, or 4 places), ``percent``
(2 places, 四舍五入), ``trimmed`` (no trailing zeros), ``interval_text`` and ``formula_text``.
"""

from __future__ import annotations

import functools
import io
import tokenize
from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal

from scoring.model.base import plain
from scoring.model.formula import DECIMAL_CONTEXT
from scoring.model.intervals import Interval
from scoring.model.ruleset import CHECK_NAMES

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
    return interval.words("{low} 且 {high}", "任意值")


def show(value: Decimal) -> str:
    """A number for people: as given, or to 4 decimal places when longer."""
    text = str(value)  # plain unless its exponent is above 0 or it is very small: then "E"
    if "E" not in text and value.is_finite():
        point = text.find(".")
        if point < 0 or len(text) - point <= 5:  # 4 places or fewer: as given
            return text
    exponent = value.as_tuple().exponent
    if isinstance(exponent, int) and exponent < -4 and _fits(value, 4):
        value = value.quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP).normalize()
    return format(value, "f")


def _fits(value: Decimal, places: int) -> bool:
    """Whether rounding ``value`` to ``places`` stays within the context's precision."""
    return value.adjusted() + places < DECIMAL_CONTEXT.prec


def show_beside(value: Decimal, edges: Iterable[Decimal]) -> str:
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


def percent(rate: Decimal) -> str:
    """A rate as a percentage to 2 places, 四舍五入: 0.8675 → ``86.75%``."""
    # the context's own methods: what ``with localcontext(DECIMAL_CONTEXT)`` computes, without
    # entering it for every percentage of every explanation (flags land on a private copy)
    hundred = _PERCENT.multiply(rate, _HUNDRED)
    return f"{_PERCENT.quantize(hundred, _CENT) if _fits(hundred, 2) else hundred}%"


_PERCENT = DECIMAL_CONTEXT.copy()
_HUNDRED = Decimal(100)
_CENT = Decimal("0.01")


def trimmed(value: Decimal) -> str:
    """A number without trailing zeros, as a 评分标准 writes it: ``4.50`` → ``4.5``."""
    return plain(value.normalize())
