"""Read overrides: a facts file's ``overrides:`` section, and an auditor's overrides file.

An override sets a leaf's score by hand, with the reason and who set it; its shape is checked
here, and whether its points fit the indicator (its weight, the tier claimed) against the facts.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

from scoring.engine.overrides import override_problem
from scoring.errors import Issue, OverridesError, SourceLocation, suggest
from scoring.i18n import N_, _
from scoring.load.issues import Loc, Report, as_written, position, reporter
from scoring.load.registry import read_text
from scoring.load.yaml_source import parse_yaml
from scoring.model.base import check_number
from scoring.model.facts import AuditOverrides, Facts, Override
from scoring.model.located import LocatedDict
from scoring.model.ruleset import Ruleset


def read_overrides(data: LocatedDict, ruleset: Ruleset, report: Report) -> dict[str, Override]:
    """The ``overrides:`` section: each a leaf's path → {points, reason, by}, checked in shape.

    Whether the points fit the indicator (its weight, the tier claimed) is checked when scoring.
    """
    raw = data.get("overrides")
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        message = _("expected indicator paths with {{points, reason, by}}, found {found}").format(
            found=as_written(raw)
        )
        report(message, ("overrides",), field="overrides")
        return {}
    leaves = [path for path, _, node in ruleset.walk() if node.is_leaf]
    found: dict[str, Override] = {}
    for path, entry in raw.items():
        loc = ("overrides", path)
        group = _("{path!r} is a group: override its indicators one by one")
        problem = not_a_leaf(path, leaves, group)
        if problem is not None:
            report(problem, loc, field="overrides", at_key=True)
            continue
        override = _override(entry, loc, path, report)
        if override is not None:
            found[path] = override
    return found


def not_a_leaf(path: str, leaves: list[str], group: str) -> str | None:
    """Why ``path`` names no leaf, for a section keyed by leaf paths; ``group`` says a group's."""
    if path in leaves:
        return None
    if any(leaf.startswith(f"{path}.") for leaf in leaves):
        return group.format(path=path)
    return _("no indicator {path!r}{hint}").format(path=path, hint=suggest(path, leaves))


def check_overrides(
    ruleset: Ruleset, overrides: dict[str, Override], facts: Facts, report: Report
) -> None:
    """Report each override whose points do not fit its indicator, given the facts."""
    for path, override in overrides.items():
        problem = override_problem(ruleset, path, override, facts)
        if problem is not None:
            report(problem, ("overrides", path, "points"), path, "points")


def load_audit_overrides(path: str | Path, ruleset: Ruleset, facts: Facts) -> AuditOverrides:
    """Read an auditor's overrides file (``overrides:`` only), checked against the facts.

    Raises:
        OverridesError: with every problem found, each with file, line and column.
        OSError: when the file cannot be read.
    """
    filename = str(path)
    data = parse_yaml(read_text(Path(path), OverridesError), filename, OverridesError)
    start = SourceLocation(filename, 1, 1)
    if not isinstance(data, LocatedDict) or "overrides" not in data:
        message = _("an overrides file is a mapping with an 'overrides:' section")
        raise OverridesError([Issue(message, getattr(data, "location", None) or start)], filename)
    return check_audit_overrides(data, filename, ruleset, facts)


def check_audit_overrides(
    data: LocatedDict, filename: str, ruleset: Ruleset, facts: Facts
) -> AuditOverrides:
    """Check parsed auditor's overrides (``overrides:`` only) against the ruleset and the facts.

    Raises:
        OverridesError: with every problem found, each with file, line and column.
    """
    start = data.location or SourceLocation(filename, 1, 1)
    issues: list[Issue] = []
    report = reporter(data, start, issues)

    for key in data:
        if key != "overrides":
            message = _("unknown key{hint}").format(hint=suggest(key, ["overrides"]))
            report(message, (key,), field=key, at_key=True)
    overrides = read_overrides(data, ruleset, report)
    check_overrides(ruleset, overrides, facts, report)
    if issues:
        raise OverridesError(sorted(issues, key=position), filename)
    return AuditOverrides(overrides=overrides)


OVERRIDE_KEYS = ("points", "reason", "by")
_NEEDS = {"reason": N_("say why the computed score is replaced"), "by": N_("say who set it")}


def _override(entry: Any, loc: Loc, path: str, report: Report) -> Override | None:
    if not isinstance(entry, dict):
        message = _("expected {{points: …, reason: …, by: …}}, found {found}").format(
            found=as_written(entry)
        )
        report(message, loc, path, "overrides")
        return None
    ok = True
    for key in entry:
        if key not in OVERRIDE_KEYS:
            message = _("unknown key{hint}").format(hint=suggest(str(key), list(OVERRIDE_KEYS)))
            report(message, (*loc, key), path, str(key), True)
            ok = False
    points = entry.get("points")
    if isinstance(points, bool) or not isinstance(points, int | Decimal):
        found = _("nothing") if points is None else as_written(points)
        message = _("expected a number of points, found {found}").format(found=found)
        report(message, (*loc, "points"), path, "points")
        ok = False
    else:
        try:
            check_number(Decimal(points))
        except ValueError as exc:
            report(str(exc), (*loc, "points"), path, "points")
            ok = False
    for key, need in _NEEDS.items():
        text = entry.get(key)
        if not isinstance(text, str) or not text.strip():
            report(_("required: {need}").format(need=_(need)), (*loc, key), path, key)
            ok = False
    if not ok or not isinstance(points, int | Decimal):
        return None
    return Override(points=Decimal(points), reason=entry["reason"].strip(), by=entry["by"].strip())
