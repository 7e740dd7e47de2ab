"""The 自评表 as a workbook (one sheet, 自评表), laid out from the one view model.

The subject, the ruleset and the fingerprints, the 项目资金 block, the indicator rows under their
merged 一级 and 二级 cells, then 合计, 总分 and 等级, and the notes below. Every cell is a cell of
:func:`~scoring.render.report.build_report`'s report: a number is a number cell whose number
format shows it as the other formats print it, text is text (never a formula). The same result
always gives the same bytes.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from scoring.model.results import IndicatorResult, ScoreResult
from scoring.model.ruleset import Ruleset
from scoring.render import sheet as xl
from scoring.render.cells import Cell, Number
from scoring.render.panel_xlsx import PANEL_SHEET, write_panel_sheet
from scoring.render.report import FUND_FACTS, IndicatorRow, Report, TotalRow, build_report
from scoring.render.safe import write_cell

if TYPE_CHECKING:
    from openpyxl.cell.cell import Cell as SheetCell
    from openpyxl.worksheet.worksheet import Worksheet

SHEET = "自评表"


@dataclass(frozen=True)
class _Layout:
    """Where the 自评表's columns are: 一级 … 分值, the score columns, 偏差原因分析."""

    is_audited: bool

    @property
    def scores(self) -> tuple[str, ...]:
        return ("自评得分", "审核得分") if self.is_audited else ("得分",)

    @property
    def headers(self) -> tuple[str, ...]:
        names = ("一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值")
        return (*names, *self.scores, "偏差原因分析及说明")

    @property
    def widths(self) -> tuple[int, ...]:
        scores = (9, 9) if self.is_audited else (9,)
        return (12, 14, 24, 12, 14, 8, *scores, 46)

    @property
    def last(self) -> int:
        return len(self.headers)

    @property
    def score(self) -> int:
        """The column of the score that counts (审核得分 when audited)."""
        return self.last - 1

    @property
    def weight(self) -> int:
        return 6


def render_xlsx(result: ScoreResult, ruleset: Ruleset | None = None) -> bytes:
    """The result as the 自评表 workbook; the same result (and ruleset), the same bytes.

    ``ruleset``, the one ``result`` was scored under, gives the units of its facts
    (:func:`~scoring.render.report.build_report`).
    """
    import openpyxl

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None  # a new workbook has one sheet
    sheet.title = SHEET
    report = build_report(result, ruleset)
    _Writer(sheet, report).write()
    if report.panel is not None:  # a sheet of its own, as the 专家评分汇总表 is a table of its own
        write_panel_sheet(workbook.create_sheet(PANEL_SHEET), report.panel)
    return xl.workbook_bytes(workbook)


class _Writer:
    """Writes the report row by row."""

    def __init__(self, sheet: Worksheet, report: Report):
        self.sheet, self.report = sheet, report
        self.layout = _Layout(report.is_audited)
        self.row = 0
        self.merges: list[tuple[int, int, int, int]] = []

    def write(self) -> None:
        layout, report, sheet = self.layout, self.report, self.sheet
        xl.set_widths(sheet, layout.widths)
        self.row = 1
        xl.title(sheet, 1, report.title, layout.last)
        sheet.row_dimensions[1].height = 30
        for label, text in self._header_lines():
            self._line(label, text)
        if report.fund is not None:
            self.row += 1
            self._fund_block()
        self.row += 1
        xl.section(sheet, self.row + 1, "绩效指标", layout.last)
        self.row += 2
        xl.header(sheet, self.row, layout.headers)
        header_row = self.row
        for row in report.rows:
            self._leaf(row)
        for total in report.totals:
            self._total(total)
        notes = [f"派生值 {value}" for value in report.derived]
        notes += [f"注：{note}" for note in report.notes]
        for note in notes:
            self.row += 1
            cell = write_cell(sheet, self.row, 1, note)
            cell.alignment = xl.alignment(wrap=True, horizontal="left")
            self._merge(self.row, 1, self.row, layout.last)
            sheet.row_dimensions[self.row].height = xl.row_height((note, sum(layout.widths)))
        for first_row, first_column, last_row, last_column in self.merges:
            sheet.merge_cells(
                start_row=first_row,
                start_column=first_column,
                end_row=last_row,
                end_column=last_column,
            )
        xl.print_setup(sheet, landscape=True, title_rows=f"{header_row}:{header_row}")

    # the header: subject, ruleset, fingerprints

    def _header_lines(self) -> Iterator[tuple[str, str]]:
        report = self.report
        yield from report.subject
        yield "规则集", f"{report.ruleset_ref}  {report.ruleset_fingerprint}"
        yield "事实指纹", report.facts_fingerprint
        if report.audit_fingerprint is not None:
            yield "审核调整指纹", report.audit_fingerprint

    def _line(self, label: str, text: str) -> None:
        self.row += 1
        head = write_cell(self.sheet, self.row, 1, label)
        xl.style(head, bold=True)
        xl.fill(head, xl.HEADER_FILL)
        for column in range(2, self.layout.last + 1):
            xl.style(self.sheet.cell(self.row, column), horizontal="left")
        write_cell(self.sheet, self.row, 2, text)
        self._merge(self.row, 2, self.row, self.layout.last)

    # 项目资金: 年初预算数 | 全年预算数 | 全年执行数 | 分值 | 执行率 | 得分

    def _fund_block(self) -> None:
        layout, fund, sheet = self.layout, self.report.fund, self.sheet
        assert fund is not None
        headers = ("项目资金（万元）", *FUND_FACTS, "分值", "执行率", *layout.scores)
        self.row += 1
        xl.header(sheet, self.row, (*headers, "偏差原因分析及说明"))
        self.row += 1
        scores = (fund.self_score, fund.score) if layout.is_audited else (fund.score,)
        figures = (*fund.amounts, fund.weight, fund.rate, *scores)
        label = write_cell(sheet, self.row, 1, "年度资金总额")
        xl.style(label, horizontal="left")
        for column, figure in enumerate(figures, start=2):
            xl.style(self._figure(column, figure), horizontal="center")
        note = write_cell(sheet, self.row, len(headers) + 1, fund.note)
        xl.style(note, wrap=True, horizontal="center")
        sheet.row_dimensions[self.row].height = xl.row_height((fund.note, layout.widths[-1]))

    # the indicator rows

    def _leaf(self, row: IndicatorRow) -> None:
        self.row += 1
        layout, sheet = self.layout, self.sheet
        for name in row.names:
            column = name.column + 1
            self._name(
                self.row, column, self.row + name.rowspan - 1, column + name.colspan - 1, name.node
            )
        for column, text in ((4, row.target), (5, row.actual)):
            xl.style(write_cell(sheet, self.row, column, text), wrap=True, horizontal="center")
        scores = (row.self_score, row.score) if layout.is_audited else (row.score,)
        for column, figure in enumerate((row.weight, *scores), start=layout.weight):
            xl.style(self._figure(column, figure), wrap=True, horizontal="center")
        note = write_cell(sheet, self.row, layout.last, row.note)
        xl.style(note, wrap=True, horizontal="left")
        leaf = row.leaf
        sheet.row_dimensions[self.row].height = xl.row_height(
            (row.note, layout.widths[-1]),
            (row.actual, layout.widths[4]),
            (leaf.name, sum(layout.widths[leaf.level - 1 : 3])),
        )

    def _figure(self, column: int, figure: Cell) -> SheetCell:
        """A figure: a number cell in its number format, or the text in its place."""
        if isinstance(figure, Number):
            cell = write_cell(self.sheet, self.row, column, figure.value)
            cell.number_format = figure.number_format
            return cell
        return write_cell(self.sheet, self.row, column, figure or None)

    def _name(
        self, first: int, column: int, last: int, last_column: int, node: IndicatorResult
    ) -> None:
        cell = write_cell(self.sheet, first, column, node.name)
        xl.style(cell, wrap=True, bold=node.level == 1)
        for row in range(first, last + 1):
            for each in range(column, last_column + 1):
                if (row, each) != (first, column):
                    xl.style(self.sheet.cell(row, each))
        if (first, column) != (last, last_column):
            self._merge(first, column, last, last_column)

    # 合计, 总分, 等级

    def _total(self, total: TotalRow) -> None:
        self.row += 1
        sheet, layout = self.sheet, self.layout
        for column in range(1, layout.last + 1):
            xl.style(sheet.cell(self.row, column), bold=column <= layout.score)
        write_cell(sheet, self.row, 1, total.label)
        self._merge(self.row, 1, self.row, layout.weight - 1)
        scores = (total.self_score, total.score) if layout.is_audited else (total.score,)
        for column, figure in enumerate((total.weight, *scores), start=layout.weight):
            self._figure(column, figure)
        note = write_cell(sheet, self.row, layout.last, total.note)
        note.alignment = xl.alignment(wrap=True, horizontal="left")
        sheet.row_dimensions[self.row].height = xl.row_height((total.note, layout.widths[-1]))

    def _merge(self, first_row: int, first_column: int, last_row: int, last_column: int) -> None:
        self.merges.append((first_row, first_column, last_row, last_column))
