"""score(ruleset, facts) -> ScoreResult: derived values, leaves, sums, rescaling, findings.

Leaves are rounded with the ruleset's rounding; every parent and the plain sum are sums of their
rounded children, so the breakdown always adds up. With 不适用 indicators under ``rescale`` the
total is sum / applicable weight × the ruleset's total, rounded the same way.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from decimal import ROUND_DOWN, ROUND_HALF_EVEN, ROUND_HALF_UP, Decimal, localcontext
from typing import Any, Literal

from scoring.errors import DivisionByZeroError, EvaluationError, Issue, RulesetError
from scoring.i18n import _
from scoring.methods import METHODS, Outcome, formula_text, percent, show
from scoring.model.facts import AuditOverrides, Facts, FactValue, Override, TierClaim
from scoring.model.fingerprint import audit_fingerprint, facts_fingerprint, ruleset_fingerprint
from scoring.model.formula import DECIMAL_CONTEXT, Formula, Value, normalize_name
from scoring.model.grading import grade_for
from scoring.model.located import locate
from scoring.model.program import StepBudget, evaluate
from scoring.model.results import (
    AppliedOverride,
    DerivedResult,
    EngineInfo,
    Finding,
    IndicatorResult,
    RulesetInfo,
    ScoreResult,
    rescaled_text,
)
from scoring.model.ruleset import CHECK_NAMES, Indicator, Rounding, Ruleset, Tier

ENGINE_NAME = "scoring"
ENGINE_VERSION = "0.1.0"
_MODES = {"half_up": ROUND_HALF_UP, "half_even": ROUND_HALF_EVEN, "down": ROUND_DOWN}
MAX_KEPT = 64
"""Sets of 不适用 paths whose facts_read a ruleset keeps: a batch meets a handful."""


def round_score(value: Decimal, rounding: Rounding) -> Decimal:
    """A score rounded to the ruleset's places and mode (四舍五入 by default)."""
    return value.quantize(Decimal(1).scaleb(-rounding.places), rounding=_MODES[rounding.mode])


def leaf_names(node: Indicator) -> set[str]:
    """The names (folded) a leaf reads directly, in formulas and ``fact``; not its alternatives."""
    names = {name for _, formula in node.formulas() for name in formula.names}
    if node.fact is not None:
        names.add(normalize_name(node.fact))
    return names


class _Plan:
    """What scoring needs from a ruleset alone, worked out once and kept with the ruleset.

    The names as formulas see them, what each derived value reads (transitively), the facts each
    set of 不适用 indicators needs, and the template slots.
    """

    def __init__(self, ruleset: Ruleset):
        self.facts = {normalize_name(name): name for name in ruleset.facts}
        self.derived = {normalize_name(name): name for name in ruleset.derived}
        self.declared = {**self.facts, **self.derived}
        self.specs = {normalize_name(name): spec for name, spec in ruleset.derived.items()}
        self.fold = {name: normalize_name(name) for name in [*ruleset.facts, *ruleset.derived]}
        self.behind: dict[frozenset[str], frozenset[str]] = {}
        self.reads: dict[tuple[frozenset[str], bool], dict[str, str]] = {}
        self.slots = tuple(
            path
            for path, _level, node in ruleset.walk()
            if node.children == () or node.weight is None
        )
        self.engine = EngineInfo(name=ENGINE_NAME, version=ENGINE_VERSION)

    def names_behind(self, names: frozenset[str]) -> frozenset[str]:
        """The names read, with every derived value's inputs added, transitively (folded)."""
        found = self.behind.get(names)
        if found is None:
            seen: set[str] = set()
            pending = list(names)
            while pending:
                name = pending.pop()
                if name not in seen:
                    seen.add(name)
                    if name in self.specs:
                        pending.extend(self.specs[name].expr.names)
            found = self.behind[names] = frozenset(seen)
        return found


def plan(ruleset: Ruleset) -> _Plan:
    """The ruleset's plan, worked out on first use and kept with it."""
    found = ruleset._engine
    if found is None:
        found = ruleset._engine = _Plan(ruleset)
    return found  # type: ignore[no-any-return]


def names_behind(ruleset: Ruleset, names: Iterator[str] | frozenset[str]) -> set[str]:
    """The names read, with every derived value's inputs added, transitively (folded)."""
    return set(plan(ruleset).names_behind(frozenset(names)))


def _skipped(path: str, not_applicable: set[str]) -> bool:
    parts = path.split(".")
    return any(".".join(parts[: i + 1]) in not_applicable for i in range(len(parts)))


def _applicable_leaves(
    ruleset: Ruleset, not_applicable: set[str]
) -> Iterator[tuple[str, Indicator]]:
    for path, _level, node in ruleset.walk():
        if node.is_leaf and not _skipped(path, not_applicable):
            yield path, node


def facts_read(
    ruleset: Ruleset, not_applicable: set[str], *, alternatives: bool = False
) -> dict[str, str]:
    """Each fact the applicable indicators need, with the path of the first one that reads it.

    With ``alternatives``, also the facts that only an ``either`` alternative reads (which a
    facts file may leave out as long as one alternative is complete).
    """
    kept = plan(ruleset)
    key = (frozenset(not_applicable), alternatives)
    found = kept.reads.get(key)
    if found is None:
        if len(kept.reads) >= MAX_KEPT:
            kept.reads.clear()
        found = kept.reads[key] = _facts_read(ruleset, kept, not_applicable, alternatives)
    return dict(found)


def _facts_read(
    ruleset: Ruleset, kept: _Plan, not_applicable: set[str], alternatives: bool
) -> dict[str, str]:
    declared = kept.facts
    readers: dict[str, str] = {}
    for path, node in _applicable_leaves(ruleset, not_applicable):
        names = leaf_names(node)
        if alternatives:
            for alternative in node.alternatives or ():
                names |= leaf_names(alternative)
        for name in sorted(kept.names_behind(frozenset(names))):
            if name in declared:
                readers.setdefault(declared[name], path)
    return readers


def _text(value: Value | TierClaim) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, TierClaim):
        return value.tier
    if isinstance(value, Decimal):
        return show(value)
    return str(value)


def _exact(value: Value | TierClaim) -> str:
    """A value as the audit trail records it: numbers in full, not rounded for display."""
    return format(value, "f") if isinstance(value, Decimal) else _text(value)


Read = Value | TierClaim
"""A value a leaf read: a fact's or a derived value's."""


class _BlankFactError(EvaluationError):
    """A fact read has no value: an error, except in a form in progress (``partial``)."""


class _Values:
    """Facts and lazily computed derived values, by folded name."""

    def __init__(self, ruleset: Ruleset, facts: Facts, audit: Mapping[str, Override] = {}):
        self.ruleset = ruleset
        self.given_facts = facts
        self.audit = audit
        kept = self.plan = plan(ruleset)
        self.declared = kept.declared
        fold = kept.fold
        self.facts: dict[str, FactValue] = {
            fold.get(name) or normalize_name(name): value for name, value in facts.facts.items()
        }
        self.derived = kept.derived
        self.computed: dict[str, Value] = {}
        self.budget = StepBudget()
        self.partial = False

    def get(self, name: str) -> Value | TierClaim:
        if name in self.facts:
            return self.facts[name]
        if name in self.computed:
            return self.computed[name]
        if name not in self.derived:
            message = _("fact {name!r} has no value").format(name=self.declared.get(name, name))
            raise _BlankFactError(message)
        declared = self.derived[name]
        spec = self.ruleset.derived[declared]
        path = f"derived.{declared}"
        try:
            value = self.evaluate(spec.expr, {})
        except DivisionByZeroError as exc:
            if spec.on_zero_division is None:
                where = locate(self.ruleset.origin.source, ("derived", declared, "expr"))
                raise exc.at(path, where) from exc
            value = spec.on_zero_division
        except EvaluationError as exc:
            where = locate(self.ruleset.origin.source, ("derived", declared, "expr"))
            raise exc.at(path, where) from exc
        self.computed[name] = value
        return value

    def given(self, names: set[str]) -> list[str]:
        """Of the facts behind ``names`` (through derived values), those with no value."""
        behind = self.plan.names_behind(frozenset(names))
        return sorted(
            self.declared[name]
            for name in behind
            if name in self.declared and name not in self.derived and name not in self.facts
        )

    def evaluate(
        self, formula: Formula, reads: dict[str, Read], local: dict[str, Value] | None = None
    ) -> Value:
        bound: dict[str, Value] = {}
        for name in sorted(formula.names):
            if local is not None and name in local:
                bound[name] = local[name]
                continue
            value = self.get(name)
            bound[name] = value.tier if isinstance(value, TierClaim) else value
            self.record(name, reads)
        return evaluate(formula, bound, self.budget, in_context=True)  # scored() set it

    def record(self, name: str, reads: dict[str, Read]) -> None:
        """Note a value read, and the values behind a derived one, for the audit trail."""
        reads[self.declared.get(name, name)] = self.get(name)  # as text when a result is built
        if name in self.derived:
            for read in self.ruleset.derived[self.derived[name]].expr.names:
                self.record(read, reads)


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
    values: _Values
    indicators: tuple[_Node, ...]
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
    pending: tuple[_Node, ...]
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
    empty = [path for path in kept.slots if not _skipped(path, not_applicable)]
    if empty:
        listed = _(", ").join(empty[:5]) + (" …" if len(empty) > 5 else "")
        message = _(
            "{ref} is a template: {paths} still need indicators or weights; score a ruleset that "
            "extends it, or list them under not_applicable"
        ).format(ref=ruleset.ref, paths=listed)
        raise RulesetError([Issue(message, locate(ruleset.origin.source, ()))])
    audit_overrides = dict(audit.overrides) if audit is not None else {}
    values = _Values(ruleset, facts, audit_overrides)
    values.partial = partial
    findings: list[tuple[str, str, str | None]] = []
    with localcontext(DECIMAL_CONTEXT):
        indicators = tuple(
            _score_node(
                ruleset, node, values, ("indicators", index), "", 1, not_applicable, findings
            )
            for index, node in enumerate(ruleset.indicators)
        )
        pending = tuple(_pending(indicators))
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
            scaled(sum((_layer(node, "computed") for node in indicators), Decimal(0)))
            if overridden
            else None
        )
        self_total = (
            scaled(sum((_layer(node, "self") for node in indicators), Decimal(0)))
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
        derived = _all_derived(ruleset, values, findings)
        findings += done.share_findings
        if done.pending_finding is not None:
            findings.append(done.pending_finding)
    if done.mismatch is not None:
        findings.append(Finding(code="ruleset_mismatch", message=done.mismatch))
    grades, withheld = ruleset.grades, done.withheld
    computed_total, self_total = done.computed_total, done.self_total
    return ScoreResult(
        engine=values.plan.engine,
        ruleset=RulesetInfo(  # the files are the loader's to set, after the plan may exist
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
        indicators=tuple(node.result() for node in done.indicators),
        findings=tuple(findings),
        facts=facts.model_copy(update={"not_applicable": done.not_applicable}),
        audit_overrides=done.audit_overrides,
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


def _pending(nodes: tuple[_Node, ...]) -> list[_Node]:
    """The 待填 leaves under ``nodes``, in order."""
    found: list[_Node] = []
    for node in nodes:
        if node.children:
            found += _pending(node.children)
        elif node.status == "pending":
            found.append(node)
    return found


def _pending_finding(
    pending: tuple[_Node, ...], open_weight: Decimal, reachable: Decimal
) -> Finding:
    # the 自评表's own words (a note under the table): Chinese in every language
    return Finding(
        code="pending",
        message=(
            f"表未填完：{len(pending)}项指标待填（分值合计{show(open_weight)}），暂不定级；"
            f"按已填事实得分，填完后最高可得{show(reachable)}"
        ),
    )


def derive(ruleset: Ruleset, facts: Facts) -> tuple[dict[str, DerivedResult], list[Finding]]:
    """The derived values alone, without scoring (a template's formulas can be checked too).

    A derived value that cannot be computed is left out, with a finding saying why.
    """
    findings: list[Finding] = []
    with localcontext(DECIMAL_CONTEXT):
        return _all_derived(ruleset, _Values(ruleset, facts), findings), findings


def _all_derived(
    ruleset: Ruleset, values: _Values, findings: list[Finding]
) -> dict[str, DerivedResult]:
    shown: dict[str, DerivedResult] = {}
    for name in ruleset.derived:
        key = normalize_name(name)
        inputs = values.plan.names_behind(ruleset.derived[name].expr.names)
        if any(n not in values.facts for n in inputs if n not in values.derived):
            continue  # reads a fact left out because its indicators are 不适用
        try:
            value = values.get(key)
        except EvaluationError as exc:
            # a note of the 自评表: Chinese in every language, so never the error's own words
            # (which follow the language of messages, and a result must verify in any)
            why = "除数为0" if isinstance(exc, DivisionByZeroError) else "公式无法求值"
            message = f"无法计算（{why}）"
            findings.append(Finding(code="derived_failed", message=message, path=f"derived.{name}"))
            continue
        spec = ruleset.derived[name]
        exact = format(value, "f") if isinstance(value, Decimal) else _text(value)
        text = percent(value) if isinstance(value, Decimal) and spec.unit == "%" else _text(value)
        shown[name] = DerivedResult(value=exact, shown=text, label=spec.label, unit=spec.unit)
    return shown


Status = Literal["scored", "not_applicable", "pending"]


@dataclass(eq=False)
class _Node:
    """An indicator scored: its numbers now, its result model when a reader asks for it."""

    node: Indicator
    path: str
    level: int
    score: Decimal | None
    status: Status
    children: tuple[_Node, ...] = ()
    computed_score: Decimal | None = None
    self_score: Decimal | None = None
    overrides: tuple[AppliedOverride, ...] = ()
    explanation: str = ""
    points: Decimal | None = None
    """A scored leaf's own points, shown after its explanation."""
    reads: dict[str, Read] = field(default_factory=dict)

    @property
    def weight(self) -> Decimal | None:
        """The indicator's weight."""
        return self.node.weight

    @property
    def applicable_weight(self) -> Decimal:
        """As :attr:`IndicatorResult.applicable_weight`: a 不适用 child's weight is not lost."""
        if self.status == "not_applicable" or self.node.weight is None:
            return Decimal(0)
        if not self.children:
            return self.node.weight
        return sum((child.applicable_weight for child in self.children), Decimal(0))

    def result(self) -> IndicatorResult:
        """This indicator's line of the breakdown, its children's below it."""
        node, explanation = self.node, self.explanation
        if self.points is not None:
            assert node.weight is not None
            explanation = f"{explanation} → {self.points} / {show(node.weight)}"
        # every field given, each of its declared type: built without validating it again
        return IndicatorResult.model_construct(
            path=self.path,
            id=node.id,
            name=node.name,
            level=self.level,
            weight=node.weight,
            method=node.method,
            target_text=node.target_text,
            unit=node.unit,
            score=self.score,
            computed_score=self.computed_score,
            self_score=self.self_score,
            overrides=self.overrides,
            status=self.status,
            explanation=explanation,
            reads={name: _exact(value) for name, value in sorted(self.reads.items())},
            children=tuple(child.result() for child in self.children),
        )


def _layer(node: _Node, layer: str) -> Decimal:
    """A node's score before overrides ("computed") or before the auditor's ("self")."""
    if node.score is None:
        return Decimal(0)
    found = node.computed_score if layer == "computed" else node.self_score
    return node.score if found is None else found  # None: the same as the final score


def _score_node(
    ruleset: Ruleset,
    node: Indicator,
    values: _Values,
    loc: tuple[Any, ...],
    prefix: str,
    level: int,
    not_applicable: set[str],
    findings: list[tuple[str, str, str | None]],
    inherited: bool = False,
) -> _Node:
    path = f"{prefix}.{node.id}" if prefix else node.id
    skipped = inherited or path in not_applicable
    if node.children is not None:
        children = tuple(
            _score_node(
                ruleset,
                child,
                values,
                (*loc, "children", index),
                path,
                level + 1,
                not_applicable,
                findings,
                skipped,
            )
            for index, child in enumerate(node.children)
        )
        scored = [child.score for child in children if child.score is not None]
        if not scored:
            waiting = any(child.status == "pending" for child in children)
            status: Status = "pending" if waiting else "not_applicable"
            shown = "待填" if waiting else "不适用"
            return _Node(node, path, level, None, status, children, explanation=shown)
        total = sum(scored, Decimal(0))
        computed = sum((_layer(child, "computed") for child in children), Decimal(0))
        own = sum((_layer(child, "self") for child in children), Decimal(0))
        return _Node(
            node,
            path,
            level,
            total,
            "scored",
            children,
            computed_score=computed if computed != total else None,
            self_score=own if own != total else None,
        )
    if skipped:
        return _Node(node, path, level, None, "not_applicable", explanation="不适用")
    assert node.method is not None
    assert node.weight is not None
    reads: dict[str, Read] = {}

    def read(*field: str | int) -> Read:
        owner: Any = node
        for part in field:
            owner = owner[part] if isinstance(part, int) else getattr(owner, part)
        if field[-1] == "fact":
            value = values.get(normalize_name(owner))
            reads[owner] = value
            return value
        assert isinstance(owner, Formula)
        try:
            return values.evaluate(owner, reads)
        except EvaluationError as exc:
            if exc.path is not None:
                raise
            raise exc.at(path, locate(ruleset.origin.source, (*loc, *field))) from exc

    tiers = node.tiers or ruleset.tiers or ()
    try:
        if node.method == "either":
            outcome = _either(node, values, read, tiers)
        else:
            outcome = METHODS[node.method](node, node.weight, read, tiers)
        checks = _checks(node, values, read, reads)
    except EvaluationError as exc:
        if values.partial and isinstance(exc, _BlankFactError):
            return _pending_leaf(node, values, path, level, findings)
        if exc.path is not None:
            raise
        raise exc.at(path, locate(ruleset.origin.source, loc)) from exc
    points = round_score(outcome.score, ruleset.rounding)
    for code, message in (*outcome.findings, *checks):
        findings.append((code, message, path))
    try:
        own, final, applied = _overridden(ruleset, path, points, values.given_facts, values.audit)
    except EvaluationError as exc:
        raise exc.at(path, None) from exc
    return _Node(
        node,
        path,
        level,
        final,
        "scored",
        computed_score=points if applied else None,
        self_score=own if own != final else None,
        overrides=applied,
        explanation=outcome.explanation,
        points=points,
        reads=reads,
    )


def _pending_leaf(
    node: Indicator,
    values: _Values,
    path: str,
    level: int,
    findings: list[tuple[str, str, str | None]],
) -> _Node:
    """A leaf of a form in progress whose facts are (some of them) blank: 待填, no score."""
    names = leaf_names(node)
    for alternative in node.alternatives or ():
        names |= leaf_names(alternative)
    blank = values.given(names)
    if path in values.given_facts.overrides or path in values.audit:
        message = f"调整得分待该指标的事实填完后适用：{', '.join(blank)}"  # 自评表 words
        findings.append(("pending_override", message, path))
    return _Node(node, path, level, None, "pending", explanation=f"待填：{', '.join(blank)}")


def override_problem(ruleset: Ruleset, path: str, override: Override, facts: Facts) -> str | None:
    """Why ``override`` cannot stand for the leaf at ``path``, or None if it can.

    The points must lie within 0–weight, have no more decimal places than the rounding, and,
    for a 定性 indicator, lie within the tier the facts claim.
    """
    node = next((n for p, _, n in ruleset.walk() if p == path and n.is_leaf), None)
    if node is None or node.weight is None:
        return _("no indicator {path!r} to override").format(path=path)
    if _skipped(path, set(facts.not_applicable)):
        return _("the indicator is 不适用 in these facts: remove the override or the 不适用")
    points, weight = override.points, node.weight
    if not 0 <= points <= weight:
        return _("override {points} is outside 0–{weight}").format(
            points=show(points), weight=show(weight)
        )
    if round_score(points, ruleset.rounding) != points:
        return _("override {points} has more decimal places than the rounding's {places}").format(
            points=show(points), places=ruleset.rounding.places
        )
    if node.method == "tiers" and node.fact is not None:
        claim = {normalize_name(k): v for k, v in facts.facts.items()}.get(
            normalize_name(node.fact)
        )
        scale = node.tiers or ruleset.tiers or ()
        tier = next(
            (t for t in scale if isinstance(claim, TierClaim) and claim.tier in t.names()), None
        )
        if tier is not None:
            with localcontext(DECIMAL_CONTEXT):
                fraction = points / weight
            if not tier.allows(fraction):
                low, high = (bound * weight for bound in tier.range)
                closing = "]" if tier.range[1] == 1 else ")"
                span = f"[{show(low.normalize())}, {show(high.normalize())}{closing}"
                return _("override {points} is outside the claimed tier {tier} {span}").format(
                    points=show(points), tier=tier.label, span=span
                )
    return None


def _overridden(
    ruleset: Ruleset, path: str, computed: Decimal, facts: Facts, audit: Mapping[str, Override]
) -> tuple[Decimal, Decimal, tuple[AppliedOverride, ...]]:
    """A leaf's department score and final score once overrides apply, and what applied."""
    applied: list[AppliedOverride] = []
    current = computed
    scores = {}
    for layer, override in (("self", facts.overrides.get(path)), ("audit", audit.get(path))):
        if override is not None:
            problem = override_problem(ruleset, path, override, facts)
            if problem is not None:
                message = _("{problem} (set by {by})").format(problem=problem, by=override.by)
                raise EvaluationError(message)
            points = round_score(override.points, ruleset.rounding)  # exact: places checked
            applied.append(
                AppliedOverride(
                    layer=layer,
                    points=points,
                    replaced=current,
                    reason=override.reason,
                    by=override.by,
                )
            )
            current = points
        scores[layer] = current
    return scores["self"], current, tuple(applied)


def _either(node: Indicator, values: _Values, read: Any, tiers: tuple[Tier, ...]) -> Outcome:
    """二者择其一: the first alternative whose facts are all given."""
    assert node.weight is not None
    alternatives = node.alternatives or ()
    missing = [values.given(leaf_names(alternative)) for alternative in alternatives]
    for index, alternative in enumerate(alternatives):
        if missing[index]:
            continue
        assert alternative.method is not None

        def read_alternative(*field: str | int, index: int = index) -> Value | TierClaim:
            return read("alternatives", index, *field)  # type: ignore[no-any-return]

        try:
            outcome = METHODS[alternative.method](alternative, node.weight, read_alternative, tiers)
        except EvaluationError as exc:
            if exc.path is not None:
                raise
            message = _("{item}: {reason}").format(item=alternative.name, reason=exc.message)
            raise type(exc)(message) from exc
        skipped = [a.name for a, gaps in zip(alternatives, missing, strict=True) if gaps]
        note = f"（{'、'.join(skipped)}未填报）" if skipped else ""
        return Outcome(outcome.score, f"{alternative.name}{note}：{outcome.explanation}")
    needs = _(" or ").join(
        _("{alternative} ({facts})").format(alternative=alternative.name, facts=_(", ").join(gaps))
        for alternative, gaps in zip(alternatives, missing, strict=True)
    )
    message = _("give the facts of one alternative: {needs}").format(needs=needs)
    raise _BlankFactError(message)


def _checks(
    node: Indicator, values: _Values, read: Any, reads: dict[str, Read]
) -> list[tuple[str, str]]:
    """The notes a leaf's checks raise; a check of level error stops scoring."""
    found: list[tuple[str, str]] = []
    for check in node.checks:
        local: dict[str, Value] = {}
        for name in CHECK_NAMES & check.when.names:
            if getattr(node, name) is not None:
                local[name] = read(name)
        holds = values.evaluate(check.when, reads, local)
        if not isinstance(holds, bool):
            message = _("check {condition!r} must be true or false, found {found}").format(
                condition=check.when.source, found=holds
            )
            raise EvaluationError(message)
        if holds and check.level == "error":
            message = _("{message} ({condition})").format(
                message=check.message, condition=check.when.source
            )
            raise EvaluationError(message)
        if holds:
            condition = formula_text(check.when.source, check=True)
            found.append(("check", f"{check.message}（{condition}）"))
    return found


__all__ = [
    "ENGINE_NAME",
    "ENGINE_VERSION",
    "Scored",
    "derive",
    "facts_read",
    "percent",
    "round_score",
    "score",
    "scored",
]
