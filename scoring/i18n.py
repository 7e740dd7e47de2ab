"""The language of messages: gettext catalogs under ``scoring/locale``, English message ids.

Every sentence a user reads in a message (errors, warnings, lint findings, verdicts, advice,
summaries, help) is written in English in the code and wrapped in ``_()``, with its values put in
by ``str.format`` after translation, so a translator sees one whole sentence::

    message = _("unknown fact {name!r}").format(name=name)

The command line chooses the language once, at start-up (``--lang``, else the locale); a library
caller gets English unless it calls :func:`set_language`. The 自评表 itself is Chinese in every
language and does not go through here.
"""

from __future__ import annotations

import gettext
from collections.abc import Mapping
from pathlib import Path

DOMAIN = "scoring"
LOCALE_DIR = Path(__file__).resolve().parent / "locale"
LANGUAGES = ("zh", "en")

_translation: gettext.NullTranslations = gettext.NullTranslations()
_language = "en"


def set_language(language: str) -> None:
    """Translate messages into ``language`` ("zh" or "en") from now on."""
    global _translation, _language
    if language not in LANGUAGES:
        message = f"unknown language {language!r}: choose one of {', '.join(LANGUAGES)}"
        raise ValueError(message)
    _language = language
    if language == "en":
        _translation = gettext.NullTranslations()
    else:
        _translation = gettext.translation(DOMAIN, LOCALE_DIR, languages=[language], fallback=True)


def language() -> str:
    """The language messages are translated into now."""
    return _language


def language_from_environment(environ: Mapping[str, str]) -> str:
    """Return "zh" when the POSIX locale variables name Chinese, else "en" (gettext's order)."""
    for variable in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        value = environ.get(variable, "")
        if value:
            first = value.split(":")[0].lower()
            return "zh" if first.startswith("zh") else "en"
    return "en"


def N_(message: str) -> str:  # noqa: N802 (gettext's name for it)
    """Mark ``message`` for translation; translated where used."""
    return message


def _(message: str) -> str:
    """``message`` in the chosen language."""
    return _translation.gettext(message)


def ngettext(singular: str, plural: str, count: int) -> str:
    """The singular or plural of a message, in the chosen language."""
    return _translation.ngettext(singular, plural, count)
