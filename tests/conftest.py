"""Shared fixtures, Hypothesis profiles and the --update-golden option."""

from __future__ import annotations

import os
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

from scoring import i18n
from scoring.load.facts import parse_facts
from scoring.load.registry import Registry
from scoring.load.rulesets import parse_ruleset
from scoring.model.facts import Facts
from scoring.model.ruleset import Ruleset

ROOT = Path(__file__).resolve().parent.parent
RULESETS = ROOT / "rulesets"
EXAMPLES = ROOT / "examples"
REVIEW_RULESETS = RULESETS / "review"
"""The shipped review rulesets (kind: review): scoring review's, never scored."""
SCORING_RULESET_FILES = sorted(
    path for path in RULESETS.rglob("*.yaml") if REVIEW_RULESETS not in path.parents
)
"""The shipped scoring rulesets."""

settings.register_profile("dev", max_examples=50, deadline=None)  # no timed assertions
settings.register_profile(
    "ci",
    max_examples=300,
    derandomize=True,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci" if os.environ.get("CI") else "dev"))


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--update-golden", action="store_true", help="rewrite the golden files")


@pytest.fixture
def update_golden(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--update-golden"))


@pytest.fixture(autouse=True)
def english(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every test in English, whatever the developer's locale, unless it asks for Chinese.

    SCORING_LANG=en comes before the locale variables, for the command line in-process and for
    every command a test runs in a subprocess.
    """
    monkeypatch.setenv(i18n.LANGUAGE_VARIABLE, "en")
    i18n.set_language("en")


@pytest.fixture
def chinese(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Messages in Chinese during the test (the command line's too), English afterwards."""
    monkeypatch.setenv(i18n.LANGUAGE_VARIABLE, "zh")
    before = i18n.language()
    i18n.set_language("zh")
    yield
    i18n.set_language(before)


def ruleset_from(text: str, filename: str = "t.yaml", *, search: bool = False) -> Ruleset:
    """A ruleset from dedented YAML text (with the shipped rulesets as parents when asked)."""
    parents = Registry().parent if search else None
    return parse_ruleset(textwrap.dedent(text), filename, parents)


def facts_from(text: str, ruleset: Ruleset, filename: str = "f.yaml") -> Facts:
    return parse_facts(textwrap.dedent(text), filename, ruleset)


MINIMAL = """\
id: test.minimal
version: "1"
title: 测试
kind: project
grades: {优: 90, 良: 80, 中: 60, 差: 0}
facts:
  预算数: {label: 全年预算数, unit: 万元, min: 0}
  执行数: {label: 全年执行数, unit: 万元, min: 0}
indicators:
  - id: execution
    name: 预算执行率
    weight: 100
    method: ratio
    actual: 执行数
    target: 预算数
"""


@pytest.fixture
def minimal_ruleset() -> Ruleset:
    return ruleset_from(MINIMAL)
