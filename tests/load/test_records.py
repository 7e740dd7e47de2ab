"""records: result files read as located JSON, their shape checked, their facts read as score reads them."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest

from scoring.engine.score import score
from scoring.errors import FactsError, ResultError, SourceLocation
from scoring.load.records import parse_json, parse_result, record_facts
from scoring.model.located import LocatedDict, LocatedList
from scoring.render import render_json
from tests.conftest import MINIMAL, facts_from, ruleset_from

RATE = MINIMAL.replace(
    "  执行数: {label: 全年执行数, unit: 万元, min: 0}\n",
    "  执行数: {label: 全年执行数, unit: 万元, min: 0}\n"
    "  人数: {label: 救助人数, unit: 人, type: integer, min: 0}\n"
    "  增长率: {label: 增长率, unit: '%'}\n",
)


def errors(text: str) -> list[str]:
    with pytest.raises(ResultError) as caught:
        parse_result(text, "r.json")
    return [str(issue) for issue in caught.value.issues]


# --- parse_json -----------------------------------------------------------------------------


def test_json_values_keep_their_positions_and_exact_numbers():
    data = parse_json('{\n  "a": [1, 2.50, -3e2],\n  "b": {"c": null, "d": true}\n}', "r.json")
    assert data == {"a": [1, Decimal("2.50"), Decimal("-3E+2")], "b": {"c": None, "d": True}}
    assert isinstance(data, LocatedDict)
    assert isinstance(data["a"], LocatedList)
    assert data.key_locations["b"] == SourceLocation("r.json", 3, 3)
    assert data.value_locations["b"] == SourceLocation("r.json", 3, 8)
    assert data["a"].item_locations[1] == SourceLocation("r.json", 2, 12)
    assert type(data["a"][0]) is int


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('{"a": 1,,}', "r.json:1:9: JSON: expected a key in double quotes"),
        ('{"a": 1}\n{"b": 2}', "r.json:2:1: JSON: unexpected text after the end of the result"),
        ('{"a": 1, "a": 2}', "r.json:1:10: JSON: duplicate key 'a'"),
        ('{"a": NaN}', "r.json:1:7: JSON: expected a value, found 'N'"),
        (
            '{"a": "\\ud800"}',
            "r.json:1:7: JSON: a \\u escape names half of a character (a lone surrogate)",
        ),
        (
            '{"a": "x\ty"}',
            "r.json:1:7: JSON: a string is not closed, or holds a control character or a bad \\ escape",
        ),
        ('{"a" 1}', "r.json:1:6: JSON: expected ':' after the key 'a'"),
        ("[1 2]", "r.json:1:4: JSON: expected ',' or ']' after a value"),
        ('{"a": 1', "r.json:1:8: JSON: expected ',' or '}' after a value"),
        ("", "r.json:1:1: JSON: the text ends where a value was expected"),
        ("[" * 60, "r.json:1:52: JSON: nested more than 50 levels deep"),
        ('{"a": ' + "9" * 31 + "}", "r.json:1:7: JSON: a number of 31 digits is too long"),
    ],
)
def test_json_that_is_not_json_is_refused_at_its_position(text, expected):
    with pytest.raises(ResultError) as caught:
        parse_json(text, "r.json")
    assert [str(issue) for issue in caught.value.issues] == [expected]


def test_a_byte_order_mark_is_skipped():
    assert parse_json('\ufeff{"a": 1}', "r.json") == {"a": 1}


# --- parse_result ---------------------------------------------------------------------------


@pytest.fixture
def result_text():
    ruleset = ruleset_from(MINIMAL)
    facts = facts_from("subject: {unit: 某局}\nfacts: {预算数: 100, 执行数: 85}\n", ruleset)
    return render_json(score(ruleset, facts))


def edited(text, change):
    data = json.loads(text)
    change(data)
    return json.dumps(data, ensure_ascii=False, indent=2)


def test_a_result_reads_back_with_its_ruleset_and_no_signatures(result_text):
    record = parse_result(result_text, "r.json")
    assert record.ruleset_ref == "test.minimal@1"
    assert record.ruleset_fingerprint.startswith("sha256:")
    assert record.signatures is None
    assert record.data == json.loads(result_text)


def test_signatures_are_kept_apart_from_what_they_sign(result_text):
    entry = {"algorithm": "ed25519", "key": "sha256:" + "a" * 64, "value": "A" * 86 + "=="}
    record = parse_result(edited(result_text, lambda d: d.update(signatures=[entry])), "r.json")
    assert "signatures" not in record.data
    assert record.signatures == [entry]


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        pytest.param(
            lambda d: d.update(facts=[1]),
            ["facts: expected a mapping of keys, found a list"],
            id="facts_a_list",
        ),
        pytest.param(
            lambda d: d.update(indicators="x"),
            ["indicators: expected a list, found 'x'"],
            id="indicators_text",
        ),
        pytest.param(lambda d: d.pop("total"), ["total: missing"], id="total_missing"),
        pytest.param(
            lambda d: d.update(total=None),
            ["total: expected a number, found null"],
            id="total_null",
        ),
        pytest.param(
            lambda d: d.update(totl="1"),
            ["totl: unknown key (did you mean 'total'?)"],
            id="unknown_key",
        ),
        pytest.param(
            lambda d: d["indicators"][0].update(score="abc"),
            ["[execution] score: expected a number, found 'abc'"],
            id="node_score",
        ),
        pytest.param(
            lambda d: d.update(signatures={}),
            ["signatures: expected a list of signatures, found a mapping"],
            id="signatures_a_mapping",
        ),
        pytest.param(
            lambda d: d.update(signatures=[{"algorithm": "rsa", "key": "k", "value": "v"}]),
            ["signatures[0]: unknown signature algorithm 'rsa' (expected ed25519)"],
            id="signature_algorithm",
        ),
    ],
)
def test_a_malformed_record_is_refused_with_each_problem_located(result_text, change, expected):
    found = errors(edited(result_text, change))
    assert [message.split(": ", 1)[1] for message in found] == expected
    assert all(message.startswith("r.json:") for message in found)


def test_a_record_that_is_not_an_object_is_refused():
    assert errors("[1, 2]") == [
        "r.json:1:1: a result is a JSON object (as scoring score --json writes), found a list"
    ]


# --- record_facts ---------------------------------------------------------------------------


def test_the_facts_read_back_are_the_facts_scored(result_text):
    ruleset = ruleset_from(MINIMAL)
    facts, audit = record_facts(parse_result(result_text, "r.json"), ruleset)
    assert facts.facts == {"预算数": Decimal(100), "执行数": Decimal(85)}
    assert facts.subject == {"unit": "某局"}
    assert audit is None


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("48.5", "人数: expected a whole number, found 48.5"),
        (
            "1E+2",
            "人数: expected a number, found text '1E+2': write digits only in 人, e.g. 1280 or 52.05 (a comma only between groups of three)",
        ),
        ("-3", "人数: -3 is below the declared min 0"),
        (True, "人数: expected a number, found true (a yes/no value)"),
    ],
)
def test_facts_in_a_result_are_checked_exactly_as_a_facts_file(value, expected):
    ruleset = ruleset_from(RATE)
    facts = facts_from("facts: {预算数: 100, 执行数: 85, 人数: 48, 增长率: 5%}\n", ruleset)
    text = render_json(score(ruleset, facts))
    record = parse_result(
        edited(text, lambda d: d["facts"]["facts"].update({"人数": value})), "r.json"
    )
    with pytest.raises(ResultError) as caught:
        record_facts(record, ruleset)
    [issue] = caught.value.issues
    assert issue.location is not None
    assert issue.location.file == "r.json"
    assert str(issue).split(": ", 1)[1] == expected
    with pytest.raises(FactsError) as as_file:  # the words scoring score gives for a facts file
        facts_from(
            f"facts: {{预算数: 100, 执行数: 85, 人数: {json.dumps(value)}, 增长率: 5%}}\n", ruleset
        )
    assert str(as_file.value).endswith(expected)


def test_a_rate_above_one_hundred_percent_reads_back_as_scored():
    ruleset = ruleset_from(RATE)
    facts = facts_from("facts: {预算数: 100, 执行数: 85, 人数: 48, 增长率: 150.5%}\n", ruleset)
    record = parse_result(render_json(score(ruleset, facts)), "r.json")
    assert record.data["facts"]["facts"]["增长率"] == "1.505"
    assert record_facts(record, ruleset)[0] == facts


def test_tier_points_overrides_and_tiny_numbers_read_back_as_scored():
    ruleset = ruleset_from(
        """\
        id: t.tiers
        version: "1"
        title: 定性
        kind: project
        tiers:
          - {label: 达成, range: [0.8, 1], default: 0.9}
          - {label: 未达成, range: [0, 0.8], default: 0.3}
        facts:
          管理: {type: tier}
          比率: {min: 0}
        indicators:
          - {id: management, name: 管理, weight: 20, method: tiers, fact: 管理}
          - {id: rate, name: 比率, weight: 80, method: ratio, actual: 比率, target: 1}
        """
    )
    facts = facts_from(
        """\
        facts: {管理: {tier: 达成, score: 18.5, note: 制度健全}, 比率: 0.0000001}
        overrides: {rate: {points: 70, reason: 抽查, by: 张三}}
        """,
        ruleset,
    )
    record = parse_result(render_json(score(ruleset, facts)), "r.json")
    assert record.data["facts"]["facts"]["比率"] == "0.0000001"  # never 1E-7
    assert record_facts(record, ruleset)[0] == facts


def test_an_auditors_overrides_are_checked_against_the_ruleset(result_text):
    ruleset = ruleset_from(MINIMAL)
    audit = {"execution": {"points": "120", "reason": "抽查", "by": "审计"}}
    record = parse_result(edited(result_text, lambda d: d.update(audit_overrides=audit)), "r.json")
    with pytest.raises(ResultError) as caught:
        record_facts(record, ruleset)
    [issue] = caught.value.issues
    assert issue.path == "execution"
    assert issue.field == "points"
    assert issue.location is not None
    assert issue.location.file == "r.json"


# --- messages in Chinese ----------------------------------------------------------------------


@pytest.mark.usefixtures("chinese")
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('{"a": NaN}', "r.json:1:7: JSON: 此处应为一个值，实际为 'N'"),
        ('{"a" 1}', "r.json:1:6: JSON: 键 'a' 之后应为 ':'"),
        ('{"a": 1', "r.json:1:8: JSON: 值之后应为 ',' 或 '}'"),
        ("", "r.json:1:1: JSON: 此处应有一个值，文本却已结束"),
    ],
)
def test_json_that_is_not_json_is_said_in_chinese(text, expected):
    with pytest.raises(ResultError) as caught:
        parse_json(text, "r.json")
    assert [str(issue) for issue in caught.value.issues] == [expected]


@pytest.mark.usefixtures("chinese")
def test_a_record_of_the_wrong_shape_is_said_in_chinese(result_text):
    assert errors("[1, 2]") == [
        "r.json:1:1: 结果应为 JSON 对象（即 scoring score --json 写出的格式），实际为列表"
    ]
    found = errors(edited(result_text, lambda d: d.update(signatures={"a": 1})))
    assert [message.split(": ", 1)[1] for message in found] == [
        "signatures: 应为签名列表，实际为键值映射"
    ]
