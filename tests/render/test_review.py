"""The findings table in every format: the same rows, Chinese headings, safe cells, stable bytes."""

from __future__ import annotations

import io
import json

import openpyxl

from scoring.model.review import Finding
from scoring.render.review import (
    FINDING_HEADINGS,
    Reviewed,
    finding_rows,
    render_findings,
)

FINDINGS = (
    Finding(
        rule="required_types",
        severity="error",
        where="t.yaml:2:1",
        target=None,
        message="缺少满意度",
    ),
    Finding(
        rule="explanation",
        severity="warning",
        where="t.yaml:9:5",
        target="=1+1",
        message="没有指标解释\u202e",
    ),
)
REVIEWED = Reviewed("t.review@1", ("t.yaml",), FINDINGS)


def test_rows_say_severity_and_the_whole_table_in_chinese():
    assert finding_rows(FINDINGS) == [
        ("t.yaml:2:1", "错误", "required_types", "（整表）", "缺少满意度"),
        ("t.yaml:9:5", "警告", "explanation", "=1+1", "没有指标解释\u202e"),
    ]
    assert (REVIEWED.errors, REVIEWED.warnings) == (1, 1)


def test_text_reads_like_lint_without_control_characters():
    assert render_findings(REVIEWED, ".txt") == (
        "t.yaml:2:1: 错误 [required_types] （整表）: 缺少满意度\n"
        "t.yaml:9:5: 警告 [explanation] =1+1: 没有指标解释\n"
    )


def test_json_has_every_field_and_the_counts():
    document = json.loads(render_findings(REVIEWED, ".json"))
    assert document["ruleset"] == "t.review@1"
    assert (document["errors"], document["warnings"]) == (1, 1)
    assert document["findings"][0] == FINDINGS[0].model_dump(mode="json")


def test_the_workbook_has_the_same_rows_as_text_cells_and_the_same_bytes_each_time():
    data = render_findings(REVIEWED, ".xlsx")
    assert isinstance(data, bytes)
    assert data == render_findings(REVIEWED, ".xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(data))["审核意见"]
    assert sheet.title == "审核意见"
    rows = [tuple(cell.value for cell in row) for row in sheet.iter_rows(min_row=2)]
    assert rows[0] == FINDING_HEADINGS
    assert rows[1] == finding_rows(FINDINGS)[0]
    assert rows[2][3] == "=1+1"
    assert sheet.cell(4, 4).data_type == "s"
    assert rows[2][4] == "没有指标解释", "no bidi control reaches the bureau's sheet"
