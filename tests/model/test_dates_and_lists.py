"""Date and list facts as people type them (:func:`scoring.model.values.day`, ``listed``)."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from scoring.model.ruleset import FactSpec
from scoring.model.values import UnreadableError, day, listed

LIST = FactSpec(type="list")
ALLOWED = FactSpec(type="list", options=("绩效自评表", "绩效自评报告", "验收报告"), min=1)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2022-12-28", "2022-12-28"),
        (" 2024-02-29 ", "2024-02-29"),
        ("２０２２－１２－２８", "2022-12-28"),  # typed on a Chinese keyboard: NFKC folds it
        ("", None),
    ],
)
def test_dates_are_read_as_their_iso_text(value, expected):
    assert day(value) == expected


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("2022-02-30", "2022-02-30 is no date: 2022-02 has 28 days"),
        ("2023-02-29", "2023-02-29 is no date: 2023-02 has 28 days"),
        ("2022-04-31", "2022-04-31 is no date: 2022-04 has 30 days"),
        ("2022-13-01", "2022-13-01 is no date: there is no month 13"),
        ("0000-01-01", "0000-01-01 is no date: 0-01 has 31 days"),
        (
            "2022/13/01",
            "expected a date written as year-month-day with hyphens, e.g. 2022-12-28, "
            "found '2022/13/01'",
        ),
        (
            "2022-1-5",
            "expected a date written as year-month-day with hyphens, e.g. 2022-12-28, "
            "found '2022-1-5'",
        ),
        (
            44923,
            "expected a date written as 2022-12-28, found the number 44923: in a spreadsheet, "
            "format the cell as a date",
        ),
        (
            Decimal("44923.5"),
            "expected a date written as 2022-12-28, found the number 44923.5: in a spreadsheet, "
            "format the cell as a date",
        ),
        (True, "expected a date written as 2022-12-28, found True"),
    ],
)
def test_impossible_and_other_dates_are_refused_with_how_to_write_them(value, message):
    with pytest.raises(UnreadableError) as raised:
        day(value)
    assert str(raised.value) == message


@given(st.dates(min_value=datetime.date(1, 1, 1)))
def test_every_real_day_reads_as_itself(when):
    assert day(when.isoformat()) == when.isoformat()


@given(st.text(max_size=20))
def test_any_text_is_a_date_or_refused_never_a_crash(text):
    try:
        found = day(text)
    except UnreadableError:
        return
    assert found is None or datetime.date.fromisoformat(found).isoformat() == found


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (["绩效自评表", " 验收报告 "], ("绩效自评表", "验收报告")),
        ([], ()),
        ("绩效自评表；验收报告", ("绩效自评表", "验收报告")),
        ("绩效自评表;验收报告;", ("绩效自评表", "验收报告")),
        ("绩效自评表\n验收报告", ("绩效自评表", "验收报告")),
        ("  ", None),
        ([2021, "二期"], ("2021", "二期")),
    ],
)
def test_lists_from_yaml_and_from_one_cell(value, expected):
    assert listed(value, LIST) == expected


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ([], "0 items listed, fewer than the declared min 1"),
        (["绩效自评表", "绩效自评表"], "'绩效自评表' is listed twice"),
        ("绩效自评表；绩效自评表", "'绩效自评表' is listed twice"),
        (
            ["审计报告"],
            "'审计报告' is not one of the allowed items: 绩效自评表, 绩效自评报告, 验收报告",
        ),
        (["绩效自评表", ""], "item 2 is empty"),
        (["绩效自评表", {"a": 1}], "item 2: expected text, found {'a': 1}"),
        (3, "expected a list of items, found 3"),
    ],
)
def test_bad_lists_are_refused(value, message):
    with pytest.raises(UnreadableError) as raised:
        listed(value, ALLOWED)
    assert str(raised.value) == message


def test_a_list_longer_than_its_max_is_refused():
    with pytest.raises(UnreadableError, match="3 items listed, more than the declared max 2"):
        listed(["a", "b", "c"], FactSpec(type="list", max=2))


def test_allowed_items_fold_full_width_forms_to_the_declared_text():
    spec = FactSpec(type="list", options=("A类项目",))
    assert listed(["Ａ类项目"], spec) == ("A类项目",)
