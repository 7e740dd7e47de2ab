"""The formats ``scoring monitor`` writes: each renders a 监控表 view (a unit's, or a summary).

Names and suffixes are light (:data:`scoring.render.formats.MONITOR_FORMATS`, read at start-up);
a renderer's module is imported when it is asked for.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from importlib import import_module
from typing import TYPE_CHECKING

from scoring.render.formats import MONITOR_FORMATS

if TYPE_CHECKING:
    from scoring.render.monitor import MonitorView

MonitorRenderer = Callable[["MonitorView"], str | bytes]

_HOMES: Mapping[str, tuple[str, str]] = {
    "text": ("scoring.render.monitor_terminal", "render_monitor_text"),
    "json": ("scoring.render.monitor", "render_monitor_json"),
    "md": ("scoring.render.monitor", "render_monitor_markdown"),
    "html": ("scoring.render.monitor_html", "render_monitor_html"),
    "xlsx": ("scoring.render.monitor_xlsx", "render_monitor_xlsx"),
    "csv": ("scoring.render.monitor", "render_monitor_csv"),
}
assert set(_HOMES) == set(MONITOR_FORMATS), "each monitoring format has its renderer"


def monitor_renderer(name: str) -> MonitorRenderer:
    """The renderer of the 监控表 in format ``name`` (a key of MONITOR_FORMATS)."""
    module, function = _HOMES[name]
    renderer: MonitorRenderer = getattr(import_module(module), function)
    return renderer
