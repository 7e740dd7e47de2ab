"""Helpers the tests share: the `scoring` command run in-process or for real, files compared whole.

``invoke`` runs the typer app in-process with ``catch_exceptions=False``: an exception other than
the app's own exit propagates into the test with its traceback instead of passing for exit code 1.
``run_module`` runs the real ``python -m scoring`` in a subprocess.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path

from typer.testing import CliRunner, Result  # noqa: TID251 (the CLI is tested through typer)

from scoring.cli import with_commands
from tests.conftest import EXAMPLES, ROOT, RULESETS

RULESET = RULESETS / "xinfang" / "wangcheng-relief-2022.yaml"
PARENT = RULESETS / "mof" / "project-self-eval-2020.yaml"
FACTS = EXAMPLES / "xinfang-wangcheng-2022.yaml"
REF = "xinfang.wangcheng-relief@2022.1"
"""The worked example: its ruleset (which extends PARENT), its facts, the ruleset's id@version."""

TEMPORARY = re.compile(r"^\..*\.tmp$")
"""The name of a temporary file an atomic write uses (and must never leave behind)."""


def invoke(
    args: Sequence[str | Path],
    exit_code: int = 0,
    env: Mapping[str, str | None] | None = None,
    input: str | None = None,
) -> Result:
    """Run ``scoring ARGS`` in-process, with ``env`` over the test's environment.

    Checks the exit code and that no traceback reached the user.
    """
    result = CliRunner(env=env).invoke(
        with_commands(),
        [str(arg) for arg in args],
        input,
        prog_name="scoring",
        catch_exceptions=False,
    )
    assert result.exit_code == exit_code, (
        f"scoring {' '.join(map(str, args))}: exit {result.exit_code}, expected {exit_code}\n"
        f"--- stdout\n{result.stdout}--- stderr\n{result.stderr}"
    )
    assert "Traceback" not in result.output
    return result


def run_module(
    args: Sequence[str | Path], cwd: Path = ROOT, env: Mapping[str, str | None] | None = None
) -> subprocess.CompletedProcess[str]:
    """Run the real ``python -m scoring ARGS`` (from the repository root), its output as UTF-8.

    ``env`` goes over the test's environment, as for :func:`invoke`: None takes a variable out.
    """
    environment = dict(os.environ)
    for name, value in (env or {}).items():
        if value is None:
            environment.pop(name, None)
        else:
            environment[name] = value
    return subprocess.run(
        [sys.executable, "-m", "scoring", *map(str, args)],
        capture_output=True,
        text=True,
        encoding="utf-8",
        cwd=cwd,
        env=environment,
        check=False,
        timeout=120,
    )


def stderr_lines(result: Result) -> list[str]:
    return result.stderr.splitlines()


def has_line(result: Result, pattern: str) -> bool:
    """Whether a line of stderr matches ``pattern`` from its start."""
    return any(re.match(pattern, line) for line in stderr_lines(result))


def snapshot(directory: Path) -> dict[str, bytes]:
    """Every file under ``directory`` with its bytes."""
    return {
        str(path.relative_to(directory)): path.read_bytes()
        for path in sorted(directory.rglob("*"))
        if path.is_file()
    }


def temporaries(directory: Path) -> list[str]:
    """The temporary files left under ``directory``: none, after any command."""
    return [path.name for path in directory.rglob("*") if TEMPORARY.match(path.name)]


def check_golden(expected: Path, actual: str, update: bool) -> None:
    """``actual`` is the golden file ``expected``, byte for byte (``--update-golden`` writes it).

    The golden files are generated, never hand-edited: review the diff after an update.
    """
    if update:
        expected.parent.mkdir(exist_ok=True)
        expected.write_text(actual, encoding="utf-8", newline="\n")
    assert expected.read_bytes() == actual.encode("utf-8")
