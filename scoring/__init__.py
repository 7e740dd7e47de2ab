"""scoring: score budget performance (预算绩效评价) against versioned YAML rulesets.

```python
from scoring import load_ruleset, load_facts, score, render_json

ruleset = load_ruleset("rulesets/xinfang/wangcheng-relief-2022.yaml")
facts = load_facts("examples/xinfang-wangcheng-2022.yaml", ruleset)
result = score(ruleset, facts)
print(result.total, result.grade)
```
"""

from __future__ import annotations

import typing as _typing
from importlib import import_module as _import_module

if _typing.TYPE_CHECKING:  # what each name is, for type checkers; imported on first use otherwise
    from scoring.analysis.frame import score_frame
    from scoring.analysis.gap import Gap, gap
    from scoring.engine.score import score
    from scoring.errors import (
        DivisionByZeroError,
        EvaluationError,
        FactsError,
        InputError,
        Issue,
        OverridesError,
        RulesetError,
        ScoringError,
        SourceLocation,
    )
    from scoring.load.facts import load_facts, parse_facts
    from scoring.load.overrides import load_audit_overrides
    from scoring.load.registry import Registry
    from scoring.load.rulesets import load_ruleset, parse_ruleset
    from scoring.model.fingerprint import facts_fingerprint, ruleset_fingerprint
    from scoring.model.formula import Formula, compile_formula
    from scoring.model.grading import grade_for
    from scoring.model.program import evaluate
    from scoring.model.results import Finding, IndicatorResult, ScoreResult
    from scoring.model.ruleset import Indicator, Ruleset
    from scoring.render import render_html, render_json, render_markdown

    __version__: str

_HOMES = {
    "scoring.engine.score": ("score",),
    "scoring.errors": (
        "DivisionByZeroError",
        "EvaluationError",
        "FactsError",
        "InputError",
        "Issue",
        "OverridesError",
        "RulesetError",
        "ScoringError",
        "SourceLocation",
    ),
    "scoring.model.fingerprint": ("facts_fingerprint", "ruleset_fingerprint"),
    "scoring.model.formula": ("Formula", "compile_formula"),
    "scoring.model.program": ("evaluate",),
    "scoring.analysis.frame": ("score_frame",),
    "scoring.analysis.gap": ("Gap", "gap"),
    "scoring.model.grading": ("grade_for",),
    "scoring.load.facts": ("load_facts", "parse_facts"),
    "scoring.load.overrides": ("load_audit_overrides",),
    "scoring.load.rulesets": ("load_ruleset", "parse_ruleset"),
    "scoring.model.facts": ("AuditOverrides", "Facts", "Override"),
    "scoring.model.ruleset": ("Indicator", "Ruleset"),
    "scoring.load.registry": ("Registry",),
    "scoring.render": ("render_html", "render_json", "render_markdown"),
    "scoring.model.results": ("Finding", "IndicatorResult", "ScoreResult"),
}
_HOME = {name: module for module, names in _HOMES.items() for name in names}


def __getattr__(name: str) -> _typing.Any:
    """A public name, imported when first used: ``scoring --help`` needs none of them."""
    if name == "__version__":
        value: _typing.Any = _import_module("scoring.engine.plan").ENGINE_VERSION
    elif name in _HOME:
        value = getattr(_import_module(_HOME[name]), name)
    else:
        message = f"module 'scoring' has no attribute {name!r}"
        raise AttributeError(message)
    globals()[name] = value  # found once; later lookups do not come here
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})


__all__ = [
    "AuditOverrides",
    "DivisionByZeroError",
    "EvaluationError",
    "Facts",
    "FactsError",
    "Finding",
    "Formula",
    "Gap",
    "Indicator",
    "IndicatorResult",
    "InputError",
    "Issue",
    "Override",
    "OverridesError",
    "Registry",
    "Ruleset",
    "RulesetError",
    "ScoreResult",
    "ScoringError",
    "SourceLocation",
    "__version__",
    "compile_formula",
    "evaluate",
    "facts_fingerprint",
    "gap",
    "grade_for",
    "load_audit_overrides",
    "load_facts",
    "load_ruleset",
    "parse_facts",
    "parse_ruleset",
    "render_html",
    "render_json",
    "render_markdown",
    "ruleset_fingerprint",
    "score",
    "score_frame",
]
