"""Read audit rulesets (``kind: audit``): checked alone, then against the ruleset they apply to.

``parse_audit_ruleset`` checks the shape, each rule's kind (one of :data:`scoring.audit.KINDS`)
and its parameters, and reads the approved target tables the rules name (beside the file);
``check_applies_to`` checks it against a scoring ruleset: the right one (``applies_to``), and
each indicator a leaf the rule's kind can apply to. Every problem is located.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from pydantic import ValidationError

from scoring.audit import KINDS
from scoring.errors import Issue, RulesetError, SourceLocation, TargetsError, suggest
from scoring.i18n import _
from scoring.load.issues import position, pydantic_issues
from scoring.load.registry import read_text
from scoring.load.targets import load_target_table
from scoring.load.yaml_source import parse_yaml
from scoring.model.audit import AuditRuleset
from scoring.model.located import LocatedDict, locate
from scoring.model.review import TargetTable
from scoring.model.ruleset import Ruleset

AUDIT_KIND = "audit"


def is_audit_data(data: object) -> bool:
    """Whether parsed YAML is an audit ruleset: it says ``kind: audit``."""
    return isinstance(data, dict) and data.get("kind") == AUDIT_KIND


@dataclass(frozen=True)
class LoadedAudit:
    """An audit ruleset as read: the rules, its data with positions, its file, its tables."""

    ruleset: AuditRuleset
    source: LocatedDict
    filename: str
    tables: dict[str, TargetTable]


def parse_audit_ruleset(text: str, filename: str) -> LoadedAudit:
    """Parse an audit ruleset; check each rule's kind and parameters; read its target tables.

    Raises:
        RulesetError: with every problem found, each with file, line and column.
    """
    data = parse_yaml(text, filename)
    start = SourceLocation(filename, 1, 1)
    if not isinstance(data, LocatedDict) or not is_audit_data(data):
        message = _("not an audit ruleset: an audit ruleset says kind: audit")
        where = locate(data, ("kind",)) if isinstance(data, LocatedDict) else None
        raise RulesetError([Issue(message, where or start, field="kind")], filename)
    try:
        ruleset = AuditRuleset.model_validate(data)
    except ValidationError as exc:
        found = pydantic_issues(exc, data, AuditRuleset, filename, {filename: text})
        raise RulesetError(sorted(found, key=position), filename) from exc
    issues, tables = _rules(ruleset, data, filename)
    if issues:
        raise RulesetError(sorted(issues, key=position), filename)
    return LoadedAudit(ruleset, data, filename, tables)


def _rules(
    ruleset: AuditRuleset, data: LocatedDict, filename: str
) -> tuple[list[Issue], dict[str, TargetTable]]:
    """Each rule's kind known, its parameters that kind's, no id twice; and the tables read."""
    start = SourceLocation(filename, 1, 1)
    issues: list[Issue] = []
    tables: dict[str, TargetTable] = {}
    seen: set[str] = set()
    for index, rule in enumerate(ruleset.rules):
        if rule.id in seen:
            where = locate(data, ("rules", index, "id")) or start
            issues.append(
                Issue(_("duplicate rule id {id!r}").format(id=rule.id), where, rule.id, "id")
            )
        seen.add(rule.id)
        spec = KINDS.get(rule.kind)
        if spec is None:
            message = _("unknown audit rule kind {kind!r}{hint}; the kinds are: {known}").format(
                kind=rule.kind, hint=suggest(rule.kind, KINDS), known=", ".join(KINDS)
            )
            where = locate(data, ("rules", index, "kind")) or start
            issues.append(Issue(message, where, rule.id, "kind"))
            continue
        raw = data["rules"][index].get("params", LocatedDict())
        where = locate(data, ("rules", index, "params")) or start
        try:
            params = spec.params.model_validate(raw)
        except ValidationError as exc:
            for issue in pydantic_issues(exc, raw, spec.params, filename, {}):
                field = f"params.{issue.field}" if issue.field else "params"
                issues.append(Issue(issue.message, issue.location or where, rule.id, field))
            continue
        if spec.table:
            name = str(params.model_dump()["table"])
            try:
                tables[name] = load_target_table(Path(filename).parent / name).table
            except (OSError, TargetsError) as exc:
                reason = exc.strerror if isinstance(exc, OSError) else str(exc)
                message = _("cannot read the approved target table {name}: {reason}").format(
                    name=name, reason=reason
                )
                issues.append(Issue(message, where, rule.id, "params.table"))
    return issues, tables


def check_applies_to(loaded: LoadedAudit, ruleset: Ruleset) -> None:
    """Check an audit ruleset against the scoring ruleset it is to audit.

    Raises:
        RulesetError: when it applies to another ruleset, or a rule names an indicator that is
            no leaf of it, or one its kind cannot apply to; each located in the audit ruleset.
    """
    data, rules = loaded.source, loaded.ruleset
    start = SourceLocation(loaded.filename, 1, 1)
    if rules.applies_to not in (ruleset.id, ruleset.ref):
        message = _(
            "this audit ruleset applies to {applies_to}, not to {ref} (the ruleset the facts are "
            "scored under)"
        ).format(applies_to=rules.applies_to, ref=ruleset.ref)
        where = locate(data, ("applies_to",)) or start
        raise RulesetError([Issue(message, where, field="applies_to")], loaded.filename)
    leaves = {path: node for path, _, node in ruleset.walk() if node.is_leaf}
    issues: list[Issue] = []
    for index, rule in enumerate(rules.rules):
        spec = KINDS[rule.kind]
        params = spec.params.model_validate(rule.params)
        for place, path in enumerate(rule.indicators):
            where = locate(data, ("rules", index, "indicators", place)) or start
            node = leaves.get(path)
            if node is None:
                message = _("no leaf indicator {path!r} in {ref}{hint}").format(
                    path=path, ref=ruleset.ref, hint=suggest(path, sorted(leaves))
                )
                issues.append(Issue(message, where, rule.id, "indicators"))
                continue
            problem = spec.check(params, ruleset, node)
            if problem is not None:
                message = _("{kind} cannot apply to {path!r}: {problem}").format(
                    kind=rule.kind, path=path, problem=problem
                )
                issues.append(Issue(message, where, rule.id, "indicators"))
    if issues:
        raise RulesetError(sorted(issues, key=position), loaded.filename)


def load_audit_ruleset(path: Path) -> LoadedAudit:
    """Read an audit ruleset file (``--audit``).

    Raises:
        RulesetError: when it is no audit ruleset or breaks the format's rules.
        OSError: when the file cannot be read.
    """
    return parse_audit_ruleset(read_text(path), str(path))
