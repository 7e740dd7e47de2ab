"""The committed JSON Schemas match the models, and every shipped file validates against them."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from scoring.load.claims import kind_of
from scoring.load.extends import resolve_extends
from scoring.load.registry import Registry
from scoring.load.yaml_source import parse_yaml
from scoring.render.schema import SCHEMA_FILES, schemas
from tests.conftest import EXAMPLES, REVIEW_RULESETS, ROOT, RULESETS, SCORING_RULESET_FILES

SCHEMAS = ROOT / "schemas"


@pytest.mark.parametrize("name", SCHEMA_FILES)
def test_committed_schema_is_up_to_date(name):
    committed = (SCHEMAS / name).read_text(encoding="utf-8")
    assert committed == schemas()[name], f"schemas/{name} is stale: run `scoring schema`"


def _plain(value):
    """Located YAML data as JSON would see it (decimals as numbers)."""
    return json.loads(json.dumps(value, default=float))


@pytest.mark.parametrize("path", SCORING_RULESET_FILES, ids=str)
def test_shipped_rulesets_validate_against_the_schema(path: Path):
    schema = json.loads((SCHEMAS / "ruleset.schema.json").read_text(encoding="utf-8"))
    located = parse_yaml(path.read_text(encoding="utf-8"), str(path))
    jsonschema.validate(_plain(located), schema)  # the file, as an editor checks it
    merged, _ = resolve_extends(located, str(path), Registry().parent)
    jsonschema.validate(_plain(merged), schema)


def test_a_ruleset_file_without_extends_must_give_its_indicators():
    schema = json.loads((SCHEMAS / "ruleset.schema.json").read_text(encoding="utf-8"))
    data = {"id": "t.x", "version": "1", "title": "T", "kind": "project"}
    with pytest.raises(jsonschema.ValidationError, match="'indicators' is a required property"):
        jsonschema.validate(data, schema)
    jsonschema.validate({**data, "extends": "t.y@1"}, schema)


def _facts_examples() -> list[Path]:
    """The examples that are facts files (examples/worked-year/ also holds tables and a ruleset)."""
    return [
        path
        for path in sorted(EXAMPLES.rglob("*.yaml"))
        if kind_of(parse_yaml(path.read_text(encoding="utf-8"), str(path)), ".yaml") == "facts"
    ]


@pytest.mark.parametrize("path", _facts_examples(), ids=str)
def test_examples_validate_against_the_facts_schema(path: Path):
    data = _plain(parse_yaml(path.read_text(encoding="utf-8"), str(path)))
    name = "monitor-facts.schema.json" if "as_of" in data else "facts.schema.json"
    jsonschema.validate(data, json.loads((SCHEMAS / name).read_text(encoding="utf-8")))


def test_a_signed_result_validates_against_the_result_schema():
    from scoring import load_facts, load_ruleset, render_json, score
    from scoring.model.signing import new_key_pair, parse_private_key, sign_text

    schema = json.loads((SCHEMAS / "result.schema.json").read_text(encoding="utf-8"))
    ruleset = load_ruleset("xinfang.wangcheng-relief@2022.1")
    result = render_json(
        score(ruleset, load_facts(EXAMPLES / "xinfang-wangcheng-2022.yaml", ruleset))
    )
    key = parse_private_key(new_key_pair("x")[0], "x.key")
    signed = json.loads(sign_text(result, key))
    jsonschema.validate(signed, schema)
    signed["signatures"][0]["key"] = "md5:1"
    with pytest.raises(jsonschema.ValidationError, match="does not match"):
        jsonschema.validate(signed, schema)


def test_a_result_with_a_withheld_grade_validates_and_names_its_files():
    from scoring.engine.score import score
    from scoring.load.facts import load_facts
    from scoring.load.rulesets import parse_ruleset
    from scoring.render import render_json

    path = RULESETS / "xinfang/wangcheng-relief-2022.yaml"
    text = path.read_text(encoding="utf-8").replace(
        "kind: project\n", "kind: project\nmin_applicable_share: 0.95\n"
    )
    ruleset = parse_ruleset(text, str(path), Registry().parent)
    result = score(ruleset, load_facts(EXAMPLES / "xinfang-wangcheng-2022.yaml", ruleset))
    data = json.loads(render_json(result))
    schema = json.loads((SCHEMAS / "result.schema.json").read_text(encoding="utf-8"))
    jsonschema.validate(data, schema)
    assert data["grade"] is None
    assert data["grade_withheld"].endswith("不予定级")
    assert data["ruleset"]["files"] == [
        "<shipped>/xinfang/wangcheng-relief-2022.yaml",
        "<shipped>/mof/project-self-eval-2020.yaml",
    ]
    assert {"files"} <= set(schema["$defs"]["RulesetInfo"]["properties"])


def test_the_ruleset_schema_knows_the_applicable_share_and_an_explicit_zero_division_error():
    schema = json.loads((SCHEMAS / "ruleset.schema.json").read_text(encoding="utf-8"))
    data = {
        "id": "t.x",
        "version": "1",
        "title": "T",
        "kind": "project",
        "min_applicable_share": 0.6,
        "derived": {"d": {"expr": "a / b", "on_zero_division": "error"}},
        "indicators": [],
    }
    jsonschema.validate(data, schema)
    derived = schema["$defs"]["Derived"]["properties"]["on_zero_division"]
    assert {"const": "error", "type": "string"} in derived["anyOf"]


def _schema_of(name: str) -> dict[str, Any]:
    schema: dict[str, Any] = json.loads((SCHEMAS / name).read_text(encoding="utf-8"))
    return schema


@pytest.mark.parametrize("path", sorted(REVIEW_RULESETS.rglob("*.yaml")), ids=str)
def test_shipped_review_rulesets_validate_against_their_schema(path: Path):
    schema = _schema_of("review-ruleset.schema.json")
    located = parse_yaml(path.read_text(encoding="utf-8"), str(path))
    jsonschema.validate(_plain(located), schema)
    merged, _ = resolve_extends(located, str(path), Registry().parent)
    jsonschema.validate(_plain(merged), schema)


def test_an_extending_review_ruleset_gives_only_what_it_changes():
    schema = _schema_of("review-ruleset.schema.json")
    data = {"id": "t.r", "version": "1", "title": "T", "kind": "review"}
    with pytest.raises(jsonschema.ValidationError, match="'rules' is a required property"):
        jsonschema.validate(data, schema)
    overlay = {**data, "extends": "mof.project-targets-review@2020.1"}
    jsonschema.validate({**overlay, "rules": [{"id": "explanation", "severity": "error"}]}, schema)
    jsonschema.validate({**overlay, "rules": [{"id": "explanation", "remove": True}]}, schema)
    with pytest.raises(jsonschema.ValidationError, match="'fatal' is not one of"):
        jsonschema.validate({**overlay, "rules": [{"id": "x", "severity": "fatal"}]}, schema)


def test_the_shipped_audit_ruleset_validates_against_its_schema():
    schema = _schema_of("audit-ruleset.schema.json")
    path = EXAMPLES / "audit" / "wangcheng-relief-2022-audit.yaml"
    jsonschema.validate(_plain(parse_yaml(path.read_text(encoding="utf-8"), str(path))), schema)
    with pytest.raises(jsonschema.ValidationError, match="'applies_to' is a required property"):
        jsonschema.validate({"id": "t.a", "version": "1", "kind": "audit", "title": "T"}, schema)


def _target_tables() -> list[Path]:
    return sorted(path for path in EXAMPLES.rglob("targets-*.yaml"))


@pytest.mark.parametrize("path", _target_tables(), ids=str)
def test_example_target_tables_validate_against_their_schema(path: Path):
    data = _plain(parse_yaml(path.read_text(encoding="utf-8"), str(path)))
    jsonschema.validate(data, _schema_of("target-table.schema.json"))


def test_the_target_table_schema_refuses_what_the_loader_refuses():
    schema = _schema_of("target-table.schema.json")
    path = EXAMPLES / "worked-year" / "targets-2022.yaml"
    table = _plain(parse_yaml(path.read_text(encoding="utf-8"), str(path)))
    assert table["monitoring"]  # the approved table carries its monitoring and examples
    row = {**table["targets"][0], "direction": "≧"}
    with pytest.raises(jsonschema.ValidationError, match="'≧' is not one of"):
        jsonschema.validate({**table, "targets": [row]}, schema)
    with pytest.raises(jsonschema.ValidationError, match="'targts' was unexpected"):
        jsonschema.validate({**table, "targts": []}, schema)
    indicators = {"x": {"method": "sideways"}}
    with pytest.raises(jsonschema.ValidationError, match="'sideways' is not one of"):
        jsonschema.validate({**table, "monitoring": {"indicators": indicators}}, schema)
