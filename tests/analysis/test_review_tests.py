"""A review ruleset's worked examples: a finding missing or one too many fails, located."""

from __future__ import annotations

import textwrap

from scoring.analysis.review_tests import review_file_tests, run_review_tests
from scoring.load.review import parse_review_ruleset

RULES = """\
id: t.review
version: "1"
kind: review
title: T
rules:
  - {id: cost_direction, check: direction, params: {allowed: {成本指标: [≤]}}}
tests:
  - name: 成本写成 ≥
    tables:
      - subject: {unit: 甲局, year: 2023}
        targets:
          - {level1: 产出指标, level2: 成本指标, name: 人均, direction: ≥, value: 3, unit: 元}
    expect:
      findings: [{rule: cost_direction, target: 人次}]
  - name: 表不对
    tables: [{subject: {unit: 甲局, year: 2023}, targets: [{name: 人均}]}]
    expect: {findings: []}
"""


def test_a_finding_missing_and_one_not_expected_both_fail_the_example():
    outcomes = run_review_tests(parse_review_ruleset(textwrap.dedent(RULES), "r.yaml"))
    assert str(outcomes[0]) == (
        "r.yaml:8:5: test '成本写成 ≥': no finding cost_direction「人次」, expected one\n"
        "r.yaml:8:5: test '成本写成 ≥': finding cost_direction「人均」, not expected"
    )
    assert not outcomes[1].passed
    assert "level1: missing" in str(outcomes[1])
    assert str(outcomes[1]).startswith("r.yaml:16:58: test")


def test_a_scoring_ruleset_file_is_no_review_ruleset():
    assert review_file_tests("id: x\nkind: project\n", "x.yaml", None) is None
    fixed = RULES.replace("target: 人次", "target: 人均")
    outcomes = review_file_tests(fixed, "r.yaml", None)
    assert outcomes is not None
    assert outcomes[0].passed
