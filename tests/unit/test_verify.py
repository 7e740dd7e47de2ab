"""verify: facts typed again from a result, provenance checks and node-by-node comparison."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest

from scoring.engine import score
from scoring.errors import FactsError
from scoring.models import AuditOverrides, Override
from scoring.render import render_json
from scoring.verify import (
    audit_from_record,
    check_provenance,
    compare_claims,
    compare_result,
    facts_from_record,
)
from tests.conftest import MINIMAL, facts_from, ruleset_from


@pytest.fixture
def case():
    ruleset = ruleset_from(MINIMAL)
    facts = facts_from("subject: {unit: 某局}\nfacts: {预算数: 100, 执行数: 85}\n", ruleset)
    result = score(ruleset, facts)
    return ruleset, facts, json.loads(render_json(result))


def test_facts_read_back_from_a_result_are_the_facts_scored(case):
    ruleset, facts, data = case
    assert facts_from_record(data["facts"], ruleset, "r.json") == facts
    assert check_provenance(data, ruleset, facts) == []
    assert compare_result(data, score(ruleset, facts)) == []


def test_a_fact_edited_into_the_wrong_type_is_refused(case):
    ruleset, _, data = case
    data["facts"]["facts"]["执行数"] = True
    data["facts"]["facts"]["多余"] = "1"
    with pytest.raises(FactsError) as caught:
        facts_from_record(data["facts"], ruleset, "r.json")
    assert [str(issue) for issue in caught.value.issues] == [
        "执行数: cannot be read as a number: True",
        "多余: undeclared fact in the result",
    ]


def test_nodes_added_to_a_result_and_totals_changed_are_differences(case):
    ruleset, facts, data = case
    data["indicators"].append({"path": "extra", "name": "附加", "score": "5.00"})
    data["total"], data["grade"] = "90.00", "优"
    found = compare_result(data, score(ruleset, facts))
    assert [(d.path, d.claimed, d.recomputed) for d in found] == [
        ("extra", "5.00", "no such indicator"),
        ("总分", "90.00", "85.00"),
        ("等级", "优", "良"),
    ]


def test_an_auditors_overrides_edited_in_the_result_are_caught(case):
    ruleset, facts, _ = case
    audit = AuditOverrides(
        overrides={"execution": Override(points=Decimal(80), reason="单据不全", by="审计")}
    )
    data = json.loads(render_json(score(ruleset, facts, audit)))
    assert audit_from_record(data["audit_overrides"]) == audit
    assert check_provenance(data, ruleset, facts) == []
    data["audit_overrides"]["execution"]["points"] = "85"
    assert check_provenance(data, ruleset, facts) == [
        "the auditor's overrides in the result were changed after scoring"
    ]


def test_claims_on_unknown_paths_are_listed(case):
    ruleset, facts, _ = case
    found = compare_claims({"executoin": 85}, None, None, score(ruleset, facts))
    assert [(d.path, d.recomputed) for d in found] == [("executoin", "no such indicator")]
