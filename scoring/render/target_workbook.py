"""The blank target table workbook (绩效目标申报表) departments fill: ``scoring review --template``.

One sheet, 绩效目标: the head rows (单位, 项目, 年度, 年度总体目标, and for ``--ruleset-out`` 规则集
and 继承模板), then the indicator headings and a row for each 二级 type the review ruleset
requires, 指标方向 chosen from a drop-down of ≥ ≤ = 定性. Pure: the same rules, the same bytes.
"""

from __future__ import annotations

from scoring.model.review import DIRECTIONS, ReviewRuleset
from scoring.model.target_form import COLUMNS, HEAD_ROWS, TARGETS_SHEET, TITLE
from scoring.render.safe import write_cell
from scoring.render.sheet import header, set_widths, title, workbook_bytes
from scoring.review.structure import RequiredTypes

BLANK_ROWS = 20
"""Rows below the prefilled ones that take the direction drop-down, for more indicators."""


def prefilled_rows(ruleset: ReviewRuleset) -> list[tuple[str, str]]:
    """The (一级, 二级) rows the form starts with: each 二级 type the ruleset's rules require."""
    rows: list[tuple[str, str]] = []
    for rule in ruleset.rules:
        if rule.check != "required_types":
            continue
        for group in RequiredTypes.model_validate(rule.params).groups:
            rows += [(group.level1, level2) for level2 in (*group.all_of, *group.any_of)]
    return list(dict.fromkeys(rows))


def render_target_template(ruleset: ReviewRuleset) -> bytes:
    """The blank 绩效目标申报表 for the tables reviewed under ``ruleset``."""
    import openpyxl
    from openpyxl.worksheet.datavalidation import DataValidation

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None, "a new workbook has a sheet"
    sheet.title = TARGETS_SHEET
    title(sheet, 1, f"{TITLE}（按 {ruleset.ref} 审核）", len(COLUMNS))
    for offset, (_key, label) in enumerate(HEAD_ROWS, start=2):
        write_cell(sheet, offset, 1, label)
    headings = len(HEAD_ROWS) + 3
    header(sheet, headings, [heading for _key, heading in COLUMNS])
    prefilled = prefilled_rows(ruleset)
    for offset, (level1, level2) in enumerate(prefilled, start=headings + 1):
        write_cell(sheet, offset, 1, level1)
        write_cell(sheet, offset, 2, level2)
    last = headings + len(prefilled) + BLANK_ROWS
    choices = DataValidation(type="list", formula1=f'"{",".join(DIRECTIONS)}"', allow_blank=True)
    choices.add(f"D{headings + 1}:D{last}")
    sheet.add_data_validation(choices)
    set_widths(sheet, (14, 18, 28, 10, 14, 10, 36, 8, 14))
    sheet.freeze_panes = f"A{headings + 1}"
    return workbook_bytes(workbook)
