"""Read a filled target table workbook (绩效目标申报表, from ``scoring review --template``).

The head rows (单位, 项目, 年度, 年度总体目标, 规则集, 继承模板) and the indicator rows below the
headings become the same located data a YAML table gives, each value placed at its cell
(``targets.xlsx!绩效目标!E12``), so every finding and every problem names the cell to correct.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from scoring.errors import FactsError, Issue, TargetsError
from scoring.i18n import _
from scoring.load.targets import target_table_from
from scoring.load.xlsx import CellLocation, check_file_size, open_workbook, sheet_rows
from scoring.model.located import LocatedDict, LocatedList
from scoring.model.review import TableInput
from scoring.model.target_form import (
    COLUMNS,
    FIRST_HEADING,
    HEAD_ROWS,
    MAX_TARGET_ROWS,
    SUBJECT_KEYS,
    TARGETS_SHEET,
)


def load_target_workbook(path: Path) -> TableInput:
    """Read a filled target table workbook.

    Raises:
        TargetsError: when it is not such a workbook, or a cell does not fit; each located.
        OSError: when the file cannot be read.
    """
    filename = str(path)
    try:
        check_file_size(path.stat().st_size, filename)
        workbook = open_workbook(path.read_bytes(), filename, TARGETS_SHEET)
        try:
            rows = sheet_rows(
                workbook[TARGETS_SHEET],
                filename,
                max_rows=MAX_TARGET_ROWS,
                columns=len(COLUMNS),
                sheet_name=TARGETS_SHEET,
            )
        finally:
            workbook.close()
    except FactsError as exc:
        raise TargetsError(exc.issues, filename) from exc
    data, issues = _located(rows, filename)
    if issues:
        raise TargetsError(issues, filename)
    return target_table_from(data, filename)


def is_target_workbook(path: Path) -> bool:
    """Whether an XLSX file has a 绩效目标 sheet.

    One that cannot be opened counts, to be refused with its own message when it is read.
    """
    try:
        check_file_size(path.stat().st_size, str(path))
        workbook = open_workbook(path.read_bytes(), str(path))
    except (OSError, FactsError):
        return True
    try:
        return TARGETS_SHEET in workbook.sheetnames
    finally:
        workbook.close()


def _cell(filename: str, row: int, column: int) -> CellLocation:
    return CellLocation(filename, row, column, sheet=TARGETS_SHEET, is_workbook=True)


def _located(rows: list[list[Any]], filename: str) -> tuple[LocatedDict, list[Issue]]:
    data, subject = LocatedDict(), LocatedDict()
    data.location = subject.location = _cell(filename, 1, 1)
    data.put("subject", subject, _cell(filename, 1, 1))
    labels = {label: key for key, label in HEAD_ROWS}
    targets = LocatedList()
    issues: list[Issue] = []
    headings = 0
    for number, row in enumerate(rows, start=1):
        cells = [_filled(value) for value in row] + [None] * (len(COLUMNS) - len(row))
        if not headings:
            label = cells[0]
            if label == FIRST_HEADING:
                headings = number
                targets.location = _cell(filename, number, 1)
                data.put("targets", targets, targets.location)
            elif isinstance(label, str) and label in labels and cells[1] is not None:
                key = labels[label]
                into = subject if key in SUBJECT_KEYS else data
                into.put(key, cells[1], _cell(filename, number, 2))
            elif isinstance(label, str) and label not in labels and number > 1:
                message = _(
                    "unknown row {label!r}: the rows above the headings are set by the template"
                )
                issues.append(Issue(message.format(label=label), _cell(filename, number, 1)))
            continue
        if all(value is None for value in cells[2:]):
            continue  # a blank row, or a prefilled 一级/二级 left without an indicator
        target = LocatedDict()
        target.location = _cell(filename, number, 1)
        for column, (key, _heading) in enumerate(COLUMNS, start=1):
            if cells[column - 1] is not None:
                target.put(key, cells[column - 1], _cell(filename, number, column))
        targets.append(target)
        targets.item_locations.append(target.location)
    if not headings:
        message = _(
            "no row of headings (一级指标 in column A): fill the form that scoring review "
            "--template writes"
        )
        issues.append(Issue(message, _cell(filename, 1, 1)))
    return data, issues


def _filled(value: Any) -> Any:
    """A cell's value; blank text is no value, other text without its surrounding spaces."""
    if isinstance(value, str):
        return value.strip() or None
    return value
