"""定性: the unit states how far the goal is reached, in one of the ruleset's statements.

By default 达成目标 → green, 部分达成目标并具有一定效果 → yellow, 未达成目标且效果较差 → red
(``statements:`` of the ``monitoring:`` section replaces them). The facts file's statement is
checked against them when it is read, so the light is always found.
"""

from __future__ import annotations

from scoring.methods.lights.spec import Judged, LightSpec, Reading
from scoring.model.monitoring import LIGHT_WORDS, Monitored, Monitoring


def _light(reading: Reading) -> Judged:
    assert reading.statement is not None, "the engine reads it first"
    light = reading.monitoring.statements[reading.statement]
    return Judged(light, None, None, reading.statement)


def _words(monitoring: Monitoring, entry: Monitored) -> str:
    return "；".join(
        f"{statement}：{LIGHT_WORDS[light]}" for statement, light in monitoring.statements.items()
    )


def _gap(reading: Reading, judged: Judged) -> str:
    if judged.light in ("green", "blue"):
        return "保持目标达成"
    greens = [text for text, light in reading.monitoring.statements.items() if light == "green"]
    return f"年底前需{'或'.join(greens)}（定性判断）"


QUALITATIVE = LightSpec("qualitative", ("statement",), _light, _words, _gap)
