"""The 绩效运行监控表 as a workbook: one sheet, each light's cell filled with its colour.

Every cell is written through :func:`scoring.render.safe.write_cell` (text is never a formula);
the bytes are fixed (:func:`scoring.render.sheet.workbook_bytes`): the same result, the same file.
"""

from __future__ import annotations

from scoring.render.monitor import LIGHT_COLOURS, MonitorView
from scoring.render.safe import write_cell
from scoring.render.sheet import fill, header, print_setup, set_widths, style, title, workbook_bytes

WIDTHS = (24, 12, 14, 14, 10, 8, 36, 30, 20, 14, 30)


def render_monitor_xlsx(view: MonitorView) -> bytes:
    """The 监控表 as XLSX bytes: title, subject, the table, the rules and what is owed."""
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None, "a new workbook has a sheet"
    sheet.title = "绩效运行监控表"
    width = len(view.headers)
    light_column = view.light_column + 1
    title(sheet, 1, view.title, width)
    write_cell(sheet, 2, 1, "　".join(f"{label}：{value}" for label, value in view.subject))
    header(sheet, 3, view.headers)
    row = 4
    for line in view.lines:
        for column, text in enumerate(line.cells, start=1):
            cell = write_cell(sheet, row, column, text)
            style(cell, wrap=True, horizontal="center" if column == light_column else "left")
            if column == light_column and line.light is not None:
                fill(cell, LIGHT_COLOURS[line.light])
        row += 1
    for heading, texts in (("监控规则", view.rules), ("待补充说明", view.findings)):
        if texts:
            row += 1
            style(write_cell(sheet, row, 1, heading), bold=True)
            for text in texts:
                row += 1
                write_cell(sheet, row, 1, text)
    write_cell(sheet, row + 2, 1, view.footer)
    set_widths(sheet, WIDTHS)
    print_setup(sheet, landscape=True, title_rows="3:3")
    return workbook_bytes(workbook)
