"""The scoring methods, one module per family, each exporting its :class:`MethodSpec`.

:data:`METHODS` registers them by name. The engine scores a leaf with its method's ``score``, the
ruleset checks take its parameters and ``check``, the workbook writes its ``wording`` as the
评分标准, and ``gap`` solves its regions or states its judgement: adding a method is one module
and one line here (and its name in the model's ``MethodName``).
"""

from __future__ import annotations

from collections.abc import Mapping

from scoring.methods.bands import BANDS
from scoring.methods.boolean import BOOLEAN
from scoring.methods.cases import CASES
from scoring.methods.checklist import CHECKLIST
from scoring.methods.choice import CHOICE
from scoring.methods.deadline import DEADLINE
from scoring.methods.deduct import DEDUCT
from scoring.methods.either import EITHER
from scoring.methods.equal import EQUAL
from scoring.methods.formula import FORMULA
from scoring.methods.listed import LISTED
from scoring.methods.rates import RATIO, REVERSE_LINEAR, REVERSE_RATIO
from scoring.methods.spec import MethodSpec
from scoring.methods.threshold import THRESHOLD
from scoring.methods.tiers import TIERS
from scoring.methods.weighted_average import WEIGHTED_AVERAGE

METHODS: Mapping[str, MethodSpec] = {
    spec.name: spec
    for spec in (
        RATIO,
        REVERSE_RATIO,
        REVERSE_LINEAR,
        EQUAL,
        BANDS,
        THRESHOLD,
        TIERS,
        BOOLEAN,
        CHECKLIST,
        DEDUCT,
        CASES,
        CHOICE,
        EITHER,
        WEIGHTED_AVERAGE,
        FORMULA,
        DEADLINE,
        LISTED,
    )
}
"""Every method by name, in the order docs/format.md lists them."""

PARAMETERS = frozenset[str]().union(*(spec.parameters for spec in METHODS.values()))
"""Every method parameter: the Indicator fields that some method needs or takes."""

__all__ = ["METHODS", "PARAMETERS", "MethodSpec"]
