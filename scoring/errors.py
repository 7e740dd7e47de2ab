"""The exception tree, SourceLocation and Issue.

```
ScoringError               base; the CLI catches this and only this (exit 1)
├── InputError             bad input: every problem found, each located, reported at once
│   ├── RulesetError       YAML syntax, schema, formula syntax, unknown fact/function, bad weights
│   │   └── SearchPathError  id@version not on the search path, or held by two different files
│   ├── FactsError         required fact missing, wrong type, outside its declared range
│   │   └── OverridesError   an auditor's overrides file (--overrides) that does not fit
│   ├── TargetsError       a target table (绩效目标申报表) or history that scoring review refuses
│   ├── ResultError        a result file that is not what scoring writes (verify reads it)
│   └── SigningError       a key file that is not a key, a key name that cannot be a file name
└── EvaluationError        a compiled formula failed at score time (division by zero, bad operands)
    └── DivisionByZeroError
```

Every error carries its ``issues``: an InputError collects every problem first, so one run shows
them all; an EvaluationError is one issue, at the indicator or derived value that failed.
Another library's exceptions (YAML's, pydantic's, CPython's parser's) are turned into issues
where they are met, at the boundary, and never leave the package.
A SearchPathError means the rules could not be looked up at all: a command cannot check anything
against them (exit 2), which is not the same as finding the input wanting (exit 1).
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass
from enum import IntEnum

from scoring.i18n import _, ngettext


@dataclass(frozen=True, order=True)
class SourceLocation:
    """A 1-based position in a file, as the user gave the file's name."""

    file: str
    line: int
    column: int

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.column}"


@dataclass(frozen=True)
class Issue:
    """One problem found in a ruleset or a facts file."""

    message: str
    location: SourceLocation | None = None
    path: str | None = None
    field: str | None = None

    def __str__(self) -> str:
        where = f"{self.location}: " if self.location else ""
        what = f"[{self.path}] " if self.path else ""
        field = f"{self.field}: " if self.field else ""
        return f"{where}{what}{field}{self.message}"


NEGATIONS = frozenset("不未无非没")
"""Characters that turn a word into its opposite: 满意/不满意, 完成/未完成, 有结余/无结余."""
MAX_LISTED = 12


def suggest(name: str, known: Iterable[str]) -> str:
    """`` (did you mean 'x'?)`` for a near miss, else an empty string.

    A near miss that differs from ``name`` by a negation (基本不满意 and 基本满意, 有结余 and
    无结余) is the opposite answer, not a typo: no suggestion is made then.
    """
    matches = difflib.get_close_matches(name, list(known), n=1, cutoff=0.6)
    if not matches or negates(name, matches[0]):
        return ""
    return _(" (did you mean {name!r}?)").format(name=matches[0])


def negates(one: str, other: str) -> bool:
    """Whether one text has a negation the other lacks: 满意/不满意, 有结余/无结余.

    未超过 and 不超过 each have one, and mean the same.
    """
    return sum(char in NEGATIONS for char in one) != sum(char in NEGATIONS for char in other)


def one_of(choices: Iterable[str]) -> str:
    """The choices, quoted and comma-separated, cut after ``MAX_LISTED`` of them."""
    listed = list(dict.fromkeys(choices))
    separator = _(", ")
    shown = separator.join(repr(choice) for choice in listed[:MAX_LISTED])
    return f"{shown}{separator}…" if len(listed) > MAX_LISTED else shown


class ScoringError(Exception):
    """Base of every error the package raises on bad input."""

    issues: tuple[Issue, ...]
    """Every problem, each with its file, line and column where the input has positions."""


class InputError(ScoringError):
    """Input read and found wanting: one or more located issues, all reported at once."""

    kind = "input"

    def __init__(self, issues: tuple[Issue, ...] | list[Issue], source: str | None = None):
        self.issues = tuple(issues)
        self.source = source
        super().__init__(self.render())

    def render(self) -> str:
        """All issues, one per line, with a header naming the count."""
        count = len(self.issues)
        if count == 1:
            return str(self.issues[0])
        if self.source:
            header = ngettext("{source}: {count} problem", "{source}: {count} problems", count)
        else:
            header = ngettext("{count} problem", "{count} problems", count)
        lines = [header.format(source=self.source, count=count)]
        return "\n".join([*lines, *(str(issue) for issue in self.issues)])


class RulesetError(InputError):
    """A ruleset could not be read, or breaks the format's rules."""

    kind = "ruleset"


class SearchPathError(RulesetError):
    """A ruleset could not be looked up on the search path.

    No file there has its ``id@version``, or two files with different content have it (or one
    shadows a shipped one without --allow-shadow).
    """


class FactsError(InputError):
    """A facts file could not be read, or does not fit its ruleset."""

    kind = "facts"


class TargetsError(InputError):
    """A target table or a history file (scoring review) could not be read, or is not one."""

    kind = "targets"


class ResultError(InputError):
    """A result file is not JSON, or not a result as ``scoring score --json`` writes one."""

    kind = "result"


class SigningError(InputError):
    """A key file cannot be used: not a key, the wrong half of a pair, or an unknown format."""

    kind = "signing"


class OverridesError(FactsError):
    """An auditor's overrides file (``--overrides``) could not be read, or does not fit.

    Said to be the overrides, not the facts, even for one problem: the command read both.
    """

    kind = "overrides"

    def render(self) -> str:
        """A header naming the auditor's overrides, then every issue, one per line."""
        count = len(self.issues)
        header = ngettext(
            "{source}: {count} problem in the auditor's overrides (--overrides)",
            "{source}: {count} problems in the auditor's overrides (--overrides)",
            count,
        )
        lines = [header.format(source=self.source, count=count)]
        return "\n".join([*lines, *(str(issue) for issue in self.issues)])


class EvaluationError(ScoringError):
    """A formula failed at score time; names the indicator or derived value when known."""

    def __init__(
        self, message: str, path: str | None = None, location: SourceLocation | None = None
    ):
        self.message = message
        self.path = path
        self.location = location
        self.issues = (Issue(message, location, path),)
        super().__init__(str(self.issues[0]))

    def at(self, path: str, location: SourceLocation | None) -> EvaluationError:
        """The same error, placed at an indicator or derived value."""
        return type(self)(self.message, path, location)


class DivisionByZeroError(EvaluationError):
    """A formula divided by zero and the rule does not say what that gives."""


class ExitCode(IntEnum):
    """How a ``scoring`` command ends: its exit status (verify's verdicts are the same numbers)."""

    OK = 0
    """All is well: every file checked, every result agrees."""
    FOUND_WANTING = 1
    """The input was read and found wanting: any ScoringError, lint problems, a verify mismatch."""
    NOT_CHECKED = 2
    """Nothing could be checked: a usage error, a file that cannot be read or written, or rules
    that cannot be looked up."""
