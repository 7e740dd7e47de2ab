"""The rulesets on a search path, listed: id, version, title, year, dates in force and file.

``scoring rulesets`` prints the list, and the web app's ``GET /api/rulesets`` returns the same
JSON bytes as ``scoring rulesets --json``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from scoring.errors import ScoringError
from scoring.load.registry import Entry, Registry, version_key
from scoring.load.review import load_review_ruleset
from scoring.load.rulesets import load_ruleset
from scoring.model.in_force import Effective

YEAR = re.compile(r"(?:19|20)\d\d(?!\d)")


@dataclass(frozen=True)
class Listed:
    """One ruleset of the search path: its entry, its title (None when it cannot be loaded)."""

    entry: Entry
    title: str | None
    year: int | None
    effective: Effective | None = None
    """The dates it is in force (``effective:``), when it says them and can be loaded."""

    @property
    def in_force(self) -> str | None:
        """``2022-01-01 至 2022-12-31（预算年度 2022）``, as the Chinese table says it."""
        if self.effective is None:
            return None
        year = self.effective.fiscal_year
        return self.effective.period_zh + (f"（预算年度 {year}）" if year else "")


def catalogue(search_path: Iterable[Path] = (), *, review: bool = False) -> list[Listed]:
    """Every scoring ruleset on the search path, by id and then version (oldest first).

    With ``review``, the review rulesets (``kind: review``) instead: they check target tables
    and are never offered for scoring.
    """
    directories = tuple(search_path)
    registry = Registry(directories)
    entries = sorted(
        (entry for entry in registry.entries().values() if entry.is_review == review),
        key=lambda entry: (entry.id, version_key(entry.version)),
    )
    listed: list[Listed] = []
    for entry in entries:
        effective = None
        try:
            if review:
                title: str | None = load_review_ruleset(entry.path, directories).ruleset.title
            else:
                loaded = load_ruleset(entry.path, directories)
                title, effective = loaded.title, loaded.effective
        except ScoringError:
            title = None
        found = YEAR.match(entry.version)  # versions are written YEAR.N by convention
        listed.append(Listed(entry, title, int(found.group()) if found else None, effective))
    return listed


def catalogue_json(listed: Iterable[Listed]) -> str:
    """The list as ``scoring rulesets --json`` prints it."""
    rows = [
        {
            "id": each.entry.id,
            "version": each.entry.version,
            "title": each.title,
            "year": each.year,
            "effective": _effective_json(each.effective),
            "file": str(each.entry.path),
        }
        for each in listed
    ]
    return json.dumps(rows, ensure_ascii=False, indent=2) + "\n"


def _effective_json(effective: Effective | None) -> dict[str, str | int | None] | None:
    """``{"from": …, "to": …, "fiscal_year": …}`` as the ruleset writes it, or None."""
    if effective is None:
        return None
    return {"from": effective.starts, "to": effective.ends, "fiscal_year": effective.fiscal_year}
