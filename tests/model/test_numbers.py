"""Numbers as text: ``show`` and ``percent``, on any Decimal the engine can meet."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, localcontext

from hypothesis import given
from hypothesis import strategies as st

from scoring.model.formula import DECIMAL_CONTEXT
from scoring.model.numbers import percent, show

numbers = st.decimals(allow_nan=False, allow_infinity=False, min_value=-(10**30), max_value=10**30)
"""Finite Decimals of any exponent (Hypothesis writes them with up to some forty places)."""


@given(numbers)
def test_show_is_the_number_as_given_or_to_four_places(value: Decimal) -> None:
    text = show(value)
    exponent = value.as_tuple().exponent
    assert isinstance(exponent, int)  # finite
    if exponent >= -4:
        assert text == format(value, "f")
    elif value.adjusted() + 4 < DECIMAL_CONTEXT.prec:
        rounded = value.quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP).normalize()
        assert text == format(rounded, "f")
    else:
        assert text == format(value, "f")


@given(st.decimals(allow_nan=False, allow_infinity=False, min_value=-(10**20), max_value=10**20))
def test_percent_is_the_rate_times_100_to_two_places(rate: Decimal) -> None:
    with localcontext(DECIMAL_CONTEXT):
        hundred = rate * 100
        shown = hundred.quantize(Decimal("0.01")) if hundred.adjusted() + 2 < 28 else hundred
    assert percent(rate) == f"{shown}%"


def test_show_and_percent_in_a_breakdown() -> None:
    assert show(Decimal("12.5")) == "12.5"
    assert show(Decimal("1E+3")) == "1000"
    assert show(Decimal("0.123456")) == "0.1235"
    assert show(Decimal("-0.00")) == "-0.00"
    assert percent(Decimal("0.86754")) == "86.75%"
    assert percent(Decimal("0.86755")) == "86.76%"
