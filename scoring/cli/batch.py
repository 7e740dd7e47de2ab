"""`scoring batch`: many units scored, one summary row each; a bad unit never stops the others."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.text import Text

from scoring.cli import consoles
from scoring.cli.application import app
from scoring.cli.batch_output import SummarySink, results_directory, summary_sink
from scoring.cli.exits import fail, handled
from scoring.cli.inputs import signing_key, yaml_files
from scoring.cli.language import os_reason
from scoring.cli.lazy import (
    _batch_part,
    _claims,
    _facts,
    _filled_workbook,
    _models,
    _parallel,
    _rulesets,
    _summary,
    _units,
    _xlsx,
    bars,
    batch_units,
    signing,
)
from scoring.cli.options import (
    AllowShadowOption,
    BatchFormat,
    RulesetsOption,
    SignOption,
    choose_format,
    format_option,
    output_option,
)
from scoring.cli.writing import write_atomic
from scoring.errors import ExitCode, FactsError
from scoring.i18n import N_, _, ngettext
from scoring.load.tables import TABLE_SUFFIXES


@app.command()
@handled
def batch(
    ruleset: Annotated[
        str,
        typer.Argument(
            help=N_("A ruleset file, or id@version (a bare id picks the newest)."),
            metavar="RULESET",
        ),
    ],
    paths: Annotated[
        list[Path],
        typer.Argument(
            help=N_(
                "Facts files, directories of them, or one CSV, XLSX or Parquet table with a row "
                "per unit."
            ),
            metavar="INPUT…",
        ),
    ],
    output: Annotated[
        Path | None,
        output_option(
            N_(
                "Write the summary to this file: .csv, .xlsx, .json, .parquet or .txt (the "
                "table). - is standard output."
            )
        ),
    ] = None,
    output_format: Annotated[
        BatchFormat | None,
        format_option(
            N_(
                "text (the table), csv, json, xlsx or parquet (with -o only). Default: what -o's "
                "suffix says, else text."
            )
        ),
    ] = None,
    results: Annotated[
        Path | None,
        typer.Option(
            "--results",
            help=N_(
                "Also write each unit's result (as score --json) into this directory: a new or "
                "empty one, as no two runs' results may mix."
            ),
            file_okay=False,
        ),
    ] = None,
    force: Annotated[
        bool,
        typer.Option(
            "--force",
            help=N_("Replace the results an earlier run left in the --results directory."),
        ),
    ] = False,
    workers: Annotated[
        int | None,
        typer.Option(
            "--workers",
            min=1,
            help=N_(
                "Processes to score with (default: the cores this machine gives it). The output "
                "is the same, byte for byte, whatever the number."
            ),
        ),
    ] = None,
    rulesets: RulesetsOption = None,
    sign: SignOption = None,
    allow_shadow: AllowShadowOption = False,
) -> None:
    """Score many units: one summary row each (total, grade, points lost per 一级, or the error).

    A bad unit never stops the others; the exit code is 1 when any failed. While a batch writes
    into a --results directory, another batch into it is refused. A CSV or Parquet table is
    read, and a CSV or Parquet summary written, as the units go: memory stays flat however many
    units there are.
    """
    if sign is not None and results is None:
        fail(_("error: --sign signs the results: add --results DIR"), ExitCode.NOT_CHECKED)
    key = signing_key(sign) if sign is not None else None
    workers = workers or _parallel.default_workers()
    if any(path.suffix.lower() in TABLE_SUFFIXES for path in paths):  # worth workers: start
        _parallel.start_early(workers, _batch_part.__name__)  # them before the imports below
    loaded = _rulesets.load_ruleset(ruleset, rulesets or (), allow_shadow=allow_shadow)
    with contextlib.ExitStack() as held:
        source = _batch_source(paths, loaded, held)
        inputs = (
            *source.files,
            *(Path(name) for name in loaded.origin.files),
            *((sign,) if sign else ()),
        )
        chosen = output_format.value if output_format is not None else None
        fmt = choose_format(
            "batch", output, list(BatchFormat), inputs, chosen=chosen, what=_("the summary")
        )
        if results is not None:
            summary_file = [output] if output is not None else []
            held.enter_context(results_directory(results, force, summary_file))
        sink = held.enter_context(summary_sink(fmt, output, inputs, loaded, source.keys))
        intake = _Intake(source.table, results, key, inputs, _summary.Tally(sink.grades), sink)
        parts = _parallel.ordered_chunks(
            _batch_part.score_part,
            source.items,
            workers=workers,
            initializer=batch_units.start_worker,
            initargs=(loaded, source.table, results is not None, sink.shape),
            modules=(batch_units.__name__,),
        )
        for part in bars.stream_progress(parts, _("scoring"), *source.progress, size=len):
            intake.part(part)
        tally = intake.tally
        for row in intake.failed:
            assert row.error is not None
            at = "" if row.error.startswith(row.source) else f"{row.source}: "
            consoles.stderr.print(Text(f"{at}{row.error}"))
        sink.finish()
    if results is not None:
        count = len(intake.taken)
        message = ngettext(
            "wrote {count} result to {folder}", "wrote {count} results to {folder}", count
        )
        consoles.stderr.print(Text(message.format(count=count, folder=results)))
    consoles.stderr.print(Text(tally.text()))
    for line in tally.reduction_lines():  # 结果应用: per bureau, advice with the table's source
        consoles.stderr.print(Text(line))
    if tally.failed:
        raise typer.Exit(ExitCode.FOUND_WANTING)


@dataclass
class _Intake:
    """What a batch keeps as it takes in its scored units, in input order, and what it does."""

    table: _units.Table | None
    results: Path | None
    key: signing.SigningKey | None
    """The key the results are signed with, if any."""
    inputs: tuple[Path, ...]
    tally: _summary.Tally
    sink: SummarySink
    failed: list[_summary.SummaryRow] = field(default_factory=list)
    taken: set[str] = field(default_factory=set)
    """The result files' names so far (case-folded)."""
    duplicates: batch_units.Duplicates = field(default_factory=lambda: batch_units.Duplicates())
    identical: batch_units.Duplicates = field(default_factory=lambda: batch_units.Duplicates())
    """The units' facts, subject aside (red flags)."""

    def part(self, part: _batch_part.Part) -> None:
        """A run of units: written as it is when none needs more, else unit by unit."""
        if self.sink.lines is not None and part.quiet(self.duplicates, self.identical):
            assert part.lines is not None  # every unit plain: its line says all
            self.tally.count(part.grades)
            self.sink.lines(part.lines)
            return
        for done in part.dones():
            self.unit(done)

    def unit(self, done: batch_units.Done) -> None:
        """One unit: the same unit twice, the same facts twice, its result, its summary row."""
        row, text, table = done.row, done.text, self.table
        if table is not None:  # a table's rows: the same unit twice, found in order
            digest = done.subject_digest
            first = None if digest is None else self.duplicates.seen(digest, done.number)
            if first is not None:
                row = batch_units.duplicate_row(done, str(table.cell(int(first), 0)))
                text = None
        where = done.number or row.source
        first = batch_units.first_identical(self.identical, row, done.facts_digest, where)
        if first is not None and table is not None and isinstance(first, int):
            row = batch_units.identical_row(row, str(table.cell(first, 0)))
        elif first is not None:
            row = batch_units.identical_row(row, str(first))
        if text is not None and self.results is not None:
            name = batch_units.result_file_name(row.subject, done.stem, self.taken)
            what = _("the result of {source}").format(source=row.source)
            text = signing.sign_text(text, self.key) if self.key is not None else text
            write_atomic(self.results / name, text, self.inputs, what=what)
        if done.mismatch is not None and row.error is None:
            message = _("warning: {file}: {warning}")
            consoles.stderr.print(Text(message.format(file=row.source, warning=done.mismatch)))
        self.tally.add(row)
        self.sink.add(row, done.cells if row is done.row else None)  # a row changed here: again
        if row.error is not None:
            self.failed.append(row)


@dataclass
class _BatchSource:
    """What a batch scores: a table's rows as they are read, or units read beforehand."""

    items: Iterator[Any]
    files: list[Path]
    table: _units.Table | None = None
    keys: tuple[str, ...] | None = None
    progress: tuple[int | None, Callable[[], int] | None] = (None, None)
    """The bar's total and, for a table read as it goes, how far it has been read (bytes)."""


def _batch_source(
    paths: list[Path], ruleset: _models.Ruleset, held: contextlib.ExitStack
) -> _BatchSource:
    """The units to score, and the files they come from.

    A CSV or Parquet table is read as it is scored; an XLSX table and facts files are read
    first. A unit given twice (its facts file and its filled workbook, or two rows of a table)
    is scored once: the second is an error naming the first.
    """
    tables = [path for path in paths if _is_table(path)]
    if not tables:
        units, files = _batch_units(paths, ruleset)
        return _BatchSource(iter(units), files, progress=(len(units), None))
    if len(paths) > 1:
        message = _(
            "error: give one CSV, XLSX or Parquet table, or facts files and directories, not both"
        )
        fail(message, ExitCode.NOT_CHECKED)
    path = tables[0]
    suffix = path.suffix.lower()
    if suffix == ".xlsx":
        _xlsx.check_file_size(path.stat().st_size, str(path))  # before reading it whole
        rows, sheet = _units.xlsx_rows(path.read_bytes(), str(path))
        table, data = _units.read_header(
            iter(rows), str(path), ruleset, sheet=sheet, is_workbook=True
        )
        total: int | None = len(rows)
        done: Callable[[], int] | None = None
    else:
        try:
            handle = held.enter_context(path.open("rb"))
        except OSError as exc:
            message = _("error: cannot read {file}: {reason}")
            fail(message.format(file=path, reason=os_reason(exc)), ExitCode.NOT_CHECKED)
        if suffix == ".parquet":
            from scoring.load.parquet import parquet_count, parquet_rows

            cells = parquet_rows(handle, str(path))
            total, done = parquet_count(handle), None
        else:
            from scoring.load.tables import csv_rows

            cells = csv_rows(handle, str(path))
            total, done = path.stat().st_size, handle.tell
        table, data = _units.read_header(cells, str(path), ruleset)
    return _BatchSource(data, [path], table, table.subject_keys, (total, done))


def _batch_units(
    paths: list[Path], ruleset: _models.Ruleset
) -> tuple[list[_units.Unit], list[Path]]:
    """The units to score, and the files they were read from.

    A unit given twice (say its facts file and its filled workbook) is scored once: the second
    is an error naming the first.
    """
    tables = [path for path in paths if _is_table(path)]
    if tables:
        if len(paths) > 1:
            message = _(
                "error: give one CSV or XLSX table, or facts files and directories, not both"
            )
            fail(message, ExitCode.NOT_CHECKED)
        _xlsx.check_file_size(tables[0].stat().st_size, str(tables[0]))  # before reading it whole
        units = _units.read_table(tables[0].read_bytes(), str(tables[0]), ruleset)
        return batch_units.mark_duplicates(units), tables
    units, files = [], []
    for path in paths:
        for file in _facts.facts_files(path) if path.is_dir() else yaml_files(path):
            try:
                unit = _units.input_unit(_facts.read_facts_input(file))
            except FactsError as exc:  # too large, not UTF-8, not a workbook: that unit's error
                unit = _units.Unit(str(file), file.stem, issues=exc.issues)
            if path.is_dir() and _claims.is_ruleset_data(unit.data):
                continue  # a ruleset kept beside the facts
            units.append(unit)
            files.append(file)
    if not units:
        message = _("error: no facts files in {paths}").format(paths=" ".join(map(str, paths)))
        fail(message, ExitCode.NOT_CHECKED)
    return batch_units.mark_duplicates(units), files


def _is_table(path: Path) -> bool:
    """A CSV or Parquet file, or an XLSX file that is not a filled facts workbook (one unit)."""
    suffix = path.suffix.lower()
    if suffix not in TABLE_SUFFIXES or not path.is_file():
        return False
    return suffix != ".xlsx" or not _filled_workbook.is_facts_workbook(path)
