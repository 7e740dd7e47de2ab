"""The plan of a ruleset: what scoring needs from the rules alone, worked out once.

The names as formulas see them, what each derived value reads, which facts a set of 不适用
indicators leaves to give, the template's slots still to fill; and how a score is rounded.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from decimal import ROUND_DOWN, ROUND_HALF_EVEN, ROUND_HALF_UP, Decimal
from typing import Any

from scoring.engine.reading import Reader, reader
from scoring.model.formula import Formula, normalize_name
from scoring.model.results import (
    EngineInfo,
)
from scoring.model.ruleset import Indicator, Rounding, Ruleset

ENGINE_NAME = "scoring"
ENGINE_VERSION = "0.1.0"
_MODES = {"half_up": ROUND_HALF_UP, "half_even": ROUND_HALF_EVEN, "down": ROUND_DOWN}
MAX_KEPT = 64
"""Sets of 不适用 paths whose facts_read a ruleset keeps: a batch meets a handful."""


def round_score(value: Decimal, rounding: Rounding) -> Decimal:
    """A score rounded to the ruleset's places and mode (四舍五入 by default)."""
    return value.quantize(_QUANTA[rounding.places], rounding=_MODES[rounding.mode])


_QUANTA = [Decimal(1).scaleb(-places) for places in range(7)]
"""1, 0.1 … 0.000001: the quantum of each number of places a ruleset may round to (0–6)."""


def leaf_names(node: Indicator) -> set[str]:
    """The names (folded) a leaf reads directly: formulas, ``fact``, ``due``; not alternatives."""
    names = {name for _, formula in node.formulas() for name in formula.names}
    names |= {normalize_name(name) for name in (node.fact, node.due) if name is not None}
    return names


class Plan:
    """What scoring needs from a ruleset alone, worked out once and kept with the ruleset.

    The names as formulas see them, what each derived value reads (transitively), the facts each
    set of 不适用 indicators needs, and the template slots.
    """

    def __init__(self, ruleset: Ruleset):
        self.facts = {normalize_name(name): name for name in ruleset.facts}
        self.derived = {normalize_name(name): name for name in ruleset.derived}
        self.declared = {**self.facts, **self.derived}
        self.specs = {normalize_name(name): spec for name, spec in ruleset.derived.items()}
        self.fold = {name: normalize_name(name) for name in [*ruleset.facts, *ruleset.derived]}
        self.behind: dict[frozenset[str], frozenset[str]] = {}
        self.trails: dict[str, tuple[tuple[str, str], ...]] = {}
        self.reads: dict[tuple[frozenset[str], bool], dict[str, str]] = {}
        self.readers: dict[int, Reader] = {}
        """Each formula read, by id, as its generated function (:mod:`scoring.engine.reading`)."""
        self.labels: Any = None
        """The tier labels and synonyms a formula may compare with (:mod:`.formula_checks`)."""
        self.compiled: dict[frozenset[str], Any] = {}
        """The compiled function of each set of 不适用 paths met (:mod:`.compiled`)."""
        self.formulas: list[Formula] = []
        """The formulas of :attr:`readers`, held: an id is never that of another formula."""
        self.paths = frozenset(path for path, _level, _node in ruleset.walk())
        """Every indicator's path."""
        self.slots = tuple(
            path
            for path, _level, node in ruleset.walk()
            if node.children == () or node.weight is None
        )
        self.engine = EngineInfo(name=ENGINE_NAME, version=ENGINE_VERSION)
        self.shown = tuple(
            (name, normalize_name(name), self._facts_behind(spec.expr.names), spec)
            for name, spec in ruleset.derived.items()
        )
        """Each derived value a result shows: its name, folded name, the facts it needs, spec."""

    def _facts_behind(self, names: frozenset[str]) -> frozenset[str]:
        return frozenset(n for n in self.names_behind(names) if n not in self.derived)

    def folded(self, facts: Mapping[str, Any]) -> dict[str, Any]:
        """Facts by the names formulas see (folded), as given."""
        fold = self.fold
        return {fold.get(name) or normalize_name(name): value for name, value in facts.items()}

    def reader(self, formula: Formula) -> Reader:
        """The generated function that reads ``formula``, built on its first read and kept."""
        read = self.readers[id(formula)] = reader(formula, self.trail)
        self.formulas.append(formula)
        return read

    def trail(self, name: str) -> tuple[tuple[str, str], ...]:
        """What reading ``name`` (folded) puts in the audit trail, as (folded, declared) names.

        The name itself and, for a derived value, the values behind it, transitively.
        """
        found = self.trails.get(name)
        if found is None:
            found = ((name, self.declared.get(name, name)),)
            if name in self.specs:
                for read in self.specs[name].expr.names:
                    found += self.trail(read)
            self.trails[name] = found
        return found

    def names_behind(self, names: frozenset[str]) -> frozenset[str]:
        """The names read, with every derived value's inputs added, transitively (folded)."""
        found = self.behind.get(names)
        if found is None:
            seen: set[str] = set()
            pending = list(names)
            while pending:
                name = pending.pop()
                if name not in seen:
                    seen.add(name)
                    if name in self.specs:
                        pending.extend(self.specs[name].expr.names)
            found = self.behind[names] = frozenset(seen)
        return found


def plan(ruleset: Ruleset) -> Plan:
    """The ruleset's plan, worked out on first use and kept with it."""
    kept = ruleset.kept
    if kept.plan is None:
        kept.plan = Plan(ruleset)
    return kept.plan  # type: ignore[no-any-return]


def names_behind(ruleset: Ruleset, names: Iterator[str] | frozenset[str]) -> set[str]:
    """The names read, with every derived value's inputs added, transitively (folded)."""
    return set(plan(ruleset).names_behind(frozenset(names)))


def is_skipped(path: str, not_applicable: set[str]) -> bool:
    """Whether the indicator at ``path``, or a group above it, is 不适用."""
    parts = path.split(".")
    return any(".".join(parts[: i + 1]) in not_applicable for i in range(len(parts)))


def _applicable_leaves(
    ruleset: Ruleset, not_applicable: set[str]
) -> Iterator[tuple[str, Indicator]]:
    for path, _level, node in ruleset.walk():
        if node.is_leaf and not is_skipped(path, not_applicable):
            yield path, node


def facts_read(
    ruleset: Ruleset, not_applicable: set[str], *, alternatives: bool = False
) -> dict[str, str]:
    """Each fact the applicable indicators need, with the path of the first one that reads it.

    With ``alternatives``, also the facts that only an ``either`` alternative reads (which a
    facts file may leave out as long as one alternative is complete).
    """
    kept = plan(ruleset)
    key = (frozenset(not_applicable), alternatives)
    found = kept.reads.get(key)
    if found is None:
        if len(kept.reads) >= MAX_KEPT:
            kept.reads.clear()
        found = kept.reads[key] = _facts_read(ruleset, kept, not_applicable, alternatives)
    return dict(found)


def _facts_read(
    ruleset: Ruleset, kept: Plan, not_applicable: set[str], alternatives: bool
) -> dict[str, str]:
    declared = kept.facts
    readers: dict[str, str] = {}
    for path, node in _applicable_leaves(ruleset, not_applicable):
        names = leaf_names(node)
        if alternatives:
            for alternative in node.alternatives or ():
                names |= leaf_names(alternative)
        for name in sorted(kept.names_behind(frozenset(names))):
            if name in declared:
                readers.setdefault(declared[name], path)
    return readers
