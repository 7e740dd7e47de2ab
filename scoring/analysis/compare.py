"""What differs between a submission and a fresh scoring: a whole result, or a unit's claims.

Each :class:`Difference` names where (an indicator's path or a result's field), what was claimed,
what the rules give, and the rule that decides it. A whole result is compared value by value,
types counted; a claims table (得分 per indicator, 总分, 等级) figure by figure.
:mod:`scoring.analysis.verify` turns the differences into a verdict.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from scoring.i18n import _
from scoring.model.base import plain
from scoring.model.results import IndicatorResult, ScoreResult
from scoring.model.values import normalise_text


@dataclass(frozen=True)
class Difference:
    """One value whose claim differs from the recomputed one, and the rule that decides it.

    ``path`` is an indicator's path, or the result's field (``total``, ``subject.unit``);
    ``field`` the field inside an indicator (``status``, ``overrides[0].points``), if not its 得分.
    """

    path: str
    name: str
    claimed: str
    recomputed: str
    rule: str = ""
    field: str = ""


SKIPPED = frozenset({"engine", "facts_fingerprint", "audit_fingerprint"})
"""Compared apart: another engine version may word things differently (verify's engine note), and
a changed fingerprint is said once, in words (check_provenance)."""
NOT_COMPARED = ("ruleset.files",)
"""Where the ruleset was read from, as that command line gave it: another working directory or
another path to the same folder names the same file differently. The fingerprint pins the rules,
and a signature still covers the field."""
LABELS = {
    "total": "总分",
    "grade": "等级",
    "computed_total": "计算得分",
    "computed_grade": "计算等级",
    "self_total": "自评总分",
    "self_grade": "自评等级",
}


def compare_result(record: Mapping[str, Any], recomputed: ScoreResult) -> list[Difference]:
    """Every value of the whole result that differs between the record and a fresh scoring.

    Indicators are matched by path; any other list item by position. Types count: a score
    written as the number 85 is not the text "85.00".
    """
    fresh = recomputed.model_dump(mode="json")
    nodes = {node.path: node for node in recomputed.walk()}
    found: list[Difference] = []
    for key in [*fresh, *(key for key in record if key not in fresh)]:
        if key in SKIPPED:
            continue
        before, after = record.get(key, _ABSENT), fresh.get(key, _ABSENT)
        if key == "indicators" and isinstance(before, list) and isinstance(after, list):
            _compare_nodes(before, after, nodes, found)
            continue
        for where, old, new in _differences(before, after, key):
            if _not_compared(where):
                continue
            name = LABELS.get(key, "")
            rule = _total_rule(recomputed) if key == "total" else ""
            if key == "grade":
                rule = _("total {total}").format(total=recomputed.total)
            found.append(Difference(where, name, _shown(old, new), _shown(new, old), rule))
    return found


def _not_compared(where: str) -> bool:
    return any(where == field or where.startswith(f"{field}[") for field in NOT_COMPARED)


def _compare_nodes(
    before: list[Any],
    after: list[Any],
    nodes: Mapping[str, IndicatorResult],
    found: list[Difference],
) -> None:
    claimed = {node["path"]: node for node in _walk(before) if isinstance(node.get("path"), str)}
    for fresh in _walk(after):
        path = fresh["path"]
        node = nodes[path]
        old = claimed.pop(path, _ABSENT)
        if old is _ABSENT:
            found.append(Difference(path, node.name, _("(absent)"), _score_text(node.score)))
            continue
        for key in fresh:
            if key == "children":
                _compare_order(path, old.get(key), fresh[key], node, found)
                continue
            for where, before_value, after_value in _differences(
                old.get(key, _ABSENT), fresh[key], key
            ):
                if where == "score":
                    found.append(_difference(node, before_value))
                else:
                    shown = _shown(before_value, after_value), _shown(after_value, before_value)
                    found.append(Difference(path, node.name, *shown, field=where))
        for key in old:
            if key not in fresh:
                found.append(
                    Difference(path, node.name, _shown(old[key], _ABSENT), _("(absent)"), field=key)
                )
    for path, extra in claimed.items():
        name, points = str(extra.get("name", "")), _shown(extra.get("score"), _ABSENT)
        found.append(Difference(path, name, points, _("no such indicator")))


def _compare_order(
    path: str, before: Any, after: list[Any], node: IndicatorResult, found: list[Difference]
) -> None:
    """Children in another order (or not a list): the nodes themselves are compared by path."""
    if not isinstance(before, list):
        if before is not _ABSENT or after:
            shown = _shown(before, after), _shown(after, before)
            found.append(Difference(path, node.name, *shown, field="children"))
        return
    old = [str(item.get("path")) for item in before if isinstance(item, dict)]
    new = [item["path"] for item in after]
    if old != new:
        shown = ", ".join(old), ", ".join(new)
        found.append(Difference(path, node.name, *shown, field="children"))


_ABSENT: Any = type("_Absent", (), {"__repr__": lambda self: "<absent>"})()


def _differences(before: Any, after: Any, where: str) -> list[tuple[str, Any, Any]]:
    """Each leaf value that differs, with its JSON path below ``where``."""
    if isinstance(before, dict) and isinstance(after, dict):
        found = []
        for key in [*after, *(key for key in before if key not in after)]:
            inner = f"{where}.{key}" if where else key
            found += _differences(before.get(key, _ABSENT), after.get(key, _ABSENT), inner)
        return found
    if isinstance(before, list) and isinstance(after, list):
        found = []
        for index in range(max(len(before), len(after))):
            old = before[index] if index < len(before) else _ABSENT
            new = after[index] if index < len(after) else _ABSENT
            found += _differences(old, new, f"{where}[{index}]")
        return found
    return [] if _same(before, after) else [(where, before, after)]


def _same(before: Any, after: Any) -> bool:
    """Equal in value and in JSON type: true is not 1, "85" is not 85."""
    if isinstance(before, dict) or isinstance(after, dict):
        return False  # two mappings are compared key by key; a mapping and a value differ
    return type(before) is type(after) and before == after  # types count: true is not 1


def _shown(value: Any, other: Any) -> str:
    """A JSON value for the table: text as it is, unless the other side's type differs."""
    if value is _ABSENT:
        return _("(absent)")
    if isinstance(value, str) and (isinstance(other, str) or other is _ABSENT):
        return value
    text = json.dumps(value, ensure_ascii=False, default=str)
    return text if len(text) <= 80 else text[:79] + "…"


def _score_text(points: Decimal | None) -> str:
    return "不适用" if points is None else str(points)


def _total_rule(recomputed: ScoreResult) -> str:
    if recomputed.rescaled:
        return f"{recomputed.sum} / {recomputed.applicable_weight} × {recomputed.max_total}"
    return _("the sum of the indicators' scores")


def compare_claims(
    scores: Mapping[str, Any], total: Any, grade: Any, recomputed: ScoreResult
) -> list[Difference]:
    """The figures a unit typed from its report that differ from what the rules give."""
    nodes = {node.path: node for node in recomputed.walk()}
    differences = []
    for path, value in scores.items():
        node = nodes.get(path)
        if node is None:
            differences.append(Difference(path, "", _text(value), _("no such indicator")))
        elif _number(value) != node.score:
            differences.append(_difference(node, value))
    return differences + _totals(total, grade, recomputed)


def subject_mismatch(claimed: Mapping[str, Any], scored: Mapping[str, str]) -> list[str]:
    """The keys of a claims file's subject whose values differ from the facts' subject.

    Values compare as text, full-width forms folded and spaces trimmed (``year: 2022`` is
    ``"2022"``); a key the facts do not give differs.
    """
    return [
        key
        for key, value in claimed.items()
        if value is not None and _subject_text(value) != _subject_text(scored.get(key))
    ]


def _subject_text(value: Any) -> str | None:
    if value is None:
        return None
    return normalise_text(plain(value) if isinstance(value, Decimal) else str(value))


def _totals(total: Any, grade: Any, recomputed: ScoreResult) -> list[Difference]:
    differences = []
    if total is not None and _number(total) != recomputed.total:
        note = _total_rule(recomputed)
        differences.append(Difference("总分", "总分", _text(total), str(recomputed.total), note))
    if grade is not None and str(grade) != (recomputed.grade or ""):
        rule = _("total {total}").format(total=recomputed.total)
        differences.append(Difference("等级", "等级", str(grade), recomputed.grade or "—", rule))
    return differences


def _difference(node: IndicatorResult, claimed: Any) -> Difference:
    rule = node.explanation if not node.children else _("the sum of its indicators")
    for override in node.overrides:
        said = (
            _("; self override {points}: {reason} ({by})")
            if override.layer == "self"
            else _("; audit override {points}: {reason} ({by})")
        )
        rule += said.format(points=override.points, reason=override.reason, by=override.by)
    return Difference(node.path, node.name, _text(claimed), _score_text(node.score), rule)


def _walk(nodes: list[Any]) -> list[Mapping[str, Any]]:
    found: list[Mapping[str, Any]] = []
    stack = list(reversed(nodes))
    while stack:
        node = stack.pop()
        if not isinstance(node, dict):
            continue
        found.append(node)
        children = node.get("children")
        stack.extend(reversed(children if isinstance(children, list) else []))
    return found


def _number(value: Any) -> Decimal | None:
    if value is None or isinstance(value, bool):
        return None
    try:
        return Decimal(str(value))
    except InvalidOperation:
        return None


def _text(value: Any) -> str:
    if value is None:
        return "不适用"
    return format(value, "f") if isinstance(value, Decimal) else str(value)
