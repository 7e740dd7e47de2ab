"""Pure renderers ScoreResult -> str; RENDERERS by name."""

from __future__ import annotations

from collections.abc import Callable, Mapping

from scoring.render.result_html import render_html
from scoring.render.result_json import render_json
from scoring.render.result_markdown import render_markdown
from scoring.results import ScoreResult

Renderer = Callable[[ScoreResult], str]
RENDERERS: Mapping[str, Renderer] = {
    "json": render_json,
    "md": render_markdown,
    "html": render_html,
}

__all__ = ["RENDERERS", "Renderer", "render_html", "render_json", "render_markdown"]
