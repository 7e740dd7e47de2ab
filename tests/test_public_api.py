"""The public API: scoring.__all__ is sorted and complete, and the version is the package's."""

from __future__ import annotations

import importlib.metadata

import scoring
from scoring.errors import ResultError, SearchPathError, SigningError


def test_all_is_sorted_and_names_only_what_exists():
    assert scoring.__all__ == sorted(scoring.__all__)
    assert all(hasattr(scoring, name) for name in scoring.__all__)


def test_every_public_name_is_listed():
    public = {name for name in vars(scoring) if not name.startswith("_")}
    modules = {name for name in public if type(getattr(scoring, name)).__name__ == "module"}
    assert public - modules - {"annotations"} <= set(scoring.__all__)


def test_engine_version_is_the_installed_package_version():
    assert scoring.__version__ == importlib.metadata.version("scoring")


def test_errors_of_bad_input_share_one_public_base():
    for error in (
        scoring.RulesetError,
        scoring.FactsError,
        scoring.OverridesError,
        ResultError,
        SearchPathError,
        SigningError,
    ):
        assert issubclass(error, scoring.InputError)
    assert issubclass(scoring.InputError, scoring.ScoringError)
    assert not issubclass(scoring.EvaluationError, scoring.InputError)


def test_every_error_carries_its_located_issues():
    where = scoring.SourceLocation("t.yaml", 3, 5)
    evaluation = scoring.EvaluationError("division by zero", "output.aided", where)
    assert evaluation.issues == (scoring.Issue("division by zero", where, "output.aided"),)
    facts = scoring.FactsError([scoring.Issue("missing", where, field="预算数")], "t.yaml")
    assert facts.issues[0].location == where
