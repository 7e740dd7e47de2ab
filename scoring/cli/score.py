"""`scoring score`: a department's facts scored, in any format of the registry."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.text import Text

from scoring.cli import consoles
from scoring.cli.application import app
from scoring.cli.exits import fail, handled
from scoring.cli.inputs import ruleset_and_facts, signing_key
from scoring.cli.lazy import (
    _audit,
    _audit_rules,
    _engine,
    _overrides,
    _render,
    _render_report,
    _render_terminal,
    signing,
)
from scoring.cli.options import (
    AllowShadowOption,
    RulesetsOption,
    ScoreFormat,
    SignOption,
    choose_format,
    format_option,
    output_option,
)
from scoring.cli.writing import show, write_output
from scoring.errors import ExitCode
from scoring.i18n import N_, _

if TYPE_CHECKING:
    from scoring.model.facts import AuditOverrides, Facts
    from scoring.model.ruleset import Ruleset


def _score_format(
    chosen: ScoreFormat | None,
    as_json: bool,
    output: Path | None,
    inputs: Sequence[Path],
    what: str,
) -> ScoreFormat:
    """--format, else --json, else what -o's suffix says, else the text breakdown."""
    if as_json and chosen not in (None, "json"):
        message = _("error: --json is --format json: give one of --json and --format {format}")
        fail(message.format(format=chosen), ExitCode.NOT_CHECKED)
    asked = chosen.value if chosen is not None else "json" if as_json else None
    option = "--json" if as_json and chosen is None else "--format"
    fmt = ScoreFormat(
        choose_format(
            "score", output, list(ScoreFormat), inputs, chosen=asked, option=option, what=what
        )
    )
    # text is drawn by the terminal's renderer; asking RENDERERS would import every format's
    if fmt != "text" and fmt.value not in _render.RENDERERS:
        available = ", ".join(name for name in _render.FORMATS if name in _render.RENDERERS)
        message = _(
            "error: --format {format}: this version has no {format} renderer (use {formats})"
        )
        fail(message.format(format=fmt, formats=available), ExitCode.NOT_CHECKED)
    return fmt


def _audited(
    path: Path,
    overrides: AuditOverrides | None,
    ruleset: Ruleset,
    facts: Facts,
    partial: bool,
) -> AuditOverrides:
    """The audit layer an audit ruleset's rules give, checked against the ruleset scored."""
    if overrides is not None:
        message = _("error: give one of --overrides and --audit: each is the audit layer")
        fail(message, ExitCode.NOT_CHECKED)
    if partial:
        message = _("error: --audit audits a finished self-evaluation: leave out --partial")
        fail(message, ExitCode.NOT_CHECKED)
    loaded = _audit_rules.load_audit_ruleset(path)
    _audit_rules.check_applies_to(loaded, ruleset)
    return _audit.audit(loaded.ruleset, ruleset, facts, loaded.tables)


@app.command()
@handled
def score(
    ruleset: Annotated[
        str,
        typer.Argument(
            help=N_(
                "A ruleset file, or id@version (a bare id picks the newest). Leave it out to "
                "use the ruleset the facts file names."
            ),
            metavar="RULESET",
        ),
    ],
    facts: Annotated[
        Path | None,
        typer.Argument(
            help=N_(
                "The facts file (YAML or JSON), or a filled facts workbook (.xlsx, from scoring "
                "template --format xlsx)."
            ),
            dir_okay=False,
            metavar="FACTS",
        ),
    ] = None,
    as_json: Annotated[
        bool, typer.Option("--json", help=N_("Print the machine-readable result (--format json)."))
    ] = False,
    output: Annotated[
        Path | None,
        output_option(
            N_(
                "Write to this file instead; its suffix picks the format (.txt, .json, .md, "
                ".html, .xlsx). - is standard output."
            )
        ),
    ] = None,
    output_format: Annotated[
        ScoreFormat | None,
        format_option(
            N_(
                "text (the breakdown), json, md, html, or xlsx (the 自评表 as a workbook, with "
                "-o only). Default: what -o's suffix says, else text."
            )
        ),
    ] = None,
    overrides: Annotated[
        Path | None,
        typer.Option(
            "--overrides",
            help=N_("An auditor's overrides file, layered on the department's own."),
            dir_okay=False,
        ),
    ] = None,
    audit_rules: Annotated[
        Path | None,
        typer.Option(
            "--audit",
            help=N_(
                "An audit ruleset (kind: audit): its rules set the audit layer (审核得分), "
                "each with its rule id and reason."
            ),
            dir_okay=False,
            metavar="AUDIT_RULESET",
        ),
    ] = None,
    partial: Annotated[
        bool,
        typer.Option(
            "--partial",
            help=N_(
                "Score a form still being filled in: indicators whose facts are blank are "
                "marked 待填, the most the unit can still reach is shown, and no grade is given."
            ),
        ),
    ] = False,
    rulesets: RulesetsOption = None,
    sign: SignOption = None,
    allow_shadow: AllowShadowOption = False,
) -> None:
    """Score a department's facts: the breakdown, the total and the grade.

    `scoring score RULESET FACTS`, or `scoring score FACTS` when the facts name their ruleset.
    FACTS may be YAML, JSON or a filled facts workbook (.xlsx).
    """
    loaded, source, facts = ruleset_and_facts(
        ruleset, facts, rulesets, "scoring score", allow_shadow
    )
    unit = source.check(loaded, partial=partial)
    inputs = (
        facts,
        *(Path(name) for name in loaded.origin.files),
        *([overrides] if overrides else []),
        *([audit_rules] if audit_rules else []),
    )
    what = _("the result")
    inputs += (sign,) if sign is not None else ()
    fmt = _score_format(output_format, as_json, output, inputs, what)
    if sign is not None and fmt != "json":
        fail(_("error: --sign signs a result: add --json (--format json)"), ExitCode.NOT_CHECKED)
    key = signing_key(sign) if sign is not None else None
    audit = (
        _overrides.load_audit_overrides(overrides, loaded, unit) if overrides is not None else None
    )
    if audit_rules is not None:
        audit = _audited(audit_rules, audit, loaded, unit, partial)
    result = _engine.score(loaded, unit, audit, partial=partial)
    for finding in result.findings:
        if finding.code == "ruleset_mismatch":
            consoles.stderr.print(Text(_("warning: {warning}").format(warning=finding.message)))
    from scoring.engine.application import in_force_note  # here: after the engine is loaded

    note = in_force_note(loaded, unit)
    if note is not None:  # which version of the rules scored the facts' year, and why
        consoles.stderr.print(Text(_("note: {note}").format(note=note)))
    if fmt == "text":  # for a person: wrapped to a terminal, whole into a file or a pipe
        report = _render_report.build_report(result, loaded)
        show(lambda console: _render_terminal.draw_breakdown(console, report), output, inputs, what)
        return
    content = _render.RENDERERS[fmt.value](result, loaded)
    if key is not None:
        assert isinstance(content, str), "--sign is refused for a workbook above"
        content = signing.sign_text(content, key)
    write_output(output, content, inputs, what)
