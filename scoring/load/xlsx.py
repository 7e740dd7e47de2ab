"""Reading XLSX files people send: sizes checked before anything is unpacked, rows streamed.

An XLSX file is a zip archive of XML parts. A hostile or broken one can be small on disk and
huge once unpacked (a decompression bomb), hold strings of megabytes, or run to a million rows.
So before openpyxl reads a byte of XML, :func:`open_workbook` checks what every part of the
archive says it holds once unpacked (Python's zip reader never unpacks more than that), how
many times it grew in packing, and that the sheet asked for is there; then :func:`sheet_rows`
streams the rows (openpyxl's read-only mode), stopping at the first row, column or cell beyond
the limits. Every refusal names the file (and the cell) and says what to do.

A number cell is read as Excel shows it: Excel keeps 15 significant digits, and a cell it
computed (``=A1/B1``) holds the nearest binary float, ``0.9743999999999999`` for 0.9744.
"""

from __future__ import annotations

import contextlib
import io
import math
import warnings
import xml.etree.ElementTree as ElementTree
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any

from scoring.errors import FactsError, Issue, SourceLocation
from scoring.i18n import _
from scoring.model.workbook_form import column_letters

MAX_FILE_BYTES = 64 * 1024 * 1024
"""The largest XLSX file read, as it lies on disk."""
MAX_UNPACKED_BYTES = 256 * 1024 * 1024
"""The most all the parts of an XLSX file may hold once unpacked."""
MAX_PACKING_RATIO = 200
"""How many times its packed size a large part may grow: a sheet's XML packs some ten to
thirty times, a decompression bomb a thousand times."""
RATIO_FREE_BYTES = 1024 * 1024
"""Parts smaller than this unpacked may pack as tightly as they like: they cannot grow large."""
MAX_WORKBOOK_PART_BYTES = 1024 * 1024
"""The most the workbook's own part (the list of its sheets) may hold."""
MAX_CELL_CHARACTERS = 32_767
"""Excel's own limit on the text in one cell."""
SIGNIFICANT_DIGITS = 15
"""The significant digits Excel keeps and shows of a number."""
_MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_READ_ERRORS = (
    zipfile.BadZipFile,
    zipfile.LargeZipFile,
    zlib.error,
    EOFError,
    KeyError,
    IndexError,
    TypeError,
    ValueError,
    SyntaxError,  # ElementTree's ParseError, and lxml's
    OSError,
    NotImplementedError,  # a zip packed with a method Python cannot unpack
)
"""What openpyxl and the zip reader raise on a damaged or hand-made file."""


@dataclass(frozen=True, order=True)
class CellLocation(SourceLocation):
    """A cell of a table, printed the way a spreadsheet user looks for it.

    ``line`` is the row and ``column`` the column, both 1-based as a spreadsheet numbers them (the
    header is row 1); column 0 stands for the whole row. A CSV cell prints as ``units.csv:row 12,
    column 全年执行数`` (its header), an XLSX cell as ``units.xlsx!C12`` (with the sheet's name,
    ``units.xlsx!汇总!C12``, when the workbook has more than one).
    """

    header: str = ""
    sheet: str = ""
    is_workbook: bool = False

    def __str__(self) -> str:
        if self.is_workbook and self.column:
            sheet = f"{self.sheet}!" if self.sheet else ""
            return f"{self.file}!{sheet}{column_letters(self.column)}{self.line}"
        where = f"{self.file}:row {self.line}"
        if self.column:
            where += f", column {self.header or self.column}"
        return where


def _refuse(message: str, filename: str, where: SourceLocation | None = None) -> FactsError:
    return FactsError([Issue(message, where or SourceLocation(filename, 1, 1))], filename)


def check_file_size(size: int, filename: str) -> None:
    """Refuse an XLSX file larger than MAX_FILE_BYTES, before it is read.

    Raises:
        FactsError: naming the size and the limit.
    """
    if size > MAX_FILE_BYTES:
        message = _("file is {size:,} bytes, the limit is {limit:,}").format(
            size=size, limit=MAX_FILE_BYTES
        )
        raise _refuse(message, filename)


def check_archive(data: bytes, filename: str, sheet: str | None = None) -> None:
    """Check an XLSX file's parts before anything is unpacked, and that ``sheet`` is there.

    Raises:
        FactsError: when it is no zip archive, a part would unpack too large or grew too many
            times in packing (a decompression bomb), or the workbook has no sheet ``sheet``.
    """
    check_file_size(len(data), filename)
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            parts = archive.infolist()
            total = 0
            for part in parts:
                total += part.file_size
                ratio = part.file_size / max(part.compress_size, 1)
                if part.file_size > RATIO_FREE_BYTES and ratio > MAX_PACKING_RATIO:
                    message = _(
                        "part {part!r} would unpack to {size:,} bytes, more than {limit} times "
                        "its packed size: refusing a file built to exhaust memory (a zip bomb)"
                    ).format(part=part.filename, size=part.file_size, limit=MAX_PACKING_RATIO)
                    raise _refuse(message, filename)
            if total > MAX_UNPACKED_BYTES:
                message = _(
                    "the workbook would unpack to {size:,} bytes, the limit is {limit:,}: "
                    "split it into smaller workbooks"
                ).format(size=total, limit=MAX_UNPACKED_BYTES)
                raise _refuse(message, filename)
            if sheet is not None:
                names = _sheet_names(archive)
                if names is not None and sheet not in names:
                    raise _no_sheet(sheet, names, filename)
    except FactsError:
        raise
    except _READ_ERRORS as exc:
        raise _not_a_workbook(exc, filename) from exc


def _sheet_names(archive: zipfile.ZipFile) -> list[str] | None:
    """The sheet names the workbook part lists (None when it is not where Excel puts it)."""
    try:
        part = archive.getinfo("xl/workbook.xml")
    except KeyError:
        return None  # another layout: openpyxl finds the part through the manifest
    if part.file_size > MAX_WORKBOOK_PART_BYTES:
        return None  # openpyxl reads it, within the archive's limits
    root = ElementTree.fromstring(archive.read(part))
    return [
        str(node.get("name"))
        for node in root.iter(f"{{{_MAIN_NS}}}sheet")
        if node.get("name") is not None
    ]


def _no_sheet(sheet: str, names: list[str], filename: str) -> FactsError:
    found = ", ".join(repr(name) for name in names) or _("none")
    message = _(
        "no sheet {sheet!r} (the workbook has {found}): fill in the workbook that "
        "'scoring template RULESET --format xlsx' writes"
    ).format(sheet=sheet, found=found)
    return _refuse(message, filename)


def _not_a_workbook(exc: BaseException, filename: str) -> FactsError:
    """Why a file is no workbook, in a user's words (Python's own can be long, or say nothing)."""
    said = str(exc).splitlines()[0][:120] if str(exc) else ""
    if isinstance(exc, SyntaxError) and said:  # ElementTree's ParseError, with line and column
        reason = _("damaged XML: {said}").format(said=said)
    elif isinstance(exc, zipfile.BadZipFile | zlib.error | EOFError) and said:
        reason = said
    else:
        reason = _("a part of it cannot be read")
    message = _("not an XLSX workbook ({reason}); save it from Excel as .xlsx").format(
        reason=reason
    )
    return _refuse(message, filename)


def open_workbook(data: bytes, filename: str, sheet: str | None = None) -> Any:
    """An XLSX file's workbook, read-only with the values Excel last saved.

    The archive is checked first (:func:`check_archive`); with ``sheet``, a workbook without
    that sheet is refused before any of it is read.

    Raises:
        FactsError: when the bytes are not a workbook, or too large once unpacked.
    """
    check_archive(data, filename, sheet)
    import openpyxl  # here, not at the top: it would slow every command's start by a fifth

    try:
        with warnings.catch_warnings(), _sizes_unread():
            warnings.simplefilter("ignore")  # "no default style" and the like: nothing to act on
            workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except _READ_ERRORS as exc:
        raise _not_a_workbook(exc, filename) from exc
    if sheet is not None and sheet not in workbook.sheetnames:
        workbook.close()
        raise _no_sheet(sheet, list(workbook.sheetnames), filename)
    return workbook


@contextlib.contextmanager
def _sizes_unread() -> Iterator[None]:
    """Opening a workbook, leave each sheet's size unread.

    openpyxl reads the size a sheet states (``<dimension>``) as it opens the workbook, and when a
    sheet states none it reads the whole sheet to find it: a million rows in every sheet before
    the first is used. :func:`sheet_rows` reads rows until they end, whatever size a sheet
    states, so the size is never needed. (The command line reads one workbook at a time.)
    """
    from openpyxl.worksheet._read_only import ReadOnlyWorksheet

    original = getattr(ReadOnlyWorksheet, "_get_size")  # noqa: B009 (private: not in the stubs)
    setattr(ReadOnlyWorksheet, "_get_size", lambda self: None)  # noqa: B010 (a method)
    try:
        yield
    finally:
        setattr(ReadOnlyWorksheet, "_get_size", original)  # noqa: B010


def sheet_rows(
    sheet: Any,
    filename: str,
    *,
    max_rows: int,
    max_columns: int | None = None,
    columns: int | None = None,
    sheet_name: str = "",
) -> list[list[Any]]:
    """A sheet's rows of cell values (:func:`xlsx_value`), streamed and checked as they come.

    Rows are read up to the last one the sheet holds, whatever size the sheet says it has.

    Args:
        sheet: a worksheet of a workbook from :func:`open_workbook`.
        filename: the file's name, for messages.
        max_rows: refuse a sheet that goes on past this row.
        max_columns: refuse a value past this column.
        columns: read only this many columns (the rest may hold anything: notes, hints).
        sheet_name: the sheet's name, to name cells in messages (empty: the file's only sheet).

    Raises:
        FactsError: at the first row past ``max_rows``, value past ``max_columns`` or text longer
            than an Excel cell holds; or when the sheet's XML cannot be read.
    """

    def cell(row: int, column: int) -> CellLocation:
        return CellLocation(filename, row, column, sheet=sheet_name, is_workbook=True)

    rows: list[list[Any]] = []
    try:
        sheet.reset_dimensions()  # some writers store a wrong size: read every row there is
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            for number, row in enumerate(_rows(sheet, max_rows + 1, columns), start=1):
                if number > max_rows:
                    message = _(
                        "the sheet goes on past row {limit:,}, more than this command reads: "
                        "delete the rows below the table"
                    ).format(limit=max_rows)
                    raise _refuse(message, filename, cell(number, 1))
                last = _last_filled(row)
                if max_columns is not None and last > max_columns:
                    message = _(
                        "a value in column {column}, past the last column read ({letters}): "
                        "delete it"
                    ).format(column=column_letters(last), letters=column_letters(max_columns))
                    raise _refuse(message, filename, cell(number, last))
                rows.append([_value(value, cell(number, at)) for at, value in enumerate(row, 1)])
    except FactsError:
        raise
    except _READ_ERRORS as exc:
        raise _not_a_workbook(exc, filename) from exc
    return rows


def _rows(sheet: Any, max_row: int, columns: int | None) -> Iterator[tuple[Any, ...]]:
    yield from sheet.iter_rows(min_row=1, max_row=max_row, max_col=columns, values_only=True)


def _last_filled(row: tuple[Any, ...]) -> int:
    for index in range(len(row), 0, -1):
        if row[index - 1] is not None:
            return index
    return 0


def _value(value: Any, where: CellLocation) -> Any:
    if isinstance(value, str) and len(value) > MAX_CELL_CHARACTERS:
        message = _(
            "text of {length:,} characters, more than an Excel cell holds ({limit:,})"
        ).format(length=len(value), limit=MAX_CELL_CHARACTERS)
        raise _refuse(message, where.file, where)
    return xlsx_value(value)


def xlsx_value(value: Any) -> Any:
    """A cell as a facts file would give it: a number as Excel shows it, exact from then on.

    Also an Arrow value of a Parquet table, whose decimals are exact already.
    """
    if value is None or isinstance(value, bool | int | str | Decimal):
        return value
    if isinstance(value, float):
        if not math.isfinite(value):
            return Decimal(str(value))  # refused by the fact's reader, as a facts file's would be
        # 15 significant digits, as Excel keeps and shows them: a typed 52.05 is 52.05 and a
        # computed 0.9743999999999999 is 0.9744, never 0.97439999999999993179…
        return Decimal(format(value, f".{SIGNIFICANT_DIGITS}g"))
    if isinstance(value, datetime) and value.time() == time():
        return value.date().isoformat()  # a date cell: 2022-12-28, as a date fact is written
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    return str(value)
