"""scoring/load/parquet.py: Parquet tables read like CSV tables, summaries written with exact decimals."""

from __future__ import annotations

import io
from datetime import date, datetime
from decimal import Decimal

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from hypothesis import given
from hypothesis import strategies as st

from scoring.analysis import batch
from scoring.analysis import summary as batch_summary
from scoring.analysis.summary_parquet import SummaryWriter, render_summary_parquet
from scoring.errors import FactsError
from scoring.load import units as load_units
from scoring.load.parquet import parquet_rows
from scoring.load.xlsx import xlsx_value
from tests.conftest import ruleset_from

RULESET = """\
id: test.parquet
version: "1"
title: 湖表测试
kind: project
facts:
  预算数: {label: 全年预算数, unit: 万元, min: 0}
  执行数: {label: 全年执行数, unit: 万元, min: 0}
  制度健全: {label: 资金管理制度健全, type: boolean}
  人数: {label: 受助人数, type: integer, min: 0}
indicators:
  - {id: execution, name: 预算执行率, weight: 60, method: ratio, actual: 执行数, target: 预算数}
  - {id: rules, name: 资金管理制度健全, weight: 20, method: boolean, value: 制度健全}
  - {id: people, name: 受助人数, weight: 20, method: ratio, actual: 人数, target: 50}
"""


@pytest.fixture(scope="module")
def ruleset():
    return ruleset_from(RULESET)


def parquet_bytes(table: pa.Table, **options) -> bytes:
    buffer = io.BytesIO()
    pq.write_table(table, buffer, **options)
    return buffer.getvalue()


def typed_table() -> pa.Table:
    return pa.table(
        {
            "单位": pa.array(["甲局", "乙局", None]),
            "年度": pa.array([2022, 2022, 2023], pa.int64()),
            "预算数": pa.array([Decimal("60.00"), Decimal("60.00"), None], pa.decimal128(10, 2)),
            "执行数": pa.array([52.05, 60.0, None], pa.float64()),
            "制度健全": pa.array([True, False, None]),
            "人数": pa.array([48, None, None], pa.int32()),
            "不适用": pa.array([None, "people", None]),
        }
    )


def test_rows_come_as_the_cells_a_csv_table_gives():
    rows = list(parquet_rows(io.BytesIO(parquet_bytes(typed_table())), "units.parquet"))
    assert rows[0] == ["单位", "年度", "预算数", "执行数", "制度健全", "人数", "不适用"]
    assert rows[1] == ["甲局", 2022, Decimal("60.00"), Decimal("52.05"), True, 48, None]
    assert rows[2] == ["乙局", 2022, Decimal("60.00"), Decimal("60.0"), False, None, "people"]
    assert rows[3] == [None, 2023, None, None, None, None, None]


COLUMN_KINDS = [
    (pa.string(), st.text(max_size=8)),
    (pa.large_string(), st.text(max_size=8)),
    (pa.dictionary(pa.int32(), pa.string()), st.sampled_from(["是", "否", "people"])),
    (pa.int8(), st.integers(-128, 127)),
    (pa.uint64(), st.integers(0, 2**64 - 1)),
    (pa.decimal128(12, 3), st.decimals(-(10**8), 10**8, places=3)),
    (pa.bool_(), st.booleans()),
    (pa.float64(), st.floats(allow_nan=True, allow_infinity=True)),
    (pa.float32(), st.floats(width=32)),
    (pa.date32(), st.dates()),
    (pa.timestamp("ms"), st.datetimes(min_value=datetime(1970, 1, 1))),
]


@given(
    st.lists(st.sampled_from(range(len(COLUMN_KINDS))), min_size=1, max_size=6).flatmap(
        lambda kinds: st.tuples(
            st.just(kinds),
            st.lists(st.tuples(*(st.none() | COLUMN_KINDS[kind][1] for kind in kinds)), max_size=5),
        )
    )
)
def test_each_cell_is_what_xlsx_value_makes_of_its_value_whatever_the_columns_type(drawn):
    """Columns whose values are cells already (text, whole numbers, decimals) are not converted:
    every row is still each of its values through :func:`xlsx_value`."""
    kinds, rows = drawn
    names = [f"c{index}" for index in range(len(kinds))]
    columns = [
        pa.array([row[index] for row in rows], COLUMN_KINDS[kind][0])
        for index, kind in enumerate(kinds)
    ]
    table = pa.table(dict(zip(names, columns, strict=True)))
    read = list(parquet_rows(io.BytesIO(parquet_bytes(table)), "t.parquet"))
    expected = [[xlsx_value(value) for value in row.values()] for row in table.to_pylist()]
    assert repr(read) == repr([names, *expected])  # by repr: Decimal('NaN') is not itself


def total(unit: batch.UnitResult) -> Decimal:
    assert unit.result is not None, unit.error
    return unit.result.total


def test_units_read_from_parquet_score_like_the_same_csv(ruleset):
    rows = list(parquet_rows(io.BytesIO(parquet_bytes(typed_table())), "units.parquet"))
    units = load_units._units(rows, "units.parquet", ruleset)
    scored = [batch.score_unit(unit, ruleset) for unit in units]
    csv = "单位,年度,预算数,执行数,制度健全,人数,不适用\n甲局,2022,60.00,52.05,是,48,\n乙局,2022,60.00,60,否,,people\n"
    from_csv = [
        batch.score_unit(u, ruleset) for u in load_units.read_table(csv.encode(), "u.csv", ruleset)
    ]
    assert [total(unit) for unit in scored[:2]] == [Decimal("91.25"), Decimal("75.00")]
    assert [total(unit) for unit in scored[:2]] == [total(unit) for unit in from_csv]
    assert scored[2].error is not None  # the third row gives no 预算数 and no 执行数
    assert scored[2].error.startswith("units.parquet:row 4")


def test_rows_are_read_one_record_batch_at_a_time():
    """A table larger than one record batch streams: the reader never holds it whole."""
    count = 20_000
    table = pa.table({"单位": [f"u{n}" for n in range(count)], "人数": list(range(count))})
    data = parquet_bytes(table, row_group_size=5_000)
    rows = parquet_rows(io.BytesIO(data), "big.parquet")
    assert next(rows) == ["单位", "人数"]
    assert next(rows) == ["u0", 0]
    assert sum(1 for _ in rows) == count - 1


def test_dates_are_read_as_iso_text_and_dictionary_columns_as_their_values():
    table = pa.table(
        {
            "年度": pa.array([date(2022, 12, 31)]),
            "单位": pa.array(["甲局"]).dictionary_encode(),
        }
    )
    rows = list(parquet_rows(io.BytesIO(parquet_bytes(table)), "d.parquet"))
    assert rows == [["年度", "单位"], ["2022-12-31", "甲局"]]


def test_not_a_parquet_file_is_a_located_error():
    with pytest.raises(FactsError, match=r"^units\.parquet:1:1: not a Parquet file \("):
        list(parquet_rows(io.BytesIO(b"unit,total\n"), "units.parquet"))


def test_a_column_of_lists_is_refused_naming_the_column():
    table = pa.table({"单位": ["甲局"], "人数": pa.array([[1, 2]])})
    with pytest.raises(FactsError) as caught:
        list(parquet_rows(io.BytesIO(parquet_bytes(table)), "l.parquet"))
    assert str(caught.value.issues[0]) == (
        "l.parquet:row 1, column 人数: column '人数' holds lists: "
        "give facts as text, numbers or true/false"
    )


def summary(ruleset) -> batch_summary.Summary:
    csv = "单位,预算数,执行数,制度健全,人数,不适用\n甲局,60,52.05,是,48,\n乙局,60,60,否,,people\n丙局,60,x,是,1,\n"
    units = load_units.read_table(csv.encode(), "u.csv", ruleset)
    return batch_summary.summarise(
        ruleset, [batch.summary_row(batch.score_unit(u, ruleset)) for u in units]
    )


def test_the_summary_is_written_with_decimals_at_the_rulesets_places(ruleset):
    table = pq.read_table(io.BytesIO(render_summary_parquet(summary(ruleset))))
    assert table.schema.field("总分").type == pa.decimal128(28, 2)
    assert table.schema.field("受助人数失分").type == pa.decimal128(28, 2)
    assert table.schema.field("等级").type == pa.string()
    assert table.column("总分").to_pylist() == [Decimal("91.25"), Decimal("75.00"), None]
    assert table.column("受助人数失分").to_pylist() == [Decimal("0.80"), None, None]
    assert table.column("等级").to_pylist() == ["优", "中", None]
    errors = table.column("错误").to_pylist()
    assert errors[:2] == [None, None]
    assert errors[2].startswith("u.csv:row 4, column 执行数: ")


def test_the_same_rows_give_the_same_bytes_in_fixed_row_groups(ruleset):
    headers, rows = batch_summary.summary_cells(summary(ruleset))
    numeric = [header == "总分" or header.endswith("失分") for header in headers]

    def written(rows_per_group: int) -> bytes:
        buffer = io.BytesIO()
        with SummaryWriter(buffer, headers, numeric, 2, rows_per_group) as writer:
            for row in rows * 5:
                writer.write(row)
        return buffer.getvalue()

    assert written(4) == written(4)
    assert pq.ParquetFile(io.BytesIO(written(4))).metadata.num_row_groups == 4  # 15 rows
    assert pq.read_table(io.BytesIO(written(4))).equals(pq.read_table(io.BytesIO(written(100))))


def test_a_number_with_more_places_than_the_ruleset_is_a_bug_not_rounded():
    buffer = io.BytesIO()
    writer = SummaryWriter(buffer, ["总分"], [True], 2)
    writer.write([Decimal("90.125")])
    with pytest.raises(AssertionError, match=r"90\.125 has more than 2 decimal places"):
        writer.close()


def test_rows_as_text_in_runs_give_the_bytes_of_decimals_row_by_row(ruleset):
    """A worker sends a run's lines as text; the file is the one Decimals row by row give."""
    headers, rows = batch_summary.summary_cells(summary(ruleset))
    numeric = [header == "总分" or header.endswith("失分") for header in headers]
    rows = rows * 5
    as_text = [[format(v, "f") if isinstance(v, Decimal) else v for v in row] for row in rows]

    def written(feed) -> bytes:
        buffer = io.BytesIO()
        with SummaryWriter(buffer, headers, numeric, 2, 4) as writer:
            feed(writer)
        return buffer.getvalue()

    one_by_one = written(lambda writer: [writer.write(row) for row in rows])
    in_runs = written(
        lambda writer: [writer.write_lines(as_text[i : i + 3]) for i in range(0, 15, 3)]
    )
    assert in_runs == one_by_one
    schema = pa.schema(
        [
            (h, pa.decimal128(28, 2) if n else pa.string())
            for h, n in zip(headers, numeric, strict=True)
        ]
    )
    buffer = io.BytesIO()
    with pq.ParquetWriter(buffer, schema) as plain:  # Arrow given the Decimals themselves
        for start in range(0, 15, 4):
            group = rows[start : start + 4]
            columns = [
                [None if row[i] == "" else row[i] for row in group] for i in range(len(headers))
            ]
            plain.write_table(pa.Table.from_arrays(columns, schema=schema))
    assert one_by_one == buffer.getvalue()
