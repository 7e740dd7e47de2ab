"""Read rulesets: ``parse_ruleset`` takes text, ``load_ruleset`` a path or an ``id@version``.

Every problem is collected and raised at once as a RulesetError whose issues name the file, line
and column, and the indicator path.
"""

from __future__ import annotations

import errno
from collections.abc import Iterable
from pathlib import Path

from pydantic import ValidationError

from scoring.engine.checks import check_ruleset
from scoring.errors import FactsError, Issue, RulesetError, SearchPathError, SourceLocation
from scoring.i18n import _
from scoring.load import in_force
from scoring.load.extends import Parents, resolve_extends
from scoring.load.facts import FactsInput, read_facts_input
from scoring.load.issues import issues_behind, position, problem_issue, pydantic_issues
from scoring.load.registry import Registry, read_text, shown_file
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
    data = parse_yaml(text, filename)
    if not isinstance(data, LocatedDict):
        message = _("a ruleset is a mapping of keys (id, version, indicators, …)")
        raise RulesetError([Issue(message, SourceLocation(filename, 1, 1))], filename)
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


def _parse_file(path: Path, registry: Registry) -> Ruleset:
    return parse_ruleset(read_text(path), str(path), registry.parent)


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
