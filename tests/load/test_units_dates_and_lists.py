"""A table of units (CSV, XLSX, Parquet) with date and list columns, read like a facts file."""

from __future__ import annotations

import datetime
import io
from collections.abc import Sequence

import openpyxl
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from scoring.analysis.batch import score_unit
from scoring.load.parquet import parquet_rows
from scoring.load.rulesets import load_ruleset
from scoring.load.units import _units, read_table
from scoring.model.ruleset import Ruleset
from tests.conftest import RULESETS

HEADER = ["单位名称", "已完成项目", "完成时间", "计划完成时间", "报送时间", "报送期限"]
HEADER += ["预算数", "执行数", "附件"]
ROW = ["甲局", "东村供水站；水质检测室", "2023-01-05", "2022-12-31", "2023-01-15", "2023-01-15"]
ROW += ["500", "450", "绩效自评表;绩效自评报告"]


@pytest.fixture(scope="module")
def ruleset() -> Ruleset:
    return load_ruleset(RULESETS / "illustrative" / "project-timeliness-2022.yaml")


def _scores(data: bytes, filename: str, ruleset: Ruleset) -> dict[str, str]:
    if filename.endswith(".parquet"):
        rows = parquet_rows(io.BytesIO(data), filename)
        (unit,) = _units(list(rows), filename, ruleset)
    else:
        (unit,) = read_table(data, filename, ruleset)
    result = score_unit(unit, ruleset).result
    assert result is not None
    return {node.path: node.explanation for node in result.walk() if node.method}


def _xlsx(rows: Sequence[Sequence[object]]) -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.worksheets[0]
    for row in rows:
        sheet.append(list(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_csv_xlsx_and_parquet_give_the_same_dates_and_items(ruleset):
    csv = "\n".join(",".join(row) for row in (HEADER, ROW)).encode("utf-8")
    dates = [datetime.datetime.fromisoformat(cell) if "-" in cell else cell for cell in ROW]
    parquet = io.BytesIO()
    columns: dict[str, list[object]] = {
        name: [value] for name, value in zip(HEADER, ROW, strict=True)
    }
    columns["完成时间"] = [datetime.date(2023, 1, 5)]
    pq.write_table(pa.table(columns), parquet)
    from_csv = _scores(csv, "units.csv", ruleset)
    assert from_csv["output.timeliness.completion"] == (
        "完成时间 2023-01-05，计划 2022-12-31 前：逾期 5 天，每天扣 1 分，扣 5 分 → 15.00 / 20"
    )
    assert from_csv["output.quantity.projects"] == (
        "已完成项目 2 项（东村供水站、水质检测室），每项 6 → 12.00 / 30"
    )
    assert _scores(_xlsx([HEADER, dates]), "units.xlsx", ruleset) == from_csv
    assert _scores(parquet.getvalue(), "units.parquet", ruleset) == from_csv


def test_a_bad_date_or_item_in_a_table_is_named_by_row_and_column(ruleset):
    bad = [*ROW]
    bad[2], bad[8] = "44923", "绩效自评表;审计报告"
    csv = "\n".join(",".join(row) for row in (HEADER, bad)).encode("utf-8")
    (unit,) = read_table(csv, "units.csv", ruleset)
    assert score_unit(unit, ruleset).error == "\n".join(
        [
            "units.csv:row 2, column 完成时间: [output.timeliness.completion] 完成时间: expected a "
            "date written as year-month-day with hyphens, e.g. 2022-12-28, found '44923'",
            "units.csv:row 2, column 附件: [process.files.attachments] 附件: '审计报告' is not one "
            "of the allowed items: 绩效自评表, 绩效自评报告, 项目验收报告, 资金拨付凭证",
        ]
    )
