"""A ruleset's panel: section: the section's rule, an indicator's own over it, the checks."""

from __future__ import annotations

from decimal import Decimal

import pytest
from pydantic import ValidationError

from scoring.model.panel import Panel


def test_an_indicators_own_rule_overrides_only_what_it_says():
    panel = Panel.model_validate(
        {
            "combine": "median",
            "spread": 2,
            "indicators": {"a.b": {"combine": "trimmed_mean", "min_size": 5}},
        }
    )
    own = panel.rule_for("a.b")
    assert (own.combine, own.min_size, own.spread) == ("trimmed_mean", 5, Decimal(2))
    other = panel.rule_for("a.c")
    assert (other.combine, other.min_size, other.spread) == ("median", None, Decimal(2))


@pytest.mark.parametrize(
    "section",
    [
        {"combine": "trimmed_mean"},
        {"combine": "trimmed_mean", "min_size": 2},
        {"min_size": 2, "indicators": {"a": {"combine": "trimmed_mean"}}},
    ],
)
def test_a_trimmed_mean_needs_at_least_three(section):
    with pytest.raises(ValidationError, match="at least 3"):
        Panel.model_validate(section)


def test_unknown_ways_and_negative_spreads_are_refused():
    with pytest.raises(ValidationError):
        Panel.model_validate({"combine": "average"})
    with pytest.raises(ValidationError):
        Panel.model_validate({"spread": -1})
