"""结果应用 (a grade's proposed treatment of next year's budget), citations, the version in force."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest

from scoring.engine.application import in_force_note
from scoring.engine.score import score
from scoring.errors import RulesetError
from scoring.render import render_json
from tests.conftest import facts_from, ruleset_from

RULES = """\
id: t.apply
version: "2022.1"
title: 测试
kind: project
effective: {from: 2022-01-01, to: 2022-12-31}
facts:
  预算数: {label: 全年预算数, unit: 万元, min: 0}
  执行数: {label: 全年执行数, unit: 万元, min: 0}
  申请数: {label: 下年度预算申请数, unit: 万元, min: 0}
  已整改: {label: 问题已整改, type: boolean}
indicators:
  - id: execution
    name: 预算执行率
    weight: 100
    method: ratio
    actual: 执行数
    target: 预算数
    cite: {document: 《项目支出绩效评价管理办法》, number: 财预〔2020〕10号, article: 附件1}
application:
  source: {document: 项目支出绩效评价管理办法, number: 财预〔2020〕10号}
  budget: 申请数
  rectified: 已整改
  rules:
    - {grade: 优, treatment: 优先保障}
    - {grade: 中, treatment: 核减, reduce: 0.1}
    - {grade: 差, rectified: true, treatment: 核减, reduce: 0.3}
    - {grade: 差, treatment: 暂停或取消, reduce: 1}
"""


def scored(executed: str, extra: str = "", ruleset_line: str = ""):
    ruleset = ruleset_from(RULES)
    text = f"{ruleset_line}subject: {{year: 2022}}\nfacts: {{预算数: 100, 执行数: {executed}{extra}}}\n"
    return score(ruleset, facts_from(text, ruleset))


def test_a_grade_proposes_its_treatment_with_the_source():
    proposal = scored("95").application
    assert proposal is not None
    assert (proposal.grade, proposal.treatment, proposal.reduction) == ("优", "优先保障", None)
    assert proposal.source == "《项目支出绩效评价管理办法》（财预〔2020〕10号）"
    assert proposal.text.startswith(
        "结果应用建议（仅供参考，不作为预算安排决定）：等级 优 → 优先保障"
    )


def test_a_reduction_is_the_declared_share_of_the_amount_rounded_half_up():
    proposal = scored("70", ", 申请数: 128.35").application
    assert proposal is not None
    assert (proposal.amount, proposal.reduce) == (Decimal("128.35"), Decimal("0.1"))
    assert proposal.reduction == Decimal("12.84")  # 12.835, 四舍五入
    assert "下年度预算申请数 128.35万元 × 10% = 建议核减 12.84万元" in proposal.text


def test_a_blank_amount_is_said_never_guessed():
    proposal = scored("70").application
    assert proposal is not None
    assert proposal.reduction is None
    assert "（核减比例 10%；下年度预算申请数未填报，核减额未计算）" in proposal.text


@pytest.mark.parametrize(
    ("rectified", "treatment", "reduction"),
    [
        (", 已整改: true", "核减", "30.00"),
        (", 已整改: false", "暂停或取消", "100.00"),
        ("", "暂停或取消", "100.00"),
    ],
)
def test_rectification_chooses_among_a_grades_rules(rectified, treatment, reduction):
    proposal = scored("10", f", 申请数: 100{rectified}").application
    assert proposal is not None
    assert (proposal.treatment, proposal.reduction) == (treatment, Decimal(reduction))


def test_a_grade_without_a_rule_proposes_nothing():
    assert scored("85").application is None  # 良: the table gives no rule


def test_the_result_records_the_proposal_and_the_citation():
    data = json.loads(render_json(scored("70", ", 申请数: 50")))
    assert data["application"]["reduction"] == "5.00"
    assert data["indicators"][0]["cite"] == "《项目支出绩效评价管理办法》（财预〔2020〕10号）附件1"


def test_a_ruleset_without_them_gives_a_result_without_their_keys():
    ruleset = ruleset_from(RULES.split("application:")[0].replace("    cite:", "    # cite:"))
    data = json.loads(
        render_json(score(ruleset, facts_from("facts: {预算数: 1, 执行数: 1}", ruleset)))
    )
    assert "application" not in data
    assert "cite" not in data["indicators"][0]


def test_facts_naming_only_the_id_record_the_version_chosen():
    result = scored("95", ruleset_line="ruleset: t.apply\n")
    assert [(finding.code, finding.message) for finding in result.findings] == [
        (
            "in_force",
            "填报文件只注明规则集编号，按 2022 年度选用施行中的版本 t.apply@2022.1（施行期间 "
            "2022-01-01 至 2022-12-31）",
        )
    ]


def test_a_version_named_for_another_year_says_so_in_the_result_and_the_note():
    ruleset = ruleset_from(RULES)
    facts = facts_from("subject: {year: 2020}\nfacts: {预算数: 100, 执行数: 95}\n", ruleset)
    assert [finding.code for finding in score(ruleset, facts).findings] == ["out_of_force"]
    assert in_force_note(ruleset, facts) == (
        "t.apply@2022.1 is in force 2022-01-01 – 2022-12-31, not for 2020: scored under it, as named"
    )


def test_facts_naming_the_exact_version_in_force_add_nothing():
    result = scored("95", ruleset_line="ruleset: t.apply@2022.1\n")
    assert result.findings == ()


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ("budget: 申请数", "budget: unknown fact or derived value '申请额'"),
        ("rectified: 已整改", "rectified: '申请数' is not a declared yes/no fact (type: boolean)"),
        ("{grade: 优, treatment: 优先保障}", "grade: unknown grade '甲' (grades: 优, 良, 中, 差)"),
        ("reduce: 0.1", "reduce: a share between 0 and 1 (0.1 for 10%), found 10"),
    ],
)
def test_the_table_is_checked_at_load(change, message):
    replaced = {
        "budget: 申请数": "budget: 申请额",
        "rectified: 已整改": "rectified: 申请数",
        "{grade: 优, treatment: 优先保障}": "{grade: 甲, treatment: 优先保障}",
        "reduce: 0.1": "reduce: 10",
    }[change]
    with pytest.raises(RulesetError) as caught:
        ruleset_from(RULES.replace(change, replaced, 1))
    assert message in [str(issue).split(": ", 1)[1] for issue in caught.value.issues]


def test_a_rule_after_one_for_either_status_is_refused():
    text = RULES.replace(
        "    - {grade: 中, treatment: 核减, reduce: 0.1}\n",
        "    - {grade: 中, treatment: 核减, reduce: 0.1}\n    - {grade: 中, rectified: true, treatment: 核减}\n",
    )
    with pytest.raises(RulesetError, match="a second rule for grade '中'"):
        ruleset_from(text)
