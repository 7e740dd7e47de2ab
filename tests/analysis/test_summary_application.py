"""A batch's summary under a ruleset with a 结果应用 table: each unit's proposal, totals per unit."""

from __future__ import annotations

import json
from decimal import Decimal

from scoring.analysis.batch import score_unit, summary_row
from scoring.analysis.summary import Tally, render_summary_csv, render_summary_json, summarise
from scoring.load.rulesets import load_ruleset
from scoring.load.units import parse_unit
from tests.conftest import RULESETS

FACTS = {
    "全年预算数": 128,
    "全年执行数": 128,
    "党组研究每批资金": True,
    "年内完成拨付": True,
    "纳入常年预算": True,
}


def rows(*units: tuple[str, int, str]):
    ruleset = load_ruleset(RULESETS / "xinfang" / "wangcheng-relief-by-year-2022.yaml")
    found = []
    for index, (bureau, aided, requested) in enumerate(units):
        data = {
            "subject": {"unit": bureau, "project": f"项目{index}", "year": 2022},
            "facts": {
                **FACTS,
                "救助人数": aided,
                "再次上访人数": 0 if aided == 48 else 2,
                "下年度预算申请数": requested,
            },
            "not_applicable": ["satisfaction"],
        }
        found.append(
            summary_row(
                score_unit(
                    parse_unit(json.dumps(data, ensure_ascii=False), f"u{index}.json"), ruleset
                )
            )
        )
    return ruleset, found


def test_each_row_carries_the_proposal_and_each_bureau_its_total():
    ruleset, found = rows(("甲局", 48, "100"), ("乙局", 20, "88.25"), ("乙局", 20, "10.05"))
    assert [(row.grade, row.treatment, row.reduction) for row in found] == [
        ("优", "优先保障", None),
        ("中", "核减", Decimal("8.83")),
        ("中", "核减", Decimal("1.01")),
    ]
    tally = Tally(["优", "良", "中", "差"])
    for row in found:
        tally.add(row)
    assert tally.reduction_lines() == ["proposed reductions (结果应用, advice): 乙局 9.84"]
    summary = summarise(ruleset, found)
    data = json.loads(render_summary_json(summary))
    assert data["reductions"] == {"乙局": "9.84"}
    assert [unit["reduction"] for unit in data["units"]] == [None, "8.83", "1.01"]
    header, first, second, _third = render_summary_csv(summary).lstrip("\ufeff").splitlines()
    assert header.split(",")[6:8] == ["结果应用建议", "建议核减额"]
    assert first.split(",")[6:8] == ["优先保障", ""]
    assert second.split(",")[6:8] == ["核减", "8.83"]


def test_a_ruleset_without_a_table_keeps_its_summary_columns():
    ruleset = load_ruleset(RULESETS / "xinfang" / "wangcheng-relief-2022.yaml")
    summary = summarise(ruleset, [])
    assert "结果应用建议" not in render_summary_csv(summary)
    assert "reductions" not in json.loads(render_summary_json(summary))
