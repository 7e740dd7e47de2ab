"""The 专家评分 table of the 自评表: each indicator an expert panel scored, one column an expert.

Laid out as a 专家评分汇总表: the indicator, its 分值, each assessor's score, how they were
combined, the combined 得分 and the spread between the highest and the lowest, with a note
where the spread is wider than the ruleset allows. Every format renders this one table.
"""

from __future__ import annotations

from dataclasses import dataclass

from scoring.engine.panel import COMBINE_WORDS, spread_note
from scoring.model.facts import PanelRecord
from scoring.model.results import ScoreResult
from scoring.render.cells import DASH, Cell, number

FIRST_HEADERS = ("三级指标", "分值")
LAST_HEADERS = ("组合方式", "得分", "极差", "说明")


@dataclass(frozen=True)
class PanelRow:
    """One indicator's line: its name and 分值, each assessor's score, what they combine to."""

    path: str
    name: str
    weight: Cell
    scores: tuple[Cell, ...]
    """In the table's assessor columns; a dash where this panel has no such assessor."""
    combine: str
    score: Cell
    spread: Cell
    note: str

    @property
    def cells(self) -> tuple[Cell, ...]:
        """The line's cells, in the table's columns."""
        return (
            self.name,
            self.weight,
            *self.scores,
            self.combine,
            self.score,
            self.spread,
            self.note,
        )


@dataclass(frozen=True)
class PanelTable:
    """The assessors' columns, in the order first met, and a row per indicator in tree order."""

    assessors: tuple[str, ...]
    rows: tuple[PanelRow, ...]

    @property
    def headers(self) -> tuple[str, ...]:
        """The table's heading cells."""
        return (*FIRST_HEADERS, *self.assessors, *LAST_HEADERS)

    @property
    def numeric(self) -> frozenset[int]:
        """The columns that hold numbers (for right alignment): 分值, the assessors, 得分, 极差."""
        figures = len(self.assessors) + 1
        return frozenset((*range(1, 1 + figures), figures + 2, figures + 3))


def panel_table(result: ScoreResult) -> PanelTable | None:
    """The 专家评分 table of ``result``, or None when no indicator was scored by a panel."""
    records = {
        path: override.panel
        for path, override in result.facts.overrides.items()
        if override.panel is not None
    }
    if not records:
        return None
    assessors = tuple(dict.fromkeys(s.name for record in records.values() for s in record.scores))
    rows = []
    for node in result.walk():
        record = records.get(node.path)
        if record is None or node.weight is None:
            continue
        scores = record.by_name
        combined = result.facts.overrides[node.path].points
        rows.append(
            PanelRow(
                path=node.path,
                name=node.name,
                weight=number(node.weight),
                scores=tuple(
                    number(scores[name]) if name in scores else DASH for name in assessors
                ),
                combine=_combine_text(record),
                score=number(combined),
                spread=number(record.spread),
                note=_note(record),
            )
        )
    return PanelTable(assessors, tuple(rows))


def _combine_text(record: PanelRecord) -> str:
    words = COMBINE_WORDS[record.combine]
    if record.combine != record.declared:  # a panel smaller than the rule's least, fallen back
        return f"{words}（专家人数不足，未按{COMBINE_WORDS[record.declared]}）"
    return words


def _note(record: PanelRecord) -> str:
    return spread_note(record) or ""
