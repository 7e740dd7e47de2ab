"""gap(ruleset, facts) -> Gap: the points to the next grade, and the fact values that recover them.

A planning aid: it never changes a score. For each leaf that lost points it names the one
declared fact the leaf's parameter reads (directly, or through derived values whose formulas are
simple: sums, differences, multiples, and a division whose denominator does not read the fact),
the value of that fact that earns the points back, and what that value is worth. Every proposal is
checked by scoring the facts again with that one fact changed, so the points recovered and the
total's change stated are exact, 不适用 rescaling, rounding and the other indicators reading the
same fact included. Leaves whose points no single fact decides are listed as judgement calls,
with the reason.

How a value is picked: the method's full-marks region (``ratio``: actual ≥ target;
``reverse_ratio`` and ``reverse_linear``: actual ≤ target; ``equal``: within the tolerance;
``threshold``: the limit; ``deduct``: a count of 0; ``bands``: each band) is solved back to the
fact, cut to the fact's declared ``min``/``max``, and the value in it nearest to the current one
is taken at the fact's precision: a whole number for an integer fact, else as many decimal places
as the current value is written with, and at least 2. An open end (``above: 0.9``) takes the
next value at that precision (102.096 → 102.10; 90 → 90.01); only when no value at that precision
fits does it take more places (up to 10). A region beyond a declared bound is not proposed: the
bound itself is tried instead, and the entry says what full marks would need. Among the values
tried, the one whose leaf scores most wins, then the nearest. ``boolean`` leaves and
``checklist`` items that read one yes/no fact (or ``not`` one) are recovered by turning it over.

Judgement calls: ``tiers``, ``cases``, ``choice``, ``weighted_average``, ``formula``, ``either``,
an overridden leaf, a parameter over several facts ("reads a formula over several facts") or one
that cannot be solved for its fact, and a proposal that makes scoring fail (a check of level
error).
"""

from __future__ import annotations

import ast
import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import ROUND_CEILING, Decimal, localcontext
from fractions import Fraction

from pydantic import Field

from scoring.engine.plan import round_score
from scoring.engine.score import score
from scoring.errors import DivisionByZeroError, EvaluationError
from scoring.i18n import _, ngettext
from scoring.methods import show
from scoring.model.base import MAX_MAGNITUDE, MAX_PLACES
from scoring.model.facts import AuditOverrides, Facts, FactValue, TierClaim
from scoring.model.formula import DECIMAL_CONTEXT, Formula, Value, normalize_name
from scoring.model.program import evaluate
from scoring.model.results import IndicatorResult, Result, ScoreResult
from scoring.model.ruleset import Indicator, Ruleset

MIN_PLACES = 2
"""A number fact's proposed value has at least this many decimal places (万元 to 100元)."""


class Recovery(Result):
    """One fact changed, and the points it wins back: exact, because the facts were re-scored."""

    path: str
    name: str
    method: str
    weight: Decimal
    score: Decimal = Field(description="the leaf's score now")
    lost: Decimal = Field(description="weight − score")
    item: str | None = Field(default=None, description="the checklist or deduct item, if one")
    fact: str = Field(description="the declared fact to change")
    through: tuple[str, ...] = Field(
        default=(), description="the derived values between the leaf's parameter and the fact"
    )
    current: bool | Decimal
    proposed: bool | Decimal
    new_score: Decimal = Field(description="the leaf's score with the proposed value")
    recovers: Decimal = Field(description="new_score − score: the leaf's points won back")
    is_full: bool = Field(description="whether the leaf reaches its full weight")
    total_change: Decimal = Field(description="the total's change, re-scored (不适用 rescaling in)")
    new_total: Decimal
    new_grade: str | None
    also_changes: tuple[str, ...] = Field(
        default=(), description="other leaves whose score the same change moves (in total_change)"
    )
    note: str | None = None


class Judgement(Result):
    """A leaf that lost points no single fact value can be computed to recover, and why."""

    path: str
    name: str
    method: str
    weight: Decimal
    score: Decimal
    lost: Decimal
    why: str


class Gap(Result):
    """The total, the next grade and what it lacks, the recoveries and the judgement calls."""

    ruleset: str
    total: Decimal
    grade: str | None
    grade_withheld: str | None = Field(
        default=None, description="why no grade is given (不予定级), as in the result"
    )
    max_total: Decimal
    next_grade: str | None = Field(description="null at the top grade or without grades")
    next_threshold: Decimal | None
    missing: Decimal | None = Field(description="next_threshold − total")
    sum_missing: Decimal | None = Field(
        description="the leaf points the sum needs for it (more than missing under rescaling)"
    )
    rescaled: bool
    applicable_weight: Decimal
    recoveries: tuple[Recovery, ...] = Field(description="largest total_change first, then path")
    judgements: tuple[Judgement, ...] = Field(description="most points lost first, then path")


def gap(ruleset: Ruleset, facts: Facts, audit: AuditOverrides | None = None) -> Gap:
    """What the facts lack for the next grade, and which fact values would recover lost points.

    Raises:
        RulesetError: when the ruleset is a template (as :func:`scoring.engine.score.score`).
        EvaluationError: when the facts as given fail to score.
    """
    base = score(ruleset, facts, audit)
    by_path = {node.path: node for node in base.walk()}
    values = _Values(ruleset, facts)
    recoveries: list[tuple[int, Recovery]] = []
    judgements: list[Judgement] = []
    for path, _level, node in ruleset.walk():
        result = by_path[path]
        if not node.is_leaf or result.score is None or result.weight is None:
            continue
        lost = result.weight - result.score
        if lost <= 0:
            continue
        plans, reasons = _plans(node, result, values)
        for order, plan in enumerate(plans):
            found = _recover(ruleset, facts, audit, base, result, plan)
            if isinstance(found, str):
                reasons.append(found)
            else:
                recoveries.append((order, found))
        if reasons:
            judgements.append(
                Judgement(
                    path=path,
                    name=node.name,
                    method=node.method or "",
                    weight=result.weight,
                    score=result.score,
                    lost=lost,
                    why=_listed(reasons),
                )
            )
    next_grade, threshold = _next_grade(base.total, ruleset.grades)
    missing = None if threshold is None else threshold - base.total
    return Gap(
        ruleset=ruleset.ref,
        total=base.total,
        grade=base.grade,
        grade_withheld=base.grade_withheld,
        max_total=base.max_total,
        next_grade=next_grade,
        next_threshold=threshold,
        missing=missing,
        sum_missing=None if threshold is None else _sum_missing(ruleset, base, threshold),
        rescaled=base.rescaled,
        applicable_weight=base.applicable_weight,
        recoveries=tuple(
            recovery
            for _order, recovery in sorted(
                recoveries, key=lambda found: (-found[1].total_change, found[1].path, found[0])
            )
        ),
        judgements=tuple(sorted(judgements, key=lambda j: (-j.lost, j.path))),
    )


def _listed(parts: Iterable[str]) -> str:
    """Reasons or notes one after another, separated as the chosen language separates them."""
    return _("; ").join(parts)


def _next_grade(
    total: Decimal, grades: dict[str, Decimal] | None
) -> tuple[str | None, Decimal | None]:
    above = sorted((bound, label) for label, bound in (grades or {}).items() if bound > total)
    return (above[0][1], above[0][0]) if above else (None, None)


def _sum_missing(ruleset: Ruleset, base: ScoreResult, threshold: Decimal) -> Decimal:
    """The fewest leaf points (a multiple of the rounding's grain) that lift the total to it."""
    if not base.rescaled:
        return threshold - base.total
    grain = Decimal(1).scaleb(-ruleset.rounding.places)

    def total_with(extra: Decimal) -> Decimal:
        plain = base.sum + extra
        return round_score(plain / base.applicable_weight * ruleset.total, ruleset.rounding)

    with localcontext(DECIMAL_CONTEXT):
        exact = threshold * base.applicable_weight / ruleset.total - base.sum
        needed = (exact / grain).to_integral_value(rounding=ROUND_CEILING) * grain
        while needed > 0 and total_with(needed - grain) >= threshold:  # rounding may spare some
            needed -= grain
        return needed


# --- what to change ------------------------------------------------------------------------


@dataclass(frozen=True)
class _Span:
    """Numbers between two ends, each open or closed; None is unbounded. Exact fractions."""

    low: Fraction | None
    low_closed: bool
    high: Fraction | None
    high_closed: bool

    def contains(self, x: Fraction) -> bool:
        if self.low is not None and (x < self.low or (x == self.low and not self.low_closed)):
            return False
        return self.high is None or x < self.high or (x == self.high and self.high_closed)

    def below(self, x: Fraction) -> bool:
        """Whether ``x`` lies below the span (its low end is above ``x``)."""
        return self.low is not None and (x < self.low or (x == self.low and not self.low_closed))

    def within(self, low: Fraction | None, high: Fraction | None) -> _Span:
        """The span cut to the closed bounds [low, high]."""
        lo, lo_closed = self.low, self.low_closed
        if low is not None and (lo is None or low > lo):
            lo, lo_closed = low, True
        hi, hi_closed = self.high, self.high_closed
        if high is not None and (hi is None or high < hi):
            hi, hi_closed = high, True
        return _Span(lo, lo_closed, hi, hi_closed)


@dataclass
class _Plan:
    """One fact to change for a leaf, and the values of it worth trying (best region first)."""

    fact: str
    current: bool | Decimal
    candidates: list[tuple[bool | Decimal, str | None]]
    item: str | None = None
    through: tuple[str, ...] = ()
    full_needs: str | None = None  # what full marks need, when the bounds forbid it


class _UnsolvableError(Exception):
    """A parameter cannot be solved for one fact; the message says why (internal only)."""


class _Values:
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
        if name in self.facts:
            value = self.facts[name]
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
        value = self.evaluate(formula.tree, formula.source)
        if not isinstance(value, Decimal):
            message = _("{formula} is not a number").format(formula=formula.source)
            raise _UnsolvableError(message)
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
        return self.ruleset.derived[self.derived[name]].expr.tree


@dataclass
class _Solution:
    """A parameter as a × fact + c, the other facts held at their current values."""

    fact: str  # folded
    a: Fraction
    c: Fraction
    through: list[str] = field(default_factory=list)


def _unknown(values: _Values, tree: ast.expr) -> str | None:
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
    values: _Values, tree: ast.expr, source: str, solution: _Solution
) -> tuple[Fraction, Fraction]:
    """(a, c) with the formula = a × fact + c, or _UnsolvableError if it is not that simple.

    ``source`` is the text ``tree`` was parsed from (a derived value's, once inside one).
    """
    fact = solution.fact
    if fact not in values.behind(tree):
        value = values.evaluate(tree, source)
        if not isinstance(value, Decimal):
            message = _("a part of it is not a number")
            raise _UnsolvableError(message)
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
                raise _UnsolvableError(message)
            return left_a / right_c, left_c / right_c
    message = _("not a sum, difference, multiple or division by a fixed amount")
    raise _UnsolvableError(message)


def _shown(formula: Formula, values: _Values) -> str:
    """A parameter's formula, with a derived value's own formula beside its name."""
    name = normalize_name(formula.source.strip())
    if name in values.derived:
        expr = values.ruleset.derived[values.derived[name]].expr.source
        return f"{formula.source} = {expr}"
    return formula.source


def _solve(values: _Values, formula: Formula, parameter: str) -> _Solution:
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
        raise _UnsolvableError(message)
    declared = values.declared[fact]
    if values.ruleset.facts[declared].type not in ("number", "integer"):
        message = _("{parameter} reads {fact}, which is not a number").format(
            parameter=parameter, fact=declared
        )
        raise _UnsolvableError(message)
    solution = _Solution(fact, Fraction(0), Fraction(0))
    try:
        solution.a, solution.c = _affine(values, formula.tree, formula.source, solution)
    except _UnsolvableError as exc:
        message = _("{parameter} cannot be solved for {fact} ({formula}: {reason})").format(
            parameter=parameter, fact=declared, formula=_shown(formula, values), reason=exc
        )
        raise _UnsolvableError(message) from None
    except EvaluationError as exc:
        message = _("{parameter} cannot be solved for {fact}: {reason}").format(
            parameter=parameter, fact=declared, reason=exc.message
        )
        raise _UnsolvableError(message) from None
    if solution.a == 0:
        message = _("{parameter} does not move with {fact} ({formula})").format(
            parameter=parameter, fact=declared, formula=_shown(formula, values)
        )
        raise _UnsolvableError(message)
    return solution


def _to_fact(span: _Span, solution: _Solution) -> _Span:
    """The values of the fact that put the parameter in ``span``."""

    def back(end: Fraction | None) -> Fraction | None:
        return None if end is None else (end - solution.c) / solution.a

    if solution.a > 0:
        return _Span(back(span.low), span.low_closed, back(span.high), span.high_closed)
    return _Span(back(span.high), span.high_closed, back(span.low), span.low_closed)


def _places(value: Decimal) -> int:
    exponent = value.as_tuple().exponent
    return max(0, -exponent) if isinstance(exponent, int) else 0


def _nearest(
    span: _Span, current: Fraction, places: int, whole: bool
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


def _number_plan(
    values: _Values,
    formula: Formula,
    parameter: str,
    regions: list[tuple[_Span, bool]],
    others: tuple[Formula | None, ...] = (),
    item: str | None = None,
) -> _Plan:
    """Solve ``formula`` for its fact; a candidate value for each region (full marks: True)."""
    solution = _solve(values, formula, parameter)
    declared = values.declared[solution.fact]
    for other in others:
        if other is not None and solution.fact in values.behind(other.tree):
            message = _("{parameter} and {other} both read {fact}").format(
                parameter=parameter, other=other.source, fact=declared
            )
            raise _UnsolvableError(message)
    current = values.facts.get(solution.fact)
    if not isinstance(current, Decimal):
        message = _("{parameter} reads {fact}, which has no number value").format(
            parameter=parameter, fact=declared
        )
        raise _UnsolvableError(message)
    spec = values.ruleset.facts[declared]
    whole = spec.type == "integer"
    places = min(max(_places(current), MIN_PLACES), MAX_PLACES)
    low = None if spec.min is None else Fraction(spec.min)
    high = None if spec.max is None else Fraction(spec.max)
    plan = _Plan(declared, current, [], item, tuple(solution.through))
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


def _toggle(values: _Values, formula: Formula, item: str | None = None) -> _Plan | None:
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
    return _Plan(values.declared[name], current, [(wanted, None)], item)


def _regions(
    node: Indicator, weight: Decimal, now: Decimal, values: _Values
) -> list[tuple[_Span, bool]]:
    """Where the parameter earns more than ``now``: each region, and whether it gives full marks."""
    method = node.method
    if method in ("ratio", "reverse_ratio", "reverse_linear", "equal"):
        assert node.target is not None
        target = values.number(node.target)
        if method == "ratio":
            if target == 0:
                message = _("target is 0 (on_zero_target: {setting}): no actual scores").format(
                    setting=node.on_zero_target
                )
                raise _UnsolvableError(message)
            return [(_Span(target, True, None, False), True)]
        if method == "equal":
            tolerance = Fraction(node.tolerance or 0)
            return [
                (_Span(max(target - tolerance, Fraction(0)), True, target + tolerance, True), True)
            ]
        return [(_Span(Fraction(0), True, target, True), True)]
    if method == "threshold":
        if node.at_most is not None:
            return [(_Span(None, False, Fraction(node.at_most), True), True)]
        assert node.at_least is not None
        return [(_Span(Fraction(node.at_least), True, None, False), True)]
    if method == "bands":
        found = []
        for band in sorted(node.bands or (), key=lambda band: -band.score):
            if band.score <= now:
                continue
            interval = band.interval
            low = None if interval.low is None else Fraction(interval.low)
            high = None if interval.high is None else Fraction(interval.high)
            span = _Span(low, interval.low_closed, high, interval.high_closed)
            found.append((span, band.score == weight))
        return found
    assert method == "deduct"
    return [(_Span(Fraction(0), True, Fraction(0), True), True)]


_PARAMETER = {
    "ratio": "actual",
    "reverse_ratio": "actual",
    "reverse_linear": "actual",
    "equal": "actual",
    "bands": "value",
    "threshold": "value",
    "deduct": "count",
}


def _plans(
    node: Indicator, result: IndicatorResult, values: _Values
) -> tuple[list[_Plan], list[str]]:
    """The facts worth changing for a leaf that lost points, and why others cannot be."""
    assert node.weight is not None
    assert result.score is not None
    if result.overrides:
        last = result.overrides[-1]
        message = _("overridden: {points} set by {by} ({reason})")
        return [], [message.format(points=show(last.points), by=last.by, reason=last.reason)]
    method = node.method or ""
    try:
        if method == "deduct" and node.items is not None:
            return _deduct_plans(node, values)
        if method in _PARAMETER:
            parameter = _PARAMETER[method]
            regions = _regions(node, node.weight, result.score, values)
            others = (node.target,) if parameter == "actual" else ()
            formula = getattr(node, parameter)
            return [_number_plan(values, formula, parameter, regions, others)], []
        if method in ("boolean", "checklist"):
            return _toggle_plans(node, values)
    except _UnsolvableError as exc:
        return [], [str(exc)]
    except EvaluationError as exc:
        return [], [_("cannot be solved: {reason}").format(reason=exc.message)]
    return [], [_judgement(node, values)]


def _deduct_plans(node: Indicator, values: _Values) -> tuple[list[_Plan], list[str]]:
    """Each item with a count above 0: its count back to 0 (one fact each)."""
    plans, reasons = [], []
    zero = [(_Span(Fraction(0), True, Fraction(0), True), True)]
    for item in node.items or ():
        assert item.count is not None
        if values.number(item.count) == 0:
            continue
        try:
            plans.append(_number_plan(values, item.count, "count", zero, item=item.name))
        except _UnsolvableError as exc:
            reasons.append(_("{item}: {reason}").format(item=item.name, reason=exc))
    return plans, reasons


def _toggle_plans(node: Indicator, values: _Values) -> tuple[list[_Plan], list[str]]:
    """A boolean leaf, or each checklist item not met, that reads one yes/no fact: turn it."""
    assert node.weight is not None
    plans, reasons, unmet = [], [], []
    entries: list[tuple[Formula, str | None, Decimal]] = []
    if node.value is not None:
        entries.append((node.value, None, node.weight))
    entries += [(item.met, item.name, item.points) for item in node.items or () if item.met]
    for formula, item, points in entries:
        if values.evaluate(formula.tree, formula.source) is True:
            continue
        plan = _toggle(values, formula, item)
        if plan is not None:
            plans.append(plan)
        elif item is None:
            message = _("boolean: {formula} is a condition, not one yes/no fact")
            reasons.append(message.format(formula=formula.source))
        else:
            unmet.append(
                _("{item} ({points}): {formula}").format(
                    item=item, points=show(points), formula=formula.source
                )
            )
    if unmet:
        message = _("checklist: met by a condition, not one yes/no fact: {items}")
        reasons.append(message.format(items=_listed(unmet)))
    return plans, reasons


def _judgement(node: Indicator, values: _Values) -> str:
    """Why a method's points are a judgement call rather than a fact to solve for."""
    method = node.method
    if method == "tiers":
        assert node.fact is not None
        claim = values.facts.get(normalize_name(node.fact))
        tier = claim.tier if isinstance(claim, TierClaim) else claim
        return _("定性 tier: a person's judgement (claimed {tier})").format(tier=tier)
    if method == "cases":
        best = max(node.cases or (), key=lambda case: case.score)
        return _(
            "cases: the first case that holds decides; the best, {name} ({points}), "
            "holds when {condition}"
        ).format(
            name=best.name or best.when.source,
            points=show(best.score),
            condition=best.when.source,
        )
    if method == "choice":
        option, points = max((node.options or {}).items(), key=lambda pair: pair[1])
        message = _("choice: the option the unit states; the best, {option}, scores {points}")
        return message.format(option=option, points=show(points))
    if method == "weighted_average":
        names = _(", ").join(part.name for part in node.parts or ())
        message = _("weighted_average: the points come from several sub-scores ({names})")
        return message.format(names=names)
    if method == "either":
        names = _(" or ").join(alternative.name for alternative in node.alternatives or ())
        message = _("either: scored through one of its alternatives ({names})")
        return message.format(names=names)
    assert method == "formula"
    assert node.expr is not None
    message = _("formula: the points come from {formula}, not from one fact's target")
    return message.format(formula=node.expr.source)


# --- checking a proposal by scoring again -------------------------------------------------


def _with(facts: Facts, fact: str, value: bool | Decimal) -> Facts:
    """The facts with one fact's value replaced (under the name the facts give it)."""
    key = next((k for k in facts.facts if normalize_name(k) == normalize_name(fact)), fact)
    return facts.model_copy(update={"facts": {**facts.facts, key: value}})


def _leaf_scores(result: ScoreResult) -> dict[str, Decimal | None]:
    return {node.path: node.score for node in result.walk() if not node.children}


def _recover(
    ruleset: Ruleset,
    facts: Facts,
    audit: AuditOverrides | None,
    base: ScoreResult,
    leaf: IndicatorResult,
    plan: _Plan,
) -> Recovery | str:
    """The best candidate of a plan, re-scored; or why none recovers points."""
    assert leaf.score is not None
    assert leaf.weight is not None
    best: tuple[tuple[Decimal, Fraction], bool | Decimal, str | None, ScoreResult] | None = None
    failures: list[str] = []
    for value, note in plan.candidates:
        try:
            result = score(ruleset, _with(facts, plan.fact, value), audit)
        except EvaluationError as exc:
            message = _("{fact} {value} stops scoring: {reason}")
            failures.append(message.format(fact=plan.fact, value=_value(value), reason=exc.message))
            continue
        new = _leaf_scores(result)[leaf.path]
        assert new is not None
        distance = Fraction(0)
        if isinstance(value, Decimal) and isinstance(plan.current, Decimal):
            distance = abs(Fraction(value) - Fraction(plan.current))
        key = (new, -distance)
        if new > leaf.score and (best is None or key > best[0]):
            best = (key, value, note, result)
    if best is None:
        if failures:
            reason = _listed(failures)
        elif plan.full_needs is not None:
            reason = _("{needs}, and no value within them scores more").format(
                needs=plan.full_needs
            )
        else:
            reason = _("no value of {fact} scores more").format(fact=plan.fact)
        return _("{item}: {reason}").format(item=plan.item, reason=reason) if plan.item else reason
    (new_score, _distance), value, note, result = best
    before, after = _leaf_scores(base), _leaf_scores(result)
    is_full = new_score == leaf.weight
    bounded = None
    if not is_full and plan.full_needs is not None:
        bounded = _("{needs}: the best within them").format(needs=plan.full_needs)
    notes = [text for text in (note, bounded) if text]
    return Recovery(
        path=leaf.path,
        name=leaf.name,
        method=leaf.method or "",
        weight=leaf.weight,
        score=leaf.score,
        lost=leaf.weight - leaf.score,
        item=plan.item,
        fact=plan.fact,
        through=plan.through,
        current=plan.current,
        proposed=value,
        new_score=new_score,
        recovers=new_score - leaf.score,
        is_full=is_full,
        total_change=result.total - base.total,
        new_total=result.total,
        new_grade=result.grade,
        also_changes=tuple(
            path for path in after if path != leaf.path and after[path] != before.get(path)
        ),
        note=_listed(notes) or None,
    )


def _value(value: bool | Decimal) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return format(value, "f")


__all__ = ["Gap", "Judgement", "Recovery", "gap"]
