"""The whole-tree checks, one case per rule: the exact message, line and column for each.

Each case edits one thing in a valid ruleset that uses every method, and lists what lint says.
"""

from __future__ import annotations

import pytest

from scoring.errors import RulesetError
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
            ["t.yaml:11:3: [facts.max] 'max' is reserved for a function or constant"],
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
            ["t.yaml:21:62: [flag] value: '达到' is not a tier label or option"],
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
            ["t.yaml:4:20: places: input should be less than or equal to 6, found 9"],
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
