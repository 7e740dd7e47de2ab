"""Every command is one module of scoring/cli/, in the README's table, and helped in Chinese.

The list of commands is read from the app itself, so a new command is held to all of this (and
to the Chinese help of tests/cli/test_language.py) the moment it is registered.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from scoring.cli import COMMANDS, command_asked, with_commands
from tests.conftest import ROOT

app = with_commands()


def registered_commands() -> list[tuple[str, ...]]:
    """Every command the app runs, as its words after ``scoring`` (``("keys", "new")``)."""
    found: list[tuple[str, ...]] = []
    for command in app.registered_commands:
        assert command.callback is not None
        found.append((command.name or command.callback.__name__.replace("_", "-"),))
    for group in app.registered_groups:
        assert group.name is not None
        assert group.typer_instance is not None
        found.append((group.name,))
        for command in group.typer_instance.registered_commands:
            assert command.callback is not None
            found.append((group.name, command.name or command.callback.__name__))
    return found


def _module(words: tuple[str, ...]) -> str:
    for command in app.registered_commands:
        assert command.callback is not None
        if (command.name or command.callback.__name__) == words[0]:
            return command.callback.__module__
    group = next(group for group in app.registered_groups if group.name == words[0])
    return group.typer_instance.registered_commands[0].callback.__module__  # type: ignore[union-attr]


def test_each_top_level_command_has_a_module_of_its_own():
    tops = [words for words in registered_commands() if len(words) == 1]
    modules = [_module(words) for words in tops]
    assert len(set(modules)) == len(modules), dict(zip(map(" ".join, tops), modules, strict=True))
    assert all(module.startswith("scoring.cli.") for module in modules)


@pytest.mark.parametrize("words", registered_commands(), ids=" ".join)
def test_each_command_is_in_the_readme_table(words):
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    table = readme[readme.index("## Commands") :]
    assert re.search(rf"`scoring {re.escape(' '.join(words))}\b", table), words


def test_the_commands_are_found():
    found = registered_commands()
    assert ("score",) in found
    assert ("keys", "new") in found
    assert Path(_module(("keys",)).replace(".", "/") + ".py").name == "keys.py"


def test_every_module_that_registers_a_command_is_in_the_table_a_run_imports_from():
    registering = {
        path.stem
        for path in (ROOT / "scoring" / "cli").glob("*.py")
        if re.search(r"^(@app\.command\(|app\.add_typer\()", path.read_text("utf-8"), re.M)
    }
    assert registering == set(COMMANDS.values())
    tops = [words[0] for words in registered_commands() if len(words) == 1]
    assert tops == list(COMMANDS), "COMMANDS lists them in the order --help shows"
    assert all(_module((word,)) == f"scoring.cli.{COMMANDS[word]}" for word in tops)


@pytest.mark.parametrize(
    ("args", "asked"),
    [
        (["score", "facts.yaml"], "score"),
        (["--lang", "zh", "batch", "x"], "batch"),
        (["--lang=en", "test"], "test"),
        (["--lang", "score", "gap"], "gap"),  # click refuses the value; the command is still gap
        (["keys", "new"], "keys"),
        (["--help"], None),
        (["--version", "score"], None),
        (["--lang", "zh", "--help", "score"], None),
        (["scroe", "facts.yaml"], None),  # no such command: click says so, with every command
        ([], None),
    ],
)
def test_a_run_imports_the_command_it_asks_for_or_every_command(args, asked):
    assert command_asked(args) == asked
