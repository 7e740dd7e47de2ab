"""The checks of a table's words: ``explanation`` (指标解释 given) and ``copied_text`` (a batch).

``copied_text`` compares the tables reviewed together: the same 年度总体目标 or 指标解释 in the
tables of different units is flagged in each of them, naming the others.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterator
from typing import Literal

from pydantic import Field

from scoring.model.base import Model
from scoring.review.spec import Batch, CheckSpec, Found, rows


class Explanation(Model):
    """The shortest 指标解释 accepted, in characters."""

    min_length: int = Field(default=1, ge=1)


def _explanation(params: Explanation, batch: Batch) -> Iterator[Found]:
    for table, index, row in rows(batch):
        text = re.sub(r"\s+", "", row.explanation or "")
        if not text:
            yield Found(table, index, "explanation", f"「{row.name}」没有指标解释")
        elif len(text) < params.min_length:
            message = f"「{row.name}」的指标解释「{text}」不足 {params.min_length} 个字"
            yield Found(table, index, "explanation", message)


def _explanation_words(params: Explanation) -> str:
    return f"每个三级指标有指标解释（至少 {params.min_length} 个字）"


EXPLANATION = CheckSpec("explanation", Explanation, _explanation, _explanation_words)


class CopiedText(Model):
    """Which texts to compare across units, and the shortest text worth comparing."""

    fields: tuple[Literal["goal", "explanation"], ...] = Field(min_length=1)
    min_length: int = Field(default=8, ge=1)


def _copied(params: CopiedText, batch: Batch) -> Iterator[Found]:
    # text → every place it is written: (table, row, field)
    places: dict[str, list[tuple[int, int | None, str]]] = defaultdict(list)
    for field in params.fields:
        if field == "goal":
            for table, each in enumerate(batch.tables):
                places[_bare(each.table.goal)].append((table, None, "goal"))
        else:
            for table, index, row in rows(batch):
                places[_bare(row.explanation)].append((table, index, "explanation"))
    found: list[Found] = []
    for text, written in places.items():
        if len(text) < params.min_length:
            continue
        for table, place, said in written:
            unit = batch.tables[table].table.subject.unit
            others = sorted(
                {
                    batch.tables[other].table.subject.unit
                    for other, _row, _field in written
                    if batch.tables[other].table.subject.unit != unit
                }
            )
            if others:
                what = "年度总体目标" if said == "goal" else "指标解释"
                message = f"{what}与{'、'.join(others)}的相同，疑为照抄"
                found.append(Found(table, place, said, message))
    yield from sorted(found, key=lambda each: (each.table, -1 if each.row is None else each.row))


def _bare(text: str | None) -> str:
    return re.sub(r"\s+", "", text or "")


def _copied_words(params: CopiedText) -> str:
    what = "、".join("年度总体目标" if field == "goal" else "指标解释" for field in params.fields)
    return f"同批各单位的{what}互不相同（{params.min_length} 个字以上的相同文字视为照抄）"


COPIED_TEXT = CheckSpec("copied_text", CopiedText, _copied, _copied_words)
