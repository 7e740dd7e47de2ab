"""monitor(): the worked July, rollups, findings for missing explanations, and the section's checks."""

from __future__ import annotations

import textwrap

import pytest

from scoring.engine.monitor import monitor
from scoring.errors import EvaluationError, RulesetError
from scoring.load.facts import parse_facts_text
from scoring.load.monitor import check_monitor_facts
from scoring.load.rulesets import load_ruleset
from tests.conftest import EXAMPLES, RULESETS, ruleset_from

MONITORED = RULESETS / "xinfang" / "wangcheng-relief-2022-monitored.yaml"
JULY = EXAMPLES / "worked-year" / "monitor-2022-07.yaml"

RULESET = """\
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
  - {id: aided, name: 救助人数, weight: 50, method: ratio, actual: 救助人数, target: 计划人数, on_zero_target: full}
  - {id: spent, name: 预算执行率, weight: 50, method: ratio, actual: 支出数, target: 预算数, on_zero_target: full}
monitoring:
  budget: spent
  rollup: ROLLUP
  indicators:
    spent: {method: budget_pace}
    aided: {method: progress}
"""


def monitored(facts: str, rollup: str = "worst"):
    ruleset = ruleset_from(RULESET.replace("ROLLUP", rollup))
    source = parse_facts_text(textwrap.dedent(facts), "f.yaml")
    return monitor(ruleset, check_monitor_facts(source, ruleset))


def test_the_worked_july():
    ruleset = load_ruleset(str(EXAMPLES / "worked-year" / "ruleset-2022.yaml"), ())
    source = parse_facts_text(JULY.read_text(encoding="utf-8"), str(JULY))
    result = monitor(ruleset, check_monitor_facts(source, ruleset))
    lights = {row.path: row.light for row in result.rows}
    assert lights == {
        "execution": "yellow",
        "output.quantity.aided": "yellow",
        "output.quality.approval": "green",
        "output.timeliness.disbursed": "green",
        "output.cost.per_person": "green",
        "effect.social.no_repeat_petitions": "green",
        "effect.sustainable.regular_budget": "yellow",
    }
    assert result.light == "yellow"
    assert result.findings == ()  # every yellow light is explained
    assert result.as_of == "2022-07"


FACTS = """\
as_of: 2022-06
facts: {计划人数: 100, 救助人数: AIDED, 预算数: 100, 支出数: SPENT}
"""


def test_worst_rollup_and_findings_for_an_unexplained_red():
    result = monitored(FACTS.replace("AIDED", "20").replace("SPENT", "50"))
    assert [row.light for row in result.rows] == ["green", "red"]
    assert result.light == "red"
    assert [f.message for f in result.findings] == [
        "红灯指标未说明偏差原因",
        "红灯指标未说明偏差原因类别",
        "红灯指标未说明全年预计完成情况",
        "红灯指标未说明完成目标可能性",
    ]
    assert {f.path for f in result.findings} == {"aided"}


@pytest.mark.parametrize(
    ("aided", "spent", "expected"),
    [("50", "50", "green"), ("20", "50", "yellow"), ("50", "20", "yellow"), ("20", "20", "red")],
)
def test_budget_and_goal_rollup(aided, spent, expected):
    facts = FACTS.replace("AIDED", aided).replace("SPENT", spent)
    assert monitored(facts, "budget_and_goal").light == expected


def test_blue_is_not_worse_than_green_in_the_rollup():
    result = monitored(FACTS.replace("AIDED", "70").replace("SPENT", "50"))
    assert [row.light for row in result.rows] == ["green", "blue"]
    assert result.light == "green"


def test_a_zero_target_is_an_error_at_the_monitored_indicator():
    with pytest.raises(EvaluationError) as caught:
        monitored("as_of: 2022-06\nfacts: {计划人数: 0, 救助人数: 1, 预算数: 1, 支出数: 1}\n")
    issue = caught.value.issues[0]
    assert issue.path == "aided"
    assert issue.location is not None
    assert issue.location.line == 18  # the line of aided: under monitoring.indicators


@pytest.mark.parametrize(
    ("section", "expected"),
    [
        ("indicators: {nowhere: {method: progress}}", "no indicator nowhere to monitor"),
        ("indicators: {a: {method: reverse}}", "method reverse needs target"),
        ("indicators: {a: {method: milestones, target: 1}}", "milestones are given with method"),
        (
            "indicators: {a: {method: milestones, target: 1, milestones: [{month: 9, share: 1}, {month: 3, share: 0.2}]}}",
            "months in order",
        ),
        (
            "rollup: budget_and_goal\n  indicators: {a: {method: progress, target: 1}}",
            "needs budget",
        ),
        ("indicators: {a: {method: progress, actual: 未知, target: 1}}", "unknown fact '未知'"),
        (
            "progress: {yellow_from: 90, green_from: 80}\n  indicators: {a: {method: qualitative}}",
            "yellow_from < green_from",
        ),
    ],
)
def test_the_section_is_checked_when_the_ruleset_is_read(section, expected):
    text = f"""\
id: t.m
version: "1"
title: t
kind: project
facts: {{x: {{min: 0}}}}
indicators:
  - {{id: a, name: 甲, weight: 100, method: boolean, value: x > 0}}
monitoring:
  {section}
"""
    with pytest.raises(RulesetError, match=expected):
        ruleset_from(text)


def test_a_monitored_actual_must_be_a_number():
    ruleset = ruleset_from(
        RULESET.replace("ROLLUP", "worst").replace(
            "aided: {method: progress}", "aided: {method: progress, actual: 救助人数 > 1}"
        )
    )
    source = parse_facts_text(FACTS.replace("AIDED", "5").replace("SPENT", "5"), "f.yaml")
    with pytest.raises(EvaluationError, match="actual must be a number"):
        monitor(ruleset, check_monitor_facts(source, ruleset))


def test_the_budget_must_be_a_monitored_indicator():
    text = RULESET.replace("ROLLUP", "worst").replace("budget: spent", "budget: aided_x")
    with pytest.raises(RulesetError, match="aided_x is not a monitored indicator"):
        ruleset_from(text)


COUNTED = "as_of: 2022-06\nfacts: {计划人数: 99, 救助人数: 21, 预算数: 99, 支出数: 50}\n"
"""79.2 is green for both rows: 58.2 people more, 29.2 more spent."""
WHOLE = "年底前还需完成 59（全年达到 80 为绿灯）"
SPLIT = "年底前还需完成 58.2（全年达到 79.2 为绿灯）"
SPENT = "年底前还需完成 29.2（全年达到 79.2 为绿灯）"


@pytest.mark.parametrize(
    ("change", "aided_gap", "spent_gap"),
    [
        pytest.param(("", ""), WHOLE, SPENT, id="an_integer_fact_is_a_count"),
        pytest.param(("{type: integer, min: 0}", "{min: 0}"), SPLIT, SPENT, id="a_number_is_not"),
        pytest.param(("支出数: {min: 0}", "支出数: {min: 0, unit: 次}"), WHOLE,
                     "年底前还需完成 30（全年达到 80 为绿灯）", id="nor_a_fact_in_a_unit_of_counts"),
        pytest.param(("spent: {method: budget_pace}", "spent: {method: budget_pace, unit: 个}"), WHOLE,
                     "年底前还需完成 30个（全年达到 80个 为绿灯）", id="the_rows_unit"),
        pytest.param(("aided: {method: progress}", "aided: {method: progress, whole: false}"),
                     SPLIT, SPENT, id="whole_false_says_otherwise"),
        pytest.param(("spent: {method: budget_pace}", "spent: {method: budget_pace, unit: 个}",
                      "  rollup:", "  whole_units: [件]\n  rollup:"), WHOLE,
                     "年底前还需完成 29.2个（全年达到 79.2个 为绿灯）", id="units_of_counts_are_data"),
    ],
)  # fmt: skip
def test_what_is_still_needed_of_a_count_is_whole_rounded_up(change, aided_gap, spent_gap):
    text = RULESET.replace("ROLLUP", "worst")
    for old, new in zip(change[::2], change[1::2], strict=True):
        text = text.replace(old, new)
    ruleset = ruleset_from(text)
    result = monitor(ruleset, check_monitor_facts(parse_facts_text(COUNTED, "f.yaml"), ruleset))
    assert [row.gap for row in result.rows] == [spent_gap, aided_gap]
