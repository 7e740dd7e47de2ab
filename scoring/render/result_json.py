"""The machine-readable result: JSON with sorted keys, exact decimals as strings, no timestamps."""

from __future__ import annotations

from scoring.model.documents import json_text
from scoring.model.results import ScoreResult
from scoring.model.ruleset import Ruleset


def render_json(result: ScoreResult, ruleset: Ruleset | None = None) -> str:
    """The result as JSON text; the same result always gives the same bytes.

    The result holds everything it says: ``ruleset`` is taken like every renderer's, and unused.
    """
    data = result.model_dump(mode="json")
    return json_text(data)
