"""The libyaml path of ``parse_yaml`` reads every text as the pure-Python path does.

``parse_yaml`` scans and parses with libyaml where it can and falls back to PyYAML's pure loader
(``parse_yaml_pure``, the reference) for anything else. Whatever it returns or raises must be
what the reference returns or raises: the same values, the same positions of every mapping,
key, value and item, the same located messages.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from scoring.errors import InputError, RulesetError
from scoring.load import yaml_source
from scoring.load.yaml_source import parse_yaml, parse_yaml_pure
from scoring.model.located import LocatedDict, LocatedList

ROOT = Path(__file__).parents[2]


def shape(data: Any) -> Any:
    """The data with every position it keeps, to compare two parses exactly."""
    if isinstance(data, LocatedDict):
        return (
            "map",
            data.location,
            [
                (k, data.key_locations[k], data.value_locations[k], shape(v))
                for k, v in data.items()
            ],
        )
    if isinstance(data, LocatedList):
        return ("seq", data.location, data.item_locations, [shape(item) for item in data])
    return repr(data)  # Decimal("NaN") is not equal to itself; its repr is


def outcome(parse: Any, text: str) -> Any:
    """What a parse gives: the data and its positions, or the located messages it raised."""
    try:
        return shape(parse(text, "f.yaml"))
    except InputError as exc:
        return ("error", [str(issue) for issue in exc.issues])


def fast_path_used(text: str) -> bool:
    """Whether the libyaml loader reads ``text`` itself (the pure one is not asked)."""
    read, _data = yaml_source._read_with_libyaml(text, "f.yaml", RulesetError)
    return read


LIBYAML = yaml_source._LIBYAML is not None


SHIPPED = sorted(
    path
    for folder in ("rulesets", "examples", "tests/bad_inputs")
    for path in (ROOT / folder).rglob("*.y*ml")
)


@pytest.mark.skipif(not LIBYAML, reason="PyYAML without libyaml")
def test_every_shipped_ruleset_reads_alike_and_through_libyaml():
    rulesets = [path for path in SHIPPED if "rulesets" in path.parts]
    assert len(rulesets) >= 10
    for path in SHIPPED:
        text = path.read_bytes().decode("utf-8-sig", errors="replace")  # some are not UTF-8
        assert outcome(parse_yaml, text) == outcome(parse_yaml_pure, text), path
    for path in rulesets:
        assert fast_path_used(path.read_text(encoding="utf-8")), path


@pytest.mark.parametrize(
    "text",
    [
        "facts: {预算数: , 执行数: }\n",  # libyaml places an empty flow value one column later
        "[a: ]\n",
        "{? : x}\n",
        "a:\tb\n",  # libyaml takes some tabs PyYAML refuses
        "\ufeffa: 1\n",
        "a: 1\n\x07",
        "{a: ,b:}\n",  # PyYAML reads it, libyaml does not
    ],
)
def test_where_libyaml_differs_the_pure_loader_reads(text):
    assert not fast_path_used(text) or yaml_source._PURE_ONLY.search(text)
    assert outcome(parse_yaml, text) == outcome(parse_yaml_pure, text)


def test_an_error_keeps_the_pure_loaders_words_and_position():
    text = "a: 1\nb: [1, 2\nc: 3\n"
    assert outcome(parse_yaml, text) == outcome(parse_yaml_pure, text)
    assert outcome(parse_yaml, text)[0] == "error"


SCALARS = [
    "a", "中文 指标", "1", "1.50", "-2", "0x1F", "2022-01-05", "true", "null", "~", "", "''",
    '"d"', '"a\\tb"', "x y", "a:b", "a: b", "#c", "- x", "? k", "&a v", "*a", "!!str 5", "1_000",
    ".inf", "1:30", "[x, y]", "{k: v}", "{k: }", "[ , ]", "|", ">-", "'it''s'", "@x", "%", "---",
]  # fmt: skip
BREAKS = ["\n", "\n", "\n", "\r\n", "\r", "\x85", "\u2028"]


@st.composite
def rough_yaml(draw: st.DrawFn) -> str:
    """Lines of keys, items and values at any indent: some valid YAML, much not."""
    lines = []
    for _ in range(draw(st.integers(1, 8))):
        indent = " " * draw(st.integers(0, 6))
        item = draw(st.sampled_from(["", "", "- ", "-", "? ", ": "]))
        key = draw(st.sampled_from(["", "k:", "键:", "k: ", "'k': ", "k :", "<<: "]))
        value = draw(st.sampled_from(SCALARS))
        comment = draw(st.sampled_from(["", "", " # 注", "#x"]))
        lines.append(indent + item + key + value + comment)
    return "".join(line + draw(st.sampled_from(BREAKS)) for line in lines)


LEAVES = st.one_of(
    st.text(st.sampled_from("ab 中文:#-,[]{}'\"\\!&*?|>%@`0123456789.\n"), max_size=8),
    st.integers(-(10**6), 10**6),
    st.booleans(),
    st.none(),
)
DATA = st.recursive(
    LEAVES,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.dictionaries(st.text(st.sampled_from("ab中:# -"), min_size=1, max_size=4), inner),
    ),
    max_leaves=20,
)


def written(data: Any, flow: bool, indent: int, depth: int = 0) -> str:
    """``data`` as YAML: block style, or flow style; text in double quotes (JSON's are YAML's)."""
    if isinstance(data, dict | list) and data and not flow:
        pad = " " * (indent * depth)
        if isinstance(data, list):
            return "".join(f"\n{pad}- {written(item, flow, indent, depth + 1)}" for item in data)
        return "".join(
            f"\n{pad}{json.dumps(key, ensure_ascii=False)}: {written(v, flow, indent, depth + 1)}"
            for key, v in data.items()
        )
    if isinstance(data, list):
        return "[" + ", ".join(written(item, flow, indent) for item in data) + "]"
    if isinstance(data, dict):
        pairs = (
            f"{json.dumps(k, ensure_ascii=False)}: {written(v, flow, indent)}"
            for k, v in data.items()
        )
        return "{" + ", ".join(pairs) + "}"
    return json.dumps(data, ensure_ascii=False)


@st.composite
def dumped_yaml(draw: st.DrawFn) -> str:
    """Valid YAML: block or flow, indented by 2 to 4."""
    flow, indent = draw(st.booleans()), draw(st.integers(2, 4))
    return "data: " + written(draw(DATA), flow, indent, 1) + "\n"


YAMLISH = st.text(st.sampled_from("ab1.中 :-#[]{},'\"|>!&*?%@\\\n\r\x85\u2028"), max_size=40)


@given(st.one_of(rough_yaml(), dumped_yaml(), YAMLISH))
def test_any_text_reads_as_the_pure_loader_reads_it(text):
    assert outcome(parse_yaml, text) == outcome(parse_yaml_pure, text)


@given(dumped_yaml())
def test_written_yaml_goes_through_libyaml(text):
    # valid YAML takes the fast path unless it holds what only the pure loader reads: the
    # property above is not met by always falling back
    if LIBYAML and outcome(parse_yaml_pure, text)[0] != "error":
        assert fast_path_used(text) or yaml_source._PURE_ONLY.search(text)
