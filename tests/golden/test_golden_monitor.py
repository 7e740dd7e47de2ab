"""The worked July's 绩效运行监控表 renders to its committed file in every format of the registry.

Text formats byte for byte; the workbook as its cells and fills (``.xlsx.json``). Generated, never
hand-edited: ``pytest tests/golden --update-golden`` rewrites them; review the diff.
"""

from __future__ import annotations

import io
import json

import pytest

from scoring.analysis.monitoring import monitor_file
from scoring.load.rulesets import load_ruleset
from scoring.render.formats import MONITOR_FORMATS
from scoring.render.monitor import build_monitor
from scoring.render.monitor_formats import monitor_renderer
from tests.conftest import EXAMPLES
from tests.golden.test_golden import EXPECTED
from tests.helpers import check_golden

JULY = EXAMPLES / "worked-year" / "monitor-2022-07.yaml"


def _sheet(data: bytes) -> str:
    import openpyxl

    sheet = openpyxl.load_workbook(io.BytesIO(data)).active
    assert sheet is not None
    cells = [
        [cell.coordinate, str(cell.value), cell.fill.fgColor.rgb if cell.fill.fill_type else None]
        for row in sheet.iter_rows()
        for cell in row
        if cell.value is not None
    ]
    return json.dumps(cells, ensure_ascii=False, indent=1) + "\n"


@pytest.mark.parametrize("fmt", MONITOR_FORMATS)
def test_the_worked_july_renders_to_its_golden_table(fmt: str, update_golden: bool):
    ruleset = load_ruleset(EXAMPLES / "worked-year" / "ruleset-2022.yaml")
    view = build_monitor(monitor_file(ruleset, JULY))
    rendered = monitor_renderer(fmt)(view)
    assert monitor_renderer(fmt)(view) == rendered, "the same facts must give the same bytes"
    known = MONITOR_FORMATS[fmt]
    actual = _sheet(rendered) if isinstance(rendered, bytes) else rendered
    name = f"monitor-2022-07{known.suffix}{'.json' if known.is_binary else ''}"
    check_golden(EXPECTED / "monitor" / name, actual, update_golden)
