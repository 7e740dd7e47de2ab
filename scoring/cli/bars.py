"""Progress bars on stderr, drawn on a terminal only; imported when a command draws one."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import TypeVar

from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    ProgressColumn,
    Task,
    TaskProgressColumn,
    TextColumn,
    TimeRemainingColumn,
)
from rich.text import Text

from scoring.cli import consoles
from scoring.i18n import _

T = TypeVar("T")


class _RateColumn(ProgressColumn):
    """Units scored per second, from the units counted in the task's ``units`` field."""

    def render(self, task: Task) -> Text:
        elapsed = task.elapsed or 0
        units = task.fields.get("units", 0)
        rate = f"{units / elapsed:,.0f}" if elapsed > 0.5 else "…"
        return Text(_("{units:,} units, {rate}/s").format(units=units, rate=rate))


def stream_progress(
    items: Iterable[T],
    label: str,
    total: int | None,
    done: Callable[[], int] | None = None,
    *,
    size: Callable[[T], int] | None = None,
) -> Iterator[T]:
    """The items as they come, with a bar, the units per second and the time left on a terminal.

    ``total`` is what the bar runs to: the units, or (with ``done``, which says how far the
    input has been read) the bytes of the input, when the units are not known before the end.
    ``size``: how many units an item holds (a run of units), when not one.
    """
    if not consoles.stderr.is_terminal:
        yield from items
        return
    counted = done is None and total is not None  # the units known: say 12/40, else 30 %
    columns = (
        TextColumn(label, markup=False),
        BarColumn(),
        MofNCompleteColumn() if counted else TaskProgressColumn(),
        _RateColumn(),
        TimeRemainingColumn(),
    )
    with Progress(*columns, console=consoles.stderr, transient=True) as progress:
        task = progress.add_task(label, total=total, units=0)
        count = 0
        for item in items:
            count += 1 if size is None else size(item)
            completed = done() if done is not None else count
            progress.update(task, completed=completed, units=count)
            yield item


def progress_bar(items: Sequence[T], label: str) -> Iterator[T]:
    """The items, with a progress bar on a terminal (none when stderr goes to a file or pipe)."""
    if not consoles.stderr.is_terminal:
        yield from items
        return
    columns = (
        TextColumn(label, markup=False),
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
    )
    with Progress(*columns, console=consoles.stderr, transient=True) as progress:
        yield from progress.track(items)
