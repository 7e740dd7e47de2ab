"""score(ruleset, facts) -> ScoreResult: the total, rescaling, the grade and the findings.

Leaves are rounded with the ruleset's rounding; every parent and the plain sum are sums of their
rounded children, so the breakdown always adds up. With 不适用 indicators under ``rescale`` the
total is sum / applicable weight × the ruleset's total, rounded the same way.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal, localcontext

from scoring.engine.compiled import compiled_for
from scoring.engine.derive import Values
from scoring.engine.plan import is_skipped, plan, round_score
from scoring.engine.result import result_of
from scoring.engine.tree import Node, layer_score, score_node
from scoring.errors import EvaluationError, Issue, RulesetError
from scoring.i18n import _
from scoring.model.facts import AuditOverrides, Facts, Override
from scoring.model.formula import DECIMAL_CONTEXT
from scoring.model.grading import grade_for
from scoring.model.located import locate
from scoring.model.numbers import percent, show
from scoring.model.results import Finding, ScoreResult
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


@dataclass(frozen=True)
class Walk:
    """The tree walked by the plain path: the values read, every indicator's node, the findings."""

    values: Values
    indicators: tuple[Node, ...]
    findings: list[tuple[str, str, str | None]]
    """The leaves' findings, as (code, message, path)."""
    pending: tuple[Node, ...]


@dataclass(eq=False)
class Scored:
    """One subject scored: every indicator's score, the total and the grade.

    :func:`score` is ``scored(…).result()``. What only a reader needs (the result models, the
    explanations and audit trail as text, the derived values as shown, the fingerprints) is
    built by :meth:`result`, once, when asked: a batch that wants totals never builds it. A
    unit scored by the ruleset's compiled function (:mod:`scoring.engine.compiled`) has its
    numbers only; the tree of :attr:`indicators` is walked by the plain path when first asked
    for, and must give the same scores.
    """

    ruleset: Ruleset
    facts: Facts
    audit_overrides: dict[str, Override]
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
    tops: tuple[tuple[Decimal | None, Decimal], ...]
    """Each top-level indicator's score (None: 不适用) and applicable weight."""
    scores: tuple[Decimal | None, ...] | None = None
    """Every indicator's score in :meth:`Ruleset.walk` order, when compiled code gave them."""
    _findings: list[tuple[str, str, str | None]] | None = field(default=None, repr=False)
    _walk: Walk | None = field(default=None, repr=False)
    _values: Values | None = field(default=None, repr=False)
    _result: ScoreResult | None = field(default=None, repr=False)

    @property
    def walk(self) -> Walk:
        """The tree walked by the plain path (walked now for a unit the compiled path scored)."""
        if self._walk is None:
            not_applicable = set(self.not_applicable)
            walk = _walk(self.ruleset, self.facts, self.audit_overrides, False, not_applicable)
            _same_scores(self, walk)
            self._walk = walk
        return self._walk

    @property
    def indicators(self) -> tuple[Node, ...]:
        """Every top-level indicator scored, its children below it."""
        return self.walk.indicators

    @property
    def findings(self) -> list[tuple[str, str, str | None]]:
        """The leaves' findings, as (code, message, path)."""
        return self.walk.findings if self._findings is None else self._findings

    @property
    def values(self) -> Values:
        """The subject's facts and derived values."""
        if self._walk is not None:
            return self._walk.values
        if self._values is None:
            self._values = Values(self.ruleset, self.facts, self.audit_overrides)
        return self._values

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
            self._result = result_of(self)
        return self._result


def _same_scores(done: Scored, walk: Walk) -> None:
    """Refuse a plain walk whose scores are not the compiled function's: a bug in one of them."""
    if done.scores is None:
        return
    walked: list[Decimal | None] = []

    def visit(node: Node) -> None:
        walked.append(node.score)
        for child in node.children:
            visit(child)

    for node in walk.indicators:
        visit(node)
    if tuple(walked) != done.scores or walk.findings != done._findings:
        paths = [path for path, _, _ in done.ruleset.walk()]
        differ = [
            f"{path}: {fast} ≠ {plain}"
            for path, fast, plain in zip(paths, done.scores, walked, strict=True)
            if fast != plain
        ]
        if not differ:
            differ = [f"findings {done._findings} ≠ {walk.findings}"]
        message = f"the compiled and the plain scoring of {done.ruleset.ref} differ: {differ}"
        raise AssertionError(message)


def scored(
    ruleset: Ruleset,
    facts: Facts,
    audit: AuditOverrides | None = None,
    *,
    partial: bool = False,
    compiled: bool = True,
) -> Scored:
    """Score one subject's facts: every number of :func:`score`, its result built when asked.

    A unit without overrides is scored by the ruleset's compiled function when it has one and
    the unit is on its happy path; otherwise (and to word a result) by the plain path. With
    ``compiled`` false, by the plain path alone (the oracle the compiled function is tested on).

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
    if compiled and not (partial or audit_overrides or facts.overrides):
        fast = _fast(ruleset, facts, not_applicable)
        if fast is not None:
            return fast
    walk = _walk(ruleset, facts, audit_overrides, partial, not_applicable)
    indicators = walk.indicators
    with localcontext(DECIMAL_CONTEXT):
        plain_sum = sum((node.score for node in indicators if node.score is not None), Decimal(0))
    tops = tuple((node.score, node.applicable_weight) for node in indicators)
    layers = (
        sum((layer_score(node, "computed") for node in indicators), Decimal(0)),
        sum((layer_score(node, "self") for node in indicators), Decimal(0)),
    )
    done = _scored(
        ruleset, facts, audit_overrides, not_applicable, tops, plain_sum, walk.pending, layers
    )
    done._walk = walk
    return done


def _fast(ruleset: Ruleset, facts: Facts, not_applicable: set[str]) -> Scored | None:
    """The unit scored by the ruleset's compiled function; None when the plain path must."""
    fast = compiled_for(ruleset, frozenset(not_applicable))
    if fast is None:
        return None
    given = plan(ruleset).folded(facts.facts)
    notes: list[tuple[str, str, str | None]] = []
    try:
        with localcontext(DECIMAL_CONTEXT):
            scores, plain_sum = fast.run(given, notes)
    except Exception:  # it bailed, or failed: the plain path says what and where
        return None
    tops = tuple((scores[index], fast.applicable[index]) for index in fast.tops)
    if not any(weight for _, weight in tops):
        return None  # nothing applicable: the plain path says so
    done = _scored(ruleset, facts, {}, not_applicable, tops, plain_sum, ())
    done.scores, done._findings = scores, notes
    return done


def _walk(
    ruleset: Ruleset,
    facts: Facts,
    audit_overrides: dict[str, Override],
    partial: bool,
    not_applicable: set[str],
) -> Walk:
    """The indicator tree scored node by node (the plain path)."""
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
    return Walk(values, indicators, findings, pending)


def _scored(
    ruleset: Ruleset,
    facts: Facts,
    audit_overrides: dict[str, Override],
    not_applicable: set[str],
    tops: tuple[tuple[Decimal | None, Decimal], ...],
    plain_sum: Decimal,
    pending: tuple[Node, ...],
    layers: tuple[Decimal, Decimal] = (Decimal(0), Decimal(0)),
) -> Scored:
    """The total, rescaling and grade of a subject whose top-level indicators are scored.

    ``layers``: the sums of the top-level scores before overrides and before the auditor's.
    """
    with localcontext(DECIMAL_CONTEXT):
        applicable = sum((weight for _, weight in tops), Decimal(0))
        if applicable == 0:
            message = _("every indicator is 不适用: nothing to score")
            raise EvaluationError(message)
        rescaled = applicable != ruleset.total and bool(not_applicable)

        def scaled(plain: Decimal) -> Decimal:
            if not rescaled:
                return plain
            return round_score(plain / applicable * ruleset.total, ruleset.rounding)

        total = scaled(plain_sum)
        computed_sum, self_sum = layers
        overridden = bool(facts.overrides or audit_overrides)
        computed_total = scaled(computed_sum) if overridden else None
        self_total = scaled(self_sum) if audit_overrides else None
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
        tops=tops,
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
