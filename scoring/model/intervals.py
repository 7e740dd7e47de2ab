"""Intervals of numbers with open or closed ends, for bands: which values match, gaps, overlaps.

An end of ``None`` is unbounded. Scoring tables write "80%（含）–90%": at_least 0.8, below 0.9.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from scoring.i18n import _


@dataclass(frozen=True)
class Interval:
    """The numbers between ``low`` and ``high``, each end included when its flag says so."""

    low: Decimal | None
    low_closed: bool
    high: Decimal | None
    high_closed: bool

    def contains(self, value: Decimal) -> bool:
        """Whether ``value`` lies in this interval."""
        below = self.low is not None and (
            value < self.low or (value == self.low and not self.low_closed)
        )
        if below:
            return False
        return self.high is None or value < self.high or (value == self.high and self.high_closed)

    @property
    def empty(self) -> bool:
        """Whether no number lies in it (its ends cross, or meet with one end open)."""
        if self.low is None or self.high is None:
            return False
        return self.low > self.high or (
            self.low == self.high and not (self.low_closed and self.high_closed)
        )

    def intersects(self, other: Interval) -> bool:
        """Whether some number lies in both."""
        return not _intersection(self, other).empty

    def __str__(self) -> str:
        """The interval as messages say it (``≥ 0.8 and < 0.9``), in the chosen language."""
        return self.words(_("{low} and {high}"), _("any value"))

    def words(self, both: str, anything: str) -> str:
        """The interval in words: ``both`` joins two ends, ``anything`` is an unbounded one.

        ``both`` is a pattern with ``{low}`` and ``{high}``: ``"{low} 且 {high}"`` gives
        ``≥ 0.8 且 < 0.9``.
        """
        if self.low is not None and self.low == self.high and self.low_closed and self.high_closed:
            return f"= {_number(self.low)}"
        low = None if self.low is None else f"{'≥' if self.low_closed else '>'} {_number(self.low)}"
        high = (
            None
            if self.high is None
            else f"{'≤' if self.high_closed else '<'} {_number(self.high)}"
        )
        if low is not None and high is not None:
            return both.format(low=low, high=high)
        return low or high or anything


def _number(value: Decimal) -> str:
    return format(value, "f")


def _intersection(a: Interval, b: Interval) -> Interval:
    low, low_closed = _later_low(a, b)
    high, high_closed = _earlier_high(a, b)
    return Interval(low, low_closed, high, high_closed)


def _later_low(a: Interval, b: Interval) -> tuple[Decimal | None, bool]:
    if a.low is None:
        return b.low, b.low_closed
    if b.low is None or a.low > b.low:
        return a.low, a.low_closed
    if b.low > a.low:
        return b.low, b.low_closed
    return a.low, a.low_closed and b.low_closed


def _earlier_high(a: Interval, b: Interval) -> tuple[Decimal | None, bool]:
    if a.high is None:
        return b.high, b.high_closed
    if b.high is None or a.high < b.high:
        return a.high, a.high_closed
    if b.high < a.high:
        return b.high, b.high_closed
    return a.high, a.high_closed and b.high_closed


def union(intervals: Iterable[Interval]) -> list[Interval]:
    """The union as disjoint intervals in ascending order (touching intervals are joined)."""
    pieces = sorted(
        (i for i in intervals if not i.empty),
        key=lambda i: (i.low is not None, i.low or Decimal(0), not i.low_closed),
    )
    merged: list[Interval] = []
    for piece in pieces:
        if merged and _joins(merged[-1], piece):
            last = merged[-1]
            high, high_closed = _later_high(last, piece)
            merged[-1] = Interval(last.low, last.low_closed, high, high_closed)
        else:
            merged.append(piece)
    return merged


def _joins(left: Interval, right: Interval) -> bool:
    """Whether ``right`` (starting no earlier) overlaps or touches ``left``."""
    if left.high is None or right.low is None:
        return True
    if right.low < left.high:
        return True
    return right.low == left.high and (left.high_closed or right.low_closed)


def _later_high(a: Interval, b: Interval) -> tuple[Decimal | None, bool]:
    if a.high is None or b.high is None:
        return None, False
    if a.high > b.high:
        return a.high, a.high_closed
    if b.high > a.high:
        return b.high, b.high_closed
    return a.high, a.high_closed or b.high_closed


def gaps(intervals: Iterable[Interval]) -> list[Interval]:
    """The values between the lowest and the highest interval that no interval covers."""
    pieces = union(intervals)
    return [
        Interval(left.high, not left.high_closed, right.low, not right.low_closed)
        for left, right in itertools.pairwise(pieces)
        if left.high is not None and right.low is not None
    ]


def covers(pieces: Iterable[Interval], interval: Interval) -> bool:
    """Whether ``interval`` lies wholly within the union of ``pieces``."""
    return any(_within(interval, piece) for piece in union(pieces))


def _within(inner: Interval, outer: Interval) -> bool:
    if outer.low is not None:
        if inner.low is None or inner.low < outer.low:
            return False
        if inner.low == outer.low and inner.low_closed and not outer.low_closed:
            return False
    if outer.high is not None:
        if inner.high is None or inner.high > outer.high:
            return False
        if inner.high == outer.high and inner.high_closed and not outer.high_closed:
            return False
    return True
