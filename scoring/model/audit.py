"""What an audit ruleset (复核规则) IS: rules applied to another ruleset's results, by indicator.

An audit ruleset says ``kind: audit`` and ``applies_to`` the scoring ruleset whose results it
reviews (``id@version``, or a bare id for every version). Each rule names its ``kind``, a spec
registered in :mod:`scoring.audit`, with that kind's ``params``, the indicators (leaf paths) it
applies to, its words (``description``, Chinese, shown in each override's reason) and the
document it rests on (``cite``). Its worked examples score facts and expect the audited total.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any, Literal

from pydantic import Field

from scoring.model.base import Model, Named
from scoring.model.ruleset import INDICATOR_ID


class AuditRule(Model):
    """One 复核 rule: its id, kind, parameters, the indicators it reads, its words and basis."""

    id: str = Field(pattern=INDICATOR_ID)
    kind: str = Field(min_length=1)
    indicators: tuple[str, ...] = Field(min_length=1)
    description: str = Field(min_length=1)
    cite: str = Field(min_length=1)
    params: dict[str, Any] = Field(default_factory=dict)


class AuditExpectation(Model):
    """What an audit worked example must give: the audited total, grade and leaf scores."""

    total: Decimal | None = None
    grade: str | None = None
    scores: dict[str, Decimal] = Field(default_factory=dict)


class AuditTest(Model):
    """A worked example: facts (and 不适用), scored, audited, and what the audit must give."""

    name: str = Field(min_length=1)
    facts: dict[str, Any] = Field(default_factory=dict)
    not_applicable: tuple[str, ...] = ()
    expect: AuditExpectation


class AuditRuleset(Named):
    """A published set of 复核 rules, named ``id@version``, for one scoring ruleset."""

    kind: Literal["audit"]
    title: str
    applies_to: str = Field(min_length=1)
    basis: str | None = None
    description: str | None = None
    rules: tuple[AuditRule, ...] = Field(min_length=1)
    tests: tuple[AuditTest, ...] = ()
