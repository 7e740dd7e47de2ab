"""Frozen results of scoring: IndicatorResult (recursive), ScoreResult, Finding."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any, Literal, TypeVar, get_args

from pydantic import BaseModel, ConfigDict, Field

from scoring.model.facts import Facts, Override


class Result(BaseModel):
    """Base of every result model: immutable, and serialised with keys in field order.

    Their validators and serialisers are built when first used (a JSON result, a result read
    back), not on import: ``scoring score`` drawing a breakdown uses neither.
    """

    model_config = ConfigDict(frozen=True, extra="forbid", defer_build=True)


R = TypeVar("R", bound=Result)

_setattr = object.__setattr__


def assembled(cls: type[R], fields: Mapping[str, Any]) -> R:
    """A result model from every one of its fields, each already of its type: not validated.

    What ``model_construct`` does when every field is given, without its per-field alias and
    default handling: the engine builds some twenty of these per unit. A field left out is a
    KeyError. The models are frozen, so every one of a class shares one set of fields set
    (pydantic copies it before it changes it, in ``model_copy``): one object fewer per model
    for the garbage collector to scan while results are kept.
    """
    names = _ALL_SET.get(cls)
    if names is None:
        names = _ALL_SET[cls] = set(cls.__pydantic_fields__)
    model = cls.__new__(cls)
    _setattr(model, "__dict__", {name: fields[name] for name in cls.__pydantic_fields__})
    _setattr(model, "__pydantic_fields_set__", names)
    _setattr(model, "__pydantic_extra__", None)
    _setattr(model, "__pydantic_private__", None)
    return model


_ALL_SET: dict[type[Result], set[str]] = {}


FindingCode = Literal[
    "check",  # a leaf's check holds: a note (偏差原因) the unit should give
    "derived_failed",  # a derived value cannot be computed (a division by zero …)
    "grade_withheld",  # too little of the weight is applicable to grade (min_applicable_share)
    "in_force",  # the facts named only the ruleset's id: the version in force for their year
    "mostly_not_applicable",  # more than half the weight is 不适用
    "out_of_force",  # the version scored is not in force for the facts' year (named on request)
    "panel_spread",  # an expert panel's scores for an indicator differ by more than allowed
    "pending",  # a form in progress: indicators still 待填, no grade yet
    "pending_override",  # an override waits for its indicator's facts
    "rescaled",  # 不适用 indicators: total = sum / applicable weight × the ruleset's total
    "ruleset_mismatch",  # the facts name another ruleset than the one they were scored under
]
"""What a finding is about; the engine emits no other code."""
FINDING_CODES = frozenset(get_args(FindingCode))


class Finding(Result):
    """Something a reader should know that does not change a score."""

    code: FindingCode
    message: str
    path: str | None = None


class AppliedOverride(Result):
    """A person's points in place of a score: whose layer, what it replaced, why and who."""

    layer: Literal["self", "audit"] = Field(
        description="self: the department's own (facts file); audit: an auditor's, on top"
    )
    points: Decimal
    replaced: Decimal = Field(description="the score it replaced (computed, or the department's)")
    reason: str
    by: str


SUBJECT_ORDER = ("unit", "project", "year")


def subject_keys(
    subject: Iterable[str], first: Iterable[str] = SUBJECT_ORDER, *, sort_rest: bool = False
) -> list[str]:
    """A subject's keys with ``first`` ahead (those present), then the rest as given or sorted."""
    present = list(dict.fromkeys(subject))
    leading = [key for key in first if key in present]
    rest = [key for key in present if key not in leading]
    return [*leading, *(sorted(rest) if sort_rest else rest)]


def subject_line(subject: Mapping[str, str]) -> str:
    """Who was scored, in one line: unit, project and year first."""
    return " ".join(subject[key] for key in subject_keys(subject))


GRADE_WITHHELD = "不予定级"
GRADE_PENDING = "待填完后定级"
"""The grade cell of a result whose ruleset withholds the grade (``min_applicable_share``)."""

OVERRIDE_LABELS = {"self": "自评调整", "audit": "审核调整"}
"""The department's own override, and an auditor's, as the 自评表 names them."""


def override_text(override: AppliedOverride) -> str:
    """One override as the breakdown and the reports show it: whose, from what to what, why, who."""
    label = OVERRIDE_LABELS[override.layer]
    return (
        f"{label}：{override.replaced:f} → {override.points:f}，"
        f"理由：{override.reason}（{override.by}）"
    )


NOT_APPLICABLE_EXCLUDED = "不含不适用指标"
"""What the 合计 row says when 不适用 indicators were left out of it."""


def rescaled_text(plain: Decimal, applicable: Decimal, total: Decimal, rescaled: Decimal) -> str:
    """How 不适用 indicators change the total.

    ``不适用指标不计入：总分 = 90.00 / 90 × 100 = 100.00``
    """
    return f"不适用指标不计入：总分 = {plain:f} / {applicable:f} × {total:f} = {rescaled:f}"


def computed_text(total: Decimal, grade: str | None) -> str:
    """The total before any override, beside the total that counts."""
    return f"未经调整的计算得分 {total:f}{f'（{grade}）' if grade else ''}"


class Proposal(Result):
    """What a result proposes for next year's budget, from the ruleset's ``application`` table."""

    grade: str
    rectified: bool | None = None
    treatment: str
    source: str = Field(description="the document the table comes from")
    budget: str | None = Field(default=None, description="the amount's fact or derived value")
    amount: Decimal | None = Field(default=None, description="that amount, as given")
    reduce: Decimal | None = Field(default=None, description="the share to reduce")
    reduction: Decimal | None = Field(
        default=None, description="amount × share, rounded half up; null when none or blank"
    )
    text: str = Field(description="the proposal in words, as every report shows it")


class IndicatorResult(Result):
    """One indicator's line of the breakdown: its weight, its score and why."""

    path: str
    id: str
    name: str
    level: int
    weight: Decimal | None
    score: Decimal | None = Field(description="null when the indicator is 不适用 or 待填")
    computed_score: Decimal | None = Field(
        default=None, description="the engine's score, when overrides made it differ"
    )
    self_score: Decimal | None = Field(
        default=None, description="the department's score, when an auditor's overrides differ"
    )
    overrides: tuple[AppliedOverride, ...] = ()
    status: Literal["scored", "not_applicable", "pending"] = Field(
        description="pending (待填): a form in progress left this indicator's facts blank"
    )
    method: str | None = None
    target_text: str | None = None
    unit: str | None = None
    explanation: str = ""
    reads: dict[str, str] = Field(
        default_factory=dict, description="the facts and derived values this leaf read, as text"
    )
    children: tuple[IndicatorResult, ...] = ()
    cite: str | None = Field(
        default=None,
        exclude_if=lambda value: value is None,
        description="the document this indicator's rule comes from (文件名, 文号, 条款)",
    )

    @property
    def applicable_weight(self) -> Decimal:
        """The weight of what was scored under this node: a 不适用 child's weight is not lost."""
        if self.status == "not_applicable" or self.weight is None:
            return Decimal(0)
        if not self.children:
            return self.weight
        return sum((child.applicable_weight for child in self.children), Decimal(0))


class DerivedResult(Result):
    """A derived value: exact, and as a person reads it (a rate with unit % as a percentage)."""

    value: str = Field(description="the exact value the indicators used")
    shown: str = Field(description="rounded for people: 4 decimal places, or a percentage")
    label: str | None = None
    unit: str | None = None


class EngineInfo(Result):
    """Which engine produced a result."""

    name: str
    version: str


class RulesetInfo(Result):
    """Which rules a result was scored under."""

    id: str
    version: str
    title: str
    basis: str | None
    fingerprint: str
    files: tuple[str, ...] = Field(
        default=(),
        description="the ruleset file scored, then each file it extends; a file shipped with "
        "scoring as <shipped>/…",
    )


class ScoreResult(Result):
    """The total, the grade and the full breakdown of one subject's facts under one ruleset."""

    engine: EngineInfo
    ruleset: RulesetInfo
    facts_fingerprint: str
    audit_fingerprint: str | None = None
    subject: dict[str, str]
    total: Decimal
    grade: str | None = Field(
        description="null when ungraded, or withheld (a form in progress, too little applicable)"
    )
    partial: bool = Field(
        default=False,
        description="true for a form in progress (score --partial with facts left blank): the "
        "total counts the indicators scored so far, and the grade is withheld",
    )
    pending: tuple[str, ...] = Field(
        default=(), description="the paths of the 待填 indicators, whose facts are blank"
    )
    reachable: Decimal | None = Field(
        default=None,
        description="for a form in progress: the most the total can still reach, with every "
        "待填 indicator at its full 分值",
    )
    grade_withheld: str | None = Field(
        default=None, description="why no grade is given (不予定级), when it is withheld"
    )
    computed_total: Decimal | None = Field(
        default=None, description="the total without any override (when there are overrides)"
    )
    computed_grade: str | None = None
    self_total: Decimal | None = Field(
        default=None, description="the department's total, when an auditor's overrides apply"
    )
    self_grade: str | None = None
    max_total: Decimal
    sum: Decimal = Field(description="the plain sum of the indicators' scores")
    applicable_weight: Decimal = Field(description="the weights of the indicators that were scored")
    rescaled: bool = Field(
        description="true when 不适用 indicators made total = sum / applicable × max"
    )
    not_applicable: tuple[str, ...]
    derived: dict[str, DerivedResult]
    indicators: tuple[IndicatorResult, ...]
    findings: tuple[Finding, ...] = ()
    facts: Facts = Field(description="the facts scored, so that a result alone can be re-scored")
    audit_overrides: dict[str, Override] = Field(default_factory=dict)
    application: Proposal | None = Field(
        default=None,
        exclude_if=lambda value: value is None,
        description="结果应用: what the grade proposes for next year's budget (advice, never a "
        "decision); left out when the ruleset has no application table or there is no grade",
    )

    def grade_text(self, grade: str | None, empty: str = "—") -> str:
        """A grade as the 自评表 shows it: 待填完后定级, 不予定级, else ``empty`` if none."""
        if grade:
            return grade
        if self.partial:
            return GRADE_PENDING
        return GRADE_WITHHELD if self.grade_withheld else empty

    @property
    def subject_text(self) -> str:
        """Who was scored, in one line: unit, project and year first."""
        return subject_line(self.subject)

    def walk(self) -> list[IndicatorResult]:
        """Every indicator result, parents before children."""
        found: list[IndicatorResult] = []
        stack = list(reversed(self.indicators))
        while stack:
            node = stack.pop()
            found.append(node)
            stack.extend(reversed(node.children))
        return found
