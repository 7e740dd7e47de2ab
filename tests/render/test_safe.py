"""scoring.render.safe: control and bidi characters out, formulas kept out of every cell."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Sequence
from decimal import Decimal

import openpyxl
import pytest

from scoring.render.safe import MAX_CELL_TEXT, csv_cell, strip_controls, write_cell

HOSTILE = [
    '=HYPERLINK("http://evil.example/","点此")',
    "+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(1+1)",
    "\t=1+1",
    "\r=1+1",
]


@pytest.mark.parametrize(
    ("text", "kept"),
    [
        ("报告\u202e优", "报告优"),  # RIGHT-TO-LEFT OVERRIDE
        ("\u2066a\u2069\u200fb\u200e\u061c", "ab"),  # isolates and marks
        ("a\r\nb\rc\u2028d", "a\nb\nc\nd"),  # every line break as one \n
        ("响\x07铃\x1b[31m红\x00\x7f\x9b", "响铃[31m红"),  # BEL, ESC, NUL, DEL, CSI
        ("制表\t保留\n换行", "制表\t保留\n换行"),
        ("普通文字 plain", "普通文字 plain"),
    ],
)
def test_strip_controls_leaves_text_and_line_breaks(text, kept):
    assert strip_controls(text) == kept


@pytest.mark.parametrize("text", HOSTILE)
def test_csv_text_that_would_be_a_formula_starts_with_a_quote(text):
    assert csv_cell(text) == "'" + strip_controls(text)


@pytest.mark.parametrize(
    ("value", "written"),
    [
        (Decimal("-2.50"), "-2.50"),  # a number, even a negative one, stays a number
        (Decimal("88.89"), "88.89"),
        ("某单位-2", "某单位-2"),
        ("2023", "2023"),
        (" =1", " =1"),
        ("某\u202e单位", "某单位"),
        (None, ""),
    ],
)
def test_csv_numbers_and_plain_text_are_written_as_they_are(value, written):
    assert csv_cell(value) == written


def workbook_with(values: Sequence[object]) -> tuple[list[object], list[str], bytes]:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    for row, value in enumerate(values, start=1):
        write_cell(sheet, row, 1, value)  # type: ignore[arg-type]
    raw = io.BytesIO()
    book.save(raw)
    again = openpyxl.load_workbook(io.BytesIO(raw.getvalue())).active
    assert again is not None
    cells = [again.cell(row, 1) for row in range(1, len(values) + 1)]
    with zipfile.ZipFile(raw) as archive:
        xml = archive.read("xl/worksheets/sheet1.xml")
    return [cell.value for cell in cells], [str(cell.data_type) for cell in cells], xml


def test_xlsx_text_is_a_string_cell_never_a_formula():
    values, types, xml = workbook_with(HOSTILE)
    assert values == [strip_controls(text) for text in HOSTILE]
    assert types == ["s"] * len(HOSTILE)
    assert b"<f>" not in xml


def test_xlsx_text_that_would_become_a_formula_once_edited_keeps_the_quote_prefix():
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    assert write_cell(sheet, 1, 1, "=1+1").quotePrefix
    assert not write_cell(sheet, 2, 1, "某单位").quotePrefix


def test_xlsx_numbers_stay_numbers_and_controls_never_break_the_file():
    long = "长" * (MAX_CELL_TEXT + 10)
    values, types, _ = workbook_with([Decimal("-2.5"), 7, "a\x00b\x1b\u202ec", long])
    assert values[:3] == [-2.5, 7, "abc"]
    assert types[:2] == ["n", "n"]
    assert isinstance(values[3], str)
    assert len(values[3]) == MAX_CELL_TEXT
    assert values[3].endswith("…")
