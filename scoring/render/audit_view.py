"""The auditor's comparison: the department's own score beside the audited one, per indicator.

It is the 自评表 view model (:func:`scoring.render.report.build_report`) of the result scored
with the auditor's overrides, which already keeps both layers (自评得分 and 审核得分); this
module only picks, for each indicator and for 总分 and 等级, the two cells to set side by side,
and the auditor's override that made them differ. With no override yet both columns show the
same figures: the audited result is the department's own.
"""

from __future__ import annotations

from dataclasses import dataclass

from scoring.model.results import AppliedOverride, ScoreResult
from scoring.model.ruleset import Ruleset
from scoring.render.cells import Cell, cell_text
from scoring.render.report import IndicatorRow, Report, TotalRow, build_report

AUDIT_LAYER = "audit"


@dataclass(frozen=True)
class ComparedRow:
    """One indicator: its 自评得分 and 审核得分, and the auditor's override if it has one."""

    path: str
    name: str
    level: int
    is_leaf: bool
    weight: Cell
    self_score: Cell
    audited: Cell
    override: AppliedOverride | None
    overridable: bool
    """A leaf that was scored (not 不适用): an auditor may set its points."""

    @property
    def differs(self) -> bool:
        """Whether the audit changed this indicator's score."""
        return cell_text(self.self_score) != cell_text(self.audited)


@dataclass(frozen=True)
class Comparison:
    """The side-by-side table, and the totals and grades of both layers."""

    report: Report
    rows: tuple[ComparedRow, ...]
    self_total: Cell
    audited_total: Cell
    self_grade: Cell
    audited_grade: Cell

    @property
    def overridden(self) -> int:
        """How many indicators the auditor's overrides changed."""
        return sum(1 for row in self.rows if row.override is not None)


def build_comparison(result: ScoreResult, ruleset: Ruleset | None = None) -> Comparison:
    """The comparison for ``result``, scored with the auditor's overrides (or none yet)."""
    report = build_report(result, ruleset)
    total, grade = _total(report, "总分"), _total(report, "等级")
    return Comparison(
        report=report,
        rows=tuple(_row(row, report.is_audited) for row in report.breakdown),
        self_total=total.self_score if report.is_audited else total.score,
        audited_total=total.score,
        self_grade=grade.self_score if report.is_audited else grade.score,
        audited_grade=grade.score,
    )


def _row(row: IndicatorRow, audited: bool) -> ComparedRow:
    node = row.leaf
    override = next((each for each in node.overrides if each.layer == AUDIT_LAYER), None)
    return ComparedRow(
        path=node.path,
        name=node.name,
        level=node.level,
        is_leaf=not node.children,
        weight=row.weight,
        self_score=row.self_score if audited else row.score,
        audited=row.score,
        override=override,
        overridable=not node.children and node.score is not None,
    )


def _total(report: Report, label: str) -> TotalRow:
    return next(row for row in report.totals if row.label == label)
