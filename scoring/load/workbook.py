"""Reading a filled facts workbook back: its ``facts`` sheet as located facts, every cell named.

``parse_facts_workbook(data, filename, ruleset)`` reads a filled ``facts`` sheet into the same
located data a facts file gives, so every cell is checked by the rules of facts files
(``values``, ``check_facts``) and every problem names its cell:
``unit.xlsx!facts!C14: [execution] 全年执行数: expected a number, found text '一百'``.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from scoring.errors import FactsError, Issue, SourceLocation
from scoring.i18n import _
from scoring.load.facts import FactsInput
from scoring.load.panel_workbook import read_panel_sheet
from scoring.load.xlsx import (
    CellLocation,
    check_archive,
    check_file_size,
    open_workbook,
    sheet_rows,
)
from scoring.model import values
from scoring.model.facts import Facts
from scoring.model.located import LocatedDict, LocatedList
from scoring.model.ruleset import Ruleset
from scoring.model.workbook_form import (
    FACTS_SECTION,
    FACTS_SHEET,
    KEY_COLUMN,
    MAX_FORM_ROWS,
    NOT_APPLICABLE_KEY,
    RULESET_KEY,
    SUBJECT_ROWS,
    SUBJECT_SECTION,
    TIER_PARTS,
    VALUE_COLUMN,
    WORKBOOK_KEYS,
    column_letters,
)


@dataclass
class FilledWorkbook:
    """A filled ``facts`` sheet as located data, with what the rows themselves got wrong."""

    data: LocatedDict
    issues: list[Issue]
    score_cells: dict[str, CellLocation]


def workbook_ruleset(data: bytes, filename: str) -> tuple[str | None, SourceLocation]:
    """The ruleset a filled workbook names (its 规则集 row), and the cell it stands in.

    Raises:
        FactsError: when the file is no workbook, or has no ``facts`` sheet.
    """
    source = facts_input(read_filled(data, filename), filename)
    where = source.data.value_locations.get(RULESET_KEY) or _cell(filename, 1, KEY_COLUMN)
    return source.ruleset_ref, where


def read_facts_workbook(path: Path, filename: str) -> FactsInput:
    """A filled facts workbook file as a facts input (see ``read_facts_input``).

    Its size is checked before it is read.

    Raises:
        FactsError: when it is too large, not a workbook, or has no ``facts`` sheet.
        OSError: when it cannot be read.
    """
    check_file_size(path.stat().st_size, filename)
    return facts_input(read_filled(path.read_bytes(), filename), filename)


def is_facts_workbook(path: Path) -> bool:
    """Whether an XLSX file has a ``facts`` sheet (a filled template), by its list of sheets.

    Raises:
        OSError: when it cannot be read.
    """
    check_file_size(path.stat().st_size, str(path))
    try:
        check_archive(path.read_bytes(), str(path), FACTS_SHEET)
    except FactsError:
        return False
    return True


def facts_input(read: FilledWorkbook, filename: str) -> FactsInput:
    """A filled ``facts`` sheet as a facts input, its messages said in the workbook's terms."""
    return FactsInput(
        filename,
        read.data,
        WORKBOOK_KEYS,
        tuple(read.issues),
        is_workbook=True,
        reword=functools.partial(_in_workbook_words, read=read),
    )


def parse_facts_workbook(
    data: bytes, filename: str, ruleset: Ruleset, *, partial: bool = False
) -> Facts:
    """A filled facts workbook (its ``facts`` sheet), checked like a facts file.

    Cells are read as the batch tables read them: a number cell as Excel shows it (15
    significant digits), text by the rules of :mod:`scoring.model.values`.

    Raises:
        FactsError: with every problem at its cell (``unit.xlsx!facts!C14``).
    """
    return facts_input(read_filled(data, filename), filename).check(ruleset, partial=partial)


TIER_CLAIM_SYNTAX = "{tier: …, score: …, note: …}"
"""How a facts file gives a tier's points: YAML, which the loader's message asks for in any
language, and which a workbook's user writes in the tier's 得分 row instead."""


def _in_workbook_words(issue: Issue, read: FilledWorkbook) -> Issue:
    """A facts-file message that names YAML syntax, said in the workbook's terms.

    Recognised by the syntax it asks for and by what the workbook holds (a tier without
    points), not by its words: those follow the language of messages.
    """
    where = read.score_cells.get(issue.field or "")
    facts = read.data.get("facts")
    given = facts.get(issue.field) if isinstance(facts, dict) and issue.field else None
    tier = given.get("tier") if isinstance(given, dict) and "score" not in given else given
    if where is None or not isinstance(tier, str) or TIER_CLAIM_SYNTAX not in issue.message:
        return issue
    cell = f"{where.sheet}!{column_letters(where.column)}{where.line}"
    message = _("tier {tier!r} has no default score: write its points in its 得分 row, {cell}")
    message = message.format(tier=values.normalise_text(tier), cell=cell)
    return Issue(message, issue.location, issue.path, issue.field)


def read_filled(data: bytes, filename: str) -> FilledWorkbook:
    """A filled workbook's ``facts`` sheet as located data, not yet checked against a ruleset.

    Only its first three columns are read (name, 说明, 填写值), of at most MAX_FORM_ROWS rows.

    Raises:
        FactsError: when it is too large, not a workbook, or has no ``facts`` sheet.
    """
    workbook = open_workbook(data, filename, FACTS_SHEET)
    try:
        rows = sheet_rows(
            workbook[FACTS_SHEET],
            filename,
            max_rows=MAX_FORM_ROWS,
            columns=VALUE_COLUMN,
            sheet_name=FACTS_SHEET,
        )
        panel, issues = read_panel_sheet(workbook, filename)
    finally:
        workbook.close()
    read = _rows_data(rows, filename)
    if panel is not None:  # an expert panel, as a facts file's panel:
        read.data["panel"] = panel
        if panel.location is not None:
            read.data.key_locations["panel"] = read.data.value_locations["panel"] = panel.location
        read.issues += issues
    return read


def _cell(filename: str, row: int, column: int) -> CellLocation:
    return CellLocation(filename, row, column, sheet=FACTS_SHEET, is_workbook=True)


def _rows_data(rows: list[list[Any]], filename: str) -> FilledWorkbook:
    data, subject, facts = LocatedDict(), LocatedDict(), LocatedDict()
    data.location = _cell(filename, 1, KEY_COLUMN)
    issues: list[Issue] = []
    parts: dict[str, dict[str, tuple[Any, CellLocation]]] = {}
    section = ""
    for number, row in enumerate(rows, start=1):
        key = _text(row[KEY_COLUMN - 1] if row else None)
        given = row[VALUE_COLUMN - 1] if len(row) >= VALUE_COLUMN else None
        value = given if _filled(given) else None
        at, where = _cell(filename, number, KEY_COLUMN), _cell(filename, number, VALUE_COLUMN)
        if key in (SUBJECT_SECTION, FACTS_SECTION):
            section = key
            part = subject if key == SUBJECT_SECTION else facts
            part.location = at
            data.put("subject" if key == SUBJECT_SECTION else "facts", part, at, key_at=at)
            continue
        if not section:
            continue  # the title, the instructions and the column headers
        if not key:
            if value is not None:
                message = _("a value in a row without a name ({value!r}): delete it").format(
                    value=value
                )
                issues.append(Issue(message, where))
            continue
        if section == FACTS_SECTION:
            base, _dot, part_name = key.rpartition(".")
            if base and part_name in TIER_PARTS:
                parts.setdefault(base, {})[part_name] = (value, where)
            else:
                facts.put(key, value, where, key_at=at)
        elif key == RULESET_KEY:
            data.put(RULESET_KEY, None if value is None else str(value), where, key_at=at)
        elif key == NOT_APPLICABLE_KEY:
            if value is not None:
                listed = LocatedList(values.not_applicable_paths(value))
                listed.location = where
                listed.item_locations = [where] * len(listed)
                data.put(NOT_APPLICABLE_KEY, listed, where, key_at=at)
        elif key in dict(SUBJECT_ROWS):
            subject.put(key, value, where, key_at=at)
        else:
            message = _("unknown row {key!r}: the rows of {section} are set by the template")
            message = message.format(key=key, section=SUBJECT_SECTION)
            issues.append(Issue(message, at))
    score_cells: dict[str, CellLocation] = {}
    for name, given_parts in parts.items():
        score, score_at = given_parts.get("score", (None, None))
        note, _note_at = given_parts.get("note", (None, None))
        if score_at is not None:
            score_cells[name] = score_at
        if score is None and note is None:
            continue
        if name not in facts:
            message = _("a score or note for {name!r}, which has no row of its own").format(
                name=name
            )
            issues.append(Issue(message, score_at or given_parts["note"][1]))
            continue
        label = facts[name]
        if label is None:
            message = _("a score or note without a tier: choose the tier (等级) first")
            issues.append(Issue(message, facts.value_locations[name], field=name))
            continue
        claim = LocatedDict(tier=label)
        if score is not None:
            claim["score"] = score
        if note is not None:
            claim["note"] = str(note)
        facts[name] = claim
    return FilledWorkbook(data, issues, score_cells)


def _filled(value: Any) -> bool:
    return value is not None and not (isinstance(value, str) and not values.normalise_text(value))


def _text(value: Any) -> str:
    return values.normalise_text(str(value)) if _filled(value) else ""


# --- cells, styles and bytes -----------------------------------------------------------------
