"""A subject's values: its facts, and the derived values computed from them when first read.

Every read is recorded for the audit trail; a derived value that fails names itself and its line.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal, localcontext

from scoring.engine.plan import plan
from scoring.errors import DivisionByZeroError, EvaluationError
from scoring.i18n import _
from scoring.model.facts import Facts, FactValue, Override, TierClaim
from scoring.model.formula import DECIMAL_CONTEXT, Formula, Value
from scoring.model.located import locate
from scoring.model.numbers import percent, show
from scoring.model.program import StepBudget
from scoring.model.results import DerivedResult, Finding, assembled
from scoring.model.ruleset import Ruleset

Read = Value | TierClaim | tuple[str, ...]
"""A value a leaf read: a fact's (a list fact's items) or a derived value's."""


def _text(value: Read) -> str:
    if isinstance(value, tuple):  # a list fact's items
        return "；".join(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, TierClaim):
        return value.tier
    if isinstance(value, Decimal):
        return show(value)
    return str(value)


def exact_text(value: Read) -> str:
    """A value as the audit trail records it: numbers in full, not rounded for display."""
    return format(value, "f") if isinstance(value, Decimal) else _text(value)


class BlankFactError(EvaluationError):
    """A fact read has no value: an error, except in a form in progress (``partial``)."""


class Values:
    """Facts and lazily computed derived values, by folded name."""

    def __init__(self, ruleset: Ruleset, facts: Facts, audit: Mapping[str, Override] = {}):
        self.ruleset = ruleset
        self.given_facts = facts
        self.audit = audit
        kept = self.plan = plan(ruleset)
        self.declared = kept.declared
        self.facts: dict[str, FactValue] = kept.folded(facts.facts)
        self.derived = kept.derived
        self.readers = kept.readers
        self.computed: dict[str, Value] = {}
        self.budget = StepBudget()
        self.partial = False

    def get(self, name: str) -> Read:
        """The value of a fact or derived value (folded name), computed once when derived.

        Raises:
            EvaluationError: the derived value's formula fails, placed at its line.
        """
        if name in self.facts:
            return self.facts[name]
        if name in self.computed:
            return self.computed[name]
        if name not in self.derived:
            message = _("fact {name!r} has no value").format(name=self.declared.get(name, name))
            raise BlankFactError(message)
        declared = self.derived[name]
        spec = self.ruleset.derived[declared]
        path = f"derived.{declared}"
        try:
            value = self.evaluate(spec.expr, {})
        except DivisionByZeroError as exc:
            if spec.on_zero_division is None:
                where = locate(self.ruleset.origin.source, ("derived", declared, "expr"))
                raise exc.at(path, where) from exc
            value = spec.on_zero_division
        except EvaluationError as exc:
            where = locate(self.ruleset.origin.source, ("derived", declared, "expr"))
            raise exc.at(path, where) from exc
        self.computed[name] = value
        return value

    def given(self, names: set[str]) -> list[str]:
        """Of the facts behind ``names`` (through derived values), those with no value."""
        behind = self.plan.names_behind(frozenset(names))
        return sorted(
            self.declared[name]
            for name in behind
            if name in self.declared and name not in self.derived and name not in self.facts
        )

    def evaluate(
        self, formula: Formula, reads: dict[str, Read], local: dict[str, Value] | None = None
    ) -> Value:
        """``formula`` on these values (``local`` first), each read recorded in ``reads``."""
        read = self.readers.get(id(formula))
        if read is None:
            read = self.plan.reader(formula)
        return read(self, reads, local)


def derive(ruleset: Ruleset, facts: Facts) -> tuple[dict[str, DerivedResult], list[Finding]]:
    """The derived values alone, without scoring (a template's formulas can be checked too).

    A derived value that cannot be computed is left out, with a finding saying why.
    """
    findings: list[Finding] = []
    with localcontext(DECIMAL_CONTEXT):
        return all_derived(ruleset, Values(ruleset, facts), findings), findings


def all_derived(
    ruleset: Ruleset, values: Values, findings: list[Finding]
) -> dict[str, DerivedResult]:
    """Every derived value the facts allow, as a result shows it; a failure is a finding."""
    shown: dict[str, DerivedResult] = {}
    given = values.facts.keys()
    for name, key, needs, spec in values.plan.shown:
        if not needs <= given:
            continue  # reads a fact left out because its indicators are 不适用
        try:
            value = values.get(key)
        except EvaluationError as exc:
            # a note of the 自评表: Chinese in every language, so never the error's own words
            # (which follow the language of messages, and a result must verify in any)
            why = "除数为0" if isinstance(exc, DivisionByZeroError) else "公式无法求值"
            message = f"无法计算（{why}）"
            findings.append(Finding(code="derived_failed", message=message, path=f"derived.{name}"))
            continue
        text = percent(value) if isinstance(value, Decimal) and spec.unit == "%" else _text(value)
        # every field given, each of its type: built without validating it again
        shown[name] = assembled(
            DerivedResult,
            {"value": exact_text(value), "shown": text, "label": spec.label, "unit": spec.unit},
        )
    return shown
