"""Score many units at once: facts files, or the rows of a table, into one summary.

The units are read by :mod:`scoring.load.units`; the summary and its formats are
:mod:`scoring.analysis.summary`. Here each unit is checked and scored (in this process or in a
worker), the same unit given twice is refused, and each result gets a file name.

Everything here is pure; the command line reads the files, writes the outputs and draws the
progress bar.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from array import array
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Any

from scoring.analysis.red_flags import facts_digest, identical_flag, unit_flags
from scoring.analysis.summary import LineShape, SummaryRow, shaped_line
from scoring.engine.application import propose
from scoring.engine.score import Scored, scored
from scoring.errors import FactsError, Issue, RulesetError, ScoringError, SourceLocation
from scoring.i18n import _
from scoring.load.facts import FactsInput
from scoring.load.rows import RowReader
from scoring.load.units import SUBJECT_HEADERS, Table, Unit
from scoring.model import values
from scoring.model.facts import Facts
from scoring.model.located import locate
from scoring.model.results import ScoreResult, subject_keys, subject_line
from scoring.model.ruleset import FactSpec, Ruleset
from scoring.render.text_safety import printable

MAX_NAME_BYTES = 180
"""A result file's name, before its suffix: file systems allow 255 bytes, and 汉字 take 3 each."""
UNSAFE = re.compile(r'[\x00-\x1f\x7f<>:"/\\|?*]')
DIGEST_BYTES = 12
"""A subject's digest: two different subjects share one with a chance of one in 2**96."""
RESERVED = re.compile(r"(?i)^(con|prn|aux|nul|com[1-9]|lpt[1-9])(\..*)?$")  # Windows devices


@dataclass(frozen=True, eq=False)
class UnitResult:
    """A unit scored, or the error that stopped it."""

    unit: Unit
    scored: Scored | None = None
    """The numbers; the full result is built from them when :attr:`result` is first asked."""
    error: str | None = None
    claimed: Decimal | None = None
    """The unit's own total as its report claims it (a table's 自评总分 column), if given."""

    @property
    def result(self) -> ScoreResult | None:
        """The unit's full result (breakdown, explanations, fingerprints), built once if asked."""
        return None if self.scored is None else self.scored.result()


def mark_duplicates(units: list[Unit]) -> list[Unit]:
    """The units, each one whose subject an earlier unit has made an error naming both.

    The same unit given twice (its facts file and its filled workbook, or two rows of a table)
    would be counted twice; scoring the first and refusing the second says which to remove.
    Units without a subject cannot be told apart and are kept.
    """
    seen = Duplicates()
    marked = []
    for unit in units:
        first = seen.first(unit.subject, unit.source)
        if first is None:
            marked.append(unit)
            continue
        where = locate(unit.data, ("subject",)) or SourceLocation(unit.source, 1, 1)
        issue = Issue(duplicate_message(str(first), unit.subject), where)
        marked.append(Unit(unit.source, unit.stem, issues=(issue,)))
    return marked


def subject_digest(subject: dict[str, str]) -> bytes | None:
    """A digest of a subject as written (spaces and full-width forms aside); None when blank."""
    written = sorted(
        (key, values.normalise_text(value))
        for key, value in subject.items()
        if values.normalise_text(value)
    )
    if not written:
        return None
    return hashlib.blake2b(repr(written).encode("utf-8"), digest_size=DIGEST_BYTES).digest()


class Duplicates:
    """The subjects seen so far, kept small: a digest of each, and where it was first seen.

    A batch of a million rows keeps a million digests, not a million subjects: in one open
    addressing table of fixed-size slots (about 40 bytes a unit), not in a dict of Python
    objects (about 120).
    """

    def __init__(self) -> None:
        self._digests = bytearray(DIGEST_BYTES * 8)
        self._where = array("q", bytes(8 * 8))
        """Per slot: 0 empty, n + 1 for row n, -(i + 1) for the source ``self._names[i]``."""
        self._names: list[str] = []
        self._count = 0

    def first(self, subject: dict[str, str], source: str | int) -> str | int | None:
        """Where the same subject was seen before (None the first time, or with no subject).

        ``source`` is what to say of this one when a later one is the same: its source, or
        its row number, which takes less room.
        """
        digest = subject_digest(subject)
        return None if digest is None else self.seen(digest, source)

    def seen(self, digest: bytes, source: str | int) -> str | int | None:
        """Where ``digest`` (of DIGEST_BYTES) was seen before; None the first time, kept then."""
        assert len(digest) == DIGEST_BYTES
        slot = self._slot(digest)
        where = self._where[slot]
        if where == 0:
            self._put(slot, digest, source)
            return None
        first = where - 1 if where > 0 else self._names[-where - 1]
        return None if first == source else first

    def _slot(self, digest: bytes) -> int:
        """The slot holding ``digest``, or the empty slot where it goes."""
        mask = len(self._where) - 1
        slot = int.from_bytes(digest[:8], "little") & mask
        while self._where[slot] != 0:
            start = slot * DIGEST_BYTES
            if self._digests[start : start + DIGEST_BYTES] == digest:
                break
            slot = (slot + 1) & mask
        return slot

    def _put(self, slot: int, digest: bytes, source: str | int) -> None:
        if isinstance(source, int):
            where = source + 1
        else:
            self._names.append(source)
            where = -len(self._names)
        self._digests[slot * DIGEST_BYTES : (slot + 1) * DIGEST_BYTES] = digest
        self._where[slot] = where
        self._count += 1
        if self._count * 3 >= len(self._where) * 2:  # two thirds full: twice the slots
            self._grow()

    def _grow(self) -> None:
        digests, wheres = self._digests, self._where
        self._digests = bytearray(len(digests) * 2)
        self._where = array("q", bytes(16 * len(wheres)))
        for old, where in enumerate(wheres):
            if where != 0:
                digest = bytes(digests[old * DIGEST_BYTES : (old + 1) * DIGEST_BYTES])
                slot = self._slot(digest)
                self._digests[slot * DIGEST_BYTES : (slot + 1) * DIGEST_BYTES] = digest
                self._where[slot] = where


def duplicate_message(first: str, subject: dict[str, str]) -> str:
    """What a unit given a second time is told (``first``: where it was given first)."""
    written = {
        key: values.normalise_text(value)
        for key, value in sorted(subject.items())
        if values.normalise_text(value)
    }
    return _(
        "the same unit as {first} ({subject}): a unit is counted once, remove one of the two"
    ).format(first=first, subject=subject_line(written))


def score_unit(unit: Unit, ruleset: Ruleset, facts: Facts | None = None) -> UnitResult:
    """Check a unit's facts and score them; any error becomes the unit's, naming its position.

    ``facts``: the unit's facts, when already read and checked (a table's row, read at once).
    """
    try:
        if facts is None:
            if unit.data is None:
                raise FactsError(unit.issues, unit.source)
            read = FactsInput(unit.source, unit.data, unit.keys, unit.issues, reword=unit.reword)
            facts = read.check(ruleset)
        return UnitResult(unit, scored(ruleset, facts), claimed=_claimed(unit, ruleset))
    except (FactsError, RulesetError) as exc:
        return UnitResult(unit, error="\n".join(map(str, exc.issues)))
    except ScoringError as exc:
        return UnitResult(unit, error=str(exc))


def _claimed(unit: Unit, ruleset: Ruleset) -> Decimal | None:
    """The total a unit claims (自评总分), read as a number within 0–total, or None."""
    assert unit.data is not None
    given = unit.data.get("claimed")
    if given is None:
        return None
    try:
        return values.number(given, FactSpec(label="自评总分", min=0, max=ruleset.total))
    except values.UnreadableError as exc:
        where = locate(unit.data, ("claimed",)) or SourceLocation(unit.source, 1, 1)
        raise FactsError([Issue(str(exc), where, field="claimed")], unit.source) from None


def summary_row(scored: UnitResult) -> SummaryRow:
    """A scored unit's line of the summary."""
    done = scored.scored
    if done is None:
        return SummaryRow(scored.unit.source, scored.unit.subject, None, None, (), scored.error)
    lost = tuple(None if score is None else weight - score for score, weight in done.tops)
    proposal = (  # 结果应用, when the rules say
        propose(done.ruleset, done.grade, done.values) if done.ruleset.application else None
    )
    return SummaryRow(
        scored.unit.source,
        dict(done.facts.subject),
        done.total,
        done.grade,
        lost,
        treatment=proposal.treatment if proposal is not None else None,
        reduction=proposal.reduction if proposal is not None else None,
        flags=unit_flags(done, scored.claimed),
    )


@dataclass(frozen=True)
class Done:
    """A unit scored, as a worker sends it back: its summary row and what the batch writes."""

    row: SummaryRow
    written: dict[str, str]
    """The subject as written, to find the same unit given twice."""
    where: str
    """Where a second copy of the unit is pointed at (its subject, or its row)."""
    stem: str
    text: str | None = None
    """Its result as JSON, when the batch keeps results."""
    mismatch: str | None = None
    """What to warn of when the facts name another ruleset."""
    number: int = 0
    """A table row's number (0 for a unit read from its own file)."""
    facts_digest: bytes | None = None
    """Its facts' digest, subject aside, when the ruleset flags identical facts."""
    subject_digest: bytes | None = None
    """Its subject's digest (:func:`subject_digest`), worked out in the worker."""
    cells: tuple[str, ...] | None = None
    """Its summary row as its line's cells, when the summary is a CSV or Parquet file written as
    it goes: rendered in the worker, which leaves the main process less to do for each unit."""

    def __reduce__(self) -> tuple[Any, ...]:
        """Itself as one flat tuple, for the main process to unpickle for every unit.

        A dataclass's state (and its row's) unpickles slower than a tuple of the same values.
        """
        row = self.row
        return _done, (
            row.source,
            row.subject,
            row.total,
            row.grade,
            row.lost,
            row.error,
            row.treatment,
            row.reduction,
            row.flags,
            self.written,
            self.where,
            self.stem,
            self.text,
            self.mismatch,
            self.number,
            self.facts_digest,
            self.subject_digest,
            self.cells,
        )


def _done(*fields: Any) -> Done:
    """A :class:`Done` from its flat tuple (:meth:`Done.__reduce__`)."""
    return Done(SummaryRow(*fields[:9]), *fields[9:])


_WORKER: dict[str, Any] = {}


def start_worker(
    ruleset: Ruleset, table: Table | None, keep: bool, shape: LineShape | None = None
) -> None:
    """Prepare this process to score units of one batch (run once in each worker).

    ``shape``: the summary's line, when each unit's is to be rendered here.
    """
    rows = RowReader(table, ruleset) if table is not None else None
    _WORKER.update(ruleset=ruleset, table=table, rows=rows, keep=keep, shape=shape)


def line_shape() -> LineShape | None:
    """The summary's line of the batch :func:`start_worker` prepared, if rendered here."""
    return _WORKER.get("shape")


def score_item(item: Unit | tuple[int, list[Any]]) -> Done:
    """Score one unit, or one table row, of the batch :func:`start_worker` prepared."""
    from scoring.render import render_json  # here: only a batch that keeps results needs it

    ruleset: Ruleset = _WORKER["ruleset"]
    facts = None
    if isinstance(item, Unit):
        unit, number = item, 0
    else:
        number = item[0]
        read = _WORKER["rows"].read(*item)  # a row without a problem, read at once
        if read is not None:
            unit, facts = read
        else:  # the general path, which places every problem at its cell
            unit = _WORKER["table"].unit(*item)
    done = score_unit(unit, ruleset, facts)
    where = locate(unit.data, ("subject",)) or SourceLocation(unit.source, 1, 1)
    keep = _WORKER["keep"] and done.scored is not None
    row, shape, subject = summary_row(done), _WORKER["shape"], unit.subject
    return Done(
        row,
        subject,
        str(where),
        unit.stem,
        render_json(done.result) if keep and done.result is not None else None,
        done.scored.mismatch if done.scored is not None else None,
        number,
        facts_digest(done.scored) if done.scored is not None else None,
        subject_digest(subject),
        None if shape is None else shaped_line(row, shape),
    )


def duplicate_row(done: Done, first: str) -> SummaryRow:
    """The summary row of a unit given a second time: an error naming the first."""
    error = f"{done.where}: {duplicate_message(first, done.written)}"  # as Issue(…, where) says
    return SummaryRow(done.row.source, {}, None, None, (), error)


def first_identical(
    seen: Duplicates, row: SummaryRow, digest: bytes | None, where: str | int
) -> str | int | None:
    """Where a unit with the same facts (subject aside) came first, kept in ``seen``.

    None for the first unit with its facts, a unit in error, or when the ruleset does not flag
    identical facts (``digest``, :func:`~scoring.analysis.red_flags.facts_digest`, is None).
    ``where`` is what a later unit is told of this one: its source, or its row number.
    """
    if digest is None or row.error is not None:
        return None
    return seen.seen(digest, where)


def identical_row(row: SummaryRow, first: str) -> SummaryRow:
    """The summary row of a unit whose facts are those of ``first``, flagged so."""
    return replace(row, flags=(*row.flags, identical_flag(first)))


def result_name(scored: UnitResult, taken: set[str]) -> str:
    """A file name for a unit's result: its subject, made safe, unique among ``taken``.

    ``长沙市望城区信访局-信访救助资金-2022.json``; a second unit with the same subject gets
    ``…-2022-2.json``; a unit without a subject is named by its input (``units-row12.json``).
    Names are compared case-folded, as on case-insensitive file systems; ``taken`` is updated.
    """
    done = scored.scored
    subject = dict(done.facts.subject) if done is not None else scored.unit.subject
    return result_file_name(subject, scored.unit.stem, taken)


def result_file_name(subject: dict[str, str], stem: str, taken: set[str]) -> str:
    """:func:`result_name` from a unit's subject and stem (what a worker sends back)."""
    ordered = [subject[key] for key in subject_keys(subject, SUBJECT_HEADERS)]
    base = _safe_name("-".join(part for part in ordered if part.strip()))
    base = base or _safe_name(stem) or "unit"
    name, counter = base, 1
    while name.casefold() in taken:
        counter += 1
        name = f"{base}-{counter}"
    taken.add(name.casefold())
    return f"{name}.json"


def _safe_name(text: str) -> str:
    """Text usable as a file name on Linux, macOS and Windows alike."""
    name = UNSAFE.sub("_", printable(unicodedata.normalize("NFC", text)))  # C1, bidi overrides
    name = re.sub(r"\s+", " ", name).strip(" .")
    while len(name.encode("utf-8")) > MAX_NAME_BYTES:
        name = name[:-1]
    name = name.rstrip(" .")
    return f"{name}_" if RESERVED.match(name) else name
