"""A ruleset's worked examples (``tests:``): facts in, the figures they must give out."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from pydantic import Field

from scoring.model.base import Model


class Expectation(Model):
    """What a worked example in a ruleset must give."""

    total: Decimal | None = None
    grade: str | None = None
    scores: dict[str, Decimal] = Field(default_factory=dict)
    derived: dict[str, Decimal | str] = Field(default_factory=dict)
    notes: tuple[str, ...] = ()
    error: str | None = None


class RulesetTest(Model):
    """A worked example the bureau publishes with its rules: facts and what they must score."""

    name: str = Field(min_length=1)
    facts: dict[str, Any] = Field(default_factory=dict)
    not_applicable: tuple[str, ...] = ()
    panel: dict[str, dict[str, Decimal]] = Field(
        default_factory=dict, description="indicator path → assessor → score (专家评分)"
    )
    expect: Expectation
