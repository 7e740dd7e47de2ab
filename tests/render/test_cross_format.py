"""One 自评表, whatever its format: every shipped example's indicator rows read the same in the
terminal breakdown, Markdown, HTML and the workbook.

Each example is scored through the command line into each format, and each output is read back
as its reader sees it: the Markdown table's cells, the HTML table's cells, the workbook's cells as
Excel shows them (a number in its number format), the terminal's rows as a pipe gets them. For
every leaf (the 三级 rows, and a leaf higher up), 实际完成值, 得分 and 偏差原因分析及说明 must be
the same text in all four; the 项目资金 row must be the same in the three files. Beside the
examples: an audited result (two score columns, overrides, 合计) and a form in progress (待填).
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from decimal import Decimal
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import EXAMPLES
from tests.golden.test_golden import CASES
from tests.helpers import invoke
from tests.wording import json_result

Row = tuple[str, str, str]
"""A leaf's 实际完成值, 得分 and 说明, as a reader sees them."""
Rows = list[tuple[str, Row]]
"""Rows in the table's order, each by its indicator's name (names may repeat in other groups)."""
NAME_COLUMNS = 3
FUND_CELLS = 7
"""年初预算数, 全年预算数, 全年执行数, 分值, 执行率, 得分, 说明 (and 自评得分 when audited)."""


def _plain(text: str) -> str:
    """Text as compared: each line without the padding a format adds around it."""
    return "\n".join(line.strip() for line in text.strip().splitlines() if line.strip())


# --- Markdown ---------------------------------------------------------------------------------

_CELL_SPLIT = re.compile(r"(?<!\\)\|")
_LINE_BREAK = re.compile(r"(?<!\\)<br>")
_ESCAPED = re.compile(r"\\(.)")


def _markdown_cells(line: str) -> list[str]:
    cells = _CELL_SPLIT.split(line.strip())[1:-1]
    return [_ESCAPED.sub(r"\1", _LINE_BREAK.sub("\n", cell)).strip() for cell in cells]


def _markdown_table(text: str, heading: str) -> list[list[str]]:
    lines = text.splitlines()
    start = lines.index(heading) + 2  # the heading, a blank line, then the table's header
    rows = []
    for line in lines[start + 2 :]:  # past the header and its rule
        if not line.startswith("|"):
            break
        rows.append(_markdown_cells(line))
    return rows


def markdown_rows(text: str) -> tuple[Rows, list[str] | None]:
    """The leaf rows of the 绩效指标 table, and the 项目资金 row if any."""
    rows = []
    for cells in _markdown_table(text, "## 绩效指标"):
        name = next(cell for cell in reversed(cells[:NAME_COLUMNS]) if cell)
        rows.append((name, (cells[4], cells[-2], cells[-1])))
    fund = _markdown_table(text, "## 项目资金（万元）") if "## 项目资金（万元）" in text else None
    return rows, fund[0] if fund else None


# --- HTML -------------------------------------------------------------------------------------


class _Tables(HTMLParser):
    """The cells of the fund and indicator tables: (class, text) per cell, per row."""

    def __init__(self) -> None:
        super().__init__()
        self.table = ""
        self.section = ""
        self.rows: dict[str, list[list[tuple[str, str]]]] = {"fund": [], "indicators": []}
        self.cell: list[str] | None = None
        self.kind = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "table":
            self.table = found.get("class") or ""
        elif tag in ("thead", "tbody"):
            self.section = f"{tag}.{found.get('class') or ''}"
        elif tag == "tr" and self.table in self.rows:
            self.rows[self.table].append([])
        elif tag in ("td", "th") and self.table in self.rows:
            self.cell, self.kind = [], f"{tag}.{found.get('class') or ''}"
        elif tag == "br" and self.cell is not None:
            self.cell.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th") and self.cell is not None:
            self.rows[self.table][-1].append((self.kind, "".join(self.cell)))
            self.cell = None

    def handle_data(self, data: str) -> None:
        if self.cell is not None:
            self.cell.append(data)


def html_rows(page: str) -> tuple[Rows, list[str] | None]:
    """The leaf rows of the indicator table, and the 项目资金 row if any."""
    parser = _Tables()
    parser.feed(page)
    rows = []
    for row in parser.rows["indicators"]:
        names = [text for kind, text in row if kind.startswith("td.name")]
        figures = [text for kind, text in row if kind.startswith("td.") and "name" not in kind]
        if not names or not figures:
            continue  # the header rows, the totals
        rows.append((names[-1], (figures[1], figures[-2], figures[-1])))
    fund = [[text for kind, text in row if kind.startswith("td.")] for row in parser.rows["fund"]]
    fund = [row for row in fund if row]
    return rows, fund[0] if fund else None


# --- the workbook -----------------------------------------------------------------------------


def _shown(cell: Any) -> str:
    """A cell as Excel shows it: a number in its number format."""
    value = cell.value
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    number = Decimal(str(value))
    fmt = cell.number_format
    if fmt.endswith("%"):
        return f"{_places(number * 100, fmt.removesuffix('%'))}%"
    if fmt == "General":
        return str(number.normalize())
    return _places(number, fmt)


def _places(number: Decimal, fmt: str) -> str:
    """``0.00`` → two places; ``0.00##`` → two to four."""
    least = fmt.count("0") - 1 if "." in fmt else 0
    most = least + fmt.count("#")
    shown = number.quantize(Decimal(1).scaleb(-most))
    while most > least and str(shown).endswith("0"):
        most -= 1
        shown = shown.quantize(Decimal(1).scaleb(-most))
    return str(shown)


def workbook_rows(data: bytes) -> tuple[Rows, list[str] | None]:
    """The leaf rows of the 自评表 sheet, and the 项目资金 row if any."""
    import openpyxl

    sheet = openpyxl.load_workbook(io.BytesIO(data))["自评表"]
    table = [[_shown(cell) for cell in row] for row in sheet.iter_rows()]
    header = next(index for index, row in enumerate(table) if row[0] == "一级指标")
    last = len(table[header]) - 1
    rows = []
    for row in table[header + 1 :]:
        if row[0].startswith(("合计", "总分")):
            break
        name = next(cell for cell in reversed(row[:NAME_COLUMNS]) if cell)
        rows.append((name, (row[4], row[last - 1], row[last])))
    fund = next((row[1:] for row in table if row[0] == "年度资金总额"), None)
    return rows, fund


# --- the terminal -----------------------------------------------------------------------------


def terminal_rows(text: str) -> Rows:
    """Every row of the piped breakdown, one per indicator (continuation lines joined)."""
    lines = text.splitlines()
    header = next(line for line in lines if line.startswith("┃"))
    columns = [cell.strip() for cell in header.strip("┃").split("┃")]
    actual = columns.index("实际完成值") if "实际完成值" in columns else None
    score = max(index for index, name in enumerate(columns) if name.endswith("得分"))
    rows: list[tuple[str, list[list[str]]]] = []
    for line in lines[lines.index(header) + 2 :]:
        if not line.startswith("│"):
            break  # the rule above 合计, 总分 and 等级
        cells = [cell.strip() for cell in line.strip("│").split("│")]
        if cells[0]:
            rows.append((cells[0], [[] for _ in columns]))
        for index, cell in enumerate(cells):
            if cell:
                rows[-1][1][index].append(cell)
    return [
        (
            name,
            (
                "\n".join(cells[actual]) if actual is not None else "(no 实际完成值 column)",
                "\n".join(cells[score]),
                "\n".join(cells[-1]),
            ),
        )
        for name, cells in rows
    ]


# --- the comparison ---------------------------------------------------------------------------


def _walk(result: dict[str, Any]) -> list[dict[str, Any]]:
    """Every indicator of a result (as JSON data), parents before children: the terminal's rows."""
    found, stack = [], list(reversed(result["indicators"]))
    while stack:
        node = stack.pop()
        found.append(node)
        stack.extend(reversed(node["children"]))
    return found


def _same(rows: Rows) -> Rows:
    return [(name, (_plain(a), _plain(s), _plain(n))) for name, (a, s, n) in rows]


def _audited(tmp_path: Path) -> list[str | Path]:
    """What no example shows: both layers of overrides (a 自评得分 column), a check's note,
    不适用 indicators rescaling the total (合计), and facts naming another ruleset."""
    from tests.render.test_render import FACTS, NOT_APPLICABLE, OVERRIDE, RULES

    (tmp_path / "ruleset.yaml").write_text(RULES, encoding="utf-8")
    facts = tmp_path / "facts.yaml"
    facts.write_text("ruleset: t.other\n" + FACTS + NOT_APPLICABLE + OVERRIDE, encoding="utf-8")
    audit = tmp_path / "audit.yaml"
    audit.write_text(
        "overrides:\n  execution: {points: 7, reason: 执行数含预付款, by: 财政局 赵六}\n",
        encoding="utf-8",
    )
    return ["score", tmp_path / "ruleset.yaml", facts, "--overrides", audit]


def _in_progress(tmp_path: Path) -> list[str | Path]:
    """A form in progress: two facts blank, their indicators 待填, the grade withheld."""
    text = (EXAMPLES / "xinfang-wangcheng-2022.yaml").read_text(encoding="utf-8")
    text = text.replace("全年执行数: 128 ", "全年执行数:     ")
    text = text.replace("年内完成拨付: true", "年内完成拨付:")
    (tmp_path / "form.yaml").write_text(text, encoding="utf-8")
    return ["score", tmp_path / "form.yaml", "--partial"]


def _by_year(tmp_path: Path) -> list[str | Path]:
    """Facts naming only a ruleset id published year by year: the version in force for 2022,
    citations beside two indicators, and a 中 that proposes a reduction (结果应用)."""
    text = (EXAMPLES / "xinfang-wangcheng-2022.yaml").read_text(encoding="utf-8")
    text = text.replace("ruleset: xinfang.wangcheng-relief@2022.1", BY_YEAR)
    text = text.replace("救助人数: 48 ", "救助人数: 20 ").replace(
        "再次上访人数: 0", "再次上访人数: 2"
    )
    text = text.replace("  # 年初预算数:", "  下年度预算申请数: 130\n  # 年初预算数:")
    (tmp_path / "by-year.yaml").write_text(text, encoding="utf-8")
    return ["score", tmp_path / "by-year.yaml"]


BY_YEAR = "ruleset: xinfang.wangcheng-relief-by-year"


def _example(facts: Path) -> Callable[[Path], list[str | Path]]:
    return lambda _tmp_path: ["score", facts]


SCORED = {
    **{facts.stem: _example(facts) for facts in CASES},
    "audited": _audited,
    "in-progress": _in_progress,
    "by-year": _by_year,
}
"""Every shipped example, and the cases no example shows."""


def _outputs(args: list[str | Path], tmp_path: Path) -> dict[str, Any]:
    for fmt in ("md", "html", "xlsx"):
        invoke([*args, "-o", tmp_path / f"report.{fmt}"])
    return {
        "nodes": _walk(json_result(invoke([*args, "--json"]).stdout)),
        "md": markdown_rows((tmp_path / "report.md").read_text(encoding="utf-8")),
        "html": html_rows((tmp_path / "report.html").read_text(encoding="utf-8")),
        "xlsx": workbook_rows((tmp_path / "report.xlsx").read_bytes()),
        "terminal": _same(terminal_rows(invoke(args).stdout)),
    }


@pytest.mark.parametrize("case", SCORED)
def test_every_format_shows_the_same_indicator_rows(case: str, tmp_path: Path):
    found = _outputs(SCORED[case](tmp_path), tmp_path)
    nodes, terminal = found["nodes"], found["terminal"]
    (md, md_fund), (page, page_fund), (book, book_fund) = found["md"], found["html"], found["xlsx"]
    assert [name for name, _row in terminal] == [node["name"] for node in nodes]
    leaves = [row for row, node in zip(terminal, nodes, strict=True) if not node["children"]]

    md = _same(md)
    assert _same(page) == md, "html"
    assert _same(book) == md, "xlsx"
    funds = [md_fund, page_fund, book_fund]
    assert [fund is None for fund in funds] == [md_fund is None] * 3
    if md_fund is None:
        assert leaves == md, "terminal"
        return
    # the leaf the 项目资金 row shows is the one the indicator rows leave out
    at = next((index for index, row in enumerate(md) if leaves[index] != row), len(md))
    assert leaves[:at] + leaves[at + 1 :] == md, "terminal"
    fund_leaf = leaves[at]
    assert len(md_fund) == FUND_CELLS + (case == "audited")
    assert [[_plain(cell) for cell in fund] for fund in funds if fund] == [
        [_plain(cell) for cell in md_fund]
    ] * 3
    _name, (_actual, fund_score, fund_note) = fund_leaf
    assert (fund_score, fund_note) == (_plain(md_fund[-2]), _plain(md_fund[-1])), "terminal"


def test_every_format_shows_the_version_in_force_and_the_proposal(tmp_path: Path):
    """The notes under the table: which version scored the year, and 结果应用 with its source."""
    args = _by_year(tmp_path)
    for fmt in ("md", "html", "xlsx"):
        invoke([*args, "-o", tmp_path / f"report.{fmt}"])
    import openpyxl

    book = openpyxl.load_workbook(tmp_path / "report.xlsx")
    texts = {
        "md": (tmp_path / "report.md").read_text(encoding="utf-8").replace("\\", ""),
        "html": (tmp_path / "report.html").read_text(encoding="utf-8"),
        "xlsx": "\n".join(
            str(cell.value) for sheet in book for row in sheet.iter_rows() for cell in row
        ),
        "text": invoke(args).stdout,
    }
    proposal = "等级 中 → 核减（下年度预算申请数 130万元 × 10% = 建议核减 13.00万元）"
    for fmt, text in texts.items():
        flat = re.sub(r"\s+", "", text)
        assert re.sub(r"\s+", "", proposal) in flat, fmt
        assert "依据：《项目支出绩效评价管理办法》（财预〔2020〕10号）" in flat, fmt
        assert "按2022年度选用施行中的版本xinfang.wangcheng-relief-by-year@2022.1" in flat, fmt
        assert "依据：《2022年度信访局信访救助资金绩效自评报告》" in flat, fmt
