"""Workbooks: the facts template (validations, locked sheets, the 评分标准 in words), reading a
filled one back cell by cell, and the 自评表 as XLSX (merged cells, numbers, totals that add up)."""

from __future__ import annotations

import datetime
import io
from decimal import Decimal
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from scoring.engine.score import score
from scoring.errors import FactsError
from scoring.load.facts import load_facts
from scoring.load.rulesets import load_named_ruleset, load_ruleset
from scoring.load.workbook import parse_facts_workbook, workbook_ruleset
from scoring.model.facts import AuditOverrides, Override, TierClaim
from scoring.model.results import ScoreResult
from scoring.model.ruleset import Ruleset
from scoring.render import render_json, render_xlsx
from scoring.render.standards import standard_text
from scoring.render.workbook import render_template_xlsx
from tests.conftest import EXAMPLES, RULESETS, SCORING_RULESET_FILES, facts_from, ruleset_from

WANGCHENG = RULESETS / "xinfang" / "wangcheng-relief-2022.yaml"
WANGCHENG_FACTS = EXAMPLES / "xinfang-wangcheng-2022.yaml"
ILLUSTRATIVE = RULESETS / "illustrative" / "project-self-eval-2020.yaml"
WANGCHENG_VALUES: dict[str, Any] = {
    "unit": "长沙市望城区信访局",
    "project": "信访救助资金",
    "year": 2022,
    "not_applicable": "satisfaction",
    "全年预算数": 128,
    "全年执行数": 128,
    "救助人数": 48,
    "党组研究每批资金": "是",
    "年内完成拨付": "是",
    "再次上访人数": 0,
    "纳入常年预算": "是",
}
# illustrative.project-self-eval@2020.1's first worked example, as a department types it
ILLUSTRATIVE_VALUES: dict[str, Any] = {
    "全年预算数": 80,
    "全年执行数": 80,
    "化解积案数": 20,
    "接待人次": 3000,
    "漏报件数": 0,
    "及时受理率": 0.99,
    "按期办结率": "98%",
    "积案化解支出": 24,
    "安保服务费": 12,
    "越级上访人次": 0,
    "信访秩序": "达成年度指标",
    "信访秩序.score": 10,
    "信访秩序.note": "越级访明显下降",
    "长效机制": "达成年度指标",
    "长效机制.score": 10,
    "长效机制.note": "制度健全",
}
SMALL = """\
id: t.workbook
version: "1"
title: 测试
kind: project
tiers:
  - {label: 好, range: [0.8, 1], default: 0.9}
  - {label: 中, range: [0.6, 0.8]}
  - {label: 差, range: [0, 0.6], default: 0.3}
facts:
  执行率: {label: 预算执行率, unit: "%", min: 0, max: 1}
  结余情况: {label: 结余情况, type: choice, options: [无结余, 有结余但不超过上年结转, 超过上年结转]}
  管理: {label: 资金管理情况, type: tier}
  备注数: {label: 未读取的数, unit: 件}
indicators:
  - {id: rate, name: 执行, weight: 40, method: bands, value: 执行率, bands: [{at_least: 0.9, score: 40}, {below: 0.9, score: 0}]}
  - {id: carryover, name: 结余, weight: 30, method: choice, fact: 结余情况, options: {无结余: 30, 有结余但不超过上年结转: 20, 超过上年结转: 0}}
  - {id: management, name: 管理, weight: 30, method: tiers, fact: 管理}
"""


@pytest.fixture(scope="module")
def wangcheng() -> Ruleset:
    return load_ruleset(WANGCHENG)


@pytest.fixture(scope="module")
def illustrative() -> Ruleset:
    return load_ruleset(ILLUSTRATIVE)


@pytest.fixture(scope="module")
def small() -> Ruleset:
    return ruleset_from(SMALL)


def book(data: bytes) -> Any:
    """The workbook, untyped: cells hold whatever the test put there."""
    return openpyxl.load_workbook(io.BytesIO(data))


def key_rows(sheet: Any) -> dict[str, int]:
    """Each row's name (column A) → its row number."""
    return {str(row[0].value): row[0].row for row in sheet.iter_rows(min_row=1) if row[0].value}


def fill(template: bytes, given: dict[str, Any]) -> bytes:
    """The template with values typed into the value cells (column C), by the rows' names."""
    workbook = book(template)
    sheet = workbook["facts"]
    rows = key_rows(sheet)
    for key, value in given.items():
        sheet.cell(rows[key], 3).value = value
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def validations(sheet: Any) -> dict[str, Any]:
    """Cell coordinate → the data validation covering it."""
    return {
        str(cell_range): validation
        for validation in sheet.data_validations.dataValidation
        for cell_range in validation.sqref.ranges
    }


# --- the template ---------------------------------------------------------------------------


def test_template_has_a_locked_facts_sheet_and_indicators_sheet(wangcheng):
    workbook = book(render_template_xlsx(wangcheng))
    assert workbook.sheetnames == ["facts", "indicators"]
    for sheet in workbook.worksheets:
        assert sheet.protection.sheet is True
    assert workbook.security is not None
    assert workbook.security.lockStructure is True


def test_only_the_value_cells_are_unlocked(wangcheng):
    sheet = book(render_template_xlsx(wangcheng))["facts"]
    rows = key_rows(sheet)
    unlocked = {
        cell.coordinate
        for row in sheet.iter_rows()
        for cell in row
        if cell.protection is not None and not cell.protection.locked
    }
    inputs = ["unit", "project", "year", "not_applicable", *wangcheng.facts]
    assert unlocked == {f"C{rows[key]}" for key in inputs}
    assert sheet.cell(rows["ruleset"], 3).value == "xinfang.wangcheng-relief@2022.1"
    indicators = book(render_template_xlsx(wangcheng))["indicators"]
    assert all(
        cell.protection is None or cell.protection.locked
        for row in indicators.iter_rows()
        for cell in row
    )


def test_value_cells_are_validated_by_type_and_bounds_with_label_and_unit(wangcheng):
    sheet = book(render_template_xlsx(wangcheng))["facts"]
    rows, checks = key_rows(sheet), validations(sheet)
    executed = checks[f"C{rows['全年执行数']}"]
    assert (executed.type, executed.operator, executed.formula1) == ("decimal", "between", "0")
    assert executed.showErrorMessage
    assert executed.prompt.startswith("全年执行数（万元），范围 ≥ 0")
    aided = checks[f"C{rows['救助人数']}"]
    assert (aided.type, aided.formula1) == ("whole", "0")
    assert aided.promptTitle == "救助生活困难信访群众人数"
    assert "（人）" in aided.prompt
    approval = checks[f"C{rows['党组研究每批资金']}"]
    assert (approval.type, approval.formula1) == ("list", '"是,否"')
    unit = checks[f"C{rows['unit']}"]
    assert unit.type is None
    assert unit.prompt == "单位名称：文本"
    assert sheet.cell(rows["全年执行数"], 2).value == "全年执行数"
    assert sheet.cell(rows["全年执行数"], 4).value == "万元"
    assert sheet.cell(rows["全年执行数"], 5).value == "≥ 0"
    assert "无指标读取此项" in sheet.cell(rows["年初预算数"], 6).value


def test_rates_tiers_and_choices_get_their_formats_lists_and_score_rows(small):
    sheet = book(render_template_xlsx(small))["facts"]
    rows, checks = key_rows(sheet), validations(sheet)
    rate = checks[f"C{rows['执行率']}"]
    assert (rate.type, rate.formula1, rate.formula2) == ("decimal", "0", "1")
    assert sheet.cell(rows["执行率"], 3).number_format == "0.00%"
    assert sheet.cell(rows["执行率"], 5).value == "0%–100%"
    assert checks[f"C{rows['结余情况']}"].formula1 == '"无结余,有结余但不超过上年结转,超过上年结转"'
    assert checks[f"C{rows['管理']}"].formula1 == '"好,中,差"'
    points = checks[f"C{rows['管理.score']}"]
    assert (points.type, points.formula1, points.formula2) == ("decimal", "0", "30")
    assert "好 24–30分；中 18–24分；差 0–18分" in sheet.cell(rows["管理.score"], 6).value
    assert f"C{rows['管理.note']}" in checks


def test_a_list_with_commas_or_too_long_for_a_validation_goes_to_a_hidden_sheet():
    options = ["甲,乙", *(f"选项{index:03d}" + "长" * 20 for index in range(12))]
    ruleset = ruleset_from(
        f"""\
        id: t.lists
        version: "1"
        title: 测试
        kind: project
        facts:
          情况: {{type: choice, options: [{", ".join(f'"{o}"' for o in options)}]}}
        indicators:
          - id: x
            name: 情况
            weight: 100
            method: choice
            fact: 情况
            options: {{{", ".join(f'"{o}": 0' for o in options[1:])}, "甲,乙": 100}}
        """
    )
    workbook = book(render_template_xlsx(ruleset))
    assert workbook.sheetnames == ["facts", "indicators", "lists"]
    assert workbook["lists"].sheet_state == "hidden"
    sheet = workbook["facts"]
    validation = validations(sheet)[f"C{key_rows(sheet)['情况']}"]
    assert validation.formula1 == "lists!$A$1:$A$13"
    assert [workbook["lists"].cell(row, 1).value for row in (1, 13)] == [options[0], options[12]]


def test_indicators_sheet_gives_path_indented_name_weight_and_standard(wangcheng):
    sheet = book(render_template_xlsx(wangcheng))["indicators"]
    rows = {row[0].value: row for row in sheet.iter_rows(min_row=3)}
    aided = rows["output.quantity.aided"]
    assert [cell.value for cell in aided] == [
        "output.quantity.aided",
        "救助生活困难信访群众人数",
        "三级",
        20,
        "≥48人",
        "按完成比例计分，满分为止：救助人数 / 48",
    ]
    assert aided[1].alignment.indent == 4
    assert rows["output"][1].alignment.indent == 0
    assert rows["output"][1].font.bold
    assert rows["output.quantity"][2].value == "二级"
    assert rows["execution"][5].value.startswith("预算执行率 = 全年执行数 / 全年预算数 × 100%")
    assert rows["output.cost.per_person"][5].value == (
        "人均救助金额 ≤ 5 为“是”的得满分，否则不得分"
    )
    assert rows["effect.social.no_repeat_petitions"][5].value == (
        "再次上访人数 每个扣5分，扣完为止"
    )


@pytest.mark.parametrize(
    ("ruleset_file", "path", "expected"),
    [
        (
            "illustrative/department-2013.yaml",
            "process.budget_execution.budget_completion_rate",
            "预算完成率：≥95%计4分；≥90%且<95%计3分；≥80%且<90%计2分；<80%不得分",
        ),
        (
            "illustrative/department-2013.yaml",
            "input.budget_allocation.staff_control_rate",
            "在职人员控制率≤100%的得满分；每超过1个百分点扣0.5分，扣完为止",
        ),
        (
            "illustrative/department-2013.yaml",
            "process.budget_execution.procurement_execution_rate",
            "政府采购执行率 与 100% 相差不超过 2个百分点（含）的得满分，否则不得分",
        ),
        (
            "illustrative/department-2013.yaml",
            "input.goal_setting.goal_reasonableness",
            "定性指标，按 绩效目标合理性 的等级计分：达成年度指标 2.4–3分；"
            "部分达成年度指标并具有一定效果 1.8–2.4分；未达成年度指标且效果较差 0–1.8分",
        ),
        (
            "illustrative/department-2013.yaml",
            "input.budget_allocation.three_public_change_rate",
            "按情形计分：较上年减少或持平，得5分；增幅不超过5%，得2分；其他情况不得分",
        ),
        (
            "illustrative/department-2013.yaml",
            "process.budget_execution.carryover_rate",
            "以下方案择其一（按先给齐事实的方案计分）：①结转结余率：=0%计3分；>0%且≤5%计2分；"
            ">5%且≤10%计1分；>10%不得分；②结转结余变动率：按情形计分：无结转结余，得3分；"
            "有结转结余但不超过上年，得2分；其他情况不得分",
        ),
        (
            "illustrative/department-2013.yaml",
            "process.budget_management.budget_disclosure",
            "按 预决算公开情况 计分：按规定内容和时限公开，得2分；公开但内容不全或不及时，得1分；"
            "未公开，不得分",
        ),
        (
            "illustrative/department-2013.yaml",
            "process.budget_management.funds_use_compliance",
            "扣分制：①截留、挤占、挪用、虚列支出（违规挪用笔数）每个扣1分；"
            "②支出依据不合规、审批程序不完整（支出不合规笔数）每个扣0.5分；扣完为止",
        ),
        (
            "illustrative/department-2013.yaml",
            "process.budget_execution.three_public_control_rate",
            "反向指标，按指标值与实际值之比计分，满分为止：本年三公经费预算数 / 三公经费实际支出；"
            "实际值为0的得满分",
        ),
        (
            "illustrative/department-self-eval-2021.yaml",
            "output.quantity.key_tasks",
            "各项按百分制评分，按权重折算：完成数量（权重 0.6）：重点工作数量得分；"
            "完成质量（权重 0.4）：重点工作质量得分",
        ),
        (
            "illustrative/project-self-eval-2020.yaml",
            "output.cost.security_fee",
            "反向指标，安保服务费 不超过 12 的得满分；超出的按超出比例扣分，达到指标值两倍的不得分",
        ),
    ],
)
def test_a_standard_in_words_is_built_from_the_method_when_none_is_written(
    ruleset_file, path, expected
):
    ruleset = load_ruleset(RULESETS / ruleset_file)
    node = next(node for found, _, node in ruleset.walk() if found == path)
    # the illustrative rulesets write their standards; the sentence built from the method is
    # what a ruleset without one shows
    assert standard_text(node.model_copy(update={"standard": None}), ruleset) == expected


def test_every_shipped_leaf_has_a_standard_in_words():
    for file in SCORING_RULESET_FILES:
        ruleset = load_ruleset(file)
        for path, _, node in ruleset.walk():
            if node.method is not None:
                assert standard_text(node.model_copy(update={"standard": None}), ruleset), path


def test_template_bytes_are_the_same_every_time(wangcheng, illustrative):
    assert render_template_xlsx(wangcheng) == render_template_xlsx(wangcheng)
    assert render_template_xlsx(illustrative) == render_template_xlsx(illustrative)


# --- reading a filled template --------------------------------------------------------------


def test_a_filled_template_scores_exactly_like_the_yaml_example(wangcheng):
    filled = fill(render_template_xlsx(wangcheng), WANGCHENG_VALUES)
    from_workbook = score(wangcheng, parse_facts_workbook(filled, "filled.xlsx", wangcheng))
    from_yaml = score(wangcheng, load_facts(WANGCHENG_FACTS, wangcheng))
    assert from_workbook.total == Decimal("100.00")
    assert render_json(from_workbook) == render_json(from_yaml)


def yaml_as_cells(path: Path, ruleset: Ruleset) -> dict[str, Any]:
    """What a department would type into the template for a facts file's values."""
    facts = load_facts(path, ruleset)
    cells: dict[str, Any] = dict(facts.subject)
    if facts.not_applicable:
        cells["not_applicable"] = "，".join(facts.not_applicable)
    for name, value in facts.facts.items():
        if isinstance(value, bool):
            cells[name] = "是" if value else "否"
        elif isinstance(value, Decimal):
            cells[name] = int(value) if value == value.to_integral_value() else float(value)
        elif isinstance(value, tuple):  # a list fact: its items in one cell
            cells[name] = "；".join(value)
        elif isinstance(value, str) and ruleset.facts[name].type == "date":  # a date cell
            cells[name] = datetime.datetime.fromisoformat(value)
        else:
            cells[name] = value
    return cells


@pytest.mark.parametrize("example", sorted(EXAMPLES.glob("*.yaml")), ids=lambda path: path.stem)
def test_every_example_typed_into_the_template_scores_the_same(example):
    ruleset = load_named_ruleset(example)
    filled = fill(render_template_xlsx(ruleset), yaml_as_cells(example, ruleset))
    facts = parse_facts_workbook(filled, "filled.xlsx", ruleset)
    assert facts == load_facts(example, ruleset).model_copy(update={"ruleset": ruleset.ref})
    ours, theirs = score(ruleset, facts), score(ruleset, load_facts(example, ruleset))
    assert (ours.total, ours.grade, ours.facts_fingerprint) == (
        theirs.total,
        theirs.grade,
        theirs.facts_fingerprint,
    )


def test_tier_rows_give_the_tier_its_points_and_note(illustrative):
    filled = fill(render_template_xlsx(illustrative), ILLUSTRATIVE_VALUES)
    facts = parse_facts_workbook(filled, "filled.xlsx", illustrative)
    claim = facts.facts["信访秩序"]
    assert isinstance(claim, TierClaim)
    assert claim.model_dump() == {
        "tier": "达成年度指标",
        "score": Decimal(10),
        "note": "越级访明显下降",
    }
    assert facts.facts["按期办结率"] == Decimal("0.98")
    assert facts.facts["及时受理率"] == Decimal("0.99")
    assert score(illustrative, facts).total == Decimal("100.00")


def test_a_tier_without_points_says_to_fill_in_its_score_row(illustrative):
    given = {**ILLUSTRATIVE_VALUES, "信访秩序.score": None, "信访秩序.note": None}
    filled = fill(render_template_xlsx(illustrative), given)
    rows = key_rows(book(filled)["facts"])
    with pytest.raises(FactsError) as caught:
        parse_facts_workbook(filled, "filled.xlsx", illustrative)
    assert str(caught.value) == (
        f"filled.xlsx!facts!C{rows['信访秩序']}: [effect.social.petition_order] 信访秩序: tier "
        f"'达成年度指标' has no default score: write its points in its 得分 row, "
        f"facts!C{rows['信访秩序.score']}"
    )


def test_points_without_a_tier_are_refused_at_the_tier_cell(illustrative):
    given = {**ILLUSTRATIVE_VALUES, "信访秩序": None}
    filled = fill(render_template_xlsx(illustrative), given)
    row = key_rows(book(filled)["facts"])["信访秩序"]
    with pytest.raises(FactsError, match=rf"filled.xlsx!facts!C{row}: 信访秩序: a score or note"):
        parse_facts_workbook(filled, "filled.xlsx", illustrative)


@pytest.mark.parametrize(
    ("key", "value", "message"),
    [
        (
            "全年执行数",
            "一百",
            "[execution] 全年执行数: expected a number, found text '一百': write digits only in "
            "万元, e.g. 1280 or 52.05 (a comma only between groups of three)",
        ),
        ("全年预算数", -5, "[execution] 全年预算数: -5 is below the declared min 0"),
        ("全年预算数", "1,28", "[execution] 全年预算数: expected a number, found text '1,28'"),
        ("救助人数", 2.5, "[output.quantity.aided] 救助人数: expected a whole number, found 2.5"),
        (
            "救助人数",
            None,
            "[output.quantity.aided] 救助人数: missing (救助生活困难信访群众人数, 人)",
        ),
        (
            "党组研究每批资金",
            "对",
            "[output.quality.approval] 党组研究每批资金: expected true or false (是 or 否), "
            "found '对'",
        ),
        (
            "全年执行数",
            "95%",
            "[execution] 全年执行数: '95%' is a percentage, but this fact is in 万元",
        ),
        (
            "not_applicable",
            "satisfactoin",
            "not_applicable: no indicator 'satisfactoin' (did you mean 'satisfaction'?)",
        ),
    ],
)
def test_a_bad_cell_is_named_by_sheet_and_cell(wangcheng, key, value, message):
    filled = fill(render_template_xlsx(wangcheng), {**WANGCHENG_VALUES, key: value})
    row = key_rows(book(filled)["facts"])[key]
    with pytest.raises(FactsError) as caught:
        parse_facts_workbook(filled, "filled.xlsx", wangcheng)
    assert str(caught.value).startswith(f"filled.xlsx!facts!C{row}: {message}")


def test_every_bad_cell_is_listed_at_once(wangcheng):
    given = {**WANGCHENG_VALUES, "全年执行数": "一百", "救助人数": "四十八"}
    filled = fill(render_template_xlsx(wangcheng), given)
    with pytest.raises(FactsError) as caught:
        parse_facts_workbook(filled, "filled.xlsx", wangcheng)
    lines = str(caught.value).splitlines()
    assert lines[0] == "filled.xlsx: 2 problems"
    assert [line.split(":")[0] for line in lines[1:]] == [
        "filled.xlsx!facts!C13",
        "filled.xlsx!facts!C14",
    ]


@pytest.mark.parametrize(
    ("key", "value", "read"),
    [
        ("全年执行数", "１２８", Decimal(128)),
        ("全年执行数", "1,280", Decimal(1280)),
        ("全年执行数", 52.05, Decimal("52.05")),
        ("全年执行数", "128万元", Decimal(128)),
        ("全年执行数", " 128 ", Decimal(128)),
        ("党组研究每批资金", "否", False),
        ("党组研究每批资金", True, True),
    ],
)
def test_cells_are_read_like_facts_file_values(wangcheng, key, value, read):
    filled = fill(render_template_xlsx(wangcheng), {**WANGCHENG_VALUES, key: value})
    assert parse_facts_workbook(filled, "filled.xlsx", wangcheng).facts[key] == read


def test_a_rate_cell_takes_a_percentage_or_a_fraction(small):
    template = render_template_xlsx(small)
    for typed in ("86.75%", 0.8675, "０．８６７５"):
        filled = fill(template, {"执行率": typed, "结余情况": "无结余", "管理": "好"})
        facts = parse_facts_workbook(filled, "f.xlsx", small)
        assert facts.facts["执行率"] == Decimal("0.8675")
    filled = fill(template, {"执行率": 86.75, "结余情况": "无结余", "管理": "好"})
    with pytest.raises(
        FactsError, match=r"86\.75 for a rate would be 8675%: write 86\.75% \(or 0\.8675\)"
    ):
        parse_facts_workbook(filled, "f.xlsx", small)


def test_the_workbook_names_its_ruleset(wangcheng):
    filled = fill(render_template_xlsx(wangcheng), WANGCHENG_VALUES)
    ref, where = workbook_ruleset(filled, "filled.xlsx")
    assert ref == "xinfang.wangcheng-relief@2022.1"
    assert str(where) == "filled.xlsx!facts!C5"


def test_a_workbook_of_another_ruleset_is_scored_with_a_warning(wangcheng, small):
    filled = fill(
        render_template_xlsx(small), {"执行率": "95%", "结余情况": "无结余", "管理": "好"}
    )
    with pytest.raises(FactsError, match=r"these facts name ruleset 't\.workbook@1'"):
        parse_facts_workbook(filled, "f.xlsx", wangcheng)


def test_a_workbook_without_a_facts_sheet_or_not_a_workbook_is_refused(wangcheng):
    other = openpyxl.Workbook()
    buffer = io.BytesIO()
    other.save(buffer)
    with pytest.raises(
        FactsError, match=r"^x.xlsx:1:1: no sheet 'facts' \(the workbook has 'Sheet'\): fill in"
    ):
        parse_facts_workbook(buffer.getvalue(), "x.xlsx", wangcheng)
    with pytest.raises(FactsError, match=r"^x.xlsx:1:1: not an XLSX workbook"):
        parse_facts_workbook(b"not a zip", "x.xlsx", wangcheng)


def test_a_value_in_a_row_without_a_name_is_refused(wangcheng):
    workbook = book(fill(render_template_xlsx(wangcheng), WANGCHENG_VALUES))
    sheet = workbook["facts"]
    sheet.cell(sheet.max_row + 2, 3, "多余")
    buffer = io.BytesIO()
    workbook.save(buffer)
    with pytest.raises(FactsError, match=r"a value in a row without a name \('多余'\)"):
        parse_facts_workbook(buffer.getvalue(), "filled.xlsx", wangcheng)


# --- the 自评表 -----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def wangcheng_result(wangcheng) -> ScoreResult:
    return score(wangcheng, load_facts(WANGCHENG_FACTS, wangcheng))


def report_rows(sheet: Any) -> dict[str, int]:
    """The first row whose first cell holds each text."""
    rows: dict[str, int] = {}
    for row in sheet.iter_rows():
        if isinstance(row[0].value, str):
            rows.setdefault(row[0].value, row[0].row)
    return rows


def merged(sheet: Any) -> set[str]:
    return {str(cell_range) for cell_range in sheet.merged_cells.ranges}


def score_cells(sheet: Any, column: int) -> list[Decimal]:
    """The numbers of a 得分 column, from the 项目资金 row down to the last indicator."""
    rows = report_rows(sheet)
    found = []
    for row in range(rows["年度资金总额"], rows.get("合计", rows["总分"])):
        value = sheet.cell(row, column).value
        if isinstance(value, int | float) and sheet.cell(row, 1).value != "一级指标":
            found.append(Decimal(str(value)))
    return found


def test_report_header_names_subject_ruleset_and_fingerprints(wangcheng, wangcheng_result):
    sheet = book(render_xlsx(wangcheng_result, wangcheng)).active
    assert sheet.title == "自评表"
    assert sheet["A1"].value == "2022年度望城区信访局信访救助资金绩效自评表"
    lines = {sheet.cell(row, 1).value: sheet.cell(row, 2).value for row in range(2, 7)}
    assert lines["项目名称"] == "信访救助资金"
    assert lines["实施单位"] == "长沙市望城区信访局"
    assert lines["年度"] == "2022"
    assert lines["规则集"] == (
        f"xinfang.wangcheng-relief@2022.1  {wangcheng_result.ruleset.fingerprint}"
    )
    assert lines["事实指纹"] == wangcheng_result.facts_fingerprint
    assert {"A1:H1", "B2:H2", "B5:H5"} <= merged(sheet)


def test_report_merges_first_and_second_level_cells_down_their_rows(wangcheng, wangcheng_result):
    sheet = book(render_xlsx(wangcheng_result, wangcheng)).active
    rows = report_rows(sheet)
    output, effect = rows["产出指标"], rows["效益指标"]
    assert f"A{output}:A{output + 3}" in merged(sheet)  # 数量, 质量, 时效, 成本: a leaf each
    assert f"A{effect}:A{effect + 1}" in merged(sheet)
    satisfaction = rows["满意度指标"]
    assert f"B{satisfaction}:C{satisfaction}" in merged(sheet)  # a 二级 leaf takes 三级's cell
    indicators = rows["绩效指标"]
    assert f"A{indicators}:H{indicators}" in merged(sheet)
    assert [sheet.cell(indicators + 1, column).value for column in range(1, 9)] == [
        "一级指标",
        "二级指标",
        "三级指标",
        "年度指标值",
        "实际完成值",
        "分值",
        "得分",
        "偏差原因分析及说明",
    ]
    aided = [sheet.cell(output, column).value for column in range(2, 9)]
    assert aided == ["数量指标", "救助生活困难信访群众人数", "≥48人", "48人", 20, 20, aided[-1]]
    assert aided[-1] == "48 / 48 = 100.00% → 20.00 / 20"
    assert sheet.cell(satisfaction, 7).value == "不适用"


def test_a_second_level_group_is_merged_down_its_leaves():
    ruleset = load_named_ruleset(EXAMPLES / "xinfang-yanbian-2020.yaml")
    result = score(ruleset, load_facts(EXAMPLES / "xinfang-yanbian-2020.yaml", ruleset))
    sheet = book(render_xlsx(result, ruleset)).active
    quantity = next(node for node in result.walk() if node.path == "output.quantity")
    row = next(r for r in range(1, sheet.max_row + 1) if sheet.cell(r, 2).value == quantity.name)
    assert f"B{row}:B{row + len(quantity.children) - 1}" in merged(sheet)


def test_report_scores_are_numbers_to_two_places_and_weights_as_written(
    wangcheng, wangcheng_result
):
    """A number cell shows what the Markdown and the terminal print: 20 and 20.00."""
    sheet = book(render_xlsx(wangcheng_result, wangcheng)).active
    rows = report_rows(sheet)
    for row in (rows["年度资金总额"], rows["产出指标"], rows["总分"]):
        weight, score = (6, 7) if row != rows["年度资金总额"] else (5, 7)
        assert sheet.cell(row, weight).data_type == sheet.cell(row, score).data_type == "n"
        assert sheet.cell(row, weight).number_format == "0"
        assert sheet.cell(row, score).number_format == "0.00"
    total = sheet.cell(rows["总分"], 7)
    assert Decimal(str(total.value)) == Decimal("100.00")
    assert sheet.cell(rows["等级"], 7).value == "优"


def test_the_fund_block_gives_amounts_rate_and_the_execution_score(wangcheng, wangcheng_result):
    sheet = book(render_xlsx(wangcheng_result, wangcheng)).active
    rows = report_rows(sheet)
    header = rows["项目资金（万元）"]
    assert [sheet.cell(header, column).value for column in range(1, 9)] == [
        "项目资金（万元）",
        "年初预算数",
        "全年预算数",
        "全年执行数",
        "分值",
        "执行率",
        "得分",
        "偏差原因分析及说明",
    ]
    fund = [sheet.cell(rows["年度资金总额"], column).value for column in range(1, 9)]
    assert fund == ["年度资金总额", "—", 128, 128, 10, 1, 10, "128 / 128 = 100.00% → 10.00 / 10"]
    assert sheet.cell(rows["年度资金总额"], 6).number_format == "0.00%"
    assert "预算执行率" not in rows  # scored in the fund block, not repeated below


def test_the_score_column_adds_up_to_the_sum_and_the_rescaled_total(wangcheng, wangcheng_result):
    sheet = book(render_xlsx(wangcheng_result, wangcheng)).active
    rows = report_rows(sheet)
    assert sum(score_cells(sheet, 7), Decimal(0)) == wangcheng_result.sum == Decimal(90)
    subtotal = rows["合计"]
    assert (sheet.cell(subtotal, 6).value, sheet.cell(subtotal, 7).value) == (90, 90)
    assert sheet.cell(subtotal, 8).value == "不含不适用指标"
    assert sheet.cell(rows["总分"], 8).value == "不适用指标不计入：总分 = 90.00 / 90 × 100 = 100.00"
    assert sheet.cell(rows["派生值 人均救助金额 = 2.6667 万元"], 1).value


@pytest.mark.parametrize("example", sorted(EXAMPLES.glob("*.yaml")), ids=lambda path: path.stem)
def test_every_examples_score_column_adds_up(example):
    ruleset = load_named_ruleset(example)
    result = score(ruleset, load_facts(example, ruleset))
    sheet = book(render_xlsx(result, ruleset)).active
    rows = report_rows(sheet)
    first = rows.get("年度资金总额", rows["一级指标"])
    last = rows.get("合计", rows["总分"])
    scores = [
        Decimal(str(value))
        for row in range(first, last)
        if isinstance(value := sheet.cell(row, 7).value, int | float)
    ]
    assert sum(scores, Decimal(0)) == result.sum
    assert Decimal(str(sheet.cell(rows["总分"], 7).value)) == result.total


def test_without_the_fund_facts_there_is_no_fund_block():
    ruleset = load_named_ruleset(EXAMPLES / "xinfang-hengshan-2019.yaml")
    result = score(ruleset, load_facts(EXAMPLES / "xinfang-hengshan-2019.yaml", ruleset))
    rows = report_rows(book(render_xlsx(result, ruleset)).active)
    assert "项目资金（万元）" not in rows
    assert result.indicators[0].name in rows


def test_an_unrescaled_total_is_the_plain_sum(illustrative):
    filled = fill(render_template_xlsx(illustrative), ILLUSTRATIVE_VALUES)
    result = score(illustrative, parse_facts_workbook(filled, "f.xlsx", illustrative))
    sheet = book(render_xlsx(result, illustrative)).active
    rows = report_rows(sheet)
    assert "合计" not in rows
    assert sum(score_cells(sheet, 7), Decimal(0)) == Decimal(str(sheet.cell(rows["总分"], 7).value))
    assert result.total == Decimal("100.00")
    order = next(
        r for r in range(1, sheet.max_row + 1) if sheet.cell(r, 3).value == "信访秩序明显好转"
    )
    assert sheet.cell(order, 5).value == "达成年度指标"  # its points are in the 得分 column


def test_an_auditors_layer_adds_self_and_audit_score_columns(wangcheng):
    facts = load_facts(WANGCHENG_FACTS, wangcheng)
    audit = AuditOverrides(
        overrides={
            "output.quantity.aided": Override(
                points=Decimal(15), reason="5人不符合条件", by="审计 赵六"
            )
        }
    )
    result = score(wangcheng, facts, audit)
    sheet = book(render_xlsx(result, wangcheng)).active
    rows = report_rows(sheet)
    header = rows["一级指标"]
    assert [sheet.cell(header, column).value for column in range(6, 10)] == [
        "分值",
        "自评得分",
        "审核得分",
        "偏差原因分析及说明",
    ]
    aided = rows["产出指标"]
    assert (sheet.cell(aided, 7).value, sheet.cell(aided, 8).value) == (20, 15)
    assert "审核调整：20.00 → 15.00，理由：5人不符合条件（审计 赵六）" in sheet.cell(aided, 9).value
    total = rows["总分"]
    assert (sheet.cell(total, 7).value, sheet.cell(total, 8).value) == (100, 94.44)
    assert sum(score_cells(sheet, 8), Decimal(0)) == result.sum
    assert sheet.cell(rows["审核调整指纹"], 2).value == result.audit_fingerprint
    assert "A1:I1" in merged(sheet)


def test_report_prints_on_a4_as_wide_as_the_page(wangcheng, wangcheng_result):
    sheet = book(render_xlsx(wangcheng_result, wangcheng)).active
    assert sheet.page_setup.paperSize == int(sheet.PAPERSIZE_A4)  # A4 is paper size 9
    assert sheet.page_setup.fitToWidth == 1
    assert sheet.page_setup.fitToHeight == 0
    assert sheet.sheet_properties.pageSetUpPr.fitToPage
    header = report_rows(sheet)["一级指标"]
    assert sheet.print_title_rows == f"${header}:${header}"


def test_report_bytes_are_the_same_every_time(wangcheng, wangcheng_result):
    assert render_xlsx(wangcheng_result, wangcheng) == render_xlsx(wangcheng_result, wangcheng)


def test_a_check_that_holds_is_noted_beside_its_indicator(wangcheng):
    facts = facts_from(
        WANGCHENG_FACTS.read_text(encoding="utf-8").replace("全年执行数: 128", "全年执行数: 76.8"),
        wangcheng,
    )
    result = score(wangcheng, facts)
    sheet = book(render_xlsx(result, wangcheng)).active
    rows = report_rows(sheet)
    note = sheet.cell(rows["年度资金总额"], 8).value
    assert note.splitlines()[1].startswith("注：预算执行率低于90%，需说明原因")
    assert sheet.cell(rows["年度资金总额"], 4).value == 76.8
    assert not any(text.startswith("注 [execution]") for text in rows)


MORE = """\
id: t.more
version: "1"
title: 更多
kind: project
facts:
  全年预算数: {unit: 万元, min: 0}
  全年执行数: {unit: 万元, min: 0}
  差错数: {unit: 处, type: integer, max: 10}
  甲: {min: 0}
  乙: {min: 0}
  结余情况: {type: choice, options: [无结余, 有结余]}
derived:
  预算执行率: {expr: 全年执行数 / 全年预算数, unit: "%"}
  两倍: 甲 * 2
  三倍: 甲 * 3
indicators:
  - {id: execution, name: 预算执行率, weight: 20, method: bands, value: 预算执行率, bands: [{at_least: 0.9, score: 20}, {below: 0.9, score: 10}]}
  - {id: errors, name: 差错, weight: 20, method: formula, expr: "clamp(20 - 差错数 * 2, 0, 20)"}
  - id: either
    name: 二选一
    weight: 20
    method: either
    alternatives:
      - {id: by_a, name: 按甲, method: ratio, actual: 甲, target: 10}
      - {id: by_b, name: 按乙, method: ratio, actual: 乙, target: 10}
  - {id: both, name: 两值, weight: 20, method: formula, expr: "clamp(两倍 + 三倍, 0, 20)"}
  - {id: carry, name: 结余, weight: 20, method: choice, fact: 结余情况, options: {无结余: 20, 有结余: 10}}
"""


@pytest.fixture(scope="module")
def more() -> Ruleset:
    return ruleset_from(MORE)


def test_template_hints_at_alternatives_and_one_sided_bounds(more):
    sheet = book(render_template_xlsx(more))["facts"]
    rows, checks = key_rows(sheet), validations(sheet)
    assert "仅在 either 选用读取它的方案时填写" in sheet.cell(rows["乙"], 6).value
    assert sheet.cell(rows["差错数"], 5).value == "≤ 10"
    errors = checks[f"C{rows['差错数']}"]
    assert (errors.type, errors.formula1, errors.formula2) == ("whole", "-999999999999999", "10")
    indicators = {
        row[0].value: row[5].value
        for row in book(render_template_xlsx(more))["indicators"].iter_rows(min_row=3)
    }
    assert indicators["errors"] == "得分 = 限定(20 - 差错数 × 2, 0, 20)"
    assert indicators["execution"] == "预算执行率：≥90%计20分；<90%计10分"


def test_the_fund_block_takes_the_leaf_that_reads_the_execution_through_a_derived_value(more):
    facts = facts_from(
        """\
        ruleset: other.ruleset@1
        facts: {全年预算数: 100, 全年执行数: 95, 差错数: 1, 甲: 2, 结余情况: 无结余}
        """,
        more,
    )
    result = score(more, facts)
    sheet = book(render_xlsx(result, more)).active
    rows = report_rows(sheet)
    fund = [sheet.cell(rows["年度资金总额"], column).value for column in range(2, 8)]
    assert fund == ["—", 100, 95, 20, 0.95, 20]
    assert "预算执行率" not in rows
    both = next(r for r in range(1, sheet.max_row + 1) if sheet.cell(r, 1).value == "两值")
    assert sheet.cell(both, 5).value == "三倍 6\n两倍 4"  # in the order the leaf read them
    assert sheet.cell(both + 1, 5).value == "无结余"
    assert any(text.startswith("注：填报文件注明的规则集为 'other.ruleset@1'") for text in rows)
    assert sum(score_cells(sheet, 7), Decimal(0)) == result.total


def test_an_unknown_row_among_the_subject_rows_is_refused(wangcheng):
    workbook = book(fill(render_template_xlsx(wangcheng), WANGCHENG_VALUES))
    sheet = workbook["facts"]
    row = key_rows(sheet)["year"]
    sheet.cell(row, 1, "colour")
    buffer = io.BytesIO()
    workbook.save(buffer)
    with pytest.raises(FactsError, match=rf"filled.xlsx!facts!A{row}: unknown row 'colour'"):
        parse_facts_workbook(buffer.getvalue(), "filled.xlsx", wangcheng)


def test_a_score_row_without_its_tier_row_is_refused(illustrative):
    workbook = book(fill(render_template_xlsx(illustrative), ILLUSTRATIVE_VALUES))
    sheet = workbook["facts"]
    rows = key_rows(sheet)
    sheet.cell(rows["信访秩序"], 1).value = "旧名称"
    buffer = io.BytesIO()
    workbook.save(buffer)
    with pytest.raises(FactsError) as caught:
        parse_facts_workbook(buffer.getvalue(), "filled.xlsx", illustrative)
    assert (
        f"filled.xlsx!facts!C{rows['信访秩序.score']}: a score or note for '信访秩序', which has "
        "no row of its own"
    ) in str(caught.value).splitlines()


# --- messages in Chinese ----------------------------------------------------------------------


@pytest.mark.usefixtures("chinese")
def test_a_tier_without_points_says_to_fill_in_its_score_row_in_chinese(illustrative):
    given = {**ILLUSTRATIVE_VALUES, "信访秩序.score": None, "信访秩序.note": "按上级通报"}
    filled = fill(render_template_xlsx(illustrative), given)
    rows = key_rows(book(filled)["facts"])
    with pytest.raises(FactsError) as caught:
        parse_facts_workbook(filled, "filled.xlsx", illustrative)
    assert str(caught.value) == (
        f"filled.xlsx!facts!C{rows['信访秩序']}: [effect.social.petition_order] 信访秩序: "
        f"档次 '达成年度指标' 没有默认得分：请在其“得分”行 facts!C{rows['信访秩序.score']} "
        "填写得分"
    )


def test_an_unknown_tier_is_not_taken_for_a_tier_without_points(illustrative):
    given = {**ILLUSTRATIVE_VALUES, "信访秩序": "很好", "信访秩序.score": None}
    filled = fill(render_template_xlsx(illustrative), given)
    with pytest.raises(FactsError) as caught:
        parse_facts_workbook(filled, "filled.xlsx", illustrative)
    assert "unknown tier '很好': choose one of" in str(caught.value)
    assert "得分 row" not in str(caught.value)


@pytest.mark.usefixtures("chinese")
def test_rows_the_template_does_not_have_are_refused_in_chinese(wangcheng):
    workbook = book(fill(render_template_xlsx(wangcheng), WANGCHENG_VALUES))
    sheet = workbook["facts"]
    row = key_rows(sheet)["year"]
    sheet.cell(row, 1, "colour")
    sheet.cell(sheet.max_row + 2, 3, "多余")
    buffer = io.BytesIO()
    workbook.save(buffer)
    with pytest.raises(FactsError) as caught:
        parse_facts_workbook(buffer.getvalue(), "filled.xlsx", wangcheng)
    assert [issue.message for issue in caught.value.issues] == [
        "未知的行 'colour'：【基本信息】的各行由模板给定",
        "没有名称的行中有值（'多余'）：请删除",
    ]
