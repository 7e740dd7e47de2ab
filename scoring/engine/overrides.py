"""Overrides: points a person sets for a leaf in place of the computed score, checked and layered.

The department's own come with its facts, an auditor's on top; each must fit its indicator.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal, localcontext

from scoring.engine.plan import is_skipped, round_score
from scoring.errors import EvaluationError
from scoring.i18n import _
from scoring.model.facts import Facts, Override, TierClaim
from scoring.model.formula import DECIMAL_CONTEXT, normalize_name
from scoring.model.numbers import show
from scoring.model.results import (
    AppliedOverride,
)
from scoring.model.ruleset import Ruleset


def override_problem(ruleset: Ruleset, path: str, override: Override, facts: Facts) -> str | None:
    """Why ``override`` cannot stand for the leaf at ``path``, or None if it can.

    The points must lie within 0–weight, have no more decimal places than the rounding, and,
    for a 定性 indicator, lie within the tier the facts claim.
    """
    node = next((n for p, _, n in ruleset.walk() if p == path and n.is_leaf), None)
    if node is None or node.weight is None:
        return _("no indicator {path!r} to override").format(path=path)
    if is_skipped(path, set(facts.not_applicable)):
        return _("the indicator is 不适用 in these facts: remove the override or the 不适用")
    points, weight = override.points, node.weight
    if not 0 <= points <= weight:
        return _("override {points} is outside 0–{weight}").format(
            points=show(points), weight=show(weight)
        )
    if round_score(points, ruleset.rounding) != points:
        return _("override {points} has more decimal places than the rounding's {places}").format(
            points=show(points), places=ruleset.rounding.places
        )
    if node.method == "tiers" and node.fact is not None:
        claim = {normalize_name(k): v for k, v in facts.facts.items()}.get(
            normalize_name(node.fact)
        )
        scale = node.tiers or ruleset.tiers or ()
        tier = next(
            (t for t in scale if isinstance(claim, TierClaim) and claim.tier in t.names()), None
        )
        if tier is not None:
            with localcontext(DECIMAL_CONTEXT):
                fraction = points / weight
            if not tier.allows(fraction):
                low, high = (bound * weight for bound in tier.range)
                closing = "]" if tier.range[1] == 1 else ")"
                span = f"[{show(low.normalize())}, {show(high.normalize())}{closing}"
                return _("override {points} is outside the claimed tier {tier} {span}").format(
                    points=show(points), tier=tier.label, span=span
                )
    return None


def overridden(
    ruleset: Ruleset, path: str, computed: Decimal, facts: Facts, audit: Mapping[str, Override]
) -> tuple[Decimal, Decimal, tuple[AppliedOverride, ...]]:
    """A leaf's department score and final score once overrides apply, and what applied."""
    if not facts.overrides and not audit:  # most units: nothing set by a person
        return computed, computed, ()
    applied: list[AppliedOverride] = []
    current = computed
    scores = {}
    for layer, override in (("self", facts.overrides.get(path)), ("audit", audit.get(path))):
        if override is not None:
            problem = override_problem(ruleset, path, override, facts)
            if problem is not None:
                message = _("{problem} (set by {by})").format(problem=problem, by=override.by)
                raise EvaluationError(message)
            points = round_score(override.points, ruleset.rounding)  # exact: places checked
            applied.append(
                AppliedOverride(
                    layer=layer,
                    points=points,
                    replaced=current,
                    reason=override.reason,
                    by=override.by,
                )
            )
            current = points
        scores[layer] = current
    return scores["self"], current, tuple(applied)
