"""结果应用 and the version in force: what a scored unit's grade proposes, and its year's rules.

:func:`propose` reads the ruleset's ``application:`` table for the grade (and, where the table
asks, the yes/no fact that says whether problems were rectified) and, for a reduction, the
declared amount; :func:`in_force_finding` says which version of the rules scored the facts'
year. :func:`check_application` is the table's load-time check. Pure.
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

from scoring.engine.derive import Values
from scoring.errors import EvaluationError
from scoring.i18n import _
from scoring.model.application import reduction_of
from scoring.model.facts import Facts
from scoring.model.formula import normalize_name
from scoring.model.in_force import facts_year, in_force_text
from scoring.model.numbers import show
from scoring.model.problems import Problem
from scoring.model.results import Finding, Proposal
from scoring.model.ruleset import Ruleset

ADVISORY = "结果应用建议（仅供参考，不作为预算安排决定）"
"""How every report heads a proposal: advice, never a decision."""


def propose(ruleset: Ruleset, grade: str | None, values: Values) -> Proposal | None:
    """What ``grade`` proposes for next year's budget, or None (no table, no grade, no rule)."""
    table = ruleset.application
    if table is None or grade is None:
        return None
    rectified = None
    if table.rectified is not None:
        found = _read(values, table.rectified)
        rectified = found if isinstance(found, bool) else None
    rule = table.rule_for(grade, rectified)
    if rule is None:
        return None
    amount = None
    if rule.reduce is not None and table.budget is not None:
        found = _read(values, table.budget)
        amount = found if isinstance(found, Decimal) else None
    reduction = (
        reduction_of(amount, rule.reduce, table.places)
        if amount is not None and rule.reduce is not None
        else None
    )
    proposal = Proposal(
        grade=grade,
        rectified=rectified if rule.rectified is not None else None,
        treatment=rule.treatment,
        source=table.source.text,
        budget=table.budget if rule.reduce is not None else None,
        amount=amount,
        reduce=rule.reduce,
        reduction=reduction,
        text="",
    )
    spec = ruleset.facts.get(table.budget or "")
    derived = ruleset.derived.get(table.budget or "")
    label = spec.label if spec is not None else derived.label if derived is not None else None
    unit = spec.unit if spec is not None else derived.unit if derived is not None else None
    return proposal.model_copy(update={"text": proposal_text(proposal, label, unit)})


def _read(values: Values, name: str) -> object:
    """A fact's or derived value's value, or None when it is blank or cannot be computed."""
    try:
        return values.get(values.plan.fold.get(name) or normalize_name(name))
    except EvaluationError:
        return None  # a blank amount: the proposal says the reduction was not computed


def in_force_state(ruleset: Ruleset, facts: Facts) -> tuple[bool, int] | None:
    """Whether the facts' year chose this version (True) or it scores outside its dates (False).

    With the year; None when the ruleset gives no dates, the facts no year, or the facts name
    this exact version and it is in force for their year (nothing to say).
    """
    effective = ruleset.effective
    if effective is None:
        return None
    try:
        year = facts_year(facts.subject)
    except ValueError:
        return None  # the loader refuses such a year where it chooses by year
    if year is None:
        return None
    if not effective.covers(year):
        return False, year
    return (True, year) if facts.ruleset == ruleset.id else None


def in_force_finding(ruleset: Ruleset, facts: Facts) -> Finding | None:
    """Which version scored the facts' year, when the ruleset says the dates it is in force.

    ``in_force``: the facts named only the id, and this version is the one in force for their
    year. ``out_of_force``: the version scored is not in force for their year (a named version,
    on request: replaying old facts under other rules).
    """
    state = in_force_state(ruleset, facts)
    if state is None or ruleset.effective is None:
        return None
    chosen, year = state
    message = in_force_text(ruleset.ref, ruleset.effective, year, chosen=chosen)
    if chosen:
        return Finding(code="in_force", message=message)
    return Finding(code="out_of_force", message=message)


def in_force_note(ruleset: Ruleset, facts: Facts) -> str | None:
    """The same, for the command line, in the language of messages."""
    state = in_force_state(ruleset, facts)
    if state is None or ruleset.effective is None:
        return None
    chosen, year = state
    if chosen:
        message = _(
            "the facts name only {id}: scored under {ref}, the version in force for {year} "
            "({period}); name another version (ruleset: {id}@VERSION) to score under it"
        )
    else:
        message = _("{ref} is in force {period}, not for {year}: scored under it, as named")
    period = ruleset.effective.period
    return message.format(id=ruleset.id, ref=ruleset.ref, year=year, period=period)


def check_application(ruleset: Ruleset) -> Iterator[Problem]:
    """The ``application:`` table's problems: unknown grades and names, shares outside 0–1."""
    table = ruleset.application
    if table is None:
        return
    names = {*ruleset.facts, *ruleset.derived}
    if table.budget is not None and table.budget not in names:
        message = _("unknown fact or derived value {name!r}").format(name=table.budget)
        yield Problem(("application", "budget"), message, field="budget")
    spec = ruleset.facts.get(table.rectified or "")
    if table.rectified is not None and (spec is None or spec.type != "boolean"):
        message = _("{name!r} is not a declared yes/no fact (type: boolean)").format(
            name=table.rectified
        )
        yield Problem(("application", "rectified"), message, field="rectified")
    grades = ruleset.grades or {}
    seen: set[tuple[str, bool | None]] = set()
    for index, rule in enumerate(table.rules):
        loc = ("application", "rules", index)
        if rule.grade not in grades:
            listed = _(", ").join(grades) or _("none")
            message = _("unknown grade {grade!r} (grades: {listed})").format(
                grade=rule.grade, listed=listed
            )
            yield Problem((*loc, "grade"), message, field="grade")
        if (rule.grade, rule.rectified) in seen or (rule.grade, None) in seen:
            message = _("a second rule for grade {grade!r}: the first one always applies").format(
                grade=rule.grade
            )
            yield Problem((*loc, "grade"), message, field="grade")
        seen.add((rule.grade, rule.rectified))
        if rule.rectified is not None and table.rectified is None:
            message = _("name the yes/no fact it reads, as application's rectified")
            yield Problem((*loc, "rectified"), message, field="rectified")
        if rule.reduce is not None and not 0 < rule.reduce <= 1:
            message = _("a share between 0 and 1 (0.1 for 10%), found {share}").format(
                share=rule.reduce
            )
            yield Problem((*loc, "reduce"), message, field="reduce")
        if rule.reduce is not None and table.budget is None:
            message = _("name the amount it reduces, as application's budget")
            yield Problem((*loc, "reduce"), message, field="reduce")


def proposal_text(proposal: Proposal, label: str | None, unit: str | None) -> str:
    """The proposal in one Chinese sentence, with its source."""
    status = {True: "，已整改到位", False: "，未整改到位", None: ""}[proposal.rectified]
    said = f"{ADVISORY}：等级 {proposal.grade}{status} → {proposal.treatment}"
    if proposal.reduce is not None:
        name = label or proposal.budget or ""
        share = show((proposal.reduce * 100).normalize())
        if proposal.reduction is None:
            said += f"（核减比例 {share}%；{name}未填报，核减额未计算）"
        else:
            money = unit or ""
            said += (
                f"（{name} {show(proposal.amount or Decimal(0))}{money} × {share}% = 建议核减 "
                f"{proposal.reduction:f}{money}）"
            )
    return f"{said}。依据：{proposal.source}"
