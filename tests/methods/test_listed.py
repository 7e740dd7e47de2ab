"""``listed``: points for each item of a list fact, every item named in the breakdown."""

from __future__ import annotations

from decimal import Decimal

import pytest

from scoring.engine.score import score
from scoring.errors import RulesetError
from scoring.methods import METHODS
from scoring.methods.spec import Judge, Words
from tests.conftest import facts_from, ruleset_from

HEADER = """\
id: test.listed
version: "1"
title: t
kind: project
grades: null
total: 10
facts:
  附件: {type: list, options: [自评表, 自评报告, 验收报告, 拨付凭证]}
  n: {min: 0}
indicators:
  - id: leaf
    name: 资料完整性
    weight: 10
    method: listed
    fact: 附件
    points: 3
"""


def scored(items: str) -> tuple[Decimal, str]:
    ruleset = ruleset_from(HEADER)
    leaf = score(ruleset, facts_from(f"facts: {{附件: {items}}}\n", ruleset)).indicators[0]
    assert leaf.score is not None
    return leaf.score, leaf.explanation


def test_each_item_earns_its_points_and_is_named():
    assert scored("[自评表, 验收报告]") == (
        Decimal("6.00"),
        "附件 2 项（自评表、验收报告），每项 3 → 6.00 / 10",
    )


def test_more_than_the_weight_is_capped_and_said():
    points, said = scored("[自评表, 自评报告, 验收报告, 拨付凭证]")
    assert points == Decimal("10.00")
    assert said.endswith("每项 3，计 12，最高 10 → 10.00 / 10")


def test_an_empty_list_scores_nothing_and_says_none():
    assert scored("[]") == (Decimal("0.00"), "附件 0 项（无），每项 3 → 0.00 / 10")


def test_items_in_one_cell_read_as_a_list():
    assert scored("'自评表；验收报告'")[0] == Decimal("6.00")


def test_checks_refuse_a_fact_of_another_type_and_no_points():
    rules = HEADER.replace("fact: 附件", "fact: n").replace("points: 3", "points: 0")
    with pytest.raises(RulesetError) as raised:
        ruleset_from(rules)
    found = [issue.message for issue in raised.value.issues]
    assert "fact 'n' is declared type number, method listed needs type list" in found
    assert "must be positive, found 0" in found


def test_a_formula_cannot_read_a_list():
    rules = HEADER.replace(
        "method: listed\n    fact: 附件\n    points: 3", "method: formula\n    expr: 附件"
    )
    with pytest.raises(RulesetError, match="fact '附件' is a list: method listed reads it"):
        ruleset_from(rules)


def test_wording_names_the_allowed_items_and_gap_counts_them():
    ruleset = ruleset_from(HEADER)
    leaf = ruleset.indicators[0]
    spec = METHODS["listed"]
    words = Words(ruleset, Decimal(10), frozenset(), lambda node: "")
    assert spec.wording(leaf, words) == (
        "按附件所列项目计分（自评表、自评报告、验收报告、拨付凭证）：每项得3分，最高10分"
    )
    assert isinstance(spec.gap, Judge)
    why = spec.gap.why(leaf, {"附件": ("自评表",)}.get)
    assert why == "listed: each further item of 附件 scores 3; 1 listed now"
