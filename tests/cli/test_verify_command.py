"""`scoring verify`: three verdicts with their exit codes, every edit caught, claims for the right unit."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from tests.conftest import ROOT
from tests.helpers import invoke

RULESET = "rulesets/xinfang/wangcheng-relief-2022.yaml"
EXAMPLE = ROOT / "examples/xinfang-wangcheng-2022.yaml"
VERDICT = "长沙市望城区信访局 信访救助资金 2022 under xinfang.wangcheng-relief@2022.1"
ORIGIN = "note: checked for consistency, not origin"


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
    lines = result.stdout.splitlines()
    assert lines[0] == f"result.json: {VERDICT}: agrees"
    assert lines[1].startswith(ORIGIN)  # no trusted signature: consistency only, said plainly
    assert result.stderr == ""


def test_a_result_verifies_from_another_directory_and_another_path_to_its_rulesets(
    scored, monkeypatch
):
    invoke(["score", "facts.yaml", "--rulesets", "rules", "--json", "-o", "by-dir.json"])
    assert json.loads((scored / "by-dir.json").read_text(encoding="utf-8"))["ruleset"]["files"][
        0
    ] == str(Path("rules") / "wangcheng.yaml")
    (scored / "elsewhere").mkdir()
    monkeypatch.chdir(scored / "elsewhere")
    for rulesets in ("../rules", str(scored / "rules")):
        for result in ("../by-dir.json", "../result.json"):
            out = invoke(["verify", result, "--rulesets", rulesets]).stdout
            assert out.splitlines()[0] == f"{result}: {VERDICT}: agrees"


def test_a_form_in_progress_scored_with_partial_verifies(scored):
    text = EXAMPLE.read_text(encoding="utf-8").replace("全年执行数: 128 ", "全年执行数:     ")
    (scored / "form.yaml").write_text(text, encoding="utf-8")
    invoke(["score", "rules/wangcheng.yaml", "form.yaml", "--partial", "--json", "-o", "p.json"])
    assert json.loads((scored / "p.json").read_text(encoding="utf-8"))["partial"] is True
    result = invoke(["verify", "p.json", "--rulesets", "rules"])
    assert result.stdout.splitlines()[0] == f"p.json: {VERDICT}: agrees"
    edit(scored / "p.json", lambda data: data.update(partial=False))
    refused = invoke(["verify", "p.json", "--rulesets", "rules"], exit_code=1)
    assert "[execution] 全年执行数: missing" in refused.stderr


def test_a_changed_score_is_caught_with_the_node_named(scored):
    def change(data):
        data["indicators"][1]["children"][0]["children"][0]["score"] = "19.00"

    edit(scored / "result.json", change)
    result = invoke(["verify", "result.json", "--rulesets", "rules"], exit_code=1)
    assert f"{VERDICT}: does not agree" in result.stdout
    assert "output.quantity.aided" in result.stdout
    assert "19.00" in result.stdout
    assert "20.00" in result.stdout
    assert ORIGIN not in result.stdout


def test_a_result_relabelled_as_another_unit_names_the_unit_its_facts_are_for(scored):
    edit(scored / "result.json", lambda data: data["subject"].update(unit="别的县信访局"))
    result = invoke(["verify", "result.json", "--rulesets", "rules"], exit_code=1)
    assert result.stdout.splitlines()[0] == f"result.json: {VERDICT}: does not agree"
    assert "subject.unit" in result.stdout
    assert "别的县信访局" in result.stdout


def test_a_one_digit_change_in_a_fact_is_caught_by_the_facts_fingerprint(scored):
    def change(data):
        data["facts"]["facts"]["救助人数"] = "47"

    edit(scored / "result.json", change)
    result = invoke(["verify", "result.json", "--rulesets", "rules"], exit_code=1)
    assert "the facts in the result were changed after scoring" in result.stdout
    assert result.stdout.count("facts_fingerprint") == 1  # said once, not again as a row
    assert "output.quantity.aided" in result.stdout  # 47 / 48 no longer gives 20.00


@pytest.mark.parametrize(
    ("change", "stderr"),
    [
        pytest.param(
            lambda data: data["facts"]["facts"].update(救助人数="48.5"),
            "[output.quantity.aided] 救助人数: expected a whole number, found 48.5",
            id="a_whole_number_with_a_fraction",
        ),
        pytest.param(
            lambda data: data.update(facts="x"),
            "facts: expected a mapping of keys, found the text 'x'",
            id="facts_not_a_mapping",
        ),
        pytest.param(
            lambda data: data.update(indicators={}),
            "indicators: expected a list, found {}",
            id="indicators_not_a_list",
        ),
    ],
)
def test_a_malformed_result_is_located_on_stderr_and_does_not_agree(scored, change, stderr):
    edit(scored / "result.json", change)
    result = invoke(["verify", "result.json", "--rulesets", "rules"], exit_code=1)
    assert result.stdout == ""
    assert result.stderr.startswith("result.json:1:")  # written on one line by edit()
    assert result.stderr.rstrip("\n").endswith(stderr)


@pytest.mark.parametrize(
    ("old", "new", "reason"),
    [
        pytest.param(
            "            target: 48\n",
            "            target: 49\n",
            "is not the one this result was scored under",
            id="a_target",
        ),
        pytest.param(
            "            points: 5\n",
            "            points: 6\n",
            "is not the one this result was scored under",
            id="a_deduction_unused_by_these_facts",
        ),
        pytest.param(
            "      - id: quality\n        weight: 10\n",
            "      - id: quality\n        weight: 11\n",
            "children's weights sum to",
            id="a_weight_that_breaks_the_ruleset",
        ),
    ],
)
def test_a_ruleset_edited_after_scoring_cannot_check_the_result(scored, old, new, reason):
    rules = scored / "rules/wangcheng.yaml"
    text = rules.read_text(encoding="utf-8")
    assert old in text
    rules.write_text(text.replace(old, new), encoding="utf-8")
    result = invoke(["verify", "result.json", "--rulesets", "rules", "--allow-shadow"], exit_code=2)
    assert result.stdout.splitlines()[0] == f"result.json: {VERDICT}: cannot be checked"
    assert reason in result.stdout
    assert "does not agree" not in result.stdout


def test_a_missing_ruleset_cannot_be_checked_instead_of_not_agreeing(scored):
    edit(scored / "result.json", lambda data: data["ruleset"].update(id="xinfang.nowhere"))
    result = invoke(["verify", "result.json"], exit_code=2)
    assert "cannot be checked" in result.stdout
    assert "no ruleset 'xinfang.nowhere@2022.1' on the search path" in result.stdout


@pytest.fixture
def folder(scored):
    """results/: one that agrees, one edited, one whose ruleset is missing, one not a result."""
    results = scored / "results"
    results.mkdir()
    for name in ("a", "b", "c", "d"):
        shutil.copy(scored / "result.json", results / f"{name}.json")
    edit(results / "b.json", lambda data: data.update(total="99.00"))
    edit(results / "c.json", lambda data: data["ruleset"].update(version="2099.1"))
    (results / "d.json").write_text("[1, 2", encoding="utf-8")
    return results


def test_a_folder_counts_all_three_verdicts_and_exits_1_on_any_disagreement(folder):
    result = invoke(["verify", "results", "--rulesets", "rules"], exit_code=1)
    assert result.stderr.splitlines()[-1] == (
        "4 results: 1 agrees, 2 do not agree, 1 cannot be checked"
    )
    assert "results/d.json:1:6: JSON: expected ',' or ']' after a value" in result.stderr
    out = result.stdout
    assert f"results/a.json: {VERDICT}: agrees" in out
    assert f"results/b.json: {VERDICT}: does not agree" in out
    assert "results/c.json:" in out
    assert ": cannot be checked" in out
    assert "总分" in out


def test_a_folder_that_only_cannot_be_checked_exits_2(folder):
    for name in ("b", "d"):
        (folder / f"{name}.json").unlink()
    result = invoke(["verify", "results", "--rulesets", "rules"], exit_code=2)
    assert result.stderr.splitlines()[-1] == (
        "2 results: 1 agrees, 0 do not agree, 1 cannot be checked"
    )


def test_a_result_that_cannot_be_read_cannot_be_checked(scored):
    (scored / "results").mkdir()
    (scored / "results/unreadable.json").mkdir()  # a directory named like a result
    result = invoke(["verify", "results"], exit_code=2)
    assert "results/unreadable.json: cannot be checked" in result.stdout
    assert "cannot read results/unreadable.json: Is a directory" in result.stdout


def test_a_folder_without_results_is_a_usage_error(scored):
    (scored / "empty").mkdir()
    result = invoke(["verify", "empty"], exit_code=2)
    assert result.stderr == "error: no result files (*.json) in empty\n"


def test_a_file_that_is_not_a_result_is_reported(scored):
    (scored / "x.json").write_text("{}", encoding="utf-8")
    result = invoke(["verify", "x.json"], exit_code=1)
    lines = result.stderr.splitlines()
    assert lines[0] == "x.json: 14 problems"
    assert "x.json:1:1: total: missing" in lines


CLAIMS = """\
# 望城区信访局 2022 自评表, as typed from the Word report
subject: {unit: 长沙市望城区信访局, year: 2022}
scores:
  execution: 10
  output.quantity.aided: 20
  output.quality: 10
total: 100
grade: 优
"""
CLAIMED = ["verify", "--claimed", "claims.yaml", "rules/wangcheng.yaml", "facts.yaml"]


def test_claimed_figures_that_follow_from_the_rules_agree(scored):
    (scored / "claims.yaml").write_text(CLAIMS, encoding="utf-8")
    result = invoke(CLAIMED)
    assert (
        result.stdout
        == "claims.yaml: 长沙市望城区信访局 信访救助资金 2022 under xinfang.wangcheng-relief@2022.1: agrees\n"
    )


def test_claimed_figures_that_do_not_follow_are_listed_with_the_rule(scored):
    claims = CLAIMS.replace("execution: 10", "execution: 9.5").replace("total: 100", "total: 98")
    (scored / "claims.yaml").write_text(claims, encoding="utf-8")
    result = invoke(CLAIMED, exit_code=1)
    out = result.stdout
    assert "execution 预算执行率" in out
    assert "128 / 128 = 100.00%" in out  # the rule that decides it
    assert "总分" in out
    assert "90.00 / 90 × 100" in out


def test_claims_for_another_unit_are_refused_naming_both(scored):
    claims = CLAIMS.replace(
        "unit: 长沙市望城区信访局, year: 2022", "unit: 衡南县信访局, year: 2022"
    )
    (scored / "claims.yaml").write_text(claims, encoding="utf-8")
    result = invoke(CLAIMED, exit_code=1)
    assert result.stdout == ""
    assert result.stderr == (
        "claims.yaml:2:17: subject: these claims are for 衡南县信访局 2022, but the facts in "
        "facts.yaml are for 长沙市望城区信访局 信访救助资金 2022\n"
    )


def test_claims_that_name_no_subject_say_so(scored):
    (scored / "claims.yaml").write_text(CLAIMS.replace("subject:", "# subject:"), encoding="utf-8")
    result = invoke(CLAIMED)
    assert "  · the claims name no subject" in result.stdout


def test_claims_against_a_missing_ruleset_cannot_be_checked(scored):
    (scored / "claims.yaml").write_text(CLAIMS, encoding="utf-8")
    args = ["verify", "--claimed", "claims.yaml", "xinfang.nowhere@1", "facts.yaml"]
    result = invoke(args, exit_code=2)
    assert result.stdout.startswith(
        "claims.yaml: cannot be checked\n  ! no ruleset 'xinfang.nowhere@1'"
    )


def test_claims_with_an_unknown_key_are_refused_with_its_position(scored):
    (scored / "claims.yaml").write_text("scores: {}\ntotl: 100\n", encoding="utf-8")
    result = invoke(CLAIMED, exit_code=1)
    assert "claims.yaml:2:1: totl: unknown key (did you mean 'total'?)" in result.stderr


def test_claimed_mode_takes_facts_and_perhaps_their_ruleset(scored):
    args = ["verify", "--claimed", "claims.yaml", "rules/wangcheng.yaml", "facts.yaml", "more"]
    result = invoke(args, exit_code=2)
    assert "Usage: scoring verify --claimed CLAIMS.yaml [RULESET] FACTS" in result.stderr


def test_a_one_digit_change_in_a_band_is_not_taken_for_the_rules_scored(tmp_path, monkeypatch):
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
    result = invoke(["verify", "result.json", "--rulesets", "rules", "--allow-shadow"], exit_code=2)
    assert "is not the one this result was scored under" in result.stdout
    assert "rules/evaluation.yaml" in result.stdout


# --- signatures -----------------------------------------------------------------------------


@pytest.fixture
def keys(scored):
    invoke(["keys", "new", "望城区财政局", "-d", "keys"])
    invoke(["keys", "new", "审计局", "-d", "keys"])
    return scored / "keys"


def test_a_signed_result_says_who_signed_it(keys):
    invoke(
        [
            "score",
            "rules/wangcheng.yaml",
            "facts.yaml",
            "--json",
            "--sign",
            "keys/望城区财政局.key",
            "-o",
            "signed.json",
        ]
    )
    result = invoke(
        ["verify", "signed.json", "--rulesets", "rules", "--trust", "keys/望城区财政局.pub"]
    )
    assert result.stdout == f"signed.json: {VERDICT}: agrees, signed by 望城区财政局\n"


def test_a_signed_result_edited_and_made_consistent_again_is_refused(keys, scored):
    invoke(
        [
            "score",
            "rules/wangcheng.yaml",
            "facts.yaml",
            "--json",
            "--sign",
            "keys/望城区财政局.key",
            "-o",
            "signed.json",
        ]
    )
    signatures = json.loads((scored / "signed.json").read_text(encoding="utf-8"))["signatures"]
    facts = (scored / "facts.yaml").read_text(encoding="utf-8")
    (scored / "better.yaml").write_text(
        facts.replace("再次上访人数: 0", "再次上访人数: 0 "), encoding="utf-8"
    )
    (scored / "facts.yaml").write_text(
        facts.replace("救助人数: 48", "救助人数: 50"), encoding="utf-8"
    )
    invoke(["score", "rules/wangcheng.yaml", "facts.yaml", "--json", "-o", "forged.json"])
    edit(scored / "forged.json", lambda data: data.update(signatures=signatures))
    unsigned = invoke(["verify", "forged.json", "--rulesets", "rules"])
    assert "agrees" in unsigned.stdout  # consistent: without a trusted key, nothing tells
    result = invoke(
        ["verify", "forged.json", "--rulesets", "rules", "--trust", "keys/望城区财政局.pub"],
        exit_code=1,
    )
    assert result.stdout == (
        f"forged.json: {VERDICT}: does not agree\n"
        "  ! the signature of 望城区财政局 does not match: the result was changed after "
        "望城区财政局 signed it\n"
    )


def test_with_trust_an_unsigned_result_does_not_agree(keys):
    result = invoke(
        ["verify", "result.json", "--rulesets", "rules", "--trust", "keys/审计局.pub"], exit_code=1
    )
    assert "  ! not signed by a trusted key (审计局)" in result.stdout


def test_verify_sign_countersigns_what_agrees_into_another_folder(keys, folder):
    before = {path.name: path.read_bytes() for path in folder.iterdir()}
    args = [
        "verify",
        "results",
        "--rulesets",
        "rules",
        "--sign",
        "keys/审计局.key",
        "--signed-to",
        "signed",
    ]
    result = invoke(args, exit_code=1)
    assert "wrote signed/a.json" in result.stderr
    assert sorted(path.name for path in (folder.parent / "signed").iterdir()) == ["a.json"]
    assert {path.name: path.read_bytes() for path in folder.iterdir()} == before
    checked = invoke(
        ["verify", "signed/a.json", "--rulesets", "rules", "--trust", "keys/审计局.pub"]
    )
    assert checked.stdout == f"signed/a.json: {VERDICT}: agrees, signed by 审计局\n"


@pytest.mark.parametrize(
    ("args", "stderr"),
    [
        (["--sign", "keys/审计局.key"], "error: --sign and --signed-to go together"),
        (
            ["--sign", "keys/审计局.key", "--signed-to", "."],
            "error: --signed-to . holds the results given",
        ),
        (
            ["--trust", "keys/审计局.key"],
            "error: keys/审计局.key is a private key: --trust takes the public key",
        ),
        (
            ["--trust", "keys/nobody.pub"],
            "error: cannot read keys/nobody.pub: No such file or directory",
        ),
        (
            ["--sign", "keys/审计局.pub", "--signed-to", "out"],
            "error: keys/审计局.pub is a public key",
        ),
    ],
)
def test_a_wrong_key_option_is_a_usage_error(keys, args, stderr):
    result = invoke(["verify", "result.json", "--rulesets", "rules", *args], exit_code=2)
    assert result.stderr.startswith(stderr)


def test_edited_values_are_printed_as_data_never_as_markup(scored):
    edit(
        scored / "result.json",
        lambda data: data["subject"].update(unit="[/bold][link=http://x]点我"),
    )
    result = invoke(["verify", "result.json", "--rulesets", "rules"], exit_code=1)
    assert "[/bold][link=http://x]点我" in result.stdout
