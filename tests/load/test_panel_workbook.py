"""A filled workbook's 专家评分 sheet: the panel of a facts file, each score at its cell."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from tests.helpers import invoke
from tests.load.test_panel import FACTS, RULES

PANEL = "panel:\n  a: {专家1: 6, 专家2: 7, 专家3: 8}\n  g.b: {专家1: 9, 专家2: 2, 专家3: 8, 专家4: 8.5, 专家5: 10}\n"


@pytest.fixture
def here(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "r.yaml").write_text(RULES, encoding="utf-8")
    invoke(["template", "r.yaml", "--format", "xlsx", "-o", "template.xlsx"])
    return tmp_path


def _filled(rows: list[list[Any]]) -> Path:
    """The template filled with FACTS, and a 专家评分 sheet of ``rows``."""
    workbook = openpyxl.load_workbook("template.xlsx")
    sheet = workbook["facts"]
    names = {str(row[0].value): row[0].row for row in sheet.iter_rows() if row[0].value}
    given: dict[str, str | int] = {"有制度": "是", "管理": "好", "管理.score": 9}
    for key, value in given.items():
        sheet.cell(names[key], 3).value = value
    panel = workbook["专家评分"]  # the template's, written over
    panel.delete_rows(1, panel.max_row)
    for number, row in enumerate(rows, start=1):
        for column, value in enumerate(row, start=1):
            panel.cell(number, column).value = value
    workbook.save("filled.xlsx")
    return Path("filled.xlsx")


def _result(*args: str) -> dict[str, Any]:
    output = invoke(["score", "r.yaml", *args, "--format", "json"]).stdout
    result: dict[str, Any] = json.loads(output)
    return result


def test_the_sheet_scores_as_the_facts_files_panel(here):
    (here / "f.yaml").write_text(FACTS + PANEL, encoding="utf-8")
    _filled(
        [
            ["三级指标", "专家1", "专家2", "专家3", "专家4", "专家5"],
            ["甲", 6, 7, 8],  # the indicator's name, unique among the leaves
            ["g.b", 9, 2, 8, 8.5, 10],  # or its path
        ]
    )
    from_sheet, from_file = _result("filled.xlsx"), _result("f.yaml")
    assert from_sheet["total"] == from_file["total"] == "24.50"
    assert from_sheet["facts"]["overrides"] == from_file["facts"]["overrides"]


def test_a_score_above_its_weight_is_named_by_its_cell(here):
    _filled([["三级指标", "专家1", "专家2", "专家3"], ["甲", 6, 12, 8], ["乙", None, 3]])
    result = invoke(["score", "r.yaml", "filled.xlsx"], exit_code=1)
    assert result.stderr.splitlines() == [
        "filled.xlsx: 2 problems",
        "filled.xlsx!专家评分!C2: [a] 专家2: score 12 is outside 0–10 (the indicator's 分值)",
        "filled.xlsx!专家评分!A3: [g.b] panel: 1 assessors, fewer than the 5 the ruleset's "
        "panel asks for, and no fallback is declared",
    ]


def test_a_score_under_no_expert_is_refused(here):
    _filled([["三级指标", "专家1"], ["甲", 6, 7]])
    result = invoke(["score", "r.yaml", "filled.xlsx"], exit_code=1)
    assert "filled.xlsx!专家评分!C2: a score with no expert or no indicator heading it (7)" in (
        result.stderr
    )
