"""The department's form: its fields made from a ruleset's declared facts, and what it scores.

A filled form becomes a facts document (the shape of ``schemas/facts.schema.json``) read by
:mod:`scoring.load.facts`, the reader of every command: the same value parser (rates as people
type them, 是/否, tier labels) and the same messages, each placed at its field.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from scoring.analysis.gap import Gap, gap
from scoring.engine.plan import facts_read
from scoring.engine.score import score
from scoring.errors import Issue, ScoringError
from scoring.i18n import N_, _
from scoring.load.facts import FactsInput, parse_facts_text
from scoring.load.registry import Registry
from scoring.load.rulesets import load_ruleset
from scoring.load.workbook import TIER_CLAIM_SYNTAX
from scoring.model.results import ScoreResult
from scoring.model.ruleset import Ruleset
from scoring.model.tier_scale import tier_scale
from scoring.model.values import normalise_text
from scoring.render.template import bounds_of

FORM_FILE = "form.json"
"""The name the facts of a form are read under (a form has no file)."""
SUBJECT = (("unit", N_("Unit")), ("project", N_("Project")), ("year", N_("Year")))
"""The subject fields of every form: the key of a facts file, and its label (shown translated)."""
YES_NO = ("是", "否")
TIER_PARTS = ("score", "note")
"""The fields a tier fact has besides its label: 得分 and 说明."""
PLAIN_NUMBER = re.compile(r"[+-]?[0-9]+(?:\.[0-9]+)?")
NOT_APPLICABLE_LEVELS = 2
"""不适用 is offered for the 一级 and 二级 indicators, as ``scoring template`` lists them."""


@dataclass(frozen=True)
class Field:
    """One input of the form: a declared fact, with how it is asked for."""

    name: str
    label: str
    unit: str | None
    bounds: str | None
    choices: tuple[str, ...] | None
    """The values of a select (是/否, tier labels, options); None for a typed-in value."""
    optional: bool
    """No applicable indicator reads it."""
    description: str | None = None
    is_tier: bool = False
    """A 定性 tier: its 得分 and 说明 are asked for too (a tier without a default needs them)."""
    kind: str = "number"
    """The declared type: a date is asked for in a date input, a list in a box of lines."""

    @property
    def input_name(self) -> str:
        """The name of its input in the form."""
        return f"fact.{self.name}"


@dataclass(frozen=True)
class Skippable:
    """An indicator the department may mark 不适用."""

    path: str
    name: str
    level: int


def ruleset_by_ref(ref: str, search_path: Iterable[Path]) -> Ruleset:
    """The ruleset ``id@version`` (or a bare id) names on the search path; never a file path.

    Raises:
        SearchPathError: when no ruleset on the search path has that name.
        RulesetError: when it is invalid.
    """
    directories = tuple(search_path)
    return load_ruleset(Registry(directories).find(ref).path, directories)


def fields(ruleset: Ruleset) -> list[Field]:
    """The form's inputs, one per declared fact, in the ruleset's order."""
    read = facts_read(ruleset, set(), alternatives=True)
    found = []
    for name, spec in ruleset.facts.items():
        choices: tuple[str, ...] | None = None
        if spec.type == "boolean":
            choices = YES_NO
        elif spec.type == "tier":
            choices = tuple(tier.label for tier in tier_scale(ruleset, name)[0])
        elif spec.type == "choice":
            choices = spec.options or ()
        found.append(
            Field(
                name=name,
                label=spec.label or name,
                unit=spec.unit,
                bounds=bounds_of(spec),
                choices=choices,
                optional=name not in read,
                description=spec.description,
                is_tier=spec.type == "tier",
                kind=spec.type,
            )
        )
    return found


def optional_indicators(ruleset: Ruleset) -> list[Skippable]:
    """The indicators a department may mark 不适用: none when the ruleset forbids it."""
    if ruleset.not_applicable == "forbid":
        return []
    return [
        Skippable(path, node.name, level)
        for path, level, node in ruleset.walk()
        if level <= NOT_APPLICABLE_LEVELS
    ]


def facts_document(ruleset: Ruleset, form: Mapping[str, Any]) -> dict[str, Any]:
    """A filled form as a facts document; a field left empty is left out.

    A tier given with its 得分 or 说明 is ``{tier, score, note}``, the score a number when it is
    written as one (else the text, which the reader refuses at its field).
    """
    subject = {key: text for key, _label in SUBJECT if (text := _text(form, f"subject.{key}"))}
    facts: dict[str, Any] = {}
    for name, spec in ruleset.facts.items():
        text = _text(form, f"fact.{name}")
        parts = {part: _text(form, f"fact.{name}.{part}") for part in TIER_PARTS}
        if spec.type == "tier" and any(parts.values()):
            claim: dict[str, Any] = {"tier": text} if text else {}
            if parts["score"]:
                written = normalise_text(parts["score"])
                claim["score"] = Decimal(written) if PLAIN_NUMBER.fullmatch(written) else written
            if parts["note"]:
                claim["note"] = parts["note"]
            facts[name] = claim
        elif text:
            facts[name] = text
    chosen = form.getlist("not_applicable") if hasattr(form, "getlist") else []
    return {
        "ruleset": ruleset.ref,
        "subject": subject,
        "facts": facts,
        "not_applicable": [str(path) for path in chosen],
    }


def form_source(ruleset: Ruleset, form: Mapping[str, Any]) -> FactsInput:
    """A filled form, read as the facts file it stands for."""
    return parse_facts_text(document_json(facts_document(ruleset, form)), FORM_FILE)


def document_json(value: Any, *, sort_keys: bool = False) -> str:
    """A facts document as JSON text, a Decimal (a tier's 得分) written as the exact number."""
    if isinstance(value, dict):
        keys = sorted(value) if sort_keys else list(value)
        items = (
            json.dumps(key, ensure_ascii=False)
            + ": "
            + document_json(value[key], sort_keys=sort_keys)
            for key in keys
        )
        return "{" + ", ".join(items) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(document_json(item, sort_keys=sort_keys) for item in value) + "]"
    if isinstance(value, Decimal):
        return format(value, "f")
    return json.dumps(value, ensure_ascii=False)


def form_values(document: Mapping[str, Any]) -> tuple[dict[str, Any], set[str]]:
    """A facts document as the form's fields (the reverse of :func:`facts_document`)."""
    values = {f"subject.{key}": value for key, value in document.get("subject", {}).items()}
    for name, value in document.get("facts", {}).items():
        if isinstance(value, dict):
            values[f"fact.{name}"] = value.get("tier")
            values |= {f"fact.{name}.{part}": value.get(part) for part in TIER_PARTS}
        else:
            values[f"fact.{name}"] = value
    shown = {key: _shown(value) for key, value in values.items() if value is not None}
    return shown, {str(path) for path in document.get("not_applicable", [])}


def _shown(value: Any) -> str:
    if isinstance(value, list | tuple):  # a list fact's items, one a line as the form asks
        return "\n".join(str(item) for item in value)
    if isinstance(value, bool):
        return YES_NO[0] if value else YES_NO[1]
    return format(value, "f") if isinstance(value, Decimal) else str(value)


def _text(form: Mapping[str, Any], key: str) -> str:
    value = form.get(key)
    return value.strip() if isinstance(value, str) else ""


@dataclass
class Outcome:
    """A form scored: the result and the gap, or the problems placed at their fields."""

    result: ScoreResult | None = None
    gap: Gap | None = None
    errors: dict[str, str] = field(default_factory=dict)
    """A message for each input name, the same as the command line's."""
    problems: list[str] = field(default_factory=list)
    """The messages that belong to no one field."""
    issues: tuple[Issue, ...] = ()
    """Every problem with where it is (file, line and column, or a workbook's cell)."""


def evaluate(ruleset: Ruleset, source: FactsInput, *, partial: bool = False) -> Outcome:
    """Score the facts of a form, and find its gap when every fact is given.

    With ``partial`` (as they type), facts left blank are 待填, not problems.
    """
    try:
        facts = source.check(ruleset, partial=partial)
        result = score(ruleset, facts, partial=partial)
    except ScoringError as exc:
        return _placed(ruleset, exc.issues)
    found = None
    if not result.pending:
        try:
            found = gap(ruleset, facts)
        except ScoringError:
            found = None  # the result stands; what it lacks is not worked out
    return Outcome(result=result, gap=found)


def _placed(ruleset: Ruleset, issues: Iterable[Issue]) -> Outcome:
    issues = tuple(issues)
    outcome = Outcome(issues=issues)
    subject = {key for key, _label in SUBJECT}
    for issue in issues:
        if issue.field in ruleset.facts:
            where = f"fact.{issue.field}"
        elif issue.field in subject:
            where = f"subject.{issue.field}"
        else:
            shown = f"[{issue.path}] {issue.message}" if issue.path else issue.message
            outcome.problems.append(shown)
            continue
        message = _in_form_words(ruleset, issue)
        before = outcome.errors.get(where)
        outcome.errors[where] = f"{before}；{message}" if before else message
    return outcome


def _in_form_words(ruleset: Ruleset, issue: Issue) -> str:
    """A facts-file message that asks for YAML syntax, said in the form's terms instead."""
    spec = ruleset.facts.get(issue.field or "")
    if spec is None or spec.type != "tier" or TIER_CLAIM_SYNTAX not in issue.message:
        return issue.message
    return _("this tier has no default score: fill in its 得分 and 说明")
