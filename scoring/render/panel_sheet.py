"""The facts template's 专家评分 sheet, for a ruleset with a ``panel:``: experts score here.

Laid out as :mod:`scoring.load.panel_workbook` reads it back, a 专家评分汇总表: the first row heads
the columns (三级指标, then 专家1…专家N, names the experts may overwrite), each further row names a
leaf indicator (by its name when no other leaf has it, else by its path) and takes each expert's
score, checked by Excel as a number within 0–分值. A row left blank is not the panel's.
"""

from __future__ import annotations

from collections import Counter
from decimal import Decimal
from typing import TYPE_CHECKING

from scoring.model.numbers import trimmed
from scoring.model.ruleset import Ruleset
from scoring.model.workbook_form import PANEL_SHEET, column_letters
from scoring.render.safe import write_cell
from scoring.render.sheet import fill, header, print_setup, set_widths, style

if TYPE_CHECKING:
    from openpyxl import Workbook

INPUT_FILL = "FFF2CC"
INDICATOR_HEADING = "三级指标"
INDICATOR_WIDTH = 36
EXPERT_WIDTH = 10


def add_panel_sheet(workbook: Workbook, ruleset: Ruleset) -> None:
    """Add the 专家评分 sheet when the ruleset has a ``panel:``; nothing otherwise."""
    from openpyxl.styles import Protection
    from openpyxl.worksheet.datavalidation import DataValidation

    if ruleset.panel is None:
        return
    experts = ruleset.panel.expert_columns
    sheet = workbook.create_sheet(PANEL_SHEET)
    set_widths(sheet, [INDICATOR_WIDTH, *[EXPERT_WIDTH] * experts])
    header(sheet, 1, [INDICATOR_HEADING, *(f"专家{n}" for n in range(1, experts + 1))])
    for column in range(2, experts + 2):  # the experts may write their names over 专家n
        sheet.cell(1, column).protection = Protection(locked=False)
    sheet.freeze_panes = "B2"
    leaves = [(path, node) for path, _level, node in ruleset.walk() if node.is_leaf]
    names = Counter(node.name for _path, node in leaves)
    by_weight: dict[Decimal, DataValidation] = {}
    last = column_letters(experts + 1)
    for number, (path, node) in enumerate(leaves, start=2):
        style(write_cell(sheet, number, 1, node.name if names[node.name] == 1 else path), wrap=True)
        for column in range(2, experts + 2):
            cell = sheet.cell(number, column)
            cell.protection = Protection(locked=False)
            fill(cell, INPUT_FILL)
        most = node.weight or Decimal(0)  # as the panel's reader bounds it
        validation = by_weight.get(most)
        if validation is None:
            weight = trimmed(most)
            message = (
                f"填写 0–{weight} 之间的数（该指标的分值为 {weight}）；不由专家组评分的指标留空"
            )
            validation = DataValidation(
                type="decimal",
                operator="between",
                formula1="0",
                formula2=str(weight),
                allow_blank=True,
                showInputMessage=True,
                showErrorMessage=True,
                promptTitle="专家评分",
                prompt=message,
                errorTitle="填写有误",
                error=message,
            )
            by_weight[most] = validation
            sheet.add_data_validation(validation)
        validation.add(f"B{number}:{last}{number}")
    sheet.protection.sheet = True
    sheet.protection.formatColumns = False
    sheet.protection.formatRows = False
    print_setup(sheet, landscape=experts > 5, title_rows="1:1")
