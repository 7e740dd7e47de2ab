"""The 评分标准 in words: an indicator's own ``standard:``, or a sentence built from its method.

The template workbook prints it beside every indicator, and the method registry's test reads it.
"""

from __future__ import annotations

from decimal import Decimal

from scoring.methods import METHODS
from scoring.methods.spec import Words
from scoring.model.formula import normalize_name
from scoring.model.ruleset import Indicator, Ruleset


def standard_text(node: Indicator, ruleset: Ruleset) -> str:
    """The 评分标准 of an indicator: its ``standard:``, else a sentence built from its method.

    ``按完成比例计分，满分为止：全年执行数 / 全年预算数``. A group without a ``standard:`` has none.
    """
    if node.standard:
        return " ".join(node.standard.split())
    return method_text(node, ruleset, node.weight)


def method_text(node: Indicator, ruleset: Ruleset, weight: Decimal | None) -> str:
    """A leaf's method and parameters in words (an alternative is scored out of ``weight``).

    Limits and steps of a rate (a fact or derived value with ``unit: "%"``) are written as
    percentages and 百分点: ``预算完成率：≥95%计4分`` rather than ``≥0.95``.
    """
    if node.method is None:
        return ""
    units = {name: spec.unit for name, spec in ruleset.facts.items()}
    units |= {name: spec.unit for name, spec in ruleset.derived.items()}
    words = Words(
        ruleset,
        weight,
        frozenset(normalize_name(name) for name, unit in units.items() if unit == "%"),
        lambda other: method_text(other, ruleset, weight),
    )
    return METHODS[node.method].wording(node, words)
