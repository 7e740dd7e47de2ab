"""Located issues: from pydantic's validation errors, the whole-tree checks, and readers' reports.

Pydantic names a problem by its ``loc`` in the data; the located YAML data turns that into a file,
line and column, and walking the data turns list indices into indicator ids
(``("indicators", 1, "children", 0)`` → ``output.quantity``).
"""

from __future__ import annotations

import copy
import types
import typing
from collections.abc import Callable, Sequence
from decimal import Decimal
from typing import Any

from pydantic import BaseModel, ValidationError

from scoring.engine.checks import check_ruleset
from scoring.errors import Issue, SourceLocation, suggest
from scoring.i18n import _
from scoring.model import values
from scoring.model.base import RULESET_ID, cut_number, plain
from scoring.model.formula import FormulaSyntaxError
from scoring.model.located import LocatedDict, locate
from scoring.model.problems import Problem
from scoring.model.ruleset import INDICATOR_ID, Ruleset

Loc = Sequence[str | int]


def problem_issue(problem: Problem, data: Any, filename: str) -> Issue:
    """A check's problem as an Issue with the file position it points at."""
    location = locate(data, problem.loc, key=problem.at_key) or SourceLocation(filename, 1, 1)
    return Issue(problem.message, location, problem.path, problem.field)


def pydantic_issues(
    exc: ValidationError,
    data: Any,
    model: type[BaseModel],
    filename: str,
    texts: dict[str, str],
) -> list[Issue]:
    """Each pydantic error as an Issue at its file position, with its indicator path.

    A value that no branch of a union accepts (``on_zero_division: eror`` is neither a number
    nor ``error``) is one issue saying every form it may take.
    """
    issues: list[Issue] = []
    previous: tuple[tuple[str | int, ...], list[str]] | None = None
    for error in exc.errors():
        loc = _clean_loc(data, error["loc"])
        kind = error["type"]
        field = str(loc[-1]) if loc and isinstance(loc[-1], str) else None
        location = locate(data, loc, key=kind == "extra_forbidden") or SourceLocation(
            filename, 1, 1
        )
        expected = _expected(kind, error.get("ctx", {}), loc)
        if expected is not None and previous is not None and previous[0] == loc:
            previous[1].append(expected)
            either = _(" or ").join(previous[1])
            message = _("expected {expected}, found {found!r}").format(
                expected=either, found=_Written(error.get("input"))
            )
            issues[-1] = Issue(message, location, indicator_path(data, loc), field)
            continue
        previous = (loc, [expected]) if expected is not None else None
        message = _message(error, model, loc)
        cause = error.get("ctx", {}).get("error")
        if isinstance(cause, FormulaSyntaxError) and location.file in texts:
            location, message = _inside_formula(location, cause, texts[location.file])
        issues.append(Issue(message, location, indicator_path(data, loc), field))
    return sorted(issues, key=position)


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


def position(issue: Issue) -> tuple[str, int, int]:
    """Sort key: file, line, column; issues without a location first."""
    where = issue.location
    return (where.file, where.line, where.column) if where else ("", 0, 0)


def _clean_loc(data: Any, loc: Sequence[str | int]) -> tuple[str | int, ...]:
    """Drop pydantic's union-branch names from a loc, keeping the steps that exist in the data."""
    kept: list[str | int] = []
    node = data
    for index, step in enumerate(loc):
        found = step_into(node, step)
        if found is not _ABSENT:
            node = found
        elif not (index == len(loc) - 1 and isinstance(node, dict)):
            continue  # a union branch's name; a missing last key stays as the field name
        kept.append(step)
    return tuple(kept)


_ABSENT = object()


def step_into(node: Any, step: str | int) -> Any:
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
        node = step_into(node, step)
        if node is _ABSENT:
            break
        if isinstance(step, int) and isinstance(node, dict) and isinstance(node.get("id"), str):
            ids.append(node["id"])
    return ".".join(ids) or None


def _message(error: Any, model: type[BaseModel], loc: Loc) -> str:
    """Pydantic's error in the project's words: what was expected, and what was found."""
    kind, found = error["type"], _Written(error.get("input"))
    ctx = error.get("ctx", {})
    if kind == "missing" and error["loc"] and isinstance(error["loc"][-1], int):
        position = error["loc"][-1] + 1  # an item of a fixed-length list, like range: [low, high]
        return _("item {position} is missing").format(position=position)
    if kind == "missing":
        return _("missing")
    if kind == "extra_forbidden":
        allowed = list(_model_at(model, loc[:-1]) or ())
        return _("unknown key{hint}").format(hint=suggest(str(loc[-1]), allowed))
    if kind == "value_error":
        cause = ctx.get("error")
        return str(cause) if cause is not None else _without_prefix(error["msg"])
    expected = _expected(kind, ctx, loc)
    if expected is not None:
        return _("expected {expected}, found {found!r}").format(expected=expected, found=found)
    limit = _limit(kind, ctx)
    if limit is not None:
        return _("{limit}, found {found!r}").format(limit=limit, found=found)
    if kind == "string_pattern_mismatch":
        pattern = ctx.get("pattern")
        if pattern == INDICATOR_ID:
            message = _("ids are lower_snake ASCII like {example}, found {found!r}")
            return message.format(example="'output_quantity'", found=found)
        if pattern == RULESET_ID:
            message = _("ruleset ids are lower-case dotted names like {example}, found {found!r}")
            return message.format(example="'mof.project-self-eval'", found=found)
        return _("{found!r} does not match {pattern}").format(found=found, pattern=pattern)
    message = _without_prefix(error["msg"])  # a kind of error the models do not expect
    return _("{problem}, found {found!r}").format(
        problem=f"{message[0].lower()}{message[1:]}", found=found
    )


def _expected(kind: str, ctx: dict[str, Any], loc: Loc) -> str | None:
    """What a type error expected, as the format's documentation says it; None if not one."""
    if kind == "literal_error":
        return _choices(str(ctx.get("expected")))
    if kind in ("decimal_parsing", "decimal_type", "int_parsing", "int_type", "float_parsing"):
        return _("a number")
    if kind == "int_from_float":
        return _("a whole number")
    if kind in ("bool_type", "bool_parsing"):
        return _("true or false")
    if kind == "string_type":
        return _('text such as "2020.1"') if loc and loc[-1] == "version" else _("text")
    if kind in ("tuple_type", "list_type"):
        return _("a list")
    if kind in ("dict_type", "model_type", "model_attributes_type"):
        return _("a mapping of keys")
    return None


def _choices(expected: str) -> str:
    """Pydantic's list of a literal's values (``'a', 'b' or 'c'``) in the chosen language."""
    # the values are identifiers (method names, modes): neither ", " nor " or " is inside one
    head, either, last = expected.rpartition(" or ")
    if not either:
        return expected
    return head.replace(", ", _(", ")) + _(" or ") + last


def _limit(kind: str, ctx: dict[str, Any]) -> str | None:
    """A bound or length the value broke, said plainly; None if the error is not one."""
    if kind == "string_too_short" and ctx.get("min_length") == 1:
        return _("must not be empty")
    sayings = {
        "string_too_short": _("needs at least {min_length} characters"),
        "string_too_long": _("takes at most {max_length} characters"),
        "too_short": _("needs at least {min_length} items"),
        "too_long": _("takes at most {max_length} items"),
        "greater_than_equal": _("must be {ge} or more"),
        "greater_than": _("must be more than {gt}"),
        "less_than_equal": _("must be {le} or less"),
        "less_than": _("must be less than {lt}"),
    }
    saying = sayings.get(kind)
    if saying is None:
        return None
    try:
        return saying.format(**ctx)
    except (KeyError, IndexError):
        return None


def _without_prefix(message: str) -> str:
    """Pydantic's own words without its prefixes ("Value error, ", "Input should be …")."""
    for prefix, replacement in (("Value error, ", ""), ("Input should be ", "expected ")):
        if message.startswith(prefix):
            return replacement + message[len(prefix) :]
    return message


class _Written:
    """A YAML value shown as its author wrote it (``[2022, 1]``, ``0.9``, ``true``), via repr."""

    def __init__(self, value: Any):
        self.value = value

    def __repr__(self) -> str:
        return _written(self.value)


def _written(value: Any) -> str:
    if isinstance(value, bool):
        return str(value).lower()
    if value is None:
        return "null"
    if isinstance(value, Decimal):
        return plain(value)
    if isinstance(value, dict):
        return "{" + ", ".join(f"{key}: {_written(item)}" for key, item in value.items()) + "}"
    if isinstance(value, list | tuple):
        return "[" + ", ".join(_written(item) for item in value) + "]"
    return repr(value)


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


def issues_behind(
    exc: ValidationError, data: Any, filename: str, found: list[Issue]
) -> list[Issue]:
    """The whole-tree problems that a shape error would otherwise hide, so lint shows all at once.

    Drops each key that failed and that may be left out (an unknown key, an optional field),
    validates again, and checks the result; gives up when a required field failed.
    """
    repaired = copy.deepcopy(data)
    dropped: set[tuple[str | int, ...]] = set()
    invalid: set[tuple[str | int, ...]] = set()  # known keys whose values were wrong
    for error in exc.errors():
        loc = _clean_loc(data, error["loc"])
        container = step_into(repaired, loc[0]) if len(loc) > 1 else repaired
        for step in loc[1:-1]:
            container = step_into(container, step)
        fields = _model_at(Ruleset, loc[:-1]) or {}
        key = loc[-1] if loc else None
        optional = isinstance(key, str) and key in fields and not fields[key].is_required()
        if not isinstance(container, dict) or key not in container:
            return []
        if error["type"] != "extra_forbidden" and not optional:
            return []
        del container[key]
        dropped.add(loc)
        if error["type"] != "extra_forbidden":
            invalid.add(loc)
    try:
        ruleset = Ruleset.model_validate(repaired)
    except ValidationError:
        return []
    reported = {(issue.path, issue.field) for issue in found}
    # an indicator that lost a wrong value is judged once that value is fixed, not without it
    changed = {indicator_path(data, loc) for loc in invalid} - {None}
    return [
        problem_issue(problem, repaired, filename)
        for problem in check_ruleset(ruleset)
        if problem.severity == "error"
        and (problem.path, problem.field) not in reported
        and problem.loc not in dropped
        and problem.path not in changed
    ]


Report = Callable[..., None]
"""``report(message, loc, path, field, at_key)``: one problem, placed in the file."""


def reporter(data: LocatedDict, start: SourceLocation, issues: list[Issue]) -> Report:
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


def as_written(value: Any) -> str:
    """A YAML value as its author wrote it, for messages (not Python's repr), cut when long."""
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, Decimal):
        return cut_number(plain(value))
    return values.cut(repr(value) if isinstance(value, str) else str(value))
