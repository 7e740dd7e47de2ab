"""JSON Schema export from the models (for `scoring schema` and the schema test)."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from scoring.models import Facts, Ruleset
from scoring.results import ScoreResult

SCHEMA_FILES = ("ruleset.schema.json", "facts.schema.json", "result.schema.json")


def _schema(title: str, body: dict[str, Any]) -> dict[str, Any]:
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", "title": title, **body}


def schemas() -> Mapping[str, str]:
    """Each schema file's name and its JSON text."""
    bodies = {
        "ruleset.schema.json": _schema("scoring ruleset", Ruleset.model_json_schema()),
        "facts.schema.json": _schema("scoring facts", Facts.model_json_schema()),
        "result.schema.json": _schema(
            "scoring result", ScoreResult.model_json_schema(mode="serialization")
        ),
    }
    return {
        name: json.dumps(body, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
        for name, body in bodies.items()
    }
