"""The worked year (examples/worked-year/): the submitted table's findings, the approved table's
ruleset as committed, and the year-end score under it."""

from __future__ import annotations

import pytest

from scoring.analysis.monitoring import monitor_file
from scoring.analysis.ruleset_tests import run_tests
from scoring.engine.score import score
from scoring.load.facts import load_facts
from scoring.load.review import load_review_ruleset
from scoring.load.rulesets import load_ruleset
from scoring.load.targets import load_target_table
from scoring.load.yaml_source import parse_yaml
from scoring.review import review
from tests.conftest import EXAMPLES, ROOT
from tests.helpers import invoke
from tests.test_readme import check_console_blocks

YEAR = EXAMPLES / "worked-year"
RULES = "mof.project-targets-review@2020.1"


def findings(name: str) -> list[tuple[str, str | None, str, str]]:
    table = load_target_table(YEAR / name)
    found = review(load_review_ruleset(RULES).ruleset, [table])
    return [(f.rule, f.severity, f.target or "", f.where.rsplit("/", 1)[-1]) for f in found]


def test_the_submitted_table_lacks_satisfaction_and_states_a_vague_effect():
    assert findings("targets-2022-submitted.yaml") == [
        ("required_types", "error", "", "targets-2022-submitted.yaml:7:1"),
        ("explanation", "warning", "人均救助金额", "targets-2022-submitted.yaml:27:5"),
        ("measurable", "error", "促进社会和谐稳定", "targets-2022-submitted.yaml:37:12"),
        ("vague_value", "error", "促进社会和谐稳定", "targets-2022-submitted.yaml:37:12"),
    ]


def test_the_approved_table_reviews_clean():
    assert findings("targets-2022.yaml") == []


def test_the_review_ruleset_carries_the_submitted_table_as_it_is_in_the_file():
    shipped = load_review_ruleset(RULES).ruleset
    example = next(test for test in shipped.tests if test.name.startswith("望城区信访局2022年"))
    text = (YEAR / "targets-2022-submitted.yaml").read_text(encoding="utf-8")
    assert example.tables == (parse_yaml(text, "targets-2022-submitted.yaml"),)


def test_the_committed_ruleset_is_what_review_ruleset_out_writes(
    tmp_path, monkeypatch: pytest.MonkeyPatch
):
    monkeypatch.chdir(ROOT)
    out = tmp_path / "ruleset-2022.yaml"
    invoke(["review", "examples/worked-year/targets-2022.yaml", "--ruleset-out", str(out)])
    assert out.read_bytes() == (YEAR / "ruleset-2022.yaml").read_bytes()


def test_the_year_end_facts_score_100_under_the_approved_targets():
    ruleset = load_ruleset(YEAR / "ruleset-2022.yaml")
    result = score(ruleset, load_facts(YEAR / "facts-2022.yaml", ruleset))
    assert (str(result.total), result.grade) == ("100.00", "优")
    leaves = {node.path: node.score for node in result.walk() if node.score is not None}
    assert str(leaves["output.cost.per_person"]) == "10.00"
    assert str(leaves["effect.social.no_repeat_petitions"]) == "20.00"


def test_the_approved_ruleset_scores_like_the_hand_written_one():
    """The ruleset written from the targets agrees with rulesets/xinfang/wangcheng-relief-2022.yaml."""
    approved = load_ruleset(YEAR / "ruleset-2022.yaml")
    hand = load_ruleset("xinfang.wangcheng-relief@2022.1")
    ours = score(approved, load_facts(YEAR / "facts-2022.yaml", approved))
    theirs = score(hand, load_facts(EXAMPLES / "xinfang-wangcheng-2022.yaml", hand))
    assert (ours.total, ours.grade) == (theirs.total, theirs.grade)


def test_one_ruleset_serves_the_year_the_july_facts_are_lit_under_the_approved_one():
    ruleset = load_ruleset(YEAR / "ruleset-2022.yaml")
    july = monitor_file(ruleset, YEAR / "monitor-2022-07.yaml")
    assert (july.ruleset, july.light) == ("xinfang.wangcheng-targets@2022.1", "yellow")
    assert [row.light for row in july.rows].count("yellow") == 3
    assert july.findings == ()  # every yellow row explained


def test_scoring_test_runs_the_july_lights_and_the_year_end_score():
    outcomes = run_tests(load_ruleset(YEAR / "ruleset-2022.yaml"))
    assert [(outcome.name[:4], outcome.passed) for outcome in outcomes] == [
        ("全部达到", True),
        ("7月监控", True),
    ]


def test_the_worked_years_console_blocks_are_what_the_commands_print(update_golden: bool):
    check_console_blocks(YEAR / "README.md", update_golden)


def test_lint_and_test_fail_on_a_wrong_july_light(tmp_path):
    text = (YEAR / "ruleset-2022.yaml").read_text(encoding="utf-8")
    assert '      light: "黄灯"\n' in text
    bad = tmp_path / "ruleset.yaml"
    bad.write_text(text.replace('      light: "黄灯"\n', '      light: "绿灯"\n'), encoding="utf-8")
    line = text.splitlines().index('      light: "黄灯"') + 1
    for command in ("lint", "test"):
        result = invoke([command, str(bad)], exit_code=1)
        assert f"{bad}:{line}:14: test '7月监控" in result.stderr
        assert "the project lit 黄灯, expected 绿灯" in result.stderr
