"""ruleset_text.may_declare: a file ruled out cannot declare the id; a parent's children are."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from scoring.load.ruleset_text import may_declare
from scoring.load.yaml_source import parse_yaml

CHILD = 'id: t.child\nversion: "1"\nextends: t.parent@1\ntitle: 子\n'


@pytest.mark.parametrize(
    ("text", "declares"),
    [
        ("id: t.parent\nversion: '1'\n", True),
        ('id: "t.parent"\n', True),
        ("{id: t.parent, version: '1'}\n", True),
        ("---\nid:   t.parent   # the parent\n", True),
        (CHILD, False),  # names t.parent only as its parent
        ('extends: "t.parent"\nid: t.child\n', False),
        ("id: t.parent-extra\n", False),  # another id that starts alike
        ("id: t.parent.sub\n", False),
        ("id: x.t.parent\n", False),
        ("id: t.child\ndescription: 见 t.parent 的说明\n", True),  # mentioned: parsed to be sure
        ('id: "t.p\\x61rent"\n', True),  # an escape may spell it
        ("extends: &p t.parent\nid: *p\n", True),  # given from the extends line by an anchor
        ("extends: &p t.other\nid: t.child\n", False),
        ("  extends: t.parent\n", True),  # not a top-level extends line: not ruled out
        ("# the rules of t.parent, with our targets\nid: t.child\nextends: t.parent@1\n", False),
        ("id: t.child  # after t.parent\n", True),  # a comment after a value: not ruled out
        ("description: |\n  # t.parent\nid: t.child\n", False),
        ("extends: t.parent  # R&D\nid: t.child\n", True),  # an & on the line: kept
    ],
)
def test_a_file_is_ruled_out_only_when_it_cannot_declare_the_id(text, declares):
    assert may_declare(text, "t.parent") is declares


IDS = st.from_regex(r"[a-z][a-z0-9_-]{0,3}(\.[a-z][a-z0-9_-]{0,3}){0,2}", fullmatch=True).filter(
    lambda found: found not in {"yes", "no", "on", "off", "true", "false", "null", "y", "n"}
)  # plain YAML reads those as true, false or null


@given(IDS, IDS, st.sampled_from(["plain", "double", "single"]), st.booleans(), st.booleans())
def test_the_id_a_file_declares_is_found_and_its_parent_alone_rules_it_out(
    declared, parent, quoting, parent_first, commented
):
    quote = {"plain": "", "double": '"', "single": "'"}[quoting]
    lines = [f"extends: {quote}{parent}@1{quote}", f"id: {quote}{declared}{quote}"]
    lines = lines if parent_first else lines[::-1]
    comment = f"# {parent}, {declared}" if commented else "title: 子"
    text = "\n".join([comment, *lines, ""])
    data = parse_yaml(text, "t.yaml")
    assert data["id"] == declared
    assert may_declare(text, declared)
    if parent != declared:  # named only on its extends line: a parent is not looked for here
        assert not may_declare(text, parent)
