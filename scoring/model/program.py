"""A formula run: the checked tree turned once into closures, evaluate() at score time.

Each node becomes a small closure that counts its step, then evaluates its operands once each;
numbers must be Decimals, conditions yes/no. A formula without branches also becomes one
Python function, run when its steps fit the budget. Nothing else ever evaluates a formula, so
there is one meaning of each.
"""

from __future__ import annotations

import ast
import decimal
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, TypeAlias

from scoring.errors import DivisionByZeroError, EvaluationError
from scoring.i18n import _
from scoring.model.arithmetic import FUNCTIONS, OPERATORS, VALUE_TYPES, describe
from scoring.model.formula import DECIMAL_CONTEXT, Formula, Value

MAX_STEPS = 10_000
"""Steps of one formula's evaluation."""
MAX_SCORE_STEPS = 1_000_000
"""Steps for all the formulas of one scoring together: a ruleset of many heavy formulas stops."""


@dataclass
class StepBudget:
    """Evaluation steps shared by every formula of one scoring, so the whole stays bounded."""

    limit: int = MAX_SCORE_STEPS
    used: int = 0

    def spend(self) -> None:
        """Count one step.

        Raises:
            EvaluationError: once the limit is passed.
        """
        self.used += 1
        if self.used > self.limit:
            message = _(
                "scoring took more than {limit} formula steps: the formulas are too heavy"
            ).format(limit=self.limit)
            raise EvaluationError(message)


class FeatureNotAvailableError(Exception):
    """A node the checker let through that no program step exists for: a bug, never a user's."""


class _Run:
    """One evaluation's step count, and the budget shared with the scoring's other formulas."""

    __slots__ = ("budget", "steps")

    def __init__(self, budget: StepBudget | None):
        self.steps, self.budget = 0, budget

    def step(self) -> None:
        self.steps += 1
        if self.steps > MAX_STEPS:
            message = _("formula took more than {limit} steps").format(limit=MAX_STEPS)
            raise EvaluationError(message)
        if self.budget is not None:
            self.budget.spend()


Step: TypeAlias = Callable[[Mapping[str, Value], _Run], Value]


def _program(node: ast.AST, text: str) -> Step:
    """The closure that evaluates ``node``: each counts itself, then its operands, once each."""
    if isinstance(node, ast.Constant):
        constant = node.value

        def run_constant(values: Mapping[str, Value], run: _Run) -> Value:
            run.step()
            return constant  # type: ignore[return-value]  # Decimal, bool or str: checked

        return run_constant
    if isinstance(node, ast.Name):
        name = node.id

        def run_name(values: Mapping[str, Value], run: _Run) -> Value:
            run.step()
            value = values.get(name)  # never a function, whatever the name
            if type(value) not in VALUE_TYPES or (type(value) is Decimal and not value.is_finite()):
                if value is None:
                    message = _("unknown name {name!r}").format(name=name)
                else:
                    message = _("{name!r} must be a finite Decimal, a bool or text, got {value!r}")
                    message = message.format(name=name, value=value)
                raise EvaluationError(message)
            return value  # type: ignore[return-value]

        return run_name
    if isinstance(node, ast.BinOp):
        left, right = _program(node.left, text), _program(node.right, text)
        apply = OPERATORS[type(node.op)]
        segment = ast.get_source_segment(text, node)

        def run_binop(values: Mapping[str, Value], run: _Run) -> Value:
            run.step()
            operands = left(values, run), right(values, run)
            try:
                return apply(*operands)
            except ZeroDivisionError:
                message = _("division by zero in {formula!r}").format(formula=segment)
                raise DivisionByZeroError(message) from None

        return run_binop
    if isinstance(node, ast.UnaryOp):
        operand, apply = _program(node.operand, text), OPERATORS[type(node.op)]

        def run_unaryop(values: Mapping[str, Value], run: _Run) -> Value:
            run.step()
            return apply(operand(values, run))

        return run_unaryop
    if isinstance(node, ast.Compare):
        first = _program(node.left, text)
        chain = [
            (OPERATORS[type(op)], _program(comparator, text))
            for op, comparator in zip(node.ops, node.comparators, strict=True)
        ]

        def run_compare(values: Mapping[str, Value], run: _Run) -> Value:
            run.step()
            right, holds = first(values, run), True
            for apply, comparator in chain:  # a < b < c stops at the first that fails
                if not holds:
                    break
                left, right = right, comparator(values, run)
                holds = apply(left, right)  # type: ignore[assignment]
            return holds

        return run_compare
    if isinstance(node, ast.BoolOp):
        operands = [_program(value, text) for value in node.values]
        stop = isinstance(node.op, ast.Or)  # 'and' stops at the first False, 'or' at the first True

        def run_boolop(values: Mapping[str, Value], run: _Run) -> Value:
            run.step()
            for operand in operands:
                value = operand(values, run)
                if not isinstance(value, bool):
                    message = _("'and'/'or' need yes/no values, got {found}").format(
                        found=describe(value)
                    )
                    raise EvaluationError(message)
                if value is stop:
                    return stop
            return not stop

        return run_boolop
    if isinstance(node, ast.IfExp):
        test = _program(node.test, text)
        body, orelse = _program(node.body, text), _program(node.orelse, text)

        def run_ifexp(values: Mapping[str, Value], run: _Run) -> Value:
            run.step()
            holds = test(values, run)
            if not isinstance(holds, bool):
                message = _("the condition after 'if' must be yes/no, got {found}").format(
                    found=describe(holds)
                )
                raise EvaluationError(message)
            return (body if holds else orelse)(values, run)

        return run_ifexp
    if isinstance(node, ast.Call):
        assert isinstance(node.func, ast.Name)  # compile_formula allows nothing else
        function, called = FUNCTIONS[node.func.id], node.func.id
        arguments = [_program(arg, text) for arg in node.args]

        def run_call(values: Mapping[str, Value], run: _Run) -> Value:
            run.step()
            args = [argument(values, run) for argument in arguments]
            for arg in args:
                if not isinstance(arg, Decimal):
                    message = _("{function}() takes numbers, got {found}").format(
                        function=called, found=describe(arg)
                    )
                    raise EvaluationError(message)
            return function(*args)

        return run_call
    kind = type(node).__name__

    def run_unknown(values: Mapping[str, Value], run: _Run) -> Value:
        raise FeatureNotAvailableError(kind)

    return run_unknown


class _Compiled:
    """A formula's program: node by node, and as one function when it has no branches."""

    __slots__ = ("nodes", "straight", "text", "walk")

    def __init__(self, tree: ast.expr, text: str):
        self.text = text
        self.walk = _program(tree, text)
        self.straight, self.nodes = _straight(tree, text)


def _straight(
    tree: ast.expr, text: str
) -> tuple[Callable[[Mapping[str, Value]], Value] | None, int]:
    """The formula as one Python function, and its steps; None when a node may be skipped.

    Without and/or, if/else or a chained comparison every node is evaluated, once, in the same
    order as node by node: the steps are the number of nodes, counted once, not one by one. The
    function is built from our own text (indices into ``K``), never from the formula's.
    """
    constants: list[Any] = []
    found = straight_source(tree, text, lambda name, held: f"N(V, {held(name)})", constants)
    if found is None:
        return None, 0
    return eval(f"lambda V: {found[0]}", {"K": constants, "N": _name}), found[2]


def straight_source(
    tree: ast.expr,
    text: str,
    name: Callable[[str, Callable[[Any], str]], str],
    constants: list[Any],
    *,
    bare: bool = False,
) -> tuple[str, list[Any], int] | None:
    """A formula without branches as one Python expression: its text, constants ``K``, steps.

    ``name(formula_name, held)`` writes a name read (``held(value)`` keeps a constant and gives
    its text); ``constants``: the list ``K``, added to; ``bare``: operators that raise Python's
    ZeroDivisionError, for a caller that runs the program again to say what failed. The text is
    ours (indices into ``K``), never the formula's; None when a node may be skipped (and/or,
    if/else, a chained comparison).
    """
    steps = 0

    def held(value: Any) -> str:
        constants.append(value)
        return f"K[{len(constants) - 1}]"

    def source(node: ast.AST) -> str:
        nonlocal steps
        steps += 1  # one for each node evaluated, as node by node counts them
        if isinstance(node, ast.Constant):
            return held(node.value)
        if isinstance(node, ast.Name):
            return name(node.id, held)
        if isinstance(node, ast.BinOp):
            apply = OPERATORS[type(node.op)]
            if not bare:
                apply = _binop(apply, ast.get_source_segment(text, node))
            return f"{held(apply)}({source(node.left)}, {source(node.right)})"
        if isinstance(node, ast.UnaryOp):
            return f"{held(OPERATORS[type(node.op)])}({source(node.operand)})"
        if isinstance(node, ast.Compare) and len(node.ops) == 1:
            apply = OPERATORS[type(node.ops[0])]
            return f"{held(apply)}({source(node.left)}, {source(node.comparators[0])})"
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
            call = _call(FUNCTIONS[node.func.id], node.func.id)
            return f"{held(call)}({', '.join(source(arg) for arg in node.args)})"
        raise _Branches

    try:
        body = source(tree)
    except _Branches:
        return None
    return body, constants, steps


class _Branches(Exception):  # noqa: N818 - a signal, not an error
    """A node that is not always evaluated: the formula keeps its node-by-node program."""


def _name(values: Mapping[str, Value], name: str) -> Value:
    value = values.get(name)
    if type(value) not in VALUE_TYPES or (type(value) is Decimal and not value.is_finite()):
        raise EvaluationError(_("unknown name {name!r}").format(name=name))
    return value  # type: ignore[return-value]


def _binop(apply: Callable[..., Value], segment: str | None) -> Callable[[Value, Value], Value]:
    def run(left: Value, right: Value) -> Value:
        try:
            return apply(left, right)
        except ZeroDivisionError:
            message = _("division by zero in {formula!r}").format(formula=segment)
            raise DivisionByZeroError(message) from None

    return run


def _call(function: Callable[..., Decimal], name: str) -> Callable[..., Value]:
    def run(*args: Value) -> Value:
        for arg in args:
            if type(arg) is not Decimal:
                message = _("{function}() takes numbers, got {found}").format(
                    function=name, found=describe(arg)
                )
                raise EvaluationError(message)
        return function(*args)

    return run


def _run(program: _Compiled, values: Mapping[str, Value], budget: StepBudget | None) -> Value:
    """The straight function when it may run, else the node-by-node program.

    Any failure in the straight function is run again node by node, from the same budget: the
    error, and the steps counted up to it, are then exactly the node-by-node ones.
    """
    straight, nodes = program.straight, program.nodes
    if straight is None or nodes > MAX_STEPS:
        return program.walk(values, _Run(budget))
    if budget is None:
        try:
            return straight(values)
        except Exception:  # the node-by-node program says exactly what went wrong
            return program.walk(values, _Run(budget))
    before = budget.used
    if before + nodes > budget.limit:
        return program.walk(values, _Run(budget))
    budget.used = before + nodes
    try:
        return straight(values)
    except Exception:
        budget.used = before
        return program.walk(values, _Run(budget))


def evaluate(
    formula: Formula,
    values: Mapping[str, Value],
    budget: StepBudget | None = None,
    *,
    in_context: bool = False,
) -> Value:
    """Evaluate a compiled formula under DECIMAL_CONTEXT.

    Args:
        formula: from :func:`compile_formula`.
        values: every name the formula reads, keyed by :func:`normalize_name`.
        budget: steps shared with the other formulas of one scoring (none: this formula's own).
        in_context: the caller already computes under DECIMAL_CONTEXT (the engine sets it once
            per scoring): do not set it again for each formula.

    Returns:
        A finite Decimal or a bool; text only when the formula is a bare name holding text.

    Raises:
        DivisionByZeroError: the formula divided by zero.
        EvaluationError: any other failure (operand types, overflow, an unknown name); the
            caller places it with ``err.at(path, location)``.
    """
    program = formula.program
    if program is None:  # once per formula: the tree never changes
        program = _Compiled(formula.tree, formula.source.strip())
        object.__setattr__(formula, "program", program)
    text = program.text
    try:
        if in_context:
            result = _run(program, values, budget)
        else:
            with decimal.localcontext(DECIMAL_CONTEXT):
                result = _run(program, values, budget)
    except decimal.Overflow:
        message = _("result too large in {formula!r}").format(formula=text)
        raise EvaluationError(message) from None
    except decimal.InvalidOperation:
        message = _("undefined result in {formula!r}").format(formula=text)
        raise EvaluationError(message) from None
    except (
        ArithmeticError,
        FeatureNotAvailableError,
        TypeError,
        ValueError,
        RecursionError,
    ) as exc:
        message = _("cannot evaluate {formula!r} ({error})").format(
            formula=text, error=type(exc).__name__
        )
        raise EvaluationError(message) from None
    kind = type(result)
    if kind is bool or (kind is Decimal and result.is_finite()):  # type: ignore[union-attr]
        return result
    is_text = isinstance(result, str) and isinstance(formula.tree, ast.Name)
    is_number = isinstance(result, Decimal) and result.is_finite()
    if not (isinstance(result, bool) or is_text or is_number):
        message = _("{formula!r} gave {found}, expected a number or yes/no").format(
            formula=text, found=describe(result)
        )
        raise EvaluationError(message)
    return result
