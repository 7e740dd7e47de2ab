"""Checks of a validated ruleset as a whole: weights, names, method parameters, tiers, grades.

Each check yields a :class:`Problem` that points into the ruleset's data by key path, so the loader
can name the file, line and column, and the indicator path, for every problem at once.
"""

from __future__ import annotations

import keyword
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal

from scoring.engine.application import check_application
from scoring.engine.formula_checks import (
    check_derived,
    check_formula,
    corner_problems,
    known_names,
    may_be_zero,
    zero_divisors,
)
from scoring.engine.monitor_checks import check_monitoring
from scoring.engine.panel import check_panel
from scoring.i18n import _
from scoring.methods import METHODS, PARAMETERS
from scoring.methods.tiers import check_tier_scale
from scoring.model.arithmetic import FUNCTIONS
from scoring.model.formula import Formula, normalize_name
from scoring.model.problems import Loc, Problem
from scoring.model.ruleset import CHECK_NAMES, MAX_LEVELS, Indicator, Ruleset

RESERVED_NAMES = frozenset({*FUNCTIONS, "True", "False", "None", *CHECK_NAMES})
"""Names no fact may take: functions, constants, and what a check's ``when`` reads as the
indicator's own parameters (``actual``, ``target``, ``value``)."""


def check_ruleset(ruleset: Ruleset) -> list[Problem]:
    """Every problem with a merged ruleset, in the order they appear in the file."""
    problems = [
        *_check_grades(ruleset),
        *_check_facts(ruleset),
        *check_derived(ruleset),
        *check_tier_scale(ruleset.tiers, ("tiers",), None),
    ]
    if not ruleset.indicators:
        message = _("give at least one indicator")
        problems.append(Problem(("indicators",), message, field="indicators"))
    seen: set[str] = set()
    for index, node in enumerate(ruleset.indicators):
        problems += _check_node(ruleset, node, ("indicators", index), "", 1, seen)
    problems += _check_sum(ruleset.indicators, ruleset.total, ("indicators",), None, "total")
    problems += check_monitoring(ruleset)
    problems += check_application(ruleset)
    problems += check_panel(ruleset)
    return problems


def _check_grades(ruleset: Ruleset) -> Iterator[Problem]:
    if ruleset.total <= 0:
        message = _("must be positive, found {found}").format(found=ruleset.total)
        yield Problem(("total",), message, field="total")
        return  # every grade bound would be outside 0–total too
    share = ruleset.min_applicable_share
    if share is not None and not 0 < share <= 1:
        message = _("a share of the total between 0 and 1 (0.6 for 60%), found {share}").format(
            share=share
        )
        yield Problem(("min_applicable_share",), message, field="min_applicable_share")
    elif share is not None and ruleset.grades is None:
        message = _("this ruleset gives no grade to withhold: remove min_applicable_share")
        yield Problem(("min_applicable_share",), message, field="min_applicable_share")
    if ruleset.grades is None:
        return
    if not ruleset.grades:
        message = _("give at least one grade, or null for no grading")
        yield Problem(("grades",), message, field="grades")
        return
    bounds: dict[Decimal, str] = {}
    for label, bound in ruleset.grades.items():
        loc: Loc = ("grades", label)
        if not 0 <= bound <= ruleset.total:
            message = _("{label!r} starts at {bound}, outside 0–{total}").format(
                label=label, bound=bound, total=ruleset.total
            )
            yield Problem(loc, message)
        if bound in bounds:
            message = _("{label!r} and {other!r} both start at {bound}").format(
                label=label, other=bounds[bound], bound=bound
            )
            yield Problem(loc, message)
        bounds[bound] = label
    if 0 not in bounds:
        message = _("no grade covers totals below {lowest}: the lowest grade must start at 0")
        yield Problem(("grades",), message.format(lowest=min(bounds)))


def _check_facts(ruleset: Ruleset) -> Iterator[Problem]:
    folded: dict[str, str] = {}
    for name, spec in ruleset.facts.items():
        loc: Loc = ("facts", name)
        where = f"facts.{name}"
        if not name.isidentifier() or keyword.iskeyword(name):
            yield Problem(loc, _not_a_name(name), where, at_key=True)
        elif name in RESERVED_NAMES:
            message = _(
                "{name!r} is reserved for a function, a constant or a check's own parameter"
            ).format(name=name)
            yield Problem(loc, message, where, at_key=True)
        key = normalize_name(name)
        if key in folded:
            message = _("{name!r} is the same name as {other!r} once full-width letters fold")
            message = message.format(name=name, other=folded[key])
            yield Problem(loc, message, where, at_key=True)
        folded[key] = name
        if spec.min is not None and spec.max is not None and spec.min > spec.max:
            message = _("min {min} is above max {max}").format(min=spec.min, max=spec.max)
            yield Problem((*loc, "min"), message, where, "min")
        if spec.type in ("tier", "boolean", "choice", "date") and (
            spec.min is not None or spec.max is not None
        ):
            message = _("a {type} fact takes no min or max").format(type=spec.type)
            yield Problem(loc, message, where)
        if spec.type == "choice" and not spec.options:
            yield Problem(loc, _("a choice fact needs its options"), where, "options")
        elif spec.type not in ("choice", "list") and spec.options is not None:
            message = _("options belong to a choice fact, not a {type} fact").format(type=spec.type)
            yield Problem((*loc, "options"), message, where, "options", at_key=True)
        elif spec.options and len(set(spec.options)) != len(spec.options):
            message = _("an option is listed twice")
            yield Problem((*loc, "options"), message, where, "options")
    for name in ruleset.derived:
        key = normalize_name(name)
        loc = ("derived", name)
        if not name.isidentifier() or keyword.iskeyword(name):
            yield Problem(loc, _not_a_name(name), f"derived.{name}", at_key=True)
        elif key in folded or name in RESERVED_NAMES:
            message = _("{name!r} is already a fact name").format(name=name)
            yield Problem(loc, message, f"derived.{name}", at_key=True)
        folded.setdefault(key, name)


def _not_a_name(name: str) -> str:
    return _(
        "{name!r} is not a usable name: use letters, digits and _ (Chinese is fine), "
        "no spaces, not a Python keyword"
    ).format(name=name)


def _check_node(
    ruleset: Ruleset, node: Indicator, loc: Loc, prefix: str, level: int, seen: set[str]
) -> Iterator[Problem]:
    path = f"{prefix}.{node.id}" if prefix else node.id
    if path in seen:
        message = _("duplicate indicator id {id!r}").format(id=node.id)
        yield Problem((*loc, "id"), message, path, "id")
    seen.add(path)
    if level > MAX_LEVELS:
        message = _(
            "indicators nest at most {limit} levels (一级/二级/三级), this is level {level}"
        ).format(limit=MAX_LEVELS, level=level)
        yield Problem(loc, message, path)
    if node.weight is not None and node.weight <= 0:
        message = _("must be positive, found {found}").format(found=node.weight)
        yield Problem((*loc, "weight"), message, path, "weight")
    places = ruleset.rounding.places
    exponent = node.weight.normalize().as_tuple().exponent if node.weight is not None else 0
    if isinstance(exponent, int) and exponent < -places:
        # a full score would round above its own weight
        message = _("{weight} has more decimal places than the rounding's {places}").format(
            weight=node.weight, places=places
        )
        yield Problem((*loc, "weight"), message, path, "weight")
    if node.children is not None:
        if node.method is not None:
            message = _("a node has children or a method, never both")
            yield Problem((*loc, "method"), message, path, "method", at_key=True)
        for name in sorted(_given(node) | ({"checks"} if node.checks else set())):
            message = _("{name!r} belongs to a leaf with a method, not to a group").format(
                name=name
            )
            yield Problem((*loc, name), message, path, name, at_key=True)
        for index, child in enumerate(node.children):
            yield from _check_node(ruleset, child, (*loc, "children", index), path, level + 1, seen)
        yield from _check_sum(node.children, node.weight, (*loc, "children"), path, "weight")
        return
    if node.method is None:
        if node.weight is None:
            return  # a template's slot: the extending ruleset sets the weight and the method
        message = _(
            "a leaf with a weight needs a method (ratio, bands, tiers, checklist …: "
            "docs/format.md §6)"
        )
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
            message = _("top-level weights sum to {sum}, expected the total {total}").format(
                sum=total, total=weight
            )
            yield Problem(loc, message, path)
        else:
            message = _("children's weights sum to {sum}, expected {weight}").format(
                sum=total, weight=weight
            )
            yield Problem(loc, message, path, "weight")


def _check_method(ruleset: Ruleset, node: Indicator, loc: Loc, path: str) -> Iterator[Problem]:
    assert node.method is not None
    method = METHODS[node.method]
    given = _given(node)
    for name in sorted(method.required - given):
        message = _("method {method} needs {name!r}").format(method=node.method, name=name)
        yield Problem(loc, message, path, name)
    for name in sorted(given - method.parameters):
        message = _("{name!r} does not apply to method {method}").format(
            name=name, method=node.method
        )
        yield Problem((*loc, name), message, path, name, at_key=True)
    for where, formula in node.formulas():
        local = _CHECK_LOCALS if where[0] == "checks" else frozenset()
        field = str(where[0])
        yield from check_formula(ruleset, formula, (*loc, *where), path, field, local)
        yield from zero_divisors(ruleset, formula, (*loc, *where), path, field)
    for index, check in enumerate(node.checks):
        for name in sorted(CHECK_NAMES & check.when.names):
            if getattr(node, name) is None:
                message = _("method {method} has no {name!r} for a check to read").format(
                    method=node.method, name=name
                )
                yield Problem((*loc, "checks", index, "when"), message, path, "checks")
    weight = node.weight
    if weight is not None:
        for field in ("otherwise", "false_score"):
            score = getattr(node, field)
            if field in node.model_fields_set and not 0 <= score <= weight:
                message = _("{score} is outside 0–{weight}").format(score=score, weight=weight)
                yield Problem((*loc, field), message, path, field)
    yield from method.check(_Checking(ruleset), node, loc, path)


_CHECK_LOCALS = frozenset(CHECK_NAMES)


@dataclass(frozen=True)
class _Checking:
    """The ruleset checks as a method's own check sees them (a methods.spec.Checking)."""

    ruleset: Ruleset

    def leaf(self, node: Indicator, loc: Loc, path: str) -> Iterator[Problem]:
        return _check_method(self.ruleset, node, loc, path)

    def zero_fact(self, name: str) -> tuple[str, str] | None:
        why = may_be_zero(self.ruleset, name)
        return None if why is None else (known_names(self.ruleset)[name], why)

    def corners(self, formula: Formula, weight: Decimal, loc: Loc, path: str) -> Iterator[Problem]:
        return corner_problems(self.ruleset, formula, weight, loc, path)
