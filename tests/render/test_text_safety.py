"""scoring.render.text_safety: what is taken out of data before anyone is shown it, and what stays."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from scoring.render.text_safety import BIDI_CONTROLS, printable


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        pytest.param("\x1b[31m红\x1b[0m", "[31m红[0m", id="ansi-colour"),
        pytest.param("\x1b[8m隐藏", "[8m隐藏", id="ansi-conceal"),
        pytest.param(
            "\x1b]8;;https://evil.example\x1b\\点我\x1b]8;;\x1b\\",
            "]8;;https://evil.example\\点我]8;;\\",
            id="osc-8-hyperlink",
        ),
        pytest.param("\x9b31m", "31m", id="c1-csi"),
        pytest.param("\x9d8;;u\x9c", "8;;u", id="c1-osc"),
        pytest.param("甲局\rX", "甲局X", id="carriage-return-overwrites-the-line"),
        pytest.param("a\x08b\x07c\x00d\x7f", "abcd", id="backspace-bell-nul-del"),
        pytest.param("invoice\u202egnp.exe", "invoicegnp.exe", id="right-to-left-override"),
        pytest.param("\u2066甲\u2069\u202a乙\u202c", "甲乙", id="isolates-and-embeddings"),
    ],
)
def test_control_and_bidi_characters_are_removed(text, shown):
    assert printable(text) == shown


def test_tabs_and_line_breaks_stay_unless_one_line_is_asked_for():
    assert printable("第一行\n\t第二行") == "第一行\n\t第二行"
    assert printable("第一行\r\n\t第二行", keep_newlines=False) == "第一行  第二行"


@pytest.mark.parametrize(
    "text",
    ["长沙市望城区信访局", "20 − 0 × 5 → 20.00 / 20", "[/bold][conceal]", "满意度 ≥ 90%", "", "ｅ"],
)
def test_ordinary_text_is_left_as_it_is(text):
    assert printable(text) is text


def test_the_bidi_controls_are_the_embeddings_overrides_isolates_and_marks():
    codes = sorted(ord(character) for character in BIDI_CONTROLS)
    assert codes == [0x061C, 0x200E, 0x200F, *range(0x202A, 0x202F), *range(0x2066, 0x206A)]


def is_control(character: str) -> bool:
    return character < " " or "\x7f" <= character <= "\x9f" or character in BIDI_CONTROLS


@given(st.text())
def test_only_controls_are_removed_and_none_but_tab_and_newline_survive(text):
    shown = printable(text)
    assert not any(is_control(character) and character not in "\t\n" for character in shown)
    assert shown == "".join(c for c in text if c in "\t\n" or not is_control(c))
    assert printable(shown) == shown
