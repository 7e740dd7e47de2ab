"""CSV tables read row by row as they come, so that a table of a million units stays small.

Excel in Chinese saves "CSV (逗号分隔)" in the ANSI code page, GBK (which GB18030 reads); "CSV
UTF-8" with a byte order mark. The first mebibyte decides: UTF-8 (with or without the mark) when
it is UTF-8, else GB18030. A later byte that does not fit is an error at its row, never a
character guessed.

Pure apart from the file object it is handed (which must be seekable, as files are).
"""

from __future__ import annotations

import codecs
import contextlib
import csv
import io
from collections.abc import Iterator
from typing import IO

from scoring.errors import FactsError, Issue, SourceLocation
from scoring.i18n import _

TABLE_SUFFIXES = (".csv", ".xlsx", ".parquet")
"""The files a batch reads as a table with a row per unit (an XLSX may also be one unit's)."""
SNIFF = 1 << 20
"""Bytes read first to tell UTF-8 from GB18030."""


def csv_encoding(head: bytes) -> str:
    """``utf-8-sig`` when ``head`` (a file's first bytes) is UTF-8, else ``gb18030``.

    A character cut off at the end of ``head`` does not count against UTF-8.
    """
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as exc:
        cut_off = exc.reason == "unexpected end of data" and exc.start >= len(head) - 3
        return "utf-8-sig" if cut_off else "gb18030"
    return "utf-8-sig"


def csv_rows(source: IO[bytes], filename: str) -> Iterator[list[str]]:
    """The rows of a CSV table, each a list of text cells, read as they are taken.

    Raises:
        FactsError: when a row is not CSV, or a byte fits neither the encoding the table began
            in, naming the row (the header is row 1).
    """
    encoding = csv_encoding(source.read(SNIFF))
    source.seek(0)
    text = io.TextIOWrapper(source, encoding=encoding, newline="")
    reader = csv.reader(text)
    row = 0
    try:
        for row, cells in enumerate(reader, start=1):  # noqa: B007 - read after a failure
            yield cells
    except UnicodeDecodeError as exc:  # text is decoded ahead: the row may be a little early
        how = "UTF-8" if codecs.lookup(encoding).name == "utf-8-sig" else "GB18030"
        message = _(
            "not {encoding} text from this row on (the table began as {encoding}): save the "
            "table as CSV UTF-8"
        ).format(encoding=how)
        raise FactsError([Issue(message, _row(filename, row + 1))], filename) from exc
    except csv.Error as exc:
        message = _("not a CSV table: {reason}").format(reason=exc)
        raise FactsError([Issue(message, _row(filename, row + 1))], filename) from exc
    finally:
        with contextlib.suppress(ValueError):  # the caller's file, closed already if it stopped
            text.detach()  # the caller closes its file


def _row(filename: str, row: int) -> SourceLocation:
    from scoring.load.xlsx import CellLocation

    return CellLocation(filename, row, 0)


__all__ = ["TABLE_SUFFIXES", "csv_encoding", "csv_rows"]
