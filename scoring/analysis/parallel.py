"""Work spread over processes, results in input order, memory flat in the number of items.

``ordered_map(function, items, workers=N)`` is ``map(function, items)`` computed by ``N`` worker
processes (concurrent.futures, no scheduler of our own): items go out in chunks, at most a few
chunks per worker are in flight, and results come back in the order the items came in, so what
is written from them is the same bytes whatever ``N``. With one worker, or too few items to be
worth starting processes for, everything runs here, through the very same function.
"""

from __future__ import annotations

import multiprocessing
import os
import sys
from collections import deque
from collections.abc import Callable, Generator, Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from itertools import islice
from typing import Any, TypeVar

T = TypeVar("T")
R = TypeVar("R")

CHUNK = 256
"""Items per task: large enough that sending a task costs little beside scoring it."""
IN_FLIGHT = 3
"""Chunks per worker sent ahead: enough to keep every worker busy, few enough to stay small."""


def default_workers() -> int:
    """The cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - macOS and Windows have no affinity mask
        return os.cpu_count() or 1


def ordered_map(
    function: Callable[[T], R],
    items: Iterable[T],
    *,
    workers: int,
    initializer: Callable[..., None] | None = None,
    initargs: Sequence[Any] = (),
    chunk: int = CHUNK,
) -> Generator[R, None, None]:
    """``function`` of each item, in the items' order, computed by ``workers`` processes.

    ``function`` and ``initializer`` must be importable module-level functions (they are sent
    to the workers by name); ``initializer(*initargs)`` runs once in each worker, and here
    when the work stays here, so that ``function`` finds what it prepares (a ruleset) in
    either place. Items are read from ``items`` only as fast as results are taken.
    """
    source = iter(items)
    first = list(islice(source, chunk * 2))
    if workers <= 1 or len(first) < chunk * 2:  # not worth starting processes for
        if initializer is not None:
            initializer(*initargs)
        yield from map(function, first)
        yield from map(function, source)
        return
    chunks = _chunks(first, source, chunk)
    with ProcessPoolExecutor(
        max_workers=workers,
        mp_context=_context(),
        initializer=initializer,
        initargs=tuple(initargs),
    ) as pool:
        pending: deque[Future[list[R]]] = deque()
        try:
            for part in islice(chunks, workers * IN_FLIGHT):
                pending.append(pool.submit(_run_chunk, function, part))
            while pending:
                done = pending.popleft().result()
                for part in islice(chunks, 1):  # one out, one in
                    pending.append(pool.submit(_run_chunk, function, part))
                yield from done
        finally:
            for future in pending:  # stopped early (an error, ^C): leave the rest undone
                future.cancel()


def _chunks(first: list[T], rest: Iterator[T], size: int) -> Iterator[list[T]]:
    for start in range(0, len(first), size):
        yield first[start : start + size]
    while part := list(islice(rest, size)):
        yield part


def _run_chunk(function: Callable[[T], R], part: list[T]) -> list[R]:
    return [function(item) for item in part]


def _context() -> Any:
    """The forkserver where there is one: workers start from a clean process, not this one.

    Forking this process would copy its threads' locks (a progress bar draws from a thread) and
    everything it holds; spawn, the only way on Windows and macOS, starts each worker afresh.
    """
    if sys.platform == "linux":
        return multiprocessing.get_context("forkserver")
    return multiprocessing.get_context("spawn")  # pragma: no cover


__all__ = ["default_workers", "ordered_map"]
