"""The Typer app every command registers on, speaking the chosen language, and its own options."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Sequence
from typing import Annotated, Any

import typer
from typer.core import TyperArgument, TyperCommand, TyperGroup, TyperOption
from typer.models import CommandFunctionType

from scoring import i18n
from scoring.cli.language import asked_language, in_language, system_locale, usage_errors_translated
from scoring.cli.options import Language
from scoring.errors import ExitCode
from scoring.i18n import N_, _


def _translate_help(command: TyperCommand | TyperGroup) -> None:
    """The help of ``command`` and of every command under it, in the chosen language."""
    if command.help:
        command.help = _(command.help)
    if command.short_help:
        command.short_help = _(command.short_help)
    if isinstance(command, TyperGroup):
        for each in command.commands.values():
            if isinstance(each, TyperCommand | TyperGroup):
                _translate_help(each)


def _translated_params(params: list[Any]) -> list[Any]:
    """The parameters with their help in the chosen language (Typer's --help option too)."""
    for param in params:
        if isinstance(param, TyperOption | TyperArgument) and param.help:
            param.help = _(param.help)
    return params


def _format_usage(command: TyperCommand | TyperGroup, ctx: Any, formatter: Any) -> None:
    pieces = command.collect_usage_pieces(ctx)
    formatter.write_usage(ctx.command_path, " ".join(pieces), _("Usage: "))


class Command(TyperCommand):
    """A command whose usage line and option help are in the chosen language."""

    def get_params(self, ctx: Any) -> list[Any]:
        """The parameters, their help translated."""
        return _translated_params(super().get_params(ctx))

    def format_usage(self, ctx: Any, formatter: Any) -> None:
        """``Usage: …`` in the chosen language."""
        _format_usage(self, ctx, formatter)


class Group(TyperGroup):
    """A group of commands that speaks the chosen language: help, usage lines and usage errors.

    The top one (``scoring``) chooses the language when it starts, before anything is parsed or
    printed: ``--lang``, else :func:`scoring.i18n.default_language`; and puts the language before
    back when it ends, so that running it in-process (tests) leaves no other language behind.
    """

    def main(
        self,
        args: Sequence[str] | None = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        windows_expand_args: bool = True,
        **extra: Any,
    ) -> Any:
        """Run the command line in the language asked for, or the one the environment names."""
        given = sys.argv[1:] if args is None else args
        chosen = asked_language(given) or i18n.default_language(os.environ, system_locale())
        with in_language(chosen):
            _translate_help(self)
            return super().main(
                args, prog_name, complete_var, standalone_mode, windows_expand_args, **extra
            )

    def make_context(
        self, info_name: str | None, args: list[str], parent: Any = None, **extra: Any
    ) -> Any:
        """Parse scoring's own options; a usage error in the chosen language."""
        with usage_errors_translated():
            return super().make_context(info_name, args, parent, **extra)

    def invoke(self, ctx: Any) -> Any:
        """Run the command asked for; a usage error in the chosen language."""
        with usage_errors_translated():
            return super().invoke(ctx)

    def get_params(self, ctx: Any) -> list[Any]:
        """The parameters, their help translated."""
        return _translated_params(super().get_params(ctx))

    def format_usage(self, ctx: Any, formatter: Any) -> None:
        """``Usage: …`` in the chosen language."""
        _format_usage(self, ctx, formatter)


class App(typer.Typer):
    """A Typer whose commands are :class:`Command` unless told otherwise."""

    def command(
        self, name: str | None = None, *, cls: type[TyperCommand] | None = None, **options: Any
    ) -> Callable[[CommandFunctionType], CommandFunctionType]:
        """Register a command (its help is its docstring, translated when a run starts)."""
        return super().command(name, cls=cls or Command, **options)


app = App(
    help=N_("Score budget performance (预算绩效评价) against versioned YAML rulesets."),
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    cls=Group,
)


def print_version() -> None:
    """Print the engine's name and version."""
    from scoring.engine.plan import ENGINE_NAME, ENGINE_VERSION

    sys.stdout.write(f"{ENGINE_NAME} {ENGINE_VERSION}\n")


def _print_version(value: bool) -> None:
    if value:
        print_version()
        raise typer.Exit(ExitCode.OK)


@app.callback()
def _options(
    show_version: Annotated[
        bool,
        typer.Option(
            "--version",
            help=N_("Print the engine's name and version, and exit."),
            callback=_print_version,
            is_eager=True,
        ),
    ] = False,
    lang: Annotated[
        Language | None,
        typer.Option(
            "--lang",
            help=N_(
                "The language of messages and help: zh (中文) or en (English). Default: "
                "SCORING_LANG, else the system's language (zh under a Chinese locale)."
            ),
            case_sensitive=False,
        ),
    ] = None,
) -> None:
    """Options for every command (the app's help text is the Typer's own).

    ``--lang`` is read before any of this runs (:class:`Group`), so that help and usage errors
    are in the language asked too; here it is only checked.
    """
