"""正向 progress and budget pace: the value so far against the annual target's pro-rata share.

进度 = 完成值 / (年度指标值 × 月份 / 12) × 100, rounded, then lit by the thresholds in force
(progress: red < 60, yellow 60–80, green 80–120, blue ≥ 120; budget pace: green from 80, no
blue). Budget pace is the same arithmetic on amounts: 执行率 (支出 ÷ 预算) / (月份 / 12) × 100.
A target or budget of 0 gives no pace: an error that says so, never a light.
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
    months_text,
    rounded,
    year_end_gap,
)
from scoring.model.monitoring import MONTHS, Monitored, Monitoring


def pace(reading: Reading, what: str) -> Judged:
    """The light of ``actual`` against ``target`` × month / 12; ``what`` names a zero target."""
    actual, target = figures(reading)
    if target == 0:
        message = _("{what} is 0: no pace can be computed against it").format(what=what)
        raise EvaluationError(message)
    due = target * reading.month / MONTHS
    rate = rounded(actual * MONTHS * HUNDRED / (target * reading.month), reading.places)
    unit = reading.entry.unit or ""
    explanation = (
        f"{amount(actual)}{unit} / ({amount(target)}{unit} × {months_text(reading.month)}) × 100"
        f" = {rate}"
    )
    return Judged(lit(rate, reading.monitoring.lights_of(reading.entry)), rate, due, explanation)


def _progress(reading: Reading) -> Judged:
    return pace(reading, _("the annual target"))


def _budget(reading: Reading) -> Judged:
    return pace(reading, _("the budget"))


def _progress_words(monitoring: Monitoring, entry: Monitored) -> str:
    rule = lights_words(monitoring.lights_of(entry))
    return f"进度 = 完成值 / (年度指标值 × 月份 / 12) × 100：{rule}"


def _budget_words(monitoring: Monitoring, entry: Monitored) -> str:
    rule = lights_words(monitoring.lights_of(entry))
    return f"执行进度 = 执行率 / (月份 / 12) × 100，执行率 = 支出 ÷ 预算：{rule}"


def _gap(reading: Reading, judged: Judged) -> str:
    return year_end_gap(reading, Decimal(1))


PROGRESS = LightSpec("progress", ("actual", "target"), _progress, _progress_words, _gap)
BUDGET_PACE = LightSpec("budget_pace", ("actual", "target"), _budget, _budget_words, _gap)
