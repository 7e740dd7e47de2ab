"""What a scoring method is: a :class:`MethodSpec` with its parameters, score, check, wording, gap.

Each method family's module exports its specs; :data:`scoring.methods.METHODS` registers them by
name, and the engine, the ruleset checks, the workbook's 评分标准 and ``gap`` all look a method up
there, so adding a method is one module and one registry line.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import Protocol

from scoring.model.facts import TierClaim
from scoring.model.formula import Formula, Value, normalize_name
from scoring.model.problems import Loc, Problem
from scoring.model.ruleset import Indicator, Ruleset, Tier

Read = Callable[..., Value | TierClaim | tuple[str, ...]]
"""``read("actual")`` or ``read("items", 0, "met")``: a parameter's value, recorded."""


@dataclass(frozen=True)
class Outcome:
    """A leaf's unrounded score and the arithmetic behind it."""

    score: Decimal
    explanation: str
    findings: tuple[tuple[str, str], ...] = ()


Score = Callable[[Indicator, Decimal, Read, tuple[Tier, ...]], Outcome]
"""A leaf, its weight, its ``read`` and the tiers in force → its unrounded score, in [0, weight]."""


class Emitter(Protocol):
    """What a method's code generator writes a leaf's score with (:mod:`scoring.engine.compiled`).

    The code is the method's arithmetic alone, on the happy path: anything its :data:`Score`
    would refuse or word specially (a negative count, a value of another type, a target of 0
    with no rule for it) leaves the compiled function with :attr:`bail`, and the unit is scored
    by :data:`Score` itself, which says what went wrong. The same operations in the same order:
    the compiled score must be the plain one to the last digit.
    """

    bail: str
    """The statement that leaves the compiled function for the plain path."""

    def number(self, formula: Formula | None) -> str:
        """A local holding ``formula``'s value, a finite number (else bail)."""
        ...

    def yes_no(self, formula: Formula | None) -> str:
        """A local holding ``formula``'s value, true or false (else bail)."""
        ...

    def fact(self, name: str | None) -> str:
        """A local holding the value of the fact (or derived value) ``name``, of any type."""
        ...

    def const(self, value: object) -> str:
        """An expression for a constant of the ruleset."""
        ...

    def fresh(self) -> str:
        """A new local name."""
        ...

    def line(self, text: str) -> None:
        """A line of the leaf's code (indent with four spaces per block)."""
        ...


Emit = Callable[[Indicator, Decimal, tuple[Tier, ...], Emitter], str | None]
"""A leaf, its weight, the tiers in force and an :class:`Emitter` → the expression of its
unrounded score, after writing the lines that compute it; None when this leaf cannot be compiled
(the ruleset is then scored by the plain path)."""


class Checking(Protocol):
    """What a method's check may ask of the ruleset's checks (:mod:`scoring.engine.checks`)."""

    @property
    def ruleset(self) -> Ruleset:
        """The merged ruleset being checked."""
        ...

    def leaf(self, node: Indicator, loc: Loc, path: str) -> Iterator[Problem]:
        """Every problem of a leaf and its method (an ``either``'s alternative)."""
        ...

    def zero_fact(self, name: str) -> tuple[str, str] | None:
        """The fact a formula's ``name`` is, as declared, and how its bounds let it be 0.

        ``("预算数", "its min is 0")``; None when ``name`` is no number fact that may be 0.
        """
        ...

    def corners(self, formula: Formula, weight: Decimal, loc: Loc, path: str) -> Iterator[Problem]:
        """Where ``formula`` leaves 0–weight at a corner of its facts' declared bounds."""
        ...


Check = Callable[[Checking, Indicator, Loc, str], Iterator[Problem]]
"""A method's own checks of a leaf's parameters, beyond which parameters it needs and takes."""


def no_checks(checking: Checking, node: Indicator, loc: Loc, path: str) -> Iterator[Problem]:
    """The check of a method whose parameters need none beyond being given."""
    return iter(())


@dataclass(frozen=True)
class Words:
    """What a method's 评分标准 sentence needs besides the leaf: the ruleset, the weight, rates."""

    ruleset: Ruleset
    weight: Decimal | None
    rates: frozenset[str]
    """Folded names of the facts and derived values declared with ``unit: "%"``."""
    text: Callable[[Indicator], str]
    """Another leaf's method in words, out of the same weight (an ``either``'s alternative)."""

    def is_rate(self, formula: Formula | None) -> bool:
        """Whether a formula is the bare name of a rate."""
        if formula is None or len(formula.names) != 1:
            return False
        (name,) = formula.names
        return normalize_name(formula.source.strip()) == name and name in self.rates


Wording = Callable[[Indicator, Words], str]
"""A leaf's method and parameters as a 评分标准 sentence, in the words local tables use."""


# --- gap: which values of a parameter earn more -----------------------------------------------


@dataclass(frozen=True)
class Span:
    """Numbers between two ends, each open or closed; None is unbounded. Exact fractions."""

    low: Fraction | None
    low_closed: bool
    high: Fraction | None
    high_closed: bool

    def contains(self, x: Fraction) -> bool:
        """Whether ``x`` lies in the span."""
        if self.low is not None and (x < self.low or (x == self.low and not self.low_closed)):
            return False
        return self.high is None or x < self.high or (x == self.high and self.high_closed)

    def below(self, x: Fraction) -> bool:
        """Whether ``x`` lies below the span (its low end is above ``x``)."""
        return self.low is not None and (x < self.low or (x == self.low and not self.low_closed))

    def within(self, low: Fraction | None, high: Fraction | None) -> Span:
        """The span cut to the closed bounds [low, high]."""
        lo, lo_closed = self.low, self.low_closed
        if low is not None and (lo is None or low > lo):
            lo, lo_closed = low, True
        hi, hi_closed = self.high, self.high_closed
        if high is not None and (hi is None or high < hi):
            hi, hi_closed = high, True
        return Span(lo, lo_closed, hi, hi_closed)


ZERO_SPAN = Span(Fraction(0), True, Fraction(0), True)

Region = tuple[Span, bool]
"""Values of a parameter that earn more than now, and whether they earn full marks."""


class UnsolvableError(Exception):
    """A parameter cannot be solved for one fact; the message says why (internal to gap)."""


Regions = Callable[[Indicator, Decimal, Callable[[Formula], Fraction]], list[Region]]
"""A leaf, its score now and the value of a formula now → where its parameter earns more.

Raises UnsolvableError when no value of the parameter can earn more.
"""


@dataclass(frozen=True)
class Solve:
    """Gap behaviour: solve a number parameter back to the one fact it reads."""

    parameter: str
    regions: Regions
    others: tuple[str, ...] = ()
    """Parameters that must not read the same fact (a ratio's target)."""
    each_item: bool = False
    """When the leaf has ``items``, solve each item's ``parameter`` instead (deduct's counts)."""


@dataclass(frozen=True)
class Toggle:
    """Gap behaviour: turn over a yes/no fact (a boolean leaf, or a checklist item not met)."""


Why = Callable[[Indicator, Callable[[str], object]], str]
"""A leaf and its facts' values (by folded name) → why its points are a judgement call."""


@dataclass(frozen=True)
class Judge:
    """Gap behaviour: no one fact decides the points; ``why`` says so for a leaf."""

    why: Why


Gap = Solve | Toggle | Judge
"""How ``gap`` recovers a method's lost points: solve, turn over, or leave to judgement."""


@dataclass(frozen=True)
class MethodSpec:
    """A scoring method: its parameters, how it scores, checks, reads and is recovered by gap."""

    name: str
    required: frozenset[str]
    """The parameters it needs."""
    optional: frozenset[str]
    """The parameters it may take."""
    score: Score | None
    """Decimal in, Decimal out; None when the engine resolves the method itself (``either``)."""
    check: Check
    wording: Wording
    gap: Gap
    emit: Emit | None
    """Its score as code in a ruleset's compiled function, ``score`` its oracle; None with it."""

    @property
    def parameters(self) -> frozenset[str]:
        """Every parameter it needs or takes."""
        return self.required | self.optional
