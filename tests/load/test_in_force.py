"""Facts naming only a ruleset's id are scored by the version in force for their year."""

from __future__ import annotations

from pathlib import Path

import pytest

from scoring.errors import FactsError, SearchPathError
from scoring.load.in_force import overlaps, versions
from scoring.load.registry import Registry
from scoring.load.rulesets import load_named_ruleset, load_ruleset
from scoring.load.yaml_source import parse_yaml

RULES = """\
id: t.year
version: "{version}"
title: 测试
kind: project
{effective}
facts:
  预算数: {{label: 全年预算数, unit: 万元, min: 1}}
  执行数: {{label: 全年执行数, unit: 万元, min: 0}}
indicators:
  - {{id: execution, name: 预算执行率, weight: 100, method: ratio, actual: 执行数, target: 预算数}}
"""


def publish(directory: Path, version: str, effective: str = "") -> Path:
    path = directory / f"t-{version}.yaml"
    text = RULES.format(version=version, effective=f"effective: {effective}" if effective else "")
    path.write_text(text, encoding="utf-8")
    return path


def facts(directory: Path, subject: str = "{year: 2022}", ruleset: str = "t.year") -> Path:
    path = directory / "facts.yaml"
    text = f"ruleset: {ruleset}\nsubject: {subject}\nfacts: {{预算数: 10, 执行数: 9}}\n"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def two_years(tmp_path: Path) -> Path:
    publish(tmp_path, "2021.1", "{from: 2021-01-01, to: 2021-12-31}")
    publish(tmp_path, "2022.1", "{from: 2022-01-01}")
    return tmp_path


@pytest.mark.parametrize(
    ("year", "version"), [("2021", "2021.1"), ("2022", "2022.1"), ("2030年", "2022.1")]
)
def test_the_facts_year_chooses_the_version(two_years: Path, year: str, version: str):
    ruleset = load_named_ruleset(facts(two_years, f"{{year: {year}}}"), [two_years])
    assert ruleset.version == version


def test_a_named_version_is_used_whatever_the_year(two_years: Path):
    named = facts(two_years, "{year: 2022}", "t.year@2021.1")
    assert load_named_ruleset(named, [two_years]).version == "2021.1"
    assert load_ruleset("t.year@2021.1", [two_years]).version == "2021.1"


def test_no_version_in_force_lists_every_version_and_its_dates(two_years: Path):
    with pytest.raises(SearchPathError) as caught:
        load_named_ruleset(facts(two_years, "{year: 2020}"), [two_years])
    assert str(caught.value.issues[0]).endswith(
        "facts.yaml:1:10: ruleset: no version of t.year is in force for 2020: 2021.1 (2021-01-01 – "
        "2021-12-31), 2022.1 (from 2022-01-01); name one (ruleset: t.year@VERSION) to score under it"
    )


def test_facts_without_a_year_are_asked_for_one(two_years: Path):
    with pytest.raises(FactsError, match=r"the facts give no year \(subject: year\)"):
        load_named_ruleset(facts(two_years, "{unit: 某局}"), [two_years])


def test_a_year_that_is_not_one_is_placed_at_the_year(two_years: Path):
    with pytest.raises(FactsError) as caught:
        load_named_ruleset(facts(two_years, "{year: 去年}"), [two_years])
    assert ":2:17: year: the facts' year '去年' is not a year like 2022" in str(
        caught.value.issues[0]
    )


def test_without_dates_the_newest_version_is_taken_as_before(tmp_path: Path):
    publish(tmp_path, "2021.1")
    publish(tmp_path, "2022.1")
    assert load_named_ruleset(facts(tmp_path, "{year: 2021}"), [tmp_path]).version == "2022.1"


def test_two_versions_in_force_for_the_year_are_refused_naming_both(tmp_path: Path):
    publish(tmp_path, "2021.1", "{from: 2021-01-01}")
    publish(tmp_path, "2022.1", "{from: 2021-06-01}")
    with pytest.raises(
        SearchPathError, match=r"2 versions of t\.year are in force for 2022: t\.year@2021\.1"
    ):
        load_named_ruleset(facts(tmp_path), [tmp_path])


def test_overlaps_are_placed_at_the_effective_key(tmp_path: Path):
    publish(tmp_path, "2021.1", "{from: 2021-01-01, to: 2021-12-31}")
    path = publish(tmp_path, "2022.1", "{from: 2021-12-31}")
    ruleset = load_ruleset(path, [tmp_path])
    data = parse_yaml(path.read_text(encoding="utf-8"), str(path))
    found = overlaps(ruleset.effective, ruleset.ref, path, data, Registry([tmp_path]))
    assert [(str(issue.location), issue.field) for issue in found] == [(f"{path}:5:1", "effective")]
    assert "t.year@2021.1 (2021-01-01 – 2021-12-31" in found[0].message


def test_the_versions_are_listed_oldest_first(two_years: Path):
    publish(two_years, "2020.1")
    listed = [dated.listed() for dated in versions(Registry([two_years]), "t.year")]
    assert listed == [
        "2020.1 (no dates)",
        "2021.1 (2021-01-01 – 2021-12-31)",
        "2022.1 (from 2022-01-01)",
    ]
