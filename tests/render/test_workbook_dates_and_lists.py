"""The facts workbook's date cells and list cells: written with their rules, read back as facts."""

from __future__ import annotations

import datetime

import pytest

from scoring.errors import FactsError
from scoring.load.workbook import parse_facts_workbook
from scoring.render.workbook import render_template_xlsx
from tests.conftest import ruleset_from
from tests.render.test_workbook import book, fill, key_rows, validations

RULES = """\
id: test.dates
version: "1"
title: t
kind: project
grades: null
total: 10
facts:
  完成时间: {label: 实际完成时间, type: date}
  计划完成时间: {label: 计划完成时间, type: date}
  附件: {label: 已报送的附件, type: list, min: 1, options: [自评表, 自评报告]}
indicators:
  - {id: on_time, name: 完成及时性, weight: 5, method: deadline, fact: 完成时间, due: 计划完成时间}
  - {id: files, name: 资料完整性, weight: 5, method: listed, fact: 附件, points: 2.5}
"""


@pytest.fixture
def template() -> bytes:
    return render_template_xlsx(ruleset_from(RULES))


def test_a_date_cell_is_formatted_and_validated_as_a_date(template):
    sheet = book(template)["facts"]
    row = key_rows(sheet)["完成时间"]
    cell = sheet.cell(row, 3)
    assert cell.number_format == "yyyy-mm-dd"
    rule = validations(sheet)[cell.coordinate]
    assert (rule.type, rule.operator, rule.formula1, rule.formula2) == (
        "date",
        "between",
        "1",
        "2958465",
    )
    assert "日期，如 2022-12-28" in sheet.cell(row, 6).value


def test_a_list_cell_is_text_and_says_how_to_separate_items(template):
    sheet = book(template)["facts"]
    row = key_rows(sheet)["附件"]
    assert sheet.cell(row, 3).number_format == "@"
    assert sheet.cell(row, 5).value == "≥ 1"
    hint = sheet.cell(row, 6).value
    assert "用分号（；）隔开或换行（Alt+Enter），限：自评表、自评报告" in hint


def test_date_cells_and_text_read_back_as_days_and_a_cell_of_items_as_a_list(template):
    filled = fill(
        template,
        {
            "完成时间": datetime.datetime(2023, 1, 3),
            "计划完成时间": "2022-12-31",
            "附件": "自评表\n自评报告",
        },
    )
    facts = parse_facts_workbook(filled, "filled.xlsx", ruleset_from(RULES))
    assert facts.facts == {
        "完成时间": "2023-01-03",
        "计划完成时间": "2022-12-31",
        "附件": ("自评表", "自评报告"),
    }


def test_a_date_typed_another_way_or_a_duplicated_item_is_named_by_its_cell(template):
    sheet = book(template)["facts"]
    rows = key_rows(sheet)
    filled = fill(
        template,
        {"完成时间": "2023/1/3", "计划完成时间": "2022-02-30", "附件": "自评表；自评表"},
    )
    with pytest.raises(FactsError) as raised:
        parse_facts_workbook(filled, "filled.xlsx", ruleset_from(RULES))
    assert [str(issue) for issue in raised.value.issues] == [
        f"filled.xlsx!facts!C{rows['完成时间']}: [on_time] 完成时间: expected a date written as "
        "year-month-day with hyphens, e.g. 2022-12-28, found '2023/1/3'",
        f"filled.xlsx!facts!C{rows['计划完成时间']}: [on_time] 计划完成时间: 2022-02-30 is no "
        "date: 2022-02 has 28 days",
        f"filled.xlsx!facts!C{rows['附件']}: [files] 附件: '自评表' is listed twice",
    ]
