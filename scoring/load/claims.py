"""Claims files, and what a file scoring reads holds: a ruleset, facts, claims or a result.

A claims file is a unit's own figures, typed from a report (``scoring verify --claimed``):
``subject``, ``scores`` per indicator path, ``total`` and ``grade``. :func:`read_document` reads
any file ``scoring lint`` is given once, and tells what it holds, so that each is checked as what
it is without being read again.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from scoring.errors import FactsError, Issue, SourceLocation, suggest
from scoring.i18n import _
from scoring.load.facts import FACTS_KEYS, FactsInput, is_workbook_file, read_facts_input
from scoring.load.registry import read_text
from scoring.load.yaml_source import parse_yaml
from scoring.model.located import LocatedDict, locate

Kind = Literal["ruleset", "facts", "claims", "result", "overrides", "targets", "other"]
CLAIMS_KEYS = ("subject", "scores", "total", "grade")


def is_target_table_data(data: object) -> bool:
    """Whether parsed YAML is a target table: it lists ``targets`` and is no ruleset (no id)."""
    return isinstance(data, dict) and "targets" in data and "id" not in data


def is_ruleset_data(data: object) -> bool:
    """Whether parsed YAML is a ruleset rather than a facts file: a ruleset has an id."""
    return isinstance(data, dict) and ("id" in data or "indicators" in data)


def holds_facts(source: FactsInput) -> bool:
    """Whether a facts input read from a file holds facts (a workbook does), not a ruleset."""
    return source.is_workbook or ("facts" in source.data and not is_ruleset_data(source.data))


def ruleset_source(path: Path) -> tuple[str, Any] | None:
    """The text of a ruleset file and its data, or None when the file holds something else.

    Raises:
        RulesetError: when it is not YAML, too large or not UTF-8.
        OSError: when the file cannot be read.
    """
    text = read_text(path)
    data = parse_yaml(text, str(path))
    return (text, data) if is_ruleset_data(data) else None


def kind_of(data: object, suffix: str) -> Kind:
    """What parsed data is: a ruleset, facts, claims, a result, overrides, or other (JSON only).

    A YAML file that is none of these is read as a ruleset, to report what it lacks.
    """
    fallback: Kind = "other" if suffix.lower() == ".json" else "ruleset"
    if not isinstance(data, dict):
        return fallback
    keys = set(data)
    if {"engine", "facts_fingerprint"} <= keys:
        return "result"
    if is_ruleset_data(data):
        return "ruleset"
    if is_target_table_data(data):
        return "targets"
    if "facts" in keys:
        return "facts"
    if keys & {"scores", "total", "grade"}:
        return "claims"
    if keys == {"overrides"}:
        return "overrides"
    if keys and keys <= set(FACTS_KEYS):
        return "facts"
    return fallback


@dataclass(frozen=True)
class Document:
    """A file read once: what it holds, its data, and the form each kind is checked in."""

    path: Path
    kind: Kind
    data: Any
    text: str = ""
    """The text of a ruleset, which is parsed with its ``extends``."""
    facts: FactsInput | None = None
    """Its facts, when it holds facts (a facts file, JSON or a filled workbook)."""


def read_document(path: Path) -> Document:
    """Read a file and tell what it holds: a workbook or JSON file as facts first, YAML as such.

    Raises:
        RulesetError: when YAML cannot be read (FactsError for a workbook or JSON file).
        OSError: when the file cannot be read.
    """
    suffix = path.suffix
    if is_workbook_file(path) or suffix.lower() == ".json":
        source = read_facts_input(path)  # a filled workbook, or JSON (perhaps tab-indented)
        kind: Kind = "facts" if holds_facts(source) else kind_of(source.data, suffix)
        text = read_text(path) if kind == "ruleset" else ""
        return Document(path, kind, source.data, text, source if kind == "facts" else None)
    text = read_text(path)
    data = parse_yaml(text, str(path))
    kind = kind_of(data, suffix)
    facts = FactsInput(str(path), data) if kind == "facts" else None
    return Document(path, kind, data, text, facts)


@dataclass(frozen=True)
class Claims:
    """A unit's own figures, as its claims file gives them."""

    filename: str
    data: LocatedDict
    subject: dict[str, Any]
    scores: dict[str, Any]
    total: Any
    grade: Any

    def where(self, *keys: str) -> SourceLocation:
        """Where the value at ``keys`` is written (the file's start if it is not)."""
        return locate(self.data, keys) or SourceLocation(self.filename, 1, 1)


def load_claims(path: Path) -> Claims:
    """Read a claims file.

    Raises:
        FactsError: when it is not YAML, or not a mapping of subject, scores, total and grade.
        OSError: when the file cannot be read.
    """
    data = parse_yaml(read_text(path, FactsError), str(path), FactsError)
    return claims_from(data, str(path))


def claims_from(data: Any, filename: str) -> Claims:
    """The claims parsed ``data`` gives, each part checked for its shape.

    Raises:
        FactsError: when it is not a mapping of subject, scores, total and grade.
    """
    where = SourceLocation(filename, 1, 1)
    if not isinstance(data, LocatedDict):
        message = _("a claims file is a mapping: scores, total, grade")
        raise FactsError([Issue(message, where)])
    unknown = [key for key in data if key not in CLAIMS_KEYS]
    if unknown:
        hint = suggest(unknown[0], CLAIMS_KEYS)
        location = locate(data, (unknown[0],), key=True) or where
        message = _("unknown key{hint}").format(hint=hint)
        raise FactsError([Issue(message, location, field=unknown[0])], filename)
    scores = data.get("scores") or {}
    if not isinstance(scores, dict):
        location = locate(data, ("scores",)) or where
        message = _("expected indicator paths with the 得分 the report gives")
        raise FactsError([Issue(message, location, field="scores")], filename)
    subject = data.get("subject") or {}
    if not isinstance(subject, dict):
        location = locate(data, ("subject",)) or where
        message = _("expected whose figures these are, like {{unit: …, year: …}}, found {found!r}")
        raise FactsError(
            [Issue(message.format(found=subject), location, field="subject")], filename
        )
    return Claims(filename, data, dict(subject), dict(scores), data.get("total"), data.get("grade"))
