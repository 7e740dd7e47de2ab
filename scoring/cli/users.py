"""`scoring users add`: the accounts of the web app (bureau, department, auditor)."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from scoring.cli import consoles
from scoring.cli.application import App, Group, app
from scoring.cli.exits import fail, handled
from scoring.cli.options import DatabaseOption, DataOption
from scoring.errors import ExitCode
from scoring.i18n import N_, _

ROLES = ("bureau", "department", "auditor")
users_app = App(
    help=N_("Manage the accounts of the web app (scoring serve)."),
    no_args_is_help=True,
    add_completion=False,
    cls=Group,
)
app.add_typer(users_app, name="users")


@users_app.command("add")
@handled
def add(
    name: Annotated[str, typer.Argument(help=N_("The account's name, to log in with."))],
    role: Annotated[
        str, typer.Option("--role", help=N_("bureau, department or auditor."))
    ] = "department",
    unit: Annotated[
        str | None,
        typer.Option("--unit", help=N_("The unit a department account submits for.")),
    ] = None,
    data: DataOption = None,
    db: DatabaseOption = None,
    password_stdin: Annotated[
        bool,
        typer.Option("--password-stdin", help=N_("Read the password from standard input.")),
    ] = False,
) -> None:
    """Add an account to the web app's database; its password is asked for, then hashed.

    A department account is bound to its unit (--unit) and sees only that unit's submissions.
    """
    from scoring.web.accounts import hash_password  # the web stack, for this command only
    from scoring.web.store.database import Database, UnavailableError, database_url

    url = database_url(data, db)
    if url is None:
        fail(_("error: give the database: --data DIR or --db URL"), ExitCode.NOT_CHECKED)
    if role not in ROLES:
        fail(_("error: the role is one of bureau, department, auditor"), ExitCode.NOT_CHECKED)
    if role == "department" and not unit:
        fail(_("error: a department account needs its unit (--unit)"), ExitCode.NOT_CHECKED)
    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = typer.prompt(
            _("Password"), hide_input=True, confirmation_prompt=_("The password again")
        )
    if not password:
        fail(_("error: the password is empty"), ExitCode.NOT_CHECKED)
    try:
        database = Database(url)
    except UnavailableError as exc:
        fail(str(exc), ExitCode.NOT_CHECKED)
    try:
        if database.user(name) is not None:
            fail(
                _("error: there is already an account called {name}").format(name=name),
                ExitCode.NOT_CHECKED,
            )
        database.add_user(name, role, unit, hash_password(password))
    finally:
        database.close()
    consoles.stdout.print(_("added {role} account {name}").format(role=role, name=name))
