"""A run of a batch's units, scored by one worker and taken in by the main process at once.

The main process of a batch does, for every unit, what cannot be split between workers: it
looks for a unit given twice, or facts seen before, and writes the summary in order. Taking in
each unit's :class:`~scoring.analysis.batch.Done` costs it more than all of that (a few dozen
objects to unpickle per unit), so a worker sends a run of units (:func:`score_part`) as a
:class:`Part`: beside the units themselves, still pickled, what the main process needs when no
unit in the run asks for its attention, which is most runs: the run's summary lines rendered,
its subjects' and facts' digests, its grades counted. Only a run where a unit failed, repeats
another, keeps its result or says more (a warning, a proposed reduction) is unpickled unit by
unit.
"""

from __future__ import annotations

import pickle
from array import array
from collections import Counter
from dataclasses import dataclass

from scoring.analysis.batch import DIGEST_BYTES, Done, Duplicates, line_shape, score_item
from scoring.analysis.summary import csv_lines
from scoring.load.units import Unit

NO_DIGEST = bytes(DIGEST_BYTES)
"""The digest written for a unit without one (no subject; facts not compared)."""


@dataclass(frozen=True, eq=False)
class Part:
    """A run of units scored, in input order (see the module's docstring)."""

    size: int
    lines: str | list[tuple[str, ...]] | None
    """The run's summary lines, when every unit is plain (:func:`plain`); else None: a CSV
    summary's as the text written, a Parquet summary's as each line's cells."""
    numbers: array[int]
    """Each unit's table row number."""
    subjects: bytes
    """Each unit's subject digest (:data:`DIGEST_BYTES` each, :data:`NO_DIGEST` for none)."""
    facts: bytes
    """Each unit's facts digest, subject aside, the same way (red flags)."""
    grades: dict[str | None, int]
    """How many units got each grade (None: no grade)."""
    units: list[Done] | bytes
    """The units, or (as the main process receives them) their pickle, unpickled if needed."""

    def __len__(self) -> int:
        return self.size

    def __reduce__(self) -> tuple[object, ...]:
        """The units pickled once more on their own, so that taking in a run leaves them be."""
        units = self.units
        if not isinstance(units, bytes):
            units = pickle.dumps(units, pickle.HIGHEST_PROTOCOL)
        fields = (self.lines, self.numbers, self.subjects, self.facts, self.grades, units)
        return Part, (self.size, *fields)

    def dones(self) -> list[Done]:
        """The units, one by one."""
        units = self.units
        return pickle.loads(units) if isinstance(units, bytes) else units

    def quiet(self, duplicates: Duplicates, identical: Duplicates) -> bool:
        """Whether the run can be written as it is: no unit needs the main process's attention.

        Every unit is plain, and none repeats a subject or (subject aside) the facts of a unit
        before it; each unit's digests are recorded in ``duplicates`` and ``identical`` as it is
        looked at. Looking again at a unit already recorded finds nothing, so a run found not
        quiet is then taken in unit by unit from its start, as any other.
        """
        if self.lines is None:
            return False
        subjects, facts, width = self.subjects, self.facts, DIGEST_BYTES
        for index, number in enumerate(self.numbers):
            start = index * width
            digest = subjects[start : start + width]
            if digest != NO_DIGEST and duplicates.seen(digest, number) is not None:
                return False
            digest = facts[start : start + width]
            if digest != NO_DIGEST and identical.seen(digest, number) is not None:
                return False
        return True


def plain(done: Done) -> bool:
    """A table row scored whose summary line is its own and says all: nothing else to do.

    Not an error, a warning or a reduction to tell, nor a result to keep, and its line rendered.
    """
    row = done.row
    return (
        done.number > 0
        and done.cells is not None
        and row.error is None
        and row.reduction is None
        and done.text is None
        and done.mismatch is None
    )


def part_of(dones: list[Done], parquet: bool = False) -> Part:
    """A run of scored units as a :class:`Part`, its lines those of a CSV or Parquet summary."""
    lines: str | list[tuple[str, ...]] | None = None
    if all(map(plain, dones)):
        cells = [done.cells for done in dones if done.cells is not None]
        lines = cells if parquet else csv_lines(cells)
    return Part(
        len(dones),
        lines,
        array("q", (done.number for done in dones)),
        b"".join(done.subject_digest or NO_DIGEST for done in dones),
        b"".join(done.facts_digest or NO_DIGEST for done in dones),
        dict(Counter(done.row.grade for done in dones)),
        dones,
    )


def score_part(items: list[Unit | tuple[int, list[object]]]) -> Part:
    """Score a run of units, or table rows, of the batch :func:`~.batch.start_worker` prepared."""
    shape = line_shape()
    return part_of([score_item(item) for item in items], shape is not None and shape.parquet)


__all__ = ["NO_DIGEST", "Part", "part_of", "plain", "score_part"]
