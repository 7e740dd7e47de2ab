"""The audit rule kinds, one module each exporting its :class:`AuditSpec`; and audit().

:data:`KINDS` registers them by name. An audit ruleset's rule names one (``kind:``) with its
parameters and the indicators it applies to; :func:`audit` scores the department's facts, runs
every rule over its indicators in order and returns the audit layer: one override per indicator
a rule changed, whose reason names each rule's id and words. Pure: no files, no clock.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from decimal import Decimal, localcontext

from scoring.audit.completion_cap import COMPLETION_CAP
from scoring.audit.evidence_required import EVIDENCE_REQUIRED
from scoring.audit.spec import AuditSpec, Leaf
from scoring.audit.target_mismatch import TARGET_MISMATCH
from scoring.audit.vague_target import VAGUE_TARGET
from scoring.engine.derive import Values
from scoring.engine.plan import round_score
from scoring.engine.score import score
from scoring.model.audit import AuditRuleset
from scoring.model.facts import AuditOverrides, Facts, Override
from scoring.model.formula import DECIMAL_CONTEXT
from scoring.model.results import IndicatorResult
from scoring.model.review import TargetTable
from scoring.model.ruleset import Ruleset

KINDS: Mapping[str, AuditSpec] = {
    spec.name: spec for spec in (COMPLETION_CAP, TARGET_MISMATCH, VAGUE_TARGET, EVIDENCE_REQUIRED)
}
"""Every audit rule kind by name, in the order docs/audit.md lists them."""
AUDIT_BY = "复核"


def audit(
    rules: AuditRuleset,
    ruleset: Ruleset,
    facts: Facts,
    tables: Mapping[str, TargetTable] | None = None,
) -> AuditOverrides:
    """The audit layer ``rules`` give the department's scores of ``facts``: its overrides.

    Each rule applies, in order, to each indicator it lists that was scored (not 不适用); a
    rule's points stand for the next. An indicator whose points end where they began gets none.
    The rules and their indicators were checked when loaded (:mod:`scoring.load.audit`).

    Raises:
        EvaluationError: as scoring does, when the facts cannot be scored.
    """
    leaves = {each.path: each for each in _leaves(score(ruleset, facts).indicators)}
    nodes = {path: node for path, _, node in ruleset.walk() if node.is_leaf}
    values = Values(ruleset, facts)
    points: dict[str, Decimal] = {}
    reasons: dict[str, list[str]] = {}
    with localcontext(DECIMAL_CONTEXT):  # the engine's precision, for a completion rate
        for rule in rules.rules:
            spec = KINDS[rule.kind]
            params = spec.params.model_validate(rule.params)
            for path in rule.indicators:
                result, node = leaves.get(path), nodes[path]
                mark = None if result is None else _self_score(result)
                if mark is None or node.weight is None:
                    continue  # 不适用 (or 待填): nothing to audit
                so_far = points.get(path, mark)
                leaf = Leaf(path, node, node.weight, so_far, facts, values, tables or {})
                verdict = spec.run(params, leaf)
                if verdict is not None:
                    bounded = min(max(verdict.points, Decimal(0)), node.weight)
                    points[path] = round_score(bounded, ruleset.rounding)
                    reasons.setdefault(path, []).append(
                        f"复核规则 {rule.id}（{rule.description}）：{verdict.words}"
                    )
    return AuditOverrides(
        overrides={
            path: Override(points=points[path], reason="；".join(reasons[path]), by=AUDIT_BY)
            for path in sorted(points, key=list(nodes).index)
            if points[path] != _self_score(leaves[path])
        }
    )


def _self_score(result: IndicatorResult) -> Decimal | None:
    return result.self_score if result.self_score is not None else result.score


def _leaves(indicators: tuple[IndicatorResult, ...]) -> Iterator[IndicatorResult]:
    for each in indicators:
        if each.children:
            yield from _leaves(each.children)
        else:
            yield each


__all__ = ["AUDIT_BY", "KINDS", "AuditSpec", "audit"]
