"""What a review check is: a :class:`CheckSpec` with its parameters' model, its run and wording.

A review ruleset's rule names its check (``check: vague_value``) and gives that check's
``params``; :data:`scoring.review.CHECKS` registers each check by name, so adding a check is one
module and one registry line, as adding a scoring method is.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from scoring.model.base import Model
from scoring.model.review import History, TableInput, TargetRow


@dataclass(frozen=True)
class Found:
    """What a check found: in which table, which row (None: the table), which field, and why."""

    table: int
    row: int | None
    field: str
    message: str


@dataclass(frozen=True)
class Batch:
    """What a check reads: every table reviewed together, and earlier years' values if given."""

    tables: Sequence[TableInput]
    history: History | None = None


Run = Callable[[Any, Batch], Iterator[Found]]
"""A check's parameters (its ``params`` model) and the batch → what it found, in table order."""


@dataclass(frozen=True)
class CheckSpec:
    """A review check: its name, its parameters' model, its run and its wording in Chinese."""

    name: str
    params: type[Model]
    run: Run
    wording: Callable[[Any], str]
    """What the check asks of a table, in Chinese, from its parameters."""


def kind_name(name: str) -> str:
    """A 一级/二级 name as compared: without spaces and a trailing 指标 (数量 = 数量指标)."""
    bare = re.sub(r"\s+", "", name)
    return bare[: -len("指标")] if bare.endswith("指标") and len(bare) > len("指标") else bare


NUMBER = re.compile(r"^[+-]?\d+(?:\.\d+)?%?$")


def number_of(value: Decimal | str) -> Decimal | None:
    """The number a 指标值 states (``95%`` → 95), or None when it is not a plain number."""
    if isinstance(value, Decimal):
        return value
    text = value.strip().replace(",", "").replace("，", "")
    if not NUMBER.match(text):
        return None
    try:
        return Decimal(text.rstrip("%"))
    except InvalidOperation:  # pragma: no cover - the pattern admits only numbers
        return None


def value_text(value: Decimal | str) -> str:
    """A 指标值 as the table shows it."""
    return format(value, "f") if isinstance(value, Decimal) else value


def rows(batch: Batch) -> Iterator[tuple[int, int, TargetRow]]:
    """Every row of every table: (table index, row index, row)."""
    for table_index, table in enumerate(batch.tables):
        for row_index, row in enumerate(table.table.targets):
            yield table_index, row_index, row
