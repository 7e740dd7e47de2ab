"""The 专家评分 sheet of the 自评表 workbook (:mod:`scoring.render.panel`): safe cells only.

A 专家评分汇总表: the heading, then an indicator a row and an expert a column, each score a
number cell in its number format, every text a text cell (never a formula).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from scoring.render import sheet as xl
from scoring.render.cells import Number
from scoring.render.panel import PanelTable
from scoring.render.safe import write_cell

if TYPE_CHECKING:
    from openpyxl.worksheet.worksheet import Worksheet

PANEL_SHEET = "专家评分"
NAME_WIDTH, FIGURE_WIDTH, COMBINE_WIDTH, NOTE_WIDTH = 24, 9, 18, 40


def write_panel_sheet(sheet: Worksheet, table: PanelTable) -> None:
    """Lay ``table`` out on ``sheet``: title, headings, a row per indicator."""
    columns = len(table.headers)
    figures = [FIGURE_WIDTH] * (columns - 5)  # 分值 and each expert
    xl.set_widths(
        sheet, [NAME_WIDTH, *figures, COMBINE_WIDTH, FIGURE_WIDTH, FIGURE_WIDTH, NOTE_WIDTH]
    )
    xl.title(sheet, 1, PANEL_SHEET, columns)
    xl.header(sheet, 2, table.headers)
    for offset, row in enumerate(table.rows):
        line = 3 + offset
        for column, value in enumerate(row.cells, start=1):
            if isinstance(value, Number):
                cell = write_cell(sheet, line, column, value.value)
                cell.number_format = value.number_format
            else:
                cell = write_cell(sheet, line, column, value or None)
                cell.alignment = xl.alignment(wrap=True, horizontal="left")
    xl.print_setup(sheet, landscape=True, title_rows="2:2")
