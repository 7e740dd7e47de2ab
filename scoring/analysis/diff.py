"""What changed between two rulesets, and what the change does to units already scored.

Both rulesets are compared as merged trees (after ``extends``), so a child that overrides one
weight of the national template shows exactly that. Indicators are matched by their id path; an
id that disappears from one place and appears under another parent is reported as moved.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from decimal import Decimal
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict

from scoring.engine.score import score
from scoring.errors import ScoringError
from scoring.i18n import _
from scoring.methods import PARAMETERS
from scoring.model.facts import Facts
from scoring.model.fingerprint import canonical_json, ruleset_fingerprint
from scoring.model.formula import Formula
from scoring.model.results import ScoreResult
from scoring.model.ruleset import Indicator, Ruleset

ChangeKind = Literal["added", "removed", "moved", "changed"]
COMPARED_FIELDS = ("name", "weight", "method", *sorted(PARAMETERS), "checks", "standard", "unit")
"""The indicator fields a change of which is reported (descriptions are prose, left out)."""
RULESET_FIELDS = ("title", "basis", "kind", "total", "grades", "rounding", "not_applicable")


class Change(BaseModel):
    """One difference: what it concerns, where, and the old and new values as text."""

    model_config = ConfigDict(frozen=True)

    kind: ChangeKind
    area: Literal["ruleset", "indicator", "fact", "derived", "tiers"]
    path: str
    field: str | None = None
    old: str | None = None
    new: str | None = None


class UnitImpact(BaseModel):
    """One unit's facts scored under both rulesets."""

    model_config = ConfigDict(frozen=True)

    file: str
    subject: str
    old_total: Decimal | None
    old_grade: str | None
    new_total: Decimal | None
    new_grade: str | None
    change: Decimal | None
    error: str | None = None


class RulesetDiff(BaseModel):
    """Every change from ``old`` to ``new``, and optionally the impact on scored units."""

    model_config = ConfigDict(frozen=True)

    old: str
    new: str
    old_fingerprint: str
    new_fingerprint: str
    changes: tuple[Change, ...]
    impact: tuple[UnitImpact, ...] | None = None


def _text(value: Any) -> str | None:
    """A value as a short text: numbers as written, formulas as their source, the rest as JSON."""
    if value is None:
        return None
    if isinstance(value, Formula):
        return value.source
    if isinstance(value, Decimal):
        return (
            format(value.normalize(), "f") if value == value.to_integral() else format(value, "f")
        )
    if isinstance(value, str):
        return value
    return canonical_json(value)


def _same(old: Any, new: Any) -> bool:
    return canonical_json(old) == canonical_json(new)


def diff_rulesets(old: Ruleset, new: Ruleset) -> RulesetDiff:
    """The changes from ``old`` to ``new``.

    Ruleset fields first, then tiers, facts, derived values and indicators, each in the order of
    the new ruleset.
    """
    changes = [
        *_field_changes(old, new),
        *_tier_changes(old, new),
        *_named_changes("fact", old.facts, new.facts),
        *_named_changes("derived", old.derived, new.derived),
        *_indicator_changes(old, new),
    ]
    return RulesetDiff(
        old=old.ref,
        new=new.ref,
        old_fingerprint=ruleset_fingerprint(old),
        new_fingerprint=ruleset_fingerprint(new),
        changes=tuple(changes),
    )


def _field_changes(old: Ruleset, new: Ruleset) -> Iterator[Change]:
    for field in RULESET_FIELDS:
        before, after = getattr(old, field), getattr(new, field)
        if field == "grades":
            yield from _grade_changes(before or {}, after or {})
        elif not _same(before, after):
            yield Change(
                kind="changed", area="ruleset", path=field, old=_text(before), new=_text(after)
            )


def _grade_changes(old: Mapping[str, Decimal], new: Mapping[str, Decimal]) -> Iterator[Change]:
    for label, bound in new.items():
        if label not in old:
            yield Change(kind="added", area="ruleset", path="grades", field=label, new=_text(bound))
        elif old[label] != bound:
            yield Change(
                kind="changed",
                area="ruleset",
                path="grades",
                field=label,
                old=_text(old[label]),
                new=_text(bound),
            )
    for label, bound in old.items():
        if label not in new:
            yield Change(
                kind="removed", area="ruleset", path="grades", field=label, old=_text(bound)
            )


def _tier_changes(old: Ruleset, new: Ruleset) -> Iterator[Change]:
    before = {tier.label: tier for tier in old.tiers or ()}
    after = {tier.label: tier for tier in new.tiers or ()}
    for label, tier in after.items():
        if label not in before:
            yield Change(kind="added", area="tiers", path=label, new=_text(tier))
        elif not _same(before[label], tier):
            yield Change(
                kind="changed", area="tiers", path=label, old=_text(before[label]), new=_text(tier)
            )
    for label, tier in before.items():
        if label not in after:
            yield Change(kind="removed", area="tiers", path=label, old=_text(tier))


def _named_changes(
    area: Literal["fact", "derived"], old: Mapping[str, Any], new: Mapping[str, Any]
) -> Iterator[Change]:
    for name, spec in new.items():
        if name not in old:
            yield Change(kind="added", area=area, path=name, new=_text(_summary(spec)))
        elif not _same(old[name], spec):
            yield Change(
                kind="changed",
                area=area,
                path=name,
                old=_text(_summary(old[name])),
                new=_text(_summary(spec)),
            )
    for name, spec in old.items():
        if name not in new:
            yield Change(kind="removed", area=area, path=name, old=_text(_summary(spec)))


def _summary(spec: Any) -> Any:
    """A fact's or derived value's scoring-relevant part: its formula, or its type and bounds."""
    expr = getattr(spec, "expr", None)
    if expr is not None:
        return expr
    parts = [spec.type]
    if spec.min is not None:
        parts.append(_("min {value}").format(value=_text(spec.min)))
    if spec.max is not None:
        parts.append(_("max {value}").format(value=_text(spec.max)))
    if spec.options:
        parts.append(_("options {options}").format(options=" / ".join(spec.options)))
    return _(", ").join(parts)


def _indicator_changes(old: Ruleset, new: Ruleset) -> Iterator[Change]:
    before = {path: node for path, _level, node in old.walk()}
    after = {path: node for path, _level, node in new.walk()}
    removed = [path for path in before if path not in after]
    added = [path for path in after if path not in before]
    moved: dict[str, str] = {}
    for path in added:
        match = next(
            (r for r in removed if r not in moved.values() and _moved(r, path, before, after)), None
        )
        if match is not None:
            moved[path] = match
    for path, node in after.items():
        if path in moved:
            origin = moved[path]
            yield Change(kind="moved", area="indicator", path=path, old=origin, new=path)
            yield from _node_changes(path, before[origin], node)
        elif path not in before:
            yield Change(kind="added", area="indicator", path=path, new=_describe(node))
        else:
            yield from _node_changes(path, before[path], node)
    for path in removed:
        if path not in moved.values():
            yield Change(kind="removed", area="indicator", path=path, old=_describe(before[path]))


def _moved(
    origin: str, path: str, before: Mapping[str, Indicator], after: Mapping[str, Indicator]
) -> bool:
    """Whether the node at ``origin`` reappears at ``path`` under another parent."""
    same_id = origin.rsplit(".", 1)[-1] == path.rsplit(".", 1)[-1]
    return same_id or before[origin].name == after[path].name


def _describe(node: Indicator) -> str:
    weight = f" {_text(node.weight)}" if node.weight is not None else ""
    method = f" ({node.method})" if node.method else ""
    return f"{node.name}{weight}{method}"


def _node_changes(path: str, old: Indicator, new: Indicator) -> Iterator[Change]:
    for field in COMPARED_FIELDS:
        before, after = getattr(old, field), getattr(new, field)
        if not _same(before, after):
            yield Change(
                kind="changed",
                area="indicator",
                path=path,
                field=field,
                old=_text(before),
                new=_text(after),
            )


def unit_impact(
    file: str,
    old: Ruleset,
    new: Ruleset,
    old_facts: Facts | str,
    new_facts: Facts | str,
) -> UnitImpact:
    """One unit scored under both rulesets; facts that cannot be read are given as the message."""
    results: list[ScoreResult | str] = []
    for ruleset, facts in ((old, old_facts), (new, new_facts)):
        if isinstance(facts, str):
            results.append(facts)
            continue
        try:
            results.append(score(ruleset, facts))
        except ScoringError as exc:
            results.append(str(exc))
    before, after = results
    subject = next((facts for facts in (new_facts, old_facts) if isinstance(facts, Facts)), None)
    errors = [
        f"{ruleset.ref}: {result}"
        for ruleset, result in ((old, before), (new, after))
        if isinstance(result, str)
    ]
    old_total = before.total if isinstance(before, ScoreResult) else None
    new_total = after.total if isinstance(after, ScoreResult) else None
    return UnitImpact(
        file=file,
        subject=" ".join(subject.subject.values()) if subject else "",
        old_total=old_total,
        old_grade=before.grade if isinstance(before, ScoreResult) else None,
        new_total=new_total,
        new_grade=after.grade if isinstance(after, ScoreResult) else None,
        change=None if old_total is None or new_total is None else new_total - old_total,
        error="; ".join(errors) or None,
    )
