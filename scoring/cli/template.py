"""`scoring template`: a facts file, or a workbook, to fill in."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from scoring.cli.application import app
from scoring.cli.exits import handled
from scoring.cli.lazy import _models, _rulesets, _template, workbook
from scoring.cli.options import (
    AllowShadowOption,
    RulesetsOption,
    TemplateFormat,
    choose_format,
    format_option,
    output_option,
)
from scoring.cli.writing import write_output
from scoring.i18n import N_, _


@app.command()
@handled
def template(
    ruleset: Annotated[
        str, typer.Argument(help=N_("A ruleset file, or id@version."), metavar="RULESET")
    ],
    output: Annotated[
        Path | None,
        output_option(N_("Write to this file instead: .yaml or .xlsx. - is standard output.")),
    ] = None,
    output_format: Annotated[
        TemplateFormat | None,
        format_option(
            N_(
                "yaml (a facts file) or xlsx (a workbook to fill in, with -o only). Default: "
                "what -o's suffix says, else yaml."
            )
        ),
    ] = None,
    rulesets: RulesetsOption = None,
    allow_shadow: AllowShadowOption = False,
) -> None:
    """A facts file to fill in: every declared fact, with its label and unit as a comment.

    With --format xlsx, a workbook: a locked sheet where only the value cells take input, each
    checked for its type and bounds, and a sheet explaining every indicator's 评分标准.
    """
    loaded: _models.Ruleset = _rulesets.load_ruleset(
        ruleset, rulesets or (), allow_shadow=allow_shadow
    )
    inputs = tuple(Path(name) for name in loaded.origin.files)
    chosen = output_format.value if output_format is not None else None
    what = _("the template")
    fmt = choose_format("template", output, list(TemplateFormat), inputs, chosen=chosen, what=what)
    if fmt == TemplateFormat.XLSX:
        content: str | bytes = workbook.render_template_xlsx(loaded)
    else:
        content = _template.render_template(loaded)
    write_output(output, content, inputs, what)
