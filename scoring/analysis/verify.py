"""Re-score a submission and say whether it agrees, does not agree, or cannot be checked, and why.

Two kinds of submission: a result our engine wrote (JSON: it carries the facts, the fingerprints
and every node's score), or a table a unit typed from its Word report (claims: 得分 per indicator
path, 总分 and 等级, and whose they are). Each gets one of three verdicts:

- **agrees** (exit 0): re-scoring the facts it carries under the exact rules gives the whole
  result again, field for field (subject, totals, grade, statuses, findings, derived values,
  不适用 paths, overrides, every node; not ``ruleset.files``, which names the same file
  differently from another directory), and every signature a trusted key made matches; a form
  in progress (``partial``) is re-scored as one;
- **does not agree** (exit 1): anything differs, each difference listed with its path; or the
  record is not a result (not JSON, a field of the wrong type, facts that ``scoring score`` would
  refuse); or a signature does not match; or, with trusted keys, no trusted key signed it;
- **cannot be checked** (exit 2), with the reason: its ruleset is not on the search path, cannot
  be read, or is a different file with the same ``id@version`` (another fingerprint); or it was
  written by another version of the engine and differs, which may be the engine's change.

A folder's exit code is 1 when any result does not agree, else 2 when any cannot be checked, else
0: a disagreement is a finding about the results, and never hides behind an unchecked file.

Agreement proves consistency, not origin: anybody can edit a result and compute its fingerprints
again. Only a signature by a trusted key (:mod:`scoring.model.signing`) says who wrote it.
Pure: the command line reads the files (``find_ruleset`` is given).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import IntEnum
from typing import Any

from scoring.analysis.compare import Difference, compare_result
from scoring.engine.score import score
from scoring.errors import ExitCode, Issue, ResultError, RulesetError, ScoringError
from scoring.i18n import _
from scoring.load.records import ResultRecord, parse_result, record_facts
from scoring.model.fingerprint import ruleset_fingerprint
from scoring.model.results import ScoreResult, subject_line
from scoring.model.ruleset import Ruleset
from scoring.model.signing import SignatureCheck, TrustedKey, check_signatures


class Verdict(IntEnum):
    """A submission's verdict; its value is the exit code."""

    AGREES = ExitCode.OK.value
    DOES_NOT_AGREE = ExitCode.FOUND_WANTING.value
    CANNOT_BE_CHECKED = ExitCode.NOT_CHECKED.value

    @property
    def text(self) -> str:
        """The verdict in words."""
        return {
            Verdict.AGREES: _("agrees"),
            Verdict.DOES_NOT_AGREE: _("does not agree"),
            Verdict.CANNOT_BE_CHECKED: _("cannot be checked"),
        }[self]


def exit_code(verdicts: Sequence[Verdict]) -> ExitCode:
    """1 when any does not agree, else 2 when any cannot be checked, else 0."""
    if Verdict.DOES_NOT_AGREE in verdicts:
        return ExitCode.FOUND_WANTING
    return ExitCode.NOT_CHECKED if Verdict.CANNOT_BE_CHECKED in verdicts else ExitCode.OK


@dataclass
class Verification:
    """What checking one submission found, and so its verdict."""

    subject: str
    ruleset: str
    problems: list[str] = field(default_factory=list)
    """Why the submission does not agree, besides the differences (fingerprints)."""
    differences: list[Difference] = field(default_factory=list)
    errors: tuple[Issue, ...] = ()
    """The record is not a result: each problem at its line and column."""
    unchecked: str | None = None
    """Why it cannot be checked."""
    signatures: list[SignatureCheck] = field(default_factory=list)
    signature_problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def verdict(self) -> Verdict:
        """Malformed or a bad signature; else unchecked; else any difference; else agrees."""
        if self.errors or self.signature_problems:
            return Verdict.DOES_NOT_AGREE
        if self.unchecked is not None:
            return Verdict.CANNOT_BE_CHECKED
        if self.problems or self.differences:
            return Verdict.DOES_NOT_AGREE
        return Verdict.AGREES

    @property
    def agrees(self) -> bool:
        """Whether every figure follows from the rules and the facts, and nothing was edited."""
        return self.verdict == Verdict.AGREES

    @property
    def signed_by(self) -> list[str]:
        """The names of the trusted keys whose signatures on it match."""
        return [check.signer for check in self.signatures if check.matches and check.signer]


def verify_result(
    text: str,
    filename: str,
    find_ruleset: Callable[[str], Ruleset],
    trusted: Sequence[TrustedKey] = (),
) -> Verification:
    """Check one result file's text: its shape, its signatures, and a full re-scoring.

    Args:
        text: the file's text.
        filename: its name, for messages.
        find_ruleset: ``id@version`` → the ruleset on the search path; raises RulesetError or
            OSError when it is missing or cannot be read.
        trusted: the public keys whose signatures count; none: origin is not checked.

    Returns:
        The verification; every outcome is a verdict, none is raised.
    """
    try:
        record = parse_result(text, filename)
    except ResultError as exc:
        return Verification("", "", errors=exc.issues)
    check = Verification(subject_line(record.data["subject"]), record.ruleset_ref)
    _check_signatures(check, record, trusted)
    try:
        ruleset = find_ruleset(record.ruleset_ref)
    except (RulesetError, OSError) as exc:
        check.unchecked = _unreadable(record.ruleset_ref, exc)
        return check
    current = ruleset_fingerprint(ruleset)
    if current != record.ruleset_fingerprint:
        found = ruleset.origin.files[0] if ruleset.origin.files else ruleset.ref
        message = _(
            "the ruleset {ref} on the search path ({file}) is not the one this result was scored "
            "under: its fingerprint is {current}, the result records {recorded}; give the "
            "directory holding the original with --rulesets DIR"
        )
        check.unchecked = message.format(
            ref=ruleset.ref,
            file=found,
            current=_short(current),
            recorded=_short(record.ruleset_fingerprint),
        )
        return check
    partial = record.data.get("partial") is True  # a form in progress, scored as one again
    try:
        facts, audit = record_facts(record, ruleset, partial=partial)
    except ResultError as exc:
        check.errors = exc.issues
        return check
    check.subject = subject_line(facts.subject)
    try:
        recomputed = score(ruleset, facts, audit, partial=partial)
    except ScoringError as exc:
        check.problems.append(_("its facts cannot be scored: {error}").format(error=exc))
        return check
    check.problems = check_provenance(record.data, recomputed)
    check.differences = compare_result(record.data, recomputed)
    _compare_engines(check, record.data, recomputed)
    return check


def _short(fingerprint: str) -> str:
    """``sha256:`` and the first 12 hex digits, as the breakdown's caption shows a fingerprint."""
    return fingerprint[:19] + "…"


def _unreadable(ref: str, exc: RulesetError | OSError) -> str:
    if isinstance(exc, OSError):
        reason = exc.strerror or str(exc)
        return _("the ruleset {ref} cannot be read: {reason}").format(ref=ref, reason=reason)
    return str(exc)


def _check_signatures(
    check: Verification, record: ResultRecord, trusted: Sequence[TrustedKey]
) -> None:
    entries = list(record.signatures or [])
    check.signatures = check_signatures(record.data, entries, trusted)
    for signature in check.signatures:
        if signature.matches is False:
            message = _(
                "the signature of {name} does not match: the result was changed after "
                "{name} signed it"
            )
            check.signature_problems.append(message.format(name=signature.signer))
        elif signature.matches is None:
            message = (
                _("signed with key {key}, which is none of the trusted keys (not checked)")
                if trusted
                else _("signed with key {key}: give its public key with --trust to check it")
            )
            check.notes.append(message.format(key=_short(signature.fingerprint)))
    if trusted and not check.signed_by and not check.signature_problems:
        names = ", ".join(key.name for key in trusted)
        message = _("not signed by a trusted key ({names})").format(names=names)
        check.signature_problems.append(message)


def check_provenance(record: Mapping[str, Any], recomputed: ScoreResult) -> list[str]:
    """Fingerprint mismatches: the facts or the auditor's overrides changed after scoring."""
    problems = []
    if record.get("facts_fingerprint") != recomputed.facts_fingerprint:
        problems.append(
            _(
                "the facts in the result were changed after scoring: their fingerprint no longer "
                "matches facts_fingerprint"
            )
        )
    if record.get("audit_fingerprint") != recomputed.audit_fingerprint:
        problems.append(_("the auditor's overrides in the result were changed after scoring"))
    return problems


def _compare_engines(check: Verification, record: Mapping[str, Any], now: ScoreResult) -> None:
    engine = record.get("engine") or {}
    written = f"{engine.get('name')} {engine.get('version')}"
    current = f"{now.engine.name} {now.engine.version}"
    if written == current:
        return
    if check.problems or check.differences:
        message = _(
            "it was written by {written} and this is {current}: what differs may be a change in "
            "the engine or an edit; verify it with {written}"
        )
        check.unchecked = message.format(written=written, current=current)
    else:
        message = _("written by {written}, re-scored by {current}: the same result")
        check.notes.append(message.format(written=written, current=current))
