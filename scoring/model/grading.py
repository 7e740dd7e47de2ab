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
