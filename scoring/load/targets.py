"""Read target tables (绩效目标申报表) and earlier years' completed values, for ``scoring review``.

A target table in YAML names its ``subject``, its ``goal`` (年度总体目标) and its ``targets``, one
mapping a 三级 indicator; each cell a finding points at is kept as ``file:line:column``.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from scoring.errors import Issue, SourceLocation, TargetsError
from scoring.i18n import _
from scoring.load.claims import is_target_table_data
from scoring.load.issues import position, pydantic_issues
from scoring.load.registry import read_text
from scoring.load.yaml_source import parse_yaml
from scoring.model.located import LocatedDict, LocatedList
from scoring.model.review import History, TableInput, TargetTable

TABLE_KEYS = ("subject", "goal", "ruleset", "extends", "targets", "monitoring", "tests")


def is_target_table_file(path: Path) -> bool:
    """Whether a YAML file in a folder is a target table.

    One that cannot be read counts, to be refused with its own message when it is read.
    """
    try:
        return is_target_table_data(
            parse_yaml(read_text(path, TargetsError), str(path), TargetsError)
        )
    except (OSError, TargetsError):
        return True


def target_table_from(data: Any, filename: str, text: str = "") -> TableInput:
    """The target table parsed ``data`` gives, with where each of its cells stands.

    Raises:
        TargetsError: when it is not a target table, each problem located.
    """
    start = SourceLocation(filename, 1, 1)
    if not isinstance(data, dict):
        message = _("a target table is a mapping: subject, goal, targets")
        raise TargetsError([Issue(message, start)], filename)
    try:
        table = TargetTable.model_validate(data)
    except ValidationError as exc:
        issues = pydantic_issues(exc, data, TargetTable, filename, {filename: text})
        raise TargetsError(sorted(issues, key=position), filename) from exc
    return TableInput(table, filename, _cells(data, start))


def _cells(data: Mapping[str, Any], start: SourceLocation) -> dict[tuple[int | None, str], str]:
    cells: dict[tuple[int | None, str], str] = {(None, ""): str(start)}
    if isinstance(data, LocatedDict):
        for key in TABLE_KEYS:
            where = data.key_locations.get(key) if key == "targets" else None
            where = where or data.value_locations.get(key)
            if where is not None:
                cells[None, key] = str(where)
    rows = data.get("targets")
    if isinstance(rows, LocatedList):
        for index, row in enumerate(rows):
            if index < len(rows.item_locations):
                cells[index, ""] = str(rows.item_locations[index])
            if isinstance(row, LocatedDict):
                for key, where in row.value_locations.items():
                    cells[index, key] = str(where)
    return cells


def load_target_table(path: Path) -> TableInput:
    """Read a target table from a YAML file, or a workbook (``.xlsx``) filled from the template.

    Raises:
        TargetsError: when it is not YAML (or such a workbook) or not a target table.
        OSError: when the file cannot be read.
    """
    if path.suffix.lower() == ".xlsx":
        from scoring.load.target_workbook import load_target_workbook  # openpyxl only if needed

        return load_target_workbook(path)
    text = read_text(path, TargetsError)
    return target_table_from(parse_yaml(text, str(path), TargetsError), str(path), text)


def history_from(data: Any, filename: str) -> History:
    """Earlier years' completed values, as parsed ``data`` gives them.

    Raises:
        TargetsError: when it is not ``history:``, a list of name, year and value.
    """
    try:
        return History.model_validate(data)
    except ValidationError as exc:
        issues = pydantic_issues(exc, data, History, filename, {})
        raise TargetsError(sorted(issues, key=position), filename) from exc


def load_history(path: Path) -> History:
    """Read a history file (``--history``).

    Raises:
        TargetsError: when it is not YAML or not a history.
        OSError: when the file cannot be read.
    """
    text = read_text(path, TargetsError)
    return history_from(parse_yaml(text, str(path), TargetsError), str(path))
