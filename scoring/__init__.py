"""scoring: score budget performance (预算绩效评价) against versioned YAML rulesets.

```python
from scoring import load_ruleset, load_facts, score, render_json

ruleset = load_ruleset("rulesets/xinfang/wangcheng-relief-2022.yaml")
facts = load_facts("examples/xinfang-wangcheng-2022.yaml", ruleset)
result = score(ruleset, facts)
print(result.total, result.grade)
```
"""

from scoring.engine import ENGINE_VERSION as _ENGINE_VERSION
from scoring.engine import score
from scoring.errors import (
    DivisionByZeroError,
    EvaluationError,
    FactsError,
    Issue,
    RulesetError,
    ScoringError,
    SourceLocation,
)
from scoring.fingerprint import facts_fingerprint, ruleset_fingerprint
from scoring.formula import Formula, compile_formula, evaluate
from scoring.frame import score_frame
from scoring.gap import Gap, gap
from scoring.grading import grade_for
from scoring.loader import (
    load_audit_overrides,
    load_facts,
    load_ruleset,
    parse_facts,
    parse_ruleset,
)
from scoring.models import AuditOverrides, Facts, Indicator, Override, Ruleset
from scoring.registry import Registry
from scoring.render import render_html, render_json, render_markdown
from scoring.results import Finding, IndicatorResult, ScoreResult

__version__ = _ENGINE_VERSION

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
    "Issue",
    "Override",
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
