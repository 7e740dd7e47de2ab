"""`scoring diff`: what changed between two rulesets, and whose scores change."""

from __future__ import annotations

import functools
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.table import Table
from rich.text import Text

if TYPE_CHECKING:
    from scoring.model.facts import Facts

from scoring.cli.application import app
from scoring.cli.exits import handled
from scoring.cli.lazy import _claims, _diff, _facts, _models, _rulesets, bars
from scoring.cli.options import (
    AllowShadowOption,
    RulesetsOption,
    TextOrJsonOutputOption,
    write_text_or_json,
)
from scoring.errors import FactsError, ScoringError
from scoring.i18n import N_, _

KIND_LABELS = {"added": "新增", "removed": "删除", "moved": "移动", "changed": "修改"}


@app.command()
@handled
def diff(
    old: Annotated[
        str, typer.Argument(help=N_("The old ruleset: a file, or id@version."), metavar="OLD")
    ],
    new: Annotated[
        str, typer.Argument(help=N_("The new ruleset: a file, or id@version."), metavar="NEW")
    ],
    facts_dir: Annotated[
        Path | None,
        typer.Option(
            "--facts",
            help=N_(
                "Also score every facts file in this directory (YAML, JSON or filled facts "
                "workbooks) under both rulesets."
            ),
            file_okay=False,
            exists=True,
        ),
    ] = None,
    as_json: Annotated[
        bool, typer.Option("--json", help=N_("Print the machine-readable diff."))
    ] = False,
    output: TextOrJsonOutputOption = None,
    rulesets: RulesetsOption = None,
    allow_shadow: AllowShadowOption = False,
) -> None:
    """What changed between two rulesets (merged trees), and with --facts whose scores change."""
    before = _rulesets.load_ruleset(old, rulesets or (), allow_shadow=allow_shadow)
    after = _rulesets.load_ruleset(new, rulesets or (), allow_shadow=allow_shadow)
    result = _diff.diff_rulesets(before, after)
    inputs = tuple(Path(name) for name in (*before.origin.files, *after.origin.files))
    if facts_dir is not None:
        read = [(file, _read_or_error(file)) for file in _facts.facts_files(facts_dir)]
        sources = [(file, source) for file, source in read if not _is_ruleset(source)]
        files = [file for file, _source in sources]
        impact = tuple(
            _diff.unit_impact(
                str(file),
                before,
                after,
                _facts_or_error(source, before),
                _facts_or_error(source, after),
            )
            for file, source in bars.progress_bar(sources, _("comparing"))
        )
        result = result.model_copy(update={"impact": impact})
        inputs += tuple(files)
    what = _("the diff")
    print_diff = functools.partial(_print_diff, result=result)
    write_text_or_json("diff", output, inputs, what, result, print_diff, as_json=as_json)


def _facts_or_error(
    source: _facts.FactsInput | FactsError, ruleset: _models.Ruleset
) -> Facts | str:
    try:
        if isinstance(source, FactsError):
            raise source
        return source.check(ruleset)
    except ScoringError as exc:
        return str(exc)


def _read_or_error(file: Path) -> _facts.FactsInput | FactsError:
    """A facts input read once (to be checked under two rulesets), or why it cannot be."""
    try:
        return _facts.read_facts_input(file)
    except FactsError as exc:
        return exc


def _is_ruleset(source: _facts.FactsInput | FactsError) -> bool:
    """Whether a file of the --facts directory is a ruleset kept beside the facts."""
    if isinstance(source, FactsError) or source.is_workbook:
        return False
    return _claims.is_ruleset_data(source.data)


def _print_diff(console: Console, result: _diff.RulesetDiff) -> None:
    if not result.changes:
        console.print(Text(_("{old} → {new}: no changes").format(old=result.old, new=result.new)))
    else:
        table = Table(title=f"{result.old} → {result.new}")
        for column in ("变化", "位置", "项目", "旧", "新"):
            table.add_column(column, overflow="fold")
        for change in result.changes:
            where = (
                change.path
                if change.area in ("indicator", "ruleset")
                else f"{change.area} {change.path}"
            )
            table.add_row(
                KIND_LABELS[change.kind],
                where,
                change.field or "",
                change.old or "",
                change.new or "",
            )
        console.print(table)
    if result.impact is None:
        return
    table = Table(title=_("对已评分单位的影响 (impact on scored units)"))
    for column in ("文件", "单位", "旧总分", "旧等级", "新总分", "新等级", "变化"):
        table.add_column(column, overflow="fold")
    for unit in result.impact:
        delta = "" if unit.change is None else f"{unit.change:+}"
        table.add_row(
            unit.file,
            unit.subject,
            _or_dash(unit.old_total),
            unit.old_grade or "—",
            _or_dash(unit.new_total),
            unit.new_grade or "—",
            delta if unit.error is None else _("error: {error}").format(error=unit.error),
        )
    console.print(table)


def _or_dash(value: object) -> str:
    return "—" if value is None else str(value)
