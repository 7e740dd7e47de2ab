"""The 绩效运行监控表 as a printable HTML page, each light's cell coloured; data escaped."""

from __future__ import annotations

import html

from scoring.render.monitor import LIGHT_COLOURS, MonitorView
from scoring.render.safe import strip_controls

CSS = """body { margin: 1em; font-family: "SimSun", "Songti SC", serif; font-size: 10pt }
h1 { font-size: 15pt; text-align: center }
table { border-collapse: collapse; width: 100% }
th, td { border: 1px solid #000; padding: 2px 4px; vertical-align: top }
th { background: #d9e1f2 }
@page { size: A4 landscape; margin: 12mm }
"""


def render_monitor_html(view: MonitorView) -> str:
    """The 监控表 as one self-contained page (no script, no outside resource)."""
    parts = [
        "<!DOCTYPE html>",
        '<html lang="zh-CN">',
        '<head><meta charset="utf-8">',
        f"<title>{_e(view.title)}</title>",
        f"<style>\n{CSS}</style></head>",
        "<body>",
        f"<h1>{_e(view.title)}</h1>",
        "<p>" + "　".join(f"{_e(label)}：{_e(value)}" for label, value in view.subject) + "</p>",
        "<table>",
        "<tr>" + "".join(f"<th>{_e(text)}</th>" for text in view.headers) + "</tr>",
    ]
    for line in view.lines:
        cells = []
        for column, text in enumerate(line.cells):
            colour = ""
            if column == view.light_column and line.light is not None:
                colour = f' style="background:#{LIGHT_COLOURS[line.light]}"'
            cells.append(f"<td{colour}>{_e(text)}</td>")
        parts.append("<tr>" + "".join(cells) + "</tr>")
    parts += ["</table>", "<h2>监控规则</h2>", "<ul>"]
    parts += [f"<li>{_e(rule)}</li>" for rule in view.rules]
    parts.append("</ul>")
    if view.findings:
        parts += ["<h2>待补充说明</h2>", "<ul>"]
        parts += [f"<li>{_e(finding)}</li>" for finding in view.findings]
        parts.append("</ul>")
    parts += [f"<p><small>{_e(view.footer)}</small></p>", "</body>", "</html>", ""]
    return "\n".join(parts)


def _e(text: str) -> str:
    """Text as HTML: escaped, without control characters, line breaks as ``<br>``."""
    return "<br>".join(html.escape(line) for line in strip_controls(text).split("\n"))
