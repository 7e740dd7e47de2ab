"""`scoring schema`: the JSON Schemas of rulesets, facts, results and target tables, written."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from scoring.cli.application import app
from scoring.cli.exits import handled
from scoring.cli.language import os_reason
from scoring.cli.lazy import _schema
from scoring.cli.writing import cannot_write, write_output
from scoring.i18n import N_, _


@app.command()
@handled
def schema(
    directory: Annotated[
        Path,
        typer.Option("--directory", "-d", help=N_("Where to write the schemas."), file_okay=False),
    ] = Path("schemas"),
) -> None:
    """Write the JSON Schemas of rulesets, facts, results, review rulesets and target tables."""
    try:
        directory.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        cannot_write(_("the schemas"), directory, os_reason(exc))
    for name, text in _schema.schemas().items():
        write_output(directory / name, text, what=_("the schema"))
