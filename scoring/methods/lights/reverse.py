"""反向: an indicator that must stay at or under its annual target (≤, or < when ``strict``).

Green while the value so far is within the target, red once it is not; no pace applies (a cost
per person, a count of repeat petitions is judged as it stands).
"""

from __future__ import annotations

from scoring.methods.lights.spec import Judged, LightSpec, Reading, amount, figures
from scoring.model.monitoring import Monitored, Monitoring


def _sign(entry: Monitored) -> str:
    return "<" if entry.strict else "≤"


def _light(reading: Reading) -> Judged:
    actual, target = figures(reading)
    within = actual < target if reading.entry.strict else actual <= target
    unit = reading.entry.unit or ""
    sign = _sign(reading.entry) if within else ">" if actual > target else "="
    explanation = f"{amount(actual)}{unit} {sign} {amount(target)}{unit}"
    return Judged("green" if within else "red", None, target, explanation)


def _words(monitoring: Monitoring, entry: Monitored) -> str:
    return f"完成值 {_sign(entry)} 年度指标值：绿灯；否则红灯"


def _gap(reading: Reading, judged: Judged) -> str:
    assert reading.target is not None, "the engine reads it first"
    bound = f"{_sign(reading.entry)} {amount(reading.target)}{reading.entry.unit or ''}"
    if judged.light == "green":
        return f"全年保持 {bound}"
    return f"需降至 {bound}"


REVERSE = LightSpec("reverse", ("actual", "target"), _light, _words, _gap)
