"""The review's findings as a table (the one view every format lays out): text, JSON and XLSX.

:func:`finding_rows` is the findings table (位置, 级别, 规则, 指标, 说明), Chinese in every
format; the terminal's lines read like ``scoring lint``'s, the workbook is the bureau's 审核意见
with every cell safe (no formula from a department's text).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass

from scoring.model.review import SEVERITY_WORDS, Finding, TableInput
from scoring.render.safe import strip_controls, write_cell
from scoring.render.sheet import header, set_widths, title, workbook_bytes

__all__ = [
    "FINDING_HEADINGS",
    "FINDING_SUFFIXES",
    "Reviewed",
    "TableInput",
    "finding_rows",
    "render_findings",
]

FINDING_HEADINGS = ("位置", "级别", "规则", "指标", "说明")
"""The columns of the findings table, in every format."""
FINDING_SUFFIXES = (".txt", ".json", ".xlsx")
"""The files ``scoring review -o`` writes."""


@dataclass(frozen=True)
class Reviewed:
    """What a review gives: the rules' ``id@version``, the tables read, and every finding."""

    ruleset: str
    tables: tuple[str, ...]
    findings: tuple[Finding, ...]

    @property
    def errors(self) -> int:
        """How many findings are errors (the table must be corrected before approval)."""
        return sum(finding.severity == "error" for finding in self.findings)

    @property
    def warnings(self) -> int:
        """How many findings are warnings (to be looked at, not blocking)."""
        return len(self.findings) - self.errors


def finding_rows(findings: Sequence[Finding]) -> list[tuple[str, str, str, str, str]]:
    """The findings table: one row per finding, in the order of FINDING_HEADINGS."""
    return [
        (
            finding.where,
            SEVERITY_WORDS[finding.severity],
            finding.rule,
            finding.target or "（整表）",
            finding.message,
        )
        for finding in findings
    ]


def render_findings_text(reviewed: Reviewed) -> str:
    """One line per finding, as ``scoring lint`` writes its problems: the cell first."""
    lines = []
    for where, severity, rule, target, message in finding_rows(reviewed.findings):
        lines.append(strip_controls(f"{where}: {severity} [{rule}] {target}: {message}"))
    return "".join(f"{line}\n" for line in lines)


def render_findings_json(reviewed: Reviewed) -> str:
    """The findings as JSON: the rules, the tables, and each finding's fields (sorted keys)."""
    document = {
        "ruleset": reviewed.ruleset,
        "tables": list(reviewed.tables),
        "errors": reviewed.errors,
        "warnings": reviewed.warnings,
        "findings": [finding.model_dump(mode="json") for finding in reviewed.findings],
    }
    return json.dumps(document, ensure_ascii=False, indent=2, sort_keys=True) + "\n"


def render_findings_xlsx(reviewed: Reviewed) -> bytes:
    """The bureau's 审核意见 workbook: a title, the headings, one row per finding."""
    import openpyxl  # here: openpyxl takes a while to import

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None, "a new workbook has a sheet"
    sheet.title = "审核意见"
    width = len(FINDING_HEADINGS)
    title(sheet, 1, f"绩效目标审核意见（{reviewed.ruleset}）", width)
    header(sheet, 2, FINDING_HEADINGS)
    for offset, row in enumerate(finding_rows(reviewed.findings)):
        for column, text in enumerate(row, start=1):
            write_cell(sheet, 3 + offset, column, text)
    set_widths(sheet, (36, 8, 16, 28, 60))
    sheet.freeze_panes = "A3"
    return workbook_bytes(workbook)


def render_findings(reviewed: Reviewed, suffix: str) -> str | bytes:
    """The findings in the format a file's suffix names (one of FINDING_SUFFIXES)."""
    if suffix == ".json":
        return render_findings_json(reviewed)
    if suffix == ".xlsx":
        return render_findings_xlsx(reviewed)
    return render_findings_text(reviewed)
