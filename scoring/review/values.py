"""The checks of each 指标值: measurable, not vague, its direction fit for its type, dates on time.

``measurable``: a number with its unit, or a 定性 statement from an allowed list.
``vague_value``: no phrase that cannot be measured (效果明显, 逐步提高).
``direction``: the 指标方向 each 二级 type allows (成本: ≤ or =).
``timeliness``: a 时效 value is a date or a duration.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Literal

from pydantic import Field

from scoring.model.base import Model
from scoring.model.review import Direction
from scoring.review.spec import Batch, CheckSpec, Found, kind_name, number_of, rows, value_text


class Measurable(Model):
    """The 定性 statements allowed, and the 二级 types whose values another check reads."""

    qualitative: tuple[str, ...] = Field(min_length=1)
    except_types: tuple[str, ...] = ()


def _measurable(params: Measurable, batch: Batch) -> Iterator[Found]:
    skipped = {kind_name(name) for name in params.except_types}
    for table, index, row in rows(batch):
        if kind_name(row.level2) in skipped:
            continue
        text = value_text(row.value).strip()
        if row.direction == "定性":
            if text not in params.qualitative:
                allowed = "、".join(params.qualitative)
                message = f"定性指标值「{text}」不在允许的表述之中（{allowed}）"
                yield Found(table, index, "value", message)
            continue
        if number_of(row.value) is None:
            message = f"定量指标（{row.direction}）的指标值应为数字，填的是「{text}」；计量单位另填"
            yield Found(table, index, "value", message)
        elif not row.unit and not text.endswith("%"):
            yield Found(table, index, "unit", f"定量指标值 {text} 没有计量单位")


def _measurable_words(params: Measurable) -> str:
    return f"定量指标值为数字并有计量单位；定性指标值为以下之一：{'、'.join(params.qualitative)}"


MEASURABLE = CheckSpec("measurable", Measurable, _measurable, _measurable_words)


class VagueValue(Model):
    """The phrases that make a value (or another field) unmeasurable."""

    phrases: tuple[str, ...] = Field(min_length=1)
    fields: tuple[Literal["value", "name"], ...] = ("value",)


def _vague(params: VagueValue, batch: Batch) -> Iterator[Found]:
    for table, index, row in rows(batch):
        for field in params.fields:
            text = value_text(row.value) if field == "value" else row.name
            found = [phrase for phrase in params.phrases if phrase in text]
            if found:
                message = f"「{text}」含模糊表述「{found[0]}」，无法衡量是否完成"
                yield Found(table, index, field, message)


def _vague_words(params: VagueValue) -> str:
    return f"不含模糊表述：{'、'.join(params.phrases)}"


VAGUE_VALUE = CheckSpec("vague_value", VagueValue, _vague, _vague_words)


class Directions(Model):
    """The 指标方向 allowed per 二级 type (成本指标: ≤ or =)."""

    allowed: dict[str, tuple[Direction, ...]] = Field(min_length=1)


def _direction(params: Directions, batch: Batch) -> Iterator[Found]:
    allowed = {kind_name(name): (name, given) for name, given in params.allowed.items()}
    for table, index, row in rows(batch):
        named = allowed.get(kind_name(row.level2))
        if named is not None and row.direction not in named[1]:
            listed = " 或 ".join(named[1])
            message = f"{named[0]}的指标方向应为 {listed}，填的是 {row.direction}"
            yield Found(table, index, "direction", message)


def _direction_words(params: Directions) -> str:
    return "；".join(f"{name}：{' 或 '.join(given)}" for name, given in params.allowed.items())


DIRECTION = CheckSpec("direction", Directions, _direction, _direction_words)


DATE = re.compile(
    r"^(?:\d{4}年)?(?:\d{1,2}月(?:\d{1,2}日|底|末|上旬|中旬|下旬)?|底|末)(?:前|之前|以前|内|止)?$"
    r"|^\d{4}-\d{1,2}(?:-\d{1,2})?$"
)
DURATION = re.compile(r"^(?P<number>\d+(?:\.\d+)?)\s*(?P<unit>\D+)$")


class Timeliness(Model):
    """Which 二级 types are 时效, the words that state a date, and the units of a duration."""

    types: tuple[str, ...] = Field(min_length=1)
    date_words: tuple[str, ...] = ()
    duration_units: tuple[str, ...] = Field(min_length=1)


def _timeliness(params: Timeliness, batch: Batch) -> Iterator[Found]:
    types = {kind_name(name) for name in params.types}
    for table, index, row in rows(batch):
        if kind_name(row.level2) not in types:
            continue
        text = re.sub(r"\s+", "", value_text(row.value))
        if DATE.match(text) or text in params.date_words:
            continue
        duration = DURATION.match(text)
        unit = duration["unit"] if duration else row.unit
        if number_of(row.value) is not None or duration:
            if unit in params.duration_units:
                continue
            units = "、".join(params.duration_units)
            message = f"时效指标值「{text}」的单位「{unit or ''}」不是时长单位（{units}）"
        else:
            message = f"时效指标值「{text}」应为日期（如 12月底前）或时长（如 30个工作日）"
        yield Found(table, index, "value", message)


def _timeliness_words(params: Timeliness) -> str:
    return f"{'、'.join(params.types)}的指标值为日期或时长（{'、'.join(params.duration_units)}）"


TIMELINESS = CheckSpec("timeliness", Timeliness, _timeliness, _timeliness_words)
