"""The `scoring` command: one module per command, all registered on one Typer app.

The only package that prints or exits. Exit codes (scoring.errors.ExitCode): 0 success; 1 the
input was read and found wanting (any ScoringError); 2 a usage error, a file that cannot be read,
or rules that cannot be looked up (so nothing could be checked against them).

A run imports, and Typer builds, only the command it asks for: ``scoring score`` does not load
what ``batch``, ``diff`` or ``review`` are made with, nor read their parameters. Help, and a word
that is no command, import every command (tests/cli/test_startup.py).
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Sequence

from typer.models import CommandInfo, TyperInfo

from scoring.cli.application import App, app
from scoring.cli.consoles import configure_streams

__all__ = ["COMMANDS", "command_asked", "main", "with_commands"]

COMMANDS = {
    "score": "score",
    "lint": "lint",
    "test": "worked_examples",
    "diff": "diff",
    "review": "review",
    "monitor": "monitor",
    "batch": "batch",
    "template": "template",
    "schema": "schema",
    "version": "version",
    "rulesets": "rulesets",
    "verify": "verify",
    "gap": "gap",
    "serve": "serve",
    "keys": "keys",
    "users": "users",
}
"""Each command's word after ``scoring`` → the module of ``scoring.cli`` that registers it, in the
order ``--help`` lists them (commands, then groups of commands, as Typer lists them)."""


def command_asked(args: Sequence[str]) -> str | None:
    """The command ``args`` run, when only ``--lang`` comes before it; else None.

    None asks for every command: ``--help``, ``--version``, completion, no command at all, or a
    word that is no command (click then says so, and suggests the nearest).
    """
    tokens = iter(args)
    for token in tokens:
        if token == "--lang":
            next(tokens, None)
        elif not token.startswith("--lang="):
            return token if token in COMMANDS else None
    return None


def with_commands(command: str | None = None) -> App:
    """The app with ``command`` registered on it, or every command when ``command`` is None."""
    for word in COMMANDS if command is None else (command,):
        importlib.import_module(f"scoring.cli.{COMMANDS[word]}")
    # one process may register them in any order (the tests run many commands): listed in this one
    order = {word: index for index, word in enumerate(COMMANDS)}

    def place(info: CommandInfo | TyperInfo) -> int:
        name = str(info.name or getattr(info.callback, "__name__", ""))
        return order.get(name.replace("_", "-"), len(order))

    app.registered_commands.sort(key=place)
    app.registered_groups.sort(key=place)
    return app


def main(argv: list[str] | None = None) -> None:
    """Run the command line; exit 0, 1 (bad input) or 2 (usage, unreadable file)."""
    configure_streams()
    given = sys.argv[1:] if argv is None else argv
    with_commands(command_asked(given))(args=argv, prog_name="scoring")
