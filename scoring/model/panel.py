"""An expert panel (专家评分) in a ruleset: how several assessors' scores for an indicator combine.

The official form is the mean, (专家1+…+专家n)/n; a ruleset may instead take the median, or the
mean once the highest and lowest are dropped (``trimmed_mean``), for every indicator or for some.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Literal

from pydantic import Field, model_validator

from scoring.i18n import _
from scoring.model.base import Model

Combine = Literal["mean", "median", "trimmed_mean"]
TRIM_LEAST = 3
"""Dropping the highest and the lowest leaves something only from three scores on."""
DEFAULT_EXPERTS = 5
"""A template's expert columns when the ruleset does not say: a 专家组 of five, as is usual."""
MAX_EXPERTS = 99
"""The most expert columns a 专家评分 sheet is read with (the indicators' column, then these)."""


class PanelRule(Model):
    """How one indicator's assessors' scores combine into its score."""

    combine: Combine | None = Field(
        default=None,
        description="mean (the official form), median, or trimmed_mean (drop the highest and "
        "the lowest); mean when not said",
    )
    min_size: int | None = Field(
        default=None,
        ge=1,
        description="the fewest assessors the combination needs; a smaller panel is refused "
        "unless a fallback is declared",
    )
    fallback: Literal["mean"] | None = Field(
        default=None, description="how a panel smaller than min_size combines instead"
    )
    spread: Decimal | None = Field(
        default=None,
        ge=0,
        description="flag a panel whose highest and lowest scores differ by more than this",
    )


class Panel(PanelRule):
    """A ruleset's ``panel:`` section: the rule for every indicator, and exceptions by path."""

    indicators: dict[str, PanelRule] = Field(
        default_factory=dict,
        description="indicator path → its own rule; what it leaves out comes from the section",
    )
    experts: int | None = Field(
        default=None,
        ge=1,
        le=MAX_EXPERTS,
        description="the expert columns (专家1…专家N) of the facts template's 专家评分 sheet; "
        "default 5, or the largest min_size when that is more",
    )

    @property
    def expert_columns(self) -> int:
        """How many expert columns the template's 专家评分 sheet has."""
        if self.experts is not None:
            return self.experts
        sizes = [rule.min_size or 0 for rule in (self, *self.indicators.values())]
        return max(DEFAULT_EXPERTS, *sizes)

    def rule_for(self, path: str) -> PanelRule:
        """The rule for the indicator at ``path``: its own fields over the section's."""
        own = self.indicators.get(path)
        fields = {name: getattr(self, name) for name in PanelRule.model_fields}
        if own is not None:
            fields |= {name: getattr(own, name) for name in own.model_fields_set}
        return PanelRule(**fields)

    @model_validator(mode="after")
    def _trimmed_has_room(self) -> Panel:
        for path in ("", *self.indicators):
            rule = self.rule_for(path) if path else self
            if rule.combine == "trimmed_mean" and (rule.min_size or 0) < TRIM_LEAST:
                where = f" ({path})" if path else ""
                message = _(
                    "trimmed_mean needs min_size of at least {least}{where}: it drops the "
                    "highest and the lowest score"
                ).format(least=TRIM_LEAST, where=where)
                raise ValueError(message)
        return self
