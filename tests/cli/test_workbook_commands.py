"""Workbooks on the command line: `template --format xlsx`, `score FILLED.xlsx`, `score --format`."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from scoring import render as renderers
from scoring.render import render_json, render_text
from tests.helpers import FACTS, REF, RULESET, invoke, temporaries
from tests.render.test_workbook import WANGCHENG_VALUES, key_rows

pytestmark = pytest.mark.usefixtures("in_tmp")


@pytest.fixture
def in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return tmp_path


def book(path: Path) -> Any:
    return openpyxl.load_workbook(io.BytesIO(path.read_bytes()))


def filled(name: str = "filled.xlsx", **changes: Any) -> Path:
    """The template of the worked example, filled in with its figures (and any changes)."""
    invoke(["template", REF, "--format", "xlsx", "-o", "template.xlsx"])
    workbook = book(Path("template.xlsx"))
    sheet = workbook["facts"]
    rows = key_rows(sheet)
    for key, value in {**WANGCHENG_VALUES, **changes}.items():
        sheet.cell(rows[key], 3).value = value
    workbook.save(name)
    return Path(name)


# --- template --format xlsx -----------------------------------------------------------------


def test_template_writes_a_workbook_to_fill_in():
    result = invoke(["template", REF, "--format", "xlsx", "-o", "t.xlsx"])
    assert result.stderr == "wrote t.xlsx\n"
    workbook = book(Path("t.xlsx"))
    assert workbook.sheetnames == ["facts", "indicators"]
    assert "全年执行数" in key_rows(workbook["facts"])
    assert temporaries(Path.cwd()) == []


def test_template_to_an_xlsx_file_is_a_workbook_without_format():
    invoke(["template", REF, "-o", "t.xlsx"])
    invoke(["template", REF, "--format", "xlsx", "-o", "u.xlsx"])
    assert Path("t.xlsx").read_bytes() == Path("u.xlsx").read_bytes()


def test_template_workbook_needs_an_output_file():
    result = invoke(["template", REF, "--format", "xlsx"], exit_code=2)
    assert result.stdout == ""
    assert result.stderr == (
        "error: --format xlsx writes a workbook: give -o FILE.xlsx (not a terminal)\n"
    )


def test_template_yaml_is_still_the_default():
    assert invoke(["template", REF]).stdout == invoke(["template", REF, "--format", "yaml"]).stdout
    assert invoke(["template", REF]).stdout.startswith("# Facts for ")


def test_template_refuses_an_unknown_format():
    result = invoke(["template", REF, "--format", "pdf"], exit_code=2)
    assert "Invalid value for '--format'" in result.stderr
    assert not Path("pdf").exists()


# --- score FILLED.xlsx ----------------------------------------------------------------------


def test_a_filled_workbook_scores_like_the_facts_file():
    workbook = filled()
    from_workbook = invoke(["score", RULESET, workbook, "--json"]).stdout
    from_yaml = invoke(["score", RULESET, FACTS, "--json"]).stdout
    assert from_workbook == from_yaml
    assert json.loads(from_workbook)["total"] == "100.00"


def test_a_filled_workbook_names_its_ruleset():
    workbook = filled()
    result = invoke(["score", workbook])
    assert "100.00" in result.stdout
    assert result.stderr == ""


def test_a_bad_cell_is_named_by_its_sheet_and_cell():
    workbook = filled(全年执行数="一百")
    result = invoke(["score", RULESET, workbook], exit_code=1)
    assert result.stderr == (
        "filled.xlsx!facts!C13: [execution] 全年执行数: expected a number, found text '一百': "
        "write digits only in 万元, e.g. 1280 or 52.05 (a comma only between groups of three)\n"
    )


def test_a_workbook_given_before_the_ruleset_is_refused():
    workbook = filled()
    result = invoke(["score", workbook, RULESET], exit_code=1)
    assert result.stderr.startswith(
        "filled.xlsx:1:1: filled.xlsx is a facts workbook, not a ruleset: give the ruleset first"
    )


def test_a_workbook_that_names_an_unknown_ruleset_is_refused_at_its_cell():
    workbook = book(filled())
    sheet = workbook["facts"]
    sheet.protection.sheet = False
    sheet.cell(key_rows(sheet)["ruleset"], 3, "no.such@1")
    workbook.save("other.xlsx")
    result = invoke(["score", "other.xlsx"], exit_code=2)  # nothing to score it against
    assert result.stderr.startswith("other.xlsx!facts!C5: ruleset: ")
    assert "no.such" in result.stderr


def test_a_file_that_is_not_a_workbook_is_refused():
    Path("broken.xlsx").write_bytes(b"not a zip")
    result = invoke(["score", RULESET, "broken.xlsx"], exit_code=1)
    assert result.stderr.startswith("broken.xlsx:1:1: not an XLSX workbook")


# --- score --format -------------------------------------------------------------------------


def test_score_writes_the_self_evaluation_table_as_a_workbook():
    result = invoke(["score", RULESET, FACTS, "--format", "xlsx", "-o", "report.xlsx"])
    assert result.stdout == ""
    assert result.stderr == "wrote report.xlsx\n"
    sheet = book(Path("report.xlsx"))["自评表"]
    totals = {row[0].value: row[6].value for row in sheet.iter_rows() if row[0].value}
    assert (totals["总分"], totals["等级"]) == (100, "优")
    first = Path("report.xlsx").read_bytes()
    invoke(["score", RULESET, FACTS, "-o", "report.xlsx"])  # the suffix says xlsx
    assert Path("report.xlsx").read_bytes() == first
    assert temporaries(Path.cwd()) == []


def test_score_from_a_workbook_to_a_workbook():
    workbook = filled()
    invoke(["score", workbook, "--format", "xlsx", "-o", "report.xlsx"])
    invoke(["score", RULESET, FACTS, "--format", "xlsx", "-o", "from-yaml.xlsx"])
    assert Path("report.xlsx").read_bytes() == Path("from-yaml.xlsx").read_bytes()


def test_score_xlsx_needs_an_output_file():
    result = invoke(["score", RULESET, FACTS, "--format", "xlsx"], exit_code=2)
    assert result.stdout == ""
    assert result.stderr == (
        "error: --format xlsx writes a workbook: give -o FILE.xlsx (not a terminal)\n"
    )


def test_score_refuses_to_write_over_its_input_workbook():
    workbook = filled()
    before = workbook.read_bytes()
    result = invoke(["score", RULESET, workbook, "--format", "xlsx", "-o", workbook], exit_code=2)
    assert "is one of the input files" in result.stderr
    assert workbook.read_bytes() == before


def test_format_json_is_json():
    assert (
        invoke(["score", RULESET, FACTS, "--format", "json"]).stdout
        == invoke(["score", RULESET, FACTS, "--json"]).stdout
        == invoke(["score", RULESET, FACTS, "--json", "--format", "json"]).stdout
    )


def test_json_and_another_format_are_refused_together():
    result = invoke(["score", RULESET, FACTS, "--json", "--format", "md"], exit_code=2)
    assert result.stderr == "error: --json is --format json: give one of --json and --format md\n"


@pytest.mark.parametrize("name", ["md", "html"])
def test_markdown_and_html_come_from_the_renderers(name, monkeypatch):
    def render(result: Any, ruleset: Any) -> str:
        return f"{name}: {result.total}\n"

    monkeypatch.setitem(renderers.RENDERERS, name, render)
    assert invoke(["score", RULESET, FACTS, "--format", name]).stdout == f"{name}: 100.00\n"
    invoke(["score", RULESET, FACTS, "--format", name, "-o", f"out.{name}"])
    assert Path(f"out.{name}").read_text(encoding="utf-8") == f"{name}: 100.00\n"


def test_a_format_without_a_renderer_is_a_usage_error(monkeypatch):
    monkeypatch.setattr(renderers, "RENDERERS", {"text": render_text, "json": render_json})
    result = invoke(["score", RULESET, FACTS, "--format", "html"], exit_code=2)
    assert result.stderr == (
        "error: --format html: this version has no html renderer (use text, json)\n"
    )


def test_text_is_the_default_and_can_be_asked_for():
    assert (
        invoke(["score", RULESET, FACTS]).stdout
        == invoke(["score", RULESET, FACTS, "--format", "text"]).stdout
    )


def test_a_workbook_that_names_no_ruleset_needs_the_ruleset_first():
    workbook = book(filled())
    sheet = workbook["facts"]
    sheet.cell(key_rows(sheet)["ruleset"], 3).value = None
    workbook.save("anonymous.xlsx")
    result = invoke(["score", "anonymous.xlsx"], exit_code=1)
    assert result.stderr == (
        "anonymous.xlsx!facts!C5: ruleset: the workbook names no ruleset: give the ruleset "
        "before it (scoring score RULESET FILE)\n"
    )
    assert "100.00" in invoke(["score", RULESET, "anonymous.xlsx"]).stdout


# --- batch over a folder of filled workbooks ------------------------------------------------


def test_batch_scores_a_folder_of_filled_workbooks_one_unit_each(in_tmp):
    (in_tmp / "units").mkdir()
    filled("units/a.xlsx")
    filled("units/b.xlsx", 救助人数=24, year=2023)
    filled("units/c.xlsx", 全年执行数="一百", year=2024)
    Path("template.xlsx").unlink()
    result = invoke(["batch", REF, "units", "-o", "summary.json"], exit_code=1)
    rows = json.loads(Path("summary.json").read_text(encoding="utf-8"))["units"]
    assert [(row["source"], row["total"]) for row in rows] == [
        ("units/a.xlsx", "100.00"),
        ("units/b.xlsx", "77.78"),  # 24 of 48 aided: 10 of 20, and 128 / 24 > 5万元 per head
        ("units/c.xlsx", None),
    ]
    assert "units/c.xlsx!facts!C" in result.stderr
