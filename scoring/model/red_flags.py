"""A ruleset's ``red_flags:``: what marks a unit of a batch for a closer look (复核).

Each rule is something a finance bureau looks for across a year's self-evaluations: a unit that
gives itself every point, a unit that declares much of the weight 不适用 (rescaling then makes a
small applicable part look like a whole), a unit claiming more than its facts give, and units
whose facts are the same figure for figure (copied from one another, or from a template).
"""

from __future__ import annotations

from decimal import Decimal

from pydantic import Field

from scoring.model.base import Model


class RedFlags(Model):
    """The red flags of a batch summary, with their thresholds; a rule set to false is off."""

    full_marks: bool = Field(
        default=True,
        description="flag a unit whose every applicable indicator is at full marks: a "
        "self-evaluation that finds nothing to improve is the first one a bureau checks",
    )
    not_applicable_share: Decimal | None = Field(
        default=Decimal("0.3"),
        gt=0,
        le=1,
        description="flag a unit whose 不适用 indicators carry at least this share of the "
        "total (0.3 for 30%): its total is rescaled from what is left; null: off",
    )
    self_score_margin: Decimal | None = Field(
        default=Decimal(5),
        ge=0,
        description="flag a unit whose own claimed total (a table's 自评总分 column) is more "
        "than this many points above the total its facts give: the gap a 复核 of the "
        "self-evaluation looks for; null: off",
    )
    identical_facts: bool = Field(
        default=True,
        description="flag a unit whose facts (values, 不适用, overrides) are the same as an "
        "earlier unit's in the batch: one unit's figures copied into another's report",
    )
