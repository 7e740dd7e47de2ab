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
from functools import partial
from itertools import islice
from typing import Any, TypeVar

from scoring.i18n import language, set_language

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
    for done in ordered_chunks(
        partial(_run_chunk, function),
        items,
        workers=workers,
        initializer=initializer,
        initargs=initargs,
        chunk=chunk,
        modules=(function.__module__,),
    ):
        yield from done


def ordered_chunks(
    function: Callable[[list[T]], R],
    items: Iterable[T],
    *,
    workers: int,
    initializer: Callable[..., None] | None = None,
    initargs: Sequence[Any] = (),
    chunk: int = CHUNK,
    modules: Sequence[str] = (),
) -> Generator[R, None, None]:
    """``function`` of each run of ``chunk`` items, in order: :func:`ordered_map` a run at a time.

    For work whose result for a run of items is smaller, or cheaper to take in, than the
    results of its items one by one (a batch's summary lines, rendered in the worker).
    ``modules``: what the workers will import, besides the function's and initializer's.
    """
    source = iter(items)
    first = list(islice(source, chunk * 2))
    chunks = _chunks(first, source, chunk)
    if workers <= 1 or len(first) < chunk * 2:  # not worth starting processes for
        if initializer is not None:
            initializer(*initargs)
        yield from map(function, chunks)
        return
    imported = {*modules, function.__module__, getattr(initializer, "__module__", None)}
    with ProcessPoolExecutor(
        max_workers=workers,
        mp_context=_context(imported),
        initializer=_start_worker,
        initargs=(language(), initializer, tuple(initargs)),
    ) as pool:
        pending: deque[Future[R]] = deque()
        try:
            for part in islice(chunks, workers * IN_FLIGHT):
                pending.append(pool.submit(function, part))
            pending.extend(_while_workers_start(pending, chunks, function, initializer, initargs))
            while pending:
                done = pending.popleft().result()
                for part in islice(chunks, 1):  # one out, one in
                    pending.append(pool.submit(function, part))
                yield done
        finally:
            for future in pending:  # stopped early (an error, ^C): leave the rest undone
                future.cancel()


def _while_workers_start(
    sent: deque[Future[R]],
    chunks: Iterator[list[T]],
    function: Callable[[list[T]], R],
    initializer: Callable[..., None] | None,
    initargs: Sequence[Any],
) -> list[Future[R]]:
    """The runs after those ``sent``, done here until a worker has finished its first.

    Workers take a while to start (the forkserver importing, each worker preparing); this
    process, which would wait for them, does the next runs itself meanwhile. Their results
    come after those of the runs sent, as the runs do, so the order is the items' whatever
    did the work. At most as many runs as were sent are done here.
    """
    done: list[Future[R]] = []
    while len(done) < len(sent) and not any(future.done() for future in sent):
        part = next(chunks, None)
        if part is None:
            break
        if not done and initializer is not None:
            initializer(*initargs)  # what the function finds, here as in the workers
        future: Future[R] = Future()
        future.set_result(function(part))
        done.append(future)
    return done


def start_early(workers: int, *modules: str) -> None:
    """Start the processes workers are forked from now, importing ``modules`` beside this one.

    A batch calls it before it loads its ruleset and opens its input: the forkserver's imports
    (those of the function and initializer :func:`ordered_map` will be given) then overlap that
    work instead of following it. Nothing to do for one worker, or off Linux.
    """
    if workers > 1 and sys.platform == "linux":
        from multiprocessing import forkserver

        _context(set(modules))
        forkserver.ensure_running()


def _start_worker(
    spoken: str, initializer: Callable[..., None] | None, initargs: tuple[Any, ...]
) -> None:
    """A worker's start: this process's language (the command line's), then ``initializer``.

    A worker starts from a fresh process (the forkserver's), which speaks the default language;
    its messages go into the same summary and onto the same screen as this process's.
    """
    set_language(spoken)
    if initializer is not None:
        initializer(*initargs)


def _chunks(first: list[T], rest: Iterator[T], size: int) -> Iterator[list[T]]:
    for start in range(0, len(first), size):
        yield first[start : start + size]
    while part := list(islice(rest, size)):
        yield part


def _run_chunk(function: Callable[[T], R], part: list[T]) -> list[R]:
    return [function(item) for item in part]


def _context(modules: set[str | None]) -> Any:
    """The forkserver where there is one: workers start from a clean process, not this one.

    Forking this process would copy its threads' locks (a progress bar draws from a thread) and
    everything it holds; spawn, the only way on Windows and macOS, starts each worker afresh.
    The forkserver imports ``modules`` (those of the function and initializer) once, so that
    each worker forked from it starts with them imported instead of importing them itself, one
    worker after another.
    """
    if sys.platform == "linux":
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload(sorted(name for name in modules if name))
        return context
    return multiprocessing.get_context("spawn")  # pragma: no cover


__all__ = ["default_workers", "ordered_chunks", "ordered_map", "start_early"]
