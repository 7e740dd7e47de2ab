"""`scoring gap RULESET FACTS`: the points to the next grade and what would recover them."""

from __future__ import annotations

import json

from tests.conftest import ROOT
from tests.helpers import invoke

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


def test_gap_of_a_ruleset_that_cannot_be_found_exits_2(tmp_path, monkeypatch):
    (tmp_path / "facts.yaml").write_text(FACTS, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    result = invoke(["gap", "xinfang.nothere@1", "facts.yaml"], exit_code=2)
    assert result.stderr.startswith("no ruleset 'xinfang.nothere@1' on the search path")


def test_gap_of_facts_that_do_not_fit_exits_1(tmp_path, monkeypatch):
    (tmp_path / "facts.yaml").write_text(FACTS.replace("救助人数: 48", "救助人数: -1"), "utf-8")
    monkeypatch.chdir(tmp_path)
    invoke(["gap", str(ROOT / WANGCHENG), "facts.yaml"], exit_code=1)


def test_gap_says_the_grade_is_withheld_instead_of_the_next_grade(tmp_path, monkeypatch):
    ruleset = (
        (ROOT / WANGCHENG)
        .read_text(encoding="utf-8")
        .replace("kind: project\n", "kind: project\nmin_applicable_share: 0.95\n")
    )
    (tmp_path / "rules").mkdir()
    (tmp_path / "rules/mine.yaml").write_text(ruleset.replace("2022.1", "2022.9"), "utf-8")
    (tmp_path / "facts.yaml").write_text(FACTS, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    result = invoke(["gap", "rules/mine.yaml", "facts.yaml"])
    withheld = "适用指标分值仅占总分值的 90.00%，低于规则集要求的 95.00%：不予定级"
    assert result.stdout.splitlines()[:2] == ["总分 89.99", withheld]
    data = json.loads(invoke(["gap", "rules/mine.yaml", "facts.yaml", "--json"]).stdout)
    assert (data["grade"], data["grade_withheld"]) == (None, withheld)
