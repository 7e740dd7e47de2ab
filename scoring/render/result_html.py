"""The 自评表 as one self-contained, printable HTML page (A4), with a chart of the points lost.

No scripts, no network: inline CSS only, and the chart is inline SVG. Every piece of text from the
result is escaped, without the control and bidi characters that could disguise it. The same result
always gives the same bytes.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from scoring.model.results import ScoreResult
from scoring.model.ruleset import Ruleset
from scoring.render.cells import NOT_APPLICABLE, PENDING, Cell, cell_text
from scoring.render.panel_html import escape_html as _e
from scoring.render.panel_html import panel_html
from scoring.render.report import Bar, FundRow, IndicatorRow, Report, TotalRow, build_report

SERIF = (
    '"SimSun", "宋体", "NSimSun", "Songti SC", "STSong", "Noto Serif CJK SC", '
    '"Source Han Serif SC", "Noto Serif SC", "AR PL UMing CN", serif'
)
HEADING = (
    '"SimHei", "黑体", "Heiti SC", "STHeiti", "Noto Sans CJK SC", "Source Han Sans SC", '
    '"Microsoft YaHei", sans-serif'
)
CSS = f"""\
@page {{ size: A4; margin: 15mm }}
* {{ box-sizing: border-box }}
html {{ background: #e9e9e9 }}
body {{ margin: 0; color: #000; font-family: {SERIF}; font-size: 10pt; line-height: 1.45 }}
main {{ width: 210mm; min-height: 297mm; margin: 0 auto; padding: 15mm; background: #fff }}
h1 {{ margin: 0; font-family: {HEADING}; font-size: 17pt; font-weight: bold; text-align: center;
  letter-spacing: 0.05em }}
.year {{ margin: 1mm 0 0; font-size: 12pt; text-align: center }}
table.subject {{ margin-top: 4mm }}
h2 {{ margin: 3.5mm 0 1mm; break-after: avoid; font-family: {HEADING}; font-size: 11pt;
  font-weight: bold }}
table {{ width: 100%; border-collapse: collapse; table-layout: fixed; border: 1.5px solid #000;
  font-size: 9.5pt }}
table + table {{ margin-top: -1.5px }}
th, td {{ border: 1px solid #000; padding: 0.7mm 0.8mm; vertical-align: middle;
  overflow-wrap: anywhere }}
th {{ font-weight: bold; text-align: center }}
td.name, td.num, td.text {{ text-align: center }}
td.l1 {{ font-weight: bold }}
td.num {{ white-space: nowrap; font-variant-numeric: tabular-nums }}
td.note {{ font-size: 8.5pt; text-align: left; line-height: 1.35 }}
td.value {{ text-align: left }}
td.na {{ color: #444 }}
td.several {{ font-size: 8pt; line-height: 1.3 }}
th.section {{ font-family: {HEADING}; letter-spacing: 0.3em; font-size: 10.5pt }}
tr {{ break-inside: avoid }}
thead {{ display: table-header-group }}
tbody.totals {{ break-inside: avoid }}
tbody.totals th, tbody.totals td.num {{ font-weight: bold }}
tbody.totals tr:first-child > * {{ border-top-width: 1.5px }}
.mono {{ font-family: "Consolas", "DejaVu Sans Mono", "Noto Sans Mono CJK SC", monospace;
  font-size: 8pt; overflow-wrap: anywhere }}
.chart {{ break-inside: avoid }}
.chart svg {{ display: block; width: 100%; height: auto }}
.chart text {{ font-size: 12px }}
.chart text.l1 {{ font-weight: bold }}
.chart text.axis {{ font-size: 10px; fill: #555 }}
.chart .lost {{ fill: #a00000 }}
.chart .grid {{ stroke: #ccc; stroke-width: 0.6 }}
.chart .divider {{ stroke: #999; stroke-width: 0.6 }}
.chart .available {{ fill: #fff; stroke: #000; stroke-width: 0.8 }}
.chart .earned.l1 {{ fill: #1f3a5a }}
.chart .earned.l2 {{ fill: #6f8fb0 }}
.chart .na {{ fill: none; stroke: #777; stroke-width: 0.8; stroke-dasharray: 3 2 }}
.legend {{ margin: 1mm 0 0; font-size: 8.5pt; color: #333 }}
.legend i {{ display: inline-block; width: 7mm; height: 2.6mm; margin: 0 1mm 0 3mm;
  vertical-align: -0.3mm; border: 0.8px solid #000 }}
.legend i.earned {{ background: #1f3a5a }}
.legend i.earned2 {{ background: #6f8fb0 }}
.legend i.na {{ border: 0.8px dashed #777 }}
.notes {{ font-size: 8.5pt; break-inside: avoid }}
.notes p {{ margin: 0 }}
.notes ul, .notes ol {{ margin: 0 0 1.5mm; padding-left: 6mm }}
.notes ul.derived {{ columns: 2; column-gap: 8mm }}
footer {{ margin-top: 3mm; padding-top: 1.5mm; border-top: 0.8px solid #000; font-size: 8pt;
  color: #333 }}
@media print {{
  html {{ background: none }}
  main {{ width: auto; min-height: 0; margin: 0; padding: 0 }}
}}
"""

CHART_WIDTH = 720
LABEL_WIDTH = 200
BAR_X = 215
BAR_WIDTH = 330
FIGURES_X = BAR_X + BAR_WIDTH + 12
AXIS_HEIGHT = 18
ROW_HEIGHT = 19
BAR_HEIGHT = 11
FONT_PX = 12
INDENT = 16
HUNDREDTH = Decimal("0.01")
TENTH = Decimal("0.1")


def render_html(result: ScoreResult, ruleset: Ruleset | None = None) -> str:
    """The result as the 自评表 in one HTML page; the same result always gives the same bytes.

    ``ruleset``, the one ``result`` was scored under, gives the units of its facts
    (:func:`~scoring.render.report.build_report`).
    """
    report = build_report(result, ruleset)
    title = f"{report.title} {' '.join(value for _, value in report.subject)}".strip()
    parts = [
        "<!DOCTYPE html>",
        '<html lang="zh-CN">',
        "<head>",
        '<meta charset="utf-8">',
        f'<meta name="generator" content="{_e(report.engine)}">',
        f"<title>{_e(title)}</title>",
        f"<style>\n{CSS}</style>",
        "</head>",
        "<body>",
        "<main>",
        f"<h1>{_e(report.title)}</h1>",
    ]
    if report.year_line:
        parts.append(f'<p class="year">{_e(report.year_line)}</p>')
    parts += _subject_table(report)
    if report.fund is not None:
        parts += _fund_table(report.fund, report.is_audited)
    parts += _indicator_table(report)
    parts += panel_html(report.panel) if report.panel is not None else []
    parts += _chart(report.bars)
    if report.derived or report.notes:
        parts += ['<section class="notes">', "<h2>附注</h2>"]
        if report.derived:
            parts += ["<p>派生值（由事实计算）：</p>", '<ul class="derived">']
            parts += [f"<li>{_e(value)}</li>" for value in report.derived]
            parts.append("</ul>")
        if report.notes:
            parts.append("<ol>")
            parts += [f"<li>{_e(note)}</li>" for note in report.notes]
            parts.append("</ol>")
        parts.append("</section>")
    parts.append(_footer(report))
    parts += ["</main>", "</body>", "</html>"]
    return "\n".join(parts) + "\n"


def _subject_table(report: Report) -> list[str]:
    items = [*report.subject, ("规则集", report.ruleset_ref)]
    rows = []
    for start in range(0, len(items), 2):
        pair = items[start : start + 2]
        cells = []
        for index, (label, value) in enumerate(pair):
            span = ' colspan="3"' if len(pair) == 1 and index == 0 else ""
            kind = "value mono" if start + index == len(items) - 1 else "value"
            cells.append(f'<th>{_e(label)}</th><td class="{kind}"{span}>{_e(value)}</td>')
        rows.append(f"<tr>{''.join(cells)}</tr>")
    fingerprint = (
        f'<tr><th>规则集指纹</th><td class="value mono" colspan="3">'
        f"{_e(report.ruleset_fingerprint)}</td></tr>"
    )
    return [
        '<table class="subject">',
        _colgroup([16, 34, 16, 34]),
        "<tbody>",
        *rows,
        fingerprint,
        "</tbody>",
        "</table>",
    ]


def _fund_table(fund: FundRow, audited: bool) -> list[str]:
    scores = ["自评得分", "审核得分"] if audited else ["得分"]
    header = ["年初预算数", "全年预算数", "全年执行数", "分值", "执行率", *scores, "说明"]
    values = [*fund.amounts, fund.weight, fund.rate]
    values += [fund.self_score, fund.score] if audited else [fund.score]
    widths = [13, 11, 11, 11, 6, 9, 8, 31] if not audited else [13, 11, 11, 11, 5, 9, 9, 9, 22]
    return [
        '<table class="fund">',
        _colgroup(widths),
        "<tbody>",
        "<tr><th>项目资金<br>（万元）</th>"
        + "".join(f"<th>{_e(h)}</th>" for h in header)
        + "</tr>",
        "<tr><th>年度资金总额</th>"
        + "".join(_td(value, "num") for value in values)
        + _td(fund.note, "note")
        + "</tr>",
        "</tbody>",
        "</table>",
    ]


def _indicator_table(report: Report) -> list[str]:
    audited = report.is_audited
    scores = ["自评得分", "审核得分"] if audited else ["得分"]
    header = ["一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", *scores]
    header.append("偏差原因分析及说明")
    widths = [10, 11, 16, 11, 11, 6, 8, 27] if not audited else [9, 10, 14, 10, 10, 5, 9, 9, 24]
    columns = len(header)
    return [
        '<table class="indicators">',
        _colgroup(widths),
        "<thead>",
        f'<tr><th class="section" colspan="{columns}">绩效指标</th></tr>',
        "<tr>" + "".join(f"<th>{_e(h)}</th>" for h in header) + "</tr>",
        "</thead>",
        "<tbody>",
        *(_indicator_row(row, audited) for row in report.rows),
        "</tbody>",
        '<tbody class="totals">',
        *(_total_row(row, audited) for row in report.totals),
        "</tbody>",
        "</table>",
    ]


def _indicator_row(row: IndicatorRow, audited: bool) -> str:
    cells = []
    for cell in row.names:
        spans = _span("rowspan", cell.rowspan) + _span("colspan", cell.colspan)
        cells.append(
            f'<td class="name l{cell.node.level}"{spans} data-path="{_e(cell.node.path)}">'
            f"{_e(cell.node.name)}</td>"
        )
    na = row.leaf.status == "not_applicable"
    scores = [row.self_score, row.score] if audited else [row.score]
    cells.append(_td(row.target, "text"))
    cells.append(_td(row.actual, "text several" if "\n" in row.actual else "text"))
    cells.append(_td(row.weight, "num"))
    cells += [_td(score, "num na" if na else "num") for score in scores]
    cells.append(_td(row.note, "note"))
    return f"<tr>{''.join(cells)}</tr>"


def _total_row(row: TotalRow, audited: bool) -> str:
    scores = [row.self_score, row.score] if audited else [row.score]
    return (
        f'<tr><th colspan="5">{_e(row.label)}</th>'
        + _td(row.weight, "num")
        + "".join(_td(score, "num") for score in scores)
        + _td(row.note, "note")
        + "</tr>"
    )


def _chart(bars: tuple[Bar, ...]) -> list[str]:
    """Points earned against points available per 一级 and 二级 indicator, as horizontal bars."""
    weights = [bar.weight for bar in bars if bar.weight is not None]
    if not weights:
        return []
    most = max(weights)
    scale = Decimal(BAR_WIDTH) / most
    height = AXIS_HEIGHT + ROW_HEIGHT * len(bars) + 6
    parts = [
        '<section class="chart">',
        "<h2>得分与分值（一级、二级指标）</h2>",
        f'<svg viewBox="0 0 {CHART_WIDTH} {height}" width="{CHART_WIDTH}" height="{height}" '
        'role="img" aria-label="各一级、二级指标的得分与分值">',
    ]
    step = _tick_step(most)
    tick = Decimal(0)
    while tick <= most:
        x = _px(BAR_X + tick * scale)
        parts.append(
            f'<line class="grid" x1="{x}" y1="{AXIS_HEIGHT - 4}" x2="{x}" y2="{height - 4}"/>'
        )
        parts.append(
            f'<text class="axis" x="{x}" y="{AXIS_HEIGHT - 8}" text-anchor="middle">{tick}</text>'
        )
        tick += step
    for index, bar in enumerate(bars):
        top = AXIS_HEIGHT + ROW_HEIGHT * index
        if bar.level == 1 and index:
            parts.append(f'<line class="divider" x1="0" y1="{top}" x2="{CHART_WIDTH}" y2="{top}"/>')
        parts += _bar(bar, top, scale)
    parts += ["</svg>", _legend(), "</section>"]
    return parts


def _bar(bar: Bar, top: int, scale: Decimal) -> list[str]:
    level = f"l{bar.level}"
    indent = 0 if bar.level == 1 else INDENT
    baseline = top + ROW_HEIGHT // 2 + FONT_PX // 2 - 1
    bar_top = top + (ROW_HEIGHT - BAR_HEIGHT) // 2
    weight = "" if bar.weight is None else _two(bar.weight)
    score = "" if bar.score is None else _two(bar.score)
    parts = [
        f'<g class="bar {level}" data-path="{_e(bar.path)}" data-weight="{weight}" '
        f'data-applicable="{_two(bar.applicable)}" data-score="{score}">',
        f"<title>{_e(bar.name)}：{_e(_figures_title(bar))}</title>",
        f'<text class="{level}" x="{indent}" y="{baseline}">'
        f"{_e(_fit(bar.name, LABEL_WIDTH - indent))}</text>",
    ]
    if bar.weight is not None and bar.applicable < bar.weight:
        parts.append(
            f'<rect class="na" x="{_px(BAR_X + bar.applicable * scale)}" y="{bar_top}" '
            f'width="{_px((bar.weight - bar.applicable) * scale)}" height="{BAR_HEIGHT}"/>'
        )
    if bar.applicable:
        parts.append(
            f'<rect class="available" x="{BAR_X}" y="{bar_top}" '
            f'width="{_px(bar.applicable * scale)}" height="{BAR_HEIGHT}"/>'
        )
    if bar.score is not None:
        parts.append(
            f'<rect class="earned {level}" x="{BAR_X}" y="{bar_top}" '
            f'width="{_px(bar.score * scale)}" height="{BAR_HEIGHT}"/>'
        )
    parts.append(f'<text x="{FIGURES_X}" y="{baseline}">{_figures(bar)}</text>')
    parts.append("</g>")
    return parts


def _figures(bar: Bar) -> str:
    if bar.score is None:
        available = f"（分值 {_two(bar.weight)}）" if bar.weight is not None else ""
        return f"{PENDING if bar.is_pending else NOT_APPLICABLE}{available}"
    text = f"{_two(bar.score)} / {_two(bar.applicable)}"
    lost = bar.applicable - bar.score
    if lost > 0:
        text += f' <tspan class="lost">失 {_two(lost)}</tspan>'
    if bar.weight is not None and bar.applicable < bar.weight:
        text += f" （不适用 {_two(bar.weight - bar.applicable)}）"
    return text


def _figures_title(bar: Bar) -> str:
    if bar.score is None:
        return PENDING if bar.is_pending else NOT_APPLICABLE
    return f"得分 {_two(bar.score)} / 分值 {_two(bar.applicable)}"


def _legend() -> str:
    return (
        '<p class="legend"><i class="earned"></i>一级指标得分<i class="earned2"></i>二级指标得分'
        '<i></i>分值（空白部分为失分）<i class="na"></i>不适用</p>'
    )


def _footer(report: Report) -> str:
    audit = (
        f' · 审核调整指纹 <span class="mono">{_e(report.audit_fingerprint)}</span>'
        if report.audit_fingerprint
        else ""
    )
    return (
        f"<footer>计算：{_e(report.engine)} · 事实指纹 "
        f'<span class="mono">{_e(report.facts_fingerprint)}</span>{audit}</footer>'
    )


def _tick_step(most: Decimal) -> Decimal:
    for step in (1, 2, 5, 10, 20, 50, 100):
        if most / step <= 10:
            return Decimal(step)
    return (most / 10).to_integral_value()


def _fit(text: str, width: int) -> str:
    """``text``, cut with … when it would not fit ``width`` pixels (CJK a full em, ASCII half)."""
    used = Decimal(0)
    for index, char in enumerate(text):
        used += _char_width(char)
        if used > width:
            return text[: max(index - 1, 0)] + "…"
    return text


def _char_width(char: str) -> Decimal:
    return Decimal(FONT_PX) if ord(char) > 0x2E7F else Decimal(FONT_PX) * Decimal("0.55")


def _colgroup(widths: list[int]) -> str:
    assert sum(widths) == 100
    return "<colgroup>" + "".join(f'<col style="width:{w}%">' for w in widths) + "</colgroup>"


def _td(text: Cell, kind: str) -> str:
    return f'<td class="{kind}">{_e(cell_text(text))}</td>'


def _span(name: str, count: int) -> str:
    return f' {name}="{count}"' if count > 1 else ""


def _two(value: Decimal) -> str:
    return str(value.quantize(HUNDREDTH, rounding=ROUND_HALF_UP))


def _px(value: Decimal | int) -> str:
    return str(Decimal(value).quantize(TENTH, rounding=ROUND_HALF_UP))
