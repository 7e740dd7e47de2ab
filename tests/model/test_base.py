"""A number in an input: finite, below the largest magnitude, within its decimal places."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from scoring.model.base import MAX_MAGNITUDE, MAX_PLACES, check_number

numbers = st.decimals(allow_nan=False, allow_infinity=False) | st.builds(
    lambda digits, exponent: Decimal(digits).scaleb(exponent),
    st.integers(-(10**12), 10**12),
    st.integers(-30, 30),
)


def _places(value: Decimal) -> int:
    """Its digits after the point, trailing zeros not counted."""
    normal = value.normalize() if value else Decimal(0)
    exponent = normal.as_tuple().exponent
    assert isinstance(exponent, int)
    return max(0, -exponent)


@given(numbers)
def test_a_number_passes_when_its_places_and_magnitude_are_within_the_limits(value: Decimal):
    fits = _places(value) <= MAX_PLACES and (not value or abs(value) < MAX_MAGNITUDE)
    if fits:
        assert check_number(value) is value
    else:
        with pytest.raises(ValueError, match=r"too large|decimal places"):
            check_number(value)


def test_trailing_zeros_are_not_places():
    assert check_number(Decimal("1.5000000000000")) == Decimal("1.5")
    with pytest.raises(ValueError, match="decimal places"):
        check_number(Decimal("0.00000000001"))
