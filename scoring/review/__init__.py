"""The review checks, one module per family, each exporting its :class:`CheckSpec`; and review().

:data:`CHECKS` registers them by name. A review ruleset's rule names one (``check:``) and gives
its parameters; :func:`review` runs every rule over a batch of target tables and returns the
findings, each located at its cell. Pure: no files, no clock.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from scoring.model.review import Finding, History, ReviewRuleset, TableInput
from scoring.review.history import HISTORY
from scoring.review.spec import Batch, CheckSpec
from scoring.review.structure import REQUIRED_TYPES
from scoring.review.text import COPIED_TEXT, EXPLANATION
from scoring.review.values import DIRECTION, MEASURABLE, TIMELINESS, VAGUE_VALUE

CHECKS: Mapping[str, CheckSpec] = {
    spec.name: spec
    for spec in (
        REQUIRED_TYPES,
        MEASURABLE,
        VAGUE_VALUE,
        DIRECTION,
        TIMELINESS,
        EXPLANATION,
        COPIED_TEXT,
        HISTORY,
    )
}
"""Every review check by name, in the order docs/review.md lists them."""


def review(
    ruleset: ReviewRuleset, tables: Sequence[TableInput], history: History | None = None
) -> tuple[Finding, ...]:
    """Every finding of every rule over ``tables`` (reviewed together), in table and row order.

    The rules' parameters were checked when the ruleset was loaded
    (:func:`scoring.load.review.parse_review_ruleset`).
    """
    batch = Batch(tuple(tables), history)
    found: list[tuple[tuple[int, int, int, str], Finding]] = []
    for order, rule in enumerate(ruleset.rules):
        spec = CHECKS[rule.check]
        params = spec.params.model_validate(rule.params)
        for each in spec.run(params, batch):
            table = tables[each.table]
            finding = Finding(
                rule=rule.id,
                severity=rule.severity,
                where=table.where(each.row, each.field),
                target=None if each.row is None else table.table.targets[each.row].name,
                message=each.message,
            )
            row = -1 if each.row is None else each.row
            found.append(((each.table, row, order, each.field), finding))
    return tuple(finding for _key, finding in sorted(found, key=lambda pair: pair[0]))


__all__ = ["CHECKS", "CheckSpec", "review"]
