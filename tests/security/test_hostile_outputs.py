"""Hostile text in the files people open: a unit name, a ruleset title or an indicator name
written to be a formula, a heading, a link or reversed text is shown as it is, never run.

Each writer is run through the command line on such names and its file read back the way a
spreadsheet or a Markdown viewer reads it: no workbook cell is a formula, every CSV text cell that
Excel would read as a formula is neutralised (numbers stay numbers), Markdown data opens no
heading, link or HTML, and no bidi override reaches a page or a result's file name.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from markdown_it import MarkdownIt

from scoring.render.safe import FORMULA_STARTS
from tests.helpers import invoke

LINK = '=HYPERLINK("http://evil.example/","点此领取")'
HOSTILE = {
    "title": LINK,
    "budget label": "+cmd|' /C calc'!A0",
    "executed label": "-2+3",
    "option": "@SUM(1+1)",
    "indicator": "=1+1",
    "tabbed indicator": "\t=2+2",
    "unit": '=HYPERLINK("http://evil.example/","某单位")',
    "project": "+项目",
    "reason": "-2+3 理由",
    "by": "@张三",
}
RULESET = f"""\
id: t.hostile
version: "1"
title: '{LINK}'
kind: project
facts:
  全年预算数: {{label: "+cmd|' /C calc'!A0", unit: 万元, min: 0}}
  全年执行数: {{label: "-2+3", unit: 万元, min: 0}}
  结余: {{type: choice, options: ["@SUM(1+1)", 无结余]}}
indicators:
  - {{id: execution, name: "=1+1", weight: 60, method: ratio, actual: 全年执行数,
      target: 全年预算数, target_text: "@SUM(A1)"}}
  - id: balance
    name: "\\t=2+2"
    weight: 40
    method: choice
    fact: 结余
    options: {{"@SUM(1+1)": 40, 无结余: 20}}
"""
YEAR = (
    "2023\\n# 审核结论：优\\n<img src=x onerror=alert(1)> [点此](http://evil.example) "
    "https://evil.example www.evil.example mail@evil.example *强调* `代码` \\u202e优"
)
FACTS = f"""\
subject: {{unit: '{HOSTILE["unit"]}', project: "+项目", year: "{YEAR}"}}
facts: {{全年预算数: 100, 全年执行数: 80, 结余: "@SUM(1+1)"}}
overrides:
  execution: {{points: 50, reason: "-2+3 理由 \\u202eabc", by: "@张三"}}
"""


@pytest.fixture
def here(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / "ruleset.yaml").write_text(RULESET, encoding="utf-8")
    (tmp_path / "facts.yaml").write_text(FACTS, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def formulas(path: Path) -> list[str]:
    """Every formula of a workbook, as openpyxl reads it and as the sheets' XML holds it."""
    found = []
    for sheet in openpyxl.load_workbook(path).worksheets:
        found += [
            cell.coordinate for row in sheet.iter_rows() for cell in row if cell.data_type == "f"
        ]
    with zipfile.ZipFile(path) as archive:
        for name in archive.namelist():
            if name.startswith("xl/worksheets/") and b"<f>" in archive.read(name):
                found.append(name)
    return found


def texts(path: Path) -> set[Any]:
    return {
        cell.value
        for sheet in openpyxl.load_workbook(path).worksheets
        for row in sheet.iter_rows()
        for cell in row
        if isinstance(cell.value, str)
    }


def quoted(path: Path) -> set[Any]:
    """The text of every cell that keeps Excel's quote prefix (text, even once edited)."""
    return {
        cell.value
        for sheet in openpyxl.load_workbook(path).worksheets
        for row in sheet.iter_rows()
        for cell in row
        if cell.quotePrefix
    }


def test_the_self_evaluation_workbook_writes_hostile_names_as_text(here: Path):
    invoke(["score", "ruleset.yaml", "facts.yaml", "--format", "xlsx", "-o", "report.xlsx"])
    assert formulas(here / "report.xlsx") == []
    shown = texts(here / "report.xlsx")
    for name in ("title", "tabbed indicator", "unit", "project", "option"):
        assert HOSTILE[name] in shown, name
    assert {LINK, HOSTILE["unit"], "+项目", "@SUM(1+1)"} <= quoted(here / "report.xlsx")


def test_the_facts_template_writes_hostile_names_as_text(here: Path):
    invoke(["template", "ruleset.yaml", "--format", "xlsx", "-o", "template.xlsx"])
    assert formulas(here / "template.xlsx") == []
    shown = " ".join(texts(here / "template.xlsx"))
    for name in ("budget label", "executed label", "indicator"):
        assert HOSTILE[name] in shown, name


def batch_units(here: Path) -> None:
    rows = [
        ["unit", "project", "year", "全年预算数", "全年执行数", "结余"],
        [HOSTILE["unit"], "+cmd|' /C calc'!A0", "-2+3", "100", "80", "无结余"],
        ["@SUM(1+1)", "\t=1+1", "2023", "100", "90", "无结余"],
        ["普通单位", "项目", "2023", "100", "100", "无结余"],
    ]
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    (here / "units.csv").write_text(buffer.getvalue(), encoding="utf-8")


def test_the_batch_summary_workbook_writes_hostile_names_as_text(here: Path):
    batch_units(here)
    invoke(["batch", "ruleset.yaml", "units.csv", "-o", "summary.xlsx"])
    assert formulas(here / "summary.xlsx") == []
    sheet = openpyxl.load_workbook(here / "summary.xlsx").worksheets[0]
    rows = [[cell.value for cell in row] for row in sheet.iter_rows(min_row=2)]
    assert [row[1:4] for row in rows] == [
        [HOSTILE["unit"], "+cmd|' /C calc'!A0", "-2+3"],
        ["@SUM(1+1)", "\t=1+1", "2023"],
        ["普通单位", "项目", "2023"],
    ]
    assert [row[4] for row in rows] == [68, 74, 80]  # totals stay numbers
    header = [cell.value for cell in sheet[1]]
    assert "=1+1失分" in header


def test_the_batch_summary_csv_neutralises_formulas_and_keeps_numbers(here: Path):
    batch_units(here)
    invoke(["batch", "ruleset.yaml", "units.csv", "-o", "summary.csv"])
    text = (here / "summary.csv").read_text(encoding="utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert "'=1+1失分" in rows[0]
    assert [row[1:5] for row in rows[1:]] == [
        [f"'{HOSTILE['unit']}", "'+cmd|' /C calc'!A0", "'-2+3", "68.00"],
        ["'@SUM(1+1)", "'\t=1+1", "2023", "74.00"],
        ["普通单位", "项目", "2023", "80.00"],
    ]
    for row in rows:
        assert not any(cell.startswith(FORMULA_STARTS) for cell in row), row


def markdown_tokens(text: str) -> list[Any]:
    tokens = MarkdownIt("commonmark").enable("table").parse(text)
    return [*tokens, *(child for token in tokens for child in token.children or ())]


def test_markdown_shows_data_and_opens_no_heading_link_or_html(here: Path):
    result = invoke(["score", "ruleset.yaml", "facts.yaml", "--format", "md"])
    tokens = markdown_tokens(result.stdout)
    headings = [
        "".join(child.content for child in tokens[index + 1].children or ())
        for index, token in enumerate(tokens)
        if token.type == "heading_open"
    ]
    assert headings == [LINK, "项目资金（万元）", "绩效指标"]
    html = [token.content for token in tokens if token.type in ("html_inline", "html_block")]
    assert set(html) == {"<br>"}  # the renderer's own line breaks in table cells
    kinds = {token.type for token in tokens}
    assert not kinds & {"link_open", "image", "em_open"}
    assert [token.type for token in tokens].count("strong_open") == 2  # 总分 and 等级
    code = [token.content for token in tokens if token.type == "code_inline"]
    assert all(re.fullmatch(r"t\.hostile@1|sha256:[0-9a-f]{64}", text) for text in code), code
    assert "\u202e" not in result.stdout
    assert re.search(r"https?://|www\.", result.stdout.replace("\\", "")) is not None
    assert re.search(r"https?://|www\.|\w@\w+\.", result.stdout) is None  # GFM would link them


def test_html_escapes_every_field_and_drops_bidi_overrides(here: Path):
    invoke(["score", "ruleset.yaml", "facts.yaml", "--format", "html", "-o", "report.html"])
    page = (here / "report.html").read_text(encoding="utf-8")
    assert "<img" not in page
    assert "&lt;img src=x onerror=alert(1)&gt;" in page
    assert "\u202e" not in page
    assert "2023<br># 审核结论：优" in page  # a line break in the data, shown as one


def test_a_result_file_is_named_without_bidi_or_control_characters(tmp_path: Path):
    (tmp_path / "ruleset.yaml").write_text(RULESET, encoding="utf-8")
    facts = tmp_path / "facts"
    facts.mkdir()
    (facts / "a.yaml").write_text(
        'subject: {unit: "某单位\\u202egpj.exe", year: "2023\\u0007"}\n'
        "facts: {全年预算数: 100, 全年执行数: 80, 结余: 无结余}\n",
        encoding="utf-8",
    )
    invoke(["batch", tmp_path / "ruleset.yaml", facts, "--results", tmp_path / "out"])
    assert [path.name for path in (tmp_path / "out").iterdir()] == ["某单位gpj.exe-2023.json"]


def test_markdown_of_an_edited_result_keeps_its_identifiers_in_their_code_spans():
    """A result read back from JSON is not checked against the ruleset's id pattern."""
    from scoring.engine.score import score
    from scoring.model.results import EngineInfo
    from scoring.render import render_markdown
    from tests.conftest import facts_from, ruleset_from

    ruleset = ruleset_from(RULESET)
    result = score(ruleset, facts_from(FACTS, ruleset))
    edited = result.model_copy(
        update={
            "ruleset": result.ruleset.model_copy(update={"id": "x`\n# 优\n`<b>y</b>"}),
            "engine": EngineInfo(name="\n# 审核结论：优\n", version="<i>1</i>"),
            "facts_fingerprint": "sha256:`[点此](http://evil.example)`",
        }
    )
    tokens = markdown_tokens(render_markdown(edited))
    headings = [token for token in tokens if token.type == "heading_open"]
    assert len(headings) == 3
    html = {token.content for token in tokens if token.type in ("html_inline", "html_block")}
    assert html == {"<br>"}
    assert not {token.type for token in tokens} & {"link_open", "em_open"}
