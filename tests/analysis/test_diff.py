"""diff_rulesets: every kind of change between two rulesets; unit_impact: scores under both."""

from __future__ import annotations

from decimal import Decimal

from scoring.analysis.diff import Change, diff_rulesets, unit_impact
from tests.conftest import MINIMAL, facts_from, ruleset_from

TWO_LEVELS = """\
id: test.tree
version: "1"
title: 测试
kind: project
grades: {优: 90, 良: 80, 中: 60, 差: 0}
facts:
  预算数: {min: 0}
  执行数: {min: 0}
  人数: {type: integer, min: 0}
indicators:
  - id: execution
    name: 预算执行率
    weight: 40
    method: ratio
    actual: 执行数
    target: 预算数
  - id: output
    name: 产出
    weight: 60
    children:
      - {id: aided, name: 救助人数, weight: 60, method: ratio, actual: 人数, target: 48}
"""


def changes(old: str, new: str) -> list[Change]:
    return list(diff_rulesets(ruleset_from(old), ruleset_from(new)).changes)


def test_identical_rulesets_have_no_changes():
    assert changes(MINIMAL, MINIMAL) == []


def test_weights_parameters_and_methods_are_compared_by_indicator_path():
    new = TWO_LEVELS.replace("target: 48", "target: 50").replace(
        "method: ratio\n    actual: 执行数\n    target: 预算数",
        "method: reverse_ratio\n    actual: 执行数\n    target: 预算数",
    )
    assert changes(TWO_LEVELS, new) == [
        Change(kind="changed", area="indicator", path="execution", field="method",
               old="ratio", new="reverse_ratio"),
        Change(kind="changed", area="indicator", path="output.aided", field="target",
               old="48", new="50"),
    ]  # fmt: skip


def test_added_removed_and_moved_indicators():
    new = TWO_LEVELS.replace(
        "  - id: execution\n    name: 预算执行率\n    weight: 40\n",
        "  - id: execution\n    name: 预算执行率\n    weight: 30\n",
    ).replace(
        "      - {id: aided, name: 救助人数, weight: 60, method: ratio, actual: 人数, target: 48}\n",
        "      - {id: aided, name: 救助人数, weight: 60, method: ratio, actual: 人数, target: 48}\n"
        "      - {id: extra, name: 新指标, weight: 10, method: ratio, actual: 人数, target: 1}\n",
    )
    new = new.replace(
        "  - id: output\n    name: 产出\n    weight: 60",
        "  - id: outputs\n    name: 产出\n    weight: 70",
    )
    assert changes(TWO_LEVELS, new) == [
        Change(kind="changed", area="indicator", path="execution", field="weight", old="40", new="30"),
        Change(kind="moved", area="indicator", path="outputs", old="output", new="outputs"),
        Change(kind="changed", area="indicator", path="outputs", field="weight", old="60", new="70"),
        Change(kind="moved", area="indicator", path="outputs.aided", old="output.aided", new="outputs.aided"),
        Change(kind="added", area="indicator", path="outputs.extra", new="新指标 10 (ratio)"),
    ]  # fmt: skip


def test_grade_bands_facts_and_derived_values():
    new = TWO_LEVELS.replace(
        "grades: {优: 90, 良: 80, 中: 60, 差: 0}", "grades: {优: 85, 良: 75, 差: 0}"
    )
    new = new.replace(
        "  人数: {type: integer, min: 0}\n",
        "  人数: {type: integer, min: 0, max: 99}\n  新数: {}\n",
    )
    new = new.replace("indicators:", "derived:\n  执行率: 执行数 / 预算数\nindicators:")
    assert changes(TWO_LEVELS, new) == [
        Change(kind="changed", area="ruleset", path="grades", field="优", old="90", new="85"),
        Change(kind="changed", area="ruleset", path="grades", field="良", old="80", new="75"),
        Change(kind="removed", area="ruleset", path="grades", field="中", old="60"),
        Change(kind="changed", area="fact", path="人数", old="integer, min 0", new="integer, min 0, max 99"),
        Change(kind="added", area="fact", path="新数", new="number"),
        Change(kind="added", area="derived", path="执行率", new="执行数 / 预算数"),
    ]  # fmt: skip


def test_a_child_is_compared_as_its_merged_tree():
    parent = ruleset_from(
        "id: xinfang.wangcheng-relief\nversion: '2022.1'\ntitle: x\nkind: project\n"
        "extends: mof.project-self-eval@2020.1\nindicators:\n  - id: output\n    children:\n"
        "      - {id: quantity, weight: 50, children: [{id: n, name: 数, weight: 50, "
        "method: ratio, actual: 1, target: 1}]}\n      - {id: quality, remove: true}\n"
        "      - {id: timeliness, remove: true}\n      - {id: cost, remove: true}\n",
        search=True,
    )
    child = ruleset_from(
        "id: t.child\nversion: '1'\ntitle: x\nkind: project\nextends: mof.project-self-eval@2020.1\n",
        search=True,
    )
    found = diff_rulesets(child, parent).changes
    assert Change(kind="removed", area="indicator", path="output.quality", old="质量指标") in found
    assert (
        Change(kind="added", area="indicator", path="output.quantity.n", new="数 50 (ratio)")
        in found
    )
    assert all(change.path != "execution" for change in found)  # inherited unchanged


def test_unit_impact_scores_under_both_and_reports_the_change():
    old = ruleset_from(MINIMAL)
    new = ruleset_from(MINIMAL.replace("method: ratio", "method: ratio\n    checks: []"))
    facts = facts_from("subject: {unit: 某局}\nfacts: {预算数: 100, 执行数: 85}\n", old)
    lowered = ruleset_from(MINIMAL.replace("grades: {优: 90, 良: 80", "grades: {优: 85, 良: 80"))
    impact = unit_impact("a.yaml", old, lowered, facts, facts)
    assert (impact.old_total, impact.old_grade, impact.new_total, impact.new_grade) == (
        Decimal("85.00"),
        "良",
        Decimal("85.00"),
        "优",
    )
    assert impact.change == 0
    assert unit_impact("a.yaml", old, new, facts, "f.yaml:1:1: missing").error == (
        "test.minimal@1: f.yaml:1:1: missing"
    )


def test_fact_changes_are_described_in_chinese(chinese):
    new = TWO_LEVELS.replace(
        "  人数: {type: integer, min: 0}\n",
        "  人数: {type: integer, min: 0, max: 99}\n  结余: {type: choice, options: [有, 无]}\n",
    )
    assert changes(TWO_LEVELS, new) == [
        Change(kind="changed", area="fact", path="人数", old="integer、最小值 0",
               new="integer、最小值 0、最大值 99"),
        Change(kind="added", area="fact", path="结余", new="choice、选项 有 / 无"),
    ]  # fmt: skip
