"""Safe formulas on simpleeval: compile_formula() at load time, evaluate() at score time.

Rulesets come from third parties, so :func:`compile_formula` walks the parsed tree against
an allow-list and turns every number into an exact Decimal, and :func:`evaluate` runs that
tree on a strict SimpleEval subclass: numbers must be Decimals, conditions booleans, and
every step is counted.
"""

from __future__ import annotations

import ast
import copy
import decimal
import operator
import re
import unicodedata
import warnings
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from types import MappingProxyType
from typing import Any, NoReturn, TypeAlias

from pydantic import GetCoreSchemaHandler, GetJsonSchemaHandler
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import core_schema
from simpleeval import InvalidExpression, SimpleEval

from scoring.errors import DivisionByZeroError, EvaluationError

DECIMAL_CONTEXT = decimal.Context(
    prec=28,
    Emax=99,
    Emin=-99,
    rounding=ROUND_HALF_UP,
    traps=[decimal.InvalidOperation, decimal.DivisionByZero, decimal.Overflow],
)
MAX_FORMULA_LENGTH = 500
MAX_NODES = 200
MAX_DEPTH = 32
MAX_EXPONENT = 100
MAX_STRING_LENGTH = 50
MAX_STEPS = 10_000
MAX_SCORE_STEPS = 1_000_000
"""Steps for all the formulas of one scoring together: a ruleset of many heavy formulas stops."""
MAX_ROUND_PLACES = 10

_LITERAL_CONTEXT = DECIMAL_CONTEXT.copy()
_LITERAL_CONTEXT.traps[decimal.Underflow] = True  # 1e-400 would silently become 0

Value: TypeAlias = Decimal | bool | str

_PERCENT = re.compile(
    r"(?<![\w.])(\d+(?:\.\d+)?)\s*[%％](?=\s*(?:$|[)\],<>=!]|and\b|or\b|if\b|else\b))"
)
"""A number followed by % where no right operand follows: a percentage, not a modulo."""
_REFUSED_OPERATORS = {
    ast.LShift: "<<", ast.RShift: ">>", ast.BitAnd: "&", ast.BitOr: "|", ast.BitXor: "^",
    ast.MatMult: "@", ast.Invert: "~", ast.In: "in", ast.NotIn: "not in", ast.Is: "is",
    ast.IsNot: "is not",
}  # fmt: skip
_REFUSED_NODES: dict[type[ast.AST], str] = {
    ast.Attribute: "attribute access is not allowed",
    ast.Subscript: "subscripts are not allowed",
    ast.Starred: "starred arguments are not allowed",
    ast.NamedExpr: "assignment (:=) is not allowed",
    ast.Lambda: "lambdas are not allowed",
    ast.JoinedStr: "f-strings are not allowed",
    **dict.fromkeys((ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp),
                    "comprehensions are not allowed"),
    **dict.fromkeys((ast.List, ast.Tuple, ast.Dict, ast.Set),
                    "lists, tuples, dicts and sets are not allowed"),
}  # fmt: skip
# allowed argument counts, checked at load time, and how to say them
_ARGUMENTS = {
    "abs": (range(1, 2), "one number"),
    "clamp": (range(3, 4), "three numbers (value, low, high)"),
    "max": (range(1, MAX_NODES), "at least one number"),
    "min": (range(1, MAX_NODES), "at least one number"),
    "round": (range(1, 3), "a number and optionally the decimal places"),
}


class FormulaSyntaxError(ValueError):
    """A formula breaks the grammar; ``column`` is 1-based inside the formula, if known."""

    def __init__(self, reason: str, column: int | None = None, line: int = 1):
        self.reason, self.column, self.line = reason, column, line
        where = "" if column is None else f"column {column}: "
        super().__init__(f"line {line}, {where}{reason}" if line > 1 else where + reason)


def normalize_name(name: str) -> str:
    """Return ``name`` as formulas see it: Python's parser folds identifiers with NFKC."""
    return unicodedata.normalize("NFKC", name)


@dataclass(frozen=True)
class Formula:
    """A checked formula. Two formulas are equal iff their canonical texts are equal."""

    source: str = field(compare=False)
    canonical: str
    names: frozenset[str] = field(compare=False)
    tree: ast.expr = field(compare=False, repr=False)

    @classmethod
    def __get_pydantic_core_schema__(
        cls, source_type: Any, handler: GetCoreSchemaHandler
    ) -> core_schema.CoreSchema:
        return core_schema.no_info_plain_validator_function(
            _validate,
            serialization=core_schema.plain_serializer_function_ser_schema(
                lambda formula: formula.source, return_schema=core_schema.str_schema()
            ),
        )

    @classmethod
    def __get_pydantic_json_schema__(
        cls, schema: core_schema.CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        return {"type": "string" if handler.mode == "serialization" else ["string", "number"]}


def _validate(value: object) -> Formula:
    if isinstance(value, Formula):
        return value
    if isinstance(value, str | int | Decimal) and not isinstance(value, bool):
        return compile_formula(str(value))  # a bare number in YAML is a formula too
    message = f"expected a formula as text or a number, got {type(value).__name__}"
    raise ValueError(message)


def compile_formula(source: str) -> Formula:
    """Parse and check a formula once, at load time.

    Raises:
        FormulaSyntaxError: the formula is empty, too big or outside the grammar; the
            message names the column inside the formula.
    """
    text = source.strip()
    if len(source) > MAX_FORMULA_LENGTH or not text:
        message = f"formula is too long ({len(source)} characters, at most {MAX_FORMULA_LENGTH})"
        raise FormulaSyntaxError(message if text else "formula is empty")
    checker = _Checker(text, lead=len(source) - len(source.lstrip()))
    tree = checker.parse()
    canonical = ast.unparse(_Canonical().visit(copy.deepcopy(tree)))
    return Formula(source, canonical, frozenset(checker.names), tree)


class _Checker:
    """Parses stripped formula text, checks it and replaces numbers by Decimals."""

    def __init__(self, text: str, lead: int):
        self.text, self.lead = text, lead
        self.names: set[str] = set()

    def fail(self, reason: str, node: ast.AST) -> NoReturn:
        line = getattr(node, "lineno", 1)
        lines = self.text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
        prefix = lines[min(line, len(lines)) - 1].encode()[: getattr(node, "col_offset", 0)]
        column = len(prefix.decode(errors="replace")) + 1 + (self.lead if line == 1 else 0)
        raise FormulaSyntaxError(reason, column, line)

    def _refuse_percent(self) -> None:
        """A rate written with a percent sign (``执行率 >= 90%``) gets the way to write it."""
        found = _PERCENT.search(self.text)
        if found is None:
            return
        number = found.group(1)
        fraction = format(Decimal(number).scaleb(-2).normalize(), "f")
        line = self.text.count("\n", 0, found.start(1)) + 1
        column = found.start(1) - (self.text.rfind("\n", 0, found.start(1)) + 1) + 1
        message = f"write {number}% as {fraction}: formulas take rates as fractions"
        raise FormulaSyntaxError(message, column + (self.lead if line == 1 else 0), line)

    def _check_chains(self, body: ast.AST) -> None:
        """A long flat sum nests as deeply as brackets do: say so in its own words."""
        for node in ast.walk(body):
            operations, leftmost = 0, node
            while isinstance(leftmost, ast.BinOp) and (
                operations == 0 or type(leftmost.op) is type(node.op)  # type: ignore[attr-defined]
            ):
                operations, leftmost = operations + 1, leftmost.left
            if operations >= MAX_DEPTH:
                message = (
                    f"too many operations in one chain ({operations}, at most {MAX_DEPTH - 1}): "
                    "group the terms with brackets or move some into derived values"
                )
                self.fail(message, leftmost)

    def parse(self) -> ast.expr:
        depth = 0
        for index, char in enumerate(self.text):  # before CPython's parser hits its own limits
            depth += (char in "([{") - (char in ")]}")
            if depth > MAX_DEPTH:
                message = f"brackets are nested too deeply (at most {MAX_DEPTH} levels)"
                raise FormulaSyntaxError(message, index + 1 + self.lead)
        try:
            with warnings.catch_warnings():  # the same answer under any warning filter
                warnings.simplefilter("error")  # '\d' in a label: SyntaxError, not a warning
                body = ast.parse(self.text, mode="eval").body
        except (SyntaxError, ValueError) as exc:  # ValueError: a null byte, before 3.11.4
            self._refuse_percent()
            found = getattr(exc, "msg", str(exc))
            reason = found if found.startswith("invalid syntax") else f"invalid syntax: {found}"
            line = getattr(exc, "lineno", None) or 1
            column = (getattr(exc, "offset", None) or 1) + (self.lead if line == 1 else 0)
            raise FormulaSyntaxError(reason, column, line) from None
        count = sum(isinstance(node, ast.expr) for node in ast.walk(body))
        if count > MAX_NODES:
            message = f"formula has too many parts ({count}, at most {MAX_NODES})"
            raise FormulaSyntaxError(message)
        self._check_chains(body)
        stack: list[tuple[ast.AST, int]] = [(body, 1)]
        while stack:  # depth in expressions; no recursion until it is known to be small
            node, depth = stack.pop()
            if depth > MAX_DEPTH:
                self.fail(f"formula is nested too deeply (at most {MAX_DEPTH} levels)", node)
            stack.extend(
                (kid, depth + 1) for kid in ast.iter_child_nodes(node) if isinstance(kid, ast.expr)
            )
        self.check(body)
        return body

    def check(self, node: ast.AST, is_label: bool = False) -> None:
        if type(node) in _REFUSED_NODES:
            self.fail(_REFUSED_NODES[type(node)], node)
        for op in [getattr(node, "op", None), *getattr(node, "ops", ())]:
            if type(op) in _REFUSED_OPERATORS:
                self.fail(f"operator {_REFUSED_OPERATORS[type(op)]!r} is not allowed", node)
        if isinstance(node, ast.Constant):
            self.check_constant(node, is_label)
        elif isinstance(node, ast.Name):
            if node.id in FUNCTIONS:
                self.fail(f"{node.id!r} is a function: call it as {node.id}(…)", node)
            self.names.add(normalize_name(node.id))
        elif isinstance(node, ast.Call):
            self.check_call(node)
        elif isinstance(node, ast.Compare):
            operands = [node.left, *node.comparators]
            for index, operand in enumerate(operands):  # text only beside == and !=
                around = node.ops[max(index - 1, 0) : index + 1]
                self.check(operand, all(isinstance(op, ast.Eq | ast.NotEq) for op in around))
        elif isinstance(node, ast.BinOp | ast.UnaryOp | ast.BoolOp | ast.IfExp):
            for child in ast.iter_child_nodes(node):
                if isinstance(child, ast.expr):
                    self.check(child)
        else:
            self.fail(f"{type(node).__name__} expressions are not allowed", node)

    def check_constant(self, node: ast.Constant, is_label: bool) -> None:
        value = node.value
        if isinstance(value, str) and not is_label:
            self.fail("text is only allowed as an operand of == or !=", node)
        elif isinstance(value, str) and len(value) > MAX_STRING_LENGTH:
            self.fail(f"text is too long ({len(value)} > {MAX_STRING_LENGTH} characters)", node)
        elif isinstance(value, int | float) and not isinstance(value, bool):
            literal = ast.get_source_segment(self.text, node) or repr(value)
            try:  # from the text, never through float: 0.1 stays exactly 0.1
                exact = value if isinstance(value, int) else literal.replace("_", "")
                number = _LITERAL_CONTEXT.copy().create_decimal(exact)
            except (decimal.Overflow, decimal.Underflow) as exc:
                size = "large" if isinstance(exc, decimal.Overflow) else "small"
                self.fail(f"number too {size}: {literal}", node)
            node.value = number  # type: ignore[assignment]  # simpleeval returns it as is
        elif not isinstance(value, bool | str):
            self.fail(f"{type(value).__name__} literals are not allowed", node)

    def check_call(self, node: ast.Call) -> None:
        if not isinstance(node.func, ast.Name):
            self.check(node.func)  # names the real problem: attribute access, a lambda …
            self.fail("only the allowed functions can be called", node)
        name = node.func.id
        if name not in FUNCTIONS:
            self.fail(f"unknown function {name!r} (allowed: {', '.join(sorted(FUNCTIONS))})", node)
        if node.keywords:
            self.fail("keyword arguments are not allowed", node.keywords[0])
        counts, wanted = _ARGUMENTS[name]
        if len(node.args) not in counts:
            self.fail(f"{name}() takes {wanted}, got {len(node.args)} arguments", node)
        for arg in node.args:
            self.check(arg)


class _Canonical(ast.NodeTransformer):
    """Writes numbers as their exact Decimal text (float repr would merge 0.1 and 0.1000…01)."""

    def visit_Constant(self, node: ast.Constant) -> ast.AST:
        if isinstance(node.value, Decimal):  # 48 and 48.0 are one number; 0.1 and 0.1…01 are not
            return ast.Name(id=format(node.value.normalize(), "f"))
        return node


def _round(number: Decimal, places: Decimal = Decimal(0)) -> Decimal:
    if places != places.to_integral_value() or not 0 <= places <= MAX_ROUND_PLACES:
        message = f"round() places must be a whole number, 0 to {MAX_ROUND_PLACES}, not {places}"
        raise EvaluationError(message)
    try:
        return number.quantize(Decimal(1).scaleb(-int(places)), rounding=ROUND_HALF_UP)
    except decimal.InvalidOperation:
        message = f"round() result would have more than {DECIMAL_CONTEXT.prec} digits"
        raise EvaluationError(message) from None


def _clamp(number: Decimal, low: Decimal, high: Decimal) -> Decimal:
    if low > high:
        message = f"clamp() needs low <= high, got {low} > {high}"
        raise EvaluationError(message)
    return min(max(number, low), high)


FUNCTIONS: Mapping[str, Callable[..., Decimal]] = MappingProxyType({
    "abs": abs, "clamp": _clamp, "round": _round,
    "max": lambda *numbers: max(numbers), "min": lambda *numbers: min(numbers),
})  # fmt: skip


def _describe(value: object) -> str:
    kinds = {bool: "a yes/no value", str: "text", Decimal: "a number"}
    return kinds.get(type(value), type(value).__name__)


def _power(base: Decimal, exponent: Decimal) -> Decimal:
    if exponent != exponent.to_integral_value() or abs(exponent) > MAX_EXPONENT:
        message = f"exponent must be a whole number within ±{MAX_EXPONENT}, not {exponent}"
        raise EvaluationError(message)
    if base.is_zero() and exponent < 0:
        raise ZeroDivisionError  # decimal quietly gives Infinity here
    return base**exponent


def _typed(symbol: str, apply: Callable[..., Value], kinds: tuple[type, ...] = (Decimal,)) -> Any:
    """Wraps an operator so it takes only operands of one of ``kinds``, both of the same type."""

    def checked(*operands: Value) -> Value:
        wrong = [operand for operand in operands if type(operand) not in kinds]
        if wrong or len({type(operand) for operand in operands}) > 1:
            found = _describe(wrong[0]) if wrong else " and ".join(map(_describe, operands))
            message = f"cannot apply {symbol!r} to {found}"
            raise EvaluationError(message)
        if symbol in ("/", "//", "%") and operands[1].is_zero():  # type: ignore[union-attr]
            raise ZeroDivisionError
        return apply(*operands)

    return checked


_ANY = (Decimal, bool, str)
_OPERATORS: dict[type[ast.AST], Callable[..., Value]] = {
    ast.Add: _typed("+", operator.add), ast.Sub: _typed("-", operator.sub),
    ast.Mult: _typed("*", operator.mul), ast.Div: _typed("/", operator.truediv),
    ast.FloorDiv: _typed("//", operator.floordiv), ast.Mod: _typed("%", operator.mod),
    ast.Pow: _typed("**", _power),
    ast.Eq: _typed("==", operator.eq, _ANY), ast.NotEq: _typed("!=", operator.ne, _ANY),
    ast.Lt: _typed("<", operator.lt), ast.LtE: _typed("<=", operator.le),
    ast.Gt: _typed(">", operator.gt), ast.GtE: _typed(">=", operator.ge),
    ast.USub: _typed("-", operator.neg), ast.UAdd: _typed("+", operator.pos),
    ast.Not: _typed("not", operator.not_, (bool,)),
}  # fmt: skip


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
            message = (
                f"scoring took more than {self.limit} formula steps: the formulas are too heavy"
            )
            raise EvaluationError(message)


class _Evaluator(SimpleEval):  # type: ignore[misc]  # simpleeval ships no type information
    """SimpleEval with strict types, counted steps and our own errors."""

    def __init__(self, values: Mapping[str, Value], text: str, budget: StepBudget | None):
        super().__init__(operators=_OPERATORS, functions=FUNCTIONS, names=values)
        self.text, self.steps, self.budget = text, 0, budget

    def _eval(self, node: ast.AST) -> Value:
        self.steps += 1
        if self.steps > MAX_STEPS:
            message = f"formula took more than {MAX_STEPS} steps"
            raise EvaluationError(message)
        if self.budget is not None:
            self.budget.spend()
        return super()._eval(node)  # type: ignore[no-any-return]

    def _eval_name(self, node: ast.Name) -> Value:
        value = self.names.get(node.id)  # never falls back to FUNCTIONS, as simpleeval's does
        if type(value) not in _ANY or (isinstance(value, Decimal) and not value.is_finite()):
            bad = f"{node.id!r} must be a finite Decimal, a bool or text, got {value!r}"
            message = f"unknown name {node.id!r}" if value is None else bad
            raise EvaluationError(message)
        return value  # type: ignore[no-any-return]

    def _eval_binop(self, node: ast.BinOp) -> Value:
        left, right = self._eval(node.left), self._eval(node.right)
        try:
            return self.operators[type(node.op)](left, right)  # type: ignore[no-any-return]
        except ZeroDivisionError:
            message = f"division by zero in {ast.get_source_segment(self.text, node)!r}"
            raise DivisionByZeroError(message) from None

    def _eval_boolop(self, node: ast.BoolOp) -> bool:
        stop = isinstance(node.op, ast.Or)  # 'and' stops at the first False, 'or' at the first True
        for operand in node.values:
            value = self._eval(operand)
            if not isinstance(value, bool):
                message = f"'and'/'or' need yes/no values, got {_describe(value)}"
                raise EvaluationError(message)
            if value is stop:
                return stop
        return not stop

    def _eval_ifexp(self, node: ast.IfExp) -> Value:
        test = self._eval(node.test)
        if not isinstance(test, bool):
            message = f"the condition after 'if' must be yes/no, got {_describe(test)}"
            raise EvaluationError(message)
        return self._eval(node.body if test else node.orelse)

    def _eval_call(self, node: ast.Call) -> Value:
        assert isinstance(node.func, ast.Name)  # compile_formula allows nothing else
        args = [self._eval(arg) for arg in node.args]
        for arg in args:
            if not isinstance(arg, Decimal):
                message = f"{node.func.id}() takes numbers, got {_describe(arg)}"
                raise EvaluationError(message)
        return FUNCTIONS[node.func.id](*args)


def evaluate(
    formula: Formula, values: Mapping[str, Value], budget: StepBudget | None = None
) -> Value:
    """Evaluate a compiled formula under DECIMAL_CONTEXT.

    Args:
        formula: from :func:`compile_formula`.
        values: every name the formula reads, keyed by :func:`normalize_name`.
        budget: steps shared with the other formulas of one scoring (none: this formula's own).

    Returns:
        A finite Decimal or a bool; text only when the formula is a bare name holding text.

    Raises:
        DivisionByZeroError: the formula divided by zero.
        EvaluationError: any other failure (operand types, overflow, an unknown name); the
            caller places it with ``err.at(path, location)``.
    """
    text = formula.source.strip()
    try:
        with decimal.localcontext(DECIMAL_CONTEXT):
            result = _Evaluator(values, text, budget).eval(
                formula.source, previously_parsed=formula.tree
            )
    except decimal.Overflow:
        message = f"result too large in {text!r}"
        raise EvaluationError(message) from None
    except decimal.InvalidOperation:
        message = f"undefined result in {text!r}"
        raise EvaluationError(message) from None
    except (ArithmeticError, InvalidExpression, TypeError, ValueError, RecursionError) as exc:
        message = f"cannot evaluate {text!r} ({type(exc).__name__})"
        raise EvaluationError(message) from None
    is_text = isinstance(result, str) and isinstance(formula.tree, ast.Name)
    is_number = isinstance(result, Decimal) and result.is_finite()
    if not (isinstance(result, bool) or is_text or is_number):
        message = f"{text!r} gave {_describe(result)}, expected a number or yes/no"
        raise EvaluationError(message)
    return result  # type: ignore[no-any-return]
