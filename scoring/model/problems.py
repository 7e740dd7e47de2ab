"""A problem with a ruleset, placed by its key path: what every ruleset check yields."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Loc = tuple[str | int, ...]
"""A key path into a ruleset's data: ``("indicators", 0, "children", 1, "target")``."""


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a ruleset, placed by its key path in the ruleset's data."""

    loc: Loc
    message: str
    path: str | None = None
    field: str | None = None
    at_key: bool = False
    severity: Literal["error", "warning"] = "error"
