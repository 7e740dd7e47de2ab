"""A formula's compiled program means what its tree means: the same value or the same error.

The reference is the plain way to evaluate a checked tree: a strict SimpleEval walking it node by
node, as the engine did before formulas were compiled. It lives here, as the oracle, and nowhere
in the package.
"""

from __future__ import annotations

import ast
import decimal
import pickle
from decimal import Decimal
from typing import Any

from hypothesis import assume, given
from hypothesis import strategies as st
from simpleeval import InvalidExpression, SimpleEval

from scoring.errors import DivisionByZeroError, EvaluationError
from scoring.model import program as program_module
from scoring.model.arithmetic import FUNCTIONS, OPERATORS, VALUE_TYPES, describe
from scoring.model.formula import (
    DECIMAL_CONTEXT,
    Formula,
    FormulaSyntaxError,
    Value,
    compile_formula,
)
from scoring.model.program import MAX_STEPS, StepBudget, evaluate
from tests.strategies import at_most


class _Plain(SimpleEval):  # type: ignore[misc]
    """The tree walked node by node, with the checks and messages of the engine."""

    def __init__(self, values, text, budget):
        super().__init__(operators=OPERATORS, functions=FUNCTIONS, names=values)
        self.text, self.steps, self.budget = text, 0, budget

    def _eval(self, node):
        self.steps += 1
        if self.steps > MAX_STEPS:
            raise EvaluationError(f"formula took more than {MAX_STEPS} steps")
        if self.budget is not None:
            self.budget.spend()
        return super()._eval(node)

    def _eval_name(self, node):
        value = self.names.get(node.id)
        if type(value) not in VALUE_TYPES or (isinstance(value, Decimal) and not value.is_finite()):
            if value is None:
                raise EvaluationError(f"unknown name {node.id!r}")
            message = f"{node.id!r} must be a finite Decimal, a bool or text, got {value!r}"
            raise EvaluationError(message)
        return value

    def _eval_binop(self, node):
        left, right = self._eval(node.left), self._eval(node.right)
        try:
            return self.operators[type(node.op)](left, right)
        except ZeroDivisionError:
            segment = ast.get_source_segment(self.text, node)
            raise DivisionByZeroError(f"division by zero in {segment!r}") from None

    def _eval_boolop(self, node):
        stop = isinstance(node.op, ast.Or)
        for operand in node.values:
            value = self._eval(operand)
            if not isinstance(value, bool):
                message = f"'and'/'or' need yes/no values, got {describe(value)}"
                raise EvaluationError(message)
            if value is stop:
                return stop
        return not stop

    def _eval_ifexp(self, node):
        test = self._eval(node.test)
        if not isinstance(test, bool):
            message = f"the condition after 'if' must be yes/no, got {describe(test)}"
            raise EvaluationError(message)
        return self._eval(node.body if test else node.orelse)

    def _eval_call(self, node):
        args = [self._eval(arg) for arg in node.args]
        for arg in args:
            if not isinstance(arg, Decimal):
                message = f"{node.func.id}() takes numbers, got {describe(arg)}"
                raise EvaluationError(message)
        return FUNCTIONS[node.func.id](*args)


def plain(formula: Formula, values: dict[str, Any], budget: StepBudget | None = None) -> Any:
    """What the engine gave before compiling: the value, or the error's type and message."""
    text = formula.source.strip()
    try:
        with decimal.localcontext(DECIMAL_CONTEXT):
            result = _Plain(values, text, budget).eval(text, previously_parsed=formula.tree)
    except decimal.Overflow:
        return EvaluationError, f"result too large in {text!r}"
    except decimal.InvalidOperation:
        return EvaluationError, f"undefined result in {text!r}"
    except EvaluationError as exc:
        return type(exc), str(exc)
    except (ArithmeticError, InvalidExpression, TypeError, ValueError, RecursionError) as exc:
        return EvaluationError, f"cannot evaluate {text!r} ({type(exc).__name__})"
    is_text = isinstance(result, str) and isinstance(formula.tree, ast.Name)
    is_number = isinstance(result, Decimal) and result.is_finite()
    if not (isinstance(result, bool) or is_text or is_number):
        return EvaluationError, f"{text!r} gave {describe(result)}, expected a number or yes/no"
    return result


def compiled(formula: Formula, values: dict[str, Any], budget: StepBudget | None = None) -> Any:
    try:
        return evaluate(formula, values, budget)
    except EvaluationError as exc:
        return type(exc), str(exc)


NUMBERS = ("a", "b", "c", "0", "1", "2", "0.5", "3.25", "100")
BOOLEANS = ("p", "q", "True", "False")


def _binary(parts: tuple[str, str, str]) -> str:
    return f"({parts[0]} {parts[1]} {parts[2]})"


def formulas() -> st.SearchStrategy[str]:
    """Formula texts over numbers a, b, c, yes/no p, q and text s; many mistyped on purpose."""
    leaves = st.sampled_from(NUMBERS + BOOLEANS + ("s",))
    operators = st.sampled_from(("+", "-", "*", "/", "//", "%", "**"))
    comparisons = st.sampled_from(("<", "<=", ">", ">=", "==", "!="))

    def extend(inner: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
        return st.one_of(
            st.tuples(inner, operators, inner).map(_binary),
            st.tuples(inner, comparisons, inner).map(_binary),
            st.tuples(inner, comparisons, inner, comparisons, inner).map(
                lambda p: f"({p[0]} {p[1]} {p[2]} {p[3]} {p[4]})"
            ),
            st.tuples(inner, st.sampled_from(("and", "or")), inner).map(_binary),
            inner.map(lambda x: f"(not {x})"),
            inner.map(lambda x: f"(-{x})"),
            st.tuples(inner, inner, inner).map(lambda p: f"({p[0]} if {p[1]} else {p[2]})"),
            st.tuples(st.sampled_from(("min", "max")), st.lists(inner, min_size=1, max_size=3)).map(
                lambda p: f"{p[0]}({', '.join(p[1])})"
            ),
            inner.map(lambda x: f"abs({x})"),
            st.tuples(inner, st.sampled_from(("", ", 0", ", 2", ", 1.5", ", a"))).map(
                lambda p: f"round({p[0]}{p[1]})"
            ),
            st.tuples(inner, inner, inner).map(lambda p: f"clamp({p[0]}, {p[1]}, {p[2]})"),
            st.sampled_from(('s == "是"', 's != "否"', 'p == "是"')),
        )

    return st.recursive(leaves, extend, max_leaves=12)


VALUES = st.fixed_dictionaries(
    {
        "a": st.sampled_from(
            [Decimal(0), Decimal(1), Decimal("2.5"), Decimal(-3), Decimal("1e20")]
        ),
        "b": st.sampled_from([Decimal(0), Decimal(7), Decimal("0.001"), Decimal("-0.5")]),
        "c": st.decimals(min_value=-1000, max_value=1000, places=3, allow_nan=False),
        "p": st.booleans(),
        "q": st.booleans(),
        "s": st.sampled_from(["是", "否"]),
    }
)


def checked(source: str) -> Formula:
    try:
        return compile_formula(source)
    except FormulaSyntaxError:
        assume(False)
        raise


@at_most(500)
@given(formulas(), VALUES)
def test_the_program_gives_the_plain_walks_value_or_error(source, values):
    formula = checked(source)
    assert compiled(formula, values) == plain(formula, values)


@at_most(200)
@given(formulas(), VALUES, st.integers(1, 12))
def test_the_program_counts_the_same_steps_against_a_shared_budget(source, values, limit):
    formula = checked(source)
    ours, theirs = StepBudget(limit=limit), StepBudget(limit=limit)
    assert compiled(formula, values, ours) == plain(formula, values, theirs)
    assert ours.used == theirs.used


@at_most(100)
@given(formulas(), VALUES)
def test_a_pickled_formula_builds_its_program_again_and_means_the_same(source, values):
    formula = checked(source)
    before = compiled(formula, values)
    assert formula.program is not None
    restored = pickle.loads(pickle.dumps(formula))
    assert restored.program is None
    assert compiled(restored, values) == before


def test_the_step_limit_of_one_formula_is_read_when_it_runs(monkeypatch):
    formula = compile_formula("a + b + c")
    values = {"a": Decimal(1), "b": Decimal(2), "c": Decimal(3)}
    assert evaluate(formula, values) == Decimal(6)
    monkeypatch.setattr(program_module, "MAX_STEPS", 4)
    assert compiled(formula, values) == (EvaluationError, "formula took more than 4 steps")


def test_a_formula_without_branches_runs_as_one_function_counting_its_nodes_once():
    straight = compile_formula("abs(a / b - 1) * 10")
    branching = compile_formula("a if p else b")
    values: dict[str, Value] = {"a": Decimal(3), "b": Decimal(2), "p": True}
    budget = StepBudget()
    assert evaluate(straight, values, budget) == Decimal(5)
    assert straight.program.straight is not None
    assert budget.used == 8  # *, abs, -, /, a, b, 1, 10
    assert evaluate(branching, values) == Decimal(3)
    assert branching.program.straight is None


def test_in_the_callers_decimal_context_a_formula_means_the_same():
    formula = compile_formula("a / b")
    values: dict[str, Value] = {"a": Decimal(2), "b": Decimal(3)}
    with decimal.localcontext(DECIMAL_CONTEXT):
        assert evaluate(formula, values, in_context=True) == evaluate(formula, values)
