"""A year's submissions as the bureau reads them: one batch summary per ruleset.

Each unit's latest submitted facts are scored again exactly as ``scoring batch`` scores a facts
file (:func:`scoring.analysis.batch.score_unit`, :func:`~scoring.analysis.batch.summary_row`),
under a name that is the facts file's a batch would read (``单位-项目-年度.json``), and the rows
become the batch summary (:mod:`scoring.analysis.summary`): the table, the tally of grades and
the CSV and XLSX files are that summary's, computed nowhere else, red flags (identical facts
among them) as the batch raises them.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from scoring.analysis.batch import (
    Duplicates,
    first_identical,
    identical_row,
    mark_duplicates,
    result_file_name,
    score_unit,
    summary_row,
)
from scoring.analysis.red_flags import facts_digest
from scoring.analysis.summary import Summary, Tally, summarise, summary_table
from scoring.errors import ScoringError
from scoring.load.units import parse_unit
from scoring.model.ruleset import Ruleset
from scoring.web.form import ruleset_by_ref
from scoring.web.store.tables import Submission, Version

CHART_WIDTH = 400
"""The longest bar of the grade chart, in the SVG's units."""


@dataclass(frozen=True)
class Bar:
    """One bar of the grade chart: its label, its count and its length."""

    label: str
    count: int
    length: int


@dataclass(frozen=True)
class Group:
    """The submissions of one year under one ruleset, summarised as a batch."""

    ref: str
    ruleset: Ruleset | None
    summary: Summary | None
    submissions: tuple[int, ...]
    """The submission behind each row of the summary, in its order."""
    error: str | None = None
    """Why the ruleset cannot be loaded (then there is no summary)."""

    @property
    def table(self) -> tuple[list[str], list[list[str]]]:
        """The summary's headers and rows, as text (numbers written exactly)."""
        assert self.summary is not None
        return summary_table(self.summary)

    @property
    def bars(self) -> list[Bar]:
        """How many units got each grade (then no grade, errors), as bars."""
        assert self.summary is not None
        tally = Tally(self.summary.grades)
        for row in self.summary.rows:
            tally.add(row)
        counted = [*tally.counts.items()]
        if tally.ungraded:
            counted.append(("无等级", tally.ungraded))
        if tally.failed:
            counted.append(("错误", tally.failed))
        most = max((count for _label, count in counted), default=0) or 1
        return [Bar(label, count, count * CHART_WIDTH // most) for label, count in counted]


def facts_names(pairs: Iterable[tuple[Submission, Version]]) -> list[tuple[str, Submission, str]]:
    """Each submission's facts as a batch would read them: a file name, sorted by it, and the text.

    The name is the one ``scoring batch`` gives a result (``单位-项目-年度.json``), unique.
    """
    taken: set[str] = set()
    named = []
    for submission, version in pairs:
        subject = json.loads(version.facts_json).get("subject", {})
        subject = {key: str(value) for key, value in subject.items()}
        name = result_file_name(subject, f"submission-{submission.id}", taken)
        named.append((name, submission, version.facts_json))
    return sorted(named, key=lambda each: each[0])


def summary_of(ruleset: Ruleset, named: list[tuple[str, Submission, str]]) -> Summary:
    """The batch summary of the named facts under ``ruleset``, as ``scoring batch`` makes it.

    Red flags too: a unit whose facts are an earlier one's is flagged, naming it.
    """
    units = mark_duplicates([parse_unit(text, name) for name, _submission, text in named])
    identical, rows = Duplicates(), []
    for unit in units:
        done = score_unit(unit, ruleset)
        row = summary_row(done)
        digest = facts_digest(done.scored) if done.scored is not None else None
        first = first_identical(identical, row, digest, unit.source)
        rows.append(row if first is None else identical_row(row, str(first)))
    return summarise(ruleset, rows)


def year_groups(
    pairs: Iterable[tuple[Submission, Version]], search_path: Iterable[Path]
) -> list[Group]:
    """The year's submissions, one group per ruleset (by ``id@version``)."""
    by_ref: dict[str, list[tuple[Submission, Version]]] = {}
    for submission, version in pairs:
        by_ref.setdefault(submission.ruleset_ref, []).append((submission, version))
    return [group_of(ref, found, search_path) for ref, found in sorted(by_ref.items())]


def group_of(
    ref: str, pairs: list[tuple[Submission, Version]], search_path: Iterable[Path]
) -> Group:
    """The submissions under one ruleset, summarised (or why its ruleset cannot be loaded)."""
    named = facts_names(pairs)
    ids = tuple(submission.id for _name, submission, _text in named)
    try:
        ruleset = ruleset_by_ref(ref, search_path)
    except ScoringError as exc:
        return Group(ref, None, None, ids, str(exc))
    return Group(ref, ruleset, summary_of(ruleset, named), ids)
