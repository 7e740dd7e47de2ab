"""The 自评表 as plain rows, from a ScoreResult alone: what the Markdown and HTML renderers print.

The layout follows the national 项目支出绩效自评表 (standards.md, "Layout of the 自评表"): the
subject, the fund block (项目资金: 年初预算数, 全年预算数, 全年执行数, 分值, 执行率, 得分), then one
row per scored indicator under its 一级 and 二级, then 总分 and 等级. Everything comes from the
result: the ruleset object is not available here.

The fund block is taken from the facts the result embeds. It is shown when the facts give
one of the national form's own amounts (``年初预算数``, ``全年预算数``, ``全年执行数``) or a
一级 leaf reads ``全年执行数``; otherwise (a 部门整体 ruleset with its own names, say) it is
left out rather than invented. Its 执行率 is the derived value ``预算执行率`` when the result
has one, and its 分值 and 得分 are those of the 一级 leaf that reads ``全年执行数`` (or, when
that leaf is 不适用 and so read nothing, the 一级 leaf ``execution``), which then is not
repeated among the indicator rows.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from decimal import Decimal, InvalidOperation

from scoring.methods import percent, show
from scoring.models import FactValue, TierClaim
from scoring.results import (
    NOT_APPLICABLE_EXCLUDED,
    Finding,
    IndicatorResult,
    ScoreResult,
    computed_text,
    override_text,
    rescaled_text,
    subject_keys,
)

FUND_FACTS = ("年初预算数", "全年预算数", "全年执行数")
"""The amounts of the 自评表's fund block, in its order, as the national form names them."""
EXECUTED_FACT = "全年执行数"
EXECUTION_RATE = "预算执行率"
EXECUTION_PATH = "execution"
NOT_APPLICABLE = "不适用"
PENDING = "待填"
"""A form in progress: an indicator whose facts are still blank."""
DASH = "—"
SUBJECT_LABELS = {"project": "项目名称", "unit": "实施单位", "year": "年度"}
YES_NO = {True: "是", False: "否"}
MAX_LISTED_READS = 3
DERIVED_PREFIX = "derived."
"""How a finding's path names a derived value (``derived.人均救助金额``)."""


@dataclass(frozen=True)
class FundRow:
    """The 项目资金 line: amounts as given (万元), the rate, the execution indicator's points."""

    amounts: tuple[str, str, str]
    weight: str
    rate: str
    self_score: str
    score: str
    note: str
    path: str | None


@dataclass(frozen=True)
class NameCell:
    """An indicator's name cell, on the row where its group starts.

    It covers ``rowspan`` rows and, for a leaf above level 3, the name columns below its own
    level too (``colspan``).
    """

    node: IndicatorResult
    rowspan: int
    colspan: int

    @property
    def column(self) -> int:
        """0 for 一级, 1 for 二级, 2 for 三级."""
        return self.node.level - 1


@dataclass(frozen=True)
class IndicatorRow:
    """One leaf's line: the name cells that start here, then its figures."""

    leaf: IndicatorResult
    names: tuple[NameCell, ...]
    target: str
    actual: str
    weight: str
    self_score: str
    score: str
    note: str


@dataclass(frozen=True)
class TotalRow:
    """合计, 总分 or 等级."""

    label: str
    weight: str
    self_score: str
    score: str
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
    """Everything a rendered 自评表 shows, as text, in order."""

    title: str
    year_line: str
    subject: tuple[tuple[str, str], ...]
    ruleset_ref: str
    ruleset_fingerprint: str
    is_audited: bool
    fund: FundRow | None
    rows: tuple[IndicatorRow, ...]
    totals: tuple[TotalRow, ...]
    total: str
    grade: str
    bars: tuple[Bar, ...]
    derived: tuple[str, ...]
    notes: tuple[str, ...]
    engine: str
    facts_fingerprint: str
    audit_fingerprint: str | None


def build_report(result: ScoreResult) -> Report:
    """The rows of the 自评表 for ``result``; the same result always gives the same report."""
    execution = _execution_leaf(result)
    fund = _fund_row(result, execution) if _has_fund_block(result) else None
    consumed = fund.path if fund is not None else None
    rows = tuple(_indicator_rows(result, consumed))
    shown_paths = {row.leaf.path for row in rows} | ({consumed} if consumed else set())
    year = result.subject.get("year")
    return Report(
        title=result.ruleset.title,
        year_line=f"（{year}年度）" if year and year not in result.ruleset.title else "",
        subject=tuple(
            (SUBJECT_LABELS.get(key, key), result.subject[key]) for key in _subject_keys(result)
        ),
        ruleset_ref=f"{result.ruleset.id}@{result.ruleset.version}",
        ruleset_fingerprint=result.ruleset.fingerprint,
        is_audited=result.self_total is not None,
        fund=fund,
        rows=rows,
        totals=_total_rows(result),
        total=str(result.total),
        grade=result.grade_text(result.grade, DASH),
        bars=tuple(
            Bar(
                node.path,
                node.name,
                node.level,
                node.weight,
                _applicable(node),
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
        engine=f"{result.engine.name} {result.engine.version}",
        facts_fingerprint=result.facts_fingerprint,
        audit_fingerprint=result.audit_fingerprint,
    )


def total_notes(result: ScoreResult) -> list[str]:
    """What the 总分 row says beside the total: reach, rescaling, the score before overrides.

    For a form in progress, first the most it can still reach once filled in.
    """
    notes = []
    if result.partial and result.reachable is not None:
        notes.append(
            f"表未填完：{len(result.pending)}项指标{PENDING}，总分为已填部分的得分，"
            f"填完后最高可得 {result.reachable}"
        )
    if result.rescaled:
        notes.append(
            rescaled_text(result.sum, result.applicable_weight, result.max_total, result.total)
        )
    if result.computed_total is not None:
        notes.append(computed_text(result.computed_total, result.computed_grade))
    return notes


def leaf_note(node: IndicatorResult, result: ScoreResult) -> str:
    """The last column of a leaf: its explanation, the checks that hold for it, its overrides."""
    lines = [node.explanation] if node.explanation else []
    lines.extend(
        f"注：{finding.message}" for finding in result.findings if finding.path == node.path
    )
    lines.extend(override_text(item) for item in node.overrides)
    return "\n".join(lines)


def actual_text(node: IndicatorResult, result: ScoreResult) -> str:
    """实际完成值, briefly: the derived value a leaf read, else the fact (or facts) it read.

    A single fact is shown with the leaf's unit (a rate as a percentage); a few are each named
    (a fact named …率 as a percentage); more than that are left to the explanation.
    """
    if node.status in ("not_applicable", "pending"):
        return DASH
    derived = [name for name in node.reads if name in result.derived]
    if derived:
        return "\n".join(
            _derived_text(name, result)
            if len(derived) == 1
            else f"{name} {_derived_text(name, result)}"
            for name in derived
        )
    if len(node.reads) == 1:
        ((name, text),) = node.reads.items()
        return _fact_text(name, text, result, node.unit)
    if len(node.reads) > MAX_LISTED_READS:
        return f"{len(node.reads)}项事实，见说明"
    return "\n".join(
        f"{name} {_fact_text(name, text, result, None)}" for name, text in node.reads.items()
    )


def _derived_text(name: str, result: ScoreResult) -> str:
    value = result.derived[name]
    unit = value.unit if value.unit and value.unit != "%" else ""
    return f"{value.shown}{unit}"


def _fact_text(name: str, text: str, result: ScoreResult, unit: str | None) -> str:
    given = result.facts.facts.get(name)
    if isinstance(given, bool):
        return YES_NO[given]
    if isinstance(given, TierClaim):
        return given.tier
    number = _number(given if isinstance(given, Decimal | str) else text)
    if number is None:
        return {"true": "是", "false": "否"}.get(text, text)
    if unit == "%" or (unit is None and name.endswith("率")):
        return percent(number)
    return f"{show(number)}{unit or ''}"


def _number(value: Decimal | str | None) -> Decimal | None:
    """A number given as such, or as text (a result read back from JSON keeps facts as text)."""
    if value is None or isinstance(value, Decimal):
        return value
    try:
        number = Decimal(value)
    except InvalidOperation:
        return None
    return number if number.is_finite() else None


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
            if node.path == EXECUTION_PATH and node.status == "not_applicable"
        ),
        None,
    )


def _fund_row(result: ScoreResult, execution: IndicatorResult | None) -> FundRow:
    given = result.facts.facts
    amounts = tuple(_amount(given.get(name)) for name in FUND_FACTS)
    rate = result.derived.get(EXECUTION_RATE)
    return FundRow(
        amounts=(amounts[0], amounts[1], amounts[2]),
        weight=_text(execution.weight) if execution else DASH,
        rate=rate.shown if rate is not None else DASH,
        self_score=_self_score(execution) if execution else DASH,
        score=_score(execution) if execution else DASH,
        note=leaf_note(execution, result) if execution else "",
        path=execution.path if execution else None,
    )


def _amount(value: FactValue | None) -> str:
    number = _number(value) if isinstance(value, Decimal | str) else None
    return DASH if number is None else show(number)


def _indicator_rows(result: ScoreResult, consumed: str | None) -> list[IndicatorRow]:
    rows: list[IndicatorRow] = []
    for top in result.indicators:
        if top.path == consumed:
            continue
        start = len(rows)
        for second in top.children or (top,):
            first_of_second = len(rows)
            for leaf in _leaves(second):
                rows.append(_leaf_row(leaf, result))
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


def _leaf_row(leaf: IndicatorResult, result: ScoreResult) -> IndicatorRow:
    return IndicatorRow(
        leaf=leaf,
        names=(NameCell(leaf, 1, 4 - leaf.level),),
        target=leaf.target_text or "",
        actual=actual_text(leaf, result),
        weight=_text(leaf.weight),
        self_score=_self_score(leaf),
        score=_score(leaf),
        note=leaf_note(leaf, result),
    )


def _score(node: IndicatorResult) -> str:
    if node.status != "scored":
        return NOT_APPLICABLE if node.status == "not_applicable" else PENDING
    return _text(node.score)


def _self_score(node: IndicatorResult) -> str:
    if node.status != "scored":
        return _score(node)
    return _text(node.score if node.self_score is None else node.self_score)


def _text(value: Decimal | None) -> str:
    return DASH if value is None else str(value)


def _total_rows(result: ScoreResult) -> tuple[TotalRow, ...]:
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
                str(result.applicable_weight),
                str(own) if result.self_total is not None else "",
                str(result.sum),
                NOT_APPLICABLE_EXCLUDED,
            )
        )
    notes = total_notes(result)
    rows.append(
        TotalRow(
            "总分",
            str(result.max_total),
            _text(result.self_total),
            str(result.total),
            "\n".join(notes),
        )
    )
    grades = (result.grade_text(result.self_grade, DASH), result.grade_text(result.grade, DASH))
    rows.append(TotalRow("等级", "", *grades, ""))
    return tuple(rows)


def _applicable(node: IndicatorResult) -> Decimal:
    if node.status == "not_applicable":
        return Decimal(0)
    if not node.children:
        return node.weight or Decimal(0)
    return sum((_applicable(child) for child in node.children), Decimal(0))


def _unit(unit: str | None) -> str:
    return f" {unit}" if unit and unit != "%" else ""


def _notes(result: ScoreResult, shown_paths: set[str]) -> tuple[str, ...]:
    """Each finding not already shown beside its indicator or the total."""
    notes = []
    for finding in result.findings:
        if finding.path in shown_paths or finding.code in ("rescaled", "pending"):
            continue  # shown beside its indicator, or (rescaled, pending) beside 总分
        notes.append(finding_text(finding, result))
    return tuple(notes)


def finding_text(finding: Finding, result: ScoreResult) -> str:
    """A finding as a note below the 自评表, naming what it is about in the reader's words.

    ``[execution] …`` becomes ``预算执行率：…`` and ``[derived.人均救助金额] …`` ``派生值
    人均救助金额：…``; a finding about the whole result is its message alone.
    """
    if finding.path is None:
        return finding.message
    if finding.path.startswith(DERIVED_PREFIX):
        return f"派生值 {finding.path.removeprefix(DERIVED_PREFIX)}：{finding.message}"
    node = next((node for node in result.walk() if node.path == finding.path), None)
    return f"{node.name if node else finding.path}：{finding.message}"
