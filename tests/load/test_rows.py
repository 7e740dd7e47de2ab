"""A table's row read at once gives the facts the general path gives, or is left to it.

:class:`scoring.load.rows.RowReader` is the batch's fast path for table rows; the general path
(the row as located data, checked as a facts file) is its oracle. On rows drawn with every kind
of cell (numbers as people type them, yes/no, blanks, 不适用 paths, text where a number belongs,
values under no header), the fast reader gives equal facts and the same subject, or gives up.
"""

from __future__ import annotations

import functools
from decimal import Decimal
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from scoring import load_ruleset
from scoring.errors import FactsError
from scoring.load.facts import FactsInput
from scoring.load.rows import RowReader
from scoring.load.units import Table, read_header
from scoring.model.facts import Facts
from scoring.model.fingerprint import facts_fingerprint
from scoring.model.ruleset import FactSpec, Ruleset
from tests.conftest import RULESETS
from tests.strategies import at_most

RULESET = RULESETS / "xinfang/hengshan-department-2019.yaml"


@functools.cache
def _ruleset() -> Ruleset:
    return load_ruleset(RULESET)


def _table(extra: bool) -> Table:
    ruleset = _ruleset()
    header = ["单位", "年度", *ruleset.facts, "不适用"] + ([""] if extra else [])  # "": no header
    table, _ = read_header(iter([header]), "units.csv", ruleset)
    return table


def _general(table: Table, number: int, row: list[Any]) -> Facts | None:
    unit = table.unit(number, row)
    assert unit.data is not None
    try:
        return FactsInput(unit.source, unit.data, unit.keys, unit.issues).check(_ruleset())
    except FactsError:
        return None


def _cell(spec_type: str) -> st.SearchStrategy[Any]:
    numbers = st.decimals(min_value=-5, max_value=100_000, places=2).map(str)
    written = st.sampled_from(["1,280", "１２８", " 48 ", "86.75%", "12万元", "1e3", "", "  "])
    if spec_type == "boolean":
        return st.sampled_from(["是", "否", "true", "false", "", "也许", "1"])
    return st.one_of(numbers, numbers, numbers, written, st.just("甲"))


@st.composite
def rows(draw: st.DrawFn) -> tuple[Table, list[Any]]:
    ruleset = _ruleset()
    extra = draw(st.booleans())
    table = _table(extra)
    careless = draw(st.booleans())
    cells: list[Any] = [
        draw(st.sampled_from(["某局", "", "乙局"])),
        draw(st.sampled_from(["2022", ""])),
    ]
    for spec in ruleset.facts.values():
        if careless:
            cells.append(draw(_cell(spec.type)))
        elif spec.type == "boolean":
            cells.append(draw(st.sampled_from(["是", "否"])))
        else:
            low = spec.min if spec.min is not None else Decimal(0)
            high = spec.max if spec.max is not None else Decimal(1 if spec.unit == "%" else 10**5)
            places = 0 if spec.type == "integer" else 2
            cells.append(str(draw(st.decimals(min_value=low, max_value=high, places=places))))
    paths = [path for path, _, _ in ruleset.walk()]
    if careless:
        paths.append("no.such.path")
    skipped = draw(st.lists(st.sampled_from(paths), max_size=2))
    cells.append(";".join(skipped))
    odd = ["", "无头之值"] if careless else [""]
    if extra:
        cells.append(draw(st.sampled_from(odd)))
    if draw(st.booleans()):
        cells.append(draw(st.sampled_from(odd)))
    return table, cells


@at_most(300)
@given(rows())
def test_a_row_read_at_once_gives_the_general_paths_facts_or_is_left_to_it(
    case: tuple[Table, list[Any]],
):
    table, row = case
    fast = RowReader(table, _ruleset()).read(7, row)
    general = _general(table, 7, row)
    if fast is None:
        return
    unit, facts = fast
    assert general is not None, "read at once a row the general path refuses"
    assert facts == general
    assert Facts.model_validate(dict(facts)) == facts  # valid without the readers' word for it
    assert facts_fingerprint(facts) == facts_fingerprint(general)
    assert unit.subject == table.unit(7, row).subject
    assert unit.source == table.unit(7, row).source
    assert unit.stem == table.unit(7, row).stem


def _plain(spec: FactSpec) -> str:
    """A value the fact accepts, written plainly."""
    if spec.type == "boolean":
        return "是"
    return str(spec.max) if spec.max is not None else "0.5" if spec.unit == "%" else "10"


def test_a_plain_row_is_read_at_once():
    ruleset = _ruleset()
    table = _table(False)
    row = ["某局", "2022", *map(_plain, ruleset.facts.values())]
    fast = RowReader(table, ruleset).read(2, [*row, ""])
    assert fast is not None
    assert fast[1] == _general(table, 2, [*row, ""])


def test_a_row_with_a_problem_is_left_to_the_general_path():
    ruleset = _ruleset()
    table = _table(False)
    row = ["某局", "2022", *map(_plain, ruleset.facts.values())]
    reader = RowReader(table, ruleset)
    assert reader.read(2, [*row, "no.such.path"]) is None
    assert reader.read(2, [*row, "", "a value under no header"]) is None
    assert reader.read(2, ["某局", "2022", "甲", *row[3:], ""]) is None
    assert reader.read(2, ["某局", "2022", "", *row[3:], ""]) is None  # a fact left blank
