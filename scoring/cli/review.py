"""`scoring review`: target tables (绩效目标申报表) checked by review rules, and approved."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.text import Text

from scoring.cli import consoles
from scoring.cli.application import app
from scoring.cli.exits import fail, handled
from scoring.cli.lazy import (
    _approved,
    _registry,
    _review,
    _review_rules,
    _review_view,
    _ruleset_tests,
    _rulesets,
    _target_workbook,
    _target_workbook_form,
    _targets,
)
from scoring.cli.options import RulesetsOption, output_option
from scoring.cli.writing import check_output, is_stdout, write_output
from scoring.errors import ExitCode, RulesetError, TargetsError
from scoring.i18n import N_, _, ngettext

DEFAULT_RULES = "mof.project-targets-review"
"""The shipped review ruleset, its newest version, unless --rules names another."""


@app.command()
@handled
def review(
    tables: Annotated[
        list[Path] | None,
        typer.Argument(
            help=N_(
                "Target tables (YAML, or workbooks filled from --template), or directories of "
                "them: reviewed together, so text copied between units is found."
            ),
            metavar="TABLE…",
        ),
    ] = None,
    rules: Annotated[
        str,
        typer.Option(
            "--rules",
            help=N_("The review ruleset: a file, or id@version (kind: review)."),
            metavar="RULESET",
        ),
    ] = DEFAULT_RULES,
    history: Annotated[
        Path | None,
        typer.Option(
            "--history",
            help=N_("Earlier years' completed values (name, year, value), for the 历史标准 rule."),
            dir_okay=False,
        ),
    ] = None,
    output: Annotated[
        Path | None,
        output_option(N_("Write the findings to this file: .txt, .json or .xlsx.")),
    ] = None,
    ruleset_out: Annotated[
        Path | None,
        typer.Option(
            "--ruleset-out",
            help=N_(
                "Write the unit's ruleset for the year (.yaml): the approved targets filled "
                "into the template the table extends. One table, without errors."
            ),
            dir_okay=False,
        ),
    ] = None,
    template: Annotated[
        Path | None,
        typer.Option(
            "--template",
            help=N_("Write the blank target table workbook (.xlsx) departments fill, and stop."),
            dir_okay=False,
        ),
    ] = None,
    rulesets: RulesetsOption = None,
) -> None:
    """Review target tables (绩效目标申报表) against a review ruleset: every finding, located.

    Each finding names its cell, its rule, its severity (错误 or 警告) and says why in Chinese.
    With --ruleset-out, a table without errors becomes the ruleset its self-evaluation is scored
    with. Exit 0 when no finding is an error, 1 when one is (or a file is not what it should
    be), 2 when a file cannot be read or the rules cannot be found.
    """
    if template is not None:
        _write_template(template, rules, rulesets)
        return
    files = sorted({file for path in tables or () for file in _table_files(path)})
    if not files:
        message = _("error: no target tables in {paths}")
        fail(message.format(paths=" ".join(map(str, tables or ()))), ExitCode.NOT_CHECKED)
    inputs = [*files, *([history] if history else [])]
    suffix = _findings_suffix(output, inputs)
    if ruleset_out is not None:
        _check_ruleset_out(ruleset_out, files, inputs)
    loaded = _review_rules.load_review_ruleset(rules, rulesets or ())
    read = [_targets.load_target_table(file) for file in files]
    earlier = None if history is None else _targets.load_history(history)
    findings = _review.review(loaded.ruleset, read, earlier)
    reviewed = _review_view.Reviewed(loaded.ruleset.ref, tuple(map(str, files)), findings)
    # the ruleset is made (or refused) before anything is written: all or nothing
    approved = None
    if ruleset_out is not None and not reviewed.errors:
        approved = _approved_text(read[0], loaded.ruleset.ref, ruleset_out, rulesets)
    write_output(output, _review_view.render_findings(reviewed, suffix), inputs, _("the findings"))
    summary = _summary(reviewed, len(files))
    if reviewed.errors:
        fail(summary, ExitCode.FOUND_WANTING)
    consoles.stderr.print(Text(summary))
    if approved is not None:
        write_output(ruleset_out, approved, inputs, _("the ruleset"))


def _table_files(path: Path) -> list[Path]:
    """A file as given; in a directory, its YAML files that are target tables."""
    if not path.is_dir():
        return [path]
    found = [file for file in _registry.yaml_files(path) if _targets.is_target_table_file(file)]
    books = [
        file for file in sorted(path.rglob("*.xlsx")) if _target_workbook.is_target_workbook(file)
    ]
    return found + books


def _write_template(output: Path, rules: str, rulesets: list[Path] | None) -> None:
    if output.suffix.lower() != ".xlsx":
        message = _("error: --template {output}: the blank target table is an .xlsx file")
        fail(message.format(output=output), ExitCode.NOT_CHECKED)
    check_output(output, (), _("the target table"))
    loaded = _review_rules.load_review_ruleset(rules, rulesets or ())
    form = _target_workbook_form.render_target_template(loaded.ruleset)
    write_output(output, form, (), _("the target table"))


def _findings_suffix(output: Path | None, inputs: list[Path]) -> str:
    if output is None or is_stdout(output):
        return ".txt"
    check_output(output, inputs, _("the findings"))
    suffix = output.suffix.lower()
    if suffix not in _review_view.FINDING_SUFFIXES:
        message = _("error: -o {output}: scoring review writes .txt, .json or .xlsx files")
        fail(message.format(output=output), ExitCode.NOT_CHECKED)
    return suffix


def _check_ruleset_out(path: Path, files: list[Path], inputs: list[Path]) -> None:
    if len(files) != 1:
        message = _("error: --ruleset-out takes one target table, found {count}")
        fail(message.format(count=len(files)), ExitCode.NOT_CHECKED)
    if path.suffix.lower() not in _registry.SUFFIXES:
        message = _("error: --ruleset-out {output}: a ruleset is a .yaml file")
        fail(message.format(output=path), ExitCode.NOT_CHECKED)
    check_output(path, inputs, _("the ruleset"))


def _summary(reviewed: _review_view.Reviewed, tables: int) -> str:
    counted = ngettext("{count} target table", "{count} target tables", tables)
    errors = ngettext("{count} error", "{count} errors", reviewed.errors)
    warnings = ngettext("{count} warning", "{count} warnings", reviewed.warnings)
    return _("{tables} reviewed under {rules}: {errors}, {warnings}").format(
        tables=counted.format(count=tables),
        rules=reviewed.ruleset,
        errors=errors.format(count=reviewed.errors),
        warnings=warnings.format(count=reviewed.warnings),
    )


def _approved_text(
    table: _review_view.TableInput, rules: str, output: Path, rulesets: list[Path] | None
) -> str:
    """The approved table as the unit's ruleset, checked and its worked example run."""
    source = f"{table.file} ({rules})"
    text = _approved.approved_ruleset(
        table, lambda ref: _rulesets.load_ruleset(ref, rulesets or ()), source
    )
    registry = _registry.Registry(rulesets or ())
    try:
        ruleset = _rulesets.parse_ruleset(text, str(output), registry.parent)
    except RulesetError as exc:  # the table's monitoring or tests, carried over
        issues = _approved.placed_in_table(table, text, exc.issues)
        raise TargetsError(issues, table.file) from exc
    for outcome in _ruleset_tests.run_tests(ruleset):
        if not outcome.passed:  # the template asks for facts the table does not give
            message = _("error: the ruleset written from {table} does not pass its own example")
            issues = _approved.placed_in_table(
                table, text, _ruleset_tests.failure_issues([outcome])
            )
            said = "\n".join(str(issue) for issue in issues)
            fail(f"{message.format(table=table.file)}\n{said}", ExitCode.FOUND_WANTING)
    return text
