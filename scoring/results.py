"""Frozen results of scoring: IndicatorResult (recursive), ScoreResult, Finding."""

from __future__ import annotations

from decimal import Decimal
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field


class Result(BaseModel):
    """Base of every result model: immutable, and serialised with keys in field order."""

    model_config = ConfigDict(frozen=True, extra="forbid")


class Finding(Result):
    """Something a reader should know that does not change a score."""

    code: str
    message: str
    path: str | None = None


class IndicatorResult(Result):
    """One indicator's line of the breakdown: its weight, its score and why."""

    path: str
    id: str
    name: str
    level: int
    weight: Decimal | None
    score: Decimal | None = Field(description="null when the indicator is 不适用")
    status: Literal["scored", "not_applicable"]
    method: str | None = None
    target_text: str | None = None
    unit: str | None = None
    explanation: str = ""
    reads: dict[str, str] = Field(
        default_factory=dict, description="the facts and derived values this leaf read, as text"
    )
    children: tuple[IndicatorResult, ...] = ()


class DerivedResult(Result):
    """A derived value: exact, and as a person reads it (a rate with unit % as a percentage)."""

    value: str = Field(description="the exact value the indicators used")
    shown: str = Field(description="rounded for people: 4 decimal places, or a percentage")
    label: str | None = None
    unit: str | None = None


class EngineInfo(Result):
    """Which engine produced a result."""

    name: str
    version: str


class RulesetInfo(Result):
    """Which rules a result was scored under."""

    id: str
    version: str
    title: str
    basis: str | None
    fingerprint: str


class ScoreResult(Result):
    """The total, the grade and the full breakdown of one subject's facts under one ruleset."""

    engine: EngineInfo
    ruleset: RulesetInfo
    facts_fingerprint: str
    subject: dict[str, str]
    total: Decimal
    grade: str | None
    max_total: Decimal
    sum: Decimal = Field(description="the plain sum of the indicators' scores")
    applicable_weight: Decimal = Field(description="the weights of the indicators that were scored")
    rescaled: bool = Field(
        description="true when 不适用 indicators made total = sum / applicable × max"
    )
    not_applicable: tuple[str, ...]
    derived: dict[str, DerivedResult]
    indicators: tuple[IndicatorResult, ...]
    findings: tuple[Finding, ...] = ()

    def walk(self) -> list[IndicatorResult]:
        """Every indicator result, parents before children."""
        found: list[IndicatorResult] = []
        stack = list(reversed(self.indicators))
        while stack:
            node = stack.pop()
            found.append(node)
            stack.extend(reversed(node.children))
        return found
