"""The gap to the next grade: proposals that re-score to exactly the points they state."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from scoring import load_facts, load_ruleset
from scoring.analysis.gap import Gap, Recovery, gap
from scoring.engine.score import score
from scoring.model.facts import Facts
from scoring.model.ruleset import Ruleset
from tests.conftest import EXAMPLES, MINIMAL, facts_from, ruleset_from
from tests.strategies import at_most, decimals


def applied(ruleset: Ruleset, facts: Facts, recovery: Recovery) -> Facts:
    """The facts with the recovery's one fact set to its proposed value."""
    assert facts.facts[recovery.fact] == recovery.current
    return facts.model_copy(update={"facts": {**facts.facts, recovery.fact: recovery.proposed}})


def assert_exact(ruleset: Ruleset, facts: Facts, recovery: Recovery) -> None:
    """Applying the proposal moves the leaf and the total by exactly the points stated."""
    before = score(ruleset, facts)
    after = score(ruleset, applied(ruleset, facts, recovery))
    leaves = {node.path: node.score for node in after.walk() if not node.children}
    old = {node.path: node.score for node in before.walk() if not node.children}
    new, was = leaves[recovery.path], old[recovery.path]
    assert new is not None
    assert was is not None
    assert new == recovery.new_score
    assert new - was == recovery.recovers
    assert was == recovery.score
    assert recovery.lost == recovery.weight - was
    assert after.total - before.total == recovery.total_change
    assert after.total == recovery.new_total
    assert after.grade == recovery.new_grade
    assert recovery.is_full == (recovery.new_score == recovery.weight)
    moved = {
        path for path in leaves if path != recovery.path and leaves[path] != old[path]
    }  # every other leaf the change moved is named
    assert moved == set(recovery.also_changes)


def only(found: Gap) -> Recovery:
    assert len(found.recoveries) == 1, found.recoveries
    return found.recoveries[0]


def one_leaf(leaf: str, facts: str = "", derived: str = "{}", weight: int = 10) -> Ruleset:
    """A ruleset of one leaf (``weight`` points, spelled out in ``leaf``) beside a full one."""
    return ruleset_from(
        f"""\
        id: t.gap
        version: "1"
        title: 差距
        kind: project
        facts:
          full: {{type: boolean}}
          {facts}
        derived: {derived}
        indicators:
          - {{id: rest, name: 其余, weight: {100 - weight}, method: boolean, value: full}}
          - {{id: leaf, name: 指标, weight: {weight}, {leaf}}}
        """
    )


def gap_of(ruleset: Ruleset, facts: str) -> tuple[Facts, Gap]:
    given = facts_from(f"facts: {{full: true, {facts}}}", ruleset)
    return given, gap(ruleset, given)


# --- the grade -----------------------------------------------------------------------------


def test_next_grade_and_missing_points_at_a_boundary():
    ruleset = ruleset_from(MINIMAL)
    facts = facts_from("facts: {预算数: 100, 执行数: 89.99}", ruleset)
    found = gap(ruleset, facts)
    assert (found.total, found.grade) == (Decimal("89.99"), "良")
    assert (found.next_grade, found.next_threshold) == ("优", Decimal(90))
    assert found.missing == found.sum_missing == Decimal("0.01")
    recovery = only(found)
    assert (recovery.fact, recovery.current, recovery.proposed) == (
        "执行数",
        Decimal("89.99"),
        Decimal("100.00"),
    )
    assert recovery.new_grade == "优"
    assert_exact(ruleset, facts, recovery)


def test_shipped_boundary_89_99_lacks_0_01_and_the_relief_spending_recovers_it():
    ruleset = load_ruleset("xinfang.hengshan-department@2019.1")
    example = load_facts(EXAMPLES / "xinfang-hengshan-2019.yaml", ruleset)
    facts = example.model_copy(update={"facts": {**example.facts, "信访救助支出": Decimal(39)}})
    found = gap(ruleset, facts)
    assert (found.total, found.grade, found.next_grade) == (Decimal("89.99"), "良", "优")
    assert found.missing == Decimal("0.01")
    assert found.rescaled
    assert found.applicable_weight == 85
    relief = next(r for r in found.recoveries if r.path.endswith("relief_execution"))
    assert (relief.current, relief.proposed) == (Decimal(39), Decimal("60.00"))
    assert relief.recovers == Decimal("2.45")  # 7 − 4.55
    assert relief.new_grade == "优"
    for recovery in found.recoveries:
        assert_exact(ruleset, facts, recovery)


def test_rescaling_makes_the_total_move_more_than_the_leaf():
    ruleset = load_ruleset("xinfang.hengnan-stability@2021.1")
    facts = load_facts(EXAMPLES / "xinfang-hengnan-2021.yaml", ruleset)
    found = gap(ruleset, facts)
    assert (found.total, found.next_grade, found.missing) == (
        Decimal("88.89"),
        "优",
        Decimal("1.11"),
    )
    assert found.sum_missing == Decimal("1.00")  # 81 / 90 × 100 = 90.00
    for recovery in found.recoveries:
        assert recovery.recovers == Decimal(5)
        assert recovery.total_change == Decimal("5.55")  # 85 / 90 × 100 = 94.44, from 88.89
        assert_exact(ruleset, facts, recovery)


def test_sum_missing_counts_the_points_the_rounded_rescaled_total_needs():
    ruleset = ruleset_from(
        """\
        id: t.rescale
        version: "1"
        title: 折算
        kind: project
        grades: {优: 89.6, 良: 80, 中: 60, 差: 0}
        rounding: {places: 1}
        facts: {x: {min: 0}, y: {min: 0}}
        indicators:
          - {id: a, name: A, weight: 90, method: ratio, actual: x, target: 90}
          - {id: b, name: B, weight: 10, method: ratio, actual: y, target: 10}
        """
    )
    facts = facts_from("facts: {x: 80}\nnot_applicable: [b]", ruleset)
    found = gap(ruleset, facts)
    assert (found.total, found.next_grade, found.missing) == (Decimal("88.9"), "优", Decimal("0.7"))
    # 80.6 / 90 × 100 = 89.56 rounds to 89.6; 80.5 gives 89.4
    assert found.sum_missing == Decimal("0.6")
    recovery = only(found)
    assert (recovery.proposed, recovery.recovers, recovery.total_change) == (
        Decimal("90.00"),
        Decimal("10.0"),
        Decimal("11.1"),
    )
    assert_exact(ruleset, facts, recovery)


def test_the_top_grade_has_no_next_grade():
    ruleset = load_ruleset("xinfang.wangcheng-relief@2022.1")
    facts = load_facts(EXAMPLES / "xinfang-wangcheng-2022.yaml", ruleset)
    found = gap(ruleset, facts)
    assert (found.total, found.grade) == (Decimal("100.00"), "优")
    assert found.next_grade is None
    assert (found.next_threshold, found.missing, found.sum_missing) == (None, None, None)
    assert found.recoveries == ()
    assert found.judgements == ()


def test_top_grade_still_lists_what_lost_points():
    ruleset = load_ruleset("xinfang.yanbian-petition@2020.1")
    facts = load_facts(EXAMPLES / "xinfang-yanbian-2020.yaml", ruleset)
    found = gap(ruleset, facts)
    assert (found.grade, found.next_grade) == ("优", None)
    recovery = only(found)
    assert (recovery.fact, recovery.proposed) == ("按期办结率", Decimal("1.0000"))
    assert_exact(ruleset, facts, recovery)
    assert {j.method for j in found.judgements} == {"checklist", "weighted_average"}


def test_no_grades_no_next_grade():
    ruleset = ruleset_from(
        MINIMAL.replace("grades: {优: 90, 良: 80, 中: 60, 差: 0}", "grades: null")
    )
    found = gap(ruleset, facts_from("facts: {预算数: 100, 执行数: 50}", ruleset))
    assert (found.grade, found.next_grade, found.missing) == (None, None, None)
    assert only(found).proposed == Decimal("100.00")


def test_gap_changes_no_score():
    ruleset = load_ruleset("xinfang.hengshan-department@2019.1")
    facts = load_facts(EXAMPLES / "xinfang-hengshan-2019.yaml", ruleset)
    before = score(ruleset, facts)
    found = gap(ruleset, facts)
    assert (found.total, found.grade) == (before.total, before.grade)
    assert score(ruleset, facts) == before


# --- each method ---------------------------------------------------------------------------


def test_ratio_on_a_fact_proposes_the_target():
    ruleset = load_ruleset("xinfang.hengshan-department@2019.1")
    facts = load_facts(EXAMPLES / "xinfang-hengshan-2019.yaml", ruleset)
    found = gap(ruleset, facts)
    relief = next(r for r in found.recoveries if r.path.endswith("relief_execution"))
    # 执行数 52.05 → 60.00 recovers 0.93 points, 1.09 on the rescaled total (85 applicable)
    assert (relief.fact, relief.current, relief.proposed) == (
        "信访救助支出",
        Decimal("52.05"),
        Decimal("60.00"),
    )
    assert (relief.lost, relief.recovers, relief.total_change) == (
        Decimal("0.93"),
        Decimal("0.93"),
        Decimal("1.09"),
    )
    assert [r.path.rsplit(".", 1)[1] for r in found.recoveries] == [
        "stability_execution",  # +1.24 first
        "relief_execution",
    ]
    for recovery in found.recoveries:
        assert_exact(ruleset, facts, recovery)


def test_ratio_on_a_derived_rate_solves_for_its_numerator():
    ruleset = one_leaf(
        "method: ratio, actual: 执行率, target: 0.9",
        facts="执行数: {min: 0}\n          预算数: {min: 0}",
        derived="{执行率: 执行数 / 预算数}",
    )
    facts, found = gap_of(ruleset, "执行数: 80, 预算数: 113.44")
    recovery = only(found)
    assert (recovery.fact, recovery.through) == ("执行数", ("执行率",))
    # 0.9 × 113.44 = 102.096, at 2 places the next value up
    assert recovery.proposed == Decimal("102.10")
    assert recovery.note == "执行数 ≥ 102.096: the nearest value at 2 decimal places"
    assert recovery.is_full
    assert_exact(ruleset, facts, recovery)


def test_a_scaled_rate_and_a_falling_difference_are_solved_exactly():
    ruleset = one_leaf(
        "method: ratio, actual: 执行率 * 100, target: 90",
        facts="执行数: {min: 0}\n          预算数: {min: 0}",
        derived="{执行率: 执行数 / 预算数}",
    )
    facts, found = gap_of(ruleset, "执行数: 20, 预算数: 30")
    recovery = only(found)
    assert (recovery.fact, recovery.proposed, recovery.through) == (
        "执行数",
        Decimal("27.00"),
        ("执行率",),
    )
    assert_exact(ruleset, facts, recovery)
    ruleset = one_leaf(
        "method: ratio, actual: -(结余 - 100) / 2, target: 45", facts="结余: {min: 0}"
    )
    facts, found = gap_of(ruleset, "结余: 30")
    recovery = only(found)
    assert (recovery.current, recovery.proposed) == (Decimal(30), Decimal("10.00"))  # lowered
    assert_exact(ruleset, facts, recovery)


def test_a_sum_is_solved_and_a_fact_that_cancels_out_is_a_judgement():
    ruleset = one_leaf("method: ratio, actual: a + 5, target: 20", facts="a: {min: 0}")
    facts, found = gap_of(ruleset, "a: 5")
    recovery = only(found)
    assert recovery.proposed == Decimal("15.00")
    assert_exact(ruleset, facts, recovery)
    ruleset = one_leaf("method: ratio, actual: a - a + 3, target: 20", facts="a: {min: 0}")
    _, found = gap_of(ruleset, "a: 5")
    assert found.judgements[0].why == "actual does not move with a (a - a + 3)"


def test_a_division_by_a_zero_amount_is_a_judgement():
    ruleset = one_leaf(
        "method: ratio, actual: 执行率, target: 1",
        facts="执行数: {min: 0}\n          预算数: {min: 0}",
        derived="{执行率: {expr: 执行数 / 预算数, on_zero_division: 0}}",
    )
    _, found = gap_of(ruleset, "执行数: 5, 预算数: 0")
    assert found.judgements[0].why == (
        "actual cannot be solved for 执行数 (执行率 = 执行数 / 预算数: it divides by zero)"
    )


def test_a_parameter_reading_a_choice_is_a_judgement():
    ruleset = one_leaf(
        "method: bands, value: \"1 if 结余 == '无' else 0\", bands: [{equals: 1, score: 10}]",
        facts="结余: {type: choice, options: [无, 有]}",
    )
    _, found = gap_of(ruleset, "结余: 有")
    assert found.judgements[0].why == "value reads 结余, which is not a number"


def test_ratio_with_a_zero_target_scoring_zero_is_a_judgement():
    ruleset = one_leaf(
        "method: ratio, actual: a, target: t, on_zero_target: zero", facts="a: {}\n          t: {}"
    )
    _, found = gap_of(ruleset, "a: 5, t: 0")
    assert found.recoveries == ()
    assert found.judgements[0].why == "target is 0 (on_zero_target: zero): no actual scores"


def test_actual_and_target_reading_one_fact_is_a_judgement():
    ruleset = one_leaf(
        "method: ratio, actual: a, target: 计划数",
        facts="a: {}\n          b: {}",
        derived="{计划数: a + b}",
    )
    _, found = gap_of(ruleset, "a: 5, b: 10")
    assert found.judgements[0].why == "actual and 计划数 both read a"


def test_reverse_ratio_on_a_derived_cost_lowers_the_spending():
    ruleset = one_leaf(
        "method: reverse_ratio, actual: 人均, target: 5",
        facts="支出: {min: 0}\n          人数: {type: integer, min: 1}",
        derived="{人均: 支出 / 人数}",
    )
    facts, found = gap_of(ruleset, "支出: 180, 人数: 30")
    recovery = only(found)
    assert (recovery.fact, recovery.current, recovery.proposed) == (
        "支出",
        Decimal(180),
        Decimal("150.00"),
    )
    assert recovery.recovers == Decimal("1.67")  # 5 / 6 × 10 = 8.33
    assert_exact(ruleset, facts, recovery)


def test_reverse_linear_proposes_the_target():
    ruleset = one_leaf("method: reverse_linear, actual: 成本, target: 5", facts="成本: {min: 0}")
    facts, found = gap_of(ruleset, "成本: 6.5")
    recovery = only(found)
    assert recovery.proposed == Decimal("5.00")
    assert recovery.recovers == Decimal(3)
    assert_exact(ruleset, facts, recovery)


def test_equal_proposes_the_nearest_value_within_the_tolerance():
    ruleset = one_leaf(
        "method: equal, actual: 采购率, target: 1, tolerance: 0.02", facts="采购率: {min: 0}"
    )
    facts, found = gap_of(ruleset, "采购率: 0.95")
    recovery = only(found)
    assert recovery.proposed == Decimal("0.98")
    assert recovery.recovers == Decimal(10)
    assert_exact(ruleset, facts, recovery)
    facts, found = gap_of(ruleset, "采购率: 1.05")
    assert only(found).proposed == Decimal("1.02")


BANDS = """\
method: bands, value: 执行率, bands: [
            {at_least: 0.9, score: 5}, {at_least: 0.8, below: 0.9, score: 4},
            {at_least: 0.6, below: 0.8, score: 3}, {below: 0.6, score: 0}]"""


def test_bands_proposes_the_lower_end_of_the_best_band():
    ruleset = one_leaf(BANDS, facts="执行率: {min: 0, max: 1}", weight=5)
    facts, found = gap_of(ruleset, "执行率: 0.5")
    recovery = only(found)
    assert recovery.proposed == Decimal("0.90")
    assert (recovery.recovers, recovery.total_change) == (Decimal(5), Decimal(5))
    assert recovery.note is None
    assert_exact(ruleset, facts, recovery)


def test_bands_open_end_takes_the_next_value_at_the_facts_precision():
    leaf = "method: bands, value: 执行率, bands: [{above: 0.9, score: 5}, {at_most: 0.9, score: 2}]"
    ruleset = one_leaf(
        leaf,
        facts="执行数: {min: 0}\n          预算数: {min: 0}",
        derived="{执行率: 执行数 / 预算数}",
        weight=5,
    )
    facts, found = gap_of(ruleset, "执行数: 80, 预算数: 100")
    recovery = only(found)
    assert recovery.proposed == Decimal("90.01")  # > 90: the next value at 2 decimal places
    assert recovery.note == "执行数 > 90: the nearest value at 2 decimal places"
    assert_exact(ruleset, facts, recovery)
    facts, found = gap_of(ruleset, "执行数: 80.125, 预算数: 100")  # written with 3 places
    assert only(found).proposed == Decimal("90.001")


def test_bands_reverse_direction_lowers_the_value():
    leaf = """method: bands, value: 结余率, hit: unique, bands: [
            {equals: 0, score: 3}, {above: 0, at_most: 0.1, score: 2},
            {above: 0.1, at_most: 0.2, score: 1}, {above: 0.2, score: 0}]"""
    ruleset = one_leaf(leaf, facts="结余率: {min: 0}", weight=3)
    facts, found = gap_of(ruleset, "结余率: 0.15")
    recovery = only(found)
    assert recovery.proposed == Decimal("0.00")
    assert recovery.recovers == Decimal(2)
    assert_exact(ruleset, facts, recovery)


def test_bands_without_a_full_band_recover_what_the_best_band_gives():
    leaf = "method: bands, value: v, bands: [{at_least: 0.9, score: 4}, {below: 0.9, score: 1}]"
    ruleset = one_leaf(leaf, facts="v: {}", weight=5)
    facts, found = gap_of(ruleset, "v: 0.5")
    recovery = only(found)
    assert (recovery.proposed, recovery.recovers, recovery.is_full) == (
        Decimal("0.90"),
        Decimal(3),
        False,
    )
    assert_exact(ruleset, facts, recovery)


def test_threshold_proposes_the_limit():
    leaf = "method: threshold, value: 控制率, at_most: 1, step: 0.01, points: 0.5"
    ruleset = one_leaf(leaf, facts="控制率: {min: 0}", weight=5)
    facts, found = gap_of(ruleset, "控制率: 1.03")
    recovery = only(found)
    assert (recovery.proposed, recovery.recovers) == (Decimal("1.00"), Decimal("1.5"))
    assert_exact(ruleset, facts, recovery)
    leaf = "method: threshold, value: 到位率, at_least: 0.9, step: 0.01, points: 1, steps: whole"
    ruleset = one_leaf(leaf, facts="到位率: {min: 0, max: 1}", weight=5)
    facts, found = gap_of(ruleset, "到位率: 0.875")
    recovery = only(found)
    assert (recovery.proposed, recovery.recovers) == (Decimal("0.900"), Decimal(2))
    assert_exact(ruleset, facts, recovery)


def test_threshold_on_a_shipped_derived_rate_of_integer_facts():
    ruleset = load_ruleset("xinfang.hengshan-department@2019.1")
    example = load_facts(EXAMPLES / "xinfang-hengshan-2019.yaml", ruleset)
    facts = example.model_copy(update={"facts": {**example.facts, "在职人员数": Decimal(16)}})
    found = gap(ruleset, facts)
    staff = next(r for r in found.recoveries if r.path.endswith("staff_control_rate"))
    assert (staff.fact, staff.through) == ("在职人员数", ("在职人员控制率",))
    assert (staff.current, staff.proposed) == (Decimal(16), Decimal(15))  # a whole number
    assert staff.recovers == Decimal("6.67")
    assert_exact(ruleset, facts, staff)


def test_threshold_over_several_facts_is_a_judgement():
    ruleset = load_ruleset("xinfang.hengshan-department@2019.1")
    facts = load_facts(EXAMPLES / "xinfang-hengshan-2019.yaml", ruleset)
    found = gap(ruleset, facts)
    (judgement,) = found.judgements
    assert judgement.path == "process.budget_execution.budget_completion_rate"
    assert judgement.lost == Decimal(5)
    assert judgement.why == "reads a formula over several facts (abs(预算完成率 - 1))"


def test_deduct_proposes_a_count_of_zero():
    ruleset = one_leaf(
        "method: deduct, count: 差错数, points: 0.5",
        facts="差错数: {type: integer, min: 0}",
        weight=2,
    )
    facts, found = gap_of(ruleset, "差错数: 3")
    recovery = only(found)
    assert (recovery.proposed, recovery.recovers) == (Decimal(0), Decimal("1.5"))
    assert_exact(ruleset, facts, recovery)


def test_deduct_items_each_get_their_own_recovery():
    leaf = """method: deduct, items: [
            {id: diverted, name: 挪用, points: 1, count: 挪用笔数},
            {id: unapproved, name: 审批不全, points: 0.5, count: 审批不全笔数}]"""
    ruleset = one_leaf(
        leaf,
        facts="挪用笔数: {type: integer, min: 0}\n          审批不全笔数: {type: integer, min: 0}",
        weight=2,
    )
    facts, found = gap_of(ruleset, "挪用笔数: 1, 审批不全笔数: 1")
    assert [(r.item, r.fact, r.recovers) for r in found.recoveries] == [
        ("挪用", "挪用笔数", Decimal(1)),
        ("审批不全", "审批不全笔数", Decimal("0.5")),
    ]
    for recovery in found.recoveries:
        assert not recovery.is_full
        assert_exact(ruleset, facts, recovery)


def test_deduct_floored_where_no_single_count_helps_is_a_judgement():
    leaf = """method: deduct, items: [
            {id: a, name: 甲, points: 1, count: 甲数}, {id: b, name: 乙, points: 1, count: 乙数}]"""
    ruleset = one_leaf(leaf, facts="甲数: {min: 0}\n          乙数: {min: 0}", weight=2)
    _, found = gap_of(ruleset, "甲数: 5, 乙数: 5")
    assert found.recoveries == ()
    assert (
        found.judgements[0].why
        == "甲: no value of 甲数 scores more; 乙: no value of 乙数 scores more"
    )


def test_boolean_and_not_boolean_are_turned_over():
    ruleset = ruleset_from(
        """\
        id: t.flags
        version: "1"
        title: 是否
        kind: project
        facts:
          有依据: {type: boolean}
          挤占: {type: boolean}
          人均: {}
        indicators:
          - {id: basis, name: 依据, weight: 40, method: boolean, value: 有依据}
          - {id: use, name: 使用, weight: 40, method: boolean, value: not 挤占}
          - {id: cost, name: 成本, weight: 20, method: boolean, value: 人均 <= 5}
        """
    )
    facts = facts_from("facts: {有依据: false, 挤占: true, 人均: 6}", ruleset)
    found = gap(ruleset, facts)
    assert [(r.fact, r.current, r.proposed) for r in found.recoveries] == [
        ("有依据", False, True),
        ("挤占", True, False),
    ]
    for recovery in found.recoveries:
        assert_exact(ruleset, facts, recovery)
    (judgement,) = found.judgements
    assert judgement.why == "boolean: 人均 <= 5 is a condition, not one yes/no fact"


def test_checklist_items_on_a_boolean_fact_are_recoveries_the_rest_judgement():
    leaf = """method: checklist, items: [
            {id: exist, name: 已制定管理制度, points: 4, met: 有制度},
            {id: count, name: 制度数达标, points: 6, met: 制度数 >= 3}]"""
    ruleset = one_leaf(leaf, facts="有制度: {type: boolean}\n          制度数: {}")
    facts, found = gap_of(ruleset, "有制度: false, 制度数: 1")
    recovery = only(found)
    assert (recovery.item, recovery.fact, recovery.recovers) == (
        "已制定管理制度",
        "有制度",
        Decimal(4),
    )
    assert_exact(ruleset, facts, recovery)
    assert found.judgements[0].why == (
        "checklist: met by a condition, not one yes/no fact: 制度数达标 (6): 制度数 >= 3"
    )


# --- judgement calls -----------------------------------------------------------------------

JUDGEMENTS = """\
id: t.judgement
version: "1"
title: 判断
kind: project
tiers:
  - {label: 好, range: [0.8, 1], default: 0.9}
  - {label: 中, range: [0.6, 0.8], default: 0.7}
  - {label: 差, range: [0, 0.6], default: 0.3}
facts:
  管理: {type: tier}
  结余情况: {type: choice, options: [无结余, 有结余]}
  本年: {}
  上年: {}
  x: {min: 0, max: 10}
  数量得分: {}
  质量得分: {}
  结余率: {}
indicators:
  - {id: quality, name: 管理, weight: 20, method: tiers, fact: 管理}
  - {id: carryover, name: 结余, weight: 10, method: choice, fact: 结余情况, options: {无结余: 10, 有结余: 4}}
  - id: change
    name: 变动
    weight: 10
    method: cases
    cases: [{when: 本年 <= 上年, score: 10, name: 减少或持平}]
  - {id: expr, name: 公式, weight: 10, method: formula, expr: x}
  - id: average
    name: 加权
    weight: 10
    method: weighted_average
    parts: [{name: 数量, share: 0.6, value: 数量得分}, {name: 质量, share: 0.4, value: 质量得分}]
  - id: either
    name: 二者择其一
    weight: 10
    method: either
    alternatives:
      - {id: by_rate, name: 结转结余率, method: bands, value: 结余率, bands: [{equals: 0, score: 10}]}
      - {id: by_change, name: 结转结余变动, method: cases, cases: [{when: 本年 <= 上年, score: 10}]}
  - {id: rest, name: 其余, weight: 30, method: formula, expr: "30"}
"""


def test_judgement_calls_say_why():
    ruleset = ruleset_from(JUDGEMENTS)
    facts = facts_from(
        """\
        facts: {管理: 中, 结余情况: 有结余, 本年: 5, 上年: 4, x: 3, 数量得分: 90, 质量得分: 80, 结余率: 0.1}
        """,
        ruleset,
    )
    found = gap(ruleset, facts)
    assert found.recoveries == ()
    assert [(j.path, j.lost, j.why) for j in found.judgements] == [
        (
            "change",
            Decimal(10),
            "cases: the first case that holds decides; the best, 减少或持平 (10), holds when 本年 <= 上年",
        ),
        (
            "either",
            Decimal(10),
            "either: scored through one of its alternatives (结转结余率 or 结转结余变动)",
        ),
        ("expr", Decimal(7), "formula: the points come from x, not from one fact's target"),
        (
            "carryover",
            Decimal(6),
            "choice: the option the unit states; the best, 无结余, scores 10",
        ),
        ("quality", Decimal(6), "定性 tier: a person's judgement (claimed 中)"),
        (
            "average",
            Decimal("1.4"),
            "weighted_average: the points come from several sub-scores (数量, 质量)",
        ),
    ]


def test_an_overridden_leaf_is_a_judgement():
    ruleset = ruleset_from(MINIMAL)
    facts = facts_from(
        """\
        facts: {预算数: 100, 执行数: 95}
        overrides:
          execution: {points: 80, reason: 部分支出不合规, by: 审核组}
        """,
        ruleset,
    )
    found = gap(ruleset, facts)
    assert found.recoveries == ()
    assert found.judgements[0].why == "overridden: 80.00 set by 审核组 (部分支出不合规)"


def test_a_parameter_reading_no_fact_is_a_judgement():
    ruleset = one_leaf("method: ratio, actual: 3, target: 4")
    _, found = gap_of(ruleset, "")
    assert found.judgements[0].why == "actual reads no fact (3)"


def test_a_formula_not_solvable_for_its_one_fact_is_a_judgement():
    ruleset = one_leaf("method: ratio, actual: abs(a - 10), target: 10", facts="a: {}")
    _, found = gap_of(ruleset, "a: 5")
    assert found.judgements[0].why == (
        "actual cannot be solved for a (abs(a - 10): not a sum, difference, multiple or "
        "division by a fixed amount)"
    )


def test_a_proposal_that_stops_scoring_is_a_judgement():
    ruleset = one_leaf(
        """method: ratio, actual: a, target: 10,
               checks: [{when: a > 9, message: 需说明, level: error}]""",
        facts="a: {}",
    )
    _, found = gap_of(ruleset, "a: 5")
    assert found.recoveries == ()
    assert found.judgements[0].why == "a 10.00 stops scoring: 需说明 (a > 9)"


# --- bounds, shared facts, order ------------------------------------------------------------


def test_bounds_are_respected_and_the_best_within_them_is_given():
    ruleset = ruleset_from(
        MINIMAL.replace(
            "执行数: {label: 全年执行数, unit: 万元, min: 0}", "执行数: {min: 0, max: 55}"
        )
    )
    facts = facts_from("facts: {预算数: 60, 执行数: 52.05}", ruleset)
    recovery = only(gap(ruleset, facts))
    assert recovery.proposed == Decimal("55.00")
    assert not recovery.is_full
    assert recovery.note == (
        "full marks need 执行数 ≥ 60, outside its declared bounds 0–55: the best within them"
    )
    assert_exact(ruleset, facts, recovery)


def test_no_value_within_the_bounds_is_a_judgement():
    ruleset = ruleset_from(
        MINIMAL.replace(
            "执行数: {label: 全年执行数, unit: 万元, min: 0}", "执行数: {min: 0, max: 55}"
        )
    )
    facts = facts_from("facts: {预算数: 60, 执行数: 55}", ruleset)
    found = gap(ruleset, facts)
    assert found.recoveries == ()
    assert found.judgements[0].why == (
        "full marks need 执行数 ≥ 60, outside its declared bounds 0–55, "
        "and no value within them scores more"
    )


def test_bands_cut_by_bounds_take_the_best_band_within_them():
    ruleset = one_leaf(BANDS, facts="执行率: {min: 0, max: 0.85}", weight=5)
    facts, found = gap_of(ruleset, "执行率: 0.5")
    recovery = only(found)
    assert (recovery.proposed, recovery.recovers) == (Decimal("0.80"), Decimal(4))
    assert recovery.note == (
        "full marks need 执行率 ≥ 0.9, outside its declared bounds 0–0.85: the best within them"
    )
    assert_exact(ruleset, facts, recovery)


def test_an_integer_fact_stops_at_its_bound_as_a_whole_number():
    leaf = "method: ratio, actual: 人数, target: 48"
    ruleset = one_leaf(leaf, facts="人数: {type: integer, min: 0, max: 45.5}")
    facts, found = gap_of(ruleset, "人数: 40")
    recovery = only(found)
    assert (recovery.proposed, recovery.is_full) == (Decimal(45), False)
    assert_exact(ruleset, facts, recovery)


def test_a_fact_read_by_two_leaves_names_the_other_and_counts_it():
    ruleset = ruleset_from(
        """\
        id: t.shared
        version: "1"
        title: 共用
        kind: project
        facts:
          执行数: {min: 0}
          预算数: {min: 0}
        derived:
          执行率: 执行数 / 预算数
        indicators:
          - {id: execution, name: 执行率, weight: 50, method: ratio, actual: 执行数, target: 预算数}
          - id: banded
            name: 执行率分档
            weight: 50
            method: bands
            value: 执行率
            bands: [{at_least: 0.9, score: 50}, {at_least: 0.5, score: 20}, {below: 0.5, score: 0}]
        """
    )
    facts = facts_from("facts: {执行数: 40, 预算数: 100}", ruleset)
    found = gap(ruleset, facts)
    first, second = found.recoveries
    assert (first.path, first.proposed, first.recovers) == (
        "execution",
        Decimal("100.00"),
        Decimal(30),
    )
    assert first.also_changes == ("banded",)
    assert first.total_change == Decimal(80)  # 30 here and 50 in the bands
    assert (second.path, second.proposed, second.total_change) == (
        "banded",
        Decimal("90.00"),
        Decimal(75),
    )
    for recovery in found.recoveries:
        assert_exact(ruleset, facts, recovery)


def test_recoveries_sort_by_total_change_then_path():
    ruleset = ruleset_from(
        """\
        id: t.order
        version: "1"
        title: 排序
        kind: project
        facts: {a: {min: 0}, b: {min: 0}, c: {min: 0}}
        indicators:
          - {id: z, name: Z, weight: 40, method: ratio, actual: a, target: 10}
          - {id: y, name: Y, weight: 40, method: ratio, actual: b, target: 10}
          - {id: x, name: X, weight: 20, method: ratio, actual: c, target: 10}
        """
    )
    facts = facts_from("facts: {a: 5, b: 5, c: 0}", ruleset)
    found = gap(ruleset, facts)
    assert [(r.path, r.total_change) for r in found.recoveries] == [
        ("x", Decimal(20)),
        ("y", Decimal(20)),
        ("z", Decimal(20)),
    ]


# --- property -----------------------------------------------------------------------------

RATIO = ruleset_from(
    """\
    id: t.property
    version: "1"
    title: 性质
    kind: project
    facts:
      实际: {min: 0, max: 1000}
      目标: {min: 1, max: 1000}
      其余: {type: boolean}
    derived:
      完成率: 实际 / 目标
    indicators:
      - {id: direct, name: 直接, weight: 37, method: ratio, actual: 实际, target: 目标}
      - {id: rate, name: 比率, weight: 33, method: ratio, actual: 完成率, target: 0.95}
      - {id: rest, name: 其余, weight: 30, method: boolean, value: 其余}
    """
)


@at_most(50)
@given(
    actual=decimals(Decimal(0), Decimal(1000), 2),
    target=decimals(Decimal(1), Decimal(1000), 2),
    rest=st.booleans(),
)
def test_a_ratio_proposal_recovers_exactly_the_lost_points(actual, target, rest):
    facts = Facts(facts={"实际": actual, "目标": target, "其余": rest})
    found = gap(RATIO, facts)
    leaves = {node.path: node for node in score(RATIO, facts).walk()}
    for recovery in found.recoveries:
        assert recovery.fact in ("实际", "其余")
        if recovery.path == "direct":
            assert recovery.proposed == target.quantize(Decimal("0.01"))
        if recovery.fact == "实际":
            assert recovery.proposed >= (
                target if recovery.path == "direct" else Decimal("0.95") * target
            )
        assert_exact(RATIO, facts, recovery)
    for path in ("direct", "rate"):
        leaf = leaves[path]
        assert leaf.weight is not None
        assert leaf.score is not None
        lost = leaf.weight - leaf.score
        mine = [r for r in found.recoveries if r.path == path]
        if lost == 0:
            assert mine == []
        else:
            (recovery,) = mine
            assert recovery.lost == recovery.recovers == lost
            assert recovery.is_full


# --- in Chinese -----------------------------------------------------------------------------


def test_advice_notes_in_chinese(chinese):
    ruleset = one_leaf(
        "method: ratio, actual: 执行率, target: 0.9",
        facts="执行数: {min: 0}\n          预算数: {min: 0}",
        derived="{执行率: 执行数 / 预算数}",
    )
    _, found = gap_of(ruleset, "执行数: 80, 预算数: 113.44")
    assert only(found).note == "执行数 ≥ 102.096：保留 2 位小数时最接近的值"
    bounded = ruleset_from(
        MINIMAL.replace(
            "执行数: {label: 全年执行数, unit: 万元, min: 0}", "执行数: {min: 0, max: 55}"
        )
    )
    recovery = only(gap(bounded, facts_from("facts: {预算数: 60, 执行数: 52.05}", bounded)))
    assert recovery.note == "得满分需要 执行数 ≥ 60，超出了它声明的范围 0–55：这是范围内最好的值"


def test_judgement_calls_say_why_in_chinese(chinese):
    ruleset = ruleset_from(JUDGEMENTS)
    facts = facts_from(
        """\
        facts: {管理: 中, 结余情况: 有结余, 本年: 5, 上年: 4, x: 3, 数量得分: 90, 质量得分: 80, 结余率: 0.1}
        """,
        ruleset,
    )
    assert [j.why for j in gap(ruleset, facts).judgements] == [
        "cases：由第一个成立的情形决定；最好的情形 减少或持平（10）在 本年 <= 上年 时成立",
        "either：按其中一种评分方式评分（结转结余率 或 结转结余变动）",
        "formula：得分由 x 算出，而不是由单个数据项的目标决定",
        "choice：取决于单位所选的选项；最好的选项 无结余 得 10 分",
        "定性档次：由人判断（自报 中）",
        "weighted_average：得分来自多个分项得分（数量、质量）",
    ]


def test_unsolvable_leaves_say_why_in_chinese(chinese):
    ruleset = one_leaf("method: ratio, actual: abs(a - 10), target: 10", facts="a: {}")
    _, found = gap_of(ruleset, "a: 5")
    assert found.judgements[0].why == (
        "无法从 actual 反推 a（abs(a - 10)：不是和、差、倍数或除以固定数）"
    )
    leaf = """method: deduct, items: [
            {id: a, name: 甲, points: 1, count: 甲数}, {id: b, name: 乙, points: 1, count: 乙数}]"""
    ruleset = one_leaf(leaf, facts="甲数: {min: 0}\n          乙数: {min: 0}", weight=2)
    _, found = gap_of(ruleset, "甲数: 5, 乙数: 5")
    assert found.judgements[0].why == (
        "甲：甲数 取任何值都不能得更多分；乙：乙数 取任何值都不能得更多分"
    )
