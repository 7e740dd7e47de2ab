"""The indicator tree scored: a leaf by its method, a group as the sum of its rounded children.

Each node keeps its numbers and builds its line of the breakdown only when a reader asks.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Literal

from scoring.engine.derive import BlankFactError, Read, Values, exact_text
from scoring.engine.overrides import overridden
from scoring.engine.plan import leaf_names, round_score
from scoring.errors import EvaluationError
from scoring.i18n import _
from scoring.methods import METHODS
from scoring.methods.spec import Outcome
from scoring.methods.spec import Read as Reader
from scoring.model.application import cite_text
from scoring.model.facts import TierClaim
from scoring.model.formula import Formula, Value, normalize_name
from scoring.model.located import locate
from scoring.model.numbers import formula_text, show
from scoring.model.results import AppliedOverride, IndicatorResult, assembled
from scoring.model.ruleset import CHECK_NAMES, Indicator, Ruleset, Tier

Status = Literal["scored", "not_applicable", "pending"]


@dataclass(eq=False, slots=True)
class Node:
    """An indicator scored: its numbers now, its result model when a reader asks for it."""

    node: Indicator
    path: str
    level: int
    score: Decimal | None
    status: Status
    children: tuple[Node, ...] = ()
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

    def result(self, texts: dict[str, str] | None = None) -> IndicatorResult:
        """This indicator's line of the breakdown, its children's below it.

        ``texts``: the audit trail's text of each name read so far in this result. A name has
        one value in one scoring, and leaves read the same facts: each is written out once.
        """
        node, explanation = self.node, self.explanation
        if texts is None:
            texts = {}
        if self.points is not None:
            assert node.weight is not None
            explanation = f"{explanation} → {self.points} / {show(node.weight)}"
        reads = {}
        for name, value in sorted(self.reads.items()):
            text = texts.get(name)
            if text is None:
                text = texts[name] = exact_text(value)
            reads[name] = text
        # every field given, each of its declared type: built without validating it again
        return assembled(
            IndicatorResult,
            {
                "path": self.path,
                "id": node.id,
                "name": node.name,
                "level": self.level,
                "weight": node.weight,
                "method": node.method,
                "target_text": node.target_text,
                "unit": node.unit,
                "score": self.score,
                "computed_score": self.computed_score,
                "self_score": self.self_score,
                "overrides": self.overrides,
                "status": self.status,
                "explanation": explanation,
                "reads": reads,
                "children": tuple(child.result(texts) for child in self.children),
                "cite": cite_text(node.cite),
            },
        )


def layer_score(node: Node, layer: str) -> Decimal:
    """A node's score before overrides ("computed") or before the auditor's ("self")."""
    if node.score is None:
        return Decimal(0)
    found = node.computed_score if layer == "computed" else node.self_score
    return node.score if found is None else found  # None: the same as the final score


def score_node(
    ruleset: Ruleset,
    node: Indicator,
    values: Values,
    loc: tuple[Any, ...],
    prefix: str,
    level: int,
    not_applicable: set[str],
    findings: list[tuple[str, str, str | None]],
    inherited: bool = False,
) -> Node:
    """The indicator ``node`` at ``prefix`` scored, its children first; leaves' findings added.

    Raises:
        EvaluationError: a formula fails or an override does not fit, placed at the indicator.
    """
    path = f"{prefix}.{node.id}" if prefix else node.id
    skipped = inherited or path in not_applicable
    if node.children is not None:
        children = tuple(
            [
                score_node(
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
            ]
        )
        scored = [child.score for child in children if child.score is not None]
        if not scored:
            waiting = any(child.status == "pending" for child in children)
            status: Status = "pending" if waiting else "not_applicable"
            shown = "待填" if waiting else "不适用"
            return Node(node, path, level, None, status, children, explanation=shown)
        total = sum(scored, Decimal(0))
        computed = own = total  # the same unless a score below was set by a person
        if any(
            child.computed_score is not None or child.self_score is not None for child in children
        ):
            computed = sum((layer_score(child, "computed") for child in children), Decimal(0))
            own = sum((layer_score(child, "self") for child in children), Decimal(0))
        return Node(
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
        return Node(node, path, level, None, "not_applicable", explanation="不适用")
    assert node.method is not None
    assert node.weight is not None
    reads: dict[str, Read] = {}

    def read(*field: str | int) -> Read:
        owner: Any = node
        for part in field:
            owner = owner[part] if isinstance(part, int) else getattr(owner, part)
        if field[-1] in ("fact", "due"):
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
            outcome = _by_method(node, node.weight, read, tiers)
        checks = _checks(node, values, read, reads)
    except EvaluationError as exc:
        if values.partial and isinstance(exc, BlankFactError):
            return _pending_leaf(node, values, path, level, findings)
        if exc.path is not None:
            raise
        raise exc.at(path, locate(ruleset.origin.source, loc)) from exc
    points = round_score(outcome.score, ruleset.rounding)
    for code, message in (*outcome.findings, *checks):
        findings.append((code, message, path))
    try:
        own, final, applied = overridden(ruleset, path, points, values.given_facts, values.audit)
    except EvaluationError as exc:
        raise exc.at(path, None) from exc
    return Node(
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


def _by_method(leaf: Indicator, weight: Decimal, read: Reader, tiers: tuple[Tier, ...]) -> Outcome:
    """A leaf's outcome by its method: the one place a method is looked up by its name."""
    assert leaf.method is not None
    method = METHODS[leaf.method].score
    assert method is not None  # only either has none, and it is resolved before it comes here
    return method(leaf, weight, read, tiers)


def _pending_leaf(
    node: Indicator,
    values: Values,
    path: str,
    level: int,
    findings: list[tuple[str, str, str | None]],
) -> Node:
    """A leaf of a form in progress whose facts are (some of them) blank: 待填, no score."""
    names = leaf_names(node)
    for alternative in node.alternatives or ():
        names |= leaf_names(alternative)
    blank = values.given(names)
    if path in values.given_facts.overrides or path in values.audit:
        message = f"调整得分待该指标的事实填完后适用：{', '.join(blank)}"  # 自评表 words
        findings.append(("pending_override", message, path))
    return Node(node, path, level, None, "pending", explanation=f"待填：{', '.join(blank)}")


def _either(node: Indicator, values: Values, read: Any, tiers: tuple[Tier, ...]) -> Outcome:
    """二者择其一: the first alternative whose facts are all given."""
    assert node.weight is not None
    alternatives = node.alternatives or ()
    missing = [values.given(leaf_names(alternative)) for alternative in alternatives]
    for index, alternative in enumerate(alternatives):
        if missing[index]:
            continue

        def read_alternative(*field: str | int, index: int = index) -> Value | TierClaim:
            return read("alternatives", index, *field)  # type: ignore[no-any-return]

        try:
            outcome = _by_method(alternative, node.weight, read_alternative, tiers)
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
    raise BlankFactError(message)


def _checks(
    node: Indicator, values: Values, read: Any, reads: dict[str, Read]
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
