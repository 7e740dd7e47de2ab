"""Workbooks for departments: the facts template to fill in, and reading it back.

``render_template_xlsx(ruleset)`` gives a workbook with two sheets. ``facts`` has a row per
subject line (单位名称, 项目名称, 年度), a cell for 不适用 paths and a row per declared fact: its
name, label, unit and bounds, and an empty value cell (column C) whose data validation follows the
declared type and bounds and whose input message repeats the label and unit. ``indicators``
explains every indicator: its path, its name indented by level, its 分值 and its 评分标准 in words.
Both sheets are protected; only the value cells are unlocked.

``parse_facts_workbook(data, filename, ruleset)`` reads a filled ``facts`` sheet into the same
located data a facts file gives, so every cell is checked by the rules of facts files
(:mod:`scoring.model.values`, ``check_facts``) and every problem names its cell:
``unit.xlsx!facts!C14: [execution] 全年执行数: expected a number, found text '一百'``.

The 自评表 as a workbook is a format of the report: :mod:`scoring.render.result_xlsx`.

Everything here is pure (a ruleset in, bytes out, and bytes in, facts out); the same input
always gives the same bytes.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from scoring.engine.plan import facts_read
from scoring.methods import formula_text, percent
from scoring.model.base import plain
from scoring.model.formula import Formula, normalize_name
from scoring.model.ruleset import Band, FactSpec, Indicator, Ruleset, tier_scale
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
)
from scoring.render.safe import strip_controls, write_cell
from scoring.render.sheet import alignment as _alignment
from scoring.render.sheet import fill as _fill
from scoring.render.sheet import header as _header
from scoring.render.sheet import letters as _letters
from scoring.render.sheet import print_setup as _print_setup
from scoring.render.sheet import row_height as _height
from scoring.render.sheet import section as _section
from scoring.render.sheet import set_widths as _columns
from scoring.render.sheet import style as _style
from scoring.render.sheet import title as _title
from scoring.render.sheet import workbook_bytes as _workbook_bytes

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
CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"
INPUT_FILL = "FFF2CC"
LOCKED_FILL = "EDEDED"


# --- the 评分标准 in words --------------------------------------------------------------------


def standard_text(node: Indicator, ruleset: Ruleset) -> str:
    """The 评分标准 of an indicator: its ``standard:``, else a sentence built from its method.

    ``按完成比例计分，满分为止：全年执行数 / 全年预算数``. A group without a ``standard:`` has none.
    """
    if node.standard:
        return " ".join(node.standard.split())
    return method_text(node, ruleset, node.weight)


def method_text(node: Indicator, ruleset: Ruleset, weight: Decimal | None) -> str:
    """A leaf's method and parameters in words (an alternative is scored out of ``weight``).

    Limits and steps of a rate (a fact or derived value with ``unit: "%"``) are written as
    percentages and 百分点: ``预算完成率：≥95%计4分`` rather than ``≥0.95``.
    """
    words = _Words(ruleset, weight)
    method = node.method
    if method is None:
        return ""
    text = getattr(words, method)(node)
    assert isinstance(text, str)
    return text


class _Words:
    """One sentence per method, in the words local scoring tables use."""

    def __init__(self, ruleset: Ruleset, weight: Decimal | None):
        self.ruleset, self.weight = ruleset, weight
        units = {name: spec.unit for name, spec in ruleset.facts.items()}
        units |= {name: spec.unit for name, spec in ruleset.derived.items()}
        self.rates = {normalize_name(name) for name, unit in units.items() if unit == "%"}

    def is_rate(self, formula: Formula | None) -> bool:
        """Whether a formula is the bare name of a rate."""
        if formula is None or len(formula.names) != 1:
            return False
        (name,) = formula.names
        return normalize_name(formula.source.strip()) == name and name in self.rates

    def ratio(self, node: Indicator) -> str:
        zero = {"full": "；指标值为0时得满分", "zero": "；指标值为0时不得分"}
        return (
            f"按完成比例计分，满分为止：{_f(node.actual)} / {_f(node.target)}"
            f"{zero.get(node.on_zero_target, '')}"
        )

    def reverse_ratio(self, node: Indicator) -> str:
        return (
            f"反向指标，按指标值与实际值之比计分，满分为止：{_f(node.target)} / {_f(node.actual)}；"
            "实际值为0的得满分"
        )

    def reverse_linear(self, node: Indicator) -> str:
        return (
            f"反向指标，{_f(node.actual)} 不超过 {_f(node.target)} 的得满分；超出的按超出比例扣分，"
            "达到指标值两倍的不得分"
        )

    def equal(self, node: Indicator) -> str:
        rate = self.is_rate(node.actual)
        target = _literal(node.target)
        shown = _value(target, rate) if target is not None else _f(node.target)
        if node.tolerance:
            return (
                f"{_f(node.actual)} 与 {shown} 相差不超过 {_step(node.tolerance, rate)}（含）的"
                "得满分，否则不得分"
            )
        return f"{_f(node.actual)} 等于 {shown} 的得满分，否则不得分"

    def bands(self, node: Indicator) -> str:
        rate = self.is_rate(node.value)
        steps = "；".join(
            f"{_interval(band, rate)}{_points(band.score)}" for band in node.bands or ()
        )
        rest = f"；其他情况{_points(node.otherwise)}" if node.otherwise else ""
        return f"{_f(node.value)}：{steps}{rest}"

    def threshold(self, node: Indicator) -> str:
        rate = self.is_rate(node.value)
        step, points = node.step or Decimal(0), node.points or Decimal(0)
        parts = {"whole": "（不足一档的不扣）", "started": "（不足一档的按一档计）"}
        part = parts.get(node.steps or "", "")
        if node.at_most is not None:
            full, change = f"≤{_value(node.at_most, rate)}", "超过"
        else:
            full, change = f"≥{_value(node.at_least or Decimal(0), rate)}", "低于"
        return (
            f"{_f(node.value)}{full}的得满分；每{change}{_step(step, rate)}扣{_n(points)}分"
            f"{part}，扣完为止"
        )

    def tiers(self, node: Indicator) -> str:
        texts = []
        for tier in node.tiers or self.ruleset.tiers or ():
            low, high = tier.range
            if self.weight is not None:
                span = f"{_n(low * self.weight)}–{_n(high * self.weight)}分"
                default = tier.default * self.weight if tier.default is not None else None
                fallback = f"，默认{_n(default)}分" if default is not None else ""
            else:
                span = f"{_value(low, True)}–{_value(high, True)}"
                fallback = f"，默认{_value(tier.default, True)}" if tier.default is not None else ""
            texts.append(f"{tier.label} {span}{fallback}")
        return f"定性指标，按 {node.fact} 的等级计分：{'；'.join(texts)}"

    def boolean(self, node: Indicator) -> str:
        false = "不得分" if not node.false_score else f"得{_n(node.false_score)}分"
        return f"{_f(node.value)} 为“是”的得满分，否则{false}"

    def checklist(self, node: Indicator) -> str:
        items = "；".join(
            f"{_circled(index)}{item.name}，得{_n(item.points)}分"
            for index, item in enumerate(node.items or ())
        )
        return f"逐项计分：{items}"

    def deduct(self, node: Indicator) -> str:
        if node.items:
            items = "；".join(
                f"{_circled(index)}{item.name}（{_f(item.count)}）每个扣{_n(item.points)}分"
                for index, item in enumerate(node.items)
            )
            return f"扣分制：{items}；扣完为止"
        return f"{_f(node.count)} 每个扣{_n(node.points or Decimal(0))}分，扣完为止"

    def cases(self, node: Indicator) -> str:
        cases = "；".join(
            f"{case.name or _f(case.when)}，{_points(case.score, '得')}"
            for case in node.cases or ()
        )
        return f"按情形计分：{cases}；其他情况{_points(node.otherwise, '得')}"

    def choice(self, node: Indicator) -> str:
        options = "；".join(
            f"{option}，{_points(points, '得')}" for option, points in (node.options or {}).items()
        )
        return f"按 {node.fact} 计分：{options}"

    def either(self, node: Indicator) -> str:
        choices = []
        for index, alternative in enumerate(node.alternatives or ()):
            text = method_text(alternative, self.ruleset, self.weight)
            named = text if text.startswith(alternative.name) else f"{alternative.name}：{text}"
            choices.append(f"{_circled(index)}{named}")
        return f"以下方案择其一（按先给齐事实的方案计分）：{'；'.join(choices)}"

    def weighted_average(self, node: Indicator) -> str:
        parts = "；".join(
            f"{part.name}（权重 {_n(part.share)}）：{_f(part.value)}" for part in node.parts or ()
        )
        return f"各项按百分制评分，按权重折算：{parts}"

    def formula(self, node: Indicator) -> str:
        return f"得分 = {_f(node.expr)}"


def _f(formula: Formula | None) -> str:
    return "" if formula is None else formula_text(formula.source)


def _literal(formula: Formula | None) -> Decimal | None:
    """The number a formula is, when it is only a number."""
    if formula is None or formula.names:
        return None
    try:
        return Decimal(formula.source.strip())
    except ArithmeticError:
        return None


def _n(value: Decimal) -> str:
    return plain(value.normalize())


def _value(value: Decimal, rate: bool) -> str:
    """A limit: a rate as a percentage (0.95 → 95%)."""
    return f"{_n(value.scaleb(2))}%" if rate else _n(value)


def _step(value: Decimal, rate: bool) -> str:
    """A step or tolerance: for a rate in 百分点 (0.01 → 1个百分点)."""
    return f"{_n(value.scaleb(2))}个百分点" if rate else _n(value)


def _points(score: Decimal, verb: str = "计") -> str:
    return "不得分" if not score else f"{verb}{_n(score)}分"


def _circled(index: int) -> str:
    return CIRCLED[index] if index < len(CIRCLED) else f"({index + 1})"


def _interval(band: Band, rate: bool) -> str:
    if band.equals is not None:
        return f"={_value(band.equals, rate)}"
    ends = (("≥", band.at_least), (">", band.above), ("≤", band.at_most), ("<", band.below))
    return "且".join(f"{sign}{_value(end, rate)}" for sign, end in ends if end is not None)


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
        letters = _letters(column)
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
            "formula1": _n(low),
            "formula2": _n(high),
        }
        what = "整数" if spec.type == "integer" else "数字"
        if is_rate:
            what = "比率，输入 86.75% 或 0.8675"
        number_format = "0.00%" if is_rate else ("0" if spec.type == "integer" else "General")
        bounds = _bounds(spec)
        hint = f"{what}；{use}"
        entry = _Entry(name, label, unit, bounds, hint, validation=validation)
        return [dataclasses.replace(entry, number_format=number_format)]
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
        f"{tier.label} {_n(tier.range[0] * weight)}–{_n(tier.range[1] * weight)}分"
        for tier in tiers
        if weight is not None
    )
    high = weight if weight is not None else BOUNDLESS
    entries.append(
        _Entry(
            f"{name}.score",
            f"{label}：{TIER_PARTS['score']}",
            "分",
            f"0–{_n(weight)}" if weight is not None else "≥ 0",
            f"所选等级范围内的得分：{spans}" if spans else "所选等级范围内的得分",
            validation={
                "type": "decimal",
                "operator": "between",
                "formula1": "0",
                "formula2": _n(high),
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
        return percent(value).replace(".00%", "%") if spec.unit == "%" else _n(value)

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
    number_format = _places_format(ruleset.rounding.places)
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
    total = sum(sheet.column_dimensions[_letters(c)].width or 8 for c in range(1, width + 1))
    sheet.row_dimensions[row].height = _height((text, int(total)))


def _protect(sheet: Worksheet) -> None:
    """Lock the sheet: only unlocked cells take input; columns and rows may still be resized."""
    sheet.protection.sheet = True
    sheet.protection.formatColumns = False
    sheet.protection.formatRows = False


def _places_format(places: int) -> str:
    """The number format of a score: ``0.00`` for 2 places."""
    return "0." + "0" * places if places else "0"


def _clip(text: str, limit: int) -> str:
    """A data validation's title or message: no control characters, at most ``limit`` long."""
    text = strip_controls(text)
    return text if len(text) <= limit else text[: limit - 1] + "…"
