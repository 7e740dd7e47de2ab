"""Intervals with open and closed ends: membership, emptiness, unions, gaps and coverage.

Cases write intervals as a scoring table's interval reads in mathematics: ``[0.8, 0.9)`` is
80%（含）–90%, ``(-∞, 0.6)`` is 低于60%, ``[0, 0]`` the single value 0.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from scoring.model.intervals import Interval, covers, gaps, union
from tests.strategies import INTERVAL_GRID, intervals


def interval(text: str) -> Interval:
    """``"[0.8, 0.9)"`` → Interval(0.8, closed, 0.9, open); ``∞`` is an unbounded end."""
    low, high = (end.strip() for end in text[1:-1].split(","))
    return Interval(
        None if low == "-∞" else Decimal(low),
        text[0] == "[",
        None if high == "∞" else Decimal(high),
        text[-1] == "]",
    )


def pieces(*texts: str) -> list[Interval]:
    return [interval(text) for text in texts]


@pytest.mark.parametrize(
    ("text", "value", "expected"),
    [
        pytest.param("[0.8, 0.9)", "0.8", True, id="closed_low_end_included"),
        pytest.param("[0.8, 0.9)", "0.85", True, id="inside"),
        pytest.param("[0.8, 0.9)", "0.9", False, id="open_high_end_excluded"),
        pytest.param("[0.8, 0.9)", "0.79999", False, id="just_below"),
        pytest.param("(0, 0.1]", "0", False, id="open_low_end_excluded"),
        pytest.param("(0, 0.1]", "0.1", True, id="closed_high_end_included"),
        pytest.param("(0, 0.1]", "0.0000000001", True, id="just_above_an_open_end"),
        pytest.param("[0, 0]", "0", True, id="single_point"),
        pytest.param("[0, 0]", "0.0001", False, id="next_to_a_single_point"),
        pytest.param("(-∞, 0.6)", "-1000", True, id="unbounded_below"),
        pytest.param("(-∞, 0.6)", "0.6", False, id="unbounded_below_open_high"),
        pytest.param("[0.9, ∞)", "100000000000000", True, id="unbounded_above"),
        pytest.param("[0.9, ∞)", "0.8999", False, id="unbounded_above_below_low"),
        pytest.param("(-∞, ∞)", "0", True, id="unbounded_both"),
        pytest.param("(5, 5)", "5", False, id="empty_holds_nothing"),
    ],
)
def test_contains(text, value, expected):
    assert interval(text).contains(Decimal(value)) is expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("[1, 1]", False, id="single_point"),
        pytest.param("[1, 1)", True, id="point_open_high"),
        pytest.param("(1, 1]", True, id="point_open_low"),
        pytest.param("(1, 1)", True, id="point_both_open"),
        pytest.param("[2, 1]", True, id="ends_cross"),
        pytest.param("[1, 2]", False, id="ordinary"),
        pytest.param("(-∞, 1)", False, id="unbounded_below"),
        pytest.param("(1, ∞)", False, id="unbounded_above"),
        pytest.param("(-∞, ∞)", False, id="unbounded_both"),
    ],
)
def test_empty(text, expected):
    assert interval(text).empty is expected


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        pytest.param("[0.8, 0.9)", "≥ 0.8 and < 0.9", id="closed_open"),
        pytest.param("(0, 0.1]", "> 0 and ≤ 0.1", id="open_closed"),
        pytest.param("[0, 0]", "= 0", id="single_point"),
        pytest.param("(0.1, 0.1)", "> 0.1 and < 0.1", id="empty_point_is_no_equals"),
        pytest.param("(-∞, 0.6)", "< 0.6", id="unbounded_below"),
        pytest.param("[0.9, ∞)", "≥ 0.9", id="unbounded_above"),
        pytest.param("(-∞, ∞)", "any value", id="unbounded_both"),
        pytest.param("[0.10, 1E+1]", "≥ 0.10 and ≤ 10", id="numbers_as_written"),
    ],
)
def test_str_reads_like_the_scoring_table(text, shown):
    assert str(interval(text)) == shown


@pytest.mark.parametrize(
    ("first", "second", "expected"),
    [
        pytest.param("[0.8, 0.9)", "[0.9, ∞)", False, id="touching_one_end_open"),
        pytest.param("[0.8, 0.9]", "[0.9, ∞)", True, id="sharing_one_point"),
        pytest.param("(0, 0.1]", "[0, 0]", False, id="point_at_an_open_end"),
        pytest.param("(-∞, 1)", "(0, ∞)", True, id="unbounded_overlap"),
        pytest.param("[2, 1]", "(-∞, ∞)", False, id="empty_meets_nothing"),
    ],
)
def test_intersects(first, second, expected):
    assert interval(first).intersects(interval(second)) is expected
    assert interval(second).intersects(interval(first)) is expected


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        pytest.param(["[0.8, 0.9)", "[0.9, ∞)"], ["[0.8, ∞)"], id="touching_ends_join"),
        pytest.param(["[0, 1)", "(1, 2]"], ["[0, 1)", "(1, 2]"], id="both_open_stay_apart"),
        pytest.param(["[0, 1)", "[1, 1]", "(1, 2]"], ["[0, 2]"], id="a_point_closes_the_hole"),
        pytest.param(["[0, 2]", "[1, 3)"], ["[0, 3)"], id="overlapping"),
        pytest.param(["[0, 3]", "(1, 2)"], ["[0, 3]"], id="contained"),
        pytest.param(["(0, 1]", "[0, 0.5]"], ["[0, 1]"], id="same_low_closed_wins"),
        pytest.param(
            ["[5, 6]", "[2, 1]", "(-∞, 0]"], ["(-∞, 0]", "[5, 6]"], id="sorted_empty_dropped"
        ),
        pytest.param(["[0, ∞)", "[5, 6]"], ["[0, ∞)"], id="unbounded_swallows"),
        pytest.param([], [], id="nothing"),
    ],
)
def test_union(given, expected):
    assert union(pieces(*given)) == pieces(*expected)


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        pytest.param(["[0.9, ∞)", "[0.6, 0.8)"], ["[0.8, 0.9)"], id="a_band_left_out"),
        pytest.param(["[0, 1)", "(1, 2]"], ["[1, 1]"], id="a_single_value"),
        pytest.param(
            ["(-∞, 0.6)", "[0.6, 0.8)", "[0.8, 0.9)", "[0.9, ∞)"], [], id="bands_that_tile"
        ),
        pytest.param(["[0, 1]", "[3, 4]", "[6, 7]"], ["(1, 3)", "(4, 6)"], id="two_gaps"),
        pytest.param(["[1, 2]"], [], id="outside_the_ends_is_no_gap"),
    ],
)
def test_gaps(given, expected):
    assert gaps(pieces(*given)) == pieces(*expected)


@pytest.mark.parametrize(
    ("given", "inner", "expected"),
    [
        pytest.param(["[0.9, ∞)"], "[0.95, ∞)", True, id="inside_unbounded"),
        pytest.param(["[0.9, ∞)"], "[0.9, 1]", True, id="same_closed_end"),
        pytest.param(["[0.9, ∞)"], "[0.8, 1]", False, id="sticks_out_below"),
        pytest.param(["[0, 1)", "[1, 2]"], "[0.5, 1.5]", True, id="only_together"),
        pytest.param(["[0, 1)", "(1, 2]"], "[0.5, 1.5]", False, id="a_hole_at_one_value"),
        pytest.param(["(0, 1]"], "[0, 0.5]", False, id="closed_end_beside_open_end"),
        pytest.param(["[0, 1]"], "(0, 1)", True, id="open_inside_closed"),
        pytest.param(["(-∞, 0]"], "(-∞, -1]", True, id="unbounded_inside_unbounded"),
        pytest.param(["[0, ∞)"], "(-∞, ∞)", False, id="unbounded_sticks_out"),
        pytest.param([], "[0, 1]", False, id="nothing_covers"),
    ],
)
def test_covers(given, inner, expected):
    assert covers(pieces(*given), interval(inner)) is expected


# Properties. Interval ends are whole numbers, so checking every half number around them checks
# every value (between two whole numbers, the half number stands for all of them).

INTERVAL_LISTS = st.lists(intervals(), max_size=5)


def _in_any(value: Decimal, found: list[Interval]) -> bool:
    return any(piece.contains(value) for piece in found)


@given(intervals())
def test_empty_exactly_when_no_value_lies_in_it(drawn):
    assert drawn.empty is not any(drawn.contains(value) for value in INTERVAL_GRID)


@given(intervals(), intervals())
def test_intersects_exactly_when_a_value_lies_in_both(first, second):
    both = any(first.contains(v) and second.contains(v) for v in INTERVAL_GRID)
    assert first.intersects(second) is both


@given(INTERVAL_LISTS)
def test_a_value_is_in_the_union_exactly_when_it_is_in_some_interval(drawn):
    merged = union(drawn)
    for value in INTERVAL_GRID:
        assert _in_any(value, merged) is _in_any(value, drawn)


@given(INTERVAL_LISTS)
def test_union_pieces_are_ascending_apart_and_never_empty(drawn):
    merged = union(drawn)
    assert not any(piece.empty for piece in merged)
    for value in INTERVAL_GRID:
        assert sum(piece.contains(value) for piece in merged) <= 1
    inside = [[v for v in INTERVAL_GRID if piece.contains(v)] for piece in merged]
    assert inside == sorted(inside)
    for gap in gaps(drawn):  # one between each pair of pieces, never empty
        assert any(gap.contains(value) for value in INTERVAL_GRID)
    assert len(gaps(drawn)) == max(len(merged) - 1, 0)


@given(INTERVAL_LISTS)
def test_gaps_hold_exactly_the_uncovered_values_between_the_intervals(drawn):
    covered = [value for value in INTERVAL_GRID if _in_any(value, drawn)]
    holes = gaps(drawn)
    for value in INTERVAL_GRID:
        between = bool(covered) and covered[0] < value < covered[-1]
        assert _in_any(value, holes) is (between and not _in_any(value, drawn))


@given(INTERVAL_LISTS, intervals())
def test_covers_exactly_when_every_value_of_the_interval_is_covered(drawn, inner):
    if inner.empty:
        return
    inside = [value for value in INTERVAL_GRID if inner.contains(value)]
    assert covers(drawn, inner) is all(_in_any(value, drawn) for value in inside)


@pytest.mark.usefixtures("chinese")
@pytest.mark.parametrize(
    ("text", "shown"),
    [
        pytest.param("[0.8, 0.9)", "≥ 0.8 且 < 0.9", id="closed_open"),
        pytest.param("[0, 0]", "= 0", id="single_point"),
        pytest.param("[0.9, ∞)", "≥ 0.9", id="unbounded_above"),
        pytest.param("(-∞, ∞)", "任意值", id="unbounded_both"),
    ],
)
def test_str_in_chinese(text, shown):
    assert str(interval(text)) == shown
