"""scoring/load/tables.py: CSV rows streamed, UTF-8 or GB18030 told apart, bad bytes located."""

from __future__ import annotations

import io

import pytest

from scoring.errors import FactsError
from scoring.load.tables import SNIFF, csv_encoding, csv_rows

TABLE = '单位,预算数,备注\r\n甲局,60,"第一行\n第二行"\r\n乙局,52.05,\r\n'


def rows(data: bytes) -> list[list[str]]:
    return list(csv_rows(io.BytesIO(data), "units.csv"))


@pytest.mark.parametrize(
    "data",
    [TABLE.encode("utf-8"), ("\ufeff" + TABLE).encode("utf-8"), TABLE.encode("gb18030")],
    ids=["utf-8", "utf-8 with a byte order mark", "gb18030 (Excel's CSV on Chinese Windows)"],
)
def test_rows_are_read_alike_from_utf8_and_gb18030(data):
    assert rows(data) == [
        ["单位", "预算数", "备注"],
        ["甲局", "60", "第一行\n第二行"],
        ["乙局", "52.05", ""],
    ]


def test_a_character_cut_off_at_the_end_of_the_first_bytes_is_still_utf8():
    head = ("甲" * (SNIFF // 3 + 1)).encode("utf-8")[:SNIFF]
    assert csv_encoding(head) == "utf-8-sig"
    assert csv_encoding("甲局".encode("gb18030")) == "gb18030"


def test_rows_are_read_as_they_are_taken():
    data = ("单位\r\n" + "".join(f"u{n}\r\n" for n in range(200_000))).encode("utf-8")
    source = io.BytesIO(data)
    read = csv_rows(source, "big.csv")
    assert next(read) == ["单位"]
    assert next(read) == ["u0"]
    assert source.tell() < len(data)  # not read whole to give the first rows


def test_a_byte_that_is_not_utf8_later_on_is_an_error_at_its_row():
    data = ("单位\r\n" + "甲局\r\n" * (SNIFF // 8)).encode("utf-8") + "乙局\r\n".encode("gb18030")
    with pytest.raises(FactsError) as caught:
        rows(data)
    [issue] = caught.value.issues
    assert issue.message == (
        "not UTF-8 text from this row on (the table began as UTF-8): save the table as CSV UTF-8"
    )
    bad = SNIFF // 8 + 2  # the row of 乙局 in GB18030
    assert issue.location is not None
    assert bad - 8192 // 8 <= issue.location.line <= bad  # text is decoded a chunk ahead


def test_a_row_that_is_not_csv_is_named():
    with pytest.raises(FactsError, match=r"^units\.csv:row 2: not a CSV table: "):
        rows(b'a,b\r\n"' + b"x" * 200_000 + b'",1\r\n')  # beyond csv's field size limit


def test_the_callers_file_is_left_open():
    source = io.BytesIO(TABLE.encode("utf-8"))
    assert len(list(csv_rows(source, "units.csv"))) == 3
    assert not source.closed
