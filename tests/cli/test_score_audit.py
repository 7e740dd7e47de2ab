"""`scoring score FACTS --audit AUDIT_RULESET`: an audit ruleset's rules as the audit layer.

The shipped example (examples/audit/) audits 望城区信访局 2022: its 自评 100.00 优 becomes 77.78
中 once the target that differs from the approved table scores 0; every format shows 自评得分
beside 审核得分 and the rule's id and words as the reason. `scoring test` and `scoring lint` run
the audit ruleset's worked examples.
"""

from __future__ import annotations

import json
import shutil

from tests.conftest import EXAMPLES
from tests.helpers import FACTS as WANGCHENG
from tests.helpers import invoke

AUDIT = EXAMPLES / "audit" / "wangcheng-relief-2022-audit.yaml"


def test_the_audit_layer_changes_the_grade_with_each_rule_named():
    result = json.loads(invoke(["score", WANGCHENG, "--audit", AUDIT, "--json"]).stdout)
    assert (result["self_total"], result["self_grade"]) == ("100.00", "优")
    assert (result["total"], result["grade"]) == ("77.78", "中")
    leaves = {
        leaf["path"]: leaf
        for group in result["indicators"]
        for leaf in [
            group,
            *group["children"],
            *(c for b in group["children"] for c in b["children"]),
        ]
    }
    aided = leaves["output.quantity.aided"]
    assert (aided["self_score"], aided["score"]) == ("20.00", "0.00")
    [override] = aided["overrides"]
    assert override["layer"] == "audit"
    assert override["by"] == "复核"
    assert override["reason"] == (
        "复核规则 approved_targets（指标值须与批复的绩效目标一致，不一致的不得分）："
        "指标值「≥48人」与批复的绩效目标「≥50人」不符，得 0 分"
    )
    assert result["audit_fingerprint"]


def test_every_format_shows_the_self_score_beside_the_audit_score(tmp_path):
    for suffix in ("md", "html"):
        out = tmp_path / f"audited.{suffix}"
        invoke(["score", WANGCHENG, "--audit", AUDIT, "-o", out])
        text = out.read_text(encoding="utf-8")
        assert "自评得分" in text
        assert "审核得分" in text
        assert "复核规则 approved" in text  # the rule id (markdown escapes its _)
        assert "77.78" in text


def test_overrides_and_an_audit_ruleset_are_not_given_together(tmp_path):
    overrides = tmp_path / "overrides.yaml"
    overrides.write_text(
        "overrides:\n  execution: {points: 5, reason: 抽查, by: 审计}\n", encoding="utf-8"
    )
    result = invoke(["score", WANGCHENG, "--audit", AUDIT, "--overrides", overrides], exit_code=2)
    assert "give one of --overrides and --audit" in result.stderr


def test_test_and_lint_run_the_audit_rulesets_worked_examples(tmp_path):
    folder = tmp_path / "audit"
    shutil.copytree(AUDIT.parent, folder)
    assert "2 tests: 2 passed, 0 failed" in invoke(["test", folder]).stderr
    invoke(["lint", folder])
    copy = folder / AUDIT.name
    copy.write_text(
        copy.read_text(encoding="utf-8").replace(
            "total: 77.78, grade: 中, scores", "total: 77.79, grade: 中, scores"
        ),
        encoding="utf-8",
    )
    failed = invoke(["test", folder], exit_code=1).stderr
    assert "total 77.78, expected 77.79" in failed
    linted = invoke(["lint", folder], exit_code=1).stderr
    assert "total 77.78, expected 77.79" in linted
