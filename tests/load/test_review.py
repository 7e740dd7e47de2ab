"""Review rulesets and target tables read: every problem located, kinds kept apart, extends."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from scoring.errors import RulesetError, TargetsError
from scoring.load.catalogue import catalogue
from scoring.load.registry import Registry
from scoring.load.review import load_review_ruleset, parse_review_ruleset
from scoring.load.rulesets import load_ruleset, parse_ruleset
from scoring.load.targets import load_history, load_target_table, target_table_from
from scoring.load.yaml_source import parse_yaml
from tests.conftest import RULESETS

SHIPPED_REVIEW = "mof.project-targets-review@2020.1"
RULES = """\
id: t.review
version: "1"
kind: review
title: T
rules:
  - {id: direction, check: direction, params: {allowed: {成本指标: [≤, =]}}}
"""


def parse(text: str, parents=None):
    return parse_review_ruleset(textwrap.dedent(text), "r.yaml", parents)


def messages(exc_info) -> list[str]:
    return [str(issue) for issue in exc_info.value.issues]


def test_a_review_ruleset_reads_its_rules_and_a_bare_equals_sign():
    loaded = parse(RULES)
    assert loaded.ruleset.ref == "t.review@1"
    assert loaded.ruleset.rules[0].params == {"allowed": {"成本指标": ["≤", "="]}}


def test_an_unknown_check_is_located_with_a_suggestion():
    with pytest.raises(RulesetError) as caught:
        parse(RULES.replace("check: direction", "check: directon"))
    assert messages(caught) == [
        "r.yaml:6:28: [direction] check: unknown check 'directon' (did you mean 'direction'?); the "
        "checks are: required_types, measurable, vague_value, direction, timeliness, explanation, "
        "copied_text, history"
    ]


def test_a_check_s_parameters_are_checked_at_their_line():
    with pytest.raises(RulesetError) as caught:
        parse(RULES.replace("[≤, =]", "[≤, ≠]"))
    assert len(caught.value.issues) == 1
    issue = caught.value.issues[0]
    assert (issue.path, issue.field) == ("direction", "params")
    assert issue.location is not None
    assert issue.location.line == 6
    assert "≠" in issue.message
    assert "'≥', '≤', '=' or '定性'" in issue.message


def test_a_duplicate_rule_id_and_unknown_keys_are_refused():
    text = RULES + "  - {id: direction, check: explanation}\n"
    with pytest.raises(RulesetError) as caught:
        parse(text)
    assert messages(caught) == ["r.yaml:7:10: [direction] id: duplicate rule id 'direction'"]
    with pytest.raises(RulesetError, match=r"r.yaml:5:1: rulez: unknown key"):
        parse(RULES.replace("rules:", "rulez:"))


def test_a_scoring_ruleset_is_not_a_review_ruleset_and_the_other_way_round():
    scoring = (RULESETS / "xinfang" / "wangcheng-relief-2022.yaml").read_text(encoding="utf-8")
    with pytest.raises(
        RulesetError,
        match=r"not a review ruleset: scoring review needs kind: review \(found kind: project\)",
    ):
        parse_review_ruleset(scoring, "s.yaml")
    with pytest.raises(RulesetError, match=r"r.yaml:3:7: kind: t.review@1 is a review ruleset"):
        parse_ruleset(RULES, "r.yaml")
    with pytest.raises(RulesetError, match="is a review ruleset"):
        load_ruleset(SHIPPED_REVIEW)


def test_extends_merges_rules_by_id(tmp_path: Path):
    child = """\
    id: t.province
    version: "1"
    kind: review
    title: 省
    extends: mof.project-targets-review@2020.1
    rules:
      - {id: explanation, severity: error, params: {min_length: 8}}
      - {id: history, remove: true}
      - {id: name_vague, check: vague_value, params: {phrases: [明显], fields: [name]}}
    """
    loaded = parse(child, Registry().parent)
    by_id = {rule.id: rule for rule in loaded.ruleset.rules}
    assert "history" not in by_id
    assert (by_id["explanation"].severity, by_id["explanation"].params) == (
        "error",
        {"min_length": 8},
    )
    assert by_id["name_vague"].check == "vague_value"
    assert by_id["measurable"] == load_review_ruleset(SHIPPED_REVIEW).ruleset.rules[1]
    assert loaded.ruleset.tests == (), "the parent's worked examples are for the parent's rules"


def test_review_rulesets_are_listed_apart_from_scoring_rulesets():
    scoring = catalogue()
    review = catalogue(review=True)
    assert [each.entry.ref for each in review] == [SHIPPED_REVIEW]
    assert review[0].title == "项目支出绩效目标审核规则"
    assert SHIPPED_REVIEW not in {each.entry.ref for each in scoring}
    assert all(each.title for each in scoring)


TABLE = """\
subject: {unit: 甲局, year: 2023}
targets:
  - {level1: 产出指标, level2: 成本指标, name: 人均, direction: =, value: 5, unit: 万元}
"""


def test_a_target_table_keeps_each_cell_and_reads_a_bare_equals_sign():
    read = target_table_from(parse_yaml(TABLE, "t.yaml"), "t.yaml")
    assert read.table.targets[0].direction == "="
    column = TABLE.splitlines()[2].index("value: 5") + len("value: ") + 1
    assert read.where(0, "value") == f"t.yaml:3:{column}"
    assert read.where(0, "explanation") == "t.yaml:3:5", "missing: the row"
    assert read.where(None, "goal") == "t.yaml:1:1", "missing: the file"


def test_a_bad_direction_symbol_is_located_and_lists_the_four(tmp_path: Path):
    path = tmp_path / "t.yaml"
    path.write_text(TABLE.replace("direction: =", "direction: '>='"), encoding="utf-8")
    with pytest.raises(TargetsError) as caught:
        load_target_table(path)
    assert messages(caught) == [
        f"{path}:3:{TABLE.splitlines()[2].index('direction') + 12}: direction: expected '≥', '≤', '=' or '定性', found '>='"
    ]


def test_a_history_file_must_list_name_year_and_value(tmp_path: Path):
    path = tmp_path / "h.yaml"
    path.write_text("history:\n  - {name: 人次, year: 2022}\n", encoding="utf-8")
    with pytest.raises(TargetsError, match=r"h.yaml:2:5: .*value"):
        load_history(path)
    path.write_text("history:\n  - {name: 人次, year: 2022, value: 3}\n", encoding="utf-8")
    assert load_history(path).values_of("人次") == {2022: 3}
