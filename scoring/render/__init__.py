"""Pure renderers of a result: the 自评表 in every format, and the result as JSON.

FORMATS holds every format by name (its file suffix, its renderer, whether it is bytes); the
command line's ``--format`` choices and the golden tests are made from it. Each renderer takes
the result and, when it is at hand, the ruleset it was scored under (for the units of its facts),
and every 自评表 format lays out the one view model, :func:`scoring.render.report.build_report`.

Importing this package is light: a renderer's module is imported when it is first asked for, so
the command line can build its choices from :mod:`scoring.render.formats` at start-up.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from importlib import import_module
from typing import TYPE_CHECKING, Any

from scoring.render.formats import RESULT_FORMATS

if TYPE_CHECKING:
    from scoring.model.results import ScoreResult
    from scoring.model.ruleset import Ruleset
    from scoring.render.result_html import render_html
    from scoring.render.result_json import render_json
    from scoring.render.result_markdown import render_markdown
    from scoring.render.result_xlsx import render_xlsx
    from scoring.render.terminal import render_text

Renderer = Callable[["ScoreResult", "Ruleset | None"], str | bytes]

_HOMES: Mapping[str, tuple[str, str]] = {
    "text": ("scoring.render.terminal", "render_text"),
    "json": ("scoring.render.result_json", "render_json"),
    "md": ("scoring.render.result_markdown", "render_markdown"),
    "html": ("scoring.render.result_html", "render_html"),
    "xlsx": ("scoring.render.result_xlsx", "render_xlsx"),
}
assert set(_HOMES) == set(RESULT_FORMATS), "each format of formats.py has its renderer"


@dataclass(frozen=True)
class Format:
    """One output format of a result."""

    name: str
    suffix: str
    render: Renderer
    is_binary: bool = False
    """Bytes (a workbook), for a file: never printed on a terminal."""


def _renderer(name: str) -> Renderer:
    module, function = _HOMES[name]
    renderer: Renderer = getattr(import_module(module), function)
    return renderer


def __getattr__(name: str) -> Any:
    if name == "FORMATS":
        value: Any = {
            fmt: Format(fmt, known.suffix, _renderer(fmt), known.is_binary)
            for fmt, known in RESULT_FORMATS.items()
        }
    elif name == "RENDERERS":
        value = {fmt: each.render for fmt, each in __getattr__("FORMATS").items()}
    elif name in {function for _module, function in _HOMES.values()}:
        value = next(_renderer(fmt) for fmt, (_m, fn) in _HOMES.items() if fn == name)
    else:
        message = f"module 'scoring.render' has no attribute {name!r}"
        raise AttributeError(message)
    globals()[name] = value  # found once; later lookups do not come here
    return value


FORMATS: Mapping[str, Format]
"""Every format of a result, by the name ``--format`` takes; the first is the default."""
RENDERERS: Mapping[str, Renderer]

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
