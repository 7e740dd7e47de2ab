"""`scoring verify`: a submission re-scored; it agrees, does not agree, or cannot be checked."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table
from rich.text import Text

from scoring.cli import consoles
from scoring.cli.application import app
from scoring.cli.exits import fail, handled
from scoring.cli.inputs import ruleset_and_facts, signing_key, trusted_key
from scoring.cli.language import os_reason
from scoring.cli.lazy import (
    _claims,
    _compare,
    _engine,
    _models,
    _registry,
    _results,
    _rulesets,
    _verify,
    bars,
    signing,
)
from scoring.cli.options import AllowShadowOption, RulesetsOption
from scoring.cli.writing import make_directory, write_atomic
from scoring.errors import ExitCode, FactsError, Issue, ResultError, RulesetError
from scoring.i18n import N_, _, ngettext


@app.command()
@handled
def verify(
    paths: Annotated[
        list[Path],
        typer.Argument(
            help=N_(
                "A result JSON file, or a directory of them; with --claimed: [RULESET] FACTS "
                "(FACTS: YAML, JSON or a filled facts workbook)."
            ),
            metavar="RESULT|DIR|[RULESET] FACTS",
        ),
    ],
    claimed: Annotated[
        Path | None,
        typer.Option(
            "--claimed",
            help=N_("A unit's own figures (subject, scores per indicator path, total, grade)."),
            dir_okay=False,
        ),
    ] = None,
    trust: Annotated[
        list[Path] | None,
        typer.Option(
            "--trust",
            help=N_(
                "A public key (NAME.pub) whose signatures you trust (repeatable): say who "
                "signed each result, and refuse one that no trusted key signed or whose "
                "signature does not match."
            ),
            dir_okay=False,
            metavar="PUBKEY",
        ),
    ] = None,
    sign: Annotated[
        Path | None,
        typer.Option(
            "--sign",
            help=N_(
                "Sign each result that agrees with this private key (NAME.key), into --signed-to."
            ),
            dir_okay=False,
            metavar="KEY",
        ),
    ] = None,
    signed_to: Annotated[
        Path | None,
        typer.Option(
            "--signed-to",
            help=N_(
                "With --sign: write each result that agrees, your signature added, into this "
                "directory (the results given are never changed)."
            ),
            file_okay=False,
            metavar="DIR",
        ),
    ] = None,
    rulesets: RulesetsOption = None,
    allow_shadow: AllowShadowOption = False,
) -> None:
    """Re-score a submission: it agrees, does not agree, or cannot be checked, and why.

    `scoring verify RESULT.json` re-scores the facts a result carries under the exact ruleset
    (found by id, version and fingerprint) and compares the whole result, field by field;
    `scoring verify DIR` does so for every result in DIR; `scoring verify --claimed CLAIMS.yaml
    [RULESET] FACTS` checks a table typed from a report. Exit 0 when all agree; 1 when any does not
    agree (a difference, a record that is not a result, a signature that does not match); else 2
    when any cannot be checked (its ruleset is missing, unreadable, or another file with the same
    id@version). Agreement shows consistency, not origin: only --trust checks who signed a result.
    """
    registry = _registry.Registry(rulesets or (), allow_shadow=allow_shadow)
    if (sign is None) != (signed_to is None):
        message = _(
            "error: --sign and --signed-to go together: sign each result that agrees into DIR"
        )
        fail(message, ExitCode.NOT_CHECKED)
    if claimed is not None:
        if sign is not None or trust:
            fail(
                _("error: --sign and --trust are for result files, not claims"),
                ExitCode.NOT_CHECKED,
            )
        _verify_claims(claimed, paths, registry)
        return
    if len(paths) != 1:
        usage = "scoring verify RESULT.json | DIR  (or --claimed CLAIMS.yaml [RULESET] FACTS)"
        fail(_("Usage: {usage}").format(usage=usage), ExitCode.NOT_CHECKED)
    target = paths[0]
    if not target.exists():
        fail(
            _("error: {file}: no such file or directory").format(file=target), ExitCode.NOT_CHECKED
        )
    files = sorted(target.glob("*.json")) if target.is_dir() else [target]
    if not files:
        fail(
            _("error: no result files (*.json) in {folder}").format(folder=target),
            ExitCode.NOT_CHECKED,
        )
    trusted = [trusted_key(path) for path in trust or []]
    key = signing_key(sign) if sign is not None else None
    if signed_to is not None:
        if any((signed_to / file.name).resolve() == file.resolve() for file in files):
            message = _(
                "error: --signed-to {folder} holds the results given: choose another folder"
            )
            fail(message.format(folder=signed_to), ExitCode.NOT_CHECKED)
        make_directory(signed_to)
    find = _ruleset_finder(registry)
    verdicts, unproven = [], False
    for file in bars.progress_bar(files, _("verifying")):
        check, text = _verify_file(file, find, trusted)
        verdicts.append(check.verdict)
        _print_verification(consoles.stdout, str(file), check)
        unproven = unproven or (check.agrees and not check.signed_by)
        if key is not None and signed_to is not None and check.agrees and text is not None:
            written = signed_to / file.name
            write_atomic(written, signing.sign_text(text, key), (*files, *(p for p in [sign] if p)))
            consoles.stderr.print(Text(_("wrote {file}").format(file=written)))
    if target.is_dir():
        consoles.stderr.print(Text(_verdict_counts(verdicts)))
    if unproven:
        consoles.stdout.print(Text(_origin_note()), soft_wrap=True)
    code = _verify.exit_code(verdicts)
    if code:
        raise typer.Exit(code)


def _origin_note() -> str:
    """What an "agrees" without a trusted signature does and does not say."""
    return _(
        "note: checked for consistency, not origin: a result that agrees follows from its rules "
        "and facts, but anybody can edit a result and compute its fingerprints again. To know who "
        "wrote it, have results signed (scoring keys new, --sign) and verify with --trust KEY.pub"
    )


def _verdict_counts(verdicts: list[_verify.Verdict]) -> str:
    """``43 results: 40 agree, 1 does not agree, 2 cannot be checked``."""
    total = len(verdicts)
    agree, disagree, unchecked = (
        verdicts.count(kind)
        for kind in (
            _verify.Verdict.AGREES,
            _verify.Verdict.DOES_NOT_AGREE,
            _verify.Verdict.CANNOT_BE_CHECKED,
        )
    )
    return _("{results}: {agree}, {disagree}, {unchecked}").format(
        results=ngettext("{count} result", "{count} results", total).format(count=total),
        agree=ngettext("{count} agrees", "{count} agree", agree).format(count=agree),
        disagree=ngettext("{count} does not agree", "{count} do not agree", disagree).format(
            count=disagree
        ),
        unchecked=ngettext(
            "{count} cannot be checked", "{count} cannot be checked", unchecked
        ).format(count=unchecked),
    )


def _verify_file(
    file: Path, find: Callable[[str], _models.Ruleset], trusted: list[signing.TrustedKey]
) -> tuple[_verify.Verification, str | None]:
    """One result file checked, and its text; a file that cannot be read cannot be checked."""
    try:
        text = _registry.read_text(file, ResultError)
    except ResultError as exc:  # too large, or not UTF-8: not a result scoring writes
        return _verify.Verification("", "", errors=exc.issues), None
    except OSError as exc:
        reason = os_reason(exc)
        message = _("cannot read {file}: {reason}").format(file=file, reason=reason)
        return _verify.Verification("", "", unchecked=message), None
    return _verify.verify_result(text, str(file), find, trusted), text


def _ruleset_finder(registry: _registry.Registry) -> Callable[[str], _models.Ruleset]:
    """``id@version`` → the ruleset on the search path, each read once for a folder of results."""
    found: dict[str, _models.Ruleset | RulesetError | OSError] = {}

    def find(ref: str) -> _models.Ruleset:
        if ref not in found:
            try:
                entry = registry.find(ref)
                found[ref] = _rulesets.parse_ruleset(
                    _registry.read_text(entry.path), str(entry.path), registry.parent
                )
            except (RulesetError, OSError) as exc:
                found[ref] = exc
        outcome = found[ref]
        if isinstance(outcome, RulesetError | OSError):
            raise outcome
        return outcome

    return find


def _verify_claims(claimed: Path, paths: list[Path], registry: _registry.Registry) -> None:
    """`scoring verify --claimed CLAIMS [RULESET] FACTS`: the same three verdicts for a report."""
    if len(paths) not in (1, 2):
        usage = "scoring verify --claimed CLAIMS.yaml [RULESET] FACTS"
        fail(_("Usage: {usage}").format(usage=usage), ExitCode.NOT_CHECKED)
    first, second = str(paths[0]), (paths[1] if len(paths) == 2 else None)
    try:
        ruleset, source, facts_path = ruleset_and_facts(
            first,
            second,
            list(registry.directories),
            f"scoring verify --claimed {claimed}",
            registry.allow_shadow,
        )
    except (RulesetError, OSError) as exc:  # the rules cannot be had: nothing to check against
        reason = str(exc) if isinstance(exc, RulesetError) else f"{exc.filename}: {os_reason(exc)}"
        _print_verification(
            consoles.stdout, str(claimed), _verify.Verification("", "", unchecked=reason)
        )
        raise typer.Exit(ExitCode.NOT_CHECKED) from None
    facts = source.check(ruleset)
    claims = _claims.load_claims(claimed)
    mismatch = _compare.subject_mismatch(claims.subject, facts.subject)
    if mismatch:
        given = {key: str(value) for key, value in claims.subject.items() if value is not None}
        scored = _results.subject_line(facts.subject) or _("nobody (they name no subject)")
        message = _("these claims are for {claimed}, but the facts in {facts} are for {scored}")
        message = message.format(
            claimed=_results.subject_line(given), facts=facts_path, scored=scored
        )
        where = claims.where("subject", mismatch[0])
        raise FactsError([Issue(message, where, field="subject")], str(claimed))
    result = _engine.score(ruleset, facts)
    check = _verify.Verification(result.subject_text, ruleset.ref)
    check.differences = _compare.compare_claims(claims.scores, claims.total, claims.grade, result)
    if not claims.subject:
        message = _(
            "the claims name no subject (subject: {{unit: …, year: …}}): nothing shows they are "
            "this unit's"
        )
        check.notes.append(message)
    _print_verification(consoles.stdout, str(claimed), check)
    if check.verdict != _verify.Verdict.AGREES:
        raise typer.Exit(_verify.exit_code([check.verdict]))


def _print_verification(console: Console, name: str, check: _verify.Verification) -> None:
    """The verdict line, its reasons and notes, and the table of differences.

    A record that is not a result gets its located problems on stderr instead, like any input
    that cannot be read.
    """
    if check.errors:
        consoles.stderr.print(Text(str(ResultError(check.errors, name))))
        return
    verdict = check.verdict.text
    if check.agrees and check.signed_by:
        verdict = _("{verdict}, signed by {names}").format(
            verdict=verdict, names=", ".join(check.signed_by)
        )
    who = f" {check.subject}" if check.subject else ""
    under = _(" under {ruleset}").format(ruleset=check.ruleset) if check.ruleset else ""
    head = f"{name}:{who}{under}" if who or under else name
    console.print(Text(f"{head}: {verdict}"), soft_wrap=True)
    reasons = [*check.signature_problems, *([check.unchecked] if check.unchecked else [])]
    for reason in [*reasons, *check.problems]:
        console.print(Text(f"  ! {reason}"), soft_wrap=True)
    for note in check.notes:
        console.print(Text(f"  · {note}"), soft_wrap=True)
    if not check.differences:
        return
    table = Table(show_lines=False)
    for column in ("指标", "报告/结果", "重算", "依据"):
        table.add_column(column, overflow="fold")
    for difference in check.differences:
        label = f"{difference.path} {difference.name}".strip()
        if difference.field:
            label += f" · {difference.field}"
        cells = (label, difference.claimed, difference.recomputed, difference.rule)
        table.add_row(*(Text(cell) for cell in cells))  # data, never rich markup
    consoles.print_table(console, table)
