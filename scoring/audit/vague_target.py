"""``vague_target``: graded deductions for a vague target (效果明显, 逐步提高, 进一步).

Each grade lists phrases and the points off; the first grade whose phrase the indicator's
target (``target_text``, else its name) contains applies (never below 0).
"""

from __future__ import annotations

from decimal import Decimal

from pydantic import Field

from scoring.audit.spec import AuditSpec, Leaf, Verdict
from scoring.model.base import Model
from scoring.model.numbers import show


class Grade(Model):
    """Phrases that make a target vague to this degree, and the points off for it."""

    phrases: tuple[str, ...] = Field(min_length=1)
    deduct: Decimal = Field(gt=0)


class VagueTarget(Model):
    """The grades, gravest first."""

    grades: tuple[Grade, ...] = Field(min_length=1)


def _run(params: VagueTarget, leaf: Leaf) -> Verdict | None:
    text = leaf.node.target_text or leaf.node.name
    for grade in params.grades:
        phrase = next((each for each in grade.phrases if each in text), None)
        if phrase is not None:
            points = max(leaf.score - grade.deduct, Decimal(0))
            words = f"指标值「{text}」含模糊表述「{phrase}」，扣 {show(grade.deduct)} 分"
            return Verdict(points, words)
    return None


VAGUE_TARGET = AuditSpec("vague_target", VagueTarget, _run)
