"""A facts file to fill in for a ruleset, every declared fact with its label and unit."""

from __future__ import annotations

from scoring.loader import tier_scale
from scoring.models import FactSpec, Ruleset


def _describe(name: str, spec: FactSpec, ruleset: Ruleset) -> str:
    parts = [part for part in (spec.label, spec.unit) if part]
    kind = {"number": "number", "integer": "whole number", "boolean": "true or false"}.get(
        spec.type
    )
    if spec.type == "tier":
        tiers, _ = tier_scale(ruleset, name)
        kind = (
            "tier: "
            + " | ".join(tier.label for tier in tiers)
            + " (or {tier: …, score: …, note: …})"
        )
    bounds = ""
    if spec.min is not None or spec.max is not None:
        low = "" if spec.min is None else str(spec.min)
        high = "" if spec.max is None else str(spec.max)
        bounds = f", {low}–{high}"
    described = "，".join(parts)
    return f"{described} [{kind}{bounds}]" if described else f"[{kind}{bounds}]"


def render_template(ruleset: Ruleset) -> str:
    """The facts template as YAML text with comments; every value left empty to fill in."""
    width = max((len(name) for name in ruleset.facts), default=0)
    lines = [
        f"# Facts for {ruleset.title} ({ruleset.ref}).",
        "# Fill in each value after the colon; leave a value empty only where its indicator is",
        "# listed under not_applicable (不适用).",
        f"ruleset: {ruleset.ref}",
        "subject:",
        "  unit:      # 单位名称",
        "  project:   # 项目名称",
        "  year:      # 年度",
        "facts:",
    ]
    for name, spec in ruleset.facts.items():
        padding = " " * (width - len(name))
        lines.append(f"  {name}:{padding}   # {_describe(name, spec, ruleset)}")
    paths = [path for path, _, _ in ruleset.walk()]
    lines += ["not_applicable: []  # indicator paths that do not apply, e.g. " + paths[-1]]
    return "\n".join(lines) + "\n"
