"""monitor(ruleset, facts) -> MonitorResult: each monitored indicator's light, and the project's.

Pure, like score(): the facts are the year's facts as of a month; each monitored indicator is
lit by its light method (:data:`scoring.methods.lights.LIGHT_METHODS`), reading its ``actual``
and ``target`` through the same values (facts and derived values) scoring reads. A red or
yellow light without its explanation is a finding; the rollup is the ruleset's.
"""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal, localcontext

from scoring.engine.derive import Values
from scoring.errors import EvaluationError
from scoring.i18n import _
from scoring.methods.lights import LIGHT_METHODS, Judged, Reading
from scoring.methods.lights.spec import amount
from scoring.model.facts import TierClaim
from scoring.model.fingerprint import ruleset_fingerprint
from scoring.model.formula import DECIMAL_CONTEXT, Formula
from scoring.model.located import locate
from scoring.model.monitor_results import (
    Explanation,
    MonitorFacts,
    MonitorFinding,
    MonitorResult,
    MonitorRow,
)
from scoring.model.monitoring import LIGHT_WORDS, Light, Monitored, Monitoring, worst
from scoring.model.ruleset import Indicator, Ruleset

ON_TRACK: frozenset[Light] = frozenset({"green", "blue"})
EXPLANATION_FIELDS = {
    "reason": "偏差原因",
    "category": "偏差原因类别",
    "forecast": "全年预计完成情况",
    "likelihood": "完成目标可能性",
}


def monitored_formula(entry: Monitored, node: Indicator, name: str) -> Formula | None:
    """The entry's ``actual`` or ``target``, else its indicator's own."""
    own: Formula | None = getattr(entry, name)
    return own if own is not None else getattr(node, name)


def monitor(ruleset: Ruleset, facts: MonitorFacts) -> MonitorResult:
    """Light every monitored indicator of ``ruleset`` as of the facts' month.

    Raises:
        EvaluationError: a formula fails, reads no number, or a target or budget is 0, placed
            at the monitored indicator.
    """
    section = ruleset.monitoring
    assert section is not None, "the loader refuses a ruleset without monitoring"
    nodes = {path: node for path, _level, node in ruleset.walk()}
    values = Values(ruleset, facts.facts)
    rows: list[MonitorRow] = []
    findings: list[MonitorFinding] = []
    with localcontext(DECIMAL_CONTEXT):
        for path, entry in section.indicators.items():
            node = nodes[path]
            explained = facts.explanations.get(path, Explanation())
            try:
                row = _row(ruleset, section, path, entry, node, values, facts.month, explained)
            except EvaluationError as exc:
                where = locate(ruleset.origin.source, ("monitoring", "indicators", path))
                raise exc.at(path, where) from exc
            rows.append(row)
            if row.light in section.explain:
                findings += _missing(path, row.light, explained)
    return MonitorResult(
        ruleset=ruleset.ref,
        fingerprint=ruleset_fingerprint(ruleset),
        title=ruleset.title,
        subject=dict(facts.facts.subject),
        as_of=facts.as_of,
        rows=tuple(rows),
        light=_rollup(section, rows),
        rollup=section.rollup,
        findings=tuple(findings),
    )


def _row(
    ruleset: Ruleset,
    section: Monitoring,
    path: str,
    entry: Monitored,
    node: Indicator,
    values: Values,
    month: int,
    explained: Explanation,
) -> MonitorRow:
    spec = LIGHT_METHODS[entry.method]
    if entry.unit is None and node.unit is not None:
        entry = entry.model_copy(update={"unit": node.unit})
    if entry.whole is None:
        entry = entry.model_copy(update={"whole": _whole(ruleset, section, entry, node)})
    reading = Reading(entry, section, month, ruleset.rounding.places)
    unit = entry.unit or ""
    if "statement" in spec.needs:
        reading = replace(reading, statement=explained.statement)
        target_text, actual_text = node.target_text or "达成目标", explained.statement or ""
    else:
        actual = _number(values, monitored_formula(entry, node, "actual"), "actual")
        target = _number(values, monitored_formula(entry, node, "target"), "target")
        reading = replace(reading, actual=actual, target=target)
        target_text, actual_text = f"{amount(target)}{unit}", f"{amount(actual)}{unit}"
    judged: Judged = spec.light(reading)
    return MonitorRow(
        path=path,
        name=node.name,
        method=entry.method,
        target=target_text,
        actual=actual_text,
        due=None if judged.due is None else f"{amount(judged.due)}{unit}",
        rate=judged.rate,
        light=judged.light,
        explanation=judged.explanation,
        rule=spec.wording(section, entry),
        gap=spec.gap(reading, judged),
        explained=explained,
    )


def _whole(ruleset: Ruleset, section: Monitoring, entry: Monitored, node: Indicator) -> bool:
    """Whether the row is a count, advised in whole numbers (docs/format.md §11).

    It is when its unit, or that of the one fact it reads, is a count's (``whole_units``), or
    that fact is declared ``type: integer``.
    """
    formula = monitored_formula(entry, node, "actual")
    fact = ruleset.facts.get(formula.canonical) if formula is not None else None
    units = {entry.unit, fact.unit if fact is not None else None}
    return bool(units & set(section.whole_units)) or (fact is not None and fact.type == "integer")


def _number(values: Values, formula: Formula | None, name: str) -> Decimal:
    assert formula is not None, "the ruleset checks give every entry its actual and target"
    value = values.evaluate(formula, {})
    if isinstance(value, TierClaim | bool) or not isinstance(value, Decimal):
        message = _("{name} must be a number, found {found!r}").format(name=name, found=value)
        raise EvaluationError(message)
    return value


def _missing(path: str, light: Light, explained: Explanation) -> list[MonitorFinding]:
    word = LIGHT_WORDS[light]
    return [
        MonitorFinding(path=path, message=f"{word}指标未说明{label}")
        for field, label in EXPLANATION_FIELDS.items()
        if not getattr(explained, field)
    ]


def _rollup(section: Monitoring, rows: list[MonitorRow]) -> Light | None:
    if section.rollup == "worst":
        return worst([row.light for row in rows])
    rule = section.budget_and_goal
    budget = next(row for row in rows if row.path == section.budget)
    goals = [row.light for row in rows if row.path != section.budget]
    on_budget, on_goal = budget.light in ON_TRACK, all(light in ON_TRACK for light in goals)
    if on_budget:
        return rule.both if on_goal else rule.budget_only
    return rule.goal_only if on_goal else rule.neither
