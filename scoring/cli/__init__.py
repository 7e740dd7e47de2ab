"""The `scoring` command: one module per command, all registered on one Typer app.

The only package that prints or exits. Exit codes (scoring.errors.ExitCode): 0 success; 1 the
input was read and found wanting (any ScoringError); 2 a usage error, a file that cannot be read,
or rules that cannot be looked up (so nothing could be checked against them).
"""

from __future__ import annotations

# The command modules register their commands on the app as they are imported: --help lists
# them in this order.
# isort: off
from scoring.cli import score, lint, worked_examples, diff, review, monitor  # noqa: F401
from scoring.cli import batch, template, schema, version, rulesets, verify, keys, gap  # noqa: F401
from scoring.cli import serve, users  # noqa: F401

# isort: on
from scoring.cli.application import app
from scoring.cli.consoles import configure_streams

__all__ = ["app", "main"]


def main(argv: list[str] | None = None) -> None:
    """Run the command line; exit 0, 1 (bad input) or 2 (usage, unreadable file)."""
    configure_streams()
    app(args=argv, prog_name="scoring")
