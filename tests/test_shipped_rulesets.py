"""Every shipped ruleset lints clean, carries worked examples that pass, and every example scores.

A ruleset that fails here cannot be merged: this is `scoring lint rulesets/` and `scoring test
rulesets/` as a test, plus the rule that each ships at least three worked examples, one of them at
a grade boundary when the ruleset can be scored.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from scoring.analysis.review_tests import run_review_tests
from scoring.analysis.ruleset_tests import run_tests
from scoring.engine.score import score
from scoring.errors import RulesetError
from scoring.load.facts import load_facts
from scoring.load.review import load_review_ruleset
from scoring.load.rulesets import load_named_ruleset, load_ruleset
from scoring.model.ruleset import Ruleset
from tests.conftest import EXAMPLES, REVIEW_RULESETS, SCORING_RULESET_FILES

REVIEW_FILES = sorted(REVIEW_RULESETS.rglob("*.yaml"))
"""The review rulesets (kind: review): run by scoring review, never offered for scoring."""
RULESET_FILES = SCORING_RULESET_FILES
EXAMPLE_FILES = sorted(EXAMPLES.glob("*.yaml"))


def name(path: Path) -> str:
    return str(path.relative_to(path.parents[1]))


@pytest.fixture(scope="module", params=RULESET_FILES, ids=name)
def shipped(request: pytest.FixtureRequest) -> Ruleset:
    return load_ruleset(request.param)


def test_shipped_ruleset_has_no_lint_warnings(shipped):
    assert [str(warning) for warning in shipped.origin.warnings] == []


def test_shipped_ruleset_worked_examples_pass(shipped):
    assert [str(outcome) for outcome in run_tests(shipped) if not outcome.passed] == []


@pytest.mark.usefixtures("chinese")
def test_shipped_ruleset_worked_examples_pass_with_messages_in_chinese(shipped):
    """Their ``error:`` expectations are English; a user reading Chinese runs them too."""
    assert [str(outcome) for outcome in run_tests(shipped) if not outcome.passed] == []


def test_shipped_ruleset_carries_three_examples_one_at_a_grade_boundary(shipped):
    assert len(shipped.tests) >= 3, f"{shipped.ref} carries {len(shipped.tests)} worked examples"
    if shipped.is_template or shipped.grades is None:
        return  # a template's examples check its formulas; it has no total to grade
    step = Decimal(1).scaleb(-shipped.rounding.places)
    boundaries = {bound for bound in shipped.grades.values() if bound > 0}
    boundaries |= {bound - step for bound in boundaries}
    totals = {test.expect.total for test in shipped.tests}
    assert totals & boundaries, f"no example's total is at a grade boundary {sorted(boundaries)}"


@pytest.mark.parametrize("example", EXAMPLE_FILES, ids=lambda path: path.name)
def test_every_example_scores_under_the_ruleset_it_names(example):
    ruleset = load_named_ruleset(example)
    result = score(ruleset, load_facts(example, ruleset))
    assert result.ruleset.id == ruleset.id


@pytest.mark.parametrize("path", REVIEW_FILES, ids=name)
def test_shipped_review_ruleset_examples_pass_in_both_languages(path, chinese):
    loaded = load_review_ruleset(path)
    assert len(loaded.ruleset.tests) >= 3
    assert [str(outcome) for outcome in run_review_tests(loaded) if not outcome.passed] == []


@pytest.mark.parametrize("path", REVIEW_FILES, ids=name)
def test_shipped_review_ruleset_is_never_loaded_for_scoring(path):
    with pytest.raises(RulesetError, match=r"is a review ruleset \(kind: review\)"):
        load_ruleset(path)


def test_the_review_rulesets_are_found():
    assert REVIEW_FILES, "rulesets/review/ holds the shipped review ruleset"
