"""Each review check over small target tables: what it finds, where, and what it lets pass."""

from __future__ import annotations

import textwrap

import pytest

from scoring.load.targets import history_from, target_table_from
from scoring.load.yaml_source import parse_yaml
from scoring.model.review import ReviewRule, ReviewRuleset
from scoring.review import CHECKS, review


def table(text: str, name: str = "t.yaml"):
    return target_table_from(parse_yaml(textwrap.dedent(text), name), name)


def rules(check: str, severity: str = "error", **params) -> ReviewRuleset:
    rule = ReviewRule(id=check, check=check, severity=severity, params=params)
    return ReviewRuleset(id="t.review", version="1", kind="review", title="T", rules=(rule,))


ROWS = """\
subject: {unit: 甲局, project: 项目, year: 2023}
targets:
  - {level1: 产出指标, level2: 数量指标, name: 人次, direction: ≥, value: 300, unit: 人次}
  - {level1: 产出指标, level2: 成本指标, name: 人均, direction: ≥, value: 3000, unit: 元}
  - {level1: 产出指标, level2: 时效指标, name: 拨付, direction: ≤, value: 及时}
  - {level1: 效益指标, level2: 社会效益, name: 改善, direction: 定性, value: 效果明显}
  - {level1: 满意度指标, level2: 服务对象满意度指标, name: 满意度, direction: ≥, value: 90%}
"""


def at(text: str, line: int, needle: str, name: str = "t.yaml") -> str:
    """The cell where ``needle`` starts on ``line`` of ``text``: what a finding must point at."""
    return f"{name}:{line}:{textwrap.dedent(text).splitlines()[line - 1].index(needle) + 1}"


def found(ruleset, *tables, history=None):
    return [(f.rule, f.target, f.where, f.message) for f in review(ruleset, tables, history)]


def test_every_check_has_parameters_a_run_and_wording():
    assert set(CHECKS) == {
        "required_types",
        "measurable",
        "vague_value",
        "direction",
        "timeliness",
        "explanation",
        "copied_text",
        "history",
    }
    for name, spec in CHECKS.items():
        assert spec.name == name
        assert spec.wording(spec.params.model_validate(_params(name)))


def _params(name):
    return {
        "required_types": {"groups": [{"level1": "产出", "all_of": ["数量"]}]},
        "measurable": {"qualitative": ["是"]},
        "vague_value": {"phrases": ["明显"]},
        "direction": {"allowed": {"成本指标": ["≤"]}},
        "timeliness": {"types": ["时效指标"], "duration_units": ["天"]},
        "explanation": {},
        "copied_text": {"fields": ["goal"]},
        "history": {"compare": ["last_year"]},
    }[name]


def test_direction_finds_a_cost_indicator_written_at_least_at_its_cell():
    assert found(rules("direction", allowed={"成本指标": ["≤", "="]}), table(ROWS)) == [
        ("direction", "人均", at(ROWS, 4, "≥"), "成本指标的指标方向应为 ≤ 或 =，填的是 ≥")
    ]


def test_required_types_all_of_and_any_of_compare_names_without_the_word_indicator():
    groups = [
        {"level1": "产出指标", "all_of": ["数量指标", "质量指标"]},
        {"level1": "效益指标", "any_of": ["社会效益指标", "经济效益指标"]},
        {"level1": "满意度指标", "any_of": ["经济效益指标"]},
    ]
    assert found(rules("required_types", groups=groups), table(ROWS)) == [
        ("required_types", None, "t.yaml:2:1", "缺少产出指标下的「质量指标」：至少填一个三级指标"),
        (
            "required_types",
            None,
            "t.yaml:2:1",
            "满意度指标下至少要有一类二级指标（经济效益指标），一个也没有",
        ),
    ]


def test_measurable_wants_a_number_with_a_unit_or_an_allowed_statement():
    text = ROWS + "  - {level1: 产出指标, level2: 数量指标, name: 件数, direction: ≥, value: 48}\n"
    text += "  - {level1: 产出指标, level2: 数量指标, name: 户数, direction: ≥, value: 48户}\n"
    assert found(rules("measurable", qualitative=["是"], except_types=["时效"]), table(text)) == [
        (
            "measurable",
            "改善",
            at(text, 6, "效果明显"),
            "定性指标值「效果明显」不在允许的表述之中（是）",
        ),
        (
            "measurable",
            "件数",
            at(text, 8, "{level1"),
            "定量指标值 48 没有计量单位",
        ),  # no unit: its row
        (
            "measurable",
            "户数",
            at(text, 9, "48户"),
            "定量指标（≥）的指标值应为数字，填的是「48户」；计量单位另填",
        ),
    ]


@pytest.mark.parametrize(
    ("value", "fields", "expected"),
    [
        ("≥95% 效果明显", ["value"], ["「≥95% 效果明显」含模糊表述「效果明显」，无法衡量是否完成"]),
        ("逐步提高", ["value"], ["「逐步提高」含模糊表述「逐步提高」，无法衡量是否完成"]),
        ("95%", ["value"], []),
        ("95%", ["name"], ["「效果明显的改善」含模糊表述「效果明显」，无法衡量是否完成"]),
    ],
)
def test_vague_value_flags_phrases_in_the_fields_it_reads(value, fields, expected):
    text = f"""\
    subject: {{unit: 甲局, year: 2023}}
    targets:
      - {{level1: 效益指标, level2: 社会效益指标, name: 效果明显的改善, direction: ≥, value: {value}}}
    """
    ruleset = rules("vague_value", phrases=["效果明显", "逐步提高"], fields=fields)
    assert [f[3] for f in found(ruleset, table(text))] == expected


@pytest.mark.parametrize(
    ("value", "unit", "ok"),
    [
        ("12月底前", None, True),
        ("2022年6月30日前", None, True),
        ("2022-06-30", None, True),
        ("年内", None, True),
        ("30个工作日", None, True),
        ("30", "天", True),
        ("30", "人", False),
        ("及时", None, False),
        ("尽快", None, False),
    ],
)
def test_timeliness_wants_a_date_or_a_duration(value, unit, ok):
    extra = f", unit: {unit}" if unit else ""
    text = f"""\
    subject: {{unit: 甲局, year: 2023}}
    targets:
      - {{level1: 产出指标, level2: 时效指标, name: 拨付, direction: ≤, value: "{value}"{extra}}}
    """
    ruleset = rules(
        "timeliness", types=["时效指标"], date_words=["年内"], duration_units=["天", "个工作日"]
    )
    assert (found(ruleset, table(text)) == []) is ok


def test_explanation_missing_or_too_short():
    text = """\
    subject: {unit: 甲局, year: 2023}
    targets:
      - {level1: 产出指标, level2: 数量指标, name: 人次, direction: ≥, value: 3, unit: 人}
      - {level1: 产出指标, level2: 数量指标, name: 户数, direction: ≥, value: 3, unit: 户, explanation: 户}
      - {level1: 产出指标, level2: 数量指标, name: 件数, direction: ≥, value: 3, unit: 件, explanation: 全年办结的件数}
    """
    assert found(rules("explanation", "warning", min_length=4), table(text)) == [
        ("explanation", "人次", "t.yaml:3:5", "「人次」没有指标解释"),
        ("explanation", "户数", at(text, 4, "户}"), "「户数」的指标解释「户」不足 4 个字"),
    ]


GOAL = """\
subject: {{unit: {unit}, year: 2023}}
goal: 对符合条件的困难群众实施临时救助，全年救助不少于300人次
targets: []
"""


def test_copied_text_names_the_other_units_and_not_the_same_unit():
    first = table(GOAL.format(unit="甲局"), "a.yaml")
    second = table(GOAL.format(unit="乙局"), "b.yaml")
    again = table(GOAL.format(unit="甲局"), "c.yaml")
    ruleset = rules("copied_text", "warning", fields=["goal"], min_length=10)
    assert found(ruleset, first, second, again) == [
        ("copied_text", None, "a.yaml:2:7", "年度总体目标与乙局的相同，疑为照抄"),
        ("copied_text", None, "b.yaml:2:7", "年度总体目标与甲局的相同，疑为照抄"),
        ("copied_text", None, "c.yaml:2:7", "年度总体目标与乙局的相同，疑为照抄"),
    ]
    assert found(ruleset, first, again) == []
    assert found(rules("copied_text", fields=["goal"], min_length=40), first, second) == []


HISTORY = """\
history:
  - {name: 人次, year: 2020, value: 290}
  - {name: 人次, year: 2021, value: 320}
  - {name: 人次, year: 2022, value: 301}
  - {name: 人均, year: 2022, value: 2900}
"""


def test_history_compares_with_last_year_and_the_three_year_average():
    history = history_from(parse_yaml(HISTORY, "h.yaml"), "h.yaml")
    text = ROWS.replace("direction: ≥, value: 3000", "direction: ≤, value: 3000")
    ruleset = rules("history", "warning", compare=["last_year", "average"], years=3)
    assert found(ruleset, table(text), history=history) == [
        ("history", "人次", at(text, 3, "300"), "指标值 300 低于上年（2022年）完成值 301"),
        ("history", "人次", at(text, 3, "300"), "指标值 300 低于近3年平均完成值 303.67"),
        ("history", "人均", at(text, 4, "3000"), "反向指标值 3000 高于上年（2022年）完成值 2900"),
    ]
    assert found(ruleset, table(text)) == [], "no history given: nothing to compare"


def test_history_needs_every_year_of_the_average():
    history = history_from(parse_yaml(HISTORY.replace("2020", "2019"), "h.yaml"), "h.yaml")
    ruleset = rules("history", compare=["average"], years=3)
    assert found(ruleset, table(ROWS), history=history) == []
