"""Every example in examples/ renders to the committed report in every format of the registry.

Text formats (the terminal breakdown as a file gets it, Markdown, HTML, JSON) byte for byte; the
workbook as its cells, number formats and merged ranges (`<example>.xlsx.json`), which is stabler
than the zip's bytes across openpyxl releases and readable in a diff.

The expected files are generated, never hand-edited: `pytest tests/golden --update-golden`
rewrites them; review the diff (and open an HTML one).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from scoring.engine.score import score
from scoring.load.facts import load_facts
from scoring.load.rulesets import load_ruleset
from scoring.render import FORMATS
from tests.golden.test_golden import CASES, EXPECTED, _ruleset_ref
from tests.helpers import check_golden


def _rendered(facts: Path, fmt: str) -> str | bytes:
    ruleset = load_ruleset(_ruleset_ref(facts))
    return FORMATS[fmt].render(score(ruleset, load_facts(facts, ruleset)), ruleset)


def _expected(facts: Path, fmt: str) -> Path:
    suffix = FORMATS[fmt].suffix
    return EXPECTED / f"{facts.stem}{suffix}{'.json' if FORMATS[fmt].is_binary else ''}"


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("facts", CASES, ids=lambda path: path.stem)
def test_example_renders_to_its_golden_report(facts: Path, fmt: str, update_golden: bool):
    rendered = _rendered(facts, fmt)
    assert _rendered(facts, fmt) == rendered, "the same facts must give the same bytes"
    actual = _sheet_content(rendered) if isinstance(rendered, bytes) else rendered
    check_golden(_expected(facts, fmt), actual, update_golden)


@pytest.mark.parametrize("fmt", FORMATS)
def test_every_golden_report_has_an_example(fmt: str):
    ending = _expected(Path("x"), fmt).name.removeprefix("x")
    stems = [path.name.removesuffix(ending) for path in EXPECTED.glob(f"*{ending}")]
    assert sorted(stem for stem in stems if "." not in stem) == [path.stem for path in CASES]


def _sheet_content(data: bytes) -> str:
    """A workbook's sheets as what a reader sees: each cell's value and number format, the
    merged ranges."""
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
