"""The audit rule kinds, each over a small ruleset: what each changes, what each leaves alone."""

from __future__ import annotations

import textwrap
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from scoring.audit import AUDIT_BY, KINDS, audit
from scoring.engine.score import score
from scoring.load.audit import check_applies_to, parse_audit_ruleset
from scoring.model.audit import AuditRuleset
from scoring.model.facts import Facts
from tests.conftest import facts_from, ruleset_from

D = Decimal
RULES = """\
id: test.audited
version: "1"
title: 测试
kind: project
grades: {优: 90, 良: 80, 中: 60, 差: 0}
facts:
  完成数: {label: 完成数, unit: 件, min: 0}
  计划数: {label: 计划数, unit: 件, min: 0}
  附件编号: {label: 佐证材料附件编号, type: list}
derived:
  完成率: {expr: 完成数 / 计划数}
indicators:
  - id: done
    name: 完成件数
    weight: 40
    method: ratio
    actual: 完成数
    target: 计划数
    target_text: ≥40件
  - id: pace
    name: 完成率适度
    weight: 30
    method: bands
    value: 完成率
    target_text: 逐步提高
    bands:
      - {at_most: 1.1, score: 30}
      - {above: 1.1, score: 20}
  - id: kept
    name: 档案齐全
    weight: 30
    method: boolean
    value: 完成数 > 0
    target_text: 效果明显
"""


def rules(body: str, applies_to: str = "test.audited@1") -> str:
    """An audit ruleset's text with these rules (indented YAML list items)."""
    head = f'id: test.audit\nversion: "1"\nkind: audit\ntitle: 复核\napplies_to: {applies_to}\n'
    return head + "rules:\n" + textwrap.indent(textwrap.dedent(body), "  ")


def audited(body: str, facts: str, tmp_path: Path | None = None) -> tuple[D, D, dict[str, str]]:
    """The self total, the audited total, and each override's reason, by path."""
    ruleset = ruleset_from(RULES)
    path = (tmp_path or Path(".")) / "audit.yaml"
    loaded = parse_audit_ruleset(rules(body), str(path))
    check_applies_to(loaded, ruleset)
    unit = facts_from(facts, ruleset)
    layer = audit(loaded.ruleset, ruleset, unit, loaded.tables)
    result = score(ruleset, unit, layer)
    assert all(each.by == AUDIT_BY for each in layer.overrides.values())
    reasons = {path: each.reason for path, each in layer.overrides.items()}
    assert result.self_total is not None or not reasons
    return result.self_total or result.total, result.total, reasons


FACTS = "facts: {完成数: 60, 计划数: 40, 附件编号: [F-3]}\n"


def test_completion_above_the_cap_is_not_penalised():
    # 150% completion: bands give 20 of 30 (偏差过大); above the cap of 130% it is full
    body = """\
    - {id: cap, kind: completion_cap, description: 超过130%不扣分, cite: 文件, indicators: [pace],
       params: {cap: 1.3, rate: 完成率}}
    """
    before, after, reasons = audited(body, FACTS)
    assert (before, after) == (D("90.00"), D("100.00"))
    assert reasons["pace"].startswith("复核规则 cap（超过130%不扣分）：完成率 150.00% 超过 130.00%")
    # 120%: within the cap, the deduction stands and no override is made
    assert audited(body, "facts: {完成数: 48, 计划数: 40, 附件编号: [F-3]}\n")[2] == {}


def test_vague_targets_are_deducted_by_grade():
    body = """\
    - id: vague
      kind: vague_target
      description: 指标值表述模糊的，按程度扣分
      cite: 文件
      indicators: [done, pace, kept]
      params:
        grades:
          - {phrases: [效果明显], deduct: 10}
          - {phrases: [逐步, 进一步], deduct: 5}
    """
    _before, after, reasons = audited(body, FACTS)
    assert after == D("75.00")  # 40 + (20 − 5) + (30 − 10)
    assert "「效果明显」，扣 10 分" in reasons["kept"]
    assert "「逐步」，扣 5 分" in reasons["pace"]
    assert "done" not in reasons


def test_missing_evidence_loses_the_declared_points_never_below_zero():
    body = """\
    - {id: evidence, kind: evidence_required, description: 无佐证材料的扣分, cite: 文件,
       indicators: [done, pace], params: {fact: 附件编号, deduct: 25}}
    """
    assert audited(body, FACTS)[2] == {}
    _before, after, reasons = audited(body, "facts: {完成数: 60, 计划数: 40}\n")
    assert after == D("45.00")  # (40 − 25) + max(20 − 25, 0) + 30
    assert "未提供附件编号" in reasons["done"]


def test_a_target_unlike_the_approved_one_scores_zero(tmp_path):
    table = """\
    subject: {unit: 测试单位, year: 2022}
    goal: 完成任务
    targets:
      - {level1: 产出指标, level2: 数量指标, id: done, name: 完成件数, direction: ≥, value: 50, unit: 件}
      - {level1: 产出指标, level2: 质量指标, name: 档案齐全, direction: 定性, value: 效果明显}
    """
    (tmp_path / "approved.yaml").write_text(textwrap.dedent(table), encoding="utf-8")
    body = """\
    - {id: approved, kind: target_mismatch, description: 与批复目标不一致的不得分, cite: 文件,
       indicators: [done, pace, kept], params: {table: approved.yaml}}
    """
    _before, after, reasons = audited(body, FACTS, tmp_path)
    assert after == D("30.00")  # only 档案齐全 (matched by name) keeps its points
    assert "指标值「≥40件」与批复的绩效目标「≥50件」不符，得 0 分" in reasons["done"]
    assert "批复的绩效目标中没有「完成率适度」" in reasons["pace"]
    assert "kept" not in reasons


def test_rules_apply_in_order_and_an_unchanged_score_has_no_override():
    body = """\
    - {id: cap, kind: completion_cap, description: 超过130%不扣分, cite: 文件, indicators: [pace],
       params: {cap: 1.3, rate: 完成率}}
    - {id: vague, kind: vague_target, description: 模糊扣分, cite: 文件, indicators: [pace],
       params: {grades: [{phrases: [逐步], deduct: 10}]}}
    """
    # cap: 20 → 30, then vague: 30 → 20, back where it began: no override
    assert audited(body, FACTS)[2] == {}


def test_a_not_applicable_indicator_is_not_audited():
    body = """\
    - {id: vague, kind: vague_target, description: 模糊扣分, cite: 文件, indicators: [kept],
       params: {grades: [{phrases: [效果明显], deduct: 10}]}}
    """
    facts = FACTS + "not_applicable: [kept]\n"
    assert audited(body, facts)[2] == {}


@given(st.decimals(min_value=0, max_value=100, places=3))
def test_the_audit_score_stays_within_zero_and_the_weight(deduct):
    ruleset = ruleset_from(RULES)
    data = {
        "id": "test.audit", "version": "1", "kind": "audit", "title": "复核",
        "applies_to": "test.audited",
        "rules": [{"id": "evidence", "kind": "evidence_required", "description": "扣分",
                   "cite": "文件", "indicators": ["done", "pace", "kept"],
                   "params": {"fact": "附件编号", "deduct": deduct or D(1)}}],
    }  # fmt: skip
    unit = Facts(facts={"完成数": D(30), "计划数": D(40)})
    layer = audit(AuditRuleset.model_validate(data), ruleset, unit)
    weights = {"done": D(40), "pace": D(30), "kept": D(30)}
    for path, override in layer.overrides.items():
        assert 0 <= override.points <= weights[path]
        assert override.points == override.points.quantize(D("0.01"))


def test_the_registry_names_each_kind_once():
    assert list(KINDS) == ["completion_cap", "target_mismatch", "vague_target", "evidence_required"]


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("- {id: c, kind: completion_cap, description: d, cite: c, indicators: [kept], "
         "params: {cap: 1.3}}", "it has no actual and target"),
        ("- {id: e, kind: evidence_required, description: d, cite: c, indicators: [kept], "
         "params: {fact: 照片, deduct: 1}}", "declares no fact '照片'"),
    ],
)  # fmt: skip
def test_a_kind_refuses_an_indicator_it_cannot_apply_to(body, expected):
    from scoring.errors import RulesetError

    loaded = parse_audit_ruleset(rules(body), "audit.yaml")
    with pytest.raises(RulesetError, match=expected):
        check_applies_to(loaded, ruleset_from(RULES))
