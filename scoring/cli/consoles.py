"""The consoles: stdout and stderr, safe for any data and any console encoding.

The progress bars are in ``scoring/cli/bars.py``, imported when a command draws one.
"""

from __future__ import annotations

import codecs
import io
import os
import sys
import unicodedata
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

from rich.console import Console, ConsoleOptions, RenderableType
from rich.segment import Segment

from scoring.render.text_safety import printable

if TYPE_CHECKING:
    from rich.table import Table

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
