"""Fact values as people type them: each form read with one exact meaning, or refused with a way out."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from scoring.model.base import MAX_MAGNITUDE, MAX_PLACES, check_number
from scoring.model.ruleset import FactSpec
from scoring.model.values import UnreadableError, boolean, cut, number

AMOUNT = FactSpec(unit="万元", min=Decimal(0))
RATE = FactSpec(unit="%", min=Decimal(0), max=Decimal(1))
OPEN_RATE = FactSpec(unit="%", min=Decimal(0))
OVER_RATE = FactSpec(unit="%", min=Decimal(0), max=Decimal(5))
PLAIN = FactSpec()


@pytest.mark.parametrize(
    ("value", "spec", "expected"),
    [
        pytest.param(Decimal("52.05"), AMOUNT, "52.05", id="yaml_number"),
        pytest.param(48, AMOUNT, "48", id="yaml_integer"),
        pytest.param("52.05", AMOUNT, "52.05", id="numeric_text"),
        pytest.param("５２．０５", AMOUNT, "52.05", id="full_width_digits"),
        pytest.param("１，２８０", AMOUNT, "1280", id="full_width_comma"),
        pytest.param(" 48 ", AMOUNT, "48", id="spaces_around"),
        pytest.param("1,280", AMOUNT, "1280", id="thousands"),
        pytest.param("1,280,000.50", AMOUNT, "1280000.50", id="thousands_and_decimals"),
        pytest.param("128万元", AMOUNT, "128", id="declared_unit_after"),
        pytest.param("128 万元", AMOUNT, "128", id="declared_unit_after_a_space"),
        pytest.param("-3", PLAIN, "-3", id="negative_text"),
        pytest.param("86.75%", RATE, "0.8675", id="percent_for_a_rate"),
        pytest.param("８６．７５％", RATE, "0.8675", id="full_width_percent"),
        pytest.param(Decimal("0.8675"), RATE, "0.8675", id="rate_as_fraction"),
        pytest.param("230.25%", OPEN_RATE, "2.3025", id="percent_above_100"),
        pytest.param(Decimal("2.3025"), OVER_RATE, "2.3025", id="fraction_above_1_when_allowed"),
        pytest.param("", AMOUNT, None, id="empty_text_is_empty"),
        pytest.param("　", AMOUNT, None, id="full_width_space_is_empty"),
    ],
)
def test_numbers_are_read_with_one_exact_meaning(value, spec, expected):
    found = number(value, spec)
    assert (None if found is None else format(found, "f")) == expected


@pytest.mark.parametrize(
    ("value", "spec", "message"),
    [
        pytest.param("1,28", AMOUNT, "expected a number, found text '1,28': write digits only in 万元, e.g. 1280 or 52.05 (a comma only between groups of three)", id="comma_as_decimal_point"),
        pytest.param("12,80", AMOUNT, "expected a number, found text '12,80': write digits only in 万元, e.g. 1280 or 52.05 (a comma only between groups of three)", id="comma_misplaced"),
        pytest.param("1e400", PLAIN, "expected a number, found text '1e400': write digits only, e.g. 1280 or 52.05 (a comma only between groups of three)", id="exponent"),
        pytest.param("128元", AMOUNT, "expected a number, found text '128元': write digits only in 万元, e.g. 1280 or 52.05 (a comma only between groups of three)", id="another_unit"),
        pytest.param("86.75%", AMOUNT, "'86.75%' is a percentage, but this fact is in 万元: write the number alone", id="percent_for_an_amount"),
        pytest.param("86.75%", PLAIN, "'86.75%' is a percentage, but this fact is in plain numbers: write the number alone", id="percent_for_a_plain_number"),
        pytest.param(Decimal("97.7"), RATE, "97.7 for a rate would be 9770%: write 97.7% (or 0.977)", id="rate_as_percent_points"),
        pytest.param("97.7", OPEN_RATE, "97.7 for a rate would be 9770%: write 97.7% (or 0.977)", id="rate_text_as_percent_points"),
        pytest.param("abc", RATE, "expected a number, found text 'abc': write a rate as 86.75% or 0.8675", id="text_for_a_rate"),
        pytest.param(True, AMOUNT, "expected a number, found true (a yes/no value)", id="boolean"),
        pytest.param(Decimal("NaN"), AMOUNT, "expected a finite number, found NaN", id="nan"),
        pytest.param(Decimal("Infinity"), AMOUNT, "expected a finite number, found Infinity", id="infinity"),
        pytest.param("NaN", AMOUNT, "expected a number, found text 'NaN': write digits only in 万元, e.g. 1280 or 52.05 (a comma only between groups of three)", id="nan_text"),
        pytest.param([1], AMOUNT, "expected a number, found [1]", id="list"),
    ],
)  # fmt: skip
def test_unreadable_numbers_say_how_to_write_them(value, spec, message):
    with pytest.raises(UnreadableError) as caught:
        number(value, spec)
    assert str(caught.value) == message


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (True, True),
        (False, False),
        ("是", True),
        ("否", False),
        ("TRUE", True),
        (" false ", False),
        ("", None),
    ],
)
def test_yes_no_facts(value, expected):
    assert boolean(value) is expected


@pytest.mark.parametrize("value", ["对", 1, "yes please", Decimal(0)])
def test_other_yes_no_values_are_refused(value):
    with pytest.raises(UnreadableError, match=r"expected true or false \(是 or 否\)"):
        boolean(value)


@given(st.decimals(allow_nan=False, allow_infinity=False, places=2, min_value=0, max_value=10**9))
def test_grouped_text_reads_as_the_same_number(amount):
    assert number(f"{amount:,}", AMOUNT) == amount
    assert number(str(amount), AMOUNT) == amount


@given(st.text(max_size=12))
def test_any_text_is_read_or_refused_never_crashes(text):
    try:
        found = number(text, AMOUNT)
    except UnreadableError:
        return
    assert found is None or found.is_finite()


def test_digits_of_other_scripts_are_refused():
    with pytest.raises(UnreadableError):
        number("٣", AMOUNT)  # Arabic-Indic 3: not something a finance clerk types by accident


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("1E+1000000", "1E+1000000 is too large (numbers must stay below 1,000,000,000,000,000)"),
        ("1E-1000026", "1E-1000026 has more than 10 decimal places"),
        ("0.00000000001", "0.00000000001 has more than 10 decimal places"),
    ],
)
def test_numbers_beyond_the_decimal_context_are_refused_without_overflow(value, message):
    from scoring.model.base import check_number

    with pytest.raises(ValueError, match=re.escape(message)):
        check_number(Decimal(value))


def test_trailing_zeros_do_not_count_as_decimal_places():
    from scoring.model.base import check_number

    assert check_number(Decimal("12.5000000000000")) == Decimal("12.5")


@pytest.mark.parametrize(
    ("value", "written"),
    [
        ("52.05", "52.05"),
        ("1E+3", "1000"),
        ("1.0E+999999999", "1.0E+999999999"),
        ("1E-40", "1E-40"),
    ],
)
def test_numbers_are_written_out_unless_that_would_take_thousands_of_digits(value, written):
    from scoring.model.base import plain

    assert plain(Decimal(value)) == written


def test_a_huge_number_in_a_subject_or_version_stays_short():
    from scoring.model.base import version_text
    from scoring.model.facts import Facts

    assert version_text(Decimal("1.0E+999999999")) == "1.0E+999999999"
    assert Facts(subject={"year": Decimal("1E+999999")}).subject == {"year": "1E+999999"}


@pytest.mark.parametrize(
    ("value", "message"),
    [
        pytest.param(
            Decimal("1" * 500_000 + ".5"),
            "11111111111111111111…111.5 (500,001 digits) is too large (numbers must stay below 1,000,000,000,000,000)",
            id="decimal",
        ),
        pytest.param(
            "1" * 500_000,
            "11111111111111111111…11111 (500,000 digits) is too large (numbers must stay below 1,000,000,000,000,000)",
            id="text_of_digits",
        ),
        pytest.param(
            Decimal("0." + "1" * 500_000),
            "0.111111111111111111…11111 (500,001 digits) has more than 10 decimal places",
            id="places",
        ),
        pytest.param(
            "1" * 100_000 + "x",
            "expected a number, found text '111111111111111111111111111111111111111…11111111x' (100,003 characters): write digits only in 万元, e.g. 1280 or 52.05 (a comma only between groups of three)",
            id="long_text",
        ),
    ],
)
def test_a_long_value_is_cut_in_its_message(value, message):
    with pytest.raises(UnreadableError) as caught:
        number(value, AMOUNT)
    assert str(caught.value) == message


def test_a_number_of_thirty_digits_is_still_shown_whole():
    with pytest.raises(UnreadableError, match=r"^123456789012345678901234567890 is too large"):
        number(Decimal("123456789012345678901234567890"), AMOUNT)


# --- in Chinese -----------------------------------------------------------------------------


@pytest.mark.usefixtures("chinese")
@pytest.mark.parametrize(
    ("value", "spec", "message"),
    [
        pytest.param("一百", AMOUNT, "应为数字，实际为文字 '一百'：请只写以万元为单位的数字，如 1280 或 52.05（逗号只能用于每三位分隔）", id="text_for_an_amount"),
        pytest.param("abc", RATE, "应为数字，实际为文字 'abc'：比率请写成 86.75% 或 0.8675", id="text_for_a_rate"),
        pytest.param("86.75%", PLAIN, "'86.75%' 是百分数，但这个数据项没有单位：请只写数字", id="percent_for_a_plain_number"),
        pytest.param(Decimal("97.7"), RATE, "比率写 97.7 就是 9770%：请写 97.7%（或 0.977）", id="rate_as_percent_points"),
        pytest.param(True, AMOUNT, "应为数字，实际为 true（是/否值）", id="boolean"),
    ],
)  # fmt: skip
def test_unreadable_numbers_say_how_to_write_them_in_chinese(value, spec, message):
    with pytest.raises(UnreadableError) as caught:
        number(value, spec)
    assert str(caught.value) == message


def test_a_yes_no_value_and_a_cut_value_are_explained_in_chinese(chinese):
    with pytest.raises(UnreadableError) as caught:
        boolean("对")
    assert str(caught.value) == "应为“是”或“否”（也可写 true 或 false），实际为 '对'"
    assert cut("1" * 500) == "1" * 40 + "…" + "1" * 10 + "（共 500 个字符）"


def test_numbers_beyond_the_engines_range_are_refused_in_chinese(chinese):
    from scoring.model.base import check_number

    too_large = "1E+1000000 太大（数值必须小于 1,000,000,000,000,000）"
    with pytest.raises(ValueError, match=f"^{re.escape(too_large)}$"):
        check_number(Decimal("1E+1000000"))
    too_precise = "0.111111111111111111…11111（共 501 位数字） 的小数超过 10 位"
    with pytest.raises(ValueError, match=f"^{re.escape(too_precise)}$"):
        check_number(Decimal("0." + "1" * 500))


def _places_the_plain_way(value: Decimal) -> int:
    """Decimal places that count, as written out: trailing zeros after the point do not."""
    _, digits, exponent = value.as_tuple()
    assert isinstance(exponent, int)
    trailing = len(digits) - len("".join(map(str, digits)).rstrip("0"))
    return -(exponent + trailing)


@given(
    st.integers(-(10**20), 10**20),
    st.integers(-16, 4),
)
def test_numbers_with_too_many_places_are_refused_exactly_when_they_have_them(digits, exponent):
    value = Decimal(digits).scaleb(exponent)
    too_large = bool(value) and value.adjusted() >= MAX_MAGNITUDE.adjusted()
    too_precise = bool(value) and _places_the_plain_way(value) > MAX_PLACES
    if too_large or too_precise:
        with pytest.raises(ValueError, match=r"too large|decimal places"):
            check_number(value)
    else:
        assert check_number(value) is value


@given(
    st.from_regex(r"[+-]?[0-9]{1,18}(\.[0-9]{1,12})?", fullmatch=True),
    st.sampled_from([FactSpec(), FactSpec(unit="%"), FactSpec(unit="%", max=Decimal(100))]),
)
def test_plain_digits_read_at_once_as_the_long_way_reads_them(text: str, spec: FactSpec):
    # a trailing space sends the same digits the long way: folded, stripped, matched, bounded
    try:
        long_way: Decimal | str = str(number(f"{text} ", spec))
    except UnreadableError as exc:
        long_way = f"refused: {exc}"
    try:
        at_once: Decimal | str = str(number(text, spec))
    except UnreadableError as exc:
        at_once = f"refused: {exc}"
    assert at_once == long_way
