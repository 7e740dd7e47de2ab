"""A facts file to fill in for a ruleset, every declared fact with its label and unit."""

from __future__ import annotations

import unicodedata

from scoring.engine.plan import facts_read
from scoring.i18n import _
from scoring.model.ruleset import FactSpec, Ruleset
from scoring.model.tier_scale import tier_scale


def _kind(kind: str) -> str:
    """What a fact of a declared type takes, in words (the type itself if it has none)."""
    if kind == "number":
        return _("number")
    if kind == "integer":
        return _("whole number")
    if kind == "boolean":
        return _("true or false")
    if kind == "date":
        return _("a date, as 2022-12-28")
    if kind == "list":
        return _("a list, as [item, item], [] for none")
    return kind


def _width(text: str) -> int:
    """Columns on a terminal: Chinese characters take two."""
    return sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in text)


def bounds_of(spec: FactSpec) -> str | None:
    """A fact's declared bounds in a few characters (``0–100``, ``≥ 0``), None without any."""
    if spec.min is not None and spec.max is not None:
        return f"{spec.min}–{spec.max}"
    if spec.min is not None:
        return f"≥ {spec.min}"
    if spec.max is not None:
        return f"≤ {spec.max}"
    return None


def _describe(name: str, spec: FactSpec, ruleset: Ruleset, reader: str | None) -> str:
    kind = _kind(spec.type)
    if spec.type == "tier":
        tiers, _default = tier_scale(ruleset, name)
        labels = " | ".join(tier.label for tier in tiers)
        kind = _("{tiers}, or {{tier: …, score: …, note: …}}").format(tiers=labels)
    if spec.type == "choice":
        kind = _("one of: {options}").format(options=" | ".join(spec.options or ()))
    if spec.type == "list" and spec.options:
        kind = _("a list of: {options}").format(options=" | ".join(spec.options))
    described = "，".join(part for part in (spec.label, spec.unit) if part)
    optional = _("; optional: no indicator reads it") if reader is None else ""
    if reader is not None and reader.startswith("either "):
        optional = _("; only for the alternative you choose at {path}").format(
            path=reader.removeprefix("either ")
        )
    bounds = bounds_of(spec)
    if bounds is not None:
        kind = _("{kind}, {bounds}").format(kind=kind, bounds=bounds)
    return f"{described} [{kind}{optional}]".lstrip()


def render_template(ruleset: Ruleset) -> str:
    """The facts template as YAML text with comments; every value left empty to fill in."""
    read = facts_read(ruleset, set())
    for name, path in facts_read(ruleset, set(), alternatives=True).items():
        read.setdefault(name, f"either {path}")
    width = max((_width(name) for name in ruleset.facts), default=0)
    title = _("Facts for {title} ({ref}).").format(title=ruleset.title, ref=ruleset.ref)
    guide = _(
        "Fill in each value after its colon. Leave a value empty only where the indicators that\n"
        "read it are listed under not_applicable (不适用)."
    )
    lines = [
        *(f"# {line}" for line in (title, *guide.splitlines())),
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
    lines += ["# " + _("The indicators, by path, for not_applicable:")]
    lines += [
        f"#   {'  ' * (level - 1)}{path}  {node.name}"
        for path, level, node in ruleset.walk()
        if level <= 2
    ]
    lines += ["not_applicable: []"]
    return "\n".join(lines) + "\n"
