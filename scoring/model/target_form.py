"""The target table's workbook form (绩效目标申报表): its sheet, head rows and columns.

The writer (:mod:`scoring.render.target_workbook`) lays the blank form out by it and the reader
(:mod:`scoring.load.target_workbook`) reads a filled one back by it, so the two cannot drift.
"""

from __future__ import annotations

TARGETS_SHEET = "绩效目标"
TITLE = "绩效目标申报表"
HEAD_ROWS = (
    ("unit", "单位"),
    ("project", "项目"),
    ("year", "年度"),
    ("goal", "年度总体目标"),
    ("ruleset", "规则集"),
    ("extends", "继承模板"),
)
"""The rows above the indicators: the key each fills, and its label in column A."""
SUBJECT_KEYS = ("unit", "project", "year")
COLUMNS = (
    ("level1", "一级指标"),
    ("level2", "二级指标"),
    ("name", "三级指标"),
    ("direction", "指标方向"),
    ("value", "指标值"),
    ("unit", "计量单位"),
    ("explanation", "指标解释"),
    ("weight", "分值"),
    ("fact", "数据项"),
)
"""The indicator columns, A onwards: the key of a target row each fills, and its heading."""
FIRST_HEADING = COLUMNS[0][1]
"""Column A of the headings row: where the head rows end and the indicators begin."""
MAX_TARGET_ROWS = 1_000
"""The most rows a target sheet may have: a project has a few dozen indicators."""
