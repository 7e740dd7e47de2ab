"""``extends``: a ruleset over its parent, facts and derived values by name, indicators by id.

A ruleset names its parent by ``id@version`` only, never by a file, and the parent is looked up on
the search path (:meth:`scoring.load.registry.Registry.parent`), so a ruleset cannot make the
engine read an arbitrary file.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from scoring.errors import Issue, RulesetError, suggest
from scoring.i18n import _
from scoring.model.located import LocatedDict, LocatedList, locate

MAX_EXTENDS_DEPTH = 8
MERGED_BY_ID = ("indicators", "rules")
"""The lists a child merges into its parent's by id: a scoring ruleset's indicators, a review
ruleset's rules."""

Parents = Callable[[str], tuple[LocatedDict, str]]
"""Looks up a parent ruleset by ``id@version``: its data and the file it came from."""


def resolve_extends(
    data: LocatedDict, filename: str, parents: Parents | None
) -> tuple[LocatedDict, tuple[str, ...]]:
    """Merge ``data`` into its chain of parents; returns the merged data and the files read.

    Raises:
        RulesetError: for a missing parent, an ``extends`` loop, or a bad overlay.
    """
    chain = [(data, filename)]
    seen = [f"{data.get('id')}@{data.get('version')}"]
    current = data
    while isinstance(current.get("extends"), str):
        ref = current["extends"]
        where = locate(current, ("extends",))
        if parents is None:
            message = _("extends needs a ruleset search path (load the ruleset by file or id)")
            raise RulesetError([Issue(message, where, field="extends")], filename)
        if "/" in ref or "\\" in ref or ref.endswith((".yaml", ".yml")):
            message = _(
                "{ref!r} is a file path: name the parent ruleset by id@version "
                "(like mof.project-self-eval@2020.1), never by a file"
            ).format(ref=ref)
            raise RulesetError([Issue(message, where, field="extends")], filename)
        if len(chain) > MAX_EXTENDS_DEPTH:
            message = _("more than {limit} levels of extends").format(limit=MAX_EXTENDS_DEPTH)
            raise RulesetError([Issue(message, where, field="extends")], filename)
        try:
            parent, parent_file = parents(ref)
        except RulesetError as exc:
            lifted = [  # the parent's own problems keep their place in the parent's file
                Issue(issue.message, where, field="extends")
                if issue.location is None
                else Issue(issue.message, issue.location, issue.path, issue.field)
                for issue in exc.issues
            ]
            raise type(exc)(lifted, filename) from exc
        parent_ref = f"{parent.get('id')}@{parent.get('version')}"
        if parent_ref in seen:
            message = _("extends loop: {chain}").format(chain=" → ".join([*seen, parent_ref]))
            raise RulesetError([Issue(message, where, field="extends")], filename)
        seen.append(parent_ref)
        chain.append((parent, parent_file))
        current = parent
    merged = chain[-1][0]
    issues: list[Issue] = []
    for overlay, _file in reversed(chain[:-1]):
        merged = merge(merged, overlay, issues)
    if issues:
        raise RulesetError(issues, filename)
    if "tests" not in data and "tests" in merged:
        del merged["tests"]  # a parent's worked examples are for the parent's rules
    return merged, tuple(name for _, name in chain)


def _set(target: LocatedDict, source: LocatedDict, key: str, value: Any) -> None:
    target[key] = value
    if key in source.key_locations:
        target.key_locations[key] = source.key_locations[key]
        target.value_locations[key] = source.value_locations[key]


def merge(parent: LocatedDict, child: LocatedDict, issues: list[Issue]) -> LocatedDict:
    """``child`` laid over ``parent``: facts and derived values by name, indicators by id.

    Top-level fields of the child replace the parent's. Within ``indicators`` (and a review
    ruleset's ``rules``) a node with the same
    id path overrides the fields it gives, a new id adds a node, and ``remove: true`` drops one.
    Problems with the overlay are appended to ``issues``.
    """
    result = parent.located_copy()
    result.location = child.location
    for key, value in child.items():
        if key in ("facts", "derived") and isinstance(value, dict):
            inherited = parent.get(key)
            combined = (
                inherited.located_copy() if isinstance(inherited, LocatedDict) else LocatedDict()
            )
            if isinstance(value, LocatedDict):
                combined.location = value.location
                for name, spec in value.items():
                    _set(combined, value, name, spec)
            _set(result, child, key, combined)
        elif key in MERGED_BY_ID and isinstance(value, list) and isinstance(parent.get(key), list):
            _set(result, child, key, _merge_nodes(parent[key], value, "", issues))
        else:
            _set(result, child, key, value)
    return result


def _merge_nodes(
    base: list[Any], overlay: list[Any], prefix: str, issues: list[Issue]
) -> LocatedList:
    merged = LocatedList(base)
    merged.location = getattr(overlay, "location", None) or getattr(base, "location", None)
    merged.item_locations = list(getattr(base, "item_locations", [None] * len(base)))
    ids = [node.get("id") if isinstance(node, dict) else None for node in merged]
    for index, node in enumerate(overlay):
        where = overlay.item_locations[index] if isinstance(overlay, LocatedList) else None
        if not isinstance(node, LocatedDict) or not isinstance(node.get("id"), str):
            message = _("an indicator in an extending ruleset needs an id")
            issues.append(Issue(message, where))
            continue
        path = f"{prefix}.{node['id']}" if prefix else node["id"]
        remove = node.get("remove", False)
        if node["id"] not in ids:
            if remove is True:
                hint = suggest(node["id"], [i for i in ids if isinstance(i, str)])
                message = _("nothing to remove: the parent has no indicator {path!r}{hint}")
                message = message.format(path=path, hint=hint)
                issues.append(Issue(message, where, path, "remove"))
                continue
            merged.append(node)
            merged.item_locations.append(where)  # type: ignore[arg-type]
            ids.append(node["id"])
            continue
        position = ids.index(node["id"])
        if remove is True:
            del merged[position], merged.item_locations[position], ids[position]
            continue
        combined = merged[position].located_copy()
        for key, value in node.items():
            if key == "remove":
                if value is not False:
                    message = _("must be true or false, found {found!r}").format(found=value)
                    issues.append(Issue(message, where, path, key))
                continue
            inherited = combined.get("children")
            if key == "children" and isinstance(value, list) and isinstance(inherited, list):
                _set(combined, node, key, _merge_nodes(inherited, value, path, issues))
            else:
                _set(combined, node, key, value)
        if "method" in node and "children" not in node and combined.get("children") == []:
            del combined["children"]  # a leaf filling an empty slot of the template
        merged[position] = combined
    return merged
