"""A target table as the unit's ruleset: the method each direction takes, refusals at their cells."""

from __future__ import annotations

import pytest

from scoring.errors import TargetsError
from scoring.load.registry import Registry
from scoring.load.rulesets import load_ruleset, parse_ruleset
from scoring.load.targets import target_table_from
from scoring.load.yaml_source import parse_yaml
from scoring.render.approved import approved_ruleset

HEAD = """\
subject: {unit: 甲局, project: 项目, year: 2023}
ruleset: t.unit@2023.1
extends: mof.project-self-eval@2020.1
targets:
"""
ROWS = [
    "{level1: 产出指标, level2: 数量指标, name: 人次, direction: ≥, value: 300, unit: 人次, weight: 20}",
    "{level1: 产出指标, level2: 质量指标, name: 合格率, direction: ≥, value: 95%, weight: 10}",
    "{level1: 产出指标, level2: 时效指标, name: 拨付, direction: ≤, value: 12月底前, weight: 10}",
    "{level1: 产出指标, level2: 成本指标, name: 人均, direction: ≤, value: 3000, unit: 元, weight: 5}",
    "{level1: 产出指标, level2: 成本指标, name: 超支, direction: ≤, value: 0, unit: 万元, weight: 5}",
    "{level1: 效益指标, level2: 社会效益, name: 秩序, direction: 定性, value: 明显好转, weight: 20}",
    "{level1: 效益指标, level2: 可持续影响, name: 常年预算, direction: 定性, value: 是, weight: 10}",
]


def table(rows=ROWS, head=HEAD):
    text = head + "".join(f"  - {row}\n" for row in rows)
    return target_table_from(parse_yaml(text, "t.yaml"), "t.yaml")


def written(rows=ROWS):
    text = approved_ruleset(table(rows), load_ruleset, "t.yaml")
    return parse_ruleset(text, "out.yaml", Registry().parent)


def test_each_direction_takes_its_method_and_the_ruleset_passes_its_own_example():
    from scoring.analysis.ruleset_tests import run_tests

    ruleset = written()
    leaves = {node.name: node for _path, _level, node in ruleset.walk() if node.method}
    assert {name: node.method for name, node in leaves.items()} == {
        "预算执行率": "ratio",
        "人次": "ratio",
        "合格率": "ratio",
        "拨付": "boolean",
        "人均": "reverse_ratio",
        "超支": "equal",
        "秩序": "tiers",
        "常年预算": "boolean",
    }
    assert leaves["合格率"].target is not None
    assert leaves["合格率"].target.source == "0.95"
    assert (leaves["人次"].target_text, leaves["合格率"].target_text) == ("≥300人次", "≥95%")
    assert ruleset.facts["秩序"].type == "tier"
    assert [outcome.passed for outcome in run_tests(ruleset)] == [True]
    assert "satisfaction" in ruleset.tests[0].not_applicable


def test_unused_slots_of_the_template_are_removed():
    ruleset = written()
    effect = next(node for node in ruleset.indicators if node.id == "effect")
    assert [child.id for child in effect.children or ()] == ["social", "sustainable"]


def test_refusals_name_their_cells():
    rows = [*ROWS]
    rows[0] = rows[0].replace("数量指标", "规模指标")
    rows[1] = rows[1].replace(", weight: 10", "")
    rows[6] = rows[6].replace("name: 常年预算", "name: 常年 预算")
    with pytest.raises(TargetsError) as caught:
        approved_ruleset(table(rows), load_ruleset, "t.yaml")
    assert [str(issue) for issue in caught.value.issues] == [
        "t.yaml:5:28: 模板 mof.project-self-eval@2020.1 的产出指标下没有二级指标「规模指标」（有：数量指标、质量指标、时效指标、成本指标）",
        "t.yaml:6:5: 「合格率」没有分值（weight），生成规则集需要分值",
        "t.yaml:11:41: 「常年 预算」不能作数据项名称（重复，或含标点、空格）：请写 fact: 给它一个简短的名称",
        "t.yaml:4:1: 产出指标下三级指标的分值合计 20，模板规定 50",
        "t.yaml:4:1: 效益指标下三级指标的分值合计 20，模板规定 30",
    ]


def test_a_table_without_its_ruleset_names_is_refused():
    head = HEAD.replace("ruleset: t.unit@2023.1\n", "")
    with pytest.raises(TargetsError, match="ruleset: id@version"):
        approved_ruleset(table(head=head), load_ruleset, "t.yaml")


def test_numbers_are_written_as_given_never_through_float():
    text = approved_ruleset(table(), load_ruleset, "t.yaml")
    assert "target: 0.95" in text
    assert "weight: 20," in text
