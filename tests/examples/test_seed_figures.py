"""Every rate and sum the seed reports print, recomputed by the engine from the worked examples.

The five seed reports (../shared/seeds/000_…004_…) are 信访 self-evaluations from 2019–2022; the
examples in examples/ hold their figures. Each row below quotes a sentence, the figure it prints and
the derived value that recomputes it; the engine's exact value, rounded as the report rounds it
(四舍五入 to the printed places), must equal the printed figure. Where the report's own arithmetic
is wrong, or its claim does not follow from its numbers, a test records the claim and the engine's
figure side by side, named so that the discrepancy reads in the test report. The seeds themselves
are not read: the quotes are copied here, so the tests need nothing outside the repository.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from functools import cache

import pytest

from scoring import ScoreResult, load_facts, load_ruleset, score
from scoring.model.facts import FactValue
from tests.conftest import EXAMPLES

SEED_000 = "000_306a1934f5eb0968.txt"
SEED_001 = "001_52f9901361ce22b9.txt"
SEED_002 = "002_c77add47f5b3ef10.txt"
SEED_003 = "003_7cb58b6bd76bef60.txt"
SEED_004 = "004_811c8ab089565e4b.txt"

EXAMPLE_OF = {
    SEED_000: ("xinfang-heshan-2021", "xinfang.heshan-relief-stability@2021.1"),
    SEED_001: ("xinfang-wangcheng-2022", "xinfang.wangcheng-relief@2022.1"),
    SEED_002: ("xinfang-hengshan-2019", "xinfang.hengshan-department@2019.1"),
    SEED_003: ("xinfang-hengnan-2021", "xinfang.hengnan-stability@2021.1"),
    SEED_004: ("xinfang-yanbian-2020", "xinfang.yanbian-petition@2020.1"),
}
"""Each seed's example, and the ruleset its ``ruleset:`` line names."""


@cache
def _scored(seed: str) -> tuple[ScoreResult, dict[str, FactValue]]:
    """The seed's example scored under its ruleset, and its facts."""
    example, ref = EXAMPLE_OF[seed]
    ruleset = load_ruleset(ref)
    facts = load_facts(EXAMPLES / f"{example}.yaml", ruleset)
    assert facts.ruleset == ref, f"{example} names {facts.ruleset}, not {ref}"
    return score(ruleset, facts), dict(facts.facts)


def _exact(seed: str, derived: str) -> Decimal:
    result, _ = _scored(seed)
    assert derived in result.derived, f"{derived} was not computed for {seed}"
    return Decimal(result.derived[derived].value)


def _fact(seed: str, name: str) -> Decimal:
    value = _scored(seed)[1][name]
    assert isinstance(value, Decimal), f"{name} is not a number"
    return value


def _as_printed(exact: Decimal, printed: str) -> Decimal:
    """``exact`` rounded half up as ``printed`` is written: '96.3%' is a percentage to 1 place."""
    number = printed.removesuffix("%")
    scaled = exact * 100 if printed.endswith("%") else exact
    return scaled.quantize(Decimal(number), rounding=ROUND_HALF_UP)


def _printed_number(printed: str) -> Decimal:
    return Decimal(printed.removesuffix("%"))


SLUGS = {
    "积案汇报率": "reported-rate",
    "积案办结率": "closed-rate",
    "预算完成率": "budget-completion-rate",
    "公用经费控制率": "public-expense-control-rate",
    "三公经费控制率": "three-public-control-rate",
    "信访救助执行率": "relief-execution-rate",
    "维稳经费执行率": "stability-execution-rate",
    "局维稳经费执行率": "bureau-stability-execution-rate",
    "联席会经费执行率": "joint-meeting-execution-rate",
    "大厅经费执行率": "hall-execution-rate",
    "基本支出明细合计": "basic-spending-parts",
    "项目支出明细合计": "project-spending-parts",
    "财政预算工作经费明细合计": "fiscal-work-funds-parts",
    "部门预算工作经费明细合计": "department-work-funds-parts",
    "在职人员数加离退休人数": "staff-parts",
    "资金到位率": "funds-in-place-rate",
    "拨款合计": "three-transfers",
    "到位资金减支出": "balance",
    "本级来访分项批次": "local-visit-batches",
    "本级来访分项人次": "local-visit-persons",
}
"""An ASCII name for each derived value, for test ids."""


@dataclass(frozen=True)
class Printed:
    """A figure a seed prints, and the derived value that must reproduce it."""

    seed: str
    quote: str
    printed: str
    derived: str

    @property
    def id(self) -> str:
        return f"{self.seed[:3]}-{SLUGS[self.derived]}-{self.printed}"


AGREE = [
    # 000 赫山区 2021 信访救助及维稳项目支出绩效评价报告
    Printed(
        SEED_000,
        "国家信访局信访积案化解专项工作第一批共交办我区信访件81件，目前案件已汇报数量81件，汇报率100%",
        "100%",
        "积案汇报率",
    ),
    Printed(
        SEED_000,
        "第一批共交办我区信访件81件，目前案件已汇报数量81件，汇报率100%，已办结78件，办结率96.3%",
        "96.3%",
        "积案办结率",
    ),
    # 002 衡山县信访局 2019 部门整体支出绩效自评报告
    Printed(
        SEED_002,
        "全年一般公共预算拨款为113.44万元，指标实际执行261.20万元，预算完成率为230.25％",
        "230.25%",
        "预算完成率",
    ),
    Printed(
        SEED_002,
        "公用经费可用指标为5.5万元，指标实际执行5.5万元，控制率为１０0％",
        "100%",
        "公用经费控制率",
    ),
    Printed(
        SEED_002,
        "“三公经费”可用指标5.43万元，指标实际执行4.94万元，控制率90.98％",
        "90.98%",
        "三公经费控制率",
    ),
    Printed(
        SEED_002,
        "信访救助资金预算60万元，支出52.05万元，执行率为86.75%",
        "86.75%",
        "信访救助执行率",
    ),
    Printed(
        SEED_002,
        "县信访维稳工作经费预算70万元，支出59.43万元，执行率为84.9%",
        "84.9%",
        "维稳经费执行率",
    ),
    Printed(
        SEED_002,
        "局信访维稳工作经费6.58万元，支出6.58万元，执行率为100%",
        "100%",
        "局维稳经费执行率",
    ),
    Printed(
        SEED_002, "局信访联席会工作经费10万元，支出10万元，执行率为100%", "100%", "联席会经费执行率"
    ),
    Printed(SEED_002, "局信访大厅工作经费3万元，支出3万元，执行率为100%", "100%", "大厅经费执行率"),
    Printed(
        SEED_002,
        "总支出130.15万元。其中：工资福利支出107.21万、商品和服务支出21.74万、对个人和家庭的补助1.20万",
        "130.15",
        "基本支出明细合计",
    ),
    Printed(
        SEED_002,
        "总支出131.06万元。其中：部门预算工作经费项目支出19.58万、财政预算工作经费项目支出111.48万",
        "131.06",
        "项目支出明细合计",
    ),
    Printed(
        SEED_002,
        "财政预算工作经费项目支出111.48万（信访救助52.05万元、信访维稳工作经费59.43万元）",
        "111.48",
        "财政预算工作经费明细合计",
    ),
    Printed(
        SEED_002,
        "部门预算工作经费项目支出19.58万 / 局信访维稳工作经费6.58万元，支出6.58万元 / 局信访联席会工作经费10万元，支出10万元 / 局信访大厅工作经费3万元，支出3万元",
        "19.58",
        "部门预算工作经费明细合计",
    ),
    Printed(SEED_002, "实有人数13人，其中在职在编11人、离退休2人", "13", "在职人员数加离退休人数"),
    # 003 衡南县企业改制服务中心 2021 信访维稳经费绩效自评报告
    Printed(
        SEED_003,
        "2021年度共计拨入资金110万元……本年度资金全部到位，到位率100％",
        "100%",
        "资金到位率",
    ),
    Printed(
        SEED_003,
        "2021年度共计拨入资金110万元，分三次拨款，1月信访维稳经费拨款40万元，2月特护期维稳经费拨款20万元，8月信访维稳经费拨款50万元",
        "110",
        "拨款合计",
    ),
    Printed(
        SEED_003,
        "本单位报批共计拨款110万元，本年支出109.05万元，本年度未超支 / 信访维稳经费项目本年度结余0.95万元",
        "0.95",
        "到位资金减支出",
    ),
    # 004 盐边县信访局 2020 专项（项目）资金绩效自评报告
    Printed(
        SEED_004,
        "全年群众本级来访305批……（其中：初访182批692人次、重复访123批445人次）",
        "305",
        "本级来访分项批次",
    ),
    Printed(
        SEED_004,
        "全年群众本级来访305批1137人次……（其中：初访182批692人次、重复访123批445人次）",
        "1137",
        "本级来访分项人次",
    ),
]


@pytest.mark.parametrize("row", AGREE, ids=lambda row: row.id)
def test_engine_reproduces_the_printed_figure(row: Printed):
    assert _as_printed(_exact(row.seed, row.derived), row.printed) == _printed_number(row.printed)


@dataclass(frozen=True)
class Disagreement:
    """A figure a seed prints that its own parts do not give: the claim beside the engine's figure."""

    seed: str
    quote: str
    printed: str
    derived: str
    engine: Decimal
    name: str


DISAGREE = [
    Disagreement(
        SEED_002,
        "基本支出……总支出130.15万元 / 项目支出……总支出131.06万元 / 指标实际执行261.20万元",
        "261.20",
        "支出合计",
        Decimal("261.21"),
        "002-basic-130.15-plus-project-131.06-is-261.21-not-the-printed-261.20",
    ),
    Disagreement(
        SEED_002,
        "公务用车运行维护费0.86万元、公务接待费0.71万元 / 公务用车运行维护费3.37万元、公务接待费0.1万元 / “三公经费”……指标实际执行4.94万元",
        "4.94",
        "三公经费明细合计",
        Decimal("5.04"),
        "002-three-public-parts-sum-to-5.04-not-the-printed-4.94",
    ),
    Disagreement(
        SEED_003,
        "……拨付所属企业维稳费15元，聘请法律顾问支出5元，……23.71万元，共计支出109.05万元",
        "109.05",
        "支出明细合计",
        Decimal("89.052"),
        "003-spending-lines-as-printed-sum-to-89.052-not-109.05",
    ),
    Disagreement(
        SEED_004,
        "县级财政下达……重点信访工作经费79.53万元，其中特殊疑难信访问题专项27.59万元……其他重点信访工作经费51.74万元",
        "79.53",
        "经费分项合计",
        Decimal("79.33"),
        "004-fund-parts-27.59-plus-51.74-are-79.33-not-the-printed-79.53",
    ),
]


@pytest.mark.parametrize("row", DISAGREE, ids=lambda row: row.name)
def test_report_arithmetic_that_does_not_add_up(row: Disagreement):
    exact = _exact(row.seed, row.derived)
    assert exact == row.engine
    assert _as_printed(exact, row.printed) != _printed_number(row.printed)


def test_002_the_printed_230_25_percent_follows_from_261_20_not_from_the_parts_261_21():
    # 「预算完成率为230.25％」: 261.20 / 113.44 = 230.25%, but the parts' 261.21 / 113.44 = 230.26%.
    parts = _exact(SEED_002, "支出合计")
    budget = _fact(SEED_002, "预算数")
    assert _as_printed(parts / budget, "230.25%") == Decimal("230.26")
    assert _as_printed(_exact(SEED_002, "预算完成率"), "230.25%") == Decimal("230.25")


def test_002_the_printed_4_94_leaves_out_the_project_reception_cost_0_1():
    # 5.04 − 4.94 is exactly the 项目支出 公务接待费 「公务接待费0.1万元」: 4.94 = 0.86 + 3.37 + 0.71.
    difference = _exact(SEED_002, "三公经费明细合计") - _fact(SEED_002, "三公经费实际支出")
    assert difference == _fact(SEED_002, "项目支出公务接待费") == Decimal("0.1")
    # With all the parts, the 控制率 would be 5.04 / 5.43 = 92.82%, not the printed 90.98%.
    parts_rate = _exact(SEED_002, "三公经费明细合计") / _fact(SEED_002, "本年三公经费预算数")
    assert _as_printed(parts_rate, "90.98%") == Decimal("92.82")


def test_002_the_rates_the_report_must_explain_raise_notes():
    # 「执行率为86.75%」 and 「执行率为84.9%」 are under 90%; 「预算完成率为230.25％」 is over 100%.
    result, _ = _scored(SEED_002)
    assert {
        finding.path: finding.message for finding in result.findings if finding.code == "check"
    } == {
        "process.budget_execution.budget_completion_rate": "预算完成率超过100%（决算大于预算），需说明原因（预算完成率 > 1）",
        "process.budget_execution.relief_execution": "执行率低于90%，需说明原因（实际 < 0.9 × 目标）",
        "process.budget_execution.stability_execution": "执行率低于90%，需说明原因（实际 < 0.9 × 目标）",
    }


def test_002_says_spending_is_within_budget_yet_it_exceeds_the_budget_plus_the_county_held_130():
    # 「支出总额在预算总额内，全年一般公共预算拨款为113.44万元，指标实际执行261.20万元……差异部分主要是
    # 县信访维稳工作经费70万元、信访救助金60万元指标在县级预算中」: 113.44 + 70 + 60 = 243.44 < 261.20.
    budget = (
        _fact(SEED_002, "预算数")
        + _fact(SEED_002, "维稳经费预算")
        + _fact(SEED_002, "信访救助预算")
    )
    assert budget == Decimal("243.44")
    assert _fact(SEED_002, "预算完成数") - budget == Decimal("17.76")


def test_003_the_total_109_05_holds_only_if_the_two_yuan_lines_are_wan_yuan():
    # 「拨付所属企业维稳费15元，聘请法律顾问支出5元」: read as 万元, the nine lines give 109.05.
    as_printed = _exact(SEED_003, "支出明细合计")
    yuan = _fact(SEED_003, "拨付所属企业维稳费") + _fact(SEED_003, "聘请法律顾问支出")
    assert as_printed - yuan / 10000 + yuan == _fact(SEED_003, "实际成本") == Decimal("109.05")


def test_004_says_visits_to_the_province_fell_100_percent_while_13_remain():
    # 「到省上访9批13人次……同比批次上升33.3%、人次下降100%」: an exact 100% fall leaves 0 人次, not 13.
    # Read as a rounded figure (a fall of 99.5% or more), it needs 13 / 0.005 = 2600 人次 last year:
    # more than last year's 本级来访, 1137 / (1 − 16.2%) ≈ 1357 人次 (「人次下降16.2%」).
    change = _fact(SEED_004, "到省上访人次同比")
    remaining = _fact(SEED_004, "到省上访人次")
    assert (change, remaining) == (Decimal(-1), Decimal(13))
    assert remaining * (1 + change) == 0  # the printed fall, taken exactly, leaves nothing
    least = next(
        last
        for last in range(int(remaining) + 1, 10_000)
        if _as_printed((remaining - last) / last, "-100%") == Decimal(-100)
    )
    assert least == 2600
    local_last_year = _fact(SEED_004, "本级来访人次") / (1 + _fact(SEED_004, "本级来访人次同比"))
    assert least > local_last_year.quantize(Decimal(1), rounding=ROUND_HALF_UP) == 1357


def test_004_a_33_3_percent_rise_to_9_batches_fits_no_whole_number_of_last_year_batches():
    # 「到省上访9批……同比批次上升33.3%」: 9 / 1.333 = 6.75 batches last year. 6 would give 50.0%, 7 give
    # 28.6%; (9 − 6) / 9 = 33.3% — the rise divided by this year's count, not last year's.
    batches = _fact(SEED_004, "到省上访批次")
    rises = {_as_printed((batches - last) / last, "33.3%") for last in range(1, int(batches))}
    assert Decimal("33.3") not in rises
    assert (
        _as_printed((batches - 6) / batches, "33.3%") == _fact(SEED_004, "到省上访批次同比") * 100
    )


def test_004_the_on_time_rate_98_11_percent_is_no_whole_count_of_the_437_cases_received():
    # 「受理信访件437件……按期办结率98.11%」: 428 / 437 = 97.94%, 429 / 437 = 98.17%. The rate must rest
    # on another count (e.g. the cases due), which the report does not print.
    received = _fact(SEED_004, "受理信访件数")
    rates = {_as_printed(Decimal(done) / received, "98.11%") for done in range(int(received) + 1)}
    assert _fact(SEED_004, "按期办结率") * 100 not in rates


@dataclass(frozen=True)
class Claim:
    """The grade a seed claims (None when it claims none), beside the engine's total and grade."""

    seed: str
    quote: str
    claim: str | None
    total: Decimal
    grade: str

    @property
    def id(self) -> str:
        if self.claim is None:
            return f"{self.seed[:3]}-claims-no-grade-engine-{self.total}"
        verdict = "agrees" if self.claim == self.grade else "differs"
        return f"{self.seed[:3]}-claimed-grade-{verdict}-engine-{self.total}"


CLAIMS = [
    Claim(SEED_000, "(no grade, no scoring table)", None, Decimal("82.80"), "良"),
    # No scoring table: the agreement rests on the illustrative weights of the ruleset.
    Claim(SEED_001, "我们对项目绩效评价等级为：优", "优", Decimal("100.00"), "优"),
    # 「附件：1.部门整体支出绩效评价指标评分表」 is named but not printed.
    Claim(SEED_002, "(no grade; its 附件1 评分表 is not printed)", None, Decimal("91.78"), "优"),
    # No scoring table either; the report's own 「存在经费互相挤占情况」 and 「年初预算资金分配缺乏科学
    # 合理标准和依据」 cost 10 of the 90 applicable points under the illustrative weights.
    Claim(SEED_003, "财政支出绩效为“优”", "优", Decimal("88.89"), "良"),
    Claim(SEED_004, "(no grade: 「案件办结，息诉息访，群众满意」)", None, Decimal("93.84"), "优"),
]


@pytest.mark.parametrize("row", CLAIMS, ids=lambda row: row.id)
def test_claimed_grade_beside_the_engine_grade(row: Claim):
    result, _ = _scored(row.seed)
    assert (result.total, result.grade) == (row.total, row.grade)
