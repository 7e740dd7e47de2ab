"""The `scoring` command: score, verify, lint, test, diff, template, schema.

The only module that prints or exits. Exit codes: 0 success; 1 the input was read and found
wanting (any ScoringError); 2 a usage error, a file that cannot be read, or rules that cannot be
looked up (so nothing could be checked against them).
"""

from __future__ import annotations

import codecs
import contextlib
import csv
import errno
import functools
import importlib
import io
import json
import locale
import os
import re
import stat
import sys
import tempfile
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, NoReturn, ParamSpec, TypeVar

import typer
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
from typer import rich_utils
from typer.core import TyperArgument, TyperCommand, TyperGroup, TyperOption
from typer.models import CommandFunctionType

from scoring import i18n
from scoring.errors import (
    FactsError,
    Issue,
    ResultError,
    RulesetError,
    ScoringError,
    SearchPathError,
    SigningError,
    SourceLocation,
    suggest,
)
from scoring.i18n import N_, _, ngettext
from scoring.model.documents import json_text
from scoring.model.located import LocatedDict, locate
from scoring.render.formats import RESULT_FORMATS
from scoring.render.text_safety import printable


class _Lazy:
    """A module imported when one of its names is first used: ``scoring --help`` needs few."""

    def __init__(self, name: str):
        self._name = name
        self._module: Any = None

    def __getattr__(self, attribute: str) -> Any:
        if self._module is None:
            self._module = importlib.import_module(self._name)
        return getattr(self._module, attribute)


if TYPE_CHECKING:  # the modules as they are, for type checkers; imported on first use otherwise
    import scoring.analysis.batch as batch_units
    import scoring.analysis.diff as _diff
    import scoring.analysis.gap as _gap
    import scoring.analysis.parallel as _parallel
    import scoring.analysis.ruleset_tests as _ruleset_tests
    import scoring.analysis.verify as _verify
    import scoring.engine.score as _engine
    import scoring.load.loader as _loader
    import scoring.load.registry as _registry
    import scoring.load.workbook as _filled_workbook
    import scoring.load.xlsx as _xlsx
    import scoring.load.yaml_source as _sourcemap
    import scoring.model.facts as _facts_models
    import scoring.model.results as _results
    import scoring.model.ruleset as _models
    import scoring.model.signing as signing
    import scoring.render as _render
    import scoring.render.report as _render_report
    import scoring.render.safe as _render_safe
    import scoring.render.schema as _schema
    import scoring.render.template as _template
    import scoring.render.terminal as _render_terminal
    import scoring.render.workbook as workbook
else:
    batch_units = _Lazy("scoring.analysis.batch")
    _diff = _Lazy("scoring.analysis.diff")
    _engine = _Lazy("scoring.engine.score")
    _gap = _Lazy("scoring.analysis.gap")
    _loader = _Lazy("scoring.load.loader")
    _models = _Lazy("scoring.model.ruleset")
    _parallel = _Lazy("scoring.analysis.parallel")
    _registry = _Lazy("scoring.load.registry")
    _render = _Lazy("scoring.render")
    _render_report = _Lazy("scoring.render.report")
    _render_safe = _Lazy("scoring.render.safe")
    _render_terminal = _Lazy("scoring.render.terminal")
    _results = _Lazy("scoring.model.results")
    _ruleset_tests = _Lazy("scoring.analysis.ruleset_tests")
    _schema = _Lazy("scoring.render.schema")
    signing = _Lazy("scoring.model.signing")
    _sourcemap = _Lazy("scoring.load.yaml_source")
    _template = _Lazy("scoring.render.template")
    _verify = _Lazy("scoring.analysis.verify")
    _filled_workbook = _Lazy("scoring.load.workbook")
    workbook = _Lazy("scoring.render.workbook")
    _xlsx = _Lazy("scoring.load.xlsx")

P = ParamSpec("P")
T = TypeVar("T")


# --- the language -----------------------------------------------------------------------------
#
# Typer reads help texts when the app is built, before the language is known: they are marked
# with N_() (a command's help is its docstring, which tools/i18n.py extracts) and translated on
# the click command tree when a run starts, once the language is chosen. Typer's own words are
# put into typer.rich_utils, where its help and error panels read them.

TYPER_TEXTS = {
    "DEPRECATED_STRING": N_("(deprecated) "),
    "DEFAULT_STRING": N_("[default: {}]"),
    "ENVVAR_STRING": N_("[env var: {}]"),
    "REQUIRED_LONG_STRING": N_("[required]"),
    "ARGUMENTS_PANEL_TITLE": N_("Arguments"),
    "OPTIONS_PANEL_TITLE": N_("Options"),
    "COMMANDS_PANEL_TITLE": N_("Commands"),
    "ERRORS_PANEL_TITLE": N_("Error"),
    "ABORTED_TEXT": N_("Aborted."),
    "RICH_HELP": N_("Try [blue]'{command_path} {help_option}'[/] for help."),
}
"""The words Typer prints around help and usage errors (names in typer.rich_utils), in English."""

TYPER_HELP = (
    N_("Show this message and exit."),
    N_("Install completion for the current shell."),
    N_("Show completion for the current shell, to copy it or customize the installation."),
)
"""The help of the options Typer adds (--help, the completion options): translated as any other."""

USAGE_ERRORS = tuple(
    (re.compile(pattern, re.DOTALL), message)
    for pattern, message in (
        (r"Missing argument (?P<name>.+)\.", N_("Missing argument {name}.")),
        (r"Missing option (?P<name>.+)\.", N_("Missing option {name}.")),
        (r"Missing command\.", N_("Missing command.")),
        (
            r"No such option: (?P<name>\S+) \(Possible options: (?P<choices>.+)\)",
            N_("No such option: {name} (did you mean {choices}?)"),
        ),
        (
            r"No such option: (?P<name>\S+) Did you mean (?P<choices>.+)\?",
            N_("No such option: {name} (did you mean {choices}?)"),
        ),
        (r"No such option: (?P<name>\S+)", N_("No such option: {name}")),
        (
            r"No such command (?P<name>.+?)\. Did you mean (?P<choices>.+)\?",
            N_("No such command {name} (did you mean {choices}?)"),
        ),
        (r"No such command (?P<name>.+)\.", N_("No such command {name}.")),
        (
            r"Got unexpected extra argument(?:s|\(s\))? \((?P<values>.*)\)",
            N_("Unexpected extra arguments: {values}"),
        ),
        (r"Option (?P<name>.+) requires an argument\.", N_("Option {name} needs a value.")),
        (
            r"Invalid value for (?P<name>.+?): (?P<reason>.+)",
            N_("Invalid value for {name}: {reason}"),
        ),
    )
)
"""Click's usage errors, as it words them, and how scoring says each (a known one only)."""

INVALID_VALUES = tuple(
    (re.compile(pattern, re.DOTALL), message)
    for pattern, message in (
        (
            r"(?:Value error, )?(?P<value>.+) is not one of (?P<choices>.+)\.",
            N_("{value} is not one of {choices}"),
        ),
        (r"\w+ (?P<name>'.+') does not exist\.", N_("{name} does not exist")),
        (r"\w+ (?P<name>'.+') is a directory\.", N_("{name} is a folder, not a file")),
        (r"\w+ (?P<name>'.+') is a file\.", N_("{name} is a file, not a folder")),
    )
)
"""Why click found a value invalid, as it words it, and how scoring says it."""


def usage_error_text(message: str) -> str:
    """Click's English ``message`` for a usage error in the chosen language, if it is known."""
    if i18n.language() == "en":
        return message  # click's own words
    for patterns in (USAGE_ERRORS, INVALID_VALUES):
        for pattern, text in patterns:
            found = pattern.fullmatch(message)
            if found is None:
                continue
            values = found.groupdict()
            if "reason" in values:
                values["reason"] = usage_error_text(values["reason"])
            return _(text).format(**values)
    return message


@contextlib.contextmanager
def _usage_errors_translated() -> Iterator[None]:
    """A usage error meanwhile (a missing argument, an unknown option …) in the chosen language.

    Its usage line and exit code stay as they are.
    """
    try:
        yield
    except typer.TyperException as exc:
        text = usage_error_text(exc.format_message())
        if text != exc.format_message():
            # Typer prints format_message(): shadow it on this one exception object.
            exc.__dict__["format_message"] = lambda: text
        raise


def asked_language(args: Sequence[str]) -> str | None:
    """What ``--lang`` asks for among scoring's own options (those before the command).

    Read before click parses anything, so that even ``scoring --lang zh --help`` is in the
    language asked; a value that is not a language is left to click to refuse.
    """
    asked = None
    tokens = iter(args)
    for token in tokens:
        if token == "--" or not token.startswith("-"):
            break  # the command: what follows are its own options
        if token == "--lang":
            value = next(tokens, "")
        elif token.startswith("--lang="):
            value = token.partition("=")[2]
        else:
            continue
        if value.lower() in i18n.LANGUAGES:
            asked = value.lower()
    return asked


OS_REASONS = {
    errno.ENOENT: N_("No such file or directory"),
    errno.EACCES: N_("Permission denied"),
    errno.EPERM: N_("Operation not permitted"),
    errno.EISDIR: N_("Is a directory"),
    errno.ENOTDIR: N_("Not a directory"),
    errno.EEXIST: N_("File exists"),
    errno.ENOSPC: N_("No space left on device"),
    errno.EROFS: N_("Read-only file system"),
    errno.ENAMETOOLONG: N_("File name too long"),
    errno.EBUSY: N_("Device or resource busy"),
    errno.ENOTEMPTY: N_("Directory not empty"),
}
"""What the operating system says for the refusals a user meets, in English (as Linux says it)."""


def os_reason(exc: OSError) -> str:
    """Why the operating system refused: its own words, or scoring's in the chosen language."""
    known = OS_REASONS.get(exc.errno) if exc.errno is not None else None
    if known is None or i18n.language() == "en":
        return exc.strerror or str(exc)
    return _(known)


def _system_locale() -> tuple[str | None, str | None]:
    """The system's locale, which on Windows names the language no environment variable does."""
    try:
        return locale.getlocale()
    except ValueError:  # a locale name Python cannot parse
        return None, None


MAKE_RICH_TEXT = "_make_rich_text"
"""The typer.rich_utils function that makes each help text: its text is made to fold."""


@contextlib.contextmanager
def _in_language(language: str) -> Iterator[None]:
    """Messages and Typer's own words in ``language`` while the block runs, as before after it.

    A help text folds at the edge of its column instead of ending in "…": Chinese has no spaces
    to wrap at, so Typer would cut a sentence short.
    """
    before = i18n.language()
    saved = {name: getattr(rich_utils, name) for name in TYPER_TEXTS if hasattr(rich_utils, name)}
    make_text = getattr(rich_utils, MAKE_RICH_TEXT, None)
    i18n.set_language(language)
    for name in saved:
        setattr(rich_utils, name, _(TYPER_TEXTS[name]))
    if make_text is not None:
        setattr(rich_utils, MAKE_RICH_TEXT, _folding(make_text))
    try:
        yield
    finally:
        for name, text in saved.items():
            setattr(rich_utils, name, text)
        if make_text is not None:
            setattr(rich_utils, MAKE_RICH_TEXT, make_text)
        i18n.set_language(before)


def _folding(make_text: Callable[P, T]) -> Callable[P, T]:
    """``make_text``, its rich Text folding where a word is wider than its column."""

    @functools.wraps(make_text)
    def make(*args: P.args, **kwargs: P.kwargs) -> T:
        made = make_text(*args, **kwargs)
        if isinstance(made, Text):
            made.overflow = "fold"
        return made

    return make


def _translate_help(command: TyperCommand | TyperGroup) -> None:
    """The help of ``command`` and of every command under it, in the chosen language."""
    if command.help:
        command.help = _(command.help)
    if command.short_help:
        command.short_help = _(command.short_help)
    if isinstance(command, TyperGroup):
        for each in command.commands.values():
            if isinstance(each, TyperCommand | TyperGroup):
                _translate_help(each)


def _translated_params(params: list[Any]) -> list[Any]:
    """The parameters with their help in the chosen language (Typer's --help option too)."""
    for param in params:
        if isinstance(param, TyperOption | TyperArgument) and param.help:
            param.help = _(param.help)
    return params


def _format_usage(command: TyperCommand | TyperGroup, ctx: Any, formatter: Any) -> None:
    pieces = command.collect_usage_pieces(ctx)
    formatter.write_usage(ctx.command_path, " ".join(pieces), _("Usage: "))


class _Command(TyperCommand):
    """A command whose usage line and option help are in the chosen language."""

    def get_params(self, ctx: Any) -> list[Any]:
        """The parameters, their help translated."""
        return _translated_params(super().get_params(ctx))

    def format_usage(self, ctx: Any, formatter: Any) -> None:
        """``Usage: …`` in the chosen language."""
        _format_usage(self, ctx, formatter)


class _Group(TyperGroup):
    """A group of commands that speaks the chosen language: help, usage lines and usage errors.

    The top one (``scoring``) chooses the language when it starts, before anything is parsed or
    printed: ``--lang``, else :func:`scoring.i18n.default_language`; and puts the language before
    back when it ends, so that running it in-process (tests) leaves no other language behind.
    """

    def main(
        self,
        args: Sequence[str] | None = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        windows_expand_args: bool = True,
        **extra: Any,
    ) -> Any:
        """Run the command line in the language asked for, or the one the environment names."""
        given = sys.argv[1:] if args is None else args
        chosen = asked_language(given) or i18n.default_language(os.environ, _system_locale())
        with _in_language(chosen):
            _translate_help(self)
            return super().main(
                args, prog_name, complete_var, standalone_mode, windows_expand_args, **extra
            )

    def make_context(
        self, info_name: str | None, args: list[str], parent: Any = None, **extra: Any
    ) -> Any:
        """Parse scoring's own options; a usage error in the chosen language."""
        with _usage_errors_translated():
            return super().make_context(info_name, args, parent, **extra)

    def invoke(self, ctx: Any) -> Any:
        """Run the command asked for; a usage error in the chosen language."""
        with _usage_errors_translated():
            return super().invoke(ctx)

    def get_params(self, ctx: Any) -> list[Any]:
        """The parameters, their help translated."""
        return _translated_params(super().get_params(ctx))

    def format_usage(self, ctx: Any, formatter: Any) -> None:
        """``Usage: …`` in the chosen language."""
        _format_usage(self, ctx, formatter)


class _App(typer.Typer):
    """A Typer whose commands are :class:`_Command` unless told otherwise."""

    def command(
        self, name: str | None = None, *, cls: type[TyperCommand] | None = None, **options: Any
    ) -> Callable[[CommandFunctionType], CommandFunctionType]:
        """Register a command (its help is its docstring, translated when a run starts)."""
        return super().command(name, cls=cls or _Command, **options)


app = _App(
    help=N_("Score budget performance (预算绩效评价) against versioned YAML rulesets."),
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    cls=_Group,
)
RulesetsOption = Annotated[
    list[Path] | None,
    typer.Option(
        "--rulesets",
        help=N_("Another directory of rulesets to search (repeatable)."),
        file_okay=False,
    ),
]
TextOrJsonOutputOption = Annotated[
    Path | None,
    typer.Option(
        "-o",
        "--output",
        help=N_("Write to this file instead: .txt or .json. - is standard output."),
        dir_okay=False,
    ),
]
AllowShadowOption = Annotated[
    bool,
    typer.Option(
        "--allow-shadow",
        help=N_(
            "Let a ruleset in a --rulesets directory replace a different shipped one with the "
            "same id@version (refused otherwise: it would change scores without a word)."
        ),
    ),
]


SignOption = Annotated[
    Path | None,
    typer.Option(
        "--sign",
        help=N_(
            "Sign each result written with this private key (NAME.key, from scoring keys new)."
        ),
        dir_okay=False,
        metavar="KEY",
    ),
]


def _fail(message: str, code: int) -> NoReturn:
    stderr.print(Text(message))
    raise typer.Exit(code)


def _handled(command: Callable[P, None]) -> Callable[P, None]:
    """Turn the package's errors into one message and an exit code, never a traceback."""

    @functools.wraps(command)
    def run(*args: P.args, **kwargs: P.kwargs) -> None:
        try:
            command(*args, **kwargs)
        except SearchPathError as exc:  # the rules cannot be looked up: nothing was checked
            _fail(str(exc), 2)
        except ScoringError as exc:
            _fail(str(exc), 1)
        except OSError as exc:
            message = _("error: cannot read {file}: {reason}")
            _fail(message.format(file=exc.filename or "", reason=os_reason(exc)), 2)

    return run


# --- the console ------------------------------------------------------------------------------

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


def _configure_streams() -> None:
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


def _drawn(draw: Callable[[Console], None]) -> str:
    """What ``draw`` prints, as plain text at full width: nothing cut, folded or wrapped."""
    with open(os.devnull, "w", encoding="utf-8") as devnull:
        console = SafeConsole(width=WHOLE_WIDTH, record=True, file=devnull)
        draw(console)
    return console.export_text()


def _show(
    draw: Callable[[Console], None], output: Path | None, inputs: Sequence[Path], what: str
) -> None:
    """Text for a person: wrapped to a terminal's width; whole lines into a pipe or a file."""
    if output is not None and not _is_stdout(output):
        write_output(output, _drawn(draw), inputs, what)
    elif stdout.is_terminal:
        draw(stdout)
    else:
        sys.stdout.write(_drawn(draw))
        sys.stdout.flush()


def _print_table(console: Console, table: Table) -> None:
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


def _stream_progress(
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


def _progress(items: Sequence[T], label: str) -> Iterator[T]:
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


# --- outputs ----------------------------------------------------------------------------------

STDOUT_NAMES = ("-", "/dev/stdout")
"""What ``-o`` takes to mean standard output."""

SUFFIX_FORMATS = {
    **{fmt.suffix: name for name, fmt in RESULT_FORMATS.items()},
    ".csv": "csv",  # a batch summary
    ".parquet": "parquet",  # a batch summary
    ".yaml": "yaml",  # a facts template
    ".yml": "yaml",
}
"""The format an output file's suffix asks for: a result's formats, and the other commands'."""
FORMAT_SUFFIXES = {name: suffix for suffix, name in reversed(SUFFIX_FORMATS.items())}
BINARY_FORMATS = (*(name for name, fmt in RESULT_FORMATS.items() if fmt.is_binary), "parquet")


def _is_stdout(output: Path | None) -> bool:
    return output is not None and str(output) in STDOUT_NAMES


def _output_format(
    command: str,
    output: Path | None,
    formats: Sequence[str],
    inputs: Sequence[Path],
    *,
    chosen: str | None = None,
    option: str = "--format",
    what: str = "",
) -> str:
    """What a command writes: ``chosen`` (--format), else what -o's suffix says, else the first.

    A suffix that says another format than ``chosen`` is a usage error naming both, and so is
    an -o file whose suffix says no format of this command when nothing was chosen. An -o file
    that may not be written (an input, a link, a device) is refused first.
    """
    fmt = chosen
    if output is not None and not _is_stdout(output):
        check_output(output, inputs, what)
        suffix = output.suffix.lower()
        named = SUFFIX_FORMATS.get(suffix)
        if chosen is not None and named is not None and named != chosen:
            message = _(
                "error: -o {output} is a {suffix} file but {option} asks for {chosen}: "
                "give one of them, or make them agree"
            ).format(output=output, suffix=suffix, option=option, chosen=chosen)
            _fail(message, 2)
        if chosen is None:
            if named not in formats:
                suffixes = ", ".join(FORMAT_SUFFIXES[name] for name in formats)
                message = _(
                    "error: -o {output}: scoring {command} writes {suffixes} files; "
                    "end the file name with one of them, or give --format"
                ).format(output=output, command=command, suffixes=suffixes)
                _fail(message, 2)
            fmt = named
    fmt = fmt or formats[0]
    if fmt in BINARY_FORMATS and (output is None or (_is_stdout(output) and stdout.is_terminal)):
        message = _(
            "error: --format {format} writes a workbook: give -o FILE.xlsx (not a terminal)"
        )
        _fail(message.format(format=fmt), 2)
    return fmt


def write_output(
    output: Path | None, content: str | bytes, inputs: Sequence[Path] = (), what: str = ""
) -> None:
    """Write what a command produced: to stdout (no -o, ``-o -``, ``-o /dev/stdout``) or a file.

    A file is written by :func:`write_atomic` and announced on stderr.
    """
    if output is None or _is_stdout(output):
        _write_stdout(content)
        return
    write_atomic(output, content, inputs, what=what)
    stderr.print(Text(_("wrote {file}").format(file=output)))


def _write_stdout(content: str | bytes) -> None:
    """A document on stdout: UTF-8 bytes into a file or pipe, whatever the console's encoding.

    JSON, HTML, CSV and YAML are read back as UTF-8 (``scoring verify r.json``), so a console
    encoding (GBK) must not change their bytes; on a terminal, text shows in its encoding.
    """
    buffer = getattr(sys.stdout, "buffer", None)  # a text stream that wraps bytes, normally
    if isinstance(content, str) and (buffer is None or sys.stdout.isatty()):
        sys.stdout.write(printable(content) if sys.stdout.isatty() else content)
        sys.stdout.flush()
        return
    assert buffer is not None, "a workbook needs a binary stdout"
    sys.stdout.flush()
    buffer.write(content.encode("utf-8") if isinstance(content, str) else content)
    buffer.flush()


def _file_kind(mode: int) -> str | None:
    """What a path is when it is not a regular file a command may replace, else None."""
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISLNK(mode):
        return _(
            "a symbolic link; scoring does not write through links: give the file it points to"
        )
    if stat.S_ISDIR(mode):
        return _("a directory")
    if stat.S_ISFIFO(mode):
        return _("a named pipe (FIFO), not a regular file")
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return _("a device, not a regular file")
    return _("not a regular file")


def check_output(path: Path, inputs: Sequence[Path] = (), what: str = "") -> None:
    """Refuse to write ``path`` when it is an input, a link, a directory, a pipe or a device.

    A special file is never replaced by a regular one: ``-o /dev/sda`` run as root must not
    take the device node away.
    """
    try:
        info = path.lstat()
    except FileNotFoundError:
        info = None
    except OSError as exc:
        _cannot_write(what, path, os_reason(exc))
    if info is not None and (kind := _file_kind(info.st_mode)) is not None:
        _cannot_write(what, path, _("it is {kind}").format(kind=kind))
    if any(_same_file(path, source) for source in inputs):
        message = _("error: -o {file} is one of the input files; choose another output file")
        _fail(message.format(file=path), 2)


def _same_file(path: Path, other: Path) -> bool:
    if path.resolve() == other.resolve():
        return True
    try:
        return path.samefile(other)  # a hard link, or a name that differs only in case
    except OSError:
        return False


def _cannot_write(what: str, path: Path, reason: str) -> NoReturn:
    what = what or _("the output")
    message = _("error: cannot write {what} to {path}: {reason}")
    _fail(message.format(what=what, path=path, reason=reason), 2)


def write_atomic(
    path: Path,
    content: str | bytes,
    inputs: Sequence[Path] = (),
    *,
    what: str = "",
    mode: int | None = None,
) -> None:
    """Write ``content`` to the regular file ``path``: a temporary file renamed into place.

    Never over an input, a link or a special file (see :func:`check_output`); a reader never
    sees half a file. Text is written as UTF-8, as given. The file gets ``mode``, else keeps
    the mode it had, else 0o644.
    """
    data = content.encode("utf-8") if isinstance(content, str) else content
    with atomic_file(path, inputs, what=what, mode=mode) as handle:
        handle.write(data)


@contextlib.contextmanager
def atomic_file(
    path: Path, inputs: Sequence[Path] = (), *, what: str = "", mode: int | None = None
) -> Iterator[io.BufferedWriter]:
    """A file written as it goes, then renamed into place at the end (as :func:`write_atomic`).

    A reader never sees half of it; when the writing stops with an error, nothing is left.
    """
    check_output(path, inputs, what)
    target = path.absolute()
    temporary: str | None = None
    try:
        kept = target.stat().st_mode & 0o777 if target.exists() else None
        descriptor, temporary = tempfile.mkstemp(
            dir=target.parent, prefix=f".{target.name}.", suffix=".tmp"
        )
        with os.fdopen(descriptor, "wb") as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temporary, mode if mode is not None else kept if kept is not None else 0o644)
        check_output(path, (), what)  # what may have appeared at the name meanwhile
        os.replace(temporary, target)
    except OSError as exc:
        reason = os_reason(exc)
        if isinstance(exc, FileNotFoundError) and not target.parent.is_dir():
            reason = _("there is no directory {directory}").format(directory=path.parent)
        _cannot_write(what, path, reason)
    finally:
        if temporary is not None:
            Path(temporary).unlink(missing_ok=True)


# --- batch output directories ------------------------------------------------------------------

NO_FOLLOW: int = getattr(os, "O_NOFOLLOW", 0)  # Windows has no symbolic links to follow here
LOCK_NAME = ".scoring-batch.lock"
"""The lock file a batch holds in its --results directory while it writes there."""

RESULT_KEYS = frozenset({"engine", "ruleset", "facts_fingerprint", "indicators"})
"""Keys every result file has: what tells a result a batch wrote from any other JSON file."""


@contextlib.contextmanager
def _results_directory(directory: Path, force: bool, keep: Sequence[Path]) -> Iterator[None]:
    """The --results directory, created if need be, held by this batch alone and empty.

    A second batch into it while this one runs is refused (so results of two runs never mix),
    and so is a directory holding an earlier run's results unless ``force`` (they are removed
    first); files that are not results (``keep``: the summary) are never removed.
    """
    try:
        directory.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        _cannot_write(_("the results"), directory, os_reason(exc))
    with _directory_lock(directory):
        kept = {path.absolute() for path in keep}
        earlier = [
            path
            for path in sorted(directory.iterdir())
            if path.name != LOCK_NAME and path.absolute() not in kept
        ]
        if earlier and not force:
            message = ngettext(
                "error: --results {directory} already holds a file ({first}) from an earlier "
                "run: give an empty or new directory, or --force to replace its results",
                "error: --results {directory} already holds {count} files ({first} …) from an "
                "earlier run: give an empty or new directory, or --force to replace its results",
                len(earlier),
            ).format(directory=directory, count=len(earlier), first=earlier[0].name)
            _fail(message, 2)
        others = [path.name for path in earlier if not _is_result_file(path)]
        if others:
            message = _(
                "error: --results {directory} holds files that are not results ({names}); "
                "--force replaces results only: give an empty or new directory"
            ).format(directory=directory, names=", ".join(others[:3]))
            _fail(message, 2)
        for path in earlier:
            try:
                path.unlink()
            except OSError as exc:
                _cannot_write(_("the results"), path, os_reason(exc))
        yield


def _is_result_file(path: Path) -> bool:
    """Whether ``path`` is a result an earlier batch wrote (or a temporary file of one)."""
    if TEMPORARY_NAME.match(path.name):
        return path.is_file()
    if path.suffix.lower() != ".json" or path.is_symlink() or not path.is_file():
        return False
    try:
        data = json.loads(path.read_bytes())
    except (OSError, ValueError):
        return False
    return isinstance(data, dict) and data.keys() >= RESULT_KEYS


TEMPORARY_NAME = re.compile(r"^\..+\.tmp$")
"""The name of a temporary file write_atomic left behind when its process was killed."""


@contextlib.contextmanager
def _directory_lock(directory: Path) -> Iterator[None]:
    """Hold ``directory``'s lock file, or exit 2 when another run holds it.

    The lock is the operating system's (``flock``, ``msvcrt.locking``): a run that crashes or
    is killed releases it, so a lock file left behind never blocks the next run.
    """
    path = directory / LOCK_NAME
    while True:
        try:
            descriptor = os.open(path, os.O_RDWR | os.O_CREAT | NO_FOLLOW, 0o644)
        except OSError as exc:
            _cannot_write(_("the lock file"), path, os_reason(exc))
        if not _try_lock(descriptor):
            os.close(descriptor)
            message = _(
                "error: another scoring batch is writing into {directory}: wait until it has "
                "finished, or give another directory"
            ).format(directory=directory)
            _fail(message, 2)
        if _still_named(descriptor, path):
            break
        os.close(descriptor)  # the run that held it removed it meanwhile: take the new one
    try:
        yield
    finally:
        if sys.platform == "win32":  # Windows removes no file that is open
            os.close(descriptor)
            with contextlib.suppress(OSError):
                path.unlink()
        else:  # removed while still held, so that no third run can lock the old file
            with contextlib.suppress(OSError):
                path.unlink()
            os.close(descriptor)


def _try_lock(descriptor: int) -> bool:
    """Take the lock on an open file without waiting; False when another process holds it."""
    try:
        if sys.platform == "win32":
            import msvcrt

            msvcrt.locking(descriptor, msvcrt.LK_NBLCK, 1)
        else:
            import fcntl

            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except (BlockingIOError, PermissionError):
        return False
    return True


def _still_named(descriptor: int, path: Path) -> bool:
    """Whether the open file ``descriptor`` is still the one ``path`` names."""
    try:
        named = path.stat()
    except FileNotFoundError:
        return False
    opened = os.fstat(descriptor)
    return (named.st_dev, named.st_ino) == (opened.st_dev, opened.st_ino)


ScoreFormat = StrEnum(  # type: ignore[misc]  # its members come from the registry
    "ScoreFormat", {name.upper(): name for name in RESULT_FORMATS}
)
"""What `scoring score` writes: every format of the registry (scoring.render.formats)."""


class TemplateFormat(StrEnum):
    """What `scoring template` writes."""

    YAML = "yaml"
    XLSX = "xlsx"


class BatchFormat(StrEnum):
    """What `scoring batch` writes as its summary."""

    TEXT = "text"
    CSV = "csv"
    JSON = "json"
    XLSX = "xlsx"
    PARQUET = "parquet"


def _score_format(
    chosen: ScoreFormat | None,
    as_json: bool,
    output: Path | None,
    inputs: Sequence[Path],
    what: str,
) -> ScoreFormat:
    """--format, else --json, else what -o's suffix says, else the text breakdown."""
    if as_json and chosen not in (None, "json"):
        message = _("error: --json is --format json: give one of --json and --format {format}")
        _fail(message.format(format=chosen), 2)
    asked = chosen.value if chosen is not None else "json" if as_json else None
    option = "--json" if as_json and chosen is None else "--format"
    fmt = ScoreFormat(
        _output_format(
            "score", output, list(ScoreFormat), inputs, chosen=asked, option=option, what=what
        )
    )
    if fmt.value not in _render.RENDERERS:
        available = ", ".join(name for name in _render.FORMATS if name in _render.RENDERERS)
        message = _(
            "error: --format {format}: this version has no {format} renderer (use {formats})"
        )
        _fail(message.format(format=fmt, formats=available), 2)
    return fmt


def _ruleset_and_facts(
    first: str,
    second: Path | None,
    rulesets: list[Path] | None,
    command: str,
    allow_shadow: bool = False,
) -> tuple[_models.Ruleset, _loader.FactsInput, Path]:
    """The ruleset and the facts input of ``COMMAND [RULESET] FACTS``, and the facts' path.

    With one argument, the facts name their ruleset (``ruleset:``, a workbook's 规则集 row).
    The facts may be YAML, JSON or a filled facts workbook (:func:`read_facts_input`).
    """
    path = Path(first)
    if second is None:
        if path.is_file() and _is_ruleset(path):
            usage = _("Usage: {usage}").format(usage=f"{command} [OPTIONS] RULESET FACTS")
            message = _("error: missing FACTS: give the facts file after the ruleset")
            _fail(f"{usage}\n{message}", 2)
        source = _loader.read_facts_input(path)
        return (
            _loader.load_named_ruleset(source, rulesets or (), allow_shadow=allow_shadow),
            source,
            path,
        )
    if path.is_file() and _is_facts(path):
        if _loader.is_workbook_file(path):
            message = _(
                "{file} is a facts workbook, not a ruleset: give the ruleset first "
                "({command} RULESET FACTS)"
            )
        else:
            message = _(
                "{file} is a facts file, not a ruleset: give the ruleset first "
                "({command} RULESET FACTS)"
            )
        _fail(f"{path}:1:1: " + message.format(file=path, command=command), 1)
    loaded = _loader.load_ruleset(first, rulesets or (), allow_shadow=allow_shadow)
    return loaded, _loader.read_facts_input(second), second


@app.command()
@_handled
def score(
    ruleset: Annotated[
        str,
        typer.Argument(
            help=N_(
                "A ruleset file, or id@version (a bare id picks the newest). Leave it out to "
                "use the ruleset the facts file names."
            ),
            metavar="RULESET",
        ),
    ],
    facts: Annotated[
        Path | None,
        typer.Argument(
            help=N_(
                "The facts file (YAML or JSON), or a filled facts workbook (.xlsx, from scoring "
                "template --format xlsx)."
            ),
            dir_okay=False,
            metavar="FACTS",
        ),
    ] = None,
    as_json: Annotated[
        bool, typer.Option("--json", help=N_("Print the machine-readable result (--format json)."))
    ] = False,
    output: Annotated[
        Path | None,
        typer.Option(
            "-o",
            "--output",
            help=N_(
                "Write to this file instead; its suffix picks the format (.txt, .json, .md, "
                ".html, .xlsx). - is standard output."
            ),
            dir_okay=False,
        ),
    ] = None,
    output_format: Annotated[
        ScoreFormat | None,
        typer.Option(
            "--format",
            help=N_(
                "text (the breakdown), json, md, html, or xlsx (the 自评表 as a workbook, with "
                "-o only). Default: what -o's suffix says, else text."
            ),
            case_sensitive=False,
        ),
    ] = None,
    overrides: Annotated[
        Path | None,
        typer.Option(
            "--overrides",
            help=N_("An auditor's overrides file, layered on the department's own."),
            dir_okay=False,
        ),
    ] = None,
    partial: Annotated[
        bool,
        typer.Option(
            "--partial",
            help=N_(
                "Score a form still being filled in: indicators whose facts are blank are "
                "marked 待填, the most the unit can still reach is shown, and no grade is given."
            ),
        ),
    ] = False,
    rulesets: RulesetsOption = None,
    sign: SignOption = None,
    allow_shadow: AllowShadowOption = False,
) -> None:
    """Score a department's facts: the breakdown, the total and the grade.

    `scoring score RULESET FACTS`, or `scoring score FACTS` when the facts name their ruleset.
    FACTS may be YAML, JSON or a filled facts workbook (.xlsx).
    """
    loaded, source, facts = _ruleset_and_facts(
        ruleset, facts, rulesets, "scoring score", allow_shadow
    )
    unit = source.check(loaded, partial=partial)
    inputs = (
        facts,
        *(Path(name) for name in loaded.origin.files),
        *([overrides] if overrides else []),
    )
    what = _("the result")
    inputs += (sign,) if sign is not None else ()
    fmt = _score_format(output_format, as_json, output, inputs, what)
    if sign is not None and fmt != "json":
        _fail(_("error: --sign signs a result: add --json (--format json)"), 2)
    key = _signing_key(sign) if sign is not None else None
    audit = _loader.load_audit_overrides(overrides, loaded, unit) if overrides is not None else None
    result = _engine.score(loaded, unit, audit, partial=partial)
    for finding in result.findings:
        if finding.code == "ruleset_mismatch":
            stderr.print(Text(_("warning: {warning}").format(warning=finding.message)))
    if fmt == "text":  # for a person: wrapped to a terminal, whole into a file or a pipe
        report = _render_report.build_report(result, loaded)
        _show(
            lambda console: _render_terminal.draw_breakdown(console, report), output, inputs, what
        )
        return
    content = _render.RENDERERS[fmt.value](result, loaded)
    if key is not None:
        assert isinstance(content, str), "--sign is refused for a workbook above"
        content = signing.sign_text(content, key)
    write_output(output, content, inputs, what)


def _is_ruleset(path: Path) -> bool:
    try:
        data = _sourcemap.parse_yaml(_registry.read_text(path), str(path))
    except RulesetError:
        return False
    return _is_ruleset_data(data)


def _is_facts(path: Path) -> bool:
    """Whether a file is a facts input of any form (YAML, JSON, a workbook), not a ruleset."""
    if _loader.is_workbook_file(path):
        return True
    try:
        source = _loader.read_facts_input(path)
    except FactsError:
        return False
    return source.is_workbook or ("facts" in source.data and not _is_ruleset_data(source.data))


def _is_ruleset_data(data: object) -> bool:
    """Whether parsed YAML is a ruleset rather than a facts file: a ruleset has an id."""
    return isinstance(data, dict) and ("id" in data or "indicators" in data)


@app.command()
@_handled
def lint(
    paths: Annotated[
        list[Path],
        typer.Argument(
            help=N_(
                "Rulesets, facts files (YAML, JSON, filled facts workbooks) and claims files, "
                "or directories of them (results in a directory are left to scoring verify)."
            )
        ),
    ],
    rulesets: RulesetsOption = None,
    allow_shadow: AllowShadowOption = False,
) -> None:
    """Check rulesets, facts files (against the ruleset they name) and claims: every problem.

    The rulesets in a directory given are on the search path, so one that extends another beside
    it is checked against it. Exit 0 when all is well, 1 when a file has problems, 2 when a file
    could not be checked (a ruleset it needs is missing, or two different files give it).
    """
    files = sorted(
        {file for path in paths for file in _lint_files(path)}
        | {book for path in paths if path.is_dir() for book in _facts_workbooks(path)}
    )
    if not files:
        message = _("error: no ruleset, facts, claims or result files in {paths}")
        _fail(message.format(paths=" ".join(map(str, paths))), 2)
    directories = [path for path in paths if path.is_dir()]
    registry = _registry.Registry([*directories, *(rulesets or ())], allow_shadow=allow_shadow)
    failed = unchecked = skipped = 0
    warned: set[tuple[Path, int, int, str]] = set()  # a parent's warning once, not once per child
    for file in _progress(files, _("checking")):
        linted = _lint_file(file, registry)
        if linted.note is not None:
            skipped += 1
            stderr.print(Text(_("note: {file}: {note}").format(file=file, note=linted.note)))
            continue
        if linted.unchecked:
            unchecked += 1
            stderr.print(Text(_("{file}: cannot check").format(file=file)))
        elif linted.problems:
            failed += 1
            count = len(linted.problems)
            header = ngettext("{file}: {count} problem", "{file}: {count} problems", count)
            stderr.print(Text(header.format(file=file, count=count)))
        for issue in linted.unchecked or linted.problems:
            stderr.print(Text(str(issue)))
        for warning in linted.warnings:
            at = warning.location
            key = (
                (Path(at.file).resolve(), at.line, at.column, str(warning))
                if at
                else (file, 0, 0, str(warning))
            )
            if key not in warned:
                warned.add(key)
                stderr.print(Text(_("warning: {warning}").format(warning=warning)))
    _lint_summary(len(files) - skipped, failed, unchecked, len(warned), skipped)


def _lint_summary(checked: int, failed: int, unchecked: int, warned: int, skipped: int) -> None:
    """The last line of lint, and its exit: 2 when a file could not be checked, 1 for problems."""
    files = ngettext("{count} file", "{count} files", checked).format(count=checked)
    if failed and unchecked:
        text = _("{failed} of {files} with problems, {unchecked} could not be checked")
    elif failed:
        text = _("{failed} of {files} with problems")
    elif unchecked:
        text = _("{unchecked} of {files} could not be checked")
    else:
        text = _("{files} checked, no problems")
    text = text.format(files=files, failed=failed, unchecked=unchecked)
    if warned:
        text += ngettext(", {count} warning", ", {count} warnings", warned).format(count=warned)
    if skipped:
        text += _(", {count} skipped").format(count=skipped)
    if failed:  # 1 before 2: a file found wanting never hides behind one that could not be checked
        _fail(text, 1)
    if unchecked:
        _fail(text, 2)
    stderr.print(Text(text))


def _facts_workbooks(directory: Path) -> list[Path]:
    """The filled facts workbooks in a directory: XLSX files with a facts sheet.

    One too large to tell is listed too, to be refused when it is checked.
    """
    found = []
    for file in _loader.facts_files(directory):
        if file.suffix.lower() != ".xlsx":
            continue
        try:
            if _filled_workbook.is_facts_workbook(file):
                found.append(file)
        except FactsError:
            found.append(file)
    return found


def _yaml_files(path: Path) -> list[Path]:
    if path.is_dir():
        return _registry.yaml_files(path)
    if not path.exists():
        _fail(_("error: {file}: no such file or directory").format(file=path), 2)
    return [path]


def _lint_files(path: Path) -> list[Path]:
    """The files lint reads: a file as given; in a directory, YAML and JSON files not hidden."""
    if not path.is_dir():
        return _yaml_files(path)
    return sorted(
        file
        for file in path.rglob("*")
        if file.suffix.lower() in (*_registry.SUFFIXES, ".json")
        and file.is_file()
        and not any(part.startswith(".") for part in file.relative_to(path).parts)
    )


@dataclass(frozen=True)
class _Linted:
    """What lint found in one file: problems, or why it could not be checked, or a note."""

    problems: tuple[Issue, ...] = ()
    warnings: tuple[Issue, ...] = ()
    unchecked: tuple[Issue, ...] = ()
    note: str | None = None


def _lint_kind(data: object, file: Path) -> str:
    """What a parsed file is: ruleset, facts, claims, result, overrides, or other (JSON only).

    A YAML file that is none of these is read as a ruleset, to report what it lacks.
    """
    fallback = "other" if file.suffix.lower() == ".json" else "ruleset"
    if not isinstance(data, dict):
        return fallback
    keys = set(data)
    if {"engine", "facts_fingerprint"} <= keys:
        return "result"
    if _is_ruleset_data(data):
        return "ruleset"
    if "facts" in keys:
        return "facts"
    if keys & {"scores", "total", "grade"}:
        return "claims"
    if keys == {"overrides"}:
        return "overrides"
    if keys and keys <= set(_loader.FACTS_KEYS):
        return "facts"
    return fallback


def _lint_file(file: Path, registry: _registry.Registry) -> _Linted:
    """One file checked as what it is; a ruleset's worked examples are run too."""
    try:
        if _loader.is_workbook_file(file) or file.suffix.lower() == ".json":
            source = _loader.read_facts_input(
                file
            )  # a filled workbook, or JSON (perhaps tab-indented)
            if source.is_workbook or ("facts" in source.data and not _is_ruleset_data(source.data)):
                named = _loader.load_named_ruleset(
                    source, registry.directories, allow_shadow=registry.allow_shadow
                )
                source.check(named)
                return _Linted()
        text = _registry.read_text(file)
        data = _sourcemap.parse_yaml(text, str(file))
    except OSError as exc:
        message = _("cannot read {file}: {reason}").format(file=file, reason=os_reason(exc))
        return _Linted(unchecked=(Issue(message),))
    except SearchPathError as exc:
        return _Linted(unchecked=exc.issues)
    except (RulesetError, FactsError) as exc:
        return _Linted(problems=exc.issues)
    kind = _lint_kind(data, file)
    notes = {
        "result": _("a result of scoring score, skipped: check it with scoring verify {file}"),
        "overrides": _("an auditor's overrides, skipped: they are checked by scoring score "
                       "--overrides {file}"),
        "other": _("not a ruleset, facts, claims or result file, skipped"),
    }  # fmt: skip
    if kind in notes:
        return _Linted(note=notes[kind].format(file=file))
    try:
        if kind == "claims":
            _load_claims(file)
            return _Linted()
        if kind == "facts":
            named = _loader.load_named_ruleset(
                file, registry.directories, allow_shadow=registry.allow_shadow
            )
            _loader.load_facts(file, named)
            return _Linted()
        loaded = _loader.parse_ruleset(text, str(file), registry.parent)
    except SearchPathError as exc:
        return _Linted(unchecked=exc.issues)
    except (RulesetError, FactsError) as exc:
        return _Linted(problems=exc.issues)
    except OSError as exc:
        message = _("cannot read {file}: {reason}").format(
            file=exc.filename or file, reason=os_reason(exc)
        )
        return _Linted(unchecked=(Issue(message),))
    failures = tuple(
        Issue(
            _("test {name!r}: {message}").format(name=outcome.name, message=failure.message),
            failure.location or outcome.location,
        )
        for outcome in _ruleset_tests.run_tests(loaded)
        for failure in outcome.failures
    )
    return _Linted(problems=(*_clashes(file, data, loaded, registry), *failures),
                   warnings=loaded.origin.warnings)  # fmt: skip


def _clashes(
    file: Path, data: LocatedDict, loaded: _models.Ruleset, registry: _registry.Registry
) -> list[Issue]:
    """A problem for each other file that gives this ruleset's id@version different rules."""
    real = file.resolve()
    found = registry.candidates().get((loaded.id, loaded.version), [])
    entry = next((each for each in found if each.path.resolve() == real), None)
    entry = entry or _registry.Entry(loaded.id, loaded.version, file, _registry.digest(data))
    where = locate(data, ("version",)) or locate(data, ("id",)) or SourceLocation(str(file), 1, 1)
    return [
        Issue(_registry.clash_message(entry, other), where, field="version")
        for other in registry.clashes(entry)
    ]


@app.command("test")
@_handled
def run_worked_examples(
    paths: Annotated[
        list[Path],
        typer.Argument(help=N_("Ruleset files, or directories of them."), metavar="RULESET…"),
    ],
    rulesets: RulesetsOption = None,
    allow_shadow: AllowShadowOption = False,
) -> None:
    """Run the worked examples (tests:) that rulesets carry; report each failing expectation.

    Exit 0 when every example passes, 1 when one fails or a ruleset is invalid, 2 when a ruleset
    could not be checked (a ruleset it extends is missing, or two different files give it).
    """
    files = sorted({file for path in paths for file in _yaml_files(path)})
    directories = [path for path in paths if path.is_dir()]
    registry = _registry.Registry([*directories, *(rulesets or ())], allow_shadow=allow_shadow)
    passed = failed = invalid = unchecked = found = 0
    for file in _progress(files, _("testing")):
        try:
            if _loader.is_workbook_file(file):
                continue  # a filled facts workbook: facts, no worked examples
            text = _registry.read_text(file)
            data = _sourcemap.parse_yaml(text, str(file))
            if not _is_ruleset_data(data):
                continue  # a facts file in the same directory
            found += 1
            loaded = _loader.parse_ruleset(text, str(file), registry.parent)
        except OSError as exc:
            message = _("error: cannot read {file}: {reason}")
            _fail(message.format(file=file, reason=os_reason(exc)), 2)
        except SearchPathError as exc:
            unchecked += 1
            stderr.print(Text(_("{file}: cannot run its worked examples").format(file=file)))
            stderr.print(Text("\n".join(map(str, exc.issues))))
            continue
        except RulesetError as exc:
            invalid += 1
            stderr.print(Text(str(exc)))
            continue
        outcomes = _ruleset_tests.run_tests(loaded)
        if not outcomes:
            stderr.print(Text(_("warning: {file}: no tests").format(file=file)))
        for outcome in outcomes:
            if outcome.passed:
                passed += 1
            else:
                failed += 1
                stderr.print(Text(str(outcome)))
    if not found and not invalid:
        _fail(_("error: no rulesets in {paths}").format(paths=" ".join(map(str, paths))), 2)
    tests = ngettext("{count} test", "{count} tests", passed + failed).format(count=passed + failed)
    summary = _("{tests}: {passed} passed, {failed} failed").format(
        tests=tests, passed=passed, failed=failed
    )
    if invalid:
        summary += ngettext(
            "; {count} ruleset with problems, not run", "; {count} rulesets with problems, not run",
            invalid,
        ).format(count=invalid)  # fmt: skip
    if unchecked:
        summary += ngettext(
            "; {count} ruleset could not be checked", "; {count} rulesets could not be checked",
            unchecked,
        ).format(count=unchecked)  # fmt: skip
    if failed or invalid:  # 1 before 2, as lint and verify do
        _fail(summary, 1)
    if unchecked:
        _fail(summary, 2)
    stderr.print(summary)


KIND_LABELS = {"added": "新增", "removed": "删除", "moved": "移动", "changed": "修改"}


@app.command()
@_handled
def diff(
    old: Annotated[
        str, typer.Argument(help=N_("The old ruleset: a file, or id@version."), metavar="OLD")
    ],
    new: Annotated[
        str, typer.Argument(help=N_("The new ruleset: a file, or id@version."), metavar="NEW")
    ],
    facts_dir: Annotated[
        Path | None,
        typer.Option(
            "--facts",
            help=N_(
                "Also score every facts file in this directory (YAML, JSON or filled facts "
                "workbooks) under both rulesets."
            ),
            file_okay=False,
            exists=True,
        ),
    ] = None,
    as_json: Annotated[
        bool, typer.Option("--json", help=N_("Print the machine-readable diff."))
    ] = False,
    output: TextOrJsonOutputOption = None,
    rulesets: RulesetsOption = None,
    allow_shadow: AllowShadowOption = False,
) -> None:
    """What changed between two rulesets (merged trees), and with --facts whose scores change."""
    before = _loader.load_ruleset(old, rulesets or (), allow_shadow=allow_shadow)
    after = _loader.load_ruleset(new, rulesets or (), allow_shadow=allow_shadow)
    result = _diff.diff_rulesets(before, after)
    inputs = tuple(Path(name) for name in (*before.origin.files, *after.origin.files))
    if facts_dir is not None:
        files = [file for file in _loader.facts_files(facts_dir) if not _is_ruleset(file)]
        sources = [(file, _read_or_error(file)) for file in files]
        impact = tuple(
            _diff.unit_impact(
                str(file),
                before,
                after,
                _facts_or_error(source, before),
                _facts_or_error(source, after),
            )
            for file, source in _progress(sources, _("comparing"))
        )
        result = result.model_copy(update={"impact": impact})
        inputs += tuple(files)
    chosen = "json" if as_json else None
    what = _("the diff")
    fmt = _output_format(
        "diff", output, ("text", "json"), inputs, chosen=chosen, option="--json", what=what
    )
    if fmt == "json":
        data = result.model_dump(mode="json")
        text = json_text(data)
        write_output(output, text, inputs, what)
    else:
        _show(lambda console: _print_diff(console, result), output, inputs, what)


def _facts_or_error(
    source: _loader.FactsInput | FactsError, ruleset: _models.Ruleset
) -> _facts_models.Facts | str:
    try:
        if isinstance(source, FactsError):
            raise source
        return source.check(ruleset)
    except ScoringError as exc:
        return str(exc)


def _read_or_error(file: Path) -> _loader.FactsInput | FactsError:
    """A facts input read once (to be checked under two rulesets), or why it cannot be."""
    try:
        return _loader.read_facts_input(file)
    except FactsError as exc:
        return exc


def _print_diff(console: Console, result: _diff.RulesetDiff) -> None:
    if not result.changes:
        console.print(Text(_("{old} → {new}: no changes").format(old=result.old, new=result.new)))
    else:
        table = Table(title=f"{result.old} → {result.new}")
        for column in ("变化", "位置", "项目", "旧", "新"):
            table.add_column(column, overflow="fold")
        for change in result.changes:
            where = (
                change.path
                if change.area in ("indicator", "ruleset")
                else f"{change.area} {change.path}"
            )
            table.add_row(
                KIND_LABELS[change.kind],
                where,
                change.field or "",
                change.old or "",
                change.new or "",
            )
        console.print(table)
    if result.impact is None:
        return
    table = Table(title=_("对已评分单位的影响 (impact on scored units)"))
    for column in ("文件", "单位", "旧总分", "旧等级", "新总分", "新等级", "变化"):
        table.add_column(column, overflow="fold")
    for unit in result.impact:
        delta = "" if unit.change is None else f"{unit.change:+}"
        table.add_row(
            unit.file,
            unit.subject,
            _or_dash(unit.old_total),
            unit.old_grade or "—",
            _or_dash(unit.new_total),
            unit.new_grade or "—",
            delta if unit.error is None else _("error: {error}").format(error=unit.error),
        )
    console.print(table)


def _or_dash(value: object) -> str:
    return "—" if value is None else str(value)


@app.command()
@_handled
def batch(
    ruleset: Annotated[
        str,
        typer.Argument(
            help=N_("A ruleset file, or id@version (a bare id picks the newest)."),
            metavar="RULESET",
        ),
    ],
    paths: Annotated[
        list[Path],
        typer.Argument(
            help=N_(
                "Facts files, directories of them, or one CSV, XLSX or Parquet table with a row "
                "per unit."
            ),
            metavar="INPUT…",
        ),
    ],
    output: Annotated[
        Path | None,
        typer.Option(
            "-o",
            "--output",
            help=N_(
                "Write the summary to this file: .csv, .xlsx, .json, .parquet or .txt (the "
                "table). - is standard output."
            ),
            dir_okay=False,
        ),
    ] = None,
    output_format: Annotated[
        BatchFormat | None,
        typer.Option(
            "--format",
            help=N_(
                "text (the table), csv, json, xlsx or parquet (with -o only). Default: what -o's "
                "suffix says, else text."
            ),
            case_sensitive=False,
        ),
    ] = None,
    results: Annotated[
        Path | None,
        typer.Option(
            "--results",
            help=N_(
                "Also write each unit's result (as score --json) into this directory: a new or "
                "empty one, as no two runs' results may mix."
            ),
            file_okay=False,
        ),
    ] = None,
    force: Annotated[
        bool,
        typer.Option(
            "--force",
            help=N_("Replace the results an earlier run left in the --results directory."),
        ),
    ] = False,
    workers: Annotated[
        int | None,
        typer.Option(
            "--workers",
            min=1,
            help=N_(
                "Processes to score with (default: the cores this machine gives it). The output "
                "is the same, byte for byte, whatever the number."
            ),
        ),
    ] = None,
    rulesets: RulesetsOption = None,
    sign: SignOption = None,
    allow_shadow: AllowShadowOption = False,
) -> None:
    """Score many units: one summary row each (total, grade, points lost per 一级, or the error).

    A bad unit never stops the others; the exit code is 1 when any failed. While a batch writes
    into a --results directory, another batch into it is refused. A CSV or Parquet table is
    read, and a CSV or Parquet summary written, as the units go: memory stays flat however many
    units there are.
    """
    if sign is not None and results is None:
        _fail(_("error: --sign signs the results: add --results DIR"), 2)
    key = _signing_key(sign) if sign is not None else None
    loaded = _loader.load_ruleset(ruleset, rulesets or (), allow_shadow=allow_shadow)
    with contextlib.ExitStack() as held:
        source = _batch_source(paths, loaded, held)
        inputs = (
            *source.files,
            *(Path(name) for name in loaded.origin.files),
            *((sign,) if sign else ()),
        )
        chosen = output_format.value if output_format is not None else None
        fmt = _output_format(
            "batch", output, list(BatchFormat), inputs, chosen=chosen, what=_("the summary")
        )
        if results is not None:
            summary_file = [output] if output is not None else []
            held.enter_context(_results_directory(results, force, summary_file))
        sink = held.enter_context(_summary_sink(fmt, output, inputs, loaded, source.keys))
        tally = batch_units.Tally(sink.grades)
        failed: list[batch_units.SummaryRow] = []
        taken = set[str]()
        duplicates = batch_units.Duplicates()
        scored = _parallel.ordered_map(
            batch_units.score_item,
            source.items,
            workers=workers or _parallel.default_workers(),
            initializer=batch_units.start_worker,
            initargs=(loaded, source.table, results is not None),
        )
        for done in _stream_progress(scored, _("scoring"), *source.progress):
            row, text = done.row, done.text
            if source.table is not None:  # a table's rows: the same unit twice, found in order
                first = duplicates.first(done.written, done.number)
                if first is not None:
                    row = batch_units.duplicate_row(done, str(source.table.cell(int(first), 0)))
                    text = None
            if text is not None and results is not None:
                name = batch_units.result_file_name(row.subject, done.stem, taken)
                what = _("the result of {source}").format(source=row.source)
                text = signing.sign_text(text, key) if key is not None else text
                write_atomic(results / name, text, inputs, what=what)
            if done.mismatch is not None and row.error is None:
                message = _("warning: {file}: {warning}")
                stderr.print(Text(message.format(file=row.source, warning=done.mismatch)))
            tally.add(row)
            sink.add(row)
            if row.error is not None:
                failed.append(row)
        for row in failed:
            assert row.error is not None
            at = "" if row.error.startswith(row.source) else f"{row.source}: "
            stderr.print(Text(f"{at}{row.error}"))
        sink.finish()
    if results is not None:
        count = len(taken)
        message = ngettext(
            "wrote {count} result to {folder}", "wrote {count} results to {folder}", count
        )
        stderr.print(Text(message.format(count=count, folder=results)))
    stderr.print(Text(tally.text()))
    if tally.failed:
        raise typer.Exit(1)


@dataclass
class _BatchSource:
    """What a batch scores: a table's rows as they are read, or units read beforehand."""

    items: Iterator[Any]
    files: list[Path]
    table: batch_units.Table | None = None
    keys: tuple[str, ...] | None = None
    progress: tuple[int | None, Callable[[], int] | None] = (None, None)
    """The bar's total and, for a table read as it goes, how far it has been read (bytes)."""


def _batch_source(
    paths: list[Path], ruleset: _models.Ruleset, held: contextlib.ExitStack
) -> _BatchSource:
    """The units to score, and the files they come from.

    A CSV or Parquet table is read as it is scored; an XLSX table and facts files are read
    first. A unit given twice (its facts file and its filled workbook, or two rows of a table)
    is scored once: the second is an error naming the first.
    """
    tables = [path for path in paths if _is_table(path)]
    if not tables:
        units, files = _batch_units(paths, ruleset)
        return _BatchSource(iter(units), files, progress=(len(units), None))
    if len(paths) > 1:
        message = _(
            "error: give one CSV, XLSX or Parquet table, or facts files and directories, not both"
        )
        _fail(message, 2)
    path = tables[0]
    suffix = path.suffix.lower()
    if suffix == ".xlsx":
        _xlsx.check_file_size(path.stat().st_size, str(path))  # before reading it whole
        rows, sheet = batch_units.xlsx_rows(path.read_bytes(), str(path))
        table, data = batch_units.read_header(
            iter(rows), str(path), ruleset, sheet=sheet, is_workbook=True
        )
        total: int | None = len(rows)
        done: Callable[[], int] | None = None
    else:
        try:
            handle = held.enter_context(path.open("rb"))
        except OSError as exc:
            _fail(
                _("error: cannot read {file}: {reason}").format(file=path, reason=os_reason(exc)), 2
            )
        if suffix == ".parquet":
            from scoring.load.parquet import parquet_count, parquet_rows

            cells = parquet_rows(handle, str(path))
            total, done = parquet_count(handle), None
        else:
            from scoring.load.tables import csv_rows

            cells = csv_rows(handle, str(path))
            total, done = path.stat().st_size, handle.tell
        table, data = batch_units.read_header(cells, str(path), ruleset)
    return _BatchSource(data, [path], table, table.subject_keys, (total, done))


class _SummarySink:
    """Where a batch's summary rows go: a file written as they come, or the summary at the end."""

    def __init__(
        self,
        fmt: str,
        output: Path | None,
        inputs: Sequence[Path],
        ruleset: _models.Ruleset,
        keys: tuple[str, ...] | None,
    ):
        self.fmt, self.output, self.inputs, self.ruleset, self.keys = (
            fmt,
            output,
            inputs,
            ruleset,
            keys,
        )
        empty = batch_units.summarise(ruleset, (), keys)
        self.grades = empty.grades
        self.rows: list[batch_units.SummaryRow] = []
        self.stream: Callable[[batch_units.SummaryRow], None] | None = None

    def add(self, row: batch_units.SummaryRow) -> None:
        """One more row: written now when the summary is a file written as it goes."""
        if self.stream is not None:
            self.stream(row)
        else:
            self.rows.append(row)

    def finish(self) -> None:
        """The summary complete: written, or shown, when it was not written as it went."""
        if self.stream is not None:
            return
        summary = batch_units.summarise(self.ruleset, self.rows, self.keys)
        what = _("the summary")
        if self.fmt == BatchFormat.TEXT:
            table = _summary_table(self.ruleset, summary)
            _show(lambda console: console.print(table), self.output, self.inputs, what)
        elif self.fmt == BatchFormat.PARQUET:
            from scoring.analysis.summary_parquet import render_summary_parquet

            write_output(self.output, render_summary_parquet(summary), self.inputs, what)
        else:
            content = batch_units.render_summary(summary, FORMAT_SUFFIXES[self.fmt])
            write_output(self.output, content, self.inputs, what)


@contextlib.contextmanager
def _summary_sink(
    fmt: str,
    output: Path | None,
    inputs: Sequence[Path],
    ruleset: _models.Ruleset,
    keys: tuple[str, ...] | None,
) -> Iterator[_SummarySink]:
    """The summary's sink: CSV or Parquet written as the rows come, or kept until the end.

    A file with its columns known first (a table's) is written as the rows come and renamed
    into place at the end; any other summary is kept and written, or shown, at the end.
    """
    sink = _SummarySink(fmt, output, inputs, ruleset, keys)
    streamed = fmt in (BatchFormat.CSV, BatchFormat.PARQUET) and keys is not None
    if output is None or _is_stdout(output) or not streamed:
        yield sink
        return
    assert keys is not None
    indicators = tuple((node.id, node.name) for node in ruleset.indicators)
    headers = batch_units.summary_headers(indicators, keys)
    what = _("the summary")
    with atomic_file(output, inputs, what=what) as handle:
        if fmt == BatchFormat.CSV:
            text = io.TextIOWrapper(handle, encoding="utf-8", newline="", write_through=True)
            text.write("\ufeff")  # Excel reads a CSV with a byte order mark as UTF-8
            writer = csv.writer(text, lineterminator="\r\n")
            writer.writerow(map(_render_safe.csv_cell, headers))

            def stream(row: batch_units.SummaryRow) -> None:
                line = batch_units.summary_line(row, keys, len(indicators))
                writer.writerow([_render_safe.csv_cell(value) for value in line])

            sink.stream = stream
            yield sink
            text.detach()
        else:
            from scoring.analysis.summary_parquet import SummaryWriter

            numeric = [header == "总分" or header.endswith("失分") for header in headers]
            places = ruleset.rounding.places
            with SummaryWriter(handle, headers, numeric, places) as parquet:

                def stream(row: batch_units.SummaryRow) -> None:
                    parquet.write(batch_units.summary_line(row, keys, len(indicators)))

                sink.stream = stream
                yield sink
    stderr.print(Text(_("wrote {file}").format(file=output)))


def _summary_table(ruleset: _models.Ruleset, summary: batch_units.Summary) -> Table:
    """The batch summary as the terminal shows it, with the number of problems of a failed unit."""
    headers, cells = batch_units.summary_table(summary, count_problems=True)
    table = Table(title=f"{ruleset.title}  {ruleset.ref}")
    for header in headers:
        is_number = header == "总分" or header.endswith("失分")
        table.add_column(header, overflow="fold", justify="right" if is_number else "left")
    for cells_row in cells:
        table.add_row(*cells_row)
    return table


def _batch_units(
    paths: list[Path], ruleset: _models.Ruleset
) -> tuple[list[batch_units.Unit], list[Path]]:
    """The units to score, and the files they were read from.

    A unit given twice (say its facts file and its filled workbook) is scored once: the second
    is an error naming the first.
    """
    tables = [path for path in paths if _is_table(path)]
    if tables:
        if len(paths) > 1:
            message = _(
                "error: give one CSV or XLSX table, or facts files and directories, not both"
            )
            _fail(message, 2)
        _xlsx.check_file_size(tables[0].stat().st_size, str(tables[0]))  # before reading it whole
        units = batch_units.read_table(tables[0].read_bytes(), str(tables[0]), ruleset)
        return batch_units.mark_duplicates(units), tables
    units, files = [], []
    for path in paths:
        for file in _loader.facts_files(path) if path.is_dir() else _yaml_files(path):
            try:
                unit = batch_units.input_unit(_loader.read_facts_input(file))
            except FactsError as exc:  # too large, not UTF-8, not a workbook: that unit's error
                unit = batch_units.Unit(str(file), file.stem, issues=exc.issues)
            if path.is_dir() and _is_ruleset_data(unit.data):
                continue  # a ruleset kept beside the facts
            units.append(unit)
            files.append(file)
    if not units:
        _fail(_("error: no facts files in {paths}").format(paths=" ".join(map(str, paths))), 2)
    return batch_units.mark_duplicates(units), files


def _is_table(path: Path) -> bool:
    """A CSV or Parquet file, or an XLSX file that is not a filled facts workbook (one unit)."""
    suffix = path.suffix.lower()
    if suffix not in batch_units.TABLE_SUFFIXES or not path.is_file():
        return False
    return suffix != ".xlsx" or not _filled_workbook.is_facts_workbook(path)


@app.command()
@_handled
def template(
    ruleset: Annotated[
        str, typer.Argument(help=N_("A ruleset file, or id@version."), metavar="RULESET")
    ],
    output: Annotated[
        Path | None,
        typer.Option(
            "-o",
            "--output",
            help=N_("Write to this file instead: .yaml or .xlsx. - is standard output."),
            dir_okay=False,
        ),
    ] = None,
    output_format: Annotated[
        TemplateFormat | None,
        typer.Option(
            "--format",
            help=N_(
                "yaml (a facts file) or xlsx (a workbook to fill in, with -o only). Default: "
                "what -o's suffix says, else yaml."
            ),
            case_sensitive=False,
        ),
    ] = None,
    rulesets: RulesetsOption = None,
    allow_shadow: AllowShadowOption = False,
) -> None:
    """A facts file to fill in: every declared fact, with its label and unit as a comment.

    With --format xlsx, a workbook: a locked sheet where only the value cells take input, each
    checked for its type and bounds, and a sheet explaining every indicator's 评分标准.
    """
    loaded: _models.Ruleset = _loader.load_ruleset(
        ruleset, rulesets or (), allow_shadow=allow_shadow
    )
    inputs = tuple(Path(name) for name in loaded.origin.files)
    chosen = output_format.value if output_format is not None else None
    what = _("the template")
    fmt = _output_format("template", output, list(TemplateFormat), inputs, chosen=chosen, what=what)
    if fmt == TemplateFormat.XLSX:
        content: str | bytes = workbook.render_template_xlsx(loaded)
    else:
        content = _template.render_template(loaded)
    write_output(output, content, inputs, what)


@app.command()
@_handled
def schema(
    directory: Annotated[
        Path,
        typer.Option("--directory", "-d", help=N_("Where to write the schemas."), file_okay=False),
    ] = Path("schemas"),
) -> None:
    """Write the JSON Schemas of rulesets, facts and results (for editors and other tools)."""
    try:
        directory.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        _cannot_write(_("the schemas"), directory, os_reason(exc))
    for name, text in _schema.schemas().items():
        write_output(directory / name, text, what=_("the schema"))


@app.command()
def version() -> None:
    """Print the engine's name and version."""
    from scoring.engine.plan import ENGINE_NAME, ENGINE_VERSION

    sys.stdout.write(f"{ENGINE_NAME} {ENGINE_VERSION}\n")


def _print_version(value: bool) -> None:
    if value:
        version()
        raise typer.Exit


class Language(StrEnum):
    """The languages of messages and help (``--lang``)."""

    ZH = "zh"
    EN = "en"


@app.callback()
def _options(
    show_version: Annotated[
        bool,
        typer.Option(
            "--version",
            help=N_("Print the engine's name and version, and exit."),
            callback=_print_version,
            is_eager=True,
        ),
    ] = False,
    lang: Annotated[
        Language | None,
        typer.Option(
            "--lang",
            help=N_(
                "The language of messages and help: zh (中文) or en (English). Default: "
                "SCORING_LANG, else the system's language (zh under a Chinese locale)."
            ),
            case_sensitive=False,
        ),
    ] = None,
) -> None:
    """Options for every command (the app's help text is the Typer's own).

    ``--lang`` is read before any of this runs (:class:`_Group`), so that help and usage errors
    are in the language asked too; here it is only checked.
    """


YEAR = re.compile(r"(?:19|20)\d\d(?!\d)")


@app.command("rulesets")
@_handled
def list_rulesets(
    as_json: Annotated[bool, typer.Option("--json", help=N_("Print them as JSON."))] = False,
    rulesets: RulesetsOption = None,
) -> None:
    """List every ruleset on the search path: id, version, title, year and file.

    The search path is every --rulesets DIR, then the rulesets shipped with scoring. Name a
    ruleset in other commands by its id@version (or its id alone, for its newest version).
    """
    registry = _registry.Registry(rulesets or ())
    entries = sorted(
        registry.entries().values(),
        key=lambda entry: (entry.id, _registry.version_key(entry.version)),
    )
    listed: list[tuple[_registry.Entry, str | None, int | None]] = []
    for entry in entries:
        try:
            title: str | None = _loader.load_ruleset(entry.path, rulesets or ()).title
        except ScoringError:
            message = _("warning: {file}: cannot be loaded; scoring lint {file} lists why")
            stderr.print(Text(message.format(file=entry.path)))
            title = None
        found = YEAR.match(entry.version)  # versions are written YEAR.N by convention
        listed.append((entry, title, int(found.group()) if found else None))
    if as_json:
        rows = [
            {"id": e.id, "version": e.version, "title": t, "year": y, "file": str(e.path)}
            for e, t, y in listed
        ]
        sys.stdout.write(json.dumps(rows, ensure_ascii=False, indent=2) + "\n")
        return
    shipped = _("shipped with scoring: {directory}").format(directory=_registry.SHIPPED_RULESETS)
    table = Table(title="规则集", caption=shipped)
    table.add_column("规则集 (id@version)", no_wrap=True)  # to copy into other commands
    table.add_column("名称", overflow="fold")
    table.add_column("年度", no_wrap=True)
    table.add_column("文件", overflow="fold")
    for entry, title, year in listed:
        # a shipped file by its place among the shipped rulesets; others as found under DIR
        where = entry.path.resolve()
        file = (
            where.relative_to(_registry.SHIPPED_RULESETS)
            if where.is_relative_to(_registry.SHIPPED_RULESETS)
            else entry.path
        )
        table.add_row(entry.ref, title or "—", str(year or "—"), str(file))
    stdout.print(table)


@app.command()
@_handled
def verify(
    paths: Annotated[
        list[Path],
        typer.Argument(
            help=N_(
                "A result JSON file, or a directory of them; with --claimed: [RULESET] FACTS "
                "(FACTS: YAML, JSON or a filled facts workbook)."
            ),
            metavar="RESULT|DIR|[RULESET] FACTS",
        ),
    ],
    claimed: Annotated[
        Path | None,
        typer.Option(
            "--claimed",
            help=N_("A unit's own figures (subject, scores per indicator path, total, grade)."),
            dir_okay=False,
        ),
    ] = None,
    trust: Annotated[
        list[Path] | None,
        typer.Option(
            "--trust",
            help=N_(
                "A public key (NAME.pub) whose signatures you trust (repeatable): say who "
                "signed each result, and refuse one that no trusted key signed or whose "
                "signature does not match."
            ),
            dir_okay=False,
            metavar="PUBKEY",
        ),
    ] = None,
    sign: Annotated[
        Path | None,
        typer.Option(
            "--sign",
            help=N_(
                "Sign each result that agrees with this private key (NAME.key), into --signed-to."
            ),
            dir_okay=False,
            metavar="KEY",
        ),
    ] = None,
    signed_to: Annotated[
        Path | None,
        typer.Option(
            "--signed-to",
            help=N_(
                "With --sign: write each result that agrees, your signature added, into this "
                "directory (the results given are never changed)."
            ),
            file_okay=False,
            metavar="DIR",
        ),
    ] = None,
    rulesets: RulesetsOption = None,
    allow_shadow: AllowShadowOption = False,
) -> None:
    """Re-score a submission: it agrees, does not agree, or cannot be checked, and why.

    `scoring verify RESULT.json` re-scores the facts a result carries under the exact ruleset
    (found by id, version and fingerprint) and compares the whole result, field by field;
    `scoring verify DIR` does so for every result in DIR; `scoring verify --claimed CLAIMS.yaml
    [RULESET] FACTS` checks a table typed from a report. Exit 0 when all agree; 1 when any does not
    agree (a difference, a record that is not a result, a signature that does not match); else 2
    when any cannot be checked (its ruleset is missing, unreadable, or another file with the same
    id@version). Agreement shows consistency, not origin: only --trust checks who signed a result.
    """
    registry = _registry.Registry(rulesets or (), allow_shadow=allow_shadow)
    if (sign is None) != (signed_to is None):
        _fail(
            _("error: --sign and --signed-to go together: sign each result that agrees into DIR"), 2
        )
    if claimed is not None:
        if sign is not None or trust:
            _fail(_("error: --sign and --trust are for result files, not claims"), 2)
        _verify_claims(claimed, paths, registry)
        return
    if len(paths) != 1:
        usage = "scoring verify RESULT.json | DIR  (or --claimed CLAIMS.yaml [RULESET] FACTS)"
        _fail(_("Usage: {usage}").format(usage=usage), 2)
    target = paths[0]
    if not target.exists():
        _fail(_("error: {file}: no such file or directory").format(file=target), 2)
    files = sorted(target.glob("*.json")) if target.is_dir() else [target]
    if not files:
        _fail(_("error: no result files (*.json) in {folder}").format(folder=target), 2)
    trusted = [_trusted_key(path) for path in trust or []]
    key = _signing_key(sign) if sign is not None else None
    if signed_to is not None:
        if any((signed_to / file.name).resolve() == file.resolve() for file in files):
            message = _(
                "error: --signed-to {folder} holds the results given: choose another folder"
            )
            _fail(message.format(folder=signed_to), 2)
        _make_directory(signed_to)
    find = _ruleset_finder(registry)
    verdicts, unproven = [], False
    for file in _progress(files, _("verifying")):
        check, text = _verify_file(file, find, trusted)
        verdicts.append(check.verdict)
        _print_verification(stdout, str(file), check)
        unproven = unproven or (check.agrees and not check.signed_by)
        if key is not None and signed_to is not None and check.agrees and text is not None:
            written = signed_to / file.name
            write_atomic(written, signing.sign_text(text, key), (*files, *(p for p in [sign] if p)))
            stderr.print(Text(_("wrote {file}").format(file=written)))
    if target.is_dir():
        stderr.print(Text(_verdict_counts(verdicts)))
    if unproven:
        stdout.print(Text(_origin_note()), soft_wrap=True)
    code = _verify.exit_code(verdicts)
    if code:
        raise typer.Exit(code)


def _origin_note() -> str:
    """What an "agrees" without a trusted signature does and does not say."""
    return _(
        "note: checked for consistency, not origin: a result that agrees follows from its rules "
        "and facts, but anybody can edit a result and compute its fingerprints again. To know who "
        "wrote it, have results signed (scoring keys new, --sign) and verify with --trust KEY.pub"
    )


def _verdict_counts(verdicts: list[_verify.Verdict]) -> str:
    """``43 results: 40 agree, 1 does not agree, 2 cannot be checked``."""
    total = len(verdicts)
    agree, disagree, unchecked = (
        verdicts.count(kind)
        for kind in (
            _verify.Verdict.AGREES,
            _verify.Verdict.DOES_NOT_AGREE,
            _verify.Verdict.CANNOT_BE_CHECKED,
        )
    )
    return _("{results}: {agree}, {disagree}, {unchecked}").format(
        results=ngettext("{count} result", "{count} results", total).format(count=total),
        agree=ngettext("{count} agrees", "{count} agree", agree).format(count=agree),
        disagree=ngettext("{count} does not agree", "{count} do not agree", disagree).format(
            count=disagree
        ),
        unchecked=ngettext(
            "{count} cannot be checked", "{count} cannot be checked", unchecked
        ).format(count=unchecked),
    )


def _verify_file(
    file: Path, find: Callable[[str], _models.Ruleset], trusted: list[signing.TrustedKey]
) -> tuple[_verify.Verification, str | None]:
    """One result file checked, and its text; a file that cannot be read cannot be checked."""
    try:
        text = _registry.read_text(file, ResultError)
    except ResultError as exc:  # too large, or not UTF-8: not a result scoring writes
        return _verify.Verification("", "", errors=exc.issues), None
    except OSError as exc:
        reason = os_reason(exc)
        message = _("cannot read {file}: {reason}").format(file=file, reason=reason)
        return _verify.Verification("", "", unchecked=message), None
    return _verify.verify_result(text, str(file), find, trusted), text


def _ruleset_finder(registry: _registry.Registry) -> Callable[[str], _models.Ruleset]:
    """``id@version`` → the ruleset on the search path, each read once for a folder of results."""
    found: dict[str, _models.Ruleset | RulesetError | OSError] = {}

    def find(ref: str) -> _models.Ruleset:
        if ref not in found:
            try:
                entry = registry.find(ref)
                found[ref] = _loader.parse_ruleset(
                    _registry.read_text(entry.path), str(entry.path), registry.parent
                )
            except (RulesetError, OSError) as exc:
                found[ref] = exc
        outcome = found[ref]
        if isinstance(outcome, RulesetError | OSError):
            raise outcome
        return outcome

    return find


def _verify_claims(claimed: Path, paths: list[Path], registry: _registry.Registry) -> None:
    """`scoring verify --claimed CLAIMS [RULESET] FACTS`: the same three verdicts for a report."""
    if len(paths) not in (1, 2):
        usage = "scoring verify --claimed CLAIMS.yaml [RULESET] FACTS"
        _fail(_("Usage: {usage}").format(usage=usage), 2)
    first, second = str(paths[0]), (paths[1] if len(paths) == 2 else None)
    try:
        ruleset, source, _path = _ruleset_and_facts(
            first,
            second,
            list(registry.directories),
            f"scoring verify --claimed {claimed}",
            registry.allow_shadow,
        )
    except (RulesetError, OSError) as exc:  # the rules cannot be had: nothing to check against
        reason = str(exc) if isinstance(exc, RulesetError) else f"{exc.filename}: {os_reason(exc)}"
        _print_verification(stdout, str(claimed), _verify.Verification("", "", unchecked=reason))
        raise typer.Exit(2) from None
    facts = source.check(ruleset)
    claims = _load_claims(claimed)
    mismatch = _verify.subject_mismatch(claims.subject, facts.subject)
    if mismatch:
        given = {key: str(value) for key, value in claims.subject.items() if value is not None}
        scored = _results.subject_line(facts.subject) or _("nobody (they name no subject)")
        message = _("these claims are for {claimed}, but the facts in {facts} are for {scored}")
        message = message.format(
            claimed=_results.subject_line(given), facts=paths[1], scored=scored
        )
        where = locate(claims.data, ("subject", mismatch[0])) or SourceLocation(str(claimed), 1, 1)
        raise FactsError([Issue(message, where, field="subject")], str(claimed))
    result = _engine.score(ruleset, facts)
    check = _verify.Verification(result.subject_text, ruleset.ref)
    check.differences = _verify.compare_claims(claims.scores, claims.total, claims.grade, result)
    if not claims.subject:
        message = _(
            "the claims name no subject (subject: {{unit: …, year: …}}): nothing shows they are "
            "this unit's"
        )
        check.notes.append(message)
    _print_verification(stdout, str(claimed), check)
    if check.verdict != _verify.Verdict.AGREES:
        raise typer.Exit(check.verdict.value)


@dataclass(frozen=True)
class _Claims:
    data: LocatedDict
    subject: dict[str, Any]
    scores: dict[str, Any]
    total: Any
    grade: Any


def _load_claims(path: Path) -> _Claims:
    data = _sourcemap.parse_yaml(_registry.read_text(path, FactsError), str(path), FactsError)
    where = SourceLocation(str(path), 1, 1)
    if not isinstance(data, LocatedDict):
        message = _("a claims file is a mapping: scores, total, grade")
        raise FactsError([Issue(message, where)])
    keys = ["subject", "scores", "total", "grade"]
    unknown = [key for key in data if key not in keys]
    if unknown:
        hint = suggest(unknown[0], keys)
        location = locate(data, (unknown[0],), key=True) or where
        message = _("unknown key{hint}").format(hint=hint)
        raise FactsError([Issue(message, location, field=unknown[0])], str(path))
    scores = data.get("scores") or {}
    if not isinstance(scores, dict):
        location = locate(data, ("scores",)) or where
        message = _("expected indicator paths with the 得分 the report gives")
        raise FactsError([Issue(message, location, field="scores")], str(path))
    subject = data.get("subject") or {}
    if not isinstance(subject, dict):
        location = locate(data, ("subject",)) or where
        message = _("expected whose figures these are, like {{unit: …, year: …}}, found {found!r}")
        raise FactsError(
            [Issue(message.format(found=subject), location, field="subject")], str(path)
        )
    return _Claims(data, dict(subject), dict(scores), data.get("total"), data.get("grade"))


def _signing_key(path: Path) -> signing.SigningKey:
    """The private key --sign names; a file that is not one is a usage error (exit 2)."""
    data = _key_file(path)
    try:
        key = signing.parse_private_key(data, str(path))
    except SigningError as exc:
        _fail(_("error: {error}").format(error=exc), 2)
    if os.name == "posix" and path.stat().st_mode & 0o077:
        message = _(
            "warning: {file} can be read by other users: a private key should be readable by its "
            "owner only (chmod 600 {file})"
        )
        stderr.print(Text(message.format(file=path)))
    return key


def _trusted_key(path: Path) -> signing.TrustedKey:
    """The public key --trust names; a file that is not one is a usage error (exit 2)."""
    data = _key_file(path)
    try:
        return signing.parse_public_key(data.decode("utf-8-sig"), str(path))
    except UnicodeDecodeError:
        message = _("error: {file} is not a public key written by scoring keys new")
        _fail(message.format(file=path), 2)
    except SigningError as exc:
        _fail(_("error: {error}").format(error=exc), 2)


MAX_KEY_FILE_BYTES = 16 * 1024


def _key_file(path: Path) -> bytes:
    try:
        if path.stat().st_size > MAX_KEY_FILE_BYTES:
            message = _("error: {file} is too large to be a key file written by scoring keys new")
            _fail(message.format(file=path), 2)
        return path.read_bytes()
    except OSError as exc:
        reason = os_reason(exc)
        _fail(_("error: cannot read {file}: {reason}").format(file=path, reason=reason), 2)


def _make_directory(path: Path) -> None:
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        reason = os_reason(exc)
        _fail(_("error: cannot create {folder}: {reason}").format(folder=path, reason=reason), 2)


def _print_verification(console: Console, name: str, check: _verify.Verification) -> None:
    """The verdict line, its reasons and notes, and the table of differences.

    A record that is not a result gets its located problems on stderr instead, like any input
    that cannot be read.
    """
    if check.errors:
        stderr.print(Text(str(ResultError(check.errors, name))))
        return
    verdict = check.verdict.text
    if check.agrees and check.signed_by:
        verdict = _("{verdict}, signed by {names}").format(
            verdict=verdict, names=", ".join(check.signed_by)
        )
    who = f" {check.subject}" if check.subject else ""
    under = _(" under {ruleset}").format(ruleset=check.ruleset) if check.ruleset else ""
    head = f"{name}:{who}{under}" if who or under else name
    console.print(Text(f"{head}: {verdict}"), soft_wrap=True)
    reasons = [*check.signature_problems, *([check.unchecked] if check.unchecked else [])]
    for reason in [*reasons, *check.problems]:
        console.print(Text(f"  ! {reason}"), soft_wrap=True)
    for note in check.notes:
        console.print(Text(f"  · {note}"), soft_wrap=True)
    if not check.differences:
        return
    table = Table(show_lines=False)
    for column in ("指标", "报告/结果", "重算", "依据"):
        table.add_column(column, overflow="fold")
    for difference in check.differences:
        label = f"{difference.path} {difference.name}".strip()
        if difference.field:
            label += f" · {difference.field}"
        cells = (label, difference.claimed, difference.recomputed, difference.rule)
        table.add_row(*(Text(cell) for cell in cells))  # data, never rich markup
    _print_table(console, table)


keys_app = _App(
    help=N_("Make the keys that sign results (Ed25519)."),
    no_args_is_help=True,
    add_completion=False,
    cls=_Group,
)
app.add_typer(keys_app, name="keys")


@keys_app.command("new")
@_handled
def new_key(
    name: Annotated[
        str,
        typer.Argument(
            help=N_(
                "Whose key: a person or an office (长沙市财政局). The files are NAME.key and "
                "NAME.pub."
            )
        ),
    ],
    directory: Annotated[
        Path,
        typer.Option(
            "--directory", "-d", help=N_("Where to write the two files."), file_okay=False
        ),
    ] = Path("."),
) -> None:
    """Make a key pair: NAME.key, private, and NAME.pub, public.

    Sign results with the private key (scoring score --json --sign NAME.key) and never share it;
    give the public key to whoever verifies them (scoring verify --trust NAME.pub).
    """
    try:
        stem = signing.check_name(name)
        private, public = signing.new_key_pair(stem)
    except SigningError as exc:
        _fail(_("error: {error}").format(error=exc), 2)
    private_path = directory / f"{stem}{signing.PRIVATE_SUFFIX}"
    public_path = directory / f"{stem}{signing.PUBLIC_SUFFIX}"
    for path in (private_path, public_path):
        if path.exists() or path.is_symlink():
            message = _(
                "error: {file} already exists: a new key would replace it, and what the old one "
                "signed could no longer be checked; choose another name or directory"
            )
            _fail(message.format(file=path), 2)
    _make_directory(directory)
    _write_new(private_path, private, 0o600)
    _write_new(public_path, public.encode("utf-8"), 0o644)
    fingerprint = signing.parse_public_key(public, str(public_path)).fingerprint
    message = _("wrote {file}: the private key; keep it to yourself (sign with --sign {file})")
    stderr.print(Text(message.format(file=private_path)))
    message = _(
        "wrote {file}: the public key {fingerprint}; give it to whoever verifies what you sign "
        "(scoring verify --trust {file})"
    )
    stderr.print(Text(message.format(file=public_path, fingerprint=fingerprint)))


def _write_new(path: Path, data: bytes, mode: int) -> None:
    """Create ``path`` with ``mode`` from the start (a private key is never readable by others)."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
    try:
        descriptor = os.open(path, flags, mode)
        with os.fdopen(descriptor, "wb") as handle:
            if hasattr(os, "fchmod"):
                os.fchmod(handle.fileno(), mode)  # whatever the umask allowed
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
    except OSError as exc:
        reason = os_reason(exc)
        _fail(_("error: cannot write {file}: {reason}").format(file=path, reason=reason), 2)


@app.command()
@_handled
def gap(
    ruleset: Annotated[
        str,
        typer.Argument(
            help=N_(
                "A ruleset file, or id@version. Leave it out to use the ruleset the facts name."
            ),
            metavar="RULESET",
        ),
    ],
    facts: Annotated[
        Path | None,
        typer.Argument(
            help=N_("The facts file (YAML or JSON), or a filled facts workbook (.xlsx)."),
            dir_okay=False,
            metavar="FACTS",
        ),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help=N_("Print it as JSON."))] = False,
    output: TextOrJsonOutputOption = None,
    rulesets: RulesetsOption = None,
    allow_shadow: AllowShadowOption = False,
) -> None:
    """What stands between a unit and the next grade, and the fact values that recover points.

    A planning aid: it never changes a score. Exit 1 when the facts do not fit the ruleset, 2
    when the ruleset cannot be found.
    """
    loaded, source, path = _ruleset_and_facts(ruleset, facts, rulesets, "scoring gap", allow_shadow)
    found = _gap.gap(loaded, source.check(loaded))
    inputs = (path, *(Path(name) for name in loaded.origin.files))
    chosen = "json" if as_json else None
    what = _("the gap")
    fmt = _output_format(
        "gap", output, ("text", "json"), inputs, chosen=chosen, option="--json", what=what
    )
    if fmt == "json":
        data = found.model_dump(mode="json")
        text = json_text(data)
        write_output(output, text, inputs, what)
        return
    _show(lambda console: _print_gap(console, found), output, inputs, what)


def _print_gap(console: Console, found: _gap.Gap) -> None:
    grade = f" {found.grade}" if found.grade else ""
    console.print(Text(f"总分 {found.total}{grade}"), soft_wrap=True)
    if found.grade_withheld is not None:  # a higher total reaches no grade either
        console.print(Text(found.grade_withheld), soft_wrap=True)
    elif found.next_grade is None:
        console.print(Text(_("no higher grade to reach")), soft_wrap=True)
    else:
        console.print(
            Text(
                _("{grade} from {threshold}: {missing} points missing").format(
                    grade=found.next_grade, threshold=found.next_threshold, missing=found.missing
                )
            ),
            soft_wrap=True,
        )
    if found.recoveries:
        table = Table(title=_("可恢复的分数 (points a fact value would recover)"))
        for column in ("指标", "失分", "调整", "可恢复", "总分变化"):
            table.add_column(column, overflow="fold")
        for entry in found.recoveries:
            change = f"{entry.fact} {_value(entry.current)} → {_value(entry.proposed)}"
            if entry.item:
                change = f"{entry.item}: {change}"
            if entry.note:
                change += f"\n({entry.note})"
            label = f"{entry.path} {entry.name}"
            table.add_row(
                label, str(entry.lost), change, str(entry.recovers), f"{entry.total_change:+}"
            )
        console.print(table)
    if found.judgements:
        table = Table(title=_("需要判断的指标 (judgement calls)"))
        for column in ("指标", "失分", "原因"):
            table.add_column(column, overflow="fold")
        for call in found.judgements:
            table.add_row(f"{call.path} {call.name}", str(call.lost), call.why)
        console.print(table)


def _value(value: bool | Decimal) -> str:
    if isinstance(value, bool):
        return "是" if value else "否"
    return format(value, "f")


def main(argv: list[str] | None = None) -> None:
    """Run the command line; exit 0, 1 (bad input) or 2 (usage, unreadable file)."""
    _configure_streams()
    app(args=argv, prog_name="scoring")
