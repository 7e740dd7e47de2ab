"""The facts template's 专家评分 sheet: written for a ruleset with a panel, read back as its panel."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from scoring.render.workbook import render_template_xlsx
from tests.conftest import ruleset_from
from tests.helpers import invoke
from tests.load.test_panel import FACTS, RULES
from tests.load.test_panel_workbook import PANEL


def _sheets(rules: str) -> Any:
    return openpyxl.load_workbook(io.BytesIO(render_template_xlsx(ruleset_from(rules))))


def _experts(rules: str) -> int:
    panel = ruleset_from(rules).panel
    assert panel is not None
    return panel.expert_columns


def _result(*args: str) -> dict[str, Any]:
    result: dict[str, Any] = json.loads(invoke(["score", "r.yaml", *args, "--json"]).stdout)
    return result


def test_the_template_of_a_panel_ruleset_scores_as_the_facts_files_panel_once_filled(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    monkeypatch.chdir(tmp_path)
    Path("r.yaml").write_text(RULES, encoding="utf-8")
    Path("f.yaml").write_text(FACTS + PANEL, encoding="utf-8")
    invoke(["template", "r.yaml", "--format", "xlsx", "-o", "template.xlsx"])
    workbook = openpyxl.load_workbook("template.xlsx")
    facts = workbook["facts"]
    rows = {str(row[0].value): row[0].row for row in facts.iter_rows() if row[0].value}
    given: dict[str, str | int] = {"有制度": "是", "管理": "好", "管理.score": 9}
    for key, value in given.items():
        facts.cell(rows[key], 3).value = value
    panel = workbook["专家评分"]
    named = {str(row[0].value): row[0].row or 0 for row in panel.iter_rows(min_row=2)}
    assert list(named) == ["甲", "乙", "丙"]  # every leaf, by its unique name
    panel.cell(1, 2).value = "张三"  # an expert's own name over 专家1
    panels: dict[str, list[float]] = {"甲": [6, 7, 8], "乙": [9, 2, 8, 8.5, 10]}
    for name, scores in panels.items():
        for column, score in enumerate(scores, start=2):
            panel.cell(named[name], column).value = score
    workbook.save("filled.xlsx")  # 丙 left blank: the panel does not score it
    from_sheet, from_file = _result("filled.xlsx"), _result("f.yaml")
    assert from_sheet["total"] == from_file["total"] == "24.50"
    sheet_panels = {k: v["panel"]["scores"] for k, v in from_sheet["facts"]["overrides"].items()}
    assert sheet_panels["a"][0] == {"name": "张三", "score": "6"}
    assert [entry["score"] for entry in sheet_panels["g.b"]] == ["9", "2", "8", "8.5", "10"]
    assert set(sheet_panels) == set(from_file["facts"]["overrides"]) == {"a", "g.b"}


def test_the_sheet_has_the_largest_min_size_of_expert_columns_each_checked_within_its_weight():
    sheet = _sheets(RULES)["专家评分"]
    header = [cell.value for cell in sheet[1]]
    assert header == ["三级指标", "专家1", "专家2", "专家3", "专家4", "专家5"]
    checks = {
        str(v.sqref): (v.type, v.formula1, v.formula2)
        for v in sheet.data_validations.dataValidation
    }
    assert checks == {"B2:F2 B3:F3 B4:F4": ("decimal", "0", "10")}
    assert sheet.protection.sheet
    assert not sheet.cell(2, 2).protection.locked
    assert sheet.cell(2, 1).protection.locked


def test_a_declared_number_of_experts_and_each_weight_its_own_check():
    rules = (
        RULES.replace("  spread: 2\n", "  spread: 2\n  experts: 7\n")
        .replace("{id: a, name: 甲, weight: 10,", "{id: a, name: 甲, weight: 2.5,")
        .replace("total: 30", "total: 22.5")
        .replace("{优: 25, 良: 20, 中: 15, 差: 0}", "{优: 20, 良: 15, 中: 10, 差: 0}")
    )
    sheet = _sheets(rules)["专家评分"]
    assert [cell.value for cell in sheet[1]][-1] == "专家7"
    assert len(sheet[1]) == 8
    checks = {str(v.sqref): v.formula2 for v in sheet.data_validations.dataValidation}
    assert checks == {"B2:H2": "2.5", "B3:H3 B4:H4": "10"}
    assert _experts(rules) == 7


def test_a_ruleset_without_a_panel_has_no_expert_sheet():
    start = RULES.index("panel:")
    end = RULES.index("indicators:\n  - {id: a")
    assert "专家评分" not in _sheets(RULES[:start] + RULES[end:]).sheetnames


def test_without_a_declared_number_five_columns_unless_a_min_size_asks_for_more():
    assert _experts(RULES.replace("min_size: 5", "min_size: 6")) == 6
    assert _experts(RULES.replace("min_size: 5", "min_size: 3")) == 5
