"""The options commands share (--rulesets, -o, --sign …), and the formats each command writes."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console

from scoring.cli import consoles
from scoring.cli.exits import fail
from scoring.cli.writing import check_output, is_stdout, show, write_output
from scoring.errors import ExitCode
from scoring.i18n import N_, _
from scoring.model.documents import json_text
from scoring.render.formats import RESULT_FORMATS

RulesetsOption = Annotated[
    list[Path] | None,
    typer.Option(
        "--rulesets",
        help=N_("Another directory of rulesets to search (repeatable)."),
        file_okay=False,
    ),
]


def output_option(help_text: str) -> Any:
    """The ``-o``/``--output`` option of a command that writes a file, said its own way."""
    return typer.Option("-o", "--output", help=help_text, dir_okay=False)


def format_option(help_text: str) -> Any:
    """The ``--format`` option of a command that writes more than one format."""
    return typer.Option("--format", help=help_text, case_sensitive=False)


TextOrJsonOutputOption = Annotated[
    Path | None,
    output_option(N_("Write to this file instead: .txt or .json. - is standard output.")),
]
AllowShadowOption = Annotated[
    bool,
    typer.Option(
        "--allow-shadow",
        help=N_(
            "Let a ruleset in a --rulesets directory replace a different shipped one with the "
            "same id@version (refused otherwise: it would change scores without a word)."
        ),
    ),
]


SignOption = Annotated[
    Path | None,
    typer.Option(
        "--sign",
        help=N_(
            "Sign each result written with this private key (NAME.key, from scoring keys new)."
        ),
        dir_okay=False,
        metavar="KEY",
    ),
]


class Language(StrEnum):
    """The languages of messages and help (``--lang``)."""

    ZH = "zh"
    EN = "en"


ScoreFormat = StrEnum(  # type: ignore[misc]  # its members come from the registry
    "ScoreFormat", {name.upper(): name for name in RESULT_FORMATS}
)
"""What `scoring score` writes: every format of the registry (scoring.render.formats)."""


class TemplateFormat(StrEnum):
    """What `scoring template` writes."""

    YAML = "yaml"
    XLSX = "xlsx"


class BatchFormat(StrEnum):
    """What `scoring batch` writes as its summary."""

    TEXT = "text"
    CSV = "csv"
    JSON = "json"
    XLSX = "xlsx"
    PARQUET = "parquet"


SUFFIX_FORMATS = {
    **{fmt.suffix: name for name, fmt in RESULT_FORMATS.items()},
    ".csv": "csv",  # a batch summary
    ".parquet": "parquet",  # a batch summary
    ".yaml": "yaml",  # a facts template
    ".yml": "yaml",
}
"""The format an output file's suffix asks for: a result's formats, and the other commands'."""
FORMAT_SUFFIXES = {name: suffix for suffix, name in reversed(SUFFIX_FORMATS.items())}
BINARY_FORMATS = (*(name for name, fmt in RESULT_FORMATS.items() if fmt.is_binary), "parquet")


def choose_format(
    command: str,
    output: Path | None,
    formats: Sequence[str],
    inputs: Sequence[Path],
    *,
    chosen: str | None = None,
    option: str = "--format",
    what: str = "",
) -> str:
    """What a command writes: ``chosen`` (--format), else what -o's suffix says, else the first.

    A suffix that says another format than ``chosen`` is a usage error naming both, and so is
    an -o file whose suffix says no format of this command when nothing was chosen. An -o file
    that may not be written (an input, a link, a device) is refused first.
    """
    fmt = chosen
    if output is not None and not is_stdout(output):
        check_output(output, inputs, what)
        suffix = output.suffix.lower()
        named = SUFFIX_FORMATS.get(suffix)
        if chosen is not None and named is not None and named != chosen:
            message = _(
                "error: -o {output} is a {suffix} file but {option} asks for {chosen}: "
                "give one of them, or make them agree"
            ).format(output=output, suffix=suffix, option=option, chosen=chosen)
            fail(message, ExitCode.NOT_CHECKED)
        if chosen is None:
            if named not in formats:
                suffixes = ", ".join(FORMAT_SUFFIXES[name] for name in formats)
                message = _(
                    "error: -o {output}: scoring {command} writes {suffixes} files; "
                    "end the file name with one of them, or give --format"
                ).format(output=output, command=command, suffixes=suffixes)
                fail(message, ExitCode.NOT_CHECKED)
            fmt = named
    fmt = fmt or formats[0]
    if fmt in BINARY_FORMATS and (
        output is None or (is_stdout(output) and consoles.stdout.is_terminal)
    ):
        message = _(
            "error: --format {format} writes a workbook: give -o FILE.xlsx (not a terminal)"
        )
        fail(message.format(format=fmt), ExitCode.NOT_CHECKED)
    return fmt


def write_text_or_json(
    command: str,
    output: Path | None,
    inputs: Sequence[Path],
    what: str,
    document: Any,
    print_text: Callable[[Console], None],
    *,
    as_json: bool,
) -> None:
    """Write a command's document (a model) as JSON if --json or -o's suffix asks, else as text."""
    chosen = "json" if as_json else None
    fmt = choose_format(
        command, output, ("text", "json"), inputs, chosen=chosen, option="--json", what=what
    )
    if fmt == "json":
        write_output(output, json_text(document.model_dump(mode="json")), inputs, what)
    else:
        show(print_text, output, inputs, what)


DataOption = Annotated[
    Path | None,
    typer.Option(
        "--data",
        help=N_("The directory whose SQLite database the web app keeps its data in."),
        file_okay=False,
    ),
]
DatabaseOption = Annotated[
    str | None,
    typer.Option("--db", help=N_("The web app's database as a SQLAlchemy URL (PostgreSQL).")),
]
