"""What a formula's operators and functions mean: on Decimals, yes/no and text, checked.

Each operator takes only operands of the kinds it is meant for, both of one type; each function
takes numbers. A wrong operand is an EvaluationError that says what was found, never a Python
TypeError.
"""

from __future__ import annotations

import ast
import decimal
import operator
from collections.abc import Callable, Mapping
from decimal import ROUND_HALF_UP, Decimal
from types import MappingProxyType
from typing import Any

from scoring.errors import EvaluationError
from scoring.i18n import _
from scoring.model.formula import ARGUMENTS, DECIMAL_CONTEXT, Value

MAX_EXPONENT = 100
MAX_ROUND_PLACES = 10


def _round(number: Decimal, places: Decimal = Decimal(0)) -> Decimal:
    if places != places.to_integral_value() or not 0 <= places <= MAX_ROUND_PLACES:
        message = _("round() places must be a whole number, 0 to {limit}, not {places}").format(
            limit=MAX_ROUND_PLACES, places=places
        )
        raise EvaluationError(message)
    try:
        return number.quantize(Decimal(1).scaleb(-int(places)), rounding=ROUND_HALF_UP)
    except decimal.InvalidOperation:
        message = _("round() result would have more than {digits} digits").format(
            digits=DECIMAL_CONTEXT.prec
        )
        raise EvaluationError(message) from None


def _clamp(number: Decimal, low: Decimal, high: Decimal) -> Decimal:
    if low > high:
        message = _("clamp() needs low <= high, got {low} > {high}").format(low=low, high=high)
        raise EvaluationError(message)
    return min(max(number, low), high)


FUNCTIONS: Mapping[str, Callable[..., Decimal]] = MappingProxyType({
    "abs": abs, "clamp": _clamp, "round": _round,
    "max": lambda *numbers: max(numbers), "min": lambda *numbers: min(numbers),
})  # fmt: skip
assert FUNCTIONS.keys() == ARGUMENTS.keys(), "a function callable but not checked, or the reverse"


def describe(value: object) -> str:
    """A value's kind, as a message names it: a number, a yes/no value, text."""
    if type(value) is bool:
        return _("a yes/no value")
    if type(value) is str:
        return _("text")
    if type(value) is Decimal:
        return _("a number")
    return type(value).__name__


def _power(base: Decimal, exponent: Decimal) -> Decimal:
    if exponent != exponent.to_integral_value() or abs(exponent) > MAX_EXPONENT:
        message = _("exponent must be a whole number within ±{limit}, not {exponent}").format(
            limit=MAX_EXPONENT, exponent=exponent
        )
        raise EvaluationError(message)
    if base.is_zero() and exponent < 0:
        raise ZeroDivisionError  # decimal quietly gives Infinity here
    return base**exponent


def _typed(symbol: str, apply: Callable[..., Value], kinds: tuple[type, ...] = (Decimal,)) -> Any:
    """Wraps an operator so it takes only operands of one of ``kinds``, both of the same type."""
    divides = symbol in ("/", "//", "%")

    def checked(*operands: Value) -> Value:
        if len(operands) == 2:  # the common case first: two numbers, no zero divisor
            left, right = operands
            if type(left) is type(right) and type(left) in kinds:
                if divides and right.is_zero():  # type: ignore[union-attr]
                    raise ZeroDivisionError
                return apply(left, right)
        wrong = [operand for operand in operands if type(operand) not in kinds]
        if wrong or len({type(operand) for operand in operands}) > 1:
            if wrong:
                message = _("cannot apply {symbol!r} to {found}").format(
                    symbol=symbol, found=describe(wrong[0])
                )
            else:
                message = _("cannot apply {symbol!r} to {left} and {right}").format(
                    symbol=symbol, left=describe(operands[0]), right=describe(operands[1])
                )
            raise EvaluationError(message)
        if divides and operands[1].is_zero():  # type: ignore[union-attr]
            raise ZeroDivisionError
        return apply(*operands)

    return checked


VALUE_TYPES = (Decimal, bool, str)
"""The types a formula's value may have (:data:`~scoring.model.formula.Value`)."""
OPERATORS: dict[type[ast.AST], Callable[..., Value]] = {
    ast.Add: _typed("+", operator.add), ast.Sub: _typed("-", operator.sub),
    ast.Mult: _typed("*", operator.mul), ast.Div: _typed("/", operator.truediv),
    ast.FloorDiv: _typed("//", operator.floordiv), ast.Mod: _typed("%", operator.mod),
    ast.Pow: _typed("**", _power),
    ast.Eq: _typed("==", operator.eq, VALUE_TYPES),
    ast.NotEq: _typed("!=", operator.ne, VALUE_TYPES),
    ast.Lt: _typed("<", operator.lt), ast.LtE: _typed("<=", operator.le),
    ast.Gt: _typed(">", operator.gt), ast.GtE: _typed(">=", operator.ge),
    ast.USub: _typed("-", operator.neg), ast.UAdd: _typed("+", operator.pos),
    ast.Not: _typed("not", operator.not_, (bool,)),
}  # fmt: skip
