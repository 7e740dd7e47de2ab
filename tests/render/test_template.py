"""The facts template: every declared fact with what it takes, in the language of messages."""

from __future__ import annotations

from scoring.load.yaml_source import parse_yaml
from scoring.render.template import render_template
from tests.conftest import ruleset_from

RULESET = """\
id: t.template
version: "1"
title: 模板
kind: project
facts:
  人数: {type: integer, min: 0, max: 500, label: 救助人数, unit: 人}
  制度: {type: boolean}
  结余: {type: choice, options: [有, 无]}
  备用: {}
indicators:
  - {id: a, name: 人数, weight: 50, method: ratio, actual: 人数, target: 100}
  - {id: b, name: 制度, weight: 30, method: boolean, value: 制度}
  - {id: c, name: 结余, weight: 20, method: choice, fact: 结余, options: {有: 10, 无: 20}}
"""


def test_template_says_what_each_fact_takes():
    assert render_template(ruleset_from(RULESET)) == (
        "# Facts for 模板 (t.template@1).\n"
        "# Fill in each value after its colon. Leave a value empty only where the indicators that\n"
        "# read it are listed under not_applicable (不适用).\n"
        "ruleset: t.template@1\n"
        "subject:\n"
        "  unit:      # 单位名称\n"
        "  project:   # 项目名称\n"
        "  year:      # 年度\n"
        "facts:\n"
        "  人数:  # 救助人数，人 [whole number, 0–500]\n"
        "  制度:  # [true or false]\n"
        "  结余:  # [one of: 有 | 无]\n"
        "  备用:  # [number; optional: no indicator reads it]\n"
        "# The indicators, by path, for not_applicable:\n"
        "#   a  人数\n"
        "#   b  制度\n"
        "#   c  结余\n"
        "not_applicable: []\n"
    )


def test_template_comments_in_chinese_and_the_yaml_unchanged(chinese):
    text = render_template(ruleset_from(RULESET))
    assert text == (
        "# 模板（t.template@1）的填报文件\n"
        "# 在每项的冒号后填写数值。只有用到某项数据的指标都已列入 not_applicable（不适用）时，\n"
        "# 该项才可以留空。\n"
        "ruleset: t.template@1\n"
        "subject:\n"
        "  unit:      # 单位名称\n"
        "  project:   # 项目名称\n"
        "  year:      # 年度\n"
        "facts:\n"
        "  人数:  # 救助人数，人 [整数，0–500]\n"
        "  制度:  # [true/false 或 是/否]\n"
        "  结余:  # [以下之一：有 | 无]\n"
        "  备用:  # [数字；可不填：没有指标用到它]\n"
        "# 各指标及其路径（填写 not_applicable 时使用）：\n"
        "#   a  人数\n"
        "#   b  制度\n"
        "#   c  结余\n"
        "not_applicable: []\n"
    )
    data = parse_yaml(text, "template.yaml")
    assert list(data) == ["ruleset", "subject", "facts", "not_applicable"]
    assert dict(data["facts"]) == dict.fromkeys(["人数", "制度", "结余", "备用"])
