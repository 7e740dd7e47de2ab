"""`scoring test`: the worked examples (tests:) that rulesets carry, run."""

from __future__ import annotations

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
    _registry,
    _review_tests,
    _ruleset_tests,
    _rulesets,
    bars,
)
from scoring.cli.options import AllowShadowOption, RulesetsOption
from scoring.errors import ExitCode, RulesetError, SearchPathError
from scoring.i18n import N_, _, ngettext


@app.command("test")
@handled
def run_worked_examples(
    paths: Annotated[
        list[Path],
        typer.Argument(help=N_("Ruleset files, or directories of them."), metavar="RULESET…"),
    ],
    rulesets: RulesetsOption = None,
    allow_shadow: AllowShadowOption = False,
) -> None:
    """Run the worked examples (tests:) that rulesets carry; report each failing expectation.

    Exit 0 when every example passes, 1 when one fails or a ruleset is invalid, 2 when a ruleset
    could not be checked (a ruleset it extends is missing, or two different files give it).
    """
    files = sorted({file for path in paths for file in yaml_files(path)})
    directories = [path for path in paths if path.is_dir()]
    registry = _registry.Registry([*directories, *(rulesets or ())], allow_shadow=allow_shadow)
    passed = failed = invalid = unchecked = found = 0
    for file in bars.progress_bar(files, _("testing")):
        try:
            if _facts.is_workbook_file(file):
                continue  # a filled facts workbook: facts, no worked examples
            source = _claims.ruleset_source(file)
            if source is None:
                continue  # a facts file in the same directory
            text, data = source
            found += 1
            outcomes = _review_tests.review_file_tests(text, str(file), registry.parent, data)
            if outcomes is None:
                outcomes = _audit_tests.audit_file_tests(text, str(file), registry, data)
            if outcomes is None:  # a scoring ruleset, not a review or audit one
                loaded = _rulesets.parse_ruleset(text, str(file), registry.parent)
                outcomes = _ruleset_tests.run_tests(loaded)
        except OSError as exc:
            message = _("error: cannot read {file}: {reason}")
            fail(message.format(file=file, reason=os_reason(exc)), ExitCode.NOT_CHECKED)
        except SearchPathError as exc:
            unchecked += 1
            consoles.stderr.print(
                Text(_("{file}: cannot run its worked examples").format(file=file))
            )
            consoles.stderr.print(Text("\n".join(map(str, exc.issues))))
            continue
        except RulesetError as exc:
            invalid += 1
            consoles.stderr.print(Text(str(exc)))
            continue
        if not outcomes:
            consoles.stderr.print(Text(_("warning: {file}: no tests").format(file=file)))
        for outcome in outcomes:
            if outcome.passed:
                passed += 1
            else:
                failed += 1
                consoles.stderr.print(Text(str(outcome)))
    if not found and not invalid:
        fail(
            _("error: no rulesets in {paths}").format(paths=" ".join(map(str, paths))),
            ExitCode.NOT_CHECKED,
        )
    tests = ngettext("{count} test", "{count} tests", passed + failed).format(count=passed + failed)
    summary = _("{tests}: {passed} passed, {failed} failed").format(
        tests=tests, passed=passed, failed=failed
    )
    if invalid:
        summary += ngettext(
            "; {count} ruleset with problems, not run", "; {count} rulesets with problems, not run",
            invalid,
        ).format(count=invalid)  # fmt: skip
    if unchecked:
        summary += ngettext(
            "; {count} ruleset could not be checked", "; {count} rulesets could not be checked",
            unchecked,
        ).format(count=unchecked)  # fmt: skip
    if failed or invalid:  # 1 before 2, as lint and verify do
        fail(summary, ExitCode.FOUND_WANTING)
    if unchecked:
        fail(summary, ExitCode.NOT_CHECKED)
    consoles.stderr.print(summary)
