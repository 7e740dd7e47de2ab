"""The ``monitoring:`` section of a ruleset (绩效运行监控) and what monitoring a unit gives.

One ruleset serves the year: the same indicators and facts are scored at year end and monitored
mid-year (事中, usually as of June or July). The section says, per indicator path, the light
method that judges its progress and any parameter it overrides; every default below is data,
documented in docs/format.md §11, and each can be replaced in a ruleset:

- lights of 正向 progress: red < 60, yellow 60–80, green 80–120, blue ≥ 120 (common practice of
  provincial monitoring systems; 《中央部门预算绩效运行监控管理暂行办法》(财预〔2019〕136号) asks
  for 预算执行进度 and 绩效目标实现程度 to be monitored together, 双监控);
- budget pace: red < 60, yellow 60–80, green ≥ 80;
- the three 定性 statements 达成目标 / 部分达成目标并具有一定效果 / 未达成目标且效果较差;
- the 偏差原因 categories and 完成目标可能性 of 136号's 绩效运行监控表;
- the units of counts (人, 个, 次 …), whose gap to green is advised in whole numbers, rounded up.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Literal

from pydantic import Field, model_validator

from scoring.i18n import _
from scoring.model.base import Model
from scoring.model.formula import Formula

Light = Literal["red", "yellow", "green", "blue"]
LIGHT_ORDER: tuple[Light, ...] = ("red", "yellow", "green", "blue")
"""Worst first: a project's light is the worst of its indicators' (red before yellow …)."""
LIGHT_WORDS: dict[Light, str] = {"red": "红灯", "yellow": "黄灯", "green": "绿灯", "blue": "蓝灯"}
"""A light as every 绩效运行监控表 writes it, in every format."""
LightMethodName = Literal["progress", "reverse", "qualitative", "budget_pace", "milestones"]
MONTHS = 12
WHOLE_UNITS = ("人", "人次", "户", "家", "个", "次", "件", "项", "名", "所", "台", "套", "辆", "场")
"""Units of things counted one by one: what is still needed of them is advised in whole numbers."""


class Lights(Model):
    """Where a percentage of the pace due turns from one light to the next."""

    yellow_from: Decimal = Field(default=Decimal(60), description="below it: red")
    green_from: Decimal = Field(default=Decimal(80), description="below it: yellow")
    blue_from: Decimal | None = Field(
        default=None, description="from it: blue (over-achievement); none: never blue"
    )

    @model_validator(mode="after")
    def _ordered(self) -> Lights:
        edges = [self.yellow_from, self.green_from]
        if self.blue_from is not None:
            edges.append(self.blue_from)
        if edges != sorted(set(edges)) or edges[0] < 0:
            message = _("expected 0 ≤ yellow_from < green_from < blue_from")
            raise ValueError(message)
        return self


class Milestone(Model):
    """A staged target: by the end of ``month``, ``share`` of the annual target (0.4 for 40%)."""

    month: int = Field(ge=1, le=MONTHS)
    share: Decimal = Field(gt=0)


class Monitored(Model):
    """How one indicator is monitored: its light method and what that method reads.

    ``actual`` and ``target`` default to the indicator's own (a ``ratio`` leaf's), so that the
    annual target is written once, for scoring and monitoring alike.
    """

    method: LightMethodName
    actual: Formula | None = Field(default=None, description="the value completed so far")
    target: Formula | None = Field(default=None, description="the annual target (年度指标值)")
    strict: bool = Field(default=False, description="reverse: green only below the target (<)")
    lights: Lights | None = Field(default=None, description="this indicator's own thresholds")
    milestones: tuple[Milestone, ...] | None = None
    unit: str | None = None
    whole: bool | None = Field(
        default=None,
        description="counted in whole numbers (the gap is rounded up); none: from what it reads",
    )


def _progress_lights() -> Lights:
    return Lights(blue_from=Decimal(120))


def _statements() -> dict[str, Light]:
    return {
        "达成目标": "green",
        "部分达成目标并具有一定效果": "yellow",
        "未达成目标且效果较差": "red",
    }


class BudgetAndGoal(Model):
    """The 2×2 rollup: whether the budget is on track × whether every goal is (green or blue)."""

    both: Light = "green"
    budget_only: Light = "yellow"
    goal_only: Light = "yellow"
    neither: Light = "red"


class Monitoring(Model):
    """A ruleset's 绩效运行监控 rules: per indicator its light method, and the defaults."""

    basis: str | None = Field(default=None, description="the rule these lights follow")
    budget: str | None = Field(
        default=None, description="the path of the indicator that is the budget (预算执行)"
    )
    indicators: dict[str, Monitored] = Field(min_length=1)
    progress: Lights = Field(default_factory=_progress_lights)
    budget_pace: Lights = Field(default_factory=Lights)
    milestones: Lights = Field(default_factory=Lights)
    statements: dict[str, Light] = Field(default_factory=_statements)
    rollup: Literal["worst", "budget_and_goal"] = "worst"
    budget_and_goal: BudgetAndGoal = BudgetAndGoal()
    explain: tuple[Light, ...] = Field(
        default=("red", "yellow"), description="the lights that need a 偏差原因 and a forecast"
    )
    reason_categories: tuple[str, ...] = ("经费保障", "制度保障", "人员保障", "硬件保障", "其他")
    likelihoods: tuple[str, ...] = ("确定能", "有可能", "完全不可能")
    whole_units: tuple[str, ...] = Field(
        default=WHOLE_UNITS, description="units of counts: a gap in them is advised whole"
    )

    def lights_of(self, entry: Monitored) -> Lights:
        """The thresholds in force for ``entry``: its own, else its method's default."""
        if entry.lights is not None:
            return entry.lights
        if entry.method == "budget_pace":
            return self.budget_pace
        return self.milestones if entry.method == "milestones" else self.progress


def worst(lights: list[Light]) -> Light | None:
    """The worst of ``lights`` (red before yellow before green before blue); None for none."""
    return min(lights, key=LIGHT_ORDER.index) if lights else None
