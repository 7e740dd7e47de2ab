"""How a command ends: a message on stderr and an exit code (scoring.errors.ExitCode)."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import NoReturn, ParamSpec

import typer
from rich.text import Text

from scoring.cli import consoles
from scoring.cli.language import os_reason
from scoring.errors import ExitCode, ScoringError, SearchPathError
from scoring.i18n import _

P = ParamSpec("P")


def fail(message: str, code: ExitCode) -> NoReturn:
    """Say ``message`` on stderr and end the command with ``code``."""
    consoles.stderr.print(Text(message))
    raise typer.Exit(code)


def handled(command: Callable[P, None]) -> Callable[P, None]:
    """Turn the package's errors into one message and an exit code, never a traceback."""

    @functools.wraps(command)
    def run(*args: P.args, **kwargs: P.kwargs) -> None:
        try:
            command(*args, **kwargs)
        except SearchPathError as exc:  # the rules cannot be looked up: nothing was checked
            fail(str(exc), ExitCode.NOT_CHECKED)
        except ScoringError as exc:
            fail(str(exc), ExitCode.FOUND_WANTING)
        except OSError as exc:
            message = _("error: cannot read {file}: {reason}")
            fail(
                message.format(file=exc.filename or "", reason=os_reason(exc)), ExitCode.NOT_CHECKED
            )

    return run
