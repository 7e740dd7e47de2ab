"""Pure renderers of a result: the 自评表 in every format, and the result as JSON.

FORMATS holds every format by name (its file suffix, its renderer, whether it is bytes); the
command line's ``--format`` choices and the golden tests are made from it. Each renderer takes
the result and, when it is at hand, the ruleset it was scored under (for the units of its facts),
and every 自评表 format lays out the one view model, :func:`scoring.render.report.build_report`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from scoring.formats import RESULT_FORMATS
from scoring.models import Ruleset
from scoring.render.result_html import render_html
from scoring.render.result_json import render_json
from scoring.render.result_markdown import render_markdown
from scoring.render.result_xlsx import render_xlsx
from scoring.render.terminal import render_text
from scoring.results import ScoreResult

Renderer = Callable[[ScoreResult, Ruleset | None], str | bytes]


@dataclass(frozen=True)
class Format:
    """One output format of a result."""

    name: str
    suffix: str
    render: Renderer
    is_binary: bool = False
    """Bytes (a workbook), for a file: never printed on a terminal."""


_RENDERERS: Mapping[str, Renderer] = {
    "text": render_text,
    "json": render_json,
    "md": render_markdown,
    "html": render_html,
    "xlsx": render_xlsx,
}
assert set(_RENDERERS) == set(RESULT_FORMATS), "each format of formats.py has its renderer"
FORMATS: Mapping[str, Format] = {
    name: Format(name, known.suffix, _RENDERERS[name], known.is_binary)
    for name, known in RESULT_FORMATS.items()
}
"""Every format of a result, by the name ``--format`` takes; the first is the default."""
RENDERERS: Mapping[str, Renderer] = {name: fmt.render for name, fmt in FORMATS.items()}

__all__ = [
    "FORMATS",
    "RENDERERS",
    "Format",
    "Renderer",
    "render_html",
    "render_json",
    "render_markdown",
    "render_text",
    "render_xlsx",
]
