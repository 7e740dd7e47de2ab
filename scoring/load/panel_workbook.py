"""A filled facts workbook's 专家评分 sheet: one row an indicator, one column an expert.

Laid out as a 专家评分汇总表: the first row heads the columns (the indicators' column, then
each expert's name); each further row names an indicator (its path, or its name when no other
leaf has that name) and gives each expert's score; a row without a score is not the panel's (the
template's sheet, :mod:`scoring.render.panel_sheet`, lists every leaf). It becomes a facts file's
``panel:``, every score placed at its cell, and is checked by the same rules
(:mod:`scoring.load.panel`).
"""

from __future__ import annotations

from typing import Any

from scoring.errors import Issue
from scoring.i18n import _
from scoring.load.xlsx import CellLocation, sheet_rows
from scoring.model import values
from scoring.model.located import LocatedDict
from scoring.model.panel import MAX_EXPERTS
from scoring.model.workbook_form import PANEL_SHEET

MAX_PANEL_ROWS = 2_000
"""The most rows a 专家评分 sheet may have: a ruleset has a few hundred leaves at most."""
MAX_PANEL_COLUMNS = MAX_EXPERTS + 1
"""The most columns read: the indicator's, and up to 99 experts."""


def read_panel_sheet(workbook: Any, filename: str) -> tuple[LocatedDict | None, list[Issue]]:
    """The workbook's 专家评分 sheet as a ``panel:`` section (None without the sheet).

    Raises:
        FactsError: when the sheet is too large.
    """
    if PANEL_SHEET not in workbook.sheetnames:
        return None, []
    rows = sheet_rows(
        workbook[PANEL_SHEET],
        filename,
        max_rows=MAX_PANEL_ROWS,
        max_columns=MAX_PANEL_COLUMNS,
        sheet_name=PANEL_SHEET,
    )

    def cell(row: int, column: int) -> CellLocation:
        return CellLocation(filename, row, column, sheet=PANEL_SHEET, is_workbook=True)

    panel, issues = LocatedDict(), []
    panel.location = cell(1, 1)
    header = rows[0] if rows else []
    experts = {index: _text(value) for index, value in enumerate(header) if index and _text(value)}
    for number, row in enumerate(rows[1:], start=2):
        key = _text(row[0]) if row else ""
        scores = LocatedDict()
        scores.location = cell(number, 1)
        for index, value in enumerate(row):
            if not index or not _text(value):
                continue
            if index not in experts or not key:
                message = _("a score with no expert or no indicator heading it ({value!r})")
                issues.append(Issue(message.format(value=value), cell(number, index + 1)))
                continue
            scores.put(experts[index], value, cell(number, index + 1))
        if key and scores:  # a template's row left blank: the panel does not score it
            panel.put(key, scores, cell(number, 1))
    return panel, issues


def _text(value: Any) -> str:
    return values.normalise_text(str(value)) if value is not None else ""
