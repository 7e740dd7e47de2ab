"""The installed wheel, as a user meets it: a fresh virtual environment, run from anywhere.

One wheel and one virtual environment per session. The wheel is ``$SCORING_WHEEL`` when set (CI
builds it first, see .ci/run), else built here from a copy of the checkout (sdist, then the wheel
from the sdist, as a release would be). It is installed with its dependencies into a virtual
environment under a directory whose name has Chinese characters and spaces, and every command
runs from another such directory that holds only a copy of the example facts: nothing may come
from the checkout. ``$SCORING_PYTHON`` names another interpreter for that environment (to try a
Python version the test run itself does not use).
"""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import pytest

from scoring import __version__
from tests.conftest import EXAMPLES, ROOT, RULESETS

GOLDEN = ROOT / "tests" / "golden" / "expected"
EVERY_SHIPPED = sorted(
    path.relative_to(RULESETS).as_posix()
    for path in RULESETS.rglob("*")
    if path.suffix in (".yaml", ".yml")
)
SHIPPED_REVIEW = [name for name in EVERY_SHIPPED if name.startswith("review/")]
"""The review rulesets (kind: review): listed by scoring rulesets --review only."""
SHIPPED = [name for name in EVERY_SHIPPED if name not in SHIPPED_REVIEW]
README_FACTS = "xinfang-wangcheng-2022.yaml"
# What the build copies: the checkout less what it never ships and what a build writes.
NOT_COPIED = shutil.ignore_patterns(
    ".git", ".venv", "*.egg-info", "build", "dist", "__pycache__", ".*_cache", ".hypothesis"
)


@dataclass(frozen=True)
class Installed:
    """The wheel, the virtual environment it is installed in, and a working directory."""

    wheel: Path
    python: Path
    scripts: Path
    workdir: Path

    def run(self, args: Sequence[str | Path]) -> subprocess.CompletedProcess[str]:
        """Run the installed ``scoring ARGS`` in the working directory."""
        command = shutil.which("scoring", path=str(self.scripts))
        assert command is not None, f"no scoring command in {self.scripts}"
        return self.execute([command, *map(str, args)])

    def python_code(self, code: str) -> str:
        """Run ``python -c CODE`` in the virtual environment; its output."""
        process = self.execute([str(self.python), "-c", code])
        assert process.returncode == 0, process.stderr
        return process.stdout

    def execute(self, argv: list[str]) -> subprocess.CompletedProcess[str]:
        """Run ``argv`` in the working directory, with the environment's scripts first on PATH."""
        environ = {key: value for key, value in os.environ.items() if key != "PYTHONPATH"}
        environ["PATH"] = os.pathsep.join([str(self.scripts), environ.get("PATH", "")])
        return subprocess.run(
            argv,
            capture_output=True,
            text=True,
            encoding="utf-8",
            cwd=self.workdir,
            env=environ,
            check=False,
            timeout=120,
        )


def _shipped_directory(installed: Installed) -> Path:
    """Where the installed package keeps its rulesets."""
    code = "from scoring.load.registry import SHIPPED_RULESETS; print(SHIPPED_RULESETS)"
    return Path(installed.python_code(code).strip())


def _build_wheel(directory: Path) -> Path:
    source = directory / "源码 checkout"
    shutil.copytree(ROOT, source, ignore=NOT_COPIED)
    dist = directory / "dist"
    process = subprocess.run(
        [sys.executable, "-m", "build", "--outdir", str(dist), str(source)],
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
    )
    assert process.returncode == 0, process.stdout + process.stderr
    (wheel,) = dist.glob("*.whl")
    return wheel


@pytest.fixture(scope="session")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Installed:
    base = tmp_path_factory.mktemp("安装 测试")
    given = os.environ.get("SCORING_WHEEL")
    wheel = Path(given) if given else _build_wheel(base)
    assert wheel.is_file(), f"SCORING_WHEEL={given} is not a file"
    environment = base / "虚拟 环境"
    interpreter = os.environ.get("SCORING_PYTHON", sys.executable)
    subprocess.run([interpreter, "-m", "venv", str(environment)], check=True, timeout=300)
    scripts = environment / ("Scripts" if os.name == "nt" else "bin")
    python = scripts / ("python.exe" if os.name == "nt" else "python")
    subprocess.run(
        [str(python), "-m", "pip", "install", "--quiet", str(wheel)],
        check=True,
        timeout=600,
    )
    workdir = base / "财政局 工作 目录"
    workdir.mkdir()
    shutil.copy(EXAMPLES / README_FACTS, workdir / "望城 2022.yaml")
    shutil.copy(
        EXAMPLES / README_FACTS, workdir / "望城.yaml"
    )  # as the README's user install names it
    return Installed(wheel, python, scripts, workdir)


def test_the_wheel_ships_every_ruleset_and_py_typed(installed: Installed):
    with zipfile.ZipFile(installed.wheel) as archive:
        names = set(archive.namelist())
    prefix = "scoring/rulesets/"
    assert sorted(name[len(prefix) :] for name in names if name.startswith(prefix)) == sorted(
        [*EVERY_SHIPPED, "__init__.py"]
    )
    assert "scoring/py.typed" in names


def test_the_package_is_imported_from_the_virtual_environment_not_the_checkout(
    installed: Installed,
):
    location = Path(installed.python_code("import scoring; print(scoring.__file__)").strip())
    assert location.resolve().is_relative_to(installed.python.parent.parent.resolve())


def test_readme_command_scores_the_example_from_another_directory(installed: Installed):
    """`scoring score FACTS`: the facts name the ruleset, which is found among the shipped ones."""
    process = installed.run(["score", "望城 2022.yaml"])
    assert (process.returncode, process.stderr) == (0, "")
    assert "2022年度望城区信访局信访救助资金绩效自评表" in process.stdout
    assert "100.00" in process.stdout
    assert "xinfang.wangcheng-relief@2022.1" in process.stdout


def _readme_user_commands() -> list[list[str]]:
    """Each ``scoring`` line of the README's "Install and run" section, as arguments."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("\n## Install and run\n", 1)[1].split("\n## ", 1)[0]
    blocks = re.findall(r"```sh\n(.*?)\n```", section, re.S)
    lines = [line for block in blocks for line in block.splitlines()]
    return [shlex.split(line, comments=True) for line in lines if line.startswith("scoring ")]


def test_readme_user_commands_run_on_the_installed_wheel(installed: Installed):
    commands = _readme_user_commands()
    assert ["scoring", "score", "望城.yaml"] in commands
    for command in commands:
        process = installed.run(command[1:])
        assert (process.returncode, process.stderr) == (0, ""), command
        assert process.stdout


@pytest.mark.parametrize("facts", sorted(EXAMPLES.glob("*.yaml")), ids=lambda path: path.stem)
def test_each_example_scores_to_its_golden_result(installed: Installed, facts: Path):
    shutil.copy(facts, installed.workdir / facts.name)
    ref = next(
        line.split(":", 1)[1].strip()
        for line in facts.read_text(encoding="utf-8").splitlines()
        if line.startswith("ruleset:")
    )
    process = installed.run(["score", ref, facts.name, "--json"])
    assert (process.returncode, process.stderr) == (0, "")
    assert process.stdout == (GOLDEN / f"{facts.stem}.json").read_text(encoding="utf-8")


def test_version_option_and_command(installed: Installed):
    for args in (["--version"], ["version"]):
        process = installed.run(args)
        assert (process.returncode, process.stdout) == (0, f"scoring {__version__}\n")


def test_rulesets_lists_every_shipped_ruleset_inside_the_installed_package(installed: Installed):
    process = installed.run(["rulesets", "--json"])
    assert (process.returncode, process.stderr) == (0, "")
    rows = json.loads(process.stdout)
    shipped = _shipped_directory(installed)
    assert shipped.is_relative_to(installed.python.parent.parent.resolve())
    files = [Path(row["file"]).resolve() for row in rows]
    assert sorted(file.relative_to(shipped).as_posix() for file in files) == SHIPPED
    assert all(row["title"] and row["year"] for row in rows)
    table = installed.run(["rulesets"])
    assert table.returncode == 0
    assert "mof.project-self-eval@2020.1" in table.stdout
    review = json.loads(installed.run(["rulesets", "--review", "--json"]).stdout)
    listed = [Path(row["file"]).resolve().relative_to(shipped).as_posix() for row in review]
    assert sorted(listed) == SHIPPED_REVIEW


def test_every_shipped_ruleset_passes_lint_and_its_worked_examples_when_installed(
    installed: Installed,
):
    shipped = _shipped_directory(installed)
    for command in ("lint", "test"):
        process = installed.run([command, shipped])
        assert process.returncode == 0, process.stdout + process.stderr


def test_python_m_scoring_runs_the_installed_package(installed: Installed):
    process = installed.execute([str(installed.python), "-m", "scoring", "--version"])
    assert (process.returncode, process.stdout) == (0, f"scoring {__version__}\n")


def test_the_installed_wheel_speaks_the_locales_language(
    installed: Installed, monkeypatch: pytest.MonkeyPatch
):
    """The compiled catalog is in the wheel: a Chinese locale gets Chinese messages and help."""
    with zipfile.ZipFile(installed.wheel) as archive:
        assert "scoring/locale/zh/LC_MESSAGES/scoring.mo" in archive.namelist()
    for variable in ("SCORING_LANG", "LANGUAGE", "LC_ALL", "LC_MESSAGES"):
        monkeypatch.delenv(variable, raising=False)
    monkeypatch.setenv("LANG", "zh_CN.UTF-8")
    checked = installed.run(["lint", "望城 2022.yaml"])
    assert (checked.returncode, checked.stderr) == (0, "已检查 1 个文件，没有问题\n")
    assert "用法：scoring [OPTIONS] COMMAND [ARGS]..." in installed.run(["--help"]).stdout
    english = installed.run(["--lang", "en", "lint", "望城 2022.yaml"])
    assert (english.returncode, english.stderr) == (0, "1 file checked, no problems\n")


def test_scoring_serve_answers_when_installed(installed: Installed):
    """The README's install gives a working `scoring serve`: its pages, scripts and API."""
    web = ROOT / "scoring" / "web"
    shipped = {
        path.relative_to(ROOT).as_posix()
        for folder in ("templates", "static", "store/migrations", "store/migrations/versions")
        for path in (web / folder).iterdir()
        if path.is_file() and path.suffix != ".pyc"
    }
    with zipfile.ZipFile(installed.wheel) as archive:
        assert shipped <= set(archive.namelist())
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    command = shutil.which("scoring", path=str(installed.scripts))
    assert command is not None
    server = subprocess.Popen(
        [command, "serve", "--port", str(port), "--data", "数据"],  # migrated on start
        cwd=installed.workdir,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"{base}/healthz", timeout=5) as answer:
                    assert json.load(answer) == {"status": "ok"}
                break
            except OSError:
                assert server.poll() is None, "scoring serve exited"
                assert time.monotonic() < deadline, "scoring serve did not answer"
                time.sleep(0.2)
        with urllib.request.urlopen(f"{base}/rulesets/xinfang.wangcheng-relief@2022.1") as page:
            assert "救助生活困难信访群众人数" in page.read().decode("utf-8")
        with urllib.request.urlopen(f"{base}/static/form.js") as script:
            assert b"preview" in script.read()
        with urllib.request.urlopen(f"{base}/login") as login:
            assert 'name="csrf"' in login.read().decode("utf-8")
        assert (installed.workdir / "数据" / "scoring.sqlite3").is_file()
    finally:
        server.terminate()
        server.wait(timeout=30)
