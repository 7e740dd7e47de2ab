"""Assessor overrides: a person's points for one indicator, checked, layered and kept in view."""

from __future__ import annotations

import textwrap
from decimal import Decimal

import pytest

from scoring.engine.score import score
from scoring.errors import EvaluationError, FactsError, OverridesError
from scoring.load.overrides import load_audit_overrides
from scoring.model.facts import AuditOverrides, Facts, Override
from tests.conftest import facts_from, ruleset_from

RULES = """\
id: t.overrides
version: "1"
title: 调整
kind: project
tiers:
  - {label: 达成年度指标, range: [0.8, 1]}
  - {label: 部分达成年度指标并具有一定效果, range: [0.6, 0.8]}
  - {label: 未达成年度指标且效果较差, range: [0, 0.6]}
facts:
  预算数: {min: 0}
  执行数: {min: 0}
  管理: {type: tier}
indicators:
  - {id: execution, name: 预算执行率, weight: 40, method: ratio, actual: 执行数, target: 预算数}
  - id: output
    name: 产出指标
    weight: 60
    children:
      - {id: management, name: 管理, weight: 20, method: tiers, fact: 管理}
      - {id: quantity, name: 数量, weight: 40, method: ratio, actual: 执行数, target: 100}
"""
FACTS = """\
facts:
  预算数: 100
  执行数: 90
  管理: {tier: 达成年度指标, score: 18}
"""


@pytest.fixture
def ruleset():
    return ruleset_from(RULES)


def with_overrides(text: str) -> str:
    return FACTS + "overrides:\n" + textwrap.indent(textwrap.dedent(text), "  ")


def test_a_department_override_replaces_the_computed_score_and_keeps_it_in_view(ruleset):
    facts = facts_from(
        with_overrides(
            "output.quantity: {points: 40, reason: 另有10份成果未计入, by: 办公室 王五}\n"
        ),
        ruleset,
    )
    result = score(ruleset, facts)
    node = next(n for n in result.walk() if n.path == "output.quantity")
    assert (node.score, node.computed_score, node.self_score) == (
        Decimal("40.00"),
        Decimal("36.00"),
        None,
    )
    assert [(o.layer, o.replaced, o.points, o.reason, o.by) for o in node.overrides] == [
        ("self", Decimal("36.00"), Decimal("40.00"), "另有10份成果未计入", "办公室 王五")
    ]
    assert (result.total, result.computed_total, result.self_total) == (
        Decimal("94.00"),
        Decimal("90.00"),
        None,
    )
    assert result.computed_grade == "优"


def test_an_auditors_layer_shows_self_score_beside_the_audited_one(ruleset):
    facts = facts_from(
        with_overrides("output.quantity: {points: 40, reason: 另有10份成果未计入, by: 王五}\n"),
        ruleset,
    )
    audit = AuditOverrides(
        overrides={
            "output.quantity": Override(points=Decimal(30), reason="成果未经验收", by="审计 赵六")
        }
    )
    result = score(ruleset, facts, audit)
    node = next(n for n in result.walk() if n.path == "output.quantity")
    group = next(n for n in result.walk() if n.path == "output")
    assert (node.score, node.self_score, node.computed_score) == (
        Decimal("30.00"),
        Decimal("40.00"),
        Decimal("36.00"),
    )
    assert (group.score, group.self_score, group.computed_score) == (
        Decimal("48.00"),
        Decimal("58.00"),
        Decimal("54.00"),
    )
    assert (result.total, result.self_total, result.computed_total) == (
        Decimal("84.00"),
        Decimal("94.00"),
        Decimal("90.00"),
    )
    assert (result.grade, result.self_grade) == ("良", "优")
    assert result.audit_fingerprint is not None
    assert result.audit_overrides == audit.overrides


@pytest.mark.parametrize(
    ("override", "message"),
    [
        pytest.param(
            "output.quantity: {points: 41, reason: 多计, by: 甲}",
            "f.yaml:6:29: [output.quantity] points: override 41 is outside 0–40",
            id="above_the_weight",
        ),
        pytest.param(
            "output.management: {points: 15, reason: 低于所报档次, by: 甲}",
            "f.yaml:6:31: [output.management] points: override 15 is outside the claimed tier 达成年度指标 [16, 20]",
            id="outside_the_claimed_tier",
        ),
        pytest.param(
            "output.quantity: {points: 30.555, reason: 多计, by: 甲}",
            "f.yaml:6:29: [output.quantity] points: override 30.555 has more decimal places than the rounding's 2",
            id="too_precise",
        ),
        pytest.param(
            "output.quantity: {points: 30}",
            "f.yaml:6:20: [output.quantity] reason: required: say why the computed score is replaced\n"
            "f.yaml:6:20: [output.quantity] by: required: say who set it",
            id="without_reason_and_who",
        ),
        pytest.param(
            "output: {points: 30, reason: x, by: y}",
            "f.yaml:6:3: overrides: 'output' is a group: override its indicators one by one",
            id="a_group",
        ),
        pytest.param(
            "output.quantiy: {points: 30, reason: x, by: y}",
            "f.yaml:6:3: overrides: no indicator 'output.quantiy' (did you mean 'output.quantity'?)",
            id="unknown_path",
        ),
        pytest.param(
            "output.quantity: {points: 三十, reason: x, by: y}",
            "f.yaml:6:29: [output.quantity] points: expected a number of points, found '三十'",
            id="points_not_a_number",
        ),
    ],
)
def test_overrides_that_do_not_fit_are_refused_where_they_are_written(ruleset, override, message):
    with pytest.raises(FactsError) as caught:
        facts_from(with_overrides(override + "\n"), ruleset)
    assert "\n".join(str(issue) for issue in caught.value.issues) == message


def test_an_override_of_a_not_applicable_indicator_is_refused(ruleset):
    text = (
        with_overrides("execution: {points: 30, reason: x, by: y}\n")
        + "not_applicable: [execution]\n"
    )
    with pytest.raises(FactsError, match="the indicator is 不适用 in these facts"):
        facts_from(text, ruleset)


def test_the_engine_checks_overrides_built_in_code_too(ruleset):
    facts = Facts(
        facts={
            "预算数": Decimal(100),
            "执行数": Decimal(90),
            "管理": {"tier": "达成年度指标", "score": 18},
        },
        overrides={"output.management": Override(points=Decimal(10), reason="x", by="甲")},
    )
    with pytest.raises(
        EvaluationError,
        match=r"\[output\.management\] override 10 is outside the claimed tier .* \(set by 甲\)",
    ):
        score(ruleset, facts)


def test_an_auditors_file_is_checked_against_the_units_facts(ruleset, tmp_path):
    facts = facts_from(FACTS, ruleset)
    path = tmp_path / "audit.yaml"
    path.write_text(
        "overrides:\n  output.management: {points: 12, reason: 档次不实, by: 审计}\n  colour: red\n",
        encoding="utf-8",
    )
    with pytest.raises(OverridesError) as caught:
        load_audit_overrides(path, ruleset, facts)
    assert str(caught.value).splitlines() == [
        f"{path}: 2 problems in the auditor's overrides (--overrides)",
        f"{path}:2:31: [output.management] points: override 12 is outside the claimed tier 达成年度指标 [16, 20]",
        f"{path}:3:3: overrides: no indicator 'colour'",
    ]
    assert isinstance(caught.value, FactsError)  # whoever catches facts errors catches these
    path.write_text(
        "overrides:\n  output.quantity: {points: 20, reason: 未验收, by: 审计}\n", encoding="utf-8"
    )
    audit = load_audit_overrides(path, ruleset, facts)
    assert score(ruleset, facts, audit).total == Decimal("74.00")  # 36 + 18 + 20


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        pytest.param(
            "overrides: [output.quantity]\n",
            "f.yaml:5:12: overrides: expected indicator paths with {points, reason, by}, found ['output.quantity']",
            id="a_list",
        ),
        pytest.param(
            "overrides:\n  output.quantity: 30\n",
            "f.yaml:6:20: [output.quantity] overrides: expected {points: …, reason: …, by: …}, found 30",
            id="bare_points",
        ),
        pytest.param(
            "overrides:\n  output.quantity: {points: true, reason: x, by: y, note: z}\n",
            "f.yaml:6:29: [output.quantity] points: expected a number of points, found true\n"
            "f.yaml:6:53: [output.quantity] note: unknown key",
            id="yes_for_points_and_an_unknown_key",
        ),
        pytest.param(
            "overrides:\n  output.quantity: {points: 1.0e+20, reason: x, by: y}\n",
            "f.yaml:6:29: [output.quantity] points: 1.0E+20 is too large (numbers must stay below 1,000,000,000,000,000)",
            id="huge_points",
        ),
        pytest.param(
            "overrides:\n  output.quantity: {reason: x, by: y}\n",
            "f.yaml:6:20: [output.quantity] points: expected a number of points, found nothing",
            id="no_points",
        ),
    ],
)
def test_override_shapes_are_refused_with_their_position(ruleset, overrides, message):
    with pytest.raises(FactsError) as caught:
        facts_from(FACTS + overrides, ruleset)
    assert "\n".join(str(issue) for issue in caught.value.issues) == message


@pytest.mark.parametrize(
    ("text", "message"),
    [
        pytest.param(
            "- a\n",
            "a.yaml:1:1: an overrides file is a mapping with an 'overrides:' section",
            id="a_list",
        ),
        pytest.param(
            "overides: {}\n",
            "a.yaml:1:1: an overrides file is a mapping with an 'overrides:' section",
            id="misspelt",
        ),
        pytest.param(
            "overrides: {}\nfacts: {}\n",
            "a.yaml:2:1: facts: unknown key",
            id="extra_key",
        ),
    ],
)
def test_an_auditors_file_has_only_overrides(ruleset, tmp_path, monkeypatch, text, message):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "a.yaml").write_text(text, encoding="utf-8")
    with pytest.raises(FactsError) as caught:
        load_audit_overrides("a.yaml", ruleset, facts_from(FACTS, ruleset))
    assert [str(issue) for issue in caught.value.issues] == [message]
