"""Worked examples inside a ruleset (``tests:``): each expectation checked, failures placed."""

from __future__ import annotations

import textwrap

import pytest

from scoring.analysis.ruleset_tests import run_tests
from scoring.errors import RulesetError
from scoring.load.registry import Registry
from scoring.model.fingerprint import ruleset_fingerprint
from tests.conftest import MINIMAL, ruleset_from


def with_tests(tests: str) -> str:
    return MINIMAL + "tests:\n" + textwrap.indent(textwrap.dedent(tests), "  ")


def failures(tests: str) -> list[str]:
    outcomes = run_tests(ruleset_from(with_tests(tests)))
    return [str(outcome) for outcome in outcomes if not outcome.passed]


def test_an_example_whose_expectations_hold_passes():
    outcomes = run_tests(
        ruleset_from(
            with_tests("""\
                - name: 执行率 90%，恰为优
                  facts: {预算数: 100, 执行数: 90}
                  expect: {total: 90.00, grade: 优, scores: {execution: 90}}
            """)
        )
    )
    assert [(o.name, o.passed) for o in outcomes] == [("执行率 90%，恰为优", True)]


def test_each_failing_expectation_is_reported_at_the_example():
    assert failures("""\
        - name: 边界
          facts: {预算数: 100, 执行数: 89.99}
          expect: {total: 90, grade: 优, scores: {execution: 90, output: 1}}
    """) == [
        "t.yaml:17:5: test '边界': total 89.99, expected 90\n"
        "t.yaml:17:5: test '边界': grade 良, expected 优\n"
        "t.yaml:17:5: test '边界': [execution] scored 89.99, expected 90\n"
        "t.yaml:17:5: test '边界': no indicator 'output' in the breakdown"
    ]


@pytest.mark.parametrize(
    ("expected", "problems"),
    [
        pytest.param("0.8675", [], id="number_rounded_to_its_places"),
        pytest.param("0.87", [], id="fewer_places"),
        pytest.param("0.868", [], id="rounded_half_up"),
        pytest.param(
            "0.867", ["t.yaml:19:5: test 'd': 执行率 = 0.8675, expected 0.867"], id="wrong"
        ),
        pytest.param('"86.75%"', [], id="text_compared_with_the_shown_value"),
        pytest.param(
            '"86.8%"', ["t.yaml:19:5: test 'd': 执行率 = 86.75%, expected 86.8%"], id="text_wrong"
        ),
    ],
)
def test_derived_expectations_round_as_the_report_rounds(expected, problems):
    text = MINIMAL.replace(
        "indicators:", 'derived:\n  执行率: {expr: 执行数 / 预算数, unit: "%"}\nindicators:'
    )
    text += textwrap.dedent(f"""\
        tests:
          - name: d
            facts: {{预算数: 60, 执行数: 52.05}}
            expect: {{derived: {{执行率: {expected}}}}}
    """)
    assert [str(o) for o in run_tests(ruleset_from(text)) if not o.passed] == problems


def test_an_expected_error_passes_only_when_scoring_fails_with_it():
    assert failures("""\
        - name: 预算为零
          facts: {预算数: 0, 执行数: 5}
          expect: {error: "target is 0"}
        - name: 并未出错
          facts: {预算数: 10, 执行数: 5}
          expect: {error: "target is 0"}
        - name: 另一个错误
          facts: {预算数: 0, 执行数: 5}
          expect: {error: "negative"}
    """) == [
        "t.yaml:20:5: test '并未出错': scored 50.00 差, expected an error containing 'target is 0'",
        "t.yaml:23:5: test '另一个错误': failed with 't.yaml:10:5: [execution] target is 0 (预算数): "
        "set on_zero_target', expected an error containing 'negative'",
    ]


def test_bad_facts_in_an_example_are_placed_in_the_ruleset_file():
    assert failures("""\
        - name: 缺数
          facts: {预算数: 10, 执行: 5}
          expect: {total: 50}
    """) == [
        "t.yaml:18:5: test '缺数': [execution] 执行数: missing (全年执行数, 万元)\n"
        "t.yaml:18:22: test '缺数': 执行: undeclared fact (did you mean '执行数'?)"
    ]


def test_a_template_example_checks_its_derived_values_without_scoring():
    ruleset = Registry().find("mof.project-self-eval@2020.1")
    template = ruleset_from(
        f"""\
        id: t.template
        version: "1"
        title: T
        kind: project
        extends: {ruleset.ref}
        tests:
          - name: 执行率
            facts: {{全年预算数: 60, 全年执行数: 52.05}}
            expect: {{derived: {{预算执行率: "86.75%"}}}}
        """,
        search=True,
    )
    assert template.is_template
    assert [o.passed for o in run_tests(template)] == [True]


def test_examples_are_not_inherited_and_do_not_change_the_fingerprint():
    parent = ruleset_from(
        with_tests("""\
        - name: 一例
          facts: {预算数: 100, 执行数: 90}
          expect: {total: 90}
    """)
    )
    assert ruleset_fingerprint(parent) == ruleset_fingerprint(ruleset_from(MINIMAL))
    registry = Registry()
    child = ruleset_from(
        'id: t.child\nversion: "1"\ntitle: C\nkind: project\n'
        "extends: xinfang.wangcheng-relief@2022.1\n",
        search=True,
    )
    assert child.tests == ()
    assert registry.find("xinfang.wangcheng-relief").ref == "xinfang.wangcheng-relief@2022.1"


def test_notes_are_expected_by_a_part_of_their_text():
    text = MINIMAL.replace(
        "    target: 预算数\n",
        "    target: 预算数\n    checks: [{when: actual < 0.9 * target, message: 执行率低于90%}]\n",
    )
    text += textwrap.dedent("""\
        tests:
          - name: 低于90%
            facts: {预算数: 100, 执行数: 85}
            expect: {notes: ["[execution] 执行率低于90%"]}
          - name: 并不低
            facts: {预算数: 100, 执行数: 95}
            expect: {notes: [执行率低于90%]}
    """)
    assert [str(o) for o in run_tests(ruleset_from(text)) if not o.passed] == [
        "t.yaml:21:5: test '并不低': no note containing '执行率低于90%' (notes: none)"
    ]


# --- messages in Chinese ----------------------------------------------------------------------


@pytest.mark.usefixtures("chinese")
def test_failing_expectations_are_said_in_chinese():
    assert failures("""\
        - name: 边界
          facts: {预算数: 100, 执行数: 89.99}
          expect: {total: 90, grade: 优, scores: {execution: 90, output: 1}}
    """) == [
        "t.yaml:17:5: 测试用例 '边界'：总分应为 90，实际为 89.99\n"
        "t.yaml:17:5: 测试用例 '边界'：等级应为 优，实际为 良\n"
        "t.yaml:17:5: 测试用例 '边界'：[execution] 得分应为 90，实际为 89.99\n"
        "t.yaml:17:5: 测试用例 '边界'：评分明细中没有指标 'output'"
    ]


@pytest.mark.parametrize("language", ["en", "zh"])
def test_an_expected_error_matches_in_the_language_it_is_written_in_whatever_the_users(language):
    """Shipped examples say ``error: target is 0``; a bureau may write the Chinese words."""
    from scoring import i18n

    tests = """\
        - name: 英文写的错误
          facts: {预算数: 0, 执行数: 5}
          expect: {error: "target is 0"}
        - name: 中文写的错误
          facts: {预算数: 0, 执行数: 5}
          expect: {error: "目标值为 0"}
        - name: 两种语言都不对
          facts: {预算数: 0, 执行数: 5}
          expect: {error: "negative"}
    """
    before = i18n.language()
    i18n.set_language(language)
    try:
        found = failures(tests)
    finally:
        i18n.set_language(before)
    assert len(found) == 1
    assert "'两种语言都不对'" in found[0]
    assert i18n.language() == before  # matching in the other language leaves the user's alone


MONITORED = """\
id: test.monitor
version: "1"
title: 监控测试
kind: project
facts:
  计划人数: {type: integer, min: 0}
  救助人数: {type: integer, min: 0}
  预算数: {min: 0}
  支出数: {min: 0}
indicators:
  - {id: aided, name: 救助人数, weight: 50, method: ratio, actual: 救助人数, target: 计划人数}
  - {id: spent, name: 预算执行率, weight: 50, method: ratio, actual: 支出数, target: 预算数}
monitoring:
  indicators:
    spent: {method: budget_pace}
    aided: {method: progress}
tests:
"""


def monitoring_failures(tests: str) -> list[str]:
    text = MONITORED + textwrap.indent(textwrap.dedent(tests), "  ")
    outcomes = run_tests(ruleset_from(text))
    return [str(outcome) for outcome in outcomes if not outcome.passed]


JULY_FACTS = "{计划人数: 12, 救助人数: 5, 预算数: 120, 支出数: 70}"
"""As of July: 5 of the 7 people due (71.43, yellow), 70 of the 70 due spent (green)."""


def test_a_monitoring_example_checks_each_light_and_the_projects():
    assert (
        monitoring_failures(f"""\
        - name: 7月
          as_of: 2022-07
          facts: {JULY_FACTS}
          monitoring: {{aided: {{reason: 待核查, category: 制度保障, forecast: 全年12人, likelihood: 确定能}}}}
          expect: {{lights: {{aided: 黄灯, spent: green}}, light: yellow}}
    """)
        == []
    )


def test_each_wrong_light_is_placed_at_its_expectation():
    assert monitoring_failures(f"""\
        - name: 7月
          as_of: 2022-07
          facts: {JULY_FACTS}
          expect:
            lights: {{aided: green, spent: 绿灯, other: red}}
            light: 红灯
            notes: [偏差原因]
    """) == [
        "t.yaml:22:23: test '7月': [aided] lit 黄灯, expected 绿灯\n"
        "t.yaml:22:48: test '7月': no monitored indicator 'other'\n"
        "t.yaml:23:14: test '7月': the project lit 黄灯, expected 红灯"
    ]


def test_a_monitoring_example_finds_its_notes_and_its_errors():
    assert monitoring_failures(f"""\
        - name: 未说明
          as_of: 2022-07
          facts: {JULY_FACTS}
          expect: {{light: yellow, notes: ["[aided] 黄灯指标未说明偏差原因"]}}
        - name: 13月
          as_of: 2022-13
          facts: {JULY_FACTS}
          expect: {{error: "month 13 is not a month"}}
        - name: 缺数
          as_of: 2022-07
          facts: {{计划人数: 12, 预算数: 120, 支出数: 70}}
          expect: {{light: yellow}}
    """) == [
        "t.yaml:28:5: test '缺数': [aided] 救助人数: missing (救助人数): aided is monitored by it"
    ]


@pytest.mark.parametrize(
    ("test", "message"),
    [
        ("{name: a, facts: {}, expect: {light: red}}", r"give its month \(as_of\)"),
        (
            "{name: a, as_of: 2022-07, expect: {total: 1}}",
            r"example \(as_of\) expects lights, not scores",
        ),
        ("{name: a, as_of: 2022-07, expect: {lights: {aided: 紫灯}}}", "aided"),
    ],
)
def test_lights_and_scores_are_not_expected_of_the_same_example(test: str, message: str):
    with pytest.raises(RulesetError, match=message):
        ruleset_from(MONITORED + f"  - {test}\n")
