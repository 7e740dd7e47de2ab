"""`scoring rulesets`: every ruleset on the search path."""

from __future__ import annotations

import sys
from typing import Annotated

import typer
from rich.table import Table
from rich.text import Text

from scoring.cli import consoles
from scoring.cli.application import app
from scoring.cli.exits import handled
from scoring.cli.lazy import _catalogue, _registry
from scoring.cli.options import RulesetsOption
from scoring.i18n import N_, _


@app.command("rulesets")
@handled
def list_rulesets(
    as_json: Annotated[bool, typer.Option("--json", help=N_("Print them as JSON."))] = False,
    review: Annotated[
        bool,
        typer.Option(
            "--review",
            help=N_("List the review rulesets (kind: review) of scoring review instead."),
        ),
    ] = False,
    rulesets: RulesetsOption = None,
) -> None:
    """List every ruleset on the search path: id, version, title, year, dates in force, file.

    The search path is every --rulesets DIR, then the rulesets shipped with scoring. Name a
    ruleset in other commands by its id@version (or its id alone, for its newest version).
    """
    listed = _catalogue.catalogue(rulesets or (), review=review)
    for each in listed:
        if each.title is None:
            message = _("warning: {file}: cannot be loaded; scoring lint {file} lists why")
            consoles.stderr.print(Text(message.format(file=each.entry.path)))
    if as_json:
        sys.stdout.write(_catalogue.catalogue_json(listed))
        return
    shipped = _("shipped with scoring: {directory}").format(directory=_registry.SHIPPED_RULESETS)
    table = Table(title="绩效目标审核规则集" if review else "规则集", caption=shipped)
    table.add_column("规则集 (id@version)", no_wrap=True)  # to copy into other commands
    table.add_column("名称", overflow="fold")
    table.add_column("年度", no_wrap=True)
    table.add_column("施行期间", overflow="fold")  # effective: which version scores which year
    table.add_column("文件", overflow="fold")
    for each in listed:
        entry, title, year = each.entry, each.title, each.year
        # a shipped file by its place among the shipped rulesets; others as found under DIR
        where = entry.path.resolve()
        file = (
            where.relative_to(_registry.SHIPPED_RULESETS)
            if where.is_relative_to(_registry.SHIPPED_RULESETS)
            else entry.path
        )
        table.add_row(entry.ref, title or "—", str(year or "—"), each.in_force or "—", str(file))
    consoles.stdout.print(table)
