"""The light methods of 绩效运行监控: each one's light, wording and gap, and the registry."""

from __future__ import annotations

import re
import typing
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from scoring.errors import EvaluationError
from scoring.methods.lights import LIGHT_METHODS, Reading
from scoring.methods.lights.spec import still_needed
from scoring.model.monitoring import LightMethodName, Milestone, Monitored, Monitoring
from tests.conftest import ROOT

SECTION = Monitoring(indicators={"x": Monitored(method="progress")})


def reading(method: str, actual: str | None, target: str | None, month: int = 6, **kw):
    entry = Monitored(method=method, **kw)
    number = lambda text: None if text is None else Decimal(text)  # noqa: E731
    statement = kw.pop("statement", None) if "statement" in kw else None
    return Reading(entry, SECTION, month, 2, number(actual), number(target), statement)


def light(method: str, actual: str, target: str, month: int = 6, **kw) -> str:
    return LIGHT_METHODS[method].light(reading(method, actual, target, month, **kw)).light


def test_every_model_method_is_registered_and_documented():
    names = set(typing.get_args(LightMethodName))
    assert names == set(LIGHT_METHODS)
    docs = (ROOT / "docs" / "format.md").read_text(encoding="utf-8")
    section = docs[docs.index("## 11. Monitoring") :]
    documented = set(re.findall(r"^\| `(\w+)`", section, re.MULTILINE))
    assert names <= documented


@pytest.mark.parametrize(
    ("actual", "expected"),
    [("29.99", "red"), ("30", "yellow"), ("39.99", "yellow"), ("40", "green"),
     ("59.99", "green"), ("60", "blue")],
)  # fmt: skip
def test_progress_lights_at_each_edge_of_the_pro_rata_target(actual, expected):
    # target 100 as of June: 50 is due, so 30 is 60%, 40 is 80%, 60 is 120%
    assert light("progress", actual, "100", 6) == expected


def test_progress_explains_its_arithmetic_and_what_is_due():
    judged = LIGHT_METHODS["progress"].light(reading("progress", "20", "48", 7, unit="人"))
    assert judged.rate == Decimal("71.43")
    assert judged.due == Decimal(28)
    assert judged.explanation == "20人 / (48人 × 7 / 12) × 100 = 71.43"


def test_budget_pace_is_never_blue_and_refuses_a_zero_budget():
    assert light("budget_pace", "100", "100", 6) == "green"  # 200% of the pace
    with pytest.raises(EvaluationError, match="the budget is 0"):
        light("budget_pace", "0", "0", 6)
    with pytest.raises(EvaluationError, match="the annual target is 0"):
        light("progress", "1", "0", 6)


def test_reverse_is_green_within_the_target_and_strict_excludes_it():
    assert light("reverse", "5", "5") == "green"
    assert light("reverse", "5.01", "5") == "red"
    assert light("reverse", "5", "5", strict=True) == "red"
    judged = LIGHT_METHODS["reverse"].light(reading("reverse", "6", "5"))
    assert judged.explanation == "6 > 5"
    assert LIGHT_METHODS["reverse"].gap(reading("reverse", "6", "5"), judged) == "需降至 ≤ 5"


def test_qualitative_lights_the_three_statements():
    spec = LIGHT_METHODS["qualitative"]
    lights = {
        text: spec.light(
            Reading(Monitored(method="qualitative"), SECTION, 7, 2, statement=text)
        ).light
        for text in SECTION.statements
    }
    assert lights == {
        "达成目标": "green",
        "部分达成目标并具有一定效果": "yellow",
        "未达成目标且效果较差": "red",
    }


STAGES = (Milestone(month=7, share=Decimal("0.4")), Milestone(month=11, share=Decimal("0.8")))


def test_milestones_take_the_last_stage_due_and_nothing_before_the_first():
    assert light("milestones", "0", "100", 6, milestones=STAGES) == "green"  # nothing due yet
    assert light("milestones", "31", "100", 7, milestones=STAGES) == "yellow"  # 77.5% of 40
    assert light("milestones", "32", "100", 10, milestones=STAGES) == "green"  # still July's 40
    assert light("milestones", "32", "100", 11, milestones=STAGES) == "red"  # 40% of 80


def test_gap_says_what_is_left_for_green_by_year_end():
    spec = LIGHT_METHODS["progress"]
    read = reading("progress", "20", "48", 7, unit="人")
    # a row the engine has not marked as a count (whole) is advised as computed
    assert spec.gap(read, spec.light(read)) == "年底前还需完成 18.4人（全年达到 38.4人 为绿灯）"
    done = reading("progress", "40", "48", 7)
    assert spec.gap(done, spec.light(done)) == "已达全年绿灯所需（38.4）"
    staged = reading("milestones", "20", "100", 7, milestones=STAGES)
    assert LIGHT_METHODS["milestones"].gap(staged, LIGHT_METHODS["milestones"].light(staged)) == (
        "年底前还需完成 44（全年达到 64 为绿灯）"
    )


def test_thresholds_are_data_a_ruleset_can_replace():
    own = Monitoring.model_validate(
        {
            "indicators": {"x": {"method": "progress"}},
            "progress": {"yellow_from": 50, "green_from": 90},
        }
    )
    read = Reading(Monitored(method="progress"), own, 12, 2, Decimal(85), Decimal(100))
    assert LIGHT_METHODS["progress"].light(read).light == "yellow"
    assert "< 50 红灯，50–90 黄灯，≥ 90 绿灯" in LIGHT_METHODS["progress"].wording(own, read.entry)


def test_milestones_refuse_a_zero_target_once_a_stage_is_due():
    with pytest.raises(EvaluationError, match="the annual target is 0"):
        light("milestones", "1", "0", 7, milestones=STAGES)


def test_a_count_is_advised_in_whole_numbers_rounded_up():
    spec = LIGHT_METHODS["progress"]
    read = reading("progress", "20", "48", 7, unit="人", whole=True)
    assert spec.gap(read, spec.light(read)) == "年底前还需完成 19人（全年达到 39人 为绿灯）"
    done = reading("progress", "39", "48", 7, unit="人", whole=True)
    assert spec.gap(done, spec.light(done)) == "已达全年绿灯所需（39人）"
    staged = reading("milestones", "20", "99", 7, milestones=STAGES, whole=True)
    assert LIGHT_METHODS["milestones"].gap(staged, LIGHT_METHODS["milestones"].light(staged)) == (
        "年底前还需完成 44（全年达到 64 为绿灯）"  # 63.36, rounded up
    )


@given(
    target=st.integers(min_value=1, max_value=100_000),
    actual=st.integers(min_value=0, max_value=200_000),
    green_from=st.decimals(min_value=1, max_value=100, places=1),
    method=st.sampled_from(["progress", "budget_pace", "milestones"]),
    month=st.integers(min_value=1, max_value=12),
)
def test_completing_the_advised_whole_amount_reaches_green(
    target: int, actual: int, green_from: Decimal, method: str, month: int
):
    own = Monitoring.model_validate(
        {
            "indicators": {"x": {"method": method}},
            method: {"yellow_from": green_from / 2, "green_from": green_from},
        }
    )
    stages = STAGES if method == "milestones" else None
    entry = Monitored(method=method, whole=True, milestones=stages)
    now = Reading(entry, own, month, 2, Decimal(actual), Decimal(target))
    needed, left = still_needed(now, STAGES[-1].share if stages else Decimal(1))
    assert left == left.to_integral_value()
    assert needed == needed.to_integral_value()
    assert left < 1 or actual + left - 1 < needed  # never more than is needed
    year_end = Reading(entry, own, 12, 2, Decimal(actual) + left, Decimal(target))
    assert LIGHT_METHODS[method].light(year_end).light in ("green", "blue")
