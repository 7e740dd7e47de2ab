"""THE 自评表 view model: every cell of the report, decided once, for every format to lay out.

The terminal, Markdown, HTML and the workbook render :func:`build_report`'s :class:`Report` and
compute nothing of their own: the files a department sends show one table, the same 实际完成值,
得分 and 说明 in each (cells from :mod:`scoring.render.cells`; the 专家评分 table from ``panel``).

The layout follows the national 项目支出绩效自评表 (standards.md, "Layout of the 自评表"): the
subject, the fund block (项目资金: 年初预算数, 全年预算数, 全年执行数, 分值, 执行率, 得分), then one
row per scored indicator under its 一级 and 二级, then 总分 and 等级. Everything comes from the
result, and from the ruleset it was scored under when it is at hand: the units its facts are
declared with (a result does not carry them), so that 实际完成值 reads ``48人``, not ``48``.

The fund block is taken from the facts the result embeds. It is shown when the facts give
one of the national form's own amounts (``年初预算数``, ``全年预算数``, ``全年执行数``) or a
一级 leaf reads ``全年执行数``; otherwise (a 部门整体 ruleset with its own names, say) it is
left out rather than invented. Its 执行率 is the derived value ``预算执行率`` when the result
has one, and its 分值 and 得分 are those of the 一级 leaf that reads ``全年执行数`` (or, when
that leaf is 不适用 or 待填 and so read nothing, the 一级 leaf ``execution``), which then is
not repeated among the indicator rows.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from decimal import Decimal

from scoring.model.facts import FactValue
from scoring.model.numbers import show
from scoring.model.results import (
    NOT_APPLICABLE_EXCLUDED,
    IndicatorResult,
    ScoreResult,
    subject_keys,
)
from scoring.model.ruleset import Ruleset
from scoring.render.cells import (
    DASH,
    NOT_APPLICABLE,
    PENDING,
    PERCENT_FORMAT,
    Cell,
    Number,
    actual_text,
    declared_units,
    figure,
    finding_text,
    leaf_note,
    number,
    parse_number,
    total_notes,
)
from scoring.render.panel import PanelTable, panel_table

FUND_FACTS = ("年初预算数", "全年预算数", "全年执行数")
"""The amounts of the 自评表's fund block, in its order, as the national form names them."""
EXECUTED_FACT = "全年执行数"
EXECUTION_RATE = "预算执行率"
EXECUTION_PATH = "execution"
SUBJECT_LABELS = {"project": "项目名称", "unit": "实施单位", "year": "年度"}


@dataclass(frozen=True)
class FundRow:
    """The 项目资金 line: amounts as given (万元), the rate, the execution indicator's points."""

    amounts: tuple[Cell, Cell, Cell]
    weight: Cell
    rate: Cell
    self_score: Cell
    score: Cell
    note: str
    path: str | None


@dataclass(frozen=True)
class NameCell:
    """An indicator's name cell where its group starts: ``rowspan`` tall, ``colspan`` wide."""

    node: IndicatorResult
    rowspan: int
    colspan: int

    @property
    def column(self) -> int:
        """0 for 一级, 1 for 二级, 2 for 三级."""
        return self.node.level - 1


@dataclass(frozen=True)
class IndicatorRow:
    """One indicator's line: the name cells that start here, then its figures.

    A group's line (in :attr:`Report.breakdown`) has no 年度指标值, 实际完成值 or 说明.
    """

    leaf: IndicatorResult
    names: tuple[NameCell, ...]
    target: str
    actual: str
    weight: Cell
    self_score: Cell
    score: Cell
    note: str


@dataclass(frozen=True)
class TotalRow:
    """合计, 总分 or 等级."""

    label: str
    weight: Cell
    self_score: Cell
    score: Cell
    note: str


@dataclass(frozen=True)
class Bar:
    """A 一级 or 二级 indicator in the chart: points earned against points available."""

    path: str
    name: str
    level: int
    weight: Decimal | None
    applicable: Decimal
    """The weight of the leaves under it that were scored: what it could earn, 不适用 aside."""
    score: Decimal | None
    is_pending: bool = False
    """Nothing under it scored yet: its facts are still blank (a form in progress)."""


@dataclass(frozen=True)
class Report:
    """Everything a rendered 自评表 shows, as text and numbers, in order."""

    title: str
    year_line: str
    subject: tuple[tuple[str, str], ...]
    subject_line: str
    ruleset_ref: str
    ruleset_fingerprint: str
    is_audited: bool
    fund: FundRow | None
    rows: tuple[IndicatorRow, ...]
    """The leaves under their 一级 and 二级 (the fund block's leaf aside): the national form."""
    breakdown: tuple[IndicatorRow, ...]
    """Every indicator, parents before children, with the same leaf rows: the terminal's tree."""
    totals: tuple[TotalRow, ...]
    total: str
    grade: str
    bars: tuple[Bar, ...]
    derived: tuple[str, ...]
    notes: tuple[str, ...]
    panel: PanelTable | None
    engine: str
    facts_fingerprint: str
    audit_fingerprint: str | None


def build_report(result: ScoreResult, ruleset: Ruleset | None = None) -> Report:
    """The 自评表 for ``result``; the same result (and ruleset) always gives the same report.

    Args:
        result: what to show.
        ruleset: the ruleset ``result`` was scored under, for the units of its facts; without
            it, a fact shows the unit its indicator gives, or none.
    """
    units = declared_units(ruleset) if ruleset is not None else {}
    execution = _execution_leaf(result)
    fund = _fund_row(result, execution, units) if _has_fund_block(result) else None
    consumed = fund.path if fund is not None else None
    leaves = {node.path: _leaf_row(node, result, units) for node in result.walk()}
    rows = tuple(_indicator_rows(result, consumed, leaves))
    shown_paths = {row.leaf.path for row in rows} | ({consumed} if consumed else set())
    year = result.subject.get("year")
    return Report(
        title=result.ruleset.title,
        year_line=f"（{year}年度）" if year and year not in result.ruleset.title else "",
        subject=tuple(
            (SUBJECT_LABELS.get(key, key), result.subject[key]) for key in _subject_keys(result)
        ),
        subject_line=result.subject_text,
        ruleset_ref=f"{result.ruleset.id}@{result.ruleset.version}",
        ruleset_fingerprint=result.ruleset.fingerprint,
        is_audited=result.self_total is not None,
        fund=fund,
        rows=rows,
        breakdown=tuple(
            leaves[node.path] if not node.children else _group_row(node) for node in result.walk()
        ),
        totals=_total_rows(result),
        total=str(result.total),
        grade=result.grade_text(result.grade, DASH),
        bars=tuple(
            Bar(
                node.path,
                node.name,
                node.level,
                node.weight,
                node.applicable_weight,
                node.score,
                node.status == "pending",
            )
            for node in result.walk()
            if node.level <= 2
        ),
        derived=tuple(  # sorted, so that a result read back from JSON renders the same
            f"{name} = {value.shown}{_unit(value.unit)}"
            for name, value in sorted(result.derived.items())
        ),
        notes=_notes(result, shown_paths),
        panel=panel_table(result),
        engine=f"{result.engine.name} {result.engine.version}",
        facts_fingerprint=result.facts_fingerprint,
        audit_fingerprint=result.audit_fingerprint,
    )


def _subject_keys(result: ScoreResult) -> list[str]:
    return subject_keys(result.subject, SUBJECT_LABELS, sort_rest=True)


def _has_fund_block(result: ScoreResult) -> bool:
    given = result.facts.facts
    return any(name in given for name in FUND_FACTS) or any(
        EXECUTED_FACT in node.reads for node in result.indicators if not node.children
    )


def _execution_leaf(result: ScoreResult) -> IndicatorResult | None:
    leaves = [node for node in result.indicators if not node.children]
    reading = next((node for node in leaves if EXECUTED_FACT in node.reads), None)
    if reading is not None:
        return reading
    return next(
        (
            node
            for node in leaves
            if node.path == EXECUTION_PATH and node.status in ("not_applicable", "pending")
        ),
        None,
    )


def _fund_row(
    result: ScoreResult, execution: IndicatorResult | None, units: Mapping[str, str]
) -> FundRow:
    given = result.facts.facts
    amounts = tuple(_amount(given.get(name)) for name in FUND_FACTS)
    row = _leaf_row(execution, result, units) if execution is not None else None
    return FundRow(
        amounts=(amounts[0], amounts[1], amounts[2]),
        weight=row.weight if row else DASH,
        rate=_rate(result),
        self_score=row.self_score if row else DASH,
        score=row.score if row else DASH,
        note=row.note if row else "",
        path=execution.path if execution else None,
    )


def _rate(result: ScoreResult) -> Cell:
    """The fund block's 执行率: the derived value 预算执行率, a percentage when its unit is %."""
    rate = result.derived.get(EXECUTION_RATE)
    if rate is None:
        return DASH
    value = parse_number(rate.value)
    if value is None:
        return rate.shown
    if rate.unit == "%":
        return Number(value, rate.shown, PERCENT_FORMAT)
    return number(value, rate.shown)


def _amount(value: FactValue | None) -> Cell:
    found = parse_number(value) if isinstance(value, Decimal | str) else None
    return DASH if found is None else number(found, show(found))


def _indicator_rows(
    result: ScoreResult, consumed: str | None, leaves: Mapping[str, IndicatorRow]
) -> list[IndicatorRow]:
    rows: list[IndicatorRow] = []
    for top in result.indicators:
        if top.path == consumed:
            continue
        start = len(rows)
        for second in top.children or (top,):
            first_of_second = len(rows)
            for leaf in _leaves(second):
                rows.append(leaves[leaf.path])
            if second is not top and second.children:
                _open(rows, first_of_second, NameCell(second, len(rows) - first_of_second, 1))
        if top.children:
            _open(rows, start, NameCell(top, len(rows) - start, 1))
    return rows


def _open(rows: list[IndicatorRow], index: int, cell: NameCell) -> None:
    """Put a group's name cell first on the row where the group starts."""
    rows[index] = replace(rows[index], names=(cell, *rows[index].names))


def _leaves(node: IndicatorResult) -> list[IndicatorResult]:
    if not node.children:
        return [node]
    return [leaf for child in node.children for leaf in _leaves(child)]


def _leaf_row(leaf: IndicatorResult, result: ScoreResult, units: Mapping[str, str]) -> IndicatorRow:
    return IndicatorRow(
        leaf=leaf,
        names=(NameCell(leaf, 1, 4 - leaf.level),),
        target=leaf.target_text or "",
        actual=actual_text(leaf, result, units),
        weight=figure(leaf.weight),
        self_score=_self_score(leaf),
        score=_score(leaf),
        note=leaf_note(leaf, result),
    )


def _group_row(node: IndicatorResult) -> IndicatorRow:
    return IndicatorRow(
        leaf=node,
        names=(NameCell(node, 1, 1),),
        target="",
        actual="",
        weight=figure(node.weight) if node.weight is not None else "",
        self_score=_self_score(node),
        score=_score(node),
        note="",
    )


def _score(node: IndicatorResult) -> Cell:
    """Points, or why there are none: 不适用, or 待填 (a form in progress)."""
    if node.score is None:
        return PENDING if node.status == "pending" else NOT_APPLICABLE
    return number(node.score)


def _self_score(node: IndicatorResult) -> Cell:
    if node.score is None:
        return _score(node)
    return number(node.score if node.self_score is None else node.self_score)


def _total_rows(result: ScoreResult) -> tuple[TotalRow, ...]:
    audited = result.self_total is not None
    rows = []
    if result.rescaled:
        own = sum(
            (
                node.score if node.self_score is None else node.self_score
                for node in result.indicators
                if node.score is not None
            ),
            Decimal(0),
        )
        rows.append(
            TotalRow(
                "合计",
                number(result.applicable_weight),
                number(own) if audited else "",
                number(result.sum),
                NOT_APPLICABLE_EXCLUDED,
            )
        )
    notes = total_notes(result)
    rows.append(
        TotalRow(
            "总分",
            number(result.max_total),
            figure(result.self_total) if audited else "",
            number(result.total),
            "\n".join(notes),
        )
    )
    grades = (result.grade_text(result.self_grade, DASH), result.grade_text(result.grade, DASH))
    rows.append(TotalRow("等级", "", grades[0] if audited else "", grades[1], ""))
    return tuple(rows)


def _unit(unit: str | None) -> str:
    return f" {unit}" if unit and unit != "%" else ""


def _notes(result: ScoreResult, shown_paths: set[str]) -> tuple[str, ...]:
    """Each finding not already shown beside its indicator or the total."""
    notes = []
    for finding in result.findings:
        if finding.path in shown_paths or finding.code in ("rescaled", "pending"):
            continue  # shown beside its indicator, or (rescaled, pending) beside 总分
        notes.append(finding_text(finding, result))
    notes += [result.application.text] if result.application else []  # 结果应用, with its source
    return tuple(notes)
