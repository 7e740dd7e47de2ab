"""Run the worked examples a ruleset publishes under ``tests:``: facts in, expected figures out.

A finance bureau ships its rules with examples, as decision-table tools ship test scenarios. Each
example's facts are checked exactly as a facts file's would be, then scored (or, for a template,
only its derived values computed), and every expectation that does not hold is reported with the
example's position in the ruleset file.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import TypeVar

from scoring import i18n
from scoring.analysis.monitoring import monitor_source
from scoring.engine.derive import derive
from scoring.engine.score import score
from scoring.errors import EvaluationError, Issue, ScoringError, SourceLocation
from scoring.i18n import _
from scoring.load.facts import FactsInput, check_facts
from scoring.model.located import LocatedDict, locate
from scoring.model.monitor_results import MonitorResult
from scoring.model.monitoring import LIGHT_WORDS
from scoring.model.numbers import show
from scoring.model.results import DerivedResult, ScoreResult
from scoring.model.ruleset import Ruleset
from scoring.model.worked_examples import Expectation

TEST_KEYS = ("name", "facts", "not_applicable", "panel", "expect")
T = TypeVar("T")


@dataclass(frozen=True)
class Failure:
    """One expectation that did not hold, or one problem that stopped the example, and where."""

    message: str
    location: SourceLocation | None = None


@dataclass(frozen=True)
class TestOutcome:
    """One worked example: its name, where it is written, and each expectation that failed."""

    name: str
    location: SourceLocation | None
    failures: tuple[Failure, ...]

    @property
    def passed(self) -> bool:
        """Whether every expectation held."""
        return not self.failures

    def __str__(self) -> str:
        lines = []
        for failure in self.failures:
            where = failure.location or self.location
            said = _("test {name!r}: {message}").format(name=self.name, message=failure.message)
            lines.append(f"{where}: {said}" if where else said)
        return "\n".join(lines)


def run_tests(ruleset: Ruleset) -> list[TestOutcome]:
    """Run every worked example of ``ruleset`` (loaded from a file, so positions are known)."""
    source = ruleset.origin.source
    entries = source.get("tests") if isinstance(source, LocatedDict) else None
    filename = ruleset.origin.files[0] if ruleset.origin.files else ruleset.ref
    outcomes = []
    for index, test in enumerate(ruleset.tests):
        entry = entries[index] if isinstance(entries, list) else LocatedDict()
        location = locate(source, ("tests", index))
        if test.as_of is None:
            failures = _run(ruleset, entry, filename, test.expect)
        else:
            failures = _watch(ruleset, entry, filename, test.expect, index)
        outcomes.append(TestOutcome(test.name, location, tuple(failures)))
    return outcomes


def failure_issues(outcomes: list[TestOutcome]) -> tuple[Issue, ...]:
    """Each expectation that did not hold, as ``lint`` reports it (``test 'name': …``), placed."""
    return tuple(
        Issue(
            _("test {name!r}: {message}").format(name=outcome.name, message=failure.message),
            failure.location or outcome.location,
        )
        for outcome in outcomes
        for failure in outcome.failures
    )


def _run(ruleset: Ruleset, entry: LocatedDict, filename: str, expect: Expectation) -> list[Failure]:
    scores_needed = bool(
        expect.total is not None
        or expect.grade is not None
        or expect.scores
        or expect.notes
        or expect.error
        or expect.treatment is not None
        or expect.reduction is not None
    )

    def attempt() -> ScoreResult | dict[str, DerivedResult]:
        facts = check_facts(entry, filename, ruleset, TEST_KEYS)
        if not scores_needed:
            return derive(ruleset, facts)[0]
        return score(ruleset, facts)

    outcome, failures = attempted(attempt, expect)
    if outcome is None:
        return failures
    if isinstance(outcome, dict):
        return [Failure(text) for text in _compare_derived(outcome, expect)]
    if expect.error is not None:
        scored = f"{outcome.total} {outcome.grade}" if outcome.grade else str(outcome.total)
        text = _("scored {scored}, expected an error containing {expected!r}").format(
            scored=scored, expected=expect.error
        )
        return [Failure(text)]
    return [Failure(text) for text in compare_result(outcome, expect)]


def _watch(
    ruleset: Ruleset, entry: LocatedDict, filename: str, expect: Expectation, index: int
) -> list[Failure]:
    """A monitoring example (``as_of``): its facts lit as ``scoring monitor`` lights them."""
    data = entry.located_copy()
    for key in ("name", "expect"):
        data.pop(key, None)

    def attempt() -> MonitorResult:
        return monitor_source(ruleset, FactsInput(filename, data))

    outcome, failures = attempted(attempt, expect)
    if outcome is None:
        return failures
    if expect.error is not None:
        lit = LIGHT_WORDS[outcome.light] if outcome.light else _("none")
        text = _("lit {light}, expected an error containing {expected!r}").format(
            light=lit, expected=expect.error
        )
        return [Failure(text)]
    source = ruleset.origin.source
    rows = {row.path: row for row in outcome.rows}
    for path, light in expect.lights.items():
        where = locate(source, ("tests", index, "expect", "lights", path))
        row = rows.get(path)
        if row is None:
            message = _("no monitored indicator {path!r}").format(path=path)
            failures.append(Failure(message, where))
        elif row.light != light:
            message = _("[{path}] lit {found}, expected {expected}").format(
                path=path, found=LIGHT_WORDS[row.light], expected=LIGHT_WORDS[light]
            )
            failures.append(Failure(message, where))
    if expect.light is not None and outcome.light != expect.light:
        found = LIGHT_WORDS[outcome.light] if outcome.light else _("none")
        message = _("the project lit {found}, expected {expected}").format(
            found=found, expected=LIGHT_WORDS[expect.light]
        )
        failures.append(Failure(message, locate(source, ("tests", index, "expect", "light"))))
    notes = [f"[{finding.path}] {finding.message}" for finding in outcome.findings]
    return failures + [Failure(text) for text in _missing_notes(notes, expect)]


def attempted(attempt: Callable[[], T], expect: Expectation) -> tuple[T | None, list[Failure]]:
    """What ``attempt`` gives, or the failures of an error (none if it was the one expected)."""
    try:
        return attempt(), []
    except ScoringError as exc:
        problems = _problems(exc)
        message = _said(problems)
        if expect.error is not None and _fails_with(expect.error, message, attempt):
            return None, []
        if expect.error is not None:
            text = _("failed with {message!r}, expected an error containing {expected!r}").format(
                message=message, expected=expect.error
            )
            return None, [Failure(text)]
        return None, problems  # each where it is, as lint would place it


def _said(problems: list[Failure]) -> str:
    """Every problem in one line, as ``expect: {error: …}`` is matched against."""
    return _("; ").join(
        f"{problem.location}: {problem.message}" if problem.location else problem.message
        for problem in problems
    )


def _fails_with(expected: str, message: str, attempt: Callable[[], object]) -> bool:
    """Whether the error contains ``expected`` in the language of messages or in another one.

    A ruleset's examples are written once, in English (``error: division by zero``) or in
    Chinese, and must pass whichever language a user reads messages in.
    """
    if expected in message:
        return True
    chosen = i18n.language()
    try:
        for language in i18n.LANGUAGES:
            if language == chosen:
                continue
            i18n.set_language(language)
            try:
                attempt()
            except ScoringError as exc:
                if expected in _said(_problems(exc)):
                    return True
    finally:
        i18n.set_language(chosen)
    return False


def _problems(exc: ScoringError) -> list[Failure]:
    issues = getattr(exc, "issues", None)
    if issues:
        return [
            Failure(str(Issue(issue.message, None, issue.path, issue.field)), issue.location)
            for issue in issues
        ]
    if isinstance(exc, EvaluationError):
        return [Failure(str(Issue(exc.message, None, exc.path)), exc.location)]
    return [Failure(str(exc))]  # pragma: no cover - every error of ours is one of the above


def compare_result(result: ScoreResult, expect: Expectation) -> list[str]:
    """What a result gives other than ``expect`` says, one failure each (empty: all held)."""
    failures = []
    if expect.total is not None and result.total != expect.total:
        failures.append(
            _("total {found}, expected {expected}").format(
                found=result.total, expected=show(expect.total)
            )
        )
    if expect.grade is not None and result.grade != expect.grade:
        found = result.grade or _("none")
        failures.append(
            _("grade {found}, expected {expected}").format(found=found, expected=expect.grade)
        )
    nodes = {node.path: node for node in result.walk()}
    for path, expected in expect.scores.items():
        node = nodes.get(path)
        if node is None:
            failures.append(_("no indicator {path!r} in the breakdown").format(path=path))
        elif node.score != expected:
            found = "不适用" if node.score is None else str(node.score)
            failures.append(
                _("[{path}] scored {found}, expected {expected}").format(
                    path=path, found=found, expected=show(expected)
                )
            )
    notes = [f"[{finding.path}] {finding.message}" for finding in result.findings]
    return (
        failures
        + _missing_notes(notes, expect)
        + _compare_application(result, expect)
        + _compare_derived(result.derived, expect)
    )


def _missing_notes(notes: list[str], expect: Expectation) -> list[str]:
    """Each expected note no finding contains."""
    failures = []
    for note in expect.notes:
        if not any(note in found for found in notes):
            listed = _("; ").join(notes) or _("none")
            failures.append(
                _("no note containing {note!r} (notes: {notes})").format(note=note, notes=listed)
            )
    return failures


def _compare_application(result: ScoreResult, expect: Expectation) -> list[str]:
    """The proposed treatment of next year's budget (结果应用) and its reduction, if expected."""
    proposal = result.application
    failures = []
    if expect.treatment is not None:
        found = proposal.treatment if proposal is not None else _("none")
        if found != expect.treatment:
            failures.append(
                _("proposed treatment {found}, expected {expected}").format(
                    found=found, expected=expect.treatment
                )
            )
    if expect.reduction is not None:
        reduction = proposal.reduction if proposal is not None else None
        if reduction != expect.reduction:
            found = _("none") if reduction is None else f"{reduction:f}"
            failures.append(
                _("proposed reduction {found}, expected {expected}").format(
                    found=found, expected=show(expect.reduction)
                )
            )
    return failures


def _compare_derived(derived: dict[str, DerivedResult], expect: Expectation) -> list[str]:
    failures = []
    for name, expected in expect.derived.items():
        found = derived.get(name)
        if found is None:
            failures.append(_("derived value {name!r} was not computed").format(name=name))
            continue
        if isinstance(expected, str):
            if found.shown != expected:
                failures.append(
                    _("{name} = {found}, expected {expected}").format(
                        name=name, found=found.shown, expected=expected
                    )
                )
            continue
        exact = Decimal(found.value) if _is_number(found.value) else None
        rounded = None if exact is None else exact.quantize(expected, rounding=ROUND_HALF_UP)
        if rounded != expected:
            failures.append(
                _("{name} = {found}, expected {expected}").format(
                    name=name, found=found.value, expected=show(expected)
                )
            )
    return failures


def _is_number(text: str) -> bool:
    try:
        return Decimal(text).is_finite()
    except ArithmeticError:
        return False
