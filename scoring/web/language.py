"""The language of a request: Chinese unless the browser asks for English first.

Messages are translated through :mod:`scoring.i18n`, whose language is one setting for the
process; a request holds it (under a lock) while it reads, scores and renders, and puts the one
before back, so that two requests in two languages never see each other's.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

from scoring import i18n

_LOCK = threading.Lock()


def asked_language(accept_language: str | None) -> str:
    """``en`` when the first language of an Accept-Language header is English, else ``zh``."""
    first = (accept_language or "").split(",")[0].split(";")[0].strip().lower()
    return "en" if first.startswith("en") else "zh"


@contextmanager
def speaking(language: str) -> Iterator[None]:
    """Translate messages into ``language`` until the block ends, one request at a time."""
    with _LOCK:
        before = i18n.language()
        i18n.set_language(language)
        try:
            yield
        finally:
            i18n.set_language(before)
