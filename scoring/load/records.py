"""Result records as ``scoring verify`` reads them: JSON with positions, checked in full.

A result is the JSON that ``scoring score --json`` writes. :func:`parse_json` reads JSON text into
the located data that yaml_source gives for YAML (``LocatedDict``/``LocatedList``,
whole numbers as ``int``, other numbers as ``Decimal`` from their text), so every problem names
its file, line and column. :func:`parse_result` checks the record's shape against the result
model, and :func:`record_facts` reads the facts and the auditor's overrides it carries through the
loader, exactly as ``scoring score`` reads a facts file and an overrides file.
"""

from __future__ import annotations

import bisect
import json
import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, NoReturn

from pydantic import ValidationError

from scoring.errors import FactsError, Issue, ResultError, SourceLocation
from scoring.i18n import _
from scoring.load.facts import FACTS_KEYS, check_facts
from scoring.load.issues import position, pydantic_issues
from scoring.load.overrides import check_audit_overrides
from scoring.load.yaml_source import MAX_INTEGER_DIGITS, MAX_NESTING
from scoring.model.base import plain
from scoring.model.facts import AuditOverrides, Facts
from scoring.model.located import LocatedDict, LocatedList, locate
from scoring.model.results import ScoreResult
from scoring.model.ruleset import Ruleset
from scoring.model.signing import SIGNATURES, signature_problem

_SPACE = re.compile(r"[ \t\n\r]*")
_NUMBER = re.compile(r"-?(?:0|[1-9][0-9]*)(\.[0-9]+)?([eE][-+]?[0-9]+)?")
_STRING = re.compile(r'"(?:[^"\\\x00-\x1f]|\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4}))*"')
_LITERALS = {"true": True, "false": False, "null": None}
_EXACT_DECIMAL = re.compile(r"-?[0-9]+(?:\.[0-9]+)?")
"""A number as a result writes it: digits, a point, no exponent (what ``models.plain`` gives)."""


class _Json:
    """A strict JSON reader (RFC 8259) that records where each key and value starts."""

    def __init__(self, text: str, filename: str):
        self.text = text
        self.filename = filename
        self.line_starts = [0, *(match.end() for match in re.finditer("\n", text))]

    def at(self, offset: int) -> SourceLocation:
        line = bisect.bisect_right(self.line_starts, offset)
        return SourceLocation(self.filename, line, offset - self.line_starts[line - 1] + 1)

    def fail(self, offset: int, message: str) -> NoReturn:
        raise ResultError([Issue(f"JSON: {message}", self.at(offset))], self.filename)

    def skip(self, offset: int) -> int:
        match = _SPACE.match(self.text, offset)
        assert match is not None  # the pattern matches the empty string
        return match.end()

    def document(self) -> Any:
        start = self.skip(1 if self.text.startswith("\ufeff") else 0)
        value, end = self.value(start, 0)
        end = self.skip(end)
        if end < len(self.text):
            self.fail(end, _("unexpected text after the end of the result"))
        return value

    def value(self, offset: int, depth: int) -> tuple[Any, int]:
        if depth > MAX_NESTING:
            self.fail(offset, _("nested more than {limit} levels deep").format(limit=MAX_NESTING))
        char = self.text[offset : offset + 1]
        if char == "{":
            return self.mapping(offset, depth)
        if char == "[":
            return self.sequence(offset, depth)
        if char == '"':
            return self.string(offset)
        for word, meaning in _LITERALS.items():
            if self.text.startswith(word, offset):
                return meaning, offset + len(word)
        number = _NUMBER.match(self.text, offset)
        if number is not None:
            return self.number(number), number.end()
        if not char:
            self.fail(offset, _("the text ends where a value was expected"))
        self.fail(offset, _("expected a value, found {found!r}").format(found=char))

    def number(self, match: re.Match[str]) -> int | Decimal:
        written = match.group()
        if match.group(1) is None and match.group(2) is None:
            if len(written.lstrip("-")) > MAX_INTEGER_DIGITS:
                message = _("a number of {count} digits is too long")
                self.fail(match.start(), message.format(count=len(written)))
            return int(written)
        return Decimal(written)

    def string(self, offset: int) -> tuple[str, int]:
        match = _STRING.match(self.text, offset)
        if match is None:
            self.fail(
                offset, _("a string is not closed, or holds a control character or a bad \\ escape")
            )
        value: str = json.loads(match.group())
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            self.fail(offset, _("a \\u escape names half of a character (a lone surrogate)"))
        return value, match.end()

    def mapping(self, offset: int, depth: int) -> tuple[LocatedDict, int]:
        result = LocatedDict()
        result.location = self.at(offset)
        cursor = self.skip(offset + 1)
        if self.text.startswith("}", cursor):
            return result, cursor + 1
        while True:
            if not self.text.startswith('"', cursor):
                self.fail(cursor, _("expected a key in double quotes"))
            key_start = cursor
            key, cursor = self.string(cursor)
            if key in result:
                self.fail(key_start, _("duplicate key {key!r}").format(key=key))
            cursor = self.skip(cursor)
            if not self.text.startswith(":", cursor):
                self.fail(cursor, _("expected ':' after the key {key!r}").format(key=key))
            cursor = self.skip(cursor + 1)
            value_at = self.at(cursor)
            result[key], cursor = self.value(cursor, depth + 1)
            result.key_locations[key] = self.at(key_start)
            result.value_locations[key] = value_at
            cursor = self.skip(cursor)
            if self.text.startswith("}", cursor):
                return result, cursor + 1
            if not self.text.startswith(",", cursor):
                self.fail(cursor, _("expected ',' or '}' after a value"))
            cursor = self.skip(cursor + 1)

    def sequence(self, offset: int, depth: int) -> tuple[LocatedList, int]:
        result = LocatedList()
        result.location = self.at(offset)
        cursor = self.skip(offset + 1)
        if self.text.startswith("]", cursor):
            return result, cursor + 1
        while True:
            result.item_locations.append(self.at(cursor))
            item, cursor = self.value(cursor, depth + 1)
            result.append(item)
            cursor = self.skip(cursor)
            if self.text.startswith("]", cursor):
                return result, cursor + 1
            if not self.text.startswith(",", cursor):
                self.fail(cursor, _("expected ',' or ']' after a value"))
            cursor = self.skip(cursor + 1)


def parse_json(text: str, filename: str) -> Any:
    """Parse JSON text into located data: mappings, lists, text, ``int``, ``Decimal``, booleans.

    Raises:
        ResultError: at the position of the first syntax error, a duplicate key, a lone
            surrogate, or nesting deeper than ``MAX_NESTING``.
    """
    return _Json(text, filename).document()


@dataclass(frozen=True)
class ResultRecord:
    """A result file read and checked in shape: its data, and the signatures kept beside it."""

    filename: str
    data: LocatedDict
    """The record without its signatures: what re-scoring must reproduce, and what they sign."""
    signatures: LocatedList | None

    @property
    def ruleset_ref(self) -> str:
        """``id@version`` of the rules the result says it was scored under."""
        return f"{self.data['ruleset']['id']}@{self.data['ruleset']['version']}"

    @property
    def ruleset_fingerprint(self) -> str:
        """The fingerprint of those rules, as the result records it."""
        fingerprint: str = self.data["ruleset"]["fingerprint"]
        return fingerprint


def parse_result(text: str, filename: str) -> ResultRecord:
    """Read a result file's text and check every field's shape against the result model.

    The facts it carries are checked against their ruleset by :func:`record_facts`.

    Raises:
        ResultError: with every problem found, each at its line and column.
    """
    data = parse_json(text, filename)
    start = SourceLocation(filename, 1, 1)
    if not isinstance(data, LocatedDict):
        message = _("a result is a JSON object (as scoring score --json writes), found {found}")
        raise ResultError([Issue(message.format(found=_kind(data)), start)], filename)
    record = data.located_copy()
    signatures = record.pop(SIGNATURES, None)
    issues: list[Issue] = []
    if signatures is not None and not isinstance(signatures, LocatedList):
        message = _("expected a list of signatures, found {found}").format(found=_kind(signatures))
        issues.append(Issue(message, locate(data, (SIGNATURES,)) or start, field=SIGNATURES))
    for index, entry in enumerate(signatures if isinstance(signatures, LocatedList) else []):
        problem = signature_problem(entry)
        if problem is not None:
            where = locate(data, (SIGNATURES, index)) or start
            issues.append(Issue(problem, where, field=f"{SIGNATURES}[{index}]"))
    shape = record.located_copy()  # the facts are read as a facts file is, by record_facts
    for key in ("facts", "audit_overrides"):
        if key in shape:
            if not isinstance(shape[key], dict):
                message = _("expected a mapping of keys, found {found}")
                issues.append(
                    Issue(message.format(found=_kind(shape[key])), locate(shape, (key,)), field=key)
                )
            shape[key] = {}
    try:
        ScoreResult.model_validate(shape)
    except ValidationError as exc:
        issues += pydantic_issues(exc, shape, ScoreResult, filename, {})
    if issues:
        raise ResultError(sorted(issues, key=position), filename)
    return ResultRecord(
        filename, record, signatures if isinstance(signatures, LocatedList) else None
    )


def record_facts(
    record: ResultRecord, ruleset: Ruleset, *, partial: bool = False
) -> tuple[Facts, AuditOverrides | None]:
    """The facts and the auditor's overrides a result carries, checked as by ``scoring score``.

    They are read exactly as a facts file and an overrides file are: declared facts, types,
    bounds, whole numbers, 不适用 paths, overrides that fit their indicator. With ``partial``
    (a form in progress, as ``score --partial`` read it), facts left blank are not problems.

    A result writes numbers as text (``"48"``); a number fact's text is read by the facts-file
    rules (so ``"48.5"`` for a whole number, ``"1E+2"`` or ``"1,280"`` are refused or read as a
    person's typing would be, and a re-scoring then shows any difference), and the points of a
    tier claim or an override are decoded to numbers first.

    Raises:
        ResultError: with every problem found, each at its line and column.
    """
    filename = record.filename
    issues: list[Issue] = []
    facts = Facts()
    try:
        written = _facts_as_written(record.data["facts"], ruleset)
        facts = check_facts(written, filename, ruleset, partial=partial)
    except FactsError as exc:
        issues += exc.issues
    audit: AuditOverrides | None = None
    given = record.data.get("audit_overrides") or LocatedDict()
    if given:
        wrapper = LocatedDict(overrides=_points_as_numbers(given)[0])
        wrapper.location = record.data.location
        wrapper.key_locations["overrides"] = record.data.key_locations["audit_overrides"]
        wrapper.value_locations["overrides"] = record.data.value_locations["audit_overrides"]
        try:
            audit = check_audit_overrides(wrapper, filename, ruleset, facts)
        except FactsError as exc:
            issues += exc.issues
    if issues:
        raise ResultError(sorted(issues, key=position), filename)
    return facts, audit


def _facts_as_written(data: LocatedDict, ruleset: Ruleset) -> LocatedDict:
    """A result's ``facts`` as a facts file would give them, for the loader to check."""
    facts = data.located_copy()
    values = facts.get("facts")
    if isinstance(values, LocatedDict):
        written = values.located_copy()
        for name, value in values.items():
            spec = ruleset.facts.get(name)
            if spec is None:
                continue  # the loader reports the undeclared fact
            if spec.type in ("number", "integer") and _is_exact(value) and spec.unit == "%":
                number = Decimal(value)
                if number > 1 and (spec.max is None or spec.max <= 1):
                    # the engine holds 150% as 1.50; a facts file gives it as 150% (1.50 is refused)
                    written[name] = f"{plain(number.scaleb(2))}%"
            elif spec.type == "tier" and isinstance(value, LocatedDict):
                written[name] = _number_at(value, "score")
        facts["facts"] = written
    overrides = facts.get("overrides")
    if isinstance(overrides, LocatedDict):
        facts["overrides"], panel = _points_as_numbers(overrides)
        if panel:
            facts["panel"] = panel
    for key in FACTS_KEYS:
        if facts.get(key) is None:
            facts.pop(key, None)  # null where the loader takes absence (no ruleset line)
    return facts


def _points_as_numbers(overrides: LocatedDict) -> tuple[LocatedDict, LocatedDict]:
    """The overrides with their points as numbers, and an expert panel's as a ``panel:``.

    A panel's combined score is written as an override with the panel's record; a facts file
    gives the assessors' scores, and the loader combines them again.
    """
    result, panel = overrides.located_copy(), LocatedDict()
    for path, entry in overrides.items():
        record = entry.get("panel") if isinstance(entry, LocatedDict) else None
        if isinstance(record, LocatedDict) and isinstance(record.get("scores"), list):
            scores = LocatedDict()
            for entry in record["scores"]:
                if isinstance(entry, LocatedDict):
                    scores[str(entry.get("name"))] = _number_at(entry, "score").get("score")
            panel[path] = scores
            if path in overrides.key_locations:  # a problem is placed where the record was
                panel.key_locations[path] = overrides.key_locations[path]
            if "scores" in record.value_locations:
                panel.value_locations[path] = record.value_locations["scores"]
            del result[path]
        elif isinstance(entry, LocatedDict):
            result[path] = _number_at(entry, "points")
    return result, panel


def _number_at(mapping: LocatedDict, key: str) -> LocatedDict:
    """``mapping`` with its ``key`` read as a number when it is written as a result writes one."""
    value = mapping.get(key)
    if not isinstance(value, str) or not _is_exact(value):
        return mapping  # the loader refuses what is not a number, at its position
    result = mapping.located_copy()
    result[key] = Decimal(value)
    return result


def _is_exact(value: Any) -> bool:
    return isinstance(value, str) and _EXACT_DECIMAL.fullmatch(value) is not None


def _kind(value: Any) -> str:
    """What a JSON value is, in words, for messages."""
    if isinstance(value, dict):
        return _("a mapping")
    if isinstance(value, list):
        return _("a list")
    if isinstance(value, str):
        return _("the text {value!r}").format(value=value[:60])
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    return _("the number {value}").format(value=value)
