"""A formula read as one generated function means what evaluate() means: value, error, steps."""

from __future__ import annotations

import decimal
from decimal import Decimal
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from scoring.engine.derive import Read
from scoring.engine.reading import reader
from scoring.errors import EvaluationError
from scoring.model.formula import DECIMAL_CONTEXT, Formula, Value, compile_formula
from scoring.model.program import StepBudget
from tests.property.test_formula_program import VALUES, checked, compiled, formulas
from tests.strategies import at_most


class _Values:
    """What a reader asks of the engine's Values: the facts, get() and the shared budget."""

    def __init__(self, facts: dict[str, Any], budget: StepBudget):
        self.facts, self.budget = facts, budget

    def get(self, name: str) -> Any:
        raise EvaluationError(f"fact {name!r} has no value")


def _trail(name: str) -> tuple[tuple[str, str], ...]:
    return ((name, f"事实{name}"),)


def read(
    formula: Formula,
    values: dict[str, Any],
    budget: StepBudget,
    local: dict[str, Value] | None = None,
) -> tuple[Any, Any]:
    """The generated reader's value (or error) and the audit trail it wrote."""
    reads: dict[str, Read] = {}
    found: Any
    try:
        with decimal.localcontext(DECIMAL_CONTEXT):
            found = reader(formula, _trail)(_Values(values, budget), reads, local)  # type: ignore[arg-type]
    except EvaluationError as exc:
        found = type(exc), str(exc)
    return found, reads


@at_most(400)
@given(formulas(), VALUES, st.integers(1, 40))
def test_a_generated_reader_gives_evaluates_value_or_error_and_steps(source, values, limit):
    formula = checked(source)
    ours, theirs = StepBudget(limit=limit), StepBudget(limit=limit)
    found, reads = read(formula, values, ours)
    assert found == compiled(formula, values, theirs)
    assert ours.used == theirs.used
    assert reads == {f"事实{name}": values[name] for name in formula.names}


def test_a_name_with_no_value_fails_before_the_formula_runs():
    formula = compile_formula("a + b")
    budget = StepBudget()
    found, _ = read(formula, {"a": Decimal(1)}, budget)
    assert found == (EvaluationError, "fact 'b' has no value")
    assert budget.used == 0


def test_a_straight_formula_is_counted_once_and_a_failing_one_again_node_by_node():
    budget = StepBudget()
    assert read(compile_formula("a / b"), {"a": Decimal(1), "b": Decimal(4)}, budget)[0] == Decimal(
        "0.25"
    )
    assert budget.used == 3
    failed = read(compile_formula("a / b"), {"a": Decimal(1), "b": Decimal(0)}, budget)[0]
    assert failed[1] == "division by zero in 'a / b'"
    assert budget.used == 6  # the walk counted a, b and / before it failed


def test_a_checks_own_parameters_come_first_and_are_not_in_the_audit_trail():
    formula = compile_formula("actual < 0.9 * target")
    facts = {"actual": Decimal(100), "target": Decimal(50)}  # facts that happen to share names
    own: dict[str, Value] = {"actual": Decimal(80)}
    found, reads = read(formula, facts, StepBudget(), own)
    assert found is False  # 80 < 45
    assert reads == {"事实target": Decimal(50)}
    assert read(formula, facts, StepBudget())[0] is False  # 100 < 45
    assert read(formula, facts, StepBudget(), {**own, "target": Decimal(100)})[0] is True
