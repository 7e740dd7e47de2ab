"""Pure renderers ScoreResult -> str; RENDERERS by name."""

from __future__ import annotations

from collections.abc import Callable, Mapping

from scoring.render.result_json import render_json
from scoring.results import ScoreResult

Renderer = Callable[[ScoreResult], str]
RENDERERS: Mapping[str, Renderer] = {"json": render_json}

__all__ = ["RENDERERS", "Renderer", "render_json"]
