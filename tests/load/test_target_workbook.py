"""The target table workbook: the blank form, filled and read back, each problem at its cell."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from scoring.errors import TargetsError
from scoring.load.review import load_review_ruleset
from scoring.load.targets import load_target_table
from scoring.render.target_workbook import prefilled_rows, render_target_template
from scoring.review import review
from tests.helpers import invoke

RULES = load_review_ruleset("mof.project-targets-review@2020.1").ruleset


def filled(path: Path, head: dict[str, Any], rows: dict[int, tuple[Any, ...]]) -> Path:
    book = openpyxl.load_workbook(io.BytesIO(render_target_template(RULES)))
    sheet = book["绩效目标"]
    for cell, value in head.items():
        sheet[cell] = value
    for row, values in rows.items():
        for column, value in zip("CDEFGHI", values, strict=False):
            sheet[f"{column}{row}"] = value
    book.save(path)
    return path


HEAD = {"B2": "甲局", "B3": "救助", "B4": 2023, "B5": "全年救助不少于300人次"}


def test_the_form_starts_with_a_row_for_each_required_type_and_is_the_same_every_time():
    assert prefilled_rows(RULES)[:4] == [
        ("产出指标", "数量指标"),
        ("产出指标", "质量指标"),
        ("产出指标", "时效指标"),
        ("产出指标", "成本指标"),
    ]
    assert render_target_template(RULES) == render_target_template(RULES)
    sheet = openpyxl.load_workbook(io.BytesIO(render_target_template(RULES)))["绩效目标"]
    assert [cell.value for cell in sheet[9]] == [
        "一级指标",
        "二级指标",
        "三级指标",
        "指标方向",
        "指标值",
        "计量单位",
        "指标解释",
        "分值",
        "数据项",
    ]
    (validation,) = sheet.data_validations.dataValidation
    assert validation.formula1 == '"≥,≤,=,定性"'


def test_a_filled_form_is_reviewed_with_each_finding_at_its_cell(tmp_path: Path):
    path = filled(
        tmp_path / "t.xlsx",
        HEAD,
        {
            10: ("救助人次", "≥", 300, "人次", "全年救助的人次"),
            13: ("人均救助金额", "≥", 3000, "元"),
        },
    )
    table = load_target_table(path)
    assert (table.table.subject.unit, table.table.subject.year) == ("甲局", 2023)
    assert [row.name for row in table.table.targets] == ["救助人次", "人均救助金额"]
    found = {(f.rule, f.where) for f in review(RULES, [table])}
    assert ("direction", f"{path}!绩效目标!D13") in found
    assert ("explanation", f"{path}!绩效目标!A13") in found, "no 指标解释: the row"
    assert ("required_types", f"{path}!绩效目标!A9") in found


def test_a_bad_cell_and_an_unknown_head_row_are_located(tmp_path: Path):
    path = filled(
        tmp_path / "t.xlsx", {**HEAD, "A7": "主管部门", "B7": "x"}, {10: ("人次", ">=", 3, "人")}
    )
    with pytest.raises(TargetsError) as caught:
        load_target_table(path)
    assert [str(issue) for issue in caught.value.issues] == [
        f"{path}!绩效目标!A7: unknown row '主管部门': the rows above the headings are set by the template"
    ]
    path = filled(tmp_path / "u.xlsx", HEAD, {10: ("人次", ">=", 3, "人")})
    with pytest.raises(TargetsError) as caught:
        load_target_table(path)
    assert [str(issue) for issue in caught.value.issues] == [
        f"{path}!绩效目标!D10: direction: expected '≥', '≤', '=' or '定性', found '>='"
    ]


def test_a_workbook_without_the_sheet_or_not_a_workbook_is_refused(tmp_path: Path):
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "审核意见"
    book.save(tmp_path / "other.xlsx")
    with pytest.raises(TargetsError, match="绩效目标"):
        load_target_table(tmp_path / "other.xlsx")
    (tmp_path / "bad.xlsx").write_bytes(b"not a zip")
    with pytest.raises(TargetsError):
        load_target_table(tmp_path / "bad.xlsx")


def test_review_template_writes_the_form_and_reads_a_folder_of_them(tmp_path: Path):
    invoke(["review", "--template", str(tmp_path / "blank.xlsx")])
    assert (tmp_path / "blank.xlsx").read_bytes() == render_target_template(RULES)
    result = invoke(["review", "--template", str(tmp_path / "blank.yaml")], exit_code=2)
    assert "the blank target table is an .xlsx file" in result.stderr
    folder = tmp_path / "tables"
    folder.mkdir()
    filled(folder / "a.xlsx", HEAD, {10: ("救助人次", "≥", 300, "人次", "全年救助的人次")})
    result = invoke(["review", str(folder)], exit_code=1)
    assert f"{folder / 'a.xlsx'}!绩效目标!A9: 错误 [required_types]" in result.stdout
