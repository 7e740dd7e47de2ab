"""Score many units at once: facts files, or the rows of a CSV or XLSX table, into one summary.

A table has one row per unit and one column per fact, headed by the fact's name or its label (as
the template shows it), matched after NFKC folding and stripping. Subject columns (``unit`` /
``单位`` / ``单位名称``, ``project`` / ``项目`` / ``项目名称``, ``year`` / ``年度``) go into the
subject, and an optional ``not_applicable`` / ``不适用`` column lists indicator paths separated by
``,``, ``，`` or ``;``. Each row becomes the same located data a facts file gives, so its cells
are read and checked by the very rules of facts files (``values``, ``check_facts``),
and every problem names its cell: ``units.csv:row 12, column 全年执行数`` or ``units.xlsx!C12``.

Everything here is pure (bytes and text in, units, rows and bytes out); the command line reads
the files, writes the outputs and draws the progress bar.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
import unicodedata
import zipfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import PurePath
from typing import Any

from scoring.engine.score import Scored, scored
from scoring.errors import FactsError, Issue, RulesetError, ScoringError, SourceLocation, suggest
from scoring.i18n import _, ngettext
from scoring.load.issues import position
from scoring.load.loader import FACTS_KEYS, FactsInput, parse_facts_text
from scoring.load.xlsx import MAX_FILE_BYTES, check_file_size, open_workbook, sheet_rows
from scoring.load.xlsx import CellLocation as CellLocation  # where callers found it before xlsx.py
from scoring.load.xlsx import column_letters as column_letters
from scoring.model import values
from scoring.model.documents import json_text
from scoring.model.fingerprint import ruleset_fingerprint
from scoring.model.located import LocatedDict, LocatedList, locate
from scoring.model.results import ScoreResult, subject_keys, subject_line
from scoring.model.ruleset import Ruleset
from scoring.render.safe import csv_cell, write_cell
from scoring.render.sheet import FIXED_TIME, fixed_timestamps
from scoring.render.text_safety import printable

TABLE_SUFFIXES = (".csv", ".xlsx", ".parquet")
SUMMARY_SUFFIXES = (".csv", ".json", ".xlsx")
TABLE_KEYS = ("subject", "facts", "not_applicable")
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
MAX_NAME_BYTES = 180
"""A result file's name, before its suffix: file systems allow 255 bytes, and 汉字 take 3 each."""
UNSAFE = re.compile(r'[\x00-\x1f\x7f<>:"/\\|?*]')
RESERVED = re.compile(r"(?i)^(con|prn|aux|nul|com[1-9]|lpt[1-9])(\..*)?$")  # Windows devices
"""The workbook's created and modified dates: the same summary gives the same bytes."""


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


@dataclass(frozen=True, eq=False)
class UnitResult:
    """A unit scored, or the error that stopped it."""

    unit: Unit
    scored: Scored | None = None
    """The numbers; the full result is built from them when :attr:`result` is first asked."""
    error: str | None = None

    @property
    def result(self) -> ScoreResult | None:
        """The unit's full result (breakdown, explanations, fingerprints), built once if asked."""
        return None if self.scored is None else self.scored.result()


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


# --- reading ---------------------------------------------------------------------------------


def parse_unit(text: str, filename: str) -> Unit:
    """A facts file's text (YAML or JSON) as a unit (its syntax errors kept as its issues)."""
    try:
        return input_unit(parse_facts_text(text, filename))
    except FactsError as exc:
        return Unit(filename, PurePath(filename).stem, issues=exc.issues)


def input_unit(source: FactsInput) -> Unit:
    """A facts input of any form (:func:`scoring.load.loader.read_facts_input`) as a unit."""
    return Unit(
        source.filename,
        PurePath(source.filename).stem,
        source.data,
        source.keys,
        source.issues,
        source.reword,
    )


def mark_duplicates(units: list[Unit]) -> list[Unit]:
    """The units, each one whose subject an earlier unit has made an error naming both.

    The same unit given twice (its facts file and its filled workbook, or two rows of a table)
    would be counted twice; scoring the first and refusing the second says which to remove.
    Units without a subject cannot be told apart and are kept.
    """
    seen = Duplicates()
    marked = []
    for unit in units:
        first = seen.first(unit.subject, unit.source)
        if first is None:
            marked.append(unit)
            continue
        where = locate(unit.data, ("subject",)) or SourceLocation(unit.source, 1, 1)
        issue = Issue(duplicate_message(str(first), unit.subject), where)
        marked.append(Unit(unit.source, unit.stem, issues=(issue,)))
    return marked


class Duplicates:
    """The subjects seen so far, kept small: a digest of each, and where it was first seen.

    A batch of a million rows keeps a million digests, not a million subjects.
    """

    def __init__(self) -> None:
        self._seen: dict[bytes, str | int] = {}

    def first(self, subject: dict[str, str], source: str | int) -> str | int | None:
        """Where the same subject was seen before (None the first time, or with no subject).

        ``source`` is what to say of this one when a later one is the same: its source, or
        its row number, which takes less room.
        """
        written = sorted(
            (key, values.normalise_text(value))
            for key, value in subject.items()
            if values.normalise_text(value)
        )
        if not written:
            return None
        digest = hashlib.blake2b(repr(written).encode("utf-8"), digest_size=12).digest()
        first = self._seen.setdefault(digest, source)
        return None if first == source else first


def duplicate_message(first: str, subject: dict[str, str]) -> str:
    """What a unit given a second time is told (``first``: where it was given first)."""
    written = {
        key: values.normalise_text(value)
        for key, value in sorted(subject.items())
        if values.normalise_text(value)
    }
    return _(
        "the same unit as {first} ({subject}): a unit is counted once, remove one of the two"
    ).format(first=first, subject=subject_line(written))


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
class _Column:
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
    columns: tuple[_Column, ...]
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
        data, issues = _row_data(row, number, list(self.columns), self.cell)
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
        if any(map(_filled, row)):
            columns = _columns(row, number, ruleset, table.cell)
            table = Table(filename, tuple(columns), sheet, is_workbook)
            return table, _data_rows(rows, number)
    message = _("the table is empty: write the facts' names or labels in its first row")
    raise FactsError([Issue(message, SourceLocation(filename, 1, 1))], filename)


def _data_rows(rows: Iterator[list[Any]], header: int) -> Iterator[tuple[int, list[Any]]]:
    for number, row in enumerate(rows, start=header + 1):
        if any(map(_filled, row)):
            yield number, row


def _filled(value: Any) -> bool:
    return value is not None and not (isinstance(value, str) and not values.normalise_text(value))


def _columns(header: list[Any], row: int, ruleset: Ruleset, cell: Any) -> list[_Column]:
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
    columns: list[_Column] = []
    taken: dict[tuple[str, str], str] = {}
    for index, value in enumerate(header):
        written = values.normalise_text(str(value)) if _filled(value) else ""
        where = cell(row, index + 1, written)
        folded = written.casefold()
        if not written:
            columns.append(_Column(index, "", ""))
            continue
        if written in names:
            column = _Column(index, written, "fact", names[written])
        elif len(labels.get(written, ())) == 1:
            column = _Column(index, written, "fact", labels[written][0])
        elif written in labels:
            message = _(
                "column {column!r} is the label of {facts}: head the column with the fact's name"
            ).format(column=written, facts=_(", ").join(labels[written]))
            issues.append(Issue(message, where))
            continue
        elif folded in SUBJECT_COLUMNS:
            column = _Column(index, written, "subject", SUBJECT_COLUMNS[folded])
        elif folded in NOT_APPLICABLE_COLUMNS:
            column = _Column(index, written, "not_applicable")
        elif written in derived:
            message = _(
                "column {column!r} is the derived value {name!r}, which the ruleset computes "
                "from the facts: delete the column"
            ).format(column=written, name=derived[written])
            issues.append(Issue(message, where))
            continue
        else:
            known = [*names.values(), *labels, *SUBJECT_COLUMNS, *NOT_APPLICABLE_COLUMNS]
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


def _row_data(
    row: list[Any], number: int, columns: list[_Column], cell: Any
) -> tuple[LocatedDict, tuple[Issue, ...]]:
    """A row as the located data of a facts file: subject, facts and not_applicable."""
    whole = cell(number, 0)
    data, subject, facts = LocatedDict(), LocatedDict(), LocatedDict()
    for part in (data, subject, facts):
        part.location = whole
    issues: list[Issue] = []
    not_applicable: LocatedList | None = None
    for index, value in enumerate(row):
        column = columns[index] if index < len(columns) else _Column(index, "", "")
        where = cell(number, index + 1, column.header)
        given = value if _filled(value) else None
        if column.kind == "fact":
            _put(facts, column.key, given, where)
        elif column.kind == "subject" and given is not None:
            _put(subject, column.key, given, where)
        elif column.kind == "not_applicable" and given is not None:
            paths = values.NOT_APPLICABLE_SEPARATORS.split(values.normalise_text(str(given)))
            not_applicable = LocatedList(path.strip() for path in paths if path.strip())
            not_applicable.location = where
            not_applicable.item_locations = [where] * len(not_applicable)
        elif not column.kind and given is not None:
            message = _(
                "a value under no column header ({value!r}): head the column or delete it"
            ).format(value=given)
            issues.append(Issue(message, where))
    _put(data, "subject", subject, whole)
    _put(data, "facts", facts, whole)
    if not_applicable is not None:
        _put(data, "not_applicable", not_applicable, not_applicable.location or whole)
    return data, tuple(issues)


def _put(data: LocatedDict, key: str, value: Any, where: SourceLocation) -> None:
    data[key] = value
    data.key_locations[key] = where
    data.value_locations[key] = where


# --- scoring ---------------------------------------------------------------------------------


def score_unit(unit: Unit, ruleset: Ruleset) -> UnitResult:
    """Check a unit's facts and score them; any error becomes the unit's, naming its position."""
    try:
        if unit.data is None:
            raise FactsError(unit.issues, unit.source)
        read = FactsInput(unit.source, unit.data, unit.keys, unit.issues, reword=unit.reword)
        return UnitResult(unit, scored(ruleset, read.check(ruleset)))
    except (FactsError, RulesetError) as exc:
        return UnitResult(unit, error="\n".join(map(str, exc.issues)))
    except ScoringError as exc:
        return UnitResult(unit, error=str(exc))


def summary_row(scored: UnitResult) -> SummaryRow:
    """A scored unit's line of the summary."""
    done = scored.scored
    if done is None:
        return SummaryRow(scored.unit.source, scored.unit.subject, None, None, (), scored.error)
    lost = tuple(
        None if node.score is None else node.applicable_weight - node.score
        for node in done.indicators
    )
    return SummaryRow(scored.unit.source, dict(done.facts.subject), done.total, done.grade, lost)


@dataclass(frozen=True)
class Done:
    """A unit scored, as a worker sends it back: its summary row and what the batch writes."""

    row: SummaryRow
    written: dict[str, str]
    """The subject as written, to find the same unit given twice."""
    where: str
    """Where a second copy of the unit is pointed at (its subject, or its row)."""
    stem: str
    text: str | None = None
    """Its result as JSON, when the batch keeps results."""
    mismatch: str | None = None
    """What to warn of when the facts name another ruleset."""
    number: int = 0
    """A table row's number (0 for a unit read from its own file)."""


_WORKER: dict[str, Any] = {}


def start_worker(ruleset: Ruleset, table: Table | None, keep: bool) -> None:
    """Prepare this process to score units of one batch (run once in each worker)."""
    _WORKER.update(ruleset=ruleset, table=table, keep=keep)


def score_item(item: Unit | tuple[int, list[Any]]) -> Done:
    """Score one unit, or one table row, of the batch :func:`start_worker` prepared."""
    from scoring.render import render_json  # here: only a batch that keeps results needs it

    ruleset: Ruleset = _WORKER["ruleset"]
    if isinstance(item, Unit):
        unit, number = item, 0
    else:
        table: Table = _WORKER["table"]
        number = item[0]
        unit = table.unit(*item)
    done = score_unit(unit, ruleset)
    where = locate(unit.data, ("subject",)) or SourceLocation(unit.source, 1, 1)
    keep = _WORKER["keep"] and done.scored is not None
    return Done(
        summary_row(done),
        unit.subject,
        str(where),
        unit.stem,
        render_json(done.result) if keep and done.result is not None else None,
        done.scored.mismatch if done.scored is not None else None,
        number,
    )


def duplicate_row(done: Done, first: str) -> SummaryRow:
    """The summary row of a unit given a second time: an error naming the first."""
    error = f"{done.where}: {duplicate_message(first, done.written)}"  # as Issue(…, where) says
    return SummaryRow(done.row.source, {}, None, None, (), error)


class Tally:
    """How many units got each grade, and how many failed, counted as the rows go by."""

    def __init__(self, grades: Iterable[str]):
        self.counts = dict.fromkeys(grades, 0)
        self.ungraded = self.failed = self.units = 0

    def add(self, row: SummaryRow) -> None:
        """Count one row."""
        self.units += 1
        if row.error is not None:
            self.failed += 1
        elif row.grade in self.counts:
            self.counts[row.grade] += 1
        else:
            self.ungraded += 1

    def text(self) -> str:
        """``优 812 · 良 150 · errors 10``."""
        parts = [f"{label} {count}" for label, count in self.counts.items()]
        if self.ungraded:
            parts.append(_("no grade {count}").format(count=self.ungraded))
        if self.failed:
            parts.append(_("errors {count}").format(count=self.failed))
        return " · ".join(parts) if parts else _("no units")


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
    )


def grade_counts(summary: Summary) -> str:
    """How many units got each grade, and how many failed: ``优 812 · 良 150 · errors 10``."""
    tally = Tally(summary.grades)
    for row in summary.rows:
        tally.add(row)
    return tally.text()


def result_name(scored: UnitResult, taken: set[str]) -> str:
    """A file name for a unit's result: its subject, made safe, unique among ``taken``.

    ``长沙市望城区信访局-信访救助资金-2022.json``; a second unit with the same subject gets
    ``…-2022-2.json``; a unit without a subject is named by its input (``units-row12.json``).
    Names are compared case-folded, as on case-insensitive file systems; ``taken`` is updated.
    """
    done = scored.scored
    subject = dict(done.facts.subject) if done is not None else scored.unit.subject
    return result_file_name(subject, scored.unit.stem, taken)


def result_file_name(subject: dict[str, str], stem: str, taken: set[str]) -> str:
    """:func:`result_name` from a unit's subject and stem (what a worker sends back)."""
    ordered = [subject[key] for key in subject_keys(subject, SUBJECT_HEADERS)]
    base = _safe_name("-".join(part for part in ordered if part.strip()))
    base = base or _safe_name(stem) or "unit"
    name, counter = base, 1
    while name.casefold() in taken:
        counter += 1
        name = f"{base}-{counter}"
    taken.add(name.casefold())
    return f"{name}.json"


def _safe_name(text: str) -> str:
    """Text usable as a file name on Linux, macOS and Windows alike."""
    name = UNSAFE.sub("_", printable(unicodedata.normalize("NFC", text)))  # C1, bidi overrides
    name = re.sub(r"\s+", " ", name).strip(" .")
    while len(name.encode("utf-8")) > MAX_NAME_BYTES:
        name = name[:-1]
    name = name.rstrip(" .")
    return f"{name}_" if RESERVED.match(name) else name


# --- rendering -------------------------------------------------------------------------------


def summary_cells(summary: Summary) -> tuple[list[str], list[list[str | Decimal]]]:
    """The summary as a table: headers (来源, 单位, 项目, 年度, 总分, 等级, …失分, 错误) and rows.

    Totals and points lost are Decimals (empty text when there are none), the rest text.
    """
    keys = summary.subject_keys
    headers = summary_headers(summary.indicators, keys)
    return headers, [summary_line(row, keys, len(summary.indicators)) for row in summary.rows]


def summary_headers(indicators: tuple[tuple[str, str], ...], keys: tuple[str, ...]) -> list[str]:
    """The summary's column headers."""
    return [
        "来源",
        *(SUBJECT_HEADERS.get(key, key) for key in keys),
        "总分",
        "等级",
        *(f"{name}失分" for _, name in indicators),
        "错误",
    ]


def summary_line(row: SummaryRow, keys: tuple[str, ...], indicators: int) -> list[str | Decimal]:
    """One row of the summary as cells, under :func:`summary_headers`."""
    lost = list(row.lost) if row.error is None else [None] * indicators
    return [
        row.source,
        *(row.subject.get(key, "") for key in keys),
        _cell(row.total),
        row.grade or "",
        *map(_cell, lost),
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
    table = [[_text(value) for value in row] for row in rows]
    if count_problems:
        for row in table:
            count = row[-1].count("\n") + 1 if row[-1] else 0
            problems = ngettext("{count} problem", "{count} problems", count)
            row[-1] = problems.format(count=count) if count else ""
    return headers, table


def _cell(value: Decimal | None) -> str | Decimal:
    return "" if value is None else value


def _text(value: str | Decimal | None) -> str:
    if isinstance(value, Decimal):
        return format(value, "f")
    return value or ""


def render_summary_csv(summary: Summary) -> str:
    """The summary as CSV text, starting with a byte order mark.

    Excel opens a CSV without a BOM in the system's ANSI code page (GBK on Chinese Windows) and
    would show the UTF-8 汉字 as mojibake; the BOM tells it the file is UTF-8.
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
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
    return json_text(data)


def _json_points(value: Decimal | None) -> str | None:
    return None if value is None else _text(value)


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
    number_format = "0." + "0" * summary.places if summary.places else "0"
    for column, header in enumerate(headers, start=1):
        write_cell(sheet, 1, column, header)
    for number, row in enumerate(rows, start=2):
        for column, value in enumerate(row, start=1):
            cell = write_cell(sheet, number, column, value if value != "" else None)
            if isinstance(value, Decimal):
                cell.number_format = number_format
    sheet.freeze_panes = "B2"
    workbook.properties.created = workbook.properties.modified = FIXED_TIME
    raw = io.BytesIO()
    with zipfile.ZipFile(raw, "w", zipfile.ZIP_DEFLATED) as archive:
        ExcelWriter(workbook, archive).write_data()
    return fixed_timestamps(raw.getvalue())


def render_summary(summary: Summary, suffix: str) -> str | bytes:
    """The summary in the format a file name's suffix asks for (one of SUMMARY_SUFFIXES)."""
    renderers = {".csv": render_summary_csv, ".json": render_summary_json}
    if suffix == ".xlsx":
        return render_summary_xlsx(summary)
    return renderers[suffix](summary)
