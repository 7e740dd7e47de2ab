"""Each built-in method at its edges, scored through a one-leaf ruleset."""

from __future__ import annotations

from decimal import Decimal

import pytest

from scoring.engine import score
from scoring.errors import DivisionByZeroError, EvaluationError
from tests.conftest import facts_from, ruleset_from

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
  q: {type: tier}
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
    assert (caught.value.location.file, caught.value.location.line) == ("t.yaml", 22)


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
    from scoring.models import Facts, TierClaim

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
