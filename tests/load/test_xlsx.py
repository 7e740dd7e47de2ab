"""scoring/load/xlsx.py: hostile and broken XLSX files refused before they are unpacked, rows streamed.

The hostile files are built here, small on disk: a part's repeated content is deflated once,
with a full flush (so each copy is a self-contained deflate block), and the copies are strung
together into one genuine deflate stream that unpacks to the full size.
"""

from __future__ import annotations

import io
import struct
import zipfile
import zlib
from decimal import Decimal

import openpyxl
import pytest

from scoring.errors import FactsError
from scoring.load.xlsx import (
    MAX_CELL_CHARACTERS,
    MAX_PACKING_RATIO,
    MAX_UNPACKED_BYTES,
    check_archive,
    open_workbook,
    sheet_rows,
    xlsx_value,
)

MIB = 1024 * 1024


class Repeated:
    """A part's content: ``head``, then ``body`` ``times`` times, then ``tail``, deflated."""

    def __init__(self, head: bytes, body: bytes, times: int, tail: bytes):
        self.head, self.body, self.times, self.tail = head, body, times, tail

    def deflated(self) -> tuple[bytes, int, int]:
        """The raw deflate stream, the CRC-32 and the size of the unpacked content."""
        head = _flushed(self.head)
        body = _flushed(self.body)
        last = zlib.compressobj(9, zlib.DEFLATED, -15)
        tail = last.compress(self.tail) + last.flush()
        crc = zlib.crc32(self.head)
        for _ in range(self.times):
            crc = zlib.crc32(self.body, crc)
        crc = zlib.crc32(self.tail, crc)
        size = len(self.head) + len(self.body) * self.times + len(self.tail)
        return head + body * self.times + tail, crc, size


def _flushed(data: bytes) -> bytes:
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    return compressor.compress(data) + compressor.flush(zlib.Z_FULL_FLUSH)


def raw_zip(
    parts: dict[str, bytes | Repeated], *, repeat_entry: tuple[str, int] | None = None
) -> bytes:
    """A zip archive written byte by byte, so that a part may be a :class:`Repeated` one.

    With ``repeat_entry=(name, count)`` the central directory lists the part ``name`` ``count``
    more times, every entry pointing at the same packed bytes (an overlapping zip bomb).
    """
    out, central, entries = bytearray(), bytearray(), 0
    for name, content in parts.items():
        if isinstance(content, Repeated):
            data, crc, size = content.deflated()
        else:
            compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
            data = compressor.compress(content) + compressor.flush()
            crc, size = zlib.crc32(content), len(content)
        encoded = name.encode()
        offset = len(out)
        out += struct.pack(
            "<IHHHHHIIIHH", 0x04034B50, 20, 0, 8, 0, 0x21, crc, len(data), size, len(encoded), 0
        )
        out += encoded + data
        copies = [encoded]
        if repeat_entry is not None and repeat_entry[0] == name:
            copies += [f"{name}.{index}".encode() for index in range(repeat_entry[1])]
        for copy in copies:
            central += struct.pack(
                "<IHHHHHHIIIHHHHHII",
                0x02014B50,
                20,
                20,
                0,
                8,
                0,
                0x21,
                crc,
                len(data),
                size,
                len(copy),
                0,
                0,
                0,
                0,
                0,
                offset,
            )
            central += copy
            entries += 1
    end = struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, entries, entries, len(central), len(out), 0)
    return bytes(out + central + end)


def workbook_bytes(rows: list[list[object]], title: str = "facts") -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = title
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def parts_of(data: bytes) -> dict[str, bytes | Repeated]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def with_part(data: bytes, name: str, content: bytes | Repeated, **options: object) -> bytes:
    """A real workbook with one part replaced (or added), written byte by byte."""
    parts = parts_of(data)
    parts[name] = content
    return raw_zip(parts, **options)  # type: ignore[arg-type]


def strings_bomb(count: int = 200, length: int = MIB) -> Repeated:
    """A shared strings part of ``count`` strings of ``length`` characters."""
    head = (
        b'<?xml version="1.0" encoding="UTF-8"?>'
        b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    )
    return Repeated(head, b"<si><t>" + b"x" * length + b"</t></si>", count, b"</sst>")


def rows_sheet(count: int, per_block: int = 1) -> Repeated:
    """A sheet of ``count`` × ``per_block`` rows, each holding the number 1 (rows unnumbered)."""
    head = (
        b'<?xml version="1.0" encoding="UTF-8"?>'
        b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
    )
    body = b"<row><c><v>1</v></c></row>" * per_block
    return Repeated(head, body, count, b"</sheetData></worksheet>")


def cell_sheet(xml: bytes) -> bytes:
    """A sheet whose cell A1 is written as ``xml`` (an openpyxl workbook could not hold it)."""
    return (
        b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        b'<sheetData><row r="1">' + xml + b"</row></sheetData></worksheet>"
    )


SHEET = "xl/worksheets/sheet1.xml"


# --- the archive, before anything is unpacked -------------------------------------------------


def test_the_hostile_builders_make_genuine_archives():
    data = with_part(workbook_bytes([["a", 1]]), SHEET, rows_sheet(3))
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert archive.testzip() is None  # every CRC holds
        assert archive.read(SHEET).count(b"<row>") == 3
    workbook = open_workbook(data, "ok.xlsx")
    assert [list(row) for row in workbook["facts"].iter_rows(values_only=True)] == [[1]] * 3


def test_a_decompression_bomb_is_refused_from_its_sizes_alone():
    # 4.4 GiB declared by 275 entries over one packed part of 16 MiB: the file is a few KB
    bomb = Repeated(b"", b"\0" * MIB, 16, b"")
    name = "xl/media/image1.bin"
    data = with_part(workbook_bytes([["a"]]), name, bomb, repeat_entry=(name, 274))
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert sum(part.file_size for part in archive.infolist()) > 4 * 1024 * MIB
    assert len(data) < 100_000
    with pytest.raises(FactsError) as caught:
        check_archive(data, "bomb.xlsx")
    assert str(caught.value) == (
        f"bomb.xlsx:1:1: part {name!r} would unpack to 16,777,216 bytes, more than 200 times "
        "its packed size: refusing a file built to exhaust memory (a zip bomb)"
    )


def test_a_part_that_grew_too_many_times_in_packing_is_refused():
    data = with_part(workbook_bytes([["a"]]), "xl/sharedStrings.xml", strings_bomb())
    assert len(data) < 400_000
    with pytest.raises(
        FactsError,
        match=r"^big.xlsx:1:1: part 'xl/sharedStrings.xml' would "
        r"unpack to 209,718,515 bytes, more than 200 times its packed size: refusing a file built",
    ):
        open_workbook(data, "big.xlsx", "facts")


def test_parts_that_unpack_too_large_together_are_refused(monkeypatch):
    monkeypatch.setattr("scoring.load.xlsx.MAX_UNPACKED_BYTES", 50_000)
    data = with_part(workbook_bytes([["a"]]), SHEET, rows_sheet(5_000))  # 130 KB unpacked
    with pytest.raises(FactsError) as caught:
        check_archive(data, "t.xlsx")
    (issue,) = caught.value.issues
    assert issue.message.startswith("the workbook would unpack to ")
    assert issue.message.endswith("bytes, the limit is 50,000: split it into smaller workbooks")


def test_the_limits_leave_room_for_real_tables():
    assert MAX_UNPACKED_BYTES >= 100 * MIB
    assert MAX_PACKING_RATIO >= 100  # sheets of repeated styles pack well, not a thousandfold


def test_a_missing_sheet_is_reported_before_any_part_is_read():
    # the shared strings are not XML: reading them first would fail with "not an XLSX workbook"
    data = with_part(workbook_bytes([["a"]], title="汇总"), "xl/sharedStrings.xml", b"<<<")
    with pytest.raises(FactsError) as caught:
        open_workbook(data, "t.xlsx", "facts")
    assert str(caught.value) == (
        "t.xlsx:1:1: no sheet 'facts' (the workbook has '汇总'): fill in the workbook that "
        "'scoring template RULESET --format xlsx' writes"
    )


@pytest.mark.parametrize("data", [b"", b"not a zip", b"PK\x03\x04" + b"\0" * 40])
def test_what_is_no_workbook_is_said_so(data):
    with pytest.raises(FactsError, match=r"^t.xlsx:1:1: not an XLSX workbook \(.+\); save it"):
        open_workbook(data, "t.xlsx")


def test_damaged_rows_are_said_so_not_a_traceback():
    rows = b"<row><c><v>1</v></c></row>" * 10_000  # read past the dimension: the end is broken
    sheet = b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    sheet += b'<dimension ref="A1"/><sheetData>' + rows + b"<ro"
    workbook = open_workbook(with_part(workbook_bytes([["a"]]), SHEET, sheet), "t.xlsx", "facts")
    with pytest.raises(FactsError, match=r"^t.xlsx:1:1: not an XLSX workbook \(.+\); save it"):
        sheet_rows(workbook["facts"], "t.xlsx", max_rows=100_000)


# --- rows, columns and cells, streamed ----------------------------------------------------------


def test_a_million_rows_of_the_same_cell_pack_like_a_bomb():
    data = with_part(workbook_bytes([["a"]]), SHEET, rows_sheet(1_023, per_block=1_025))
    assert len(data) < 200_000
    with pytest.raises(FactsError, match=r"would unpack to 27,263,\d+ bytes, more than 200 times"):
        open_workbook(data, "t.xlsx", "facts")


def test_a_million_rows_stop_at_the_limit(monkeypatch):
    # a sheet that passes the archive's checks (as a real one of numbered rows would)
    monkeypatch.setattr("scoring.load.xlsx.MAX_PACKING_RATIO", 1_000)
    data = with_part(workbook_bytes([["a"]]), SHEET, rows_sheet(1_023, per_block=1_025))
    workbook = open_workbook(data, "t.xlsx", "facts")
    with pytest.raises(FactsError) as caught:
        sheet_rows(workbook["facts"], "t.xlsx", max_rows=1_000, sheet_name="facts")
    assert str(caught.value) == (
        "t.xlsx!facts!A1001: the sheet goes on past row 1,000, more than this command reads: "
        "delete the rows below the table"
    )


def test_opening_a_workbook_does_not_read_a_sheet_that_states_no_size():
    # openpyxl would read a sheet without <dimension> to its end to find its size; this one's
    # end is broken, so reading it there would fail
    rows = b"<row><c><v>1</v></c></row>" * 10_000
    sheet = b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    sheet += b"<sheetData>" + rows + b"<ro"
    workbook = open_workbook(with_part(workbook_bytes([["a"]]), SHEET, sheet), "t.xlsx", "facts")
    assert next(workbook["facts"].iter_rows(values_only=True)) == (1,)


def test_rows_up_to_the_limit_are_read_whatever_size_the_sheet_says():
    data = workbook_bytes([["a", 1], [None], ["b", 2.5]])
    sheet = parts_of(data)[SHEET]
    assert isinstance(sheet, bytes)
    wrong = sheet.replace(b'<dimension ref="A1:B3" />', b'<dimension ref="A1:A1" />')
    assert wrong != sheet
    workbook = open_workbook(with_part(data, SHEET, wrong), "t.xlsx")
    rows = sheet_rows(workbook["facts"], "t.xlsx", max_rows=3)
    assert rows == [["a", 1], [], ["b", Decimal("2.5")]]


def test_a_value_past_the_last_column_is_refused_at_its_cell():
    workbook = open_workbook(workbook_bytes([["a", None, None, "x"]]), "t.xlsx")
    with pytest.raises(FactsError) as caught:
        sheet_rows(workbook["facts"], "t.xlsx", max_rows=10, max_columns=3)
    assert (
        str(caught.value)
        == "t.xlsx!D1: a value in column D, past the last column read (C): delete it"
    )


def test_only_the_columns_asked_for_are_read():
    workbook = open_workbook(workbook_bytes([["a", "b", 1, "note"]]), "t.xlsx")
    assert sheet_rows(workbook["facts"], "t.xlsx", max_rows=10, columns=3) == [["a", "b", 1]]


def test_text_longer_than_an_excel_cell_holds_is_refused_at_its_cell():
    long = b"1" * (MAX_CELL_CHARACTERS + 1)
    sheet = cell_sheet(b'<c r="A1" t="inlineStr"><is><t>' + long + b"</t></is></c>")
    workbook = open_workbook(with_part(workbook_bytes([["a"]]), SHEET, sheet), "t.xlsx")
    with pytest.raises(FactsError) as caught:
        sheet_rows(workbook["facts"], "t.xlsx", max_rows=10, sheet_name="facts")
    assert str(caught.value) == (
        "t.xlsx!facts!A1: text of 32,768 characters, more than an Excel cell holds (32,767)"
    )


def test_a_number_of_500000_digits_in_the_xml_is_refused_not_a_traceback():
    sheet = cell_sheet(b'<c r="A1"><v>' + b"1" * 500_000 + b"</v></c>")
    workbook = open_workbook(with_part(workbook_bytes([["a"]]), SHEET, sheet), "t.xlsx")
    with pytest.raises(FactsError) as caught:
        sheet_rows(workbook["facts"], "t.xlsx", max_rows=10)
    assert str(caught.value) == (
        "t.xlsx:1:1: not an XLSX workbook (a part of it cannot be read); save it from Excel as .xlsx"
    )


# --- numbers as Excel shows them ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "read"),
    [
        (0.9743999999999999, Decimal("0.9744")),  # =A1/B1 in Excel: the float next to 0.9744
        (124.71999999999998, Decimal("124.72")),
        (0.30000000000000004, Decimal("0.3")),  # 0.1 + 0.2
        (52.05, Decimal("52.05")),
        (128.0, Decimal("128")),
        (1e-7, Decimal("1E-7")),
        (123456789012345.67, Decimal("123456789012346")),  # Excel shows 15 digits
    ],
)
def test_a_number_cell_is_read_as_excel_shows_it(value, read):
    assert xlsx_value(value) == read
    assert str(xlsx_value(value)) == str(read)


def test_a_computed_float_survives_a_round_trip_through_a_workbook():
    workbook = open_workbook(workbook_bytes([["rate", None, 0.9743999999999999]]), "t.xlsx")
    assert sheet_rows(workbook["facts"], "t.xlsx", max_rows=5) == [
        ["rate", None, Decimal("0.9744")]
    ]


def test_infinite_and_undefined_numbers_stay_so_for_the_fact_reader_to_refuse():
    assert not xlsx_value(float("inf")).is_finite()
    assert xlsx_value(float("nan")).is_nan()


# --- messages in Chinese ----------------------------------------------------------------------


@pytest.mark.usefixtures("chinese")
def test_the_limits_are_said_in_chinese(monkeypatch):
    data = with_part(workbook_bytes([["a"]], title="汇总"), "xl/sharedStrings.xml", b"<<<")
    with pytest.raises(FactsError) as caught:
        open_workbook(data, "t.xlsx", "facts")
    assert str(caught.value) == (
        "t.xlsx:1:1: 没有工作表 'facts'（该工作簿有：'汇总'）：请填写 "
        "'scoring template RULESET --format xlsx' 生成的工作簿"
    )
    workbook = open_workbook(workbook_bytes([["a", None, None, "x"]]), "t.xlsx")
    with pytest.raises(FactsError) as caught:
        sheet_rows(workbook["facts"], "t.xlsx", max_rows=10, max_columns=3)
    assert str(caught.value) == "t.xlsx!D1: D 列有值，已超出读取的最后一列（C）：请删除"
    monkeypatch.setattr("scoring.load.xlsx.MAX_UNPACKED_BYTES", 50_000)
    data = with_part(workbook_bytes([["a"]]), SHEET, rows_sheet(5_000))
    with pytest.raises(FactsError) as caught:
        check_archive(data, "t.xlsx")
    assert caught.value.issues[0].message.startswith("工作簿解压后将达 ")
    assert caught.value.issues[0].message.endswith("字节，上限为 50,000：请拆分为较小的工作簿")
