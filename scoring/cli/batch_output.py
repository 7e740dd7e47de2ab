"""Where `scoring batch` writes: the summary (as the rows come, or at the end), the results."""

from __future__ import annotations

import contextlib
import io
import json
import re
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

from rich.table import Table
from rich.text import Text

from scoring.cli import consoles
from scoring.cli.exits import fail
from scoring.cli.language import os_reason
from scoring.cli.lazy import _models, _render_safe, _summary
from scoring.cli.options import FORMAT_SUFFIXES, BatchFormat
from scoring.cli.writing import (
    LOCK_NAME,
    atomic_file,
    cannot_write,
    directory_lock,
    is_stdout,
    show,
    write_output,
)
from scoring.errors import ExitCode
from scoring.i18n import _, ngettext

RESULT_KEYS = frozenset({"engine", "ruleset", "facts_fingerprint", "indicators"})
"""Keys every result file has: what tells a result a batch wrote from any other JSON file."""


@contextlib.contextmanager
def results_directory(directory: Path, force: bool, keep: Sequence[Path]) -> Iterator[None]:
    """The --results directory, created if need be, held by this batch alone and empty.

    A second batch into it while this one runs is refused (so results of two runs never mix),
    and so is a directory holding an earlier run's results unless ``force`` (they are removed
    first); files that are not results (``keep``: the summary) are never removed.
    """
    try:
        directory.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        cannot_write(_("the results"), directory, os_reason(exc))
    with directory_lock(directory):
        kept = {path.absolute() for path in keep}
        earlier = [
            path
            for path in sorted(directory.iterdir())
            if path.name != LOCK_NAME and path.absolute() not in kept
        ]
        if earlier and not force:
            message = ngettext(
                "error: --results {directory} already holds a file ({first}) from an earlier "
                "run: give an empty or new directory, or --force to replace its results",
                "error: --results {directory} already holds {count} files ({first} …) from an "
                "earlier run: give an empty or new directory, or --force to replace its results",
                len(earlier),
            ).format(directory=directory, count=len(earlier), first=earlier[0].name)
            fail(message, ExitCode.NOT_CHECKED)
        others = [path.name for path in earlier if not _is_result_file(path)]
        if others:
            message = _(
                "error: --results {directory} holds files that are not results ({names}); "
                "--force replaces results only: give an empty or new directory"
            ).format(directory=directory, names=", ".join(others[:3]))
            fail(message, ExitCode.NOT_CHECKED)
        for path in earlier:
            try:
                path.unlink()
            except OSError as exc:
                cannot_write(_("the results"), path, os_reason(exc))
        yield


def _is_result_file(path: Path) -> bool:
    """Whether ``path`` is a result an earlier batch wrote (or a temporary file of one)."""
    if TEMPORARY_NAME.match(path.name):
        return path.is_file()
    if path.suffix.lower() != ".json" or path.is_symlink() or not path.is_file():
        return False
    try:
        data = json.loads(path.read_bytes())
    except (OSError, ValueError):
        return False
    return isinstance(data, dict) and data.keys() >= RESULT_KEYS


TEMPORARY_NAME = re.compile(r"^\..+\.tmp$")
"""The name of a temporary file write_atomic left behind when its process was killed."""


class SummarySink:
    """Where a batch's summary rows go: a file written as they come, or the summary at the end."""

    def __init__(
        self,
        fmt: str,
        output: Path | None,
        inputs: Sequence[Path],
        ruleset: _models.Ruleset,
        keys: tuple[str, ...] | None,
    ):
        self.fmt, self.output, self.inputs, self.ruleset, self.keys = (
            fmt,
            output,
            inputs,
            ruleset,
            keys,
        )
        empty = _summary.summarise(ruleset, (), keys)
        self.grades = empty.grades
        self.rows: list[_summary.SummaryRow] = []
        self.stream: Callable[[_summary.SummaryRow, tuple[str, ...] | None], None] | None = None
        self.shape: _summary.LineShape | None = None
        """The summary line's shape, when the summary is a CSV or Parquet file written as the
        rows come (the workers render each unit's line)."""
        self.lines: Callable[[Any], object] | None = None
        """Writes a run's summary lines rendered already (a :class:`Part`'s ``lines``), when the
        summary is a CSV or Parquet file written as the rows come."""

    def add(self, row: _summary.SummaryRow, cells: tuple[str, ...] | None = None) -> None:
        """One more row: written now when the summary is a file written as it goes.

        ``cells``: the row as a CSV line, already rendered (by a worker, from :attr:`shape`).
        """
        if self.stream is not None:
            self.stream(row, cells)
        else:
            self.rows.append(row)

    def finish(self) -> None:
        """The summary complete: written, or shown, when it was not written as it went."""
        if self.stream is not None:
            return
        summary = _summary.summarise(self.ruleset, self.rows, self.keys)
        what = _("the summary")
        if self.fmt == BatchFormat.TEXT:
            table = _summary_table(self.ruleset, summary)
            show(lambda console: console.print(table), self.output, self.inputs, what)
        elif self.fmt == BatchFormat.PARQUET:
            from scoring.analysis.summary_parquet import render_summary_parquet

            write_output(self.output, render_summary_parquet(summary), self.inputs, what)
        else:
            content = _summary.render_summary(summary, FORMAT_SUFFIXES[self.fmt])
            write_output(self.output, content, self.inputs, what)


@contextlib.contextmanager
def summary_sink(
    fmt: str,
    output: Path | None,
    inputs: Sequence[Path],
    ruleset: _models.Ruleset,
    keys: tuple[str, ...] | None,
) -> Iterator[SummarySink]:
    """The summary's sink: CSV or Parquet written as the rows come, or kept until the end.

    A file with its columns known first (a table's) is written as the rows come and renamed
    into place at the end; any other summary is kept and written, or shown, at the end.
    """
    sink = SummarySink(fmt, output, inputs, ruleset, keys)
    streamed = fmt in (BatchFormat.CSV, BatchFormat.PARQUET) and keys is not None
    if output is None or is_stdout(output) or not streamed:
        yield sink
        return
    assert keys is not None
    indicators = tuple((node.id, node.name) for node in ruleset.indicators)
    applies = ruleset.application is not None  # the 结果应用 columns
    flagged = ruleset.red_flags is not None
    headers = _summary.summary_headers(indicators, keys, applies, flagged=flagged)
    what = _("the summary")
    with atomic_file(output, inputs, what=what) as handle:
        if fmt == BatchFormat.CSV:
            text = io.TextIOWrapper(handle, encoding="utf-8", newline="", write_through=True)
            text.write("\ufeff")  # Excel reads a CSV with a byte order mark as UTF-8
            writer = _summary.summary_writer(text)
            writer.writerow(map(_render_safe.csv_cell, headers))

            shape = sink.shape = _summary.LineShape(keys, len(indicators), applies, flagged)
            csv_line = _summary.csv_line  # once, not once a row

            def stream(row: _summary.SummaryRow, cells: tuple[str, ...] | None) -> None:
                writer.writerow(cells if cells is not None else csv_line(row, shape))

            sink.stream, sink.lines = stream, text.write
            yield sink
            text.detach()
        else:
            from scoring.analysis.summary_parquet import SummaryWriter

            numeric = [header == "总分" or header.endswith("失分") for header in headers]
            places = ruleset.rounding.places
            shape = _summary.LineShape(keys, len(indicators), applies, flagged, parquet=True)
            sink.shape = shape
            with SummaryWriter(handle, headers, numeric, places) as parquet:

                def stream(row: _summary.SummaryRow, cells: tuple[str, ...] | None) -> None:
                    parquet.write(cells if cells is not None else _summary.shaped_line(row, shape))

                sink.stream, sink.lines = stream, parquet.write_lines
                yield sink
    consoles.stderr.print(Text(_("wrote {file}").format(file=output)))


def _summary_table(ruleset: _models.Ruleset, summary: _summary.Summary) -> Table:
    """The batch summary as the terminal shows it, with the number of problems of a failed unit."""
    headers, cells = _summary.summary_table(summary, count_problems=True)
    table = Table(title=f"{ruleset.title}  {ruleset.ref}")
    for header in headers:
        is_number = header == "总分" or header.endswith("失分")
        table.add_column(header, overflow="fold", justify="right" if is_number else "left")
    for cells_row in cells:
        table.add_row(*cells_row)
    return table
