"""A reviewed target table as the unit's ruleset for the year: the approved targets, filled in.

The ruleset written ``extends`` the self-evaluation template the table names (``extends:``, such
as ``mof.project-self-eval@2020.1``) and fills each 二级 slot with the table's 三级 indicators:
a ``≥`` number is scored ``ratio``, a ``≤`` number ``reverse_ratio`` (``equal`` for ≤ 0), ``=``
``equal``, a 定性 是/否 ``boolean`` and another 定性 statement ``tiers``; a date or other words
against ≥, ≤ or = become a yes/no fact (达到指标值). Each indicator declares the fact it reads.
The ruleset carries one worked example: every target met scores full marks. The table's
``monitoring:`` section and its ``tests:`` (further worked examples, such as the July lights) are
carried over as written, so the approved ruleset serves the whole year.
"""

from __future__ import annotations

import json
import keyword
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from scoring.errors import Issue, SourceLocation, TargetsError
from scoring.model.base import plain
from scoring.model.review import TableInput, TargetRow
from scoring.model.ruleset import Indicator, Ruleset
from scoring.review.spec import kind_name, number_of, value_text

HUNDRED = Decimal(100)
YES_NO = ("是", "否")
YAML_WORDS = frozenset({"y", "n", "yes", "no", "on", "off", "true", "false", "null"})
"""Bare words YAML 1.1 reads as something other than text."""
BUDGET_FACTS = ("全年预算数", "全年执行数")
"""The template's budget facts: its worked example spends the whole budget (100 of 100)."""


@dataclass
class _Leaf:
    """One 三级 indicator as the ruleset writes it, its fact, and its fact's value when met."""

    node: dict[str, Any]
    fact: str
    spec: dict[str, Any]
    met: Any


@dataclass
class _Slot:
    """A 二级 slot of the template and the leaves the table puts in it."""

    node: Indicator
    leaves: list[_Leaf] = field(default_factory=list)


def approved_ruleset(table: TableInput, parents: Callable[[str], Ruleset], source: str) -> str:
    """The YAML text of the unit's ruleset for the year, from its reviewed target table.

    Args:
        table: the target table, as read.
        parents: loads the template it names in ``extends`` (by ``id@version``).
        source: how the text names where it came from (the table's file, the review's rules).

    Raises:
        TargetsError: when the table names no ruleset or template, a row has no 分值, its
            一级/二级 is not in the template, its fact name cannot be a fact, or the 分值 of a
            一级 do not add up to the template's.
    """
    issues: list[Issue] = []
    model = table.table
    start = SourceLocation(table.file, 1, 1)
    if model.ruleset is None or model.extends is None:
        message = (
            "目标表要写明生成的规则集（ruleset: id@version）"
            "和它继承的自评表模板（extends: id@version）"
        )
        raise TargetsError([Issue(message, start)], table.file)
    parent = parents(model.extends)
    groups = {kind_name(node.name): node for node in parent.indicators if node.children}
    slots: dict[tuple[str, str], _Slot] = {}
    names: set[str] = set()
    for index, row in enumerate(model.targets):
        top = groups.get(kind_name(row.level1))
        if top is None:
            listed = "、".join(node.name for node in groups.values())
            message = f"模板 {parent.ref} 没有一级指标「{row.level1}」（有：{listed}）"
            issues.append(_at(table, index, "level1", message))
            continue
        middle = next(
            (c for c in top.children or () if kind_name(c.name) == kind_name(row.level2)), None
        )
        if middle is None:
            listed = "、".join(child.name for child in top.children or ())
            message = (
                f"模板 {parent.ref} 的{top.name}下没有二级指标「{row.level2}」（有：{listed}）"
            )
            issues.append(_at(table, index, "level2", message))
            continue
        fact = row.fact or row.name
        if not fact.isidentifier() or keyword.iskeyword(fact) or fact in names:
            message = (
                f"「{fact}」不能作数据项名称（重复，或含标点、空格）：请写 fact: 给它一个简短的名称"
            )
            issues.append(_at(table, index, "fact" if row.fact else "name", message))
            continue
        if row.weight is None:
            issues.append(
                _at(table, index, "", f"「{row.name}」没有分值（weight），生成规则集需要分值")
            )
            continue
        names.add(fact)
        slot = slots.setdefault((top.id, middle.id), _Slot(middle))
        slot.leaves.append(_leaf(row, fact, f"t{index + 1}"))
    for top in parent.indicators:
        given = [slot for (top_id, _), slot in slots.items() if top_id == top.id]
        total = sum((leaf.node["weight"] for slot in given for leaf in slot.leaves), Decimal(0))
        if given and top.weight is not None and total != top.weight:
            message = f"{top.name}下三级指标的分值合计 {plain(total)}，模板规定 {plain(top.weight)}"
            issues.append(Issue(message, _where(table.where(None, "targets"), start)))
    if issues:
        raise TargetsError(issues, table.file)
    return _text(model, parent, slots, source)


def placed_in_table(table: TableInput, text: str, issues: Iterable[Issue]) -> list[Issue]:
    """Problems of the ruleset ``text`` written from ``table``, placed in the table.

    What is wrong there came from the table's ``monitoring:`` or ``tests:``, carried over as
    written (the rest is checked before it is written): each problem is placed at that section.
    """
    lines = text.splitlines()
    starts = {
        key: lines.index(f"{key}:") + 1 for key in ("monitoring", "tests") if f"{key}:" in lines
    }
    start = SourceLocation(table.file, 1, 1)
    placed = []
    for issue in issues:
        line = issue.location.line if issue.location else 0
        after = [key for key, first in starts.items() if line >= first]
        section = max(after, key=starts.__getitem__) if after else None
        where = _where(table.where(None, section), start) if section else start
        placed.append(Issue(issue.message, where, issue.path, issue.field))
    return placed


def _leaf(row: TargetRow, fact: str, default_id: str) -> _Leaf:
    number = number_of(row.value)
    text = value_text(row.value).strip()
    percent = text.endswith("%") or row.unit == "%"
    unit = "%" if percent else row.unit
    shown = f"{row.direction}{text}{'' if percent or row.direction == '定性' else row.unit or ''}"
    node: dict[str, Any] = {"id": row.id or default_id, "name": row.name, "weight": row.weight}
    spec: dict[str, Any] = {"label": row.name}
    if number is not None and row.direction != "定性":
        target = number / HUNDRED if percent else number
        method = {"≥": "ratio", "≤": "reverse_ratio", "=": "equal"}[row.direction]
        if row.direction == "≤" and target == 0:
            method = "equal"
        node |= {"method": method, "actual": fact, "target": target}
        spec |= {"type": "number", "min": 0} | ({"unit": unit} if unit else {})
        met: Any = f"{text}" if percent else target
    elif row.direction == "定性" and text not in YES_NO:
        node |= {"method": "tiers", "fact": fact}
        spec |= {"label": f"{row.name}（定性）", "type": "tier"}
        met = {"tier": "达成年度指标", "score": row.weight}
    else:
        node |= {"method": "boolean", "value": fact}
        said = "是" if text == "是" else f"达到「{text}」"
        spec |= {"label": f"{row.name}：{said}", "type": "boolean"}
        met = True
    node["target_text"] = shown if row.direction != "定性" else text
    if unit and number is not None:
        node["unit"] = unit
    if row.explanation:
        node["description"] = row.explanation
    return _Leaf(node, fact, spec, met)


def _at(table: TableInput, row: int, column: str, message: str) -> Issue:
    return Issue(message, _where(table.where(row, column), SourceLocation(table.file, 1, 1)))


def _where(cell: str, start: SourceLocation) -> SourceLocation:
    """A cell ``file:line:column`` as a location (a workbook's ``file!E12`` at the file's start)."""
    parts = cell.rsplit(":", 2)
    if len(parts) == 3 and parts[1].isdigit() and parts[2].isdigit():
        return SourceLocation(parts[0], int(parts[1]), int(parts[2]))
    return start


def _text(model: Any, parent: Ruleset, slots: dict[tuple[str, str], _Slot], source: str) -> str:
    assert model.ruleset is not None
    ruleset_id, version = model.ruleset.split("@", 1)
    subject = model.subject
    what = f"{subject.unit}{subject.project or ''}"
    lines = [
        "# Written by scoring review --ruleset-out: the approved targets of",
        f"# {source},",
        f"# filled into {parent.ref}. Score the year's facts with it; edit the table, not this.",
        f"id: {_s(ruleset_id)}",
        f"version: {_s(version)}",
        f"title: {_s(f'{subject.year}年度{what}绩效自评表')}",
        f"basis: {_s(f'{what} {subject.year}年度绩效目标申报表（经审核）；{parent.ref}')}",
        f"kind: {parent.kind}",
        f"extends: {_s(parent.ref)}",
        "facts:",
    ]
    leaves = [leaf for slot in slots.values() for leaf in slot.leaves]
    lines += [f"  {_key(leaf.fact)}: {_s(leaf.spec)}" for leaf in leaves] or ["  {}"]
    lines.append("indicators:")
    lines += list(_indicators(parent, slots))
    spent = {name: 100 for name in BUDGET_FACTS if name in parent.facts}
    facts = spent | {leaf.fact: leaf.met for leaf in leaves}
    filled = {top_id for top_id, _ in slots}
    untouched = [top.id for top in parent.indicators if top.children and top.id not in filled]
    if model.monitoring is not None:  # the table's own, as written: defaults stay defaults
        lines += ["monitoring:", *_block(model.monitoring.model_dump(exclude_unset=True), 1, 2)]
    lines += [
        "tests:",
        "  - name: 全部达到经批准的年度指标值，预算全部执行：满分",
        f"    facts: {_s(facts)}",
        *([f"    not_applicable: {_s(untouched)}"] if untouched else []),
        "    expect: {total: 100.00, grade: 优}",
    ]
    for test in model.tests:
        first, *rest = _block(test, 2, 2)
        lines += ["  - " + first.lstrip(), *rest]
    return "\n".join(lines) + "\n"


def _block(value: dict[str, Any], indent: int, depth: int) -> Iterator[str]:
    """A mapping as YAML block lines ``depth`` levels deep, each deeper value in flow style."""
    pad = "  " * indent
    for key, item in value.items():
        if isinstance(item, dict) and item and depth > 1:
            yield f"{pad}{_key(key)}:"
            yield from _block(item, indent + 1, depth - 1)
        else:
            yield f"{pad}{_key(key)}: {_s(item)}"


def _indicators(parent: Ruleset, slots: dict[tuple[str, str], _Slot]) -> Iterator[str]:
    for top in parent.indicators:
        given = {middle: slot for (top_id, middle), slot in slots.items() if top_id == top.id}
        if not given:
            continue
        yield f"  - id: {top.id}"
        yield "    children:"
        for child in top.children or ():
            slot = given.get(child.id)
            if slot is None:
                yield f"      - {{id: {child.id}, remove: true}}"
                continue
            weight = sum((leaf.node["weight"] for leaf in slot.leaves), Decimal(0))
            yield f"      - id: {child.id}"
            yield f"        weight: {plain(weight)}"
            yield "        children:"
            for leaf in slot.leaves:
                yield f"          - {_s(leaf.node)}"


def _key(key: str) -> str:
    """A mapping's key: bare when it is a name (``救助人数``, ``target_text``), else quoted."""
    return key if key.isidentifier() and key.lower() not in YAML_WORDS else _s(key)


def _s(value: Any) -> str:
    """A value as YAML flow text: text quoted as JSON is, numbers as written (never a float)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Decimal):
        return plain(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, dict):
        return "{" + ", ".join(f"{_key(key)}: {_s(item)}" for key, item in value.items()) + "}"
    if isinstance(value, list | tuple):
        return "[" + ", ".join(_s(item) for item in value) + "]"
    return json.dumps(value, ensure_ascii=False)
