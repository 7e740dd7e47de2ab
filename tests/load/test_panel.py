"""A facts file's panel: read, checked, combined into the facts' own layer, and read back."""

from __future__ import annotations

from decimal import Decimal

import pytest

from scoring.engine.score import score
from scoring.errors import FactsError
from scoring.load.records import parse_result, record_facts
from scoring.render.result_json import render_json
from tests.conftest import facts_from, ruleset_from

RULES = """\
id: t.panel
version: "1"
title: 专家评分
kind: project
total: 30
grades: {优: 25, 良: 20, 中: 15, 差: 0}
tiers:
  - {label: 好, range: [0.8, 1]}
  - {label: 差, range: [0, 0.8]}
facts:
  有制度: {type: boolean}
  管理: {type: tier}
panel:
  spread: 2
  indicators:
    g.b: {combine: trimmed_mean, min_size: 5}
indicators:
  - {id: a, name: 甲, weight: 10, method: boolean, value: 有制度}
  - id: g
    name: 组
    weight: 20
    children:
      - {id: b, name: 乙, weight: 10, method: boolean, value: 有制度}
      - {id: t, name: 丙, weight: 10, method: tiers, fact: 管理}
"""
FACTS = """\
facts:
  有制度: true
  管理: {tier: 好, score: 9}
"""
D = Decimal


def _facts(panel: str, extra: str = ""):
    return facts_from(FACTS + extra + "panel:\n" + panel, ruleset_from(RULES))


def _problems(panel: str, extra: str = "") -> list[str]:
    with pytest.raises(FactsError) as caught:
        _facts(panel, extra)
    lines = []
    for issue in caught.value.issues:
        assert issue.location is not None
        lines.append(f"{issue.location.line}:{issue.location.column}: {issue.message}")
    return lines


def test_the_combined_score_replaces_the_computed_and_the_grade_follows():
    panel = "  a: {专家1: 6, 专家2: 7, 专家3: 8}\n  g.b: {甲: 9, 乙: 2, 丙: 8, 丁: 8.5, 戊: 10}\n"
    facts = _facts(panel)
    result = score(ruleset_from(RULES), facts)
    scores = {node.path: node.score for node in result.walk()}
    assert scores["a"] == D("7.00")  # the mean, as the section says
    assert scores["g.b"] == D("8.50")  # (9 + 8 + 8.5)/3: 2 and 10 dropped
    assert result.total == D("24.50")  # 7 + 8.5 + 9
    assert result.grade == "良"
    assert result.computed_total == D(29)  # 10 + 10 + 9, before the panel
    [applied] = next(node for node in result.walk() if node.path == "g.b").overrides
    assert (applied.layer, applied.points, applied.replaced) == ("self", D("8.50"), D("10.00"))
    record = facts.overrides["g.b"].panel
    assert record is not None
    assert list(record.by_name) == ["甲", "乙", "丙", "丁", "戊"]
    assert record.flagged
    assert not facts.overrides["a"].panel.flagged


def test_a_result_carries_the_panel_and_reads_back_as_the_same_facts():
    ruleset = ruleset_from(RULES)
    facts = _facts(
        "  g.b: {甲: 9, 乙: 2, 丙: 8, 丁: 8.5, 戊: 10}\n",
        "overrides:\n  a: {points: 5, reason: 抽查, by: 审核}\n",
    )
    text = render_json(score(ruleset, facts))
    again, audit = record_facts(parse_result(text, "r.json"), ruleset)
    assert again == facts
    assert audit is None
    assert render_json(score(ruleset, again)) == text


def test_same_panel_same_bytes():
    panel = "  a: {专家1: 6, 专家2: 7.25, 专家3: 8}\n"
    assert render_json(score(ruleset_from(RULES), _facts(panel))) == render_json(
        score(ruleset_from(RULES), _facts(panel))
    )


def test_every_problem_of_a_panel_is_placed():
    panel = (
        "  g: {专家1: 1}\n"
        "  nope: {专家1: 1}\n"
        "  a: [1, 2]\n"
        "  g.b: {专家1: yes, 专家2: .nan}\n"
        "  g.t: {专家1: 1, 专家2: 2, 专家3: 3}\n"
    )
    assert _problems(panel) == [
        "5:3: 'g' is a group: give each of its indicators its own panel",
        "6:3: no indicator 'nope'",
        "7:6: expected assessor: score lines (专家1: 8), found [1, 2]",
        "8:14: expected the assessor's score, a number, found true",
        "8:24: must be a finite number, found NaN",
        "9:3: the panel's scores combine to 2.00: override 2.00 is outside the claimed tier 好 [8, 10]",
    ]


def test_a_panel_beside_an_override_or_on_an_indicator_not_applicable_is_refused():
    extra = "overrides:\n  a: {points: 5, reason: 抽查, by: 审核}\nnot_applicable: [g.b]\n"
    assert _problems("  a: {专家1: 6}\n  g.b: {专家1: 6}\n", extra) == [
        "8:3: the indicator has an override too: keep the panel or the override",
        "9:3: the indicator is 不适用 in these facts: remove the panel or the 不适用",
    ]
