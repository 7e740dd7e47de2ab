"""`scoring score FACTS` with facts naming only a ruleset id: the version in force for their year."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import EXAMPLES, RULESETS
from tests.helpers import invoke

BY_YEAR = "xinfang.wangcheng-relief-by-year"


def facts(tmp_path: Path, year: str, ruleset: str = BY_YEAR) -> Path:
    text = (EXAMPLES / "xinfang-wangcheng-2022.yaml").read_text(encoding="utf-8")
    text = text.replace("ruleset: xinfang.wangcheng-relief@2022.1", f"ruleset: {ruleset}")
    text = text.replace("year: 2022", f"year: {year}").replace("再次上访人数: 0", "再次上访人数: 1")
    path = tmp_path / "facts.yaml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("year", "version", "score"), [("2022", "2022.1", "15.00"), ("2023", "2023.1", "10.00")]
)
def test_the_year_chooses_the_rules_and_stderr_says_which(tmp_path: Path, year, version, score):
    found = invoke(["score", facts(tmp_path, year), "--json"])
    result = json.loads(found.stdout)
    assert result["ruleset"]["version"] == version
    node = result["indicators"][2]["children"][0]["children"][0]
    assert (node["path"], node["score"]) == ("effect.social.no_repeat_petitions", score)
    assert found.stderr.startswith(
        f"note: the facts name only {BY_YEAR}: scored under {BY_YEAR}@{version}, the version in "
        f"force for {year}"
    )
    assert [finding["code"] for finding in result["findings"]][-1] == "in_force"


def test_the_note_is_in_the_language_of_messages(tmp_path: Path):
    found = invoke(["--lang", "zh", "score", facts(tmp_path, "2022"), "--json"])
    assert found.stderr.startswith(f"注：填报文件只注明规则集 {BY_YEAR}：按 2022 年度施行的版本")


def test_old_facts_replay_under_a_named_version_on_request(tmp_path: Path):
    named = facts(tmp_path, "2022")
    found = invoke(["score", f"{BY_YEAR}@2023.1", named, "--json"])
    result = json.loads(found.stdout)
    assert result["ruleset"]["version"] == "2023.1"
    assert found.stderr == (
        f"note: {BY_YEAR}@2023.1 is in force from 2023-01-01, not for 2022: scored under it, "
        "as named\n"
    )
    assert result["findings"][-1]["code"] == "out_of_force"


def test_a_year_with_no_version_in_force_is_refused_with_the_versions_listed(tmp_path: Path):
    found = invoke(["score", facts(tmp_path, "2021")], exit_code=2)
    assert found.stderr.endswith(
        f"ruleset: no version of {BY_YEAR} is in force for 2021: 2022.1 (2022-01-01 – 2022-12-31), "
        f"2023.1 (from 2023-01-01); name one (ruleset: {BY_YEAR}@VERSION) to score under it\n"
    )


def test_facts_naming_the_version_record_no_choice(tmp_path: Path):
    found = invoke(["score", facts(tmp_path, "2022", f"{BY_YEAR}@2022.1"), "--json"])
    assert found.stderr == ""
    assert "in_force" not in found.stdout


def test_lint_finds_the_shipped_versions_consecutive():
    found = invoke(["lint", RULESETS / "xinfang"])
    assert found.stderr.endswith("checked, no problems\n")
