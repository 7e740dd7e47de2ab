"""A batch's summary: one row per unit, the tally of grades, and the summary as CSV, JSON or XLSX.

The Parquet summary is :mod:`scoring.analysis.summary_parquet`. Pure: rows in, text and bytes out.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from scoring.i18n import _, ngettext
from scoring.load.units import SUBJECT_HEADERS
from scoring.model.documents import json_text
from scoring.model.fingerprint import ruleset_fingerprint
from scoring.model.results import subject_keys, subject_line
from scoring.model.ruleset import Ruleset
from scoring.render.cells import places_format
from scoring.render.safe import csv_cell, write_cell
from scoring.render.sheet import FIXED_TIME, fixed_timestamps

SUMMARY_SUFFIXES = (".csv", ".json", ".xlsx")


@dataclass(frozen=True)
class SummaryRow:
    """One line of the summary: who, the total and grade, the points lost per 一级, or the error."""

    source: str
    subject: dict[str, str]
    total: Decimal | None
    grade: str | None
    lost: tuple[Decimal | None, ...]
    """Per top-level indicator, its applicable weight − its score; None when it is 不适用."""
    error: str | None = None
    treatment: str | None = None
    """结果应用: the treatment the grade proposes for next year's budget (advice), if any."""
    reduction: Decimal | None = None
    """The reduction it proposes, in the amount's unit, when it has one."""
    flags: tuple[str, ...] = ()
    """Its red flags (the ruleset's ``red_flags:``), each a sentence."""


@dataclass(frozen=True)
class Summary:
    """Every unit of a batch under one ruleset, in input order."""

    ruleset: str
    fingerprint: str
    indicators: tuple[tuple[str, str], ...]
    """The top-level indicators' (id, name), in the ruleset's order."""
    grades: tuple[str, ...]
    """The grade labels, best first."""
    places: int
    rows: tuple[SummaryRow, ...] = field(default=())
    keys: tuple[str, ...] | None = None
    """The subject columns, when known before the rows (a table's); else found in the rows."""
    applies: bool = False
    """Whether the ruleset has a 结果应用 table: the columns 结果应用 and 建议核减额 are shown."""
    flagged: bool = False
    """Whether the ruleset declares red flags: the summary then has a 疑点 column and sheet."""

    @property
    def subject_keys(self) -> tuple[str, ...]:
        """Unit, project and year first, then any other subject key in order of appearance."""
        if self.keys is not None:
            return self.keys
        return tuple(
            subject_keys((key for row in self.rows for key in row.subject), SUBJECT_HEADERS)
        )

    @property
    def failed(self) -> int:
        """How many units could not be scored."""
        return sum(row.error is not None for row in self.rows)


class Tally:
    """How many units got each grade, and how many failed, counted as the rows go by."""

    def __init__(self, grades: Iterable[str]):
        self.counts = dict.fromkeys(grades, 0)
        self.ungraded = self.failed = self.units = 0
        self.reductions: dict[str, Decimal] = {}
        """The proposed reductions (结果应用) added up per unit (单位: the bureau), in order."""

    def add(self, row: SummaryRow) -> None:
        """Count one row."""
        self.units += 1
        if row.reduction is not None:
            unit = row.subject.get("unit") or row.source
            self.reductions[unit] = self.reductions.get(unit, Decimal(0)) + row.reduction
        if row.error is not None:
            self.failed += 1
        elif row.grade in self.counts:
            self.counts[row.grade] += 1
        else:
            self.ungraded += 1

    def count(self, grades: dict[str | None, int]) -> None:
        """Count rows scored without an error or a reduction, by how many got each grade."""
        for grade, count in grades.items():
            self.units += count
            if grade in self.counts:
                self.counts[grade] += count
            else:
                self.ungraded += count

    def text(self) -> str:
        """``优 812 · 良 150 · errors 10``."""
        parts = [f"{label} {count}" for label, count in self.counts.items()]
        if self.ungraded:
            parts.append(_("no grade {count}").format(count=self.ungraded))
        if self.failed:
            parts.append(_("errors {count}").format(count=self.failed))
        return " · ".join(parts) if parts else _("no units")

    def reduction_lines(self) -> list[str]:
        """Per unit, the reductions its projects' grades propose, added up: advice, no decision."""
        return [
            _("proposed reductions (结果应用, advice): {unit} {amount}").format(
                unit=unit, amount=format(amount, "f")
            )
            for unit, amount in self.reductions.items()
        ]


def summarise(
    ruleset: Ruleset, rows: Iterable[SummaryRow], keys: tuple[str, ...] | None = None
) -> Summary:
    """The summary of a batch: its ruleset, its columns, and its rows in input order.

    ``keys``: the subject columns when known before the rows (a table's header), so that a
    summary written as the rows come has the same columns as one written at the end.
    """
    grades = sorted((ruleset.grades or {}).items(), key=lambda item: item[1], reverse=True)
    return Summary(
        ruleset=ruleset.ref,
        fingerprint=ruleset_fingerprint(ruleset),
        indicators=tuple((node.id, node.name) for node in ruleset.indicators),
        grades=tuple(label for label, _ in grades),
        places=ruleset.rounding.places,
        rows=tuple(rows),
        keys=keys,
        applies=ruleset.application is not None,
        flagged=ruleset.red_flags is not None,
    )


def grade_counts(summary: Summary) -> str:
    """How many units got each grade, and how many failed: ``优 812 · 良 150 · errors 10``."""
    tally = Tally(summary.grades)
    for row in summary.rows:
        tally.add(row)
    return tally.text()


def summary_cells(summary: Summary) -> tuple[list[str], list[list[str | Decimal]]]:
    """The summary as a table: headers (来源, 单位, 项目, 年度, 总分, 等级, …失分, 错误) and rows.

    Totals and points lost are Decimals (empty text when there are none), the rest text.
    """
    keys = summary.subject_keys
    headers = summary_headers(summary.indicators, keys, summary.applies, flagged=summary.flagged)
    indicators, applies, flagged = len(summary.indicators), summary.applies, summary.flagged
    return headers, [
        summary_line(row, keys, indicators, applies, flagged=flagged) for row in summary.rows
    ]


APPLICATION_HEADERS = ("结果应用建议", "建议核减额")
"""The summary's columns for a ruleset with a 结果应用 table: advice, never a decision."""


def summary_headers(
    indicators: tuple[tuple[str, str], ...],
    keys: tuple[str, ...],
    applies: bool = False,
    *,
    flagged: bool = False,
) -> list[str]:
    """The summary's column headers (结果应用 when ``applies``, 疑点 when ``flagged``)."""
    return [
        "来源",
        *(SUBJECT_HEADERS.get(key, key) for key in keys),
        "总分",
        "等级",
        *(APPLICATION_HEADERS if applies else ()),
        *(f"{name}失分" for _, name in indicators),
        *(("疑点",) if flagged else ()),
        "错误",
    ]


@dataclass(frozen=True)
class LineShape:
    """What a summary line's cells depend on besides its row (see :func:`summary_line`)."""

    keys: tuple[str, ...]
    indicators: int
    applies: bool = False
    flagged: bool = False
    parquet: bool = False
    """The line of a Parquet summary, not a CSV one (:func:`shaped_line`)."""


def csv_line(row: SummaryRow, shape: LineShape) -> list[str]:
    """A summary row as the cells of a CSV line, each safe to open (:func:`csv_cell`)."""
    line = summary_line(row, shape.keys, shape.indicators, shape.applies, flagged=shape.flagged)
    return [csv_cell(value) for value in line]


def shaped_line(row: SummaryRow, shape: LineShape) -> tuple[str, ...]:
    """A summary row as its line's cells: a CSV line's, or a Parquet one's (:func:`cell_text`)."""
    if not shape.parquet:
        return tuple(csv_line(row, shape))
    line = summary_line(row, shape.keys, shape.indicators, shape.applies, flagged=shape.flagged)
    return tuple(map(cell_text, line))


def summary_line(
    row: SummaryRow,
    keys: tuple[str, ...],
    indicators: int,
    applies: bool = False,
    *,
    flagged: bool = False,
) -> list[str | Decimal]:
    """One row of the summary as cells, under :func:`summary_headers`."""
    lost = list(row.lost) if row.error is None else [None] * indicators
    application = [row.treatment or "", _cell(row.reduction)] if applies else []
    return [
        row.source,
        *(row.subject.get(key, "") for key in keys),
        _cell(row.total),
        row.grade or "",
        *application,
        *map(_cell, lost),
        *(("\n".join(row.flags),) if flagged else ()),
        row.error or "",
    ]


def summary_table(
    summary: Summary, *, count_problems: bool = False
) -> tuple[list[str], list[list[str]]]:
    """The summary as a table of text, numbers written exactly.

    With ``count_problems`` the 错误 column says only how many problems a unit has (for the
    terminal, where the problems are listed in full below the table).
    """
    headers, rows = summary_cells(summary)
    table = [[cell_text(value) for value in row] for row in rows]
    if count_problems:
        for row in table:
            count = row[-1].count("\n") + 1 if row[-1] else 0
            problems = ngettext("{count} problem", "{count} problems", count)
            row[-1] = problems.format(count=count) if count else ""
    return headers, table


def _cell(value: Decimal | None) -> str | Decimal:
    return "" if value is None else value


def cell_text(value: str | Decimal | None) -> str:
    """A summary cell as text: a number exact (``91.78``), "" for none."""
    if isinstance(value, Decimal):
        return format(value, "f")
    return value or ""


def summary_writer(handle: Any) -> Any:
    """The CSV writer every summary CSV is written with (Excel's dialect, CRLF lines)."""
    return csv.writer(handle, lineterminator="\r\n")


def csv_lines(lines: Iterable[Iterable[str]]) -> str:
    """Summary lines' cells (:func:`csv_line`) as the text :func:`summary_writer` writes."""
    buffer = io.StringIO()
    summary_writer(buffer).writerows(lines)
    return buffer.getvalue()


def render_summary_csv(summary: Summary) -> str:
    """The summary as CSV text, starting with a byte order mark.

    Excel opens a CSV without a BOM in the system's ANSI code page (GBK on Chinese Windows) and
    would show the UTF-8 汉字 as mojibake; the BOM tells it the file is UTF-8.
    """
    buffer = io.StringIO()
    writer = summary_writer(buffer)
    headers, rows = summary_cells(summary)
    writer.writerow(map(csv_cell, headers))
    writer.writerows([csv_cell(value) for value in row] for row in rows)
    return "\ufeff" + buffer.getvalue()


def render_summary_json(summary: Summary) -> str:
    """The summary as JSON: sorted keys, exact decimals as text; the same units, the same bytes."""
    ids = [indicator_id for indicator_id, _ in summary.indicators]
    units = [
        {
            "source": row.source,
            "subject": row.subject,
            "total": _json_points(row.total),
            "grade": row.grade,
            "lost": None
            if row.error is not None
            else dict(zip(ids, map(_json_points, row.lost), strict=True)),
            "error": row.error,
            **(
                {"treatment": row.treatment, "reduction": _json_points(row.reduction)}
                if summary.applies
                else {}
            ),
            **({"flags": list(row.flags)} if summary.flagged else {}),
        }
        for row in summary.rows
    ]
    counts = dict.fromkeys(summary.grades, 0)
    for row in summary.rows:
        if row.error is None and row.grade in counts:
            counts[row.grade] += 1
    data = {
        "ruleset": {"ref": summary.ruleset, "fingerprint": summary.fingerprint},
        "indicators": [{"id": key, "name": name} for key, name in summary.indicators],
        "units": units,
        "grades": counts,
        "errors": summary.failed,
    }
    if summary.applies:  # 结果应用: the proposed reductions added up per unit (advice)
        tally = Tally(summary.grades)
        for row in summary.rows:
            tally.add(row)
        data["reductions"] = {unit: cell_text(amount) for unit, amount in tally.reductions.items()}
    return json_text(data)


def _json_points(value: Decimal | None) -> str | None:
    return None if value is None else cell_text(value)


def render_summary_xlsx(summary: Summary) -> bytes:
    """The summary as an XLSX workbook: totals and points lost are numbers, shown to the places.

    The same summary always gives the same bytes: the workbook's dates and the archive's
    timestamps are fixed.
    """
    import openpyxl
    from openpyxl.writer.excel import ExcelWriter

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None  # a new workbook has one sheet
    sheet.title = "汇总"
    headers, rows = summary_cells(summary)
    number_format = places_format(summary.places)
    for column, header in enumerate(headers, start=1):
        write_cell(sheet, 1, column, header)
    for number, row in enumerate(rows, start=2):
        for column, value in enumerate(row, start=1):
            cell = write_cell(sheet, number, column, value if value != "" else None)
            if isinstance(value, Decimal):
                cell.number_format = number_format
    sheet.freeze_panes = "B2"
    if summary.flagged:
        _flags_sheet(workbook.create_sheet("疑点"), summary)
    workbook.properties.created = workbook.properties.modified = FIXED_TIME
    raw = io.BytesIO()
    with zipfile.ZipFile(raw, "w", zipfile.ZIP_DEFLATED) as archive:
        ExcelWriter(workbook, archive).write_data()
    return fixed_timestamps(raw.getvalue())


def _flags_sheet(sheet: Any, summary: Summary) -> None:
    """Every red flag, a row each: the unit's source, its subject, the flag."""
    for column, header in enumerate(("来源", "单位与项目", "疑点"), start=1):
        write_cell(sheet, 1, column, header)
    number = 1
    for row in summary.rows:
        for flag in row.flags:
            number += 1
            for column, value in enumerate((row.source, subject_line(row.subject), flag), 1):
                write_cell(sheet, number, column, value or None)
    sheet.freeze_panes = "A2"


def render_summary(summary: Summary, suffix: str) -> str | bytes:
    """The summary in the format a file name's suffix asks for (one of SUMMARY_SUFFIXES)."""
    renderers = {".csv": render_summary_csv, ".json": render_summary_json}
    if suffix == ".xlsx":
        return render_summary_xlsx(summary)
    return renderers[suffix](summary)
