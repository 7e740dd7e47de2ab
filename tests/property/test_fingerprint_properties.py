"""Properties of the ruleset fingerprint: blind to formatting, sensitive to every scoring rule."""

from __future__ import annotations

import copy
import re
from decimal import Decimal

from hypothesis import assume, given
from hypothesis import strategies as st

from scoring.model.fingerprint import ruleset_fingerprint
from scoring.model.ruleset import Ruleset
from tests.conftest import ruleset_from
from tests.strategies import (
    Data,
    Expr,
    at_most,
    decimals,
    leaves,
    reordered,
    ruleset_of,
    ruleset_problems,
    rulesets,
    to_yaml,
    yaml_texts,
)


def fingerprint(data: Data) -> str:
    return ruleset_fingerprint(ruleset_of(data))


def edited(data: Data) -> Data:
    return copy.deepcopy(data)


# --- what it ignores --------------------------------------------------------------------------


@at_most(40)
@given(st.data())
def test_fingerprint_ignores_yaml_formatting_and_comments(data):
    """Flow or block style, comments, quoting, ``10`` or ``10.0``, spacing inside formulas."""
    ruleset = data.draw(rulesets())
    plain = ruleset_from(to_yaml(ruleset))
    formatted = ruleset_from(data.draw(yaml_texts(ruleset)))
    assert ruleset_fingerprint(formatted) == ruleset_fingerprint(plain)


@at_most(100)
@given(st.data())
def test_fingerprint_ignores_the_order_of_keys(data):
    ruleset = data.draw(rulesets())
    assert fingerprint(data.draw(reordered(ruleset))) == fingerprint(ruleset)


_NUMBER = re.compile(r"(?<![\w.])(\d+(?:\.\d+)?)(?![\w.])")


@at_most(50)
@given(st.data())
def test_fingerprint_ignores_how_a_number_inside_a_formula_is_written(data):
    """``min(x, 10)`` and ``min(x, 10.0)``, ``target: 100`` and ``target: 100.0``, are one rule."""
    ruleset = data.draw(rulesets())
    changed = edited(ruleset)

    def padded(match: re.Match[str]) -> str:
        number = match.group(1)
        return number + ("0" if "." in number else ".0")

    found = False
    for _, leaf in leaves(changed):
        for field in ("actual", "target", "value", "count", "expr"):
            if field in leaf and _NUMBER.search(leaf[field]):
                leaf[field] = Expr(_NUMBER.sub(padded, leaf[field]))
                found = True
    assume(found)
    assert fingerprint(changed) == fingerprint(ruleset)


# --- what it does not ignore ------------------------------------------------------------------


@at_most(100)
@given(st.data())
def test_fingerprint_changes_when_a_weight_changes(data):
    """One grain of weight moves from one leaf to another, so every sum still adds up."""
    ruleset = data.draw(rulesets())
    changed = edited(ruleset)
    found = list(leaves(changed))
    assume(len(found) >= 2)
    (above_from, giver), (above_to, taker) = data.draw(
        st.lists(st.sampled_from(found), min_size=2, max_size=2, unique_by=lambda f: f[1]["id"])
    )
    grain = Decimal(1).scaleb(-ruleset["rounding"]["places"])
    assume(giver["weight"] > grain)
    for node in [*above_from, giver]:
        node["weight"] -= grain
    for node in [*above_to, taker]:
        node["weight"] += grain
    model = Ruleset.model_validate(changed)
    assume(not ruleset_problems(model))  # a band or false_score above the smaller weight
    assert ruleset_fingerprint(model) != fingerprint(ruleset)


@at_most(100)
@given(st.data())
def test_fingerprint_changes_when_a_band_changes(data):
    ruleset = data.draw(rulesets(with_method="bands"))
    changed = edited(ruleset)
    found = [leaf for _, leaf in leaves(changed) if leaf["method"] == "bands"]
    assume(found)
    leaf = data.draw(st.sampled_from(found))
    band = data.draw(st.sampled_from(leaf["bands"]))
    if data.draw(st.booleans()):
        new = data.draw(decimals(Decimal(0), leaf["weight"]))
        assume(new != band["score"])
        band["score"] = new
    else:
        band = leaf["bands"][-1]  # the lowest may move down without passing another
        band["at_least"] -= data.draw(st.integers(1, 10))
    assert fingerprint(changed) != fingerprint(ruleset)


@at_most(100)
@given(st.data())
def test_fingerprint_changes_when_a_target_changes(data):
    method = data.draw(st.sampled_from(["ratio", "reverse_ratio"]))
    ruleset = data.draw(rulesets(with_method=method))
    changed = edited(ruleset)
    found = [leaf for _, leaf in leaves(changed) if "target" in leaf]
    assume(found)
    leaf = data.draw(st.sampled_from(found))
    leaf["target"] = Expr(f"{leaf['target']} + {data.draw(st.integers(1, 5))}")
    assert fingerprint(changed) != fingerprint(ruleset)


@at_most(100)
@given(st.data())
def test_fingerprint_changes_when_a_grade_bound_changes(data):
    ruleset = data.draw(rulesets())
    changed = edited(ruleset)
    grades = changed["grades"]
    movable = [label for label, bound in grades.items() if bound != 0]
    assume(movable)
    label = data.draw(st.sampled_from(movable))
    taken = set(grades.values())
    grades[label] = Decimal(data.draw(st.integers(1, 100).filter(lambda b: b not in taken)))
    assert fingerprint(changed) != fingerprint(ruleset)
