"""`scoring lint`: rulesets, facts files and claims checked, every problem at once."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Annotated

import typer
from rich.text import Text

from scoring.cli import consoles
from scoring.cli.application import app
from scoring.cli.exits import fail, handled
from scoring.cli.inputs import yaml_files
from scoring.cli.language import os_reason
from scoring.cli.lazy import (
    _audit_tests,
    _claims,
    _facts,
    _filled_workbook,
    _models,
    _monitoring,
    _registry,
    _review_tests,
    _ruleset_tests,
    _rulesets,
    bars,
)
from scoring.cli.options import AllowShadowOption, RulesetsOption
from scoring.errors import (
    ExitCode,
    FactsError,
    Issue,
    RulesetError,
    SearchPathError,
    SourceLocation,
)
from scoring.i18n import N_, _, ngettext
from scoring.model.located import LocatedDict, locate


@app.command()
@handled
def lint(
    paths: Annotated[
        list[Path],
        typer.Argument(
            help=N_(
                "Rulesets, facts files (YAML, JSON, filled facts workbooks) and claims files, "
                "or directories of them (results in a directory are left to scoring verify)."
            )
        ),
    ],
    rulesets: RulesetsOption = None,
    allow_shadow: AllowShadowOption = False,
) -> None:
    """Check rulesets, facts files (against the ruleset they name) and claims: every problem.

    The rulesets in a directory given are on the search path, so one that extends another beside
    it is checked against it. Exit 0 when all is well, 1 when a file has problems, 2 when a file
    could not be checked (a ruleset it needs is missing, or two different files give it).
    """
    files = sorted(
        {file for path in paths for file in _lint_files(path)}
        | {book for path in paths if path.is_dir() for book in _facts_workbooks(path)}
    )
    if not files:
        message = _("error: no ruleset, facts, claims or result files in {paths}")
        fail(message.format(paths=" ".join(map(str, paths))), ExitCode.NOT_CHECKED)
    directories = [path for path in paths if path.is_dir()]
    registry = _registry.Registry([*directories, *(rulesets or ())], allow_shadow=allow_shadow)
    failed = unchecked = skipped = 0
    warned: set[tuple[Path, int, int, str]] = set()  # a parent's warning once, not once per child
    for file in bars.progress_bar(files, _("checking")):
        linted = _lint_file(file, registry)
        if linted.note is not None:
            skipped += 1
            consoles.stderr.print(
                Text(_("note: {file}: {note}").format(file=file, note=linted.note))
            )
            continue
        if linted.unchecked:
            unchecked += 1
            consoles.stderr.print(Text(_("{file}: cannot check").format(file=file)))
        elif linted.problems:
            failed += 1
            count = len(linted.problems)
            header = ngettext("{file}: {count} problem", "{file}: {count} problems", count)
            consoles.stderr.print(Text(header.format(file=file, count=count)))
        for issue in linted.unchecked or linted.problems:
            consoles.stderr.print(Text(str(issue)))
        for warning in linted.warnings:
            at = warning.location
            key = (
                (Path(at.file).resolve(), at.line, at.column, str(warning))
                if at
                else (file, 0, 0, str(warning))
            )
            if key not in warned:
                warned.add(key)
                consoles.stderr.print(Text(_("warning: {warning}").format(warning=warning)))
    _lint_summary(len(files) - skipped, failed, unchecked, len(warned), skipped)


def _lint_summary(checked: int, failed: int, unchecked: int, warned: int, skipped: int) -> None:
    """The last line of lint, and its exit: 2 when a file could not be checked, 1 for problems."""
    files = ngettext("{count} file", "{count} files", checked).format(count=checked)
    if failed and unchecked:
        text = _("{failed} of {files} with problems, {unchecked} could not be checked")
    elif failed:
        text = _("{failed} of {files} with problems")
    elif unchecked:
        text = _("{unchecked} of {files} could not be checked")
    else:
        text = _("{files} checked, no problems")
    text = text.format(files=files, failed=failed, unchecked=unchecked)
    if warned:
        text += ngettext(", {count} warning", ", {count} warnings", warned).format(count=warned)
    if skipped:
        text += _(", {count} skipped").format(count=skipped)
    if failed:  # 1 before 2: a file found wanting never hides behind one that could not be checked
        fail(text, ExitCode.FOUND_WANTING)
    if unchecked:
        fail(text, ExitCode.NOT_CHECKED)
    consoles.stderr.print(Text(text))


def _facts_workbooks(directory: Path) -> list[Path]:
    """The filled facts workbooks in a directory: XLSX files with a facts sheet.

    One too large to tell is listed too, to be refused when it is checked.
    """
    found = []
    for file in _facts.facts_files(directory):
        if file.suffix.lower() != ".xlsx":
            continue
        try:
            if _filled_workbook.is_facts_workbook(file):
                found.append(file)
        except FactsError:
            found.append(file)
    return found


def _lint_files(path: Path) -> list[Path]:
    """The files lint reads: a file as given; in a directory, YAML and JSON files not hidden."""
    if not path.is_dir():
        return yaml_files(path)
    return sorted(
        file
        for file in path.rglob("*")
        if file.suffix.lower() in (*_registry.SUFFIXES, ".json")
        and file.is_file()
        and not any(part.startswith(".") for part in file.relative_to(path).parts)
    )


@dataclass(frozen=True)
class _Linted:
    """What lint found in one file: problems, or why it could not be checked, or a note."""

    problems: tuple[Issue, ...] = ()
    warnings: tuple[Issue, ...] = ()
    unchecked: tuple[Issue, ...] = ()
    note: str | None = None


def _lint_file(file: Path, registry: _registry.Registry) -> _Linted:
    """One file, read once, checked as what it is; a ruleset's worked examples are run too."""
    try:
        document = _claims.read_document(file)
    except OSError as exc:
        message = _("cannot read {file}: {reason}").format(file=file, reason=os_reason(exc))
        return _Linted(unchecked=(Issue(message),))
    except (RulesetError, FactsError) as exc:
        return _Linted(problems=exc.issues)
    notes = {
        "result": _("a result of scoring score, skipped: check it with scoring verify {file}"),
        "overrides": _("an auditor's overrides, skipped: they are checked by scoring score "
                       "--overrides {file}"),
        "targets": _("a target table, skipped: check it with scoring review {file}"),
        "other": _("not a ruleset, facts, claims or result file, skipped"),
    }  # fmt: skip
    if document.kind in notes:
        return _Linted(note=notes[document.kind].format(file=file))
    try:
        if document.kind == "claims":
            _claims.claims_from(document.data, str(file))
            return _Linted()
        if document.facts is not None:
            named = _rulesets.load_named_ruleset(
                document.facts, registry.directories, allow_shadow=registry.allow_shadow
            )
            if "as_of" in document.facts.data:  # monitoring facts (scoring monitor)
                _monitoring.check_monitor_facts(document.facts, named)
            else:
                document.facts.check(named)
            return _Linted()
        reviewed = _review_tests.review_file_tests(
            document.text, str(file), registry.parent, document.data
        )
        if reviewed is not None:
            return _Linted(problems=_ruleset_tests.failure_issues(reviewed))
        audited = _audit_tests.audit_file_tests(document.text, str(file), registry, document.data)
        if audited is not None:
            return _Linted(problems=_ruleset_tests.failure_issues(audited))
        loaded = _rulesets.parse_ruleset(document.text, str(file), registry.parent)
    except SearchPathError as exc:
        return _Linted(unchecked=exc.issues)
    except (RulesetError, FactsError) as exc:
        return _Linted(problems=exc.issues)
    except OSError as exc:
        message = _("cannot read {file}: {reason}").format(
            file=exc.filename or file, reason=os_reason(exc)
        )
        return _Linted(unchecked=(Issue(message),))
    failures = _ruleset_tests.failure_issues(_ruleset_tests.run_tests(loaded))
    from scoring.load.in_force import overlaps  # here: only a ruleset's lint needs it

    overlapping = overlaps(loaded.effective, loaded.ref, file, document.data, registry)
    return _Linted(problems=(*_clashes(file, document.data, loaded, registry), *overlapping,
                             *failures), warnings=loaded.origin.warnings)  # fmt: skip


def _clashes(
    file: Path, data: LocatedDict, loaded: _models.Ruleset, registry: _registry.Registry
) -> list[Issue]:
    """A problem for each other file that gives this ruleset's id@version different rules."""
    real = file.resolve()
    found = registry.candidates_of(loaded.id).get((loaded.id, loaded.version), [])
    entry = next((each for each in found if each.path.resolve() == real), None)
    entry = entry or _registry.Entry(loaded.id, loaded.version, file, _registry.digest(data))
    where = locate(data, ("version",)) or locate(data, ("id",)) or SourceLocation(str(file), 1, 1)
    return [
        Issue(_registry.clash_message(entry, other), where, field="version")
        for other in registry.clashes(entry)
    ]
