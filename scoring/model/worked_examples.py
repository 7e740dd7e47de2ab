"""A ruleset's worked examples (``tests:``): facts in, the scores or the lights they must give.

A finance bureau publishes its rules with examples, and ``scoring test`` runs them. An example
with ``as_of`` (a month, ``2022-07``) is a monitoring example: its facts are the year's as of
that month, ``monitoring:`` holds what the unit says per indicator, and it expects the lights
of the 绩效运行监控表 (docs/format.md §11) rather than scores.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from pydantic import Field, field_validator, model_validator

from scoring.i18n import _
from scoring.model.base import Model
from scoring.model.monitoring import LIGHT_WORDS, Light

LIGHTS_BY_WORD = {word: light for light, word in LIGHT_WORDS.items()}
"""A light as the 监控表 writes it (``黄灯``), which an example may write instead of ``yellow``."""


def _light(value: Any) -> Any:
    return LIGHTS_BY_WORD.get(value, value) if isinstance(value, str) else value


class Expectation(Model):
    """What a worked example in a ruleset must give."""

    total: Decimal | None = None
    grade: str | None = None
    scores: dict[str, Decimal] = Field(default_factory=dict)
    derived: dict[str, Decimal | str] = Field(default_factory=dict)
    notes: tuple[str, ...] = ()
    error: str | None = None
    lights: dict[str, Light] = Field(
        default_factory=dict, description="monitoring: the light of each monitored path"
    )
    light: Light | None = Field(default=None, description="monitoring: the project's light")
    treatment: str | None = None
    reduction: Decimal | None = None

    @field_validator("lights", mode="before")
    @classmethod
    def _lights_in_words(cls, value: Any) -> Any:
        if isinstance(value, dict):
            return {path: _light(light) for path, light in value.items()}
        return value

    @field_validator("light", mode="before")
    @classmethod
    def _light_in_words(cls, value: Any) -> Any:
        return _light(value)


class RulesetTest(Model):
    """A worked example the bureau publishes with its rules: facts and what they must score."""

    name: str = Field(min_length=1)
    facts: dict[str, Any] = Field(default_factory=dict)
    not_applicable: tuple[str, ...] = ()
    as_of: str | None = Field(default=None, description="monitoring: the month, YYYY-MM")
    monitoring: dict[str, Any] | None = Field(
        default=None, description="monitoring: per path its statement and explanations"
    )
    panel: dict[str, dict[str, Decimal]] = Field(
        default_factory=dict, description="indicator path → assessor → score (专家评分)"
    )
    expect: Expectation

    @model_validator(mode="after")
    def _scores_or_lights(self) -> RulesetTest:
        expect = self.expect
        lights = bool(expect.lights) or expect.light is not None
        scores = expect.total is not None or expect.grade is not None or bool(expect.scores)
        if self.as_of is None and (lights or self.monitoring is not None):
            message = _("lights are expected of a monitoring example: give its month (as_of)")
            raise ValueError(message)
        if self.as_of is not None and (scores or expect.derived):
            message = _("a monitoring example (as_of) expects lights, not scores")
            raise ValueError(message)
        return self
