"""``deadline``: on time is full marks; late loses a step a day or falls into a band of days."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from scoring.engine.score import score
from scoring.errors import RulesetError
from scoring.methods import METHODS
from scoring.methods.spec import Judge, Words
from scoring.model.ruleset import Ruleset
from tests.conftest import facts_from, ruleset_from

HEADER = """\
id: test.deadline
version: "1"
title: t
kind: project
grades: null
total: 10
facts:
  完成时间: {type: date}
  计划完成时间: {type: date}
  n: {min: 0}
indicators:
  - id: leaf
    name: 完成及时性
    weight: 10
    method: deadline
    fact: 完成时间
    due: 计划完成时间
"""
STEP = HEADER + "    step: 1.5\n"
BANDS = (
    HEADER
    + """\
    bands:
      - {at_most: 7, score: 6}
      - {above: 7, at_most: 30, score: 3}
"""
)


def scored(rules: str, done: str, due: str = "2022-12-31") -> tuple[Decimal, str]:
    ruleset = ruleset_from(rules)
    facts = facts_from(f"facts: {{完成时间: {done}, 计划完成时间: {due}}}\n", ruleset)
    leaf = score(ruleset, facts).indicators[0]
    assert leaf.score is not None
    return leaf.score, leaf.explanation


@pytest.mark.parametrize("done", ["2022-12-28", "2022-12-31"])
def test_on_or_before_the_date_due_is_full_marks(done):
    points, said = scored(STEP, done)
    assert points == Decimal("10.00")
    assert said == f"完成时间 {done}，计划 2022-12-31 前：按时完成 → 10.00 / 10"


def test_a_step_a_day_late_counted_across_the_year_end():
    points, said = scored(STEP, "2023-01-03")
    assert points == Decimal("5.50")
    assert said == (
        "完成时间 2023-01-03，计划 2022-12-31 前：逾期 3 天，每天扣 1.5 分，扣 4.5 分 → 5.50 / 10"
    )


def test_a_step_floors_at_zero_and_says_so():
    points, said = scored(STEP, "2023-01-10")
    assert points == Decimal("0.00")
    assert "逾期 10 天，每天扣 1.5 分，扣 15.0 分，扣完为止 → 0.00 / 10" in said


@pytest.mark.parametrize(
    ("done", "expected", "band"),
    [
        ("2023-01-01", "6.00", "逾期 1 天，逾期天数 ≤ 7"),
        ("2023-01-07", "6.00", "逾期 7 天，逾期天数 ≤ 7"),
        ("2023-01-08", "3.00", "逾期 8 天，逾期天数 > 7 且 ≤ 30"),
        ("2023-02-01", "0.00", "逾期 32 天，逾期不得分"),
    ],
)
def test_bands_of_days_late(done, expected, band):
    points, said = scored(BANDS, done)
    assert points == Decimal(expected)
    assert band in said


def test_late_without_step_or_bands_scores_nothing():
    points, said = scored(HEADER, "2023-01-01")
    assert (points, said.split("：")[1]) == (Decimal("0.00"), "逾期 1 天，逾期不得分 → 0.00 / 10")


@given(late=st.integers(min_value=-400, max_value=400))
def test_the_score_stays_within_the_weight_and_never_rises_with_lateness(late):
    due = date(2022, 12, 31)
    done = due + timedelta(days=late)
    later = done + timedelta(days=1)
    for rules in (STEP, BANDS):
        now, _ = scored(rules, done.isoformat())
        then, _ = scored(rules, later.isoformat())
        assert Decimal(0) <= then <= now <= Decimal(10)


def problems(rules: str) -> list[str]:
    with pytest.raises(RulesetError) as raised:
        ruleset_from(rules)
    return [issue.message for issue in raised.value.issues]


def test_checks_refuse_facts_of_another_type_and_both_step_and_bands():
    rules = STEP.replace("due: 计划完成时间", "due: n") + "    bands: [{at_most: 7, score: 6}]\n"
    found = problems(rules)
    assert "fact 'n' is declared type number, method deadline needs type date" in found
    assert "give step (points a day late) or bands (of days late), not both" in found


def test_a_formula_cannot_read_a_date():
    rules = HEADER.replace("    method: deadline\n    fact: 完成时间\n    due: 计划完成时间\n", "")
    rules += "    method: formula\n    expr: 完成时间\n"
    assert "fact '完成时间' is a date: method deadline reads it, a formula cannot" in problems(
        rules
    )


def test_wording_and_gap_name_the_dates():
    ruleset: Ruleset = ruleset_from(STEP)
    leaf = ruleset.indicators[0]
    spec = METHODS["deadline"]
    words = Words(ruleset, Decimal(10), frozenset(), lambda node: "")
    assert spec.wording(leaf, words) == (
        "完成时间不晚于计划完成时间，得满分；逾期每天扣1.5分，扣完为止"
    )
    assert isinstance(spec.gap, Judge)
    why = spec.gap.why(leaf, {"计划完成时间": "2022-12-31"}.get)
    assert why == "deadline: full points when 完成时间 is no later than 2022-12-31"


def test_otherwise_without_bands_and_due_on_another_method_are_refused():
    assert problems(STEP + "    otherwise: 2\n") == [
        "otherwise is the score of days late that no band holds: give bands"
    ]
    rules = HEADER.replace("method: deadline", "method: listed").replace(
        "fact: 完成时间", "fact: l"
    )
    found = problems(rules.replace("  n: {min: 0}", "  l: {type: list}") + "    points: 2\n")
    assert found == ["'due' does not apply to method listed"]
