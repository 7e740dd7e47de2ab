"""``target_mismatch``: an indicator whose target is not the approved one scores 0, with why.

``params.table`` names the approved target table (绩效目标申报表, as ``scoring review`` reads
it); the indicator's row is found by its id, else its name. Its ``target_text`` must state the
approved value: the same number (≥48人 and 48), or the same words (12月底前).
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from pydantic import Field

from scoring.audit.spec import AuditSpec, Leaf, Verdict
from scoring.model.base import Model
from scoring.model.review import TargetRow, TargetTable

NUMBER = re.compile(r"[+-]?\d+(?:\.\d+)?")


class TargetMismatch(Model):
    """The approved target table: a file, beside the audit ruleset."""

    table: str = Field(min_length=1)


def approved_row(table: TargetTable, leaf_id: str, name: str) -> TargetRow | None:
    """The row of ``table`` for an indicator: by id, else by name."""
    by_id = next((row for row in table.targets if row.id == leaf_id), None)
    return by_id or next((row for row in table.targets if row.name == name), None)


def _number(text: str) -> Decimal | None:
    found = NUMBER.findall(text.replace(",", "").replace("，", ""))
    if len(found) != 1:
        return None
    try:
        return Decimal(found[0])
    except InvalidOperation:  # pragma: no cover - the pattern admits only numbers
        return None


def _shown(row: TargetRow) -> str:
    value = format(row.value, "f") if isinstance(row.value, Decimal) else row.value
    direction = "" if row.direction in ("定性", "=") else row.direction
    return f"{direction}{value}{row.unit or ''}"


def _matches(stated: str, row: TargetRow) -> bool:
    bare = re.sub(r"\s+", "", stated)
    approved = row.value if isinstance(row.value, Decimal) else _number(row.value)
    if approved is not None and _number(bare) is not None:
        return _number(bare) == approved
    value = row.value if isinstance(row.value, str) else format(row.value, "f")
    return bare.lstrip("≥≤=") in (re.sub(r"\s+", "", value), _shown(row))


def _run(params: TargetMismatch, leaf: Leaf) -> Verdict | None:
    row = approved_row(leaf.tables[params.table], leaf.node.id, leaf.node.name)
    stated = leaf.node.target_text or ""
    if row is None:
        return Verdict(Decimal(0), f"批复的绩效目标中没有「{leaf.node.name}」，得 0 分")
    if _matches(stated, row):
        return None
    words = f"指标值「{stated}」与批复的绩效目标「{_shown(row)}」不符，得 0 分"
    return Verdict(Decimal(0), words)


TARGET_MISMATCH = AuditSpec("target_mismatch", TargetMismatch, _run, table=True)
