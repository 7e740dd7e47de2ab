"""The 绩效运行监控表: one view, the same rows in every format, safe cells, coloured lights."""

from __future__ import annotations

import csv
import html
import io
import json
import re

import openpyxl
import pytest

from scoring.model.monitor_results import Explanation, MonitorFinding, MonitorResult, MonitorRow
from scoring.render.monitor import LIGHT_COLOURS, build_monitor, build_monitor_summary
from scoring.render.monitor_formats import monitor_renderer

HOSTILE = '=HYPERLINK("http://x","点我")'


def result(reason: str = "经费未到位", light: str = "red") -> MonitorResult:
    row = MonitorRow(
        path="output.a",
        name="<b>甲</b>",
        method="progress",
        target="48人",
        actual="10人",
        due="28人",
        rate=None,
        light=light,
        explanation="10人 / (48人 × 7 / 12) × 100 = 35.71",
        rule="进度：< 60 红灯",
        gap="年底前还需完成 28.4人",
        explained=Explanation(reason=reason, category="经费保障"),
    )
    return MonitorResult(
        ruleset="t@1",
        fingerprint="sha256:0",
        title="测试",
        subject={"unit": "某单位", "project": "某项目"},
        as_of="2022-07",
        rows=(row,),
        light="red",
        rollup="worst",
        findings=(MonitorFinding(path="output.a", message="红灯指标未说明完成目标可能性"),),
    )


def _csv_rows(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text)))[1:]


def _md_rows(text: str) -> list[list[str]]:
    lines = [line for line in text.splitlines() if line.startswith("| ")][1:]
    return [[cell.strip() for cell in line.strip("|").split(" | ")] for line in lines]


def _html_rows(text: str) -> list[list[str]]:
    rows = re.findall(r"<tr>(.*?)</tr>", text)[1:]
    return [[html.unescape(c) for c in re.findall(r"<td[^>]*>(.*?)</td>", row)] for row in rows]


def _xlsx_rows(data: bytes, count: int) -> list[list[str]]:
    sheet = openpyxl.load_workbook(io.BytesIO(data)).active
    assert sheet is not None
    return [
        [str(cell.value or "") for cell in row]
        for row in sheet.iter_rows(min_row=4, max_row=3 + count)
    ]


def test_every_format_shows_the_same_rows():
    view = build_monitor(result(reason="经费未到位"))
    expected = [list(line.cells) for line in view.lines]
    assert _csv_rows(monitor_renderer("csv")(view)) == expected  # type: ignore[arg-type]
    assert _html_rows(monitor_renderer("html")(view)) == expected  # type: ignore[arg-type]
    assert _xlsx_rows(monitor_renderer("xlsx")(view), len(expected)) == expected  # type: ignore[arg-type]
    md = _md_rows(monitor_renderer("md")(view))  # type: ignore[arg-type]
    assert [[re.sub(r"\\(.)", r"\1", cell) for cell in row] for row in md] == expected
    text = monitor_renderer("text")(view)
    assert isinstance(text, str)
    assert all(line.cells[0] in text for line in view.lines)
    assert json.loads(monitor_renderer("json")(view))["light"] == "red"


def test_data_from_the_files_is_never_a_formula_or_markup():
    page = monitor_renderer("html")(build_monitor(result()))
    assert "<b>甲</b>" not in page
    assert "&lt;b&gt;甲&lt;/b&gt;" in page
    alone = result(reason=HOSTILE).model_copy(
        update={
            "rows": (
                result().rows[0].model_copy(update={"explained": Explanation(reason=HOSTILE)}),
            )
        }
    )
    cells = _csv_rows(monitor_renderer("csv")(build_monitor(alone)))  # type: ignore[arg-type]
    assert cells[0][7] == "'" + HOSTILE
    book = openpyxl.load_workbook(io.BytesIO(monitor_renderer("xlsx")(build_monitor(alone))))  # type: ignore[arg-type]
    cell = book.active["H4"]  # type: ignore[index]
    assert cell.data_type == "s"
    assert cell.quotePrefix


@pytest.mark.parametrize("light", ["red", "yellow", "green", "blue"])
def test_the_light_cell_is_coloured_in_xlsx_and_html(light):
    view = build_monitor(result(light=light))
    sheet = openpyxl.load_workbook(io.BytesIO(monitor_renderer("xlsx")(view))).active  # type: ignore[arg-type]
    assert sheet is not None
    assert sheet["F4"].fill.fgColor.rgb.endswith(LIGHT_COLOURS[light])
    assert f"background:#{LIGHT_COLOURS[light]}" in monitor_renderer("html")(view)


def test_findings_are_listed_under_their_indicator():
    view = build_monitor(result())
    assert view.findings == ("<b>甲</b>：红灯指标未说明完成目标可能性",)
    assert "待补充说明" in monitor_renderer("md")(view)


def test_the_summary_counts_lights_per_unit_and_keeps_errors():
    view = build_monitor_summary("t@1", [("a.yaml", result()), ("b.yaml", "b.yaml:1:1: bad")])
    assert [list(line.cells) for line in view.lines] == [
        ["a.yaml", "某单位", "某项目", "2022-07", "1", "0", "0", "0", "红灯", "1", ""],
        ["b.yaml", "", "", "", "", "", "", "", "", "", "b.yaml:1:1: bad"],
    ]
    assert view.headers[view.light_column] == "项目灯色"
