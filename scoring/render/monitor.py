"""THE 绩效运行监控表 view model, and its plain formats (Markdown, CSV, JSON).

Every format of ``scoring monitor`` (terminal, Markdown, HTML, XLSX, CSV, JSON) lays out
:func:`build_monitor`'s :class:`MonitorView` and computes nothing of its own, so the 监控表 a
department sends reads the same in each: one row per monitored indicator with its 年度指标值,
what was due by the month, what was done, the 进度, the light, the arithmetic, the explanation
a red or yellow light needs and what green still needs by year end; then the project's light,
the rule of each method, and what is still owed (findings). Chinese in every format.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from scoring.model.documents import json_text
from scoring.model.monitor_results import MonitorResult, MonitorRow
from scoring.model.monitoring import LIGHT_ORDER, LIGHT_WORDS, Light
from scoring.render.cells import DASH
from scoring.render.result_markdown import markdown_cell, markdown_inline
from scoring.render.safe import csv_cell

HEADERS = (
    "指标",
    "年度指标值",
    "截至当月应完成",
    "实际完成值",
    "进度（%）",
    "灯色",
    "说明",
    "偏差原因",
    "全年预计完成情况",
    "完成目标可能性",
    "年底达绿尚需",
)
PROJECT = "项目整体"
"""The last row's name: the project's light, rolled up."""
LIGHT_COLOURS: dict[Light, str] = {
    "red": "F4B6B6",
    "yellow": "FFE699",
    "green": "C6EFCE",
    "blue": "9BC2E6",
}
"""Each light's background, in the workbook and on the page (pale enough to print)."""
ROLLUPS = {"worst": "取各指标最差灯色", "budget_and_goal": "预算执行进度 × 绩效目标实现程度"}


@dataclass(frozen=True)
class MonitorLine:
    """One row of the 监控表: its cells as text, and its light (None for none) to colour."""

    cells: tuple[str, ...]
    light: Light | None


@dataclass(frozen=True)
class MonitorView:
    """Every cell of the 绩效运行监控表, decided once."""

    title: str
    subject: tuple[tuple[str, str], ...]
    headers: tuple[str, ...]
    lines: tuple[MonitorLine, ...]
    rules: tuple[str, ...]
    findings: tuple[str, ...]
    footer: str
    data: dict[str, Any]
    """What the JSON format writes: the result (or the summary) itself, not its Chinese cells."""

    @property
    def light_column(self) -> int:
        """The index of the 灯色 (or 项目灯色) column, whose cells are coloured."""
        return next(i for i, text in enumerate(self.headers) if text.endswith("灯色"))


def build_monitor(result: MonitorResult) -> MonitorView:
    """The 监控表 of ``result``: the subject, a line per indicator, the project's light."""
    year, month = result.as_of.split("-")
    subject = result.subject
    name = subject.get("project") or result.title
    title = f"{name}绩效运行监控表（截至{year}年{int(month)}月）"
    shown = [("单位", subject.get("unit")), ("项目", subject.get("project"))]
    shown.append(("监控期", f"{year}年1—{int(month)}月"))
    lines = [MonitorLine(_cells(row), row.light) for row in result.rows]
    rollup = f"项目灯色：{ROLLUPS[result.rollup]}"
    project = LIGHT_WORDS[result.light] if result.light else DASH
    lines.append(
        MonitorLine((PROJECT, "", "", "", "", project, rollup, "", "", "", ""), result.light)
    )
    return MonitorView(
        title=title,
        subject=tuple((label, value) for label, value in shown if value),
        headers=HEADERS,
        lines=tuple(lines),
        rules=tuple(f"{row.name}：{row.rule}" for row in result.rows),
        findings=tuple(f"{_name(result, f.path)}：{f.message}" for f in result.findings),
        footer=f"{result.ruleset} {result.fingerprint}",
        data=result.model_dump(mode="json"),
    )


def _cells(row: MonitorRow) -> tuple[str, ...]:
    said = row.explained
    reason = f"{said.category}：{said.reason}" if said.category and said.reason else said.reason
    return (
        row.name,
        row.target,
        row.due or DASH,
        row.actual,
        DASH if row.rate is None else str(row.rate),
        LIGHT_WORDS[row.light],
        row.explanation,
        reason or "",
        said.forecast or "",
        said.likelihood or "",
        row.gap,
    )


def _name(result: MonitorResult, path: str) -> str:
    return next((row.name for row in result.rows if row.path == path), path)


def render_monitor_markdown(view: MonitorView) -> str:
    """The 监控表 as Markdown: every text escaped, the lights in words."""
    lines = [f"# {markdown_inline(view.title)}", ""]
    lines += [f"- {label}：{markdown_inline(value)}" for label, value in view.subject]
    lines += ["", "| " + " | ".join(view.headers) + " |", "|" + "---|" * len(view.headers)]
    lines += ["| " + " | ".join(map(markdown_cell, line.cells)) + " |" for line in view.lines]
    for heading, texts in (("监控规则", view.rules), ("待补充说明", view.findings)):
        if texts:
            lines += ["", f"## {heading}", ""]
            lines += [f"- {markdown_inline(text)}" for text in texts]
    return "\n".join([*lines, "", markdown_inline(view.footer), ""])


def render_monitor_csv(view: MonitorView) -> str:
    """The 监控表's rows as CSV (the headers first), each cell safe from formulas."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(view.headers)
    for line in view.lines:
        writer.writerow([csv_cell(cell) for cell in line.cells])
    return out.getvalue()


def render_monitor_json(view: MonitorView) -> str:
    """The view's data as JSON: sorted keys, the same bytes for the same input."""
    return json_text(view.data)


SUMMARY_HEADERS = (
    "来源",
    "单位",
    "项目",
    "监控期",
    "红灯",
    "黄灯",
    "绿灯",
    "蓝灯",
    "项目灯色",
    "待补充说明",
    "错误",
)


def build_monitor_summary(
    ruleset: str, units: Sequence[tuple[str, MonitorResult | str]]
) -> MonitorView:
    """The lights of many units, a line each (``units``: each source and its result or error)."""
    lines: list[MonitorLine] = []
    data: list[dict[str, Any]] = []
    for source, outcome in units:
        if isinstance(outcome, str):
            lines.append(MonitorLine((source, *[""] * 9, outcome), None))
            data.append({"source": source, "error": outcome})
            continue
        counts = [sum(row.light == light for row in outcome.rows) for light in LIGHT_ORDER]
        subject = outcome.subject
        cells = (
            source,
            subject.get("unit", ""),
            subject.get("project", ""),
            outcome.as_of,
            *(str(count) for count in counts),
            LIGHT_WORDS[outcome.light] if outcome.light else DASH,
            str(len(outcome.findings)),
            "",
        )
        lines.append(MonitorLine(cells, outcome.light))
        data.append({"source": source, "result": outcome.model_dump(mode="json")})
    failed = sum(isinstance(outcome, str) for _source, outcome in units)
    line = f"共 {len(units)} 个单位，{failed} 个无法监控"
    return MonitorView(
        title="绩效运行监控汇总",
        subject=(("规则集", ruleset), ("汇总", line)),
        headers=SUMMARY_HEADERS,
        lines=tuple(lines),
        rules=(),
        findings=(),
        footer=ruleset,
        data={"ruleset": ruleset, "units": data},
    )
