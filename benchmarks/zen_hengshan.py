"""The hengshan ruleset as a GoRules JSON Decision Model, for zen-engine: the peer we compare with.

Four expression nodes in a row, each passing its input through: the rates, the leaves' scores
(rounded to the cent, half up, like ``round`` in ZEN), the 一级 sums with their applicable
weights, and the total (rescaled when indicators are 不适用) with its grade and points lost.
ZEN computes in rust_decimal; the facts go in as JSON numbers, as a zen user would give them.
With ``trace`` on, zen records every node's input and output and every expression's result:
its breakdown.
"""

from __future__ import annotations

import itertools
import json
import re
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

NAMES = {  # our fact names → ZEN identifiers (ASCII, as ZEN's expression language wants)
    "编制数": "quota",
    "在职人员数": "staffed",
    "预算数": "budget",
    "预算完成数": "done",
    "预算安排公用经费": "pub_budget",
    "实际支出公用经费": "pub_spent",
    "本年三公经费预算数": "three_budget",
    "三公经费实际支出": "three_spent",
    "信访救助预算": "relief_budget",
    "信访救助支出": "relief_spent",
    "维稳经费预算": "stab_budget",
    "维稳经费支出": "stab_spent",
    "局维稳经费预算": "bstab_budget",
    "局维稳经费支出": "bstab_spent",
    "联席会经费预算": "joint_budget",
    "联席会经费支出": "joint_spent",
    "大厅经费预算": "hall_budget",
    "大厅经费支出": "hall_spent",
    "预算管理制度完善": "rules",
    "一般性经费开支规范": "funds",
    "预决算信息按规定公开": "disclosure",
    "基础信息真实完整": "info",
    "重大活动信访保障完成": "events",
    "越级访上升势头得到遏制": "social",
    "重点工作交办或下达数": "kw_assigned",
    "重点工作实际完成数": "kw_done",
    "参评人数": "surveyed",
    "满意人数": "satisfied",
}
IDENTIFIER = re.compile(r"(?<!['\w])([a-z_]+)\b(?!\()")
"""A name an expression reads: not inside a quoted grade, not a function called."""
KEY_WORK = "output.duty_performance.key_work_completion_rate"
SATISFACTION = "effect.duty_benefit.satisfaction"
LEAVES = {  # leaf key → its path in the ruleset
    "staff": "input.budget_allocation.staff_control_rate",
    "completion": "process.budget_execution.budget_completion_rate",
    "public": "process.budget_execution.public_expense_control_rate",
    "three": "process.budget_execution.three_public_control_rate",
    "relief": "process.budget_execution.relief_execution",
    "stab": "process.budget_execution.stability_execution",
    "bstab": "process.budget_execution.bureau_stability_execution",
    "joint": "process.budget_execution.joint_meeting_execution",
    "hall": "process.budget_execution.hall_execution",
    "rules_score": "process.budget_management.management_rules_soundness",
    "funds_score": "process.budget_management.funds_use_compliance",
    "disclosure_score": "process.budget_management.budget_disclosure",
    "info_score": "process.budget_management.basic_information_completeness",
    "key_work": KEY_WORK,
    "events_score": "output.duty_performance.major_events_security",
    "social_score": "effect.duty_benefit.social_benefit",
    "satisfaction": SATISFACTION,
}


def _threshold(weight: int, value: str, limit: str, points: str) -> str:
    excess = f"({value} - {limit})"
    lost = f"({excess} * {points} / 0.01)"
    return f"round({excess} <= 0 ? {weight} : ({lost} >= {weight} ? 0 : {weight} - {lost}), 2)"


def _ratio(weight: int, actual: str, target: str) -> str:
    return f"round({actual} > {target} ? {weight} : {weight} * {actual} / {target}, 2)"


def _yes(weight: int, value: str) -> str:
    return f"{value} ? {weight} : 0"


def _node(node_id: str, name: str, expressions: Mapping[str, str]) -> dict[str, Any]:
    return {
        "id": node_id,
        "type": "expressionNode",
        "name": name,
        "position": {"x": 0, "y": 0},
        "content": {
            "expressions": [
                {"id": f"{node_id}-{key}", "key": key, "value": value}
                for key, value in expressions.items()
            ],
            "passThrough": True,
            "inputField": None,
            "outputPath": None,
            "executionMode": "single",
        },
    }


def stages() -> list[tuple[str, dict[str, str]]]:
    """The expressions, stage by stage: each reads the facts and the stages before it."""
    rates = {
        "staff_rate": "staffed / quota",
        "completion_gap": "abs(done / budget - 1)",
        "public_rate": "pub_spent / pub_budget",
        "three_rate": "three_spent / three_budget",
    }
    leaves = {
        "staff": _threshold(10, "staff_rate", "1", "1"),
        "completion": _threshold(5, "completion_gap", "0", "0.5"),
        "public": _threshold(5, "public_rate", "1", "0.5"),
        "three": _threshold(5, "three_rate", "1", "0.5"),
        "relief": _ratio(7, "relief_spent", "relief_budget"),
        "stab": _ratio(7, "stab_spent", "stab_budget"),
        "bstab": _ratio(4, "bstab_spent", "bstab_budget"),
        "joint": _ratio(4, "joint_spent", "joint_budget"),
        "hall": _ratio(3, "hall_spent", "hall_budget"),
        "rules_score": _yes(4, "rules"),
        "funds_score": _yes(4, "funds"),
        "disclosure_score": _yes(4, "disclosure"),
        "info_score": _yes(3, "info"),
        "key_work": f"na_key_work ? null : {_ratio(5, 'kw_done', 'kw_assigned')}",
        "events_score": _yes(10, "events"),
        "social_score": _yes(10, "social"),
        "satisfaction": f"na_satisfaction ? null : {_ratio(10, 'satisfied', 'surveyed')}",
    }
    execution = ("completion", "public", "three", "relief", "stab", "bstab", "joint", "hall")
    management = ("rules_score", "funds_score", "disclosure_score", "info_score")
    process = " + ".join((*execution, *management))
    levels = {
        "input": "staff",
        "process": process,
        "output": "na_key_work ? events_score : key_work + events_score",
        "effect": "na_satisfaction ? social_score : social_score + satisfaction",
        "output_weight": "na_key_work ? 10 : 15",
        "effect_weight": "na_satisfaction ? 10 : 20",
    }
    total = {
        "plain": "input + process + output + effect",
        "applicable": "65 + output_weight + effect_weight",
        "total": "$.applicable == 100 ? $.plain : round($.plain / $.applicable * 100, 2)",
        "grade": "$.total >= 90 ? '优' : ($.total >= 80 ? '良' : ($.total >= 60 ? '中' : '差'))",
        "lost_input": "10 - input",
        "lost_process": "55 - process",
        "lost_output": "output_weight - output",
        "lost_effect": "effect_weight - effect",
    }
    return [("rates", rates), ("leaves", leaves), ("levels", levels), ("total", total)]


def decision_graph() -> dict[str, Any]:
    """The JDM graph: request → rates → leaves → levels → total → response."""
    chain = [
        {"id": "request", "type": "inputNode", "name": "request", "position": {"x": 0, "y": 0}},
        *(_node(name, name, expressions) for name, expressions in stages()),
        {"id": "response", "type": "outputNode", "name": "response", "position": {"x": 0, "y": 0}},
    ]
    edges = [
        {"id": f"edge-{index}", "sourceId": a["id"], "targetId": b["id"], "type": "edge"}
        for index, (a, b) in enumerate(itertools.pairwise(chain))
    ]
    return {"nodes": chain, "edges": edges}


def context(facts: Mapping[str, Decimal | bool], not_applicable: frozenset[str]) -> dict[str, Any]:
    """A unit's facts as zen's request: JSON numbers and booleans under ASCII names."""
    request: dict[str, Any] = {
        NAMES[name]: value if isinstance(value, bool) else float(value)
        for name, value in facts.items()
    }
    request["na_key_work"] = KEY_WORK in not_applicable
    request["na_satisfaction"] = SATISFACTION in not_applicable
    return request


def decision() -> Any:
    """The compiled decision (zen parses and compiles the graph once)."""
    import zen

    return zen.ZenEngine().create_decision(json.dumps(decision_graph(), ensure_ascii=False))


def scores(response: Mapping[str, Any]) -> tuple[Decimal, str, dict[str, Decimal | None]]:
    """A zen response's total, grade and leaf scores, as Decimals to the cent."""
    result = response["result"]

    def cents(value: float | None) -> Decimal | None:
        return None if value is None else Decimal(repr(value)).quantize(Decimal("0.01"))

    total = cents(result["total"])
    assert total is not None
    return total, result["grade"], {path: cents(result.get(key)) for key, path in LEAVES.items()}


class Expressions:
    """The same expressions compiled one by one and run in order from Python, each result kept.

    zen's lightest way in: no graph and no per-call engine set-up. The results kept (every rate,
    leaf, sum and the total) are the breakdown zen's trace would record.
    """

    def __init__(self) -> None:
        import zen

        self.steps = []
        for _, expressions in stages():
            for key, value in expressions.items():
                text = value.replace("$.", "")
                found = dict.fromkeys(IDENTIFIER.findall(text))
                names = tuple(name for name in found if name not in ("null", "true", "false"))
                self.steps.append((key, names, zen.compile_expression(text)))

    def evaluate(self, request: Mapping[str, Any]) -> dict[str, Any]:
        """Every expression's result, by key, after the request's values."""
        values = dict(request)
        for key, names, expression in self.steps:  # give each only what it reads: much faster
            values[key] = expression.evaluate({name: values.get(name) for name in names})
        return {"result": values}
