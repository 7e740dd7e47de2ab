"""Pydantic models of a facts file: a subject's facts, its 不适用 indicators and overrides.

An auditor's overrides file (:class:`AuditOverrides`) is layered on top at scoring.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Any

from pydantic import BeforeValidator, Field, PlainSerializer, WithJsonSchema

from scoring.model.base import Model, plain
from scoring.model.panel import Combine

FactNumber = Annotated[Decimal, PlainSerializer(plain, return_type=str, when_used="json")]
"""A number a person gave, written in a result without an exponent (``0.0000001``, not ``1E-7``),
so that ``scoring verify`` reads it back by the same rules as a facts file."""


class TierClaim(Model):
    """A 定性 fact as the unit states it: the tier, and optionally the points and why."""

    tier: str
    score: FactNumber | None = None
    note: str | None = None


FactValue = FactNumber | bool | TierClaim | str | tuple[str, ...]
"""A number, yes/no, a 定性 claim, the option chosen for a choice fact, a date as its ISO text
(``2022-12-28``), or a list fact's items."""


def _as_text(value: Any) -> Any:
    if isinstance(value, Decimal):
        return plain(value)
    return str(value) if isinstance(value, int) and not isinstance(value, bool) else value


SubjectText = Annotated[
    str, BeforeValidator(_as_text), WithJsonSchema({"type": ["string", "number"]})
]
"""A subject's value, kept as text: ``year: 2022`` and ``year: "2022"`` are one year."""


class AssessorScore(Model):
    """One assessor's score for an indicator."""

    name: str
    score: FactNumber


class PanelRecord(Model):
    """An expert panel's scores for one indicator, as given, and how they were combined."""

    scores: tuple[AssessorScore, ...] = Field(description="each assessor's, in the order given")
    combine: Combine = Field(description="how they were combined (mean when fallen back)")
    declared: Combine = Field(description="how the ruleset says to combine them")
    spread: FactNumber = Field(description="the highest score less the lowest")
    spread_limit: FactNumber | None = Field(
        default=None, description="the ruleset's threshold: a wider spread is flagged"
    )

    @property
    def by_name(self) -> dict[str, Decimal]:
        """Each assessor's score, by the assessor's name."""
        return {entry.name: entry.score for entry in self.scores}

    @property
    def flagged(self) -> bool:
        """Whether the assessors disagree by more than the ruleset allows."""
        return self.spread_limit is not None and self.spread > self.spread_limit


class Override(Model):
    """Points a person sets for one indicator, in place of the computed score, and why.

    An expert panel's combined score is an override too, with the panel's record in ``panel``.
    """

    points: FactNumber
    reason: str = Field(min_length=1, description="required: why the computed score is replaced")
    by: str = Field(min_length=1, description="who set it")
    panel: PanelRecord | None = Field(
        default=None,
        exclude_if=lambda value: value is None,
        description="the expert panel whose combined score this is (a facts file's panel:)",
    )


class Facts(Model):
    """A department's facts for one ruleset, with the indicators it declares 不适用.

    ``overrides`` are the department's own judgements (e.g. the score inside a 定性 tier is a
    person's call, or an actual that cannot be computed); an auditor's come in a separate file and
    are layered on top at scoring.
    """

    ruleset: str | None = None
    subject: dict[str, SubjectText] = Field(
        default_factory=dict, description="who is scored: unit, project, year …"
    )
    facts: dict[str, FactValue] = Field(default_factory=dict)
    not_applicable: tuple[str, ...] = ()
    overrides: dict[str, Override] = Field(default_factory=dict)


class AuditOverrides(Model):
    """An auditor's overrides file: points per indicator path, each with its reason and who."""

    overrides: dict[str, Override] = Field(default_factory=dict)
