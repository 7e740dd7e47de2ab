"""The method registry is complete: every method has all its parts, and agrees with the model and docs.

A method added without its parameters, check, 评分标准 wording or gap behaviour, without its name
in the model's ``MethodName`` or docs/format.md, or without an indicator to show it on, fails here.
"""

from __future__ import annotations

import re
import typing
from collections.abc import Iterator
from decimal import Decimal
from fractions import Fraction

import pytest

from scoring.load.rulesets import load_ruleset
from scoring.methods import METHODS, PARAMETERS
from scoring.methods.spec import Judge, MethodSpec, Solve, Span, Toggle
from scoring.model.formula import Formula
from scoring.model.problems import Loc, Problem
from scoring.model.ruleset import Indicator, MethodName, Ruleset
from scoring.render.standards import method_text
from tests.conftest import ROOT, SCORING_RULESET_FILES, ruleset_from

UNSHIPPED = {
    "formula": """\
        id: test.formula
        version: "1"
        title: t
        kind: project
        grades: null
        total: 10
        facts:
          a: {min: 0, max: 5}
        indicators:
          - {id: leaf, name: 指标, weight: 10, method: formula, expr: a * 2}
        """,
}
"""An indicator for each method that no shipped ruleset uses yet."""


def _examples() -> dict[str, tuple[Ruleset, str, Indicator]]:
    """For each method, the first indicator using it: in a shipped ruleset, else in UNSHIPPED."""
    found: dict[str, tuple[Ruleset, str, Indicator]] = {}
    rulesets = [load_ruleset(path) for path in SCORING_RULESET_FILES]
    rulesets += [ruleset_from(text) for text in UNSHIPPED.values()]
    for ruleset in rulesets:
        for path, _level, node in ruleset.walk():
            for leaf in (node, *(node.alternatives or ())):
                if leaf.method is not None and leaf.method not in found:
                    weighted = leaf.model_copy(update={"weight": node.weight})
                    found[leaf.method] = (ruleset, path, weighted)
    return found


EXAMPLES = _examples()


class _Checking:
    """The ruleset checks as a method's check sees them, answering nothing of their own."""

    def __init__(self, ruleset: Ruleset):
        self.ruleset = ruleset

    def leaf(self, node: Indicator, loc: Loc, path: str) -> Iterator[Problem]:
        return iter(())

    def zero_fact(self, name: str) -> tuple[str, str] | None:
        return None

    def corners(self, formula: Formula, weight: Decimal, loc: Loc, path: str) -> Iterator[Problem]:
        return iter(())


def test_registry_names_are_the_model_method_names():
    assert set(METHODS) == set(typing.get_args(MethodName))


def test_registry_names_are_the_methods_docs_format_lists():
    text = (ROOT / "docs" / "format.md").read_text(encoding="utf-8")
    table = text[text.index("| method | needs | may take |") :].split("\n\n")[0]
    assert set(re.findall(r"^\| `(\w+)` \|", table, re.MULTILINE)) == set(METHODS)


def test_registry_keys_are_the_specs_names():
    assert all(name == spec.name for name, spec in METHODS.items())


@pytest.mark.parametrize("spec", METHODS.values(), ids=lambda spec: spec.name)
def test_method_declares_parameters_that_are_indicator_fields(spec: MethodSpec):
    assert spec.parameters, "a method reads at least one parameter"
    assert not spec.required & spec.optional
    assert spec.parameters <= set(Indicator.model_fields)
    assert spec.parameters <= PARAMETERS


@pytest.mark.parametrize("spec", METHODS.values(), ids=lambda spec: spec.name)
def test_method_has_a_score_unless_the_engine_resolves_it(spec: MethodSpec):
    assert callable(spec.score) or spec.name == "either"


@pytest.mark.parametrize("name", METHODS)
def test_method_has_an_indicator_to_show_it_on(name: str):
    assert name in EXAMPLES, f"give {name} an indicator in rulesets/ or in UNSHIPPED"


@pytest.mark.parametrize("name", EXAMPLES)
def test_method_checks_a_sound_indicator_without_errors(name: str):
    ruleset, path, node = EXAMPLES[name]
    problems = list(METHODS[name].check(_Checking(ruleset), node, ("indicators",), path))
    assert all(isinstance(problem, Problem) for problem in problems)
    assert [p.message for p in problems if p.severity == "error"] == []


@pytest.mark.parametrize("name", EXAMPLES)
def test_method_wording_is_a_sentence(name: str):
    ruleset, _path, node = EXAMPLES[name]
    text = method_text(node, ruleset, node.weight)
    assert text
    assert "None" not in text


@pytest.mark.parametrize("name", EXAMPLES)
def test_method_gap_behaviour_works_on_its_indicator(name: str):
    _ruleset, _path, node = EXAMPLES[name]
    how = METHODS[name].gap
    if isinstance(how, Solve):
        regions = how.regions(node, Decimal(0), lambda formula: Fraction(1))
        assert all(isinstance(span, Span) and isinstance(full, bool) for span, full in regions)
        owners = node.items if how.each_item and node.items is not None else (node,)
        assert all(isinstance(getattr(owner, how.parameter), Formula) for owner in owners)
        assert all(isinstance(getattr(node, other), Formula) for other in how.others)
    elif isinstance(how, Toggle):
        assert node.value is not None or node.items
    else:
        assert isinstance(how, Judge)
        assert how.why(node, lambda name: None)
