"""What each cell of the 自评表 says: numbers with their number format, 实际完成值, the notes.

The pieces :mod:`scoring.render.report` assembles into the view model, each decided here once for
every format: a :class:`Number` carries its value (a workbook's number cell), its text and the
number format that shows the value as that text, so a workbook reads as the text formats print.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from scoring.model.facts import TierClaim
from scoring.model.numbers import percent, show
from scoring.model.results import (
    Finding,
    IndicatorResult,
    ScoreResult,
    computed_text,
    override_text,
    rescaled_text,
)
from scoring.model.ruleset import Ruleset

NOT_APPLICABLE = "不适用"
PENDING = "待填"
"""A form in progress: an indicator whose facts are still blank."""
DASH = "—"
YES_NO = {True: "是", False: "否"}
MAX_LISTED_READS = 3
DERIVED_PREFIX = "derived."
"""How a finding's path names a derived value (``derived.人均救助金额``)."""
PERCENT_FORMAT = "0.00%"


@dataclass(frozen=True)
class Number:
    """A number in the 自评表: its value, its text, and the number format that shows it so."""

    value: Decimal
    text: str
    number_format: str

    def __str__(self) -> str:
        return self.text


Cell = Number | str
"""A figure of the 自评表: a number, or a text in its place (``不适用``, ``待填``, ``—``)."""


def cell_text(cell: Cell) -> str:
    """A cell as the text formats print it."""
    return cell.text if isinstance(cell, Number) else cell


def number(value: Decimal, text: str | None = None) -> Number:
    """``value`` shown as ``text`` (as written, by default): ``20`` → ``0``, ``9.63`` → ``0.00``."""
    text = format(value, "f") if text is None else text
    return Number(value, text, places_format(len(text.partition(".")[2])))


def places_format(places: int) -> str:
    """The spreadsheet number format that shows ``places`` decimal places: ``0.00`` for 2."""
    return "0." + "0" * places if places else "0"


def figure(value: Decimal | None) -> Cell:
    """A number, or a dash where there is none."""
    return DASH if value is None else number(value)


def declared_units(ruleset: Ruleset) -> dict[str, str]:
    """The unit each fact of ``ruleset`` is declared with, by the fact's name."""
    return {name: spec.unit for name, spec in ruleset.facts.items() if spec.unit}


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
    """The last column of a leaf: its explanation, checks that hold, overrides, its source."""
    lines = [node.explanation] if node.explanation else []
    lines.extend(
        f"注：{finding.message}" for finding in result.findings if finding.path == node.path
    )
    lines.extend(override_text(item) for item in node.overrides)
    if node.cite:  # the document the rule comes from, as the ruleset cites it
        lines.append(f"依据：{node.cite}")
    return "\n".join(lines)


def actual_text(
    node: IndicatorResult, result: ScoreResult, units: Mapping[str, str] | None = None
) -> str:
    """实际完成值, briefly: the derived value a leaf read, else the fact (or facts) it read.

    A single fact is shown with the leaf's unit, else the unit it is declared with (``units``);
    a few are each named, with their declared units. A rate (unit ``%``, or a fact without a
    unit whose name ends in 率) is a percentage; more than a few facts are left to the
    explanation.
    """
    units = units or {}
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
        return _fact_text(name, text, result, node.unit or units.get(name))
    if len(node.reads) > MAX_LISTED_READS:
        return f"{len(node.reads)}项事实，见说明"
    return "\n".join(
        f"{name} {_fact_text(name, text, result, units.get(name))}"
        for name, text in node.reads.items()
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
    value = parse_number(given if isinstance(given, Decimal | str) else text)
    if value is None:
        return {"true": "是", "false": "否"}.get(text, text)
    if unit == "%" or (unit is None and name.endswith("率")):
        return percent(value)
    return f"{show(value)}{unit or ''}"


def parse_number(value: Decimal | str | None) -> Decimal | None:
    """A number given as such, or as text (a result read back from JSON keeps facts as text)."""
    if value is None or isinstance(value, Decimal):
        return value
    try:
        found = Decimal(value)
    except InvalidOperation:
        return None
    return found if found.is_finite() else None


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
