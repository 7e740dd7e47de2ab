"""The whole-tree checks, one case per rule: the exact message, line and column for each.

Each case edits one thing in a valid ruleset that uses every method, and lists what lint says.
"""

from __future__ import annotations

import pytest

from scoring.engine.checks import check_ruleset
from scoring.errors import RulesetError
from scoring.load.issues import problem_issue
from tests.conftest import ruleset_from

BASE = """\
id: t.checks
version: "1"
title: 检查
kind: project
tiers:
  - {label: 达成, range: [0.8, 1], default: 1, synonyms: [达成预期]}
  - {label: 部分达成, range: [0.6, 0.8]}
  - {label: 未达成, range: [0, 0.6]}
facts:
  a: {min: 0}
  t: {min: 0}
  n: {type: integer, min: 0}
  ok: {type: boolean}
  q: {type: tier}
derived:
  r: a / t
indicators:
  - {id: ratio, name: 比率, weight: 20, method: ratio, actual: a, target: t}
  - {id: bands, name: 区间, weight: 20, method: bands, value: r, bands: [{at_least: 0.9, score: 20}, {at_least: 0.6, score: 10}], otherwise: 0}
  - {id: tiers, name: 定性, weight: 20, method: tiers, fact: q}
  - {id: flag, name: 是否, weight: 20, method: boolean, value: ok, false_score: 5}
  - {id: deduct, name: 扣分, weight: 20, method: deduct, count: n, points: 2}
"""


def test_the_base_ruleset_is_valid():
    ruleset_from(BASE)


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        pytest.param(
            "title: 检查\n",
            "title: 检查\ntotal: 0\n",
            [
                "t.yaml:4:8: total: must be positive, found 0",
                "t.yaml:19:3: top-level weights sum to 100, expected the total 0",
            ],
            id="total_not_positive",
        ),
        pytest.param(
            "title: 检查\n",
            "title: 检查\ngrades: {}\n",
            ["t.yaml:4:9: grades: give at least one grade, or null for no grading"],
            id="grades_empty",
        ),
        pytest.param(
            "title: 检查\n",
            "title: 检查\ngrades: {优: 120, 差: 0}\n",
            ["t.yaml:4:13: '优' starts at 120, outside 0–100"],
            id="grade_outside_total",
        ),
        pytest.param(
            "  a: {min: 0}\n",
            "  a: {min: 0}\n  预算 数: {}\n",
            [
                "t.yaml:11:3: [facts.预算 数] '预算 数' is not a usable name: use letters, digits and _ (Chinese is fine), no spaces, not a Python keyword"
            ],
            id="fact_not_a_name",
        ),
        pytest.param(
            "  a: {min: 0}\n",
            "  a: {min: 0}\n  max: {}\n",
            [
                "t.yaml:11:3: [facts.max] 'max' is reserved for a function, a constant or a check's own parameter"
            ],
            id="fact_reserved",
        ),
        pytest.param(
            "  a: {min: 0}\n",
            "  a: {min: 0}\n  ａ: {}\n",
            ["t.yaml:11:3: [facts.ａ] 'ａ' is the same name as 'a' once full-width letters fold"],
            id="fact_folds_to_another",
        ),
        pytest.param(
            "  ok: {type: boolean}",
            "  ok: {type: boolean, min: 0}",
            ["t.yaml:13:7: [facts.ok] a boolean fact takes no min or max"],
            id="boolean_with_bounds",
        ),
        pytest.param(
            "  r: a / t\n",
            "  r: a / t\n  if: a\n",
            [
                "t.yaml:17:3: [derived.if] 'if' is not a usable name: use letters, digits and _ (Chinese is fine), no spaces, not a Python keyword"
            ],
            id="derived_not_a_name",
        ),
        pytest.param(
            "  r: a / t\n",
            "  r: a / t\n  a: t\n",
            ["t.yaml:17:3: [derived.a] 'a' is already a fact name"],
            id="derived_same_as_fact",
        ),
        pytest.param(
            "  r: a / t\n",
            "  r: a / tt\n",
            ["t.yaml:16:6: [derived.r] expr: unknown fact 'tt' (did you mean 't'?)"],
            id="derived_unknown_name",
        ),
        pytest.param(
            "tiers:\n  - {label: 达成, range: [0.8, 1], default: 1, synonyms: [达成预期]}\n  - {label: 部分达成, range: [0.6, 0.8]}\n  - {label: 未达成, range: [0, 0.6]}\n",
            "tiers: []\n",
            ["t.yaml:5:8: tiers: give at least one tier"],
            id="tier_scale_empty",
        ),
        pytest.param(
            "{label: 未达成, range: [0, 0.6]}",
            "{label: 未达成, range: [0.6, 0]}",
            ["t.yaml:8:25: tiers: tier '未达成' range [0.6, 0] must satisfy 0 ≤ low < high ≤ 1"],
            id="tier_range_backwards",
        ),
        pytest.param(
            "{label: 部分达成, range: [0.6, 0.8]}",
            "{label: 部分达成, range: [0.6, 0.8], default: 0.8}",
            ["t.yaml:7:47: tiers: tier '部分达成' default 0.8 is outside its range"],
            id="tier_default_outside",
        ),
        pytest.param(
            "{label: 未达成, range: [0, 0.6]}",
            "{label: 未达成, range: [0, 0.6], synonyms: [达成预期]}",
            ["t.yaml:8:5: tiers: tier label '达成预期' is used twice"],
            id="tier_label_twice",
        ),
        pytest.param(
            "{label: 部分达成, range: [0.6, 0.8]}",
            "{label: 部分达成, range: [0.5, 0.8]}",
            ["t.yaml:6:3: tiers: tiers '未达成' and '部分达成' overlap"],
            id="tiers_overlap",
        ),
        pytest.param(
            "{label: 部分达成, range: [0.6, 0.8]}",
            "{label: 部分达成, range: [0.65, 0.8]}",
            ["t.yaml:6:3: tiers: tiers '未达成' and '部分达成' leave a gap between 0.6 and 0.65"],
            id="tiers_gap",
        ),
        pytest.param(
            "indicators:\n",
            "indicators: []\n",
            ["t.yaml:17:13: indicators: give at least one indicator"],
            id="no_indicators",
        ),
        pytest.param(
            "{id: ratio, name: 比率, weight: 20, method: ratio, actual: a, target: t}",
            "{id: ratio, name: 比率, weight: 20, actual: a, children: [{id: c, name: C, weight: 20, method: ratio, actual: a, target: t}]}",
            [
                "t.yaml:18:39: [ratio] actual: 'actual' belongs to a leaf with a method, not to a group"
            ],
            id="group_with_parameters",
        ),
        pytest.param(
            "{id: deduct, name: 扣分, weight: 20, method: deduct, count: n, points: 2}",
            "{id: deduct, name: 扣分, weight: 20}",
            [
                "t.yaml:22:5: [deduct] method: a leaf with a weight needs a method (ratio, bands, tiers, checklist …: docs/format.md §6)"
            ],
            id="leaf_without_method",
        ),
        pytest.param(
            "method: deduct, count: n, points: 2}",
            "method: deduct, count: n, points: 2, bands: []}",
            ["t.yaml:22:77: [deduct] bands: 'bands' does not apply to method deduct"],
            id="parameter_of_another_method",
        ),
        pytest.param(
            "points: 2}",
            "points: 0}",
            ["t.yaml:22:74: [deduct] points: must be positive, found 0"],
            id="points_not_positive",
        ),
        pytest.param(
            "false_score: 5}",
            "false_score: 25}",
            ["t.yaml:21:79: [flag] false_score: 25 is outside 0–20"],
            id="false_score_above_weight",
        ),
        pytest.param(
            "otherwise: 0}",
            "otherwise: -1}",
            ["t.yaml:19:140: [bands] otherwise: -1 is outside 0–20"],
            id="otherwise_below_zero",
        ),
        pytest.param(
            "bands: [{at_least: 0.9, score: 20}, {at_least: 0.6, score: 10}]",
            "bands: []",
            ["t.yaml:19:71: [bands] bands: give at least one band"],
            id="bands_empty",
        ),
        pytest.param(
            "{at_least: 0.6, score: 10}",
            "{at_least: 0.6, score: 30}",
            ["t.yaml:19:123: [bands] bands: band score 30 is outside 0–20"],
            id="band_score_above_weight",
        ),
        pytest.param(
            "{at_least: 0.6, score: 10}",
            "{at_least: 0.95, score: 10}",
            [
                "t.yaml:19:100: [bands] bands: band ≥ 0.95 can never match: the bands before it cover it (the first match wins; list bands from the highest down)"
            ],
            id="bands_not_descending",
        ),
        pytest.param(
            "fact: q}",
            "fact: qq}",
            ["t.yaml:20:60: [tiers] fact: unknown fact 'qq' (did you mean 'q'?)"],
            id="tiers_fact_unknown",
        ),
        pytest.param(
            "fact: q}",
            "fact: ok}",
            [
                "t.yaml:20:60: [tiers] fact: fact 'ok' is declared type boolean, method tiers needs type tier"
            ],
            id="tiers_fact_not_a_tier",
        ),
        pytest.param(
            "tiers:\n  - {label: 达成, range: [0.8, 1], default: 1, synonyms: [达成预期]}\n  - {label: 部分达成, range: [0.6, 0.8]}\n  - {label: 未达成, range: [0, 0.6]}\n",
            "",
            [
                "t.yaml:16:5: [tiers] tiers: method tiers needs 'tiers' here or at the top of the ruleset"
            ],
            id="tiers_without_a_scale",
        ),
        pytest.param(
            "method: tiers, fact: q}",
            "method: tiers, fact: q, tiers: [{label: 好, range: [0, 1.5]}]}",
            [
                "t.yaml:20:89: [tiers] tiers: tier '好' range [0, 1.5] must satisfy 0 ≤ low < high ≤ 1"
            ],
            id="indicator_scale_checked",
        ),
        pytest.param(
            "value: ok, false_score",
            'value: q == "达到", false_score',
            [
                "t.yaml:21:62: [flag] value: '达到' is not a tier label or option (choose one of '未达成', '达成', '部分达成')"
            ],
            id="text_that_is_no_tier_label",
        ),
        pytest.param(
            "{id: flag,",
            "{id: Flag,",
            [
                "t.yaml:21:10: [Flag] id: ids are lower_snake ASCII like 'output_quantity', found 'Flag'"
            ],
            id="bad_id",
        ),
        pytest.param(
            "kind: project",
            "kind: projects",
            ["t.yaml:4:7: kind: expected 'project' or 'department', found 'projects'"],
            id="bad_kind",
        ),
        pytest.param(
            "title: 检查\n",
            "title: 检查\nrounding: {places: 9}\n",
            ["t.yaml:4:20: places: must be 6 or less, found 9"],
            id="bad_rounding_places",
        ),
        pytest.param(
            "{id: flag, name: 是否, weight: 20,",
            "{id: flag, name: 是否, weight: 二十,",
            ["t.yaml:21:34: [flag] weight: expected a number, found '二十'"],
            id="weight_not_a_number",
        ),
        pytest.param(
            "{id: deduct, name: 扣分, weight: 20, method: deduct, count: n, points: 2}",
            "{id: deduct, name: 扣分, weight: 20, children: 3}",
            ["t.yaml:22:50: [deduct] children: expected a list, found 3"],
            id="children_not_a_list",
        ),
        pytest.param(
            "facts:\n  a: {min: 0}\n",
            "facts:\n  a: 5\n",
            ["t.yaml:10:6: [facts.a] a: expected a mapping of keys, found 5"],
            id="facts_not_a_mapping",
        ),
        pytest.param(
            "id: t.checks",
            "id: T.Checks",
            [
                "t.yaml:1:5: id: ruleset ids are lower-case dotted names like 'mof.project-self-eval', found 'T.Checks'"
            ],
            id="ruleset_id_pattern",
        ),
        pytest.param(
            'version: "1"',
            'version: "1 beta"',
            ["t.yaml:2:10: version: '1 beta' does not match ^[0-9A-Za-z][0-9A-Za-z._-]*$"],
            id="version_pattern",
        ),
        pytest.param(
            "count: n,",
            "count: true,",
            ["t.yaml:22:63: [deduct] count: expected a formula as text or a number, got bool"],
            id="formula_bool",
        ),
    ],
)
def test_check_reports_exactly(old, new, expected):
    text = BASE.replace(old, new, 1)
    assert text != BASE
    if new == "indicators: []\n":
        text = text[: text.index(new) + len(new)]
    with pytest.raises(RulesetError) as caught:
        ruleset_from(text)
    assert [str(issue) for issue in caught.value.issues] == expected


SHAPES = """\
id: t.shapes
version: "1"
title: 规则形式
kind: project
facts:
  a: {min: 0, max: 2}
  t: {min: 0}
  n: {type: integer, min: 0}
  ok: {type: boolean}
  ok2: {type: boolean}
  c: {type: choice, options: [无结余, 有结余, 超过]}
indicators:
  - {id: bands, name: 区间, weight: 10, method: bands, value: a, hit: unique, bands: [{equals: 0, score: 10}, {above: 0, at_most: 0.1, score: 5}, {above: 0.1, score: 0}]}
  - {id: threshold, name: 超支, weight: 10, method: threshold, value: a, at_most: 1, step: 0.01, points: 0.5}
  - id: checklist
    name: 制度
    weight: 10
    method: checklist
    items:
      - {id: rules, name: 制定管理制度, points: 4, met: ok}
      - {id: kept, name: 制度有效执行, points: 6, met: ok2}
  - id: deduct
    name: 扣分
    weight: 10
    method: deduct
    items:
      - {id: late, name: 未按时报送, points: 1, count: n}
  - {id: cases, name: 结余, weight: 10, method: cases, cases: [{when: a == 0, score: 10}, {when: a <= t, score: 5}], otherwise: 0}
  - {id: choice, name: 结余情况, weight: 10, method: choice, fact: c, options: {无结余: 10, 有结余: 5, 超过: 0}}
  - id: average
    name: 综合
    weight: 10
    method: weighted_average
    parts:
      - {name: 数量, share: 0.6, value: a * 50}
      - {name: 质量, share: 0.4, value: 100}
  - id: either
    name: 二者择其一
    weight: 10
    method: either
    alternatives:
      - {id: rate, name: 结转结余率, method: reverse_linear, actual: a, target: 0.1}
      - {id: change, name: 结转结余变动率, method: equal, actual: t, target: 0, tolerance: 0.01}
  - {id: formula, name: 公式, weight: 10, method: formula, expr: a * 5}
  - id: ratio
    name: 比率
    weight: 10
    method: ratio
    actual: a
    target: t
    on_zero_target: full
    checks:
      - {when: actual < target, message: 未达成年度指标，需说明偏差原因}
      - {when: n > 3, message: 问题过多, level: error}
"""
BANDS_90_60 = "bands: [{at_least: 0.9, score: 10}, {at_least: 0.6, below: 0.8, score: 5}]"
UNIQUE = "hit: unique, bands: [{equals: 0, score: 10}, {above: 0, at_most: 0.1, score: 5}, {above: 0.1, score: 0}]"
CHANGE = "{id: change, name: 结转结余变动率, method: equal, actual: t, target: 0, tolerance: 0.01}"


def warnings_of(text: str) -> list[str]:
    ruleset = ruleset_from(text)
    return [
        str(problem_issue(problem, ruleset.origin.source, "t.yaml"))
        for problem in check_ruleset(ruleset)
        if problem.severity == "warning"
    ]


def test_the_rule_shapes_ruleset_is_valid_without_warnings():
    assert warnings_of(SHAPES) == []


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        pytest.param(
            "{above: 0, at_most: 0.1, score: 5}",
            "{at_least: 0, at_most: 0.1, score: 5}",
            [
                "t.yaml:13:109: [bands] bands: band ≥ 0 and ≤ 0.1 overlaps band 1 (= 0): hit: unique needs bands that do not overlap"
            ],
            id="bands_overlap_under_hit_unique",
        ),
        pytest.param(
            UNIQUE,
            "bands: [{at_least: 0.9, score: 10}, {at_least: 0.9, below: 0.95, score: 5}]",
            [
                "t.yaml:13:100: [bands] bands: band ≥ 0.9 and < 0.95 can never match: the bands before it cover it (the first match wins; list bands from the highest down)"
            ],
            id="band_unreachable",
        ),
        pytest.param(
            "{above: 0.1, score: 0}",
            "{above: 0.3, at_most: 0.2, score: 0}",
            ["t.yaml:13:145: [bands] bands: band > 0.3 and ≤ 0.2 holds no value: its ends cross"],
            id="band_empty_ends_cross",
        ),
        pytest.param(
            "{above: 0.1, score: 0}",
            "{above: 0.1, below: 0.1, score: 0}",
            [
                "t.yaml:13:145: [bands] bands: band > 0.1 and < 0.1 holds no value: for the single value write equals: 0.1"
            ],
            id="band_empty_open_ends_meet",
        ),
        pytest.param(
            "{above: 0.1, score: 0}",
            "{above: 0.1, at_least: 0.1, score: 0}",
            ["t.yaml:13:145: [bands] give at_least or above, not both"],
            id="band_at_least_and_above",
        ),
        pytest.param(
            "{above: 0.1, score: 0}",
            "{at_most: 0.1, below: 0.2, score: 0}",
            ["t.yaml:13:145: [bands] give at_most or below, not both"],
            id="band_at_most_and_below",
        ),
        pytest.param(
            "{above: 0.1, score: 0}",
            "{equals: 0.1, above: 0.2, score: 0}",
            [
                "t.yaml:13:145: [bands] equals stands alone, without at_least, above, at_most or below"
            ],
            id="band_equals_with_an_end",
        ),
        pytest.param(
            "{above: 0.1, score: 0}",
            "{score: 0}",
            [
                "t.yaml:13:145: [bands] give the band's interval: at_least, above, at_most, below or equals"
            ],
            id="band_without_interval",
        ),
        pytest.param(
            "hit: unique,",
            "hit: all,",
            ["t.yaml:13:69: [bands] hit: expected 'first' or 'unique', found 'all'"],
            id="hit_unknown",
        ),
        pytest.param(
            "at_most: 1, step",
            "step",
            [
                "t.yaml:14:5: [threshold] at_most: method threshold needs one limit: at_most (full marks up to it) or at_least"
            ],
            id="threshold_without_limit",
        ),
        pytest.param(
            "at_most: 1, step",
            "at_most: 1, at_least: 0.9, step",
            [
                "t.yaml:14:84: [threshold] at_least: method threshold takes one limit, at_most or at_least, not both"
            ],
            id="threshold_with_both_limits",
        ),
        pytest.param(
            "step: 0.01",
            "step: 0",
            ["t.yaml:14:90: [threshold] step: must be positive, found 0"],
            id="threshold_step_not_positive",
        ),
        pytest.param(
            "points: 0.5}",
            "points: -1}",
            ["t.yaml:14:104: [threshold] points: must be positive, found -1"],
            id="threshold_points_not_positive",
        ),
        pytest.param(
            "points: 0.5}",
            "points: 0.5, steps: each}",
            [
                "t.yaml:14:116: [threshold] steps: expected 'proportional', 'whole' or 'started', found 'each'"
            ],
            id="threshold_steps_unknown",
        ),
        pytest.param(
            "points: 4, met: ok}",
            "points: 3, met: ok}",
            ["t.yaml:20:7: [checklist] items: items' points sum to 9, expected the weight 10"],
            id="checklist_points_do_not_add_up",
        ),
        pytest.param(
            "points: 4, met: ok}",
            "points: 4}",
            ["t.yaml:20:9: [checklist] items: item 'rules' needs 'met'"],
            id="checklist_item_without_met",
        ),
        pytest.param(
            "points: 4, met: ok}",
            "points: 4, met: ok, count: n}",
            [
                "t.yaml:20:55: [checklist] items: 'count' does not apply to an item of method checklist"
            ],
            id="checklist_item_with_count",
        ),
        pytest.param(
            "points: 1, count: n}",
            "points: 1}",
            ["t.yaml:27:9: [deduct] items: item 'late' needs 'count'"],
            id="deduct_item_without_count",
        ),
        pytest.param(
            "points: 1, count: n}",
            "points: 0, count: n}",
            ["t.yaml:27:41: [deduct] items: must be positive, found 0"],
            id="deduct_item_points_not_positive",
        ),
        pytest.param(
            "    method: deduct\n",
            "    method: deduct\n    count: n\n",
            ["t.yaml:28:7: [deduct] items: give items, or one count and points, not both"],
            id="deduct_with_items_and_count",
        ),
        pytest.param(
            "    method: deduct\n    items:\n      - {id: late, name: 未按时报送, points: 1, count: n}\n",
            "    method: deduct\n",
            [
                "t.yaml:22:5: [deduct] count: method deduct needs 'count' (or items)",
                "t.yaml:22:5: [deduct] points: method deduct needs 'points' (or items)",
            ],
            id="deduct_with_neither",
        ),
        pytest.param(
            "{id: late,",
            "{id: late, name: 迟报, points: 1, count: n}\n      - {id: late,",
            ["t.yaml:28:14: [deduct] items: duplicate item id 'late'"],
            id="item_id_twice",
        ),
        pytest.param(
            "cases: [{when: a == 0, score: 10}, {when: a <= t, score: 5}]",
            "cases: []",
            ["t.yaml:28:61: [cases] cases: give at least one case"],
            id="cases_empty",
        ),
        pytest.param(
            "{when: a <= t, score: 5}",
            "{when: a <= t, score: 15}",
            ["t.yaml:28:111: [cases] cases: case score 15 is outside 0–10"],
            id="case_score_above_weight",
        ),
        pytest.param(
            "{when: a == 0, score: 10}",
            '{when: c == "无结于", score: 10}',
            [
                "t.yaml:28:69: [cases] cases: '无结于' is not a tier label or option (did you mean '无结余'?)"
            ],
            id="case_compares_with_no_option",
        ),
        pytest.param(
            "有结余: 5, 超过: 0}",
            "有结于: 5, 超过: 0}",
            [
                "t.yaml:29:76: [choice] options: option '有结余' of fact 'c' has no score",
                "t.yaml:29:86: [choice] options: '有结于' is not an option of fact 'c' (did you mean '有结余'?)",
            ],
            id="choice_options_mismatch_both_ways",
        ),
        pytest.param(
            "有结余: 5, 超过: 0}",
            "有结余: 5, 超过: 12}",
            ["t.yaml:29:98: [choice] options: option score 12 is outside 0–10"],
            id="choice_option_score_above_weight",
        ),
        pytest.param(
            "fact: c,",
            "fact: ok,",
            [
                "t.yaml:29:64: [choice] fact: fact 'ok' is declared type boolean, method choice needs type choice"
            ],
            id="choice_fact_of_wrong_type",
        ),
        pytest.param(
            "fact: c,",
            "fact: cc,",
            ["t.yaml:29:64: [choice] fact: unknown fact 'cc' (did you mean 'c'?)"],
            id="choice_fact_unknown",
        ),
        pytest.param(
            "c: {type: choice, options: [无结余, 有结余, 超过]}",
            "c: {type: choice}",
            ["t.yaml:11:6: [facts.c] options: a choice fact needs its options"],
            id="choice_fact_without_options",
        ),
        pytest.param(
            "c: {type: choice, options: [无结余, 有结余, 超过]}",
            "c: {type: choice, options: [无结余, 有结余, 超过, 无结余]}",
            ["t.yaml:11:30: [facts.c] options: an option is listed twice"],
            id="choice_option_twice",
        ),
        pytest.param(
            "c: {type: choice, options: [无结余, 有结余, 超过]}",
            "c: {type: choice, options: [无结余, 有结余, 超过], max: 3}",
            ["t.yaml:11:6: [facts.c] a choice fact takes no min or max"],
            id="choice_fact_with_bounds",
        ),
        pytest.param(
            "ok2: {type: boolean}",
            "ok2: {type: boolean, options: [是, 否]}",
            [
                "t.yaml:10:24: [facts.ok2] options: options belong to a choice fact, not a boolean fact"
            ],
            id="options_on_a_non_choice_fact",
        ),
        pytest.param(
            "share: 0.6",
            "share: 0",
            ["t.yaml:35:27: [average] parts: must be positive, found 0"],
            id="part_share_not_positive",
        ),
        pytest.param(
            "parts:\n      - {name: 数量, share: 0.6, value: a * 50}\n      - {name: 质量, share: 0.4, value: 100}\n",
            "parts: []\n",
            ["t.yaml:34:12: [average] parts: give at least one part"],
            id="parts_empty",
        ),
        pytest.param(
            f"      - {CHANGE}\n",
            "",
            ["t.yaml:42:7: [either] alternatives: give at least two alternatives to choose from"],
            id="either_with_one_alternative",
        ),
        pytest.param(
            "{id: change, name: 结转结余变动率, method",
            "{id: change, name: 结转结余变动率, weight: 10, method",
            [
                "t.yaml:43:37: [either.change] weight: an alternative takes no weight: it is scored out of the indicator's weight"
            ],
            id="alternative_with_a_weight",
        ),
        pytest.param(
            CHANGE,
            "{id: change, name: 结转结余变动率, children: []}",
            [
                "t.yaml:43:37: [either.change] children: an alternative is a leaf with a method, not a group"
            ],
            id="alternative_with_children",
        ),
        pytest.param(
            CHANGE,
            "{id: change, name: 结转结余变动率, method: either}",
            [
                "t.yaml:43:9: [either.change] method: an alternative needs a method other than either"
            ],
            id="alternative_with_method_either",
        ),
        pytest.param(
            CHANGE,
            "{id: rate, name: 结转结余变动率, method: equal, actual: t, target: 0}",
            ["t.yaml:43:14: [either] alternatives: duplicate alternative id 'rate'"],
            id="alternative_id_twice",
        ),
        pytest.param(
            CHANGE,
            "{id: change, name: 结转结余变动率, method: equal, actual: tt}",
            [
                "t.yaml:43:9: [either.change] target: method equal needs 'target'",
                "t.yaml:43:60: [either.change] actual: unknown fact 'tt' (did you mean 't'?)",
            ],
            id="alternative_checked_like_a_leaf",
        ),
        pytest.param(
            CHANGE,
            "{id: change, name: 结转结余变动率, method: equal, actual: t, target: 0, checks: [{when: actual > 0, message: 变动}]}",
            [
                "t.yaml:43:74: [either.change] checks: an alternative takes no checks: give them to the indicator itself (they may read facts, not actual, target or value)"
            ],
            id="alternative_with_checks",
        ),
        pytest.param(
            "tolerance: 0.01",
            "tolerance: -0.01",
            ["t.yaml:43:85: [either.change] tolerance: must be 0 or more, found -0.01"],
            id="equal_tolerance_negative",
        ),
        pytest.param(
            "method: either\n",
            "method: either\n    checks: [{when: target > 0, message: 有变动}]\n",
            ["t.yaml:41:21: [either] checks: method either has no 'target' for a check to read"],
            id="check_reads_target_of_a_method_without_one",
        ),
        pytest.param(
            "{when: n > 3, message: 问题过多, level: error}",
            "{when: value > 3, message: 问题过多}",
            ["t.yaml:54:16: [ratio] checks: method ratio has no 'value' for a check to read"],
            id="check_reads_value_of_a_method_without_one",
        ),
        pytest.param(
            "{when: n > 3,",
            "{when: nn > 3,",
            ["t.yaml:54:16: [ratio] checks: unknown fact 'nn' (did you mean 'n'?)"],
            id="check_reads_an_unknown_fact",
        ),
        pytest.param(
            "level: error}",
            "level: fatal}",
            ["t.yaml:54:45: [ratio] level: expected 'note' or 'error', found 'fatal'"],
            id="check_level_unknown",
        ),
        pytest.param(
            "  - {id: formula, name: 公式, weight: 10, method: formula, expr: a * 5}\n",
            "  - id: formula\n    name: 公式\n    weight: 10\n    checks: [{when: ok, message: 说明}]\n    children:\n      - {id: f, name: 公式, weight: 10, method: formula, expr: a * 5}\n",
            [
                "t.yaml:47:5: [formula] checks: 'checks' belongs to a leaf with a method, not to a group"
            ],
            id="checks_on_a_group",
        ),
        pytest.param(
            "expr: a * 5}",
            "expr: a * 6}",
            ["t.yaml:44:64: [formula] expr: the formula gives 12 at a = 2, outside 0–10"],
            id="formula_above_weight_at_a_corner",
        ),
        pytest.param(
            "expr: a * 5}",
            "expr: a * 5 - 1}",
            ["t.yaml:44:64: [formula] expr: the formula gives -1 at a = 0, outside 0–10"],
            id="formula_below_zero_at_a_corner",
        ),
        pytest.param(
            "expr: a * 5}",
            "expr: '10 if ok else 11'}",
            ["t.yaml:44:64: [formula] expr: the formula gives 11 at ok = false, outside 0–10"],
            id="formula_outside_at_a_yes_no_corner",
        ),
        pytest.param(
            "expr: a * 5}",
            "expr: '12 if c == \"无结余\" else 0'}",
            ["t.yaml:44:64: [formula] expr: the formula gives 12 at c = 无结余, outside 0–10"],
            id="formula_outside_at_a_choice",
        ),
    ],
)
def test_rule_shape_check_reports_exactly(old, new, expected):
    text = SHAPES.replace(old, new, 1)
    assert text != SHAPES
    with pytest.raises(RulesetError) as caught:
        ruleset_from(text)
    assert [str(issue) for issue in caught.value.issues] == expected


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        pytest.param(
            UNIQUE,
            BANDS_90_60,
            [
                "t.yaml:13:71: [bands] bands: values ≥ 0.8 and < 0.9 match no band and score otherwise (0); write otherwise: to confirm"
            ],
            id="gap_between_bands",
        ),
        pytest.param(UNIQUE, f"{BANDS_90_60}, otherwise: 0", [], id="gap_with_explicit_otherwise"),
        pytest.param(
            UNIQUE,
            "bands: [{at_least: 0.9, score: 10}, {at_least: 0.6, score: 5}]",
            [],
            id="below_every_band_is_no_gap",
        ),
        pytest.param(
            "expr: a * 5}",
            "expr: t * 5}",
            [
                "t.yaml:44:64: [formula] expr: cannot check that the formula stays within 0–10: give min and max for t"
            ],
            id="formula_reads_an_unbounded_fact",
        ),
        pytest.param(
            "expr: a * 5}",
            "expr: '10 if c == \"无结余\" else 0'}",
            [],
            id="formula_reads_a_choice_fact",
        ),
    ],
)
def test_rule_shape_warnings_exactly(old, new, expected):
    text = SHAPES.replace(old, new, 1)
    assert text != SHAPES
    assert warnings_of(text) == expected


# --- a divisor that may be 0: warned at publication, not met at score time ------------------

DIVIDES = """\
id: t.divides
version: "1"
title: 除数
kind: project
facts:
  支出: {min: 0, max: 100}
  人数: {type: integer, min: 0, max: 100}
  预算: {min: 0, max: 100}
derived:
  人均: 支出 / 人数
indicators:
  - {id: per_person, name: 人均支出, weight: 50, method: threshold, value: 人均, at_most: 5, step: 1, points: 10}
  - {id: execution, name: 预算执行率, weight: 50, method: ratio, actual: 支出, target: 预算}
"""
PER_PERSON = (
    "t.yaml:10:7: [derived.人均] expr: divides by fact '人数', which may be 0 (its min is 0): "
    "per_person cannot be scored for a unit with 人数 = 0; set on_zero_division to the value it "
    "takes then, or declare a min above 0"
)
EXECUTION = (
    "t.yaml:13:81: [execution] target: the target is fact '预算', which may be 0 (its min is 0): "
    "method ratio divides by it, so a unit with 预算 = 0 cannot be scored; set on_zero_target "
    "(full, zero or error) to say what a target of 0 gives"
)


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        pytest.param("", "", [PER_PERSON, EXECUTION], id="both_named_with_indicator_and_fact"),
        pytest.param(
            "人均: 支出 / 人数",
            "人均: {expr: 支出 / 人数, on_zero_division: error}",
            [EXECUTION],
            id="derived_says_error_on_purpose",
        ),
        pytest.param(
            "人均: 支出 / 人数",
            "人均: {expr: 支出 / 人数, on_zero_division: 0}",
            [EXECUTION],
            id="derived_says_what_0_gives",
        ),
        pytest.param("value: 人均,", "value: 支出,", [EXECUTION], id="derived_only_shown"),
        pytest.param(
            "target: 预算}", "target: 预算, on_zero_target: error}", [PER_PERSON], id="ratio_says"
        ),
        pytest.param("预算: {min: 0,", "预算: {min: 1,", [PER_PERSON], id="bounds_exclude_0"),
        pytest.param(
            "人数: {type: integer, min: 0, max: 100}",
            "人数: {type: integer, max: 100}",
            [PER_PERSON.replace("its min is 0", "it declares no min"), EXECUTION],
            id="no_min_declared",
        ),
        pytest.param(
            "人数: {type: integer, min: 0, max: 100}",
            "人数: {type: integer, min: -5, max: 100}",
            [PER_PERSON.replace("its min is 0", "its range holds 0"), EXECUTION],
            id="a_range_across_0",
        ),
        pytest.param(
            "method: ratio, actual: 支出, target: 预算}",
            "method: formula, expr: '50 * 支出 / 预算 if 预算 > 0 else 0'}",
            [PER_PERSON],
            id="formula_guarded_by_a_condition",
        ),
        pytest.param(
            "method: ratio, actual: 支出, target: 预算}",
            "method: formula, expr: '50 if 预算 > 0 and 支出 / 预算 > 0.9 else 0'}",
            [PER_PERSON],
            id="formula_guarded_by_and",
        ),
        pytest.param(
            "method: ratio, actual: 支出, target: 预算}",
            "method: formula, expr: 'min(50 * 支出 / 预算, 50)'}",
            [
                PER_PERSON,
                "t.yaml:13:69: [execution] expr: divides by fact '预算', which may be 0 (its min "
                "is 0): the indicator cannot be scored for a unit with 预算 = 0; declare a min "
                "above 0, or guard the division (… if 预算 > 0 else …)",
            ],
            id="formula_unguarded",
        ),
        pytest.param(
            "method: ratio, actual: 支出, target: 预算}",
            "method: formula, expr: 'min(50 * 支出 / max(预算, 1), 50)'}",
            [PER_PERSON],
            id="divisor_that_cannot_be_0",
        ),
    ],
)
def test_a_divisor_that_may_be_0_is_a_warning(old, new, expected):
    text = DIVIDES.replace(old, new, 1)
    assert text != DIVIDES or not old
    assert warnings_of(text) == expected


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        pytest.param(
            "min_applicable_share: 60\n",
            "t.yaml:5:23: min_applicable_share: a share of the total between 0 and 1 (0.6 for "
            "60%), found 60",
            id="a_percentage_not_a_share",
        ),
        pytest.param(
            "min_applicable_share: 0\n",
            "t.yaml:5:23: min_applicable_share: a share of the total between 0 and 1 (0.6 for "
            "60%), found 0",
            id="zero",
        ),
        pytest.param(
            "grades: null\nmin_applicable_share: 0.6\n",
            "t.yaml:6:23: min_applicable_share: this ruleset gives no grade to withhold: remove "
            "min_applicable_share",
            id="no_grades",
        ),
    ],
)
def test_min_applicable_share_is_a_share_of_a_graded_total(line, expected):
    text = DIVIDES.replace("kind: project\n", "kind: project\n" + line)
    with pytest.raises(RulesetError) as caught:
        ruleset_from(text)
    assert [str(issue) for issue in caught.value.issues] == [expected]


def test_an_option_one_negation_away_is_not_suggested_the_options_are_listed():
    text = SHAPES.replace("options: {无结余: 10, 有结余: 5,", "options: {没有结余: 10, 有结余: 5,")
    with pytest.raises(RulesetError) as caught:
        ruleset_from(text)
    assert (
        "t.yaml:29:77: [choice] options: '没有结余' is not an option of fact 'c' (choose one of "
        "'无结余', '有结余', '超过')"
    ) in [str(issue) for issue in caught.value.issues]


# --- in Chinese -----------------------------------------------------------------------------


@pytest.mark.usefixtures("chinese")
@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        pytest.param(
            "title: 检查\n",
            "title: 检查\ntotal: 0\n",
            [
                "t.yaml:4:8: total: 必须大于 0，实际为 0",
                "t.yaml:19:3: 一级指标的分值合计为 100，应为总分 0",
            ],
            id="total_not_positive",
        ),
        pytest.param(
            "{id: deduct, name: 扣分, weight: 20, method: deduct, count: n, points: 2}",
            "{id: deduct, name: 扣分, weight: 20}",
            ["t.yaml:22:5: [deduct] method: 有分值的末级指标需要评分方法（ratio、bands、tiers、checklist …：见 docs/format.md 第 6 节）"],
            id="leaf_without_method",
        ),
        pytest.param(
            "method: deduct, count: n, points: 2}",
            "method: deduct, count: n, points: 2, bands: []}",
            ["t.yaml:22:77: [deduct] bands: 评分方法 deduct 不使用 'bands'"],
            id="parameter_of_another_method",
        ),
        pytest.param(
            "{at_least: 0.6, score: 10}",
            "{at_least: 0.6, score: 30}",
            ["t.yaml:19:123: [bands] bands: 区间得分 30 超出了 0–20"],
            id="band_score_above_weight",
        ),
        pytest.param(
            "{at_least: 0.6, score: 10}",
            "{at_least: 0.95, score: 10}",
            ["t.yaml:19:100: [bands] bands: 区间 ≥ 0.95 永远不会命中：前面的区间已经覆盖了它（按第一个命中的区间评分；请从高到低排列区间）"],
            id="bands_not_descending",
        ),
        pytest.param(
            "fact: q}",
            "fact: qq}",
            ["t.yaml:20:60: [tiers] fact: 未知数据项 'qq'（是否应为 'q'？）"],
            id="tiers_fact_unknown",
        ),
        pytest.param(
            "value: ok, false_score",
            'value: q == "达到", false_score',
            ["t.yaml:21:62: [flag] value: '达到' 不是档次名称或选项（可选：'未达成'、'达成'、'部分达成'）"],
            id="text_that_is_no_tier_label",
        ),
        pytest.param(
            "  - {label: 未达成, range: [0, 0.6]}",
            "  - {label: 未达成, range: [0, 0.7]}",
            ["t.yaml:6:3: tiers: 档次 '未达成' 和 '部分达成' 的范围重叠"],
            id="tiers_overlap",
        ),
    ],
)  # fmt: skip
def test_checks_report_in_chinese(old, new, expected):
    text = BASE.replace(old, new, 1)
    assert text != BASE
    with pytest.raises(RulesetError) as caught:
        ruleset_from(text)
    assert [str(issue) for issue in caught.value.issues] == expected


def test_a_divisor_that_may_be_0_is_warned_in_chinese(chinese):
    assert warnings_of(DIVIDES) == [
        "t.yaml:10:7: [derived.人均] expr: 除以数据项 '人数'，而它可能为 0（它的 min 为 0）："
        "对 人数 = 0 的单位，per_person 无法评分；请用 on_zero_division 设定此时的取值，"
        "或声明大于 0 的 min",
        "t.yaml:13:81: [execution] target: 目标值是数据项 '预算'，而它可能为 0（它的 min 为 0）："
        "评分方法 ratio 要除以它，预算 = 0 的单位因此无法评分；请设定 on_zero_target"
        "（full、zero 或 error），说明目标值为 0 时如何得分",
    ]


def test_a_formula_leaving_its_weight_is_shown_at_the_corner_in_chinese(chinese):
    text = DIVIDES.replace(
        "method: ratio, actual: 支出, target: 预算}", "method: formula, expr: '支出 + 预算'}"
    )
    with pytest.raises(RulesetError) as caught:
        ruleset_from(text)
    assert [str(issue) for issue in caught.value.issues] == [
        "t.yaml:13:69: [execution] expr: 当 支出 = 0、预算 = 100 时，公式结果为 100，超出了 0–50"
    ]
