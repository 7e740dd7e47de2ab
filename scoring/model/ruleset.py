"""Pydantic models of a ruleset: frozen, unknown keys refused; and where it was read from.

What needs the whole tree (weights that add up, names a formula reads, a method's parameters) is
checked by engine.checks after ``extends`` is merged, as the finance bureau will publish it.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator, Mapping
from decimal import Decimal
from typing import Any, Literal

from pydantic import Field, PrivateAttr, field_validator, model_validator

from scoring.errors import Issue
from scoring.i18n import _
from scoring.model.application import Application, Citation
from scoring.model.base import Model, Named
from scoring.model.formula import Formula
from scoring.model.in_force import Effective
from scoring.model.intervals import Interval
from scoring.model.located import LocatedDict
from scoring.model.monitoring import Monitoring
from scoring.model.panel import Panel
from scoring.model.red_flags import RedFlags
from scoring.model.worked_examples import RulesetTest

INDICATOR_ID = r"^[a-z][a-z0-9_]*$"
MAX_LEVELS = 3
FORMULA_FIELDS = ("actual", "target", "value", "count", "expr")
CHECK_NAMES = frozenset({"actual", "target", "value"})
"""What a check's ``when`` may read besides facts: the indicator's own evaluated parameters."""
NATIONAL_GRADES = {"优": Decimal(90), "良": Decimal(80), "中": Decimal(60), "差": Decimal(0)}

MethodName = Literal[
    "ratio",
    "reverse_ratio",
    "reverse_linear",
    "equal",
    "bands",
    "threshold",
    "tiers",
    "boolean",
    "deduct",
    "checklist",
    "cases",
    "choice",
    "weighted_average",
    "either",
    "formula",
    "deadline",
    "listed",
]
FactType = Literal["number", "integer", "boolean", "tier", "choice", "date", "list"]


class Rounding(Model):
    """How each leaf score is rounded: places, and 四舍五入 (half_up) by default."""

    places: int = Field(default=2, ge=0, le=6)
    mode: Literal["half_up", "half_even", "down"] = "half_up"


class FactSpec(Model):
    """A declared input: its label and unit for people, its type and bounds for the engine."""

    label: str | None = None
    unit: str | None = None
    type: FactType = "number"
    min: Decimal | None = None
    max: Decimal | None = None
    options: tuple[str, ...] | None = None
    description: str | None = None


class Derived(Model):
    """A named intermediate value computed from facts, shown in the breakdown."""

    expr: Formula
    label: str | None = None
    unit: str | None = None
    description: str | None = None
    on_zero_division: Decimal | Literal["error"] | None = Field(
        default=None,
        description="the value it takes when its formula divides by zero; error (as when left "
        "out) stops the unit, said on purpose",
    )

    @field_validator("on_zero_division", mode="after")
    @classmethod
    def _error_is_the_default(cls, value: Any) -> Any:
        # the same rules as leaving it out, so the same fingerprint: only lint sees it was said
        return None if value == "error" else value

    @model_validator(mode="before")
    @classmethod
    def _bare_formula(cls, data: Any) -> Any:
        if isinstance(data, str | int | Decimal):
            return {"expr": data}
        return data


class Tier(Model):
    """One 定性 tier: a label, the fraction range of the weight it allows, its synonyms.

    [low, high): the low end is this tier's, the high end the next one up's (a high of 1 included).
    """

    label: str
    range: tuple[Decimal, Decimal]
    default: Decimal | None = None
    synonyms: tuple[str, ...] = ()

    def names(self) -> tuple[str, ...]:
        """The label and its synonyms."""
        return (self.label, *self.synonyms)

    def allows(self, fraction: Decimal) -> bool:
        """Whether a score of ``fraction`` × weight lies in this tier."""
        low, high = self.range
        return low <= fraction < high or (high == 1 and fraction == 1)


class Band(Model):
    """One step of a `bands` indicator: the interval it covers, and the points it gives.

    Written as the scoring table writes it: ``at_least`` (≥, 含) or ``above`` (>) for the lower
    end, ``at_most`` (≤, 含) or ``below`` (<) for the upper, either left out, or ``equals`` alone.
    """

    at_least: Decimal | None = None
    above: Decimal | None = None
    at_most: Decimal | None = None
    below: Decimal | None = None
    equals: Decimal | None = None
    score: Decimal

    @model_validator(mode="after")
    def _one_interval(self) -> Band:
        if self.at_least is not None and self.above is not None:
            message = _("give at_least or above, not both")
            raise ValueError(message)
        if self.at_most is not None and self.below is not None:
            message = _("give at_most or below, not both")
            raise ValueError(message)
        ends = (self.at_least, self.above, self.at_most, self.below)
        if self.equals is not None and any(end is not None for end in ends):
            message = _("equals stands alone, without at_least, above, at_most or below")
            raise ValueError(message)
        if self.equals is None and all(end is None for end in ends):
            message = _("give the band's interval: at_least, above, at_most, below or equals")
            raise ValueError(message)
        return self

    @property
    def interval(self) -> Interval:
        """The values this band covers."""
        if self.equals is not None:
            return Interval(self.equals, True, self.equals, True)
        low = self.at_least if self.at_least is not None else self.above
        high = self.at_most if self.at_most is not None else self.below
        return Interval(low, self.above is None, high, self.below is None)


class Item(Model):
    """A checklist item, earning its points when ``met``, or a deduction, per ``count``."""

    id: str = Field(pattern=INDICATOR_ID)
    name: str = Field(min_length=1)
    points: Decimal
    met: Formula | None = None
    count: Formula | None = None


class Case(Model):
    """One line of a `cases` indicator: the first whose ``when`` holds gives its score."""

    when: Formula
    score: Decimal
    name: str | None = None


class Part(Model):
    """One criterion of a `weighted_average`: a sub-score out of 100 and its share."""

    name: str = Field(min_length=1)
    share: Decimal
    value: Formula


class Check(Model):
    """A condition that needs a note (偏差原因) rather than a different score."""

    when: Formula
    message: str = Field(min_length=1)
    level: Literal["note", "error"] = "note"


class Indicator(Model):
    """One node of the indicator tree (一级/二级/三级指标): a group with children, or a leaf."""

    id: str = Field(pattern=INDICATOR_ID)
    name: str = Field(min_length=1)
    weight: Decimal | None = None
    description: str | None = None
    standard: str | None = None
    rationale: str | None = None
    target_text: str | None = None
    unit: str | None = None
    children: tuple[Indicator, ...] | None = None
    method: MethodName | None = None
    # method parameters; checks.METHOD_PARAMETERS says which method takes which
    actual: Formula | None = None
    target: Formula | None = None
    on_zero_target: Literal["error", "full", "zero"] = "error"
    value: Formula | None = None
    tolerance: Decimal | None = None
    bands: tuple[Band, ...] | None = None
    hit: Literal["first", "unique"] | None = None
    otherwise: Decimal = Decimal(0)
    at_least: Decimal | None = None
    at_most: Decimal | None = None
    step: Decimal | None = None
    steps: Literal["proportional", "whole", "started"] | None = None
    fact: str | None = None
    due: str | None = None
    tiers: tuple[Tier, ...] | None = None
    false_score: Decimal = Decimal(0)
    count: Formula | None = None
    points: Decimal | None = None
    items: tuple[Item, ...] | None = None
    cases: tuple[Case, ...] | None = None
    options: dict[str, Decimal] | None = None
    parts: tuple[Part, ...] | None = None
    alternatives: tuple[Indicator, ...] | None = None
    expr: Formula | None = None
    checks: tuple[Check, ...] = ()
    cite: Citation | None = None

    @property
    def is_leaf(self) -> bool:
        """Whether this node is scored by a method rather than by its children."""
        return self.children is None

    def formulas(self) -> Iterator[tuple[tuple[str | int, ...], Formula]]:
        """Every formula of this leaf, with its key path, its alternatives' excepted."""
        for field in FORMULA_FIELDS:
            formula = getattr(self, field)
            if formula is not None:
                yield (field,), formula
        for index, item in enumerate(self.items or ()):
            for field in ("met", "count"):
                formula = getattr(item, field)
                if formula is not None:
                    yield ("items", index, field), formula
        for index, case in enumerate(self.cases or ()):
            yield ("cases", index, "when"), case.when
        for index, part in enumerate(self.parts or ()):
            yield ("parts", index, "value"), part.value
        for index, check in enumerate(self.checks):
            yield ("checks", index, "when"), check.when


Grades = dict[str, Decimal]


@dataclasses.dataclass(frozen=True)
class Origin:
    """Where a ruleset was read from: kept beside its rules, never part of them.

    Not compared, fingerprinted or serialised: the same rules are equal wherever they were read.
    """

    source: LocatedDict | None = dataclasses.field(default=None, compare=False, repr=False)
    """The data as merged with its ``extends`` chain, with positions: errors name file and line."""
    files: tuple[str, ...] = dataclasses.field(default=(), compare=False)
    """The files read: the ruleset's own first, then those it extends."""
    shown_files: tuple[str, ...] = dataclasses.field(default=(), compare=False)
    """``files`` as a result records them (a shipped file as ``<shipped>/…``)."""
    warnings: tuple[Issue, ...] = dataclasses.field(default=(), compare=False)
    """The problems of level warning found when it was loaded, located."""


@dataclasses.dataclass
class Kept:
    """What is worked out once from a ruleset's fields alone (they never change); not compared."""

    fingerprint: str | None = dataclasses.field(default=None, compare=False)
    """The fingerprint (:func:`scoring.model.fingerprint.ruleset_fingerprint`), once computed."""
    plan: Any = dataclasses.field(default=None, compare=False, repr=False)
    """The engine's plan (:class:`scoring.engine.plan.Plan`); not pickled, worked out again."""

    def __getstate__(self) -> dict[str, Any]:
        return {"fingerprint": self.fingerprint, "plan": None}


class Ruleset(Named):
    """A published set of scoring rules (规则集), named ``id@version``."""

    title: str
    basis: str | None = None
    description: str | None = None
    kind: Literal["project", "department"]
    extends: str | None = None
    total: Decimal = Decimal(100)
    grades: Grades | None = Field(default_factory=lambda: dict(NATIONAL_GRADES))
    rounding: Rounding = Rounding()
    not_applicable: Literal["rescale", "forbid"] = "rescale"
    min_applicable_share: Decimal | None = Field(
        default=None,
        description="below this share of the total left applicable (not 不适用), no grade is "
        "given (不予定级): 0.6 for 60%",
    )
    tiers: tuple[Tier, ...] | None = None
    facts: dict[str, FactSpec] = Field(default_factory=dict)
    derived: dict[str, Derived] = Field(default_factory=dict)
    indicators: tuple[Indicator, ...]
    monitoring: Monitoring | None = None
    effective: Effective | None = None
    application: Application | None = None
    panel: Panel | None = None
    red_flags: RedFlags | None = None
    tests: tuple[RulesetTest, ...] = ()

    _origin: Origin = PrivateAttr(default_factory=Origin)
    _kept: Kept = PrivateAttr(default_factory=Kept)

    @property
    def origin(self) -> Origin:
        """Where this ruleset was read from; the empty :class:`Origin` when built in memory."""
        return self._origin

    @property
    def kept(self) -> Kept:
        """What is worked out from the fields alone, kept with them: the fingerprint, the plan."""
        # straight from pydantic's store: ``self._kept`` goes through BaseModel.__getattr__,
        # a cost a batch pays several times a unit
        return self.__pydantic_private__["_kept"]  # type: ignore[index,no-any-return]

    def read_from(self, origin: Origin) -> Ruleset:
        """This ruleset as read from ``origin``: equal to it, with its fingerprint and plan."""
        copied = super().model_copy()  # the same fields: what was worked out from them holds
        copied._origin = origin
        return copied

    def model_copy(self, *, update: Mapping[str, Any] | None = None, deep: bool = False) -> Ruleset:
        """A copy; with ``update`` its fields differ: its fingerprint and plan are its own."""
        copied = super().model_copy(update=update, deep=deep)
        copied._kept = Kept()
        return copied

    def walk(self) -> list[tuple[str, int, Indicator]]:
        """Every indicator as (dotted path, level, node), parents before children."""
        found: list[tuple[str, int, Indicator]] = []

        def visit(node: Indicator, prefix: str, level: int) -> None:
            path = f"{prefix}.{node.id}" if prefix else node.id
            found.append((path, level, node))
            for child in node.children or ():
                visit(child, path, level + 1)

        for node in self.indicators:
            visit(node, "", 1)
        return found

    @property
    def is_template(self) -> bool:
        """Whether an empty group or a missing weight makes this a template to extend."""
        return any(node.weight is None or node.children == () for _, _, node in self.walk())
