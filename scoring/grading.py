"""Grades: the total's band (优/良/中/差 by default), decided on the rounded total."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal


def grade_for(total: Decimal, grades: Mapping[str, Decimal] | None) -> str | None:
    """The grade whose lower bound is the highest one not above ``total``; None when ungraded.

    Lower bounds are inclusive: with 优 at 90, a total of 90.00 is 优 and 89.99 is not.
    """
    if not grades:
        return None
    reached = [(bound, label) for label, bound in grades.items() if bound <= total]
    if not reached:
        return None
    return max(reached)[1]


def next_grade(total: Decimal, grades: Mapping[str, Decimal] | None) -> tuple[str, Decimal] | None:
    """The next grade up and its lower bound, or None at the top grade or when ungraded."""
    above = sorted((bound, label) for label, bound in (grades or {}).items() if bound > total)
    return (above[0][1], above[0][0]) if above else None
