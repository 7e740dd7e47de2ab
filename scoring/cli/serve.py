"""`scoring serve`: the web app (the department's form and the JSON API) on a port."""

from __future__ import annotations

from typing import Annotated

import typer

from scoring.cli.application import app
from scoring.cli.exits import fail, handled
from scoring.cli.options import DatabaseOption, DataOption, RulesetsOption
from scoring.errors import ExitCode
from scoring.i18n import N_


@app.command()
@handled
def serve(
    host: Annotated[
        str,
        typer.Option(
            "--host", help=N_("The address to listen on (127.0.0.1: this computer only).")
        ),
    ] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", help=N_("The port to listen on."))] = 8000,
    rulesets: RulesetsOption = None,
    data: DataOption = None,
    db: DatabaseOption = None,
) -> None:
    """Serve the web app: a form for each ruleset, its 自评表 and gap, and a JSON API.

    With --data DIR (a SQLite database in it) or --db URL, accounts log in (scoring users
    add) and departments save drafts and submit; without either nothing sent is kept. Open
    http://127.0.0.1:8000/ in a browser; the API is described at /docs.
    """
    import uvicorn  # the web stack is loaded by this command only: --help stays fast

    from scoring.web.app import create_app
    from scoring.web.store.database import Database, UnavailableError, database_url

    url = database_url(data, db)
    try:
        database = Database(url) if url is not None else None
    except UnavailableError as exc:
        fail(str(exc), ExitCode.NOT_CHECKED)
    app_ = create_app(rulesets or (), database=database)
    uvicorn.run(app_, host=host, port=port, log_level="info")
