"""Run the worked examples an audit ruleset publishes: facts scored, audited, the audited total.

Each example's facts are checked against the ruleset the audit applies to (located in the audit
ruleset's file), scored, audited by the rules, and the audited total, grade and scores compared
with ``expect``, as a scoring ruleset's examples are.
"""

from __future__ import annotations

from scoring.analysis.ruleset_tests import Failure, TestOutcome, attempted, compare_result
from scoring.audit import audit
from scoring.engine.score import score
from scoring.load.audit import (
    LoadedAudit,
    check_applies_to,
    is_audit_data,
    parse_audit_ruleset,
)
from scoring.load.facts import check_facts
from scoring.load.registry import Registry
from scoring.load.rulesets import load_ruleset
from scoring.load.yaml_source import parse_yaml
from scoring.model.located import LocatedDict, locate
from scoring.model.results import ScoreResult
from scoring.model.ruleset import Ruleset
from scoring.model.worked_examples import Expectation

AUDIT_TEST_KEYS = ("name", "facts", "not_applicable", "expect")


def audit_file_tests(
    text: str, filename: str, registry: Registry, data: object = None
) -> list[TestOutcome] | None:
    """The worked examples of an audit ruleset's file, run; None when it is no audit ruleset.

    The scoring ruleset it applies to is found by ``id@version`` (or bare id) on ``registry``.
    ``data``: the text already parsed, when the caller has it (else it is parsed here).

    Raises:
        RulesetError: when the audit ruleset breaks the format's rules or does not fit the
            ruleset it applies to.
        SearchPathError: when that ruleset is not on the search path.
    """
    if not is_audit_data(parse_yaml(text, filename) if data is None else data):
        return None
    loaded = parse_audit_ruleset(text, filename)
    ruleset = load_ruleset(
        loaded.ruleset.applies_to, registry.directories, allow_shadow=registry.allow_shadow
    )
    check_applies_to(loaded, ruleset)
    return run_audit_tests(loaded, ruleset)


def run_audit_tests(loaded: LoadedAudit, ruleset: Ruleset) -> list[TestOutcome]:
    """Run every worked example of an audit ruleset against ``ruleset``; failures located."""
    entries = loaded.source.get("tests")
    outcomes = []
    for index, test in enumerate(loaded.ruleset.tests):
        entry = entries[index] if isinstance(entries, list) else LocatedDict()
        expect = Expectation(
            total=test.expect.total, grade=test.expect.grade, scores=test.expect.scores
        )

        def attempt(entry: LocatedDict = entry) -> ScoreResult:
            facts = check_facts(entry, loaded.filename, ruleset, AUDIT_TEST_KEYS)
            layer = audit(loaded.ruleset, ruleset, facts, loaded.tables)
            return score(ruleset, facts, layer)

        result, failed = attempted(attempt, expect)
        if result is not None:
            failed = [Failure(text) for text in compare_result(result, expect)]
        location = locate(loaded.source, ("tests", index))
        outcomes.append(TestOutcome(test.name, location, tuple(failed)))
    return outcomes
