"""Workbooks for departments: the facts template to fill in, and reading it back.

``render_template_xlsx(ruleset)`` gives a workbook with two sheets. ``facts`` has a row per
subject line (单位名称, 项目名称, 年度), a cell for 不适用 paths and a row per declared fact: its
name, label, unit and bounds, and an empty value cell (column C) whose data validation follows the
declared type and bounds (a date cell for a date; a list is text, its items separated by ；) and
whose input message repeats the label and unit. ``indicators`` explains every indicator: its
path, its name indented by level, its 分值 and its 评分标准 in words. Only value cells unlock.

``parse_facts_workbook(data, filename, ruleset)`` reads a filled ``facts`` sheet into the same
located data a facts file gives, so every cell is checked by the rules of facts files
(:mod:`scoring.model.values`, ``check_facts``) and every problem names its cell:
``unit.xlsx!facts!C14: [execution] 全年执行数: expected a number, found text '一百'``.

The 自评表 as a workbook is a format of the report (:mod:`scoring.render.result_xlsx`). All pure:
a ruleset in, bytes out, and bytes in, facts out; the same input always gives the same bytes.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from scoring.engine.plan import facts_read
from scoring.model.numbers import percent, trimmed
from scoring.model.ruleset import FactSpec, Ruleset
from scoring.model.tier_scale import tier_scale
from scoring.model.workbook_form import (
    FACTS_SECTION,
    FACTS_SHEET,
    INDICATORS_SHEET,
    LABEL_COLUMN,
    LISTS_SHEET,
    NOT_APPLICABLE_KEY,
    RULESET_KEY,
    SUBJECT_ROWS,
    SUBJECT_SECTION,
    TIER_PARTS,
    VALUE_COLUMN,
    column_letters,
)
from scoring.render.cells import places_format
from scoring.render.panel_sheet import add_panel_sheet
from scoring.render.safe import strip_controls, write_cell
from scoring.render.sheet import alignment as _alignment
from scoring.render.sheet import fill as _fill
from scoring.render.sheet import header as _header
from scoring.render.sheet import print_setup as _print_setup
from scoring.render.sheet import row_height as _height
from scoring.render.sheet import section as _section
from scoring.render.sheet import set_widths as _columns
from scoring.render.sheet import style as _style
from scoring.render.sheet import title as _title
from scoring.render.sheet import workbook_bytes as _workbook_bytes
from scoring.render.standards import standard_text

if TYPE_CHECKING:
    from openpyxl import Workbook
    from openpyxl.worksheet.worksheet import Worksheet

TEMPLATE_HEADERS = ("名称", "说明", "填写值", "单位", "范围", "填写说明")
TEMPLATE_WIDTHS = (20, 34, 24, 8, 14, 52)
INDICATOR_HEADERS = ("路径", "指标", "级次", "分值", "年度指标值", "评分标准")
INDICATOR_WIDTHS = (34, 34, 6, 7, 14, 70)
MAX_PROMPT = 255
MAX_TITLE = 32
"""Excel refuses a data validation whose message is longer than 255 characters, or title than 32."""
MAX_LIST_FORMULA = 255
BOUNDLESS = Decimal("999999999999999")
"""Bounds for a number fact declared without min or max: the largest a fact may be (below 10^15)."""
LEVEL_NAMES = {1: "一级", 2: "二级", 3: "三级"}
DATE_RULE = {"type": "date", "operator": "between", "formula1": "1", "formula2": "2958465"}
INPUT_FILL = "FFF2CC"
LOCKED_FILL = "EDEDED"


# --- the facts template -----------------------------------------------------------------------


def render_template_xlsx(ruleset: Ruleset) -> bytes:
    """The facts workbook to fill in for ``ruleset``; the same ruleset gives the same bytes."""
    import openpyxl
    from openpyxl.workbook.protection import WorkbookProtection

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None  # a new workbook has one sheet
    sheet.title = FACTS_SHEET
    indicators = workbook.create_sheet(INDICATORS_SHEET)
    lists = _Lists(workbook)
    _facts_sheet(sheet, ruleset, lists)
    _indicators_sheet(indicators, ruleset)
    add_panel_sheet(workbook, ruleset)  # only with a panel: its experts' scores
    workbook.security = WorkbookProtection(lockStructure=True)
    return _workbook_bytes(workbook)


@dataclass
class _Lists:
    """Drop-down lists: written into the validation when short, else on a hidden sheet."""

    workbook: Workbook
    sheet: Worksheet | None = None
    column: int = 0

    def formula(self, items: Sequence[str]) -> str:
        inline = ",".join(items)
        if len(inline) <= MAX_LIST_FORMULA and not any("," in i or '"' in i for i in items):
            return f'"{inline}"'
        if self.sheet is None:
            self.sheet = self.workbook.create_sheet(LISTS_SHEET)
            self.sheet.sheet_state = "hidden"
            self.sheet.protection.sheet = True
        self.column += 1
        column = self.column
        for row, item in enumerate(items, start=1):
            write_cell(self.sheet, row, column, item)
        letters = column_letters(column)
        return f"{LISTS_SHEET}!${letters}$1:${letters}${len(items)}"


@dataclass(frozen=True)
class _Entry:
    """One row of the ``facts`` sheet."""

    key: str
    label: str
    unit: str = ""
    bounds: str = ""
    hint: str = ""
    is_input: bool = True
    value: str | None = None
    validation: dict[str, Any] | None = None
    number_format: str = "@"


def _facts_sheet(sheet: Worksheet, ruleset: Ruleset, lists: _Lists) -> None:
    from openpyxl.worksheet.datavalidation import DataValidation

    _columns(sheet, TEMPLATE_WIDTHS)
    _title(sheet, 1, f"{ruleset.title}：填报表", len(TEMPLATE_HEADERS))
    instructions = (
        f"规则集 {ruleset.ref}。只在黄色的“填写值”单元格（C列）填写，其余单元格已锁定。"
        "数字照常输入（1280、52.05、1,280；比率输入 86.75%），是否项选 是 或 否，等级和选项从"
        "下拉列表中选；留空表示未提供，只有不适用的指标读取的事实才可留空。"
        f"填好后评分：scoring score {ruleset.ref} 本文件.xlsx"
    )
    _banner(sheet, 2, instructions, len(TEMPLATE_HEADERS))
    _header(sheet, 3, TEMPLATE_HEADERS)
    sheet.freeze_panes = "A4"
    rows: list[_Entry | str] = [SUBJECT_SECTION]
    rows.append(
        _Entry(
            RULESET_KEY,
            "规则集",
            hint="评分时核对，请勿改动",
            is_input=False,
            value=ruleset.ref,
        )
    )
    rows.extend(_Entry(key, label, hint="文本") for key, label in SUBJECT_ROWS)
    rows.append(
        _Entry(
            NOT_APPLICABLE_KEY,
            "不适用的指标",
            hint="填写 indicators 表中的指标路径，多个用逗号分隔，例如 satisfaction；没有则留空",
        )
    )
    rows.append(FACTS_SECTION)
    read = facts_read(ruleset, set())
    for name, path in facts_read(ruleset, set(), alternatives=True).items():
        read.setdefault(name, f"either {path}")
    for name, spec in ruleset.facts.items():
        rows.extend(_fact_entries(name, spec, ruleset, read.get(name), lists))
    for number, entry in enumerate(rows, start=4):
        if isinstance(entry, str):
            _section(sheet, number, entry, len(TEMPLATE_HEADERS))
            continue
        cells = (entry.key, entry.label, entry.value, entry.unit, entry.bounds, entry.hint)
        for column, text in enumerate(cells, start=1):
            cell = write_cell(sheet, number, column, text)
            _style(cell, wrap=column in (LABEL_COLUMN, 6))
        value = sheet.cell(number, VALUE_COLUMN)
        value.number_format = entry.number_format
        if entry.is_input:
            _unlock(value, INPUT_FILL)
            validation = DataValidation(
                **(entry.validation or {}),
                allow_blank=True,
                showInputMessage=True,
                promptTitle=_clip(entry.label or entry.key, MAX_TITLE),
                prompt=_clip(_prompt(entry), MAX_PROMPT),
            )
            if entry.validation:
                validation.showErrorMessage = True
                validation.errorTitle = "填写有误"
                validation.error = _clip(_prompt(entry), MAX_PROMPT)
            validation.add(value.coordinate)
            sheet.add_data_validation(validation)
        else:
            _fill(value, LOCKED_FILL)
        sheet.row_dimensions[number].height = _height(
            (entry.label, TEMPLATE_WIDTHS[1]), (entry.hint, TEMPLATE_WIDTHS[5])
        )
    _protect(sheet)
    _print_setup(sheet, landscape=False, title_rows="3:3")


def _fact_entries(
    name: str, spec: FactSpec, ruleset: Ruleset, reader: str | None, lists: _Lists
) -> list[_Entry]:
    label, unit = spec.label or name, spec.unit or ""
    use = "无指标读取此项，可不填" if reader is None else f"用于 {reader}"
    if reader is not None and reader.startswith("either "):
        use = f"仅在 {reader.removeprefix('either ')} 选用读取它的方案时填写"
    is_rate = unit == "%"
    if spec.type in ("number", "integer"):
        low = spec.min if spec.min is not None else -BOUNDLESS
        high = spec.max if spec.max is not None else BOUNDLESS
        kind = "whole" if spec.type == "integer" else "decimal"
        validation = {
            "type": kind,
            "operator": "between",
            "formula1": trimmed(low),
            "formula2": trimmed(high),
        }
        what = "整数" if spec.type == "integer" else "数字"
        if is_rate:
            what = "比率，输入 86.75% 或 0.8675"
        number_format = "0.00%" if is_rate else ("0" if spec.type == "integer" else "General")
        bounds = _bounds(spec)
        hint = f"{what}；{use}"
        entry = _Entry(name, label, unit, bounds, hint, validation=validation)
        return [dataclasses.replace(entry, number_format=number_format)]
    if spec.type == "date":  # a day is a number of days to Excel (1 to 2958465: 1900 to 9999)
        entry = _Entry(name, label, unit, "", f"日期，如 2022-12-28；{use}", validation=DATE_RULE)
        return [dataclasses.replace(entry, number_format="yyyy-mm-dd")]
    if spec.type == "list":
        among = f"，限：{'、'.join(spec.options)}" if spec.options else ""
        hint = f"逐项填写，项与项之间用分号（；）隔开或换行（Alt+Enter）{among}；{use}"
        return [_Entry(name, label, unit or "项", _bounds(spec), hint)]
    if spec.type == "boolean":
        validation = {"type": "list", "formula1": lists.formula(("是", "否"))}
        hint = f"是 或 否（下拉选择）；{use}"
        return [_Entry(name, label, unit, "是 / 否", hint, validation=validation)]
    if spec.type == "choice":
        options = spec.options or ()
        validation = {"type": "list", "formula1": lists.formula(options)}
        hint = f"下拉选择：{' | '.join(options)}；{use}"
        return [_Entry(name, label, unit, "", hint, validation=validation)]
    tiers, weight = tier_scale(ruleset, name)  # a tier fact: its label, then points and why
    labels = [tier.label for tier in tiers]
    has_defaults = all(tier.default is not None for tier in tiers)
    scored = "；得分可留空，按等级的默认分计" if has_defaults else "；须在下一行填写得分"
    entries = [
        _Entry(
            name,
            label,
            unit,
            "",
            f"等级（下拉选择）{scored}；{use}",
            validation={"type": "list", "formula1": lists.formula(labels)},
        )
    ]
    spans = "；".join(
        f"{tier.label} {trimmed(tier.range[0] * weight)}–{trimmed(tier.range[1] * weight)}分"
        for tier in tiers
        if weight is not None
    )
    high = weight if weight is not None else BOUNDLESS
    entries.append(
        _Entry(
            f"{name}.score",
            f"{label}：{TIER_PARTS['score']}",
            "分",
            f"0–{trimmed(weight)}" if weight is not None else "≥ 0",
            f"所选等级范围内的得分：{spans}" if spans else "所选等级范围内的得分",
            validation={
                "type": "decimal",
                "operator": "between",
                "formula1": "0",
                "formula2": trimmed(high),
            },
            number_format="General",
        )
    )
    entries.append(
        _Entry(f"{name}.note", f"{label}：{TIER_PARTS['note']}", hint="得分的依据（可不填）")
    )
    return entries


def _bounds(spec: FactSpec) -> str:
    def shown(value: Decimal) -> str:
        return percent(value).replace(".00%", "%") if spec.unit == "%" else trimmed(value)

    if spec.min is not None and spec.max is not None:
        return f"{shown(spec.min)}–{shown(spec.max)}"
    if spec.min is not None:
        return f"≥ {shown(spec.min)}"
    if spec.max is not None:
        return f"≤ {shown(spec.max)}"
    return ""


def _prompt(entry: _Entry) -> str:
    unit = f"（{entry.unit}）" if entry.unit and entry.unit != "分" else ""
    bounds = f"，范围 {entry.bounds}" if entry.bounds else ""
    return f"{entry.label}{unit}{bounds}：{entry.hint}"


def _indicators_sheet(sheet: Worksheet, ruleset: Ruleset) -> None:
    from openpyxl.styles import Alignment, Font

    _columns(sheet, INDICATOR_WIDTHS)
    _title(sheet, 1, f"{ruleset.title}：指标与评分标准", len(INDICATOR_HEADERS))
    _header(sheet, 2, INDICATOR_HEADERS)
    sheet.freeze_panes = "A3"
    number_format = places_format(ruleset.rounding.places)
    for number, (path, level, node) in enumerate(ruleset.walk(), start=3):
        standard = standard_text(node, ruleset)
        cells = (path, node.name, LEVEL_NAMES[level], node.weight, node.target_text, standard)
        for column, value in enumerate(cells, start=1):
            cell = write_cell(sheet, number, column, value)
            _style(cell, wrap=column in (2, 6))
        name = sheet.cell(number, 2)
        name.alignment = Alignment(indent=2 * (level - 1), vertical="center", wrap_text=True)
        if level == 1:
            name.font = Font(bold=True)
        weight = sheet.cell(number, 4)
        weight.number_format = number_format
        weight.alignment = Alignment(horizontal="center", vertical="center")
        sheet.row_dimensions[number].height = _height(
            (" " * 4 * (level - 1) + node.name, INDICATOR_WIDTHS[1]),
            (standard, INDICATOR_WIDTHS[5]),
        )
    _protect(sheet)
    _print_setup(sheet, landscape=True, title_rows="2:2")


def _unlock(cell: Any, color: str) -> None:
    from openpyxl.styles import Protection

    cell.protection = Protection(locked=False)
    _fill(cell, color)


def _banner(sheet: Worksheet, row: int, text: str, width: int) -> None:
    cell = write_cell(sheet, row, 1, text)
    cell.alignment = _alignment(wrap=True, horizontal="left")
    sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=width)
    total = sum(sheet.column_dimensions[column_letters(c)].width or 8 for c in range(1, width + 1))
    sheet.row_dimensions[row].height = _height((text, int(total)))


def _protect(sheet: Worksheet) -> None:
    """Lock the sheet: only unlocked cells take input; columns and rows may still be resized."""
    sheet.protection.sheet = True
    sheet.protection.formatColumns = False
    sheet.protection.formatRows = False


def _clip(text: str, limit: int) -> str:
    """A data validation's title or message: no control characters, at most ``limit`` long."""
    text = strip_controls(text)
    return text if len(text) <= limit else text[: limit - 1] + "…"
