"""Parquet tables in and summaries out (pyarrow), streamed, with decimals kept exact.

A province's units often sit in a data lake as Parquet. :func:`parquet_rows` reads such a table
record batch by record batch, as the header and then one list of cells per row, the same cells a
CSV or XLSX table gives :mod:`scoring.batch`: text, integers, booleans and ``decimal128`` values
(as Decimals) exactly; a ``float64`` cell as a spreadsheet's number cell is read, never through
binary arithmetic. :class:`SummaryWriter` writes summary rows as they come, in row groups of a
fixed number of rows (so the same rows give the same bytes however they were produced), totals
and points lost as ``decimal128`` with the ruleset's places: never ``float64``.

Pure apart from the file objects it is handed; pyarrow is imported when first needed.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import IO, Any

from scoring import batch
from scoring.errors import FactsError, Issue, SourceLocation
from scoring.i18n import _
from scoring.xlsx import xlsx_value

SUFFIX = ".parquet"
ROWS_PER_GROUP = 8_192
"""Rows per row group written: fixed, so the bytes depend on the rows alone."""
BATCH_ROWS = 8_192
"""Rows per record batch read: memory stays flat however long the table."""
PRECISION = 28
"""Digits of a decimal column: the engine computes with 28 significant digits."""


def _pyarrow() -> tuple[Any, Any]:
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
    pa, pq = _pyarrow()
    where = SourceLocation(filename, 1, 1)
    try:
        table = pq.ParquetFile(source)
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
            issues.append(Issue(message, batch.CellLocation(filename, 1, index + 1, column.name)))
    if issues:
        raise FactsError(issues, filename)
    yield list(schema.names)
    for record_batch in table.iter_batches(batch_size=BATCH_ROWS):
        columns = [column.to_pylist() for column in record_batch.columns]
        for row in zip(*columns, strict=True):
            yield [xlsx_value(value) for value in row]


def parquet_count(source: IO[bytes]) -> int | None:
    """The rows of a Parquet file, from its footer (None when it cannot be read there)."""
    pa, pq = _pyarrow()
    try:
        count = pq.ParquetFile(source).metadata.num_rows
    except (pa.ArrowException, OSError):  # not Parquet: parquet_rows says why, with its place
        return None
    finally:
        source.seek(0)
    return int(count)


def _readable(pa: Any, kind: Any) -> bool:
    types = pa.types
    return bool(
        types.is_string(kind)
        or types.is_large_string(kind)
        or types.is_integer(kind)
        or types.is_floating(kind)
        or types.is_decimal(kind)
        or types.is_boolean(kind)
        or types.is_null(kind)
        or types.is_temporal(kind)
        or (types.is_dictionary(kind) and _readable(pa, kind.value_type))
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


@dataclass
class SummaryWriter:
    """Summary rows written to a Parquet file as they come, in fixed row groups.

    ``numeric`` marks the columns written as ``decimal128(28, places)`` (totals and points
    lost); the others are text. Empty text is written as null.
    """

    sink: IO[bytes]
    headers: Sequence[str]
    numeric: Sequence[bool]
    places: int
    rows_per_group: int = ROWS_PER_GROUP
    _pending: list[Sequence[str | Decimal]] = field(default_factory=list, init=False)
    _writer: Any = field(default=None, init=False)
    _schema: Any = field(default=None, init=False)

    def __post_init__(self) -> None:
        pa, pq = _pyarrow()
        kinds = [
            pa.decimal128(PRECISION, self.places) if is_number else pa.string()
            for is_number in self.numeric
        ]
        self._schema = pa.schema(list(zip(self.headers, kinds, strict=True)))
        self._writer = pq.ParquetWriter(self.sink, self._schema)

    def write(self, row: Sequence[str | Decimal]) -> None:
        """Add one row; a full row group is written out."""
        self._pending.append(row)
        if len(self._pending) >= self.rows_per_group:
            self._flush()

    def close(self) -> None:
        """Write what is left and the file's footer."""
        self._flush()
        self._writer.close()

    def __enter__(self) -> SummaryWriter:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _flush(self) -> None:
        if not self._pending:
            return
        pa, _ = _pyarrow()
        columns: list[list[Decimal | None] | list[str | None]] = []
        for index, is_number in enumerate(self.numeric):
            values = [row[index] for row in self._pending]
            if is_number:
                columns.append([self._exact(value) for value in values])
            else:
                columns.append([str(value) if value != "" else None for value in values])
        self._writer.write_table(pa.Table.from_arrays(columns, schema=self._schema))
        self._pending = []

    def _exact(self, value: str | Decimal) -> Decimal | None:
        if value == "":
            return None
        number = Decimal(value)
        scaled = number.quantize(Decimal(1).scaleb(-self.places))
        assert scaled == number, f"{number} has more than {self.places} decimal places"
        return scaled


def render_summary_parquet(summary: batch.Summary) -> bytes:
    """The summary as a Parquet file: the columns of the CSV, 总分 and 失分 as decimals."""
    import io

    headers, rows = batch.summary_cells(summary)
    numeric = [header == "总分" or header.endswith("失分") for header in headers]
    buffer = io.BytesIO()
    with SummaryWriter(buffer, headers, numeric, summary.places) as writer:
        for row in rows:
            writer.write(row)
    return buffer.getvalue()


__all__ = ["SummaryWriter", "parquet_count", "parquet_rows", "render_summary_parquet"]
