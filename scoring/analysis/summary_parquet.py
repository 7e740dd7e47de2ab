"""A batch summary as Parquet (pyarrow), written row group by row group, decimals kept exact.

:class:`SummaryWriter` writes summary rows as they come, in row groups of a fixed number of rows
(so the same rows give the same bytes however they were produced), totals and points lost as
``decimal128`` with the ruleset's places: never ``float64``.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import IO, Any

from scoring.analysis.summary import Summary, cell_text, summary_cells
from scoring.load.parquet import PRECISION, pyarrow_modules

ROWS_PER_GROUP = 8_192
"""Rows per row group written: fixed, so the bytes depend on the rows alone."""


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
        pa, pq = pyarrow_modules()
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

    def write_lines(self, rows: Sequence[Sequence[str | Decimal]]) -> None:
        """Add rows; each full row group is written out (the same groups as row by row)."""
        for row in rows:
            self.write(row)

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
        pa, _ = pyarrow_modules()
        columns = []
        for index, is_number in enumerate(self.numeric):
            texts = [cell_text(row[index]) or None for row in self._pending]  # "" is null
            column = pa.array(texts, pa.string())
            columns.append(self._decimals(column, texts) if is_number else column)
        self._writer.write_table(pa.Table.from_arrays(columns, schema=self._schema))
        self._pending = []

    def _decimals(self, column: Any, texts: list[str | None]) -> Any:
        """The column of numbers as decimals, each read exactly; never rounded."""
        pa, _ = pyarrow_modules()
        try:
            return column.cast(pa.decimal128(PRECISION, self.places))
        except pa.ArrowInvalid:  # more places than the ruleset rounds to: a bug, said plainly
            quantum = Decimal(1).scaleb(-self.places)
            bad = next(
                t for t in texts if t is not None and Decimal(t).quantize(quantum) != Decimal(t)
            )
            message = f"{bad} has more than {self.places} decimal places"
            raise AssertionError(message) from None


def render_summary_parquet(summary: Summary) -> bytes:
    """The summary as a Parquet file: the columns of the CSV, 总分 and 失分 as decimals."""
    headers, rows = summary_cells(summary)
    numeric = [header == "总分" or header.endswith("失分") for header in headers]
    buffer = io.BytesIO()
    with SummaryWriter(buffer, headers, numeric, summary.places) as writer:
        for row in rows:
            writer.write(row)
    return buffer.getvalue()


__all__ = ["SummaryWriter", "render_summary_parquet"]
