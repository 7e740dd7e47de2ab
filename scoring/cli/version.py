"""`scoring version`: the engine's name and version."""

from __future__ import annotations

from scoring.cli.application import app, print_version


@app.command()
def version() -> None:
    """Print the engine's name and version."""
    print_version()
