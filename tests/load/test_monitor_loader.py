"""Reading monitoring facts: as_of, explanations, statements and the facts monitored rows read."""

from __future__ import annotations

import textwrap

import pytest

from scoring.errors import FactsError, RulesetError
from scoring.load.facts import parse_facts_text
from scoring.load.monitor import check_monitor_facts
from scoring.load.rulesets import load_ruleset
from tests.conftest import RULESETS
from tests.helpers import RULESET as YEAR_END

MONITORED = load_ruleset(str(RULESETS / "xinfang" / "wangcheng-relief-2022-monitored.yaml"), ())

HEAD = """\
subject: {unit: 望城区信访局, year: 2022}
facts: {全年预算数: 128, 全年执行数: 50, 救助人数: 20, 再次上访人数: 0}
"""
STATEMENTS = """\
monitoring:
  output.quality.approval: {statement: 达成目标}
  effect.sustainable.regular_budget: {statement: 达成目标}
"""


def problems(text: str, as_of: str | None = None) -> list[str]:
    source = parse_facts_text(textwrap.dedent(text), "f.yaml")
    with pytest.raises(FactsError) as caught:
        check_monitor_facts(source, MONITORED, as_of)
    return [str(issue) for issue in caught.value.issues]


def test_as_of_is_read_as_year_and_month_or_taken_from_the_option():
    source = parse_facts_text(HEAD + STATEMENTS, "f.yaml")
    checked = check_monitor_facts(source, MONITORED, "2022-9")
    assert (checked.year, checked.month, checked.as_of) == (2022, 9, "2022-09")
    dated = parse_facts_text(HEAD + "as_of: 2022-07\n" + STATEMENTS, "f.yaml")
    assert check_monitor_facts(dated, MONITORED).month == 7


@pytest.mark.parametrize(
    ("as_of", "expected"),
    [
        ("2022-00", "f.yaml:6:8: as_of: month 0 is not a month: give 1 to 12"),
        ("2022-13", "f.yaml:6:8: as_of: month 13 is not a month: give 1 to 12"),
        ("July", "f.yaml:6:8: as_of: expected a month as YYYY-MM (2022-07), found 'July'"),
        ("2021-07", "f.yaml:6:8: as_of: 2021-07 is not in the subject's year 2022"),
    ],
)
def test_a_bad_month_is_refused_where_it_is_written(as_of, expected):
    assert problems(HEAD + STATEMENTS + f"as_of: {as_of}\n") == [expected]


def test_no_month_at_all_is_refused():
    assert problems(HEAD + STATEMENTS) == [
        "f.yaml:1:1: as_of: missing: the month these facts stand at, as YYYY-MM (2022-07)"
    ]


def test_explanations_are_checked_against_the_ruleset():
    text = (
        HEAD
        + "as_of: 2022-07\n"
        + STATEMENTS
        + "  output.quantity.aided: {statement: 达成目标, category: 天气, likelihood: 也许, note: x}\n"
        + "  nowhere: {reason: x}\n"
    )
    found = problems(text)
    assert any(
        "[output.quantity.aided] statement: only a qualitative indicator" in p for p in found
    )
    assert any("category: '天气' is not one of 经费保障" in p for p in found)
    assert any("likelihood: '也许' is not one of 确定能、有可能、完全不可能" in p for p in found)
    assert any("note: unknown key" in p for p in found)
    assert any("nowhere is not a monitored indicator" in p for p in found)


def test_a_fact_a_monitored_row_reads_must_be_given():
    text = (
        "as_of: 2022-07\nfacts: {全年预算数: 128, 全年执行数: 50, 再次上访人数: 0}\n" + STATEMENTS
    )
    assert problems(text) == [
        "f.yaml:2:1: [output.quantity.aided] 救助人数: missing (救助生活困难信访群众人数, 人): "
        "output.quantity.aided is monitored by it"
    ]


def test_a_ruleset_without_monitoring_is_refused():
    ruleset = load_ruleset(str(YEAR_END), ())
    source = parse_facts_text(HEAD + "as_of: 2022-07\n", "f.yaml")
    with pytest.raises(RulesetError, match="has no monitoring: section"):
        check_monitor_facts(source, ruleset)


@pytest.mark.parametrize(
    ("section", "expected"),
    [
        ("monitoring: [a]\n", "f.yaml:4:13: monitoring: expected indicator paths"),
        ("monitoring:\n  output.quantity.aided: 迟了\n", "expected statement, reason, category"),
        ("monitoring:\n  output.quantity.aided: {reason: 5}\n", "reason: expected text, found 5"),
    ],
)
def test_the_monitoring_section_has_its_shape(section, expected):
    found = problems(HEAD + "as_of: 2022-07\n" + section)
    assert any(expected in problem for problem in found), found
