"""batch_part: a run of units taken in at once when none needs more, else unit by unit."""

from __future__ import annotations

import io
import pickle

import pytest

from scoring.analysis.batch import Duplicates, start_worker
from scoring.analysis.batch_part import NO_DIGEST, score_part
from scoring.analysis.summary import LineShape, Tally, shaped_line, summary_writer
from scoring.load.units import read_header
from tests.analysis.test_batch import HEADER, RULESET
from tests.conftest import ruleset_from

ROWS = [
    ["甲局", "资金", "2022", "100", "90", "90%", "是", "好", ""],
    ["乙局", "资金", "2022", "100", "70", "80%", "否", "中", ""],
    ["丙局", "资金", "2022", "100", "90", "90%", "是", "好", ""],  # 甲局's facts
    ["丁局", "资金", "2022", "100", "", "90%", "是", "好", ""],  # 执行数 blank: an error
]


@pytest.fixture(scope="module")
def ruleset():
    return ruleset_from(RULESET + "red_flags: {identical_facts: true}\n")


def rows_of(ruleset, rows, keep=False):
    """A table's rows as a batch's workers are handed them, the worker prepared."""
    table, data = read_header(iter([HEADER.split(","), *rows]), "units.csv", ruleset)
    start_worker(ruleset, table, keep, LineShape(table.subject_keys, len(ruleset.indicators)))
    return list(data)


def test_a_run_of_plain_units_carries_its_lines_as_the_summary_writes_them(ruleset):
    part = score_part(rows_of(ruleset, ROWS[:2]))
    written = io.StringIO()
    summary_writer(written).writerows(done.cells for done in part.dones())
    assert part.lines == written.getvalue()
    assert part.lines.startswith("units.csv:row 2,甲局,资金,2022,")
    assert list(part.numbers) == [2, 3]
    one_by_one, at_once = Tally(["优", "良", "中", "差"]), Tally(["优", "良", "中", "差"])
    for done in part.dones():
        one_by_one.add(done.row)
    at_once.count(part.grades)
    assert vars(at_once) == vars(one_by_one)


def test_a_run_with_an_error_a_kept_result_or_no_line_has_no_lines(ruleset):
    assert score_part(rows_of(ruleset, ROWS)).lines is None  # 丁局 is in error
    assert score_part(rows_of(ruleset, ROWS[:2], keep=True)).lines is None
    table, data = read_header(iter([HEADER.split(","), *ROWS[:2]]), "units.csv", ruleset)
    start_worker(ruleset, table, False)  # no CSV summary written as the rows come
    assert score_part(list(data)).lines is None


def test_a_run_crosses_to_the_main_process_with_its_units_left_pickled(ruleset):
    part = score_part(rows_of(ruleset, ROWS))
    sent = pickle.loads(pickle.dumps(part))
    assert isinstance(sent.units, bytes)
    assert sent.dones() == part.dones()
    assert (sent.lines, sent.subjects, sent.facts, sent.grades, len(sent)) == (
        part.lines,
        part.subjects,
        part.facts,
        part.grades,
        4,
    )
    assert list(sent.numbers) == [2, 3, 4, 5]


def test_a_run_is_quiet_until_a_unit_repeats_one_before_it(ruleset):
    rows = rows_of(ruleset, [*ROWS[:3], ROWS[0]])  # 甲局 again at row 5
    duplicates, identical = Duplicates(), Duplicates()
    first = score_part(rows[:2])
    assert first.quiet(duplicates, identical)
    assert first.quiet(duplicates, identical)  # looked at again: its own units, nothing new
    second = score_part(rows[2:3])  # 丙局: 甲局's facts
    assert not second.quiet(duplicates, identical)
    # taken in unit by unit from the run's start, as the batch then does: 丙局 is found
    [done] = second.dones()
    assert done.facts_digest is not None
    assert identical.seen(done.facts_digest, done.number) == 2
    assert score_part(rows[3:]).quiet(Duplicates(), Duplicates())  # 甲局 on its own
    assert not score_part(rows[3:]).quiet(duplicates, identical)  # 甲局 given a second time


def test_units_without_a_subject_are_not_compared_by_subject(ruleset):
    blank = ["", "", "", "100", "90", "90%", "是", "好", ""]
    part = score_part(rows_of(ruleset, [blank, blank]))
    assert part.subjects == NO_DIGEST * 2
    assert part.lines is not None
    duplicates = Duplicates()
    assert not part.quiet(duplicates, Duplicates())  # the same facts twice, nothing else
    assert duplicates.seen(NO_DIGEST, 99) is None  # no subject was recorded


def test_a_run_for_a_parquet_summary_carries_each_lines_cells_as_text(ruleset):
    table, data = read_header(iter([HEADER.split(","), *ROWS[:2]]), "units.csv", ruleset)
    shape = LineShape(table.subject_keys, len(ruleset.indicators), parquet=True)
    start_worker(ruleset, table, False, shape)
    part = score_part(list(data))
    assert part.lines == [shaped_line(done.row, shape) for done in part.dones()]
    assert part.lines[0][:4] == ("units.csv:row 2", "甲局", "资金", "2022")
    assert all(isinstance(cell, str) for line in part.lines for cell in line)
    assert pickle.loads(pickle.dumps(part)).lines == part.lines
