"""`scoring serve`: the web app (the department's form and the JSON API) on a port."""

from __future__ import annotations

from typing import Annotated

import typer

from scoring.cli.application import app
from scoring.cli.exits import handled
from scoring.cli.options import RulesetsOption
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
) -> None:
    """Serve the web app: a form for each ruleset, its 自评表 and gap, and a JSON API.

    Stateless for now: no accounts and no database; nothing sent is kept. Open
    http://127.0.0.1:8000/ in a browser; the API is described at /docs.
    """
    import uvicorn  # the web stack is loaded by this command only: --help stays fast

    from scoring.web.app import create_app

    uvicorn.run(create_app(rulesets or ()), host=host, port=port, log_level="info")
