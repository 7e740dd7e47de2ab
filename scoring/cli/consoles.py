"""The consoles: stdout and stderr, safe for any data and any console encoding; progress bars."""

from __future__ import annotations

import codecs
import io
import os
import sys
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any, TypeVar

from rich.console import Console, ConsoleOptions, RenderableType
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
from rich.segment import Segment
from rich.table import Table
from rich.text import Text

from scoring.i18n import _
from scoring.render.text_safety import printable

T = TypeVar("T")

CONSOLE_ERRORS = "scoring-console"
"""The codec error handler stdout and stderr use for characters their encoding cannot hold."""

ASCII_LOOKALIKES = {
    "−": "-",
    "–": "-",
    "—": "-",
    "×": "x",
    "÷": "/",
    "→": "->",
    "←": "<-",
    "≤": "<=",
    "≥": ">=",
    "≠": "!=",
    "…": "...",
    "·": ".",
    "“": '"',
    "”": '"',
    "‘": "'",
    "’": "'",
}
"""What a console that cannot show a symbol the breakdown uses shows instead."""


def _lookalike(character: str) -> str:
    """An ASCII stand-in for a character a console cannot show: a look-alike, else ``?``."""
    if character in ASCII_LOOKALIKES:
        return ASCII_LOOKALIKES[character]
    name = unicodedata.name(character, "")
    if name.startswith("BOX DRAWINGS"):
        if " AND " in name or ("HORIZONTAL" in name) == ("VERTICAL" in name):
            return "+"
        return "-" if "HORIZONTAL" in name else "|"
    compatible = unicodedata.normalize("NFKC", character)  # full-width ０–９, ％, ：
    if compatible.isascii() and compatible.isprintable():
        return compatible
    return "??" if unicodedata.east_asian_width(character) in "WF" else "?"  # keep columns


def _console_fallback(error: UnicodeError) -> tuple[str, int]:
    if not isinstance(error, UnicodeEncodeError):
        raise error
    text = error.object[error.start : error.end]
    return "".join(map(_lookalike, text)), error.end


def configure_streams() -> None:
    """Let stdout and stderr write to any console encoding (GBK, ASCII …) without failing.

    A character the encoding cannot hold becomes an ASCII look-alike (− → -, box lines → + - |)
    or ``?``, instead of a UnicodeEncodeError traceback halfway through the table.
    """
    codecs.register_error(CONSOLE_ERRORS, _console_fallback)
    for stream in (sys.stdout, sys.stderr):
        if isinstance(stream, io.TextIOWrapper):
            stream.reconfigure(errors=CONSOLE_ERRORS)


class SafeConsole(Console):
    """A console that shows data as data, whatever a file put into a name, a fact or a reason.

    Markup and emoji codes are off, so ``[conceal]`` or ``[/bold]`` in a subject prints as it is
    written; and every piece of text passes through :func:`printable` on its way out, so no
    escape sequence, terminal hyperlink or bidi override reaches the terminal, whichever table,
    title or message carried it.
    """

    def __init__(self, **options: Any) -> None:
        super().__init__(highlight=False, markup=False, emoji=False, **options)

    def render(
        self, renderable: RenderableType, options: ConsoleOptions | None = None
    ) -> Iterable[Segment]:
        """The segments of ``renderable``, with control characters taken out of its text."""
        for segment in super().render(renderable, options):
            if segment.control or segment.text.isprintable():
                yield segment
            else:
                yield Segment(printable(segment.text), segment.style)


stdout = SafeConsole(soft_wrap=False)
stderr = SafeConsole(stderr=True, soft_wrap=True)
WHOLE_WIDTH = 10_000  # as render/terminal.py's, kept here so that start-up loads no renderer
"""Wide enough for any table row on one line: what a pipe or a file gets."""


def drawn(draw: Callable[[Console], None]) -> str:
    """What ``draw`` prints, as plain text at full width: nothing cut, folded or wrapped."""
    with open(os.devnull, "w", encoding="utf-8") as devnull:
        console = SafeConsole(width=WHOLE_WIDTH, record=True, file=devnull)
        draw(console)
    return console.export_text()


def print_table(console: Console, table: Table) -> None:
    """A terminal folds a table to its width; a file or pipe gets it whole, a row a line."""
    if console is not stdout or stdout.is_terminal:
        console.print(table)
        return
    whole = stdout.measure(table, options=stdout.options.update_width(WHOLE_WIDTH)).maximum
    SafeConsole(width=whole).print(table)


class _RateColumn(ProgressColumn):
    """Units scored per second, from the units counted in the task's ``units`` field."""

    def render(self, task: Task) -> Text:
        elapsed = task.elapsed or 0
        units = task.fields.get("units", 0)
        rate = f"{units / elapsed:,.0f}" if elapsed > 0.5 else "…"
        return Text(_("{units:,} units, {rate}/s").format(units=units, rate=rate))


def stream_progress(
    items: Iterable[T], label: str, total: int | None, done: Callable[[], int] | None = None
) -> Iterator[T]:
    """The items as they come, with a bar, the units per second and the time left on a terminal.

    ``total`` is what the bar runs to: the units, or (with ``done``, which says how far the
    input has been read) the bytes of the input, when the units are not known before the end.
    """
    if not stderr.is_terminal:
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
    with Progress(*columns, console=stderr, transient=True) as progress:
        task = progress.add_task(label, total=total, units=0)
        for count, item in enumerate(items, start=1):
            completed = done() if done is not None else count
            progress.update(task, completed=completed, units=count)
            yield item


def progress_bar(items: Sequence[T], label: str) -> Iterator[T]:
    """The items, with a progress bar on a terminal (none when stderr goes to a file or pipe)."""
    if not stderr.is_terminal:
        yield from items
        return
    columns = (
        TextColumn(label, markup=False),
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
    )
    with Progress(*columns, console=stderr, transient=True) as progress:
        yield from progress.track(items)
