"""A facts file to fill in for a ruleset, every declared fact with its label and unit."""

from __future__ import annotations

import unicodedata

from scoring.engine import facts_read
from scoring.loader import tier_scale
from scoring.models import FactSpec, Ruleset

KINDS = {"number": "number", "integer": "whole number", "boolean": "true or false"}


def _width(text: str) -> int:
    """Columns on a terminal: Chinese characters take two."""
    return sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in text)


def _bounds(spec: FactSpec) -> str:
    if spec.min is not None and spec.max is not None:
        return f", {spec.min}–{spec.max}"
    if spec.min is not None:
        return f", ≥ {spec.min}"
    if spec.max is not None:
        return f", ≤ {spec.max}"
    return ""


def _describe(name: str, spec: FactSpec, ruleset: Ruleset, reader: str | None) -> str:
    kind = KINDS.get(spec.type, spec.type)
    if spec.type == "tier":
        tiers, _ = tier_scale(ruleset, name)
        kind = " | ".join(tier.label for tier in tiers) + ", or {tier: …, score: …, note: …}"
    if spec.type == "choice":
        kind = "one of: " + " | ".join(spec.options or ())
    described = "，".join(part for part in (spec.label, spec.unit) if part)
    optional = "; optional: no indicator reads it" if reader is None else ""
    if reader is not None and reader.startswith("either "):
        optional = f"; only for the alternative you choose at {reader.removeprefix('either ')}"
    return f"{described} [{kind}{_bounds(spec)}{optional}]".lstrip()


def render_template(ruleset: Ruleset) -> str:
    """The facts template as YAML text with comments; every value left empty to fill in."""
    read = facts_read(ruleset, set())
    for name, path in facts_read(ruleset, set(), alternatives=True).items():
        read.setdefault(name, f"either {path}")
    width = max((_width(name) for name in ruleset.facts), default=0)
    lines = [
        f"# Facts for {ruleset.title} ({ruleset.ref}).",
        "# Fill in each value after its colon. Leave a value empty only where the indicators that",
        "# read it are listed under not_applicable (不适用).",
        f"ruleset: {ruleset.ref}",
        "subject:",
        "  unit:      # 单位名称",
        "  project:   # 项目名称",
        "  year:      # 年度",
        "facts:",
    ]
    for name, spec in ruleset.facts.items():
        padding = " " * (width - _width(name))
        lines.append(f"  {name}:{padding}  # {_describe(name, spec, ruleset, read.get(name))}")
    lines += ["# The indicators, by path, for not_applicable:"]
    lines += [
        f"#   {'  ' * (level - 1)}{path}  {node.name}"
        for path, level, node in ruleset.walk()
        if level <= 2
    ]
    lines += ["not_applicable: []"]
    return "\n".join(lines) + "\n"
