"""batch: table rows read like facts files (load/units.py), positions of cells, names, summaries."""

from __future__ import annotations

import csv
import io
import json
import pickle
import zipfile
from decimal import Decimal

import openpyxl
import pytest

from scoring.analysis.batch import (
    Duplicates,
    UnitResult,
    mark_duplicates,
    result_name,
    score_item,
    score_unit,
    start_worker,
    summary_row,
)
from scoring.analysis.summary import (
    LineShape,
    Tally,
    csv_line,
    grade_counts,
    render_summary_csv,
    render_summary_json,
    render_summary_xlsx,
    summarise,
    summary_table,
)
from scoring.errors import FactsError
from scoring.load.rulesets import load_ruleset
from scoring.load.units import Unit, parse_unit, read_header, read_table
from scoring.load.xlsx import CellLocation
from scoring.model.located import LocatedDict
from scoring.model.results import ScoreResult
from scoring.model.workbook_form import column_letters
from scoring.render import render_json
from tests.conftest import ROOT, ruleset_from

RULESET = """\
id: test.batch
version: "1"
title: 批量测试
kind: project
tiers:
  - {label: 好, range: [0.8, 1], default: 1}
  - {label: 中, range: [0.6, 0.8], default: 0.7}
  - {label: 差, range: [0, 0.6], default: 0}
facts:
  预算数: {label: 全年预算数, unit: 万元, min: 0}
  执行数: {label: 全年执行数, unit: 万元, min: 0}
  受理率: {label: 及时受理率, unit: "%", min: 0, max: 1}
  制度健全: {label: 资金管理制度健全, type: boolean}
  管理: {label: 资金管理情况, type: tier}
indicators:
  - {id: execution, name: 预算执行率, weight: 40, method: ratio, actual: 执行数, target: 预算数}
  - id: output
    name: 产出指标
    weight: 40
    children:
      - {id: accepted, name: 及时受理率, weight: 20, method: ratio, actual: 受理率, target: 1}
      - {id: rules, name: 资金管理制度健全, weight: 20, method: boolean, value: 制度健全}
  - {id: management, name: 资金管理, weight: 20, method: tiers, fact: 管理}
"""

HEADER = "单位名称,项目,年度,全年预算数,执行数,及时受理率,资金管理制度健全,资金管理情况,不适用"


@pytest.fixture(scope="module")
def ruleset():
    return ruleset_from(RULESET)


def csv_units(ruleset, *rows, header=HEADER, filename="units.csv"):
    text = "\n".join([header, *rows]) + "\n"
    return read_table(text.encode("utf-8"), filename, ruleset)


def scored(ruleset, *rows, **kwargs):
    return [score_unit(unit, ruleset) for unit in csv_units(ruleset, *rows, **kwargs)]


def result_of(unit: UnitResult) -> ScoreResult:
    assert unit.result is not None, unit.error
    return unit.result


def xlsx_bytes(rows, extra_sheet=False):
    workbook = openpyxl.Workbook()
    sheet = workbook.worksheets[0]
    sheet.title = "单位"
    for row in rows:
        sheet.append(row)
    if extra_sheet:
        workbook.create_sheet("说明").append(["填表说明"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


# --- reading a table ---------------------------------------------------------------------------


def test_cells_are_read_like_facts_file_values(ruleset):
    [unit] = scored(ruleset, '甲局,救助资金,2022,"1,280",１２８０,86.75%,是,好,')
    assert unit.error is None
    facts = unit.result.facts
    assert facts.facts == {
        "预算数": Decimal(1280),
        "执行数": Decimal(1280),
        "受理率": Decimal("0.8675"),
        "制度健全": True,
        "管理": facts.facts["管理"],
    }
    assert facts.facts["管理"].tier == "好"
    assert facts.subject == {"unit": "甲局", "project": "救助资金", "year": "2022"}
    assert unit.result.total == Decimal("97.35")  # 40 + 17.35 + 20 + 20


def test_headers_match_names_or_labels_after_nfkc_and_strip(ruleset):
    header = " 单位 , ｐｒｏｊｅｃｔ ,YEAR,预算数,全年执行数 ,及时受理率,制度健全,管理"
    [unit] = scored(ruleset, "甲局,资金,2022,100,90,100%,否,中", header=header)
    assert unit.error is None
    assert unit.result.subject == {"unit": "甲局", "project": "资金", "year": "2022"}
    assert unit.result.total == Decimal("70.00")  # 36 + 20 + 0 + 14


def test_not_applicable_cell_takes_commas_and_semicolons_half_or_full_width(ruleset):
    [unit] = scored(ruleset, '甲局,资金,2022,100,100,,,好,"output.accepted，output.rules"')
    assert unit.error is None
    assert unit.result.not_applicable == ("output.accepted", "output.rules")
    assert unit.result.total == Decimal("100.00")
    [unit] = scored(ruleset, "甲局,资金,2022,100,100,,,好,output.accepted; output.rules")
    assert unit.result.not_applicable == ("output.accepted", "output.rules")


def test_a_bad_cell_is_named_by_its_row_and_column_header(ruleset):
    [unit] = scored(ruleset, "甲局,资金,2022,100,一百,90%,是,好,")
    assert unit.error == (
        "units.csv:row 2, column 执行数: [execution] 执行数: expected a number, found text "
        "'一百': write digits only in 万元, e.g. 1280 or 52.05 (a comma only between groups of three)"
    )


def test_every_problem_of_a_row_is_listed_in_column_order(ruleset):
    [unit] = scored(ruleset, "甲局,资金,2022,-5,,97.7,对,良好,zz")
    assert unit.error.splitlines() == [
        "units.csv:row 2, column 全年预算数: [execution] 预算数: -5 is below the declared min 0",
        "units.csv:row 2, column 执行数: [execution] 执行数: missing (全年执行数, 万元)",
        "units.csv:row 2, column 及时受理率: [output.accepted] 受理率: 97.7 for a rate would be 9770%: write 97.7% (or 0.977)",
        "units.csv:row 2, column 资金管理制度健全: [output.rules] 制度健全: expected true or false (是 or 否), found '对'",
        "units.csv:row 2, column 资金管理情况: [management] 管理: unknown tier '良好': choose one of '好', '中', '差'",
        "units.csv:row 2, column 不适用: not_applicable: no indicator 'zz'",
    ]


def test_a_missing_column_is_reported_at_the_row(ruleset):
    header = "单位,全年预算数,执行数,及时受理率,资金管理制度健全"
    [unit] = scored(ruleset, "甲局,100,100,1,是", header=header)
    assert unit.error == "units.csv:row 2: [management] 管理: missing (资金管理情况)"


def test_blank_rows_are_skipped_and_rows_keep_their_spreadsheet_numbers(ruleset):
    units = csv_units(
        ruleset, "", "甲局,资金,2022,100,100,1,是,好,", ",,,,", "乙局,资金,2022,1,1,1,是,好,"
    )
    assert [unit.source for unit in units] == ["units.csv:row 3", "units.csv:row 5"]
    assert [unit.stem for unit in units] == ["units-row3", "units-row5"]


def test_unknown_column_is_an_error_naming_the_column_with_a_suggestion(ruleset):
    with pytest.raises(FactsError) as caught:
        csv_units(ruleset, "甲局", header="单位,全年执行率,备注")
    assert str(caught.value).splitlines() == [
        "units.csv: 2 problems",
        "units.csv:row 1, column 全年执行率: unknown column '全年执行率' (did you mean '全年执行数'?): head each column with a fact's name or label, a subject column (unit/单位, project/项目, year/年度) or not_applicable/不适用",
        "units.csv:row 1, column 备注: unknown column '备注': head each column with a fact's name or label, a subject column (unit/单位, project/项目, year/年度) or not_applicable/不适用",
    ]


def test_a_column_of_a_derived_value_is_refused_saying_it_is_computed():
    ruleset = load_ruleset("xinfang.wangcheng-relief@2022.1")
    with pytest.raises(FactsError) as caught:
        csv_units(ruleset, "1", header="预算执行率")
    assert str(caught.value) == (
        "units.csv:row 1, column 预算执行率: column '预算执行率' is the derived value '预算执行率', "
        "which the ruleset computes from the facts: delete the column"
    )


def test_a_fact_given_by_two_columns_is_refused(ruleset):
    with pytest.raises(
        FactsError,
        match=r"row 1, column 全年执行数: columns '执行数' and '全年执行数' both give 执行数",
    ):
        csv_units(ruleset, "1,2", header="执行数,全年执行数")


def test_a_label_two_facts_share_needs_the_fact_name():
    shared = RULESET.replace("label: 全年执行数", "label: 全年预算数")
    with pytest.raises(FactsError, match="column '全年预算数' is the label of 预算数, 执行数"):
        csv_units(ruleset_from(shared), "1", header="全年预算数")


def test_a_value_under_no_header_is_that_rows_error(ruleset):
    units = scored(
        ruleset, "甲局,资金,2022,100,100,1,是,好,,备注", "乙局,资金,2022,100,100,1,是,好"
    )
    assert units[0].error == (
        "units.csv:row 2, column 10: a value under no column header ('备注'): "
        "head the column or delete it"
    )
    assert units[1].error is None


def test_an_empty_table_is_refused(ruleset):
    with pytest.raises(FactsError, match="the table is empty"):
        read_table(b"\xef\xbb\xbf\n,,\n", "units.csv", ruleset)


def test_a_csv_saved_by_chinese_excel_in_gbk_is_read(ruleset):
    text = f"{HEADER}\n甲局,资金,2022,100,100,1,是,好,\n"
    [unit] = read_table(text.encode("gbk"), "units.csv", ruleset)
    assert result_of(score_unit(unit, ruleset)).subject["unit"] == "甲局"


def test_xlsx_numbers_are_exact_and_cells_are_named_like_excel(ruleset):
    rows = [
        HEADER.split(","),
        ["甲局", "资金", 2022, 60, 52.05, 0.8675, True, "好", None],
        ["乙局", "资金", 2022, 100, "一百", 1, "是", "好", None],
    ]
    units = [
        score_unit(unit, ruleset) for unit in read_table(xlsx_bytes(rows), "units.xlsx", ruleset)
    ]
    facts = result_of(units[0]).facts.facts
    assert (facts["执行数"], facts["受理率"]) == (Decimal("52.05"), Decimal("0.8675"))
    assert result_of(units[0]).subject["year"] == "2022"
    assert units[1].unit.source == "units.xlsx:row 3"
    assert str(units[1].error).startswith(
        "units.xlsx!E3: [execution] 执行数: expected a number, found text '一百'"
    )


def test_a_workbook_with_several_sheets_reads_the_first_and_names_it(ruleset):
    rows = [HEADER.split(","), ["甲局", "资金", 2022, 100, -1, 1, True, "好"]]
    [unit] = read_table(xlsx_bytes(rows, extra_sheet=True), "units.xlsx", ruleset)
    assert (
        score_unit(unit, ruleset).error
        == "units.xlsx!单位!E2: [execution] 执行数: -1 is below the declared min 0"
    )


def test_a_file_that_is_not_a_workbook_is_refused(ruleset):
    with pytest.raises(FactsError, match=r"units.xlsx:1:1: not an XLSX workbook"):
        read_table(b"not a zip", "units.xlsx", ruleset)


def test_a_number_excel_computed_is_read_as_excel_shows_it(ruleset):
    # =B2/C2 leaves the float next to 0.9744, which has 16 decimal places
    rows = [HEADER.split(","), ["甲局", "资金", 2022, 100, 97.44, 0.9743999999999999, True, "好"]]
    [unit] = read_table(xlsx_bytes(rows), "units.xlsx", ruleset)
    assert result_of(score_unit(unit, ruleset)).facts.facts["受理率"] == Decimal("0.9744")


def test_a_unit_given_twice_is_scored_once_the_second_naming_the_first(ruleset):
    units = mark_duplicates(
        csv_units(
            ruleset,
            "甲局,资金,2022,100,90,100%,是,好,",
            "乙局,资金,2022,100,90,100%,是,好,",
            " 甲局 ,资金,2022,100,80,100%,是,好,",  # the same unit, typed again
            "甲局,资金,2023,100,90,100%,是,好,",  # another year: another unit
        )
    )
    results = [score_unit(unit, ruleset) for unit in units]
    assert [result.error for result in results] == [
        None,
        None,
        "units.csv:row 4: the same unit as units.csv:row 2 (甲局 资金 2022): a unit is counted "
        "once, remove one of the two",
        None,
    ]


def test_units_without_a_subject_cannot_be_told_apart_and_are_all_kept(ruleset):
    header = "全年预算数,执行数,及时受理率,资金管理制度健全,资金管理情况"
    units = csv_units(ruleset, "100,90,100%,是,好", "100,90,100%,是,好", header=header)
    assert mark_duplicates(units) == units


@pytest.mark.parametrize(
    ("column", "letters"), [(1, "A"), (26, "Z"), (27, "AA"), (28, "AB"), (702, "ZZ"), (703, "AAA")]
)
def test_column_letters_are_excels(column, letters):
    assert column_letters(column) == letters


def test_cell_locations_print_as_a_spreadsheet_user_looks_for_them():
    assert (
        str(CellLocation("units.csv", 12, 4, "预算执行数")) == "units.csv:row 12, column 预算执行数"
    )
    assert str(CellLocation("units.csv", 12, 0)) == "units.csv:row 12"
    assert str(CellLocation("units.xlsx", 12, 3, "x", is_workbook=True)) == "units.xlsx!C12"
    assert (
        str(CellLocation("units.xlsx", 12, 28, sheet="汇总", is_workbook=True))
        == "units.xlsx!汇总!AB12"
    )


# --- facts files -------------------------------------------------------------------------------


def test_a_facts_file_that_is_not_yaml_is_its_units_error(ruleset):
    unit = parse_unit("facts: [", "a.yaml")
    assert unit.data is None
    assert str(score_unit(unit, ruleset).error).startswith(
        "a.yaml:1:9: YAML: the '[' opened here is not closed"
    )


def test_a_facts_file_scores_as_load_facts_does():
    ruleset = load_ruleset("xinfang.wangcheng-relief@2022.1")
    text = (ROOT / "examples" / "xinfang-wangcheng-2022.yaml").read_text(encoding="utf-8")
    result = result_of(score_unit(parse_unit(text, "examples/x.yaml"), ruleset))
    assert (result.total, result.grade) == (Decimal("100.00"), "优")


def test_a_subject_number_with_a_huge_exponent_is_not_written_out_digit_by_digit():
    unit = Unit("a.yaml", "a", LocatedDict({"subject": {"year": Decimal("1E+999999999")}}))
    assert unit.subject == {"year": "1E+999999999"}


# --- result file names -------------------------------------------------------------------------


def named(subject, stem="units-row2"):
    return UnitResult(Unit(f"{stem}.yaml", stem, LocatedDict({"subject": subject})))


def test_result_names_come_from_the_subject_made_safe_and_unique():
    taken: set[str] = set()
    subject = {"year": "2022", "unit": "长沙市望城区信访局", "project": "信访救助资金"}
    assert result_name(named(subject), taken) == "长沙市望城区信访局-信访救助资金-2022.json"
    assert result_name(named(subject), taken) == "长沙市望城区信访局-信访救助资金-2022-2.json"
    assert result_name(named({"unit": "A/B:C*?"}), taken) == "A_B_C__.json"
    assert result_name(named({"unit": "a/b:c*?"}), taken) == "a_b_c__-2.json"  # case-insensitive
    assert result_name(named({"unit": " .. "}, "units-row7"), taken) == "units-row7.json"
    assert result_name(named({}, "units-row8"), taken) == "units-row8.json"
    assert result_name(named({"unit": "CON"}), taken) == "CON_.json"
    long = result_name(named({"unit": "局" * 200}), taken)
    assert len(long.encode("utf-8")) <= 180 + len(".json")


# --- summaries ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def summary(ruleset):
    units = scored(
        ruleset,
        "甲局,资金,2022,100,100,100%,是,好,",
        "乙局,资金,2022,100,50,100%,否,中,output.rules",
        "丙局,资金,2022,100,一百,100%,是,好,",
        "丁局,资金,2022,100,80,50%,否,差,output",
    )
    return summarise(ruleset, [summary_row(unit) for unit in units])


def test_summary_rows_have_total_grade_points_lost_per_top_level_and_error(summary):
    headers, rows = summary_table(summary)
    assert headers == [
        "来源",
        "单位",
        "项目",
        "年度",
        "总分",
        "等级",
        "预算执行率失分",
        "产出指标失分",
        "资金管理失分",
        "错误",
    ]
    assert rows[0] == [
        "units.csv:row 2",
        "甲局",
        "资金",
        "2022",
        "100.00",
        "优",
        "0.00",
        "0.00",
        "0.00",
        "",
    ]
    # 乙局: 20 + 20 + 14 = 54 of the 80 applicable; output lost only what its applicable child lost
    assert rows[1] == [
        "units.csv:row 3",
        "乙局",
        "资金",
        "2022",
        "67.50",
        "中",
        "20.00",
        "0.00",
        "6.00",
        "",
    ]
    assert rows[2][:6] == ["units.csv:row 4", "丙局", "资金", "2022", "", ""]
    assert rows[2][6:9] == ["", "", ""]
    assert rows[2][9].startswith("units.csv:row 4, column 执行数:")
    assert rows[3][4:9] == ["53.33", "差", "8.00", "", "20.00"]  # output 不适用: blank


def test_grade_counts_list_every_grade_best_first_then_errors(summary):
    assert grade_counts(summary) == "优 1 · 良 0 · 中 1 · 差 1 · errors 1"


def test_summary_json_is_sorted_exact_and_stable(summary):
    text = render_summary_json(summary)
    assert text == render_summary_json(summary)
    data = json.loads(text)
    assert list(data) == sorted(data)
    assert data["units"][1]["lost"] == {
        "execution": "20.00",
        "output": "0.00",
        "management": "6.00",
    }
    assert data["units"][3]["lost"]["output"] is None
    assert data["units"][2]["lost"] is None
    assert data["grades"] == {"优": 1, "良": 0, "中": 1, "差": 1}
    assert data["errors"] == 1


def test_summary_csv_has_a_bom_for_excel_and_the_same_cells(summary):
    text = render_summary_csv(summary)
    assert text.startswith("\ufeff来源,单位,")
    rows = list(csv.reader(io.StringIO(text[1:], newline="")))
    assert rows == [summary_table(summary)[0], *summary_table(summary)[1]]


def test_summary_xlsx_has_numbers_as_numbers_with_two_decimals_and_stable_bytes(summary):
    data = render_summary_xlsx(summary)
    assert data == render_summary_xlsx(summary)
    assert {info.date_time for info in zipfile.ZipFile(io.BytesIO(data)).infolist()} == {
        (1980, 1, 1, 0, 0, 0)
    }
    sheet = openpyxl.load_workbook(io.BytesIO(data)).worksheets[0]
    assert [cell.value for cell in sheet[1]][4:6] == ["总分", "等级"]
    total = sheet.cell(3, 5)
    assert (total.value, total.data_type, total.number_format) == (67.5, "n", "0.00")
    assert sheet.cell(3, 7).value == 20
    assert sheet.cell(4, 5).value is None  # the unit that failed has no total
    assert sheet.cell(5, 8).value is None  # 不适用


# --- messages in Chinese ----------------------------------------------------------------------


@pytest.mark.usefixtures("chinese")
def test_table_problems_are_said_in_chinese(ruleset):
    with pytest.raises(FactsError) as caught:
        csv_units(ruleset, "1,2", header="执行数,全年执行数")
    assert str(caught.value) == (
        "units.csv:row 1, column 全年执行数: 列 '执行数' 和列 '全年执行数' 都填写了 执行数"
    )
    units = scored(ruleset, "甲局,资金,2022,100,100,1,是,好,,备注")
    assert units[0].error == (
        "units.csv:row 2, column 10: 没有列标题的单元格中有值（'备注'）：请补上列标题或删除该值"
    )
    with pytest.raises(FactsError) as caught:
        read_table(b"\xef\xbb\xbf\n,,\n", "units.csv", ruleset)
    assert caught.value.issues[0].message == "表格为空：请在第一行填写各数据项的名称或说明"


@pytest.mark.usefixtures("chinese")
def test_the_terminal_summary_words_are_said_in_chinese(summary):
    assert grade_counts(summary) == "优 1 · 良 0 · 中 1 · 差 1 · 出错 1"
    _, rows = summary_table(summary, count_problems=True)
    assert [row[-1] for row in rows] == ["", "", "1 个问题", ""]
    headers, _ = summary_table(summary)
    assert headers[-1] == "错误"  # the summary file's columns are Chinese in every language


# --- streaming pieces: the header first, rows as they come, duplicates kept small ---------------


def test_a_header_read_first_and_rows_numbered_as_they_come(ruleset):
    rows = iter(
        [
            [],
            HEADER.split(","),
            ["甲局", "资金", "2022", "100", "90", "90%", "是", "好", ""],
            ["", "", "", "", "", "", "", "", ""],
            ["乙局", "资金", "2022", "100", "100", "100%", "是", "好", ""],
        ]
    )
    table, data = read_header(rows, "units.csv", ruleset)
    assert table.subject_keys == ("unit", "project", "year")
    numbered = list(data)
    assert [number for number, _ in numbered] == [3, 5]  # the blank row 4 left out
    unit = table.unit(*numbered[1])
    assert unit.source == "units.csv:row 5"
    assert result_of(score_unit(unit, ruleset)).total == Decimal("100.00")


def test_duplicates_are_found_by_a_digest_of_the_subject_written():
    seen = Duplicates()
    assert seen.first({"unit": "甲局", "year": "2022"}, 2) is None
    assert seen.first({"unit": "乙局", "year": "2022"}, 3) is None
    assert seen.first({"year": "2022", "unit": " 甲局 "}, 4) == 2  # folded and stripped alike
    assert seen.first({}, 5) is None  # no subject: cannot be told apart


def test_duplicates_stay_found_as_the_table_of_digests_grows():
    seen = Duplicates()
    for number in range(2, 5_002):
        assert seen.first({"unit": f"单位{number}", "year": "2022"}, number) is None
    assert seen.first({"unit": "文件局"}, "a/文件局.yaml") is None
    for number in range(2, 5_002, 499):
        assert seen.first({"unit": f"单位{number}", "year": "2022"}, 9_999) == number
    assert seen.first({"unit": "文件局"}, "b/文件局.yaml") == "a/文件局.yaml"
    assert seen.first({"unit": "文件局"}, "a/文件局.yaml") is None  # the same source again


def test_a_tally_counts_what_the_summary_counts(ruleset):
    units = scored(ruleset, *(f"单位{n},资金,2022,100,{50 + 10 * n},90%,是,好," for n in range(6)))
    summary = summarise(ruleset, [summary_row(unit) for unit in units])
    tally = Tally(summary.grades)
    for row in summary.rows:
        tally.add(row)
    assert tally.text() == grade_counts(summary)
    assert tally.units == 6


def test_a_worker_scores_a_row_as_the_batch_does_in_one_process(ruleset):
    table, data = read_header(
        iter([HEADER.split(","), ["甲局", "资金", "2022", "100", "90", "90%", "是", "好", ""]]),
        "units.csv",
        ruleset,
    )
    start_worker(ruleset, table, keep=True)
    [(number, row)] = list(data)
    done = score_item((number, row))
    alone = score_unit(table.unit(number, row), ruleset)
    assert done.row == summary_row(alone)
    assert done.number == 2
    assert done.text == render_json(result_of(alone))
    assert done.where == "units.csv:row 2"


def test_a_workers_unit_crosses_to_the_main_process_whole_with_its_csv_line(ruleset):
    table, data = read_header(
        iter([HEADER.split(","), ["甲局", "资金", "2022", "100", "90", "90%", "是", "好", ""]]),
        "units.csv",
        ruleset,
    )
    shape = LineShape(table.subject_keys, len(ruleset.indicators))
    start_worker(ruleset, table, keep=False, shape=shape)
    [(number, row)] = list(data)
    done = score_item((number, row))
    assert pickle.loads(pickle.dumps(done)) == done
    assert done.cells == tuple(csv_line(done.row, shape))
    assert done.cells[0] == "units.csv:row 2"
