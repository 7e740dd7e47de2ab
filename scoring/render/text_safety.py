"""Text from data made safe to show: no control or bidirectional-override characters.

A unit name, a fact, a subject or an override reason comes from a file someone else wrote. Shown
as it is, an escape sequence in it can recolour, hide or rewrite what a terminal shows (``ESC [8m``
conceals the rest of the line, ``ESC ] 8`` makes a hyperlink) and a bidirectional override
(U+202E) makes text read backwards in a terminal, a browser or a file manager ("Trojan Source").
:func:`printable` removes them; everything else, 汉字 included, stays as it is. Pure, no
dependencies: the terminal, the report renderers and the names of result files share it.
"""

from __future__ import annotations

BIDI_CONTROLS = frozenset(
    "\u202a\u202b\u202c\u202d\u202e"  # LRE RLE PDF LRO RLO: embeddings and overrides
    "\u2066\u2067\u2068\u2069"  # LRI RLI FSI PDI: isolates
    "\u061c\u200e\u200f"  # ALM LRM RLM: invisible marks that reorder neighbouring text
)
"""The bidirectional embedding, override and isolate characters of Unicode's bidi algorithm."""

KEPT_CONTROLS = frozenset("\t\n")
"""The C0 controls that mean something in shown text: a tab and a line break."""

_ALL_CONTROLS = {
    *(chr(code) for code in range(0x00, 0x20)),  # C0, ESC among them
    "\x7f",  # DEL
    *(chr(code) for code in range(0x80, 0xA0)),  # C1, CSI (U+009B) and OSC (U+009D) among them
    *BIDI_CONTROLS,
}
_REMOVE: dict[int, str | None] = {
    ord(character): None for character in _ALL_CONTROLS - KEPT_CONTROLS
}
_ONE_LINE: dict[int, str | None] = {**_REMOVE, ord("\t"): " ", ord("\n"): " "}


def printable(text: str, *, keep_newlines: bool = True) -> str:
    """``text`` without control characters (C0, DEL, C1) or bidirectional overrides and isolates.

    A tab and a line break are kept, or become a space when ``keep_newlines`` is false (a file
    name or a heading that must stay one line). The rest is removed, not replaced: an escape
    sequence's remaining characters (``[31m``) show as the text they are.
    """
    if text.isprintable():
        return text  # the common case (no tab or line break either): nothing to remove
    return text.translate(_REMOVE if keep_newlines else _ONE_LINE)
