"""`scoring lint`: a folder checked file by file as what each file is, with honest verdicts.

Exit 0 when all is well, 1 when a file has problems, 2 when a file could not be checked.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from scoring.load.registry import SHIPPED_RULESETS
from tests.cli.test_cli import BASE
from tests.conftest import ROOT
from tests.helpers import invoke, stderr_lines

SHIPPED_CHILD = ROOT / "rulesets/xinfang/wangcheng-relief-2022.yaml"
EXAMPLE = ROOT / "examples/xinfang-wangcheng-2022.yaml"
REF = "xinfang.wangcheng-relief@2022.1"
CHILD = """\
id: t.child
version: "1"
title: 子
kind: project
extends: t.cli@1
indicators:
  - {id: execution, target: 20}
"""
PARENT = BASE.replace(
    "expr: 执行数 / 预算数 * 40", "expr: 'min(执行数 / 预算数, 1) * 40 if 预算数 > 0 else 0'"
).replace("min: 0}", "min: 0, max: 1000}")
"""BASE without its warnings (a division by 预算数, unbounded facts): a clean folder lints quietly."""


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A bureau's folder: a parent in a subfolder, a child beside it (.yml), and facts for it."""
    (tmp_path / "lib").mkdir()
    (tmp_path / "lib/parent.yaml").write_text(PARENT, encoding="utf-8")
    (tmp_path / "child.yml").write_text(CHILD, encoding="utf-8")
    facts = "ruleset: t.child@1\nsubject: {unit: 某局}\nfacts: {预算数: 10, 执行数: 5}\n"
    (tmp_path / "facts.yaml").write_text(facts, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_a_folder_resolves_extends_to_its_own_rulesets_and_checks_facts(folder):
    result = invoke(["lint", "."])
    assert stderr_lines(result) == ["3 files checked, no problems"]


def test_facts_against_a_sibling_ruleset_are_checked_for_real(folder):
    (folder / "facts.yaml").write_text(
        "ruleset: t.child@1\nfacts: {预算数: -1, 执行数: 5}\n", encoding="utf-8"
    )
    result = invoke(["lint", "."], exit_code=1)
    assert stderr_lines(result) == [
        "facts.yaml: 1 problem",
        "facts.yaml:2:14: [share] 预算数: -1 is below the declared min 0",
        "1 of 3 files with problems",
    ]


def test_claims_and_results_are_recognised_not_reported_as_broken_rulesets(folder):
    (folder / "claims.yaml").write_text("scores: {execution: 60}\ntotal: 100\n", encoding="utf-8")
    invoke(["score", "facts.yaml", "--rulesets", ".", "--json", "-o", "result.json"])
    (folder / "overrides.yaml").write_text(
        "overrides:\n  execution: {points: 50, reason: 抽查, by: 审计}\n", encoding="utf-8"
    )
    result = invoke(["lint", "."])
    assert stderr_lines(result) == [
        "note: overrides.yaml: an auditor's overrides, skipped: they are checked by scoring score "
        "--overrides overrides.yaml",
        "note: result.json: a result of scoring score, skipped: check it with scoring verify "
        "result.json",
        "4 files checked, no problems, 2 skipped",
    ]


def test_a_claims_file_of_the_wrong_shape_is_a_problem(folder):
    (folder / "claims.yaml").write_text("scores: [60]\ntotal: 100\n", encoding="utf-8")
    result = invoke(["lint", "claims.yaml"], exit_code=1)
    assert stderr_lines(result)[1] == (
        "claims.yaml:1:9: scores: expected indicator paths with the 得分 the report gives"
    )


def test_a_ruleset_whose_parent_is_missing_cannot_be_checked_exit_2(folder):
    (folder / "lib/parent.yaml").unlink()
    result = invoke(["lint", "child.yml"], exit_code=2)
    assert stderr_lines(result)[0] == "child.yml: cannot check"
    assert stderr_lines(result)[1].startswith(
        "child.yml:5:10: extends: no ruleset 't.cli@1' on the search path"
    )
    assert stderr_lines(result)[-1] == "1 of 1 file could not be checked"


def test_found_wanting_wins_over_could_not_check(folder):
    (folder / "lib/parent.yaml").unlink()
    (folder / "bad.yaml").write_text(BASE.replace("weight: 40", "weight: 30"), "utf-8")
    result = invoke(["lint", "child.yml", "bad.yaml"], exit_code=1)
    assert stderr_lines(result)[-1] == "1 of 2 files with problems, 1 could not be checked"


def test_two_different_files_with_one_id_and_version_are_a_problem_naming_both(folder):
    other = PARENT.replace("title: 测试", "title: 另一个测试")
    (folder / "lib/other.yaml").write_text(other, encoding="utf-8")
    result = invoke(["lint", "lib"], exit_code=1)
    assert stderr_lines(result) == [
        "lib/other.yaml: 1 problem",
        "lib/other.yaml:2:10: version: lib/other.yaml and lib/parent.yaml both give t.cli@1, "
        "with different rules: give one of them another version, or remove it",
        "lib/parent.yaml: 1 problem",
        "lib/parent.yaml:2:10: version: lib/parent.yaml and lib/other.yaml both give t.cli@1, "
        "with different rules: give one of them another version, or remove it",
        "2 of 2 files with problems",
    ]


def test_an_identical_copy_is_not_a_duplicate(folder):
    (folder / "lib/copy.yaml").write_text("# the same rules\n" + PARENT, encoding="utf-8")
    invoke(["lint", "lib"])


def test_a_changed_copy_of_a_shipped_ruleset_is_a_problem_unless_shadowing_is_asked_for(
    tmp_path, monkeypatch
):
    text = SHIPPED_CHILD.read_text(encoding="utf-8").replace(
        "title: 2022年度", "title: 本局2022年度"
    )
    (tmp_path / "mine.yaml").write_text(text, "utf-8")
    monkeypatch.chdir(tmp_path)
    result = invoke(["lint", "."], exit_code=1)
    shipped = SHIPPED_RULESETS / "xinfang/wangcheng-relief-2022.yaml"
    assert stderr_lines(result)[1] == (
        f"mine.yaml:6:10: version: mine.yaml gives {REF} different rules from the shipped "
        f"{shipped}: give it a version of its own, or pass --allow-shadow to use it in place of "
        "the shipped one"
    )
    invoke(["lint", ".", "--allow-shadow"])


def test_score_refuses_a_shadowing_directory_and_allow_shadow_records_the_file(
    tmp_path, monkeypatch
):
    (tmp_path / "rules").mkdir()
    changed = SHIPPED_CHILD.read_text(encoding="utf-8").replace("target: 48", "target: 20")
    (tmp_path / "rules/mine.yaml").write_text(changed, "utf-8")
    shutil.copy(EXAMPLE, tmp_path / "facts.yaml")
    monkeypatch.chdir(tmp_path)
    refused = invoke(["score", "facts.yaml", "--rulesets", "rules"], exit_code=2)
    assert refused.stdout == ""
    assert "rules/mine.yaml gives xinfang.wangcheng-relief@2022.1 different rules" in (
        refused.stderr
    )
    allowed = invoke(["score", "facts.yaml", "--rulesets", "rules", "--allow-shadow", "--json"])
    files = json.loads(allowed.stdout)["ruleset"]["files"]
    assert files == ["rules/mine.yaml", "<shipped>/mof/project-self-eval-2020.yaml"]


def test_a_parents_warning_is_printed_once_for_all_its_children(folder):
    (folder / "lib/parent.yaml").write_text(BASE, encoding="utf-8")  # divides by 预算数
    (folder / "child2.yaml").write_text(CHILD.replace("t.child", "t.child2"), "utf-8")
    result = invoke(["lint", "."])
    warnings = [line for line in stderr_lines(result) if line.startswith("warning: ")]
    assert len(warnings) == 2  # the division and the bounds it cannot check, once each
    assert stderr_lines(result)[-1] == "4 files checked, no problems, 2 warnings"


def test_a_folder_with_nothing_to_lint_exits_2(tmp_path, monkeypatch):
    (tmp_path / "notes.txt").write_text("nothing here", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    result = invoke(["lint", "."], exit_code=2)
    assert stderr_lines(result) == ["error: no ruleset, facts, claims or result files in ."]


def test_hidden_folders_are_left_out(folder):
    (folder / ".github").mkdir()
    (folder / ".github/ci.yml").write_text("on: push\n", encoding="utf-8")
    invoke(["lint", "."])
