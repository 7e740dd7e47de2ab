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

from collections.abc import Iterable
from decimal import ROUND_CEILING, Decimal, localcontext
from fractions import Fraction

from pydantic import Field

from scoring.analysis.solve import Plan, Values, number_plan, toggle_plan
from scoring.engine.plan import round_score
from scoring.engine.score import score
from scoring.errors import EvaluationError
from scoring.i18n import _
from scoring.methods import METHODS
from scoring.methods.spec import Region, Solve, Toggle, UnsolvableError
from scoring.model.facts import AuditOverrides, Facts
from scoring.model.formula import DECIMAL_CONTEXT, Formula, normalize_name
from scoring.model.numbers import show
from scoring.model.results import IndicatorResult, Result, ScoreResult
from scoring.model.ruleset import Indicator, Ruleset


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
    values = Values(ruleset, facts)
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


def _plans(
    node: Indicator, result: IndicatorResult, values: Values
) -> tuple[list[Plan], list[str]]:
    """The facts worth changing for a leaf that lost points, and why others cannot be."""
    assert node.method is not None
    assert result.score is not None
    if result.overrides:
        last = result.overrides[-1]
        message = _("overridden: {points} set by {by} ({reason})")
        return [], [message.format(points=show(last.points), by=last.by, reason=last.reason)]
    how = METHODS[node.method].gap
    try:
        if isinstance(how, Solve):
            return _solve_plans(node, result.score, values, how)
        if isinstance(how, Toggle):
            return _toggle_plans(node, values)
    except UnsolvableError as exc:
        return [], [str(exc)]
    except EvaluationError as exc:
        return [], [_("cannot be solved: {reason}").format(reason=exc.message)]
    return [], [how.why(node, values.facts.get)]


def _solve_plans(
    node: Indicator, now: Decimal, values: Values, how: Solve
) -> tuple[list[Plan], list[str]]:
    """The parameter's fact, solved for each region where the parameter earns more than now."""
    regions = how.regions(node, now, values.number)
    if how.each_item and node.items is not None:
        return _item_plans(node, values, how.parameter, regions)
    others = tuple(getattr(node, name) for name in how.others)
    formula = getattr(node, how.parameter)
    return [number_plan(values, formula, how.parameter, regions, others)], []


def _item_plans(
    node: Indicator, values: Values, parameter: str, regions: list[Region]
) -> tuple[list[Plan], list[str]]:
    """Each item not yet in the best region (a deduct count above 0): its own fact, solved."""
    plans, reasons = [], []
    for item in node.items or ():
        formula = getattr(item, parameter)
        assert formula is not None
        if regions and regions[0][0].contains(values.number(formula)):
            continue
        try:
            plans.append(number_plan(values, formula, parameter, regions, item=item.name))
        except UnsolvableError as exc:
            reasons.append(_("{item}: {reason}").format(item=item.name, reason=exc))
    return plans, reasons


def _toggle_plans(node: Indicator, values: Values) -> tuple[list[Plan], list[str]]:
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
        plan = toggle_plan(values, formula, item)
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
    plan: Plan,
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
