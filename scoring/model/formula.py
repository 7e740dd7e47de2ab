"""Safe formulas: compile_formula() at load time, evaluate() at score time.

Rulesets come from third parties, so :func:`compile_formula` walks the parsed tree against
an allow-list and turns every number into an exact Decimal. The checked tree is then turned,
once per formula, into a program of small closures, one per node, which :func:`evaluate` runs:
numbers must be Decimals, conditions booleans, and every step is counted. Nothing else ever
evaluates a formula, so there is one meaning of each.
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

from scoring.errors import DivisionByZeroError, EvaluationError
from scoring.i18n import ForeignPhrases, _, foreign_words, ngettext

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
# messages are functions: translated when said, in the language chosen by then
_REFUSED_NODES: dict[type[ast.AST], Callable[[], str]] = {
    ast.Attribute: lambda: _("attribute access is not allowed"),
    ast.Subscript: lambda: _("subscripts are not allowed"),
    ast.Starred: lambda: _("starred arguments are not allowed"),
    ast.NamedExpr: lambda: _("assignment (:=) is not allowed"),
    ast.Lambda: lambda: _("lambdas are not allowed"),
    ast.JoinedStr: lambda: _("f-strings are not allowed"),
    **dict.fromkeys((ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp),
                    lambda: _("comprehensions are not allowed")),
    **dict.fromkeys((ast.List, ast.Tuple, ast.Dict, ast.Set),
                    lambda: _("lists, tuples, dicts and sets are not allowed")),
}  # fmt: skip
# allowed argument counts, checked at load time, and how to say them
_ARGUMENTS: dict[str, tuple[range, Callable[[], str]]] = {
    "abs": (range(1, 2), lambda: _("one number")),
    "clamp": (range(3, 4), lambda: _("three numbers (value, low, high)")),
    "max": (range(1, MAX_NODES), lambda: _("at least one number")),
    "min": (range(1, MAX_NODES), lambda: _("at least one number")),
    "round": (range(1, 3), lambda: _("a number and optionally the decimal places")),
}
# CPython's complaints about a formula's syntax that a user meets most, in the chosen language
_PYTHON_REASONS: ForeignPhrases = (
    (re.compile(r"invalid syntax"), lambda: _("invalid syntax")),
    (
        re.compile(r"invalid syntax\. Perhaps you forgot a comma\?"),
        lambda: _("invalid syntax. Perhaps you forgot a comma?"),
    ),
    (
        re.compile(r"invalid syntax\. Maybe you meant '==' or ':=' instead of '='\?"),
        lambda: _("invalid syntax. Maybe you meant '==' or ':=' instead of '='?"),
    ),
    (
        re.compile(r"invalid character '(?P<character>.)' \((?P<code>U\+[0-9A-F]+)\)"),
        lambda: _("invalid character '{character}' ({code})"),
    ),
    (re.compile(r"'(?P<bracket>.)' was never closed"), lambda: _("'{bracket}' was never closed")),
    (re.compile(r"unmatched '(?P<bracket>.)'"), lambda: _("unmatched '{bracket}'")),
    (
        re.compile(
            r"closing parenthesis '(?P<closing>.)' does not match opening parenthesis "
            r"'(?P<opening>.)'"
        ),
        lambda: _("closing parenthesis '{closing}' does not match opening parenthesis '{opening}'"),
    ),
    (
        re.compile(
            r"closing parenthesis '(?P<closing>.)' does not match opening parenthesis "
            r"'(?P<opening>.)' on line (?P<line>\d+)"
        ),
        lambda: _(
            "closing parenthesis '{closing}' does not match opening parenthesis '{opening}' "
            "on line {line}"
        ),
    ),
    (
        re.compile(r"unterminated string literal \(detected at line (?P<line>\d+)\)"),
        lambda: _("unterminated string literal (detected at line {line})"),
    ),
    (re.compile(r"invalid decimal literal"), lambda: _("invalid decimal literal")),
    (
        re.compile(r"expected 'else' after 'if' expression"),
        lambda: _("expected 'else' after 'if' expression"),
    ),
    (
        re.compile(r"invalid escape sequence '(?P<sequence>\\.)'"),
        lambda: _("invalid escape sequence '{sequence}'"),
    ),
    (
        re.compile(r"source code string cannot contain null bytes"),
        lambda: _("source code string cannot contain null bytes"),
    ),
)


class FormulaSyntaxError(ValueError):
    """A formula breaks the grammar; ``column`` is 1-based inside the formula, if known."""

    def __init__(self, reason: str, column: int | None = None, line: int = 1):
        self.reason, self.column, self.line = reason, column, line
        if line > 1 and column is not None:
            where = _("line {line}, column {column}: {reason}")
        elif line > 1:
            where = _("line {line}, {reason}")
        elif column is not None:
            where = _("column {column}: {reason}")
        else:
            where = "{reason}"
        super().__init__(where.format(line=line, column=column, reason=reason))


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
    program: Any = field(default=None, compare=False, repr=False)
    """The tree turned into closures, on first evaluation; left out when pickled."""

    def __getstate__(self) -> dict[str, Any]:
        return {**self.__dict__, "program": None}  # closures do not pickle: built again

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
    message = _("expected a formula as text or a number, got {type}").format(
        type=type(value).__name__
    )
    raise ValueError(message)


def compile_formula(source: str) -> Formula:
    """Parse and check a formula once, at load time.

    Raises:
        FormulaSyntaxError: the formula is empty, too big or outside the grammar; the
            message names the column inside the formula.
    """
    text = source.strip()
    if len(source) > MAX_FORMULA_LENGTH or not text:
        message = _("formula is too long ({length} characters, at most {limit})").format(
            length=len(source), limit=MAX_FORMULA_LENGTH
        )
        raise FormulaSyntaxError(message if text else _("formula is empty"))
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
        message = _("write {number}% as {fraction}: formulas take rates as fractions").format(
            number=number, fraction=fraction
        )
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
                message = _(
                    "too many operations in one chain ({count}, at most {limit}): "
                    "group the terms with brackets or move some into derived values"
                ).format(count=operations, limit=MAX_DEPTH - 1)
                self.fail(message, leftmost)

    def parse(self) -> ast.expr:
        depth = 0
        for index, char in enumerate(self.text):  # before CPython's parser hits its own limits
            depth += (char in "([{") - (char in ")]}")
            if depth > MAX_DEPTH:
                message = _("brackets are nested too deeply (at most {limit} levels)").format(
                    limit=MAX_DEPTH
                )
                raise FormulaSyntaxError(message, index + 1 + self.lead)
        try:
            with warnings.catch_warnings():  # the same answer under any warning filter
                warnings.simplefilter("error")  # '\d' in a label: SyntaxError, not a warning
                body = ast.parse(self.text, mode="eval").body
        except (SyntaxError, ValueError) as exc:  # ValueError: a null byte, before 3.11.4
            self._refuse_percent()
            found = getattr(exc, "msg", str(exc))
            said = foreign_words(found, _PYTHON_REASONS)
            if not found.startswith("invalid syntax"):
                said = _("invalid syntax: {detail}").format(detail=said)
            line = getattr(exc, "lineno", None) or 1
            column = (getattr(exc, "offset", None) or 1) + (self.lead if line == 1 else 0)
            raise FormulaSyntaxError(said, column, line) from None
        count = sum(isinstance(node, ast.expr) for node in ast.walk(body))
        if count > MAX_NODES:
            message = _("formula has too many parts ({count}, at most {limit})").format(
                count=count, limit=MAX_NODES
            )
            raise FormulaSyntaxError(message)
        self._check_chains(body)
        stack: list[tuple[ast.AST, int]] = [(body, 1)]
        while stack:  # depth in expressions; no recursion until it is known to be small
            node, depth = stack.pop()
            if depth > MAX_DEPTH:
                message = _("formula is nested too deeply (at most {limit} levels)")
                self.fail(message.format(limit=MAX_DEPTH), node)
            stack.extend(
                (kid, depth + 1) for kid in ast.iter_child_nodes(node) if isinstance(kid, ast.expr)
            )
        self.check(body)
        return body

    def check(self, node: ast.AST, is_label: bool = False) -> None:
        if type(node) in _REFUSED_NODES:
            self.fail(_REFUSED_NODES[type(node)](), node)
        for op in [getattr(node, "op", None), *getattr(node, "ops", ())]:
            if type(op) in _REFUSED_OPERATORS:
                message = _("operator {operator!r} is not allowed")
                self.fail(message.format(operator=_REFUSED_OPERATORS[type(op)]), node)
        if isinstance(node, ast.Constant):
            self.check_constant(node, is_label)
        elif isinstance(node, ast.Name):
            if node.id in FUNCTIONS:
                message = _("{name!r} is a function: call it as {name}(…)")
                self.fail(message.format(name=node.id), node)
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
            message = _("{kind} expressions are not allowed")
            self.fail(message.format(kind=type(node).__name__), node)

    def check_constant(self, node: ast.Constant, is_label: bool) -> None:
        value = node.value
        if isinstance(value, str) and not is_label:
            self.fail(_("text is only allowed as an operand of == or !="), node)
        elif isinstance(value, str) and len(value) > MAX_STRING_LENGTH:
            message = _("text is too long ({length} > {limit} characters)")
            self.fail(message.format(length=len(value), limit=MAX_STRING_LENGTH), node)
        elif isinstance(value, int | float) and not isinstance(value, bool):
            literal = ast.get_source_segment(self.text, node) or repr(value)
            try:  # from the text, never through float: 0.1 stays exactly 0.1
                exact = value if isinstance(value, int) else literal.replace("_", "")
                number = _LITERAL_CONTEXT.copy().create_decimal(exact)
            except decimal.Overflow:
                self.fail(_("number too large: {literal}").format(literal=literal), node)
            except decimal.Underflow:
                self.fail(_("number too small: {literal}").format(literal=literal), node)
            node.value = number  # type: ignore[assignment]  # the program returns it as is
        elif not isinstance(value, bool | str):
            message = _("{kind} literals are not allowed")
            self.fail(message.format(kind=type(value).__name__), node)

    def check_call(self, node: ast.Call) -> None:
        if not isinstance(node.func, ast.Name):
            self.check(node.func)  # names the real problem: attribute access, a lambda …
            self.fail(_("only the allowed functions can be called"), node)
        name = node.func.id
        if name not in FUNCTIONS:
            message = _("unknown function {name!r} (allowed: {allowed})")
            self.fail(message.format(name=name, allowed=", ".join(sorted(FUNCTIONS))), node)
        if node.keywords:
            self.fail(_("keyword arguments are not allowed"), node.keywords[0])
        counts, wanted = _ARGUMENTS[name]
        if len(node.args) not in counts:
            count = len(node.args)
            message = ngettext(
                "{name}() takes {wanted}, got {count} argument",
                "{name}() takes {wanted}, got {count} arguments",
                count,
            )
            self.fail(message.format(name=name, wanted=wanted(), count=count), node)
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
        message = _("round() places must be a whole number, 0 to {limit}, not {places}").format(
            limit=MAX_ROUND_PLACES, places=places
        )
        raise EvaluationError(message)
    try:
        return number.quantize(Decimal(1).scaleb(-int(places)), rounding=ROUND_HALF_UP)
    except decimal.InvalidOperation:
        message = _("round() result would have more than {digits} digits").format(
            digits=DECIMAL_CONTEXT.prec
        )
        raise EvaluationError(message) from None


def _clamp(number: Decimal, low: Decimal, high: Decimal) -> Decimal:
    if low > high:
        message = _("clamp() needs low <= high, got {low} > {high}").format(low=low, high=high)
        raise EvaluationError(message)
    return min(max(number, low), high)


FUNCTIONS: Mapping[str, Callable[..., Decimal]] = MappingProxyType({
    "abs": abs, "clamp": _clamp, "round": _round,
    "max": lambda *numbers: max(numbers), "min": lambda *numbers: min(numbers),
})  # fmt: skip


def _describe(value: object) -> str:
    if type(value) is bool:
        return _("a yes/no value")
    if type(value) is str:
        return _("text")
    if type(value) is Decimal:
        return _("a number")
    return type(value).__name__


def _power(base: Decimal, exponent: Decimal) -> Decimal:
    if exponent != exponent.to_integral_value() or abs(exponent) > MAX_EXPONENT:
        message = _("exponent must be a whole number within ±{limit}, not {exponent}").format(
            limit=MAX_EXPONENT, exponent=exponent
        )
        raise EvaluationError(message)
    if base.is_zero() and exponent < 0:
        raise ZeroDivisionError  # decimal quietly gives Infinity here
    return base**exponent


def _typed(symbol: str, apply: Callable[..., Value], kinds: tuple[type, ...] = (Decimal,)) -> Any:
    """Wraps an operator so it takes only operands of one of ``kinds``, both of the same type."""
    divides = symbol in ("/", "//", "%")

    def checked(*operands: Value) -> Value:
        if len(operands) == 2:  # the common case first: two numbers, no zero divisor
            left, right = operands
            if type(left) is type(right) and type(left) in kinds:
                if divides and right.is_zero():  # type: ignore[union-attr]
                    raise ZeroDivisionError
                return apply(left, right)
        wrong = [operand for operand in operands if type(operand) not in kinds]
        if wrong or len({type(operand) for operand in operands}) > 1:
            if wrong:
                message = _("cannot apply {symbol!r} to {found}").format(
                    symbol=symbol, found=_describe(wrong[0])
                )
            else:
                message = _("cannot apply {symbol!r} to {left} and {right}").format(
                    symbol=symbol, left=_describe(operands[0]), right=_describe(operands[1])
                )
            raise EvaluationError(message)
        if divides and operands[1].is_zero():  # type: ignore[union-attr]
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
            if type(value) not in _ANY or (type(value) is Decimal and not value.is_finite()):
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
        apply = _OPERATORS[type(node.op)]
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
        operand, apply = _program(node.operand, text), _OPERATORS[type(node.op)]

        def run_unaryop(values: Mapping[str, Value], run: _Run) -> Value:
            run.step()
            return apply(operand(values, run))

        return run_unaryop
    if isinstance(node, ast.Compare):
        first = _program(node.left, text)
        chain = [
            (_OPERATORS[type(op)], _program(comparator, text))
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
                        found=_describe(value)
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
                    found=_describe(holds)
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
                        function=called, found=_describe(arg)
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

    __slots__ = ("nodes", "straight", "walk")

    def __init__(self, tree: ast.expr, text: str):
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
            return f"N(V, {held(node.id)})"
        if isinstance(node, ast.BinOp):
            apply = _binop(_OPERATORS[type(node.op)], ast.get_source_segment(text, node))
            return f"{held(apply)}({source(node.left)}, {source(node.right)})"
        if isinstance(node, ast.UnaryOp):
            return f"{held(_OPERATORS[type(node.op)])}({source(node.operand)})"
        if isinstance(node, ast.Compare) and len(node.ops) == 1:
            apply = _OPERATORS[type(node.ops[0])]
            return f"{held(apply)}({source(node.left)}, {source(node.comparators[0])})"
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
            call = _call(FUNCTIONS[node.func.id], node.func.id)
            return f"{held(call)}({', '.join(source(arg) for arg in node.args)})"
        raise _Branches

    try:
        body = source(tree)
    except _Branches:
        return None, 0
    scope = {"K": constants, "N": _name}
    return eval(f"lambda V: {body}", scope), steps


class _Branches(Exception):  # noqa: N818 - a signal, not an error
    """A node that is not always evaluated: the formula keeps its node-by-node program."""


def _name(values: Mapping[str, Value], name: str) -> Value:
    value = values.get(name)
    if type(value) not in _ANY or (type(value) is Decimal and not value.is_finite()):
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
                    function=name, found=_describe(arg)
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
    text = formula.source.strip()
    program = formula.program
    if program is None:  # once per formula: the tree never changes
        program = _Compiled(formula.tree, text)
        object.__setattr__(formula, "program", program)
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
    is_text = isinstance(result, str) and isinstance(formula.tree, ast.Name)
    is_number = isinstance(result, Decimal) and result.is_finite()
    if not (isinstance(result, bool) or is_text or is_number):
        message = _("{formula!r} gave {found}, expected a number or yes/no").format(
            formula=text, found=_describe(result)
        )
        raise EvaluationError(message)
    return result
