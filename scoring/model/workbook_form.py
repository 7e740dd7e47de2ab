"""The facts workbook's form: its sheets, sections, keys and columns, and how columns are named.

The writer (:mod:`scoring.render.workbook`) lays a template out by it and the reader
(:mod:`scoring.load.workbook`) reads a filled one back by it, so the two cannot drift apart.
"""

from __future__ import annotations

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
WORKBOOK_KEYS = ("ruleset", "subject", "facts", "not_applicable", "panel")
"""What the workbook holds: overrides need a reason and a name, kept in facts files; an expert
panel comes from its own sheet (PANEL_SHEET)."""
PANEL_SHEET = "专家评分"
"""A filled workbook's expert panel, as a 专家评分汇总表: one row an indicator, one column an
expert (the 自评表 workbook's sheet of the same name shows the panel it was scored with)."""
KEY_COLUMN, LABEL_COLUMN, VALUE_COLUMN = 1, 2, 3
MAX_FORM_ROWS = 10_000
"""The most rows a ``facts`` sheet may have: a template has a few per declared fact."""


def column_letters(column: int) -> str:
    """A 1-based column number as Excel names it: 1 is A, 27 is AA."""
    letters = ""
    while column:
        column, remainder = divmod(column - 1, 26)
        letters = chr(ord("A") + remainder) + letters
    return letters
