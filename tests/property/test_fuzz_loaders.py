"""The loaders under hostile input: nothing but a ScoringError may come out.

A quick run of the harness in fuzz/fuzz_loaders.py. It uses the same inputs, without the ones
that cost seconds (nesting thousands deep, numbers of 10^9 digits), and runs as many examples per
target as the Hypothesis profile allows, up to 200. The full run's findings are the regression
cases at the end: the fixed ones must stay fixed. The open ones are xfail(strict), so they flip
when fixed. While a finding is open, the properties let that one failure through (the same
exception raised at the same place) and keep checking everything else. Once it is fixed, they
stop letting it through without being told.
"""

from __future__ import annotations

import functools

import pytest
from hypothesis import given

import scoring
from fuzz.fuzz_loaders import Case, cases, execute
from tests.conftest import RULESETS
from tests.strategies import at_most

WANGCHENG = (
    "ruleset: xinfang.wangcheng-relief@2022.1\n"
    "subject: {unit: 长沙市望城区信访局, project: 信访救助资金, year: 2022}\n"
    "facts:\n"
    "  全年预算数: {budget}\n"
    "  全年执行数: 128\n"
    "  救助人数: 48\n"
    "  党组研究每批资金: true\n"
    "  年内完成拨付: true\n"
    "  再次上访人数: 0\n"
    "  纳入常年预算: true\n"
    "not_applicable: [satisfaction]\n"
)


def wangcheng_facts(budget: str, unit: str = "长沙市望城区信访局") -> str:
    """The worked example's facts with 全年预算数 written as ``budget``."""
    return WANGCHENG.replace("{budget}", budget).replace("长沙市望城区信访局", unit)


@functools.cache
def wangcheng_ruleset() -> str:
    """The worked example's ruleset, as shipped."""
    return (RULESETS / "xinfang" / "wangcheng-relief-2022.yaml").read_text(encoding="utf-8")


@functools.cache
def hengnan_ruleset() -> str:
    """A shipped ruleset with a rate fact (unit "%", max 1): 预期目标完成程度."""
    return (RULESETS / "xinfang" / "hengnan-stability-2021.yaml").read_text(encoding="utf-8")


# --- findings of the full run -----------------------------------------------------------------

FIXED = [
    pytest.param(Case("ruleset", ruleset_text="title: \x1f\n"), id="control-character-in-ruleset"),
    pytest.param(
        Case("facts", facts_text=wangcheng_facts('"128\x0b"')), id="control-character-in-facts"
    ),
    pytest.param(
        Case("ruleset", ruleset_text="total: " + "1" * 4301 + "\n"),
        id="integer-of-4301-digits-in-ruleset",
    ),
    pytest.param(
        Case("facts", facts_text=wangcheng_facts("1" * 4301)), id="integer-of-4301-digits-in-facts"
    ),
    pytest.param(
        Case("ruleset", ruleset_text="indicators: " + "[" * 1000 + "\n"),
        id="nesting-1000-deep-in-ruleset",
    ),
    pytest.param(
        Case("facts", facts_text="facts: " + "{a: " * 1000 + "\n"), id="nesting-1000-deep-in-facts"
    ),
    pytest.param(
        Case("facts", facts_text=wangcheng_facts("1.0e+1000000")),
        id="exponent-past-emax-in-facts",
    ),
    pytest.param(
        Case(
            "ruleset",
            ruleset_text=wangcheng_ruleset().replace("points: 5", "points: 1.0e+1000000"),
        ),
        id="exponent-past-emax-in-ruleset",
    ),
    pytest.param(
        Case("score", wangcheng_ruleset(), wangcheng_facts("1.0e-10000000")),
        id="exponent-past-etiny-in-facts",
    ),
]
"""Found by the full run (the last by hand beside it) and fixed: each raised an exception that
is not a ScoringError (ReaderError, ValueError, RecursionError, decimal.Overflow)."""


def tagged_fact(tag: str) -> Case:
    """The worked example's facts, with 全年预算数 written behind an explicit tag."""
    return Case("facts", facts_text=wangcheng_facts(tag))


ESCAPED = [
    pytest.param(tagged_fact("!!int x"), id="tag-int-on-text"),
    pytest.param(tagged_fact("!!int ''"), id="tag-int-on-empty-text"),
    pytest.param(tagged_fact("!!bool x"), id="tag-bool-on-text"),
    pytest.param(tagged_fact("!!timestamp x"), id="tag-timestamp-on-text"),
    pytest.param(tagged_fact("!!timestamp 2022-13-45"), id="tag-timestamp-on-bad-date"),
    pytest.param(tagged_fact("!!seq x"), id="tag-seq-on-text"),
    pytest.param(
        Case("ruleset", ruleset_text=wangcheng_ruleset().replace("points: 5", "points: !!map 5")),
        id="tag-map-on-number-in-ruleset",
    ),
    pytest.param(
        Case("score", hengnan_ruleset(), "facts:\n  预期目标完成程度: 1.0e+1000000\n"),
        id="exponent-past-emax-in-a-rate-fact",
    ),
    pytest.param(
        Case("ruleset", ruleset_text="facts: !!map [a]\n"), id="tag-map-on-list-in-ruleset"
    ),
]
"""Found by the final 10,000-input runs and fixed: an explicit YAML tag on a value it does not
fit (PyYAML's constructors raised ValueError, KeyError, AttributeError …), and a rate fact
written with a huge exponent (decimal.Overflow)."""


EXPANDING = [
    pytest.param(
        Case("ruleset", ruleset_text="description: [1.0e-100000]\n"),
        id="exponent-expanded-in-ruleset-message",
    ),
    pytest.param(
        Case(
            "ruleset",
            ruleset_text=wangcheng_ruleset().replace('version: "2022.1"', "version: 1.0e+100000"),
        ),
        id="exponent-expanded-in-version",
    ),
    pytest.param(
        Case("facts", facts_text=wangcheng_facts("128", unit="1.0e+100000")),
        id="exponent-expanded-in-subject",
    ),
]
"""Found by the full run and fixed: a number written with a huge exponent was expanded to every
digit (format(value, 'f')) in error messages, versions and subjects. With 1.0e±999999999 that
is a gigabyte of text: the harness reported inputs over 2 s, and a MemoryError under its 4 GiB
cap. These cases check the size of what comes out, never the time."""

MAX_OUTPUT = 1000
"""Characters of an error message, version or subject value that a 40-character input may give."""


def output_length(case: Case) -> int:
    """The length of the longest text the loaders give back: the error, or the loaded text."""
    try:
        if case.target == "ruleset":
            assert case.ruleset_text is not None
            ruleset = scoring.parse_ruleset(case.ruleset_text, "r.yaml", scoring.Registry().parent)
            return len(ruleset.version)
        assert case.facts_text is not None
        ruleset = scoring.load_ruleset("xinfang.wangcheng-relief@2022.1")
        facts = scoring.parse_facts(case.facts_text, "f.yaml", ruleset)
        return max(map(len, facts.subject.values()), default=0)
    except scoring.ScoringError as exc:
        return len(str(exc))


def only_scoring_errors(case: Case) -> None:
    """Run the target: any exception other than a ScoringError fails the test."""
    execute(case)


# --- the properties ---------------------------------------------------------------------------


@at_most(200)
@given(cases("ruleset", heavy=False))
def test_parse_ruleset_raises_only_scoring_errors(case: Case):
    only_scoring_errors(case)


@at_most(200)
@given(cases("facts", heavy=False))
def test_parse_facts_raises_only_scoring_errors(case: Case):
    only_scoring_errors(case)


@at_most(200)
@given(cases("score", heavy=False))
def test_parsing_and_scoring_raise_only_scoring_errors(case: Case):
    only_scoring_errors(case)


# --- the findings -----------------------------------------------------------------------------


@pytest.mark.parametrize("case", [*FIXED, *ESCAPED])
def test_finding_raises_only_a_scoring_error(case: Case):
    assert execute(case) not in ("loaded", "scored")  # refused, with a ScoringError


@pytest.mark.parametrize("case", EXPANDING)
def test_a_short_number_does_not_come_out_long(case: Case):
    assert output_length(case) <= MAX_OUTPUT
