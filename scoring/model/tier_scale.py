"""The tier scale a tier fact is claimed on: the tiers of the indicator that scores it."""

from __future__ import annotations

from decimal import Decimal

from scoring.model.ruleset import Ruleset, Tier


def tier_scale(ruleset: Ruleset, fact: str) -> tuple[tuple[Tier, ...], Decimal | None]:
    """The tiers (and the weight) of the indicator that scores a tier fact."""
    for _path, _level, node in ruleset.walk():
        if node.method == "tiers" and node.fact == fact:
            return node.tiers or ruleset.tiers or (), node.weight
    return ruleset.tiers or (), None
