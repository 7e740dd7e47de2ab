"""The auditor's comparison: both layers of the 自评表 view model side by side, nothing recomputed."""

from __future__ import annotations

from decimal import Decimal

import pytest

from scoring.engine.score import score
from scoring.load.facts import load_facts
from scoring.load.rulesets import load_ruleset
from scoring.model.facts import AuditOverrides, Override
from scoring.model.results import ScoreResult
from scoring.model.ruleset import Ruleset
from scoring.render.audit_view import build_comparison
from scoring.render.cells import cell_text
from scoring.render.report import build_report
from tests.helpers import FACTS, RULESET

LEAF = "output.quantity.aided"


@pytest.fixture(scope="module")
def ruleset() -> Ruleset:
    return load_ruleset(RULESET)


def _scored(ruleset: Ruleset, audit: AuditOverrides) -> ScoreResult:
    return score(ruleset, load_facts(FACTS, ruleset), audit)


def test_an_override_shows_the_departments_score_beside_the_audited_one(ruleset: Ruleset):
    override = Override(points=Decimal(18), reason="2人不符合条件", by="审计")
    result = _scored(ruleset, AuditOverrides(overrides={LEAF: override}))
    comparison = build_comparison(result, ruleset)
    assert result.self_total is not None
    assert cell_text(comparison.self_total) == str(result.self_total)
    assert cell_text(comparison.audited_total) == str(result.total)
    assert comparison.self_grade == result.self_grade
    assert comparison.audited_grade == result.grade
    nodes = {node.path: node for node in result.walk()}
    rows = {row.path: row for row in comparison.rows}
    assert list(rows) == list(nodes)
    leaf = rows[LEAF]
    assert leaf.differs
    assert leaf.override is not None
    assert leaf.override.reason == "2人不符合条件"
    assert cell_text(leaf.self_score) == str(nodes[LEAF].self_score)
    assert cell_text(leaf.audited) == str(nodes[LEAF].score)
    assert comparison.overridden == 1
    differing = {row.path for row in comparison.rows if row.differs}
    assert differing == {path for path in nodes if LEAF.startswith(path)}
    report = build_report(result, ruleset)
    assert [row.score for row in report.breakdown] == [row.audited for row in comparison.rows]


def test_without_an_override_both_columns_are_the_departments(ruleset: Ruleset):
    result = _scored(ruleset, AuditOverrides())
    comparison = build_comparison(result, ruleset)
    assert comparison.self_total == comparison.audited_total
    assert cell_text(comparison.audited_total) == str(result.total)
    assert comparison.self_grade == comparison.audited_grade == result.grade
    assert not any(row.differs for row in comparison.rows)
    assert comparison.overridden == 0
    not_applicable = [row for row in comparison.rows if row.audited == "不适用"]
    assert not_applicable
    assert not any(row.overridable for row in not_applicable)
