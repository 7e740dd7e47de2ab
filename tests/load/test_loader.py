"""Ruleset and facts loading: every problem at once, each with file:line:column and its path."""

from __future__ import annotations

from decimal import Decimal

import pytest

from scoring.errors import FactsError, RulesetError
from scoring.load.facts import facts_files, load_facts, read_facts_input
from scoring.load.rulesets import load_named_ruleset
from scoring.model.ruleset import NATIONAL_GRADES
from tests.conftest import EXAMPLES, MINIMAL, facts_from, ruleset_from

EXAMPLE_FACTS = EXAMPLES / "xinfang-wangcheng-2022.yaml"


def problems(text: str) -> list[str]:
    with pytest.raises(RulesetError) as caught:
        ruleset_from(text)
    return [str(issue) for issue in caught.value.issues]


def test_minimal_ruleset_loads_numbers_as_decimals(minimal_ruleset):
    assert minimal_ruleset.ref == "test.minimal@1"
    assert minimal_ruleset.indicators[0].weight == Decimal(100)
    assert minimal_ruleset.grades == NATIONAL_GRADES


def test_yaml_syntax_error_has_a_position():
    assert problems("id: [unclosed\n") == [
        "t.yaml:1:5: YAML: the '[' opened here is not closed: expected ',' or ']' before the end of the file"
    ]


def test_python_tags_are_refused():
    (message,) = problems("id: !!python/object/apply:os.system ['true']\n")
    assert message == (
        "t.yaml:1:5: YAML: the tag !!python/object/apply:os.system is not accepted: "
        "remove it (only plain values are read)"
    )


@pytest.mark.parametrize(
    ("written", "read"),
    [
        ("0x1F", "0x1F"),
        ("0o17", "0o17"),
        ("1:30", "1:30"),
        ("2022-01-05", "2022-01-05"),
        ("1_000", 1000),
    ],
)
def test_yaml_1_1_number_forms_nobody_means_stay_text(written, read):
    from scoring.load.yaml_source import parse_yaml

    assert parse_yaml(f"a: {written}\n", "t.yaml")["a"] == read


def test_a_fact_written_in_base_60_is_refused_not_misread(minimal_ruleset):
    (found,) = fact_problems("facts: {预算数: 60, 执行数: 1:30}\n", minimal_ruleset)
    assert "expected a number, found text '1:30'" in found


def test_duplicate_keys_are_refused():
    assert problems("id: a\nid: b\n") == ["t.yaml:2:1: YAML: duplicate key 'id'"]


def test_unknown_key_suggests_the_near_miss():
    text = MINIMAL.replace("    weight: 100\n", "    wieght: 100\n")
    assert problems(text) == [
        "t.yaml:12:5: [execution] wieght: unknown key (did you mean 'weight'?)"
    ]


def test_unknown_fact_in_a_formula_suggests_the_declared_one():
    text = MINIMAL.replace("actual: 执行数", "actual: 执行额")
    assert problems(text) == [
        "t.yaml:14:13: [execution] actual: unknown fact '执行额' (did you mean '执行数'?)"
    ]


def test_formula_syntax_is_checked_at_load():
    text = MINIMAL.replace("actual: 执行数", "actual: 执行数.adjusted()")
    assert problems(text) == ["t.yaml:14:13: [execution] actual: attribute access is not allowed"]
    quoted = MINIMAL.replace("actual: 执行数", "actual: '执行数 + rand()'")
    assert problems(quoted) == [
        "t.yaml:14:20: [execution] actual: unknown function 'rand' "
        "(allowed: abs, clamp, max, min, round)"
    ]


def test_weights_must_add_up_at_every_level():
    text = """\
    id: t.w
    version: "1"
    title: t
    kind: project
    grades: null
    indicators:
      - id: output
        name: 产出指标
        weight: 60
        children:
          - {id: a, name: A, weight: 30, method: formula, expr: "0"}
          - {id: b, name: B, weight: 20, method: formula, expr: "0"}
    """
    assert problems(text) == [
        "t.yaml:7:3: top-level weights sum to 60, expected the total 100",
        "t.yaml:11:7: [output] weight: children's weights sum to 50, expected 60",
    ]


def test_every_problem_is_reported_at_once():
    text = """\
    id: t.many
    version: "1"
    title: t
    kind: project
    grades: {优: 90, 良: 90}
    facts:
      x: {min: 5, max: 1}
    indicators:
      - id: a
        name: A
        weight: 100
        method: ratio
        actual: y
      - id: a
        name: A again
        weight: -1
        method: bands
        value: x
    """
    assert problems(text) == [
        "t.yaml:5:9: no grade covers totals below 90: the lowest grade must start at 0",
        "t.yaml:5:20: '良' and '优' both start at 90",
        "t.yaml:7:12: [facts.x] min: min 5 is above max 1",
        "t.yaml:9:3: top-level weights sum to 99, expected the total 100",
        "t.yaml:9:5: [a] target: method ratio needs 'target'",
        "t.yaml:13:13: [a] actual: unknown fact 'y'",
        "t.yaml:14:5: [a] bands: method bands needs 'bands'",
        "t.yaml:14:9: [a] id: duplicate indicator id 'a'",
        "t.yaml:16:13: [a] weight: must be positive, found -1",
    ]


def test_a_node_has_children_or_a_method_never_both():
    text = MINIMAL.replace(
        "    method: ratio\n",
        "    method: ratio\n    children: [{id: c, name: C, weight: 100, method: formula, expr: '1'}]\n",
    )
    assert "a node has children or a method, never both" in "\n".join(problems(text))


def test_depth_is_at_most_three_levels():
    leaf = "{id: d, name: D, weight: 100, method: formula, expr: '1'}"
    nested = f"[{{id: c, name: C, weight: 100, children: [{{id: b, name: B, weight: 100, children: [{leaf}]}}]}}]"
    text = MINIMAL.replace(
        "    method: ratio\n    actual: 执行数\n    target: 预算数\n", f"    children: {nested}\n"
    )
    assert problems(text) == [
        "t.yaml:13:98: [execution.c.b.d] indicators nest at most 3 levels (一级/二级/三级), "
        "this is level 4"
    ]


def test_derived_cycles_are_refused():
    text = MINIMAL.replace("indicators:", "derived:\n  x: y + 1\n  y: x * 2\nindicators:")
    assert problems(text) == ["t.yaml:10:3: [derived.x] depends on itself: x → y → x"]


def test_fullwidth_fact_names_resolve_like_python_identifiers():
    text = MINIMAL.replace("预算数:", "ＢＵＤＧＥＴ:").replace("target: 预算数", "target: BUDGET")
    ruleset = ruleset_from(text)
    facts = facts_from("facts: {ＢＵＤＧＥＴ: 60, 执行数: 30}", ruleset)
    from scoring.engine.score import score

    assert score(ruleset, facts).total == Decimal("50.00")


# --- facts -------------------------------------------------------------------------------------


def fact_problems(text: str, ruleset) -> list[str]:
    with pytest.raises(FactsError) as caught:
        facts_from(text, ruleset)
    return [str(issue) for issue in caught.value.issues]


def test_all_fact_problems_at_once(minimal_ruleset):
    text = """\
    subjet: {unit: x}
    facts:
      预算数: "六十"
      执行额: 30
    """
    assert fact_problems(text, minimal_ruleset) == [
        "f.yaml:1:1: subjet: unknown key (did you mean 'subject'?)",
        "f.yaml:2:1: [execution] 执行数: missing (全年执行数, 万元)",
        "f.yaml:3:8: [execution] 预算数: expected a number, found text '六十': "
        "write digits only in 万元, e.g. 1280 or 52.05 (a comma only between groups of three)",
        "f.yaml:4:3: 执行额: undeclared fact (did you mean '执行数'?)",
    ]


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("-3", "-3 is below the declared min 0"),
        ("true", "expected a number, found true (a yes/no value)"),
        (".nan", "expected a finite number, found NaN"),
        ("null", "missing (全年执行数, 万元)"),
    ],
)
def test_bad_fact_values(minimal_ruleset, value, message):
    (found,) = fact_problems(f"facts: {{预算数: 60, 执行数: {value}}}\n", minimal_ruleset)
    assert found.endswith(message)


def test_not_applicable_paths_must_exist(minimal_ruleset):
    text = "facts: {预算数: 1, 执行数: 1}\nnot_applicable: [executoin]\n"
    (found,) = fact_problems(text, minimal_ruleset)
    assert (
        found == "f.yaml:2:18: not_applicable: no indicator 'executoin' (did you mean 'execution'?)"
    )


def test_forbid_policy_refuses_not_applicable():
    ruleset = ruleset_from(MINIMAL + "not_applicable: forbid\n")
    *missing, found = fact_problems("not_applicable: [execution]\n", ruleset)
    assert len(missing) == 2
    assert "forbids 不适用" in found


def test_facts_of_not_applicable_indicators_are_not_required(minimal_ruleset):
    text = (
        MINIMAL.replace("    weight: 100\n", "    weight: 50\n", 1)
        + """\
  - id: other
    name: 其他
    weight: 50
    method: boolean
    value: 完成
"""
    )
    text = text.replace("facts:\n", "facts:\n  完成: {type: boolean}\n")
    ruleset = ruleset_from(text)
    facts = facts_from("facts: {完成: true}\nnot_applicable: [execution]\n", ruleset)
    assert facts.facts == {"完成": True}


def test_weights_cannot_be_finer_than_the_rounding():
    text = MINIMAL.replace("weight: 100", "weight: 99.995").replace(
        "grades:", "total: 99.995\ngrades:"
    )
    assert problems(text) == [
        "t.yaml:13:13: [execution] weight: 99.995 has more decimal places than the rounding's 2"
    ]


def test_grades_default_to_the_national_bands():
    text = MINIMAL.replace("grades: {优: 90, 良: 80, 中: 60, 差: 0}\n", "")
    assert ruleset_from(text).grades == NATIONAL_GRADES


def test_grades_null_means_no_grading():
    text = MINIMAL.replace("grades: {优: 90, 良: 80, 中: 60, 差: 0}", "grades: null")
    assert ruleset_from(text).grades is None


def test_a_version_written_as_a_number_keeps_its_text():
    assert ruleset_from(MINIMAL.replace('version: "1"', "version: 2020.10")).version == "2020.10"


def test_python_keywords_cannot_name_facts():
    text = MINIMAL.replace("  执行数:", "  class: {}\n  执行数:")
    (message,) = problems(text)
    assert message.startswith("t.yaml:8:3: [facts.class] 'class' is not a usable name")


def test_fullwidth_fact_names_in_the_facts_file_fold_too():
    text = MINIMAL.replace("执行数", "ＡＢＣ")
    ruleset = ruleset_from(text)
    facts = facts_from("facts: {预算数: 60, ABC: 30}", ruleset)
    assert facts.facts == {"预算数": 60, "ＡＢＣ": 30}


def test_a_fact_given_twice_under_folded_names_is_refused():
    ruleset = ruleset_from(MINIMAL.replace("执行数", "ＡＢＣ"))
    (found,) = fact_problems("facts: {预算数: 60, ABC: 30, ＡＢＣ: 31}", ruleset)
    assert found == "f.yaml:1:27: ＡＢＣ: given twice, as 'ABC' and 'ＡＢＣ'"


TIERED = """\
id: t.tiered
version: "1"
title: t
kind: project
tiers:
  - {label: 达成年度指标, range: [0.8, 1], default: 1, synonyms: [达成预期指标]}
  - {label: 未达成年度指标, range: [0, 0.8], default: 0}
facts:
  q: {type: tier}
indicators:
  - {id: a, name: A, weight: 50, method: tiers, fact: q}
  - {id: b, name: B, weight: 50, method: boolean, value: q == "达成年度指标"}
"""


def test_formulas_compare_tier_facts_with_labels():
    from scoring.engine.score import score

    ruleset = ruleset_from(TIERED)
    result = score(ruleset, facts_from("facts: {q: 达成预期指标}", ruleset))
    assert result.total == Decimal("100.00")  # the synonym reads as its label


def test_formulas_must_use_the_label_not_a_synonym():
    text = TIERED.replace('q == "达成年度指标"', 'q == "达成预期指标"')
    assert problems(text) == [
        "t.yaml:12:58: [b] value: write the tier label '达成年度指标', not its synonym '达成预期指标'"
    ]


def test_one_tier_fact_is_scored_by_one_indicator():
    text = TIERED.replace('method: boolean, value: q == "达成年度指标"', "method: tiers, fact: q")
    assert problems(text) == [
        "t.yaml:12:55: [b] fact: fact 'q' is already scored by a: give each its own fact"
    ]


def test_an_empty_method_parameter_counts_as_missing():
    text = MINIMAL.replace("    actual: 执行数\n", "    actual:\n")
    assert problems(text) == ["t.yaml:10:5: [execution] actual: method ratio needs 'actual'"]


def test_numbers_beyond_the_engines_range_are_refused_at_load():
    text = MINIMAL.replace("weight: 100", "weight: 1.0e+30").replace(
        "grades:", "total: 1.0e+30\ngrades:"
    )
    messages = problems(text)
    assert (
        messages[0]
        == "t.yaml:5:8: total: 1.0E+30 is too large (numbers must stay below 1,000,000,000,000,000)"
    )


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("1.0e+20", "1.0E+20 is too large (numbers must stay below 1,000,000,000,000,000)"),
        ("0.000000000001", "0.000000000001 has more than 10 decimal places"),
    ],
)
def test_fact_values_beyond_the_engines_range_are_refused(minimal_ruleset, value, message):
    (found,) = fact_problems(f"facts: {{预算数: 60, 执行数: {value}}}\n", minimal_ruleset)
    assert found.endswith(message)


def test_subject_values_are_kept_as_text(minimal_ruleset):
    facts = facts_from(
        "subject: {year: 2022, code: 0.000000000000001}\nfacts: {预算数: 1, 执行数: 1}",
        minimal_ruleset,
    )
    assert facts.subject == {"year": "2022", "code": "0.000000000000001"}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("facts: 5\n", ["f.yaml:1:8: facts: expected name: value lines, found 5"], id="facts_a_number"),
        pytest.param("ruleset: [1]\nfacts: {预算数: 1, 执行数: 1}\n", ["f.yaml:1:10: ruleset: expected 'id@version', found [1]"], id="ruleset_not_text"),
        pytest.param("subject: 某局\nfacts: {预算数: 1, 执行数: 1}\n", ["f.yaml:1:10: subject: expected a mapping like {unit: …, year: …}, found '某局'"], id="subject_not_a_mapping"),
        pytest.param("subject: {unit: [a]}\nfacts: {预算数: 1, 执行数: 1}\n", ["f.yaml:1:17: unit: expected text or a number, found ['a']"], id="subject_value_a_list"),
        pytest.param("facts: {预算数: 1, 执行数: 1}\nnot_applicable: execution\n", ["f.yaml:2:17: not_applicable: expected a list of indicator paths, found 'execution'"], id="not_applicable_not_a_list"),
        pytest.param("facts: {预算数: 1, 执行数: 1000}\n", None, id="no_max_declared"),
    ],
)  # fmt: skip
def test_facts_file_shapes(minimal_ruleset, text, expected):
    if expected is None:
        assert facts_from(text, minimal_ruleset).facts["执行数"] == 1000
    else:
        assert fact_problems(text, minimal_ruleset) == expected


def test_a_value_above_the_declared_max_is_refused():
    ruleset = ruleset_from(
        MINIMAL.replace(
            "执行数: {label: 全年执行数, unit: 万元, min: 0}",
            "执行数: {label: 全年执行数, unit: 万元, min: 0, max: 100}",
        )
    )
    assert fact_problems("facts: {预算数: 1, 执行数: 100.5}\n", ruleset) == [
        "f.yaml:1:22: [execution] 执行数: 100.5 is above the declared max 100"
    ]


def test_a_tier_claim_with_a_score_too_precise_is_refused():
    ruleset = ruleset_from(TIERED)
    text = "facts: {q: {tier: 达成年度指标, score: 45.000000000001}}\n"
    assert fact_problems(text, ruleset) == [
        "f.yaml:1:12: [a] q: score: 45.000000000001 has more than 10 decimal places"
    ]


def test_facts_files_naming_their_ruleset_find_it(tmp_path):
    from scoring.errors import FactsError, SearchPathError
    from scoring.load.rulesets import load_named_ruleset

    unnamed = tmp_path / "a.yaml"
    unnamed.write_text("facts: {}\n", encoding="utf-8")
    with pytest.raises(FactsError, match=r"a\.yaml:1:1: ruleset: name the ruleset"):
        load_named_ruleset(unnamed)
    unknown = tmp_path / "b.yaml"
    unknown.write_text("ruleset: t.nothere@1\nfacts: {}\n", encoding="utf-8")
    with pytest.raises(SearchPathError, match=r"b\.yaml:1:10: ruleset: no ruleset 't\.nothere@1'"):
        load_named_ruleset(unknown)
    named = tmp_path / "c.yaml"
    named.write_text("ruleset: xinfang.wangcheng-relief\nfacts: {}\n", encoding="utf-8")
    assert load_named_ruleset(named).ref == "xinfang.wangcheng-relief@2022.1"  # the newest


SATISFACTION = TIERED.replace(
    "  - {label: 达成年度指标, range: [0.8, 1], default: 1, synonyms: [达成预期指标]}\n"
    "  - {label: 未达成年度指标, range: [0, 0.8], default: 0}\n",
    "  - {label: 满意, range: [0.8, 1], default: 1}\n"
    "  - {label: 基本满意, range: [0.6, 0.8], default: 0.7}\n"
    "  - {label: 不满意, range: [0, 0.6], default: 0}\n",
).replace('q == "达成年度指标"', 'q == "满意"')


@pytest.mark.parametrize("written", ["基本不满意", "很满意", "满义"])
def test_an_unknown_tier_lists_the_tiers_and_never_guesses(written):
    """基本不满意 is one negation from 基本满意, 很满意 near 满意: a guess could be the wrong answer."""
    ruleset = ruleset_from(SATISFACTION)
    assert fact_problems(f"facts: {{q: {written}}}\n", ruleset) == [
        f"f.yaml:1:12: [a] q: unknown tier '{written}': choose one of '满意', '基本满意', '不满意'"
    ]


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        pytest.param(
            "kind: project\n",
            "kind: project\nrounding: {places: -1}\n",
            "t.yaml:5:20: places: must be 0 or more, found -1",
            id="below_a_minimum",
        ),
        pytest.param(
            "name: A,",
            "name: '',",
            "t.yaml:11:19: [a] name: must not be empty, found ''",
            id="empty_text",
        ),
        pytest.param(
            "range: [0, 0.8]",
            "range: [0]",
            "t.yaml:7:29: range: item 2 is missing",
            id="a_pair_with_one_number",
        ),
        pytest.param(
            "range: [0, 0.8]",
            "range: [0, 0.5, 0.8]",
            "t.yaml:7:29: range: takes at most 2 items, found [0, 0.5, 0.8]",
            id="a_pair_with_three_numbers",
        ),
        pytest.param(
            "  q: {type: tier}\n",
            "  q: {type: tier}\n  n: {}\nderived:\n  d: {expr: n, on_zero_division: eror}\n",
            "t.yaml:12:34: [derived.d] on_zero_division: expected a number or 'error', found 'eror'",
            id="neither_branch_of_a_union",
        ),
    ],
)
def test_shape_problems_are_said_in_the_projects_words(old, new, expected):
    """Never pydantic's own text ("Input should be …", "Value error, …")."""
    text = TIERED.replace(old, new, 1)
    assert text != TIERED
    assert problems(text) == [expected]


# --- facts in every form --------------------------------------------------------------------

FORM_TEXT = "ruleset: test.minimal@1\nsubject: {unit: 甲局}\nfacts: {预算数: 60, 执行数: 48.5}\n"
FORM_JSON = '{\n\t"ruleset": "test.minimal@1",\n\t"subject": {"unit": "甲局"},\n\t"facts": {"预算数": 60, "执行数": 48.5}\n}\n'


@pytest.mark.parametrize(
    ("name", "text"), [("f.yaml", FORM_TEXT), ("f.yml", FORM_TEXT), ("f.json", FORM_JSON)]
)
def test_facts_files_of_every_text_form_read_the_same(tmp_path, minimal_ruleset, name, text):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    facts = load_facts(path, minimal_ruleset)
    assert (facts.ruleset, facts.subject, facts.facts) == (
        "test.minimal@1",
        {"unit": "甲局"},
        {"预算数": Decimal(60), "执行数": Decimal("48.5")},
    )


def test_a_json_facts_file_is_placed_by_line_and_column_too(tmp_path, minimal_ruleset):
    path = tmp_path / "f.json"
    path.write_text(FORM_JSON.replace("48.5", '"四十八"'), encoding="utf-8")
    with pytest.raises(FactsError) as caught:
        load_facts(path, minimal_ruleset)
    assert str(caught.value) == (
        f"{path}:4:30: [execution] 执行数: expected a number, found text '四十八': write digits "
        "only in 万元, e.g. 1280 or 52.05 (a comma only between groups of three)"
    )


def test_a_filled_workbook_is_a_facts_input_named_or_not_xlsx(tmp_path):
    from scoring.render.workbook import render_template_xlsx
    from tests.render.test_workbook import WANGCHENG_VALUES, fill

    ruleset = load_named_ruleset(EXAMPLE_FACTS)
    data = fill(render_template_xlsx(ruleset), WANGCHENG_VALUES)
    for name in ("unit.xlsx", "unit.XLSX", "unit.dat"):
        (tmp_path / name).write_bytes(data)
        source = read_facts_input(tmp_path / name)
        assert (source.is_workbook, source.ruleset_ref) == (True, ruleset.ref)
        assert load_named_ruleset(source).ref == ruleset.ref
        assert source.check(ruleset).subject["unit"] == "长沙市望城区信访局"


def test_a_facts_file_too_large_is_refused_before_it_is_read(tmp_path, minimal_ruleset):
    path = tmp_path / "huge.yaml"
    with path.open("wb") as handle:
        handle.truncate(5 * 1024 * 1024 * 1024)  # 5 GiB, sparse: reading it would take minutes
    with pytest.raises(FactsError) as caught:
        load_facts(path, minimal_ruleset)
    assert str(caught.value) == f"{path}:1:1: file is 5,368,709,120 bytes, the limit is 2,097,152"


def test_facts_files_lists_every_form_but_hidden_and_lock_files(tmp_path):
    for name in (
        "b.yaml",
        "a.yml",
        "c.json",
        "d.xlsx",
        "e.txt",
        ".f.yaml",
        "~$d.xlsx",
        "sub/g.yaml",
        ".git/h.yaml",
    ):
        (tmp_path / name).parent.mkdir(exist_ok=True)
        (tmp_path / name).write_text("", encoding="utf-8")
    found = [path.relative_to(tmp_path).as_posix() for path in facts_files(tmp_path)]
    assert found == ["a.yml", "b.yaml", "c.json", "d.xlsx", "sub/g.yaml"]


def test_a_form_in_progress_may_leave_facts_blank_but_not_write_them_wrong(minimal_ruleset):
    from scoring.load.facts import parse_facts

    facts = parse_facts("facts: {预算数: 60, 执行数: }\n", "f.yaml", minimal_ruleset, partial=True)
    assert facts.facts == {"预算数": Decimal(60)}
    with pytest.raises(FactsError) as caught:
        parse_facts("facts: {预算数: 六十}\n", "f.yaml", minimal_ruleset, partial=True)
    assert [issue.field for issue in caught.value.issues] == ["预算数"]  # 执行数 may stay blank


def test_without_partial_every_blank_fact_is_listed(minimal_ruleset):
    assert fact_problems("facts: {预算数: , 执行数: }\n", minimal_ruleset) == [
        "f.yaml:1:13: [execution] 预算数: missing (全年预算数, 万元)",
        "f.yaml:1:20: [execution] 执行数: missing (全年执行数, 万元)",
    ]


# --- in Chinese: the same mistakes, said as a finance clerk reads them ---------------------


def test_every_fact_problem_is_said_in_chinese(chinese, minimal_ruleset):
    text = """\
    subjet: {unit: x}
    facts:
      预算数: "六十"
      执行额: 30
    """
    with pytest.raises(FactsError) as caught:
        facts_from(text, minimal_ruleset)
    assert str(caught.value) == (
        "f.yaml：4 个问题\n"
        "f.yaml:1:1: subjet: 未知的键（是否应为 'subject'？）\n"
        "f.yaml:2:1: [execution] 执行数: 未填写（全年执行数、万元）\n"
        "f.yaml:3:8: [execution] 预算数: 应为数字，实际为文字 '六十'："
        "请只写以万元为单位的数字，如 1280 或 52.05（逗号只能用于每三位分隔）\n"
        "f.yaml:4:3: 执行额: 未声明的数据项（是否应为 '执行数'？）"
    )


@pytest.mark.usefixtures("chinese")
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param(
            "facts: {预算数: 60, 执行数: -3}\n",
            ["f.yaml:1:23: [execution] 执行数: -3 低于声明的最小值 0"],
            id="below_the_min",
        ),
        pytest.param(
            "facts: [预算数: 60]\n",
            ["f.yaml:1:8: facts: 应为“名称: 值”的行，实际为列表：每个数据项前不要写 '- '"],
            id="facts_as_a_list",
        ),
        pytest.param(
            "facts: {预算数: 60, 执行数: 30}\nnot_applicable: [executoin]\n",
            ["f.yaml:2:18: not_applicable: 没有指标 'executoin'（是否应为 'execution'？）"],
            id="no_such_indicator",
        ),
        pytest.param(
            "ruleset: other@1\nfacts: {预算数: 60}\n",
            [
                "f.yaml:1:10: ruleset: 填报文件写明的规则集是 'other@1'，但是按 test.minimal@1 核对的",
                "f.yaml:2:1: [execution] 执行数: 未填写（全年执行数、万元）",
            ],
            id="another_ruleset",
        ),
        pytest.param(
            "facts: {预算数: 60, 执行数: 30}\noverrides:\n  execution: {points: x, by: 张三}\n",
            [
                "f.yaml:3:14: [execution] reason: 必填：说明为何替换计算出的得分",
                "f.yaml:3:23: [execution] points: 应为分数，实际为 'x'",
            ],
            id="an_override_without_points_or_reason",
        ),
    ],
)
def test_fact_problems_in_chinese(minimal_ruleset, text, expected):
    assert fact_problems(text, minimal_ruleset) == expected


def test_an_unknown_tier_lists_the_tiers_in_chinese(chinese):
    ruleset = ruleset_from(SATISFACTION)
    assert fact_problems("facts: {q: 很满意}\n", ruleset) == [
        "f.yaml:1:12: [a] q: 未知档次 '很满意'：请从 '满意'、'基本满意'、'不满意' 中选择"
    ]


@pytest.mark.usefixtures("chinese")
@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        pytest.param(
            "kind: project\n",
            "kind: project\nrounding: {places: -1}\n",
            "t.yaml:5:20: places: 必须大于或等于 0，实际为 -1",
            id="below_a_minimum",
        ),
        pytest.param(
            "name: A,", "name: '',", "t.yaml:11:19: [a] name: 不能为空，实际为 ''", id="empty_text"
        ),
        pytest.param(
            "range: [0, 0.8]", "range: [0]", "t.yaml:7:29: range: 缺少第 2 项", id="a_pair"
        ),
        pytest.param(
            "kind: project", "kind: projet", "t.yaml:4:7: kind: 应为'project' 或 'department'，实际为 'projet'", id="a_literal"
        ),
        pytest.param(
            "  q: {type: tier}\n",
            "  q: {type: tier}\n  n: {}\nderived:\n  d: {expr: n, on_zero_division: eror}\n",
            "t.yaml:12:34: [derived.d] on_zero_division: 应为数字 或 'error'，实际为 'eror'",
            id="neither_branch_of_a_union",
        ),
        pytest.param(
            "title: t\n", "title: t\ntitel: t\n", "t.yaml:4:1: titel: 未知的键（是否应为 'title'？）", id="unknown_key"
        ),
        pytest.param(
            "id: a,", "id: A,", "t.yaml:11:10: [A] id: id 只能用小写英文字母、数字和下划线，如 'output_quantity'，实际为 'A'", id="an_id"
        ),
    ],
)  # fmt: skip
def test_shape_problems_are_said_in_chinese(old, new, expected):
    text = TIERED.replace(old, new, 1)
    assert text != TIERED
    assert problems(text) == [expected]


VALUES = """\
id: test.values
version: "1"
title: 测试
kind: project
facts:
  结余: {type: choice, options: [有结余, 无结余]}
  预算数: {unit: 万元, min: 0}
  执行率: {unit: "%"}
indicators:
  - {id: balance, name: 结余, weight: 50, method: choice, fact: 结余, options: {有结余: 0, 无结余: 50}}
  - id: execution
    name: 预算执行
    weight: 50
    method: formula
    expr: "50 if 执行率 >= 0.9 and 预算数 > 0 else 0"
"""


def facts_problems(text: str) -> list[str]:
    with pytest.raises(FactsError) as caught:
        facts_from(text, ruleset_from(VALUES))
    return [str(issue) for issue in caught.value.issues]


def test_blank_text_for_a_choice_or_a_number_is_a_missing_fact():
    assert facts_problems('facts: {结余: "  ", 预算数: "", 执行率: 95%}') == [
        "f.yaml:1:13: [balance] 结余: missing",
        "f.yaml:1:24: [execution] 预算数: missing (万元)",
    ]


def test_a_percentage_with_more_places_than_a_fraction_may_have_is_refused():
    assert facts_problems('facts: {结余: 无结余, 预算数: 1, 执行率: "0.1234567891%"}') == [
        "f.yaml:1:31: [execution] 执行率: 0.001234567891 has more than 10 decimal places"
    ]
