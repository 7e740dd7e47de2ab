"""The 自评表 as GitHub-flavoured Markdown for pasting into a report: header, tables, total.

Every text from the result is escaped wherever it stands, so that data cannot start a heading, a
list or a table row, open a link, an image or raw HTML, or become a link of its own (GFM makes
``https://…`` and ``www.…`` links): a unit name is shown, never rendered.
"""

from __future__ import annotations

import re
from collections.abc import Container

from scoring.model.results import ScoreResult
from scoring.model.ruleset import Ruleset
from scoring.render.cells import cell_text
from scoring.render.report import FundRow, IndicatorRow, Report, build_report
from scoring.render.safe import strip_controls

_SPECIAL = re.compile(r"([\\`*_\[\]<>|&~])")
"""Marks that mean something anywhere in a line: emphasis, code, links, HTML, entities, tables."""
_LEADING = re.compile(r"^(\d{1,9})([.)])|^([#+=-])")
"""Marks that mean something at the start of a line: headings, lists, setext underlines."""
_AUTOLINK = re.compile(r"(?i)(?<=[a-z])(:)(?=//)|(?<=\bwww)(\.)|(@)(?=[a-z0-9_-]+\.[a-z0-9])")
"""What GFM turns into a link without brackets: ``scheme://``, ``www.``, ``name@host``."""


def render_markdown(result: ScoreResult, ruleset: Ruleset | None = None) -> str:
    """The result as the 自评表 in Markdown; the same result always gives the same bytes.

    ``ruleset``, the one ``result`` was scored under, gives the units of its facts
    (:func:`~scoring.render.report.build_report`).
    """
    report = build_report(result, ruleset)
    lines = [f"# {markdown_inline(report.title)}", ""]
    if report.year_line:
        lines += [markdown_inline(report.year_line), ""]
    lines += [
        f"- {markdown_inline(label)}：{markdown_inline(value)}" for label, value in report.subject
    ]
    lines += [
        f"- 规则集：{_code(report.ruleset_ref)}",
        f"- 规则集指纹：{_code(report.ruleset_fingerprint)}",
        "",
    ]
    scores = ["自评得分", "审核得分"] if report.is_audited else ["得分"]
    if report.fund is not None:
        lines += ["## 项目资金（万元）", ""]
        lines += _table(
            ["年初预算数", "全年预算数", "全年执行数", "分值", "执行率", *scores, "说明"],
            [_fund_cells(report.fund, report.is_audited)],
            right=range(6 + report.is_audited),
        )
    lines += ["## 绩效指标", ""]
    names = ["一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值"]
    lines += _table(
        [*names, *scores, "偏差原因分析及说明"],
        [_row_cells(row, report.is_audited) for row in report.rows],
        right=range(5, 7 + report.is_audited),
    )
    lines += _total_lines(report)
    if report.panel is not None:
        lines += ["## 专家评分", ""]
        cells = [[cell_text(cell) for cell in row.cells] for row in report.panel.rows]
        lines += _table(list(report.panel.headers), cells, right=report.panel.numeric)
    if report.derived or report.notes:
        lines += ["## 附注", ""]
        lines += [f"- 派生值 {markdown_inline(value)}" for value in report.derived]
        lines += [f"- {markdown_inline(note)}" for note in report.notes]
        lines.append("")
    audit = f" · 审核调整指纹 {_code(report.audit_fingerprint)}" if report.audit_fingerprint else ""
    engine = markdown_inline(report.engine)
    lines += ["---", "", f"{engine} · 事实指纹 {_code(report.facts_fingerprint)}{audit}"]
    return "\n".join(lines) + "\n"


def _table(header: list[str], rows: list[list[str]], right: Container[int]) -> list[str]:
    rule = ["---:" if index in right else "---" for index in range(len(header))]
    return [
        _line(header),
        "|" + "|".join(rule) + "|",
        *(_line([markdown_cell(text) for text in row]) for row in rows),
        "",
    ]


def _line(cells: list[str]) -> str:
    return "| " + " | ".join(cells) + " |"


def _fund_cells(fund: FundRow, audited: bool) -> list[str]:
    scores = [fund.self_score, fund.score] if audited else [fund.score]
    return [*map(cell_text, (*fund.amounts, fund.weight, fund.rate, *scores)), fund.note]


def _row_cells(row: IndicatorRow, audited: bool) -> list[str]:
    names = ["", "", ""]
    for cell in row.names:
        names[cell.column] = cell.node.name
    scores = [row.self_score, row.score] if audited else [row.score]
    figures = [cell_text(cell) for cell in (row.weight, *scores)]
    return [*names, row.target, row.actual, *figures, row.note]


def _total_lines(report: Report) -> list[str]:
    total = next(row for row in report.totals if row.label == "总分")
    grade = next(row for row in report.totals if row.label == "等级")
    grade_text, own_grade = (
        markdown_inline(report.grade),
        markdown_inline(cell_text(grade.self_score)),
    )
    own, most = cell_text(total.self_score), cell_text(total.weight)
    if report.is_audited:
        total_line = f"**总分：{report.total}**（审核；自评 {own}；满分 {most}）"
        grade_line = f"**等级：{grade_text}**（审核；自评 {own_grade}）"
    else:
        total_line = f"**总分：{report.total}**（满分 {most}）"
        grade_line = f"**等级：{grade_text}**"
    lines = [total_line, ""]
    for note in total.note.splitlines():
        lines += [markdown_inline(note), ""]
    return [*lines, grade_line, ""]


def markdown_cell(text: str) -> str:
    """A table cell: Markdown and HTML specials escaped, line breaks as ``<br>``."""
    return "<br>".join(_escape(line.strip()) for line in strip_controls(text).splitlines())


def markdown_inline(text: str) -> str:
    """Text that may start a line: line breaks as spaces, specials and leading marks escaped."""
    return _LEADING.sub(_escape_leading, _escape(" ".join(strip_controls(text).split())))


def _code(text: str) -> str:
    """An identifier as code (an id@version, a fingerprint): one line, no backtick to close it."""
    return "`" + " ".join(strip_controls(text).replace("`", "'").split()) + "`"


def _escape(text: str) -> str:
    return _AUTOLINK.sub(lambda found: "\\" + found[0], _SPECIAL.sub(r"\\\1", text))


def _escape_leading(found: re.Match[str]) -> str:
    r"""``# x`` → ``\# x``, ``1. x`` → ``1\. x``: not a heading, not a list."""
    return f"{found[1]}\\{found[2]}" if found[1] else f"\\{found[3]}"
