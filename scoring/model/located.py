"""Data that remembers where each key and value stood in its file, and :func:`locate` to ask.

:mod:`scoring.load.yaml_source` builds it from YAML text; everything else only reads positions
from it, so the core can point at a line without knowing how files are parsed.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from scoring.errors import SourceLocation

Key = str | int


class LocatedDict(dict[str, Any]):
    """A mapping that knows where it, each key, and each value started."""

    location: SourceLocation | None = None

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.key_locations: dict[str, SourceLocation] = {}
        self.value_locations: dict[str, SourceLocation] = {}

    def put(
        self, key: str, value: Any, where: SourceLocation, key_at: SourceLocation | None = None
    ) -> None:
        """Set ``key`` to ``value``, both found at ``where`` (the key at ``key_at`` if given)."""
        self[key] = value
        self.key_locations[key] = key_at or where
        self.value_locations[key] = where

    def located_copy(self) -> LocatedDict:
        """A shallow copy that keeps where the mapping, its keys and its values started."""
        copied = LocatedDict(self)
        copied.location = self.location
        copied.key_locations = dict(self.key_locations)
        copied.value_locations = dict(self.value_locations)
        return copied


class LocatedList(list[Any]):
    """A sequence that knows where it and each item started."""

    location: SourceLocation | None = None

    def __init__(self, *args: Any):
        super().__init__(*args)
        self.item_locations: list[SourceLocation] = []


def locate(data: Any, loc: Sequence[Key], *, key: bool = False) -> SourceLocation | None:
    """Where the value at ``loc`` stood; the nearest enclosing node when it is absent.

    With ``key=True`` the position of the last key itself (for "unknown key" messages).
    """
    found: SourceLocation | None = getattr(data, "location", None)
    node = data
    for index, step in enumerate(loc):
        last = index == len(loc) - 1
        if isinstance(node, LocatedDict) and isinstance(step, str) and step in node:
            positions = node.key_locations if (last and key) else node.value_locations
            found = positions.get(step, found)
            node = node[step]
        elif isinstance(node, LocatedList) and isinstance(step, int) and 0 <= step < len(node):
            if step < len(node.item_locations):
                found = node.item_locations[step]
            node = node[step]
        else:
            break
    return found
