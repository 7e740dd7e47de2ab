"""Fuzz the loaders with hostile rulesets and messy facts: only a ScoringError may come out.

Three targets, each fed by Hypothesis:

- ``ruleset``: ``parse_ruleset`` (the shipped rulesets as ``extends`` parents) on mutated shipped
  files, generated mappings of ruleset keys, and raw text;
- ``facts``: ``parse_facts`` against ``xinfang.wangcheng-relief@2022.1`` on mutated examples,
  generated facts and raw text;
- ``score``: a shipped ruleset (now and then mutated) and facts for it (its example mutated, or
  generated from its declarations); whatever loads is scored and rendered as JSON.

An input may load, or be refused with a ScoringError (RulesetError, FactsError, EvaluationError).
Anything else that escapes (KeyError, RecursionError, decimal.Overflow, a pydantic or yaml
error …), and any input that takes more than 2 s, is a finding: printed with a traceback summary
and the input, minimised. Exit status 1 when there is a finding.

    python fuzz/fuzz_loaders.py --examples 10000            # derandomized: the same run each time
    python fuzz/fuzz_loaders.py --examples 10000 --seed 7   # another run, reproducible by its seed
"""

from __future__ import annotations

import argparse
import functools
import json
import math
import re
import signal
import sys
import time
import traceback
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from decimal import Decimal
from pathlib import Path
from types import FrameType
from typing import Any

from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import seed as hypothesis_seed
from hypothesis import strategies as st

import scoring
from scoring.errors import ScoringError
from scoring.load.registry import Registry
from scoring.methods import METHODS as METHOD_SPECS
from scoring.model import panel, worked_examples
from scoring.model import ruleset as models
from scoring.model.ruleset import Ruleset

ROOT = Path(__file__).resolve().parent.parent
RULESETS_DIR = ROOT / "rulesets"
EXAMPLES_DIR = ROOT / "examples"
FACTS_RULESET = "xinfang.wangcheng-relief@2022.1"
TARGETS = ("ruleset", "facts", "score")
SLOW_SECONDS = 2.0
RULESET_FILE = "fuzz-ruleset.yaml"
FACTS_FILE = "fuzz-facts.yaml"

Draw = Callable[[st.SearchStrategy[Any]], Any]


# --- the corpus: shipped files ----------------------------------------------------------------


@dataclass(frozen=True)
class Shipped:
    """A shipped ruleset that loads, with its text and the example facts that name it, if any."""

    path: str
    text: str
    ruleset: Ruleset
    example: str | None


@functools.cache
def registry() -> Registry:
    """The search path of the shipped rulesets, shared by every input (it caches its index)."""
    return Registry()


@functools.cache
def ruleset_files() -> tuple[tuple[str, str], ...]:
    """(relative path, text) of every shipped ruleset."""
    return tuple(
        (str(path.relative_to(ROOT)), path.read_text(encoding="utf-8"))
        for path in sorted(RULESETS_DIR.rglob("*.yaml"))
    )


@functools.cache
def example_files() -> tuple[tuple[str, str], ...]:
    """(relative path, text) of every shipped facts example."""
    return tuple(
        (str(path.relative_to(ROOT)), path.read_text(encoding="utf-8"))
        for path in sorted(EXAMPLES_DIR.glob("*.yaml"))
    )


@functools.cache
def corpus_lines() -> tuple[str, ...]:
    """Every line of every shipped file, to splice into others."""
    return tuple(
        line
        for _, text in (*ruleset_files(), *example_files())
        for line in text.splitlines()
        if line.strip()
    )


@functools.cache
def facts_ruleset() -> Ruleset:
    """The ruleset the ``facts`` target reads facts against."""
    return scoring.load_ruleset(FACTS_RULESET)


@functools.cache
def shipped() -> tuple[Shipped, ...]:
    """The shipped rulesets that load (a file being edited may not), each with its example."""
    examples: dict[str, str] = {}
    for _, text in example_files():
        for line in text.splitlines():
            if line.startswith("ruleset:"):
                examples.setdefault(line.partition(":")[2].split("#")[0].strip(), text)
    found = []
    for path, text in ruleset_files():
        try:
            ruleset = scoring.parse_ruleset(text, str(ROOT / path), registry().parent)
        except ScoringError:
            continue
        example = examples.get(ruleset.ref, examples.get(ruleset.id))
        found.append(Shipped(path, text, ruleset, example))
    return tuple(found)


@functools.cache
def scorable() -> tuple[Shipped, ...]:
    """The shipped rulesets that can be scored: not templates with slots to fill."""
    return tuple(entry for entry in shipped() if not entry.ruleset.is_template) or shipped()


@functools.cache
def _shipped_by_text() -> dict[str, Ruleset]:
    return {entry.text: entry.ruleset for entry in shipped()}


# --- vocabulary -------------------------------------------------------------------------------


def _deep(depth: int) -> list[str]:
    return [
        "[" * depth + "]" * depth,
        "{a: " * depth + "1" + "}" * depth,
        "- " * depth + "x",
        "[" * depth,
    ]


YAML_SPECIALS = (
    "&a", "*a", "&a ", " *a", "&b {x: 1}", "<<: *a", "<<: [*a, *b]", "&a [*a]",
    "!!python/object:os.system", "!!python/object/apply:os.system ['true']",
    "!!python/name:os.system", "!!binary aGk=", "!!set {a, b}", "!!omap [a: 1, b: 2]",
    "!!pairs [a: 1, a: 2]", "!!float 1", "!!int x", "!!str 10", "!!null", "!!bool yes",
    "!!timestamp 2022-01-01", "!!map {}", "!!seq []", "!custom x", "!<tag:yaml.org,2002:str> x",
    "\t", "{", "}", "[", "]", ":", ": ", "- ", "-", "? ", ",", "#", "|", ">", "'", '"', "%",
    "@", "`", "---", "...", "%YAML 1.1\n---", "\x00", "\ufeff", "\r", "\r\n", "\x85",
    "\u2028", "\ufffe", "\x07", "\x1b", "\\", "\n  ", "\n- ",
)  # fmt: skip
NUMBERS = (
    "0", "-0", "1", "-1", "10", "100", "0.5", "10.0", "0.1", "1.5", "100.00", "0.0000000001",
    "0.00000000001", "999999999999999", "1000000000000000", "123456789012345678901234567890",
    "1_000", "0x1F", "0o17", "0b101", "017", "1:20", "1:20.5", "190:20:30", "+12", ".5", "5.",
    "1e3", "1.0e+3", "1.0E+3", "1e400", "1.0e+400", "-1.0e+400", "1.0e-400", ".nan", ".NaN",
    ".inf", "-.inf", "+.inf", ".Inf", "1,280", "1,28", "86.75%", "86.75 %", "128万元", "１２８",
    "９９．５", "－１", "1,280.5", "¹²", "٣", "४२", '"1,280"', '"86.75%"', '" 48 "', '"128万元"',
    '"１２８"', '"1e400"', '""', "'0.5'", "1.0e+1000000", "1.0e-1000000",
    "1.0e-10000000",
)  # fmt: skip
HEAVY_NUMBERS = (
    "1" * 5000, "1.0e+999999999", "-1.0e+999999999", "1.0e-999999999", "0." + "0" * 5000 + "1",
    "1" * 4000 + ".5",
)  # fmt: skip
"""Numbers that cost seconds or memory to print in full: for the harness, not the quick test."""
WORDS = (
    "null", "~", "", "true", "false", "yes", "no", "on", "off", "y", "n", "True", "NULL", "是",
    "否", "不适用", "project", "department", "rescale", "forbid", "half_up", "half_even", "down",
    "ratio", "bands", "tiers", "formula", "first", "unique", "full", "zero", "error",
    "abc", "'quoted'", '"double"', '"\\u0000"', '"\\x00"', '"tab\\there"', "2022-01-01",
    "2022-01-01 10:00:00", "2001-12-14t21:59:43.10-05:00", "12:30:00", "x" * 600, "长文本" * 300,
    "🙂", "ＡＢＣ", "mof.project-self-eval@2020.1", "mof.project-self-eval", "nope@1", "a@b@c",
    "xinfang.wangcheng-relief@2022.1", "output.quantity.aided", "satisfaction", "output..x",
    "达成年度指标", "好", "中", "差", "{tier: 好}", "{tier: 好, score: 19, note: 好}",
    "{tier: [1], score: .nan}",
)  # fmt: skip
FORMULAS = (
    "x", "x / y", "全年执行数 / 全年预算数", "救助人数 * 2", "x + 1", "1/0", "0/0", "x // 0",
    "x % 0", "2**1000", "9**9**9", "10**100", "0**-1", "(-8)**0.5", "x ** 101", "-" * 300 + "1",
    "not " * 100 + "True", "(" * 40 + "1" + ")" * 40, "(" * 300 + "1" + ")" * 300, "x if y else z",
    "x if True else 1", "max()", "min(1)", "max(x, y, 1)", "round(1, 100)", "round(1, -5)",
    "round(1.5)", "round(10**20, 10)", "clamp(1, 2)", "clamp(x, 10, 0)", "abs(-1)",
    "__import__('os').system('true')", "().__class__", "x.y", "x[0]", "[1, 2]", "{}",
    "lambda: 1", "1 < 2 < 3", "x == 'a'", "'a' * 10", "1e400", "1e-400", "0.1 + 0.2", "True + 1",
    "f'{1}'", "x and y", "not x", "x == True", "1" * 400, "0." + "0" * 400 + "1", "x\n+ 1",
    "\x00", "ＡＢＣ + abc", "救助人数 <= 5", "x := 1", "*x", "a if", "'" + "a" * 60 + "' == x",
    "x in y", "x is None", "~x", "x << 1", "None", "abs", "True", "'text'",
)  # fmt: skip
NAMES = (
    "x", "y", "z", "全年预算数", "全年执行数", "救助人数", "ABC", "ＡＢＣ", "abc", "a_b", "_x",
    "x1", "1x", "a b", "预算 数", "if", "lambda", "True", "None", "abs", "max", "__class__", "é",
    "ⅰ",
)  # fmt: skip
TYPOS = ("weigth", "indicator", "childen", "methd", "fatcs", "ID", "Id", "id ", "ＩＤ", "")


def _model_keys(*models_: type[Any]) -> tuple[str, ...]:
    return tuple(sorted({name for model in models_ for name in model.model_fields}))


RULESET_KEYS = _model_keys(models.Ruleset)
INDICATOR_KEYS = _model_keys(models.Indicator)
INNER_KEYS = _model_keys(
    models.FactSpec, models.Derived, models.Tier, models.Band, models.Item, models.Case,
    models.Part, models.Check, models.Rounding, worked_examples.RulesetTest,
    worked_examples.Expectation,
    panel.Panel,
)  # fmt: skip
FACTS_KEYS = ("ruleset", "subject", "facts", "not_applicable", "panel")
KEYS = (*RULESET_KEYS, *INDICATOR_KEYS, *INNER_KEYS, *FACTS_KEYS, "remove", *TYPOS, "<<")
WEIRD_KEYS = ("1", "null", "true", "[a]", "{a: 1}", "? x", "'id'", '"facts"', "2022-01-01")
METHODS = tuple(models.MethodName.__args__)  # type: ignore[attr-defined]


PRINTABLE = st.characters(exclude_categories=("Cc", "Cs"))
"""Characters a YAML reader accepts, mostly: control characters come from YAML_SPECIALS and
raw text, so that they do not drown every other input."""


@functools.cache
def tokens(heavy: bool) -> st.SearchStrategy[str]:
    """A piece of text to insert, or a value to write after a key: benign ones shrink first."""
    fixed = (*NUMBERS, *WORDS, *FORMULAS, *YAML_SPECIALS, *_deep(30))
    if heavy:
        fixed = (*fixed, *HEAVY_NUMBERS, *_deep(500), *_deep(3000))
    return st.one_of(
        st.sampled_from(fixed),
        st.sampled_from(KEYS).map(lambda key: f"{key}: 1"),
        st.text(PRINTABLE, max_size=10),
    )


# --- inputs -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Case:
    """One input: the text(s) a target reads, and how they were made (for the report)."""

    target: str
    ruleset_text: str | None = None
    facts_text: str | None = None
    origin: str = ""


MUTATIONS = (
    "value", "number", "tag", "delete", "duplicate", "swap", "flip", "insert", "key", "indent",
    "line", "splice", "truncate",
)  # fmt: skip
TAGS = (
    "!!int", "!!float", "!!bool", "!!null", "!!str", "!!timestamp", "!!binary", "!!map", "!!seq",
    "!!set", "!!omap", "!!pairs", "!!merge", "!!python/object:os.system", "!custom", "!",
    "!<tag:yaml.org,2002:int>",
)  # fmt: skip
"""YAML's type tags, to put before a value of another type (``!!int x``, ``!!map [a]``)."""


NUMBER = re.compile(r"(?<![\w.])-?\d+(?:\.\d+)?(?![\w.])")
"""A number inside a line, not inside a word (``2022年``)."""


@dataclass(frozen=True)
class Mutation:
    """One edit of a text, positions taken modulo its size (so that they shrink toward 0)."""

    kind: str
    at: int
    other: int
    token: str

    def apply(self, lines: list[str]) -> list[str]:
        """The lines (without their ends) after this edit."""
        if not lines:
            return [self.token]
        index = self.at % len(lines)
        line = lines[index]
        other = self.other % (len(line) + 1)
        result = list(lines)
        if self.kind == "number":
            found = [
                (row, match) for row, text in enumerate(lines) for match in NUMBER.finditer(text)
            ]
            if found:
                row, match = found[self.at % len(found)]
                text = lines[row]
                result[row] = text[: match.start()] + self.token + text[match.end() :]
        elif self.kind == "tag":
            key, colon, value = line.partition(": ")
            if not colon:
                key, colon, value = line.partition("- ")
            result[index] = f"{key}{colon}{self.token} {value}" if colon else f"{self.token} {line}"
        elif self.kind == "value":
            key, colon, _ = line.partition(": ")
            if not colon and line.rstrip().endswith(":"):
                key, colon = line.rstrip()[:-1], ": "
            if not colon and line.lstrip().startswith("- "):
                key, colon = line[: line.index("- ")], "- "
            result[index] = f"{key}{colon or ' '}{self.token}"
        elif self.kind == "delete":
            del result[index]
        elif self.kind == "duplicate":
            result.insert(index, line)
        elif self.kind == "swap":
            there = self.other % len(lines)
            result[index], result[there] = result[there], result[index]
        elif self.kind == "flip":
            result[index] = line[:other] + self.token[:1] + line[other + 1 :]
        elif self.kind == "insert":
            result[index] = line[:other] + self.token + line[other:]
        elif self.kind == "key":
            indent = line[: len(line) - len(line.lstrip(" -"))]
            _, colon, rest = line.partition(":")
            result[index] = f"{indent}{self.token}{colon or ':'}{rest}"
        elif self.kind == "indent":
            shift = self.other % 9 - 4
            result[index] = " " * shift + line if shift > 0 else line[-shift:]
        elif self.kind == "line":
            indent = line[: len(line) - len(line.lstrip())]
            result.insert(index, indent + self.token)
        elif self.kind == "splice":
            spliced = corpus_lines()
            result.insert(index, spliced[self.other % len(spliced)])
        else:
            assert self.kind == "truncate"
            result = [*result[:index], line[:other]]
        return result


def mutate(text: str, edits: list[Mutation]) -> str:
    """The text after every mutation in turn."""
    lines = text.split("\n")
    for mutation in edits:
        lines = mutation.apply(lines)
    return "\n".join(lines)


@functools.cache
def mutation_lists(
    heavy: bool, max_size: int = 6, kinds: tuple[str, ...] = MUTATIONS
) -> st.SearchStrategy[list[Mutation]]:
    """One to ``max_size`` mutations of the given kinds."""
    return st.lists(mutations(heavy, kinds), min_size=1, max_size=max_size)


@st.composite
def mutations(draw: Draw, heavy: bool, kinds: tuple[str, ...] = MUTATIONS) -> Mutation:
    """One mutation; a number, for the kind that replaces a number."""
    kind = draw(st.sampled_from(kinds))
    special = {"number": number_tokens(heavy), "tag": st.sampled_from(TAGS)}
    token = draw(special[kind] if kind in special else tokens(heavy) | PRINTABLE)
    return Mutation(kind, draw(st.integers(0, 2**16)), draw(st.integers(0, 2**16)), token)


@functools.cache
def number_tokens(heavy: bool) -> st.SearchStrategy[str]:
    """A number as YAML text, hostile or not."""
    return st.sampled_from((*NUMBERS, *HEAVY_NUMBERS) if heavy else NUMBERS)


def _describe(name: str, edits: list[Mutation]) -> str:
    listed = ", ".join(f"{m.kind}@{m.at}/{m.other} {m.token[:20]!r}" for m in edits)
    return f"{name} mutated: {listed}"


@st.composite
def mutated(draw: Draw, files: tuple[tuple[str, str], ...], heavy: bool) -> tuple[str, str]:
    """(origin, text): a shipped file with a few mutations."""
    name, text = draw(st.sampled_from(files))
    edits = draw(mutation_lists(heavy))
    return _describe(name, edits), mutate(text, edits)


RAW_ALPHABET = st.sampled_from(
    list("{}[]:,-?&*!|>'\"#%@` \t\n\r\x00\ufeff0123456789.eE+_abcxyz是否不适用１２") + list(KEYS)
)


@functools.cache
def raw_texts() -> st.SearchStrategy[tuple[str, str]]:
    """(origin, text): text from YAML's punctuation and keys, or any text at all."""
    texts = st.one_of(
        st.lists(RAW_ALPHABET, max_size=60).map("".join),
        st.text(max_size=200),
        st.binary().map(lambda data: data.decode("utf-8", errors="replace")),
    )
    return texts.map(lambda text: ("raw text", text))


# --- generated YAML ---------------------------------------------------------------------------


class Raw(str):
    """A scalar written into the YAML as is: ``.nan``, ``!!binary aGk=``, ``*a``, ``1,280``."""

    __slots__ = ()


@dataclass(frozen=True)
class Prefixed:
    """A node behind an anchor (``&a``) or a tag (``!!int``), always written in flow style."""

    prefix: str
    node: Any


def _scalar(value: Any) -> str:
    if isinstance(value, Raw):
        return str(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "null"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, Decimal):
        return format(value, "f")
    text = str(value)
    if text and text.replace("_", "").isalnum() and not text[0].isdigit():
        return text
    return json.dumps(text, ensure_ascii=False)


def flow(node: Any) -> str:
    """The node in flow style (``{a: 1, b: [x]}``)."""
    if isinstance(node, Prefixed):
        return f"{node.prefix} {flow(node.node)}"
    if isinstance(node, dict):
        return "{" + ", ".join(f"{key}: {flow(value)}" for key, value in node.items()) + "}"
    if isinstance(node, list):
        return "[" + ", ".join(flow(item) for item in node) + "]"
    return _scalar(node)


def block(node: Any, indent: int = 0) -> list[str]:
    """The node in block style, one line each."""
    pad = " " * indent
    if isinstance(node, dict) and node:
        lines = []
        for key, value in node.items():
            if isinstance(value, dict | list) and value:
                lines += [f"{pad}{key}:", *block(value, indent + 2)]
            else:
                lines.append(f"{pad}{key}: {flow(value)}")
        return lines
    if isinstance(node, list) and node:
        lines = []
        for item in node:
            if isinstance(item, dict | list) and item:
                inner = block(item, indent + 2)
                lines += [f"{pad}- {inner[0][indent + 2 :]}", *inner[1:]]
            else:
                lines.append(f"{pad}- {flow(item)}")
        return lines
    return [pad + flow(node)]


HEADERS = ("", "", "", "---\n", "\ufeff", "# 注释\n", "%YAML 1.1\n---\n")


@st.composite
def yaml_text(draw: Draw, node: Any) -> str:
    """The node as YAML: block or flow style, sometimes behind a header or a BOM."""
    body = flow(node) if draw(st.integers(0, 4)) == 0 else "\n".join(block(node))
    header: str = draw(st.sampled_from(HEADERS))
    return header + body + "\n"


def numbers() -> st.SearchStrategy[Any]:
    """Plausible numbers (exact decimals, ints) and hostile ones (as raw YAML)."""
    return st.one_of(
        st.integers(0, 100),
        st.decimals(-1000, 1000, places=2, allow_nan=False),
        st.sampled_from(NUMBERS).map(Raw),
        st.sampled_from(NUMBERS).map(Raw),
    )


@functools.cache
def scalars(heavy: bool) -> st.SearchStrategy[Any]:
    """A scalar of any YAML type."""
    return st.one_of(
        st.none(),
        st.booleans(),
        numbers(),
        st.integers(),
        st.text(PRINTABLE, max_size=20),
        st.sampled_from((*WORDS, *FORMULAS, *YAML_SPECIALS)).map(Raw),
        st.sampled_from(("*a", "*b")).map(Raw),
        *([st.sampled_from((*HEAVY_NUMBERS, *_deep(500))).map(Raw)] if heavy else []),
    )


@functools.cache
def any_values(heavy: bool) -> st.SearchStrategy[Any]:
    """A value of any YAML type: scalars, lists, mappings (of any keys), anchored or tagged."""
    keys = st.one_of(
        st.sampled_from(KEYS), st.sampled_from(WEIRD_KEYS), st.text(PRINTABLE, max_size=8)
    )
    return st.recursive(
        scalars(heavy),
        lambda inner: st.one_of(
            st.lists(inner, max_size=4),
            st.dictionaries(keys, inner, max_size=4),
            st.builds(Prefixed, st.sampled_from(("&a", "&b")), inner),
            st.builds(Prefixed, st.sampled_from(TAGS), inner),
        ),
        max_leaves=12,
    )


def sometimes(draw: Draw, plausible: st.SearchStrategy[Any], heavy: bool) -> Any:
    """Mostly a plausible value for a key; one time in five any value at all."""
    if draw(st.integers(0, 4)) == 0:
        return draw(any_values(heavy))
    return draw(plausible)


def formulas(names: list[str]) -> st.SearchStrategy[Any]:
    """A formula over ``names``: a name, a small expression, a number, or a hostile one."""
    name = st.sampled_from(names or ["x"])
    operator = st.sampled_from([" + ", " - ", " * ", " / ", " <= ", " >= ", " == ", " and "])
    return st.one_of(
        name,
        st.tuples(name, operator, name | st.integers(0, 100).map(str)).map("".join),
        name.map(lambda n: f"min({n}, 10)"),
        numbers(),
        st.sampled_from(FORMULAS),
    )


@st.composite
def indicators(draw: Draw, names: list[str], depth: int, heavy: bool) -> dict[str, Any]:
    """An indicator: a group of up to three children (to depth 4), or a leaf with a method."""
    node: dict[str, Any] = {
        "id": sometimes(draw, st.sampled_from(["a", "b", "c", "output", "x_1", "Bad-id"]), heavy),
        "name": sometimes(draw, st.sampled_from(["指标", "预算执行率", "x"]), heavy),
    }
    if draw(st.integers(0, 5)):
        node["weight"] = sometimes(draw, numbers(), heavy)
    if depth < 4 and draw(st.booleans()):
        node["children"] = draw(st.lists(indicators(names, depth + 1, heavy), max_size=3))
        return node
    method = draw(st.sampled_from([*METHODS, "bogus"]))
    node["method"] = method
    spec = METHOD_SPECS.get(method)
    need = spec.required if spec else frozenset()
    for parameter in sorted(spec.parameters if spec else ()):
        if parameter in need or draw(st.booleans()):
            node[parameter] = draw(parameters(parameter, names, depth, heavy))
    if draw(st.integers(0, 4)) == 0:
        node[draw(st.sampled_from(INDICATOR_KEYS))] = draw(any_values(heavy))
    if draw(st.integers(0, 4)) == 0:
        checks = {"when": draw(formulas(names)), "message": "偏差", "level": "note"}
        node["checks"] = [checks]
    return node


@st.composite
def parameters(draw: Draw, parameter: str, names: list[str], depth: int, heavy: bool) -> Any:
    """A plausible value for one method parameter."""
    number = numbers()
    bound = st.sampled_from(["at_least", "above", "at_most", "below", "equals"])
    plausible: dict[str, st.SearchStrategy[Any]] = {
        "bands": st.lists(
            st.dictionaries(bound, number, min_size=1, max_size=2).map(
                lambda band: {**band, "score": Decimal(5)}
            ),
            max_size=4,
        ),
        "tiers": st.lists(
            st.fixed_dictionaries(
                {"label": st.sampled_from(["好", "中", "差", "好"]), "range": st.lists(number)},
                optional={"default": number, "synonyms": st.lists(st.sampled_from(["优", "x"]))},
            ),
            max_size=4,
        ),
        "items": st.lists(
            st.fixed_dictionaries(
                {"id": st.sampled_from(["a", "b"]), "name": st.just("项"), "points": number},
                optional={"met": formulas(names), "count": formulas(names)},
            ),
            max_size=3,
        ),
        "cases": st.lists(
            st.fixed_dictionaries({"when": formulas(names), "score": number}), max_size=3
        ),
        "parts": st.lists(
            st.fixed_dictionaries(
                {"name": st.just("部分"), "share": number, "value": formulas(names)}
            ),
            max_size=3,
        ),
        "options": st.dictionaries(st.sampled_from(["甲", "乙", "丙"]), number, max_size=3),
        "alternatives": st.lists(indicators(names, 4, heavy), max_size=2),
        "fact": st.sampled_from(names or ["x"]),
        "on_zero_target": st.sampled_from(["error", "full", "zero", "none"]),
        "hit": st.sampled_from(["first", "unique", "all"]),
        "steps": st.sampled_from(["proportional", "whole", "started", "x"]),
    }
    if parameter in ("actual", "target", "value", "count", "expr"):
        return sometimes(draw, formulas(names), heavy)
    return sometimes(draw, plausible.get(parameter, number), heavy)


@st.composite
def fact_specs(draw: Draw, heavy: bool) -> dict[str, Any]:
    """A fact declaration."""
    kinds = st.sampled_from(["number", "integer", "boolean", "tier", "choice", "text"])
    spec = draw(
        st.fixed_dictionaries(
            {},
            optional={
                "type": kinds,
                "min": numbers(),
                "max": numbers(),
                "label": st.sampled_from(["全年预算数", "x"]),
                "unit": st.sampled_from(["万元", "%", "人", ""]),
                "options": st.lists(st.sampled_from(["甲", "乙", "丙"]), max_size=3),
            },
        )
    )
    return {key: sometimes(draw, st.just(value), heavy) for key, value in spec.items()}


@st.composite
def ruleset_data(draw: Draw, heavy: bool) -> dict[str, Any]:
    """A mapping with a ruleset's keys: close to a valid ruleset, with some values of any type."""
    names = draw(st.lists(st.sampled_from(NAMES), min_size=1, max_size=4, unique=True))
    data: dict[str, Any] = {}
    if draw(st.integers(0, 3)) == 0:
        data["base"] = Prefixed("&a", {"weight": 10, "name": "x"})
    plausible: dict[str, st.SearchStrategy[Any]] = {
        "id": st.sampled_from(["fuzz.ruleset", "a", "Bad.ID", "mof.project-self-eval"]),
        "version": st.sampled_from(["1", "2020.1", "2020.10", "v1"]) | numbers(),
        "title": st.sampled_from(["标题", "x"]),
        "kind": st.sampled_from(["project", "department", "projcet"]),
        "extends": st.sampled_from(
            [entry.ruleset.ref for entry in shipped()] + ["nope@1", "fuzz.ruleset@1"]
        ),
        "total": numbers(),
        "grades": st.dictionaries(st.sampled_from(["优", "良", "中", "差"]), numbers()),
        "rounding": st.fixed_dictionaries(
            {}, optional={"places": numbers(), "mode": st.sampled_from(["half_up", "down", "x"])}
        ),
        "not_applicable": st.sampled_from(["rescale", "forbid", "x"]),
        "tiers": parameters("tiers", names, 1, heavy),
        "facts": st.fixed_dictionaries({name: fact_specs(heavy) for name in names}),
        "derived": st.dictionaries(st.sampled_from(["d1", "d2", *names]), formulas(names)),
        "indicators": st.lists(indicators(names, 1, heavy), max_size=4),
    }
    for key in RULESET_KEYS:
        required = key in ("id", "version", "title", "kind", "indicators")
        if draw(st.integers(0, 9)) < (9 if required else 3):
            data[key] = sometimes(draw, plausible.get(key, any_values(heavy)), heavy)
    if "extends" not in data and draw(st.booleans()):
        _fix_weights(data)
    if draw(st.integers(0, 4)) == 0:
        data[draw(st.sampled_from((*KEYS, *WEIRD_KEYS)))] = draw(any_values(heavy))
    return data


def _weight(node: dict[str, Any]) -> Decimal | None:
    """Set every group's weight to the sum of its children's; the node's weight, if a number."""
    children = node.get("children")
    if isinstance(children, list) and all(isinstance(child, dict) for child in children):
        found = [_weight(child) for child in children]
        if children and all(weight is not None for weight in found):
            node["weight"] = sum((weight for weight in found if weight is not None), Decimal(0))
    weight = node.get("weight")
    if isinstance(weight, bool) or not isinstance(weight, int | Decimal) or isinstance(weight, Raw):
        return None
    return Decimal(weight)


def _fix_weights(data: dict[str, Any]) -> None:
    """Weights that add up (where they are plain numbers), so that more rulesets load."""
    nodes = data.get("indicators")
    if isinstance(nodes, list) and all(isinstance(node, dict) for node in nodes):
        found = [_weight(node) for node in nodes]
        if nodes and all(weight is not None for weight in found):
            data["total"] = sum((weight for weight in found if weight is not None), Decimal(0))


def fact_values(spec: models.FactSpec, labels: list[str]) -> st.SearchStrategy[Any]:
    """A value of a declared fact's type.

    Mostly within its bounds, sometimes written as people write it (``1,280``, ``128万元``,
    ``86.75%``, ``是``), sometimes a hostile number.
    """
    number = numbers()
    low = spec.min if spec.min is not None else Decimal(-1000)
    high = spec.max if spec.max is not None else low + 1000
    if low.is_finite() and high.is_finite() and math.ceil(low) <= math.floor(high):
        within = st.integers(math.ceil(low), math.floor(high)).map(Decimal)
        if high - low <= 1:
            within = st.integers(0, 10_000).map(lambda n: low + (high - low) * n / 10_000)
        number = st.one_of(within, within, number)
    texts = st.sampled_from(["1,280", "128万元", "86.75%", " 48 ", "", "１２８", "是", "x"])
    tier = st.sampled_from(labels or ["好"])
    kinds: dict[str, st.SearchStrategy[Any]] = {
        "number": number | texts,
        "integer": number | st.integers(-5, 200) | texts,
        "boolean": st.sampled_from([True, False, "是", "否", Raw("yes"), Raw("off"), 1, "TRUE"]),
        "tier": tier
        | st.fixed_dictionaries(
            {"tier": tier}, optional={"score": number, "note": st.sampled_from(["说明", ""])}
        ),
        "choice": st.sampled_from([*(spec.options or ()), "x", " 甲 "]),
        "date": st.sampled_from(
            ["2022-12-28", "2022-02-30", "2022/12/28", 44923, "", "２０２２－１２－２８"]
        ),
        "list": st.lists(st.sampled_from([*(spec.options or ()), "x", "", "甲"]), max_size=4)
        | st.sampled_from(["甲；乙", "甲;甲", 3]),
    }
    return kinds.get(spec.type, number)


def valid_fact_values(ruleset: Ruleset, name: str, spec: models.FactSpec) -> st.SearchStrategy[Any]:
    """A value the fact accepts: within its bounds, of its type, a tier's label or its score."""
    if spec.type == "boolean":
        return st.booleans()
    if spec.type == "choice":
        return st.sampled_from(spec.options or ("x",))
    if spec.type == "date":
        return st.dates().map(lambda day: day.isoformat())
    if spec.type == "list":
        most = int(spec.max) if spec.max is not None else 5
        items = st.sampled_from(spec.options or ("甲", "乙", "丙", "丁", "戊"))
        return st.lists(items, unique=True, min_size=int(spec.min or 0), max_size=most)
    if spec.type == "tier":
        claims: list[Any] = []
        for node in (node for _, _, node in ruleset.walk() if node.fact == name):
            for tier in node.tiers or ruleset.tiers or ():
                if tier.default is not None:
                    claims.append(tier.label)
                elif node.weight is not None:
                    claims.append({"tier": tier.label, "score": tier.range[0] * node.weight})
        return st.sampled_from(claims or ["好"])
    low = spec.min if spec.min is not None else Decimal(0)
    high = spec.max if spec.max is not None else max(low, Decimal(0)) + 200
    if spec.unit == "%":
        high = min(high, Decimal(1))
    if low > high:
        return st.just(low)
    if spec.type == "integer":
        return st.integers(math.ceil(low), math.floor(high)).map(Decimal)
    return st.integers(0, 1000).map(lambda n: (low + (high - low) * n / 1000).quantize(PLACES))


PLACES = Decimal("0.0001")


def _tier_labels(ruleset: Ruleset) -> list[str]:
    scales = [ruleset.tiers or (), *(node.tiers or () for _, _, node in ruleset.walk())]
    return sorted({name for scale in scales for tier in scale for name in tier.names()})


@st.composite
def facts_data(draw: Draw, ruleset: Ruleset, heavy: bool, valid: bool = False) -> dict[str, Any]:
    """A facts mapping for a ruleset, close to valid.

    Its declared facts (some left out, some written full-width, an undeclared one), values of
    their type or of any type, 不适用 paths, a subject and a ruleset line. With ``valid``, every
    fact is given a value it accepts, and then at most two are given another.
    """
    labels = _tier_labels(ruleset)
    facts: dict[str, Any] = {}
    for name, spec in ruleset.facts.items():
        if valid:
            facts[_scalar(name)] = draw(valid_fact_values(ruleset, name, spec))
        elif draw(st.integers(0, 9)):
            written = name if draw(st.integers(0, 9)) else _full_width(name)
            facts[_scalar(written)] = sometimes(draw, fact_values(spec, labels), heavy)
    if valid and ruleset.facts:
        for _ in range(draw(st.integers(0, 2))):
            name = draw(st.sampled_from(sorted(ruleset.facts)))
            spec = ruleset.facts[name]
            facts[_scalar(name)] = sometimes(draw, fact_values(spec, labels), heavy)
    if draw(st.integers(0, 9 if valid else 4)) == 0:
        facts[_scalar(draw(st.sampled_from(NAMES)))] = draw(scalars(heavy))
    paths = [path for path, _, _ in ruleset.walk()]
    data: dict[str, Any] = {}
    optional = {
        "ruleset": st.sampled_from([ruleset.ref, ruleset.id, "other@1"]) | scalars(heavy),
        "subject": st.fixed_dictionaries(
            {}, optional={"unit": scalars(heavy), "year": numbers(), "project": any_values(heavy)}
        ),
        "not_applicable": st.lists(st.sampled_from([*paths, "nope", "output."]), max_size=3),
    }
    if valid:
        optional = {
            "ruleset": st.sampled_from([ruleset.ref, ruleset.id]),
            "subject": st.just({"unit": "某某局", "year": 2022}),
            "not_applicable": st.lists(st.sampled_from(paths), max_size=2),
        }
    for key, strategy in optional.items():
        if draw(st.booleans()):
            data[key] = draw(strategy) if valid else sometimes(draw, strategy, heavy)
    data["facts"] = facts if valid else sometimes(draw, st.just(facts), heavy)
    if not valid and draw(st.integers(0, 9)) == 0:
        data[draw(st.sampled_from((*KEYS, *WEIRD_KEYS)))] = draw(any_values(heavy))
    return data


def _full_width(name: str) -> str:
    return "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in name)


# --- the targets' inputs ----------------------------------------------------------------------


@st.composite
def generated(draw: Draw, data: st.SearchStrategy[Any]) -> tuple[str, str]:
    """(origin, text): generated data written as YAML."""
    return "generated", draw(yaml_text(draw(data)))


@functools.cache
def cases(target: str, heavy: bool = True) -> st.SearchStrategy[Case]:
    """Inputs for one target: mutated shipped files, generated YAML and raw text.

    ``heavy`` adds inputs that cost seconds or memory (deep nesting, 10^9-digit numbers): for the
    harness, not for the quick test.
    """
    rulesets = ruleset_files()
    examples = example_files()
    if target == "ruleset":
        sources = st.one_of(
            mutated(rulesets, heavy),
            mutated(rulesets, heavy),
            generated(ruleset_data(heavy)),
            generated(any_values(heavy)),
            raw_texts(),
            mutated(examples, heavy),
        )
        return sources.map(lambda found: Case(target, ruleset_text=found[1], origin=found[0]))
    if target == "facts":
        ruleset = facts_ruleset()
        own = tuple(item for item in examples if FACTS_RULESET in item[1]) or examples
        sources = st.one_of(
            mutated(own, heavy),
            mutated(own, heavy),
            mutated(examples, heavy),
            generated(facts_data(ruleset, heavy)),
            generated(facts_data(ruleset, heavy)),
            generated(any_values(heavy)),
            raw_texts(),
            mutated(rulesets, heavy),
        )
        return sources.map(lambda found: Case(target, facts_text=found[1], origin=found[0]))
    assert target == "score", target
    return scored_cases(heavy)


@st.composite
def scored_cases(draw: Draw, heavy: bool) -> Case:
    """A shipped ruleset (not a template), mutated one time in four, and facts for it.

    The facts are its example with a few values replaced or a few edits of any kind, or facts
    generated from its declarations: all valid but up to two, or anything goes.
    """
    entry: Shipped = draw(st.sampled_from(scorable()))
    ruleset_text, origin = entry.text, entry.path
    if draw(st.integers(0, 3)) == 0:
        edits = draw(mutation_lists(heavy, 2, ("number", "number", "value", *MUTATIONS)))
        ruleset_text, origin = mutate(entry.text, edits), _describe(entry.path, edits)
    way = draw(st.integers(0, 4))
    if entry.example is not None and way <= 1:
        kinds = ("number", "value", "tag") if way == 0 else MUTATIONS
        edits = draw(mutation_lists(heavy, 3, kinds))
        facts_text = mutate(entry.example, edits)
        how = _describe("its example", edits)
    else:
        data = draw(facts_data(entry.ruleset, heavy, valid=way <= 3))
        facts_text, how = draw(yaml_text(data)), "generated"
    return Case("score", ruleset_text, facts_text, f"{origin}; facts: {how}")


# --- running one input ------------------------------------------------------------------------


def execute(case: Case) -> str:
    """Run the target on one input.

    Returns what happened: "loaded", "scored" or the name of the ScoringError. Any other
    exception propagates: that is a finding.
    """
    try:
        if case.target == "ruleset":
            assert case.ruleset_text is not None
            scoring.parse_ruleset(case.ruleset_text, RULESET_FILE, registry().parent)
            return "loaded"
        assert case.facts_text is not None
        if case.target == "facts":
            scoring.parse_facts(case.facts_text, FACTS_FILE, facts_ruleset())
            return "loaded"
        assert case.ruleset_text is not None
        ruleset = _shipped_by_text().get(case.ruleset_text)
        if ruleset is None:
            ruleset = scoring.parse_ruleset(case.ruleset_text, RULESET_FILE, registry().parent)
        facts = scoring.parse_facts(case.facts_text, FACTS_FILE, ruleset)
        scoring.render_json(scoring.score(ruleset, facts))
        return "scored"
    except ScoringError as exc:
        return type(exc).__name__


class Hung(BaseException):
    """Raised by the timer when one input runs past ``--timeout``.

    Not an Exception, so that the code under test cannot swallow it.
    """


@dataclass(frozen=True)
class Outcome:
    """What one input did: its outcome, how long it took, and the finding's signature if any."""

    result: str
    seconds: float
    signature: str | None = None
    error: str | None = None
    trace: tuple[str, ...] = ()


def classify(case: Case, slow: float = SLOW_SECONDS, timeout: float = 0) -> Outcome:
    """Run one input and judge it: a ScoringError or success is fine, the rest is a finding.

    With a ``timeout`` (seconds; needs SIGALRM, see :func:`main`), an input still running then
    is stopped and reported as hung.
    """
    start = time.perf_counter()
    try:
        if timeout > 0:
            signal.setitimer(signal.ITIMER_REAL, timeout)
        try:
            result = execute(case)
        finally:
            if timeout > 0:
                signal.setitimer(signal.ITIMER_REAL, 0)
    except (Exception, Hung) as exc:
        seconds = time.perf_counter() - start
        error = f"{type(exc).__name__}: {_shorten(str(exc), 300)}"
        return Outcome("finding", seconds, signature(exc), error, summarise(exc))
    seconds = time.perf_counter() - start
    if seconds > slow:
        slow_one = f"slow: over {slow:g} s, then {result}"
        return Outcome(result, seconds, slow_one, f"took {seconds:.1f} s, then {result}")
    return Outcome(result, seconds)


def _own(filename: str) -> bool:
    return f"{Path('scoring')}/" in filename and "site-packages" not in filename


def signature(exc: BaseException) -> str:
    """The exception's type and where it was raised: one signature, one bug."""
    if isinstance(exc, Hung):
        return f"hung (stopped after --timeout) in {_where(exc)}"
    return f"{type(exc).__module__}.{type(exc).__qualname__} in {_where(exc)}"


def _where(exc: BaseException) -> str:
    """Where an exception was raised, the same for every input that shows one bug.

    The deepest frame (``yaml/constructor.py construct_yaml_int()``, whether the number stood in
    a mapping or a list). For a RecursionError, where the stack ran out varies with the input:
    the file of scoring's own that recursed is named instead.
    """
    frames = traceback.extract_tb(exc.__traceback__)
    if isinstance(exc, RecursionError) or not frames:
        own = [frame for frame in frames if _own(frame.filename)]
        return _relative(own[-1].filename) if own else "?"
    return f"{_library(frames[-1].filename)} {frames[-1].name}()"


def _library(filename: str) -> str:
    """``scoring/model/ruleset.py`` for our files, ``yaml/constructor.py`` for a library's."""
    if _own(filename):
        return _relative(filename)
    parts = Path(filename).parts
    return str(Path(*parts[-2:]))


def _relative(filename: str) -> str:
    try:
        return str(Path(filename).relative_to(ROOT))
    except ValueError:
        parts = Path(filename).parts
        return str(Path(*parts[-2:]))


def summarise(exc: BaseException) -> tuple[str, ...]:
    """The traceback in a few lines: each frame once, repeats counted, from the target down."""
    frames = [
        f"{_relative(frame.filename)}:{frame.lineno} {frame.name}()"
        for frame in traceback.extract_tb(exc.__traceback__)
        if Path(frame.filename).name != Path(__file__).name
    ]
    lines: list[str] = []
    for frame, count in _runs(frames):
        lines.append(frame if count == 1 else f"{frame}  (× {count})")
    if len(lines) > 14:
        lines = [*lines[:6], f"… {len(lines) - 12} more frames …", *lines[-6:]]
    return tuple(lines)


def _runs(items: list[str]) -> Iterator[tuple[str, int]]:
    """Consecutive repeats of one item, or of a cycle of up to four (a recursion), counted."""
    index = 0
    while index < len(items):
        best_size, best_count = 1, 1
        for size in range(1, 5):
            count = 1
            while (
                items[index : index + size]
                == items[index + count * size : index + (count + 1) * size]
            ):
                count += 1
            if count > 1 and count * size > best_count * best_size:
                best_size, best_count = size, count
        if best_count == 1:
            yield items[index], 1
        else:
            yield " → ".join(items[index : index + best_size]), best_count
        index += best_size * best_count


def _shorten(text: str, limit: int) -> str:
    return text if len(text) <= limit else f"{text[:limit]}… ({len(text):,} characters)"


# --- minimising a finding ---------------------------------------------------------------------


def ddmin(items: list[str], keeps: Callable[[list[str]], bool]) -> list[str]:
    """A smaller list that still ``keeps`` the finding (delta debugging, complements only)."""
    parts = 2
    while len(items) >= 2:
        size = math.ceil(len(items) / parts)
        chunks = [items[start : start + size] for start in range(0, len(items), size)]
        for index in range(len(chunks)):
            rest = [item for other, chunk in enumerate(chunks) if other != index for item in chunk]
            if keeps(rest):
                items, parts = rest, max(parts - 1, 2)
                break
        else:
            if parts >= len(items):
                break
            parts = min(parts * 2, len(items))
    return items


def shorten_runs(text: str, keeps: Callable[[str], bool]) -> str:
    """Each run of one repeated character (``[[[[``) as short as the finding allows."""
    index = 0
    while index < len(text):
        end = index
        while end < len(text) and text[end] == text[index]:
            end += 1
        if end - index >= 4:
            low, high = 0, end - index  # the run's length: high keeps the finding
            while low < high:
                middle = (low + high) // 2
                if keeps(text[:index] + text[index] * middle + text[end:]):
                    high = middle
                else:
                    low = middle + 1
            text = text[:index] + text[index] * high + text[end:]
            end = index + high
        index = max(end, index + 1)
    return text


RUN = re.compile(r"(.)\1*", re.DOTALL)


def minimise(case: Case, signature: str, seconds: float, timeout: float = 0) -> Case:
    """The case with its texts cut down while the finding (same signature) remains.

    Lines first, then the length of runs of one character, then characters (a run counts as
    one); for at most ``seconds``.
    """
    stop = time.monotonic() + seconds

    def same(candidate: Case) -> bool:
        if time.monotonic() > stop:
            return False
        return classify(candidate, timeout=timeout).signature == signature

    fields = ["facts_text", "ruleset_text"]
    if case.target == "score" and case.ruleset_text in _shipped_by_text():
        fields.remove("ruleset_text")  # a shipped ruleset is named, not shown
    for name in fields:
        text = getattr(case, name)
        if text is None:
            continue

        def keeps(candidate: str, name: str = name, case: Case = case) -> bool:
            return same(replace(case, **{name: candidate}))

        text = "".join(ddmin(text.splitlines(keepends=True), lambda lines: keeps("".join(lines))))
        text = shorten_runs(text, keeps)
        pieces = [match.group() for match in RUN.finditer(text)]  # a run of "1" stays whole
        text = "".join(ddmin(pieces, lambda kept: keeps("".join(kept))))
        text = shorten_runs(text, keeps)
        case = replace(case, **{name: text})
    return case


def as_python(text: str) -> str:
    """The text as a Python expression, runs of one character written ``"[" * 500``."""
    pieces: list[str] = []
    plain = ""
    index = 0
    while index < len(text):
        end = index
        while end < len(text) and text[end] == text[index]:
            end += 1
        if end - index >= 8:
            if plain:
                pieces.append(repr(plain))
                plain = ""
            pieces.append(f"{text[index]!r} * {end - index}")
        else:
            plain += text[index:end]
        index = end
    if plain or not pieces:
        pieces.append(repr(plain))
    return " + ".join(pieces)


# --- the run ----------------------------------------------------------------------------------


@dataclass
class Finding:
    """One kind of failure (one signature), the first input that showed it, and how often."""

    target: str
    signature: str
    outcome: Outcome
    case: Case
    index: int
    count: int = 1
    smallest: Case | None = None


@dataclass
class Report:
    """What one target's run found."""

    target: str
    inputs: int = 0
    seconds: float = 0.0
    slowest: float = 0.0
    results: Counter[str] = field(default_factory=Counter)
    findings: dict[str, Finding] = field(default_factory=dict)

    def record(self, case: Case, outcome: Outcome) -> None:
        """Count one input's outcome; keep the first input of each new finding."""
        self.inputs += 1
        self.seconds += outcome.seconds
        self.slowest = max(self.slowest, outcome.seconds)
        self.results[outcome.result] += 1
        if outcome.signature is None:
            return
        known = self.findings.get(outcome.signature)
        if known is None:
            self.findings[outcome.signature] = Finding(
                self.target, outcome.signature, outcome, case, self.inputs
            )
        else:
            known.count += 1


def fuzz(
    target: str, examples: int, seed: int | None, heavy: bool = True, timeout: float = 0
) -> Report:
    """Run ``examples`` generated inputs through one target, derandomized unless ``seed``."""
    report = Report(target)
    started = time.monotonic()

    @settings(
        max_examples=examples,
        derandomize=seed is None,
        database=None,
        deadline=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(cases(target, heavy))
    def run(case: Case) -> None:
        report.record(case, classify(case, timeout=timeout))
        if report.inputs % 1000 == 0:
            elapsed = time.monotonic() - started
            print(f"  {target}: {report.inputs}/{examples} ({elapsed:.0f} s)", file=sys.stderr)

    if seed is not None:
        run = hypothesis_seed(seed)(run)
    run()
    return report


def _on_alarm(signum: int, frame: FrameType | None) -> None:
    raise Hung


def _limit_memory(megabytes: int) -> None:
    """Let a runaway allocation be a MemoryError (a finding) rather than the OOM killer."""
    if megabytes <= 0:
        return
    import resource  # Unix only

    limit = megabytes * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))


def print_report(report: Report, wall: float, command: str) -> None:
    """One line per target, then each finding with its traceback and (minimised) input."""
    kinds = ", ".join(f"{count} {name}" for name, count in report.results.most_common())
    print(
        f"{report.target}: {report.inputs} inputs in {wall:.1f} s "
        f"(in the target {report.seconds:.1f} s, slowest {report.slowest:.2f} s): {kinds}; "
        f"{len(report.findings)} finding{'s' if len(report.findings) != 1 else ''}"
    )
    for number, finding in enumerate(report.findings.values(), 1):
        outcome = finding.outcome
        print(f"\n  FINDING {report.target}-{number}: {finding.signature}")
        print(f"    {outcome.error}  [{outcome.seconds:.2f} s]")
        print(f"    {finding.count} of {report.inputs} inputs; first: input #{finding.index}")
        for line in outcome.trace:
            print(f"      {line}")
        print(f"    made from: {_shorten(finding.case.origin, 300)}")
        for label, case in (("input", finding.case), ("minimised", finding.smallest)):
            if case is None:
                continue
            for name in ("ruleset_text", "facts_text"):
                text = getattr(case, name)
                if text is None or (name == "ruleset_text" and text in _shipped_by_text()):
                    continue
                shown = _shorten(as_python(text), 1500)
                print(f"    {label} {name.removesuffix('_text')} ({len(text):,} chars): {shown}")
        print(f"    reproduce: {command}")


def save(report: Report, directory: Path) -> None:
    """Each finding's input (and minimised input) as files in ``directory``."""
    directory.mkdir(parents=True, exist_ok=True)
    for number, finding in enumerate(report.findings.values(), 1):
        for label, case in (("input", finding.case), ("minimised", finding.smallest)):
            for name in ("ruleset_text", "facts_text"):
                text = None if case is None else getattr(case, name)
                if text is not None:
                    path = directory / f"{report.target}-{number}-{label}-{name[:-5]}.yaml"
                    path.write_text(text, encoding="utf-8", errors="surrogatepass")


def main(argv: list[str] | None = None) -> int:
    """Run the harness; 1 when there is a finding."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--examples", type=int, default=10_000, help="inputs per target")
    parser.add_argument("--seed", type=int, default=None, help="a random run with this seed")
    parser.add_argument("--target", choices=[*TARGETS, "all"], default="all")
    parser.add_argument("--timeout", type=float, default=60, help="stop one input after this")
    parser.add_argument("--minimise", type=float, default=60, help="seconds per finding; 0: off")
    parser.add_argument("--memory-limit", type=int, default=4096, help="MiB; 0: no limit")
    parser.add_argument("--save", type=Path, default=None, help="write each finding's input here")
    parser.add_argument("--light", action="store_true", help="leave out the slow inputs")
    parser.add_argument("--replay", type=Path, help="run one saved input (with --target)")
    parser.add_argument("--ruleset", type=Path, help="with --replay --target score: its ruleset")
    args = parser.parse_args(argv)
    _limit_memory(args.memory_limit)
    if args.timeout > 0:
        signal.signal(signal.SIGALRM, _on_alarm)
    shipped()  # index and parse the shipped files before the clock starts
    if args.replay is not None:
        return replay(args.target, args.replay, args.ruleset)
    targets = TARGETS if args.target == "all" else (args.target,)
    findings = 0
    total = time.monotonic()
    for target in targets:
        command = (
            f"python fuzz/fuzz_loaders.py --target {target} --examples {args.examples}"
            + (f" --seed {args.seed}" if args.seed is not None else "")
            + (" --light" if args.light else "")
        )
        started = time.monotonic()
        report = fuzz(target, args.examples, args.seed, not args.light, args.timeout)
        wall = time.monotonic() - started
        if args.minimise > 0:
            for finding in report.findings.values():
                finding.smallest = minimise(
                    finding.case, finding.signature, args.minimise, args.timeout
                )
        print_report(report, wall, command)
        if args.save is not None:
            save(report, args.save)
        findings += len(report.findings)
        sys.stdout.flush()
    print(
        f"\n{len(targets)} target(s), {args.examples} inputs each, "
        f"{time.monotonic() - total:.1f} s in all: {findings} finding(s)"
    )
    return 1 if findings else 0


def _read(path: Path) -> str:
    return path.read_bytes().decode("utf-8", errors="surrogatepass")


def replay(target: str, path: Path, ruleset: Path | None) -> int:
    """Run one saved input through a target, with the whole traceback; 1 for a finding."""
    if target == "all":
        print("--replay needs --target ruleset, facts or score", file=sys.stderr)
        return 2
    if target == "ruleset":
        case = Case(target, ruleset_text=_read(path))
    else:
        shipped_file = RULESETS_DIR / "xinfang" / "wangcheng-relief-2022.yaml"
        ruleset_text = _read(ruleset) if ruleset is not None else _read(shipped_file)
        case = Case(target, ruleset_text if target == "score" else None, _read(path))
    start = time.perf_counter()
    try:
        result = execute(case)
    except Exception:
        traceback.print_exc()
        return 1
    seconds = time.perf_counter() - start
    print(f"{target}: {result} in {seconds:.2f} s")
    return 1 if seconds > SLOW_SECONDS else 0


if __name__ == "__main__":
    sys.exit(main())
