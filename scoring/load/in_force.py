"""Rulesets in force by year: which version facts naming only an id are scored by, and overlaps.

Facts that name ``ruleset: id`` (no version) are scored by the version in force for their year
(``subject: {year: …}``), when the versions of that id on the search path say their dates
(``effective:``, :mod:`scoring.model.in_force`); the choice is said on stderr and recorded in the
result (an ``in_force`` finding). When no version gives dates, the newest is taken, as before.
Two versions in force on the same date are refused here and by ``scoring lint``, at the
``effective`` key of each file.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from pydantic import ValidationError

from scoring.errors import FactsError, Issue, RulesetError, SearchPathError, SourceLocation
from scoring.i18n import _
from scoring.load.registry import Entry, Registry, read_ruleset_file, version_key
from scoring.model.base import plain
from scoring.model.in_force import Effective, facts_year
from scoring.model.located import LocatedDict, locate


@dataclass(frozen=True)
class Dated:
    """A version of a ruleset on the search path, with the dates it is in force."""

    entry: Entry
    effective: Effective | None
    where: SourceLocation | None
    """Its ``effective`` key, for messages."""

    def listed(self) -> str:
        """``2021.1 (2021-01-01 – 2021-12-31)`` or ``2020.1 (no dates)``."""
        if self.effective is None:
            return _("{version} (no dates)").format(version=self.entry.version)
        year = self.effective.fiscal_year
        period = self.effective.period + (
            _(", fiscal year {year}").format(year=year) if year else ""
        )
        return f"{self.entry.version} ({period})"


def versions(registry: Registry, ruleset_id: str) -> list[Dated]:
    """Every version of ``ruleset_id`` on the search path, oldest first, with its dates.

    A file whose dates cannot be read is left without them: ``scoring lint`` reports it.
    """
    found = []
    for _key, (entry, *_shadowed) in sorted(registry.candidates_of(ruleset_id).items()):
        effective, where = _dates(entry.path)
        found.append(Dated(entry, effective, where))
    return sorted(found, key=lambda dated: version_key(dated.entry.version))


def _dates(path: Path) -> tuple[Effective | None, SourceLocation | None]:
    try:
        _text, data = read_ruleset_file(path)
    except (OSError, RulesetError):
        return None, None
    if not isinstance(data, LocatedDict) or data.get("effective") is None:
        return None, None
    try:
        return Effective.model_validate(data["effective"]), locate(data, ("effective",), key=True)
    except ValidationError:
        return None, None


def choose(
    registry: Registry, ruleset_id: str, facts: LocatedDict, where: SourceLocation
) -> Entry | None:
    """The version of ``ruleset_id`` in force for the year the facts' ``subject`` names.

    None when no version of it gives dates (the newest is then taken, as before) or none is on
    the search path (the search path's own message follows).

    Raises:
        FactsError: when the facts give no year, or a year that is not one, and dates decide.
        SearchPathError: when no version, or more than one, is in force for the year.
    """
    found = versions(registry, ruleset_id)
    if not any(dated.effective is not None for dated in found):
        return None
    listed = _(", ").join(dated.listed() for dated in found)
    subject = facts.get("subject")
    written = subject.get("year") if isinstance(subject, dict) else None
    text = plain(written) if isinstance(written, Decimal) else str(written or "")
    try:
        year = facts_year({"year": text})
    except ValueError as exc:
        at = locate(facts, ("subject", "year")) or where
        raise FactsError([Issue(str(exc), at, field="year")], where.file) from None
    if year is None:
        message = _(
            "the facts give no year (subject: year), and the versions of {id} are in force by "
            "year: {listed}; give the year, or name the version (ruleset: {id}@VERSION)"
        ).format(id=ruleset_id, listed=listed)
        raise FactsError([Issue(message, where, field="ruleset")], where.file)
    chosen = [dated for dated in found if dated.effective and dated.effective.covers(year)]
    if not chosen:
        message = _(
            "no version of {id} is in force for {year}: {listed}; name one (ruleset: "
            "{id}@VERSION) to score under it"
        ).format(id=ruleset_id, year=year, listed=listed)
        raise SearchPathError([Issue(message, where, field="ruleset")], where.file)
    if len(chosen) > 1:
        both = _(", ").join(f"{dated.entry.ref} ({dated.where})" for dated in chosen)
        message = _(
            "{count} versions of {id} are in force for {year}: {both}; check them with scoring lint"
        ).format(count=len(chosen), id=ruleset_id, year=year, both=both)
        raise SearchPathError([Issue(message, where, field="ruleset")], where.file)
    return chosen[0].entry


def overlaps(
    effective: Effective | None, ref: str, file: Path, data: LocatedDict, registry: Registry
) -> list[Issue]:
    """A problem, at this file's ``effective`` key, for each other version in force with it."""
    if effective is None:
        return []
    ruleset_id = ref.split("@", 1)[0]
    where = locate(data, ("effective",), key=True) or SourceLocation(str(file), 1, 1)
    real = file.resolve()
    problems = []
    for dated in versions(registry, ruleset_id):
        other = dated.effective
        if other is None or dated.entry.path.resolve() == real or dated.entry.ref == ref:
            continue
        if effective.overlaps(other):
            message = _(
                "{ref} ({period}) and {other} ({other_period}, {where}) are in force "
                "together: two versions of {id} may not be in force on the same date or for the "
                "same fiscal year; change one's from, to or fiscal_year"
            ).format(
                ref=ref,
                period=effective.period,
                other=dated.entry.ref,
                other_period=other.period,
                where=dated.where,
                id=ruleset_id,
            )
            problems.append(Issue(message, where, field="effective"))
    return problems
