"""Read facts: ``parse_*`` take text, ``load_*`` take a path, and ``check_facts`` checks them.

Every problem is collected and raised at once as a FactsError whose issues name the file, line
and column, and the indicator path or fact.

Facts come in three forms, read by one function, :func:`read_facts_input`, which every command
uses: a YAML file (``.yaml``/``.yml``), a JSON file (``.json``, the same keys), or the filled
facts workbook that ``scoring template --format xlsx`` writes (``.xlsx``, recognised by its
content too). Each gives the same located data, checked by the same rules (:func:`check_facts`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from scoring.engine.plan import facts_read, plan
from scoring.errors import FactsError, Issue, SourceLocation, suggest
from scoring.i18n import _
from scoring.load.fact_values import fact_value
from scoring.load.issues import Report, as_written, position, reporter
from scoring.load.overrides import check_overrides, read_overrides
from scoring.load.panel import read_panel
from scoring.load.registry import MAX_FILE_BYTES, read_text
from scoring.load.yaml_source import parse_yaml
from scoring.model import values
from scoring.model.base import plain
from scoring.model.facts import Facts, FactValue
from scoring.model.formula import normalize_name
from scoring.model.located import LocatedDict
from scoring.model.ruleset import Ruleset

FACTS_KEYS = ("ruleset", "subject", "facts", "not_applicable", "overrides", "panel")
FACTS_SUFFIXES = (".yaml", ".yml", ".json", ".xlsx")
"""The names of facts inputs a folder is searched for: YAML, JSON and filled workbooks."""
WORKBOOK_SUFFIX = ".xlsx"
ZIP_SIGNATURE = b"PK\x03\x04"
"""How an XLSX file (a zip archive) starts, whatever its name."""


@dataclass(frozen=True, eq=False)
class FactsInput:
    """A facts input as read, in any of its forms, not yet checked against a ruleset."""

    filename: str
    data: LocatedDict
    keys: tuple[str, ...] = FACTS_KEYS
    """The top-level keys this form can hold (a workbook has no room for overrides)."""
    issues: tuple[Issue, ...] = ()
    """Problems of the form itself, found while reading (a value in a row without a name)."""
    is_workbook: bool = False
    reword: Callable[[Issue], Issue] | None = None
    """Says a facts-file message in the form's own terms (a workbook's cells), if needed."""

    @property
    def ruleset_ref(self) -> str | None:
        """The ruleset these facts name (``ruleset: id@version``, a workbook's 规则集 row)."""
        ref = self.data.get("ruleset")
        return ref if isinstance(ref, str) and ref.strip() else None

    def check(self, ruleset: Ruleset, *, partial: bool = False) -> Facts:
        """The facts checked against ``ruleset``: every problem of the form and of the facts.

        With ``partial`` (a form in progress), facts left blank are not problems.

        Raises:
            FactsError: with every problem at once, each where it is written.
        """
        try:
            facts = check_facts(self.data, self.filename, ruleset, self.keys, partial=partial)
        except FactsError as exc:
            found = exc.issues if self.reword is None else tuple(map(self.reword, exc.issues))
            issues = sorted((*self.issues, *found), key=position)
            raise FactsError(issues, self.filename) from None
        if self.issues:
            raise FactsError(sorted(self.issues, key=position), self.filename)
        return facts


def parse_facts_text(text: str, filename: str) -> FactsInput:
    """A facts file's text (YAML, or JSON, which YAML reads too) as located data.

    Raises:
        FactsError: on a syntax error, or when the text is not a mapping.
    """
    if filename.lower().endswith(".json"):
        # a JSON file may be indented with tabs, which YAML refuses; a tab cannot stand inside
        # a JSON string, so each is whitespace, and one space keeps every column where it was
        text = text.replace("\t", " ")
    data = parse_yaml(text, filename, FactsError)
    if not isinstance(data, LocatedDict):
        message = _("a facts file is a mapping with a 'facts:' section")
        where = getattr(data, "location", None) or SourceLocation(filename, 1, 1)
        raise FactsError([Issue(message, where)], filename)
    return FactsInput(filename, data)


def read_facts_input(path: str | Path) -> FactsInput:
    """Read a facts input of any form: YAML, JSON, or a filled facts workbook (``.xlsx``).

    A workbook is known by its name or by its content (a zip archive), so a filled template
    saved under another name is still read as one.

    Raises:
        FactsError: when the file is too large, not UTF-8 text, not valid YAML or JSON, not a
            mapping, or a workbook that cannot be read or has no ``facts`` sheet.
        OSError: when the file cannot be read.
    """
    path = Path(path)
    filename = str(path)
    if is_workbook_file(path):
        from scoring.load import workbook  # the workbook reader builds on this module

        return workbook.read_facts_workbook(path, filename)
    if path.suffix.lower() == ".xls":
        message = _(
            "an Excel 97-2003 workbook (.xls): fill in the template that "
            "'scoring template RULESET --format xlsx' writes, and save it as .xlsx"
        )
        raise FactsError([Issue(message, SourceLocation(filename, 1, 1))], filename)
    if path.stat().st_size > MAX_FILE_BYTES:  # before reading it: it may be a disk image
        size = path.stat().st_size
        message = _("file is {size:,} bytes, the limit is {limit:,}").format(
            size=size, limit=MAX_FILE_BYTES
        )
        raise FactsError([Issue(message, SourceLocation(filename, 1, 1))], filename)
    return parse_facts_text(read_text(path, FactsError), filename)


def is_workbook_file(path: Path) -> bool:
    """Whether a file is an XLSX workbook: by its name, or by its start (a zip archive).

    Raises:
        OSError: when the file cannot be read.
    """
    if path.suffix.lower() == WORKBOOK_SUFFIX:
        return True
    with path.open("rb") as handle:
        return handle.read(len(ZIP_SIGNATURE)) == ZIP_SIGNATURE


def parse_facts(text: str, filename: str, ruleset: Ruleset, *, partial: bool = False) -> Facts:
    """Parse a facts file and check every fact against the ruleset's declarations.

    Raises:
        FactsError: with every missing, undeclared, mistyped or out-of-bounds fact at once.
    """
    return parse_facts_text(text, filename).check(ruleset, partial=partial)


def check_facts(
    data: LocatedDict,
    filename: str,
    ruleset: Ruleset,
    keys: Sequence[str] = FACTS_KEYS,
    *,
    partial: bool = False,
) -> Facts:
    """Check parsed facts (a facts file, or a ruleset's worked example) against the ruleset.

    Every fact an applicable indicator reads must be given, unless ``partial`` (a form in
    progress, scored as far as it goes): then a fact left blank is no problem.

    Raises:
        FactsError: with every missing, undeclared, mistyped or out-of-bounds fact at once.
    """
    start = data.location or SourceLocation(filename, 1, 1)
    issues: list[Issue] = []
    report = reporter(data, start, issues)

    for key in data:
        if key not in keys:
            message = _("unknown key{hint}").format(hint=suggest(key, list(keys)))
            report(message, (key,), field=key, at_key=True)
    subject = _subject(data.get("subject"), report)
    not_applicable = _not_applicable(data.get("not_applicable"), ruleset, report)
    overrides = read_overrides(data, ruleset, report)
    raw = data.get("facts")
    if raw is None:
        raw = LocatedDict()
    shapeless = not isinstance(raw, dict)
    if isinstance(raw, list):
        message = _(
            "expected name: value lines, found a list: write each fact without the leading '- '"
        )
        report(message, ("facts",), field="facts")
    elif shapeless:
        message = _("expected name: value lines, found {found}").format(found=as_written(raw))
        report(message, ("facts",), field="facts")
    if shapeless:
        raw = LocatedDict()
    typed: dict[str, FactValue] = {}
    unreadable: set[str] = set()
    readers = facts_read(ruleset, set(not_applicable))
    kept = plan(ruleset)  # the ruleset's folded names, worked out once
    declared = kept.facts
    written_as: dict[str, str] = {}  # full-width letters fold as in formulas: ＡＢＣ is ABC
    for written, value in raw.items():
        name = declared.get(kept.fold.get(written) or normalize_name(written), written)
        spec = ruleset.facts.get(name)
        if spec is None:
            message = _("undeclared fact{hint}").format(hint=suggest(name, list(ruleset.facts)))
            report(message, ("facts", written), field=name, at_key=True)
            continue
        if name in written_as:
            message = _("given twice, as {first!r} and {second!r}").format(
                first=written_as[name], second=written
            )
            report(message, ("facts", written), field=name, at_key=True)
            continue
        written_as[name] = written
        try:
            checked = None if value is None else fact_value(name, spec, value, ruleset)
        except values.UnreadableError as exc:
            report(str(exc), ("facts", written), readers.get(name), name)
            unreadable.add(name)
            continue
        if checked is not None:  # left empty: reported below if an applicable indicator reads it
            typed[name] = checked
    for name, reader in readers.items() if not (shapeless or partial) else ():
        written = written_as.get(name)
        if name not in typed and name not in unreadable:
            spec = ruleset.facts[name]
            described = _(", ").join(part for part in (spec.label, spec.unit) if part)
            message = (
                _("missing ({described})").format(described=described)
                if described
                else _("missing")
            )
            if written is not None:
                report(message, ("facts", written), reader, name)
            else:  # at the facts: section, or the file's start when there is none
                report(message, ("facts",), reader, name, at_key=True)
    if overrides:
        facts = Facts(facts=typed, not_applicable=not_applicable)
        check_overrides(ruleset, overrides, facts, report)
    if "panel" in data:  # the panel's combined scores: the file's overrides for their indicators
        facts = Facts(facts=typed, not_applicable=not_applicable, overrides=overrides)
        overrides = {**overrides, **read_panel(data, ruleset, facts, report)}
    ruleset_ref = data.get("ruleset")
    if ruleset_ref is not None and not isinstance(ruleset_ref, str):
        found = values.shown(ruleset_ref)
        message = _("expected 'id@version', found {found}").format(found=found)
        report(message, ("ruleset",), field="ruleset")
        ruleset_ref = None
    if issues and ruleset_ref not in (None, ruleset.id, ruleset.ref):
        message = _("these facts name ruleset {named!r}, but were read against {ref}").format(
            named=ruleset_ref, ref=ruleset.ref
        )
        report(message, ("ruleset",), field="ruleset")
    if issues:
        raise FactsError(sorted(issues, key=position), filename)
    return Facts(
        ruleset=ruleset_ref,
        subject=subject,
        facts=typed,
        not_applicable=not_applicable,
        overrides=overrides,
    )


def load_facts(path: str | Path, ruleset: Ruleset, *, partial: bool = False) -> Facts:
    """Read a facts input of any form (:func:`read_facts_input`) and check it against a ruleset.

    With ``partial`` (a form in progress), facts left blank are not problems.

    Raises:
        FactsError: with every problem found.
        OSError: when the file cannot be read.
    """
    return read_facts_input(path).check(ruleset, partial=partial)


def facts_files(directory: Path) -> list[Path]:
    """The facts inputs of every form in a folder and its subfolders, in name order.

    Hidden files and folders (``.name``) and Excel's lock files (``~$name.xlsx``, there while a
    workbook is open) are left out.
    """
    return sorted(
        path
        for path in directory.rglob("*")
        if path.suffix.lower() in FACTS_SUFFIXES
        and path.is_file()
        and not path.name.startswith("~$")
        and not any(part.startswith(".") for part in path.relative_to(directory).parts)
    )


def _subject(value: Any, report: Report) -> dict[str, str]:
    if value is None:
        return {}
    if not isinstance(value, dict):
        message = _("expected a mapping like {{unit: …, year: …}}, found {found}").format(
            found=values.shown(value)
        )
        report(message, ("subject",), field="subject")
        return {}
    subject: dict[str, str] = {}
    for key, item in value.items():
        if item is None:
            continue  # left empty in the template
        text = subject_text(item)
        if text is not None:
            subject[key] = text
        else:
            found = values.shown(item)
            message = _("expected text or a number, found {found}").format(found=found)
            report(message, ("subject", key), field=key)
    return subject


def subject_text(item: object) -> str | None:
    """A subject's value as the facts keep it: text, a number as written; None for anything else."""
    if isinstance(item, str | int | Decimal) and not isinstance(item, bool):
        return plain(item) if isinstance(item, Decimal) else str(item)
    return None


def _not_applicable(value: Any, ruleset: Ruleset, report: Report) -> tuple[str, ...]:
    if value is None:
        return ()
    if not isinstance(value, list):
        message = _("expected a list of indicator paths, found {found}").format(
            found=values.shown(value)
        )
        report(message, ("not_applicable",), field="not_applicable")
        return ()
    paths = plan(ruleset).paths
    found: list[str] = []
    for index, item in enumerate(value):
        loc = ("not_applicable", index)
        if not isinstance(item, str) or item not in paths:
            message = _("no indicator {path}{hint}").format(
                path=values.shown(item), hint=suggest(str(item), list(paths))
            )
            report(message, loc, field="not_applicable")
        elif ruleset.not_applicable == "forbid":
            message = _("this ruleset forbids 不适用 indicators: every indicator must be scored")
            report(message, loc, item, "not_applicable")
        else:
            found.append(item)
    return tuple(sorted(set(found)))
