"""Properties of the monitoring lights: monotone in completion; 12/12 is the plain completion rate."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from hypothesis import given
from hypothesis import strategies as st

from scoring.methods.lights import LIGHT_METHODS, Reading
from scoring.model.monitoring import LIGHT_ORDER, Milestone, Monitored, Monitoring

SECTION = Monitoring(indicators={"x": Monitored(method="progress")})
STAGED = Monitored(
    method="milestones",
    milestones=(Milestone(month=4, share=Decimal("0.3")), Milestone(month=9, share=Decimal("0.7"))),
)
ENTRIES = {
    "progress": Monitored(method="progress"),
    "budget_pace": Monitored(method="budget_pace"),
    "milestones": STAGED,
}
amounts = st.decimals(min_value=0, max_value=10**6, places=2, allow_nan=False, allow_infinity=False)
targets = st.decimals(
    min_value=Decimal("0.01"), max_value=10**6, places=2, allow_nan=False, allow_infinity=False
)
months = st.integers(min_value=1, max_value=12)


def lit(method: str, actual: Decimal, target: Decimal, month: int) -> int:
    read = Reading(ENTRIES[method], SECTION, month, 2, actual, target)
    return LIGHT_ORDER.index(LIGHT_METHODS[method].light(read).light)


@given(st.sampled_from(sorted(ENTRIES)), amounts, amounts, targets, months)
def test_more_completed_never_gives_a_worse_light(method, one, other, target, month):
    low, high = sorted((one, other))
    assert lit(method, low, target, month) <= lit(method, high, target, month)


@given(amounts, amounts, targets)
def test_reverse_less_is_never_worse(one, other, target):
    low, high = sorted((one, other))
    light = lambda value: LIGHT_ORDER.index(  # noqa: E731
        LIGHT_METHODS["reverse"]
        .light(Reading(Monitored(method="reverse"), SECTION, 7, 2, value, target))
        .light
    )
    assert light(low) >= light(high)


@given(st.sampled_from(["progress", "budget_pace"]), amounts, targets)
def test_at_twelve_months_the_pace_is_the_plain_completion_rate(method, actual, target):
    read = Reading(ENTRIES[method], SECTION, 12, 2, actual, target)
    plain = (actual / target * 100).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    assert LIGHT_METHODS[method].light(read).rate == plain


def test_no_rows_give_no_light():
    from scoring.model.monitoring import worst

    assert worst([]) is None
    assert worst(["blue", "green", "yellow"]) == "yellow"
