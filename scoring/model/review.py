"""What a review ruleset (绩效目标审核规则), a target table (绩效目标申报表) and a finding ARE.

A review ruleset is published like a scoring ruleset (``id@version``, ``extends``, worked
examples) but says ``kind: review``: its ``rules`` check a department's target table before the
budget is set (事前), where a scoring ruleset scores its self-evaluation after the year.
Each rule names its ``check``, a kind registered in :mod:`scoring.review`, with that kind's
``params``; the rules are data, the checks code.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from decimal import Decimal
from typing import Any, Literal

from pydantic import Field

from scoring.model.base import Model, Named
from scoring.model.monitoring import Monitoring
from scoring.model.ruleset import INDICATOR_ID

Severity = Literal["error", "warning"]
Direction = Literal["≥", "≤", "=", "定性"]
DIRECTIONS: tuple[str, ...] = ("≥", "≤", "=", "定性")
SEVERITY_WORDS = {"error": "错误", "warning": "警告"}
"""A finding's severity as the findings table says it (Chinese in every language)."""


class ReviewRule(Model):
    """One rule of a review ruleset: its id, the check it runs, how grave a finding is."""

    id: str = Field(pattern=INDICATOR_ID)
    check: str = Field(min_length=1)
    severity: Severity = "error"
    description: str | None = None
    params: dict[str, Any] = Field(default_factory=dict)


class ExpectedFinding(Model):
    """A finding a worked example must give: the rule, and the target it is about (if one)."""

    rule: str
    target: str | None = None


class ReviewExpectation(Model):
    """What a review worked example must give: exactly these findings, in any order."""

    findings: tuple[ExpectedFinding, ...] = ()


class ReviewTest(Model):
    """A worked example: one or more target tables (a batch), history, and the findings due."""

    name: str = Field(min_length=1)
    tables: tuple[dict[str, Any], ...] = Field(min_length=1)
    history: dict[str, Any] | None = None
    expect: ReviewExpectation


class ReviewRuleset(Named):
    """A published set of review rules (绩效目标审核规则集), named ``id@version``."""

    kind: Literal["review"]
    title: str
    basis: str | None = None
    description: str | None = None
    extends: str | None = None
    rules: tuple[ReviewRule, ...] = Field(min_length=1)
    tests: tuple[ReviewTest, ...] = ()


class Subject(Model):
    """Whose targets: the unit, the project (blank for a department's table) and the year."""

    unit: str = Field(min_length=1)
    project: str | None = None
    year: int = Field(ge=1990, le=2100)


class TargetRow(Model):
    """One 三级 indicator of a target table, with its 一级 and 二级 and what is promised."""

    level1: str = Field(min_length=1)
    level2: str = Field(min_length=1)
    name: str = Field(min_length=1)
    direction: Direction
    value: Decimal | str
    unit: str | None = None
    explanation: str | None = None
    weight: Decimal | None = Field(default=None, gt=0)
    fact: str | None = None
    id: str | None = Field(default=None, pattern=INDICATOR_ID)


class TargetTable(Model):
    """A 绩效目标申报表: the subject, the 年度总体目标, and its indicators (``targets``).

    ``monitoring`` and ``tests`` are carried into the ruleset ``--ruleset-out`` writes, so that
    one ruleset, the approved one, is monitored mid-year and scores the year.
    """

    subject: Subject
    goal: str | None = None
    ruleset: str | None = Field(default=None, pattern=r"^[a-z][a-z0-9_.-]*@[0-9A-Za-z._-]+$")
    extends: str | None = None
    targets: tuple[TargetRow, ...] = ()
    monitoring: Monitoring | None = Field(
        default=None, description="how the approved targets are monitored mid-year (§11)"
    )
    tests: tuple[dict[str, Any], ...] = Field(
        default=(), description="the ruleset's further worked examples, as format.md writes them"
    )


class Finding(Model):
    """One thing a review rule found in a target table: located, in Chinese, with its severity."""

    rule: str
    severity: Severity
    where: str
    """The cell: ``file:line:column`` of a YAML table, ``file!E12`` of a workbook."""
    target: str | None
    """The 三级 indicator's name, or None for the table as a whole."""
    message: str


class HistoryEntry(Model):
    """A completed value of an earlier year: the 三级 indicator by name, the year, the value."""

    name: str = Field(min_length=1)
    year: int = Field(ge=1990, le=2100)
    value: Decimal
    unit: str | None = None


class History(Model):
    """Earlier years' completed values (历史标准), as ``--history`` gives them."""

    history: tuple[HistoryEntry, ...] = ()

    def values_of(self, name: str) -> dict[int, Decimal]:
        """The completed values of the indicator ``name``, by year."""
        return {entry.year: entry.value for entry in self.history if entry.name == name}


@dataclasses.dataclass(frozen=True)
class TableInput:
    """A target table as read: the model, its file, and where each of its cells stands."""

    table: TargetTable
    file: str
    cells: Mapping[tuple[int | None, str], str] = dataclasses.field(default_factory=dict)
    """``(row index, field)`` (``None`` for the table's own fields) → the cell, as text."""

    def where(self, row: int | None, field: str) -> str:
        """The cell of ``field`` in ``row`` (its row, else the table, else the file)."""
        for key in ((row, field), (row, ""), (None, field), (None, "")):
            if key in self.cells:
                return self.cells[key]
        return self.file
