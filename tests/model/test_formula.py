import decimal
from decimal import Decimal

import pytest
from pydantic import BaseModel, ConfigDict, ValidationError

from scoring import i18n
from scoring.errors import DivisionByZeroError, EvaluationError, RulesetError
from scoring.model import program as program_module
from scoring.model.arithmetic import FUNCTIONS
from scoring.model.formula import (
    DECIMAL_CONTEXT,
    MAX_DEPTH,
    MAX_FORMULA_LENGTH,
    MAX_NODES,
    MAX_STRING_LENGTH,
    Formula,
    FormulaSyntaxError,
    Value,
    compile_formula,
    normalize_name,
)
from scoring.model.program import evaluate
from tests.conftest import MINIMAL, ruleset_from

VALUES: dict[str, Value] = {
    "a": Decimal(6),
    "b": Decimal(4),
    "zero": Decimal(0),
    "yes": True,
    "no": False,
    "tier": "优",
    "执行数": Decimal(90),
    "预算数": Decimal(120),
}


def run(source: str, **values: Value) -> Value:
    return evaluate(compile_formula(source), {**VALUES, **values})


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("1", Decimal(1)),
        ("a + b", Decimal(10)),
        ("a - b * 2", Decimal(-2)),
        ("a / b", Decimal("1.5")),
        ("a // b", Decimal(1)),
        ("a % b", Decimal(2)),
        ("a ** 2", Decimal(36)),
        ("2 ** -2", Decimal("0.25")),
        ("-a + +b", Decimal(-2)),
        ("1_000 * 2", Decimal(2000)),
        ("a > b", True),
        ("b <= a < 10", True),
        ("a == 6 != b", True),
        ("not no", True),
        ("yes and not no", True),
        ("no or a > b", True),
        ("yes == True", True),
        ("tier == '优'", True),
        ("'良' != tier", True),
        ("a if a > b else b", Decimal(6)),
        ("b if no else a", Decimal(6)),
        ("执行数 / 预算数 * 100", Decimal(75)),
        ("min(a, b, 5)", Decimal(4)),
        ("max(a)", Decimal(6)),
        ("abs(b - a)", Decimal(2)),
        ("round(a / 7, 2)", Decimal("0.86")),
        ("clamp(a, 0, 5)", Decimal(5)),
        ("tier", "优"),
    ],
)
def test_grammar_accepts_and_evaluates(source, expected):
    result = run(source)
    assert result == expected
    assert type(result) is type(expected)


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ("a.b", "column 1: attribute access is not allowed"),
        ("(1).real", "attribute access"),
        ("a.adjusted()", "attribute access"),
        ("a[0]", "column 1: subscripts are not allowed"),
        ("a[1:2]", "subscripts"),
        ("[x for x in a]", "comprehensions"),
        ("max(x for x in a)", "comprehensions"),
        ("{x: 1 for x in a}", "comprehensions"),
        ("(lambda: 1)()", "lambdas"),
        ("f'{a}'", "f-strings"),
        ("[1, 2]", "lists, tuples"),
        ("(1, 2)", "lists, tuples"),
        ("{1: 2}", "lists, tuples"),
        ("{1}", "lists, tuples"),
        ("max(*a)", "starred"),
        ("(a := 1)", "assignment"),
        ("a << 1", "operator '<<'"),
        ("a >> 1", "operator '>>'"),
        ("a & b", "operator '&'"),
        ("a | b", "operator '|'"),
        ("a ^ b", "operator '^'"),
        ("~a", "operator '~'"),
        ("a @ b", "operator '@'"),
        ("a in b", "operator 'in'"),
        ("a not in b", "operator 'not in'"),
        ("a is b", "operator 'is'"),
        ("a is not b", "operator 'is not'"),
        ("a; b", "invalid syntax"),
        ("a = 1", "invalid syntax"),
        ("import os", "invalid syntax"),
        ("rand()", "column 1: unknown function 'rand' (allowed: abs, clamp, max, min, round)"),
        ("int('1')", "unknown function 'int'"),
        ("round(a, ndigits=2)", "keyword arguments are not allowed"),
        ("round(a, 1, 2)", "round() takes a number and optionally the decimal places, got 3"),
        ("clamp(a, 1)", "clamp() takes three numbers"),
        ("max()", "max() takes at least one number, got 0"),
        ("abs(a, b)", "abs() takes one number"),
        ("max + 1", "'max' is a function"),
        ("a(1)", "unknown function 'a'"),
        ("(a)(1)", "unknown function 'a'"),
        ("(1)(2)", "only the allowed functions can be called"),
        ("b'x' == a", "bytes literals are not allowed"),
        ("None", "NoneType literals are not allowed"),
        ("...", "ellipsis literals are not allowed"),
        ("1j", "complex literals are not allowed"),
        ("'text'", "text is only allowed as an operand of == or !="),
        ("'a' + tier", "text is only allowed"),
        ("tier < 'x'", "text is only allowed"),
        ("1 < 'x' == tier", "text is only allowed"),
        (f"tier == '{'x' * (MAX_STRING_LENGTH + 1)}'", "text is too long (51 > 50 characters)"),
        ("1e400", "number too large: 1e400"),
        ("1" + "0" * 400, "number too large"),
        ("1e-400", "number too small"),
        ("", "formula is empty"),
        ("   ", "formula is empty"),
        ("a +* b", "column 4: invalid syntax"),
        ("(a", "invalid syntax: '(' was never closed"),
    ],
)
def test_grammar_refuses(source, message):
    with pytest.raises(FormulaSyntaxError) as info:
        compile_formula(source)
    assert message in str(info.value)


@pytest.mark.parametrize(
    ("source", "column"),
    [
        ("a + b.c", 5),
        ("执行数 + x.y", 7),  # characters, not UTF-8 bytes
        ("  a.b", 3),  # columns count in the formula as written
        ("a + 1 + rand()", 9),
        ("a b", 3),
        ("执行数 + ）", 7),
    ],
)
def test_errors_name_the_column_inside_the_formula(source, column):
    with pytest.raises(FormulaSyntaxError) as info:
        compile_formula(source)
    assert info.value.column == column
    assert str(info.value).startswith(f"column {column}: ")


def test_errors_on_later_lines_name_the_line_too():
    with pytest.raises(FormulaSyntaxError, match=r"^line 2, column 3: attribute access"):
        compile_formula("(a +\n  b.c)")


def test_syntax_error_is_a_value_error_without_trailing_period():
    with pytest.raises(ValueError, match=r"[^.]$"):
        compile_formula("a.b")


def test_limits_are_refused_with_clear_messages():
    with pytest.raises(FormulaSyntaxError, match="formula is too long"):
        compile_formula("1" * (MAX_FORMULA_LENGTH + 1))
    with pytest.raises(FormulaSyntaxError, match="too many parts"):
        compile_formula("max(" + ",".join(["a"] * MAX_NODES) + ")")
    with pytest.raises(
        FormulaSyntaxError, match=r"too many operations in one chain \(33, at most 31\)"
    ):
        compile_formula("+".join(["a"] * (MAX_DEPTH + 2)))
    with pytest.raises(FormulaSyntaxError, match="nested too deeply"):
        compile_formula("-" * (MAX_DEPTH + 1) + "a")
    with pytest.raises(FormulaSyntaxError, match="brackets are nested too deeply"):
        compile_formula("(" * (MAX_DEPTH + 1) + "a" + ")" * (MAX_DEPTH + 1))


def test_formulas_just_inside_the_limits_compile():
    assert compile_formula("(" * (MAX_DEPTH - 2) + "a" + ")" * (MAX_DEPTH - 2)).names == {"a"}
    assert evaluate(compile_formula("+".join(["a"] * 20)), VALUES) == Decimal(120)
    assert compile_formula("+".join(["a"] * MAX_DEPTH)).names == {"a"}  # 31 operations


def test_numbers_are_exact_decimals_from_the_source_text():
    assert run("0.1 + 0.2") == Decimal("0.3")
    assert run("0.1") == Decimal("0.1")
    assert run("1.10 * 3") == Decimal("3.30")
    assert run("0x10") == Decimal(16)


def test_round_is_half_up():
    assert run("round(8.665, 2)") == Decimal("8.67")
    assert run("round(2.5)") == Decimal(3)
    assert run("round(-2.5)") == Decimal(-3)
    assert str(run("round(a)")) == "6"


def test_functions_are_exactly_the_safe_five():
    assert sorted(FUNCTIONS) == ["abs", "clamp", "max", "min", "round"]


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ("round(a, 11)", "round() places must be a whole number, 0 to 10"),
        ("round(a, 0.5)", "whole number"),
        ("round(1e27, 10)", "more than 28 digits"),
        ("clamp(a, 5, 1)", "clamp() needs low <= high"),
        ("max(a, yes)", "max() takes numbers, got a yes/no value"),
        ("abs(tier)", "abs() takes numbers, got text"),
    ],
)
def test_functions_refuse_bad_arguments_at_score_time(source, message):
    with pytest.raises(EvaluationError, match=message.replace("(", r"\(").replace(")", r"\)")):
        run(source)


def test_normalize_name_folds_full_width_letters():
    assert normalize_name("ＡＢＣ") == "ABC"
    assert normalize_name("预算数") == "预算数"


def test_full_width_names_are_found_under_their_normalized_key():
    formula = compile_formula("ＡＢＣ + 1")
    assert formula.names == {"ABC"}
    assert evaluate(formula, {normalize_name("ＡＢＣ"): Decimal(2)}) == Decimal(3)


def test_chinese_names_are_variables():
    formula = compile_formula("执行数 / 预算数")
    assert formula.names == {"执行数", "预算数"}
    assert evaluate(formula, VALUES) == Decimal("0.75")


def test_names_exclude_functions_and_constants():
    formula = compile_formula("round(a / b, 2) if yes == True else max(c, 1)")
    assert formula.names == {"a", "b", "yes", "c"}


def test_canonical_text_ignores_spacing_and_keeps_exact_numbers():
    assert compile_formula("a/b").canonical == "a / b"
    assert compile_formula("a/b") == compile_formula(" a / b ")
    assert hash(compile_formula("a/b")) == hash(compile_formula("(a) / (b)"))
    assert compile_formula("a/b") != compile_formula("b/a")
    assert compile_formula("0.1") != compile_formula("0.1000000000000000000001")
    assert compile_formula("1_000").canonical == "1000"


def test_source_is_kept_as_written():
    assert compile_formula(" a/b ").source == " a/b "


def test_division_by_zero_names_the_sub_expression():
    with pytest.raises(DivisionByZeroError) as info:
        run("a + b / zero")
    assert info.value.message == "division by zero in 'b / zero'"
    assert info.value.path is None
    assert isinstance(info.value.at("output.quantity", None), DivisionByZeroError)


@pytest.mark.parametrize("source", ["a / 0", "a // zero", "a % zero", "0 ** -1", "zero / zero"])
def test_every_kind_of_division_by_zero_is_a_division_by_zero_error(source):
    with pytest.raises(DivisionByZeroError):
        run(source)


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ("a + yes", "cannot apply '+' to a yes/no value"),
        ("tier * 2", "cannot apply '*' to text"),
        ("-tier", "cannot apply '-' to text"),
        ("not a", "cannot apply 'not' to a number"),
        ("a and yes", "'and'/'or' need yes/no values, got a number"),
        ("no or b", "yes/no values"),
        ("a if b else 1", "the condition after 'if' must be yes/no"),
        ("a < yes", "cannot apply '<'"),
        ("tier == 1", "cannot apply '=='"),
        ("a ** 0.5", "exponent must be a whole number"),
        ("2 ** 101", "exponent must be a whole number within ±100"),
        ("10 ** 99 * 10", "result too large"),
        ("0 ** 0", "undefined result"),
        ("missing + 1", "unknown name 'missing'"),
        ("tier if yes else no", "gave text, expected a number or yes/no"),
    ],
)
def test_evaluation_errors_are_evaluation_errors(source, message):
    with pytest.raises(EvaluationError) as info:
        run(source)
    assert message in info.value.message


@pytest.mark.parametrize("value", [Decimal("NaN"), Decimal("Infinity"), 1, 1.5, None])
def test_values_must_be_finite_decimals_bools_or_text(value):
    with pytest.raises(EvaluationError):
        evaluate(compile_formula("x + 1"), {"x": value})


def test_evaluation_steps_are_bounded(monkeypatch):
    monkeypatch.setattr(program_module, "MAX_STEPS", 5)
    with pytest.raises(EvaluationError, match="more than 5 steps"):
        run("a + a + a + a")


def test_decimal_context_is_the_package_wide_one():
    assert DECIMAL_CONTEXT.prec == 28
    assert DECIMAL_CONTEXT.rounding == decimal.ROUND_HALF_UP
    assert (DECIMAL_CONTEXT.Emax, DECIMAL_CONTEXT.Emin) == (99, -99)
    assert DECIMAL_CONTEXT.traps[decimal.Overflow]
    assert not DECIMAL_CONTEXT.traps[decimal.Inexact]


def test_evaluation_leaves_the_shared_context_untouched():
    run("1 / 3")
    assert not any(DECIMAL_CONTEXT.flags.values())


class Rule(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    expr: Formula


def test_pydantic_field_compiles_text():
    rule = Rule(expr="a + 1")
    assert isinstance(rule.expr, Formula)
    assert rule.expr.names == {"a"}


@pytest.mark.parametrize(("raw", "expected"), [(48, Decimal(48)), (Decimal("0.5"), Decimal("0.5"))])
def test_pydantic_field_accepts_bare_numbers(raw, expected):
    assert evaluate(Rule(expr=raw).expr, {}) == expected


def test_pydantic_field_reports_formula_errors_as_value_errors():
    with pytest.raises(ValidationError) as info:
        Rule(expr="a.b")
    (error,) = info.value.errors()
    assert error["loc"] == ("expr",)
    assert error["type"] == "value_error"
    assert "attribute" in str(error["ctx"]["error"])
    assert isinstance(error["ctx"]["error"], FormulaSyntaxError)


@pytest.mark.parametrize("raw", [True, 1.5, None, ["a"]])
def test_pydantic_field_refuses_other_types(raw):
    with pytest.raises(ValidationError, match="expected a formula"):
        Rule(expr=raw)


def test_pydantic_field_serializes_to_the_source():
    rule = Rule(expr="a/b")
    assert rule.model_dump(mode="json") == {"expr": "a/b"}
    assert Rule.model_validate_json(rule.model_dump_json()) == rule


def test_pydantic_json_schema_says_string():
    schema = Rule.model_json_schema()
    assert "string" in schema["properties"]["expr"]["type"]
    assert Rule.model_json_schema(mode="serialization")["properties"]["expr"]["type"] == "string"


@pytest.mark.parametrize(
    ("source", "message", "column"),
    [
        ("执行率 >= 90%", "write 90% as 0.9: formulas take rates as fractions", 8),
        ("x >= 86.75% and y", "write 86.75% as 0.8675: formulas take rates as fractions", 6),
        ("min(x, 100％)", "write 100% as 1: formulas take rates as fractions", 8),
    ],
)
def test_a_percentage_in_a_formula_says_how_to_write_it(source, message, column):
    with pytest.raises(FormulaSyntaxError) as caught:
        compile_formula(source)
    assert (caught.value.reason, caught.value.column) == (message, column)


def test_a_percent_sign_between_operands_is_still_modulo():
    assert evaluate(compile_formula("a % 4"), VALUES) == VALUES["a"] % 4


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ("abs(a, b)", "column 1: abs() takes one number, got 2 arguments"),
        ("clamp(a)", "column 1: clamp() takes three numbers (value, low, high), got 1 argument"),
    ],
)
def test_a_wrong_number_of_arguments_is_counted_in_words(source, message):
    with pytest.raises(FormulaSyntaxError) as info:
        compile_formula(source)
    assert str(info.value) == message


# --- in Chinese -----------------------------------------------------------------------------


@pytest.mark.usefixtures("chinese")
@pytest.mark.parametrize(
    ("source", "message"),
    [
        ("a.b", "第 1 列：不允许访问属性（.）"),
        ("执行数 ÷ 预算数", "第 5 列：公式写法有误：无效字符 '÷'（U+00F7）"),
        ("(a + b", "第 1 列：公式写法有误：缺少与 '(' 配对的右括号"),
        ("max(a b)", "第 5 列：公式写法有误，是否漏了逗号？"),
        ("执行率 >= 90%", "第 8 列：请把 90% 写成 0.9：公式中的比率用小数表示"),
        ("rand()", "第 1 列：未知函数 'rand'（可用：abs, clamp, max, min, round）"),
        ("abs(a, b)", "第 1 列：abs() 需要一个数字，实际给了 2 个参数"),
        ("(a +\n  b.c)", "第 2 行第 3 列：不允许访问属性（.）"),
        ("", "公式为空"),
    ],
)
def test_syntax_errors_in_chinese(source, message):
    with pytest.raises(FormulaSyntaxError) as info:
        compile_formula(source)
    assert str(info.value) == message


@pytest.mark.usefixtures("chinese")
@pytest.mark.parametrize(
    ("source", "message"),
    [
        ("a + tier", "不能对文字使用 '+'"),
        ("a == yes", "不能对数字和是/否值使用 '=='"),
        ("a / zero", "'a / zero' 中除数为零"),
        ("max(a, yes)", "max() 只接受数字，实际为是/否值"),
        ("a if b else 1", "'if' 之后的条件应为是/否值，实际为数字"),
        ("round(a, 11)", "round() 的小数位数必须是 0 到 10 的整数，实际为 11"),
    ],
)
def test_evaluation_errors_in_chinese(source, message):
    with pytest.raises(EvaluationError) as info:
        run(source)
    assert info.value.message == message


def test_a_formula_error_in_a_ruleset_is_located_in_chinese(chinese):
    with pytest.raises(RulesetError) as info:
        ruleset_from(MINIMAL.replace("actual: 执行数", "actual: 执行数（万元）"))
    assert (
        str(info.value) == "t.yaml:14:16: [execution] actual: 公式写法有误：无效字符 '（'（U+FF08）"
    )


def test_messages_are_english_again_after_chinese():
    i18n.set_language("zh")
    i18n.set_language("en")
    with pytest.raises(FormulaSyntaxError, match=r"^column 1: attribute access is not allowed$"):
        compile_formula("a.b")
