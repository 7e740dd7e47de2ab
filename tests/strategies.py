"""Hypothesis strategies: random valid rulesets, facts within their bounds, and YAML text for both.

A ruleset is drawn as plain data (dicts, lists, ``Decimal``, ``Expr`` for formulas). Most
properties validate it directly (:func:`ruleset_of`, :func:`facts_of`), since parsing YAML is most
of an example's cost; the properties about text write it with :func:`to_yaml` (or, formatted at
random, :func:`yaml_texts`) and go through ``parse_ruleset``/``parse_facts``. The trees are one to
three levels deep; each group's weight is the sum of its children's and the top level sums to
100. Each leaf reads facts of its own (no fact is shared between leaves), so raising one fact
moves exactly one leaf.
"""

from __future__ import annotations

import ast
import functools
import itertools
import json
import random
import re
from collections.abc import Callable, Iterator
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal
from fractions import Fraction
from typing import Any, NamedTuple, TypeVar

from hypothesis import settings
from hypothesis import strategies as st

from scoring.engine.checks import check_ruleset
from scoring.model.facts import Facts
from scoring.model.intervals import Interval
from scoring.model.ruleset import NATIONAL_GRADES, FactSpec, Indicator, Ruleset

T = TypeVar("T")
Draw = Callable[[st.SearchStrategy[Any]], Any]
Data = dict[str, Any]

TOTAL = Decimal(100)
METHODS = ("ratio", "reverse_ratio", "bands", "boolean", "deduct", "formula")
MAX_FACT_PLACES = 4
# the weights' grain, and the fewest rounding places that can still show it
GRAINS = {Decimal(1): 0, Decimal("0.5"): 1, Decimal("0.25"): 2}
MODES = ("half_up", "half_even", "down")
ROLES = {  # a fact's role in its leaf, and its name in rulesets drawn with Chinese names
    "actual": "实际数",
    "target": "目标数",
    "value": "完成值",
    "count": "问题数",
    "flag": "是否完成",
    "x": "得分依据",
    "y": "加分依据",
}


class Expr(str):
    """A formula's text: the YAML writer may respace it, never rewrite its numbers."""

    __slots__ = ()


def at_most(n: int, **changes: Any) -> settings:
    """``n`` examples, or fewer when the profile asks for fewer (dev); ``changes`` as in settings."""
    return settings(max_examples=min(n, settings().max_examples), **changes)


# Strategies are built once and reused: building one per draw costs more than the draw.
BOOLEANS = st.booleans()


@functools.cache
def _integers(low: int, high: int) -> st.SearchStrategy[int]:
    return st.integers(low, high)


_CHOICES: dict[tuple[Any, ...], st.SearchStrategy[Any]] = {}


def _choice(*options: T) -> st.SearchStrategy[T]:
    if options not in _CHOICES:
        _CHOICES[options] = st.sampled_from(options)
    found: st.SearchStrategy[T] = _CHOICES[options]
    return found


# --- numbers ----------------------------------------------------------------------------------


@functools.cache
def decimals(
    low: Decimal, high: Decimal, places: int = MAX_FACT_PLACES
) -> st.SearchStrategy[Decimal]:
    """Decimals in [low, high] with 0 to ``places`` decimal places, written as drawn."""

    def between(exponent: int) -> st.SearchStrategy[Decimal]:
        scale = Decimal(10) ** exponent
        first = int((low * scale).to_integral_value(rounding=ROUND_CEILING))
        last = int((high * scale).to_integral_value(rounding=ROUND_FLOOR))
        return _integers(first, last).map(lambda n: Decimal(n).scaleb(-exponent))

    return st.one_of([between(exponent) for exponent in range(places + 1)])


@functools.cache
def weights(
    n: int, total: Decimal = TOTAL, grain: Decimal = Decimal(1)
) -> st.SearchStrategy[list[Decimal]]:
    """``n`` positive weights, each a multiple of ``grain``, adding up to ``total``."""
    units = int(total / grain)
    assert 1 <= n <= units
    cuts = st.lists(st.integers(1, units - 1), min_size=n - 1, max_size=n - 1, unique=True)
    return cuts.map(
        lambda found: [
            (high - low) * grain for low, high in itertools.pairwise([0, *sorted(found), units])
        ]
    )


def grade_bands() -> st.SearchStrategy[dict[str, Decimal]]:
    """Grade bands: 差 from 0 and up to three more labels at distinct bounds in (0, 100]."""
    bounds = st.lists(st.integers(1, 100), max_size=3, unique=True)
    return bounds.map(
        lambda found: {
            **{
                label: Decimal(bound)
                for label, bound in zip(
                    ("优", "良", "中"), sorted(found, reverse=True), strict=False
                )
            },
            "差": Decimal(0),
        }
    )


def round_exact(value: Fraction, places: int, mode: str) -> Decimal:
    """A non-negative exact value rounded to ``places`` by ``mode``, without Decimal contexts."""
    assert value >= 0
    scaled = value * 10**places
    whole = scaled.numerator // scaled.denominator
    rest = scaled - whole
    if mode == "half_up":
        whole += rest >= Fraction(1, 2)
    elif mode == "half_even":
        whole += rest > Fraction(1, 2) or (rest == Fraction(1, 2) and whole % 2 == 1)
    else:
        assert mode == "down"
    return Decimal(whole).scaleb(-places)


# --- intervals --------------------------------------------------------------------------------

INTERVAL_ENDS = (0, 6)
"""Finite interval ends are whole numbers in this range."""


@st.composite
def intervals(draw: Draw) -> Interval:
    """An interval with whole-number ends in INTERVAL_ENDS (either may be unbounded), each end
    open or closed; sometimes empty (ends crossing, or meeting with an open end).

    Between whole-number ends, every stretch of values that matters holds a whole or half
    number, so checking the grid of half numbers around INTERVAL_ENDS (:data:`INTERVAL_GRID`)
    checks every value.
    """
    ends = st.one_of(st.none(), _integers(*INTERVAL_ENDS).map(Decimal))
    low, high = draw(ends), draw(ends)
    return Interval(low, draw(BOOLEANS), high, draw(BOOLEANS))


INTERVAL_GRID = tuple(
    Decimal(n) / 2 for n in range(2 * INTERVAL_ENDS[0] - 2, 2 * INTERVAL_ENDS[1] + 3)
)
"""Half numbers from one below the lowest end to one above the highest."""


# --- rulesets ---------------------------------------------------------------------------------


_BAND_STEPS = st.lists(st.integers(0, 100), min_size=1, max_size=4, unique=True)
_GRADES = st.one_of(st.just(dict(NATIONAL_GRADES)), grade_bands())


class _Builder:
    """Draws one ruleset's indicators, collecting the facts and derived values they declare."""

    def __init__(
        self, draw: Draw, grain: Decimal, chinese: bool, zero_denominators: bool, first: str | None
    ):
        self.draw, self.grain, self.chinese = draw, grain, chinese
        self.zero_denominators = zero_denominators
        self.first = first  # the method of the first leaf, when a test needs one
        self.facts: Data = {}
        self.derived: Data = {}
        self.count = itertools.count(1)

    def fact(self, ident: str, role: str, spec: Data) -> str:
        name = f"{ROLES[role]}{ident[1:]}" if self.chinese else f"{ident}_{role}"
        self.facts[name] = spec
        return name

    def node(self, weight: Decimal, level: int) -> Data:
        number = next(self.count)
        ident = f"i{number}"
        node: Data = {"id": ident, "name": f"指标{number}", "weight": weight}
        units = int(weight / self.grain)
        if level < 3 and units >= 2 and self.draw(BOOLEANS):
            size = self.draw(_integers(1, min(3, units)))
            parts = self.draw(weights(size, weight, self.grain))
            node["children"] = [self.node(part, level + 1) for part in parts]
            return node
        method = self.first or self.draw(_choice(*METHODS))
        self.first = None
        node["method"] = method
        node.update(getattr(self, method)(ident, weight))
        return node

    def ratio(self, ident: str, weight: Decimal) -> Data:
        actual = self.fact(ident, "actual", {"min": Decimal(0), "max": Decimal(1000)})
        kind = self.draw(_choice("fact", "zero_target", "constant", "derived"))
        if kind == "constant":
            return {"actual": Expr(actual), "target": Expr(str(self.draw(_integers(1, 500))))}
        if kind == "fact":
            target = self.fact(ident, "target", {"min": Decimal(1), "max": Decimal(1000)})
            return {"actual": Expr(actual), "target": Expr(target)}
        if kind == "zero_target":
            target = self.fact(ident, "target", {"min": Decimal(0), "max": Decimal(1000)})
            on_zero = self.draw(_choice("full", "zero"))
            return {"actual": Expr(actual), "target": Expr(target), "on_zero_target": on_zero}
        low = Decimal(0) if self.zero_denominators else Decimal(1)
        target = self.fact(ident, "target", {"min": low, "max": Decimal(1000)})
        rate = f"{ident}_rate" if not self.chinese else f"完成率{ident[1:]}"
        self.derived[rate] = {
            "expr": Expr(f"{actual} / {target}"),
            "unit": "%",
            "on_zero_division": Decimal(0),
        }
        return {"actual": Expr(rate), "target": Expr("1")}

    def reverse_ratio(self, ident: str, weight: Decimal) -> Data:
        actual = self.fact(ident, "actual", {"min": Decimal(0), "max": Decimal(1000)})
        if self.draw(BOOLEANS):
            return {"actual": Expr(actual), "target": Expr(str(self.draw(_integers(0, 500))))}
        target = self.fact(ident, "target", {"min": Decimal(0), "max": Decimal(1000)})
        return {"actual": Expr(actual), "target": Expr(target)}

    def bands(self, ident: str, weight: Decimal) -> Data:
        value = self.fact(ident, "value", {"min": Decimal(0), "max": Decimal(100)})
        steps = self.draw(_BAND_STEPS)
        bands = [
            {"at_least": Decimal(step), "score": self.draw(decimals(Decimal(0), weight))}
            for step in sorted(steps, reverse=True)
        ]
        found: Data = {"value": Expr(value), "bands": bands}
        if self.draw(BOOLEANS):
            found["otherwise"] = self.draw(decimals(Decimal(0), weight))
        return found

    def boolean(self, ident: str, weight: Decimal) -> Data:
        flag = self.fact(ident, "flag", {"type": "boolean"})
        found: Data = {"value": Expr(flag)}
        if self.draw(BOOLEANS):
            found["false_score"] = self.draw(decimals(Decimal(0), weight))
        return found

    def deduct(self, ident: str, weight: Decimal) -> Data:
        count = self.fact(
            ident, "count", {"type": "integer", "min": Decimal(0), "max": Decimal(20)}
        )
        points = Decimal(self.draw(_integers(1, 40))) / 4
        return {"count": Expr(count), "points": points}

    def formula(self, ident: str, weight: Decimal) -> Data:
        top = format(weight, "f")
        x = self.fact(ident, "x", {"min": Decimal(0), "max": weight * 2})
        shape = self.draw(_integers(0, 3))
        if shape == 0:
            return {"expr": Expr(f"min({x}, {top})")}
        if shape == 1:
            return {"expr": Expr(f"min({x} * 2, {top})")}
        if shape == 2:
            return {"expr": Expr(f"clamp({x}, 0, {top})")}
        y = self.fact(ident, "y", {"min": Decimal(0), "max": weight})
        return {"expr": Expr(f"min({x} + {y} / 2, {top})")}


@st.composite
def rulesets(draw: Draw, zero_denominators: bool = False, with_method: str | None = None) -> Data:
    """A valid ruleset as plain data: a tree of depth 1–3 under a total of 100.

    Leaves use ratio, reverse_ratio, bands, boolean, deduct or formula (kept inside its weight),
    each reading facts of its own with declared bounds. Some ratios read a derived rate
    ``actual / target`` with ``on_zero_division: 0``, whose target may be 0 only with
    ``zero_denominators``. With ``with_method``, the first leaf uses that method.
    """
    grain = draw(_choice(*sorted(GRAINS)))
    places = draw(_integers(GRAINS[grain], 4))
    builder = _Builder(draw, grain, draw(BOOLEANS), zero_denominators, with_method)
    size = draw(_integers(1, 4))
    top = [builder.node(weight, 1) for weight in draw(weights(size, TOTAL, grain))]
    grades = draw(_GRADES)
    data: Data = {
        "id": "gen.ruleset",
        "version": "1",
        "title": "生成的规则集",
        "kind": draw(_choice("project", "department")),
        "grades": grades,
        "rounding": {"places": places, "mode": draw(_choice(*MODES))},
        "not_applicable": "rescale",
        "facts": builder.facts,
        "derived": builder.derived,
        "indicators": top,
    }
    if not builder.derived:
        del data["derived"]
    return data


def leaves(data: Data) -> Iterator[tuple[list[Data], Data]]:
    """Every leaf of ruleset data with its ancestors, top first."""

    def visit(node: Data, above: list[Data]) -> Iterator[tuple[list[Data], Data]]:
        if "children" in node:
            for child in node["children"]:
                yield from visit(child, [*above, node])
        else:
            yield above, node

    for node in data["indicators"]:
        yield from visit(node, [])


def actual_fact(ruleset: Ruleset, node: Indicator) -> str | None:
    """The fact a ratio's actual rises with: the actual itself, or the numerator of its rate."""
    assert node.actual is not None
    tree = node.actual.tree
    if not isinstance(tree, ast.Name):
        return None
    if tree.id in ruleset.facts:
        return tree.id
    derived = ruleset.derived.get(tree.id)
    if derived is None:
        return None
    expr = derived.expr.tree
    if (
        isinstance(expr, ast.BinOp)
        and isinstance(expr.op, ast.Div)
        and isinstance(expr.left, ast.Name)
        and expr.left.id in ruleset.facts
    ):
        return expr.left.id
    return None


# --- facts ------------------------------------------------------------------------------------


def fact_values(spec: FactSpec) -> st.SearchStrategy[Any]:
    """A value a fact of this declaration accepts: within its bounds, up to 4 decimal places."""
    return _fact_values(spec.type, spec.min, spec.max)


@functools.cache
def _fact_values(kind: str, low: Decimal | None, high: Decimal | None) -> st.SearchStrategy[Any]:
    if kind == "boolean":
        return BOOLEANS
    assert kind != "tier", "tier facts are not generated"
    low = low if low is not None else (high or Decimal(0)) - 1000
    high = high if high is not None else low + 1000
    if kind == "integer":
        return _integers(int(low.to_integral_value(ROUND_CEILING)), int(high)).map(Decimal)
    return decimals(low, high)


@st.composite
def not_applicable_paths(draw: Draw, ruleset: Ruleset) -> list[str]:
    """One or more indicator paths to declare 不适用, always leaving a leaf to score.

    Empty only when the ruleset has a single leaf and nothing else.
    """
    walked = ruleset.walk()
    kept = draw(st.sampled_from([path for path, _, node in walked if node.is_leaf]))
    candidates = [
        path for path, _, _ in walked if not (kept == path or kept.startswith(f"{path}."))
    ]
    if not candidates:
        return []
    found: list[str] = draw(st.lists(st.sampled_from(candidates), min_size=1, unique=True))
    return found


@st.composite
def facts_for(draw: Draw, ruleset: Ruleset, not_applicable: bool = False) -> Data:
    """Facts data for a ruleset: a value for every declared fact, within its bounds.

    With ``not_applicable``, also one or more indicators declared 不适用 (when the ruleset has
    more than one leaf).
    """
    data: Data = {}
    if draw(BOOLEANS):
        data["subject"] = {"unit": "某某局", "year": 2022}
    data["facts"] = {name: draw(fact_values(spec)) for name, spec in ruleset.facts.items()}
    if not_applicable:
        paths = draw(not_applicable_paths(ruleset))
        if paths:
            data["not_applicable"] = paths
    return data


# --- models ---------------------------------------------------------------------------------


def ruleset_of(data: Data) -> Ruleset:
    """The ruleset validated and checked as ``parse_ruleset`` does, without the YAML round trip.

    Parsing YAML is most of the cost of an example; the tests that are about text go through
    ``parse_ruleset``, and one property checks that both ways score alike.
    """
    ruleset = Ruleset.model_validate(data)
    problems = ruleset_problems(ruleset)
    assert not problems, problems
    return ruleset


def ruleset_problems(ruleset: Ruleset) -> list[str]:
    """The errors ``parse_ruleset`` would refuse this ruleset for."""
    return [p.message for p in check_ruleset(ruleset) if p.severity == "error"]


def facts_of(data: Data) -> Facts:
    """Facts from data that :func:`facts_for` drew (already typed and within bounds)."""
    return Facts.model_validate(data)


class Case(NamedTuple):
    """A ruleset, as data and validated, with facts data drawn for it."""

    data: Data
    ruleset: Ruleset
    facts_data: Data

    @property
    def facts(self) -> Facts:
        return facts_of(self.facts_data)


@st.composite
def cases(
    draw: Draw,
    not_applicable: bool | None = None,
    zero_denominators: bool = False,
    with_method: str | None = None,
) -> Case:
    """A ruleset and facts for it; ``not_applicable`` None draws whether to declare 不适用."""
    data = draw(rulesets(zero_denominators, with_method))
    ruleset = ruleset_of(data)
    if not_applicable is None:
        not_applicable = draw(BOOLEANS)
    return Case(data, ruleset, draw(facts_for(ruleset, not_applicable)))


# --- YAML text --------------------------------------------------------------------------------

_PLAIN = re.compile(r"[A-Za-z_\u4e00-\u9fff]\w*")
_YAML_WORDS = frozenset({"true", "false", "yes", "no", "on", "off", "null", "y", "n"})
_TOKEN = re.compile(r"\d+(?:\.\d+)?|\w+|\*\*|//|[<>=!]=|\S")
_COMMENTS = ("# 注释", "# note: 10 vs 10.0, {not: flow}", "#")


class _Writer:
    """YAML text for plain data; with a ``draw``, in randomly chosen (equivalent) formatting."""

    def __init__(self, draw: Draw | None):
        self.draw = draw

    def choose(self, strategy: st.SearchStrategy[T], default: T) -> T:
        if self.draw is None:
            return default
        chosen: T = self.draw(strategy)
        return chosen

    def document(self, data: Data) -> str:
        if self.choose(BOOLEANS, False):
            return f"{self.flow(data)}{self.comment()}\n"
        header = self.choose(_choice("", "# yaml-language-server: $schema=x.json\n"), "")
        return header + "\n".join(self.block(data, 0)) + "\n"

    def comment(self) -> str:
        found: str = self.choose(_choice("", *_COMMENTS), "")
        return f"  {found}" if found else ""

    def block(self, value: Any, indent: int) -> list[str]:
        pad = " " * indent
        lines: list[str] = []
        if isinstance(value, dict):
            for index, (key, item) in enumerate(value.items()):
                if index and self.choose(BOOLEANS, False):
                    lines.append(f"{pad}{self.choose(_choice(*_COMMENTS), '#')}")
                text = self.scalar(key)
                if isinstance(item, dict | list) and item and not self.choose(BOOLEANS, False):
                    lines += [f"{pad}{text}:{self.comment()}", *self.block(item, indent + 2)]
                else:
                    lines.append(f"{pad}{text}: {self.flow(item)}{self.comment()}")
            return lines
        assert isinstance(value, list)
        for item in value:
            if isinstance(item, dict) and item and not self.choose(BOOLEANS, False):
                inner = self.block(item, indent + 2)
                lines += [f"{pad}- {inner[0][indent + 2 :]}", *inner[1:]]
            else:
                lines.append(f"{pad}- {self.flow(item)}{self.comment()}")
        return lines

    def flow(self, value: Any) -> str:
        if isinstance(value, dict):
            items = (f"{self.scalar(key)}: {self.flow(item)}" for key, item in value.items())
            return "{" + ", ".join(items) + "}"
        if isinstance(value, list):
            return "[" + ", ".join(self.flow(item) for item in value) + "]"
        return self.scalar(value)

    def scalar(self, value: Any) -> str:
        if isinstance(value, bool):
            return "true" if value else "false"
        if value is None:
            return "null"
        if isinstance(value, int):
            return str(value)
        if isinstance(value, Decimal):
            return self.number(value)
        if isinstance(value, Expr):
            text = self.respace(value)
            plain = re.fullmatch(r"\w+", text) and text.lower() not in _YAML_WORDS
            if plain and not self.choose(BOOLEANS, False):
                return text
            return json.dumps(text, ensure_ascii=False)
        assert isinstance(value, str)
        plain = _PLAIN.fullmatch(value) and value.lower() not in _YAML_WORDS
        if plain and not self.choose(BOOLEANS, False):
            return value
        return json.dumps(value, ensure_ascii=False)

    def number(self, value: Decimal) -> str:
        text = format(value, "f")
        if "." in text:
            return text + self.choose(_choice("", "0", "00"), "")
        return text + self.choose(_choice("", ".0", ".00"), "")

    def respace(self, formula: str) -> str:
        tokens: list[str] = _TOKEN.findall(formula)
        if self.draw is None or not tokens:
            return formula
        text = tokens[0]
        for before, token in itertools.pairwise(tokens):
            words = re.fullmatch(r"[\w.]+", before) and re.fullmatch(r"[\w.]+", token)
            text += self.choose(_choice(" ", "  ") if words else _choice("", " ", "  "), " ")
            text += token
        return text


def to_yaml(data: Data) -> str:
    """YAML text for plain data: block style, keys in the given order, no comments."""
    return _Writer(None).document(data)


@st.composite
def yaml_texts(draw: Draw, data: Data) -> str:
    """YAML text for plain data in a random formatting: flow or block mappings, comments,
    quoting, ``10`` or ``10.0``, spacing inside formulas. Keys keep their order.
    """
    return _Writer(draw).document(data)


def reordered(value: Any) -> st.SearchStrategy[Any]:
    """The same data with every mapping's keys in a random order (lists keep theirs).

    One drawn seed shuffles them all: a draw per mapping would cost more than the test.
    """
    return _integers(0, 2**32 - 1).map(lambda seed: _shuffled(value, random.Random(seed)))


def _shuffled(value: Any, shuffler: random.Random) -> Any:
    if isinstance(value, dict):
        keys = list(value)
        shuffler.shuffle(keys)
        return {key: _shuffled(value[key], shuffler) for key in keys}
    if isinstance(value, list):
        return [_shuffled(item, shuffler) for item in value]
    return value
