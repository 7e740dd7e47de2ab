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

import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from enum import IntEnum
from typing import Any

from scoring.engine.score import score
from scoring.errors import Issue, ResultError, RulesetError, ScoringError
from scoring.i18n import _
from scoring.load.records import ResultRecord, parse_result, record_facts
from scoring.model.base import plain
from scoring.model.fingerprint import ruleset_fingerprint
from scoring.model.results import IndicatorResult, ScoreResult, subject_line
from scoring.model.ruleset import Ruleset
from scoring.model.signing import SignatureCheck, TrustedKey, check_signatures
from scoring.model.values import normalise_text


class Verdict(IntEnum):
    """A submission's verdict; its value is the exit code."""

    AGREES = 0
    DOES_NOT_AGREE = 1
    CANNOT_BE_CHECKED = 2

    @property
    def text(self) -> str:
        """The verdict in words."""
        return {
            Verdict.AGREES: _("agrees"),
            Verdict.DOES_NOT_AGREE: _("does not agree"),
            Verdict.CANNOT_BE_CHECKED: _("cannot be checked"),
        }[self]


def exit_code(verdicts: Sequence[Verdict]) -> int:
    """1 when any does not agree, else 2 when any cannot be checked, else 0."""
    if Verdict.DOES_NOT_AGREE in verdicts:
        return 1
    return 2 if Verdict.CANNOT_BE_CHECKED in verdicts else 0


@dataclass(frozen=True)
class Difference:
    """One value whose claim differs from the recomputed one, and the rule that decides it.

    ``path`` is an indicator's path, or the result's field (``total``, ``subject.unit``);
    ``field`` the field inside an indicator (``status``, ``overrides[0].points``), if not its 得分.
    """

    path: str
    name: str
    claimed: str
    recomputed: str
    rule: str = ""
    field: str = ""


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


SKIPPED = frozenset({"engine"})
"""Compared apart: another engine version may word things differently (_compare_engines)."""
NOT_COMPARED = ("ruleset.files",)
"""Where the ruleset was read from, as that command line gave it: another working directory or
another path to the same folder names the same file differently. The fingerprint pins the rules,
and a signature still covers the field."""
LABELS = {
    "total": "总分",
    "grade": "等级",
    "computed_total": "计算得分",
    "computed_grade": "计算等级",
    "self_total": "自评总分",
    "self_grade": "自评等级",
}


def compare_result(record: Mapping[str, Any], recomputed: ScoreResult) -> list[Difference]:
    """Every value of the whole result that differs between the record and a fresh scoring.

    Indicators are matched by path; any other list item by position. Types count: a score
    written as the number 85 is not the text "85.00".
    """
    fresh = recomputed.model_dump(mode="json")
    nodes = {node.path: node for node in recomputed.walk()}
    found: list[Difference] = []
    for key in [*fresh, *(key for key in record if key not in fresh)]:
        if key in SKIPPED:
            continue
        before, after = record.get(key, _ABSENT), fresh.get(key, _ABSENT)
        if key == "indicators" and isinstance(before, list) and isinstance(after, list):
            _compare_nodes(before, after, nodes, found)
            continue
        for where, old, new in _differences(before, after, key):
            if _not_compared(where):
                continue
            name = LABELS.get(key, "")
            rule = _total_rule(recomputed) if key == "total" else ""
            if key == "grade":
                rule = _("total {total}").format(total=recomputed.total)
            found.append(Difference(where, name, _shown(old, new), _shown(new, old), rule))
    return found


def _not_compared(where: str) -> bool:
    return any(where == field or where.startswith(f"{field}[") for field in NOT_COMPARED)


def _compare_nodes(
    before: list[Any],
    after: list[Any],
    nodes: Mapping[str, IndicatorResult],
    found: list[Difference],
) -> None:
    claimed = {node["path"]: node for node in _walk(before) if isinstance(node.get("path"), str)}
    for fresh in _walk(after):
        path = fresh["path"]
        node = nodes[path]
        old = claimed.pop(path, _ABSENT)
        if old is _ABSENT:
            found.append(Difference(path, node.name, _("(absent)"), _score_text(node.score)))
            continue
        for key in fresh:
            if key == "children":
                _compare_order(path, old.get(key), fresh[key], node, found)
                continue
            for where, before_value, after_value in _differences(
                old.get(key, _ABSENT), fresh[key], key
            ):
                if where == "score":
                    found.append(_difference(node, before_value))
                else:
                    shown = _shown(before_value, after_value), _shown(after_value, before_value)
                    found.append(Difference(path, node.name, *shown, field=where))
        for key in old:
            if key not in fresh:
                found.append(
                    Difference(path, node.name, _shown(old[key], _ABSENT), _("(absent)"), field=key)
                )
    for path, extra in claimed.items():
        name, points = str(extra.get("name", "")), _shown(extra.get("score"), _ABSENT)
        found.append(Difference(path, name, points, _("no such indicator")))


def _compare_order(
    path: str, before: Any, after: list[Any], node: IndicatorResult, found: list[Difference]
) -> None:
    """Children in another order (or not a list): the nodes themselves are compared by path."""
    if not isinstance(before, list):
        if before is not _ABSENT or after:
            shown = _shown(before, after), _shown(after, before)
            found.append(Difference(path, node.name, *shown, field="children"))
        return
    old = [str(item.get("path")) for item in before if isinstance(item, dict)]
    new = [item["path"] for item in after]
    if old != new:
        shown = ", ".join(old), ", ".join(new)
        found.append(Difference(path, node.name, *shown, field="children"))


_ABSENT: Any = type("_Absent", (), {"__repr__": lambda self: "<absent>"})()


def _differences(before: Any, after: Any, where: str) -> list[tuple[str, Any, Any]]:
    """Each leaf value that differs, with its JSON path below ``where``."""
    if isinstance(before, dict) and isinstance(after, dict):
        found = []
        for key in [*after, *(key for key in before if key not in after)]:
            inner = f"{where}.{key}" if where else key
            found += _differences(before.get(key, _ABSENT), after.get(key, _ABSENT), inner)
        return found
    if isinstance(before, list) and isinstance(after, list):
        found = []
        for index in range(max(len(before), len(after))):
            old = before[index] if index < len(before) else _ABSENT
            new = after[index] if index < len(after) else _ABSENT
            found += _differences(old, new, f"{where}[{index}]")
        return found
    return [] if _same(before, after) else [(where, before, after)]


def _same(before: Any, after: Any) -> bool:
    """Equal in value and in JSON type: true is not 1, "85" is not 85."""
    if isinstance(before, dict) or isinstance(after, dict):
        return False  # two mappings are compared key by key; a mapping and a value differ
    return type(before) is type(after) and before == after  # types count: true is not 1


def _shown(value: Any, other: Any) -> str:
    """A JSON value for the table: text as it is, unless the other side's type differs."""
    if value is _ABSENT:
        return _("(absent)")
    if isinstance(value, str) and (isinstance(other, str) or other is _ABSENT):
        return value
    text = json.dumps(value, ensure_ascii=False, default=str)
    return text if len(text) <= 80 else text[:79] + "…"


def _score_text(points: Decimal | None) -> str:
    return "不适用" if points is None else str(points)


def _total_rule(recomputed: ScoreResult) -> str:
    if recomputed.rescaled:
        return f"{recomputed.sum} / {recomputed.applicable_weight} × {recomputed.max_total}"
    return _("the sum of the indicators' scores")


def compare_claims(
    scores: Mapping[str, Any], total: Any, grade: Any, recomputed: ScoreResult
) -> list[Difference]:
    """The figures a unit typed from its report that differ from what the rules give."""
    nodes = {node.path: node for node in recomputed.walk()}
    differences = []
    for path, value in scores.items():
        node = nodes.get(path)
        if node is None:
            differences.append(Difference(path, "", _text(value), _("no such indicator")))
        elif _number(value) != node.score:
            differences.append(_difference(node, value))
    return differences + _totals(total, grade, recomputed)


def subject_mismatch(claimed: Mapping[str, Any], scored: Mapping[str, str]) -> list[str]:
    """The keys of a claims file's subject whose values differ from the facts' subject.

    Values compare as text, full-width forms folded and spaces trimmed (``year: 2022`` is
    ``"2022"``); a key the facts do not give differs.
    """
    return [
        key
        for key, value in claimed.items()
        if value is not None and _subject_text(value) != _subject_text(scored.get(key))
    ]


def _subject_text(value: Any) -> str | None:
    if value is None:
        return None
    return normalise_text(plain(value) if isinstance(value, Decimal) else str(value))


def _totals(total: Any, grade: Any, recomputed: ScoreResult) -> list[Difference]:
    differences = []
    if total is not None and _number(total) != recomputed.total:
        note = _total_rule(recomputed)
        differences.append(Difference("总分", "总分", _text(total), str(recomputed.total), note))
    if grade is not None and str(grade) != (recomputed.grade or ""):
        rule = _("total {total}").format(total=recomputed.total)
        differences.append(Difference("等级", "等级", str(grade), recomputed.grade or "—", rule))
    return differences


def _difference(node: IndicatorResult, claimed: Any) -> Difference:
    rule = node.explanation if not node.children else _("the sum of its indicators")
    for override in node.overrides:
        said = (
            _("; self override {points}: {reason} ({by})")
            if override.layer == "self"
            else _("; audit override {points}: {reason} ({by})")
        )
        rule += said.format(points=override.points, reason=override.reason, by=override.by)
    return Difference(node.path, node.name, _text(claimed), _score_text(node.score), rule)


def _walk(nodes: list[Any]) -> list[Mapping[str, Any]]:
    found: list[Mapping[str, Any]] = []
    stack = list(reversed(nodes))
    while stack:
        node = stack.pop()
        if not isinstance(node, dict):
            continue
        found.append(node)
        children = node.get("children")
        stack.extend(reversed(children if isinstance(children, list) else []))
    return found


def _number(value: Any) -> Decimal | None:
    if value is None or isinstance(value, bool):
        return None
    try:
        return Decimal(str(value))
    except InvalidOperation:
        return None


def _text(value: Any) -> str:
    if value is None:
        return "不适用"
    return format(value, "f") if isinstance(value, Decimal) else str(value)
