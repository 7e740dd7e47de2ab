"""The 专家评分 table of the HTML 自评表 (:mod:`scoring.render.panel`), escaped cell by cell."""

from __future__ import annotations

import html

from scoring.render.cells import Cell, cell_text
from scoring.render.panel import PanelTable
from scoring.render.safe import strip_controls


def panel_html(table: PanelTable) -> list[str]:
    """The table's lines: a heading row, the columns' headings, a row per indicator."""
    columns = len(table.headers)
    rows = [
        "<tr>"
        + "".join(
            _td(cell, "num" if index in table.numeric else "text")
            for index, cell in enumerate(row.cells[:-1])
        )
        + _td(row.note, "note")
        + "</tr>"
        for row in table.rows
    ]
    return [
        '<table class="indicators panel">',
        "<thead>",
        f'<tr><th class="section" colspan="{columns}">专家评分</th></tr>',
        "<tr>" + "".join(f"<th>{escape_html(heading)}</th>" for heading in table.headers) + "</tr>",
        "</thead>",
        "<tbody>",
        *rows,
        "</tbody>",
        "</table>",
    ]


def _td(cell: Cell, kind: str) -> str:
    return f'<td class="{kind}">{escape_html(cell_text(cell))}</td>'


def escape_html(text: str) -> str:
    """Escaped for HTML, line breaks kept as ``<br>``, control and bidi characters left out."""
    return "<br>".join(html.escape(line) for line in strip_controls(text).split("\n"))
