"""`scoring diff OLD NEW [--facts DIR] [--json]`: changes, and the impact on scored units."""

from __future__ import annotations

import json

from tests.cli.test_cli import BASE
from tests.helpers import invoke, snapshot

NEW = BASE.replace('version: "1"', 'version: "2"').replace("target: 10", "target: 8")


def write(tmp_path, monkeypatch):
    (tmp_path / "old.yaml").write_text(BASE, encoding="utf-8")
    (tmp_path / "new.yaml").write_text(NEW, encoding="utf-8")
    units = tmp_path / "units"
    units.mkdir()
    (units / "a.yaml").write_text(
        "subject: {unit: 甲局}\nfacts: {预算数: 10, 执行数: 6}\n", encoding="utf-8"
    )
    (units / "b.yaml").write_text("facts: {预算数: 10}\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)


def test_diff_lists_changes_as_a_table(tmp_path, monkeypatch):
    write(tmp_path, monkeypatch)
    result = invoke(["diff", "old.yaml", "new.yaml"])
    assert "t.cli@1 → t.cli@2" in result.stdout
    assert "│ 修改 │ execution │ target │ 10 │ 8  │" in result.stdout


def test_diff_json_has_changes_and_the_impact_of_each_unit(tmp_path, monkeypatch):
    write(tmp_path, monkeypatch)
    before = snapshot(tmp_path)
    data = json.loads(invoke(["diff", "old.yaml", "new.yaml", "--facts", "units", "--json"]).stdout)
    assert data["changes"] == [
        {"area": "indicator", "field": "target", "kind": "changed", "new": "8", "old": "10",
         "path": "execution"}
    ]  # fmt: skip
    first, second = data["impact"]
    assert (first["subject"], first["old_total"], first["new_total"], first["change"]) == (
        "甲局",
        "60.00",
        "69.00",
        "9.00",
    )  # 6/10 × 60 + 24 → 6/8 × 60 + 24
    assert (first["old_grade"], first["new_grade"]) == ("中", "中")
    assert second["old_total"] is None
    assert "执行数: missing" in second["error"]
    assert snapshot(tmp_path) == before  # no input touched


def test_diff_of_identical_rulesets_says_so(tmp_path, monkeypatch):
    write(tmp_path, monkeypatch)
    result = invoke(["diff", "old.yaml", "old.yaml"])
    assert result.stdout.strip() == "t.cli@1 → t.cli@1: no changes"


def test_diff_by_id_picks_versions_from_the_search_path(tmp_path, monkeypatch):
    write(tmp_path, monkeypatch)
    result = invoke(["diff", "t.cli@1", "t.cli", "--rulesets", ".", "--json"])
    assert json.loads(result.stdout)["new"] == "t.cli@2"  # a bare id is the newest


def test_diff_of_an_invalid_ruleset_fails_with_its_position(tmp_path, monkeypatch):
    write(tmp_path, monkeypatch)
    (tmp_path / "new.yaml").write_text(NEW.replace("weight: 40", "weight: 30"), encoding="utf-8")
    result = invoke(["diff", "old.yaml", "new.yaml"], exit_code=1)
    assert "new.yaml:10:3: top-level weights sum to 90, expected the total 100" in result.stderr
