"""score_frame(ruleset, frame) -> DataFrame: a table of units scored, pandas in and pandas out.

The same function runs wherever pandas frames are handed out in pieces: Dask's
``map_partitions``, Spark's ``mapInPandas``, Ray's ``map_batches`` (see ``docs/scale.md``). A
frame is read exactly like a CSV table given to ``scoring batch``: one row per unit, one column
per fact (its name or label), the subject columns and ``不适用``; blank rows are left out. Each
unit becomes one row of text: where it came from, who, the total and grade, the points lost
per top-level indicator, the fingerprints, or the error that stopped it. Numbers are written
exactly as text, never as floats.

Pure: no I/O. pandas is imported when the function runs, so that ``import scoring`` stays light.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from numbers import Integral, Real
from typing import TYPE_CHECKING, Any

from scoring import i18n
from scoring.analysis import batch
from scoring.analysis.summary import Summary, SummaryRow, summarise
from scoring.load import units
from scoring.load.rows import RowReader
from scoring.load.xlsx import xlsx_value
from scoring.model.fingerprint import facts_fingerprint, ruleset_fingerprint
from scoring.model.ruleset import Ruleset

if TYPE_CHECKING:
    import pandas as pd

SUBJECT_COLUMNS = ("unit", "project", "year")
TEXT = "string"
"""pandas' text dtype: every column is text, which Arrow, Parquet and Spark take as strings."""
MAX_PLANS = 16
"""Rulesets kept prepared in one process; a worker rarely sees more than one or two."""


@dataclass
class _Plan:
    """What scoring a frame under one ruleset needs, prepared once per process."""

    ruleset: Ruleset
    fingerprint: str
    tops: tuple[str, ...]
    columns: tuple[str, ...]
    headers: dict[tuple[str, ...], RowReader] = field(default_factory=dict)
    """The reader of the rows under a frame's header, by header: every partition has the same."""


_PLANS: dict[str, _Plan] = {}


def _plan(ruleset: Ruleset) -> _Plan:
    """The prepared plan for ``ruleset``, found by its fingerprint.

    A ruleset unpickled in a worker is a new object for every task; the plan keeps the first
    one, so that whatever it has computed and kept is reused by every later task.
    """
    fingerprint = ruleset_fingerprint(ruleset)
    plan = _PLANS.get(fingerprint)
    if plan is None:
        if len(_PLANS) >= MAX_PLANS:
            del _PLANS[next(iter(_PLANS))]
        tops = tuple(node.id for node in ruleset.indicators)
        plan = _PLANS[fingerprint] = _Plan(ruleset, fingerprint, tops, frame_columns(ruleset))
    return plan


def frame_columns(ruleset: Ruleset) -> tuple[str, ...]:
    """The columns :func:`score_frame` returns, in order (all text).

    ``source, unit, project, year, total, grade, lost_<id>… (one per top-level indicator),
    ruleset, ruleset_fingerprint, facts_fingerprint, error``.
    """
    lost = tuple(f"lost_{node.id}" for node in ruleset.indicators)
    return (
        "source",
        *SUBJECT_COLUMNS,
        "total",
        "grade",
        *lost,
        "ruleset",
        "ruleset_fingerprint",
        "facts_fingerprint",
        "error",
    )


def score_frame(
    ruleset: Ruleset, frame: pd.DataFrame, *, source: str = "frame", language: str | None = None
) -> pd.DataFrame:
    """Score every unit of ``frame``: one row of text per unit, with the frame's index.

    Args:
        ruleset: the rules to score under; picklable, prepared once per process.
        frame: one row per unit, its columns headed like a table for ``scoring batch``. Cells
            may be text (as a CSV gives them), integers, booleans or Decimals; a float is read
            as a spreadsheet's number cell is, and NaN or None is a blank cell.
        source: how messages name the table: ``units.csv:row 12, column 全年执行数``. A row is
            numbered by its index label when that is an integer (give the frame the row numbers
            of the file it was read from), else by its position, from 1.
        language: the language of the error column, ``"zh"`` or ``"en"``; by default the one
            this process speaks. A Dask, Spark or Ray worker is another process, which speaks
            the default (English unless its environment names Chinese): give it there.

    Returns:
        A frame with :func:`frame_columns`, all text: totals and points lost written exactly
        (``"91.78"``), empty text where there is nothing (no grade, a 不适用 indicator, no
        error). A unit whose facts are wrong gets its error, every problem located, and blank
        scores.

    Raises:
        FactsError: when the header names an unknown column, a fact twice, or a shared label.
        ValueError: when ``language`` is not one scoring speaks.
    """
    if language is None:
        return _score_frame(ruleset, frame, source)
    with i18n.speaking(language):
        return _score_frame(ruleset, frame, source)


def _score_frame(ruleset: Ruleset, frame: pd.DataFrame, source: str) -> pd.DataFrame:
    import pandas as pd

    plan = _plan(ruleset)
    header = tuple(str(column) for column in frame.columns)
    reader = plan.headers.get((source, *header))
    if reader is None:
        table = units.Table(source, ())
        columns = units.header_columns(list(header), 1, plan.ruleset, table.cell)
        reader = RowReader(units.Table(source, tuple(columns)), plan.ruleset)
        plan.headers[(source, *header)] = reader
    rows: list[list[str]] = []
    index: list[Any] = []
    # column by column, as lists: a pandas row at a time costs more than scoring it
    by_column = [_cells(frame.iloc[:, at].tolist()) for at in range(frame.shape[1])]
    labels: list[Any] = frame.index.tolist()
    for position, (label, *cells) in enumerate(zip(labels, *by_column, strict=True)):
        if not any(map(units.is_filled, cells)):
            continue
        number = int(label) if isinstance(label, Integral) else position + 1
        read = reader.read(number, cells)  # a row without a problem, read at once
        if read is None:  # the general path, which places every problem at its cell
            rows.append(
                _row(plan, batch.score_unit(reader.table.unit(number, cells), plan.ruleset))
            )
        else:
            rows.append(_row(plan, batch.score_unit(read[0], plan.ruleset, read[1])))
        index.append(label)
    result = pd.DataFrame(rows, columns=list(plan.columns), dtype=TEXT)
    result.index = pd.Index(index, dtype=frame.index.dtype, name=frame.index.name)
    return result


def _cells(values: list[Any]) -> list[Any]:
    """A column's values as table cells (:func:`_cell`); a column of text as it is."""
    if all(type(value) is str for value in values):
        return values
    return [_cell(value) for value in values]


def _cell(value: Any) -> Any:
    """A pandas cell as a table cell: blanks as None, numbers exact, text as text."""
    if value is None or isinstance(value, str | bool | Decimal):
        return value
    if type(value).__name__ == "bool_":  # numpy's booleans are neither bool nor numbers
        return bool(value)
    if isinstance(value, Integral):
        return int(value)
    if isinstance(value, Real):
        number = float(value)
        return None if math.isnan(number) else xlsx_value(number)
    if _is_blank(value):
        return None
    return str(value)


def _is_blank(value: Any) -> bool:
    """Whether a value is one of pandas' missing values (NA, NaT), without importing pandas."""
    try:
        return bool(value != value)  # NA and NaT are not equal to themselves
    except TypeError:  # pd.NA: its truth value is ambiguous
        return True


def _row(plan: _Plan, scored: batch.UnitResult) -> list[str]:
    summary = batch.summary_row(scored)
    subject = [summary.subject.get(key, "") for key in SUBJECT_COLUMNS]
    done = scored.scored  # the numbers only: no result models are built for a frame
    if done is None:
        blanks = [""] * (2 + len(plan.tops))
        error = summary.error or ""
        return [summary.source, *subject, *blanks, plan.ruleset.ref, plan.fingerprint, "", error]
    return [
        summary.source,
        *subject,
        _text(summary.total),
        summary.grade or "",
        *map(_text, summary.lost),
        plan.ruleset.ref,
        plan.fingerprint,
        facts_fingerprint(done.facts),
        "",
    ]


def _text(value: Decimal | None) -> str:
    return "" if value is None else format(value, "f")


def frame_summary(ruleset: Ruleset, scored: pd.DataFrame) -> Summary:
    """The summary ``scoring batch`` makes of the same units, from :func:`score_frame`'s rows.

    Render it with :func:`scoring.analysis.summary.render_summary` to write what ``batch -o``
    writes.
    """
    tops = [f"lost_{node.id}" for node in ruleset.indicators]
    return summarise(ruleset, _summary_rows(scored, tops))


def _summary_rows(scored: pd.DataFrame, tops: list[str]) -> Iterable[SummaryRow]:
    for row in scored.to_dict("records"):
        subject = {key: row[key] for key in SUBJECT_COLUMNS if row[key]}
        if row["error"]:
            yield SummaryRow(row["source"], subject, None, None, (), row["error"])
            continue
        lost = tuple(Decimal(row[top]) if row[top] else None for top in tops)
        total = Decimal(row["total"])
        yield SummaryRow(row["source"], subject, total, row["grade"] or None, lost)


__all__ = ["frame_columns", "frame_summary", "score_frame"]
