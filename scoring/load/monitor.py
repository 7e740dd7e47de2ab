"""Read monitoring facts: a facts file with ``as_of`` (YYYY-MM) and per-indicator explanations.

A monitoring facts file is an ordinary facts file (the year's facts, each the value completed so
far) with two more keys: ``as_of: 2022-07``, the month it stands at, and ``monitoring:``, per
monitored indicator path its 定性 ``statement`` and, where the light is red or yellow, its
``reason``, ``category``, ``forecast`` and ``likelihood``. Facts no monitored indicator reads
may be left out; every problem is collected and raised at once, located.
"""

from __future__ import annotations

import re
from typing import Any

from scoring.engine.derive import Values
from scoring.engine.monitor import monitored_formula
from scoring.errors import FactsError, Issue, RulesetError, SourceLocation, suggest
from scoring.i18n import _
from scoring.load.facts import FACTS_KEYS, FactsInput, check_facts
from scoring.load.issues import Report, as_written, position, reporter
from scoring.model.facts import Facts
from scoring.model.monitor_results import Explanation, MonitorFacts
from scoring.model.monitoring import MONTHS, Monitoring
from scoring.model.ruleset import Ruleset

MONITOR_KEYS = ("as_of", "monitoring")
_AS_OF = re.compile(r"^(\d{4})-(\d{1,2})$")


def check_monitor_facts(
    source: FactsInput, ruleset: Ruleset, as_of: str | None = None
) -> MonitorFacts:
    """Monitoring facts checked against ``ruleset`` and its ``monitoring:`` section.

    ``as_of`` (``--as-of``) gives the month when the file does not; a file that says another
    month is refused rather than silently re-dated.

    Raises:
        RulesetError: the ruleset has no ``monitoring:`` section.
        FactsError: with every problem at once: ``as_of`` missing or not a month 1–12, a
            statement, category or likelihood the ruleset does not know, a fact a monitored
            indicator reads left out, and every problem an ordinary facts file can have.
    """
    section = ruleset.monitoring
    if section is None:
        file = ruleset.origin.files[0] if ruleset.origin.files else ruleset.ref
        message = _("{ref} has no monitoring: section: it says nothing of lights").format(
            ref=ruleset.ref
        )
        raise RulesetError([Issue(message, SourceLocation(file, 1, 1))], file)
    data, filename = source.data, source.filename
    start = data.location or SourceLocation(filename, 1, 1)
    issues: list[Issue] = []
    report = reporter(data, start, issues)
    ordinary = data.located_copy()
    for key in MONITOR_KEYS:
        ordinary.pop(key, None)
    facts = Facts()
    try:
        facts = check_facts(ordinary, filename, ruleset, (*FACTS_KEYS, *MONITOR_KEYS), partial=True)
    except FactsError as exc:
        issues += exc.issues
    written = data.get("as_of")
    if as_of is not None and written is not None and written != as_of:
        message = _("these facts stand at {written}, but --as-of says {as_of}").format(
            written=as_written(written), as_of=as_of
        )
        report(message, ("as_of",), None, "as_of")
    year, month = _as_of(
        written if written is not None else as_of, facts.subject.get("year"), report
    )
    explanations = _explanations(data.get("monitoring"), section, report)
    _missing_facts(ruleset, section, facts, explanations, report)
    if issues:
        raise FactsError(sorted(dict.fromkeys(issues), key=position), filename)
    return MonitorFacts(facts=facts, year=year, month=month, explanations=explanations)


def _as_of(value: Any, year: str | None, report: Report) -> tuple[int, int]:
    if value is None:
        report(
            _("missing: the month these facts stand at, as YYYY-MM (2022-07)"), (), None, "as_of"
        )
        return 2000, 1
    found = _AS_OF.match(value) if isinstance(value, str) else None
    if found is None:
        message = _("expected a month as YYYY-MM (2022-07), found {found}")
        report(message.format(found=as_written(value)), ("as_of",), None, "as_of")
        return 2000, 1
    as_year, month = int(found[1]), int(found[2])
    if not 1 <= month <= MONTHS:
        message = _("month {month} is not a month: give 1 to 12").format(month=month)
        report(message, ("as_of",), None, "as_of")
        return as_year, 1
    if year is not None and year != str(as_year):
        message = _("{as_of} is not in the subject's year {year}").format(as_of=value, year=year)
        report(message, ("as_of",), None, "as_of")
    return as_year, month


def _explanations(value: Any, section: Monitoring, report: Report) -> dict[str, Explanation]:
    if value is None:
        return {}
    if not isinstance(value, dict):
        message = _("expected indicator paths, each with its statement or reasons, found {found}")
        report(message.format(found=as_written(value)), ("monitoring",), None, "monitoring")
        return {}
    found: dict[str, Explanation] = {}
    for path, given in value.items():
        loc = ("monitoring", path)
        entry = section.indicators.get(path)
        if entry is None:
            hint = suggest(path, list(section.indicators))
            message = _("{path} is not a monitored indicator{hint}").format(path=path, hint=hint)
            report(message, loc, path, at_key=True)
            continue
        if not isinstance(given, dict):
            message = _("expected statement, reason, category, forecast, likelihood")
            report(message, loc, path)
            continue
        fields: dict[str, str] = {}
        for key, text in given.items():
            if key not in Explanation.model_fields:
                hint = suggest(key, list(Explanation.model_fields))
                report(_("unknown key{hint}").format(hint=hint), (*loc, key), path, key, True)
            elif not isinstance(text, str):
                message = _("expected text, found {found}").format(found=as_written(text))
                report(message, (*loc, key), path, key)
            else:
                fields[key] = text
        _known(fields, "statement", tuple(section.statements), (*loc, "statement"), path, report)
        _known(fields, "category", section.reason_categories, (*loc, "category"), path, report)
        _known(fields, "likelihood", section.likelihoods, (*loc, "likelihood"), path, report)
        if "statement" in fields and entry.method != "qualitative":
            message = _("only a qualitative indicator takes a statement")
            report(message, (*loc, "statement"), path, "statement", True)
        found[path] = Explanation(**fields)
    return found


def _known(
    fields: dict[str, str],
    key: str,
    choices: tuple[str, ...],
    loc: tuple[str, ...],
    path: str,
    report: Report,
) -> None:
    if key in fields and fields[key] not in choices:
        message = _("{found!r} is not one of {choices}").format(
            found=fields.pop(key), choices="、".join(choices)
        )
        report(message, loc, path, key)


def _missing_facts(
    ruleset: Ruleset,
    section: Monitoring,
    facts: Facts,
    explanations: dict[str, Explanation],
    report: Report,
) -> None:
    """Report every fact a monitored indicator reads and the facts leave out, and statements."""
    values = Values(ruleset, facts)
    nodes = {path: node for path, _level, node in ruleset.walk()}
    missing: dict[str, str] = {}
    for path, entry in section.indicators.items():
        if entry.method == "qualitative":
            if explanations.get(path, Explanation()).statement is None:
                message = _("missing: the statement of how far its goal is reached ({choices})")
                choices = "、".join(section.statements)
                report(message.format(choices=choices), ("monitoring",), path, "statement", True)
            continue
        names: set[str] = set()
        for name in ("actual", "target"):
            formula = monitored_formula(entry, nodes[path], name)
            names |= formula.names if formula is not None else set()
        for fact in values.given(names):
            missing.setdefault(fact, path)
    for fact, path in sorted(missing.items()):
        spec = ruleset.facts[fact]
        described = _(", ").join(part for part in (spec.label, spec.unit) if part)
        message = _("missing ({described}): {path} is monitored by it").format(
            described=described or fact, path=path
        )
        report(message, ("facts",), path, fact, True)
