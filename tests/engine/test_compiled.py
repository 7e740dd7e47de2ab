"""The compiled function of a ruleset scores exactly as the plain path does, or leaves it the unit.

``scored`` runs a ruleset's compiled function (:mod:`scoring.engine.compiled`) and falls back to
the plain path (the tree walked node by node, each method's ``score``) whenever the function
bails. Here the two are run side by side: on every shipped example, on the shipped rulesets with
facts drawn for them (blank, negative, of the wrong type, at their bounds), and on generated
rulesets; each gives the same result JSON, byte for byte, or the same error.
"""

from __future__ import annotations

import functools
import re
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st
from pydantic import ValidationError

from scoring import load_facts, load_ruleset
from scoring.engine import compiled as compiled_module
from scoring.engine.compiled import compiled_for
from scoring.engine.plan import plan
from scoring.engine.score import scored
from scoring.errors import ScoringError
from scoring.methods import METHODS
from scoring.model.facts import Facts, TierClaim
from scoring.model.ruleset import FactSpec, Ruleset
from scoring.render import render_json
from tests.conftest import EXAMPLES, SCORING_RULESET_FILES, ruleset_from
from tests.strategies import Case, at_most, cases, decimals

EXAMPLE_FILES = sorted(EXAMPLES.glob("*.yaml"))


def _outcome(ruleset: Ruleset, facts: Facts, *, compiled: bool) -> tuple[tuple[Any, ...], bool]:
    """The result as JSON, or the error's kind and words; and whether the compiled path scored."""
    try:
        done = scored(ruleset, facts, compiled=compiled)
        return ("scored", render_json(done.result())), done.scores is not None
    except ScoringError as exc:
        return ("refused", type(exc).__name__, str(exc)), False


def _same(ruleset: Ruleset, facts: Facts) -> bool:
    """Assert both paths agree; whether the compiled function scored the unit itself."""
    fast, used = _outcome(ruleset, facts, compiled=True)
    plain, plain_used = _outcome(ruleset, facts, compiled=False)
    assert not plain_used
    assert fast == plain
    return used


@functools.cache
def _shipped(path: Path) -> Ruleset:
    return load_ruleset(path)


def _example(path: Path) -> tuple[Ruleset, Facts]:
    found = re.search(r"^ruleset: *(\S+)", path.read_text(encoding="utf-8"), re.MULTILINE)
    assert found is not None, f"{path.name} names no ruleset"
    ref = found.group(1).strip("\"'")
    ruleset = load_ruleset(ref)
    return ruleset, load_facts(path, ruleset)


# --- what is compiled -------------------------------------------------------------------------


def test_every_method_but_either_has_code_of_its_own():
    # either is resolved by the compiler itself: it knows which facts are given
    assert [name for name, spec in METHODS.items() if spec.emit is None] == ["either"]


@pytest.mark.parametrize("path", SCORING_RULESET_FILES, ids=lambda path: path.stem)
def test_every_shipped_ruleset_compiles_but_a_template_with_leaves_to_weigh(path: Path):
    ruleset = _shipped(path)
    unweighed = any(node.is_leaf and node.weight is None for _, _, node in ruleset.walk())
    assert (compiled_for(ruleset, frozenset()) is None) == unweighed


@pytest.mark.parametrize("path", EXAMPLE_FILES, ids=lambda path: path.stem)
def test_every_example_is_scored_by_the_compiled_function_as_by_the_plain_path(path: Path):
    ruleset, facts = _example(path)
    assert _same(ruleset, facts)


def test_a_unit_off_the_happy_path_is_scored_by_the_plain_path_with_its_error():
    ruleset, facts = _example(EXAMPLE_FILES[0])
    name = next(name for name, value in facts.facts.items() if isinstance(value, Decimal))
    negative = facts.model_copy(update={"facts": {**facts.facts, name: Decimal(-1)}})
    blank = facts.model_copy(update={"facts": {k: v for k, v in facts.facts.items() if k != name}})
    for changed in (negative, blank):
        fast, used = _outcome(ruleset, changed, compiled=True)
        assert not used
        assert fast == _outcome(ruleset, changed, compiled=False)[0]


def test_a_compiled_score_that_differs_from_the_plain_one_is_refused(
    monkeypatch: pytest.MonkeyPatch,
):
    ruleset, facts = _example(EXAMPLE_FILES[0])
    real = compiled_module._leaf

    def off_by_a_cent(*args: Any) -> str:
        code = args[3]
        return f"({real(*args)} + {code.const(Decimal('0.01'))})"

    monkeypatch.setattr(compiled_module, "_leaf", off_by_a_cent)
    monkeypatch.setattr(plan(ruleset), "compiled", {})  # compiled again, with the fault
    done = scored(ruleset, facts)
    assert done.scores is not None
    with pytest.raises(AssertionError, match="compiled and the plain scoring"):
        done.result()


# --- shipped rulesets, facts drawn for them ---------------------------------------------------

SCORABLE = [path for path in SCORING_RULESET_FILES if compiled_for(_shipped(path), frozenset())]
"""The shipped rulesets that compile (not templates)."""


def _tier_labels(ruleset: Ruleset) -> list[str]:
    scales = [ruleset.tiers or ()] + [node.tiers or () for _, _, node in ruleset.walk()]
    return sorted({name for scale in scales for tier in scale for name in tier.names()})


def _value(spec: FactSpec, labels: list[str], careless: bool) -> st.SearchStrategy[Any]:
    """A value for a fact: what it accepts; when ``careless``, sometimes what a table holds."""
    odd = st.sampled_from([Decimal(0), Decimal(-1), True, "", "2022-13-01", ("甲",)])
    if spec.type == "boolean":
        usual: st.SearchStrategy[Any] = st.booleans()
    elif spec.type == "tier":
        claims = st.builds(
            TierClaim,
            tier=st.sampled_from([*labels, "未列出的档"]),
            score=st.none() | decimals(Decimal(0), Decimal(20)),
        )
        usual = claims | st.sampled_from(labels or ["好"])
    elif spec.type == "choice":
        usual = st.sampled_from([*(spec.options or ()), "其他"])
    elif spec.type == "date":
        usual = st.dates().map(lambda day: day.isoformat())
    elif spec.type == "list":
        usual = st.lists(st.sampled_from(["甲", "乙", "丙", "丁"]), max_size=5).map(tuple)
    else:
        low = spec.min if spec.min is not None else Decimal(0)
        high = spec.max if spec.max is not None else low + 1000
        usual = decimals(low, high) | st.sampled_from([low, high])
    return st.one_of(*[usual] * 9, odd) if careless else usual


@st.composite
def shipped_cases(draw: st.DrawFn) -> tuple[Ruleset, Facts]:
    """A shipped ruleset, and facts for it: some blank, some odd, some indicators 不适用."""
    ruleset = _shipped(draw(st.sampled_from(SCORABLE)))
    labels = _tier_labels(ruleset)
    careless = draw(st.booleans())
    given = {}
    for name, spec in ruleset.facts.items():
        if not careless or draw(st.integers(0, 29)):  # a careless table leaves some blank
            given[name] = draw(_value(spec, labels, careless))
    paths = [path for path, _, _ in ruleset.walk()]
    skipped = draw(st.lists(st.sampled_from(paths), max_size=2, unique=True))
    skipped += [slot for slot in plan(ruleset).slots if slot not in skipped]  # a template's
    try:
        facts = Facts.model_validate({"facts": given, "not_applicable": skipped})
    except ValidationError:
        assume(False)
    return ruleset, facts


@at_most(300)
@given(shipped_cases())
def test_shipped_rulesets_score_alike_on_both_paths(case: tuple[Ruleset, Facts]):
    _same(*case)


# --- generated rulesets -----------------------------------------------------------------------


@at_most(300)
@given(cases())
def test_generated_rulesets_score_alike_on_both_paths(case: Case):
    _same(case.ruleset, case.facts)


@at_most(100)
@given(cases(not_applicable=False, zero_denominators=True, with_method="ratio"))
def test_zero_denominators_score_alike_on_both_paths(case: Case):
    _same(case.ruleset, case.facts)


def test_a_group_of_hundreds_of_leaves_scores_alike_on_both_paths():
    # a sum of thousands of terms overflows the compiler's recursion: it is added in chunks
    leaves = "\n".join(
        f"      - {{id: l{n}, name: 指标{n}, weight: 1, method: boolean, value: b{n}}}"
        for n in range(300)
    )
    facts = "\n".join(f"  b{n}: {{type: boolean}}" for n in range(300))
    ruleset = ruleset_from(
        "id: test.wide\nversion: '1'\ntitle: t\nkind: project\ngrades: null\ntotal: 300\n"
        f"facts:\n{facts}\nindicators:\n  - id: g\n    name: 组\n    weight: 300\n"
        f"    children:\n{leaves}\n"
    )
    given = {f"b{n}": n % 3 != 0 for n in range(300)}
    facts_model = Facts.model_validate({"facts": given})
    assert compiled_for(ruleset, frozenset()) is not None
    assert _same(ruleset, facts_model)
