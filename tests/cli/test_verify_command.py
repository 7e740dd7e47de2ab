"""`scoring verify`: a result re-scored after a round trip through JSON, and every edit caught."""

from __future__ import annotations

import json
import shutil

import pytest

from tests.cli.test_cli import ROOT, invoke

RULESET = "rulesets/xinfang/wangcheng-relief-2022.yaml"
EXAMPLE = ROOT / "examples/xinfang-wangcheng-2022.yaml"


@pytest.fixture
def scored(tmp_path, monkeypatch):
    """A rulesets directory holding a copy of the ruleset, a facts file and its result."""
    rulesets = tmp_path / "rules"
    rulesets.mkdir()
    shutil.copy(ROOT / RULESET, rulesets / "wangcheng.yaml")
    shutil.copy(EXAMPLE, tmp_path / "facts.yaml")
    monkeypatch.chdir(tmp_path)
    invoke(["score", "rules/wangcheng.yaml", "facts.yaml", "--json", "-o", "result.json"])
    return tmp_path


def edit(path, change):
    data = json.loads(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")


def test_a_result_verifies_after_a_round_trip_through_json(scored):
    result = invoke(["verify", "result.json", "--rulesets", "rules"])
    assert result.stdout.splitlines()[-1].endswith(
        "长沙市望城区信访局 信访救助资金 2022 under xinfang.wangcheng-relief@2022.1: agrees"
    )


def test_a_changed_score_is_caught_with_the_node_named(scored):
    def change(data):
        data["indicators"][1]["children"][0]["children"][0]["score"] = "19.00"

    edit(scored / "result.json", change)
    result = invoke(["verify", "result.json", "--rulesets", "rules"], exit_code=1)
    assert "does not agree" in result.stdout
    assert "output.quantity.aided" in result.stdout
    assert "19.00" in result.stdout
    assert "20.00" in result.stdout


def test_a_one_digit_change_in_a_fact_is_caught_by_the_facts_fingerprint(scored):
    def change(data):
        data["facts"]["facts"]["救助人数"] = "47"

    edit(scored / "result.json", change)
    result = invoke(["verify", "result.json", "--rulesets", "rules"], exit_code=1)
    assert "the facts in the result were changed after scoring" in result.stdout
    assert "output.quantity.aided" in result.stdout  # 47 / 48 no longer gives 20.00


@pytest.mark.parametrize(
    ("old", "new", "node"),
    [
        pytest.param(
            "            target: 48\n",
            "            target: 49\n",
            "output.quantity.aided",
            id="a_target",
        ),
        pytest.param(
            "            points: 5\n",
            "            points: 6\n",
            None,
            id="a_deduction_unused_by_these_facts",
        ),
        pytest.param(
            "      - id: quality\n        weight: 10\n",
            "      - id: quality\n        weight: 11\n",
            None,
            id="a_weight",
        ),
    ],
)
def test_a_ruleset_edited_after_scoring_is_detected_by_its_fingerprint(scored, old, new, node):
    rules = scored / "rules/wangcheng.yaml"
    text = rules.read_text(encoding="utf-8")
    assert old in text
    rules.write_text(text.replace(old, new), encoding="utf-8")
    result = invoke(["verify", "result.json", "--rulesets", "rules"], exit_code=1)
    if "weight: 11" in new:  # the weights no longer add up: the edit is refused outright
        assert "children's weights sum to" in result.stdout
        return
    assert (
        "the ruleset was changed after scoring: xinfang.wangcheng-relief@2022.1 has fingerprint"
        in result.stdout
    )
    if node is not None:
        assert node in result.stdout


def test_a_folder_of_results_is_summarised(scored):
    (scored / "results").mkdir()
    shutil.copy(scored / "result.json", scored / "results/a.json")
    shutil.copy(scored / "result.json", scored / "results/b.json")
    edit(scored / "results/b.json", lambda data: data.update(total="99.00"))
    result = invoke(["verify", "results", "--rulesets", "rules"], exit_code=1)
    assert result.stderr.splitlines()[-1] == "2 results: 1 agree, 1 do not"
    assert "总分" in result.stdout


def test_a_file_that_is_not_a_result_is_reported(scored):
    (scored / "x.json").write_text("{}", encoding="utf-8")
    result = invoke(["verify", "x.json"], exit_code=1)
    assert "not a result written by scoring score --json" in result.stdout


CLAIMS = """\
# 望城区信访局 2022 自评表, as typed from the Word report
scores:
  execution: 10
  output.quantity.aided: 20
  output.quality: 10
total: 100
grade: 优
"""


def test_claimed_figures_that_follow_from_the_rules_agree(scored):
    (scored / "claims.yaml").write_text(CLAIMS, encoding="utf-8")
    result = invoke(["verify", "--claimed", "claims.yaml", "rules/wangcheng.yaml", "facts.yaml"])
    assert result.stdout.strip().endswith("agrees")


def test_claimed_figures_that_do_not_follow_are_listed_with_the_rule(scored):
    claims = CLAIMS.replace("execution: 10", "execution: 9.5").replace("total: 100", "total: 98")
    (scored / "claims.yaml").write_text(claims, encoding="utf-8")
    result = invoke(
        ["verify", "--claimed", "claims.yaml", "rules/wangcheng.yaml", "facts.yaml"], exit_code=1
    )
    out = result.stdout
    assert "execution 预算执行率" in out
    assert "128 / 128 = 100.00%" in out  # the rule that decides it
    assert "总分" in out
    assert "90.00 / 90 × 100" in out


def test_claims_with_an_unknown_key_are_refused_with_its_position(scored):
    (scored / "claims.yaml").write_text("scores: {}\ntotl: 100\n", encoding="utf-8")
    result = invoke(
        ["verify", "--claimed", "claims.yaml", "rules/wangcheng.yaml", "facts.yaml"], exit_code=1
    )
    assert "claims.yaml:2:1: totl: unknown key (did you mean 'total'?)" in result.stderr


def test_claimed_mode_takes_facts_and_perhaps_their_ruleset(scored):
    args = ["verify", "--claimed", "claims.yaml", "rules/wangcheng.yaml", "facts.yaml", "more"]
    result = invoke(args, exit_code=2)
    assert "Usage: scoring verify --claimed CLAIMS.yaml [RULESET] FACTS" in result.stderr


def test_a_one_digit_change_in_a_band_is_caught_with_the_node_named(tmp_path, monkeypatch):
    from scoring import load_ruleset

    source = ROOT / "rulesets/illustrative/project-evaluation-2020.yaml"
    example = next(test for test in load_ruleset(source).tests if test.expect.total == 90)
    rules = tmp_path / "rules"
    rules.mkdir()
    shutil.copy(source, rules / "evaluation.yaml")
    facts = json.dumps({"facts": example.facts}, ensure_ascii=False, default=str)  # JSON is YAML
    (tmp_path / "facts.yaml").write_text(facts, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    invoke(["score", "rules/evaluation.yaml", "facts.yaml", "--json", "-o", "result.json"])
    text = (rules / "evaluation.yaml").read_text(encoding="utf-8")
    band = "- {at_least: 0.9, below: 1, score: 3}"
    assert band in text
    (rules / "evaluation.yaml").write_text(
        text.replace(band, "- {at_least: 0.91, below: 1, score: 3}"), encoding="utf-8"
    )
    result = invoke(["verify", "result.json", "--rulesets", "rules"], exit_code=1)
    out = result.stdout
    assert "the ruleset was changed after scoring" in out
    assert "process.funds_management.funds_in_place_rate" in out  # 3.00 claimed, now 0.00
