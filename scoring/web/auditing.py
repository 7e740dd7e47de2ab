"""What the auditor's pages work out: a version re-scored with the overrides, each one checked.

The audited result is the engine's: the facts a version kept, scored under its ruleset with
the auditor's overrides on that version as the audit layer (the override model of
``scoring score --overrides``), each override checked against its indicator as the command
line checks one (:func:`scoring.engine.overrides.override_problem`).
"""

from __future__ import annotations

import functools
import hashlib
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from scoring.analysis.verify import Verification, verify_result
from scoring.engine.overrides import override_problem
from scoring.engine.score import score
from scoring.errors import Issue, SourceLocation
from scoring.i18n import _
from scoring.load.facts import parse_facts_text
from scoring.model.base import check_number
from scoring.model.facts import AuditOverrides, Facts, Override
from scoring.model.results import ScoreResult
from scoring.model.ruleset import Ruleset
from scoring.model.values import normalise_text
from scoring.render.audit_view import Comparison, build_comparison
from scoring.web import form
from scoring.web.store.audits import Entry
from scoring.web.store.tables import SUBMITTED, Version

MAX_REASON = 2000
"""The longest reason kept: a paragraph, not a report."""


@dataclass(frozen=True)
class Audited:
    """A submitted version, its facts, and its result with the auditor's overrides."""

    version: Version
    facts: Facts
    result: ScoreResult
    comparison: Comparison


def latest_submitted(versions: list[Version]) -> Version | None:
    """The newest version that was submitted (a draft after it is not audited)."""
    return next((each for each in reversed(versions) if each.kind == SUBMITTED), None)


def version_facts(ruleset: Ruleset, version: Version) -> Facts:
    """The facts a version kept, read as a facts file is.

    Raises:
        FactsError: when they no longer read under the ruleset.
    """
    return parse_facts_text(version.facts_json, form.FORM_FILE).check(ruleset)


def audit_layer(overrides: dict[str, Entry]) -> AuditOverrides:
    """The overrides kept on a version, as an auditor's overrides file gives them."""
    return AuditOverrides(
        overrides={
            path: Override(
                points=Decimal(entry.audit.points or "0"),
                reason=entry.audit.reason or "",
                by=entry.author,
            )
            for path, entry in overrides.items()
        }
    )


def audited(ruleset: Ruleset, version: Version, overrides: dict[str, Entry]) -> Audited:
    """The version re-scored with its overrides, and the comparison of both layers.

    Raises:
        ScoringError: when its facts no longer read or score under the ruleset.
    """
    facts = version_facts(ruleset, version)
    result = score(ruleset, facts, audit_layer(overrides))
    return Audited(version, facts, result, build_comparison(result, ruleset))


def check_override(
    ruleset: Ruleset, facts: Facts, path: str, points: str, reason: str, by: str
) -> tuple[Override | None, dict[str, str]]:
    """An override as the auditor typed it, or a message for each field that is wrong."""
    errors: dict[str, str] = {}
    leaves = {each for each, _level, node in ruleset.walk() if node.is_leaf}
    if path not in leaves:
        errors["path"] = _("choose an indicator to override")
    reason = reason.strip()
    if not reason:
        errors["reason"] = _("required: {need}").format(
            need=_("say why the computed score is replaced")
        )
    elif len(reason) > MAX_REASON:
        errors["reason"] = _("the reason is longer than {limit:,} characters").format(
            limit=MAX_REASON
        )
    value = _points(points, errors)
    if errors or value is None:
        return None, errors
    override = Override(points=value, reason=reason, by=by)
    problem = override_problem(ruleset, path, override, facts)
    if problem is not None:
        return None, {"points": problem}
    return override, {}


def _points(text: str, errors: dict[str, str]) -> Decimal | None:
    written = normalise_text(text)
    if not written:
        errors["points"] = _("give the points that replace the computed score")
        return None
    try:
        return check_number(Decimal(written))
    except (InvalidOperation, ValueError) as exc:
        found = _("expected a number of points, found {found}").format(found=repr(written))
        errors["points"] = str(exc) if isinstance(exc, ValueError) else found
        return None


def signoff_detail(audited: Audited) -> dict[str, Any]:
    """What a sign-off keeps: the version, the fingerprints, both totals and grades."""
    result = audited.result
    comparison = audited.comparison
    return {
        "version": audited.version.number,
        "ruleset_fingerprint": result.ruleset.fingerprint,
        "facts_fingerprint": result.facts_fingerprint,
        "audit_fingerprint": result.audit_fingerprint,
        "self_total": str(comparison.self_total),
        "self_grade": str(comparison.self_grade),
        "total": str(comparison.audited_total),
        "grade": str(comparison.audited_grade),
    }


def verify_upload(
    data: bytes, filename: str, search_path: tuple[Path, ...]
) -> tuple[Verification, dict[str, Any]]:
    """``scoring verify`` of an uploaded result, and what the trail keeps of it."""
    find = functools.partial(form.ruleset_by_ref, search_path=search_path)
    try:
        check = verify_result(data.decode("utf-8"), filename, find)
    except UnicodeDecodeError:
        message = _("the file is not UTF-8 text: upload the JSON that scoring score wrote")
        check = Verification("", "", errors=(Issue(message, SourceLocation(filename, 1, 1)),))
    detail = {
        "file": filename,
        "sha256": hashlib.sha256(data).hexdigest(),
        "verdict": check.verdict.name.lower(),
        "differences": len(check.differences) + len(check.problems) + len(check.errors),
    }
    return check, detail
