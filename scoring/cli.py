"""The `scoring` command: score, verify, lint, test, diff, template, schema.

The only module that prints or exits. Exit codes: 0 success; 1 the input was read and found
wanting (any ScoringError); 2 a usage error or a file that cannot be read.
"""

from __future__ import annotations

import functools
import json
import os
import sys
import tempfile
from collections.abc import Callable, Iterator
from decimal import Decimal
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any, NoReturn, ParamSpec

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn
from rich.table import Table
from rich.text import Text

from scoring import batch as batch_units
from scoring import workbook
from scoring.diff import RulesetDiff, diff_rulesets, unit_impact
from scoring.engine import score as score_facts
from scoring.errors import FactsError, Issue, RulesetError, ScoringError, SourceLocation, suggest
from scoring.gap import Gap
from scoring.gap import gap as find_gap
from scoring.loader import (
    FactsInput,
    facts_files,
    is_workbook_file,
    load_audit_overrides,
    load_facts,
    load_named_ruleset,
    load_ruleset,
    parse_ruleset,
    read_facts_input,
)
from scoring.models import Facts, Ruleset
from scoring.registry import Registry, read_text
from scoring.render import RENDERERS, render_json
from scoring.render.report import PENDING, grade_text
from scoring.results import IndicatorResult, ScoreResult, override_text, subject_line
from scoring.ruleset_tests import run_tests
from scoring.schema import schemas
from scoring.sourcemap import LocatedDict, locate, parse_yaml
from scoring.template import render_template
from scoring.verify import (
    Verification,
    audit_from_record,
    check_provenance,
    compare_claims,
    compare_result,
    facts_from_record,
)
from scoring.xlsx import check_file_size

P = ParamSpec("P")
app = typer.Typer(
    help="Score budget performance (预算绩效评价) against versioned YAML rulesets.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
stdout = Console(highlight=False, soft_wrap=False)
stderr = Console(stderr=True, highlight=False, soft_wrap=True)

RulesetsOption = Annotated[
    list[Path] | None,
    typer.Option(
        "--rulesets", help="Another directory of rulesets to search (repeatable).", file_okay=False
    ),
]


def _fail(message: str, code: int) -> NoReturn:
    stderr.print(Text(message))
    raise typer.Exit(code)


def _handled(command: Callable[P, None]) -> Callable[P, None]:
    """Turn the package's errors into one message and an exit code, never a traceback."""

    @functools.wraps(command)
    def run(*args: P.args, **kwargs: P.kwargs) -> None:
        try:
            command(*args, **kwargs)
        except ScoringError as exc:
            _fail(str(exc), 1)
        except OSError as exc:
            name = exc.filename or ""
            _fail(f"error: cannot read {name}: {exc.strerror or exc}", 2)

    return run


def write_atomic(path: Path, text: str, inputs: tuple[Path, ...] = ()) -> None:
    """Write ``text`` to ``path`` through a temporary file and a rename, never over an input."""
    target = path.resolve()
    if any(target == source.resolve() for source in inputs):
        _fail(f"error: -o {path} is one of the input files; choose another output file", 2)
    mode = target.stat().st_mode & 0o777 if target.exists() else 0o644
    temporary: str | None = None
    try:
        descriptor, temporary = tempfile.mkstemp(
            dir=target.parent, prefix=f".{target.name}.", suffix=".tmp"
        )
        with os.fdopen(descriptor, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temporary, mode)
        os.replace(temporary, target)
    except OSError as exc:
        _fail(f"error: cannot write {path}: {exc.strerror or exc}", 2)
    finally:
        if temporary is not None:
            Path(temporary).unlink(missing_ok=True)


def _emit(text: str, output: Path | None, inputs: tuple[Path, ...]) -> None:
    if output is None:
        sys.stdout.write(text)
    else:
        write_atomic(output, text, inputs)
        stderr.print(f"wrote {output}")


class ScoreFormat(StrEnum):
    """What `scoring score` writes."""

    TEXT = "text"
    JSON = "json"
    MD = "md"
    HTML = "html"
    XLSX = "xlsx"


class TemplateFormat(StrEnum):
    """What `scoring template` writes."""

    YAML = "yaml"
    XLSX = "xlsx"


def _is_workbook(path: Path | None) -> bool:
    return path is not None and path.suffix.lower() == ".xlsx"


def _score_format(chosen: ScoreFormat | None, as_json: bool, output: Path | None) -> ScoreFormat:
    """--format, else --json, else a workbook for ``-o *.xlsx``, else the text breakdown."""
    if as_json and chosen not in (None, ScoreFormat.JSON):
        _fail(f"error: --json is --format json: give one of --json and --format {chosen}", 2)
    fmt = chosen or (ScoreFormat.JSON if as_json else None)
    fmt = fmt or (ScoreFormat.XLSX if _is_workbook(output) else ScoreFormat.TEXT)
    if fmt == ScoreFormat.XLSX and output is None:
        _fail("error: --format xlsx writes a workbook: give -o FILE.xlsx (not a terminal)", 2)
    if fmt in (ScoreFormat.MD, ScoreFormat.HTML) and fmt.value not in RENDERERS:
        available = ", ".join(["text", *sorted(RENDERERS), "xlsx"])
        _fail(f"error: --format {fmt}: this version has no {fmt} renderer (use {available})", 2)
    return fmt


def _write_workbook(output: Path, data: bytes, inputs: tuple[Path, ...]) -> None:
    _write_bytes_atomic(output, data, inputs)
    stderr.print(f"wrote {output}")


def _ruleset_and_facts(
    first: str, second: Path | None, rulesets: list[Path] | None, command: str
) -> tuple[Ruleset, FactsInput, Path]:
    """The ruleset and the facts input of ``COMMAND [RULESET] FACTS``, and the facts' path.

    With one argument, the facts name their ruleset (``ruleset:``, a workbook's 规则集 row).
    The facts may be YAML, JSON or a filled facts workbook (:func:`read_facts_input`).
    """
    path = Path(first)
    if second is None:
        if path.is_file() and _is_ruleset(path):
            usage = f"Usage: {command} [OPTIONS] RULESET FACTS"
            _fail(f"{usage}\nerror: missing FACTS: give the facts file after the ruleset", 2)
        source = read_facts_input(path)
        return load_named_ruleset(source, rulesets or ()), source, path
    if path.is_file() and _is_facts(path):
        kind = "a facts workbook" if is_workbook_file(path) else "a facts file"
        message = (
            f"{path}:1:1: {path} is {kind}, not a ruleset: "
            f"give the ruleset first ({command} RULESET FACTS)"
        )
        _fail(message, 1)
    return load_ruleset(first, rulesets or ()), read_facts_input(second), second


@app.command()
@_handled
def score(
    ruleset: Annotated[
        str,
        typer.Argument(
            help="A ruleset file, or id@version (a bare id picks the newest). Leave it out to "
            "use the ruleset the facts file names.",
            metavar="RULESET",
        ),
    ],
    facts: Annotated[
        Path | None,
        typer.Argument(
            help="The facts file (YAML or JSON), or a filled facts workbook (.xlsx, from scoring "
            "template --format xlsx).",
            dir_okay=False,
            metavar="FACTS",
        ),
    ] = None,
    as_json: Annotated[
        bool, typer.Option("--json", help="Print the machine-readable result (--format json).")
    ] = False,
    output: Annotated[
        Path | None,
        typer.Option("-o", "--output", help="Write to this file instead.", dir_okay=False),
    ] = None,
    output_format: Annotated[
        ScoreFormat | None,
        typer.Option(
            "--format",
            help="text (the breakdown), json, md, html, or xlsx (the 自评表 as a workbook, with "
            "-o only). Default: text, or xlsx when -o names a .xlsx file.",
            case_sensitive=False,
        ),
    ] = None,
    overrides: Annotated[
        Path | None,
        typer.Option(
            "--overrides",
            help="An auditor's overrides file, layered on the department's own.",
            dir_okay=False,
        ),
    ] = None,
    partial: Annotated[
        bool,
        typer.Option(
            "--partial",
            help="Score a form still being filled in: indicators whose facts are blank are "
            "marked 待填, the most the unit can still reach is shown, and no grade is given.",
        ),
    ] = False,
    rulesets: RulesetsOption = None,
) -> None:
    """Score a department's facts: the breakdown, the total and the grade.

    `scoring score RULESET FACTS`, or `scoring score FACTS` when the facts name their ruleset.
    FACTS may be YAML, JSON or a filled facts workbook (.xlsx).
    """
    fmt = _score_format(output_format, as_json, output)
    loaded, source, facts = _ruleset_and_facts(ruleset, facts, rulesets, "scoring score")
    unit = source.check(loaded, partial=partial)
    audit = load_audit_overrides(overrides, loaded, unit) if overrides is not None else None
    result = score_facts(loaded, unit, audit, partial=partial)
    for finding in result.findings:
        if finding.code == "ruleset_mismatch":
            stderr.print(Text(f"warning: {finding.message}"))
    inputs = (facts, *(Path(name) for name in loaded._files), *([overrides] if overrides else []))
    if fmt == ScoreFormat.XLSX:
        assert output is not None  # _score_format refuses xlsx without -o
        _write_workbook(output, workbook.render_report_xlsx(result, loaded), inputs)
        return
    if fmt != ScoreFormat.TEXT:
        _emit(RENDERERS[fmt.value](result), output, inputs)
        return
    if output is None:
        _print_breakdown(stdout, result)
        return
    with open(os.devnull, "w") as devnull:
        console = Console(width=140, record=True, file=devnull)
        _print_breakdown(console, result)
    _emit(console.export_text(), output, inputs)


def _print_breakdown(console: Console, result: ScoreResult) -> None:
    console.print(breakdown_table(result))
    for name, derived in result.derived.items():
        unit = f" {derived.unit}" if derived.unit and derived.unit != "%" else ""
        console.print(Text(f"派生值 {name} = {derived.shown}{unit}"))
    for finding in result.findings:
        where = f"[{finding.path}] " if finding.path else ""
        console.print(Text(f"注 {where}{finding.message}"))


def _is_ruleset(path: Path) -> bool:
    try:
        data = parse_yaml(read_text(path), str(path))
    except RulesetError:
        return False
    return _is_ruleset_data(data)


def _is_facts(path: Path) -> bool:
    """Whether a file is a facts input of any form (YAML, JSON, a workbook), not a ruleset."""
    if is_workbook_file(path):
        return True
    try:
        source = read_facts_input(path)
    except FactsError:
        return False
    return source.is_workbook or ("facts" in source.data and not _is_ruleset_data(source.data))


def _is_ruleset_data(data: object) -> bool:
    """Whether parsed YAML is a ruleset rather than a facts file: a ruleset has an id."""
    return isinstance(data, dict) and ("id" in data or "indicators" in data)


def breakdown_table(result: ScoreResult) -> Table:
    """The rich table of the tree: 指标, 分值, 得分, 说明, then 合计, 总分 and 等级."""
    subject = " ".join(result.subject.values())
    table = Table(
        title=f"{result.ruleset.title}\n{subject}" if subject else result.ruleset.title,
        caption=f"{result.ruleset.id}@{result.ruleset.version}  {result.ruleset.fingerprint[:19]}…",
        show_lines=False,
    )
    audited = result.self_total is not None
    table.add_column("指标", overflow="fold")
    table.add_column("分值", justify="right")
    if audited:
        table.add_column("自评得分", justify="right")
    table.add_column("审核得分" if audited else "得分", justify="right")
    table.add_column("说明")
    for node in _rows(result.indicators):
        name = Text("  " * (node.level - 1) + node.name, style="bold" if node.level == 1 else "")
        points = _points(node)
        weight = "" if node.weight is None else str(node.weight)
        own = [_or_dash(node.score if node.self_score is None else node.self_score)]
        note = _node_note(node) if not node.children else ""
        table.add_row(name, weight, *(own if audited else []), points, note)
    table.add_section()
    if result.rescaled:
        own_sum = [""] if audited else []
        table.add_row(
            "合计", str(result.applicable_weight), *own_sum, str(result.sum), "不适用 excluded"
        )
    own_total = [_or_dash(result.self_total)] if audited else []
    table.add_row(
        Text("总分", style="bold"),
        str(result.max_total),
        *own_total,
        Text(str(result.total), style="bold"),
        _total_note(result),
    )
    own_grade = [result.self_grade or "—"] if audited else []
    grade = Text(grade_text(result), style="bold")
    table.add_row(Text("等级", style="bold"), "", *own_grade, grade, "")
    return table


def _node_note(node: IndicatorResult) -> str:
    """A leaf's explanation, then each override: whose, the points, why and who."""
    return "\n".join([node.explanation, *(override_text(item) for item in node.overrides)])


def _points(node: IndicatorResult) -> str:
    """A node's 得分 cell: its points, 待填 (a form in progress), or a dash (不适用)."""
    if node.status == "pending" and node.score is None:
        return PENDING
    return "—" if node.score is None else str(node.score)


def _total_note(result: ScoreResult) -> str:
    notes = []
    if result.partial:
        notes.append(f"{PENDING} {len(result.pending)}; 最高可得 {result.reachable}")
    if result.rescaled:
        notes.append(f"{result.sum} / {result.applicable_weight} × {result.max_total}")
    if result.computed_total is not None:
        grade = f" {result.computed_grade}" if result.computed_grade else ""
        notes.append(f"计算得分 {result.computed_total}{grade} (without overrides)")
    return "; ".join(notes)


def _rows(nodes: tuple[IndicatorResult, ...]) -> Iterator[IndicatorResult]:
    for node in nodes:
        yield node
        yield from _rows(node.children)


@app.command()
@_handled
def lint(
    paths: Annotated[
        list[Path],
        typer.Argument(
            help="Ruleset or facts files (YAML, JSON, filled facts workbooks), or directories "
            "of them."
        ),
    ],
    rulesets: RulesetsOption = None,
) -> None:
    """Check rulesets (and facts files, against the ruleset they name): every problem at once.

    Facts may be YAML, JSON or filled facts workbooks; in a directory, a workbook is checked when
    it is one (it has a facts sheet), so a 自评表 or summary written beside them is left alone.
    """
    files = sorted(
        {file for path in paths for file in _yaml_files(path)}
        | {book for path in paths if path.is_dir() for book in _facts_workbooks(path)}
    )
    registry = Registry(rulesets or ())
    failed = warned = 0
    for file in files:
        issues, warnings = _lint_file(file, registry)
        if issues:
            failed += 1
            noun = "problem" if len(issues) == 1 else "problems"
            stderr.print(Text(f"{file}: {len(issues)} {noun}"))
            for issue in issues:
                stderr.print(Text(str(issue)))
        for warning in warnings:
            warned += 1
            stderr.print(Text(f"warning: {warning}"))
    checked = f"{len(files)} file{'s' if len(files) != 1 else ''}"
    if failed:
        _fail(f"{failed} of {checked} with problems", 1)
    warnings_seen = f", {warned} warning{'s' if warned != 1 else ''}" if warned else ""
    stderr.print(f"{checked} checked, no problems{warnings_seen}")


def _facts_workbooks(directory: Path) -> list[Path]:
    """The filled facts workbooks in a directory: XLSX files with a facts sheet.

    One too large to tell is listed too, to be refused when it is checked.
    """
    found = []
    for file in facts_files(directory):
        if file.suffix.lower() != ".xlsx":
            continue
        try:
            if workbook.is_facts_workbook(file):
                found.append(file)
        except FactsError:
            found.append(file)
    return found


def _yaml_files(path: Path) -> list[Path]:
    if path.is_dir():
        return sorted(path.rglob("*.yaml"))
    if not path.exists():
        _fail(f"error: {path}: no such file or directory", 2)
    return [path]


def _lint_file(file: Path, registry: Registry) -> tuple[tuple[Issue, ...], tuple[Issue, ...]]:
    """The problems in one file, and its warnings; a ruleset's worked examples are run too."""
    try:
        if is_workbook_file(file) or file.suffix.lower() == ".json":
            source = read_facts_input(file)  # a filled workbook, or JSON (perhaps tab-indented)
            if source.is_workbook or ("facts" in source.data and not _is_ruleset_data(source.data)):
                source.check(load_named_ruleset(source, registry.directories))
                return (), ()
        text = read_text(file)
        data = parse_yaml(text, str(file))
        if isinstance(data, LocatedDict) and not _is_ruleset_data(data) and "facts" in data:
            load_facts(file, load_named_ruleset(file, registry.directories))
            return (), ()
        loaded = parse_ruleset(text, str(file), registry.parent)
    except (RulesetError, FactsError) as exc:
        return exc.issues, ()
    except OSError as exc:
        _fail(f"error: cannot read {file}: {exc.strerror}", 2)
    failures = tuple(
        Issue(f"test {outcome.name!r}: {failure.message}", failure.location or outcome.location)
        for outcome in run_tests(loaded)
        for failure in outcome.failures
    )
    return failures, loaded._warnings


@app.command("test")
@_handled
def run_worked_examples(
    paths: Annotated[
        list[Path],
        typer.Argument(help="Ruleset files, or directories of them.", metavar="RULESET…"),
    ],
    rulesets: RulesetsOption = None,
) -> None:
    """Run the worked examples (tests:) that rulesets carry; report each failing expectation."""
    files = sorted({file for path in paths for file in _yaml_files(path)})
    registry = Registry(rulesets or ())
    passed = failed = 0
    for file in files:
        try:
            if is_workbook_file(file):
                continue  # a filled facts workbook: facts, no worked examples
            text = read_text(file)
            data = parse_yaml(text, str(file))
            if not _is_ruleset_data(data):
                continue  # a facts file in the same directory
            loaded = parse_ruleset(text, str(file), registry.parent)
        except OSError as exc:
            _fail(f"error: cannot read {file}: {exc.strerror}", 2)
        outcomes = run_tests(loaded)
        if not outcomes:
            stderr.print(Text(f"warning: {file}: no tests"))
        for outcome in outcomes:
            if outcome.passed:
                passed += 1
            else:
                failed += 1
                stderr.print(Text(str(outcome)))
    summary = f"{passed + failed} tests: {passed} passed, {failed} failed"
    if failed:
        _fail(summary, 1)
    stderr.print(summary)


KIND_LABELS = {"added": "新增", "removed": "删除", "moved": "移动", "changed": "修改"}


@app.command()
@_handled
def diff(
    old: Annotated[str, typer.Argument(help="The old ruleset: a file, or id@version.")],
    new: Annotated[str, typer.Argument(help="The new ruleset: a file, or id@version.")],
    facts_dir: Annotated[
        Path | None,
        typer.Option(
            "--facts",
            help="Also score every facts file in this directory (YAML, JSON or filled facts "
            "workbooks) under both rulesets.",
            file_okay=False,
            exists=True,
        ),
    ] = None,
    as_json: Annotated[
        bool, typer.Option("--json", help="Print the machine-readable diff.")
    ] = False,
    output: Annotated[
        Path | None,
        typer.Option("-o", "--output", help="Write to this file instead.", dir_okay=False),
    ] = None,
    rulesets: RulesetsOption = None,
) -> None:
    """What changed between two rulesets (merged trees), and with --facts whose scores change."""
    before = load_ruleset(old, rulesets or ())
    after = load_ruleset(new, rulesets or ())
    result = diff_rulesets(before, after)
    inputs = tuple(Path(name) for name in (*before._files, *after._files))
    if facts_dir is not None:
        files = [file for file in facts_files(facts_dir) if not _is_ruleset(file)]
        sources = [(file, _read_or_error(file)) for file in files]
        impact = tuple(
            unit_impact(
                str(file),
                before,
                after,
                _facts_or_error(source, before),
                _facts_or_error(source, after),
            )
            for file, source in sources
        )
        result = result.model_copy(update={"impact": impact})
        inputs += tuple(files)
    if as_json:
        data = result.model_dump(mode="json")
        _emit(json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True) + "\n", output, inputs)
        return
    if output is None:
        _print_diff(stdout, result)
        return
    with open(os.devnull, "w") as devnull:
        console = Console(width=160, record=True, file=devnull)
        _print_diff(console, result)
    _emit(console.export_text(), output, inputs)


def _facts_or_error(source: FactsInput | FactsError, ruleset: Ruleset) -> Facts | str:
    try:
        if isinstance(source, FactsError):
            raise source
        return source.check(ruleset)
    except ScoringError as exc:
        return str(exc)


def _read_or_error(file: Path) -> FactsInput | FactsError:
    """A facts input read once (to be checked under two rulesets), or why it cannot be."""
    try:
        return read_facts_input(file)
    except FactsError as exc:
        return exc


def _print_diff(console: Console, result: RulesetDiff) -> None:
    if not result.changes:
        console.print(Text(f"{result.old} → {result.new}: no changes"))
    else:
        table = Table(title=f"{result.old} → {result.new}")
        for column in ("变化", "位置", "项目", "旧", "新"):
            table.add_column(column, overflow="fold")
        for change in result.changes:
            where = (
                change.path
                if change.area in ("indicator", "ruleset")
                else f"{change.area} {change.path}"
            )
            table.add_row(
                KIND_LABELS[change.kind],
                where,
                change.field or "",
                change.old or "",
                change.new or "",
            )
        console.print(table)
    if result.impact is None:
        return
    table = Table(title="对已评分单位的影响 (impact on scored units)")
    for column in ("文件", "单位", "旧总分", "旧等级", "新总分", "新等级", "变化"):
        table.add_column(column, overflow="fold")
    for unit in result.impact:
        delta = "" if unit.change is None else f"{unit.change:+}"
        table.add_row(
            unit.file,
            unit.subject,
            _or_dash(unit.old_total),
            unit.old_grade or "—",
            _or_dash(unit.new_total),
            unit.new_grade or "—",
            delta if unit.error is None else f"error: {unit.error}",
        )
    console.print(table)


def _or_dash(value: object) -> str:
    return "—" if value is None else str(value)


@app.command()
@_handled
def batch(
    ruleset: Annotated[
        str,
        typer.Argument(
            help="A ruleset file, or id@version (a bare id picks the newest).", metavar="RULESET"
        ),
    ],
    paths: Annotated[
        list[Path],
        typer.Argument(
            help="Facts files, directories of them, or one CSV or XLSX table with a row per unit.",
            metavar="INPUT…",
        ),
    ],
    output: Annotated[
        Path | None,
        typer.Option(
            "-o",
            "--output",
            help="Write the summary to this file: .csv, .xlsx or .json.",
            dir_okay=False,
        ),
    ] = None,
    results: Annotated[
        Path | None,
        typer.Option(
            "--results",
            help="Also write each unit's result (as score --json) into this directory.",
            file_okay=False,
        ),
    ] = None,
    rulesets: RulesetsOption = None,
) -> None:
    """Score many units: one summary row each (total, grade, points lost per 一级, or the error).

    A bad unit never stops the others; the exit code is 1 when any failed.
    """
    suffix = output.suffix.lower() if output is not None else ""
    if output is not None and suffix not in batch_units.SUMMARY_SUFFIXES:
        _fail(f"error: -o {output}: give a .csv, .xlsx or .json file for the summary", 2)
    loaded = load_ruleset(ruleset, rulesets or ())
    units, read = _batch_units(paths, loaded)
    inputs = (*read, *(Path(name) for name in loaded._files))
    if output is not None and any(output.resolve() == path.resolve() for path in inputs):
        _fail(f"error: -o {output} is one of the input files; choose another output file", 2)
    if results is not None:
        results.mkdir(parents=True, exist_ok=True)
    rows, taken = [], set[str]()
    for unit in _tracked(units):
        scored = batch_units.score_unit(unit, loaded)
        if scored.result is not None and results is not None:
            name = batch_units.result_name(scored, taken)
            write_atomic(results / name, render_json(scored.result), inputs)
        for finding in scored.result.findings if scored.result is not None else ():
            if finding.code == "ruleset_mismatch":
                stderr.print(Text(f"warning: {unit.source}: {finding.message}"))
        rows.append(batch_units.summary_row(scored))
    summary = batch_units.summarise(loaded, rows)
    for row in summary.rows:
        if row.error is not None:
            at = "" if row.error.startswith(row.source) else f"{row.source}: "
            stderr.print(Text(f"{at}{row.error}"))
    if output is None:
        headers, cells = batch_units.summary_table(summary, count_problems=True)
        table = Table(title=f"{loaded.title}  {loaded.ref}")
        for header in headers:
            is_number = header == "总分" or header.endswith("失分")
            table.add_column(header, overflow="fold", justify="right" if is_number else "left")
        for cells_row in cells:
            table.add_row(*cells_row)
        _print_table(stdout, table)
    else:
        content = batch_units.render_summary(summary, suffix)
        if isinstance(content, str):
            write_atomic(output, content, inputs)
        else:
            _write_bytes_atomic(output, content, inputs)
        stderr.print(f"wrote {output}")
    if results is not None:
        stderr.print(f"wrote {len(taken)} results to {results}")
    stderr.print(Text(batch_units.grade_counts(summary)))
    if summary.failed:
        raise typer.Exit(1)


def _batch_units(paths: list[Path], ruleset: Ruleset) -> tuple[list[batch_units.Unit], list[Path]]:
    """The units to score, and the files they were read from.

    A unit given twice (say its facts file and its filled workbook) is scored once: the second
    is an error naming the first.
    """
    tables = [path for path in paths if _is_table(path)]
    if tables:
        if len(paths) > 1:
            _fail("error: give one CSV or XLSX table, or facts files and directories, not both", 2)
        check_file_size(tables[0].stat().st_size, str(tables[0]))  # before reading it whole
        units = batch_units.read_table(tables[0].read_bytes(), str(tables[0]), ruleset)
        return batch_units.mark_duplicates(units), tables
    units, files = [], []
    for path in paths:
        for file in facts_files(path) if path.is_dir() else _yaml_files(path):
            try:
                unit = batch_units.input_unit(read_facts_input(file))
            except FactsError as exc:  # too large, not UTF-8, not a workbook: that unit's error
                unit = batch_units.Unit(str(file), file.stem, issues=exc.issues)
            if path.is_dir() and _is_ruleset_data(unit.data):
                continue  # a ruleset kept beside the facts
            units.append(unit)
            files.append(file)
    if not units:
        _fail(f"error: no facts files in {' '.join(map(str, paths))}", 2)
    return batch_units.mark_duplicates(units), files


def _is_table(path: Path) -> bool:
    """A CSV file, or an XLSX file that is not a filled facts workbook (one unit)."""
    suffix = path.suffix.lower()
    if suffix not in batch_units.TABLE_SUFFIXES or not path.is_file():
        return False
    return suffix == ".csv" or not workbook.is_facts_workbook(path)


def _tracked(units: list[batch_units.Unit]) -> Iterator[batch_units.Unit]:
    """The units, with a progress bar on a terminal (none when stderr goes to a file or pipe)."""
    if not stderr.is_terminal:
        yield from units
        return
    columns = (TextColumn("scoring"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn())
    with Progress(*columns, console=stderr, transient=True) as progress:
        yield from progress.track(units)


def _write_bytes_atomic(path: Path, data: bytes, inputs: tuple[Path, ...]) -> None:
    """``write_atomic`` for bytes (a workbook): a temporary file renamed into place."""
    target = path.resolve()
    if any(target == source.resolve() for source in inputs):
        _fail(f"error: -o {path} is one of the input files; choose another output file", 2)
    temporary: str | None = None
    try:
        descriptor, temporary = tempfile.mkstemp(
            dir=target.parent, prefix=f".{target.name}.", suffix=".tmp"
        )
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temporary, target.stat().st_mode & 0o777 if target.exists() else 0o644)
        os.replace(temporary, target)
    except OSError as exc:
        _fail(f"error: cannot write {path}: {exc.strerror or exc}", 2)
    finally:
        if temporary is not None:
            Path(temporary).unlink(missing_ok=True)


@app.command()
@_handled
def template(
    ruleset: Annotated[str, typer.Argument(help="A ruleset file, or id@version.")],
    output: Annotated[
        Path | None,
        typer.Option("-o", "--output", help="Write to this file instead.", dir_okay=False),
    ] = None,
    output_format: Annotated[
        TemplateFormat | None,
        typer.Option(
            "--format",
            help="yaml (a facts file) or xlsx (a workbook to fill in, with -o only). Default: "
            "yaml, or xlsx when -o names a .xlsx file.",
            case_sensitive=False,
        ),
    ] = None,
    rulesets: RulesetsOption = None,
) -> None:
    """A facts file to fill in: every declared fact, with its label and unit as a comment.

    With --format xlsx, a workbook: a locked sheet where only the value cells take input, each
    checked for its type and bounds, and a sheet explaining every indicator's 评分标准.
    """
    fmt = output_format or (TemplateFormat.XLSX if _is_workbook(output) else TemplateFormat.YAML)
    if fmt == TemplateFormat.XLSX and output is None:
        _fail("error: --format xlsx writes a workbook: give -o FILE.xlsx (not a terminal)", 2)
    loaded: Ruleset = load_ruleset(ruleset, rulesets or ())
    inputs = tuple(Path(name) for name in loaded._files)
    if fmt == TemplateFormat.XLSX:
        assert output is not None
        _write_workbook(output, workbook.render_template_xlsx(loaded), inputs)
        return
    _emit(render_template(loaded), output, inputs)


@app.command()
@_handled
def schema(
    directory: Annotated[
        Path, typer.Option("--directory", "-d", help="Where to write the schemas.", file_okay=False)
    ] = Path("schemas"),
) -> None:
    """Write the JSON Schemas of rulesets, facts and results (for editors and other tools)."""
    directory.mkdir(parents=True, exist_ok=True)
    for name, text in schemas().items():
        write_atomic(directory / name, text)
        stderr.print(f"wrote {directory / name}")


@app.command()
def version() -> None:
    """Print the engine's name and version."""
    from scoring.engine import ENGINE_NAME, ENGINE_VERSION

    sys.stdout.write(f"{ENGINE_NAME} {ENGINE_VERSION}\n")


@app.command()
@_handled
def verify(
    paths: Annotated[
        list[Path],
        typer.Argument(
            help="A result JSON file, or a directory of them; with --claimed: [RULESET] FACTS "
            "(FACTS: YAML, JSON or a filled facts workbook).",
            metavar="RESULT|DIR|[RULESET] FACTS",
        ),
    ],
    claimed: Annotated[
        Path | None,
        typer.Option(
            "--claimed",
            help="A unit's own figures (scores per indicator path, total, grade) to check.",
            dir_okay=False,
        ),
    ] = None,
    rulesets: RulesetsOption = None,
) -> None:
    """Re-score a submission and list every figure that does not follow from the rules and facts.

    `scoring verify RESULT.json` re-scores a result's embedded facts under the exact ruleset
    (found by id, version and fingerprint); `scoring verify DIR` does so for every result in DIR;
    `scoring verify --claimed CLAIMS.yaml [RULESET] FACTS` checks a table typed from a report.
    Exit 0 when everything agrees, 1 otherwise.
    """
    registry = Registry(rulesets or ())
    if claimed is not None:
        if len(paths) not in (1, 2):
            _fail("Usage: scoring verify --claimed CLAIMS.yaml [RULESET] FACTS", 2)
        first, second = str(paths[0]), (paths[1] if len(paths) == 2 else None)
        command = f"scoring verify --claimed {claimed}"
        ruleset, source, _path = _ruleset_and_facts(first, second, rulesets, command)
        result = score_facts(ruleset, source.check(ruleset))
        scores, total, grade = _load_claims(claimed)
        check = Verification(result.subject_text, ruleset.ref)
        check.differences = compare_claims(scores, total, grade, result)
        _print_verification(stdout, str(claimed), check)
        if not check.agrees:
            raise typer.Exit(1)
        return
    if len(paths) != 1:
        _fail(
            "Usage: scoring verify RESULT.json | DIR  (or --claimed CLAIMS.yaml [RULESET] FACTS)",
            2,
        )
    target = paths[0]
    if not target.exists():
        _fail(f"error: {target}: no such file or directory", 2)
    files = sorted(target.glob("*.json")) if target.is_dir() else [target]
    checks = [(file, _verify_result(file, registry)) for file in files]
    for file, check in checks:
        _print_verification(stdout, str(file), check)
    failed = sum(not check.agrees for _, check in checks)
    if target.is_dir():
        stderr.print(f"{len(checks)} results: {len(checks) - failed} agree, {failed} do not")
    if failed:
        raise typer.Exit(1)


def _verify_result(file: Path, registry: Registry) -> Verification:
    """One result file re-scored; any problem reading it is part of the verification."""
    try:
        claimed = json.loads(file.read_text(encoding="utf-8"))
        info = claimed["ruleset"]
        ref = f"{info['id']}@{info['version']}"
        subject = subject_line(
            {str(key): str(value) for key, value in dict(claimed.get("subject") or {}).items()}
        )
    except (OSError, ValueError, KeyError, TypeError) as exc:
        return Verification("", "", [f"not a result written by scoring score --json ({exc})"])
    check = Verification(subject, ref)
    try:
        ruleset = _parse_entry(registry, ref)
        facts = facts_from_record(claimed.get("facts") or {}, ruleset, str(file))
        audit = audit_from_record(claimed.get("audit_overrides") or {})
        check.problems = check_provenance(claimed, ruleset, facts)
        check.differences = compare_result(claimed, score_facts(ruleset, facts, audit))
    except ScoringError as exc:
        check.problems.append(str(exc))
    except ValueError as exc:  # a pydantic ValidationError: an override edited into nonsense
        check.problems.append(f"the result's facts cannot be read: {exc}")
    return check


def _parse_entry(registry: Registry, ref: str) -> Ruleset:
    entry = registry.find(ref)
    return parse_ruleset(read_text(entry.path), str(entry.path), registry.parent)


def _load_claims(path: Path) -> tuple[dict[str, Any], Any, Any]:
    data = parse_yaml(read_text(path, FactsError), str(path), FactsError)
    where = SourceLocation(str(path), 1, 1)
    if not isinstance(data, dict):
        raise FactsError([Issue("a claims file is a mapping: scores, total, grade", where)])
    unknown = [key for key in data if key not in ("subject", "scores", "total", "grade")]
    if unknown:
        hint = suggest(unknown[0], ["subject", "scores", "total", "grade"])
        location = locate(data, (unknown[0],), key=True) or where
        raise FactsError([Issue(f"unknown key{hint}", location, field=unknown[0])], str(path))
    scores = data.get("scores") or {}
    if not isinstance(scores, dict):
        location = locate(data, ("scores",)) or where
        message = "expected indicator paths with the 得分 the report gives"
        raise FactsError([Issue(message, location, field="scores")], str(path))
    return dict(scores), data.get("total"), data.get("grade")


def _print_table(console: Console, table: Table) -> None:
    """A terminal folds a table to its width; a file or pipe gets it whole, a row a line."""
    if console is not stdout or stdout.is_terminal:
        console.print(table)
        return
    whole = stdout.measure(table, options=stdout.options.update_width(10_000)).maximum
    Console(highlight=False, width=whole).print(table)


def _print_verification(console: Console, name: str, check: Verification) -> None:
    verdict = "agrees" if check.agrees else "does not agree"
    who = f" {check.subject}" if check.subject else ""
    under = f" under {check.ruleset}" if check.ruleset else ""
    console.print(Text(f"{name}:{who}{under}: {verdict}"), soft_wrap=True)
    for problem in check.problems:
        console.print(Text(f"  ! {problem}"), soft_wrap=True)
    if not check.differences:
        return
    table = Table(show_lines=False)
    for column in ("指标", "报告/结果", "重算", "依据"):
        table.add_column(column, overflow="fold")
    for difference in check.differences:
        label = f"{difference.path} {difference.name}".strip()
        table.add_row(label, difference.claimed, difference.recomputed, difference.rule)
    _print_table(console, table)


@app.command()
@_handled
def gap(
    ruleset: Annotated[
        str,
        typer.Argument(
            help="A ruleset file, or id@version. Leave it out to use the ruleset the facts name.",
            metavar="RULESET",
        ),
    ],
    facts: Annotated[
        Path | None,
        typer.Argument(
            help="The facts file (YAML or JSON), or a filled facts workbook (.xlsx).",
            dir_okay=False,
            metavar="FACTS",
        ),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print it as JSON.")] = False,
    rulesets: RulesetsOption = None,
) -> None:
    """What stands between a unit and the next grade, and the fact values that recover points.

    `scoring gap RULESET FACTS`, or `scoring gap FACTS` when the facts name their ruleset.
    A planning aid: it never changes a score.
    """
    loaded, source, _path = _ruleset_and_facts(ruleset, facts, rulesets, "scoring gap")
    found = find_gap(loaded, source.check(loaded))
    if as_json:
        data = found.model_dump(mode="json")
        sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True) + "\n")
        return
    _print_gap(stdout, found)


def _print_gap(console: Console, found: Gap) -> None:
    grade = f" {found.grade}" if found.grade else ""
    console.print(Text(f"总分 {found.total}{grade}"), soft_wrap=True)
    if found.next_grade is None:
        console.print(Text("no higher grade to reach"), soft_wrap=True)
    else:
        console.print(
            Text(f"{found.next_grade} from {found.next_threshold}: {found.missing} points missing"),
            soft_wrap=True,
        )
    if found.recoveries:
        table = Table(title="可恢复的分数 (points a fact value would recover)")
        for column in ("指标", "失分", "调整", "可恢复", "总分变化"):
            table.add_column(column, overflow="fold")
        for entry in found.recoveries:
            change = f"{entry.fact} {_value(entry.current)} → {_value(entry.proposed)}"
            if entry.item:
                change = f"{entry.item}: {change}"
            if entry.note:
                change += f"\n({entry.note})"
            label = f"{entry.path} {entry.name}"
            table.add_row(
                label, str(entry.lost), change, str(entry.recovers), f"{entry.total_change:+}"
            )
        console.print(table)
    if found.judgements:
        table = Table(title="需要判断的指标 (judgement calls)")
        for column in ("指标", "失分", "原因"):
            table.add_column(column, overflow="fold")
        for call in found.judgements:
            table.add_row(f"{call.path} {call.name}", str(call.lost), call.why)
        console.print(table)


def _value(value: bool | Decimal) -> str:
    if isinstance(value, bool):
        return "是" if value else "否"
    return format(value, "f")


def main(argv: list[str] | None = None) -> None:
    """Run the command line; exit 0, 1 (bad input) or 2 (usage, unreadable file)."""
    app(args=argv, prog_name="scoring")
