"""The language of messages: gettext catalogs under ``scoring/locale``, English message ids.

Every sentence a user reads in a message (errors, warnings, lint findings, verdicts, advice,
summaries, help) is written in English in the code and wrapped in ``_()``, with its values put in
by ``str.format`` after translation, so a translator sees one whole sentence::

    message = _("unknown fact {name!r}").format(name=name)

A string that must exist before the language is chosen (a constant, a help text Typer reads at
import) is marked with the no-op ``N_()`` and translated with ``_()`` where it is used.

The command line chooses the language once, at start-up: ``--lang``, else :func:`default_language`
(``SCORING_LANG``, the locale variables, the system's locale); a library caller gets English unless
it calls :func:`set_language`. A server speaks each request's language inside :func:`speaking`,
which holds it in a context variable: each thread and each asyncio task has its own, so requests
in two languages run at once and never see each other's. The 自评表 itself is Chinese in every
language and does not go through here.
"""

from __future__ import annotations

import contextvars
import functools
import gettext
import re
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

DOMAIN = "scoring"
LOCALE_DIR = Path(__file__).resolve().parent / "locale"
LANGUAGES = ("zh", "en")
LANGUAGE_VARIABLE = "SCORING_LANG"
"""The environment variable that chooses scoring's language over the locale: ``zh`` or ``en``."""
LOCALE_VARIABLES = ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG")
"""The POSIX variables that name the language of messages, in gettext's order."""
CHINESE_CODE_PAGES = frozenset({"936", "cp936", "gbk", "gb2312", "gb18030", "950", "cp950", "big5"})
"""Encodings that only a Chinese system uses (Windows code pages 936 and 950)."""

_chosen = "en"
"""The process's language, as :func:`set_language` chose it (the command line's)."""
_spoken: contextvars.ContextVar[str | None] = contextvars.ContextVar("language", default=None)
"""The language :func:`speaking` chose for the current context (thread or task), if any."""


def _checked(language: str) -> str:
    if language not in LANGUAGES:
        message = f"unknown language {language!r}: choose one of {', '.join(LANGUAGES)}"
        raise ValueError(message)
    return language


def set_language(language: str) -> None:
    """Translate messages into ``language`` ("zh" or "en") from now on, in the whole process.

    Inside a :func:`speaking` block, that block's language still comes first.
    """
    global _chosen
    _chosen = _checked(language)


@contextmanager
def speaking(language: str) -> Iterator[None]:
    """Translate messages into ``language`` in this thread or task only, until the block ends."""
    token = _spoken.set(_checked(language))
    try:
        yield
    finally:
        _spoken.reset(token)


def language() -> str:
    """The language messages are translated into now, here."""
    return _spoken.get() or _chosen


@functools.cache
def _translation(language: str) -> gettext.NullTranslations:
    if language == "en":
        return gettext.NullTranslations()
    return gettext.translation(DOMAIN, LOCALE_DIR, languages=[language], fallback=True)


def language_from_environment(environ: Mapping[str, str]) -> str:
    """Return "zh" when the POSIX locale variables name Chinese, else "en" (gettext's order)."""
    for variable in LOCALE_VARIABLES:
        value = environ.get(variable, "")
        if value:
            first = value.split(":")[0].lower()
            return "zh" if first.startswith("zh") else "en"
    return "en"


def language_from_locale(name: str | None, encoding: str | None = None) -> str:
    """Return "zh" when a system locale (``locale.getlocale()``) is Chinese, else "en".

    Windows names it ``Chinese (Simplified)_China`` with code page ``936``; elsewhere ``zh_CN``.
    """
    if (name or "").lower().startswith(("zh", "chinese")):
        return "zh"
    return "zh" if (encoding or "").lower() in CHINESE_CODE_PAGES else "en"


def default_language(
    environ: Mapping[str, str], system_locale: tuple[str | None, str | None] = (None, None)
) -> str:
    """The language when none is asked for: SCORING_LANG, the locale, the system's, else English.

    ``SCORING_LANG`` ("zh" or "en"; another value is ignored) comes first, then the POSIX locale
    variables; where none is set (Windows), ``system_locale`` (``locale.getlocale()``) decides.
    """
    chosen = environ.get(LANGUAGE_VARIABLE, "").strip().lower()
    if chosen in LANGUAGES:
        return chosen
    if any(environ.get(variable) for variable in LOCALE_VARIABLES):
        return language_from_environment(environ)
    return language_from_locale(*system_locale)


def N_(message: str) -> str:  # noqa: N802 (gettext's name for it)
    """Mark ``message`` for translation; translated where used."""
    return message


def _(message: str) -> str:
    """``message`` in the chosen language."""
    return _translation(language()).gettext(message)


def ngettext(singular: str, plural: str, count: int) -> str:
    """The singular or plural of a message, in the chosen language."""
    return _translation(language()).ngettext(singular, plural, count)


ForeignPhrases = tuple[tuple[re.Pattern[str], Callable[[], str]], ...]
"""Another library's messages (a pattern of its English) and ours for each, translated on use."""

_PLACEHOLDER = re.compile(r"\\\{(\w+)\\\}")  # a ``{name}`` of a message, once re.escape'd


def foreign_phrases(*messages: str) -> ForeignPhrases:
    """Phrases for messages that say what the library says, word for word, in English.

    Each message (marked with ``N_``) is its own pattern: its ``{name}`` placeholders match what
    the library put there, which the translation then shows in its place.
    """
    return tuple(
        (
            re.compile(_PLACEHOLDER.sub(r"(?P<\1>.+?)", re.escape(message))),
            lambda message=message: _(message),
        )
        for message in messages
    )


def foreign_words(said: str, phrases: ForeignPhrases) -> str:
    """Another library's message in the chosen language, as it said it when the phrase is rare."""
    for pattern, ours in phrases:
        match = pattern.fullmatch(said)
        if match is not None:
            return ours().format(**match.groupdict())
    return said
