"""``boolean`` (是/否): full marks when a condition holds, ``false_score`` when not."""

from __future__ import annotations

from decimal import Decimal

from scoring.methods.common import formula_words, yes_no
from scoring.methods.spec import Emitter, MethodSpec, Outcome, Read, Toggle, Words, no_checks
from scoring.model.numbers import formula_text, trimmed
from scoring.model.ruleset import Indicator, Tier


def boolean(node: Indicator, weight: Decimal, read: Read, tiers: tuple[Tier, ...]) -> Outcome:
    """Yes or no: true scores the weight, false scores ``false_score``."""
    value = yes_no(read, "value")
    source = formula_text(node.value.source) if node.value else ""
    return Outcome(weight if value else node.false_score, f"{source}：{'是' if value else '否'}")


def _emit(node: Indicator, weight: Decimal, tiers: tuple[Tier, ...], out: Emitter) -> str:
    value = out.yes_no(node.value)
    return f"({out.const(weight)} if {value} else {out.const(node.false_score)})"


def _words(node: Indicator, words: Words) -> str:
    false = "不得分" if not node.false_score else f"得{trimmed(node.false_score)}分"
    return f"{formula_words(node.value)} 为“是”的得满分，否则{false}"


BOOLEAN = MethodSpec(
    name="boolean",
    required=frozenset({"value"}),
    optional=frozenset({"false_score"}),
    score=boolean,
    check=no_checks,
    wording=_words,
    gap=Toggle(),
    emit=_emit,
)
