"""Cells, styles and bytes of the workbooks scoring writes (the 自评表, the facts template).

Pure: a sheet in, styled cells out, and a workbook's bytes with its dates and archive timestamps
fixed, so that the same input always gives the same bytes.
"""

from __future__ import annotations

import io
import math
import unicodedata
import zipfile
from collections.abc import Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any

from scoring.model.workbook_form import column_letters
from scoring.render.safe import write_cell

if TYPE_CHECKING:
    from openpyxl import Workbook
    from openpyxl.worksheet.worksheet import Worksheet

FIXED_TIME = datetime(2000, 1, 1)
"""The date every workbook written says it was made and changed: the same input, the same bytes."""
LINE_HEIGHT = 15.75
HEADER_FILL = "D9E1F2"
SECTION_FILL = "E2EFDA"


def workbook_bytes(workbook: Workbook) -> bytes:
    """The workbook's bytes, dates and archive timestamps fixed: the same input, the same bytes."""
    from openpyxl.writer.excel import ExcelWriter

    workbook.properties.created = workbook.properties.modified = FIXED_TIME
    workbook.properties.creator = "scoring"
    raw = io.BytesIO()
    with zipfile.ZipFile(raw, "w", zipfile.ZIP_DEFLATED) as archive:
        ExcelWriter(workbook, archive).write_data()
    return fixed_timestamps(raw.getvalue())


def fixed_timestamps(data: bytes) -> bytes:
    """The same archive with every entry dated 1980-01-01, so that its bytes do not vary."""
    fixed = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as source,
        zipfile.ZipFile(fixed, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for entry in source.infolist():
            info = zipfile.ZipInfo(entry.filename, date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            target.writestr(info, source.read(entry.filename))
    return fixed.getvalue()


def set_widths(sheet: Worksheet, widths: Sequence[int]) -> None:
    """The widths of the first columns, in characters."""
    for column, width in enumerate(widths, start=1):
        sheet.column_dimensions[column_letters(column)].width = width


def alignment(*, wrap: bool = False, horizontal: str = "center") -> Any:
    """Vertically centred, wrapped or not."""
    from openpyxl.styles import Alignment

    return Alignment(horizontal=horizontal, vertical="center", wrap_text=wrap)


def style(cell: Any, *, wrap: bool = False, bold: bool = False, horizontal: str = "") -> None:
    """A table cell: thin borders, centred vertically, optionally wrapped and bold."""
    from openpyxl.styles import Border, Font, Side

    thin = Side(style="thin")
    cell.border = Border(left=thin, right=thin, top=thin, bottom=thin)
    cell.alignment = alignment(wrap=wrap, horizontal=horizontal or "general")
    if bold:
        cell.font = Font(bold=True)


def fill(cell: Any, color: str) -> None:
    """A solid background."""
    from openpyxl.styles import PatternFill

    cell.fill = PatternFill(fill_type="solid", start_color=color, end_color=color)


def title(sheet: Worksheet, row: int, text: str, width: int) -> None:
    """A sheet's title: bold and large, across ``width`` columns."""
    from openpyxl.styles import Font

    cell = write_cell(sheet, row, 1, text)
    cell.font = Font(bold=True, size=14)
    cell.alignment = alignment(wrap=True)
    sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=width)
    sheet.row_dimensions[row].height = 24


def header(sheet: Worksheet, row: int, headers: Sequence[str]) -> None:
    """A table's column headers."""
    for column, text in enumerate(headers, start=1):
        cell = write_cell(sheet, row, column, text)
        style(cell, wrap=True, bold=True, horizontal="center")
        fill(cell, HEADER_FILL)


def section(sheet: Worksheet, row: int, text: str, width: int) -> None:
    """A section's heading row, across ``width`` columns."""
    for column in range(1, width + 1):
        fill(sheet.cell(row, column), SECTION_FILL)
        style(sheet.cell(row, column), bold=True, horizontal="left")
    write_cell(sheet, row, 1, text)
    sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=width)


def print_setup(sheet: Worksheet, *, landscape: bool, title_rows: str) -> None:
    """A4, as wide as the page (as many pages down as it takes), the header on every page."""
    from openpyxl.worksheet.page import PageMargins

    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.orientation = "landscape" if landscape else "portrait"
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True  # type: ignore[union-attr]
    sheet.print_options.horizontalCentered = True
    sheet.page_margins = PageMargins(left=0.4, right=0.4, top=0.6, bottom=0.6)
    sheet.print_title_rows = title_rows


def row_height(*cells: tuple[Any, int]) -> float:
    """A row's height for its wrapped texts, each in a column (or merged columns) that wide."""
    lines = 1
    for text, width in cells:
        if not isinstance(text, str) or not text:
            continue
        room = max(width - 1, 1)
        needed = sum(max(1, math.ceil(display_width(line) / room)) for line in text.split("\n"))
        lines = max(lines, needed)
    return LINE_HEIGHT * lines


def display_width(text: str) -> int:
    """Columns a text takes in a cell: Chinese characters take about two."""
    return sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in text)
