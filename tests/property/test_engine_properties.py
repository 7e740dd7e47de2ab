"""Properties of score(): bounds, sums, rescaling, monotonicity, determinism, rounding, grades."""

from __future__ import annotations

import ast
import json
import os
import subprocess
import sys
from decimal import Decimal
from fractions import Fraction

from hypothesis import assume, given
from hypothesis import strategies as st

from scoring.engine.score import score
from scoring.model.fingerprint import ruleset_fingerprint
from scoring.model.grading import grade_for
from scoring.model.results import ScoreResult
from scoring.model.ruleset import NATIONAL_GRADES
from scoring.render import render_json
from tests.conftest import ROOT, facts_from, ruleset_from
from tests.strategies import (
    Case,
    actual_fact,
    at_most,
    cases,
    decimals,
    facts_of,
    grade_bands,
    reordered,
    round_exact,
    ruleset_of,
    to_yaml,
)


def skipped(path: str, not_applicable: list[str]) -> bool:
    return any(path == na or path.startswith(f"{na}.") for na in not_applicable)


# --- bounds and sums --------------------------------------------------------------------------


@at_most(100)
@given(cases())
def test_every_indicator_score_stays_within_zero_and_its_weight(case: Case):
    result = score(case.ruleset, case.facts)
    for node in result.walk():
        if node.score is not None:
            assert node.weight is not None
            assert Decimal(0) <= node.score <= node.weight, node.path


@at_most(100)
@given(cases())
def test_the_total_stays_within_zero_and_the_rulesets_total(case: Case):
    result = score(case.ruleset, case.facts)
    assert Decimal(0) <= result.total <= case.ruleset.total
    assert result.max_total == case.ruleset.total


@at_most(100)
@given(cases())
def test_a_parent_scores_the_sum_of_its_childrens_rounded_scores(case: Case):
    result = score(case.ruleset, case.facts)
    for node in result.walk():
        if node.children:
            scored = [child.score for child in node.children if child.score is not None]
            if scored:
                assert node.score == sum(scored, Decimal(0)), node.path
            else:
                assert node.score is None
                assert node.status == "not_applicable"


@at_most(100)
@given(cases())
def test_the_plain_sum_is_the_sum_of_the_top_level_scores(case: Case):
    result = score(case.ruleset, case.facts)
    top = [node.score for node in result.indicators if node.score is not None]
    assert result.sum == sum(top, Decimal(0))


@at_most(100)
@given(cases(not_applicable=False))
def test_without_not_applicable_the_total_is_the_plain_sum(case: Case):
    result = score(case.ruleset, case.facts)
    assert result.total == result.sum
    assert not result.rescaled
    assert result.applicable_weight == case.ruleset.total


@at_most(100)
@given(cases(not_applicable=True))
def test_with_not_applicable_the_total_is_the_sum_rescaled_to_the_applicable_weight(case: Case):
    """total = round(sum / applicable weight × 100), exactly, in the ruleset's rounding mode."""
    not_applicable = case.facts_data.get("not_applicable", [])
    assume(not_applicable)
    result = score(case.ruleset, case.facts)
    applicable = sum(
        (
            node.weight
            for path, _, node in case.ruleset.walk()
            if node.is_leaf and node.weight is not None and not skipped(path, not_applicable)
        ),
        Decimal(0),
    )
    assert 0 < applicable < case.ruleset.total
    assert result.applicable_weight == applicable
    assert result.rescaled
    rounding = case.ruleset.rounding
    exact = Fraction(result.sum) / Fraction(applicable) * Fraction(case.ruleset.total)
    assert result.total == round_exact(exact, rounding.places, rounding.mode)
    assert Decimal(0) <= result.total <= case.ruleset.total


@at_most(100)
@given(cases())
def test_every_score_has_exactly_the_rulesets_rounding_places(case: Case):
    result = score(case.ruleset, case.facts)
    exponent = -case.ruleset.rounding.places
    scores = [node.score for node in result.walk() if node.score is not None]
    for value in [*scores, result.sum, result.total]:
        assert value.as_tuple().exponent == exponent, value


# --- monotonicity -----------------------------------------------------------------------------


def raised(case: Case, method: str, data: st.DataObject) -> tuple[str, ScoreResult, ScoreResult]:
    """A leaf of ``method`` that is scored, and results before and after raising its actual."""
    not_applicable = case.facts_data.get("not_applicable", [])
    found = [
        (path, name)
        for path, _, node in case.ruleset.walk()
        if node.method == method
        and not skipped(path, not_applicable)
        and (name := actual_fact(case.ruleset, node)) is not None
    ]
    assume(found)
    path, name = data.draw(st.sampled_from(found))
    spec = case.ruleset.facts[name]
    old = case.facts_data["facts"][name]
    assert spec.max is not None
    new = data.draw(decimals(old, spec.max))
    higher = {**case.facts_data, "facts": {**case.facts_data["facts"], name: new}}
    before = score(case.ruleset, case.facts)
    after = score(case.ruleset, facts_of(higher))
    return path, before, after


def leaf_score(result: ScoreResult, path: str) -> Decimal:
    node = next(node for node in result.walk() if node.path == path)
    assert node.score is not None
    return node.score


@at_most(100)
@given(cases(with_method="ratio"), st.data())
def test_raising_a_ratio_actual_never_lowers_its_score_or_the_total(case: Case, data):
    path, before, after = raised(case, "ratio", data)
    assert leaf_score(after, path) >= leaf_score(before, path)
    assert after.total >= before.total


@at_most(100)
@given(cases(with_method="reverse_ratio"), st.data())
def test_raising_a_reverse_ratio_actual_never_raises_its_score(case: Case, data):
    path, before, after = raised(case, "reverse_ratio", data)
    assert leaf_score(after, path) <= leaf_score(before, path)


# --- determinism ------------------------------------------------------------------------------

_SCORE_EACH = """\
import json, sys
from scoring.engine.score import score
from scoring.model.fingerprint import ruleset_fingerprint
from scoring.load.facts import parse_facts
from scoring.load.rulesets import parse_ruleset
from scoring.render import render_json
for ruleset_text, facts_text in json.load(sys.stdin):
    ruleset = parse_ruleset(ruleset_text, "t.yaml")
    print(json.dumps(render_json(score(ruleset, parse_facts(facts_text, "f.yaml", ruleset)))))
"""


@at_most(2, deadline=None)  # two interpreters start per example
@given(st.lists(cases(), min_size=5, max_size=5))
def test_scoring_gives_the_same_bytes_in_every_run(batch: list[Case]):
    """Two fresh interpreters with different hash seeds print what this one computes."""
    texts = [(to_yaml(case.data), to_yaml(case.facts_data)) for case in batch]
    expected = []
    for ruleset_text, facts_text in texts:
        ruleset = ruleset_from(ruleset_text)
        expected.append(render_json(score(ruleset, facts_from(facts_text, ruleset))))
    for seed in ("1", "2"):
        run = subprocess.run(
            [sys.executable, "-c", _SCORE_EACH],
            input=json.dumps(texts),
            capture_output=True,
            text=True,
            check=True,
            cwd=ROOT,
            env={**os.environ, "PYTHONHASHSEED": seed},
        )
        assert [json.loads(line) for line in run.stdout.splitlines()] == expected


@at_most(100)
@given(cases())
def test_scoring_twice_gives_the_same_bytes(case: Case):
    assert render_json(score(case.ruleset, case.facts)) == render_json(
        score(ruleset_of(case.data), facts_of(case.facts_data))
    )


@at_most(50)
@given(cases(), st.data())
def test_the_order_of_keys_in_the_facts_file_changes_nothing(case: Case, data):
    facts_data = data.draw(reordered(case.facts_data))
    if "not_applicable" in facts_data:
        facts_data["not_applicable"] = data.draw(st.permutations(facts_data["not_applicable"]))
    first = facts_from(to_yaml(case.facts_data), case.ruleset)
    second = facts_from(to_yaml(facts_data), case.ruleset)
    assert render_json(score(case.ruleset, first)) == render_json(score(case.ruleset, second))


@at_most(100)
@given(cases(), st.data())
def test_the_order_of_fact_declarations_in_the_ruleset_changes_nothing(case: Case, data):
    ruleset_data = dict(case.data)
    for section in ("facts", "derived"):
        if section in ruleset_data:
            order = data.draw(st.permutations(list(ruleset_data[section])))
            ruleset_data[section] = {name: ruleset_data[section][name] for name in order}
    ruleset = ruleset_of(ruleset_data)
    assert ruleset_fingerprint(ruleset) == ruleset_fingerprint(case.ruleset)
    result = render_json(score(case.ruleset, case.facts))
    assert render_json(score(ruleset, case.facts)) == result


@at_most(30)
@given(cases())
def test_yaml_text_scores_the_same_as_the_data_it_was_written_from(case: Case):
    """The other properties build models from data directly; this one pins that shortcut."""
    ruleset = ruleset_from(to_yaml(case.data))
    facts = facts_from(to_yaml(case.facts_data), ruleset)
    assert facts.facts == case.facts.facts
    assert sorted(facts.not_applicable) == sorted(case.facts.not_applicable)
    from_text = json.loads(render_json(score(ruleset, facts)))
    from_data = json.loads(render_json(score(case.ruleset, case.facts)))
    assert from_text["ruleset"].pop("files") == ["t.yaml"]  # data in memory has no file
    assert from_data["ruleset"].pop("files") == []
    assert from_text == from_data


@at_most(50)
@given(cases(not_applicable=False, zero_denominators=True, with_method="ratio"))
def test_a_derived_rate_read_by_a_leaf_falls_back_to_on_zero_division(case: Case):
    """A rate ``actual / target`` with ``on_zero_division: 0`` and target 0 scores its ratio 0."""
    readers: dict[str, str] = {}
    facts = dict(case.facts_data["facts"])
    for path, _, node in case.ruleset.walk():
        if node.method == "ratio" and node.actual and node.actual.source in case.ruleset.derived:
            rate = case.ruleset.derived[node.actual.source].expr.tree
            assert isinstance(rate, ast.BinOp)
            assert isinstance(rate.right, ast.Name)
            facts[rate.right.id] = Decimal(0)
            readers[path] = node.actual.source
    assume(readers)
    result = score(case.ruleset, facts_of({**case.facts_data, "facts": facts}))
    for path, name in readers.items():
        assert leaf_score(result, path) == 0
        assert result.derived[name].value == "0"


# --- grades -----------------------------------------------------------------------------------

TOTALS = decimals(Decimal(0), Decimal(100))


@given(TOTALS, TOTALS)
def test_grade_for_is_monotone_in_the_total_with_the_national_bands(a: Decimal, b: Decimal):
    low, high = sorted([a, b])
    lower, higher = grade_for(low, NATIONAL_GRADES), grade_for(high, NATIONAL_GRADES)
    assert lower is not None
    assert higher is not None
    assert NATIONAL_GRADES[lower] <= NATIONAL_GRADES[higher]


@given(grade_bands(), TOTALS, TOTALS)
def test_grade_for_is_monotone_in_the_total_with_any_bands(
    bands: dict[str, Decimal], a: Decimal, b: Decimal
):
    low, high = sorted([a, b])
    lower, higher = grade_for(low, bands), grade_for(high, bands)
    assert lower is not None
    assert higher is not None
    assert bands[lower] <= bands[higher]
