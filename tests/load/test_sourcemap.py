"""The located YAML reader: positions, exact decimals, safe tags, duplicate keys, alias bombs."""

from __future__ import annotations

from decimal import Decimal

import pytest

from scoring.errors import FactsError, RulesetError, SourceLocation
from scoring.load.yaml_source import parse_yaml
from scoring.model.located import locate


def test_numbers_with_a_fraction_are_exact_decimals():
    data = parse_yaml("a: 0.1\nb: 8.665\nc: 3\n", "t.yaml")
    assert data == {"a": Decimal("0.1"), "b": Decimal("8.665"), "c": 3}
    assert isinstance(data["a"], Decimal)


def test_positions_of_keys_and_values():
    data = parse_yaml("top:\n  list:\n    - {id: x, w: 5}\n", "t.yaml")
    assert locate(data, ("top", "list", 0, "w")) == SourceLocation("t.yaml", 3, 18)
    assert locate(data, ("top", "list", 0, "w"), key=True) == SourceLocation("t.yaml", 3, 15)
    assert locate(data, ("top", "list", 0, "missing")) == SourceLocation("t.yaml", 3, 7)


def test_the_error_class_is_the_callers():
    with pytest.raises(FactsError, match=r"f\.yaml:1:1: YAML: duplicate key 'a'|f\.yaml:2:1"):
        parse_yaml("a: 1\na: 2\n", "f.yaml", FactsError)


def test_non_text_keys_are_refused():
    with pytest.raises(RulesetError, match="keys must be text, found 2022; put it in quotes"):
        parse_yaml("2022: x\n", "t.yaml")


def test_an_alias_bomb_is_refused_before_it_expands():
    rows = ['a: &a ["x","x","x","x","x","x","x","x","x"]']
    for previous, name in zip("abcdefgh", "bcdefghi", strict=True):
        rows.append(f"{name}: &{name} [{','.join([f'*{previous}'] * 9)}]")
    with pytest.raises(RulesetError, match="aliases expand to more than 100,000 values"):
        parse_yaml("\n".join(rows) + "\n", "t.yaml")


def test_too_many_aliases_are_refused():
    text = "a: &a 1\nb: [" + ", ".join(["*a"] * 101) + "]\n"
    with pytest.raises(RulesetError, match="more than 100 aliases"):
        parse_yaml(text, "t.yaml")


def test_a_key_written_beside_a_merge_overrides_the_merged_one():
    data = parse_yaml("base: &b {x: 1, y: 2}\nc: {<<: *b, y: 5}\n", "t.yaml")
    assert dict(data["c"]) == {"x": 1, "y": 5}
    assert str(data["c"].value_locations["y"]) == "t.yaml:2:16"


def test_a_key_written_twice_beside_a_merge_is_still_a_duplicate():
    with pytest.raises(RulesetError, match=r"t\.yaml:2:19: YAML: duplicate key 'y'"):
        parse_yaml("base: &b {x: 1}\nc: {<<: *b, y: 5, y: 6}\n", "t.yaml")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        pytest.param(
            "title: \x1f\n",
            "t.yaml:1:8: YAML: a control character (U+001F) is not allowed here: delete it (it often comes with text pasted from a spreadsheet)",
            id="control_character",
        ),
        pytest.param(
            'a: 1\nb: "128\x0b"\n',
            "t.yaml:2:8: YAML: a control character (U+000B) is not allowed here: delete it (it often comes with text pasted from a spreadsheet)",
            id="vertical_tab_in_text",
        ),
        pytest.param(
            "total: " + "1" * 4301 + "\n",
            "t.yaml:1:8: YAML: a number of 4301 digits is too long",
            id="huge_integer",
        ),
        pytest.param(
            "a: " + "[" * 1000 + "\n",
            "t.yaml:1:53: YAML: nested more than 50 levels deep",
            id="deep_lists",
        ),
        pytest.param(
            "a: " + "{b: " * 60 + "1" + "}" * 60 + "\n",
            "t.yaml:1:197: YAML: nested more than 50 levels deep",
            id="deep_mappings",
        ),
    ],
)
def test_text_the_parser_cannot_take_is_one_located_error(text, message):
    with pytest.raises(RulesetError) as caught:
        parse_yaml(text, "t.yaml")
    assert [str(issue) for issue in caught.value.issues] == [message]


def test_fifty_levels_of_nesting_are_fine():  # the mapping, 48 lists and the number
    data = parse_yaml("a: " + "[" * 48 + "1" + "]" * 48 + "\n", "t.yaml")
    assert data["a"] is not None


# --- in Chinese -----------------------------------------------------------------------------


@pytest.mark.usefixtures("chinese")
@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("a: 1\na: 2\n", "t.yaml:2:1: YAML：键 'a' 重复"),
        ("2022: x\n", "t.yaml:1:1: YAML：键必须是文字，实际为 2022；请给它加引号"),
        ("a:\n\tb: 1\n", "t.yaml:2:1: YAML：这一行用制表符（Tab）缩进：YAML 只能用空格缩进"),
        (
            "a: {x: 1\nb: 2\n",
            "t.yaml:1:4: YAML：此处的 '{' 没有闭合：第 2 行之前应有 ',' 或 '}'",
        ),
        ("a:\n  - b\n c: d\n", "t.yaml:3:2: YAML：缩进有误：'c' 没有与上面的键对齐（第 3 列）"),
        ("a: 1\nb\n", "t.yaml:3:1: YAML：读取一个键时，没有找到应有的 ':'"),
        (
            "a: !!python/name:os.system x\n",
            "t.yaml:1:4: YAML：不接受标签 !!python/name:os.system：请删除它（只读取普通值）",
        ),
        (
            "a: 1\x07\n",
            "t.yaml:1:5: YAML：此处不能有控制字符（U+0007）：请删除它（它常随从电子表格粘贴的文字一起带入）",
        ),
    ],
)
def test_yaml_errors_in_chinese_keep_their_position(text, message):
    with pytest.raises(RulesetError) as info:
        parse_yaml(text, "t.yaml")
    assert str(info.value) == message


def test_an_alias_bomb_is_refused_in_chinese(chinese):
    text = "a: &a 1\nb: [" + ", ".join(["*a"] * 101) + "]\n"
    with pytest.raises(RulesetError) as info:
        parse_yaml(text, "t.yaml")
    assert str(info.value).endswith("YAML：别名（*名称）超过 100 个：拒绝展开")
