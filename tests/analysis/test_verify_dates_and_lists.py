"""verify: a result holding date and list facts re-scores to the same bytes; an edit is caught."""

from __future__ import annotations

import json

from scoring.analysis.verify import Verdict, verify_result
from scoring.engine.score import score
from scoring.load.facts import load_facts
from scoring.load.rulesets import load_ruleset
from scoring.render import render_json
from tests.conftest import EXAMPLES, RULESETS

RULESET = load_ruleset(RULESETS / "illustrative" / "project-timeliness-2022.yaml")


def _result() -> str:
    facts = load_facts(EXAMPLES / "project-timeliness-2022.yaml", RULESET)
    return render_json(score(RULESET, facts))


def test_a_result_with_dates_and_lists_agrees():
    text = _result()
    recorded = json.loads(text)["facts"]["facts"]
    assert (recorded["完成时间"], recorded["附件"]) == (
        "2023-01-02",
        ["绩效自评表", "绩效自评报告", "项目验收报告"],
    )
    assert verify_result(text, "r.json", lambda ref: RULESET).verdict == Verdict.AGREES


def test_an_item_added_to_a_recorded_list_is_caught():
    data = json.loads(_result())
    data["facts"]["facts"]["附件"].append("资金拨付凭证")
    found = verify_result(json.dumps(data, ensure_ascii=False), "r.json", lambda ref: RULESET)
    assert found.verdict != Verdict.AGREES
    paths = {difference.path for difference in found.differences}
    assert "process.files.attachments" in paths
