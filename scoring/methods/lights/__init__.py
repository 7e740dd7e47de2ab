"""The light methods of 绩效运行监控, one module per family, each exporting its :class:`LightSpec`.

:data:`LIGHT_METHODS` registers them by name; the engine (:mod:`scoring.engine.monitor`) lights
a monitored indicator with its method's ``light``, the 绩效运行监控表 prints its ``wording`` and
its ``gap``: adding a method is one module, one line here and its name in the model's
``LightMethodName``.
"""

from __future__ import annotations

from collections.abc import Mapping

from scoring.methods.lights.milestones import MILESTONES
from scoring.methods.lights.pace import BUDGET_PACE, PROGRESS
from scoring.methods.lights.qualitative import QUALITATIVE
from scoring.methods.lights.reverse import REVERSE
from scoring.methods.lights.spec import Judged, LightSpec, Reading

LIGHT_METHODS: Mapping[str, LightSpec] = {
    spec.name: spec for spec in (PROGRESS, REVERSE, QUALITATIVE, BUDGET_PACE, MILESTONES)
}
"""Every light method by name, in the order docs/format.md §10 lists them."""

__all__ = ["LIGHT_METHODS", "Judged", "LightSpec", "Reading"]
