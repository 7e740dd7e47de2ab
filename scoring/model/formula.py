"""Safe formulas as a ruleset writes them: compile_formula() checks them once, at load time.

Rulesets come from third parties, so :func:`compile_formula` walks the parsed tree against
an allow-list and turns every number into an exact Decimal; a :class:`Formula` keeps the checked
tree and its canonical text. :mod:`scoring.model.program` runs it at score time.
"""

from __future__ import annotations

import ast
import copy
import decimal
import functools
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
MAX_STRING_LENGTH = 50

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
ARGUMENTS: Mapping[str, tuple[range, Callable[[], str]]] = MappingProxyType(
    {
        "abs": (range(1, 2), lambda: _("one number")),
        "clamp": (range(3, 4), lambda: _("three numbers (value, low, high)")),
        "max": (range(1, MAX_NODES), lambda: _("at least one number")),
        "min": (range(1, MAX_NODES), lambda: _("at least one number")),
        "round": (range(1, 3), lambda: _("a number and optionally the decimal places")),
    }
)
"""The functions a formula may call, each with the argument counts allowed and how to say them."""
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

    @functools.cached_property
    def ordered(self) -> tuple[str, ...]:
        """The names it reads, sorted: the order they are read in, whatever the hash."""
        return tuple(sorted(self.names))

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
            if node.id in ARGUMENTS:
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
        if name not in ARGUMENTS:
            message = _("unknown function {name!r} (allowed: {allowed})")
            self.fail(message.format(name=name, allowed=", ".join(sorted(ARGUMENTS))), node)
        if node.keywords:
            self.fail(_("keyword arguments are not allowed"), node.keywords[0])
        counts, wanted = ARGUMENTS[name]
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
