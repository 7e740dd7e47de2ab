"""`scoring gap`: what stands between a unit and the next grade, and which facts recover points."""

from __future__ import annotations

import functools
from decimal import Decimal
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table
from rich.text import Text

from scoring.cli.application import app
from scoring.cli.exits import handled
from scoring.cli.inputs import ruleset_and_facts
from scoring.cli.lazy import _gap
from scoring.cli.options import (
    AllowShadowOption,
    RulesetsOption,
    TextOrJsonOutputOption,
    write_text_or_json,
)
from scoring.i18n import N_, _


@app.command()
@handled
def gap(
    ruleset: Annotated[
        str,
        typer.Argument(
            help=N_(
                "A ruleset file, or id@version. Leave it out to use the ruleset the facts name."
            ),
            metavar="RULESET",
        ),
    ],
    facts: Annotated[
        Path | None,
        typer.Argument(
            help=N_("The facts file (YAML or JSON), or a filled facts workbook (.xlsx)."),
            dir_okay=False,
            metavar="FACTS",
        ),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help=N_("Print it as JSON."))] = False,
    output: TextOrJsonOutputOption = None,
    rulesets: RulesetsOption = None,
    allow_shadow: AllowShadowOption = False,
) -> None:
    """What stands between a unit and the next grade, and the fact values that recover points.

    A planning aid: it never changes a score. Exit 1 when the facts do not fit the ruleset, 2
    when the ruleset cannot be found.
    """
    loaded, source, path = ruleset_and_facts(ruleset, facts, rulesets, "scoring gap", allow_shadow)
    found = _gap.gap(loaded, source.check(loaded))
    inputs = (path, *(Path(name) for name in loaded.origin.files))
    what = _("the gap")
    print_gap = functools.partial(_print_gap, found=found)
    write_text_or_json("gap", output, inputs, what, found, print_gap, as_json=as_json)


def _print_gap(console: Console, found: _gap.Gap) -> None:
    grade = f" {found.grade}" if found.grade else ""
    console.print(Text(f"总分 {found.total}{grade}"), soft_wrap=True)
    if found.grade_withheld is not None:  # a higher total reaches no grade either
        console.print(Text(found.grade_withheld), soft_wrap=True)
    elif found.next_grade is None:
        console.print(Text(_("no higher grade to reach")), soft_wrap=True)
    else:
        console.print(
            Text(
                _("{grade} from {threshold}: {missing} points missing").format(
                    grade=found.next_grade, threshold=found.next_threshold, missing=found.missing
                )
            ),
            soft_wrap=True,
        )
    if found.recoveries:
        table = Table(title=_("可恢复的分数 (points a fact value would recover)"))
        for column in ("指标", "失分", "调整", "可恢复", "总分变化"):
            table.add_column(column, overflow="fold")
        for entry in found.recoveries:
            change = f"{entry.fact} {_value(entry.current)} → {_value(entry.proposed)}"
            if entry.item:
                change = f"{entry.item}: {change}"
            if entry.note:
                change += f"\n({entry.note})"
            label = f"{entry.path} {entry.name}"
            table.add_row(
                label, str(entry.lost), change, str(entry.recovers), f"{entry.total_change:+}"
            )
        console.print(table)
    if found.judgements:
        table = Table(title=_("需要判断的指标 (judgement calls)"))
        for column in ("指标", "失分", "原因"):
            table.add_column(column, overflow="fold")
        for call in found.judgements:
            table.add_row(f"{call.path} {call.name}", str(call.lost), call.why)
        console.print(table)


def _value(value: bool | Decimal) -> str:
    if isinstance(value, bool):
        return "是" if value else "否"
    return format(value, "f")
