"""Units to score, read: facts files, or the rows of a CSV, XLSX or Parquet table, one unit each.

A table has one row per unit and one column per fact, headed by the fact's name or its label (as
the template shows it), matched after NFKC folding and stripping. Subject columns (``unit`` /
``单位`` / ``单位名称``, ``project`` / ``项目`` / ``项目名称``, ``year`` / ``年度``) go into the
subject, and an optional ``not_applicable`` / ``不适用`` column lists indicator paths separated by
``,``, ``，`` or ``;``. Each row becomes the same located data a facts file gives, so its cells
are read and checked by the very rules of facts files (``values``, ``check_facts``),
and every problem names its cell: ``units.csv:row 12, column 全年执行数`` or ``units.xlsx!C12``.

Pure: bytes and text in, units out; the command line reads the files.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from pathlib import PurePath
from typing import Any

from scoring.errors import FactsError, Issue, SourceLocation, suggest
from scoring.i18n import _
from scoring.load.facts import FACTS_KEYS, FactsInput, parse_facts_text
from scoring.load.issues import position
from scoring.load.xlsx import (
    MAX_FILE_BYTES,
    CellLocation,
    check_file_size,
    open_workbook,
    sheet_rows,
)
from scoring.model import values
from scoring.model.located import LocatedDict, LocatedList
from scoring.model.ruleset import Ruleset

TABLE_KEYS = ("subject", "facts", "not_applicable", "claimed")
"""What a table row holds: overrides need a reason and a name, which a cell cannot carry."""
MAX_TABLE_BYTES = MAX_FILE_BYTES
MAX_TABLE_ROWS = 100_000
"""The most rows (units) a table may have."""
MAX_TABLE_COLUMNS = 1_000
"""The most columns a table may have: a ruleset declares some dozens of facts."""
SUBJECT_COLUMNS = {
    "unit": "unit",
    "单位": "unit",
    "单位名称": "unit",
    "project": "project",
    "项目": "project",
    "项目名称": "project",
    "year": "year",
    "年度": "year",
}
SUBJECT_HEADERS = {"unit": "单位", "project": "项目", "year": "年度"}
NOT_APPLICABLE_COLUMNS = ("not_applicable", "不适用")
CLAIMED_COLUMNS = ("claimed_total", "自评总分")
"""The unit's own total, as its report claims it: for the red flags (``red_flags:``)."""


@dataclass(frozen=True, eq=False)
class Unit:
    """One unit to score: where it came from, and its facts as read, not yet checked."""

    source: str
    """Where it came from, for people: ``facts/a.yaml`` or ``units.csv:row 12``."""
    stem: str
    """Its result file's name when it has no subject: ``a``, ``units-row12``."""
    data: LocatedDict | None = None
    keys: tuple[str, ...] = FACTS_KEYS
    issues: tuple[Issue, ...] = ()
    """Problems found while reading it (a YAML error, a value under no column header)."""
    reword: Callable[[Issue], Issue] | None = None
    """Says a facts-file message in the input's own terms (a workbook's cells), if needed."""

    @property
    def subject(self) -> dict[str, str]:
        """The subject as written, even when the facts turn out wrong: to tell rows apart."""
        given = self.data.get("subject") if self.data is not None else None
        if not isinstance(given, dict):
            return {}
        return {
            str(key): _subject_text(value)
            for key, value in given.items()
            if isinstance(value, str | int | Decimal) and not isinstance(value, bool)
        }


def _subject_text(value: str | int | Decimal) -> str:
    """A subject value as text, as the loader keeps it (``2022`` and ``"2022"`` alike)."""
    if isinstance(value, Decimal):
        # written out in full like the loader does, unless that would be thousands of digits
        return format(value, "f") if abs(value.adjusted()) < 30 else str(value)
    return str(value)


def parse_unit(text: str, filename: str) -> Unit:
    """A facts file's text (YAML or JSON) as a unit (its syntax errors kept as its issues)."""
    try:
        return input_unit(parse_facts_text(text, filename))
    except FactsError as exc:
        return Unit(filename, PurePath(filename).stem, issues=exc.issues)


def input_unit(source: FactsInput) -> Unit:
    """A facts input of any form (:func:`scoring.load.facts.read_facts_input`) as a unit."""
    return Unit(
        source.filename,
        PurePath(source.filename).stem,
        source.data,
        source.keys,
        source.issues,
        source.reword,
    )


def read_table(data: bytes, filename: str, ruleset: Ruleset) -> list[Unit]:
    """The rows of a CSV or XLSX table (by the name's suffix) as units, blank rows left out.

    Raises:
        FactsError: when the table cannot be read, or its header names an unknown column, a
            fact twice, or a label several facts share.
    """
    check_file_size(len(data), filename)
    if filename.lower().endswith(".xlsx"):
        rows, sheet = xlsx_rows(data, filename)
        return _units(rows, filename, ruleset, sheet=sheet, is_workbook=True)
    return _units(_csv_rows(data, filename), filename, ruleset)


def _csv_rows(data: bytes, filename: str) -> list[list[Any]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        # Excel in Chinese saves "CSV (逗号分隔)" in the ANSI code page, GBK (GB18030 reads it
        # all); only text that is not valid UTF-8 is read so, and UTF-8 with or without BOM first.
        try:
            text = data.decode("gb18030")
        except UnicodeDecodeError as exc:
            message = _("neither UTF-8 nor GB18030 text; save the table as CSV UTF-8")
            raise FactsError([Issue(message, SourceLocation(filename, 1, 1))], filename) from exc
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        return [list(row) for row in reader]
    except csv.Error as exc:
        message = _("not a CSV table: {reason}").format(reason=exc)
        where = CellLocation(filename, max(reader.line_num, 1), 0)
        raise FactsError([Issue(message, where)], filename) from exc


def xlsx_rows(data: bytes, filename: str) -> tuple[list[list[Any]], str]:
    """The first sheet's cells as Excel last saved them (a formula: its result).

    With the sheet's name when the workbook has others, to name it in positions.
    """
    workbook = open_workbook(data, filename)
    try:
        sheet = workbook.worksheets[0]
        named = str(sheet.title) if len(workbook.worksheets) > 1 else ""
        rows = sheet_rows(
            sheet,
            filename,
            max_rows=MAX_TABLE_ROWS,
            max_columns=MAX_TABLE_COLUMNS,
            sheet_name=named,
        )
        return rows, named
    finally:
        workbook.close()


@dataclass(frozen=True)
class Column:
    """One column of a table, as its header names it."""

    index: int  # 0-based
    header: str
    kind: str  # "fact", "subject", "not_applicable" or "" (no header, empty)
    key: str = ""


def _units(
    rows: list[list[Any]],
    filename: str,
    ruleset: Ruleset,
    *,
    sheet: str = "",
    is_workbook: bool = False,
) -> list[Unit]:
    table, data = read_header(iter(rows), filename, ruleset, sheet=sheet, is_workbook=is_workbook)
    return [table.unit(number, row) for number, row in data]


@dataclass(frozen=True)
class Table:
    """A table's header, read: what each column gives, and how its cells are named."""

    filename: str
    columns: tuple[Column, ...]
    sheet: str = ""
    is_workbook: bool = False

    def cell(self, row: int, column: int, header: str = "") -> CellLocation:
        """Where a cell is, as a spreadsheet user looks for it."""
        return CellLocation(self.filename, row, column, header, self.sheet, self.is_workbook)

    @property
    def subject_keys(self) -> tuple[str, ...]:
        """The subject columns' keys: unit, project, year, in that order."""
        given = {column.key for column in self.columns if column.kind == "subject"}
        return tuple(key for key in SUBJECT_HEADERS if key in given)

    def unit(self, number: int, row: list[Any]) -> Unit:
        """The unit of data row ``number`` (1-based, the header counted)."""
        data, issues = row_data(row, number, list(self.columns), self.cell)
        stem = f"{PurePath(self.filename).stem}-row{number}"
        return Unit(str(self.cell(number, 0)), stem, data, TABLE_KEYS, issues)


def read_header(
    rows: Iterator[list[Any]],
    filename: str,
    ruleset: Ruleset,
    *,
    sheet: str = "",
    is_workbook: bool = False,
) -> tuple[Table, Iterator[tuple[int, list[Any]]]]:
    """A table's header (its first filled row) and its data rows, numbered, read as they come.

    Blank rows are left out. Rows are numbered as a spreadsheet numbers them, from 1.

    Raises:
        FactsError: when the table is empty, or its header names an unknown column, a fact
            twice, or a label several facts share.
    """
    table = Table(filename, (), sheet, is_workbook)
    for number, row in enumerate(rows, start=1):
        if any(map(is_filled, row)):
            columns = header_columns(row, number, ruleset, table.cell)
            table = Table(filename, tuple(columns), sheet, is_workbook)
            return table, _data_rows(rows, number)
    message = _("the table is empty: write the facts' names or labels in its first row")
    raise FactsError([Issue(message, SourceLocation(filename, 1, 1))], filename)


def _data_rows(rows: Iterator[list[Any]], header: int) -> Iterator[tuple[int, list[Any]]]:
    for number, row in enumerate(rows, start=header + 1):
        if any(map(is_filled, row)):
            yield number, row


def is_filled(value: Any) -> bool:
    """Whether a cell holds anything: not empty, not only spaces."""
    return value is not None and not (isinstance(value, str) and not values.normalise_text(value))


def header_columns(header: list[Any], row: int, ruleset: Ruleset, cell: Any) -> list[Column]:
    """What each column of a header row gives: a fact, the subject, the 不适用 paths, or nothing.

    Raises:
        FactsError: when the header names an unknown column, a fact twice, or a label several
            facts share.
    """
    names: dict[str, str] = {}
    labels: dict[str, list[str]] = {}
    for name, spec in ruleset.facts.items():
        names[values.normalise_text(name)] = name
        if spec.label:
            labels.setdefault(values.normalise_text(spec.label), []).append(name)
    derived = {values.normalise_text(name): name for name in ruleset.derived}
    derived |= {
        values.normalise_text(item.label): name
        for name, item in ruleset.derived.items()
        if item.label and values.normalise_text(item.label) not in derived
    }
    issues: list[Issue] = []
    columns: list[Column] = []
    taken: dict[tuple[str, str], str] = {}
    for index, value in enumerate(header):
        written = values.normalise_text(str(value)) if is_filled(value) else ""
        where = cell(row, index + 1, written)
        folded = written.casefold()
        if not written:
            columns.append(Column(index, "", ""))
            continue
        if written in names:
            column = Column(index, written, "fact", names[written])
        elif len(labels.get(written, ())) == 1:
            column = Column(index, written, "fact", labels[written][0])
        elif written in labels:
            message = _(
                "column {column!r} is the label of {facts}: head the column with the fact's name"
            ).format(column=written, facts=_(", ").join(labels[written]))
            issues.append(Issue(message, where))
            continue
        elif folded in SUBJECT_COLUMNS:
            column = Column(index, written, "subject", SUBJECT_COLUMNS[folded])
        elif folded in NOT_APPLICABLE_COLUMNS:
            column = Column(index, written, "not_applicable")
        elif folded in CLAIMED_COLUMNS:
            column = Column(index, written, "claimed")
        elif written in derived:
            message = _(
                "column {column!r} is the derived value {name!r}, which the ruleset computes "
                "from the facts: delete the column"
            ).format(column=written, name=derived[written])
            issues.append(Issue(message, where))
            continue
        else:
            known = [*names.values(), *labels, *SUBJECT_COLUMNS, *NOT_APPLICABLE_COLUMNS]
            known += CLAIMED_COLUMNS
            message = _(
                "unknown column {column!r}{suggestion}: head each column with a fact's name or "
                "label, a subject column (unit/单位, project/项目, year/年度) or "
                "not_applicable/不适用"
            ).format(column=written, suggestion=suggest(written, known))
            issues.append(Issue(message, where))
            continue
        before = taken.get((column.kind, column.key))
        if before is not None:
            message = _("columns {first!r} and {second!r} both give {what}").format(
                first=before, second=written, what=column.key or written
            )
            issues.append(Issue(message, where))
            continue
        taken[(column.kind, column.key)] = written
        columns.append(column)
    if issues:
        raise FactsError(sorted(issues, key=position), str(cell(row, 0).file))
    return columns


def row_data(
    row: list[Any], number: int, columns: list[Column], cell: Any
) -> tuple[LocatedDict, tuple[Issue, ...]]:
    """A row as the located data of a facts file: subject, facts and not_applicable."""
    whole = cell(number, 0)
    data, subject, facts = LocatedDict(), LocatedDict(), LocatedDict()
    for part in (data, subject, facts):
        part.location = whole
    issues: list[Issue] = []
    not_applicable: LocatedList | None = None
    for index, value in enumerate(row):
        column = columns[index] if index < len(columns) else Column(index, "", "")
        where = cell(number, index + 1, column.header)
        given = value if is_filled(value) else None
        if column.kind == "fact":
            facts.put(column.key, given, where)
        elif column.kind == "subject" and given is not None:
            subject.put(column.key, given, where)
        elif column.kind == "not_applicable" and given is not None:
            not_applicable = LocatedList(values.not_applicable_paths(given))
            not_applicable.location = where
            not_applicable.item_locations = [where] * len(not_applicable)
        elif column.kind == "claimed" and given is not None:
            data.put("claimed", given, where)
        elif not column.kind and given is not None:
            message = _(
                "a value under no column header ({value!r}): head the column or delete it"
            ).format(value=given)
            issues.append(Issue(message, where))
    data.put("subject", subject, whole)
    data.put("facts", facts, whole)
    if not_applicable is not None:
        data.put("not_applicable", not_applicable, not_applicable.location or whole)
    return data, tuple(issues)
