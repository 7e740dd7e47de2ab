"""The 自评表 for a terminal: the breakdown as a tree, drawn with rich from the one view model.

Every indicator, parents before children, with 分值, 年度指标值, 实际完成值, 得分 and 说明, then
合计, 总分 and 等级, the derived values and the notes: the cells of
:func:`~scoring.render.report.build_report`'s report, nothing computed here. Data is shown as
data: text goes into rich ``Text`` (never markup), without control or bidi characters. rich is
imported where it is used: ``import scoring`` does not load it.
"""

from __future__ import annotations

import io
from typing import TYPE_CHECKING

from scoring.model.results import ScoreResult
from scoring.model.ruleset import Ruleset
from scoring.render.cells import cell_text
from scoring.render.panel import PanelTable
from scoring.render.report import IndicatorRow, Report, build_report
from scoring.render.text_safety import printable

if TYPE_CHECKING:
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

WHOLE_WIDTH = 10_000
"""Wide enough for any row on one line: what a pipe or a file gets."""


def breakdown_table(report: Report) -> Table:
    """The rich table of the tree: 指标, 分值, 年度指标值, 实际完成值, 得分, 说明; the totals."""
    from rich.table import Table

    title = "\n".join(filter(None, (report.title, report.subject_line)))
    table = Table(
        title=_text(title),
        caption=_text(f"{report.ruleset_ref}\n{report.ruleset_fingerprint}"),
        show_lines=False,
    )
    audited = report.is_audited
    table.add_column("指标", overflow="fold")
    table.add_column("分值", justify="right")
    table.add_column("年度指标值", overflow="fold")
    table.add_column("实际完成值", overflow="fold")
    if audited:
        table.add_column("自评得分", justify="right")
    table.add_column("审核得分" if audited else "得分", justify="right")
    table.add_column("说明", overflow="fold")  # wrapped to the terminal, never cut with …
    for row in report.breakdown:
        table.add_row(*_cells(row, audited))
    table.add_section()
    for total in report.totals:
        bold = "bold" if total.label != "合计" else ""
        own = [_text(cell_text(total.self_score))] if audited else []
        table.add_row(
            _text(total.label, bold),
            _text(cell_text(total.weight)),
            "",
            "",
            *own,
            _text(cell_text(total.score), bold),
            _text(total.note),
        )
    return table


def _cells(row: IndicatorRow, audited: bool) -> list[Text]:
    node = row.leaf
    name = _text("  " * (node.level - 1) + node.name, "bold" if node.level == 1 else "")
    own = [_text(cell_text(row.self_score))] if audited else []
    return [
        name,
        _text(cell_text(row.weight)),
        _text(row.target),
        _text(row.actual),
        *own,
        _text(cell_text(row.score)),
        _text(row.note),
    ]


def draw_breakdown(console: Console, report: Report) -> None:
    """The breakdown, then each derived value and each note, on ``console``."""
    console.print(breakdown_table(report))
    if report.panel is not None:
        console.print(_panel_table(report.panel))
    for value in report.derived:
        console.print(_text(f"派生值 {value}"))
    for note in report.notes:
        console.print(_text(f"注：{note}"))


def _panel_table(panel: PanelTable) -> Table:
    """The 专家评分 table: an indicator a row, an expert a column."""
    from rich.table import Table

    table = Table(title=_text("专家评分"), show_lines=False)
    for index, heading in enumerate(panel.headers):
        numeric = index in panel.numeric
        table.add_column(heading, justify="right" if numeric else "left", overflow="fold")
    for row in panel.rows:
        table.add_row(*(_text(cell_text(cell)) for cell in row.cells))
    return table


def render_text(result: ScoreResult, ruleset: Ruleset | None = None) -> str:
    """The breakdown as plain text, whole (a row a line, nothing cut), as a file or pipe gets it.

    ``ruleset``, the one ``result`` was scored under, gives the units of its facts
    (:func:`~scoring.render.report.build_report`).
    """
    from rich.console import Console

    console = Console(
        file=io.StringIO(),
        width=WHOLE_WIDTH,
        record=True,
        highlight=False,
        markup=False,
        emoji=False,
    )
    draw_breakdown(console, build_report(result, ruleset))
    return console.export_text()


def _text(text: str, style: str = "") -> Text:
    from rich.text import Text

    return Text(printable(text), style=style)
