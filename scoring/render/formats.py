"""The formats a result is written in, by name: file suffix, and whether it is bytes.

Light on purpose (nothing rendered, nothing heavy imported), so the command line builds its
``--format`` choices and ``-o`` suffixes from it at start-up; :data:`scoring.render.FORMATS` adds
each format's renderer.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass


@dataclass(frozen=True)
class FormatName:
    """A format of a result: the name ``--format`` takes, its file suffix, bytes or text."""

    name: str
    suffix: str
    is_binary: bool = False
    """Bytes (a workbook), for a file: never printed on a terminal."""


RESULT_FORMATS: Mapping[str, FormatName] = {
    fmt.name: fmt
    for fmt in (
        FormatName("text", ".txt"),
        FormatName("json", ".json"),
        FormatName("md", ".md"),
        FormatName("html", ".html"),
        FormatName("xlsx", ".xlsx", is_binary=True),
    )
}
"""Every format of a result, the default first."""

MONITOR_FORMATS: Mapping[str, FormatName] = {
    fmt.name: fmt
    for fmt in (
        *RESULT_FORMATS.values(),
        FormatName("csv", ".csv"),
    )
}
"""Every format of the 绩效运行监控表 (``scoring monitor``), the default first."""
