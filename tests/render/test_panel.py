"""The 专家评分 table: one table in every format, every cell safe, the same bytes each time."""

from __future__ import annotations

import io
import re
from decimal import Decimal
from pathlib import Path

import openpyxl

from scoring.engine.score import score
from scoring.load.facts import load_facts
from scoring.load.rulesets import load_ruleset
from scoring.model.results import ScoreResult
from scoring.render.panel import panel_table
from scoring.render.panel_xlsx import PANEL_SHEET
from scoring.render.result_html import render_html
from scoring.render.result_markdown import render_markdown
from scoring.render.result_xlsx import render_xlsx
from scoring.render.terminal import render_text
from tests.conftest import EXAMPLES, RULESETS, facts_from

RULESET = RULESETS / "illustrative" / "project-evaluation-panel-2020.yaml"
FACTS = EXAMPLES / "panel" / "project-evaluation-panel.yaml"
EXPECTED = [
    ["立项依据充分性", "3", "3", "3", "2.5", "3", "2", "算术平均", "2.70", "1", ""],
    [
        "实施效益",
        "20",
        "18",
        "17.5",
        "19",
        "12",
        "20",
        "去掉一个最高分和一个最低分后平均",
        "18.17",
        "8",
        "专家评分分歧较大：最高分与最低分相差8，超过规则集规定的4，请复核",
    ],
]


def _result(path: Path = FACTS) -> ScoreResult:
    ruleset = load_ruleset(RULESET)
    return score(ruleset, load_facts(path, ruleset))


def test_the_example_panel_as_a_table():
    table = panel_table(_result())
    assert table is not None
    assert table.headers[2:7] == ("专家1", "专家2", "专家3", "专家4", "专家5")
    assert [[str(cell) for cell in row.cells] for row in table.rows] == EXPECTED


def _shown(value: object, number_format: str) -> str:
    """A workbook cell as Excel shows it: a number in its number format's places."""
    if value is None:
        return ""
    if isinstance(value, int | float):
        places = len(number_format.partition(".")[2])
        return format(Decimal(str(value)), f".{places}f")
    return str(value)


def test_every_format_shows_the_same_rows():
    result = _result()
    markdown = render_markdown(result).split("## 专家评分", 1)[1].strip().splitlines()
    assert [[cell.strip() for cell in line.split("|")[1:-1]] for line in markdown[2:4]] == EXPECTED
    html = render_html(result)
    for row in EXPECTED:
        cells = "".join(f'<td class="[a-z]+">{re.escape(cell)}</td>' for cell in row)
        assert re.search(cells, html), row
    text = render_text(result)
    for row in EXPECTED:
        assert re.search(r"\s*│\s*".join(map(re.escape, filter(None, row))), text), row
    sheet = openpyxl.load_workbook(io.BytesIO(render_xlsx(result)))[PANEL_SHEET]
    written = [
        [_shown(cell.value, cell.number_format) for cell in line]
        for line in sheet.iter_rows(min_row=3)
    ]
    assert written == EXPECTED


def test_no_cell_of_the_panel_is_a_formula_or_markup(tmp_path):
    facts = (
        FACTS.read_text(encoding="utf-8")
        .replace("专家1", "=HYPERLINK(1)")
        .replace("专家2", "<b>二</b>")
    )
    path = tmp_path / "f.yaml"
    path.write_text(facts, encoding="utf-8")
    result = _result(path)
    sheet = openpyxl.load_workbook(io.BytesIO(render_xlsx(result)))[PANEL_SHEET]
    heading = sheet.cell(2, 3)
    assert heading.value == "=HYPERLINK(1)"
    assert heading.data_type == "s"
    assert "<b>" not in render_html(result)
    assert "&lt;b&gt;二&lt;/b&gt;" in render_html(result)


def test_the_same_panel_gives_the_same_bytes():
    assert render_xlsx(_result()) == render_xlsx(_result())
    assert render_html(_result()) == render_html(_result())


def test_no_panel_no_table(tmp_path):
    facts = FACTS.read_text(encoding="utf-8").split("panel:")[0]
    result = score(load_ruleset(RULESET), facts_from(facts, load_ruleset(RULESET)))
    assert panel_table(result) is None
    assert "## 专家评分" not in render_markdown(result)
    assert openpyxl.load_workbook(io.BytesIO(render_xlsx(result))).sheetnames == ["自评表"]
