"""Known ways out of simpleeval-style sandboxes, and what each one gets here.

Rulesets are written by third parties, so every formula is hostile until checked. Each attempt
must end in a FormulaSyntaxError (at load time) or an EvaluationError (at score time), and
nothing else: no other exception, no hang, no huge allocation.
"""

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scoring.errors import EvaluationError
from scoring.model.formula import DECIMAL_CONTEXT, FormulaSyntaxError, compile_formula
from scoring.model.program import StepBudget, evaluate

VALUES = {"a": Decimal(1), "b": Decimal(0), "c": Decimal("-2.5"), "x": Decimal(2)}

ATTEMPTS = [
    # attribute walks to object.__subclasses__() and friends
    ("dunder-subclasses", "().__class__.__bases__[0].__subclasses__()", "attribute access"),
    ("dunder-on-literal", "(1).__class__", "attribute access"),
    ("dunder-on-bool", "True.__class__.__mro__", "attribute access"),
    ("decimal-method", "x.adjusted()", "attribute access"),
    ("decimal-attribute", "x.real", "attribute access"),
    ("generator-frame", "(i for i in (1,)).gi_frame.f_globals", "attribute access"),
    ("format-string", "'{0.__class__}'.format(1)", "attribute access"),
    ("format-map", "'{a.__class__}'.format_map(x)", "attribute access"),
    ("newline-in-attribute", "(x\n.real)", "attribute access"),
    ("f-string", "f'{x.__class__}'", "f-strings"),
    ("f-string-format-spec", "f'{x:{9**9**9}}'", "f-strings"),
    ("list-comprehension", "[i for i in (1, 2)]", "comprehensions"),
    ("generator", "max(i for i in (1, 2))", "comprehensions"),
    ("dict-comprehension", "{i: i for i in (1,)}", "comprehensions"),
    ("lambda", "(lambda: 1)()", "lambdas"),
    ("lambda-default", "(lambda x=__import__('os'): x)()", "lambdas"),
    ("import-call", "__import__('os')", "unknown function '__import__'"),
    ("import-statement", "import os", "invalid syntax"),
    ("second-statement", "a; __import__('os')", "invalid syntax"),
    ("assignment", "a = 1", "invalid syntax"),
    ("walrus", "(a := 1)", "assignment"),
    ("walrus-bare", "a := 1", "invalid syntax"),
    ("open", "open('/etc/passwd')", "unknown function 'open'"),
    ("eval", "eval('1')", "unknown function 'eval'"),
    ("exec", "exec('1')", "unknown function 'exec'"),
    ("globals", "globals()", "unknown function 'globals'"),
    ("getattr", "getattr(1, 'real')", "unknown function 'getattr'"),
    ("type", "type(x)", "unknown function 'type'"),
    ("full-width-eval", "ｅｖａｌ('1')", "unknown function 'eval'"),  # NFKC folds it
    ("simpleeval-rand", "rand()", "unknown function 'rand'"),
    ("simpleeval-randint", "randint(10)", "unknown function 'randint'"),
    ("simpleeval-int", "int('1')", "unknown function 'int'"),
    ("simpleeval-float", "float('inf')", "unknown function 'float'"),
    ("simpleeval-str", "str(1)", "unknown function 'str'"),
    ("function-as-value", "max", "'max' is a function"),
    ("call-a-call", "max(a)(1)", "only the allowed functions can be called"),
    ("keyword-argument", "max(a, key=abs)", "keyword arguments"),
    ("starred", "max(*a)", "starred"),
    ("subscript", "a[0]", "subscripts"),
    ("slice", "a[::-1]", "subscripts"),
    ("tuple", "(a, a)", "lists, tuples"),
    ("dict", "{'a': 1}", "lists, tuples"),
    ("bytes", "b'x' == b'x'", "bytes literals"),
    ("none", "None == None", "NoneType literals"),
    ("ellipsis", "...", "ellipsis literals"),
    ("complex", "1j * 1j", "complex literals"),
    ("yield", "(yield)", "Yield expressions are not allowed"),
    ("await", "await a", "Await expressions are not allowed"),
    ("bit-shift", "1 << 10**9", "operator '<<'"),
    ("bit-invert", "~a", "operator '~'"),
    ("identity", "a is a", "operator 'is'"),
    ("membership", "a in a", "operator 'in'"),
    ("null-byte", "a\x00", "invalid syntax"),
    ("bad-escape", r"a == '\d'", "invalid escape sequence"),
    # resource exhaustion
    ("string-repetition", "'a' * 10**9", "text is only allowed"),
    ("long-label", "a == '" + "x" * 10_000 + "'", "formula is too long"),
    ("power-tower", "10 ** 10 ** 10", "exponent must be a whole number"),
    ("power-tower-nines", "9 ** 9 ** 9", "exponent must be a whole number"),
    ("big-power", "2 ** 1000", "exponent must be a whole number"),
    ("negative-power", "2 ** -1000", "exponent must be a whole number"),
    ("fractional-power", "2 ** 0.5", "exponent must be a whole number"),
    ("overflow", "10 ** 99 * 10 ** 99", "result too large"),
    ("overflow-by-repeated-square", "((10 ** 50) ** 2) ** 2", "result too large"),
    ("huge-literal", "1e400", "number too large"),
    ("huge-integer-literal", "9" * 400, "number too large"),
    ("tiny-literal", "1e-400", "number too small"),
    ("huge-round-places", "round(a, 10 ** 9)", "round() places"),
    ("huge-sum", "+".join(["1"] * 100_000), "formula is too long"),
    ("deep-parentheses-500", "(" * 500 + "1" + ")" * 500, "formula is too long"),
    ("deep-parentheses-200", "(" * 200 + "1" + ")" * 200, "brackets are nested too deeply"),
    ("deep-brackets", "[" * 200 + "]" * 200, "brackets are nested too deeply"),
    ("long-unary", "-" * 499 + "1", "too many parts"),
    ("deep-unary", "-" * 60 + "1", "nested too deeply"),
    ("deep-not", "not " * 124 + "a", "nested too deeply"),
    ("deep-power", "**".join(["1"] * 100), "nested too deeply"),
    ("deep-conditional", "a if a else " * 40 + "a", "nested too deeply"),
    ("many-parts", "max(" + ",".join(["a"] * 240) + ")", "too many parts"),
    # names the loader would refuse; evaluation still gives our error
    ("builtins-name", "__builtins__", "unknown name '__builtins__'"),
    ("dunder-name", "__class__ + 1", "unknown name '__class__'"),
    ("division-by-zero", "a / b", "division by zero in 'a / b'"),
    ("modulo-by-zero", "a % b", "division by zero"),
    ("zero-to-negative-power", "b ** -1", "division by zero"),
    ("zero-to-zero", "b ** b", "undefined result"),
]


def attempt(source: str) -> object:
    return evaluate(compile_formula(source), VALUES)


@pytest.mark.parametrize(
    ("source", "expected"),
    [pytest.param(source, expected, id=name) for name, source, expected in ATTEMPTS],
)
def test_escape_attempt_is_refused(source, expected):
    with pytest.raises((FormulaSyntaxError, EvaluationError)) as info:
        attempt(source)
    assert expected in str(info.value)


def test_catalogue_ids_are_unique():
    names = [name for name, _, _ in ATTEMPTS]
    assert len(names) == len(set(names))


TOKENS = [
    *["0", "1", "2.5", "0.1", "10", "1e3", "1e400", "1_0", "0x1f", "9"],
    *["a", "b", "c", "x", "True", "False", "None", "__class__", "__import__"],
    *["+", "-", "*", "/", "//", "%", "**", "<<", "&", "|", "^", "~", "@"],
    *["==", "!=", "<", "<=", ">", ">=", "and", "or", "not", "in", "is", "if", "else"],
    *["(", ")", "(", ")", ",", ".", "[", "]", "{", "}", ":", ":=", "=", ";", "'", '"'],
    *["min", "max", "abs", "round", "clamp", "rand", "int", "str", "open", "getattr", "lambda"],
    *["'优'", "'{0.__class__}'", "f'{a}'", "b''", "...", "1j", "*", "\n", "\\"],
]

OPERATORS = ["+", "-", "*", "/", "//", "%", "**", "==", "!=", "<", ">=", "and", "or", "<<", "in"]


def _combine(inner: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    return st.one_of(
        st.tuples(inner, st.sampled_from(OPERATORS), inner).map(
            lambda t: f"({t[0]} {t[1]} {t[2]})"
        ),
        st.tuples(st.sampled_from(["-", "+", "not "]), inner).map("".join),
        st.tuples(inner, inner, inner).map(lambda t: f"({t[0]} if {t[1]} else {t[2]})"),
        st.tuples(
            st.sampled_from(["min", "max", "abs", "round", "clamp", "rand", "int"]),
            st.lists(inner, max_size=3),
        ).map(lambda t: f"{t[0]}({', '.join(t[1])})"),
    )


# mostly well-formed expressions, so that evaluation is exercised as well as the parser
well_formed = st.recursive(
    st.sampled_from(
        ["a", "b", "c", "0", "1", "2.5", "0.1", "10", "1e99", "True", "'优'", "a.real"]
    ),
    _combine,
    max_leaves=20,
)
deep = st.tuples(
    st.integers(1, 60), st.sampled_from(["(", "-(", "abs(", "not ("]), well_formed
).map(lambda t: t[1] * t[0] + t[2] + ")" * t[0])
wide = st.tuples(st.integers(2, 300), st.sampled_from(["+", "*", "-", " and ", " or ", "<"])).map(
    lambda t: t[1].join(["a"] * t[0])
)
expressions = st.one_of(
    well_formed,
    deep,
    wide,
    st.lists(st.sampled_from(TOKENS), max_size=30).map(" ".join),
    st.lists(st.sampled_from(TOKENS), max_size=30).map("".join),
    st.text(max_size=60),
)
numbers = st.one_of(
    st.just(Decimal(0)),
    st.decimals(allow_nan=False, allow_infinity=False),
    st.integers(-1000, 1000).map(Decimal),
)


@settings(max_examples=300, deadline=None)
@given(source=expressions, a=numbers, b=numbers, c=numbers)
def test_any_text_gives_a_formula_or_our_errors(source, a, b, c):
    try:
        formula = compile_formula(source)
    except FormulaSyntaxError:
        return
    try:
        result = evaluate(formula, {"a": a, "b": b, "c": c})
    except EvaluationError:
        return
    assert isinstance(result, Decimal | bool)
    if isinstance(result, Decimal):  # within the bounded context: finite, |x| < 10**100
        assert result.is_finite()
        assert result.adjusted() <= DECIMAL_CONTEXT.Emax


def test_a_step_budget_is_shared_by_the_formulas_it_is_given_to():
    budget = StepBudget(limit=10)
    formula = compile_formula("a + a + a")  # five steps: three names, two additions
    evaluate(formula, VALUES, budget)
    evaluate(formula, VALUES, budget)
    with pytest.raises(EvaluationError, match="more than 10 formula steps"):
        evaluate(formula, VALUES, budget)


def test_one_scoring_has_one_budget_for_all_its_formulas(monkeypatch):
    from scoring.engine import derive
    from scoring.engine.score import score
    from tests.conftest import MINIMAL, facts_from, ruleset_from

    ruleset = ruleset_from(MINIMAL)
    facts = facts_from("facts: {预算数: 10, 执行数: 5}\n", ruleset)
    score(ruleset, facts)  # within the real budget
    monkeypatch.setattr(derive, "StepBudget", lambda: StepBudget(limit=1))
    with pytest.raises(EvaluationError, match=r"\[execution\] .*more than 1 formula steps"):
        score(ruleset, facts)
