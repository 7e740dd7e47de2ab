"""A unit's monitoring facts (as of a month) and what monitoring them gives: lights per row.

The facts are the year's own facts, each the value completed so far, with the month they stand
at (``as_of``) and, per indicator, a 定性 statement and the explanation a red or yellow light
needs (偏差原因 and its category, 全年预计完成情况, 完成目标可能性).
"""

from __future__ import annotations

from decimal import Decimal

from pydantic import Field

from scoring.model.base import Model
from scoring.model.facts import Facts
from scoring.model.monitoring import Light


class Explanation(Model):
    """What a unit says of one monitored indicator: its statement, and why it lags."""

    statement: str | None = Field(default=None, description="定性: how far the goal is reached")
    reason: str | None = Field(default=None, description="偏差原因")
    category: str | None = Field(default=None, description="偏差原因的类别")
    forecast: str | None = Field(default=None, description="全年预计完成情况")
    likelihood: str | None = Field(default=None, description="完成目标可能性")


class MonitorFacts(Model):
    """A unit's facts as of a month, and its explanations per indicator path."""

    facts: Facts
    year: int
    month: int = Field(ge=1, le=12)
    explanations: dict[str, Explanation] = Field(default_factory=dict)

    @property
    def as_of(self) -> str:
        """``2022-07``."""
        return f"{self.year:04d}-{self.month:02d}"


class MonitorRow(Model):
    """One monitored indicator: its figures, its light, why, and what green still needs."""

    path: str
    name: str
    method: str
    target: str = Field(description="年度指标值, as shown")
    actual: str = Field(description="完成值 so far, as shown")
    due: str | None = Field(default=None, description="the value due by this month")
    rate: Decimal | None = Field(default=None, description="进度, the percentage lit")
    light: Light
    explanation: str
    rule: str = Field(description="the light method in words")
    gap: str = Field(description="what must still be completed by year end for green")
    explained: Explanation = Explanation()


class MonitorFinding(Model):
    """Something a monitored unit still owes (a 偏差原因 not given): a finding, not an error."""

    path: str
    message: str


class MonitorResult(Model):
    """A unit monitored as of a month: every row's light, the project's, and the findings."""

    ruleset: str
    fingerprint: str
    title: str
    subject: dict[str, str]
    as_of: str
    rows: tuple[MonitorRow, ...]
    light: Light | None
    rollup: str
    findings: tuple[MonitorFinding, ...] = ()
