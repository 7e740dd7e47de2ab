"""The machine-readable result: JSON with sorted keys, exact decimals as strings, no timestamps."""

from __future__ import annotations

import json

from scoring.results import ScoreResult


def render_json(result: ScoreResult) -> str:
    """The result as JSON text; the same result always gives the same bytes."""
    data = result.model_dump(mode="json")
    return json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
