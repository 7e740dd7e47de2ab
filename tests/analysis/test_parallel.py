"""scoring/analysis/parallel.py: results in input order whatever the workers, items read as needed."""

from __future__ import annotations

import os
import time

import pytest

from scoring.analysis import parallel
from scoring.analysis.parallel import ordered_map

_PREPARED: dict[str, int] = {}


def prepare(offset: int) -> None:
    _PREPARED["offset"] = offset


def shifted(item: int) -> tuple[int, int]:
    """The item moved by what the initializer prepared, and which process did it."""
    if item == 13_013:
        message = "unlucky item"
        raise ValueError(message)
    return item + _PREPARED["offset"], os.getpid()


def test_results_come_in_input_order_and_alike_for_any_number_of_workers():
    items = range(2_000)
    one = list(ordered_map(shifted, items, workers=1, initializer=prepare, initargs=(5,)))
    two = list(ordered_map(shifted, items, workers=2, initializer=prepare, initargs=(5,), chunk=64))
    assert [value for value, _ in one] == [value for value, _ in two] == [n + 5 for n in items]
    assert {pid for _, pid in one} == {os.getpid()}
    assert {pid for _, pid in two} - {os.getpid()}  # workers did the work (this one, its start)


def prepare_slowly(offset: int, here: int) -> None:
    """:func:`prepare`, after a second in a worker: a worker slow to start."""
    if os.getpid() != here:
        time.sleep(1)
    prepare(offset)


def test_while_the_workers_start_the_next_runs_are_done_here_in_their_place():
    items = range(600)
    done = list(
        ordered_map(
            shifted,
            items,
            workers=2,
            initializer=prepare_slowly,
            initargs=(3, os.getpid()),
            chunk=20,
        )
    )
    assert [value for value, _ in done] == [n + 3 for n in items]
    sent = 2 * parallel.IN_FLIGHT * 20  # the runs sent first, then as many done here
    assert {pid for _, pid in done[:sent]} != {os.getpid()}
    assert {pid for _, pid in done[sent : 2 * sent]} == {os.getpid()}
    assert {pid for _, pid in done[2 * sent :]} - {os.getpid()}


def test_a_few_items_are_done_here_through_the_same_function():
    done = list(ordered_map(shifted, range(10), workers=4, initializer=prepare, initargs=(1,)))
    assert done == [(n + 1, os.getpid()) for n in range(10)]


def test_items_are_read_only_as_fast_as_results_are_taken():
    drawn: list[int] = []

    def items():
        for n in range(100_000):
            drawn.append(n)
            yield n

    results = ordered_map(shifted, items(), workers=2, initializer=prepare, initargs=(0,), chunk=50)
    taken = [next(results) for _ in range(120)]
    assert [value for value, _ in taken] == list(range(120))
    # IN_FLIGHT runs per worker sent, as many done here while they start, one more per run taken
    assert len(drawn) <= 50 * (2 * (2 * parallel.IN_FLIGHT) + 120 // 50 + 1)
    results.close()


def test_an_error_in_a_worker_reaches_the_caller():
    with pytest.raises(ValueError, match="unlucky item"):
        list(
            ordered_map(
                shifted, range(13_000, 14_000), workers=2, initializer=prepare, initargs=(0,)
            )
        )


def test_the_default_is_the_cores_this_process_may_use():
    assert 1 <= parallel.default_workers() <= (os.cpu_count() or 1)
