"""The 自评表 renderers (Markdown, HTML): escaping, 不适用, overrides, audit columns, merged cells,
the fund block and the chart."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from decimal import Decimal
from html.parser import HTMLParser

import pytest

from scoring.engine.score import score
from scoring.load.facts import load_facts
from scoring.load.rulesets import load_ruleset
from scoring.model.facts import AuditOverrides, Override
from scoring.model.results import ScoreResult
from scoring.render import RENDERERS, render_html, render_json, render_markdown, render_xlsx
from scoring.render.cells import (
    Cell,
    Number,
    actual_text,
    cell_text,
    declared_units,
    finding_text,
    number,
)
from scoring.render.report import build_report
from tests.conftest import EXAMPLES, facts_from, ruleset_from


def texts(*cells: Cell | None) -> tuple[str | None, ...]:
    """Cells of the view model as the text formats print them."""
    return tuple(cell if cell is None else cell_text(cell) for cell in cells)


RULES = """\
id: t.render
version: "1"
title: 测试<自评>表 & “报告”
kind: project
facts:
  全年预算数: {unit: 万元, min: 0}
  全年执行数: {unit: 万元, min: 0}
  人数: {unit: 人, type: integer, min: 0}
  满意率: {unit: "%", min: 0, max: 1}
  研究: {type: boolean}
derived:
  预算执行率: {expr: 全年执行数 / 全年预算数, unit: "%"}
  人均: {expr: 全年执行数 / 人数, unit: 万元}
indicators:
  - id: execution
    name: 预算执行率
    weight: 10
    method: ratio
    actual: 全年执行数
    target: 全年预算数
    target_text: "100%"
  - id: output
    name: 产出指标
    weight: 60
    children:
      - id: quantity
        name: 数量|指标
        weight: 40
        children:
          - id: aided
            name: 救助<b>人数</b>
            weight: 20
            method: ratio
            actual: 人数
            target: 48
            target_text: ≥48人
            unit: 人
            checks:
              - {when: actual < target, message: 未达到年度指标值|需说明}
          - {id: approval, name: 研究, weight: 10, method: boolean, value: 研究, target_text: 是}
          - {id: cost, name: 人均成本, weight: 10, method: boolean, value: 人均 <= 5, unit: 万元}
      - {id: direct, name: 直接二级, weight: 20, method: boolean, value: 研究}
  - id: satisfaction
    name: 满意度指标
    weight: 30
    children:
      - id: service
        name: 服务对象满意度
        weight: 30
        method: ratio
        actual: 满意率
        target: 1
        unit: "%"
"""
FACTS = """\
subject: {unit: "某|单位 <x>", project: 项目, year: 2023}
facts: {全年预算数: 100, 全年执行数: 80, 人数: 40, 满意率: 90%, 研究: true}
"""
NOT_APPLICABLE = "not_applicable: [satisfaction]\n"
OVERRIDE = """\
overrides:
  output.quantity.aided: {points: 18, reason: "另有2人|未计入", by: 办公室 <王五>}
"""
AUDIT = AuditOverrides(
    overrides={
        "output.quantity.aided": Override(
            points=Decimal(15), reason="2人不符合救助条件", by="财政局 赵六"
        ),
        "execution": Override(points=Decimal(7), reason="执行数含预付款", by="财政局 赵六"),
    }
)


@pytest.fixture(scope="module")
def ruleset():
    return ruleset_from(RULES)


def result_for(ruleset, facts: str = FACTS, audit: AuditOverrides | None = None) -> ScoreResult:
    return score(ruleset, facts_from(facts, ruleset), audit)


def example(stem: str) -> ScoreResult:
    ruleset_ref = {
        "xinfang-wangcheng-2022": "xinfang.wangcheng-relief@2022.1",
        "xinfang-yanbian-2020": "xinfang.yanbian-petition@2020.1",
        "xinfang-hengshan-2019": "xinfang.hengshan-department@2019.1",
    }[stem]
    ruleset = load_ruleset(ruleset_ref)
    return score(ruleset, load_facts(EXAMPLES / f"{stem}.yaml", ruleset))


class Grid(HTMLParser):
    """The tables of a page: for each, its rows, each a list of (tag, attrs, text) cells."""

    def __init__(self) -> None:
        super().__init__()
        self.tables: list[dict[str, list[list[tuple[str, dict[str, str], str]]]]] = []
        self.section = ""
        self.cell: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        attributes = {name: value or "" for name, value in attrs}
        if tag == "table":
            self.tables.append({"class": [[("", attributes, "")]], "thead": [], "tbody": []})
        elif tag in ("thead", "tbody"):
            self.section = "tbody" if tag == "tbody" else "thead"
            if "totals" in attributes.get("class", ""):
                self.section = "totals"
                self.tables[-1]["totals"] = []
        elif tag == "tr":
            self.tables[-1][self.section].append([])
        elif tag in ("td", "th"):
            self.cell = []
            self.tables[-1][self.section][-1].append((tag, attributes, ""))
        elif tag == "br" and self.cell is not None:
            self.cell.append("\n")

    def handle_data(self, data):
        if self.cell is not None:
            self.cell.append(data)

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self.cell is not None:
            row = self.tables[-1][self.section][-1]
            kind, attributes, _ = row[-1]
            row[-1] = (kind, attributes, "".join(self.cell))
            self.cell = None


def tables(page: str) -> dict[str, dict[str, list[list[tuple[str, dict[str, str], str]]]]]:
    grid = Grid()
    grid.feed(page)
    return {table["class"][0][0][1]["class"]: table for table in grid.tables}


def occupied_columns(rows: list[list[tuple[str, dict[str, str], str]]]) -> list[int]:
    """How many columns each row fills, counting the cells that rows above it span into."""
    carried: list[int] = []  # for each column, how many more rows it is taken
    widths = []
    for row in rows:
        taken = [count > 0 for count in carried]
        filled = sum(taken)
        new_carry = [max(count - 1, 0) for count in carried]
        column = 0
        for _, attributes, _ in row:
            while column < len(taken) and taken[column]:
                column += 1
            span = int(attributes.get("colspan", 1))
            rows_down = int(attributes.get("rowspan", 1))
            for offset in range(span):
                while len(new_carry) <= column + offset:
                    new_carry.append(0)
                new_carry[column + offset] = rows_down - 1
            column += span
            filled += span
        carried = new_carry
        widths.append(filled)
    return widths


def figures(bar: ET.Element) -> str:
    """The text right of a bar: earned / available, lost or 不适用."""
    return "".join(bar.findall("text")[1].itertext())


def svg_bars(page: str) -> list[ET.Element]:
    match = re.search(r"<svg .*?</svg>", page, re.DOTALL)
    assert match is not None
    root = ET.fromstring(match.group(0))
    return [element for element in root.iter("g") if "bar" in element.get("class", "").split()]


# Registry and purity


def test_md_and_html_are_registered_renderers():
    assert RENDERERS["md"] is render_markdown
    assert RENDERERS["html"] is render_html
    assert RENDERERS["json"] is render_json


@pytest.mark.parametrize("render", [render_markdown, render_html], ids=["md", "html"])
def test_a_result_read_back_from_json_renders_the_same_bytes(ruleset, render):
    result = result_for(ruleset, FACTS + NOT_APPLICABLE + OVERRIDE, AUDIT)
    again = ScoreResult.model_validate(json.loads(render_json(result)))
    assert (
        render(again)
        == render(result)
        == render(result_for(ruleset, FACTS + NOT_APPLICABLE + OVERRIDE, AUDIT))
    )


def test_the_html_page_is_self_contained():
    page = render_html(example("xinfang-wangcheng-2022"))
    lowered = page.lower()
    for forbidden in ("<script", "src=", "href=", "url(", "@import", "http:", "https:", "<link"):
        assert forbidden not in lowered
    assert "@page { size: A4; margin: 15mm }" in page
    assert '"SimSun", "宋体"' in page
    assert page.startswith("<!DOCTYPE html>\n")
    assert page.endswith("</html>\n")


# Escaping


def test_html_escapes_every_text_from_the_result(ruleset):
    page = render_html(result_for(ruleset, FACTS + OVERRIDE))
    assert "<b>" not in page
    assert "救助&lt;b&gt;人数&lt;/b&gt;" in page
    assert "测试&lt;自评&gt;表 &amp; “报告”" in page
    assert "某|单位 &lt;x&gt;" in page
    assert "办公室 &lt;王五&gt;" in page
    assert "（实际 &lt; 目标）" in page


def test_markdown_escapes_pipes_and_html_so_every_row_keeps_its_columns(ruleset):
    text = render_markdown(result_for(ruleset, FACTS + OVERRIDE))
    assert r"数量\|指标" in text
    assert r"救助\<b\>人数\</b\>" in text
    assert r"- 实施单位：某\|单位 \<x\>" in text
    assert r"另有2人\|未计入（办公室 \<王五\>）" in text
    for block in text.split("\n\n"):
        lines = [line for line in block.splitlines() if line.startswith("|")]
        counts = {len(re.findall(r"(?<!\\)\|", line)) for line in lines}
        assert len(counts) <= 1, block


def test_a_multi_line_note_stays_in_one_markdown_cell(ruleset):
    text = render_markdown(result_for(ruleset, FACTS + OVERRIDE))
    row = next(line for line in text.splitlines() if "救助" in line and line.startswith("|"))
    assert "40 / 48 = 83.33% → 16.67 / 20<br>注：未达到年度指标值\\|需说明" in row


# The fund block


def test_the_fund_block_comes_from_the_facts_and_the_execution_leaf(ruleset):
    report = build_report(result_for(ruleset))
    assert report.fund is not None
    assert texts(*report.fund.amounts) == ("—", "100", "80")
    assert texts(report.fund.weight, report.fund.rate, report.fund.score) == (
        "10",
        "80.00%",
        "8.00",
    )
    assert report.fund.path == "execution"
    assert "execution" not in [row.leaf.path for row in report.rows]


def test_the_fund_block_of_the_seed_example():
    page = render_html(example("xinfang-wangcheng-2022"))
    fund = tables(page)["fund"]["tbody"]
    assert [text for _, _, text in fund[1][:7]] == [
        "年度资金总额",
        "—",
        "128",
        "128",
        "10",
        "100.00%",
        "10.00",
    ]


def test_a_not_applicable_execution_keeps_its_fund_block_with_no_score():
    report = build_report(example("xinfang-yanbian-2020"))
    assert report.fund is not None
    assert texts(*report.fund.amounts) == ("—", "79.53", "—")
    assert texts(report.fund.rate, report.fund.score, report.fund.path) == (
        "—",
        "不适用",
        "execution",
    )


def test_a_ruleset_without_the_fund_facts_has_no_fund_block():
    result = example("xinfang-hengshan-2019")
    assert build_report(result).fund is None
    assert "项目资金" not in render_html(result)
    assert "项目资金" not in render_markdown(result)


def test_without_the_fund_facts_a_top_level_leaf_is_an_indicator_row(minimal_ruleset):
    result = score(minimal_ruleset, facts_from("facts: {预算数: 100, 执行数: 90}", minimal_ruleset))
    report = build_report(result)
    assert report.fund is None
    (row,) = report.rows
    assert (row.leaf.path, [(c.rowspan, c.colspan) for c in row.names]) == ("execution", [(1, 3)])


# 不适用


def test_not_applicable_rows_say_so(ruleset):
    result = result_for(ruleset, FACTS + NOT_APPLICABLE)
    report = build_report(result)
    row = next(row for row in report.rows if row.leaf.path == "satisfaction.service")
    assert texts(row.actual, row.weight, row.score, row.note) == ("—", "30", "不适用", "不适用")
    md_row = next(line for line in render_markdown(result).splitlines() if "服务对象满意度" in line)
    assert md_row == "| 满意度指标 | 服务对象满意度 |  |  | — | 30 | 不适用 | 不适用 |"
    assert '<td class="num na">不适用</td>' in render_html(result)


def test_the_total_shows_the_rescaling(ruleset):
    report = build_report(result_for(ruleset, FACTS + NOT_APPLICABLE))
    labels = [row.label for row in report.totals]
    assert labels == ["合计", "总分", "等级"]
    subtotal, total, grade = report.totals
    assert texts(subtotal.weight, subtotal.score) == ("70", "64.67")
    assert total.note == "不适用指标不计入：总分 = 64.67 / 70 × 100 = 92.39"
    assert texts(total.score, grade.score) == ("92.39", "优")


# Overrides and the audit columns


def test_a_department_override_shows_the_computed_score_and_why(ruleset):
    result = result_for(ruleset, FACTS + OVERRIDE)
    report = build_report(result)
    row = next(row for row in report.rows if row.leaf.path == "output.quantity.aided")
    assert cell_text(row.score) == "18.00"
    assert row.note.splitlines() == [
        "40 / 48 = 83.33% → 16.67 / 20",
        "注：未达到年度指标值|需说明（实际 < 目标）",
        "自评调整：16.67 → 18.00，理由：另有2人|未计入（办公室 <王五>）",
    ]
    assert not report.is_audited
    assert "自评得分" not in render_markdown(result)
    total = next(row for row in report.totals if row.label == "总分")
    assert total.note == "未经调整的计算得分 91.67（优）"


def test_an_auditors_layer_adds_the_self_score_column(ruleset):
    result = result_for(ruleset, FACTS + NOT_APPLICABLE + OVERRIDE, AUDIT)
    report = build_report(result)
    assert report.is_audited
    row = next(row for row in report.rows if row.leaf.path == "output.quantity.aided")
    assert texts(row.self_score, row.score) == ("18.00", "15.00")
    assert (
        row.note.splitlines()[-1]
        == "审核调整：18.00 → 15.00，理由：2人不符合救助条件（财政局 赵六）"
    )
    assert report.fund is not None
    assert texts(report.fund.self_score, report.fund.score) == ("8.00", "7.00")
    subtotal, total, grade = report.totals
    assert texts(subtotal.self_score, subtotal.score) == ("66.00", "62.00")
    assert texts(total.self_score, total.score) == ("94.29", "88.57")
    assert texts(grade.self_score, grade.score) == ("优", "良")
    text = render_markdown(result)
    assert "| 分值 | 自评得分 | 审核得分 | 偏差原因分析及说明 |" in text
    assert "| 执行率 | 自评得分 | 审核得分 | 说明 |" in text
    assert "**总分：88.57**（审核；自评 94.29；满分 100）" in text
    assert "**等级：良**（审核；自评 优）" in text
    assert f"审核调整指纹 `{result.audit_fingerprint}`" in text
    page = render_html(result)
    assert "<th>自评得分</th><th>审核得分</th>" in page
    assert '<td class="num">18.00</td><td class="num">15.00</td>' in page


# Merged cells


@pytest.mark.parametrize(
    "stem", ["xinfang-wangcheng-2022", "xinfang-yanbian-2020", "xinfang-hengshan-2019"]
)
def test_rowspans_and_colspans_fill_every_row_exactly(stem):
    page = render_html(example(stem))
    grid = tables(page)
    indicators = grid["indicators"]
    columns = len(indicators["thead"][1])
    assert occupied_columns(indicators["tbody"]) == [columns] * len(indicators["tbody"])
    assert occupied_columns(indicators["totals"]) == [columns] * len(indicators["totals"])
    if "fund" in grid:
        assert occupied_columns(grid["fund"]["tbody"]) == [len(grid["fund"]["tbody"][0])] * 2


def test_group_rowspans_add_up_to_their_rows(ruleset):
    result = result_for(ruleset, FACTS + NOT_APPLICABLE + OVERRIDE, AUDIT)
    for report in (build_report(result), build_report(example("xinfang-hengshan-2019"))):
        firsts = [cell for row in report.rows for cell in row.names if cell.column == 0]
        assert sum(cell.rowspan for cell in firsts) == len(report.rows)
        start = 0
        for cell in firsts:
            group = report.rows[start : start + cell.rowspan]
            assert all(row.leaf.path.startswith(cell.node.path) for row in group)
            seconds = [c for row in group for c in row.names if c.column == 1]
            assert sum(c.rowspan for c in seconds) in (0, cell.rowspan)
            start += cell.rowspan


def test_leaves_above_level_three_span_the_name_columns_below_them(ruleset):
    report = build_report(result_for(ruleset))
    spans = {
        row.leaf.path: [(c.node.path, c.rowspan, c.colspan) for c in row.names]
        for row in report.rows
    }
    assert spans == {
        "output.quantity.aided": [
            ("output", 4, 1),
            ("output.quantity", 3, 1),
            ("output.quantity.aided", 1, 1),
        ],
        "output.quantity.approval": [("output.quantity.approval", 1, 1)],
        "output.quantity.cost": [("output.quantity.cost", 1, 1)],
        "output.direct": [("output.direct", 1, 2)],
        "satisfaction.service": [("satisfaction", 1, 1), ("satisfaction.service", 1, 2)],
    }


# 实际完成值


def test_the_actual_is_the_value_read_with_its_unit(ruleset):
    result = result_for(ruleset)
    actual = {node.path: actual_text(node, result) for node in result.walk() if not node.children}
    assert actual == {
        "execution": "全年执行数 80\n全年预算数 100",
        "output.quantity.aided": "40人",
        "output.quantity.approval": "是",
        "output.quantity.cost": "2万元",
        "output.direct": "是",
        "satisfaction.service": "90.00%",
    }


def test_with_its_ruleset_every_fact_shows_its_declared_unit(ruleset):
    """A result does not carry the units its facts are declared with: the ruleset gives them."""
    result = result_for(ruleset)
    execution = next(node for node in result.walk() if node.path == "execution")
    assert actual_text(execution, result, declared_units(ruleset)) == (
        "全年执行数 80万元\n全年预算数 100万元"
    )
    assert build_report(result, ruleset).fund is not None
    row = next(row for row in build_report(result, ruleset).breakdown if row.leaf is execution)
    assert row.actual == "全年执行数 80万元\n全年预算数 100万元"
    # the terminal shows this leaf as a row; the files show it in the 项目资金 block
    assert "全年执行数 80万元" in str(RENDERERS["text"](result, ruleset))
    assert "全年执行数 80万元" not in str(RENDERERS["text"](result, None))


def test_a_number_cell_is_formatted_as_its_text_shows_it():
    assert number(Decimal("20")) == Number(Decimal("20"), "20", "0")
    assert number(Decimal("9.63")) == Number(Decimal("9.63"), "9.63", "0.00")
    assert number(Decimal("2.66666"), "2.6667").number_format == "0.0000"
    assert cell_text(number(Decimal("-1.5"))) == "-1.5"
    assert cell_text("不适用") == "不适用"


def test_many_facts_read_are_left_to_the_explanation():
    result = example("xinfang-yanbian-2020")
    node = next(n for n in result.walk() if n.path == "effect.social.two_decreases")
    assert actual_text(node, result) == "6项事实，见说明"


# The chart


@pytest.mark.parametrize(
    "stem", ["xinfang-wangcheng-2022", "xinfang-yanbian-2020", "xinfang-hengshan-2019"]
)
def test_one_bar_per_first_and_second_level_indicator_and_never_more_earned_than_available(stem):
    result = example(stem)
    bars = svg_bars(render_html(result))
    assert [bar.get("data-path") for bar in bars] == [
        node.path for node in result.walk() if node.level <= 2
    ]
    for bar in bars:
        rects = {rect.get("class"): Decimal(rect.get("width", "0")) for rect in bar.iter("rect")}
        earned = next((w for kind, w in rects.items() if kind and kind.startswith("earned")), None)
        if bar.get("data-score"):
            assert Decimal(bar.get("data-score", "")) <= Decimal(bar.get("data-applicable", ""))
            assert earned is not None
            assert earned <= rects["available"]
        else:
            assert earned is None
        for figure in re.findall(r"\d+\.\d+", "".join(bar.itertext())):
            assert len(figure.split(".")[1]) == 2


def test_the_chart_shows_the_points_lost_and_the_points_not_applicable():
    bars = {
        bar.get("data-path"): bar for bar in svg_bars(render_html(example("xinfang-hengshan-2019")))
    }
    assert figures(bars["process"]) == "48.01 / 55.00 失 6.99"
    assert figures(bars["effect"]) == "10.00 / 10.00 （不适用 10.00）"
    assert bars["process"].findtext("title") == "过程：得分 48.01 / 分值 55.00"
    assert [rect.get("class") for rect in bars["effect"].iter("rect")] == [
        "na",
        "available",
        "earned l1",
    ]


def test_a_fully_not_applicable_indicator_has_an_outline_only():
    bars = {
        bar.get("data-path"): bar
        for bar in svg_bars(render_html(example("xinfang-wangcheng-2022")))
    }
    satisfaction = bars["satisfaction"]
    assert [rect.get("class") for rect in satisfaction.iter("rect")] == ["na"]
    assert figures(satisfaction) == "不适用（分值 10.00）"
    assert list(bars["satisfaction.service_recipients"].iter("rect")) == []


# Header and footer


def test_header_and_footer_name_the_subject_the_rules_and_the_fingerprints():
    result = example("xinfang-wangcheng-2022")
    page = render_html(result)
    for text in (
        "<h1>2022年度望城区信访局信访救助资金绩效自评表</h1>",
        '<th>项目名称</th><td class="value">信访救助资金</td>',
        '<th>实施单位</th><td class="value">长沙市望城区信访局</td>',
        "xinfang.wangcheng-relief@2022.1",
        result.ruleset.fingerprint,
        "计算：scoring ",
        result.facts_fingerprint,
    ):
        assert text in page
    text = render_markdown(result)
    assert text.startswith(
        "# 2022年度望城区信访局信访救助资金绩效自评表\n\n- 项目名称：信访救助资金\n"
    )
    assert f"- 规则集指纹：`{result.ruleset.fingerprint}`" in text
    assert "**总分：100.00**（满分 100）" in text
    assert "**等级：优**" in text
    assert text.endswith(f"事实指纹 `{result.facts_fingerprint}`\n")


def test_a_title_without_the_year_gets_a_year_line(ruleset):
    assert '<p class="year">（2023年度）</p>' in render_html(result_for(ruleset))
    assert "（2022年度）" not in render_html(example("xinfang-wangcheng-2022"))


TIERS = """\
id: t.tiers
version: "1"
title: 定性
kind: project
tiers:
  - {label: 达成年度指标, range: [0.8, 1]}
  - {label: 部分达成年度指标并具有一定效果, range: [0.6, 0.8]}
  - {label: 未达成年度指标且效果较差, range: [0, 0.6]}
facts:
  管理: {type: tier}
  完成率: {unit: "%", min: 0}
indicators:
  - id: management
    name: 管理制度健全性与执行有效性以及资金使用合规性的综合评价指标
    weight: 60
    children:
      - {id: rules, name: 管理, weight: 60, method: tiers, fact: 管理}
  - id: output
    name: 产出
    weight: 40
    children:
      - {id: rate, name: 完成率, weight: 40, method: ratio, actual: 完成率, target: 1}
"""


def test_a_tier_claim_shows_its_tier_and_a_rate_without_a_unit_its_percentage():
    ruleset = ruleset_from(TIERS)
    facts = "facts:\n  管理: {tier: 达成年度指标, score: 50}\n  完成率: 95%\n"
    result = score(ruleset, facts_from(facts, ruleset))
    actual = {node.path: actual_text(node, result) for node in result.walk() if not node.children}
    assert actual == {"management.rules": "达成年度指标", "output.rate": "95.00%"}
    again = ScoreResult.model_validate(json.loads(render_json(result)))
    assert render_html(again) == render_html(result)


def test_a_finding_with_no_row_of_its_own_is_a_note():
    ruleset = ruleset_from(TIERS)
    facts = "ruleset: t.other\nfacts:\n  管理: {tier: 达成年度指标, score: 50}\n  完成率: 95%\n"
    result = score(ruleset, facts_from(facts, ruleset))
    note = "填报文件注明的规则集为 't.other'，按 t.tiers@1 评分"
    assert build_report(result).notes == (note,)
    assert f"<li>{note.replace(chr(39), '&#x27;')}</li>" in render_html(result)
    assert f"- {note}" in render_markdown(result)


def test_a_long_name_is_cut_to_fit_the_chart_and_kept_whole_in_its_tooltip():
    ruleset = ruleset_from(TIERS)
    facts = "facts:\n  管理: {tier: 达成年度指标, score: 50}\n  完成率: 95%\n"
    bar = svg_bars(render_html(score(ruleset, facts_from(facts, ruleset))))[0]
    label = bar.findall("text")[0].text or ""
    assert label.endswith("…")
    assert len(label) < 20
    assert bar.findtext("title") == (
        "管理制度健全性与执行有效性以及资金使用合规性的综合评价指标：得分 50.00 / 分值 60.00"
    )


def test_a_note_names_its_indicator_or_derived_value_in_the_readers_words(ruleset):
    facts = FACTS.replace("人数: 40", "人数: 0") + "not_applicable: [output]\n"
    result = result_for(ruleset, facts)
    assert build_report(result).notes == (
        "派生值 人均：无法计算（除数为0）",
        "适用指标分值合计 40，仅占总分值 100 的 40.00%：超过一半的分值不适用，总分只反映适用的部分",
    )
    short = result_for(ruleset, FACTS.replace("人数: 40", "人数: 30"))
    assert [finding_text(note, short) for note in short.findings] == [
        "救助<b>人数</b>：未达到年度指标值|需说明（实际 < 目标）"
    ]


WITHHELD_RULES = """\
id: t.withheld
version: "1"
title: 不予定级
kind: project
min_applicable_share: 0.6
facts:
  执行数: {min: 0, max: 10}
indicators:
  - {id: execution, name: 预算执行率, weight: 10, method: ratio, actual: 执行数, target: 10}
  - {id: output, name: 产出, weight: 90, method: ratio, actual: 执行数, target: 10}
"""
MOSTLY = "适用指标分值合计 10，仅占总分值 100 的 10.00%：超过一半的分值不适用"
WITHHELD = "适用指标分值仅占总分值的 10.00%，低于规则集要求的 60.00%：不予定级"


def test_every_format_says_the_grade_is_withheld_and_why():
    import io

    import openpyxl

    ruleset = ruleset_from(WITHHELD_RULES)
    result = score(ruleset, facts_from("facts: {执行数: 10}\nnot_applicable: [output]\n", ruleset))
    assert (result.total, result.grade) == (Decimal("100.00"), None)
    for name in ("md", "html", "json", "text"):
        text = RENDERERS[name](result, ruleset)
        assert isinstance(text, str)
        assert MOSTLY in text, name
        assert WITHHELD in text, name
    assert "**等级：不予定级**" in render_markdown(result)
    sheet = openpyxl.load_workbook(io.BytesIO(render_xlsx(result, ruleset)))["自评表"]
    cells = [str(cell) for row in sheet.iter_rows(values_only=True) for cell in row if cell]
    assert "不予定级" in cells
    assert any(MOSTLY in cell for cell in cells)
    assert any(WITHHELD in cell for cell in cells)
