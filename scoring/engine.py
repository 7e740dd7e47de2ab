"""score(ruleset, facts) -> ScoreResult: derived values, leaves, sums, rescaling, findings.

Leaves are rounded with the ruleset's rounding; every parent and the plain sum are sums of their
rounded children, so the breakdown always adds up. With 不适用 indicators under ``rescale`` the
total is sum / applicable weight × the ruleset's total, rounded the same way.
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import ROUND_DOWN, ROUND_HALF_EVEN, ROUND_HALF_UP, Decimal, localcontext
from typing import Any

from scoring.errors import DivisionByZeroError, EvaluationError, Issue, RulesetError
from scoring.fingerprint import facts_fingerprint, ruleset_fingerprint
from scoring.formula import (
    DECIMAL_CONTEXT,
    Formula,
    StepBudget,
    Value,
    evaluate,
    normalize_name,
)
from scoring.grading import grade_for
from scoring.methods import METHODS, Outcome, percent, show
from scoring.models import (
    CHECK_NAMES,
    Facts,
    FactValue,
    Indicator,
    Rounding,
    Ruleset,
    Tier,
    TierClaim,
)
from scoring.results import (
    DerivedResult,
    EngineInfo,
    Finding,
    IndicatorResult,
    RulesetInfo,
    ScoreResult,
)
from scoring.sourcemap import locate

ENGINE_NAME = "scoring"
ENGINE_VERSION = "0.1.0"
_MODES = {"half_up": ROUND_HALF_UP, "half_even": ROUND_HALF_EVEN, "down": ROUND_DOWN}


def round_score(value: Decimal, rounding: Rounding) -> Decimal:
    """A score rounded to the ruleset's places and mode (四舍五入 by default)."""
    return value.quantize(Decimal(1).scaleb(-rounding.places), rounding=_MODES[rounding.mode])


def leaf_names(node: Indicator) -> set[str]:
    """The names (folded) a leaf reads directly, in formulas and ``fact``; not its alternatives."""
    names = {name for _, formula in node.formulas() for name in formula.names}
    if node.fact is not None:
        names.add(normalize_name(node.fact))
    return names


def _names_read(ruleset: Ruleset, names: Iterator[str] | frozenset[str]) -> set[str]:
    """The names read, with every derived value's inputs added, transitively (folded)."""
    derived = {normalize_name(name): spec for name, spec in ruleset.derived.items()}
    found: set[str] = set()
    pending = list(names)
    while pending:
        name = pending.pop()
        if name not in found:
            found.add(name)
            if name in derived:
                pending.extend(derived[name].expr.names)
    return found


def _skipped(path: str, not_applicable: set[str]) -> bool:
    parts = path.split(".")
    return any(".".join(parts[: i + 1]) in not_applicable for i in range(len(parts)))


def _applicable_leaves(
    ruleset: Ruleset, not_applicable: set[str]
) -> Iterator[tuple[str, Indicator]]:
    for path, _, node in ruleset.walk():
        if node.is_leaf and not _skipped(path, not_applicable):
            yield path, node


def facts_read(
    ruleset: Ruleset, not_applicable: set[str], *, alternatives: bool = False
) -> dict[str, str]:
    """Each fact the applicable indicators need, with the path of the first one that reads it.

    With ``alternatives``, also the facts that only an ``either`` alternative reads (which a
    facts file may leave out as long as one alternative is complete).
    """
    declared = {normalize_name(name): name for name in ruleset.facts}
    readers: dict[str, str] = {}
    for path, node in _applicable_leaves(ruleset, not_applicable):
        names = leaf_names(node)
        if alternatives:
            for alternative in node.alternatives or ():
                names |= leaf_names(alternative)
        for name in sorted(_names_read(ruleset, frozenset(names))):
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


class _Values:
    """Facts and lazily computed derived values, by folded name."""

    def __init__(self, ruleset: Ruleset, facts: Facts):
        self.ruleset = ruleset
        self.declared = {normalize_name(name): name for name in [*ruleset.facts, *ruleset.derived]}
        self.facts: dict[str, FactValue] = {
            normalize_name(name): value for name, value in facts.facts.items()
        }
        self.derived = {normalize_name(name): name for name in ruleset.derived}
        self.computed: dict[str, Value] = {}
        self.budget = StepBudget()

    def get(self, name: str) -> Value | TierClaim:
        if name in self.facts:
            return self.facts[name]
        if name in self.computed:
            return self.computed[name]
        if name not in self.derived:
            message = f"fact {self.declared.get(name, name)!r} has no value"
            raise EvaluationError(message)
        declared = self.derived[name]
        spec = self.ruleset.derived[declared]
        path = f"derived.{declared}"
        try:
            value = self.evaluate(spec.expr, {})
        except DivisionByZeroError as exc:
            if spec.on_zero_division is None:
                where = locate(self.ruleset._source, ("derived", declared, "expr"))
                raise exc.at(path, where) from exc
            value = spec.on_zero_division
        except EvaluationError as exc:
            where = locate(self.ruleset._source, ("derived", declared, "expr"))
            raise exc.at(path, where) from exc
        self.computed[name] = value
        return value

    def given(self, names: set[str]) -> list[str]:
        """Of the facts behind ``names`` (through derived values), those with no value."""
        behind = _names_read(self.ruleset, frozenset(names))
        return sorted(
            self.declared[name]
            for name in behind
            if name in self.declared and name not in self.derived and name not in self.facts
        )

    def evaluate(
        self, formula: Formula, reads: dict[str, str], local: dict[str, Value] | None = None
    ) -> Value:
        bound: dict[str, Value] = {}
        for name in sorted(formula.names):
            if local is not None and name in local:
                bound[name] = local[name]
                continue
            value = self.get(name)
            bound[name] = value.tier if isinstance(value, TierClaim) else value
            self.record(name, reads)
        return evaluate(formula, bound, self.budget)

    def record(self, name: str, reads: dict[str, str]) -> None:
        """Note a value read, and the values behind a derived one, for the audit trail."""
        reads[self.declared.get(name, name)] = _exact(self.get(name))
        if name in self.derived:
            for read in self.ruleset.derived[self.derived[name]].expr.names:
                self.record(read, reads)


def score(ruleset: Ruleset, facts: Facts) -> ScoreResult:
    """Score one subject's facts under a ruleset.

    Raises:
        RulesetError: when the ruleset is a template with slots still to fill.
        EvaluationError: when a formula fails (division by zero, a bad operand), naming the
            indicator.
    """
    not_applicable = set(facts.not_applicable)
    empty = [
        path
        for path, _, node in ruleset.walk()
        if (node.children == () or node.weight is None) and not _skipped(path, not_applicable)
    ]
    if empty:
        message = (
            f"{ruleset.ref} is a template: {', '.join(empty[:5])}{' …' if len(empty) > 5 else ''} "
            "still need indicators or weights; score a ruleset that extends it, "
            "or list them under not_applicable"
        )
        raise RulesetError([Issue(message, locate(ruleset._source, ()))])
    values = _Values(ruleset, facts)
    findings: list[Finding] = []
    with localcontext(DECIMAL_CONTEXT):
        indicators = tuple(
            _score_node(
                ruleset, node, values, ("indicators", index), "", 1, not_applicable, findings
            )
            for index, node in enumerate(ruleset.indicators)
        )
        scored = [node for node in indicators if node.score is not None]
        plain_sum = sum((node.score for node in scored if node.score is not None), Decimal(0))
        applicable = sum((_applicable_weight(node) for node in indicators), Decimal(0))
        if applicable == 0:
            message = "every indicator is 不适用: nothing to score"
            raise EvaluationError(message)
        rescaled = applicable != ruleset.total and bool(not_applicable)
        total = plain_sum
        if rescaled:
            total = round_score(plain_sum / applicable * ruleset.total, ruleset.rounding)
            findings.append(
                Finding(
                    code="rescaled",
                    message=(
                        f"不适用 indicators excluded: total = {show(plain_sum)} / "
                        f"{show(applicable)} × {show(ruleset.total)} = {show(total)}"
                    ),
                )
            )
        derived = _all_derived(ruleset, values, findings)
    if facts.ruleset is not None and facts.ruleset not in (ruleset.id, ruleset.ref):
        findings.append(
            Finding(
                code="ruleset_mismatch",
                message=f"the facts name ruleset {facts.ruleset!r}; scored under {ruleset.ref}",
            )
        )
    return ScoreResult(
        engine=EngineInfo(name=ENGINE_NAME, version=ENGINE_VERSION),
        ruleset=RulesetInfo(
            id=ruleset.id,
            version=ruleset.version,
            title=ruleset.title,
            basis=ruleset.basis,
            fingerprint=ruleset_fingerprint(ruleset),
        ),
        facts_fingerprint=facts_fingerprint(facts),
        subject=dict(facts.subject),
        total=total,
        grade=grade_for(total, ruleset.grades),
        max_total=ruleset.total,
        sum=plain_sum,
        applicable_weight=applicable,
        rescaled=rescaled,
        not_applicable=tuple(sorted(not_applicable)),
        derived=derived,
        indicators=indicators,
        findings=tuple(findings),
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
        inputs = _names_read(ruleset, ruleset.derived[name].expr.names)
        if any(n not in values.facts for n in inputs if n not in values.derived):
            continue  # reads a fact left out because its indicators are 不适用
        try:
            value = values.get(key)
        except EvaluationError as exc:
            findings.append(
                Finding(code="derived_failed", message=exc.message, path=f"derived.{name}")
            )
            continue
        spec = ruleset.derived[name]
        exact = format(value, "f") if isinstance(value, Decimal) else _text(value)
        text = percent(value) if isinstance(value, Decimal) and spec.unit == "%" else _text(value)
        shown[name] = DerivedResult(value=exact, shown=text, label=spec.label, unit=spec.unit)
    return shown


def _applicable_weight(node: IndicatorResult) -> Decimal:
    if node.status == "not_applicable" or node.weight is None:
        return Decimal(0)
    if not node.children:
        return node.weight
    return sum((_applicable_weight(child) for child in node.children), Decimal(0))


def _score_node(
    ruleset: Ruleset,
    node: Indicator,
    values: _Values,
    loc: tuple[Any, ...],
    prefix: str,
    level: int,
    not_applicable: set[str],
    findings: list[Finding],
    inherited: bool = False,
) -> IndicatorResult:
    path = f"{prefix}.{node.id}" if prefix else node.id
    skipped = inherited or path in not_applicable
    common: dict[str, Any] = {
        "path": path,
        "id": node.id,
        "name": node.name,
        "level": level,
        "weight": node.weight,
        "method": node.method,
        "target_text": node.target_text,
        "unit": node.unit,
    }
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
            return IndicatorResult(
                **common,
                score=None,
                status="not_applicable",
                explanation="不适用",
                children=children,
            )
        return IndicatorResult(
            **common, score=sum(scored, Decimal(0)), status="scored", children=children
        )
    if skipped:
        return IndicatorResult(**common, score=None, status="not_applicable", explanation="不适用")
    assert node.method is not None
    assert node.weight is not None
    reads: dict[str, str] = {}

    def read(*field: str | int) -> Value | TierClaim:
        owner: Any = node
        for part in field:
            owner = owner[part] if isinstance(part, int) else getattr(owner, part)
        if field[-1] == "fact":
            value = values.get(normalize_name(owner))
            reads[owner] = _exact(value)
            return value
        assert isinstance(owner, Formula)
        try:
            return values.evaluate(owner, reads)
        except EvaluationError as exc:
            if exc.path is not None:
                raise
            raise exc.at(path, locate(ruleset._source, (*loc, *field))) from exc

    tiers = node.tiers or ruleset.tiers or ()
    try:
        if node.method == "either":
            outcome = _either(node, values, read, tiers)
        else:
            outcome = METHODS[node.method](node, node.weight, read, tiers)
        checks = _checks(node, values, read, reads)
    except EvaluationError as exc:
        if exc.path is not None:
            raise
        raise exc.at(path, locate(ruleset._source, loc)) from exc
    points = round_score(outcome.score, ruleset.rounding)
    for code, message in (*outcome.findings, *checks):
        findings.append(Finding(code=code, message=message, path=path))
    return IndicatorResult(
        **common,
        score=points,
        status="scored",
        explanation=f"{outcome.explanation} → {points} / {show(node.weight)}",
        reads=dict(sorted(reads.items())),
    )


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
            message = f"{alternative.name}: {exc.message}"
            raise type(exc)(message) from exc
        skipped = [a.name for a, gaps in zip(alternatives, missing, strict=True) if gaps]
        note = f" ({', '.join(skipped)} not given)" if skipped else ""
        return Outcome(outcome.score, f"{alternative.name}{note}: {outcome.explanation}")
    needs = " or ".join(
        f"{alternative.name} ({', '.join(gaps)})"
        for alternative, gaps in zip(alternatives, missing, strict=True)
    )
    message = f"give the facts of one alternative: {needs}"
    raise EvaluationError(message)


def _checks(
    node: Indicator, values: _Values, read: Any, reads: dict[str, str]
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
            message = f"check {check.when.source!r} must be true or false, found {holds}"
            raise EvaluationError(message)
        if holds and check.level == "error":
            message = f"{check.message} ({check.when.source})"
            raise EvaluationError(message)
        if holds:
            found.append(("check", f"{check.message} ({check.when.source})"))
    return found


__all__ = [
    "ENGINE_NAME",
    "ENGINE_VERSION",
    "derive",
    "facts_read",
    "percent",
    "round_score",
    "score",
]
