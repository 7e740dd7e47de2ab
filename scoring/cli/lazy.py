"""The modules the commands use, each imported when one of its names is first used.

``scoring --help`` needs none of them: start-up loads no models, workbooks or keys
(tests/cli/test_startup.py).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

__all__ = [
    "_approved",
    "_audit",
    "_audit_rules",
    "_audit_tests",
    "_batch_part",
    "_catalogue",
    "_claims",
    "_compare",
    "_diff",
    "_engine",
    "_facts",
    "_filled_workbook",
    "_gap",
    "_models",
    "_monitor_formats",
    "_monitor_terminal",
    "_monitoring",
    "_overrides",
    "_parallel",
    "_registry",
    "_render",
    "_render_monitor",
    "_render_report",
    "_render_safe",
    "_render_terminal",
    "_results",
    "_review",
    "_review_rules",
    "_review_tests",
    "_review_view",
    "_ruleset_tests",
    "_rulesets",
    "_schema",
    "_summary",
    "_target_workbook",
    "_target_workbook_form",
    "_targets",
    "_template",
    "_units",
    "_verify",
    "_xlsx",
    "bars",
    "batch_units",
    "signing",
    "workbook",
]


class _Lazy:
    """A module imported when one of its names is first used: ``scoring --help`` needs few."""

    def __init__(self, name: str):
        self.__name__ = name  # its name, as a module's, without importing it
        self._module: Any = None

    def __getattr__(self, attribute: str) -> Any:
        if self._module is None:
            self._module = importlib.import_module(self.__name__)
        return getattr(self._module, attribute)


if TYPE_CHECKING:  # the modules as they are, for type checkers; imported on first use otherwise
    import scoring.analysis.audit_tests as _audit_tests
    import scoring.analysis.batch as batch_units
    import scoring.analysis.batch_part as _batch_part
    import scoring.analysis.compare as _compare
    import scoring.analysis.diff as _diff
    import scoring.analysis.gap as _gap
    import scoring.analysis.monitoring as _monitoring
    import scoring.analysis.parallel as _parallel
    import scoring.analysis.review_tests as _review_tests
    import scoring.analysis.ruleset_tests as _ruleset_tests
    import scoring.analysis.summary as _summary
    import scoring.analysis.verify as _verify
    import scoring.audit as _audit
    import scoring.cli.bars as bars
    import scoring.engine.score as _engine
    import scoring.load.audit as _audit_rules
    import scoring.load.catalogue as _catalogue
    import scoring.load.claims as _claims
    import scoring.load.facts as _facts
    import scoring.load.overrides as _overrides
    import scoring.load.registry as _registry
    import scoring.load.review as _review_rules
    import scoring.load.rulesets as _rulesets
    import scoring.load.target_workbook as _target_workbook
    import scoring.load.targets as _targets
    import scoring.load.units as _units
    import scoring.load.workbook as _filled_workbook
    import scoring.load.xlsx as _xlsx
    import scoring.model.results as _results
    import scoring.model.ruleset as _models
    import scoring.model.signing as signing
    import scoring.render as _render
    import scoring.render.approved as _approved
    import scoring.render.monitor as _render_monitor
    import scoring.render.monitor_formats as _monitor_formats
    import scoring.render.monitor_terminal as _monitor_terminal
    import scoring.render.report as _render_report
    import scoring.render.review as _review_view
    import scoring.render.safe as _render_safe
    import scoring.render.schema as _schema
    import scoring.render.target_workbook as _target_workbook_form
    import scoring.render.template as _template
    import scoring.render.terminal as _render_terminal
    import scoring.render.workbook as workbook
    import scoring.review as _review
else:
    _compare = _Lazy("scoring.analysis.compare")
    _summary = _Lazy("scoring.analysis.summary")
    _units = _Lazy("scoring.load.units")
    _overrides = _Lazy("scoring.load.overrides")
    _audit = _Lazy("scoring.audit")
    _audit_rules = _Lazy("scoring.load.audit")
    _audit_tests = _Lazy("scoring.analysis.audit_tests")
    _rulesets = _Lazy("scoring.load.rulesets")
    _facts = _Lazy("scoring.load.facts")
    batch_units = _Lazy("scoring.analysis.batch")
    _batch_part = _Lazy("scoring.analysis.batch_part")
    bars = _Lazy("scoring.cli.bars")
    _claims = _Lazy("scoring.load.claims")
    _catalogue = _Lazy("scoring.load.catalogue")
    _diff = _Lazy("scoring.analysis.diff")
    _engine = _Lazy("scoring.engine.score")
    _gap = _Lazy("scoring.analysis.gap")
    _monitoring = _Lazy("scoring.analysis.monitoring")
    _render_monitor = _Lazy("scoring.render.monitor")
    _monitor_formats = _Lazy("scoring.render.monitor_formats")
    _monitor_terminal = _Lazy("scoring.render.monitor_terminal")
    _models = _Lazy("scoring.model.ruleset")
    _parallel = _Lazy("scoring.analysis.parallel")
    _registry = _Lazy("scoring.load.registry")
    _render = _Lazy("scoring.render")
    _render_report = _Lazy("scoring.render.report")
    _render_safe = _Lazy("scoring.render.safe")
    _render_terminal = _Lazy("scoring.render.terminal")
    _results = _Lazy("scoring.model.results")
    _ruleset_tests = _Lazy("scoring.analysis.ruleset_tests")
    _schema = _Lazy("scoring.render.schema")
    signing = _Lazy("scoring.model.signing")
    _template = _Lazy("scoring.render.template")
    _verify = _Lazy("scoring.analysis.verify")
    _filled_workbook = _Lazy("scoring.load.workbook")
    workbook = _Lazy("scoring.render.workbook")
    _xlsx = _Lazy("scoring.load.xlsx")
    _approved = _Lazy("scoring.render.approved")
    _review = _Lazy("scoring.review")
    _review_rules = _Lazy("scoring.load.review")
    _review_tests = _Lazy("scoring.analysis.review_tests")
    _review_view = _Lazy("scoring.render.review")
    _targets = _Lazy("scoring.load.targets")
    _target_workbook = _Lazy("scoring.load.target_workbook")
    _target_workbook_form = _Lazy("scoring.render.target_workbook")
