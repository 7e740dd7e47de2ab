"""Run the worked examples a review ruleset publishes: target tables in, exactly these findings out.

Each example's tables are read as a target table file would be (their cells located in the
ruleset file), reviewed together, and the findings compared with ``expect.findings`` as a
multiset of (rule, target): a finding missing or one too many fails the example.
"""

from __future__ import annotations

from collections import Counter

from scoring.analysis.ruleset_tests import Failure, TestOutcome
from scoring.errors import InputError, Issue
from scoring.i18n import _
from scoring.load.extends import Parents
from scoring.load.review import LoadedReview, is_review_data, parse_review_ruleset
from scoring.load.targets import history_from, target_table_from
from scoring.load.yaml_source import parse_yaml
from scoring.model.located import LocatedDict, locate
from scoring.review import review


def review_file_tests(
    text: str, filename: str, parents: Parents | None, data: object = None
) -> list[TestOutcome] | None:
    """The worked examples of a review ruleset's file, run; None when it is no review ruleset.

    ``data``: the text already parsed, when the caller has it (else it is parsed here).

    Raises:
        RulesetError: when it is a review ruleset that breaks the format's rules.
    """
    if not is_review_data(parse_yaml(text, filename) if data is None else data):
        return None
    return run_review_tests(parse_review_ruleset(text, filename, parents))


def run_review_tests(loaded: LoadedReview) -> list[TestOutcome]:
    """Run every worked example of a review ruleset; one outcome each, failures located."""
    filename = loaded.files[0] if loaded.files else loaded.ruleset.ref
    entries = loaded.source.get("tests")
    outcomes = []
    for index, test in enumerate(loaded.ruleset.tests):
        entry = entries[index] if isinstance(entries, list) else LocatedDict()
        location = locate(loaded.source, ("tests", index))
        try:
            tables = [target_table_from(table, filename) for table in entry["tables"]]
            history = None if test.history is None else history_from(entry["history"], filename)
        except InputError as exc:
            failed = tuple(
                Failure(str(Issue(issue.message, None, issue.path, issue.field)), issue.location)
                for issue in exc.issues
            )
            outcomes.append(TestOutcome(test.name, location, failed))
            continue
        found = Counter(
            (each.rule, each.target) for each in review(loaded.ruleset, tables, history)
        )
        expected = Counter((each.rule, each.target) for each in test.expect.findings)
        failures = [
            Failure(_("no finding {finding}, expected one").format(finding=_shown(key)))
            for key in sorted((expected - found).elements(), key=str)
        ] + [
            Failure(_("finding {finding}, not expected").format(finding=_shown(key)))
            for key in sorted((found - expected).elements(), key=str)
        ]
        outcomes.append(TestOutcome(test.name, location, tuple(failures)))
    return outcomes


def _shown(key: tuple[str, str | None]) -> str:
    rule, target = key
    return f"{rule}「{target}」" if target else rule
