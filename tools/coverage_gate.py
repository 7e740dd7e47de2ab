"""Fail when branch coverage of the engine's core modules falls to 95% or below.

Run after ``pytest --cov`` (which writes ``.coverage``); prints each core module's coverage.
"""

from __future__ import annotations

import io
import sys

import coverage

CORE = ("formula", "methods", "engine", "loader")
THRESHOLD = 95.0


def main() -> int:
    """Print the core modules' branch coverage; 1 if any is at or below the threshold."""
    measured = coverage.Coverage()
    measured.load()
    failed = False
    for module in CORE:
        percent = measured.report(morfs=[f"scoring/{module}.py"], file=io.StringIO())
        verdict = "ok" if percent > THRESHOLD else f"below the {THRESHOLD:g}% required"
        failed |= percent <= THRESHOLD
        sys.stdout.write(
            f"coverage scoring/{module}.py {percent:.1f}% (branches included) {verdict}\n"
        )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
