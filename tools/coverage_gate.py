"""Fail when branch coverage of the engine's core falls to 95% or below.

Run after ``pytest --cov`` (which writes ``.coverage``); prints each core package's coverage,
all of its modules counted together.
"""

from __future__ import annotations

import io
import sys
from pathlib import Path

import coverage

CORE = (
    "scoring/model/formula.py",
    "scoring/model/arithmetic.py",
    "scoring/model/program.py",
    "scoring/methods",
    "scoring/engine",
    "scoring/load/rulesets.py",
    "scoring/load/facts.py",
    "scoring/load/fact_values.py",
    "scoring/load/overrides.py",
)
THRESHOLD = 95.0


def _files(core: str) -> list[str]:
    path = Path(core)
    return sorted(str(file) for file in path.glob("*.py")) if path.is_dir() else [core]


def main() -> int:
    """Print the core's branch coverage; 1 if any part is at or below the threshold."""
    measured = coverage.Coverage()
    measured.load()
    failed = False
    for core in CORE:
        percent = measured.report(morfs=_files(core), file=io.StringIO())
        verdict = "ok" if percent > THRESHOLD else f"below the {THRESHOLD:g}% required"
        failed |= percent <= THRESHOLD
        sys.stdout.write(f"coverage {core} {percent:.1f}% (branches included) {verdict}\n")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
