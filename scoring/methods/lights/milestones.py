"""Time-staged targets: by each milestone month, a stated share of the annual target.

``milestones: [{month: 7, share: 0.4}, {month: 11, share: 0.8}]`` (执行进度 40% by July, 80% by
November): as of a month, the share due is the last milestone's at or before it; 进度 = 完成值 /
(年度指标值 × 该节点比例) × 100, lit by the milestone thresholds (green from 80, no blue). Before
the first milestone nothing is due yet: green.
"""

from __future__ import annotations

from decimal import Decimal

from scoring.errors import EvaluationError
from scoring.i18n import _
from scoring.methods.lights.spec import (
    HUNDRED,
    Judged,
    LightSpec,
    Reading,
    amount,
    figures,
    lights_words,
    lit,
    rounded,
    year_end_gap,
)
from scoring.model.monitoring import Milestone, Monitored, Monitoring
from scoring.model.numbers import trimmed


def due_milestone(entry: Monitored, month: int) -> Milestone | None:
    """The last milestone at or before ``month``; None before the first."""
    passed = [stage for stage in entry.milestones or () if stage.month <= month]
    return max(passed, key=lambda stage: stage.month) if passed else None


def _light(reading: Reading) -> Judged:
    actual, target = figures(reading)
    stage = due_milestone(reading.entry, reading.month)
    if stage is None:
        first = min(stage.month for stage in reading.entry.milestones or ())
        return Judged("green", None, Decimal(0), f"{first}月前无节点要求")
    if target == 0:
        message = _("the annual target is 0: no pace can be computed against it")
        raise EvaluationError(message)
    due = target * stage.share
    rate = rounded(actual * HUNDRED / due, reading.places)
    unit = reading.entry.unit or ""
    share = trimmed(stage.share * HUNDRED)
    explanation = (
        f"{amount(actual)}{unit} / ({amount(target)}{unit} × {share}%) × 100"
        f" = {rate}（{stage.month}月节点）"
    )
    return Judged(lit(rate, reading.monitoring.lights_of(reading.entry)), rate, due, explanation)


def _words(monitoring: Monitoring, entry: Monitored) -> str:
    stages = "，".join(
        f"{stage.month}月底 {trimmed(stage.share * HUNDRED)}%" for stage in entry.milestones or ()
    )
    rule = lights_words(monitoring.lights_of(entry))
    return f"分阶段目标（{stages}）；进度 = 完成值 / (年度指标值 × 节点比例) × 100：{rule}"


def _gap(reading: Reading, judged: Judged) -> str:
    last = max(entry.month for entry in reading.entry.milestones or ())
    final = next(stage for stage in reading.entry.milestones or () if stage.month == last)
    return year_end_gap(reading, final.share)


MILESTONES = LightSpec("milestones", ("actual", "target"), _light, _words, _gap)
