"""``required_types``: the 二级 indicator types a target table must have, each with a 三级."""

from __future__ import annotations

from collections.abc import Iterator

from pydantic import Field

from scoring.model.base import Model
from scoring.review.spec import Batch, CheckSpec, Found, kind_name


class Group(Model):
    """Under one 一级 type: the 二级 types all required, or of which at least one is."""

    level1: str = Field(min_length=1)
    all_of: tuple[str, ...] = ()
    any_of: tuple[str, ...] = ()


class RequiredTypes(Model):
    """The groups a table must fill (产出: 数量/质量/时效/成本; 效益: one of four; 满意度)."""

    groups: tuple[Group, ...] = Field(min_length=1)


def _run(params: RequiredTypes, batch: Batch) -> Iterator[Found]:
    for index, table in enumerate(batch.tables):
        present = {(kind_name(row.level1), kind_name(row.level2)) for row in table.table.targets}
        for group in params.groups:
            level1 = kind_name(group.level1)
            for level2 in group.all_of:
                if (level1, kind_name(level2)) not in present:
                    message = f"缺少{group.level1}下的「{level2}」：至少填一个三级指标"
                    yield Found(index, None, "targets", message)
            if group.any_of and not any((level1, kind_name(k)) in present for k in group.any_of):
                listed = "、".join(group.any_of)
                message = f"{group.level1}下至少要有一类二级指标（{listed}），一个也没有"
                yield Found(index, None, "targets", message)


def _wording(params: RequiredTypes) -> str:
    parts = []
    for group in params.groups:
        if group.all_of:
            parts.append(f"{group.level1}：{'、'.join(group.all_of)}各至少一个三级指标")
        if group.any_of:
            parts.append(f"{group.level1}：{'、'.join(group.any_of)}至少一类")
    return "；".join(parts)


REQUIRED_TYPES = CheckSpec("required_types", RequiredTypes, _run, _wording)
