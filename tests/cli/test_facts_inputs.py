"""Every form of facts in every command that takes facts: YAML, .yml, JSON, the filled workbook.

Each command reads facts through one function (``scoring.load.facts.read_facts_input``), so each form
gives the same answer everywhere; and wherever the facts name their ruleset, it may be left out.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import openpyxl
import pytest

from scoring.load.yaml_source import parse_yaml
from tests.cli.test_workbook_commands import filled
from tests.helpers import FACTS, REF, RULESET, invoke
from tests.load.test_xlsx import (
    SHEET,
    Repeated,
    rows_sheet,
    strings_bomb,
    with_part,
    workbook_bytes,
)

pytestmark = pytest.mark.usefixtures("in_tmp")
FORMS = ("yaml", "yml", "json", "xlsx")


@pytest.fixture
def in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return tmp_path


def facts_as(form: str, name: str = "facts") -> Path:
    """The worked example's facts, written in ``form``, named ``name.form``."""
    path = Path(f"{name}.{form}")
    if form == "xlsx":
        filled(str(path))
        Path("template.xlsx").unlink()
    elif form == "json":
        data = parse_yaml(FACTS.read_text(encoding="utf-8"), str(FACTS))
        path.write_text(json.dumps(data, ensure_ascii=False, indent="\t"), encoding="utf-8")
    else:
        path.write_text(FACTS.read_text(encoding="utf-8"), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def expected() -> str:
    """The worked example's result, from its YAML facts file."""
    return invoke(["score", REF, str(FACTS), "--json"]).stdout


@pytest.mark.parametrize("form", FORMS)
@pytest.mark.parametrize("with_ruleset", [True, False], ids=["ruleset-given", "ruleset-named"])
def test_score_reads_every_form_to_the_same_result(form, with_ruleset, expected):
    path = facts_as(form)
    args = ["score", *([REF] if with_ruleset else []), str(path), "--json"]
    assert invoke(args).stdout == expected  # the same facts, the same fingerprint and bytes


@pytest.mark.parametrize("form", FORMS)
@pytest.mark.parametrize("with_ruleset", [True, False], ids=["ruleset-given", "ruleset-named"])
def test_gap_reads_every_form(form, with_ruleset):
    path = facts_as(form)
    result = invoke(["gap", *([str(RULESET)] if with_ruleset else []), str(path), "--json"])
    assert json.loads(result.stdout)["total"] == "100.00"


@pytest.mark.parametrize("form", FORMS)
@pytest.mark.parametrize("with_ruleset", [True, False], ids=["ruleset-given", "ruleset-named"])
def test_verify_claimed_reads_every_form(form, with_ruleset):
    path = facts_as(form)
    Path("claims.yaml").write_text("scores: {execution: 10}\ntotal: 100\ngrade: 优\n", "utf-8")
    args = ["verify", "--claimed", "claims.yaml", *([REF] if with_ruleset else []), str(path)]
    assert invoke(args).stdout.startswith("claims.yaml: 长沙市望城区信访局 信访救助资金 2022 under")


@pytest.mark.parametrize("form", FORMS)
def test_lint_checks_every_form_against_the_ruleset_it_names(form):
    path = facts_as(form)
    assert invoke(["lint", str(path)]).stderr == "1 file checked, no problems\n"


def test_lint_reports_a_bad_cell_of_a_workbook():
    path = filled("bad.xlsx", 全年执行数="一百")
    result = invoke(["lint", str(path)], exit_code=1)
    assert "bad.xlsx!facts!C13: [execution] 全年执行数: expected a number, found text '一百'" in (
        result.stderr
    )


def test_diff_scores_every_form_in_the_facts_folder():
    Path("units").mkdir()
    for form in FORMS:
        facts_as(form, f"units/{form}")
    Path("units/~$xlsx.xlsx").write_bytes(b"Excel's lock file of an open workbook")
    data = json.loads(invoke(["diff", REF, REF, "--facts", "units", "--json"]).stdout)
    assert [(unit["file"], unit["old_total"], unit["error"]) for unit in data["impact"]] == [
        (f"units/{form}.{form}", "100.00", None) for form in sorted(FORMS)
    ]


def test_diff_leaves_a_ruleset_in_the_facts_folder_out():
    Path("units").mkdir()
    facts_as("xlsx", "units/a")
    Path("units/rules.yaml").write_text(RULESET.read_text(encoding="utf-8"), encoding="utf-8")
    data = json.loads(invoke(["diff", REF, REF, "--facts", "units", "--json"]).stdout)
    assert [unit["file"] for unit in data["impact"]] == ["units/a.xlsx"]


def test_test_leaves_a_facts_workbook_beside_the_rulesets_alone():
    Path("rules").mkdir()
    Path("rules/r.yaml").write_text(RULESET.read_text(encoding="utf-8"), encoding="utf-8")
    facts_as("xlsx", "rules/unit")
    result = invoke(["test", "rules/r.yaml", "rules/unit.xlsx"])
    assert result.stderr == "5 tests: 5 passed, 0 failed\n"


def test_a_workbook_is_known_by_its_content_whatever_its_name():
    path = facts_as("xlsx")
    renamed = path.rename("facts.dat")
    assert json.loads(invoke(["score", str(renamed), "--json"]).stdout)["total"] == "100.00"


def test_an_old_xls_workbook_is_refused_with_what_to_do():
    Path("old.xls").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100)
    result = invoke(["score", REF, "old.xls"], exit_code=1)
    assert result.stderr == (
        "old.xls:1:1: an Excel 97-2003 workbook (.xls): fill in the template that 'scoring "
        "template RULESET --format xlsx' writes, and save it as .xlsx\n"
    )


@pytest.mark.parametrize("command", ["score", "gap"])
def test_facts_given_before_the_ruleset_are_refused_with_the_order(command):
    path = facts_as("json")
    result = invoke([command, str(path), str(RULESET)], exit_code=1)
    assert result.stderr == (
        f"facts.json:1:1: facts.json is a facts file, not a ruleset: give the ruleset first "
        f"(scoring {command} RULESET FACTS)\n"
    )


@pytest.mark.parametrize("command", ["score", "gap"])
def test_a_ruleset_alone_asks_for_the_facts(command):
    result = invoke([command, str(RULESET)], exit_code=2)
    assert result.stderr == (
        f"Usage: scoring {command} [OPTIONS] RULESET FACTS\n"
        "error: missing FACTS: give the facts file after the ruleset\n"
    )


def test_batch_reads_every_form_in_a_folder():
    Path("units").mkdir()
    for year, form in enumerate(FORMS, start=2020):
        path = facts_as(form, f"units/{form}")
        if form == "xlsx":
            filled(str(path), year=year)
            Path("template.xlsx").unlink()
        else:
            path.write_text(path.read_text(encoding="utf-8").replace("2022", str(year)), "utf-8")
    invoke(["batch", REF, "units", "-o", "summary.json"])
    rows = json.loads(Path("summary.json").read_text(encoding="utf-8"))["units"]
    assert [(row["source"], row["subject"]["year"], row["total"]) for row in rows] == [
        ("units/json.json", "2022", "100.00"),
        ("units/xlsx.xlsx", "2023", "100.00"),
        ("units/yaml.yaml", "2020", "100.00"),
        ("units/yml.yml", "2021", "100.00"),
    ]


def test_batch_counts_a_unit_given_twice_once_and_names_both_files():
    Path("units").mkdir()
    facts_as("yaml", "units/a")
    facts_as("xlsx", "units/b")  # the same unit, its workbook beside its facts file
    result = invoke(["batch", REF, "units", "-o", "summary.json"], exit_code=1)
    assert result.stderr.splitlines()[0] == (
        "units/b.xlsx!facts!A4: the same unit as units/a.yaml (长沙市望城区信访局 信访救助资金 "
        "2022): a unit is counted once, remove one of the two"
    )
    summary = json.loads(Path("summary.json").read_text(encoding="utf-8"))
    assert (summary["grades"]["优"], summary["errors"]) == (1, 1)


def test_batch_takes_one_filled_workbook_as_one_unit():
    path = facts_as("xlsx")
    invoke(["batch", REF, str(path), "-o", "summary.json"])
    rows = json.loads(Path("summary.json").read_text(encoding="utf-8"))["units"]
    assert [(row["source"], row["total"]) for row in rows] == [("facts.xlsx", "100.00")]


# --- hostile workbooks: refused before they are unpacked, with the file named ------------------


def hostile(name: str, part: str, content: bytes | Repeated) -> Path:
    """The worked example's filled workbook with one part replaced."""
    path = facts_as("xlsx", "source")
    Path(name).write_bytes(with_part(path.read_bytes(), part, content))
    return Path(name)


def test_score_refuses_a_decompression_bomb_before_unpacking_it():
    path = hostile("bomb.xlsx", "xl/sharedStrings.xml", strings_bomb())
    result = invoke(["score", REF, str(path)], exit_code=1)
    assert re.fullmatch(
        r"bomb\.xlsx:1:1: part 'xl/sharedStrings\.xml' would unpack to [\d,]+ bytes, more than "
        r"200 times its packed size: refusing a file built to exhaust memory \(a zip bomb\)\n",
        result.stderr,
    )


@pytest.mark.parametrize("command", [["score"], ["gap"], ["lint"], ["batch", REF]])
def test_every_command_refuses_a_bomb_in_a_facts_workbook(command):
    path = hostile("bomb.xlsx", "xl/sharedStrings.xml", strings_bomb())
    result = invoke([*command, str(path)], exit_code=1)
    assert "bomb.xlsx:1:1: part 'xl/sharedStrings.xml' would unpack to" in result.stderr


def test_a_facts_sheet_of_a_million_rows_stops_at_the_limit(monkeypatch):
    monkeypatch.setattr("scoring.load.xlsx.MAX_PACKING_RATIO", 1_000)  # as a sheet of numbered rows
    path = hostile("long.xlsx", "xl/worksheets/sheet1.xml", rows_sheet(1_023, per_block=1_025))
    result = invoke(["score", REF, str(path)], exit_code=1)
    assert result.stderr == (
        "long.xlsx!facts!A10001: the sheet goes on past row 10,000, more than this command "
        "reads: delete the rows below the table\n"
    )


def test_a_workbook_without_a_facts_sheet_is_refused_at_once():
    workbook = openpyxl.Workbook()
    workbook.active.title = "汇总"  # type: ignore[union-attr]
    workbook.save("other.xlsx")
    # its shared strings are damaged: reading them before the sheet list would say so instead
    path = Path("other.xlsx")
    path.write_bytes(with_part(path.read_bytes(), "xl/sharedStrings.xml", b"<<<"))
    result = invoke(["score", REF, str(path)], exit_code=1)
    assert result.stderr == (
        "other.xlsx:1:1: no sheet 'facts' (the workbook has '汇总'): fill in the workbook that "
        "'scoring template RULESET --format xlsx' writes\n"
    )


def test_a_batch_table_of_a_million_rows_stops_at_the_limit(monkeypatch):
    monkeypatch.setattr("scoring.load.xlsx.MAX_PACKING_RATIO", 1_000)
    monkeypatch.setattr("scoring.load.units.MAX_TABLE_ROWS", 2_000)  # the same check, sooner
    data = with_part(workbook_bytes([["a"]], "units"), SHEET, rows_sheet(1_023, per_block=1_025))
    Path("units.xlsx").write_bytes(data)
    result = invoke(["batch", REF, "units.xlsx"], exit_code=1)
    assert result.stderr == (
        "units.xlsx!A2001: the sheet goes on past row 2,000, more than this command reads: "
        "delete the rows below the table\n"
    )


def test_lint_of_a_folder_checks_its_filled_workbooks_and_leaves_other_workbooks_alone():
    Path("units").mkdir()
    filled("units/good.xlsx")
    filled("units/bad.xlsx", 救助人数="四十八")
    Path("template.xlsx").unlink()
    invoke(["score", str(FACTS), "-o", "units/自评表.xlsx"])  # a report beside them: no facts sheet
    result = invoke(["lint", "units"], exit_code=1)
    assert result.stderr.splitlines() == [
        "units/bad.xlsx: 1 problem",
        "units/bad.xlsx!facts!C14: [output.quantity.aided] 救助人数: expected a number, found text "
        "'四十八': write digits only in 人, e.g. 1280 or 52.05 (a comma only between groups of "
        "three)",
        "1 of 2 files with problems",
    ]


def test_a_renamed_workbook_given_before_the_ruleset_is_still_called_a_workbook():
    path = facts_as("xlsx").rename("facts.dat")
    result = invoke(["score", str(path), str(RULESET)], exit_code=1)
    assert result.stderr == (
        "facts.dat:1:1: facts.dat is a facts workbook, not a ruleset: give the ruleset first "
        "(scoring score RULESET FACTS)\n"
    )
