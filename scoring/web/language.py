"""The language of a request: Chinese unless the browser asks for English first.

A request speaks its language through :func:`scoring.i18n.speaking`, which holds it in a context
variable: requests in two languages run at once, in the thread pool or on the event loop, each
translated into its own.
"""

from __future__ import annotations

from scoring.i18n import speaking

__all__ = ["asked_language", "speaking"]


def asked_language(accept_language: str | None) -> str:
    """``en`` when the first language of an Accept-Language header is English, else ``zh``."""
    first = (accept_language or "").split(",")[0].split(";")[0].strip().lower()
    return "en" if first.startswith("en") else "zh"
