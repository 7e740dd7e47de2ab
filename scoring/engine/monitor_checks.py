"""Checks of a ruleset's ``monitoring:`` section: paths, what each light method reads, rollup."""

from __future__ import annotations

from collections.abc import Iterator

from scoring.engine.formula_checks import check_formula
from scoring.errors import suggest
from scoring.i18n import _
from scoring.methods.lights import LIGHT_METHODS
from scoring.model.problems import Loc, Problem
from scoring.model.ruleset import Ruleset

NUMBERS = ("actual", "target")


def check_monitoring(ruleset: Ruleset) -> Iterator[Problem]:
    """Every problem of the ``monitoring:`` section (none when there is no section)."""
    section = ruleset.monitoring
    if section is None:
        return
    nodes = {path: node for path, _level, node in ruleset.walk()}
    leaves = [path for path, node in nodes.items() if node.is_leaf]
    for path, entry in section.indicators.items():
        loc: Loc = ("monitoring", "indicators", path)
        node = nodes.get(path)
        if node is None or not node.is_leaf:
            message = _("no indicator {path} to monitor (give a leaf's path){hint}").format(
                path=path, hint=suggest(path, leaves)
            )
            yield Problem(loc, message, path, at_key=True)
            continue
        spec = LIGHT_METHODS[entry.method]
        for name in NUMBERS if "actual" in spec.needs else ():
            formula = getattr(entry, name) or getattr(node, name)
            if formula is None:
                message = _("method {method} needs {name}: the indicator has none to lend")
                yield Problem(loc, message.format(method=entry.method, name=name), path, name)
            else:
                yield from check_formula(ruleset, getattr(entry, name), (*loc, name), path, name)
        if (entry.method == "milestones") != (entry.milestones is not None):
            message = _("milestones are given with method milestones, and only with it")
            yield Problem(loc, message, path, "milestones")
        months = [stage.month for stage in entry.milestones or ()]
        if months != sorted(set(months)) or (entry.milestones is not None and not months):
            message = _("give at least one milestone, months in order, each once")
            yield Problem((*loc, "milestones"), message, path, "milestones")
    if section.budget is not None and section.budget not in section.indicators:
        message = _("{path} is not a monitored indicator").format(path=section.budget)
        yield Problem(("monitoring", "budget"), message, field="budget")
    if section.rollup == "budget_and_goal" and section.budget is None:
        message = _("the budget_and_goal rollup needs budget: the path of the budget indicator")
        yield Problem(("monitoring", "rollup"), message, field="rollup")
