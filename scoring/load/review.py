"""Read review rulesets (``kind: review``): ``parse_review_ruleset`` takes text, ``load_…`` a name.

A review ruleset lives on the same search path as the scoring rulesets and extends another review
ruleset by ``id@version`` (its rules merged by id, as indicators are); each rule's ``check`` must
be one of :data:`scoring.review.CHECKS` and its ``params`` that check's parameters.
"""

from __future__ import annotations

import errno
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from pydantic import ValidationError

from scoring.errors import Issue, RulesetError, SourceLocation, suggest
from scoring.i18n import _
from scoring.load.extends import Parents, resolve_extends
from scoring.load.issues import position, pydantic_issues
from scoring.load.registry import Registry, read_text
from scoring.load.yaml_source import parse_yaml
from scoring.model.located import LocatedDict, locate
from scoring.model.review import ReviewRuleset
from scoring.review import CHECKS

REVIEW_KIND = "review"


def is_review_data(data: object) -> bool:
    """Whether parsed YAML is a review ruleset: it says ``kind: review``."""
    return isinstance(data, dict) and data.get("kind") == REVIEW_KIND


@dataclass(frozen=True)
class LoadedReview:
    """A review ruleset as read: the rules, the merged data with positions, the files read."""

    ruleset: ReviewRuleset
    source: LocatedDict
    files: tuple[str, ...]


def parse_review_ruleset(text: str, filename: str, parents: Parents | None = None) -> LoadedReview:
    """Parse a review ruleset, merge its ``extends`` chain, and check every rule's parameters.

    Raises:
        RulesetError: with every problem found, each with file, line and column; also when the
            file is a scoring ruleset, not a review one.
    """
    data = parse_yaml(text, filename)
    start = SourceLocation(filename, 1, 1)
    if not isinstance(data, LocatedDict):
        message = _("a review ruleset is a mapping of keys (id, version, kind: review, rules)")
        raise RulesetError([Issue(message, start)], filename)
    if not is_review_data(data):
        message = _(
            "not a review ruleset: scoring review needs kind: review (found kind: {kind}); "
            "a scoring ruleset scores a self-evaluation with scoring score"
        ).format(kind=data.get("kind"))
        raise RulesetError([Issue(message, locate(data, ("kind",)) or start, field="kind")])
    merged, files = resolve_extends(data, filename, parents)  # the child's kind: review stands
    try:
        ruleset = ReviewRuleset.model_validate(merged)
    except ValidationError as exc:
        issues = pydantic_issues(exc, merged, ReviewRuleset, filename, {filename: text})
        raise RulesetError(sorted(issues, key=position), filename) from exc
    issues = _rule_issues(ruleset, merged, filename)
    if issues:
        raise RulesetError(sorted(issues, key=position), filename)
    return LoadedReview(ruleset, merged, files)


def _rule_issues(ruleset: ReviewRuleset, data: LocatedDict, filename: str) -> list[Issue]:
    """Each rule's check known, its parameters that check's, and no rule id twice."""
    issues: list[Issue] = []
    start = SourceLocation(filename, 1, 1)
    seen: set[str] = set()
    for index, rule in enumerate(ruleset.rules):
        if rule.id in seen:
            message = _("duplicate rule id {id!r}").format(id=rule.id)
            where = locate(data, ("rules", index, "id")) or start
            issues.append(Issue(message, where, rule.id, "id"))
        seen.add(rule.id)
        spec = CHECKS.get(rule.check)
        if spec is None:
            hint = suggest(rule.check, CHECKS)
            message = _("unknown check {check!r}{hint}; the checks are: {known}").format(
                check=rule.check, hint=hint, known=", ".join(CHECKS)
            )
            where = locate(data, ("rules", index, "check")) or start
            issues.append(Issue(message, where, rule.id, "check"))
            continue
        params = locate(data, ("rules", index, "params"))
        raw = data["rules"][index].get("params", LocatedDict())
        try:
            spec.params.model_validate(raw)
        except ValidationError as exc:
            for issue in pydantic_issues(exc, raw, spec.params, filename, {}):
                field = f"params.{issue.field}" if issue.field else "params"
                issues.append(Issue(issue.message, issue.location or params, rule.id, field))
    return issues


def load_review_ruleset(name: str | Path, search_path: Iterable[Path] = ()) -> LoadedReview:
    """Load a review ruleset from a file, or by ``id@version`` (or bare id) from the search path.

    Raises:
        SearchPathError: when it (or a parent) is not on the search path.
        RulesetError: when it is invalid, or a scoring ruleset.
        OSError: when the file cannot be read.
    """
    registry = Registry(search_path)
    path = Path(name)
    if not path.is_file():
        if path.suffix in (".yaml", ".yml") or len(path.parts) > 1:
            raise FileNotFoundError(errno.ENOENT, _("no such file"), str(name))
        path = registry.find(str(name)).path
    return parse_review_ruleset(read_text(path), str(path), registry.parent)
