"""Solving a leaf's parameter back to the one fact it reads: the values of that fact worth trying.

For :mod:`scoring.analysis.gap`. A parameter is solved when it is an affine function of one declared
number fact (through derived values whose formulas are sums, differences, multiples and divisions
by a fixed amount); each region of the parameter that earns more becomes a candidate value of the
fact, cut to its declared bounds and taken at its precision.
"""

from __future__ import annotations

import ast
import math
from dataclasses import dataclass, field
from decimal import Decimal, localcontext
from fractions import Fraction

from scoring.errors import DivisionByZeroError, EvaluationError
from scoring.i18n import _, ngettext
from scoring.methods.spec import Region, Span, UnsolvableError
from scoring.model.base import MAX_MAGNITUDE, MAX_PLACES
from scoring.model.facts import Facts, FactValue, TierClaim
from scoring.model.formula import DECIMAL_CONTEXT, Formula, Value, normalize_name
from scoring.model.numbers import show
from scoring.model.program import evaluate
from scoring.model.ruleset import Ruleset

MIN_PLACES = 2
"""A number fact's proposed value has at least this many decimal places (万元 to 100元)."""


@dataclass
class Plan:
    """One fact to change for a leaf, and the values of it worth trying (best region first)."""

    fact: str
    current: bool | Decimal
    candidates: list[tuple[bool | Decimal, str | None]]
    item: str | None = None
    through: tuple[str, ...] = ()
    full_needs: str | None = None  # what full marks need, when the bounds forbid it


class Values:
    """The current facts and derived values, by folded name, and formulas over them."""

    def __init__(self, ruleset: Ruleset, facts: Facts):
        self.ruleset = ruleset
        self.facts: dict[str, FactValue] = {
            normalize_name(name): value for name, value in facts.facts.items()
        }
        self.declared = {normalize_name(name): name for name in ruleset.facts}
        self.derived = {normalize_name(name): name for name in ruleset.derived}
        self.computed: dict[str, Value] = {}
        self.behind_cache: dict[str, frozenset[str]] = {}

    def get(self, name: str) -> Value:
        """A fact's or derived value's current value, by folded name."""
        if name in self.facts:
            value = self.facts[name]
            if isinstance(value, tuple):  # refused in formulas by the ruleset's checks
                raise EvaluationError(_("a list fact is read by method listed only"))
            return value.tier if isinstance(value, TierClaim) else value
        if name not in self.derived:
            message = _("fact {name!r} has no value").format(name=self.declared.get(name, name))
            raise EvaluationError(message)
        if name not in self.computed:
            spec = self.ruleset.derived[self.derived[name]]
            try:
                self.computed[name] = self.evaluate(spec.expr.tree, spec.expr.source)
            except DivisionByZeroError:
                if spec.on_zero_division is None:
                    raise
                self.computed[name] = spec.on_zero_division
        return self.computed[name]

    def evaluate(self, tree: ast.expr, source: str) -> Value:
        """A formula (or a part of one) at the current values."""
        names = {
            normalize_name(node.id) for node in ast.walk(tree) if isinstance(node, ast.Name)
        } & (self.declared.keys() | self.derived.keys())
        bound = {name: self.get(name) for name in sorted(names)}
        return evaluate(Formula(source, source, frozenset(bound), tree), bound)

    def number(self, formula: Formula) -> Fraction:
        """A formula's current value as an exact fraction; UnsolvableError if not a number."""
        value = self.evaluate(formula.tree, formula.source)
        if not isinstance(value, Decimal):
            message = _("{formula} is not a number").format(formula=formula.source)
            raise UnsolvableError(message)
        return Fraction(value)

    def behind(self, tree: ast.expr) -> frozenset[str]:
        """The facts (folded) a formula reads, directly or through derived values."""
        found: set[str] = set()
        for node in ast.walk(tree):
            if not isinstance(node, ast.Name):
                continue
            name = normalize_name(node.id)
            if name in self.declared:
                found.add(name)
            elif name in self.derived:
                if name not in self.behind_cache:
                    expr = self.ruleset.derived[self.derived[name]].expr
                    self.behind_cache[name] = self.behind(expr.tree)
                found |= self.behind_cache[name]
        return frozenset(found)

    def derived_tree(self, name: str) -> ast.expr:
        """A derived value's parsed formula, by folded name."""
        return self.ruleset.derived[self.derived[name]].expr.tree


@dataclass
class _Solution:
    """A parameter as a × fact + c, the other facts held at their current values."""

    fact: str  # folded
    a: Fraction
    c: Fraction
    through: list[str] = field(default_factory=list)


def _unknown(values: Values, tree: ast.expr) -> str | None:
    """The fact to solve for: the only one read, or the numerator's in ``a / b``."""
    behind = values.behind(tree)
    if len(behind) <= 1:
        return next(iter(behind), None)
    if isinstance(tree, ast.Name) and normalize_name(tree.id) in values.derived:
        return _unknown(values, values.derived_tree(normalize_name(tree.id)))
    if isinstance(tree, ast.UnaryOp) and isinstance(tree.op, ast.USub | ast.UAdd):
        return _unknown(values, tree.operand)
    if isinstance(tree, ast.BinOp) and isinstance(tree.op, ast.Div):
        return _unknown(values, tree.left)
    if isinstance(tree, ast.BinOp) and isinstance(tree.op, ast.Add | ast.Sub | ast.Mult):
        sides = [side for side in (tree.left, tree.right) if values.behind(side)]
        return _unknown(values, sides[0]) if len(sides) == 1 else None
    return None


def _affine(
    values: Values, tree: ast.expr, source: str, solution: _Solution
) -> tuple[Fraction, Fraction]:
    """(a, c) with the formula = a × fact + c, or UnsolvableError if it is not that simple.

    ``source`` is the text ``tree`` was parsed from (a derived value's, once inside one).
    """
    fact = solution.fact
    if fact not in values.behind(tree):
        value = values.evaluate(tree, source)
        if not isinstance(value, Decimal):
            message = _("a part of it is not a number")
            raise UnsolvableError(message)
        return Fraction(0), Fraction(value)
    if isinstance(tree, ast.Name):
        name = normalize_name(tree.id)
        if name == fact:
            return Fraction(1), Fraction(0)
        declared = values.derived[name]
        if declared not in solution.through:
            solution.through.append(declared)
        expr = values.ruleset.derived[declared].expr
        return _affine(values, expr.tree, expr.source, solution)
    if isinstance(tree, ast.UnaryOp) and isinstance(tree.op, ast.USub | ast.UAdd):
        a, c = _affine(values, tree.operand, source, solution)
        return (-a, -c) if isinstance(tree.op, ast.USub) else (a, c)
    if isinstance(tree, ast.BinOp) and isinstance(tree.op, ast.Add | ast.Sub | ast.Mult | ast.Div):
        (left_a, left_c), (right_a, right_c) = (
            _affine(values, tree.left, source, solution),
            _affine(values, tree.right, source, solution),
        )
        if isinstance(tree.op, ast.Add):
            return left_a + right_a, left_c + right_c
        if isinstance(tree.op, ast.Sub):
            return left_a - right_a, left_c - right_c
        if isinstance(tree.op, ast.Mult) and (left_a == 0 or right_a == 0):
            return left_a * right_c + right_a * left_c, left_c * right_c
        if isinstance(tree.op, ast.Div) and right_a == 0:
            if right_c == 0:
                message = _("it divides by zero")
                raise UnsolvableError(message)
            return left_a / right_c, left_c / right_c
    message = _("not a sum, difference, multiple or division by a fixed amount")
    raise UnsolvableError(message)


def _shown(formula: Formula, values: Values) -> str:
    """A parameter's formula, with a derived value's own formula beside its name."""
    name = normalize_name(formula.source.strip())
    if name in values.derived:
        expr = values.ruleset.derived[values.derived[name]].expr.source
        return f"{formula.source} = {expr}"
    return formula.source


def _solve(values: Values, formula: Formula, parameter: str) -> _Solution:
    """The parameter as an affine function of one declared number fact."""
    fact = _unknown(values, formula.tree)
    behind = values.behind(formula.tree)
    if fact is None:
        if not behind:
            message = _("{parameter} reads no fact ({formula})").format(
                parameter=parameter, formula=formula.source
            )
        else:
            message = _("reads a formula over several facts ({formula})").format(
                formula=_shown(formula, values)
            )
        raise UnsolvableError(message)
    declared = values.declared[fact]
    if values.ruleset.facts[declared].type not in ("number", "integer"):
        message = _("{parameter} reads {fact}, which is not a number").format(
            parameter=parameter, fact=declared
        )
        raise UnsolvableError(message)
    solution = _Solution(fact, Fraction(0), Fraction(0))
    try:
        solution.a, solution.c = _affine(values, formula.tree, formula.source, solution)
    except UnsolvableError as exc:
        message = _("{parameter} cannot be solved for {fact} ({formula}: {reason})").format(
            parameter=parameter, fact=declared, formula=_shown(formula, values), reason=exc
        )
        raise UnsolvableError(message) from None
    except EvaluationError as exc:
        message = _("{parameter} cannot be solved for {fact}: {reason}").format(
            parameter=parameter, fact=declared, reason=exc.message
        )
        raise UnsolvableError(message) from None
    if solution.a == 0:
        message = _("{parameter} does not move with {fact} ({formula})").format(
            parameter=parameter, fact=declared, formula=_shown(formula, values)
        )
        raise UnsolvableError(message)
    return solution


def _to_fact(span: Span, solution: _Solution) -> Span:
    """The values of the fact that put the parameter in ``span``."""

    def back(end: Fraction | None) -> Fraction | None:
        return None if end is None else (end - solution.c) / solution.a

    if solution.a > 0:
        return Span(back(span.low), span.low_closed, back(span.high), span.high_closed)
    return Span(back(span.high), span.high_closed, back(span.low), span.low_closed)


def _places(value: Decimal) -> int:
    exponent = value.as_tuple().exponent
    return max(0, -exponent) if isinstance(exponent, int) else 0


def _nearest(
    span: Span, current: Fraction, places: int, whole: bool
) -> tuple[Decimal, str, bool] | None:
    """The value in ``span`` nearest to ``current`` at ``places`` decimals (more if none fits).

    Returns the value, the end it approaches (``≥ 60``, ``> 102.096``) and whether it is that
    end exactly; None when ``current`` already lies in the span or nothing fits in MAX_PLACES.
    """
    if span.contains(current):
        return None
    rising = span.below(current)
    end = span.low if rising else span.high
    closed = span.low_closed if rising else span.high_closed
    assert end is not None
    for p in (0,) if whole else range(places, MAX_PLACES + 1):
        unit = Fraction(1, 10**p)
        if rising:
            found = math.ceil(end / unit) * unit
            found += unit if found == end and not closed else 0
        else:
            found = math.floor(end / unit) * unit
            found -= unit if found == end and not closed else 0
        if span.contains(found) and abs(found) < MAX_MAGNITUDE:
            operator = ("≥" if closed else ">") if rising else ("≤" if closed else "<")
            value = Decimal(int(found * 10**p)).scaleb(-p)
            return value, f"{operator} {_fraction(end)}", found == end
    return None


def _fraction(value: Fraction) -> str:
    """An exact fraction for people: as a decimal, to 4 places when longer."""
    with localcontext(DECIMAL_CONTEXT):
        return show(Decimal(value.numerator) / Decimal(value.denominator))


def number_plan(
    values: Values,
    formula: Formula,
    parameter: str,
    regions: list[Region],
    others: tuple[Formula | None, ...] = (),
    item: str | None = None,
) -> Plan:
    """Solve ``formula`` for its fact; a candidate value for each region (full marks: True)."""
    solution = _solve(values, formula, parameter)
    declared = values.declared[solution.fact]
    for other in others:
        if other is not None and solution.fact in values.behind(other.tree):
            message = _("{parameter} and {other} both read {fact}").format(
                parameter=parameter, other=other.source, fact=declared
            )
            raise UnsolvableError(message)
    current = values.facts.get(solution.fact)
    if not isinstance(current, Decimal):
        message = _("{parameter} reads {fact}, which has no number value").format(
            parameter=parameter, fact=declared
        )
        raise UnsolvableError(message)
    spec = values.ruleset.facts[declared]
    whole = spec.type == "integer"
    places = min(max(_places(current), MIN_PLACES), MAX_PLACES)
    low = None if spec.min is None else Fraction(spec.min)
    high = None if spec.max is None else Fraction(spec.max)
    plan = Plan(declared, current, [], item, tuple(solution.through))
    for span, is_full in regions:
        wanted = _to_fact(span, solution)
        found = _nearest(wanted.within(low, high), Fraction(current), places, whole)
        if found is not None:
            value, end, is_exact = found
            note = None if is_exact else _nearest_note(declared, end, whole, _places(value))
            plan.candidates.append((value, note))
            continue
        beyond = _nearest(wanted, Fraction(current), places, whole)
        if beyond is None:
            continue
        if is_full and plan.full_needs is None:
            plan.full_needs = _(
                "full marks need {fact} {end}, outside its declared bounds {low}–{high}"
            ).format(fact=declared, end=beyond[1], low=_end(spec.min), high=_end(spec.max))
        # the region lies beyond a bound: that bound is as near as the fact may go
        bound = spec.max if beyond[0] > current else spec.min
        if bound is not None and whole:  # a whole number within the bound
            bound = Decimal(math.floor(bound) if beyond[0] > current else math.ceil(bound))
        elif bound is not None and _places(bound) < places:
            bound = bound.quantize(Decimal(1).scaleb(-places))
        if bound is not None and bound != current:
            plan.candidates.append((bound, None))
    return plan


def _nearest_note(fact: str, end: str, whole: bool, places: int) -> str:
    """Why a proposed value is not the region's end itself: the fact's precision."""
    if whole:
        return _("{fact} {end}: the nearest whole number").format(fact=fact, end=end)
    message = ngettext(
        "{fact} {end}: the nearest value at {places} decimal place",
        "{fact} {end}: the nearest value at {places} decimal places",
        places,
    )
    return message.format(fact=fact, end=end, places=places)


def _end(value: Decimal | None) -> str:
    return "" if value is None else show(value)


def toggle_plan(values: Values, formula: Formula, item: str | None = None) -> Plan | None:
    """A yes/no parameter that is one boolean fact, or ``not`` one: the plan to turn it over."""
    tree, wanted = formula.tree, True
    if isinstance(tree, ast.UnaryOp) and isinstance(tree.op, ast.Not):
        tree, wanted = tree.operand, False
    if not isinstance(tree, ast.Name):
        return None
    name = normalize_name(tree.id)
    if name not in values.declared or values.ruleset.facts[values.declared[name]].type != "boolean":
        return None
    current = values.facts.get(name)
    if not isinstance(current, bool) or current == wanted:
        return None
    return Plan(values.declared[name], current, [(wanted, None)], item)
