"""An expert panel's scores combined: the mean, the median, the trimmed mean, the fallback."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from scoring.engine.panel import combination, combined, panel_override
from scoring.engine.score import score
from scoring.model.facts import Facts
from scoring.model.panel import PanelRule
from tests.conftest import ruleset_from

RULES = """\
id: t.panel
version: "1"
title: 专家评分
kind: project
total: 20
grades: null
facts:
  有制度: {type: boolean}
panel:
  combine: median
  spread: 1
  indicators:
    b: {combine: trimmed_mean, min_size: 4, fallback: mean}
indicators:
  - {id: a, name: 甲, weight: 10, method: boolean, value: 有制度}
  - {id: b, name: 乙, weight: 10, method: boolean, value: 有制度}
"""
D = Decimal
SCORE = st.decimals(min_value=0, max_value=10, places=2)


def test_each_way_of_combining():
    scores = [D(3), D(2), D("2.5"), D(3), D(1)]
    assert combined(scores, "mean") == D("2.3")  # (3+2+2.5+3+1)/5
    assert combined(scores, "median") == D("2.5")
    assert combined(scores[:4], "median") == D("2.75")  # the two middle ones, halved
    assert combined(scores, "trimmed_mean") == D("2.5")  # (2+2.5+3)/3


def test_a_panel_below_its_least_falls_back_only_when_declared():
    trimmed = PanelRule(combine="trimmed_mean", min_size=5)
    assert combination(5, trimmed) == "trimmed_mean"
    assert combination(4, trimmed) is None
    assert combination(4, trimmed.model_copy(update={"fallback": "mean"})) == "mean"
    assert combination(1, PanelRule()) == "mean"


def test_the_override_keeps_every_score_and_rounds_half_up():
    ruleset = ruleset_from(RULES)
    scores = {"专家1": D(9), "专家2": D("8.5"), "专家3": D(7), "专家4": D(10)}
    override = panel_override(ruleset, "b", scores)
    assert override is not None
    assert override.panel is not None
    assert override.points == D("8.75")  # (9 + 8.5)/2, the highest and the lowest dropped
    assert override.panel.by_name == scores
    assert override.panel.combine == override.panel.declared == "trimmed_mean"
    assert override.panel.spread == D(3)
    assert override.panel.flagged
    fallen = panel_override(ruleset, "b", {"专家1": D(9), "专家2": D(8), "专家3": D(8)})
    assert fallen is not None
    assert fallen.panel is not None
    assert fallen.points == D("8.33")  # 25/3 = 8.333…, as the ruleset's two places
    assert (fallen.panel.combine, fallen.panel.declared) == ("mean", "trimmed_mean")
    halves = panel_override(ruleset, "a", {"专家1": D("8.125"), "专家2": D("8.125")})
    assert halves is not None
    assert halves.points == D("8.13")
    assert halves.panel is not None
    assert not halves.panel.flagged


@given(st.lists(SCORE, min_size=3, max_size=9))
def test_every_combination_lies_between_the_lowest_and_the_highest(scores):
    for how in ("mean", "median", "trimmed_mean"):
        assert min(scores) <= combined(scores, how) <= max(scores)


@given(st.lists(SCORE, min_size=3, max_size=9), st.randoms())
def test_the_order_of_the_experts_does_not_matter(scores, random):
    shuffled = list(scores)
    random.shuffle(shuffled)
    for how in ("mean", "median", "trimmed_mean"):
        assert combined(shuffled, how) == combined(scores, how)


def test_a_panel_wider_than_its_spread_is_a_finding_at_its_indicator():
    ruleset = ruleset_from(RULES)
    wide = panel_override(ruleset, "a", {"专家1": D(9), "专家2": D(7)})  # spread 2 > 1
    narrow = panel_override(ruleset, "b", {"专家1": D(9), "专家2": D(8), "专家3": D(9)})
    assert wide is not None
    assert narrow is not None
    facts = Facts(facts={"有制度": True}, overrides={"a": wide, "b": narrow})
    [finding] = [each for each in score(ruleset, facts).findings if each.code == "panel_spread"]
    assert finding.path == "a"
    assert finding.message == "专家评分分歧较大：最高分与最低分相差2，超过规则集规定的1，请复核"
