"""``tiers`` (定性指标): the tier the unit claims, at the points it states or the tier's default."""

from __future__ import annotations

import functools
import itertools
from collections.abc import Callable, Iterator
from decimal import Decimal, localcontext

from scoring.errors import EvaluationError, suggest
from scoring.i18n import _
from scoring.methods.common import found, limit_words
from scoring.methods.spec import Checking, Emitter, Judge, MethodSpec, Outcome, Read, Words
from scoring.model.facts import TierClaim
from scoring.model.formula import DECIMAL_CONTEXT, normalize_name
from scoring.model.numbers import percent, show, trimmed
from scoring.model.problems import Loc, Problem
from scoring.model.ruleset import Indicator, Tier


def tiers(node: Indicator, weight: Decimal, read: Read, scale: tuple[Tier, ...]) -> Outcome:
    """定性指标: the tier the unit claims, at the points it states or the tier's default."""
    claim = read("fact")
    if isinstance(claim, str):
        claim = TierClaim(tier=claim)
    if not isinstance(claim, TierClaim):
        message = _("expected a tier, found {found}").format(found=found(claim))
        raise EvaluationError(message)
    tier = next((tier for tier in scale if claim.tier in tier.names()), None)
    if tier is None:
        message = _("unknown tier {tier!r}").format(tier=claim.tier)
        raise EvaluationError(message)
    low, high = tier.range
    closing = "]" if high == 1 else ")"
    span = f"{claim.tier} [{percent(low)}, {percent(high)}{closing}"
    if claim.score is None:
        if tier.default is None:
            message = _("tier {tier!r} has no default: state the score").format(tier=tier.label)
            raise EvaluationError(message)
        score = weight * tier.default
        return Outcome(score, f"{span}，得分未填报，按默认值{percent(tier.default)}计")
    with localcontext(DECIMAL_CONTEXT):
        fraction = claim.score / weight
    if not tier.allows(fraction):
        message = _("score {score} is outside tier {span} of {weight}").format(
            score=show(claim.score), span=span, weight=show(weight)
        )
        raise EvaluationError(message)
    note = f"：{claim.note}" if claim.note else ""
    return Outcome(claim.score, f"{span}，填报得分 {show(claim.score)}{note}")


def _check(checking: Checking, node: Indicator, loc: Loc, path: str) -> Iterator[Problem]:
    ruleset = checking.ruleset
    if node.fact is not None:
        spec = ruleset.facts.get(node.fact)
        if spec is None:
            hint = suggest(node.fact, list(ruleset.facts))
            message = _("unknown fact {name!r}{hint}").format(name=node.fact, hint=hint)
            yield Problem((*loc, "fact"), message, path, "fact")
        elif spec.type != "tier":
            message = _(
                "fact {name!r} is declared type {type}, method tiers needs type tier"
            ).format(name=node.fact, type=spec.type)
            yield Problem((*loc, "fact"), message, path, "fact")
        first = next(
            (p for p, _, n in ruleset.walk() if n.method == "tiers" and n.fact == node.fact), path
        )
        if first != path:  # a claim's points are checked against one indicator's weight
            message = _("fact {name!r} is already scored by {first}: give each its own fact")
            message = message.format(name=node.fact, first=first)
            yield Problem((*loc, "fact"), message, path, "fact")
    if node.tiers is None and ruleset.tiers is None:
        message = _("method tiers needs 'tiers' here or at the top of the ruleset")
        yield Problem(loc, message, path, "tiers")
    yield from check_tier_scale(node.tiers, (*loc, "tiers"), path)


def _emit(node: Indicator, weight: Decimal, scale: tuple[Tier, ...], out: Emitter) -> str:
    claim, score = out.fact(node.fact), out.fresh()
    named: dict[str, Tier] = {}
    for tier in scale:  # the first tier that has the name, as the plain path looks it up
        for name in tier.names():
            named.setdefault(name, tier)
    scored = out.const(functools.partial(_claimed_score, named, weight))
    out.line(f"{score} = {scored}({claim})")
    out.line(f"if {score} is None: {out.bail}")
    return score


def _claimed_score(named: dict[str, Tier], weight: Decimal, claim: object) -> Decimal | None:
    """The score of a claim as :func:`tiers` gives it, or None where it refuses or explains."""
    if isinstance(claim, str):
        claim = TierClaim(tier=claim)
    if not isinstance(claim, TierClaim):
        return None
    tier = named.get(claim.tier)
    if tier is None:
        return None
    if claim.score is None:
        return None if tier.default is None else weight * tier.default
    return claim.score if tier.allows(claim.score / weight) else None


def check_tier_scale(
    scale: tuple[Tier, ...] | None, loc: Loc, path: str | None
) -> Iterator[Problem]:
    """A scale of tiers (a ruleset's or a leaf's): ranges within 0–1 that meet, labels once."""
    if scale is None:
        return
    if not scale:
        yield Problem(loc, _("give at least one tier"), path, "tiers")
    names: dict[str, int] = {}
    ranges_ok = True
    for index, tier in enumerate(scale):
        where = (*loc, index)
        low, high = tier.range
        if not 0 <= low < high <= 1:
            ranges_ok = False
            message = _(
                "tier {tier!r} range [{low}, {high}] must satisfy 0 ≤ low < high ≤ 1"
            ).format(tier=tier.label, low=low, high=high)
            yield Problem((*where, "range"), message, path, "tiers")
        if tier.default is not None and not tier.allows(tier.default):
            message = _("tier {tier!r} default {default} is outside its range").format(
                tier=tier.label, default=tier.default
            )
            yield Problem((*where, "default"), message, path, "tiers")
        for label in tier.names():
            if label in names:
                message = _("tier label {label!r} is used twice").format(label=label)
                yield Problem(where, message, path, "tiers")
            names[label] = index
    ordered = sorted(scale, key=lambda tier: tier.range[0]) if ranges_ok else []
    for lower, upper in itertools.pairwise(ordered):
        if lower.range[1] > upper.range[0]:
            message = _("tiers {lower!r} and {upper!r} overlap").format(
                lower=lower.label, upper=upper.label
            )
            yield Problem(loc, message, path, "tiers")
        elif lower.range[1] < upper.range[0]:
            message = _(
                "tiers {lower!r} and {upper!r} leave a gap between {start} and {end}"
            ).format(lower=lower.label, upper=upper.label, start=lower.range[1], end=upper.range[0])
            yield Problem(loc, message, path, "tiers")


def _words(node: Indicator, words: Words) -> str:
    texts = []
    for tier in node.tiers or words.ruleset.tiers or ():
        low, high = tier.range
        if words.weight is not None:
            span = f"{trimmed(low * words.weight)}–{trimmed(high * words.weight)}分"
            default = tier.default * words.weight if tier.default is not None else None
            fallback = f"，默认{trimmed(default)}分" if default is not None else ""
        else:
            span = f"{limit_words(low, True)}–{limit_words(high, True)}"
            fallback = (
                f"，默认{limit_words(tier.default, True)}" if tier.default is not None else ""
            )
        texts.append(f"{tier.label} {span}{fallback}")
    return f"定性指标，按 {node.fact} 的等级计分：{'；'.join(texts)}"


def _judgement(node: Indicator, fact: Callable[[str], object]) -> str:
    assert node.fact is not None
    claim = fact(normalize_name(node.fact))
    tier = claim.tier if isinstance(claim, TierClaim) else claim
    return _("定性 tier: a person's judgement (claimed {tier})").format(tier=tier)


TIERS = MethodSpec(
    name="tiers",
    required=frozenset({"fact"}),
    optional=frozenset({"tiers"}),
    score=tiers,
    check=_check,
    wording=_words,
    gap=Judge(_judgement),
    emit=_emit,
)
