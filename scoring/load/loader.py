"""Read rulesets and facts: ``parse_*`` take text, ``load_*`` take a path.

Every problem is collected and raised at once as a RulesetError or FactsError whose issues name
the file, line and column, and the indicator path or fact.

Facts come in three forms, read by one function, :func:`read_facts_input`, which every command
uses: a YAML file (``.yaml``/``.yml``), a JSON file (``.json``, the same keys), or the filled
facts workbook that ``scoring template --format xlsx`` writes (``.xlsx``, recognised by its
content too). Each gives the same located data, checked by the same rules (:func:`check_facts`).
"""

from __future__ import annotations

import errno
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from scoring.engine.checks import check_ruleset
from scoring.engine.overrides import override_problem
from scoring.engine.plan import facts_read, plan
from scoring.errors import (
    FactsError,
    Issue,
    OverridesError,
    RulesetError,
    SearchPathError,
    SourceLocation,
    one_of,
    suggest,
)
from scoring.i18n import N_, _
from scoring.load.issues import issues_behind, position, problem_issue, pydantic_issues
from scoring.load.registry import (
    MAX_FILE_BYTES,
    Parents,
    Registry,
    read_text,
    resolve_extends,
    shown_file,
)
from scoring.load.yaml_source import parse_yaml
from scoring.model import values
from scoring.model.base import check_number, cut_number, plain
from scoring.model.facts import AuditOverrides, Facts, FactValue, Override, TierClaim
from scoring.model.formula import normalize_name
from scoring.model.located import LocatedDict, locate
from scoring.model.ruleset import FactSpec, Origin, Ruleset, tier_scale

Loc = Sequence[str | int]
FACTS_KEYS = ("ruleset", "subject", "facts", "not_applicable", "overrides")
FACTS_SUFFIXES = (".yaml", ".yml", ".json", ".xlsx")
"""The names of facts inputs a folder is searched for: YAML, JSON and filled workbooks."""
WORKBOOK_SUFFIX = ".xlsx"
ZIP_SIGNATURE = b"PK\x03\x04"
"""How an XLSX file (a zip archive) starts, whatever its name."""


# --- rulesets -------------------------------------------------------------------------------


def parse_ruleset(text: str, filename: str, parents: Parents | None = None) -> Ruleset:
    """Parse, merge with its ``extends`` chain, validate and check a ruleset.

    Args:
        text: the YAML text.
        filename: the name to report in locations.
        parents: looks up ``extends`` targets (``Registry(...).parent``); None forbids ``extends``.

    Raises:
        RulesetError: with every problem found, each with file, line and column.
    """
    data = parse_yaml(text, filename)
    if not isinstance(data, LocatedDict):
        message = _("a ruleset is a mapping of keys (id, version, indicators, …)")
        raise RulesetError([Issue(message, SourceLocation(filename, 1, 1))], filename)
    merged, files = resolve_extends(data, filename, parents)
    try:
        ruleset = Ruleset.model_validate(merged)
    except ValidationError as exc:
        issues = pydantic_issues(exc, merged, Ruleset, filename, {filename: text})
        issues += issues_behind(exc, merged, filename, issues)
        raise RulesetError(sorted(issues, key=position), filename) from exc
    problems = check_ruleset(ruleset)
    errors = [p for p in problems if p.severity == "error"]
    if errors:
        issues = sorted((problem_issue(p, merged, filename) for p in errors), key=position)
        raise RulesetError(issues, filename)
    warnings = sorted((problem_issue(p, merged, filename) for p in problems), key=position)
    shown = tuple(shown_file(name) for name in files)
    return ruleset.read_from(Origin(merged, files, shown, tuple(warnings)))


def load_ruleset(
    name: str | Path, search_path: Iterable[Path] = (), *, allow_shadow: bool = False
) -> Ruleset:
    """Load a ruleset from a file, or by ``id@version`` (or bare ``id``) from the search path.

    A file named directly is read as it is; its ``extends`` and an ``id@version`` are looked up
    on the search path, where ``allow_shadow`` lets a directory's file replace a shipped one.

    Raises:
        SearchPathError: when it (or a parent) is not on the search path, or two different files
            give its ``id@version``.
        RulesetError: when it is invalid.
        OSError: when the file cannot be read.
    """
    registry = Registry(search_path, allow_shadow=allow_shadow)
    path = Path(name)
    if not path.is_file():
        if path.suffix in (".yaml", ".yml") or len(path.parts) > 1:
            raise FileNotFoundError(errno.ENOENT, _("no such file"), str(name))
        path = registry.find(str(name)).path
    return _parse_file(path, registry)


def _parse_file(path: Path, registry: Registry) -> Ruleset:
    return parse_ruleset(read_text(path), str(path), registry.parent)


# --- facts ----------------------------------------------------------------------------------


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


Report = Callable[..., None]
"""``report(message, loc, path, field, at_key)``: one problem, placed in the file."""


def _reporter(data: LocatedDict, start: SourceLocation, issues: list[Issue]) -> Report:
    """A ``report`` that places each problem by its key path in ``data``, into ``issues``."""

    def report(
        message: str,
        loc: Loc,
        path: str | None = None,
        field: str | None = None,
        at_key: bool = False,
    ) -> None:
        issues.append(Issue(message, locate(data, loc, key=at_key) or start, path, field))

    return report


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
    report = _reporter(data, start, issues)

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
        message = _("expected name: value lines, found {found}").format(found=_shown(raw))
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
            checked = None if value is None else _fact_value(name, spec, value, ruleset)
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
        _check_overrides(ruleset, overrides, facts, report)
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


def read_overrides(data: LocatedDict, ruleset: Ruleset, report: Report) -> dict[str, Override]:
    """The ``overrides:`` section: each a leaf's path → {points, reason, by}, checked in shape.

    Whether the points fit the indicator (its weight, the tier claimed) is checked when scoring.
    """
    raw = data.get("overrides")
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        message = _("expected indicator paths with {{points, reason, by}}, found {found}").format(
            found=_shown(raw)
        )
        report(message, ("overrides",), field="overrides")
        return {}
    leaves = [path for path, _, node in ruleset.walk() if node.is_leaf]
    found: dict[str, Override] = {}
    for path, entry in raw.items():
        loc = ("overrides", path)
        if path not in leaves:
            if any(leaf.startswith(f"{path}.") for leaf in leaves):
                message = _("{path!r} is a group: override its indicators one by one").format(
                    path=path
                )
            else:
                message = _("no indicator {path!r}{hint}").format(
                    path=path, hint=suggest(path, leaves)
                )
            report(message, loc, field="overrides", at_key=True)
            continue
        override = _override(entry, loc, path, report)
        if override is not None:
            found[path] = override
    return found


def _check_overrides(
    ruleset: Ruleset, overrides: dict[str, Override], facts: Facts, report: Report
) -> None:
    for path, override in overrides.items():
        problem = override_problem(ruleset, path, override, facts)
        if problem is not None:
            report(problem, ("overrides", path, "points"), path, "points")


def load_audit_overrides(path: str | Path, ruleset: Ruleset, facts: Facts) -> AuditOverrides:
    """Read an auditor's overrides file (``overrides:`` only), checked against the facts.

    Raises:
        OverridesError: with every problem found, each with file, line and column.
        OSError: when the file cannot be read.
    """
    filename = str(path)
    data = parse_yaml(read_text(Path(path), OverridesError), filename, OverridesError)
    start = SourceLocation(filename, 1, 1)
    if not isinstance(data, LocatedDict) or "overrides" not in data:
        message = _("an overrides file is a mapping with an 'overrides:' section")
        raise OverridesError([Issue(message, getattr(data, "location", None) or start)], filename)
    return check_audit_overrides(data, filename, ruleset, facts)


def check_audit_overrides(
    data: LocatedDict, filename: str, ruleset: Ruleset, facts: Facts
) -> AuditOverrides:
    """Check parsed auditor's overrides (``overrides:`` only) against the ruleset and the facts.

    Raises:
        OverridesError: with every problem found, each with file, line and column.
    """
    start = data.location or SourceLocation(filename, 1, 1)
    issues: list[Issue] = []
    report = _reporter(data, start, issues)

    for key in data:
        if key != "overrides":
            message = _("unknown key{hint}").format(hint=suggest(key, ["overrides"]))
            report(message, (key,), field=key, at_key=True)
    overrides = read_overrides(data, ruleset, report)
    _check_overrides(ruleset, overrides, facts, report)
    if issues:
        raise OverridesError(sorted(issues, key=position), filename)
    return AuditOverrides(overrides=overrides)


OVERRIDE_KEYS = ("points", "reason", "by")
_NEEDS = {"reason": N_("say why the computed score is replaced"), "by": N_("say who set it")}


def _override(entry: Any, loc: Loc, path: str, report: Report) -> Override | None:
    if not isinstance(entry, dict):
        message = _("expected {{points: …, reason: …, by: …}}, found {found}").format(
            found=_shown(entry)
        )
        report(message, loc, path, "overrides")
        return None
    ok = True
    for key in entry:
        if key not in OVERRIDE_KEYS:
            message = _("unknown key{hint}").format(hint=suggest(str(key), list(OVERRIDE_KEYS)))
            report(message, (*loc, key), path, str(key), True)
            ok = False
    points = entry.get("points")
    if isinstance(points, bool) or not isinstance(points, int | Decimal):
        found = _("nothing") if points is None else _shown(points)
        message = _("expected a number of points, found {found}").format(found=found)
        report(message, (*loc, "points"), path, "points")
        ok = False
    else:
        try:
            check_number(Decimal(points))
        except ValueError as exc:
            report(str(exc), (*loc, "points"), path, "points")
            ok = False
    for key, need in _NEEDS.items():
        text = entry.get(key)
        if not isinstance(text, str) or not text.strip():
            report(_("required: {need}").format(need=_(need)), (*loc, key), path, key)
            ok = False
    if not ok or not isinstance(points, int | Decimal):
        return None
    return Override(points=Decimal(points), reason=entry["reason"].strip(), by=entry["by"].strip())


def load_facts(path: str | Path, ruleset: Ruleset, *, partial: bool = False) -> Facts:
    """Read a facts input of any form (:func:`read_facts_input`) and check it against a ruleset.

    With ``partial`` (a form in progress), facts left blank are not problems.

    Raises:
        FactsError: with every problem found.
        OSError: when the file cannot be read.
    """
    return read_facts_input(path).check(ruleset, partial=partial)


def load_named_ruleset(
    facts: str | Path | FactsInput, search_path: Iterable[Path] = (), *, allow_shadow: bool = False
) -> Ruleset:
    """The ruleset a facts input names (``ruleset:``, a workbook's 规则集), from the search path.

    Raises:
        FactsError: when the facts name no ruleset.
        SearchPathError: when the ruleset it names is not on the search path (placed at the
            facts' ``ruleset:`` line), or two different files give it.
        RulesetError: when the named ruleset is invalid.
        OSError: when the facts file cannot be read.
    """
    source = facts if isinstance(facts, FactsInput) else read_facts_input(facts)
    ref = source.ruleset_ref
    where = locate(source.data, ("ruleset",)) or SourceLocation(source.filename, 1, 1)
    if ref is None:
        if source.is_workbook:
            message = _(
                "the workbook names no ruleset: give the ruleset before it (scoring score RULESET "
                "FILE)"
            )
        else:
            message = _(
                "name the ruleset (ruleset: id@version), or give the ruleset before the facts"
            )
        raise FactsError([Issue(message, where, field="ruleset")], source.filename)
    registry = Registry(search_path, allow_shadow=allow_shadow)
    try:
        entry = registry.find(ref)
    except SearchPathError as exc:
        issue = Issue(exc.issues[0].message, where, field="ruleset")
        raise SearchPathError([issue], source.filename) from exc
    except RulesetError as exc:
        issue = Issue(exc.issues[0].message, where, field="ruleset")
        raise FactsError([issue], source.filename) from exc
    return _parse_file(entry.path, registry)


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
        if isinstance(item, str | int | Decimal) and not isinstance(item, bool):
            subject[key] = plain(item) if isinstance(item, Decimal) else str(item)
        else:
            found = values.shown(item)
            message = _("expected text or a number, found {found}").format(found=found)
            report(message, ("subject", key), field=key)
    return subject


def _not_applicable(value: Any, ruleset: Ruleset, report: Report) -> tuple[str, ...]:
    if value is None:
        return ()
    if not isinstance(value, list):
        message = _("expected a list of indicator paths, found {found}").format(
            found=values.shown(value)
        )
        report(message, ("not_applicable",), field="not_applicable")
        return ()
    paths = {path for path, _, _ in ruleset.walk()}
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


def _fact_value(name: str, spec: FactSpec, value: Any, ruleset: Ruleset) -> FactValue | None:
    """The typed value (None when left empty), as people type it (see :mod:`scoring.model.values`).

    Raises:
        UnreadableError: with the message saying why it cannot be read and how to write it.
    """
    if spec.type == "boolean":
        return values.boolean(value)
    is_text = isinstance(value, str)
    if spec.type in ("tier", "choice") and is_text and not values.normalise_text(value):
        return None
    if spec.type == "tier":
        return _tier_value(name, value, ruleset)
    if spec.type == "choice":
        options = {values.normalise_text(option): option for option in spec.options or ()}
        chosen = options.get(values.normalise_text(value)) if isinstance(value, str) else None
        if chosen is not None:
            return chosen
        # no did-you-mean: 有结余 is one character from 无结余, its opposite
        message = _("expected one of {options}, found {found}").format(
            options=_(", ").join(options.values()), found=values.shown(value)
        )
        raise values.UnreadableError(message)
    number = values.number(value, spec)
    if number is None:
        return None
    try:
        check_number(number)
    except ValueError as exc:
        raise values.UnreadableError(str(exc)) from None
    if spec.type == "integer" and number != number.to_integral_value():
        message = _("expected a whole number, found {found}").format(found=value)
        raise values.UnreadableError(message)
    if spec.min is not None and number < spec.min:
        message = _("{value} is below the declared min {min}").format(
            value=_written(number), min=spec.min
        )
        raise values.UnreadableError(message)
    if spec.max is not None and number > spec.max:
        message = _("{value} is above the declared max {max}").format(
            value=_written(number), max=spec.max
        )
        raise values.UnreadableError(message)
    return number


def _shown(value: Any) -> str:
    """A YAML value as its author wrote it, for messages (not Python's repr), cut when long."""
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, Decimal):
        return cut_number(plain(value))
    return values.cut(repr(value) if isinstance(value, str) else str(value))


def _written(number: Decimal) -> str:
    return format(number, "f")


def _tier_value(name: str, value: Any, ruleset: Ruleset) -> TierClaim:
    tiers, weight = tier_scale(ruleset, name)
    labels = {label: tier for tier in tiers for label in tier.names()}
    if isinstance(value, str):
        claim = TierClaim(tier=values.normalise_text(value))
    elif isinstance(value, dict) and set(value) <= {"tier", "score", "note"} and "tier" in value:
        claim = _tier_claim(value)
    else:
        found = values.shown(value)
        message = _("expected a tier label or {{tier: …, score: …, note: …}}, found {found}")
        message = message.format(found=found)
        raise values.UnreadableError(message)
    tier = labels.get(claim.tier)
    if tier is None:
        # no did-you-mean: 基本不满意 is near 基本满意 and 很满意 near 满意, other answers
        message = _("unknown tier {tier!r}: choose one of {labels}").format(
            tier=claim.tier, labels=one_of(each.label for each in tiers)
        )
        raise values.UnreadableError(message)
    if claim.score is None and tier.default is None:
        message = _("tier {tier!r} has no default score: give {{tier: …, score: …, note: …}}")
        message = message.format(tier=tier.label)
        raise values.UnreadableError(message)
    if claim.score is not None and weight is not None and not tier.allows(claim.score / weight):
        low, high = (bound * weight for bound in tier.range)
        closing = "]" if tier.range[1] == 1 else ")"
        message = _("score {score} is outside tier {tier!r} [{low}, {high}{closing}").format(
            score=claim.score, tier=tier.label, low=low, high=high, closing=closing
        )
        raise values.UnreadableError(message)
    return TierClaim(tier=tier.label, score=claim.score, note=claim.note)


def _tier_claim(value: dict[str, Any]) -> TierClaim:
    score = value.get("score")
    if score is not None and (isinstance(score, bool) or not isinstance(score, int | Decimal)):
        message = _("score: expected a number, found {found}").format(found=values.shown(score))
        raise values.UnreadableError(message)
    if score is not None:
        try:
            check_number(Decimal(score))
        except ValueError as exc:
            message = _("score: {problem}").format(problem=exc)
            raise values.UnreadableError(message) from None
    note = value.get("note")
    tier = value["tier"]
    return TierClaim(
        tier=values.normalise_text(tier) if isinstance(tier, str) else str(tier),
        score=None if score is None else Decimal(score),
        note=None if note is None else str(note),
    )
