"""Read an expert panel: a facts file's ``panel:``, several assessors' scores per indicator.

Each score is checked against its indicator's 分值 and the panel's size against the ruleset's
``panel:`` rule; the combined score becomes the facts file's override for that indicator, the
assessors' scores kept with it (:func:`scoring.engine.panel.panel_override`).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from scoring.engine.overrides import override_problem
from scoring.engine.panel import combination, panel_override
from scoring.engine.plan import is_skipped
from scoring.i18n import _
from scoring.load.issues import Loc, Report, as_written
from scoring.load.overrides import not_a_leaf
from scoring.model.base import check_number
from scoring.model.facts import Facts, Override
from scoring.model.located import LocatedDict
from scoring.model.numbers import show
from scoring.model.panel import PanelRule
from scoring.model.ruleset import Ruleset


def read_panel(
    data: LocatedDict, ruleset: Ruleset, facts: Facts, report: Report
) -> dict[str, Override]:
    """The ``panel:`` section as overrides: leaf path → the panel's combined score and record.

    ``facts`` are the facts read so far (values, 不适用, the file's own overrides), for the
    checks that need them: an indicator 不适用, an override beside a panel, a tier claimed.
    """
    raw = data.get("panel")
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        message = _("expected indicator paths, each with its assessors' scores, found {found}")
        report(message.format(found=as_written(raw)), ("panel",), field="panel")
        return {}
    weights = {path: node.weight for path, _, node in ruleset.walk() if node.is_leaf}
    named: dict[str, list[str]] = {}  # a workbook's rows name indicators as people do
    for path, _level, node in ruleset.walk():
        if node.is_leaf:
            named.setdefault(node.name, []).append(path)
    group = _("{path!r} is a group: give each of its indicators its own panel")
    found: dict[str, Override] = {}
    for written, entry in raw.items():
        loc = ("panel", written)
        paths = named.get(written, [])
        path = paths[0] if written not in weights and len(paths) == 1 else written
        problem = not_a_leaf(path, list(weights), group)
        if problem is None and is_skipped(path, set(facts.not_applicable)):
            problem = _("the indicator is 不适用 in these facts: remove the panel or the 不适用")
        if problem is None and path in facts.overrides:
            problem = _("the indicator has an override too: keep the panel or the override")
        if problem is not None:
            report(problem, loc, field="panel", at_key=True)
            continue
        weight = weights[path] or Decimal(0)
        scores = _scores(entry, loc, path, weight, report)
        if scores is None:
            continue
        override = _combined(ruleset, path, scores, loc, report)
        if override is not None:
            problem = override_problem(ruleset, path, override, facts)
            if problem is not None:
                message = _("the panel's scores combine to {points}: {problem}")
                report(
                    message.format(points=show(override.points), problem=problem),
                    loc,
                    path,
                    "panel",
                    True,
                )
                continue
            found[path] = override
    return found


def _scores(
    entry: Any, loc: Loc, path: str, weight: Decimal, report: Report
) -> dict[str, Decimal] | None:
    """Each assessor's score, checked: a number within 0–分值; None after reporting a problem."""
    if not isinstance(entry, dict):
        message = _("expected assessor: score lines (专家1: 8), found {found}")
        report(message.format(found=as_written(entry)), loc, path, "panel")
        return None
    if not entry:
        report(_("the panel is empty: give each assessor's score"), loc, path, "panel")
        return None
    scores: dict[str, Decimal] = {}
    for name, value in entry.items():
        here = (*loc, name)
        if isinstance(value, bool) or not isinstance(value, int | Decimal):
            found = _("nothing") if value is None else as_written(value)
            message = _("expected the assessor's score, a number, found {found}")
            report(message.format(found=found), here, path, str(name))
            continue
        try:
            score = check_number(Decimal(value))
        except ValueError as exc:
            report(str(exc), here, path, str(name))
            continue
        if not 0 <= score <= weight:
            message = _("score {score} is outside 0–{weight} (the indicator's 分值)")
            report(message.format(score=show(score), weight=show(weight)), here, path, str(name))
            continue
        scores[str(name)] = score
    return scores if len(scores) == len(entry) else None


def _combined(
    ruleset: Ruleset, path: str, scores: dict[str, Decimal], loc: Loc, report: Report
) -> Override | None:
    """The panel's override, or None after saying why the panel is too small to combine."""
    rule = ruleset.panel.rule_for(path) if ruleset.panel is not None else PanelRule()
    if combination(len(scores), rule) is None:
        message = _(
            "{count} assessors, fewer than the {least} the ruleset's panel asks for, "
            "and no fallback is declared"
        ).format(count=len(scores), least=rule.min_size)
        report(message, loc, path, "panel", True)
        return None
    return panel_override(ruleset, path, scores)
