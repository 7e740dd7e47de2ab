"""When a ruleset version is in force: dates as written, their order, years, overlaps."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from scoring.model.in_force import Effective, facts_year


def effective(**fields: object) -> Effective:
    return Effective.model_validate(fields)


def test_a_year_is_covered_when_its_31_december_is_in_force():
    rules = effective(**{"from": "2021-07-01", "to": "2022-06-30"})
    assert [rules.covers(year) for year in (2020, 2021, 2022)] == [False, True, False]


def test_an_open_ended_version_covers_every_later_year():
    rules = effective(**{"from": "2023-01-01"})
    assert [rules.covers(year) for year in (2022, 2023, 2040)] == [False, True, True]
    assert rules.period == "from 2023-01-01"
    assert rules.period_zh == "自 2023-01-01 起"


def test_a_fiscal_year_decides_alone():
    rules = effective(**{"from": "2021-01-01", "to": "2022-06-30", "fiscal_year": 2021})
    assert [rules.covers(year) for year in (2021, 2022)] == [True, False]


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"from": "2021/1/1"}, "expected a date written YYYY-MM-DD (2021-01-01), found '2021/1/1'"),
        ({"from": 20210101}, "expected a date written YYYY-MM-DD (2021-01-01), found '20210101'"),
        ({"from": "2021-02-29"}, "'2021-02-29' is not a date on the calendar"),
        ({"from": "2022-01-01", "to": "2021-12-31"}, "from 2022-01-01 is after to 2021-12-31"),
        (
            {"from": "2022-01-01", "fiscal_year": 2021},
            "fiscal_year 2021 lies outside from 2022-01-01",
        ),
    ],
)
def test_dates_that_cannot_be_meant_are_refused(fields, message):
    with pytest.raises(ValidationError, match=message.replace("(", r"\(").replace(")", r"\)")):
        effective(**fields)


def test_a_leap_day_is_a_date():
    assert effective(**{"from": "2024-02-29"}).first.day == 29


@pytest.mark.parametrize(
    ("a", "b", "overlapping"),
    [
        ({"from": "2021-01-01", "to": "2021-12-31"}, {"from": "2022-01-01"}, False),
        ({"from": "2021-01-01", "to": "2021-12-31"}, {"from": "2021-12-31"}, True),
        ({"from": "2021-01-01"}, {"from": "2030-01-01"}, True),
        (
            {"from": "2021-01-01", "to": "2021-06-30", "fiscal_year": 2021},
            {"from": "2021-07-01", "to": "2021-12-31", "fiscal_year": 2021},
            True,
        ),
    ],
)
def test_two_versions_overlap_on_a_shared_date_or_fiscal_year(a, b, overlapping):
    assert effective(**a).overlaps(effective(**b)) is overlapping
    assert effective(**b).overlaps(effective(**a)) is overlapping


@pytest.mark.parametrize(
    ("written", "year"), [("2022", 2022), ("2022年", 2022), ("2022年度", 2022), ("", None)]
)
def test_the_facts_year_is_read_as_written(written, year):
    assert facts_year({"year": written}) == year


def test_no_year_and_a_year_that_is_not_one():
    assert facts_year({"unit": "某局"}) is None
    with pytest.raises(ValueError, match="the facts' year '二〇二二' is not a year like 2022"):
        facts_year({"year": "二〇二二"})
