"""Read rulesets and facts: ``parse_*`` take text, ``load_*`` take a path.

Every problem is collected and raised at once as a RulesetError or FactsError whose issues name
the file, line and column, and the indicator path or fact.
"""

from __future__ import annotations

import copy
import errno
import types
import typing
from collections.abc import Iterable, Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from scoring.checks import Problem, check_ruleset, suggest
from scoring.engine import facts_read
from scoring.errors import FactsError, Issue, RulesetError, SourceLocation
from scoring.formula import FormulaSyntaxError, normalize_name
from scoring.models import (
    INDICATOR_ID,
    RULESET_ID,
    Facts,
    FactSpec,
    FactValue,
    Ruleset,
    Tier,
    TierClaim,
)
from scoring.registry import Parents, Registry, read_text, resolve_extends
from scoring.sourcemap import LocatedDict, locate, parse_yaml

Loc = Sequence[str | int]
FACTS_KEYS = ("ruleset", "subject", "facts", "not_applicable")


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
        message = "a ruleset is a mapping of keys (id, version, indicators, …)"
        raise RulesetError([Issue(message, SourceLocation(filename, 1, 1))], filename)
    merged, files = resolve_extends(data, filename, parents)
    try:
        ruleset = Ruleset.model_validate(merged)
    except ValidationError as exc:
        issues = _pydantic_issues(exc, merged, Ruleset, filename, {filename: text})
        issues += _issues_behind(exc, merged, filename, issues)
        raise RulesetError(sorted(issues, key=_position), filename) from exc
    problems = [p for p in check_ruleset(ruleset) if p.severity == "error"]
    if problems:
        issues = sorted((problem_issue(p, merged, filename) for p in problems), key=_position)
        raise RulesetError(issues, filename)
    ruleset._source = merged
    ruleset._files = files
    return ruleset


def _issues_behind(
    exc: ValidationError, data: Any, filename: str, found: list[Issue]
) -> list[Issue]:
    """The whole-tree problems that a shape error would otherwise hide, so lint shows all at once.

    Drops each key that failed and that may be left out (an unknown key, an optional field),
    validates again, and checks the result; gives up when a required field failed.
    """
    repaired = copy.deepcopy(data)
    dropped: set[tuple[str | int, ...]] = set()
    for error in exc.errors():
        loc = _clean_loc(data, error["loc"])
        container = _child(repaired, loc[0]) if len(loc) > 1 else repaired
        for step in loc[1:-1]:
            container = _child(container, step)
        fields = _model_at(Ruleset, loc[:-1]) or {}
        key = loc[-1] if loc else None
        optional = isinstance(key, str) and key in fields and not fields[key].is_required()
        if not isinstance(container, dict) or key not in container:
            return []
        if error["type"] != "extra_forbidden" and not optional:
            return []
        del container[key]
        dropped.add(loc)
    try:
        ruleset = Ruleset.model_validate(repaired)
    except ValidationError:
        return []
    reported = {(issue.path, issue.field) for issue in found}
    return [
        problem_issue(problem, repaired, filename)
        for problem in check_ruleset(ruleset)
        if problem.severity == "error"
        and (problem.path, problem.field) not in reported
        and problem.loc not in dropped
    ]


def load_ruleset(name: str | Path, search_path: Iterable[Path] = ()) -> Ruleset:
    """Load a ruleset from a file, or by ``id@version`` (or bare ``id``) from the search path.

    Raises:
        RulesetError: when it cannot be found or is invalid.
        OSError: when the file cannot be read.
    """
    registry = Registry(search_path)
    path = Path(name)
    if not path.is_file():
        if path.suffix in (".yaml", ".yml") or len(path.parts) > 1:
            raise FileNotFoundError(errno.ENOENT, "no such file", str(name))
        path = registry.find(str(name)).path
    return parse_ruleset(read_text(path), str(path), registry.parent)


def problem_issue(problem: Problem, data: Any, filename: str) -> Issue:
    """A check's problem as an Issue with the file position it points at."""
    location = locate(data, problem.loc, key=problem.at_key) or SourceLocation(filename, 1, 1)
    return Issue(problem.message, location, problem.path, problem.field)


def _pydantic_issues(
    exc: ValidationError,
    data: Any,
    model: type[BaseModel],
    filename: str,
    texts: dict[str, str],
) -> list[Issue]:
    issues = []
    for error in exc.errors():
        loc = _clean_loc(data, error["loc"])
        kind = error["type"]
        field = str(loc[-1]) if loc and isinstance(loc[-1], str) else None
        location = locate(data, loc, key=kind == "extra_forbidden") or SourceLocation(
            filename, 1, 1
        )
        message = _message(error, model, loc)
        cause = error.get("ctx", {}).get("error")
        if isinstance(cause, FormulaSyntaxError) and location.file in texts:
            location, message = _inside_formula(location, cause, texts[location.file])
        issues.append(Issue(message, location, indicator_path(data, loc), field))
    return sorted(issues, key=_position)


def _inside_formula(
    start: SourceLocation, error: FormulaSyntaxError, text: str
) -> tuple[SourceLocation, str]:
    """Point into a one-line formula at the column the formula's own error names."""
    lines = text.splitlines()
    if error.column is None or error.line != 1 or start.line > len(lines):
        return start, str(error)
    opening = lines[start.line - 1][start.column - 1 : start.column]
    if opening in ("|", ">"):
        return start, str(error)  # a block scalar: the formula starts on a later line
    shift = 1 if opening in ("'", '"') else 0
    return SourceLocation(
        start.file, start.line, start.column + shift + error.column - 1
    ), error.reason


def _position(issue: Issue) -> tuple[str, int, int]:
    where = issue.location
    return (where.file, where.line, where.column) if where else ("", 0, 0)


def _clean_loc(data: Any, loc: Sequence[str | int]) -> tuple[str | int, ...]:
    """Drop pydantic's union-branch names from a loc, keeping the steps that exist in the data."""
    kept: list[str | int] = []
    node = data
    for index, step in enumerate(loc):
        child = _child(node, step)
        if child is not _ABSENT:
            node = child
        elif not (index == len(loc) - 1 and isinstance(node, dict)):
            continue  # a union branch's name; a missing last key stays as the field name
        kept.append(step)
    return tuple(kept)


_ABSENT = object()


def _child(node: Any, step: str | int) -> Any:
    """``node[step]`` where the data has it, else ``_ABSENT``."""
    if isinstance(node, dict) and isinstance(step, str) and step in node:
        return node[step]
    if isinstance(node, list) and isinstance(step, int) and 0 <= step < len(node):
        return node[step]
    return _ABSENT


def indicator_path(data: Any, loc: Loc) -> str | None:
    """The dotted indicator ids (or ``facts.NAME`` / ``derived.NAME``) that ``loc`` lies in."""
    if len(loc) >= 2 and loc[0] in ("facts", "derived"):
        return f"{loc[0]}.{loc[1]}"
    ids: list[str] = []
    node = data
    for step in loc:
        node = _child(node, step)
        if node is _ABSENT:
            break
        if isinstance(step, int) and isinstance(node, dict) and isinstance(node.get("id"), str):
            ids.append(node["id"])
    return ".".join(ids) or None


def _message(error: Any, model: type[BaseModel], loc: Loc) -> str:
    kind, found = error["type"], error.get("input")
    ctx = error.get("ctx", {})
    if kind == "missing":
        return "missing"
    if kind == "extra_forbidden":
        allowed = list(_model_at(model, loc[:-1]) or ())
        return f"unknown key{suggest(str(loc[-1]), allowed)}"
    if kind == "value_error":
        return str(ctx.get("error", error["msg"]))
    if kind == "literal_error":
        return f"expected {ctx.get('expected')}, found {found!r}"
    if kind in ("decimal_parsing", "decimal_type", "int_parsing", "int_type", "float_parsing"):
        return f"expected a number, found {found!r}"
    if kind == "string_pattern_mismatch":
        pattern = ctx.get("pattern")
        if pattern == INDICATOR_ID:
            return f"ids are lower_snake ASCII like 'output_quantity', found {found!r}"
        if pattern == RULESET_ID:
            example = "'mof.project-self-eval'"
            return f"ruleset ids are lower-case dotted names like {example}, found {found!r}"
        return f"{found!r} does not match {pattern}"
    if kind in ("tuple_type", "list_type"):
        return f"expected a list, found {found!r}"
    if kind in ("dict_type", "model_type", "model_attributes_type"):
        return f"expected a mapping of keys, found {found!r}"
    message: str = error["msg"]
    return f"{message[0].lower()}{message[1:]}, found {found!r}"


def _model_at(model: type[BaseModel], loc: Loc) -> dict[str, Any] | None:
    """The fields of the model that the data at ``loc`` is validated against."""
    current: Any = model
    for step in loc:
        current = _strip_optional(current)
        if isinstance(current, type) and issubclass(current, BaseModel):
            if not isinstance(step, str) or step not in current.model_fields:
                return None
            current = current.model_fields[step].annotation
        elif typing.get_origin(current) is tuple:
            current = typing.get_args(current)[0]
        elif typing.get_origin(current) is dict:
            current = typing.get_args(current)[1]
        else:
            return None
    current = _strip_optional(current)
    if isinstance(current, type) and issubclass(current, BaseModel):
        return dict(current.model_fields)
    return None


def _strip_optional(annotation: Any) -> Any:
    if typing.get_origin(annotation) in (typing.Union, types.UnionType):
        options = [arg for arg in typing.get_args(annotation) if arg is not type(None)]
        if len(options) == 1:
            return options[0]
    return annotation


# --- facts ----------------------------------------------------------------------------------


def parse_facts(text: str, filename: str, ruleset: Ruleset) -> Facts:
    """Parse a facts file and check every fact against the ruleset's declarations.

    Raises:
        FactsError: with every missing, undeclared, mistyped or out-of-bounds fact at once.
    """
    data = parse_yaml(text, filename, FactsError)
    start = SourceLocation(filename, 1, 1)
    if not isinstance(data, LocatedDict):
        message = "a facts file is a mapping with a 'facts:' section"
        raise FactsError([Issue(message, start)], filename)
    issues: list[Issue] = []

    def report(
        message: str,
        loc: Loc,
        path: str | None = None,
        field: str | None = None,
        at_key: bool = False,
    ) -> None:
        issues.append(Issue(message, locate(data, loc, key=at_key) or start, path, field))

    for key in data:
        if key not in FACTS_KEYS:
            report(f"unknown key{suggest(key, list(FACTS_KEYS))}", (key,), field=key, at_key=True)
    subject = _subject(data.get("subject"), report)
    not_applicable = _not_applicable(data.get("not_applicable"), ruleset, report)
    raw = data.get("facts")
    if raw is None:
        raw = LocatedDict()
    if not isinstance(raw, dict):
        report(f"expected a mapping of fact: value, found {raw!r}", ("facts",), field="facts")
        raw = LocatedDict()
    values: dict[str, FactValue] = {}
    readers = facts_read(ruleset, set(not_applicable))
    declared = {normalize_name(name): name for name in ruleset.facts}
    written_as: dict[str, str] = {}  # full-width letters fold as in formulas: ＡＢＣ is ABC
    for written, value in raw.items():
        name = declared.get(normalize_name(written), written)
        spec = ruleset.facts.get(name)
        if spec is None:
            hint = suggest(name, list(ruleset.facts))
            report(f"undeclared fact{hint}", ("facts", written), field=name, at_key=True)
            continue
        if name in written_as:
            message = f"given twice, as {written_as[name]!r} and {written!r}"
            report(message, ("facts", written), field=name, at_key=True)
            continue
        written_as[name] = written
        if value is None:
            continue  # left empty: reported below if an applicable indicator reads it
        checked = _fact_value(name, spec, value, ruleset)
        if isinstance(checked, str):
            report(checked, ("facts", written), readers.get(name), name)
        else:
            values[name] = checked
    for name, reader in readers.items():
        written = written_as.get(name)
        if written is None or raw[written] is None:
            spec = ruleset.facts[name]
            described = ", ".join(part for part in (spec.label, spec.unit) if part)
            message = f"missing ({described})" if described else "missing"
            if written is not None:
                report(message, ("facts", written), reader, name)
            else:  # at the facts: section, or the file's start when there is none
                report(message, ("facts",), reader, name, at_key=True)
    ruleset_ref = data.get("ruleset")
    if ruleset_ref is not None and not isinstance(ruleset_ref, str):
        report(f"expected 'id@version', found {ruleset_ref!r}", ("ruleset",), field="ruleset")
        ruleset_ref = None
    if issues and ruleset_ref not in (None, ruleset.id, ruleset.ref):
        message = f"these facts name ruleset {ruleset_ref!r}, but were read against {ruleset.ref}"
        report(message, ("ruleset",), field="ruleset")
    if issues:
        raise FactsError(sorted(issues, key=_position), filename)
    return Facts(ruleset=ruleset_ref, subject=subject, facts=values, not_applicable=not_applicable)


def load_facts(path: str | Path, ruleset: Ruleset) -> Facts:
    """Read and check a facts file against a ruleset.

    Raises:
        FactsError: with every problem found.
        OSError: when the file cannot be read.
    """
    return parse_facts(read_text(Path(path), FactsError), str(path), ruleset)


def load_named_ruleset(facts: str | Path, search_path: Iterable[Path] = ()) -> Ruleset:
    """The ruleset a facts file names in its ``ruleset:`` line, from the search path.

    Raises:
        FactsError: when the facts file names no ruleset, or one not on the search path.
        RulesetError: when the named ruleset is invalid.
        OSError: when the facts file cannot be read.
    """
    path = Path(facts)
    data = parse_yaml(read_text(path, FactsError), str(path), FactsError)
    ref = data.get("ruleset") if isinstance(data, dict) else None
    where = locate(data, ("ruleset",)) or SourceLocation(str(path), 1, 1)
    if not isinstance(ref, str):
        message = "name the ruleset (ruleset: id@version), or give the ruleset before the facts"
        raise FactsError([Issue(message, where, field="ruleset")], str(path))
    registry = Registry(search_path)
    try:
        entry = registry.find(ref)
    except RulesetError as exc:
        raise FactsError([Issue(exc.issues[0].message, where, field="ruleset")], str(path)) from exc
    return parse_ruleset(read_text(entry.path), str(entry.path), registry.parent)


def _subject(value: Any, report: Any) -> dict[str, str | int | Decimal]:
    if value is None:
        return {}
    if not isinstance(value, dict):
        report(
            f"expected a mapping like {{unit: …, year: …}}, found {value!r}",
            ("subject",),
            field="subject",
        )
        return {}
    subject: dict[str, str | int | Decimal] = {}
    for key, item in value.items():
        if item is None:
            continue  # left empty in the template
        if isinstance(item, str | int | Decimal) and not isinstance(item, bool):
            subject[key] = item
        else:
            report(f"expected text or a number, found {item!r}", ("subject", key), field=key)
    return subject


def _not_applicable(value: Any, ruleset: Ruleset, report: Any) -> tuple[str, ...]:
    if value is None:
        return ()
    if not isinstance(value, list):
        report(
            f"expected a list of indicator paths, found {value!r}",
            ("not_applicable",),
            field="not_applicable",
        )
        return ()
    paths = {path for path, _, _ in ruleset.walk()}
    found: list[str] = []
    for index, item in enumerate(value):
        loc = ("not_applicable", index)
        if not isinstance(item, str) or item not in paths:
            report(
                f"no indicator {item!r}{suggest(str(item), list(paths))}",
                loc,
                field="not_applicable",
            )
        elif ruleset.not_applicable == "forbid":
            report(
                "this ruleset forbids 不适用 indicators: every indicator must be scored",
                loc,
                item,
                "not_applicable",
            )
        else:
            found.append(item)
    return tuple(sorted(set(found)))


def _fact_value(name: str, spec: FactSpec, value: Any, ruleset: Ruleset) -> FactValue | str:
    """The typed value, or the message saying why it cannot be read."""
    if spec.type == "boolean":
        return value if isinstance(value, bool) else f"expected true or false, found {value!r}"
    if spec.type == "tier":
        return _tier_value(name, value, ruleset)
    if isinstance(value, bool) or not isinstance(value, int | Decimal):
        if isinstance(value, str):
            return f"expected a number, found text {value!r}: write it without quotes or units"
        return f"expected a number, found {value!r}"
    number = Decimal(value)
    if not number.is_finite():
        return f"expected a finite number, found {value}"
    if spec.type == "integer" and number != number.to_integral_value():
        return f"expected a whole number, found {value}"
    if spec.min is not None and number < spec.min:
        return f"{number} is below the declared min {spec.min}"
    if spec.max is not None and number > spec.max:
        return f"{number} is above the declared max {spec.max}"
    return number


def tier_scale(ruleset: Ruleset, fact: str) -> tuple[tuple[Tier, ...], Decimal | None]:
    """The tiers (and the weight) of the indicator that scores a tier fact."""
    for _, _, node in ruleset.walk():
        if node.method == "tiers" and node.fact == fact:
            return node.tiers or ruleset.tiers or (), node.weight
    return ruleset.tiers or (), None


def _tier_value(name: str, value: Any, ruleset: Ruleset) -> FactValue | str:
    tiers, weight = tier_scale(ruleset, name)
    labels = {label: tier for tier in tiers for label in tier.names()}
    if isinstance(value, str):
        claim = TierClaim(tier=value)
    elif isinstance(value, dict) and set(value) <= {"tier", "score", "note"} and "tier" in value:
        score = value.get("score")
        if score is not None and (isinstance(score, bool) or not isinstance(score, int | Decimal)):
            return f"score: expected a number, found {score!r}"
        note = value.get("note")
        claim = TierClaim(
            tier=str(value["tier"]),
            score=None if score is None else Decimal(score),
            note=None if note is None else str(note),
        )
    else:
        return f"expected a tier label or {{tier: …, score: …, note: …}}, found {value!r}"
    tier = labels.get(claim.tier)
    if tier is None:
        return f"unknown tier {claim.tier!r}{suggest(claim.tier, list(labels))}"
    if claim.score is None and tier.default is None:
        return f"tier {tier.label!r} has no default score: give {{tier: …, score: …, note: …}}"
    if claim.score is not None and weight is not None and not tier.allows(claim.score / weight):
        low, high = (bound * weight for bound in tier.range)
        closing = "]" if tier.range[1] == 1 else ")"
        return f"score {claim.score} is outside tier {tier.label!r} [{low}, {high}{closing}"
    return TierClaim(tier=tier.label, score=claim.score, note=claim.note)
