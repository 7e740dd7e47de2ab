"""Parquet tables in (pyarrow), streamed, with decimals kept exact.

A province's units often sit in a data lake as Parquet. :func:`parquet_rows` reads such a table
record batch by record batch, as the header and then one list of cells per row, the same cells a
CSV or XLSX table gives batch scoring: text, integers, booleans and ``decimal128`` values
(as Decimals) exactly; a ``float64`` cell as a spreadsheet's number cell is read, never through
binary arithmetic.
Pure apart from the file objects it is handed; pyarrow is imported when first needed. Summaries
out are :mod:`scoring.analysis.summary_parquet`.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import IO, Any

from scoring.errors import FactsError, Issue, SourceLocation
from scoring.i18n import _
from scoring.load.xlsx import CellLocation, xlsx_value

SUFFIX = ".parquet"
BATCH_ROWS = 1_024
"""Rows per record batch read: small, so a batch and its cells as Python objects stay small."""
PRECISION = 28
"""Digits of a decimal column: the engine computes with 28 significant digits."""


def pyarrow_modules() -> tuple[Any, Any]:
    """The modules pyarrow and pyarrow.parquet, or a FactsError saying how to install them."""
    try:
        import pyarrow as pa
        import pyarrow.parquet as pq
    except ImportError as exc:  # pragma: no cover - pyarrow is in the dev extra
        message = _("reading and writing Parquet needs pyarrow: pip install 'scoring[parquet]'")
        raise FactsError([Issue(message, None)]) from exc
    return pa, pq


def parquet_rows(source: IO[bytes], filename: str) -> Iterator[list[Any]]:
    """A Parquet table's header (its column names), then each row's cells, one batch at a time.

    Raises:
        FactsError: when the bytes are not a Parquet file, or a column holds values a fact
            cannot take (lists, structs, binary).
    """
    pa, pq = pyarrow_modules()
    where = SourceLocation(filename, 1, 1)
    try:
        # pre_buffer caches every row group read until the file is closed: memory would grow
        # with the table (about 100 bytes a row)
        table = pq.ParquetFile(source, pre_buffer=False)
    except (pa.ArrowException, OSError) as exc:
        message = _("not a Parquet file ({reason})").format(reason=exc)
        raise FactsError([Issue(message, where)], filename) from exc
    schema = table.schema_arrow
    issues = []
    for index, column in enumerate(schema):
        if not _readable(pa, column.type):
            message = _(
                "column {name!r} holds {kind}: give facts as text, numbers or true/false"
            ).format(name=column.name, kind=_kind(pa, column.type))
            issues.append(Issue(message, CellLocation(filename, 1, index + 1, column.name)))
    if issues:
        raise FactsError(issues, filename)
    yield list(schema.names)
    converted = [index for index, column in enumerate(schema) if not _as_cells(pa, column.type)]
    # one thread: Arrow's reader threads each keep freed memory of their own
    for record_batch in table.iter_batches(batch_size=BATCH_ROWS, use_threads=False):
        columns = [column.to_pylist() for column in record_batch.columns]
        for index in converted:
            columns[index] = [xlsx_value(value) for value in columns[index]]
        yield from map(list, zip(*columns, strict=True))


def parquet_count(source: IO[bytes]) -> int | None:
    """The rows of a Parquet file, from its footer (None when it cannot be read there)."""
    pa, pq = pyarrow_modules()
    try:
        count = pq.ParquetFile(source).metadata.num_rows
    except (pa.ArrowException, OSError):  # not Parquet: parquet_rows says why, with its place
        return None
    finally:
        source.seek(0)
    return int(count)


def _readable(pa: Any, kind: Any) -> bool:
    """Whether facts can come from a column: cells already, or numbers, dates and times."""
    types = pa.types
    values = kind.value_type if types.is_dictionary(kind) else kind
    return _as_cells(pa, kind) or bool(types.is_floating(values) or types.is_temporal(values))


def _as_cells(pa: Any, kind: Any) -> bool:
    """Whether a column's values reach Python as the cells :func:`xlsx_value` gives already.

    Text, whole numbers, true/false and decimals do; floats, dates and times are converted.
    """
    types = pa.types
    if types.is_dictionary(kind):
        kind = kind.value_type
    return bool(
        types.is_string(kind)
        or types.is_large_string(kind)
        or types.is_integer(kind)
        or types.is_decimal(kind)
        or types.is_boolean(kind)
        or types.is_null(kind)
    )


def _kind(pa: Any, kind: Any) -> str:
    """What a column a fact cannot come from holds, in a word."""
    types = pa.types
    if types.is_list(kind) or types.is_large_list(kind) or types.is_fixed_size_list(kind):
        return _("lists")
    if types.is_struct(kind) or types.is_map(kind):
        return _("records")
    if types.is_binary(kind) or types.is_large_binary(kind) or types.is_fixed_size_binary(kind):
        return _("binary data")
    return str(kind)


__all__ = ["parquet_count", "parquet_rows"]
