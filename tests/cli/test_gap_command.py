"""`scoring gap RULESET FACTS`: the points to the next grade and what would recover them."""

from __future__ import annotations

import json

from tests.cli.test_cli import ROOT, invoke

WANGCHENG = "rulesets/xinfang/wangcheng-relief-2022.yaml"
FACTS = """\
facts: {全年预算数: 128, 全年执行数: 76.672, 救助人数: 48, 党组研究每批资金: true, 年内完成拨付: true, 再次上访人数: 1, 纳入常年预算: true}
not_applicable: [satisfaction]
"""


def test_gap_names_the_next_grade_and_the_fact_values_that_reach_it(tmp_path, monkeypatch):
    (tmp_path / "facts.yaml").write_text(FACTS, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    result = invoke(["gap", str(ROOT / WANGCHENG), "facts.yaml"])
    lines = result.stdout.splitlines()
    assert lines[:2] == ["总分 89.99 良", "优 from 90: 0.01 points missing"]
    assert "全年执行数 76.672 →" in result.stdout.replace("\n", " ")


def test_gap_json_lists_each_recovery_with_its_exact_effect(tmp_path, monkeypatch):
    (tmp_path / "facts.yaml").write_text(FACTS, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    data = json.loads(invoke(["gap", str(ROOT / WANGCHENG), "facts.yaml", "--json"]).stdout)
    assert (data["next_grade"], data["missing"]) == ("优", "0.01")
    by_path = {entry["path"]: entry for entry in data["recoveries"]}
    assert by_path["execution"]["fact"] == "全年执行数"
    assert by_path["effect.social.no_repeat_petitions"]["proposed"] == "0"


def test_gap_at_the_top_grade_says_there_is_none_higher():
    result = invoke(
        [
            "gap",
            str(ROOT / WANGCHENG),
            str(ROOT / "examples/xinfang-wangcheng-2022.yaml"),
        ]
    )
    assert result.stdout.splitlines()[:2] == ["总分 100.00 优", "no higher grade to reach"]
