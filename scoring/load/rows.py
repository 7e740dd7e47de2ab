"""A table's rows read straight into checked facts: the batch's fast path.

The general path reads a row into located data (:func:`scoring.load.units.row_data`), then
checks it as a facts file (:func:`scoring.load.facts.check_facts`), so every problem is placed
at its cell. Most rows of a province's table have none: :class:`RowReader` reads such a row with
the same readers (:func:`~scoring.load.fact_values.fact_value` for every fact) into the same
:class:`~scoring.model.facts.Facts`, without the located data, and gives up (None) at the first
sign of a problem, leaving the row to the general path, which finds and places it.
``tests/load/test_rows.py`` checks that the two give the same facts, or that the fast one
gives up.
"""

from __future__ import annotations

from pathlib import PurePath
from typing import Any

from scoring.engine.plan import facts_read, plan
from scoring.load.fact_values import fact_reader
from scoring.load.facts import subject_text
from scoring.load.units import TABLE_KEYS, Table, Unit, is_filled
from scoring.model import values
from scoring.model.base import NUMBERS_CHECKED
from scoring.model.facts import Facts, FactValue
from scoring.model.located import LocatedDict
from scoring.model.ruleset import Ruleset


class RowReader:
    """Reads the rows of one table under one ruleset (see the module's docstring)."""

    def __init__(self, table: Table, ruleset: Ruleset):
        self.table = table
        self.ruleset = ruleset
        columns = table.columns
        self.width = len(columns)
        self.facts = [
            (c.index, c.key, fact_reader(c.key, ruleset.facts[c.key], ruleset))
            for c in columns
            if c.kind == "fact"
        ]
        self.subject = [(c.index, c.key) for c in columns if c.kind == "subject"]
        self.unheaded = [c.index for c in columns if not c.kind]
        self.not_applicable = next((c.index for c in columns if c.kind == "not_applicable"), None)
        self.claimed = next((c.index for c in columns if c.kind == "claimed"), None)
        self.paths = plan(ruleset).paths
        self.stem = f"{PurePath(table.filename).stem}-row"

    def read(self, number: int, row: list[Any]) -> tuple[Unit, Facts] | None:
        """Row ``number`` as a unit and its checked facts; None when it is not that simple."""
        size = len(row)
        if size > self.width and any(map(is_filled, row[self.width :])):
            return None  # a value under no column: the general path says where
        for index in self.unheaded:
            if index < size and is_filled(row[index]):
                return None
        ruleset = self.ruleset
        typed: dict[str, FactValue] = {}
        try:
            for index, name, read in self.facts:
                cell = row[index] if index < size else None
                if cell is not None:  # blank text reads as None, as the general path reads it
                    checked = read(cell)
                    if checked is not None:
                        typed[name] = checked
        except values.UnreadableError:
            return None
        not_applicable = self._not_applicable(row)
        if not_applicable is None:
            return None
        if not facts_read(ruleset, set(not_applicable)).keys() <= typed.keys():
            return None  # a fact missing: the general path says which, and where
        given = LocatedDict()  # the subject as written, for the summary and the result's name
        subject: dict[str, str] = {}
        for index, key in self.subject:
            cell = row[index] if index < size else None
            if cell is None or not is_filled(cell):
                continue
            text = subject_text(cell)
            if text is None:
                return None
            subject[key] = text
            given[key] = cell
        whole = self.table.cell(number, 0)
        data = LocatedDict()
        data.location = whole
        data.put("subject", given, whole)
        if self.claimed is not None and self.claimed < size and is_filled(row[self.claimed]):
            data.put("claimed", row[self.claimed], self.table.cell(number, self.claimed + 1))
        fields = {"subject": subject, "facts": typed, "not_applicable": not_applicable}
        facts = Facts.model_validate(fields, context=NUMBERS_CHECKED)  # read by the readers
        return Unit(str(whole), f"{self.stem}{number}", data, TABLE_KEYS), facts

    def _not_applicable(self, row: list[Any]) -> tuple[str, ...] | None:
        """The row's 不适用 paths, sorted; None when one is no indicator, or none are allowed."""
        index = self.not_applicable
        if index is None or index >= len(row) or not is_filled(row[index]):
            return ()
        found = values.not_applicable_paths(row[index])
        if self.ruleset.not_applicable == "forbid" or not set(found) <= self.paths:
            return None
        return tuple(sorted(set(found)))
