"""What a ruleset file's text tells before it is parsed: whether it may declare an id.

Looking a ruleset up by its id parses only the files on the search path that may declare it
(:meth:`scoring.load.registry.Registry.candidates_of`); a file ruled out here cannot.
"""

from __future__ import annotations

import re

_NOT_AN_ID_LINE = re.compile(r"^(?:extends[ \t]*:[^&\n]*|[ \t]*#.*)$", re.MULTILINE)
"""A top-level ``extends:`` line without an anchor (``&``), or a line that is a comment."""
_ID_CHARACTERS = "a-z0-9_.-"


def may_declare(text: str, ruleset_id: str) -> bool:
    """Whether a file's ``text`` may declare ``ruleset_id``: whether it cannot be ruled out.

    An id (a-z, 0-9, ``_.-``, no spaces) is declared whole on one line of a file: a file can be
    ruled out when the id is nowhere in it as a whole id (``a.b`` is not in ``a.b-c``) but on
    lines that cannot declare it. A top-level ``extends:`` line names the parent, unless an
    anchor (``&``) on it lends its value to the id; a line whose first mark is ``#`` is a
    comment (or a block of text). So looking a parent up does not parse every ruleset that
    extends it, nor one whose comments name it. A text with a backslash may spell the id with
    escapes: it is never ruled out.
    """
    if "\\" in text:
        return True
    whole = rf"(?<![{_ID_CHARACTERS}]){re.escape(ruleset_id)}(?![{_ID_CHARACTERS}])"
    return re.search(whole, _NOT_AN_ID_LINE.sub("", text)) is not None
