"""The 绩效运行监控表 for a terminal, drawn with rich from the one view model; data as data."""

from __future__ import annotations

import io
from typing import TYPE_CHECKING

from scoring.model.monitoring import Light
from scoring.render.monitor import MonitorView
from scoring.render.text_safety import printable

if TYPE_CHECKING:
    from rich.console import Console
    from rich.text import Text

WHOLE_WIDTH = 10_000
"""Wide enough for any row on one line: what a pipe or a file gets."""
STYLES: dict[Light, str] = {
    "red": "bold white on red",
    "yellow": "bold black on yellow",
    "green": "bold white on green",
    "blue": "bold white on blue",
}


def draw_monitor(console: Console, view: MonitorView) -> None:
    """The 监控表, then the rules and what is still owed, on ``console``."""
    from rich.table import Table

    table = Table(title=_text(view.title), caption=_text(view.footer))
    for heading in view.headers:
        table.add_column(heading, overflow="fold")
    light_column = view.light_column
    for line in view.lines:
        cells = [_text(text) for text in line.cells]
        if line.light is not None:
            cells[light_column] = _text(line.cells[light_column], STYLES[line.light])
        table.add_row(*cells)
    console.print(_text("　".join(f"{label}：{value}" for label, value in view.subject)))
    console.print(table)
    for rule in view.rules:
        console.print(_text(f"规则 {rule}"))
    for finding in view.findings:
        console.print(_text(f"待补充 {finding}"))


def render_monitor_text(view: MonitorView) -> str:
    """The 监控表 as plain text, whole (a row a line), as a file or a pipe gets it."""
    from rich.console import Console

    console = Console(
        file=io.StringIO(), width=WHOLE_WIDTH, record=True, highlight=False, markup=False
    )
    draw_monitor(console, view)
    return console.export_text()


def _text(text: str, style: str = "") -> Text:
    from rich.text import Text

    return Text(printable(text), style=style)
