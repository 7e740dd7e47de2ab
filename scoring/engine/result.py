"""A subject scored, as its result: the breakdown, explanations, audit trail and fingerprints.

Built by :meth:`scoring.engine.score.Scored.result` when a reader asks, from the tree the plain
path walked.
"""

from __future__ import annotations

from decimal import localcontext
from typing import TYPE_CHECKING

from scoring.engine.application import in_force_finding, propose
from scoring.engine.derive import all_derived
from scoring.engine.panel import spread_findings
from scoring.model.fingerprint import audit_fingerprint, facts_fingerprint, ruleset_fingerprint
from scoring.model.formula import DECIMAL_CONTEXT
from scoring.model.grading import grade_for
from scoring.model.results import Finding, RulesetInfo, ScoreResult, rescaled_text

if TYPE_CHECKING:
    from scoring.engine.score import Scored


def result_of(done: Scored) -> ScoreResult:
    """The result models of a subject scored, in the order a reader meets them."""
    ruleset, facts, values = done.ruleset, done.facts, done.walk.values
    findings = [
        Finding(code=code, message=message, path=path) for code, message, path in done.findings
    ]
    with localcontext(DECIMAL_CONTEXT):
        if done.rescaled:
            message = rescaled_text(done.plain_sum, done.applicable, ruleset.total, done.total)
            findings.append(Finding(code="rescaled", message=message))
        derived = all_derived(ruleset, values, findings)
        findings += done.share_findings
        if done.pending_finding is not None:
            findings.append(done.pending_finding)
    if done.mismatch is not None:
        findings.append(Finding(code="ruleset_mismatch", message=done.mismatch))
    findings += filter(None, [in_force_finding(ruleset, facts)])
    findings += spread_findings(facts)  # an expert panel that disagrees: 请复核
    grades, withheld = ruleset.grades, done.withheld
    texts: dict[str, str] = {}  # the audit trail's text of each value read, written once
    computed_total, self_total = done.computed_total, done.self_total
    return ScoreResult(
        engine=values.plan.engine,
        ruleset=RulesetInfo(  # the files are where it was read from, not part of its rules
            id=ruleset.id,
            version=ruleset.version,
            title=ruleset.title,
            basis=ruleset.basis,
            fingerprint=ruleset_fingerprint(ruleset),
            files=ruleset.origin.shown_files,
        ),
        facts_fingerprint=facts_fingerprint(facts),
        audit_fingerprint=audit_fingerprint(done.audit_overrides) if done.audit_overrides else None,
        subject=dict(facts.subject),
        total=done.total,
        grade=done.grade,
        grade_withheld=withheld,
        partial=bool(done.pending),
        pending=tuple(leaf.path for leaf in done.pending),
        reachable=done.reachable,
        computed_total=computed_total,
        computed_grade=None
        if computed_total is None or withheld
        else grade_for(computed_total, grades),
        self_total=self_total,
        self_grade=None if self_total is None or withheld else grade_for(self_total, grades),
        max_total=ruleset.total,
        sum=done.plain_sum,
        applicable_weight=done.applicable,
        rescaled=done.rescaled,
        not_applicable=done.not_applicable,
        derived=derived,
        indicators=tuple(node.result(texts) for node in done.indicators),
        findings=tuple(findings),
        facts=facts.model_copy(update={"not_applicable": done.not_applicable}),
        audit_overrides=done.audit_overrides,
        application=propose(ruleset, done.grade, values),
    )
