"""JSON Schema export from the models (for `scoring schema` and the schema test)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from scoring.model.audit import AuditRuleset
from scoring.model.documents import json_text
from scoring.model.facts import Facts
from scoring.model.monitor_results import Explanation
from scoring.model.results import ScoreResult
from scoring.model.review import ReviewRuleset, TargetTable
from scoring.model.ruleset import Ruleset
from scoring.model.signing import ALGORITHM, KEY_FINGERPRINT, SIGNATURES

SCHEMA_FILES = (
    "ruleset.schema.json",
    "facts.schema.json",
    "monitor-facts.schema.json",
    "result.schema.json",
    "review-ruleset.schema.json",
    "target-table.schema.json",
    "audit-ruleset.schema.json",
)


def _schema(title: str, body: dict[str, Any]) -> dict[str, Any]:
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", "title": title, **body}


def _overlay_schema(body: dict[str, Any], key: str, node: str) -> dict[str, Any]:
    """The schema of a ruleset *file*, which may be an overlay on the ruleset it extends.

    An extending file gives only what it changes: its ``key`` nodes (indicators, a review
    ruleset's rules) need only their ``id`` (the parent's fields are kept) and may carry
    ``remove: true``; ``key`` itself may be left out. The merged ruleset is checked in full by
    ``scoring lint``.
    """
    body["required"] = [name for name in body["required"] if name != key]
    body["if"] = {"not": {"required": ["extends"]}}
    body["then"] = {"required": [key]}
    definition = body["$defs"][node]
    definition["required"] = ["id"]
    definition["properties"]["remove"] = {
        "type": "boolean",
        "description": f"in an extending ruleset: drop the parent's {node.lower()} with this id",
    }
    return body


def _result_file_schema() -> dict[str, Any]:
    """The schema of a result *file*: the result, and the signatures a signed one carries."""
    body = ScoreResult.model_json_schema(mode="serialization")
    body["properties"][SIGNATURES] = {
        "description": "Ed25519 signatures over the result without this field (scoring --sign)",
        "type": "array",
        "items": {
            "type": "object",
            "additionalProperties": False,
            "required": ["algorithm", "key", "value"],
            "properties": {
                "algorithm": {"const": ALGORITHM},
                "key": {
                    "description": "the fingerprint of the signer's public key",
                    "type": "string",
                    "pattern": f"^{KEY_FINGERPRINT.pattern}$",
                },
                "value": {"description": "the signature, base64", "type": "string"},
            },
        },
    }
    return body


def _facts_file_schema() -> dict[str, Any]:
    """A facts file: the facts, and an expert panel's scores as given (``panel:``), not combined.

    The loader combines a panel into an override that keeps its record; a file gives the scores.
    """
    body = Facts.model_json_schema()
    defs = body["$defs"]
    del defs["Override"]["properties"]["panel"], defs["PanelRecord"], defs["AssessorScore"]
    body["properties"]["panel"] = {
        "type": "object",
        "additionalProperties": {
            "type": "object",
            "additionalProperties": {"anyOf": [{"type": "number"}, {"type": "string"}]},
            "minProperties": 1,
        },
        "description": "per indicator path: each assessor's score (专家评分), combined as the "
        "ruleset's panel: says",
    }
    return body


def _monitor_facts_schema() -> dict[str, Any]:
    """A monitoring facts file: a facts file with ``as_of`` and ``monitoring`` (format.md §11)."""
    body = _facts_file_schema()
    explanation = Explanation.model_json_schema()
    body["properties"]["as_of"] = {
        "type": "string",
        "pattern": r"^\d{4}-\d{1,2}$",
        "description": "the month the facts stand at, YYYY-MM",
    }
    body["properties"]["monitoring"] = {
        "type": "object",
        "additionalProperties": explanation,
        "description": "per monitored indicator path: its statement and explanation",
    }
    return body


def schemas() -> Mapping[str, str]:
    """Each schema file's name and its JSON text."""
    bodies = {
        "ruleset.schema.json": _schema(
            "scoring ruleset",
            _overlay_schema(Ruleset.model_json_schema(), "indicators", "Indicator"),
        ),
        "facts.schema.json": _schema("scoring facts", _facts_file_schema()),
        "monitor-facts.schema.json": _schema("scoring monitoring facts", _monitor_facts_schema()),
        "result.schema.json": _schema("scoring result", _result_file_schema()),
        "review-ruleset.schema.json": _schema(
            "scoring review ruleset",
            _overlay_schema(ReviewRuleset.model_json_schema(), "rules", "ReviewRule"),
        ),
        "target-table.schema.json": _schema(
            "scoring target table (绩效目标申报表)", TargetTable.model_json_schema()
        ),
        "audit-ruleset.schema.json": _schema(
            "scoring audit ruleset (复核规则)", AuditRuleset.model_json_schema()
        ),
    }
    return {name: json_text(body) for name, body in bodies.items()}
