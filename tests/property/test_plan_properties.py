"""Compile once, use many: the ruleset's plan and the lazily built result change nothing.

There is one scoring path: ``score()`` is ``scored(…).result()``. What these properties hold is
that the parts worked out once per ruleset (its plan, its fingerprint, each formula's program)
and the parts built only when asked (the result models, explanations, audit trail, derived
values) give exactly what working everything out afresh, at once, gives.
"""

from __future__ import annotations

import pickle

from hypothesis import given
from hypothesis import strategies as st

from scoring.analysis import batch
from scoring.engine.score import score, scored
from scoring.load import units as load_units
from scoring.model.fingerprint import (
    _plain,
    _sha256,
    canonical_json,
    facts_fingerprint,
    ruleset_fingerprint,
)
from scoring.render import render_json
from tests.strategies import Case, at_most, cases, facts_for, facts_of, ruleset_of


def cold(case: Case):
    """The case's ruleset validated again: no plan, no fingerprint, no formula programs yet."""
    return ruleset_of(case.data)


def fingerprint_afresh(ruleset) -> str:
    plain = _plain(ruleset)
    plain.pop("extends", None)
    plain.pop("tests", None)
    return _sha256(canonical_json(plain))


@at_most(100)
@given(cases())
def test_the_numbers_a_batch_takes_are_the_full_results_numbers(case: Case):
    done = scored(case.ruleset, case.facts)
    result = done.result()
    assert (done.total, done.grade) == (result.total, result.grade)
    for light, node in zip(done.indicators, result.indicators, strict=True):
        assert (light.path, light.score, light.status) == (node.path, node.score, node.status)
        assert light.applicable_weight == node.applicable_weight
    unit = load_units.Unit("u.yaml", "u")
    row = batch.summary_row(batch.UnitResult(unit, done))
    lost = tuple(
        None if node.score is None else node.applicable_weight - node.score
        for node in result.indicators
    )
    assert (row.total, row.grade, row.lost, row.subject) == (
        result.total,
        result.grade,
        lost,
        result.subject,
    )


@at_most(100)
@given(st.data())
def test_a_warm_plan_scores_as_a_cold_one_byte_for_byte(data):
    """A ruleset that has scored other units before scores these exactly as a fresh one."""
    case = data.draw(cases())
    for _ in range(data.draw(st.integers(0, 3))):  # warm the plan on other facts
        other = data.draw(facts_for(case.ruleset, data.draw(st.booleans())))
        scored(case.ruleset, facts_of(other))
    warm = render_json(score(case.ruleset, case.facts))
    assert warm == render_json(score(cold(case), case.facts))
    restored = pickle.loads(pickle.dumps(case.ruleset))  # as a worker receives it
    assert render_json(score(restored, case.facts)) == warm


@at_most(100)
@given(cases())
def test_a_result_built_late_is_the_result_built_at_once(case: Case):
    done = scored(case.ruleset, case.facts)
    batch.summary_row(batch.UnitResult(load_units.Unit("u.yaml", "u"), done))  # what a batch reads
    late = render_json(done.result())
    assert late == render_json(score(cold(case), case.facts))
    assert done.result() is done.result()  # built once


@at_most(100)
@given(cases())
def test_fingerprints_kept_with_the_ruleset_are_the_ones_worked_out_afresh(case: Case):
    result = score(case.ruleset, case.facts)
    assert result.ruleset.fingerprint == fingerprint_afresh(cold(case))
    assert ruleset_fingerprint(case.ruleset) == fingerprint_afresh(case.ruleset)
    assert result.facts_fingerprint == facts_fingerprint(case.facts)
