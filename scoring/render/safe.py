"""Data as data in the files people open: no formula from a cell, no control or bidi character.

Unit names, ruleset titles, indicator names and reasons come from other people's files. Every
writer of a spreadsheet or a page passes them through here, so that a unit called
``=HYPERLINK(…)`` is text in Excel and a U+202E cannot reverse what a reader sees:

- :func:`strip_controls`: text without control characters (but line breaks and tabs) and without
  the invisible characters that reorder text (bidi embeddings, overrides, isolates and marks).
- :func:`csv_cell`: a CSV cell; text that Excel would read as a formula gets a leading ``'``.
- :func:`write_cell`: an XLSX cell; text is always a string cell, never a formula, and text that
  would become a formula when edited keeps Excel's quote prefix. Numbers stay numbers.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import TYPE_CHECKING

from scoring.render.text_safety import printable

if TYPE_CHECKING:
    from openpyxl.cell.cell import Cell
    from openpyxl.worksheet.worksheet import Worksheet

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n")
"""What makes a spreadsheet read text as a formula (or a DDE call) when it starts a cell."""
MAX_CELL_TEXT = 32_767
"""The most characters an Excel cell holds; longer text makes Excel "repair" the workbook."""
_LINE_BREAKS = re.compile(r"\r\n?|[\u2028\u2029\x85]")


def strip_controls(text: str) -> str:
    r"""``text`` with line breaks as ``\n`` and without control or bidi-control characters.

    ``'报告\u202e优'`` → ``'报告优'``; ``'a\r\nb'`` → ``'a\nb'``; tabs stay.
    """
    if text.isprintable():  # no line break, control or bidi character: most cells
        return text
    return printable(_LINE_BREAKS.sub("\n", text))


def csv_cell(value: str | Decimal | None) -> str:
    """One cell of a CSV file: a number as written; text neutralised against formulas.

    ``Decimal("-2.50")`` → ``-2.50`` (a number); ``"-2+3"`` → ``'-2+3`` (text Excel shows as
    it is); ``"=HYPERLINK(…)"`` → ``'=HYPERLINK(…)``.
    """
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return format(value, "f")
    text = strip_controls(value)
    return f"'{text}" if text.startswith(FORMULA_STARTS) else text


def write_cell(
    sheet: Worksheet, row: int, column: int, value: str | Decimal | int | float | None = None
) -> Cell:
    """The cell at ``row``, ``column`` holding ``value``: text as text, numbers as numbers.

    openpyxl makes any text starting with ``=`` a formula; here the cell stays a string cell,
    and text starting with ``= + - @``, a tab or a line break also gets Excel's quote prefix, so
    that editing the cell in Excel does not turn it into a formula either.
    """
    from openpyxl.cell.cell import Cell  # here: openpyxl takes a while to import

    cell = sheet.cell(row, column)
    assert isinstance(cell, Cell), "write to a merged range's first cell"
    if value is None:
        return cell
    if not isinstance(value, str):
        cell.value = value
        return cell
    text = strip_controls(value)
    if len(text) > MAX_CELL_TEXT:
        text = text[: MAX_CELL_TEXT - 1] + "…"
    cell.value = text
    cell.data_type = "s"  # never "f": openpyxl reads a leading = as a formula
    if text.startswith(FORMULA_STARTS):
        cell.quotePrefix = True
    return cell
