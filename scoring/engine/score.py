"""score(ruleset, facts) -> ScoreResult: the total, rescaling, the grade and the findings.

Leaves are rounded with the ruleset's rounding; every parent and the plain sum are sums of their
rounded children, so the breakdown always adds up. With 不适用 indicators under ``rescale`` the
total is sum / applicable weight × the ruleset's total, rounded the same way.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal, localcontext

from scoring.engine.application import in_force_finding, propose
from scoring.engine.derive import Values, all_derived
from scoring.engine.panel import spread_findings
from scoring.engine.plan import is_skipped, plan, round_score
from scoring.engine.tree import Node, layer_score, score_node
from scoring.errors import EvaluationError, Issue, RulesetError
from scoring.i18n import _
from scoring.model.facts import AuditOverrides, Facts, Override
from scoring.model.fingerprint import audit_fingerprint, facts_fingerprint, ruleset_fingerprint
from scoring.model.formula import DECIMAL_CONTEXT
from scoring.model.grading import grade_for
from scoring.model.located import locate
from scoring.model.numbers import percent, show
from scoring.model.results import Finding, RulesetInfo, ScoreResult, rescaled_text
from scoring.model.ruleset import Ruleset


def score(
    ruleset: Ruleset, facts: Facts, audit: AuditOverrides | None = None, *, partial: bool = False
) -> ScoreResult:
    """Score one subject's facts under a ruleset.

    With ``partial`` (a form in progress), a leaf whose facts are blank is 待填 (``pending``,
    no score) instead of an error; the result then gives the points so far, the most the unit
    can still reach, and no grade.

    Raises:
        RulesetError: when the ruleset is a template with slots still to fill.
        EvaluationError: when a formula fails (division by zero, a bad operand), or an override
            does not fit its indicator, naming the indicator.

    ``facts.overrides`` are the department's own; ``audit`` is an auditor's layer on top. The
    result keeps the computed, the department's and the final score of every node.
    """
    return scored(ruleset, facts, audit, partial=partial).result()


@dataclass(eq=False)
class Scored:
    """One subject scored: every indicator's score and what it read, the total and the grade.

    :func:`score` is ``scored(…).result()``. What only a reader needs (the result models, the
    explanations and audit trail as text, the derived values as shown, the fingerprints) is
    built by :meth:`result`, once, when asked: a batch that wants totals never builds it.
    """

    ruleset: Ruleset
    facts: Facts
    audit_overrides: dict[str, Override]
    values: Values
    indicators: tuple[Node, ...]
    findings: list[tuple[str, str, str | None]]
    """The leaves' findings, as (code, message, path)."""
    total: Decimal
    grade: str | None
    plain_sum: Decimal
    applicable: Decimal
    rescaled: bool
    computed_total: Decimal | None
    self_total: Decimal | None
    withheld: str | None
    pending: tuple[Node, ...]
    reachable: Decimal | None
    share_findings: list[Finding]
    pending_finding: Finding | None
    not_applicable: tuple[str, ...]
    _result: ScoreResult | None = field(default=None, repr=False)

    @property
    def mismatch(self) -> str | None:
        """What to say when the facts name another ruleset than the one they were scored under."""
        named = self.facts.ruleset
        if named is None or named in (self.ruleset.id, self.ruleset.ref):
            return None
        return f"填报文件注明的规则集为 {named!r}，按 {self.ruleset.ref} 评分"

    def result(self) -> ScoreResult:
        """The full result: breakdown, explanations, audit trail, derived values, fingerprints."""
        if self._result is None:
            self._result = _result(self)
        return self._result


def scored(
    ruleset: Ruleset, facts: Facts, audit: AuditOverrides | None = None, *, partial: bool = False
) -> Scored:
    """Score one subject's facts: every number of :func:`score`, its result built when asked.

    Raises:
        RulesetError: as :func:`score`.
        EvaluationError: as :func:`score`.
    """
    not_applicable = set(facts.not_applicable)
    kept = plan(ruleset)
    empty = [path for path in kept.slots if not is_skipped(path, not_applicable)]
    if empty:
        listed = _(", ").join(empty[:5]) + (" …" if len(empty) > 5 else "")
        message = _(
            "{ref} is a template: {paths} still need indicators or weights; score a ruleset that "
            "extends it, or list them under not_applicable"
        ).format(ref=ruleset.ref, paths=listed)
        raise RulesetError([Issue(message, locate(ruleset.origin.source, ()))])
    audit_overrides = dict(audit.overrides) if audit is not None else {}
    values = Values(ruleset, facts, audit_overrides)
    values.partial = partial
    findings: list[tuple[str, str, str | None]] = []
    with localcontext(DECIMAL_CONTEXT):
        indicators = tuple(
            [
                score_node(
                    ruleset, node, values, ("indicators", index), "", 1, not_applicable, findings
                )
                for index, node in enumerate(ruleset.indicators)
            ]
        )
        pending = tuple(_pending(indicators)) if partial else ()  # only a form leaves 待填
        plain_sum = sum((node.score for node in indicators if node.score is not None), Decimal(0))
        applicable = sum((node.applicable_weight for node in indicators), Decimal(0))
        if applicable == 0:
            message = _("every indicator is 不适用: nothing to score")
            raise EvaluationError(message)
        rescaled = applicable != ruleset.total and bool(not_applicable)

        def scaled(plain: Decimal) -> Decimal:
            if not rescaled:
                return plain
            return round_score(plain / applicable * ruleset.total, ruleset.rounding)

        total = scaled(plain_sum)
        overridden = bool(facts.overrides or audit_overrides)
        computed_total = (
            scaled(sum((layer_score(node, "computed") for node in indicators), Decimal(0)))
            if overridden
            else None
        )
        self_total = (
            scaled(sum((layer_score(node, "self") for node in indicators), Decimal(0)))
            if audit_overrides
            else None
        )
        share_findings: list[Finding] = []
        withheld = _applicable_share(ruleset, applicable, share_findings)
        reachable, pending_finding = None, None
        if pending:  # a form in progress: what it has so far, and the most it can still reach
            open_weight = sum((leaf.weight or Decimal(0) for leaf in pending), Decimal(0))
            reachable = scaled(plain_sum + open_weight)
            pending_finding = _pending_finding(pending, open_weight, reachable)
    return Scored(
        ruleset=ruleset,
        facts=facts,
        audit_overrides=audit_overrides,
        values=values,
        indicators=indicators,
        findings=findings,
        total=total,
        grade=None if withheld or pending else grade_for(total, ruleset.grades),
        plain_sum=plain_sum,
        applicable=applicable,
        rescaled=rescaled,
        computed_total=computed_total,
        self_total=self_total,
        withheld=withheld,
        pending=pending,
        reachable=reachable,
        share_findings=share_findings,
        pending_finding=pending_finding,
        not_applicable=tuple(sorted(not_applicable)),
    )


def _result(done: Scored) -> ScoreResult:
    """The result models of a subject scored, in the order a reader meets them."""
    ruleset, facts, values = done.ruleset, done.facts, done.values
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


HALF = Decimal("0.5")


def _applicable_share(ruleset: Ruleset, applicable: Decimal, findings: list[Finding]) -> str | None:
    """Say so when more than half the weight is 不适用; the reason the grade is withheld, if it is.

    A total rescaled from a small applicable part looks like any other total: 10 of 100 points
    applicable and all earned is 100.00. The reader must be told, and a ruleset may refuse to
    grade it at all (``min_applicable_share``).
    """
    share = applicable / ruleset.total
    least = ruleset.min_applicable_share
    if share < HALF:
        findings.append(
            Finding(
                code="mostly_not_applicable",
                message=(
                    f"适用指标分值合计 {show(applicable)}，仅占总分值 {show(ruleset.total)} 的 "
                    f"{percent(share)}：超过一半的分值不适用，总分只反映适用的部分"
                ),
            )
        )
    if least is None or share >= least:
        return None
    reason = (
        f"适用指标分值仅占总分值的 {percent(share)}，低于规则集要求的 {percent(least)}：不予定级"
    )
    findings.append(Finding(code="grade_withheld", message=reason))
    return reason


def _pending(nodes: tuple[Node, ...]) -> list[Node]:
    """The 待填 leaves under ``nodes``, in order."""
    found: list[Node] = []
    for node in nodes:
        if node.children:
            found += _pending(node.children)
        elif node.status == "pending":
            found.append(node)
    return found


def _pending_finding(
    pending: tuple[Node, ...], open_weight: Decimal, reachable: Decimal
) -> Finding:
    # the 自评表's own words (a note under the table): Chinese in every language
    return Finding(
        code="pending",
        message=(
            f"表未填完：{len(pending)}项指标待填（分值合计{show(open_weight)}），暂不定级；"
            f"按已填事实得分，填完后最高可得{show(reachable)}"
        ),
    )
