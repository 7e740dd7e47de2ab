"""The language of the command line: chosen before anything prints, and Typer's words in it.

Typer reads help texts when the app is built, before the language is known: they are marked
with N_() (a command's help is its docstring, which tools/i18n.py extracts) and translated on
the click command tree when a run starts, once the language is chosen (scoring/cli/application.py).
Typer's own words are put into typer.rich_utils, where its help and error panels read them.
"""

from __future__ import annotations

import contextlib
import errno
import functools
import importlib.abc
import importlib.machinery
import importlib.util
import locale
import re
import sys
from collections.abc import Callable, Iterator, Sequence
from types import ModuleType
from typing import ParamSpec, TypeVar

import typer
from rich.text import Text

from scoring import i18n
from scoring.i18n import N_, _

P = ParamSpec("P")
T = TypeVar("T")

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
def usage_errors_translated() -> Iterator[None]:
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


def system_locale() -> tuple[str | None, str | None]:
    """The system's locale, which on Windows names the language no environment variable does."""
    try:
        return locale.getlocale()
    except ValueError:  # a locale name Python cannot parse
        return None, None


MAKE_RICH_TEXT = "_make_rich_text"
"""The typer.rich_utils function that makes each help text: its text is made to fold."""


RICH_UTILS = "typer.rich_utils"
"""Typer's help and error panels: rich, markdown and tracebacks, some 70 ms to import."""


@contextlib.contextmanager
def in_language(language: str) -> Iterator[None]:
    """Messages and Typer's own words in ``language`` while the block runs, as before after it.

    A help text folds at the edge of its column instead of ending in "…": Chinese has no spaces
    to wrap at, so Typer would cut a sentence short. Typer imports its help and error panels
    only to draw them; their words are put in then, so that a command that draws none (a
    ``scoring score``) never imports them.
    """
    before = i18n.language()
    i18n.set_language(language)
    words = _TyperWords()
    loaded = sys.modules.get(RICH_UTILS)
    if loaded is not None:
        words.put(loaded)
    else:
        sys.meta_path.insert(0, words)
    try:
        yield
    finally:
        if words in sys.meta_path:
            sys.meta_path.remove(words)
        words.restore()
        i18n.set_language(before)


class _TyperWords(importlib.abc.MetaPathFinder):
    """Puts the words in typer.rich_utils, now or when Typer imports it; restores them after."""

    def __init__(self) -> None:
        self.module: ModuleType | None = None
        self.saved: dict[str, object] = {}

    def put(self, module: ModuleType) -> None:
        """Save Typer's words and put ours in their place."""
        self.module = module
        self.saved = {name: getattr(module, name) for name in TYPER_TEXTS if hasattr(module, name)}
        make_text = getattr(module, MAKE_RICH_TEXT, None)
        if make_text is not None:
            self.saved[MAKE_RICH_TEXT] = make_text
            setattr(module, MAKE_RICH_TEXT, _folding(make_text))
        for name in TYPER_TEXTS:
            if name in self.saved:
                setattr(module, name, _(TYPER_TEXTS[name]))

    def restore(self) -> None:
        """Typer's words back, if they were replaced."""
        for name, value in self.saved.items():
            setattr(self.module, name, value)

    def find_spec(
        self, fullname: str, path: Sequence[str] | None, target: ModuleType | None = None
    ) -> importlib.machinery.ModuleSpec | None:
        """typer.rich_utils as found without this finder, its words put in once it has run."""
        if fullname != RICH_UTILS:
            return None
        sys.meta_path.remove(self)  # once: the module is then in sys.modules
        spec = importlib.util.find_spec(fullname)
        if spec is None or spec.loader is None:
            return spec
        run = spec.loader.exec_module

        def exec_module(module: ModuleType) -> None:
            run(module)
            self.put(module)

        spec.loader.exec_module = exec_module  # type: ignore[method-assign]
        return spec


def _folding(make_text: Callable[P, T]) -> Callable[P, T]:
    """``make_text``, its rich Text folding where a word is wider than its column."""

    @functools.wraps(make_text)
    def make(*args: P.args, **kwargs: P.kwargs) -> T:
        made = make_text(*args, **kwargs)
        if isinstance(made, Text):
            made.overflow = "fold"
        return made

    return make
