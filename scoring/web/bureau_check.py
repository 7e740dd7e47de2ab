"""An uploaded ruleset checked as ``scoring lint`` checks one: its problems, warnings and examples.

The ruleset is read by :func:`scoring.load.rulesets.parse_ruleset` with the app's search path
(so it may ``extends`` a shipped or published ruleset), and its worked examples run by
:mod:`scoring.analysis.ruleset_tests`, as ``scoring lint`` and ``scoring test`` run them. Every
finding keeps its place (line, column, indicator, field) for the page to point at. An
``id@version`` already on the search path is a problem: a change is a new version.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path, PurePath

from scoring.analysis.ruleset_tests import failure_issues, run_tests
from scoring.errors import Issue, RulesetError, ScoringError, SourceLocation
from scoring.i18n import _
from scoring.load.in_force import overlaps
from scoring.load.registry import MAX_FILE_BYTES, Registry
from scoring.load.rulesets import parse_ruleset
from scoring.model.located import LocatedDict, locate
from scoring.model.ruleset import Ruleset
from scoring.render.text_safety import printable

DEFAULT_NAME = "ruleset.yaml"
FIRST_YEAR, LAST_YEAR = 2000, 2100


@dataclass(frozen=True)
class Finding:
    """One problem or warning, and where it is."""

    text: str
    """The message with its indicator and field, as ``lint`` prints it after the place."""
    file: str | None
    line: int | None
    column: int | None

    @classmethod
    def of(cls, issue: Issue) -> Finding:
        """A located issue as the page shows it."""
        where = issue.location
        shown = str(Issue(issue.message, None, issue.path, issue.field))
        if where is None:
            return cls(shown, None, None, None)
        return cls(shown, where.file, where.line, where.column)


@dataclass(frozen=True)
class Example:
    """One worked example of the ruleset: its name, its line, and what did not hold."""

    name: str
    line: int | None
    failures: tuple[Finding, ...]

    @property
    def passed(self) -> bool:
        """Whether every expectation held."""
        return not self.failures


@dataclass
class Checked:
    """An uploaded ruleset checked: publishable when it loads with no problem."""

    filename: str
    text: str
    ruleset: Ruleset | None = None
    problems: list[Finding] = field(default_factory=list)
    warnings: list[Finding] = field(default_factory=list)
    examples: list[Example] = field(default_factory=list)

    @property
    def publishable(self) -> bool:
        """Loaded, with no problem and every worked example passing."""
        return self.ruleset is not None and not self.problems

    @property
    def marked(self) -> dict[int, str]:
        """The lines of the uploaded file with a finding: ``error`` or ``warning``."""
        lines = {each.line: "warning" for each in self.warnings if self._here(each)}
        lines |= {each.line: "error" for each in self.problems if self._here(each)}  # examples too
        return {line: kind for line, kind in lines.items() if line is not None}

    def _here(self, finding: Finding) -> bool:
        return finding.file == self.filename and finding.line is not None


def upload_name(name: str | None) -> str:
    """The uploaded file's own name, without folders or control characters, for locations."""
    base = PurePath((name or "").replace("\\", "/")).name
    return printable(base, keep_newlines=False).strip() or DEFAULT_NAME


def decoded(data: bytes, filename: str) -> str | Finding:
    """The upload as text, or why it cannot be read (too large, not UTF-8)."""
    if len(data) > MAX_FILE_BYTES:
        message = _("file is {size:,} bytes, the limit is {limit:,}").format(
            size=len(data), limit=MAX_FILE_BYTES
        )
        return Finding(message, filename, 1, 1)
    try:
        return lines_as_lf(data.decode("utf-8-sig"))
    except UnicodeDecodeError:
        return Finding(_("not UTF-8 text; save the file as UTF-8"), filename, 1, 1)


def lines_as_lf(text: str) -> str:
    """``text`` with every line ending a line feed: a browser sends a form's text with CRLF."""
    return text.replace("\r\n", "\n")


def check_ruleset_text(
    text: str, filename: str, search_path: Iterable[Path], published: Iterable[str] = ()
) -> Checked:
    """Check an uploaded ruleset's text: its problems, warnings and worked examples.

    ``published``: the ``id@version`` of every published ruleset, refused as this one's name
    even when its file is not (yet) on the search path.
    """
    checked = Checked(filename, text)
    registry = Registry(search_path)
    try:
        ruleset = parse_ruleset(text, filename, registry.parent)
    except RulesetError as exc:  # a SearchPathError too: the parent it extends is not there
        checked.problems = [Finding.of(issue) for issue in exc.issues]
        return checked
    except ScoringError as exc:  # a formula that fails while the ruleset is checked
        checked.problems = [Finding(str(exc), filename, None, None)]
        return checked
    checked.ruleset = ruleset
    checked.warnings = [Finding.of(issue) for issue in ruleset.origin.warnings]
    outcomes = run_tests(ruleset)
    checked.examples = [
        Example(
            outcome.name,
            outcome.location.line if outcome.location else None,
            tuple(Finding.of(issue) for issue in failure_issues([outcome])),
        )
        for outcome in outcomes
    ]
    taken = ruleset.ref in set(published) or (ruleset.id, ruleset.version) in registry.candidates()
    if taken:
        where = locate(ruleset.origin.source, ("version",)) or SourceLocation(filename, 1, 1)
        message = _(
            "{ref} is already published or shipped, and published rulesets never change: "
            "give this one a new version"
        ).format(ref=ruleset.ref)
        checked.problems.append(Finding.of(Issue(message, where, field="version")))
    # two versions of one id in force on the same date: refused here as lint refuses them
    overlapping = overlaps(
        ruleset.effective,
        ruleset.ref,
        Path(filename),
        ruleset.origin.source or LocatedDict(),
        registry,
    )
    checked.problems += [Finding.of(issue) for issue in overlapping]
    checked.problems += [failure for each in checked.examples for failure in each.failures]
    return checked


def year_error(text: str) -> str | None:
    """Why ``text`` is not a year a ruleset can be published for (None when it is one)."""
    value = text.strip()
    if not value:
        return _("give the year the ruleset is published for")
    if not (value.isascii() and value.isdigit() and FIRST_YEAR <= int(value) <= LAST_YEAR):
        return _("the year is a number from {first} to {last}").format(
            first=FIRST_YEAR, last=LAST_YEAR
        )
    return None
