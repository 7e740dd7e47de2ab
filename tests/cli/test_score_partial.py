"""`scoring score --partial`: a form in progress scored as far as its facts go, in every format.

Indicators whose facts are blank are 待填, the total counts what is scored, the most the unit can
still reach is shown, and the grade is withheld. Without --partial, blank facts stay an error
that lists every one of them.
"""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl
import pytest

from tests.cli.test_workbook_commands import filled
from tests.helpers import FACTS, REF, invoke

pytestmark = pytest.mark.usefixtures("in_tmp")
BLANKS = {"全年执行数": None, "年内完成拨付": None}  # read by execution, timeliness and cost


@pytest.fixture
def in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return tmp_path


def form(kind: str) -> Path:
    """The worked example with two facts still blank, as a facts file or a filled workbook."""
    if kind == "xlsx":
        path = filled("form.xlsx", **BLANKS)
        Path("template.xlsx").unlink()
        return path
    text = FACTS.read_text(encoding="utf-8")
    text = text.replace("全年执行数: 128 ", "全年执行数:     ").replace(
        "年内完成拨付: true", "年内完成拨付:"
    )
    Path("form.yaml").write_text(text, encoding="utf-8")
    return Path("form.yaml")


@pytest.mark.parametrize("kind", ["yaml", "xlsx"])
def test_without_partial_every_blank_fact_is_an_error(kind):
    path = form(kind)
    result = invoke(["score", str(path)], exit_code=1)
    lines = result.stderr.splitlines()
    assert lines[0] == f"{path}: 2 problems"
    assert [line.split(": ", 1)[1] for line in lines[1:]] == [
        "[execution] 全年执行数: missing (全年执行数, 万元)",
        "[output.timeliness.disbursed] 年内完成拨付: missing (救助资金于12月底前拨付完成)",
    ]


@pytest.mark.parametrize("kind", ["yaml", "xlsx"])
def test_partial_json_gives_the_points_so_far_the_most_reachable_and_no_grade(kind):
    data = json.loads(invoke(["score", str(form(kind)), "--partial", "--json"]).stdout)
    assert (data["partial"], data["grade"], data["total"], data["reachable"]) == (
        True,
        None,
        "66.67",  # 60 of the 90 applicable points (满意度 不适用), rescaled to 100
        "100.00",
    )
    assert data["pending"] == ["execution", "output.timeliness.disbursed", "output.cost.per_person"]
    statuses = {node["path"]: node["status"] for node in data["indicators"]}
    assert statuses["execution"] == "pending"


def test_partial_terminal_breakdown_marks_pending_and_withholds_the_grade():
    out = invoke(["score", str(form("yaml")), "--partial"]).stdout
    execution = next(line for line in out.splitlines() if "│ 预算执行率" in line)
    actual, points, note = (execution.split("│")[index].strip() for index in (4, 5, -2))
    assert (actual, points, note) == ("—", "待填", "待填：全年执行数")
    assert "最高可得 100.00" in out
    assert "待填完后定级" in out
    assert " 优 " not in out


@pytest.mark.parametrize("fmt", ["md", "html"])
def test_partial_reports_say_what_is_pending_and_withhold_the_grade(fmt):
    text = invoke(["score", str(form("yaml")), "--partial", "--format", fmt]).stdout
    assert "待填：全年执行数" in text
    assert "待填：年内完成拨付" in text
    assert "填完后最高可得 100.00" in text
    assert "待填完后定级" in text


def test_partial_workbook_report_marks_pending_rows_and_withholds_the_grade():
    invoke(["score", str(form("xlsx")), "--partial", "-o", "report.xlsx"])
    sheet = openpyxl.load_workbook("report.xlsx")["自评表"]
    rows = [[cell for cell in row if cell is not None] for row in sheet.iter_rows(values_only=True)]
    pending = [row for row in rows if "待填" in row]
    assert [row[-1] for row in pending] == [
        "待填：全年执行数",
        "待填：年内完成拨付",
        "待填：全年执行数",
    ]
    grade = next(row for row in rows if row and row[0] == "等级")
    assert grade == ["等级", "待填完后定级"]
    total = next(row for row in rows if row and row[0] == "总分")
    assert total[2] == 66.67
    assert str(total[3]).startswith(
        "表未填完：3项指标待填，总分为已填部分的得分，填完后最高可得 100.00"
    )


def test_partial_with_nothing_blank_is_an_ordinary_score():
    assert invoke(["score", str(FACTS), "--partial", "--json"]).stdout == (
        invoke(["score", REF, str(FACTS), "--json"]).stdout
    )
