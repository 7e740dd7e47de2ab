"""`scoring batch`: a thousand units from a table, tables with Chinese headers, folders of facts
files, summaries as CSV, XLSX and JSON, per-unit results, and bad rows that stop nothing."""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from rich.console import Console  # noqa: TID251 (a terminal, for the progress bar)
from typer.testing import CliRunner  # noqa: TID251 (the CLI is tested through typer)

from scoring.analysis import batch as batch_module
from scoring.analysis.parallel import CHUNK
from scoring.cli import consoles, with_commands
from tests.helpers import FACTS, REF, RULESET, invoke, snapshot, temporaries

NAMES = [
    "全年预算数",
    "全年执行数",
    "救助人数",
    "党组研究每批资金",
    "年内完成拨付",
    "再次上访人数",
    "纳入常年预算",
]
LABELS = [
    "全年预算数",
    "全年执行数",
    "救助生活困难信访群众人数",
    "每批救助资金经局党组会议研究",
    "救助资金于12月底前拨付完成",
    "被救助对象再次上访人数",
    "信访救助资金纳入区财政常年预算",
]
HEADER = ["unit", "project", "year", *NAMES, "not_applicable"]

# row index → (column, bad value, what the message says); ten ways to get a row wrong
BROKEN = {
    17: ("全年执行数", "一百二十", "expected a number, found text '一百二十'"),
    111: ("全年预算数", "-5", "-5 is below the declared min 0"),
    222: ("救助人数", "", "missing (救助生活困难信访群众人数, 人)"),
    333: ("党组研究每批资金", "对", "expected true or false (是 or 否), found '对'"),
    444: ("再次上访人数", "1.5", "expected a whole number, found 1.5"),
    555: ("全年执行数", "95%", "'95%' is a percentage, but this fact is in 万元"),
    666: ("全年预算数", "1,28", "expected a number, found text '1,28'"),
    777: (
        "not_applicable",
        "satisfactoin",
        "no indicator 'satisfactoin' (did you mean 'satisfaction'?)",
    ),
    888: ("全年执行数", "128元", "expected a number, found text '128元'"),
    999: ("全年预算数", "0", "target is 0"),
}


def unit_row(index: int) -> dict[str, str]:
    """One generated unit: numbers vary, written the ways people type them."""
    budget = 100 + index % 1200
    executed = budget - index % 40
    row = {
        "unit": f"第{index:04d}号信访局",
        "project": "信访救助资金",
        "year": "2022",
        "全年预算数": f"{budget:,}",  # 1,280 with its thousands separator
        "全年执行数": str(executed) if index % 5 else f"{executed}.50".translate(FULL_WIDTH),
        "救助人数": str(30 + index % 25),
        "党组研究每批资金": "是" if index % 4 else "否",
        "年内完成拨付": "true" if index % 6 else "false",
        "再次上访人数": str(index % 3),
        "纳入常年预算": "是",
        "not_applicable": "satisfaction",
    }
    if index in BROKEN:
        column, value, _ = BROKEN[index]
        row[column] = value
    return row


FULL_WIDTH = str.maketrans("0123456789.", "０１２３４５６７８９．")


def write_csv(path: Path, rows: list[dict[str, str]], header: list[str] = HEADER) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=header)
        writer.writeheader()
        writer.writerows(rows)
    return path


def facts_yaml(row: dict[str, str]) -> str:
    """The same unit as a facts file (values quoted: read by the same rules as the cells)."""
    lines = [
        f"subject: {{unit: {row['unit']}, project: {row['project']}, year: {row['year']}}}",
        "facts:",
        *(f"  {name}: {json.dumps(row[name], ensure_ascii=False)}" for name in NAMES),
        f"not_applicable: [{row['not_applicable']}]",
    ]
    return "\n".join(lines) + "\n"


@pytest.fixture
def here(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    return tmp_path


# --- a thousand units ------------------------------------------------------------------------


def test_a_thousand_units_with_ten_broken_rows_give_990_scores_and_10_clear_errors(here):
    write_csv(here / "units.csv", [unit_row(index) for index in range(1000)])
    result = invoke(["batch", REF, "units.csv", "-o", "summary.json"], exit_code=1)
    data = json.loads((here / "summary.json").read_text(encoding="utf-8"))
    units = data["units"]
    assert len(units) == 1000
    failed = {unit["source"]: unit["error"] for unit in units if unit["error"]}
    assert sorted(failed) == sorted(f"units.csv:row {index + 2}" for index in BROKEN)
    for index, (column, _, message) in BROKEN.items():
        error = failed[f"units.csv:row {index + 2}"]
        assert message in error
        if index == 999:  # the facts are fine, the rule divides by 0: placed at the indicator
            assert re.fullmatch(r".*project-self-eval-2020\.yaml:\d+:\d+: \[execution\] .*", error)
            assert f"units.csv:row 1001: {error}" in result.stderr
        else:
            assert error.startswith(f"units.csv:row {index + 2}, column {column}: "), error
            assert error in result.stderr
    scored = [unit for unit in units if unit["error"] is None]
    assert len(scored) == 990
    assert all(unit["grade"] in ("优", "良", "中", "差") for unit in scored)
    assert data["errors"] == 10
    assert sum(data["grades"].values()) == 990
    counts = " · ".join(f"{grade} {data['grades'][grade]}" for grade in ("优", "良", "中", "差"))
    assert result.stderr.splitlines()[-1] == f"{counts} · errors 10"
    assert units[0]["subject"] == {
        "unit": "第0000号信访局",
        "project": "信访救助资金",
        "year": "2022",
    }
    assert units[0]["lost"]["satisfaction"] is None  # 不适用: nothing lost


def test_the_same_inputs_give_the_same_summary_bytes(here):
    write_csv(here / "units.csv", [unit_row(index) for index in range(30)])
    for name in ("a", "b"):
        for suffix in (".json", ".csv", ".xlsx"):
            invoke(["batch", REF, "units.csv", "-o", f"{name}{suffix}"], exit_code=1)
    for suffix in (".json", ".csv", ".xlsx"):
        assert (here / f"a{suffix}").read_bytes() == (here / f"b{suffix}").read_bytes()


# --- tables with Chinese headers ---------------------------------------------------------------


def test_a_csv_with_labels_and_chinese_subject_columns_scores_every_row(here):
    header = ["单位名称", "项目名称", "年度", *LABELS, "不适用"]
    rows = [unit_row(index) for index in (1, 2, 3)]
    with (here / "units.csv").open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows([[row[key] for key in HEADER] for row in rows])
    result = invoke(["batch", REF, "units.csv", "-o", "summary.csv"])
    text = (here / "summary.csv").read_text(encoding="utf-8")
    assert text.startswith("\ufeff")  # so that Excel reads the 汉字 as UTF-8
    table = list(csv.reader(io.StringIO(text[1:], newline="")))
    assert table[0] == [
        "来源", "单位", "项目", "年度", "总分", "等级",
        "预算执行率失分", "产出指标失分", "效益指标失分", "满意度指标失分", "错误",
    ]  # fmt: skip
    assert [row[:4] for row in table[1:]] == [
        ["units.csv:row 2", "第0001号信访局", "信访救助资金", "2022"],
        ["units.csv:row 3", "第0002号信访局", "信访救助资金", "2022"],
        ["units.csv:row 4", "第0003号信访局", "信访救助资金", "2022"],
    ]
    assert all(re.fullmatch(r"\d+\.\d\d", row[4]) for row in table[1:])
    assert all(row[-1] == "" and row[-2] == "" for row in table[1:])
    assert result.stderr.splitlines()[-1].endswith("差 0")


def test_an_xlsx_with_labels_gives_an_xlsx_summary_with_numbers(here):
    workbook = openpyxl.Workbook()
    sheet = workbook.worksheets[0]
    sheet.append(["单位", "项目", "年度", *LABELS, "不适用"])
    sheet.append(["甲局", "信访救助资金", 2022, 128, 76.8, 48, True, "是", 1, "是", "satisfaction"])
    sheet.append(["乙局", "信访救助资金", 2022, 128, 128, 48, "是", "是", 0, True, None])
    sheet.append(
        ["丙局", "信访救助资金", 2022, 128, "一百", 48, "是", "是", 0, "是", "satisfaction"]
    )
    workbook.save(here / "units.xlsx")
    result = invoke(["batch", REF, "units.xlsx", "-o", "summary.xlsx"], exit_code=1)
    assert (
        "units.xlsx!E4: [execution] 全年执行数: expected a number, found text '一百'"
        in result.stderr
    )
    summary = openpyxl.load_workbook(here / "summary.xlsx").worksheets[0]
    rows = [[cell.value for cell in row] for row in summary.iter_rows()]
    assert rows[0][:6] == ["来源", "单位", "项目", "年度", "总分", "等级"]
    assert rows[1][:6] == ["units.xlsx:row 2", "甲局", "信访救助资金", "2022", 90, "优"]  # 81 / 90
    assert rows[1][6:10] == [4, 0, 5, None]  # 6 of 10 for 60% executed; one petition again: −5
    total = summary.cell(2, 5)
    assert (total.data_type, total.number_format) == ("n", "0.00")
    assert rows[2][4] is None
    assert "is a template" in str(rows[2][10])
    assert rows[3][4] is None
    assert "units.xlsx!E4" in str(rows[3][10])


# --- folders of facts files, and per-unit results -----------------------------------------------


def test_a_folder_of_facts_files_with_results_equal_to_score_json(here):
    folder = here / "facts"
    folder.mkdir()
    shutil.copy(FACTS, folder / "wangcheng.yaml")
    text = FACTS.read_text(encoding="utf-8")
    second = text.replace("再次上访人数: 0", "再次上访人数: 2").replace("year: 2022", "year: 2023")
    (folder / "second.yaml").write_text(second, "utf-8")
    broken = text.replace("救助人数: 48", "救助人数: 四十八").replace("year: 2022", "year: 2024")
    (folder / "broken.yaml").write_text(broken, "utf-8")
    shutil.copy(RULESET, folder)
    result = invoke(["batch", REF, "facts", "--results", "out", "-o", "summary.csv"], exit_code=1)
    assert re.search(
        r"facts/broken\.yaml:\d+:\d+: \[output\.quantity\.aided\] 救助人数: expected a number",
        result.stderr,
    )
    names = sorted(path.name for path in (here / "out").iterdir())
    assert names == [
        "长沙市望城区信访局-信访救助资金-2022.json",
        "长沙市望城区信访局-信访救助资金-2023.json",
    ]
    # files in sorted order: second.yaml before wangcheng.yaml; the ruleset beside them is skipped
    for file, name in (("second", names[1]), ("wangcheng", names[0])):
        expected = invoke(["score", REF, f"facts/{file}.yaml", "--json"]).stdout
        assert (here / "out" / name).read_text(encoding="utf-8") == expected
    rows = list(csv.reader(io.StringIO((here / "summary.csv").read_text(encoding="utf-8-sig"))))
    assert [row[0] for row in rows[1:]] == [
        "facts/broken.yaml",
        "facts/second.yaml",
        "facts/wangcheng.yaml",
    ]
    assert [row[4] for row in rows[1:]] == ["", "88.89", "100.00"]
    assert "wrote 2 results to out" in result.stderr


def test_results_of_table_rows_equal_score_json_of_the_same_facts(here):
    rows = [unit_row(index) for index in (5, 6)]
    write_csv(here / "units.csv", rows)
    invoke(["batch", REF, "units.csv", "--results", "out"])
    for row in rows:
        (here / "unit.yaml").write_text(facts_yaml(row), encoding="utf-8")
        expected = invoke(["score", REF, "unit.yaml", "--json"]).stdout
        name = f"{row['unit']}-信访救助资金-2022.json"
        assert (here / "out" / name).read_text(encoding="utf-8") == expected


def test_each_units_result_file_verifies(here):
    write_csv(here / "units.csv", [unit_row(index) for index in (5, 6, 7)])
    invoke(["batch", REF, "units.csv", "--results", "out"])
    result = invoke(["verify", "out"])
    assert (
        result.stderr.splitlines()[-1] == "3 results: 3 agree, 0 do not agree, 0 cannot be checked"
    )


def test_an_interrupted_batch_leaves_finished_results_whole_and_no_summary(here, monkeypatch):
    """Stopped in its second run of units: the first run's results are written, and whole."""
    write_csv(here / "units.csv", [unit_row(index) for index in range(1000, 1000 + CHUNK + 9)])
    calls = []
    original = batch_module.score_unit

    def interrupted(unit, ruleset, facts=None):
        calls.append(unit)
        if len(calls) == CHUNK + 4:
            raise KeyboardInterrupt
        return original(unit, ruleset, facts)

    monkeypatch.setattr(batch_module, "score_unit", interrupted)
    result = CliRunner().invoke(
        with_commands(), ["batch", REF, "units.csv", "--results", "out", "-o", "s.json"]
    )
    assert result.exit_code != 0
    files = sorted((here / "out").iterdir())
    assert len(files) == CHUNK
    assert all(json.loads(path.read_text(encoding="utf-8"))["total"] for path in files)
    assert temporaries(here) == []
    assert not (here / "s.json").exists()


# --- the terminal ------------------------------------------------------------------------------


def test_without_o_a_table_on_stdout_and_no_progress_bar_when_not_a_terminal(here):
    write_csv(here / "units.csv", [unit_row(index) for index in (1, 17)])
    result = invoke(["batch", REF, "units.csv"], exit_code=1)
    lines = result.stdout.splitlines()
    assert any(
        re.search(r"units.csv:row 2 +│ 第0001号信访局 +│ 信访救助资金 │ 2022 │ +\d", line)
        for line in lines
    )
    assert any(
        re.search(r"units.csv:row 3 .* │ 1 problem", line) for line in lines
    )  # in full on stderr
    assert "units.csv:row 3, column 全年执行数:" in result.stderr
    assert "━" not in result.stderr
    assert "\x1b[" not in result.stderr


def test_a_progress_bar_on_a_terminal(here, monkeypatch):
    """A CSV table is read as it is scored: the bar runs over its bytes, counting the units."""
    write_csv(here / "units.csv", [unit_row(index) for index in range(3)])
    screen = io.StringIO()
    monkeypatch.setattr(consoles, "stderr", Console(file=screen, force_terminal=True, width=100))
    invoke(["batch", REF, "units.csv", "-o", "s.json"])
    shown = screen.getvalue()
    assert "scoring" in shown
    assert "100%" in shown
    assert "3 units" in shown
    assert "0:00:00" in shown  # the time left


def test_a_progress_bar_over_facts_files_counts_them(here, monkeypatch):
    for index in range(3):
        (here / f"unit{index}.yaml").write_text(facts_yaml(unit_row(index)), encoding="utf-8")
    screen = io.StringIO()
    monkeypatch.setattr(consoles, "stderr", Console(file=screen, force_terminal=True, width=100))
    invoke(["batch", REF, "unit0.yaml", "unit1.yaml", "unit2.yaml", "-o", "s.json"])
    assert "3/3" in screen.getvalue()


# --- refusals ------------------------------------------------------------------------------------


def test_an_unknown_column_is_an_error_naming_it(here):
    write_csv(
        here / "units.csv", [{"unit": "甲局", "预算执行数": "1"}], header=["unit", "预算执行数"]
    )
    result = invoke(["batch", REF, "units.csv"], exit_code=1)
    assert result.stderr.startswith(
        "units.csv:row 1, column 预算执行数: unknown column '预算执行数' (did you mean"
    )


def test_the_summary_never_overwrites_an_input(here):
    write_csv(here / "units.csv", [unit_row(1)])
    before = snapshot(here)
    result = invoke(["batch", REF, "units.csv", "-o", "units.csv"], exit_code=2)
    assert "is one of the input files" in result.stderr
    assert snapshot(here) == before


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["units.csv", "-o", "summary.doc"],
            "scoring batch writes .txt, .csv, .json, .xlsx, .parquet files",
        ),
        (
            ["units.csv", "other.csv"],
            "give one CSV, XLSX or Parquet table, or facts files and directories",
        ),
        (["empty"], "no facts files in empty"),
        (["missing.yaml"], "missing.yaml: no such file or directory"),
    ],
)
def test_usage_errors_exit_2(here, args, message):
    write_csv(here / "units.csv", [unit_row(1)])
    (here / "empty").mkdir()
    result = invoke(["batch", REF, *args], exit_code=2)
    assert message in result.stderr


def test_a_yml_facts_file_in_a_folder_is_a_unit_like_a_yaml_one(here):
    folder = here / "facts"
    folder.mkdir()
    shutil.copy(FACTS, folder / "a.yaml")
    other = FACTS.read_text(encoding="utf-8").replace("长沙市望城区信访局", "某县信访局")
    (folder / "b.yml").write_text(other, encoding="utf-8")  # another unit, not the same twice
    invoke(["batch", REF, "facts", "-o", "summary.json"])
    units = json.loads((here / "summary.json").read_text(encoding="utf-8"))["units"]
    assert sorted(Path(unit["source"]).name for unit in units) == ["a.yaml", "b.yml"]


# --- province scale: workers, streams, Parquet ---------------------------------------------------


def tree_bytes(folder: Path) -> dict[str, bytes]:
    return {path.name: path.read_bytes() for path in sorted(folder.iterdir())}


def test_any_number_of_workers_writes_the_same_bytes(here):
    """Enough rows to go to worker processes: the same summary, results and exit, byte for byte."""
    write_csv(here / "units.csv", [unit_row(index) for index in range(700)])
    runs = {}
    for workers in ("1", "2", "3"):
        outputs = ["-o", f"s{workers}.csv", "--results", f"out{workers}"]
        result = invoke(
            ["batch", REF, "units.csv", *outputs, "--workers", workers],
            exit_code=1,  # rows 17, 111, 222, 333, 444, 555 and 666 are broken
        )
        runs[workers] = (
            (here / f"s{workers}.csv").read_bytes(),
            tree_bytes(here / f"out{workers}"),
            result.stderr.replace(f"s{workers}.csv", "S").replace(f"out{workers}", "OUT"),
        )
    assert runs["1"] == runs["2"] == runs["3"]
    summary = runs["1"][0].decode("utf-8-sig").splitlines()
    assert len(summary) == 701
    assert len(runs["1"][1]) == 700 - 7


def test_workers_speak_the_language_the_command_line_chose(here):
    """A worker's messages (a bad row's, in the summary and on the screen) are Chinese too."""
    write_csv(here / "units.csv", [unit_row(index) for index in range(600)])
    runs = {}
    for workers in ("1", "2"):
        args = ["--lang", "zh", "batch", REF, "units.csv", "-o", f"s{workers}.csv"]
        result = invoke([*args, "--workers", workers], exit_code=1)
        runs[workers] = ((here / f"s{workers}.csv").read_bytes(), result.stderr)
    assert runs["1"] == (runs["2"][0], runs["2"][1].replace("s2.csv", "s1.csv"))
    summary, stderr = runs["2"]
    assert (
        "units.csv:row 113, column 全年预算数: [execution] 全年预算数: -5 低于声明的最小值 0"
        in stderr
    )
    assert "-5 低于声明的最小值 0" in summary.decode("utf-8-sig")
    assert "below the declared min" not in stderr


def test_a_summary_written_as_the_rows_come_is_the_summary_written_at_the_end(here):
    write_csv(here / "units.csv", [unit_row(index) for index in range(40)])
    streamed = invoke(["batch", REF, "units.csv", "-o", "s.csv"], exit_code=1)
    at_end = invoke(["batch", REF, "units.csv", "-o", "-", "--format", "csv"], exit_code=1)
    assert (here / "s.csv").read_bytes() == at_end.stdout_bytes
    assert "wrote s.csv" in streamed.stderr


def test_a_parquet_table_in_and_a_parquet_summary_out(here):
    """Parquet as data lakes hold it: facts as text or decimal128, totals out as decimal128."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    rows = [unit_row(index) for index in range(30)]
    write_csv(here / "units.csv", rows)
    table = pa.Table.from_pylist(rows)  # text columns, as a lake exported from spreadsheets
    budgets = pa.array([Decimal(row["全年预算数"].replace(",", "")) for row in rows])
    table = table.set_column(table.column_names.index("全年预算数"), "全年预算数", budgets)
    pq.write_table(table, here / "units.parquet")
    invoke(["batch", REF, "units.parquet", "-o", "s.parquet"], exit_code=1)
    invoke(["batch", REF, "units.csv", "-o", "s.csv"], exit_code=1)
    summary = pq.read_table(here / "s.parquet")
    assert summary.schema.field("总分").type == pa.decimal128(28, 2)
    with (here / "s.csv").open(encoding="utf-8-sig", newline="") as handle:
        expected = list(csv.DictReader(handle))
    totals = [
        None if value is None else format(value, "f") for value in summary["总分"].to_pylist()
    ]
    assert totals == [row["总分"] or None for row in expected]
    sources = summary["来源"].to_pylist()
    assert sources[17] == "units.parquet:row 19"
    assert summary["错误"].to_pylist()[17].startswith("units.parquet:row 19, column 全年执行数: ")


def test_a_parquet_summary_takes_quiet_runs_at_once_and_is_the_same_whatever_the_workers(
    here, monkeypatch
):
    from scoring.analysis.summary_parquet import SummaryWriter

    write_csv(here / "units.csv", [unit_row(index) for index in range(1000, 1700)])  # no error
    runs: list[int] = []
    write_lines = SummaryWriter.write_lines

    def counted(writer: SummaryWriter, rows: list[tuple[str, ...]]) -> None:
        runs.append(len(rows))
        write_lines(writer, rows)

    monkeypatch.setattr(SummaryWriter, "write_lines", counted)
    for workers in ("1", "2"):
        invoke(["batch", REF, "units.csv", "-o", f"s{workers}.parquet", "--workers", workers])
    assert runs.count(256) >= 2 * 2  # the quiet runs of both batches, each taken in at once
    assert (here / "s1.parquet").read_bytes() == (here / "s2.parquet").read_bytes()
    invoke(["batch", REF, "units.csv", "-o", "s.csv"])
    import pyarrow.parquet as pq

    with (here / "s.csv").open(encoding="utf-8-sig", newline="") as handle:
        expected = [row["总分"] for row in csv.DictReader(handle)]
    written = pq.read_table(here / "s2.parquet")["总分"].to_pylist()
    assert [format(total, "f") for total in written] == expected


def test_the_same_unit_twice_in_a_table_is_still_found_when_rows_stream(here):
    rows = [unit_row(1), unit_row(2), unit_row(1)]
    write_csv(here / "units.csv", rows)
    result = invoke(["batch", REF, "units.csv", "-o", "s.csv", "--workers", "2"], exit_code=1)
    assert "units.csv:row 4: the same unit as units.csv:row 2 (" in result.stderr
