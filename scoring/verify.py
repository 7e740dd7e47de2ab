"""Re-score a submission and list every figure that does not follow from the rules and facts.

Two kinds of submission: a result our engine wrote (JSON: it carries the facts, the fingerprints
and every node's score), or a table a unit typed from its Word report (claims: 得分 per indicator
path, 总分 and 等级). Both are compared node by node with a fresh scoring. Pure: the command line
reads the files.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from scoring.errors import FactsError, Issue
from scoring.fingerprint import audit_fingerprint, facts_fingerprint, ruleset_fingerprint
from scoring.models import AuditOverrides, Facts, Override, Ruleset, TierClaim
from scoring.results import IndicatorResult, ScoreResult


@dataclass(frozen=True)
class Difference:
    """One figure whose claim differs from the recomputed one, and the rule that decides it."""

    path: str
    name: str
    claimed: str
    recomputed: str
    rule: str = ""


@dataclass
class Verification:
    """What re-scoring a submission found: problems with its provenance, and differences."""

    subject: str
    ruleset: str
    problems: list[str] = field(default_factory=list)
    differences: list[Difference] = field(default_factory=list)

    @property
    def agrees(self) -> bool:
        """Whether every figure follows from the rules and the facts, and nothing was edited."""
        return not self.problems and not self.differences


def facts_from_record(record: Mapping[str, Any], ruleset: Ruleset, source: str) -> Facts:
    """The facts embedded in a result, typed again by the ruleset's declarations.

    Raises:
        FactsError: when a value does not fit its declared type (the result was edited).
    """
    typed: dict[str, Any] = {}
    issues: list[Issue] = []
    for name, value in dict(record.get("facts") or {}).items():
        spec = ruleset.facts.get(name)
        if spec is None:
            issues.append(Issue("undeclared fact in the result", None, None, name))
            continue
        try:
            typed[name] = _typed(spec.type, value)
        except (InvalidOperation, TypeError, ValueError, KeyError):
            issues.append(Issue(f"cannot be read as a {spec.type}: {value!r}", None, None, name))
    if issues:
        raise FactsError(issues, source)
    overrides = {
        path: Override.model_validate(entry)
        for path, entry in dict(record.get("overrides") or {}).items()
    }
    return Facts(
        ruleset=record.get("ruleset"),
        subject=dict(record.get("subject") or {}),
        facts=typed,
        not_applicable=tuple(record.get("not_applicable") or ()),
        overrides=overrides,
    )


def _typed(kind: str, value: Any) -> Any:
    if kind in ("number", "integer"):
        if isinstance(value, bool) or not isinstance(value, str | int):
            raise TypeError
        return Decimal(str(value))
    if kind == "boolean":
        if not isinstance(value, bool):
            raise TypeError
        return value
    if kind == "tier":
        return TierClaim.model_validate(value) if isinstance(value, dict) else TierClaim(tier=value)
    if not isinstance(value, str):
        raise TypeError
    return value


def audit_from_record(record: Mapping[str, Any]) -> AuditOverrides | None:
    """The auditor's overrides embedded in a result, if any."""
    entries = dict(record or {})
    if not entries:
        return None
    return AuditOverrides(
        overrides={path: Override.model_validate(entry) for path, entry in entries.items()}
    )


def check_provenance(claimed: Mapping[str, Any], ruleset: Ruleset, facts: Facts) -> list[str]:
    """Fingerprint mismatches: rules or facts changed since the result was written."""
    problems = []
    recorded = claimed.get("ruleset", {}).get("fingerprint")
    current = ruleset_fingerprint(ruleset)
    if recorded != current:
        problems.append(
            f"the ruleset was changed after scoring: {ruleset.ref} has fingerprint {current}, "
            f"the result records {recorded}"
        )
    if claimed.get("facts_fingerprint") != facts_fingerprint(facts):
        problems.append(
            "the facts in the result were changed after scoring: their fingerprint no longer "
            "matches facts_fingerprint"
        )
    audit = audit_from_record(claimed.get("audit_overrides") or {})
    recorded_audit = claimed.get("audit_fingerprint")
    if (audit_fingerprint(audit.overrides) if audit else None) != recorded_audit:
        problems.append("the auditor's overrides in the result were changed after scoring")
    return problems


def compare_result(claimed: Mapping[str, Any], recomputed: ScoreResult) -> list[Difference]:
    """Every node, and the total and grade, whose score in ``claimed`` differs from now."""
    claimed_nodes = {node["path"]: node for node in _walk(claimed.get("indicators") or [])}
    differences = []
    for node in recomputed.walk():
        found = claimed_nodes.pop(node.path, None)
        before = None if found is None else found.get("score")
        if _number(before) != node.score:
            differences.append(_difference(node, before))
    for path, extra in claimed_nodes.items():
        name, score = str(extra.get("name", "")), _text(extra.get("score"))
        differences.append(Difference(path, name, score, "no such indicator"))
    return differences + _totals(claimed.get("total"), claimed.get("grade"), recomputed)


def compare_claims(
    scores: Mapping[str, Any], total: Any, grade: Any, recomputed: ScoreResult
) -> list[Difference]:
    """The figures a unit typed from its report that differ from what the rules give."""
    nodes = {node.path: node for node in recomputed.walk()}
    differences = []
    for path, value in scores.items():
        node = nodes.get(path)
        if node is None:
            differences.append(Difference(path, "", _text(value), "no such indicator"))
        elif _number(value) != node.score:
            differences.append(_difference(node, value))
    return differences + _totals(total, grade, recomputed)


def _totals(total: Any, grade: Any, recomputed: ScoreResult) -> list[Difference]:
    differences = []
    if total is not None and _number(total) != recomputed.total:
        note = (
            f"{recomputed.sum} / {recomputed.applicable_weight} × {recomputed.max_total}"
            if recomputed.rescaled
            else "the sum of the indicators' scores"
        )
        differences.append(Difference("总分", "总分", _text(total), str(recomputed.total), note))
    if grade is not None and str(grade) != (recomputed.grade or ""):
        differences.append(
            Difference(
                "等级", "等级", str(grade), recomputed.grade or "—", f"total {recomputed.total}"
            )
        )
    return differences


def _difference(node: IndicatorResult, claimed: Any) -> Difference:
    rule = node.explanation if not node.children else "the sum of its indicators"
    for override in node.overrides:
        whose = "self" if override.layer == "self" else "audit"
        rule += f"; {whose} override {override.points}: {override.reason} ({override.by})"
    recomputed = "不适用" if node.score is None else str(node.score)
    return Difference(node.path, node.name, _text(claimed), recomputed, rule)


def _walk(nodes: list[Mapping[str, Any]]) -> list[Mapping[str, Any]]:
    found: list[Mapping[str, Any]] = []
    stack = list(reversed(nodes))
    while stack:
        node = stack.pop()
        found.append(node)
        stack.extend(reversed(node.get("children") or []))
    return found


def _number(value: Any) -> Decimal | None:
    if value is None or isinstance(value, bool):
        return None
    try:
        return Decimal(str(value))
    except InvalidOperation:
        return None


def _text(value: Any) -> str:
    if value is None:
        return "不适用"
    return format(value, "f") if isinstance(value, Decimal) else str(value)
