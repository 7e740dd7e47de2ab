"""A unit's red flags on its own: every point given, a share of the weight 不适用; the digest."""

from __future__ import annotations

from decimal import Decimal

import pytest

from scoring.analysis.red_flags import facts_digest, unit_flags
from scoring.engine.score import scored
from tests.conftest import facts_from, ruleset_from

RULES = """\
id: t.flags
version: "1"
title: 红旗
kind: project
total: 20
grades: null
facts:
  有制度: {type: boolean}
  有台账: {type: boolean}
red_flags: {not_applicable_share: 0.5}
indicators:
  - {id: a, name: 甲, weight: 10, method: boolean, value: 有制度}
  - {id: b, name: 乙, weight: 10, method: boolean, value: 有台账}
"""


def _flags(facts: str, rules: str = RULES) -> tuple[str, ...]:
    ruleset = ruleset_from(rules)
    return unit_flags(scored(ruleset, facts_from(facts, ruleset)))


def test_full_marks_only_when_every_applicable_indicator_has_all_its_points():
    assert _flags("facts: {有制度: true, 有台账: true}") == (
        "every applicable indicator at full marks",
    )
    assert _flags("facts: {有制度: true, 有台账: false}") == ()
    off = RULES.replace("{not_applicable_share: 0.5}", "{full_marks: false}")
    assert _flags("facts: {有制度: true, 有台账: true}", off) == ()


@pytest.mark.parametrize(("share", "flagged"), [("0.5", True), ("0.51", False)])
def test_a_share_not_applicable_at_the_threshold_is_flagged(share, flagged):
    rules = RULES.replace("not_applicable_share: 0.5", f"not_applicable_share: {share}")
    found = _flags("facts: {有制度: false}\nnot_applicable: [b]", rules)
    assert bool(found) is flagged
    if flagged:
        assert found[0].startswith("50.00% of the weight 不适用")


def test_no_section_no_flags_and_no_digest():
    rules = RULES.replace("red_flags: {not_applicable_share: 0.5}\n", "")
    ruleset = ruleset_from(rules)
    done = scored(ruleset, facts_from("facts: {有制度: true, 有台账: true}", ruleset))
    assert unit_flags(done) == ()
    assert facts_digest(done) is None


def test_the_digest_leaves_the_subject_out_and_sees_every_value():
    ruleset = ruleset_from(RULES)

    def digest(text: str) -> bytes | None:
        return facts_digest(scored(ruleset, facts_from(text, ruleset)))

    same = digest("subject: {unit: 甲}\nfacts: {有制度: true, 有台账: false}")
    assert same == digest("subject: {unit: 乙}\nfacts: {有台账: false, 有制度: true}")
    assert same != digest("subject: {unit: 甲}\nfacts: {有制度: true, 有台账: true}")
    assert same != digest("facts: {有制度: true}\nnot_applicable: [b]")


@pytest.mark.parametrize(("claimed", "flagged"), [("15.01", True), ("15", False), (None, False)])
def test_a_claim_more_than_the_margin_above_the_total_is_flagged(claimed, flagged):
    rules = RULES.replace("{not_applicable_share: 0.5}", "{self_score_margin: 5}")
    ruleset = ruleset_from(rules)
    done = scored(ruleset, facts_from("facts: {有制度: true, 有台账: false}", ruleset))  # 10
    found = unit_flags(done, None if claimed is None else Decimal(claimed))
    assert bool(found) is flagged
    if flagged:
        assert found == (
            "claims 15.01, 5.01 above the 10.00 its facts give (the ruleset flags more than 5)",
        )
