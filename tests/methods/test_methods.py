"""Each built-in method at its edges, scored through a one-leaf ruleset."""

from __future__ import annotations

from decimal import Decimal

import pytest

from scoring.engine.score import score
from scoring.errors import DivisionByZeroError, EvaluationError
from scoring.model.numbers import formula_text
from tests.conftest import facts_from, ruleset_from
from tests.wording import english_words

HEADER = """\
id: test.method
version: "1"
title: t
kind: project
grades: null
total: 10
tiers:
  - {label: 达成年度指标, range: [0.8, 1], default: 1, synonyms: [达成预期指标]}
  - {label: 部分达成年度指标并具有一定效果, range: [0.6, 0.8]}
  - {label: 未达成年度指标且效果较差, range: [0, 0.6]}
facts:
  a: {min: 0}
  b: {min: 0}
  n: {type: integer, min: 0}
  ok: {type: boolean}
  ok2: {type: boolean}
  q: {type: tier}
  结余情况: {type: choice, options: [无结余, 有结余但不超过上年结转, 超过上年结转]}
indicators:
  - id: leaf
    name: 指标
    weight: 10
"""


def leaf_score(method: str, facts: str) -> Decimal:
    ruleset = ruleset_from(HEADER + method)
    result = score(ruleset, facts_from(f"facts: {{{facts}}}\n", ruleset))
    assert result.total == result.indicators[0].score
    assert result.total is not None
    return result.total


RATIO = "    method: ratio\n    actual: a\n    target: b\n"


@pytest.mark.parametrize(
    ("facts", "expected"),
    [
        ("a: 0, b: 60", "0.00"),
        ("a: 60, b: 60", "10.00"),
        ("a: 90, b: 60", "10.00"),  # over target: capped at 100%
        ("a: 52.05, b: 60", "8.68"),  # 86.75% of 10 = 8.675 → 8.68 (四舍五入)
        ("a: 86.65, b: 100", "8.67"),  # 8.665: float gives 8.66, banker's rounding gives 8.66
        ("a: 1, b: 3", "3.33"),
        ("a: 2, b: 3", "6.67"),
    ],
)
def test_ratio_edges(facts, expected):
    assert leaf_score(RATIO, facts) == Decimal(expected)


def test_ratio_zero_target_is_an_error_naming_the_indicator():
    with pytest.raises(DivisionByZeroError, match=r"\[leaf\] target is 0"):
        leaf_score(RATIO, "a: 0, b: 0")


@pytest.mark.parametrize(("rule", "expected"), [("full", "10.00"), ("zero", "0.00")])
def test_ratio_zero_target_as_the_rule_declares(rule, expected):
    assert leaf_score(RATIO + f"    on_zero_target: {rule}\n", "a: 0, b: 0") == Decimal(expected)


REVERSE = "    method: reverse_ratio\n    actual: a\n    target: b\n"


@pytest.mark.parametrize(
    ("facts", "expected"),
    [
        ("a: 0, b: 10", "10.00"),  # actual ≤ 0 scores the weight
        ("a: 10, b: 10", "10.00"),
        ("a: 8, b: 10", "10.00"),  # under a ceiling: full marks
        ("a: 12, b: 10", "8.33"),  # 10 / 12 × 10
        ("a: 20, b: 10", "5.00"),
    ],
)
def test_reverse_ratio_edges(facts, expected):
    assert leaf_score(REVERSE, facts) == Decimal(expected)


BANDS = """\
    method: bands
    value: a
    bands:
      - {at_least: 90, score: 10}
      - {at_least: 80, score: 8}
      - {at_least: 60, score: 5}
    otherwise: 1
"""


@pytest.mark.parametrize(
    ("facts", "expected"),
    [("a: 100", "10"), ("a: 90", "10"), ("a: 89.99", "8"), ("a: 60", "5"), ("a: 59", "1")],
)
def test_bands_first_match_from_the_top(facts, expected):
    assert leaf_score(BANDS, facts) == Decimal(expected)


def test_bands_default_otherwise_is_zero():
    method = BANDS.replace("    otherwise: 1\n", "")
    assert leaf_score(method, "a: 0") == Decimal("0.00")


TIERS = "    method: tiers\n    fact: q\n"


@pytest.mark.parametrize(
    ("facts", "expected"),
    [
        ("q: 达成年度指标", "10.00"),  # the tier's default fraction
        ("q: 达成预期指标", "10.00"),  # a synonym
        ("q: {tier: 达成年度指标, score: 8}", "8.00"),  # 80% is inside the top tier
        ("q: {tier: 部分达成年度指标并具有一定效果, score: 6, note: 进度滞后}", "6.00"),
        ("q: {tier: 未达成年度指标且效果较差, score: 0}", "0.00"),
    ],
)
def test_tiers_take_the_claimed_points_inside_the_range(facts, expected):
    assert leaf_score(TIERS, facts) == Decimal(expected)


@pytest.mark.parametrize(
    "facts",
    [
        "q: {tier: 部分达成年度指标并具有一定效果, score: 8}",  # 80% belongs to the tier above
        "q: {tier: 未达成年度指标且效果较差, score: 6}",
        "q: {tier: 达成年度指标, score: 11}",
    ],
)
def test_tier_points_outside_the_tier_are_refused(facts):
    from scoring.errors import FactsError

    with pytest.raises(FactsError, match="outside tier"):
        leaf_score(TIERS, facts)


def test_tier_without_default_needs_points():
    from scoring.errors import FactsError

    with pytest.raises(FactsError, match="has no default score"):
        leaf_score(TIERS, "q: 部分达成年度指标并具有一定效果")


BOOLEAN = "    method: boolean\n    value: ok\n    false_score: 2\n"


@pytest.mark.parametrize(("facts", "expected"), [("ok: true", "10.00"), ("ok: false", "2.00")])
def test_boolean(facts, expected):
    assert leaf_score(BOOLEAN, facts) == Decimal(expected)


def test_boolean_of_a_comparison():
    method = "    method: boolean\n    value: a <= 5\n"
    assert leaf_score(method, "a: 5") == Decimal("10.00")
    assert leaf_score(method, "a: 5.01") == Decimal("0.00")


DEDUCT = "    method: deduct\n    count: n\n    points: 3\n"


@pytest.mark.parametrize(
    ("facts", "expected"),
    [("n: 0", "10.00"), ("n: 3", "1.00"), ("n: 4", "0.00"), ("n: 100", "0.00")],
)
def test_deduct_floors_at_zero(facts, expected):
    assert leaf_score(DEDUCT, facts) == Decimal(expected)


FORMULA = "    method: formula\n    expr: a / b * 10\n"


def test_formula_inside_the_weight():
    assert leaf_score(FORMULA, "a: 1, b: 2") == Decimal("5.00")
    assert leaf_score(FORMULA, "a: 2, b: 2") == Decimal("10.00")


def test_formula_above_the_weight_is_an_error_never_clamped():
    with pytest.raises(EvaluationError, match=r"\[leaf\] formula 'a / b \* 10' gives 15"):
        leaf_score(FORMULA, "a: 3, b: 2")


def test_formula_division_by_zero_names_the_indicator_and_line():
    with pytest.raises(DivisionByZeroError) as caught:
        leaf_score(FORMULA, "a: 3, b: 0")
    assert caught.value.path == "leaf"
    assert caught.value.location is not None
    assert (caught.value.location.file, caught.value.location.line) == ("t.yaml", 24)


@pytest.mark.parametrize(
    ("method", "facts", "message"),
    [
        (
            "    method: ratio\n    actual: a - 10\n    target: b\n",
            "a: 5, b: 1",
            "[leaf] actual is negative (-5): an input error",
        ),
        (
            "    method: ratio\n    actual: a\n    target: b - 10\n",
            "a: 5, b: 1",
            "[leaf] target is negative (-9): an input error",
        ),
        (
            "    method: ratio\n    actual: ok\n    target: b\n",
            "ok: true, b: 1",
            "[leaf] actual must be a number, found true (a yes/no value)",
        ),
        (
            "    method: reverse_ratio\n    actual: a\n    target: b - 10\n",
            "a: 5, b: 1",
            "[leaf] target is negative (-9): an input error",
        ),
        (
            "    method: bands\n    value: a > 1\n    bands: [{at_least: 1, score: 10}]\n",
            "a: 5",
            "[leaf] value must be a number, found true (a yes/no value)",
        ),
        (
            "    method: boolean\n    value: a\n",
            "a: 5",
            "[leaf] value must be true or false, found the number 5",
        ),
        (
            "    method: deduct\n    count: n - 5\n    points: 1\n",
            "n: 1",
            "[leaf] count is negative (-4): an input error",
        ),
        (
            "    method: formula\n    expr: a > 1\n",
            "a: 5",
            "[leaf] expr must be a number, found true (a yes/no value)",
        ),
        (
            "    method: formula\n    expr: a - 10\n",
            "a: 5",
            "[leaf] formula 'a - 10' gives -5, outside 0–10",
        ),
    ],
)
def test_methods_refuse_values_they_cannot_score(method, facts, message):
    with pytest.raises(EvaluationError) as caught:
        leaf_score(method, facts)
    assert str(caught.value).endswith(message)


def test_tiers_method_checks_claims_made_through_the_api():
    from scoring.model.facts import Facts, TierClaim

    ruleset = ruleset_from(HEADER + TIERS)
    with pytest.raises(EvaluationError, match=r"\[leaf\] unknown tier '优秀'"):
        score(ruleset, Facts(facts={"q": TierClaim(tier="优秀")}))
    with pytest.raises(
        EvaluationError, match=r"score 9 is outside tier 部分达成年度指标并具有一定效果"
    ):
        score(
            ruleset,
            Facts(facts={"q": TierClaim(tier="部分达成年度指标并具有一定效果", score=Decimal(9))}),
        )
    with pytest.raises(EvaluationError, match="has no default: state the score"):
        score(ruleset, Facts(facts={"q": TierClaim(tier="部分达成年度指标并具有一定效果")}))


# --- the rule shapes of local scoring tables ------------------------------------------------


def leaf(method: str, facts: str, header: str = HEADER):
    """The one leaf's result, scored from a facts file."""
    ruleset = ruleset_from(header + method)
    return score(ruleset, facts_from(f"facts: {{{facts}}}\n", ruleset)).indicators[0]


def scored_as(method: str, facts: str, expected: str, explanation: str) -> None:
    result = leaf(method, facts)
    assert (result.score, result.explanation) == (Decimal(expected), explanation)
    assert english_words(explanation, FACT_NAMES) == []


FACT_NAMES = ("a", "b", "n", "ok", "ok2", "q")
"""The facts of HEADER: the only ASCII words an explanation may show."""


# --- every explanation in the 自评表's words ---------------------------------------------------


@pytest.mark.parametrize(
    ("method", "facts", "expected", "explanation"),
    [
        pytest.param(
            RATIO, "a: 90, b: 60", "10", "90 / 60 = 150.00%，最高按100%计 → 10.00 / 10", id="capped"
        ),
        pytest.param(
            RATIO + "    on_zero_target: full\n",
            "a: 0, b: 0",
            "10",
            "目标值为0，按规定得满分 → 10 → 10.00 / 10",
            id="zero_target_full",
        ),
        pytest.param(
            RATIO + "    on_zero_target: zero\n",
            "a: 0, b: 0",
            "0",
            "目标值为0，按规定不得分 → 0 → 0.00 / 10",
            id="zero_target_zero",
        ),
        pytest.param(
            REVERSE, "a: 0, b: 10", "10", "实际值为0 → 得满分 → 10.00 / 10", id="actual_0"
        ),
        pytest.param(
            TIERS,
            "q: 达成预期指标",
            "10",
            "达成年度指标 [80.00%, 100.00%]，得分未填报，按默认值100.00%计 → 10.00 / 10",
            id="tier_default",
        ),
        pytest.param(
            TIERS,
            "q: {tier: 部分达成年度指标并具有一定效果, score: 6, note: 进度滞后}",
            "6",
            "部分达成年度指标并具有一定效果 [60.00%, 80.00%)，填报得分 6：进度滞后 → 6.00 / 10",
            id="tier_points_and_why",
        ),
        pytest.param(BOOLEAN, "ok: true", "10", "ok：是 → 10.00 / 10", id="boolean_yes"),
        pytest.param(BOOLEAN, "ok: false", "2", "ok：否 → 2.00 / 10", id="boolean_no"),
        pytest.param(
            "    method: boolean\n    value: not ok and a <= 5\n",
            "ok: false, a: 5",
            "10",
            "非 ok 且 a ≤ 5：是 → 10.00 / 10",
            id="boolean_formula_in_words",
        ),
        pytest.param(DEDUCT, "n: 1", "7", "10 − 1 × 3 → 7.00 / 10", id="deduct_count"),
        pytest.param(DEDUCT, "n: 4", "0", "10 − 4 × 3，扣完为止 → 0.00 / 10", id="deduct_floored"),
        pytest.param(
            "    method: formula\n    expr: min(a * 2, 10)\n",
            "a: 3",
            "6",
            "最小值(a × 2, 10) = 6 → 6.00 / 10",
            id="formula_in_words",
        ),
    ],
)
def test_explanations_are_in_the_words_of_the_self_evaluation_table(
    method, facts, expected, explanation
):
    scored_as(method, facts, expected, explanation)


@pytest.mark.parametrize(
    ("source", "check", "shown"),
    [
        ("not 存在经费互相挤占", False, "非 存在经费互相挤占"),
        ("a >= 1 or b != 2 and c == 3", False, "a ≥ 1 或 b ≠ 2 且 c = 3"),
        ("abs(完成率 - 1) + max(a, b) ** 2", False, "绝对值(完成率 - 1) + 最大值(a, b) ^ 2"),
        (
            "round(a, 2) if clamp(b, 0, 1) else True",
            False,
            "四舍五入(a, 2) 若 限定(b, 0, 1) 否则 是",
        ),
        ("actual * 1.3 <= target", True, "实际 × 1.3 ≤ 目标"),
        ("value < 0.6", True, "取值 < 0.6"),
        ("actual < target", False, "actual < target"),  # facts that happen to bear these names
        ("min + max", False, "min + max"),  # facts named like functions, not called
        ("90% <= 执行率\n  and x == 'A b'", False, "90% ≤ 执行率 且 x = 'A b'"),
    ],
)
def test_formula_text_writes_pythons_words_in_chinese(source, check, shown):
    assert formula_text(source, check=check) == shown


# "≥90% 10分；80%（含）–90% 8分；60%（含）–80% 6分；低于60% 不得分"
INTERVAL_BANDS = """\
    method: bands
    value: a
    bands:
      - {at_least: 0.9, score: 10}
      - {at_least: 0.8, below: 0.9, score: 8}
      - {at_least: 0.6, below: 0.8, score: 6}
      - {below: 0.6, score: 0}
"""
# "=0 计10分；0–10%（含）计6分；10%–20%（含）计3分；大于20% 不得分"
UNIQUE_BANDS = """\
    method: bands
    value: a
    hit: unique
    bands:
      - {equals: 0, score: 10}
      - {above: 0, at_most: 0.1, score: 6}
      - {above: 0.1, at_most: 0.2, score: 3}
      - {above: 0.2, score: 0}
"""


@pytest.mark.parametrize(
    ("method", "facts", "expected", "explanation"),
    [
        pytest.param(
            INTERVAL_BANDS, "a: 0.9", "10", "0.9 ≥ 0.9 → 10 → 10.00 / 10", id="at_least_90"
        ),
        pytest.param(
            INTERVAL_BANDS,
            "a: 0.8",
            "8",
            "0.8 ≥ 0.8 且 < 0.9 → 8 → 8.00 / 10",
            id="80_included_below_90",
        ),
        pytest.param(
            INTERVAL_BANDS,
            "a: 0.89999",
            "8",
            "0.89999 ≥ 0.8 且 < 0.9 → 8 → 8.00 / 10",
            id="just_below_90_shown_unrounded",
        ),
        pytest.param(
            INTERVAL_BANDS, "a: 0.59999", "0", "0.59999 < 0.6 → 0 → 0.00 / 10", id="below_60"
        ),
        pytest.param(INTERVAL_BANDS, "a: 1.3", "10", "1.3 ≥ 0.9 → 10 → 10.00 / 10", id="above_all"),
        pytest.param(UNIQUE_BANDS, "a: 0", "10", "0 = 0 → 10 → 10.00 / 10", id="equals_0"),
        pytest.param(
            UNIQUE_BANDS, "a: 0.1", "6", "0.1 > 0 且 ≤ 0.1 → 6 → 6.00 / 10", id="10_included"
        ),
        pytest.param(
            UNIQUE_BANDS,
            "a: 0.10001",
            "3",
            "0.10001 > 0.1 且 ≤ 0.2 → 3 → 3.00 / 10",
            id="just_above_10",
        ),
        pytest.param(
            UNIQUE_BANDS, "a: 0.2", "3", "0.2 > 0.1 且 ≤ 0.2 → 3 → 3.00 / 10", id="20_included"
        ),
        pytest.param(UNIQUE_BANDS, "a: 0.21", "0", "0.21 > 0.2 → 0 → 0.00 / 10", id="above_20"),
    ],
)
def test_bands_with_open_and_closed_ends(method, facts, expected, explanation):
    scored_as(method, facts, expected, explanation)


def test_bands_hit_first_takes_the_first_of_two_overlapping_bands():
    method = (
        "    method: bands\n    value: a\n    hit: first\n"
        "    bands: [{at_least: 0.8, at_most: 0.95, score: 8}, {at_least: 0.9, score: 10}]\n"
    )
    scored_as(method, "a: 0.92", "8", "0.92 ≥ 0.8 且 ≤ 0.95 → 8 → 8.00 / 10")
    scored_as(method, "a: 0.96", "10", "0.96 ≥ 0.9 → 10 → 10.00 / 10")


def test_bands_value_between_bands_scores_otherwise():
    method = (
        "    method: bands\n    value: a\n    otherwise: 2\n"
        "    bands: [{at_least: 0.9, score: 10}, {at_least: 0.6, below: 0.8, score: 6}]\n"
    )
    scored_as(method, "a: 0.85", "2", "0.85 不在所列区间内 → 2 → 2.00 / 10")
    scored_as(method, "a: 0.79999", "6", "0.79999 ≥ 0.6 且 < 0.8 → 6 → 6.00 / 10")


# "≤100% 计10分；每超过一个百分点扣0.5分，扣完为止"
THRESHOLD = "    method: threshold\n    value: a\n    at_most: 1\n    step: 0.01\n    points: 0.5\n"


@pytest.mark.parametrize(
    ("method", "facts", "expected", "explanation"),
    [
        pytest.param(THRESHOLD, "a: 1", "10", "1 ≤ 1 → 得满分 → 10.00 / 10", id="at_the_limit"),
        pytest.param(
            THRESHOLD, "a: 0.5", "10", "0.5 ≤ 1 → 得满分 → 10.00 / 10", id="under_the_limit"
        ),
        pytest.param(
            THRESHOLD,
            "a: 1.01",
            "9.5",
            "1.01 超过 1，相差 0.01 = 1 × 0.01；扣分 1 × 0.5 = 0.5 → 9.50 / 10",
            id="one_step_over",
        ),
        pytest.param(
            THRESHOLD,
            "a: 1.005",
            "9.75",
            "1.005 超过 1，相差 0.005 = 0.5 × 0.01；扣分 0.5 × 0.5 = 0.25 → 9.75 / 10",
            id="half_a_step_proportional",
        ),
        pytest.param(
            THRESHOLD + "    steps: whole\n",
            "a: 1.015",
            "9.5",
            "1.015 超过 1，相差 0.015 = 1.5 × 0.01，按 1 档计（不足一档的不扣）；"
            "扣分 1 × 0.5 = 0.5 → 9.50 / 10",
            id="whole_steps_only",
        ),
        pytest.param(
            THRESHOLD + "    steps: whole\n",
            "a: 1.005",
            "10",
            "1.005 超过 1，相差 0.005 = 0.5 × 0.01，按 0 档计（不足一档的不扣）；"
            "扣分 0 × 0.5 = 0.0 → 10.00 / 10",
            id="whole_steps_none_completed",
        ),
        pytest.param(
            THRESHOLD + "    steps: started\n",
            "a: 1.005",
            "9.5",
            "1.005 超过 1，相差 0.005 = 0.5 × 0.01，按 1 档计（不足一档的按一档计）；"
            "扣分 1 × 0.5 = 0.5 → 9.50 / 10",
            id="every_started_step",
        ),
        pytest.param(
            THRESHOLD,
            "a: 1.2",
            "0",
            "1.2 超过 1，相差 0.2 = 20 × 0.01；扣分 20 × 0.5 = 10，扣完为止 → 0.00 / 10",
            id="all_points_lost",
        ),
        pytest.param(
            THRESHOLD,
            "a: 1.5",
            "0",
            "1.5 超过 1，相差 0.5 = 50 × 0.01；扣分 50 × 0.5 = 25，扣完为止 → 0.00 / 10",
            id="floored_at_zero",
        ),
        pytest.param(
            THRESHOLD,
            "a: 1.00001",
            "9.9995",
            "1.00001 超过 1，相差 0.00001 = 0.001 × 0.01；扣分 0.001 × 0.5 = 0.0005 → 10.00 / 10",
            id="value_shown_unrounded_beside_the_limit",
        ),
        pytest.param(
            THRESHOLD.replace("at_most: 1", "at_least: 0.9"),
            "a: 0.9",
            "10",
            "0.9 ≥ 0.9 → 得满分 → 10.00 / 10",
            id="at_least_at_the_limit",
        ),
        pytest.param(
            THRESHOLD.replace("at_most: 1", "at_least: 0.9"),
            "a: 0.85",
            "7.5",
            "0.85 低于 0.9，相差 0.05 = 5 × 0.01；扣分 5 × 0.5 = 2.5 → 7.50 / 10",
            id="at_least_under",
        ),
    ],
)
def test_threshold(method, facts, expected, explanation):
    result = leaf(method, facts)
    assert result.explanation == explanation
    assert result.score == Decimal(expected).quantize(Decimal("0.01"))


REVERSE_LINEAR = "    method: reverse_linear\n    actual: a\n    target: b\n"


@pytest.mark.parametrize(
    ("facts", "expected", "explanation"),
    [
        pytest.param("a: 8, b: 10", "10", "8 ≤ 10 → 得满分 → 10.00 / 10", id="under_target"),
        pytest.param("a: 10, b: 10", "10", "10 ≤ 10 → 得满分 → 10.00 / 10", id="at_target"),
        pytest.param(
            "a: 12, b: 10", "8", "1 − (12 − 10) / 10 = 80.00% → 8.00 / 10", id="linear_not_ratio"
        ),
        pytest.param(
            "a: 15, b: 10", "5", "1 − (15 − 10) / 10 = 50.00% → 5.00 / 10", id="one_and_a_half"
        ),
        pytest.param(
            "a: 20, b: 10", "0", "1 − (20 − 10) / 10 = 0.00% → 0.00 / 10", id="twice_the_target"
        ),
        pytest.param(
            "a: 25, b: 10",
            "0",
            "1 − (25 − 10) / 10 = -50.00%，最低按0计 → 0.00 / 10",
            id="beyond_twice",
        ),
        pytest.param("a: 0, b: 0", "10", "0 ≤ 0 → 得满分 → 10.00 / 10", id="target_0_met"),
        pytest.param("a: 1, b: 0", "0", "1 > 目标值0 → 0 → 0.00 / 10", id="target_0_exceeded"),
    ],
)
def test_reverse_linear(facts, expected, explanation):
    scored_as(REVERSE_LINEAR, facts, expected, explanation)


EQUAL = "    method: equal\n    actual: a\n    target: b\n"


@pytest.mark.parametrize(
    ("method", "facts", "expected", "explanation"),
    [
        pytest.param(EQUAL, "a: 5, b: 5", "10", "5 = 5：达标 → 10.00 / 10", id="equal"),
        pytest.param(
            EQUAL, "a: 5.00001, b: 5", "0", "5.00001 ≠ 5：未达标 → 0.00 / 10", id="nearly"
        ),
        pytest.param(EQUAL, "a: 0, b: 0", "10", "0 = 0：达标 → 10.00 / 10", id="target_0_actual_0"),
        pytest.param(EQUAL, "a: 1, b: 0", "0", "1 ≠ 0：未达标 → 0.00 / 10", id="target_0_missed"),
        pytest.param(
            EQUAL + "    tolerance: 0.5\n",
            "a: 5.5, b: 5",
            "10",
            "5.5 = 5（允许误差 0.5）：达标 → 10.00 / 10",
            id="tolerance_upper_edge",
        ),
        pytest.param(
            EQUAL + "    tolerance: 0.5\n",
            "a: 4.5, b: 5",
            "10",
            "4.5 = 5（允许误差 0.5）：达标 → 10.00 / 10",
            id="tolerance_lower_edge",
        ),
        pytest.param(
            EQUAL + "    tolerance: 0.5\n",
            "a: 5.50001, b: 5",
            "0",
            "5.50001 ≠ 5（允许误差 0.5）：未达标 → 0.00 / 10",
            id="just_outside_the_tolerance",
        ),
    ],
)
def test_equal(method, facts, expected, explanation):
    scored_as(method, facts, expected, explanation)


# "①制定管理制度 4分；②制度有效执行 6分"
CHECKLIST = """\
    method: checklist
    items:
      - {id: rules, name: 制定管理制度, points: 4, met: ok}
      - {id: kept, name: 制度有效执行, points: 6, met: ok2}
"""


@pytest.mark.parametrize(
    ("facts", "expected", "explanation"),
    [
        pytest.param(
            "ok: true, ok2: true",
            "10",
            "✓ 制定管理制度 4；✓ 制度有效执行 6 → 10.00 / 10",
            id="all",
        ),
        pytest.param(
            "ok: false, ok2: false",
            "0",
            "✗ 制定管理制度 0；✗ 制度有效执行 0 → 0.00 / 10",
            id="none",
        ),
        pytest.param(
            "ok: true, ok2: false",
            "4",
            "✓ 制定管理制度 4；✗ 制度有效执行 0 → 4.00 / 10",
            id="some",
        ),
    ],
)
def test_checklist_names_every_item(facts, expected, explanation):
    scored_as(CHECKLIST, facts, expected, explanation)


# "未按时报送的，每次扣1分；数据不实的，每处扣2分；扣完为止"
DEDUCT_ITEMS = """\
    method: deduct
    items:
      - {id: late, name: 未按时报送, points: 1, count: n}
      - {id: wrong, name: 数据不实, points: 2, count: a}
"""


@pytest.mark.parametrize(
    ("facts", "expected", "explanation"),
    [
        pytest.param("n: 0, a: 0", "10", "无扣分 → 10.00 / 10", id="none"),
        pytest.param(
            "n: 2, a: 0", "8", "10 − (未按时报送 2 × 1) → 8.00 / 10", id="only_items_that_cost"
        ),
        pytest.param(
            "n: 2, a: 1", "6", "10 − (未按时报送 2 × 1；数据不实 1 × 2) → 6.00 / 10", id="both"
        ),
        pytest.param(
            "n: 5, a: 3",
            "0",
            "10 − (未按时报送 5 × 1；数据不实 3 × 2)，扣完为止 → 0.00 / 10",
            id="floored_at_zero",
        ),
    ],
)
def test_deduct_items_name_what_cost_points(facts, expected, explanation):
    scored_as(DEDUCT_ITEMS, facts, expected, explanation)


# "无结余 10分；有结余但不超过上年结转 6分；超过上年结转 不得分", from the amounts
CASES = """\
    method: cases
    cases:
      - {when: a == 0, score: 10, name: 无结余}
      - {when: a <= b, score: 6, name: 有结余但不超过上年结转}
    otherwise: 0
"""


@pytest.mark.parametrize(
    ("method", "facts", "expected", "explanation"),
    [
        pytest.param(
            CASES, "a: 0, b: 5", "10", "无结余 → 10 → 10.00 / 10", id="first_of_two_that_hold"
        ),
        pytest.param(
            CASES, "a: 5, b: 5", "6", "有结余但不超过上年结转 → 6 → 6.00 / 10", id="second"
        ),
        pytest.param(CASES, "a: 6, b: 5", "0", "不属于所列情形 → 0 → 0.00 / 10", id="otherwise"),
        pytest.param(
            CASES.replace(", name: 有结余但不超过上年结转", ""),
            "a: 5, b: 5",
            "6",
            "a ≤ b → 6 → 6.00 / 10",
            id="unnamed_case_shows_its_condition",
        ),
    ],
)
def test_cases_first_match(method, facts, expected, explanation):
    scored_as(method, facts, expected, explanation)


# the same, as the unit states it
CHOICE = (
    "    method: choice\n    fact: 结余情况\n"
    "    options: {无结余: 10, 有结余但不超过上年结转: 6, 超过上年结转: 0}\n"
)


@pytest.mark.parametrize(
    ("option", "expected"),
    [("无结余", "10.00"), ("有结余但不超过上年结转", "6.00"), ("超过上年结转", "0.00")],
)
def test_choice_scores_the_chosen_option(option, expected):
    from scoring.model.facts import Facts

    ruleset = ruleset_from(HEADER + CHOICE)
    result = score(ruleset, Facts(facts={"结余情况": option})).indicators[0]
    assert (result.score, result.explanation) == (
        Decimal(expected),
        f"{option} → {Decimal(expected).normalize():f} → {expected} / 10",
    )
    assert result.reads == {"结余情况": option}


def test_choice_from_a_facts_file():
    assert leaf(CHOICE, "结余情况: 无结余").score == Decimal("10.00")


def test_choice_unknown_option_is_refused_at_load_listing_the_options():
    from scoring.errors import FactsError

    ruleset = ruleset_from(HEADER + CHOICE)
    with pytest.raises(FactsError) as caught:
        facts_from("facts: {结余情况: 无节余}\n", ruleset)
    assert [str(issue) for issue in caught.value.issues] == [
        "f.yaml:1:15: [leaf] 结余情况: expected one of 无结余, 有结余但不超过上年结转, "
        "超过上年结转, found '无节余'"
    ]  # no did-you-mean: the nearest option may be the opposite answer (有结余 / 无结余)


def test_choice_options_compare_after_folding_full_width_forms():
    text = (
        (HEADER + CHOICE)
        .replace("超过上年结转]", "超过上年结转（含）]")
        .replace("超过上年结转: 0}", "超过上年结转（含）: 0}")
    )
    ruleset = ruleset_from(text)
    facts = facts_from("facts: {结余情况: 超过上年结转(含)}\n", ruleset)
    assert facts.facts["结余情况"] == "超过上年结转（含）"


def test_choice_method_refuses_a_value_that_is_no_option():
    from scoring.model.facts import Facts

    ruleset = ruleset_from(HEADER + CHOICE)
    with pytest.raises(EvaluationError) as caught:
        score(ruleset, Facts(facts={"结余情况": "无节余"}))
    assert str(caught.value).endswith(
        "[leaf] expected one of 无结余, 有结余但不超过上年结转, 超过上年结转, found '无节余'"
    )


# "结转结余率或结转结余变动率，二者择其一"
EITHER = """\
    method: either
    alternatives:
      - {id: rate, name: 结转结余率, method: reverse_ratio, actual: a, target: 0.1}
      - {id: change, name: 结转结余变动率, method: bands, value: b, bands: [{at_most: 0, score: 10}], otherwise: 0}
"""


@pytest.mark.parametrize(
    ("facts", "expected", "explanation"),
    [
        pytest.param(
            "a: 0.2, b: 0",
            "5",
            "结转结余率：0.1 / 0.2 = 50.00% → 5.00 / 10",
            id="both_given_the_first_is_used",
        ),
        pytest.param(
            "a: 0.2",
            "5",
            "结转结余率（结转结余变动率未填报）：0.1 / 0.2 = 50.00% → 5.00 / 10",
            id="only_the_first",
        ),
        pytest.param(
            "b: 0",
            "10",
            "结转结余变动率（结转结余率未填报）：0 ≤ 0 → 10 → 10.00 / 10",
            id="only_the_second",
        ),
    ],
)
def test_either_uses_the_first_alternative_whose_facts_are_given(facts, expected, explanation):
    result = leaf(EITHER, facts)
    assert (result.score, result.explanation) == (Decimal(expected), explanation)
    assert set(result.reads) == ({"a"} if "a:" in facts else {"b"})


def test_either_without_the_facts_of_any_alternative_says_what_each_needs():
    with pytest.raises(EvaluationError) as caught:
        leaf(EITHER, "n: 1")
    assert str(caught.value) == (
        "t.yaml:20:5: [leaf] give the facts of one alternative: "
        "结转结余率 (a) or 结转结余变动率 (b)"
    )


def test_facts_read_only_by_alternatives_may_be_left_out_of_the_facts_file():
    ruleset = ruleset_from(HEADER + EITHER)
    facts = facts_from("facts: {b: 0}\n", ruleset)  # no 'missing' for a
    assert "a" not in facts.facts
    assert score(ruleset, facts).total == Decimal("10.00")


# "完成数量 60%，完成质量 40%，各按百分制评分"
AVERAGE = """\
    method: weighted_average
    parts:
      - {name: 完成数量, share: 0.6, value: a}
      - {name: 完成质量, share: 0.4, value: b}
"""


@pytest.mark.parametrize(
    ("facts", "expected", "explanation"),
    [
        pytest.param(
            "a: 100, b: 100",
            "10",
            "(完成数量 100 × 0.6 + 完成质量 100 × 0.4) / 1.0 = 100 / 100 → 10.00 / 10",
            id="full",
        ),
        pytest.param(
            "a: 90, b: 50",
            "7.4",
            "(完成数量 90 × 0.6 + 完成质量 50 × 0.4) / 1.0 = 74 / 100 → 7.40 / 10",
            id="weighted",
        ),
        pytest.param(
            "a: 0, b: 0",
            "0",
            "(完成数量 0 × 0.6 + 完成质量 0 × 0.4) / 1.0 = 0 / 100 → 0.00 / 10",
            id="zero",
        ),
    ],
)
def test_weighted_average(facts, expected, explanation):
    scored_as(AVERAGE, facts, expected, explanation)


def test_weighted_average_shares_need_not_add_up_to_one():
    method = AVERAGE.replace("share: 0.6", "share: 3").replace("share: 0.4", "share: 2")
    scored_as(
        method,
        "a: 90, b: 50",
        "7.4",
        "(完成数量 90 × 3 + 完成质量 50 × 2) / 5 = 74 / 100 → 7.40 / 10",
    )


@pytest.mark.parametrize(
    ("method", "facts"),
    [
        pytest.param("    method: ratio\n    actual: a\n    target: b\n", "a: 1, b: 3", id="ratio"),
        pytest.param(
            "    method: reverse_ratio\n    actual: a\n    target: b\n",
            "a: 3, b: 1",
            id="reverse_ratio",
        ),
        pytest.param(
            "    method: reverse_linear\n    actual: a\n    target: b\n",
            "a: 5, b: 3",
            id="reverse_linear",
        ),
        pytest.param(
            "    method: threshold\n    value: a\n    at_most: 0\n    step: 0.03\n    points: 1\n",
            "a: 0.06",
            id="threshold",
        ),
        pytest.param(
            "    method: weighted_average\n    parts:\n"
            "      - {name: 甲, share: 1, value: a}\n      - {name: 乙, share: 1, value: b}\n"
            "      - {name: 丙, share: 1, value: n}\n",
            "a: 100, b: 0, n: 0",
            id="weighted_average",
        ),
    ],
)
def test_rounding_down_sees_exact_thirds(method, facts):
    """A third of 3 points is 1.00 when rounding down, not 0.99：达标hods multiply first."""
    header = HEADER.replace("total: 10", "total: 3\nrounding: {places: 2, mode: down}").replace(
        "weight: 10", "weight: 3"
    )
    assert leaf(method, facts, header).score == Decimal("1.00")


# "实际完成值低于年度指标值，或达到指标值130%以上的，需说明偏差原因"
CHECKED = """\
    method: ratio
    actual: a
    target: b
    checks:
      - {when: actual < target, message: 未达成年度指标，需说明偏差原因}
      - {when: actual >= 1.3 * target, message: 超过指标值130%，需说明原因}
      - {when: n > 3, message: 问题超过3个，不予评分, level: error}
"""


@pytest.mark.parametrize(
    ("facts", "messages"),
    [
        pytest.param("a: 10, b: 10, n: 0", [], id="on_target"),
        pytest.param(
            "a: 9.99, b: 10, n: 0",
            ["未达成年度指标，需说明偏差原因（实际 < 目标）"],
            id="below_target",
        ),
        pytest.param("a: 12.99, b: 10, n: 0", [], id="just_under_130"),
        pytest.param(
            "a: 13, b: 10, n: 0",
            ["超过指标值130%，需说明原因（实际 ≥ 1.3 × 目标）"],
            id="at_130",
        ),
    ],
)
def test_checks_raise_notes_as_findings_without_changing_the_score(facts, messages):
    ruleset = ruleset_from(HEADER + CHECKED)
    result = score(ruleset, facts_from(f"facts: {{{facts}}}\n", ruleset))
    assert [(f.code, f.path, f.message) for f in result.findings] == [
        ("check", "leaf", message) for message in messages
    ]
    assert result.indicators[0].score == leaf(RATIO, facts).score


def test_check_of_level_error_stops_scoring_with_its_message():
    with pytest.raises(EvaluationError) as caught:
        leaf(CHECKED, "a: 10, b: 10, n: 4")
    assert str(caught.value) == "t.yaml:20:5: [leaf] 问题超过3个，不予评分 (n > 3)"


def test_checks_read_value_of_a_method_that_has_one():
    method = (
        INTERVAL_BANDS + "    checks: [{when: value < 0.6, message: 执行率低于60%，需说明原因}]\n"
    )
    ruleset = ruleset_from(HEADER + method)
    result = score(ruleset, facts_from("facts: {a: 0.5}\n", ruleset))
    assert [f.message for f in result.findings] == ["执行率低于60%，需说明原因（取值 < 0.6）"]


@pytest.mark.parametrize(
    ("method", "facts", "message"),
    [
        pytest.param(
            "    method: reverse_ratio\n    actual: a - 10\n    target: b\n",
            "a: 5, b: 1",
            "[leaf] actual is negative (-5): an input error",
            id="reverse_ratio_negative_actual",
        ),
        pytest.param(
            "    method: reverse_linear\n    actual: a - 10\n    target: b\n",
            "a: 5, b: 1",
            "[leaf] actual is negative (-5): an input error",
            id="reverse_linear_negative_actual",
        ),
        pytest.param(
            DEDUCT_ITEMS.replace("count: a}", "count: a - 5}"),
            "n: 0, a: 1",
            "[leaf] count of 数据不实 is negative (-4): an input error",
            id="deduct_item_negative_count",
        ),
        pytest.param(
            CHECKLIST.replace("met: ok2}", "met: a}"),
            "ok: true, a: 5",
            "[leaf] met of 制度有效执行 must be true or false, found the number 5",
            id="checklist_met_not_yes_no",
        ),
        pytest.param(
            CASES.replace("when: a == 0", "when: a"),
            "a: 0, b: 1",
            "[leaf] when of case 1 (无结余) must be true or false, found the number 0",
            id="case_when_not_yes_no",
        ),
        pytest.param(
            AVERAGE,
            "a: 100, b: 100.5",
            "[leaf] 完成质量 scores 100.5, outside 0–100",
            id="sub_score_above_100",
        ),
        pytest.param(
            AVERAGE.replace("value: a}", "value: a - 1}"),
            "a: 0, b: 0",
            "[leaf] 完成数量 scores -1, outside 0–100",
            id="sub_score_below_0",
        ),
        pytest.param(
            AVERAGE.replace("value: a}", "value: ok}"),
            "ok: true, b: 0",
            "[leaf] value of 完成数量 must be a number, found true (a yes/no value)",
            id="sub_score_not_a_number",
        ),
        pytest.param(
            THRESHOLD.replace("value: a", "value: ok"),
            "ok: true",
            "[leaf] value must be a number, found true (a yes/no value)",
            id="threshold_value_not_a_number",
        ),
    ],
)
def test_new_methods_refuse_values_they_cannot_score(method, facts, message):
    with pytest.raises(EvaluationError) as caught:
        leaf_score(method, facts)
    assert str(caught.value).endswith(message)


# --- messages in Chinese ----------------------------------------------------------------------


@pytest.mark.usefixtures("chinese")
@pytest.mark.parametrize(
    ("method", "facts", "message"),
    [
        pytest.param(
            "    method: ratio\n    actual: ok\n    target: b\n",
            "ok: true, b: 1",
            "[leaf] actual 应为数字，实际为true（是/否值）",
            id="not_a_number",
        ),
        pytest.param(
            "    method: ratio\n    actual: a - 10\n    target: b\n",
            "a: 5, b: 1",
            "[leaf] actual 为负数（-5）：填报有误",
            id="negative",
        ),
        pytest.param(
            CHECKLIST.replace("met: ok2}", "met: a}"),
            "ok: true, a: 5",
            "[leaf] 制度有效执行 的 met 应为是或否，实际为数字 5",
            id="checklist_met_not_yes_no",
        ),
        pytest.param(
            AVERAGE,
            "a: 100, b: 100.5",
            "[leaf] 完成质量 的得分为 100.5，超出 0–100",
            id="sub_score_above_100",
        ),
        pytest.param(
            "    method: formula\n    expr: a - 10\n",
            "a: 5",
            "[leaf] 公式 'a - 10' 的结果为 -5，超出 0–10",
            id="formula_outside_the_weight",
        ),
    ],
)
def test_methods_say_what_they_cannot_score_in_chinese(method, facts, message):
    with pytest.raises(EvaluationError) as caught:
        leaf_score(method, facts)
    assert str(caught.value).endswith(message)


@pytest.mark.usefixtures("chinese")
def test_tier_claims_that_do_not_fit_are_said_in_chinese():
    from scoring.model.facts import Facts, TierClaim

    ruleset = ruleset_from(HEADER + TIERS)
    with pytest.raises(EvaluationError) as caught:
        score(ruleset, Facts(facts={"q": TierClaim(tier="优秀")}))
    assert caught.value.message == "未知的档次 '优秀'"
    with pytest.raises(EvaluationError) as caught:
        score(ruleset, Facts(facts={"q": TierClaim(tier="部分达成年度指标并具有一定效果")}))
    assert caught.value.message == "档次 '部分达成年度指标并具有一定效果' 没有默认得分：请填报得分"
