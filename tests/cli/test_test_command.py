"""`scoring test`: run the worked examples rulesets carry; `scoring lint` runs them too."""

from __future__ import annotations

from tests.cli.test_cli import BASE
from tests.helpers import invoke, stderr_lines

PASSING = """\
tests:
  - name: 全额执行
    facts: {预算数: 10, 执行数: 10}
    expect: {total: 100.00, grade: 优}
"""
FAILING = """\
  - name: 半额执行
    facts: {预算数: 10, 执行数: 5}
    expect: {total: 60, grade: 中, scores: {share: 20}}
"""


def test_passing_examples_exit_0_with_a_count(tmp_path, monkeypatch):
    (tmp_path / "r.yaml").write_text(BASE + PASSING, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    result = invoke(["test", "r.yaml"])
    assert stderr_lines(result) == ["1 test: 1 passed, 0 failed"]


def test_each_failing_expectation_is_listed_and_exit_1(tmp_path, monkeypatch):
    (tmp_path / "r.yaml").write_text(BASE + PASSING + FAILING, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    result = invoke(["test", "."], exit_code=1)
    assert stderr_lines(result) == [
        "r.yaml:25:5: test '半额执行': total 50.00, expected 60",
        "r.yaml:25:5: test '半额执行': grade 差, expected 中",
        "2 tests: 1 passed, 1 failed",
    ]


def test_a_ruleset_without_examples_is_named(tmp_path, monkeypatch):
    (tmp_path / "r.yaml").write_text(BASE, encoding="utf-8")
    (tmp_path / "facts.yaml").write_text("facts: {预算数: 1}\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    result = invoke(["test", "."])
    assert stderr_lines(result) == ["warning: r.yaml: no tests", "0 tests: 0 passed, 0 failed"]


def test_lint_fails_a_ruleset_whose_examples_fail(tmp_path, monkeypatch):
    (tmp_path / "r.yaml").write_text(BASE + PASSING + FAILING, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    result = invoke(["lint", "r.yaml"], exit_code=1)
    assert "r.yaml:25:5: test '半额执行': total 50.00, expected 60" in stderr_lines(result)


def test_an_invalid_ruleset_is_reported_not_tested(tmp_path, monkeypatch):
    (tmp_path / "r.yaml").write_text(BASE.replace("weight: 40", "weight: 30"), encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    result = invoke(["test", "r.yaml"], exit_code=1)
    assert "top-level weights sum to 90, expected the total 100" in result.stderr


MISSING_PARENT = """\
id: t.orphan
version: "1"
title: 孤
kind: project
extends: t.nothere@1
indicators: []
"""


def test_a_ruleset_whose_parent_is_missing_cannot_be_run_exit_2(tmp_path, monkeypatch):
    (tmp_path / "r.yaml").write_text(BASE + PASSING, encoding="utf-8")
    (tmp_path / "orphan.yaml").write_text(MISSING_PARENT, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    result = invoke(["test", "."], exit_code=2)
    lines = stderr_lines(result)
    assert lines[0] == "orphan.yaml: cannot run its worked examples"
    assert lines[1].startswith("orphan.yaml:5:10: extends: no ruleset 't.nothere@1'")
    assert lines[-1] == "1 test: 1 passed, 0 failed; 1 ruleset could not be checked"


def test_an_invalid_ruleset_does_not_stop_the_others(tmp_path, monkeypatch):
    (tmp_path / "a.yaml").write_text(BASE.replace("weight: 40", "weight: 30"), encoding="utf-8")
    (tmp_path / "b.yaml").write_text(BASE.replace("t.cli", "t.b") + PASSING, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    result = invoke(["test", "."], exit_code=1)
    assert (
        stderr_lines(result)[-1] == "1 test: 1 passed, 0 failed; 1 ruleset with problems, not run"
    )


def test_a_parent_beside_the_ruleset_is_found(tmp_path, monkeypatch):
    child = "id: t.child\nversion: '1'\ntitle: 子\nkind: project\nextends: t.cli@1\n"
    (tmp_path / "lib").mkdir()
    (tmp_path / "lib/parent.yml").write_text(BASE, encoding="utf-8")
    (tmp_path / "child.yaml").write_text(child + PASSING, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    result = invoke(["test", "."])
    assert stderr_lines(result) == [
        "warning: lib/parent.yml: no tests",
        "1 test: 1 passed, 0 failed",
    ]


def test_nothing_to_run_exits_2(tmp_path, monkeypatch):
    (tmp_path / "facts.yaml").write_text("facts: {预算数: 1}\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    result = invoke(["test", "."], exit_code=2)
    assert stderr_lines(result) == ["error: no rulesets in ."]
