from decimal import Decimal

import pytest

from scoring.model.grading import grade_for
from scoring.model.ruleset import NATIONAL_GRADES


@pytest.mark.parametrize(
    ("total", "grade"),
    [
        ("100", "优"),
        ("90.00", "优"),
        ("89.99", "良"),
        ("80", "良"),
        ("79.99", "中"),
        ("60", "中"),
        ("59.99", "差"),
        ("0", "差"),
    ],
)
def test_lower_bound_belongs_to_the_higher_grade(total, grade):
    assert grade_for(Decimal(total), NATIONAL_GRADES) == grade


def test_no_grades_means_no_grade():
    assert grade_for(Decimal(95), None) is None
