"""Properties of verify: a result as written agrees, and no single edit anywhere in it agrees."""

from __future__ import annotations

import functools
import json
from decimal import Decimal
from typing import Any

from hypothesis import assume, given
from hypothesis import strategies as st

from scoring import load_facts, load_ruleset, render_json, score
from scoring.analysis.verify import Verdict, verify_result
from scoring.model.facts import AuditOverrides, Override
from tests.conftest import EXAMPLES
from tests.strategies import at_most

Path = tuple[str | int, ...]


@functools.cache
def case() -> tuple[Any, str]:
    """The worked example, scored with an auditor's override so every field has a value."""
    ruleset = load_ruleset("xinfang.wangcheng-relief@2022.1")
    facts = load_facts(EXAMPLES / "xinfang-wangcheng-2022.yaml", ruleset)
    audit = AuditOverrides(
        overrides={"execution": Override(points=Decimal(9), reason="单据不全", by="审计")}
    )
    return ruleset, render_json(score(ruleset, facts, audit))


def places(value: Any, path: Path = ()) -> list[Path]:
    """Every value's path in the JSON, mappings and lists included."""
    found = [path]
    if isinstance(value, dict):
        for key, item in value.items():
            found += places(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found += places(item, (*path, index))
    return found


def at(data: Any, path: Path) -> Any:
    for step in path:
        data = data[step]
    return data


JSON_VALUES = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-5, 200),
    st.sampled_from(["", "0", "10.00", "100.00", "优", "差", "scored", "not_applicable", "x"]),
    st.text(max_size=5),
    st.just([]),
    st.just({}),
)


def check(text: str) -> Verdict:
    ruleset, _ = case()
    return verify_result(text, "r.json", lambda ref: ruleset).verdict


def test_the_result_as_written_agrees():
    assert check(case()[1]) == Verdict.AGREES


@given(st.data())
@at_most(300)
def test_any_single_edit_anywhere_does_not_agree(data):
    original = json.loads(case()[1])
    edited = json.loads(case()[1])
    # ruleset.files says where this machine found the rules; verify leaves it out on purpose
    # (docs/format.md §9): the fingerprint pins the rules wherever they are read from
    editable = [
        path
        for path in places(edited)
        if path and path[0] != "engine" and path[:2] != ("ruleset", "files")
    ]
    path = data.draw(st.sampled_from(editable))
    parent, last = at(edited, path[:-1]), path[-1]
    action = data.draw(st.sampled_from(["replace", "delete", "add"]))
    if action == "replace":
        value = data.draw(
            JSON_VALUES.filter(lambda new: json.dumps(new) != json.dumps(at(original, path)))
        )
        parent[last] = value
    elif action == "delete":
        del parent[last]
    else:
        target = at(edited, path) if isinstance(at(edited, path), dict | list) else parent
        if isinstance(target, dict):
            target[data.draw(st.text(min_size=1, max_size=4).filter(lambda k: k not in target))] = 1
        else:
            target.append(data.draw(JSON_VALUES))
    # facts.ruleset is how the facts file named its rules, null when the command line named
    # them: a label outside the facts' fingerprint. Blanking it leaves a consistent record
    # (README, "consistency, not origin"); naming other rules, or none at all, is caught.
    assume(not (path == ("facts", "ruleset") and action == "replace" and parent[last] is None))
    assert check(json.dumps(edited, ensure_ascii=False)) != Verdict.AGREES, path


@given(st.text(max_size=200))
@at_most(300)
def test_any_text_gets_a_verdict_and_nothing_escapes(text):
    assert check(text) in set(Verdict)
