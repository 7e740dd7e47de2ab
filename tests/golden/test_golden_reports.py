"""Every example in examples/ renders to the committed 自评表: as Markdown and HTML byte for byte,
and as a workbook whose cells, number formats and merged ranges match (`<example>.xlsx.json`).

The expected files (`<example>.md`, `<example>.html`) are generated, never hand-edited:
`pytest tests/golden --update-golden` rewrites them; review the diff (and open an HTML one).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from scoring.engine import score
from scoring.loader import load_facts, load_ruleset
from scoring.render import RENDERERS
from scoring.results import ScoreResult
from tests.golden.test_golden import CASES, EXPECTED, _ruleset_ref

FORMATS = ("md", "html")


def _result(facts: Path) -> ScoreResult:
    ruleset = load_ruleset(_ruleset_ref(facts))
    return score(ruleset, load_facts(facts, ruleset))


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("facts", CASES, ids=lambda path: path.stem)
def test_example_renders_to_its_golden_report(facts: Path, fmt: str, update_golden: bool):
    render = RENDERERS[fmt]
    actual = render(_result(facts))
    assert render(_result(facts)) == actual, "the same facts must give the same bytes"
    expected = EXPECTED / f"{facts.stem}.{fmt}"
    if update_golden:
        expected.parent.mkdir(exist_ok=True)
        expected.write_text(actual, encoding="utf-8", newline="\n")
    assert expected.read_bytes() == actual.encode("utf-8")


@pytest.mark.parametrize("fmt", FORMATS)
def test_every_golden_report_has_an_example(fmt: str):
    assert sorted(path.stem for path in EXPECTED.glob(f"*.{fmt}")) == [path.stem for path in CASES]


def _sheet_content(data: bytes) -> str:
    """A workbook's 自评表 as what a reader sees: each cell's value and number format, the merged
    ranges. Stabler than the zip's bytes across openpyxl releases, and readable in a diff."""
    import io
    import json

    import openpyxl

    book = openpyxl.load_workbook(io.BytesIO(data))
    sheets = {}
    for sheet in book.worksheets:
        cells = [
            [cell.coordinate, str(cell.value), cell.number_format]
            for row in sheet.iter_rows()
            for cell in row
            if cell.value is not None
        ]
        merged = sorted(str(merged) for merged in sheet.merged_cells.ranges)
        sheets[sheet.title] = {"cells": cells, "merged": merged}
    return json.dumps(sheets, ensure_ascii=False, indent=1, sort_keys=True) + "\n"


@pytest.mark.parametrize("facts", CASES, ids=lambda path: path.stem)
def test_example_renders_to_its_golden_workbook(facts: Path, update_golden: bool):
    from scoring.workbook import render_report_xlsx

    ruleset = load_ruleset(_ruleset_ref(facts))
    result = score(ruleset, load_facts(facts, ruleset))
    data = render_report_xlsx(result, ruleset)
    assert render_report_xlsx(result, ruleset) == data, "the same facts must give the same bytes"
    actual = _sheet_content(data)
    expected = EXPECTED / f"{facts.stem}.xlsx.json"
    if update_golden:
        expected.write_text(actual, encoding="utf-8", newline="\n")
    assert expected.read_text(encoding="utf-8") == actual
