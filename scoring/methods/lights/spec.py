"""What a light method of 绩效运行监控 is: a :class:`LightSpec` with its light, wording and gap.

A light method judges one monitored indicator as of a month: the value completed so far against
the annual target (or a stated 定性 statement) gives a light, red to blue. Like a scoring method
it is pure, in Decimal, and keeps its parts together: what it reads, its light, its rule in
Chinese (as the 绩效运行监控表 prints it) and its gap (what must still be completed by year end
to reach green). :data:`scoring.methods.lights.LIGHT_METHODS` registers them by name.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import ROUND_CEILING, ROUND_HALF_UP, Decimal

from scoring.model.monitoring import MONTHS, Light, Lights, Monitored, Monitoring
from scoring.model.numbers import show, trimmed

HUNDRED = Decimal(100)


@dataclass(frozen=True)
class Reading:
    """What a light method reads of one indicator, as of ``month`` (1–12)."""

    entry: Monitored
    monitoring: Monitoring
    month: int
    places: int
    """The ruleset's decimal places: a percentage is rounded to them, 四舍五入, before it is lit."""
    actual: Decimal | None = None
    target: Decimal | None = None
    statement: str | None = None


@dataclass(frozen=True)
class Judged:
    """A monitored indicator's light, the percentage of the pace due it reached, and why."""

    light: Light
    rate: Decimal | None
    """The percentage the lights are read from (进度), rounded; None where no rate applies."""
    due: Decimal | None
    """The value due by this month (年度指标值 × 月份 / 12, or a milestone's)."""
    explanation: str


@dataclass(frozen=True)
class LightSpec:
    """One light method: what it needs, its light, its rule in words and its gap to green."""

    name: str
    needs: tuple[str, ...]
    """What it reads: ``actual`` and ``target`` (numbers), or ``statement`` (定性)."""
    light: Callable[[Reading], Judged]
    wording: Callable[[Monitoring, Monitored], str]
    gap: Callable[[Reading, Judged], str]


def rounded(value: Decimal, places: int) -> Decimal:
    """``value`` to ``places`` decimal places, 四舍五入."""
    return value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def lit(rate: Decimal, lights: Lights) -> Light:
    """The light of a percentage: red below yellow_from, …, blue from blue_from (if any)."""
    if rate < lights.yellow_from:
        return "red"
    if rate < lights.green_from:
        return "yellow"
    return "blue" if lights.blue_from is not None and rate >= lights.blue_from else "green"


def lights_words(lights: Lights) -> str:
    """The thresholds as a rule says them: ``< 60 红灯，60–80 黄灯，≥ 80 绿灯``."""
    low, high = trimmed(lights.yellow_from), trimmed(lights.green_from)
    parts = [f"< {low} 红灯", f"{low}–{high} 黄灯"]
    if lights.blue_from is None:
        parts.append(f"≥ {high} 绿灯")
    else:
        blue = trimmed(lights.blue_from)
        parts += [f"{high}–{blue} 绿灯", f"≥ {blue} 蓝灯"]
    return "，".join(parts)


def amount(value: Decimal) -> str:
    """An amount for the 监控表: at most 4 places, no trailing zeros (``44.0`` → ``44``)."""
    return trimmed(Decimal(show(value)))


def figures(reading: Reading) -> tuple[Decimal, Decimal]:
    """The value so far and the annual target, which the engine reads for a numeric method."""
    assert reading.actual is not None, "the engine reads it first"
    assert reading.target is not None, "the engine reads it first"
    return reading.actual, reading.target


def still_needed(reading: Reading, share: Decimal = Decimal(1)) -> tuple[Decimal, Decimal]:
    """The year's total that is green (``share`` of the target × green_from), and what is left.

    A count (``whole``: 人, 个, 次) is advised in whole numbers, each rounded up: 18.4人 more
    cannot be done, 19 can, and completing it does reach green.
    """
    actual, target = figures(reading)
    lights = reading.monitoring.lights_of(reading.entry)
    needed = target * share * lights.green_from / HUNDRED
    if reading.entry.whole:
        needed = needed.to_integral_value(rounding=ROUND_CEILING)
        return needed, max(needed - actual, Decimal(0)).to_integral_value(rounding=ROUND_CEILING)
    return needed, max(needed - actual, Decimal(0))


def year_end_gap(reading: Reading, share: Decimal = Decimal(1)) -> str:
    """What is still to complete by year end for green: ``share`` of the target × green_from."""
    needed, left = still_needed(reading, share)
    unit = reading.entry.unit or ""
    if not left:
        return f"已达全年绿灯所需（{amount(needed)}{unit}）"
    return f"年底前还需完成 {amount(left)}{unit}（全年达到 {amount(needed)}{unit} 为绿灯）"


def months_text(month: int) -> str:
    """``7 / 12``: the share of the year gone by the end of ``month``."""
    return f"{month} / {MONTHS}"
