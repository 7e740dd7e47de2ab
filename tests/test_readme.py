"""The README's Python example runs as printed, from the repository root."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.conftest import ROOT
from tests.helpers import run_module


def test_readme_python_example_runs(monkeypatch: pytest.MonkeyPatch, capsys):
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    (example,) = re.findall(r"```python\n(.*?)```", readme, re.S)
    monkeypatch.chdir(ROOT)
    exec(compile(example, "README.md", "exec"), {})
    assert capsys.readouterr().out == "100.00 优\n"


def test_readme_test_command_is_what_ci_runs():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    commands = re.findall(r"```sh\n(.*?)\n```", readme, re.S)
    ci = (ROOT / ".ci/run").read_text(encoding="utf-8").strip().splitlines()[-1]
    assert ci in commands


CONSOLE = re.compile(r"```console\n\$ (scoring [^\n]*)\n(.*?)```", re.S)


def test_readme_console_examples_are_what_the_commands_print(update_golden: bool):
    """Each ```console block starting `$ scoring …` shows that command's output, as piped.

    `pytest tests/test_readme.py --update-golden` rewrites the blocks after a change of output.
    """
    check_console_blocks(ROOT / "README.md", update_golden)


def printed(command: str) -> str:
    """What ``scoring …`` prints, piped, in English, from the repository root."""
    import shlex

    run = run_module(
        shlex.split(command)[1:], env={"SCORING_LANG": "en", "PYTHONIOENCODING": "utf-8"}
    )
    lines = (run.stdout + run.stderr).splitlines()
    return "".join(f"{line.rstrip()}\n" for line in lines)


def check_console_blocks(readme_path: Path, update_golden: bool) -> None:
    """Each console block of ``readme_path`` is what its command prints (or is rewritten so)."""
    readme = readme_path.read_text(encoding="utf-8")
    blocks = CONSOLE.findall(readme)
    assert blocks, f"{readme_path.name} shows no console example"
    if update_golden:
        readme_path.write_text(
            CONSOLE.sub(lambda m: f"```console\n$ {m[1]}\n{printed(m[1])}```", readme),
            encoding="utf-8",
        )
        return
    for command, shown in blocks:
        assert printed(command) == shown, f"the `{command}` example of {readme_path} is stale"
