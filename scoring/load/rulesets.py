"""Read rulesets: ``parse_ruleset`` takes text, ``load_ruleset`` a path or an ``id@version``.

Every problem is collected and raised at once as a RulesetError whose issues name the file, line
and column, and the indicator path.
"""

from __future__ import annotations

import errno
import threading
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from scoring.engine.checks import check_ruleset
from scoring.errors import (
    FactsError,
    Issue,
    RulesetError,
    ScoringError,
    SearchPathError,
    SourceLocation,
)
from scoring.i18n import _, language
from scoring.load import in_force
from scoring.load.extends import Parents, resolve_extends
from scoring.load.facts import FactsInput, read_facts_input
from scoring.load.issues import issues_behind, position, problem_issue, pydantic_issues
from scoring.load.registry import Registry, read_ruleset_file, shown_file
from scoring.load.yaml_source import parse_yaml
from scoring.model.located import LocatedDict, locate
from scoring.model.ruleset import Origin, Ruleset


def parse_ruleset(text: str, filename: str, parents: Parents | None = None) -> Ruleset:
    """Parse, merge with its ``extends`` chain, validate and check a ruleset.

    Args:
        text: the YAML text.
        filename: the name to report in locations.
        parents: looks up ``extends`` targets (``Registry(...).parent``); None forbids ``extends``.

    Raises:
        RulesetError: with every problem found, each with file, line and column.
    """
    return _checked(text, parse_yaml(text, filename), filename, parents)


def _checked(text: str, data: Any, filename: str, parents: Parents | None) -> Ruleset:
    """The ruleset ``data`` (parsed from ``text``) gives: merged, validated and checked."""
    if not isinstance(data, LocatedDict):
        message = _("a ruleset is a mapping of keys (id, version, indicators, …)")
        raise RulesetError([Issue(message, SourceLocation(filename, 1, 1))], filename)
    if data.get("kind") == "review":  # a review ruleset checks target tables; it scores nothing
        message = _(
            "{ref} is a review ruleset (kind: review): it checks target tables with "
            "scoring review, and scores nothing"
        ).format(ref=f"{data.get('id')}@{data.get('version')}")
        where = locate(data, ("kind",)) or SourceLocation(filename, 1, 1)
        raise RulesetError([Issue(message, where, field="kind")], filename)
    merged, files = resolve_extends(data, filename, parents)
    try:
        ruleset = Ruleset.model_validate(merged)
    except ValidationError as exc:
        issues = pydantic_issues(exc, merged, Ruleset, filename, {filename: text})
        issues += issues_behind(exc, merged, filename, issues)
        raise RulesetError(sorted(issues, key=position), filename) from exc
    problems = check_ruleset(ruleset)
    errors = [p for p in problems if p.severity == "error"]
    if errors:
        issues = sorted((problem_issue(p, merged, filename) for p in errors), key=position)
        raise RulesetError(issues, filename)
    warnings = sorted((problem_issue(p, merged, filename) for p in problems), key=position)
    shown = tuple(shown_file(name) for name in files)
    return ruleset.read_from(Origin(merged, files, shown, tuple(warnings)))


def load_ruleset(
    name: str | Path, search_path: Iterable[Path] = (), *, allow_shadow: bool = False
) -> Ruleset:
    """Load a ruleset from a file, or by ``id@version`` (or bare ``id``) from the search path.

    A file named directly is read as it is; its ``extends`` and an ``id@version`` are looked up
    on the search path, where ``allow_shadow`` lets a directory's file replace a shipped one.

    Raises:
        SearchPathError: when it (or a parent) is not on the search path, or two different files
            give its ``id@version``.
        RulesetError: when it is invalid.
        OSError: when the file cannot be read.
    """
    registry = Registry(search_path, allow_shadow=allow_shadow)
    path = Path(name)
    if not path.is_file():
        if path.suffix in (".yaml", ".yml") or len(path.parts) > 1:
            raise FileNotFoundError(errno.ENOENT, _("no such file"), str(name))
        path = registry.find(str(name)).path
    return _parse_file(path, registry)


_Kept = tuple[Any, tuple[tuple[str, Any], ...], Ruleset]
_LOADED: dict[tuple[str, tuple[Path, ...], bool, str], _Kept] = {}
"""Each ruleset loaded from a file, with the data it and each parent (by ``id@version``) gave."""
MAX_RULESETS_KEPT = 32
_KEEPING = threading.Lock()


def _parse_file(path: Path, registry: Registry) -> Ruleset:
    """The ruleset in ``path``, checked once while it, its parents and the language are the same.

    :func:`read_ruleset_file` gives the same data while a file is unchanged, so a ruleset is
    reused when its file and each parent the search path now gives are the very data it was
    made of (``scoring serve`` loads rulesets for every page); anything else loads it afresh.
    """
    text, data = read_ruleset_file(path)
    key = (str(path), registry.directories, registry.allow_shadow, language())
    with _KEEPING:  # scoring serve loads from many threads
        kept = _LOADED.pop(key, None)
    if kept is not None and kept[0] is data and _same_parents(kept[1], registry):
        with _KEEPING:
            _LOADED[key] = kept  # now the most recently used
        return kept[2]
    parents: list[tuple[str, Any]] = []

    def parent(ref: str) -> tuple[LocatedDict, str]:
        found = registry.parent(ref)
        parents.append((ref, found[0]))
        return found

    ruleset = _checked(text, data, str(path), parent)
    with _KEEPING:
        _LOADED[key] = (data, tuple(parents), ruleset)
        if len(_LOADED) > MAX_RULESETS_KEPT:
            del _LOADED[next(iter(_LOADED))]  # the longest unused
    return ruleset


def _same_parents(parents: tuple[tuple[str, Any], ...], registry: Registry) -> bool:
    """Whether the search path still gives each parent as the very data it gave before."""
    try:
        return all(registry.parent(ref)[0] is data for ref, data in parents)
    except (ScoringError, OSError):
        return False  # loaded afresh, which reports the problem


def load_named_ruleset(
    facts: str | Path | FactsInput, search_path: Iterable[Path] = (), *, allow_shadow: bool = False
) -> Ruleset:
    """The ruleset a facts input names (``ruleset:``, a workbook's 规则集), from the search path.

    Raises:
        FactsError: when the facts name no ruleset.
        SearchPathError: when the ruleset it names is not on the search path (placed at the
            facts' ``ruleset:`` line), or two different files give it.
        RulesetError: when the named ruleset is invalid.
        OSError: when the facts file cannot be read.
    """
    source = facts if isinstance(facts, FactsInput) else read_facts_input(facts)
    ref = source.ruleset_ref
    where = locate(source.data, ("ruleset",)) or SourceLocation(source.filename, 1, 1)
    if ref is None:
        if source.is_workbook:
            message = _(
                "the workbook names no ruleset: give the ruleset before it (scoring score RULESET "
                "FILE)"
            )
        else:
            message = _(
                "name the ruleset (ruleset: id@version), or give the ruleset before the facts"
            )
        raise FactsError([Issue(message, where, field="ruleset")], source.filename)
    registry = Registry(search_path, allow_shadow=allow_shadow)
    try:
        entry = in_force.choose(registry, ref, source.data, where) if "@" not in ref else None
        entry = entry or registry.find(ref)
    except SearchPathError as exc:
        issue = Issue(exc.issues[0].message, where, field="ruleset")
        raise SearchPathError([issue], source.filename) from exc
    except RulesetError as exc:
        issue = Issue(exc.issues[0].message, where, field="ruleset")
        raise FactsError([issue], source.filename) from exc
    return _parse_file(entry.path, registry)
