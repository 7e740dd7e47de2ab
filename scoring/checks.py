"""Checks of a validated ruleset as a whole: weights, names, method parameters, tiers, grades.

Each check yields a :class:`Problem` that points into the ruleset's data by key path, so the loader
can name the file, line and column, and the indicator path, for every problem at once.
"""

from __future__ import annotations

import ast
import itertools
import keyword
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Literal

from scoring.errors import suggest
from scoring.formula import FUNCTIONS, Formula, normalize_name
from scoring.models import MAX_LEVELS, Indicator, Ruleset, Tier

Loc = tuple[str | int, ...]

METHOD_PARAMETERS: Mapping[str, tuple[frozenset[str], frozenset[str]]] = {
    "ratio": (frozenset({"actual", "target"}), frozenset({"on_zero_target"})),
    "reverse_ratio": (frozenset({"actual", "target"}), frozenset()),
    "bands": (frozenset({"value", "bands"}), frozenset({"otherwise"})),
    "tiers": (frozenset({"fact"}), frozenset({"tiers"})),
    "boolean": (frozenset({"value"}), frozenset({"false_score"})),
    "deduct": (frozenset({"count", "points"}), frozenset()),
    "formula": (frozenset({"expr"}), frozenset()),
}
"""For each method: the parameters it needs, and those it may take."""

PARAMETERS = frozenset().union(*(need | may for need, may in METHOD_PARAMETERS.values()))
RESERVED_NAMES = frozenset({*FUNCTIONS, "True", "False", "None"})


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a ruleset, placed by its key path in the ruleset's data."""

    loc: Loc
    message: str
    path: str | None = None
    field: str | None = None
    at_key: bool = False
    severity: Literal["error", "warning"] = "error"


def check_ruleset(ruleset: Ruleset) -> list[Problem]:
    """Every problem with a merged ruleset, in the order they appear in the file."""
    problems = [
        *_check_grades(ruleset),
        *_check_facts(ruleset),
        *_check_derived(ruleset),
        *_check_tier_scale(ruleset.tiers, ("tiers",), None),
    ]
    if not ruleset.indicators:
        problems.append(Problem(("indicators",), "give at least one indicator", field="indicators"))
    seen: set[str] = set()
    for index, node in enumerate(ruleset.indicators):
        problems += _check_node(ruleset, node, ("indicators", index), "", 1, seen)
    problems += _check_sum(ruleset.indicators, ruleset.total, ("indicators",), None, "total")
    return problems


def _check_grades(ruleset: Ruleset) -> Iterator[Problem]:
    if ruleset.total <= 0:
        yield Problem(("total",), f"must be positive, found {ruleset.total}", field="total")
        return  # every grade bound would be outside 0–total too
    if ruleset.grades is None:
        return
    if not ruleset.grades:
        yield Problem(
            ("grades",), "give at least one grade, or null for no grading", field="grades"
        )
        return
    bounds: dict[Decimal, str] = {}
    for label, bound in ruleset.grades.items():
        loc: Loc = ("grades", label)
        if not 0 <= bound <= ruleset.total:
            yield Problem(loc, f"{label!r} starts at {bound}, outside 0–{ruleset.total}")
        if bound in bounds:
            yield Problem(loc, f"{label!r} and {bounds[bound]!r} both start at {bound}")
        bounds[bound] = label
    if 0 not in bounds:
        lowest = min(bounds)
        yield Problem(
            ("grades",), f"no grade covers totals below {lowest}: the lowest grade must start at 0"
        )


def _check_facts(ruleset: Ruleset) -> Iterator[Problem]:
    folded: dict[str, str] = {}
    for name, spec in ruleset.facts.items():
        loc: Loc = ("facts", name)
        where = f"facts.{name}"
        if not name.isidentifier() or keyword.iskeyword(name):
            yield Problem(loc, _not_a_name(name), where, at_key=True)
        elif name in RESERVED_NAMES:
            yield Problem(
                loc, f"{name!r} is reserved for a function or constant", where, at_key=True
            )
        key = normalize_name(name)
        if key in folded:
            message = f"{name!r} is the same name as {folded[key]!r} once full-width letters fold"
            yield Problem(loc, message, where, at_key=True)
        folded[key] = name
        if spec.min is not None and spec.max is not None and spec.min > spec.max:
            yield Problem((*loc, "min"), f"min {spec.min} is above max {spec.max}", where, "min")
        if spec.type in ("tier", "boolean") and (spec.min is not None or spec.max is not None):
            message = f"a {spec.type} fact takes no min or max"
            yield Problem(loc, message, where)
    for name in ruleset.derived:
        key = normalize_name(name)
        loc = ("derived", name)
        if not name.isidentifier() or keyword.iskeyword(name):
            yield Problem(loc, _not_a_name(name), f"derived.{name}", at_key=True)
        elif key in folded or name in RESERVED_NAMES:
            yield Problem(loc, f"{name!r} is already a fact name", f"derived.{name}", at_key=True)
        folded.setdefault(key, name)


def _not_a_name(name: str) -> str:
    return (
        f"{name!r} is not a usable name: use letters, digits and _ (Chinese is fine), "
        "no spaces, not a Python keyword"
    )


def known_names(ruleset: Ruleset) -> dict[str, str]:
    """Every name a formula may read, folded (NFKC) → as declared."""
    names = {normalize_name(name): name for name in ruleset.facts}
    names.update({normalize_name(name): name for name in ruleset.derived})
    return names


def _check_formula(
    ruleset: Ruleset, formula: Formula | None, loc: Loc, path: str, field: str
) -> Iterator[Problem]:
    if formula is None:
        return
    known = known_names(ruleset)
    for name in sorted(formula.names):
        if name not in known:
            hint = suggest(name, list(known.values()))
            yield Problem(loc, f"unknown fact {name!r}{hint}", path, field)
    labels, synonyms = _tier_labels(ruleset)
    for node in ast.walk(formula.tree):
        text = node.value if isinstance(node, ast.Constant) else None
        if not isinstance(text, str) or text in labels:
            continue
        if text in synonyms:
            message = f"write the tier label {synonyms[text]!r}, not its synonym {text!r}"
        else:
            message = f"{text!r} is not a tier label{suggest(text, labels)}"
        yield Problem(loc, message, path, field)


def _tier_labels(ruleset: Ruleset) -> tuple[set[str], dict[str, str]]:
    """The tier labels a formula may compare with, and each synonym's label: facts hold labels."""
    scales = [ruleset.tiers or ()] + [node.tiers or () for _, _, node in ruleset.walk()]
    tiers = [tier for scale in scales for tier in scale]
    synonyms = {synonym: tier.label for tier in tiers for synonym in tier.synonyms}
    return {tier.label for tier in tiers}, synonyms


def _check_derived(ruleset: Ruleset) -> Iterator[Problem]:
    for name, derived in ruleset.derived.items():
        yield from _check_formula(
            ruleset, derived.expr, ("derived", name), f"derived.{name}", "expr"
        )
    for cycle in _derived_cycles(ruleset):
        first = cycle[0]
        message = "depends on itself: " + " → ".join(cycle)
        yield Problem(("derived", first), message, f"derived.{first}", at_key=True)


def _derived_cycles(ruleset: Ruleset) -> list[list[str]]:
    by_key = {normalize_name(name): name for name in ruleset.derived}
    state: dict[str, int] = {}
    cycles: list[list[str]] = []

    def visit(name: str, trail: list[str]) -> None:
        state[name] = 1
        for read in sorted(ruleset.derived[name].expr.names):
            target = by_key.get(read)
            if target is None:
                continue
            if state.get(target) == 1:
                cycles.append([*trail[trail.index(target) :], target])
            elif target not in state:
                visit(target, [*trail, target])
        state[name] = 2

    for name in ruleset.derived:
        if name not in state:
            visit(name, [name])
    return cycles


def _check_tier_scale(
    tiers: tuple[Tier, ...] | None, loc: Loc, path: str | None
) -> Iterator[Problem]:
    if tiers is None:
        return
    if not tiers:
        yield Problem(loc, "give at least one tier", path, "tiers")
    names: dict[str, int] = {}
    ranges_ok = True
    for index, tier in enumerate(tiers):
        where = (*loc, index)
        low, high = tier.range
        if not 0 <= low < high <= 1:
            ranges_ok = False
            message = f"tier {tier.label!r} range [{low}, {high}] must satisfy 0 ≤ low < high ≤ 1"
            yield Problem((*where, "range"), message, path, "tiers")
        if tier.default is not None and not tier.allows(tier.default):
            message = f"tier {tier.label!r} default {tier.default} is outside its range"
            yield Problem((*where, "default"), message, path, "tiers")
        for label in tier.names():
            if label in names:
                yield Problem(where, f"tier label {label!r} is used twice", path, "tiers")
            names[label] = index
    ordered = sorted(tiers, key=lambda tier: tier.range[0]) if ranges_ok else []
    for lower, upper in itertools.pairwise(ordered):
        if lower.range[1] > upper.range[0]:
            message = f"tiers {lower.label!r} and {upper.label!r} overlap"
            yield Problem(loc, message, path, "tiers")
        elif lower.range[1] < upper.range[0]:
            message = (
                f"tiers {lower.label!r} and {upper.label!r} leave a gap "
                f"between {lower.range[1]} and {upper.range[0]}"
            )
            yield Problem(loc, message, path, "tiers")


def _check_node(
    ruleset: Ruleset, node: Indicator, loc: Loc, prefix: str, level: int, seen: set[str]
) -> Iterator[Problem]:
    path = f"{prefix}.{node.id}" if prefix else node.id
    if path in seen:
        yield Problem((*loc, "id"), f"duplicate indicator id {node.id!r}", path, "id")
    seen.add(path)
    if level > MAX_LEVELS:
        message = (
            f"indicators nest at most {MAX_LEVELS} levels (一级/二级/三级), this is level {level}"
        )
        yield Problem(loc, message, path)
    if node.weight is not None and node.weight <= 0:
        yield Problem((*loc, "weight"), f"must be positive, found {node.weight}", path, "weight")
    places = ruleset.rounding.places
    exponent = node.weight.normalize().as_tuple().exponent if node.weight is not None else 0
    if isinstance(exponent, int) and exponent < -places:
        # a full score would round above its own weight
        message = f"{node.weight} has more decimal places than the rounding's {places}"
        yield Problem((*loc, "weight"), message, path, "weight")
    if node.children is not None:
        if node.method is not None:
            message = "a node has children or a method, never both"
            yield Problem((*loc, "method"), message, path, "method", at_key=True)
        for name in sorted(_given(node)):
            message = f"{name!r} belongs to a leaf with a method, not to a group"
            yield Problem((*loc, name), message, path, name, at_key=True)
        for index, child in enumerate(node.children):
            yield from _check_node(ruleset, child, (*loc, "children", index), path, level + 1, seen)
        yield from _check_sum(node.children, node.weight, (*loc, "children"), path, "weight")
        return
    if node.method is None:
        if node.weight is None:
            return  # a template's slot: the extending ruleset sets the weight and the method
        message = f"a leaf with a weight needs a method ({', '.join(METHOD_PARAMETERS)})"
        yield Problem(loc, message, path, "method")
        return
    yield from _check_method(ruleset, node, loc, path)


def _given(node: Indicator) -> set[str]:
    """The method parameters written on a node (an empty ``value:`` is not a value)."""
    return {name for name in PARAMETERS & node.model_fields_set if getattr(node, name) is not None}


def _check_sum(
    children: tuple[Indicator, ...], weight: Decimal | None, loc: Loc, path: str | None, what: str
) -> Iterator[Problem]:
    weights = [child.weight for child in children]
    if weight is None or not children or None in weights:
        return  # a template: the unit fills in the weights
    total = sum((w for w in weights if w is not None), Decimal(0))
    if total != weight:
        if what == "total":
            message = f"top-level weights sum to {total}, expected the total {weight}"
            yield Problem(loc, message, path)
        else:
            message = f"children's weights sum to {total}, expected {weight}"
            yield Problem(loc, message, path, "weight")


def _check_method(ruleset: Ruleset, node: Indicator, loc: Loc, path: str) -> Iterator[Problem]:
    assert node.method is not None
    need, may = METHOD_PARAMETERS[node.method]
    given = _given(node)
    for name in sorted(need - given):
        yield Problem(loc, f"method {node.method} needs {name!r}", path, name)
    for name in sorted(given - need - may):
        message = f"{name!r} does not apply to method {node.method}"
        yield Problem((*loc, name), message, path, name, at_key=True)
    for field in ("actual", "target", "value", "count", "expr"):
        formula = getattr(node, field)
        yield from _check_formula(ruleset, formula, (*loc, field), path, field)
    weight = node.weight
    if node.method == "bands" and node.bands is not None:
        yield from _check_bands(node, loc, path)
    if node.method == "deduct" and node.points is not None and node.points <= 0:
        message = f"must be positive, found {node.points}"
        yield Problem((*loc, "points"), message, path, "points")
    if weight is not None:
        for field in ("otherwise", "false_score"):
            score = getattr(node, field)
            if field in node.model_fields_set and not 0 <= score <= weight:
                message = f"{score} is outside 0–{weight}"
                yield Problem((*loc, field), message, path, field)
    if node.method == "tiers":
        yield from _check_tiers(ruleset, node, loc, path)


def _check_bands(node: Indicator, loc: Loc, path: str) -> Iterator[Problem]:
    assert node.bands is not None
    if not node.bands:
        yield Problem((*loc, "bands"), "give at least one band", path, "bands")
    previous: Decimal | None = None
    for index, band in enumerate(node.bands):
        where = (*loc, "bands", index)
        if node.weight is not None and not 0 <= band.score <= node.weight:
            message = f"band score {band.score} is outside 0–{node.weight}"
            yield Problem((*where, "score"), message, path, "bands")
        if previous is not None and band.at_least >= previous:
            message = (
                f"at_least {band.at_least} is not below the band above ({previous}): "
                "list bands from the highest down, the first match wins"
            )
            yield Problem((*where, "at_least"), message, path, "bands")
        previous = band.at_least


def _check_tiers(ruleset: Ruleset, node: Indicator, loc: Loc, path: str) -> Iterator[Problem]:
    if node.fact is not None:
        spec = ruleset.facts.get(node.fact)
        if spec is None:
            hint = suggest(node.fact, list(ruleset.facts))
            yield Problem((*loc, "fact"), f"unknown fact {node.fact!r}{hint}", path, "fact")
        elif spec.type != "tier":
            message = (
                f"fact {node.fact!r} is declared type {spec.type}, method tiers needs type tier"
            )
            yield Problem((*loc, "fact"), message, path, "fact")
        first = next(p for p, _, n in ruleset.walk() if n.method == "tiers" and n.fact == node.fact)
        if first != path:  # a claim's points are checked against one indicator's weight
            message = f"fact {node.fact!r} is already scored by {first}: give each its own fact"
            yield Problem((*loc, "fact"), message, path, "fact")
    if node.tiers is None and ruleset.tiers is None:
        message = "method tiers needs 'tiers' here or at the top of the ruleset"
        yield Problem(loc, message, path, "tiers")
    yield from _check_tier_scale(node.tiers, (*loc, "tiers"), path)
