"""Red flags in a batch summary: full marks, much of the weight 不适用, identical facts."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import openpyxl
import pytest

from tests.cli.test_batch_command import HEADER, unit_row, write_csv
from tests.helpers import REF, invoke

RULES = f"""\
id: t.flags
version: "1"
title: 红旗测试
kind: project
extends: {REF}
red_flags: {{not_applicable_share: 0.1}}
"""
SHARE = "10.00% of the weight 不适用 (the ruleset flags 10.00% or more)"
FULL = "every applicable indicator at full marks"


@pytest.fixture
def here(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "flags.yaml").write_text(RULES, encoding="utf-8")
    rows = [unit_row(index) for index in range(1, 5)]
    twin = {**rows[1], "unit": "第9999号信访局"}  # row 3's facts under another unit's name
    full = {
        **rows[0],
        "unit": "满分局",
        "全年预算数": "100",
        "全年执行数": "100",
        "救助人数": "60",
        "党组研究每批资金": "是",
        "年内完成拨付": "true",
        "再次上访人数": "0",
        "纳入常年预算": "是",
    }
    rows[0]["自评总分"], rows[1]["自评总分"] = "95", "85"  # 8.53 and 3.74 above what they score
    write_csv(tmp_path / "units.csv", [*rows, twin, full], [*HEADER, "自评总分"])
    return tmp_path


def _flags(summary: Path) -> dict[str, list[str]]:
    sheet = openpyxl.load_workbook(io.BytesIO(summary.read_bytes()))["汇总"]
    rows = list(sheet.iter_rows(values_only=True))
    column = rows[0].index("疑点")
    return {str(row[1]): str(row[column] or "").split("\n") for row in rows[1:]}


def test_each_flag_in_the_column_and_the_sheet(here):
    invoke(["batch", "flags.yaml", "units.csv", "-o", "s.xlsx"])
    flags = _flags(here / "s.xlsx")
    claim = "claims 95, 8.53 above the 86.47 its facts give (the ruleset flags more than 5)"
    assert flags["第0001号信访局"] == [SHARE, claim]
    assert flags["第0002号信访局"] == [SHARE]
    assert flags["第9999号信访局"] == [SHARE, "the same facts as units.csv:row 3"]
    assert flags["满分局"] == [FULL, SHARE]
    sheet = openpyxl.load_workbook(here / "s.xlsx")["疑点"]
    listed = [(row[0], row[2]) for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert ("units.csv:row 6", "the same facts as units.csv:row 3") in listed
    assert len(listed) == sum(len(found) for found in flags.values())


def test_one_worker_or_two_the_same_bytes_in_every_format(here):
    """Enough rows to go to worker processes; a twin far from its first, in another chunk."""
    rows = [unit_row(index) for index in range(1, 600)]
    rows.append({**rows[2], "unit": "第9999号信访局"})
    write_csv(here / "many.csv", rows)
    for suffix in ("csv", "parquet", "xlsx"):
        args = ["batch", "flags.yaml", "many.csv", "-o"]
        one = invoke([*args, f"a.{suffix}", "--workers", "1"], exit_code=1)  # six broken rows
        two = invoke([*args, f"b.{suffix}", "--workers", "2"], exit_code=1)
        assert (here / f"a.{suffix}").read_bytes() == (here / f"b.{suffix}").read_bytes()
        assert one.stderr.replace("a.", "b.") == two.stderr
    assert _flags(here / "a.xlsx")["第9999号信访局"][-1] == "the same facts as many.csv:row 4"


def test_a_folder_of_facts_files_finds_identical_facts_by_file(here):
    folder = here / "units"
    folder.mkdir()
    for name, unit in (("a", "甲局"), ("b", "乙局")):
        text = (
            f"subject: {{unit: {unit}, project: 信访救助资金, year: 2022}}\n"
            "facts: {全年预算数: 100, 全年执行数: 90, 救助人数: 50, 党组研究每批资金: 是,"
            " 年内完成拨付: true, 再次上访人数: 1, 纳入常年预算: 是}\n"
            "not_applicable: [satisfaction]\n"
        )
        (folder / f"{name}.yaml").write_text(text, encoding="utf-8")
    invoke(["batch", "flags.yaml", "units", "-o", "s.xlsx"])
    flags = _flags(here / "s.xlsx")
    assert flags["乙局"][-1] == f"the same facts as {Path('units') / 'a.yaml'}"
    assert not any(flag.startswith("the same facts") for flag in flags["甲局"])


def test_a_claimed_total_that_is_no_number_is_a_located_error(here):
    text = (here / "units.csv").read_text(encoding="utf-8").replace(",95\n", ",九十五\n")
    (here / "units.csv").write_text(text, encoding="utf-8")
    result = invoke(["batch", "flags.yaml", "units.csv", "-o", "s.csv"], exit_code=1)
    assert "units.csv:row 2" in result.stderr
    assert "expected a number, found text '九十五'" in result.stderr


def test_no_red_flags_section_no_column(here):
    invoke(["batch", REF, "units.csv", "-o", "s.csv"])
    header = (here / "s.csv").read_text(encoding="utf-8-sig").splitlines()[0]
    assert "疑点" not in header


@pytest.mark.usefixtures("chinese")
def test_the_flags_in_chinese(here):
    invoke(["batch", "flags.yaml", "units.csv", "-o", "s.xlsx"])
    assert _flags(here / "s.xlsx")["满分局"][0] == "所有适用指标均为满分"


def test_a_repeat_among_runs_written_whole_is_found_and_the_bytes_agree(here):
    """Runs of plain rows go to the summary as they come; a repeat among them is still found.

    Rows 700 to 1999 repeat their facts every 1,200 (row 1,900's are row 700's); a unit given
    again and a twin of a late row come after hundreds of rows that need nothing.
    """
    rows = [unit_row(index) for index in range(700, 2000)]
    rows.insert(1100, {**rows[5]})  # 第0705号信访局 again, at row 1,102
    rows.insert(1200, {**rows[1000], "unit": "另一局"})  # row 1,002's facts, at row 1,202
    write_csv(here / "many.csv", rows)
    args = ["batch", "flags.yaml", "many.csv", "-o"]
    one = invoke([*args, "a.csv", "--workers", "1"], exit_code=1)
    two = invoke([*args, "b.csv", "--workers", "2"], exit_code=1)
    assert (here / "a.csv").read_bytes() == (here / "b.csv").read_bytes()
    assert one.stderr.replace("a.csv", "b.csv") == two.stderr
    assert "many.csv:row 1102: the same unit as many.csv:row 7 (" in one.stderr
    with (here / "a.csv").open(encoding="utf-8-sig", newline="") as handle:
        lines = list(csv.DictReader(handle))
    assert len(lines) == 1302
    assert lines[1100]["总分"] == ""
    assert lines[1100]["错误"].startswith("many.csv:row 1102: the same unit as many.csv:row 7")
    assert lines[1200]["单位"] == "另一局"
    assert "the same facts as many.csv:row 1002" in lines[1200]["疑点"]
    assert lines[1202]["单位"] == "第1900号信访局"
    assert "the same facts as many.csv:row 2" in lines[1202]["疑点"]
