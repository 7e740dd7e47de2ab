"""`scoring review`: findings printed and written, exit codes, a batch, --history, --ruleset-out."""

from __future__ import annotations

import io
import json
import shutil
from pathlib import Path

import openpyxl

from tests.conftest import EXAMPLES
from tests.helpers import invoke, snapshot

YEAR = EXAMPLES / "worked-year"
SUBMITTED = YEAR / "targets-2022-submitted.yaml"
APPROVED = YEAR / "targets-2022.yaml"


def test_findings_print_one_a_line_and_an_error_exits_1():
    result = invoke(["review", str(SUBMITTED)], exit_code=1)
    lines = result.stdout.splitlines()
    assert all(line.startswith(f"{SUBMITTED}:") for line in lines)
    # after the file's place (its path may hold spaces): the level and the check
    after = [line.removeprefix(f"{SUBMITTED}:").split(" ", 3)[1:3] for line in lines]
    assert after == [
        ["错误", "[required_types]"],
        ["警告", "[explanation]"],
        ["错误", "[measurable]"],
        ["错误", "[vague_value]"],
    ]
    assert result.stderr.endswith(
        "1 target table reviewed under mof.project-targets-review@2020.1: 3 errors, 1 warning\n"
    )


def test_a_clean_table_exits_0_and_warnings_alone_do_not_fail(tmp_path: Path):
    assert invoke(["review", str(APPROVED)]).stdout == ""
    table = tmp_path / "t.yaml"
    text = APPROVED.read_text(encoding="utf-8")
    table.write_text(
        text.replace("explanation: 全年执行数除以救助人数，以小额救助为主", "explanation: 人均"),
        encoding="utf-8",
    )
    result = invoke(["review", str(table)])
    assert "警告 [explanation] 人均救助金额" in result.stdout
    assert "0 errors, 1 warning" in result.stderr


def test_json_and_a_workbook_of_findings_for_the_bureau(tmp_path: Path):
    invoke(["review", str(SUBMITTED), "-o", str(tmp_path / "f.json")], exit_code=1)
    document = json.loads((tmp_path / "f.json").read_text(encoding="utf-8"))
    assert (document["errors"], document["warnings"]) == (3, 1)
    assert document["findings"][1] == {
        "rule": "explanation",
        "severity": "warning",
        "where": f"{SUBMITTED}:27:5",
        "target": "人均救助金额",
        "message": "「人均救助金额」没有指标解释",
    }
    invoke(["review", str(SUBMITTED), "-o", str(tmp_path / "f.xlsx")], exit_code=1)
    sheet = openpyxl.load_workbook(io.BytesIO((tmp_path / "f.xlsx").read_bytes()))["审核意见"]
    rows = [[cell.value for cell in row] for row in sheet.iter_rows(min_row=2)]
    assert rows[0] == ["位置", "级别", "规则", "指标", "说明"]
    assert rows[2] == [
        f"{SUBMITTED}:27:5",
        "警告",
        "explanation",
        "人均救助金额",
        "「人均救助金额」没有指标解释",
    ]
    assert len(rows) == 5


def test_a_unit_s_formula_stays_text_in_the_workbook(tmp_path: Path):
    table = tmp_path / "t.yaml"
    text = SUBMITTED.read_text(encoding="utf-8").replace(
        "name: 人均救助金额", "name: '=HYPERLINK(\"x\")'"
    )
    table.write_text(text, encoding="utf-8")
    invoke(["review", str(table), "-o", str(tmp_path / "f.xlsx")], exit_code=1)
    sheet = openpyxl.load_workbook(tmp_path / "f.xlsx")["审核意见"]
    cells = [
        cell
        for row in sheet.iter_rows()
        for cell in row
        if cell.value and "HYPERLINK" in str(cell.value)
    ]
    assert cells
    assert all(cell.data_type == "s" for cell in cells)


def test_a_folder_is_a_batch_and_copied_text_between_units_is_found(tmp_path: Path):
    other = SUBMITTED.read_text(encoding="utf-8").replace(
        "长沙市望城区信访局", "长沙市岳麓区信访局"
    )
    shutil.copy(APPROVED, tmp_path / "a.yaml")
    (tmp_path / "b.yaml").write_text(other, encoding="utf-8")
    (tmp_path / "notes.yaml").write_text("id: x\n", encoding="utf-8")  # not a table: left out
    result = invoke(["review", str(tmp_path)], exit_code=1)
    copied = [line for line in result.stdout.splitlines() if "[copied_text]" in line]
    assert any(
        "a.yaml:7:7: 警告 [copied_text] （整表）: 年度总体目标与长沙市岳麓区信访局的相同" in line
        for line in copied
    )
    assert "2 target tables reviewed" in result.stderr


def test_history_finds_a_target_below_last_year(tmp_path: Path):
    history = tmp_path / "h.yaml"
    history.write_text(
        "history:\n  - {name: 救助生活困难信访群众人数, year: 2021, value: 50}\n", encoding="utf-8"
    )
    result = invoke(["review", str(APPROVED), "--history", str(history)])
    assert (
        "警告 [history] 救助生活困难信访群众人数: 指标值 48 低于上年（2021年）完成值 50"
        in result.stdout
    )


def test_usage_and_unreadable_files_exit_2(tmp_path: Path):
    result = invoke(["review", str(SUBMITTED), "-o", str(tmp_path / "f.csv")], exit_code=2)
    assert "scoring review writes .txt, .json or .xlsx files" in result.stderr
    invoke(["review", str(tmp_path / "missing.yaml")], exit_code=2)
    result = invoke(["review", str(APPROVED), "--rules", "no.such-review"], exit_code=2)
    assert "no ruleset 'no.such-review'" in result.stderr
    result = invoke(["review", str(tmp_path)], exit_code=2)
    assert "no target tables in" in result.stderr


def test_a_scoring_ruleset_is_refused_as_review_rules():
    result = invoke(
        ["review", str(APPROVED), "--rules", "xinfang.wangcheng-relief@2022.1"], exit_code=1
    )
    assert "not a review ruleset" in result.stderr


def test_ruleset_out_writes_the_approved_ruleset_which_scores_the_year(tmp_path: Path):
    out = tmp_path / "ruleset.yaml"
    invoke(["review", str(APPROVED), "--ruleset-out", str(out)])
    facts = tmp_path / "facts.yaml"
    shutil.copy(YEAR / "facts-2022.yaml", facts)
    result = invoke(["score", "--rulesets", str(tmp_path), str(facts), "--json"])
    scored = json.loads(result.stdout)
    assert (scored["total"], scored["grade"]) == ("100.00", "优")


def test_ruleset_out_is_refused_for_a_table_with_errors_and_writes_nothing(tmp_path: Path):
    before = snapshot(tmp_path)
    invoke(["review", str(SUBMITTED), "--ruleset-out", str(tmp_path / "r.yaml")], exit_code=1)
    assert snapshot(tmp_path) == before
    result = invoke(
        ["review", str(SUBMITTED), str(APPROVED), "--ruleset-out", str(tmp_path / "r.yaml")],
        exit_code=2,
    )
    assert "--ruleset-out takes one target table, found 2" in result.stderr


def test_ruleset_out_names_the_row_without_a_weight(tmp_path: Path):
    table = tmp_path / "t.yaml"
    table.write_text(
        APPROVED.read_text(encoding="utf-8").replace(
            " weight: 20,\n     explanation: 全年得到", "\n     explanation: 全年得到"
        ),
        encoding="utf-8",
    )
    result = invoke(["review", str(table), "--ruleset-out", str(tmp_path / "r.yaml")], exit_code=1)
    assert (
        f"{table}:12:5: 「救助生活困难信访群众人数」没有分值（weight），生成规则集需要分值"
        in result.stderr
    )
    assert not (tmp_path / "r.yaml").exists()


def test_rulesets_review_lists_the_review_rulesets_and_score_refuses_them():
    listed = json.loads(invoke(["rulesets", "--review", "--json"]).stdout)
    assert [row["id"] for row in listed] == ["mof.project-targets-review"]
    assert "mof.project-targets-review" not in invoke(["rulesets", "--json"]).stdout
    result = invoke(
        ["score", "mof.project-targets-review", str(EXAMPLES / "xinfang-wangcheng-2022.yaml")],
        exit_code=1,
    )
    assert "is a review ruleset (kind: review)" in result.stderr


def test_lint_and_test_read_review_rulesets_and_skip_target_tables():
    result = invoke(["lint", str(YEAR), "rulesets/review"])
    assert (
        f"note: {APPROVED}: a target table, skipped: check it with scoring review {APPROVED}"
        in result.stderr
    )
    result = invoke(["test", "rulesets/review", str(YEAR)])
    assert result.stderr.endswith("7 tests: 7 passed, 0 failed\n")


def test_the_tables_monitoring_and_examples_are_placed_in_the_table_when_wrong(tmp_path: Path):
    text = APPROVED.read_text(encoding="utf-8")
    table = tmp_path / "t.yaml"
    line = text.splitlines().index("monitoring:") + 2  # the value starts on the next line
    table.write_text(text.replace("output.quantity.aided: {", "output.quantity.aide: {"), "utf-8")
    result = invoke(["review", str(table), "--ruleset-out", str(tmp_path / "r.yaml")], exit_code=1)
    assert f"{table}:{line}:3: " in result.stderr
    assert "output.quantity.aide" in result.stderr
    table.write_text(text.replace("light: 黄灯", "light: 红灯"), "utf-8")
    result = invoke(["review", str(table), "--ruleset-out", str(tmp_path / "r.yaml")], exit_code=1)
    line = text.splitlines().index("tests:") + 2
    assert f"{table}:{line}:3: test '7月监控" in result.stderr
    assert "the project lit 黄灯, expected 红灯" in result.stderr
    assert not (tmp_path / "r.yaml").exists()
