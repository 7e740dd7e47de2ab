"""Workbooks for departments: the facts template to fill in, reading it back, the 自评表 as XLSX.

``render_template_xlsx(ruleset)`` gives a workbook with two sheets. ``facts`` has a row per
subject line (单位名称, 项目名称, 年度), a cell for 不适用 paths and a row per declared fact: its
name, label, unit and bounds, and an empty value cell (column C) whose data validation follows the
declared type and bounds and whose input message repeats the label and unit. ``indicators``
explains every indicator: its path, its name indented by level, its 分值 and its 评分标准 in words.
Both sheets are protected; only the value cells are unlocked.

``parse_facts_workbook(data, filename, ruleset)`` reads a filled ``facts`` sheet into the same
located data a facts file gives, so every cell is checked by the rules of facts files
(:mod:`scoring.values`, ``check_facts``) and every problem names its cell:
``unit.xlsx!facts!C14: [execution] 全年执行数: expected a number, found text '一百'``.

``render_report_xlsx(result, ruleset)`` lays a result out as the national 自评表: the subject,
the ruleset and the fingerprints, the 项目资金 block, the indicator rows under their merged 一级
and 二级 cells, then 总分 and 等级. Scores are numbers shown to the ruleset's places.

Everything here is pure (a ruleset or a result in, bytes out, and bytes in, facts out); the same
input always gives the same bytes.
"""

from __future__ import annotations

import dataclasses
import functools
import io
import math
import unicodedata
import zipfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from scoring import values
from scoring.batch import FIXED_TIME, NOT_APPLICABLE_SEPARATORS, fixed_timestamps
from scoring.engine import facts_read
from scoring.errors import FactsError, Issue, SourceLocation
from scoring.formula import Formula, normalize_name
from scoring.i18n import _
from scoring.loader import FactsInput, tier_scale
from scoring.methods import formula_text, percent, show
from scoring.models import Band, Facts, FactSpec, Indicator, Ruleset, TierClaim, plain
from scoring.render.report import (
    DASH,
    EXECUTED_FACT,
    EXECUTION_RATE,
    FUND_FACTS,
    MAX_LISTED_READS,
    NOT_APPLICABLE,
    PENDING,
    SUBJECT_LABELS,
    finding_text,
    total_notes,
)
from scoring.render.safe import strip_controls, write_cell
from scoring.results import (
    NOT_APPLICABLE_EXCLUDED,
    IndicatorResult,
    ScoreResult,
    override_text,
    subject_keys,
)
from scoring.sourcemap import LocatedDict, LocatedList
from scoring.xlsx import (
    CellLocation,
    check_archive,
    check_file_size,
    column_letters,
    open_workbook,
    sheet_rows,
)

if TYPE_CHECKING:
    from openpyxl import Workbook
    from openpyxl.worksheet.worksheet import Worksheet

FACTS_SHEET = "facts"
INDICATORS_SHEET = "indicators"
LISTS_SHEET = "lists"
"""A hidden sheet for drop-down lists too long (or with commas) to write into the validation."""
SUBJECT_SECTION = "【基本信息】"
FACTS_SECTION = "【事实】"
"""Section rows of the ``facts`` sheet: no fact name can contain 【 or 】, so they never clash."""
SUBJECT_ROWS = (("unit", "单位名称"), ("project", "项目名称"), ("year", "年度"))
RULESET_KEY = "ruleset"
NOT_APPLICABLE_KEY = "not_applicable"
TIER_PARTS = {"score": "得分", "note": "说明"}
"""A tier fact's extra rows, ``NAME.score`` and ``NAME.note``: the points and why."""
WORKBOOK_KEYS = ("ruleset", "subject", "facts", "not_applicable")
"""What the ``facts`` sheet holds: overrides need a reason and a name, kept in facts files."""
KEY_COLUMN, LABEL_COLUMN, VALUE_COLUMN = 1, 2, 3
MAX_FORM_ROWS = 10_000
"""The most rows a ``facts`` sheet may have: a template has a few per declared fact."""
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
LINE_HEIGHT = 15.75
INPUT_FILL = "FFF2CC"
HEADER_FILL = "D9E1F2"
SECTION_FILL = "E2EFDA"
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


# --- reading a filled template ----------------------------------------------------------------


@dataclass
class FilledWorkbook:
    """A filled ``facts`` sheet as located data, with what the rows themselves got wrong."""

    data: LocatedDict
    issues: list[Issue]
    score_cells: dict[str, CellLocation]


def workbook_ruleset(data: bytes, filename: str) -> tuple[str | None, SourceLocation]:
    """The ruleset a filled workbook names (its 规则集 row), and the cell it stands in.

    Raises:
        FactsError: when the file is no workbook, or has no ``facts`` sheet.
    """
    source = facts_input(read_filled(data, filename), filename)
    where = source.data.value_locations.get(RULESET_KEY) or _cell(filename, 1, KEY_COLUMN)
    return source.ruleset_ref, where


def read_facts_workbook(path: Path, filename: str) -> FactsInput:
    """A filled facts workbook file as a facts input (see :func:`scoring.loader.read_facts_input`).

    Its size is checked before it is read.

    Raises:
        FactsError: when it is too large, not a workbook, or has no ``facts`` sheet.
        OSError: when it cannot be read.
    """
    check_file_size(path.stat().st_size, filename)
    return facts_input(read_filled(path.read_bytes(), filename), filename)


def is_facts_workbook(path: Path) -> bool:
    """Whether an XLSX file has a ``facts`` sheet (a filled template), by its list of sheets.

    Raises:
        OSError: when it cannot be read.
    """
    check_file_size(path.stat().st_size, str(path))
    try:
        check_archive(path.read_bytes(), str(path), FACTS_SHEET)
    except FactsError:
        return False
    return True


def facts_input(read: FilledWorkbook, filename: str) -> FactsInput:
    """A filled ``facts`` sheet as a facts input, its messages said in the workbook's terms."""
    return FactsInput(
        filename,
        read.data,
        WORKBOOK_KEYS,
        tuple(read.issues),
        is_workbook=True,
        reword=functools.partial(_in_workbook_words, read=read),
    )


def parse_facts_workbook(
    data: bytes, filename: str, ruleset: Ruleset, *, partial: bool = False
) -> Facts:
    """A filled facts workbook (its ``facts`` sheet), checked like a facts file.

    Cells are read as the batch tables read them: a number cell as Excel shows it (15
    significant digits), text by the rules of :mod:`scoring.values`.

    Raises:
        FactsError: with every problem at its cell (``unit.xlsx!facts!C14``).
    """
    return facts_input(read_filled(data, filename), filename).check(ruleset, partial=partial)


TIER_CLAIM_SYNTAX = "{tier: …, score: …, note: …}"
"""How a facts file gives a tier's points: YAML, which the loader's message asks for in any
language, and which a workbook's user writes in the tier's 得分 row instead."""


def _in_workbook_words(issue: Issue, read: FilledWorkbook) -> Issue:
    """A facts-file message that names YAML syntax, said in the workbook's terms.

    Recognised by the syntax it asks for and by what the workbook holds (a tier without
    points), not by its words: those follow the language of messages.
    """
    where = read.score_cells.get(issue.field or "")
    facts = read.data.get("facts")
    given = facts.get(issue.field) if isinstance(facts, dict) and issue.field else None
    tier = given.get("tier") if isinstance(given, dict) and "score" not in given else given
    if where is None or not isinstance(tier, str) or TIER_CLAIM_SYNTAX not in issue.message:
        return issue
    cell = f"{where.sheet}!{column_letters(where.column)}{where.line}"
    message = _("tier {tier!r} has no default score: write its points in its 得分 row, {cell}")
    message = message.format(tier=values.normalise_text(tier), cell=cell)
    return Issue(message, issue.location, issue.path, issue.field)


def read_filled(data: bytes, filename: str) -> FilledWorkbook:
    """A filled workbook's ``facts`` sheet as located data, not yet checked against a ruleset.

    Only its first three columns are read (name, 说明, 填写值), of at most MAX_FORM_ROWS rows.

    Raises:
        FactsError: when it is too large, not a workbook, or has no ``facts`` sheet.
    """
    workbook = open_workbook(data, filename, FACTS_SHEET)
    try:
        rows = sheet_rows(
            workbook[FACTS_SHEET],
            filename,
            max_rows=MAX_FORM_ROWS,
            columns=VALUE_COLUMN,
            sheet_name=FACTS_SHEET,
        )
    finally:
        workbook.close()
    return _rows_data(rows, filename)


def _cell(filename: str, row: int, column: int) -> CellLocation:
    return CellLocation(filename, row, column, sheet=FACTS_SHEET, is_workbook=True)


def _rows_data(rows: list[list[Any]], filename: str) -> FilledWorkbook:
    data, subject, facts = LocatedDict(), LocatedDict(), LocatedDict()
    data.location = _cell(filename, 1, KEY_COLUMN)
    issues: list[Issue] = []
    parts: dict[str, dict[str, tuple[Any, CellLocation]]] = {}
    section = ""
    for number, row in enumerate(rows, start=1):
        key = _text(row[KEY_COLUMN - 1] if row else None)
        given = row[VALUE_COLUMN - 1] if len(row) >= VALUE_COLUMN else None
        value = given if _filled(given) else None
        at, where = _cell(filename, number, KEY_COLUMN), _cell(filename, number, VALUE_COLUMN)
        if key in (SUBJECT_SECTION, FACTS_SECTION):
            section = key
            part = subject if key == SUBJECT_SECTION else facts
            part.location = at
            _put(data, "subject" if key == SUBJECT_SECTION else "facts", part, at, at)
            continue
        if not section:
            continue  # the title, the instructions and the column headers
        if not key:
            if value is not None:
                message = _("a value in a row without a name ({value!r}): delete it").format(
                    value=value
                )
                issues.append(Issue(message, where))
            continue
        if section == FACTS_SECTION:
            base, _dot, part_name = key.rpartition(".")
            if base and part_name in TIER_PARTS:
                parts.setdefault(base, {})[part_name] = (value, where)
            else:
                _put(facts, key, value, at, where)
        elif key == RULESET_KEY:
            _put(data, RULESET_KEY, None if value is None else str(value), at, where)
        elif key == NOT_APPLICABLE_KEY:
            if value is not None:
                paths = NOT_APPLICABLE_SEPARATORS.split(values.normalise_text(str(value)))
                listed = LocatedList(path.strip() for path in paths if path.strip())
                listed.location = where
                listed.item_locations = [where] * len(listed)
                _put(data, NOT_APPLICABLE_KEY, listed, at, where)
        elif key in dict(SUBJECT_ROWS):
            _put(subject, key, value, at, where)
        else:
            message = _("unknown row {key!r}: the rows of {section} are set by the template")
            message = message.format(key=key, section=SUBJECT_SECTION)
            issues.append(Issue(message, at))
    score_cells: dict[str, CellLocation] = {}
    for name, given_parts in parts.items():
        score, score_at = given_parts.get("score", (None, None))
        note, _note_at = given_parts.get("note", (None, None))
        if score_at is not None:
            score_cells[name] = score_at
        if score is None and note is None:
            continue
        if name not in facts:
            message = _("a score or note for {name!r}, which has no row of its own").format(
                name=name
            )
            issues.append(Issue(message, score_at or given_parts["note"][1]))
            continue
        label = facts[name]
        if label is None:
            message = _("a score or note without a tier: choose the tier (等级) first")
            issues.append(Issue(message, facts.value_locations[name], field=name))
            continue
        claim = LocatedDict(tier=label)
        if score is not None:
            claim["score"] = score
        if note is not None:
            claim["note"] = str(note)
        facts[name] = claim
    return FilledWorkbook(data, issues, score_cells)


def _put(data: LocatedDict, key: str, value: Any, at: CellLocation, where: CellLocation) -> None:
    data[key] = value
    data.key_locations[key] = at
    data.value_locations[key] = where


def _filled(value: Any) -> bool:
    return value is not None and not (isinstance(value, str) and not values.normalise_text(value))


def _text(value: Any) -> str:
    return values.normalise_text(str(value)) if _filled(value) else ""


# --- the 自评表 -------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Layout:
    """Where the 自评表's columns are: 一级 … 分值, the score columns, 偏差原因分析."""

    is_audited: bool

    @property
    def headers(self) -> tuple[str, ...]:
        scores = ("自评得分", "审核得分") if self.is_audited else ("得分",)
        names = ("一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值")
        return (*names, *scores, "偏差原因分析及说明")

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


def render_report_xlsx(result: ScoreResult, ruleset: Ruleset) -> bytes:
    """The result as the 自评表 workbook (one sheet, 自评表); the same result, the same bytes.

    ``ruleset`` is the one ``result`` was scored under: it says whether the 项目资金 block is shown
    (when 全年预算数 and 全年执行数 are declared facts) and the places scores are shown to.
    """
    import openpyxl

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None  # a new workbook has one sheet
    sheet.title = "自评表"
    _Report(sheet, result, ruleset).write()
    return _workbook_bytes(workbook)


class _Report:
    """Writes the 自评表 row by row."""

    def __init__(self, sheet: Worksheet, result: ScoreResult, ruleset: Ruleset):
        self.sheet, self.result, self.ruleset = sheet, result, ruleset
        self.layout = _Layout(result.self_total is not None)
        self.places = _places_format(ruleset.rounding.places)
        self.row = 0
        self.merges: list[tuple[int, int, int, int]] = []

    def write(self) -> None:
        layout, result = self.layout, self.result
        _columns(self.sheet, layout.widths)
        self.row = 1
        _title(self.sheet, 1, result.ruleset.title, layout.last)
        self.sheet.row_dimensions[1].height = 30
        for label, text in self._header_lines():
            self._line(label, text)
        fund_leaf = self._fund_leaf()
        if self._has_fund_block():
            self.row += 1
            self._fund_block(fund_leaf)
        self.row += 1
        _section(self.sheet, self.row + 1, "绩效指标", layout.last)
        self.row += 2
        _header(self.sheet, self.row, layout.headers)
        header_row = self.row
        consumed = fund_leaf.path if fund_leaf is not None and self._has_fund_block() else None
        for top in result.indicators:
            if top.path != consumed:
                self._indicator(top)
        self._totals()
        for note in self._notes(consumed):
            self.row += 1
            cell = write_cell(self.sheet, self.row, 1, note)
            cell.alignment = _alignment(wrap=True, horizontal="left")
            self._merge(self.row, 1, self.row, layout.last)
            self.sheet.row_dimensions[self.row].height = _height((note, sum(layout.widths)))
        for first_row, first_column, last_row, last_column in self.merges:
            self.sheet.merge_cells(
                start_row=first_row,
                start_column=first_column,
                end_row=last_row,
                end_column=last_column,
            )
        _print_setup(self.sheet, landscape=True, title_rows=f"{header_row}:{header_row}")

    # the header: subject, ruleset, fingerprints

    def _header_lines(self) -> Iterator[tuple[str, str]]:
        result = self.result
        subject = result.subject
        for key in subject_keys(subject, SUBJECT_LABELS):
            yield SUBJECT_LABELS.get(key, key), subject[key]
        yield (
            "规则集",
            f"{result.ruleset.id}@{result.ruleset.version}  {result.ruleset.fingerprint}",
        )
        yield "事实指纹", result.facts_fingerprint
        if result.audit_fingerprint is not None:
            yield "审核指纹", result.audit_fingerprint

    def _line(self, label: str, text: str) -> None:
        self.row += 1
        head = write_cell(self.sheet, self.row, 1, label)
        _style(head, bold=True)
        _fill(head, HEADER_FILL)
        for column in range(2, self.layout.last + 1):
            _style(self.sheet.cell(self.row, column), horizontal="left")
        write_cell(self.sheet, self.row, 2, text)
        self._merge(self.row, 2, self.row, self.layout.last)

    # 项目资金: 年初预算数 | 全年预算数 | 全年执行数 | 分值 | 执行率 | 得分

    def _has_fund_block(self) -> bool:
        return all(name in self.ruleset.facts for name in FUND_FACTS[1:])

    def _fund_leaf(self) -> IndicatorResult | None:
        """The 一级 leaf that reads 全年执行数 (directly or through derived values), if any."""
        derived = {normalize_name(name): spec for name, spec in self.ruleset.derived.items()}
        nodes = {node.id: node for node in self.ruleset.indicators}
        for top in self.result.indicators:
            node = nodes.get(top.id)
            if top.children or node is None or not node.is_leaf:
                continue
            names = {name for _, formula in node.formulas() for name in formula.names}
            seen: set[str] = set()
            while names:
                name = names.pop()
                seen.add(name)
                if name in derived:
                    names |= set(derived[name].expr.names) - seen
            if normalize_name(EXECUTED_FACT) in seen:
                return top
        return None

    def _fund_block(self, leaf: IndicatorResult | None) -> None:
        layout, result, sheet = self.layout, self.result, self.sheet
        scores = ("自评得分", "审核得分") if layout.is_audited else ("得分",)
        headers = ("项目资金（万元）", *FUND_FACTS, "分值", "执行率", *scores, "偏差原因分析及说明")
        self.row += 1
        _header(sheet, self.row, headers)
        self.row += 1
        given = result.facts.facts
        amounts = [given.get(name) for name in FUND_FACTS]
        rate = result.derived.get(EXECUTION_RATE)
        cells: list[Any] = ["年度资金总额"]
        cells += [value if isinstance(value, Decimal) else None for value in amounts]
        cells.append(leaf.weight if leaf is not None else None)
        cells.append(Decimal(rate.value) if rate is not None else None)
        cells += self._scores(leaf) if leaf is not None else [None] * len(scores)
        cells.append(_leaf_note(leaf, result) if leaf is not None else "")
        for column, value in enumerate(cells, start=1):
            cell = write_cell(sheet, self.row, column, value)
            _style(cell, wrap=column == len(cells), horizontal="left" if column == 1 else "center")
        for column in (2, 3, 4):
            sheet.cell(self.row, column).number_format = "0.00##"
        sheet.cell(self.row, 5).number_format = self.places
        sheet.cell(self.row, 6).number_format = "0.00%"
        for column in range(7, 7 + len(scores)):
            sheet.cell(self.row, column).number_format = self.places
        sheet.row_dimensions[self.row].height = _height((cells[-1], layout.widths[-1]))

    # the indicator rows

    def _indicator(self, top: IndicatorResult) -> None:
        start = self.row + 1
        for second in top.children or (top,):
            second_start = self.row + 1
            for leaf in _leaves(second):
                self._leaf(leaf)
            if second is not top and second.children:
                self._name(second_start, 2, self.row, 2, second)
        if top.children:
            self._name(start, 1, self.row, 1, top)

    def _leaf(self, leaf: IndicatorResult) -> None:
        self.row += 1
        layout, sheet = self.layout, self.sheet
        self._name(self.row, leaf.level, self.row, 3, leaf)
        note = _leaf_note(leaf, self.result)
        cells: list[Any] = [leaf.target_text or "", _actual_text(leaf, self.result, self.ruleset)]
        cells.append(leaf.weight)
        cells += self._scores(leaf)
        cells.append(note)
        for column, value in enumerate(cells, start=4):
            cell = write_cell(sheet, self.row, column, value)
            is_note = column == layout.last
            _style(cell, wrap=True, horizontal="left" if is_note else "center")
            if column >= layout.weight and not is_note:
                cell.number_format = self.places
        sheet.row_dimensions[self.row].height = _height(
            (note, layout.widths[-1]),
            (cells[1], layout.widths[4]),
            (leaf.name, sum(layout.widths[leaf.level - 1 : 3])),
        )

    def _scores(self, node: IndicatorResult) -> list[Any]:
        if node.status != "scored":
            text = NOT_APPLICABLE if node.status == "not_applicable" else PENDING
            return [text] * (2 if self.layout.is_audited else 1)
        own = node.score if node.self_score is None else node.self_score
        return [own, node.score] if self.layout.is_audited else [node.score]

    def _name(
        self, first: int, column: int, last: int, last_column: int, node: IndicatorResult
    ) -> None:
        cell = write_cell(self.sheet, first, column, node.name)
        _style(cell, wrap=True, bold=node.level == 1)
        for row in range(first, last + 1):
            for each in range(column, last_column + 1):
                if (row, each) != (first, column):
                    _style(self.sheet.cell(row, each))
        if (first, column) != (last, last_column):
            self._merge(first, column, last, last_column)

    # 合计, 总分, 等级 and the notes below

    def _totals(self) -> None:
        result, layout = self.result, self.layout
        if result.rescaled:
            blank: list[Any] = [None] if layout.is_audited else []
            scored = [*blank, result.sum]
            label = f"合计（{NOT_APPLICABLE_EXCLUDED}）"
            self._total(label, result.applicable_weight, scored, "")
        notes = total_notes(result)
        own = [result.self_total] if layout.is_audited else []
        self._total("总分", result.max_total, [*own, result.total], "\n".join(notes))
        own_grade = [result.grade_text(result.self_grade, DASH)] if layout.is_audited else []
        self._total("等级", None, [*own_grade, result.grade_text(result.grade, DASH)], "")

    def _total(self, label: str, weight: Decimal | None, scores: list[Any], note: str) -> None:
        self.row += 1
        sheet, layout = self.sheet, self.layout
        for column in range(1, layout.last + 1):
            _style(sheet.cell(self.row, column), bold=column <= layout.score)
        write_cell(sheet, self.row, 1, label)
        self._merge(self.row, 1, self.row, layout.weight - 1)
        write_cell(sheet, self.row, layout.weight, weight).number_format = self.places
        for column, value in enumerate(scores, start=layout.weight + 1):
            write_cell(sheet, self.row, column, value).number_format = self.places
        note_cell = write_cell(sheet, self.row, layout.last, note)
        note_cell.alignment = _alignment(wrap=True, horizontal="left")
        sheet.row_dimensions[self.row].height = _height((note, layout.widths[-1]))

    def _notes(self, consumed: str | None) -> list[str]:
        result = self.result
        notes = []
        for name, derived in result.derived.items():
            unit = f" {derived.unit}" if derived.unit and derived.unit != "%" else ""
            notes.append(f"派生值 {name} = {derived.shown}{unit}")
        shown = {leaf.path for top in result.indicators for leaf in _leaves(top)}
        for finding in result.findings:
            if finding.code in ("rescaled", "pending") or (
                finding.code == "check" and finding.path in shown
            ):
                continue  # shown beside 总分, or beside its indicator
            notes.append(f"注：{finding_text(finding, result)}")
        return notes

    def _merge(self, first_row: int, first_column: int, last_row: int, last_column: int) -> None:
        self.merges.append((first_row, first_column, last_row, last_column))


def _leaves(node: IndicatorResult) -> list[IndicatorResult]:
    if not node.children:
        return [node]
    return [leaf for child in node.children for leaf in _leaves(child)]


def _leaf_note(node: IndicatorResult, result: ScoreResult) -> str:
    """偏差原因分析: the explanation, the checks that hold for the leaf, its overrides."""
    shown = node.explanation and node.status in ("scored", "pending")
    lines = [node.explanation] if shown else []
    lines += [
        f"注：{finding.message}"
        for finding in result.findings
        if finding.code == "check" and finding.path == node.path
    ]
    lines += [override_text(item) for item in node.overrides]
    return "\n".join(lines)


def _actual_text(node: IndicatorResult, result: ScoreResult, ruleset: Ruleset) -> str:
    """实际完成值: the derived value a leaf read, else the fact (or few facts) it read.

    A fact is shown in its unit (the leaf's, else its declared one); a rate as a percentage.
    """
    if node.status != "scored":
        return DASH
    derived = [name for name in node.reads if name in result.derived]
    if derived:
        shown = [result.derived[name] for name in derived]
        texts = [
            f"{item.shown}{item.unit if item.unit and item.unit != '%' else ''}" for item in shown
        ]
        if len(texts) == 1:
            return texts[0]
        return "\n".join(f"{name} {text}" for name, text in zip(derived, texts, strict=True))
    units = {name: spec.unit for name, spec in ruleset.facts.items()}
    if len(node.reads) == 1:
        (name,) = node.reads
        return _fact_text(name, node.reads[name], result, node.unit or units.get(name))
    if len(node.reads) > MAX_LISTED_READS:
        return f"{len(node.reads)}项事实，见偏差原因分析及说明"
    return "\n".join(
        f"{name} {_fact_text(name, text, result, units.get(name))}"
        for name, text in node.reads.items()
    )


def _fact_text(name: str, text: str, result: ScoreResult, unit: str | None) -> str:
    given = result.facts.facts.get(name)
    if isinstance(given, bool):
        return "是" if given else "否"
    if isinstance(given, TierClaim):
        return given.tier if given.score is None else f"{given.tier}（{given.score}分）"
    if isinstance(given, Decimal):
        return percent(given) if unit == "%" else f"{show(given)}{unit or ''}"
    return given if isinstance(given, str) else text


# --- cells, styles and bytes -----------------------------------------------------------------


def _workbook_bytes(workbook: Workbook) -> bytes:
    """The workbook's bytes, dates and archive timestamps fixed: the same input, the same bytes."""
    from openpyxl.writer.excel import ExcelWriter

    workbook.properties.created = workbook.properties.modified = FIXED_TIME
    workbook.properties.creator = "scoring"
    raw = io.BytesIO()
    with zipfile.ZipFile(raw, "w", zipfile.ZIP_DEFLATED) as archive:
        ExcelWriter(workbook, archive).write_data()
    return fixed_timestamps(raw.getvalue())


def _columns(sheet: Worksheet, widths: Sequence[int]) -> None:
    for column, width in enumerate(widths, start=1):
        sheet.column_dimensions[_letters(column)].width = width


def _letters(column: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(column)


def _alignment(*, wrap: bool = False, horizontal: str = "center") -> Any:
    from openpyxl.styles import Alignment

    return Alignment(horizontal=horizontal, vertical="center", wrap_text=wrap)


def _style(cell: Any, *, wrap: bool = False, bold: bool = False, horizontal: str = "") -> None:
    from openpyxl.styles import Border, Font, Side

    thin = Side(style="thin")
    cell.border = Border(left=thin, right=thin, top=thin, bottom=thin)
    cell.alignment = _alignment(wrap=wrap, horizontal=horizontal or "general")
    if bold:
        cell.font = Font(bold=True)


def _fill(cell: Any, color: str) -> None:
    from openpyxl.styles import PatternFill

    cell.fill = PatternFill(fill_type="solid", start_color=color, end_color=color)


def _unlock(cell: Any, color: str) -> None:
    from openpyxl.styles import Protection

    cell.protection = Protection(locked=False)
    _fill(cell, color)


def _title(sheet: Worksheet, row: int, text: str, width: int) -> None:
    from openpyxl.styles import Font

    cell = write_cell(sheet, row, 1, text)
    cell.font = Font(bold=True, size=14)
    cell.alignment = _alignment(wrap=True)
    sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=width)
    sheet.row_dimensions[row].height = 24


def _banner(sheet: Worksheet, row: int, text: str, width: int) -> None:
    cell = write_cell(sheet, row, 1, text)
    cell.alignment = _alignment(wrap=True, horizontal="left")
    sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=width)
    total = sum(sheet.column_dimensions[_letters(c)].width or 8 for c in range(1, width + 1))
    sheet.row_dimensions[row].height = _height((text, int(total)))


def _header(sheet: Worksheet, row: int, headers: Sequence[str]) -> None:
    for column, text in enumerate(headers, start=1):
        cell = write_cell(sheet, row, column, text)
        _style(cell, wrap=True, bold=True, horizontal="center")
        _fill(cell, HEADER_FILL)


def _section(sheet: Worksheet, row: int, text: str, width: int) -> None:
    for column in range(1, width + 1):
        _fill(sheet.cell(row, column), SECTION_FILL)
        _style(sheet.cell(row, column), bold=True, horizontal="left")
    write_cell(sheet, row, 1, text)
    sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=width)


def _protect(sheet: Worksheet) -> None:
    """Lock the sheet: only unlocked cells take input; columns and rows may still be resized."""
    sheet.protection.sheet = True
    sheet.protection.formatColumns = False
    sheet.protection.formatRows = False


def _print_setup(sheet: Worksheet, *, landscape: bool, title_rows: str) -> None:
    """A4, as wide as the page (as many pages down as it takes), the header on every page."""
    from openpyxl.worksheet.page import PageMargins

    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.orientation = "landscape" if landscape else "portrait"
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True  # type: ignore[union-attr]
    sheet.print_options.horizontalCentered = True
    sheet.page_margins = PageMargins(left=0.4, right=0.4, top=0.6, bottom=0.6)
    sheet.print_title_rows = title_rows


def _places_format(places: int) -> str:
    """The number format of a score: ``0.00`` for 2 places."""
    return "0." + "0" * places if places else "0"


def _height(*cells: tuple[Any, int]) -> float:
    """A row's height for its wrapped texts, each in a column (or merged columns) that wide."""
    lines = 1
    for text, width in cells:
        if not isinstance(text, str) or not text:
            continue
        room = max(width - 1, 1)
        needed = sum(max(1, math.ceil(_display_width(line) / room)) for line in text.split("\n"))
        lines = max(lines, needed)
    return LINE_HEIGHT * lines


def _display_width(text: str) -> int:
    """Columns a text takes in a cell: Chinese characters take about two."""
    return sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in text)


def _clip(text: str, limit: int) -> str:
    """A data validation's title or message: no control characters, at most ``limit`` long."""
    text = strip_controls(text)
    return text if len(text) <= limit else text[: limit - 1] + "…"
