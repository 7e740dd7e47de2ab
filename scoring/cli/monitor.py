"""`scoring monitor`: 绩效运行监控 as of a month, a light per indicator and the project's."""

from __future__ import annotations

import re
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.text import Text

from scoring.cli import consoles
from scoring.cli.application import app
from scoring.cli.exits import fail, handled
from scoring.cli.inputs import ruleset_and_facts
from scoring.cli.lazy import (
    _facts,
    _monitor_formats,
    _monitor_terminal,
    _monitoring,
    _render_monitor,
    _rulesets,
)
from scoring.cli.options import (
    AllowShadowOption,
    RulesetsOption,
    choose_format,
    format_option,
    output_option,
)
from scoring.cli.writing import show, write_output
from scoring.errors import ExitCode
from scoring.i18n import N_, _
from scoring.render.formats import MONITOR_FORMATS

MonitorFormat = StrEnum(  # type: ignore[misc]  # its members come from the registry
    "MonitorFormat", {name.upper(): name for name in MONITOR_FORMATS}
)
_MONTH = re.compile(r"^\d{4}-(0?[1-9]|1[0-2])$")


@app.command()
@handled
def monitor(
    inputs: Annotated[
        list[str],
        typer.Argument(
            help=N_(
                "[RULESET] FACTS: a monitoring facts file (the year's facts so far, with as_of), "
                "after its ruleset or alone when it names it; or RULESET and many facts files or "
                "folders, for a summary of lights per unit."
            ),
            metavar="[RULESET] FACTS…",
        ),
    ],
    as_of: Annotated[
        str | None,
        typer.Option(
            "--as-of",
            help=N_("The month the facts stand at, YYYY-MM, when the facts file does not say."),
            metavar="YYYY-MM",
        ),
    ] = None,
    output: Annotated[
        Path | None,
        output_option(
            N_(
                "Write to this file instead; its suffix picks the format (.txt, .json, .md, "
                ".html, .xlsx, .csv). - is standard output."
            )
        ),
    ] = None,
    output_format: Annotated[
        MonitorFormat | None,
        format_option(N_("text, json, md, html, xlsx (with -o only) or csv. Default: text.")),
    ] = None,
    rulesets: RulesetsOption = None,
    allow_shadow: AllowShadowOption = False,
) -> None:
    """Monitor a unit's performance mid-year (绩效运行监控): a light for each indicator.

    Each monitored indicator is lit by the method its ruleset's monitoring: section gives it
    (progress against the year's pro-rata target, reverse, qualitative, budget pace or staged
    milestones), with the explanation a red or yellow light needs and what must still be done by
    year end to reach green; the project's light is rolled up by the ruleset's rule. Given
    RULESET and several facts files or folders, it prints the lights of each unit instead, and
    exits 1 if any unit could not be monitored.
    """
    if as_of is not None and not _MONTH.match(as_of):
        message = _("error: --as-of {as_of}: give a month as YYYY-MM, 01 to 12 (2022-07)")
        fail(message.format(as_of=as_of), ExitCode.NOT_CHECKED)
    many = len(inputs) > 2 or any(Path(name).is_dir() for name in inputs[1:])
    if many:
        loaded = _rulesets.load_ruleset(inputs[0], rulesets or (), allow_shadow=allow_shadow)
        paths = [path for name in inputs[1:] for path in _files(Path(name))]
        read = [Path(name) for name in loaded.origin.files]
        units = _monitoring.monitor_units(loaded, paths, as_of)
        view = _render_monitor.build_monitor_summary(loaded.ref, units)
        _write(view, output, output_format, [*paths, *read])
        if any(isinstance(outcome, str) for _source, outcome in units):
            raise typer.Exit(ExitCode.FOUND_WANTING)
        return
    second = Path(inputs[1]) if len(inputs) > 1 else None
    loaded, source, path = ruleset_and_facts(
        inputs[0], second, rulesets, "scoring monitor", allow_shadow
    )
    result = _monitoring.monitor_source(loaded, source, as_of)
    for finding in result.findings:
        consoles.stderr.print(Text(_("note: {path}: {message}").format(**finding.model_dump())))
    view = _render_monitor.build_monitor(result)
    _write(view, output, output_format, [path, *(Path(name) for name in loaded.origin.files)])


def _files(path: Path) -> list[Path]:
    if path.is_dir():
        return _facts.facts_files(path)
    if not path.exists():
        fail(_("error: {file}: no such file or directory").format(file=path), ExitCode.NOT_CHECKED)
    return [path]


def _write(
    view: _render_monitor.MonitorView,
    output: Path | None,
    chosen: MonitorFormat | None,
    inputs: list[Path],
) -> None:
    what = _("the monitoring table")
    fmt = choose_format(
        "monitor",
        output,
        list(MONITOR_FORMATS),
        inputs,
        chosen=None if chosen is None else chosen.value,
        what=what,
    )
    if fmt == "text":  # for a person: wrapped to a terminal, whole into a file or a pipe
        show(lambda console: _monitor_terminal.draw_monitor(console, view), output, inputs, what)
        return
    content = _monitor_formats.monitor_renderer(fmt)(view)
    write_output(output, content, inputs, what)
