"""The red flags of a batch (a ruleset's ``red_flags:``): which units a bureau looks at first.

:func:`unit_flags` judges one scored unit on its own (every point given, much of the weight
不适用); :func:`facts_digest` is what :class:`scoring.analysis.batch.Duplicates` keeps to find
units whose facts are the same as an earlier one's, in a table that stays small however many
units the batch has. Pure.
"""

from __future__ import annotations

import hashlib
from decimal import Decimal

from scoring.engine.score import Scored
from scoring.i18n import _
from scoring.model.fingerprint import facts_fingerprint
from scoring.model.numbers import percent, show

DIGEST_BYTES = 12


def unit_flags(done: Scored, claimed: Decimal | None = None) -> tuple[str, ...]:
    """The red flags one scored unit raises on its own, in the order the section lists them.

    ``claimed``: the total the unit's own report claims (a table's 自评总分), if given.
    """
    rules = done.ruleset.red_flags
    if rules is None:
        return ()
    flags = []
    if rules.full_marks and not done.pending and done.plain_sum == done.applicable:
        flags.append(_("every applicable indicator at full marks"))
    share = rules.not_applicable_share
    if share is not None and done.not_applicable:
        left_out = 1 - done.applicable / done.ruleset.total
        if left_out >= share:
            message = _("{share} of the weight 不适用 (the ruleset flags {least} or more)")
            flags.append(message.format(share=percent(left_out), least=percent(share)))
    margin = rules.self_score_margin
    if margin is not None and claimed is not None and claimed - done.total > margin:
        message = _(
            "claims {claimed}, {gap} above the {total} its facts give "
            "(the ruleset flags more than {margin})"
        )
        gap = claimed - done.total
        flags.append(
            message.format(
                claimed=show(claimed), gap=show(gap), total=show(done.total), margin=show(margin)
            )
        )
    return tuple(flags)


def facts_digest(done: Scored) -> bytes | None:
    """A digest of the unit's facts without its subject, when the ruleset flags identical facts."""
    rules = done.ruleset.red_flags
    if rules is None or not rules.identical_facts:
        return None
    facts = done.facts.model_copy(update={"subject": {}, "ruleset": None})
    return hashlib.blake2b(
        facts_fingerprint(facts).encode("ascii"), digest_size=DIGEST_BYTES
    ).digest()


def identical_flag(first: str) -> str:
    """The flag of a unit whose facts are the same as those of ``first`` (its source or row)."""
    return _("the same facts as {first}").format(first=first)
