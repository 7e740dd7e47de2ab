"""``history``: a target below what was already done (历史标准), when earlier years are given.

A 正向 (≥) target below last year's completed value, or below the average of the last
``years`` years, asks too little; so does a 反向 (≤) target above them.
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import ROUND_HALF_UP, Decimal
from typing import Literal

from pydantic import Field

from scoring.model.base import Model
from scoring.model.numbers import show
from scoring.review.spec import Batch, CheckSpec, Found, number_of, rows

CENT = Decimal("0.01")


class Standard(Model):
    """What a target is compared with: last year's value, the average of the last years."""

    compare: tuple[Literal["last_year", "average"], ...] = Field(min_length=1)
    years: int = Field(default=3, ge=2, le=10)


def _history(params: Standard, batch: Batch) -> Iterator[Found]:
    if batch.history is None:
        return
    for table, index, row in rows(batch):
        target = number_of(row.value)
        if target is None or row.direction not in ("≥", "≤"):
            continue
        done = batch.history.values_of(row.name)
        year = batch.tables[table].table.subject.year
        standards: list[tuple[str, Decimal]] = []
        if "last_year" in params.compare and year - 1 in done:
            standards.append((f"上年（{year - 1}年）完成值", done[year - 1]))
        span = range(year - params.years, year)
        if "average" in params.compare and all(each in done for each in span):
            average = sum((done[each] for each in span), Decimal(0)) / params.years
            standards.append((f"近{params.years}年平均完成值", average))
        for said, value in standards:
            shown = show(value.quantize(CENT, rounding=ROUND_HALF_UP).normalize())
            if row.direction == "≥" and target < value:
                message = f"指标值 {show(target)} 低于{said} {shown}"
            elif row.direction == "≤" and target > value:
                message = f"反向指标值 {show(target)} 高于{said} {shown}"
            else:
                continue
            yield Found(table, index, "value", message)


def _history_words(params: Standard) -> str:
    said = {"last_year": "上年完成值", "average": f"近{params.years}年平均完成值"}
    return f"正向指标值不低于、反向指标值不高于{'和'.join(said[each] for each in params.compare)}"


HISTORY = CheckSpec("history", Standard, _history, _history_words)
