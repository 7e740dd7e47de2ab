"""An expert panel's scores for an indicator combined into one: mean, median or trimmed mean.

Pure: the loader checks each assessor's score and the panel's size, then this combines them,
rounds the result with the ruleset's rounding (四舍五入 by default) and keeps the record.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from decimal import Decimal, localcontext

from scoring.engine.plan import round_score
from scoring.errors import suggest
from scoring.i18n import _
from scoring.model.facts import AssessorScore, Facts, Override, PanelRecord
from scoring.model.formula import DECIMAL_CONTEXT
from scoring.model.numbers import show
from scoring.model.panel import Combine, PanelRule
from scoring.model.problems import Problem
from scoring.model.results import Finding
from scoring.model.ruleset import Ruleset

COMBINE_WORDS: dict[str, str] = {
    "mean": "算术平均",
    "median": "中位数",
    "trimmed_mean": "去掉一个最高分和一个最低分后平均",
}
"""How each combination is named in the 自评表 (Chinese in every language, as the table is)."""
PANEL_BY = "专家组"


def check_panel(ruleset: Ruleset) -> Iterator[Problem]:
    """The problems of a ruleset's ``panel:``: each indicator it names must be a leaf."""
    if ruleset.panel is None:
        return
    leaves = {path for path, _, node in ruleset.walk() if node.is_leaf}
    for path in ruleset.panel.indicators:
        if path not in leaves:
            message = _("no leaf indicator {path!r}: a panel scores leaves{hint}").format(
                path=path, hint=suggest(path, sorted(leaves))
            )
            yield Problem(("panel", "indicators", path), message, field="panel", at_key=True)


def combination(size: int, rule: PanelRule) -> Combine | None:
    """How a panel of ``size`` combines under ``rule``; None when it is too small, unhelped."""
    if rule.min_size is not None and size < rule.min_size:
        return rule.fallback
    return rule.combine or "mean"


def combined(scores: list[Decimal], how: Combine) -> Decimal:
    """The scores combined, unrounded: (s1+…+sn)/n, the middle one (or two), or trimmed."""
    ordered = sorted(scores)
    with localcontext(DECIMAL_CONTEXT):
        if how == "median":
            middle = len(ordered) // 2
            if len(ordered) % 2:
                return ordered[middle]
            return (ordered[middle - 1] + ordered[middle]) / 2
        if how == "trimmed_mean":
            ordered = ordered[1:-1]
        return sum(ordered, Decimal(0)) / len(ordered)


def panel_override(ruleset: Ruleset, path: str, scores: Mapping[str, Decimal]) -> Override | None:
    """The override an indicator's panel sets: its combined score, the record kept with it.

    None when the panel is too small for its rule and no fallback is declared (the loader says so).
    """
    rule = ruleset.panel.rule_for(path) if ruleset.panel is not None else PanelRule()
    how = combination(len(scores), rule)
    if how is None or not scores:
        return None
    points = round_score(combined(list(scores.values()), how), ruleset.rounding)
    record = PanelRecord(
        scores=tuple(AssessorScore(name=name, score=score) for name, score in scores.items()),
        combine=how,
        declared=rule.combine or "mean",
        spread=max(scores.values()) - min(scores.values()),
        spread_limit=rule.spread,
    )
    reason = f"专家评分（{len(scores)}位专家，{COMBINE_WORDS[how]}）：" + "，".join(
        f"{name} {show(score)}" for name, score in scores.items()
    )
    return Override(points=points, reason=reason, by=PANEL_BY, panel=record)


def spread_note(record: PanelRecord) -> str | None:
    """What to say when the assessors disagree by more than the ruleset allows, else None."""
    if not record.flagged or record.spread_limit is None:
        return None
    return (
        f"专家评分分歧较大：最高分与最低分相差{show(record.spread)}，"
        f"超过规则集规定的{show(record.spread_limit)}，请复核"
    )


def spread_findings(facts: Facts) -> list[Finding]:
    """A finding for each indicator whose panel's spread is wider than the ruleset allows."""
    found = []
    for path, override in facts.overrides.items():
        note = None if override.panel is None else spread_note(override.panel)
        if note is not None:
            found.append(Finding(code="panel_spread", message=note, path=path))
    return found
