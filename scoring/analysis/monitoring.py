"""Monitoring many units at once: each facts file lit on its own, a bad one never stops the rest.

``scoring monitor RULESET DIR`` (or several files) gives a summary of lights per unit
(:func:`scoring.render.monitor.build_monitor_summary`); each unit is read, checked and lit
exactly as ``scoring monitor RULESET FACTS`` would, and a unit that cannot be is a line with its
error.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from scoring.engine.monitor import monitor
from scoring.errors import ScoringError
from scoring.i18n import _
from scoring.load.facts import FactsInput, read_facts_input
from scoring.load.monitor import check_monitor_facts
from scoring.model.monitor_results import MonitorResult
from scoring.model.ruleset import Ruleset

__all__ = ["check_monitor_facts", "monitor_file", "monitor_source", "monitor_units"]


def monitor_file(ruleset: Ruleset, path: Path, as_of: str | None = None) -> MonitorResult:
    """One unit's monitoring facts, read, checked and lit.

    Raises:
        FactsError: the facts do not fit the ruleset or its ``monitoring:`` section.
        RulesetError: the ruleset has no ``monitoring:`` section.
        EvaluationError: a monitored indicator's formula fails, or its target is 0.
        OSError: the file cannot be read.
    """
    return monitor_source(ruleset, read_facts_input(path), as_of)


def monitor_source(ruleset: Ruleset, source: FactsInput, as_of: str | None = None) -> MonitorResult:
    """Monitoring facts already read, checked against ``ruleset`` and lit.

    Raises:
        FactsError: the facts do not fit the ruleset or its ``monitoring:`` section.
        RulesetError: the ruleset has no ``monitoring:`` section.
        EvaluationError: a monitored indicator's formula fails, or its target is 0.
    """
    return monitor(ruleset, check_monitor_facts(source, ruleset, as_of))


def monitor_units(
    ruleset: Ruleset, paths: Iterable[Path], as_of: str | None = None
) -> list[tuple[str, MonitorResult | str]]:
    """Every unit's result, or its error as one line (the first problem, and how many)."""
    found: list[tuple[str, MonitorResult | str]] = []
    for path in paths:
        try:
            found.append((str(path), monitor_file(ruleset, path, as_of)))
        except ScoringError as exc:
            first = str(exc.issues[0]) if exc.issues else str(exc)
            more = len(exc.issues) - 1
            extra = _(" (and {count} more)").format(count=more) if more > 0 else ""
            found.append((str(path), first + extra))
        except OSError as exc:
            found.append((str(path), _("cannot read: {reason}").format(reason=exc.strerror)))
    return found
