"""The engine: sums of rounded leaves, 不适用 and rescaling, grades, reads, derived values."""

from __future__ import annotations

from decimal import Decimal

import pytest

from scoring.engine.score import score
from scoring.errors import DivisionByZeroError
from scoring.render import render_json
from tests.conftest import facts_from, ruleset_from

TREE = """\
id: t.tree
version: "1"
title: 树
kind: project
grades: {优: 90, 良: 80, 中: 60, 差: 0}
facts:
  预算数: {min: 0}
  执行数: {min: 0}
  x: {}
  y: {}
derived:
  执行率: {expr: 执行数 / 预算数, unit: "%"}
  ratio: {expr: x / y, on_zero_division: 0}
indicators:
  - id: execution
    name: 预算执行率
    weight: 10
    method: ratio
    actual: 执行率
    target: 1
  - id: output
    name: 产出指标
    weight: 60
    children:
      - id: quantity
        name: 数量指标
        weight: 30
        children:
          - {id: a, name: A, weight: 15, method: formula, expr: x}
          - {id: b, name: B, weight: 15, method: formula, expr: y}
      - {id: quality, name: 质量指标, weight: 30, method: formula, expr: x + y}
  - id: satisfaction
    name: 满意度
    weight: 30
    method: formula
    expr: x * 2
"""


@pytest.fixture
def tree():
    return ruleset_from(TREE)


def scored(ruleset, facts: str):
    return score(ruleset, facts_from(facts, ruleset))


def test_parents_are_sums_of_rounded_children(tree):
    result = scored(tree, "facts: {预算数: 60, 执行数: 52.05, x: 3.333, y: 1.111}")
    execution, output, satisfaction = result.indicators
    assert execution.score == Decimal("8.68")
    quantity, quality = output.children
    assert [child.score for child in quantity.children] == [Decimal("3.33"), Decimal("1.11")]
    assert quantity.score == Decimal("4.44")
    assert quality.score == Decimal("4.44")
    assert output.score == Decimal("8.88")
    assert satisfaction.score == Decimal("6.67")
    assert result.total == result.sum == Decimal("24.23")


def test_leaf_explanation_shows_the_arithmetic(tree):
    result = scored(tree, "facts: {预算数: 60, 执行数: 52.05, x: 1, y: 1}")
    assert result.indicators[0].explanation == "0.8675 / 1 = 86.75% → 8.68 / 10"
    assert result.indicators[0].reads == {"执行率": "0.8675", "执行数": "52.05", "预算数": "60"}
    assert result.derived["执行率"].shown == "86.75%"
    assert result.derived["执行率"].value == "0.8675"


def test_exact_boundaries_of_the_grade():
    text = """\
    id: t.g
    version: "1"
    title: g
    kind: project
    grades: {优: 90, 良: 80, 中: 60, 差: 0}
    facts: {p: {min: 0, max: 100}}
    indicators:
      - {id: all, name: 全部, weight: 100, method: formula, expr: p}
    """
    ruleset = ruleset_from(text)
    assert scored(ruleset, "facts: {p: 90.00}").grade == "优"
    assert scored(ruleset, "facts: {p: 89.99}").grade == "良"
    assert scored(ruleset, "facts: {p: 89.995}").grade == "优"  # 89.995 rounds to 90.00 first


def test_not_applicable_rescales_the_total(tree):
    facts = "facts: {预算数: 1, 执行数: 1, x: 15, y: 15}\nnot_applicable: [satisfaction]\n"
    result = scored(tree, facts)
    assert result.indicators[2].status == "not_applicable"
    assert result.indicators[2].score is None
    assert result.sum == Decimal("70.00")
    assert result.applicable_weight == Decimal(70)
    assert result.rescaled
    assert result.total == Decimal("100.00")
    assert [finding.code for finding in result.findings] == ["rescaled"]


def test_not_applicable_inside_a_group_rescales_by_applicable_weight(tree):
    facts = "facts: {预算数: 1, 执行数: 0.5, x: 10, y: 5}\nnot_applicable: [output.quantity.b]\n"
    result = scored(tree, facts)
    # 5 + (10 + 15) + 20 = 50 of 85 applicable → 58.82
    assert result.sum == Decimal("50.00")
    assert result.applicable_weight == Decimal(85)
    assert result.total == Decimal("58.82")
    assert result.grade == "差"


def test_facts_only_needed_by_not_applicable_indicators_may_be_left_out(tree):
    result = scored(tree, "facts: {x: 1, y: 1}\nnot_applicable: [execution]\n")
    assert "执行率" not in result.derived
    assert result.indicators[0].status == "not_applicable"


def test_derived_division_by_zero_uses_the_declared_value(tree):
    result = scored(tree, "facts: {预算数: 1, 执行数: 1, x: 1, y: 0}")
    assert result.derived["ratio"].value == "0"


def test_derived_division_by_zero_without_a_rule_names_the_derived_value(tree):
    with pytest.raises(DivisionByZeroError) as caught:
        scored(tree, "facts: {预算数: 0, 执行数: 1, x: 1, y: 1}")
    assert caught.value.path == "derived.执行率"
    assert (
        str(caught.value) == "t.yaml:12:15: [derived.执行率] division by zero in '执行数 / 预算数'"
    )


def test_same_inputs_give_the_same_bytes_whatever_the_key_order(tree):
    first = scored(
        tree, "subject: {unit: 甲, year: 2022}\nfacts: {预算数: 60, 执行数: 52.05, x: 1, y: 2}"
    )
    second = scored(
        tree, "facts: {y: 2, x: 1, 执行数: 52.05, 预算数: 60}\nsubject: {year: 2022, unit: 甲}"
    )
    assert render_json(first) == render_json(second)


def test_facts_naming_another_ruleset_give_a_finding(tree):
    result = scored(tree, "ruleset: t.other@1\nfacts: {预算数: 1, 执行数: 1, x: 1, y: 1}")
    assert [finding.code for finding in result.findings] == ["ruleset_mismatch"]
    assert (
        scored(tree, "ruleset: t.tree@1\nfacts: {预算数: 1, 执行数: 1, x: 1, y: 1}").findings == ()
    )


def test_on_zero_division_applies_where_an_indicator_reads_the_value(tree):
    text = TREE.replace("expr: x * 2", "expr: ratio * 30")
    ruleset = ruleset_from(text)
    result = scored(ruleset, "facts: {预算数: 1, 执行数: 1, x: 1, y: 0}")
    assert result.indicators[2].score == Decimal("0.00")
    assert result.indicators[2].reads == {"ratio": "0", "x": "1", "y": "0"}


def test_a_huge_derived_value_is_shown_in_full_rather_than_crashing(tree):
    ruleset = ruleset_from(
        TREE.replace("ratio: {expr: x / y, on_zero_division: 0}", "ratio: x * 1e40")
    )
    result = scored(ruleset, "facts: {预算数: 1, 执行数: 1, x: 1.5, y: 1}")
    assert result.derived["ratio"].shown == "15" + "0" * 39


# --- failures the engine names, whatever reaches it --------------------------------------------


def test_a_fact_missing_from_facts_built_in_code_is_named(tree):
    from scoring.errors import EvaluationError
    from scoring.model.facts import Facts

    with pytest.raises(EvaluationError, match=r"\[derived\.执行率\] fact '执行数' has no value"):
        score(tree, Facts(facts={"x": Decimal(1), "y": Decimal(1)}))


def test_a_derived_value_that_fails_otherwise_names_itself():
    from scoring.errors import EvaluationError

    ruleset = ruleset_from(
        TREE.replace("执行率: {expr: 执行数 / 预算数", "执行率: {expr: 执行数 ** 预算数")
    )
    with pytest.raises(
        EvaluationError, match=r"t\.yaml:12:15: \[derived\.执行率\] exponent must be"
    ):
        scored(ruleset, "facts: {预算数: 1000, 执行数: 2, x: 1, y: 1}\n")


def test_every_indicator_not_applicable_is_an_error(tree):
    from scoring.errors import EvaluationError

    with pytest.raises(EvaluationError, match="every indicator is 不适用: nothing to score"):
        scored(tree, "facts: {}\nnot_applicable: [execution, output, satisfaction]\n")


def test_a_derived_value_no_indicator_needs_is_a_finding_when_it_fails():
    ruleset = ruleset_from(
        TREE.replace("  ratio: {expr: x / y, on_zero_division: 0}\n", "  ratio: {expr: x / y}\n")
    )
    result = scored(ruleset, "facts: {预算数: 10, 执行数: 5, x: 0, y: 0}\n")
    assert [(f.code, f.path, f.message) for f in result.findings] == [
        ("derived_failed", "derived.ratio", "无法计算（除数为0）")
    ]
    assert "ratio" not in result.derived


EITHER = """\
id: t.either
version: "1"
title: 二者择其一
kind: department
facts:
  结转结余总额: {min: 0}
  预算数: {min: 0}
  变动率: {}
total: 10
grades: null
indicators:
  - id: carryover
    name: 结转结余
    weight: 10
    method: either
    alternatives:
      - {id: rate, name: 结转结余率, method: reverse_ratio, actual: 结转结余总额 / 预算数, target: 0.1}
      - {id: change, name: 结转结余变动率, method: bands, value: 变动率, bands: [{below: 0, score: 10}, {at_least: 0, score: 0}]}
"""


def test_an_alternatives_own_error_names_the_alternative():
    from scoring.errors import EvaluationError
    from scoring.model.facts import Facts

    ruleset = ruleset_from(EITHER)
    facts = Facts(facts={"结转结余总额": Decimal(-5), "预算数": Decimal(100)})
    with pytest.raises(EvaluationError, match=r"\[carryover\] 结转结余率: actual is negative"):
        score(ruleset, facts)


def test_facts_read_lists_alternative_facts_only_when_asked():
    from scoring.engine.plan import facts_read

    ruleset = ruleset_from(EITHER)
    assert facts_read(ruleset, set()) == {}
    assert facts_read(ruleset, set(), alternatives=True) == {
        "变动率": "carryover",
        "结转结余总额": "carryover",
        "预算数": "carryover",
    }


def test_a_check_that_is_not_yes_or_no_is_an_error():
    from scoring.errors import EvaluationError

    ruleset = ruleset_from(
        TREE.replace(
            "    target: 1\n", "    target: 1\n    checks: [{when: actual + 1, message: 注}]\n"
        )
    )
    with pytest.raises(EvaluationError, match=r"check 'actual \+ 1' must be true or false"):
        scored(ruleset, "facts: {预算数: 10, 执行数: 5, x: 1, y: 1}\n")


# --- how much of the weight is applicable -------------------------------------------------

MOSTLY_NA = "facts: {预算数: 1, 执行数: 1}\nnot_applicable: [output, satisfaction]\n"
"""10 of 100 points applicable, all earned: 100.00, which alone would look like any 优."""


def test_more_than_half_not_applicable_is_said_in_the_result(tree):
    result = scored(tree, MOSTLY_NA)
    assert (result.total, result.grade) == (Decimal("100.00"), "优")
    assert [finding.code for finding in result.findings] == ["rescaled", "mostly_not_applicable"]
    assert result.findings[1].message == (
        "适用指标分值合计 10，仅占总分值 100 的 10.00%：超过一半的分值不适用，总分只反映适用的部分"
    )
    assert result.grade_withheld is None


def test_exactly_half_applicable_is_not_more_than_half_not_applicable():
    half = ruleset_from(
        """\
        id: t.half
        version: "1"
        title: 半
        kind: project
        facts: {x: {}}
        indicators:
          - {id: a, name: A, weight: 50, method: formula, expr: x}
          - {id: b, name: B, weight: 50, method: formula, expr: x}
        """
    )
    result = scored(half, "facts: {x: 50}\nnot_applicable: [b]\n")
    assert [finding.code for finding in result.findings] == ["rescaled"]


def test_a_ruleset_may_withhold_the_grade_below_its_applicable_share(tree):
    ruleset = ruleset_from(
        TREE.replace("kind: project\n", "kind: project\nmin_applicable_share: 0.6\n")
    )
    result = scored(ruleset, MOSTLY_NA)
    assert result.total == Decimal("100.00")  # still shown
    assert result.grade is None
    assert (
        result.grade_withheld
        == "适用指标分值仅占总分值的 10.00%，低于规则集要求的 60.00%：不予定级"
    )
    assert result.findings[-1].code == "grade_withheld"
    assert result.grade_text(result.grade) == "不予定级"


def test_at_the_applicable_share_the_grade_is_given(tree):
    ruleset = ruleset_from(
        TREE.replace("kind: project\n", "kind: project\nmin_applicable_share: 0.7\n")
    )
    result = scored(
        ruleset, "facts: {预算数: 1, 执行数: 1, x: 15, y: 15}\nnot_applicable: [satisfaction]\n"
    )
    assert (result.applicable_weight, result.grade, result.grade_withheld) == (
        Decimal(70),
        "优",
        None,
    )


def test_a_withheld_grade_withholds_the_computed_and_the_departments_grade_too(tree):
    from scoring.model.facts import AuditOverrides, Override

    ruleset = ruleset_from(
        TREE.replace("kind: project\n", "kind: project\nmin_applicable_share: 0.6\n")
    )
    facts = facts_from(MOSTLY_NA, ruleset)
    audit = AuditOverrides(
        overrides={"execution": Override(points=Decimal(5), reason="抽查", by="审计")}
    )
    result = score(ruleset, facts, audit)
    assert (result.grade, result.computed_grade, result.self_grade) == (None, None, None)
    assert (result.total, result.self_total) == (Decimal("50.00"), Decimal("100.00"))


def test_the_result_names_the_files_it_was_scored_under(tmp_path):
    from scoring.load.rulesets import load_ruleset

    path = tmp_path / "tree.yaml"
    path.write_text(TREE, encoding="utf-8")
    assert score(load_ruleset(path), facts_from(MOSTLY_NA, load_ruleset(path))).ruleset.files == (
        str(path),
    )
    assert scored(ruleset_from(TREE), MOSTLY_NA).ruleset.files == ("t.yaml",)


def test_on_zero_division_error_is_leaving_it_out_said_on_purpose(tree):
    from scoring.model.fingerprint import ruleset_fingerprint

    said = ruleset_from(
        TREE.replace(
            '执行率: {expr: 执行数 / 预算数, unit: "%"}',
            '执行率: {expr: 执行数 / 预算数, unit: "%", on_zero_division: error}',
        )
    )
    assert ruleset_fingerprint(said) == ruleset_fingerprint(tree)  # the same published rules
    with pytest.raises(DivisionByZeroError, match=r"\[derived\.执行率\] division by zero"):
        scored(said, "facts: {预算数: 0, 执行数: 1, x: 1, y: 1}")


# --- a form in progress (partial) -------------------------------------------------------------


def partial(ruleset, facts: str):
    from scoring.load.facts import parse_facts

    return score(ruleset, parse_facts(facts, "f.yaml", ruleset, partial=True), partial=True)


def test_a_form_in_progress_scores_what_it_can_and_marks_the_rest_pending(tree):
    result = partial(tree, "facts: {预算数: 10, 执行数: 10, x: , y: 15}\n")
    nodes = {node.path: node for node in result.walk()}
    assert {path: (node.status, node.score) for path, node in nodes.items()} == {
        "execution": ("scored", Decimal("10.00")),
        "output": ("scored", Decimal("15.00")),
        "output.quantity": ("scored", Decimal("15.00")),
        "output.quantity.a": ("pending", None),
        "output.quantity.b": ("scored", Decimal("15.00")),
        "output.quality": ("pending", None),
        "satisfaction": ("pending", None),
    }
    assert nodes["output.quality"].explanation == "待填：x"
    assert (result.partial, result.pending) == (
        True,
        ("output.quantity.a", "output.quality", "satisfaction"),
    )
    assert (result.total, result.reachable, result.grade) == (
        Decimal("25.00"),
        Decimal("100.00"),
        None,
    )
    assert nodes["output"].applicable_weight == Decimal(60)  # what is pending can still be earned
    assert [(finding.code, finding.message) for finding in result.findings] == [
        (
            "pending",
            "表未填完：3项指标待填（分值合计75），暂不定级；按已填事实得分，填完后最高可得100.00",
        )
    ]


def test_a_group_with_every_leaf_pending_is_pending(tree):
    result = partial(tree, "facts: {预算数: 10, 执行数: 10}\n")
    nodes = {node.path: node for node in result.walk()}
    assert (nodes["output.quantity"].status, nodes["output.quantity"].score) == ("pending", None)
    assert (nodes["output"].status, nodes["output"].explanation) == ("pending", "待填")
    assert (result.total, result.reachable) == (Decimal("10.00"), Decimal("100.00"))


def test_the_most_a_unit_can_reach_is_rescaled_like_its_total(tree):
    result = partial(
        tree, "facts: {预算数: 10, 执行数: 10, y: 15}\nnot_applicable: [satisfaction]\n"
    )
    assert (result.sum, result.applicable_weight) == (Decimal("25.00"), Decimal(70))
    assert (result.total, result.reachable) == (Decimal("35.71"), Decimal("100.00"))


def test_a_complete_form_scored_as_partial_is_an_ordinary_result(tree):
    facts = "facts: {预算数: 10, 执行数: 5, x: 3, y: 4}\n"
    assert render_json(partial(tree, facts)) == render_json(scored(tree, facts))
    assert partial(tree, facts).grade is not None


def test_an_alternative_method_with_no_alternative_given_is_pending():
    ruleset = ruleset_from(EITHER)
    result = partial(ruleset, "facts: {}\n")
    (node,) = result.indicators
    assert (node.status, node.explanation) == ("pending", "待填：变动率, 结转结余总额, 预算数")


def test_without_partial_a_blank_fact_stays_an_error_naming_the_indicator(tree):
    from scoring.errors import EvaluationError
    from scoring.model.facts import Facts

    facts = Facts(facts={"预算数": Decimal(10), "执行数": Decimal(10), "y": Decimal(1)})
    with pytest.raises(
        EvaluationError, match=r"^t\.yaml:29:65: \[output\.quantity\.a\] fact 'x' has no value$"
    ):
        score(tree, facts)


def test_an_override_of_a_pending_indicator_waits_for_its_facts(tree):
    result = partial(
        tree,
        "facts: {预算数: 10, 执行数: 10, y: 15}\n"
        "overrides: {satisfaction: {points: 20, reason: 测评未完成, by: 张三}}\n",
    )
    node = next(node for node in result.walk() if node.path == "satisfaction")
    assert (node.status, node.score, node.overrides) == ("pending", None, ())
    assert [(f.code, f.path, f.message) for f in result.findings if f.code != "pending"] == [
        ("pending_override", "satisfaction", "调整得分待该指标的事实填完后适用：x")
    ]


# --- messages in Chinese; the result the same in every language ------------------------------


@pytest.mark.usefixtures("chinese")
def test_engine_errors_are_said_in_chinese(tree):
    from scoring.errors import EvaluationError
    from scoring.model.facts import Facts

    with pytest.raises(EvaluationError) as caught:
        scored(tree, "facts: {}\nnot_applicable: [execution, output, satisfaction]\n")
    assert caught.value.message == "所有指标均不适用：没有可评分的内容"
    ruleset = ruleset_from(EITHER)
    with pytest.raises(EvaluationError) as caught:
        score(ruleset, Facts(facts={"结转结余总额": Decimal(-5), "预算数": Decimal(100)}))
    assert caught.value.message == "结转结余率：actual 为负数（-0.05）：填报有误"
    with pytest.raises(EvaluationError) as caught:
        score(ruleset, Facts(facts={"预算数": Decimal(100)}))
    assert caught.value.message == (
        "请填报其中一种方案的数据项：结转结余率（结转结余总额） 或 结转结余变动率（变动率）"
    )


@pytest.mark.usefixtures("chinese")
def test_an_override_that_does_not_fit_is_said_in_chinese(tree):
    from scoring.engine.overrides import override_problem
    from scoring.model.facts import Facts, Override

    def problem(path, points):
        override = Override(points=Decimal(points), reason="抽查", by="审计")
        return override_problem(tree, path, override, Facts())

    assert problem("execution", "12") == "调整得分 12 超出 0–10"
    assert problem("execution", "9.125") == "调整得分 9.125 的小数位数多于舍入规则的 2 位"
    assert problem("output", "5") == "没有可调整得分的指标 'output'"


def test_a_derived_value_that_cannot_be_computed_is_noted_alike_in_every_language(tree, chinese):
    """The note is 自评表 text: a result scored in Chinese verifies in English, and back."""
    from scoring import i18n

    ruleset = ruleset_from(TREE.replace("ratio: {expr: x / y,", "ratio: {expr: x ** (y * 200),"))
    facts = "facts: {预算数: 10, 执行数: 5, x: 1, y: 1}\n"  # an exponent of 200: refused
    in_chinese = render_json(scored(ruleset, facts))
    i18n.set_language("en")
    result = scored(ruleset, facts)
    assert [(f.code, f.path, f.message) for f in result.findings] == [
        ("derived_failed", "derived.ratio", "无法计算（公式无法求值）")
    ]
    assert render_json(result) == in_chinese
