"""The web app: its pages, its JSON API, a limit on request bodies, and no stack trace shown."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException
from starlette.middleware.sessions import SessionMiddleware
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from scoring import __version__
from scoring.i18n import _
from scoring.web import accounts, api, audit, bureau, imports, pages, submissions
from scoring.web.language import asked_language, speaking
from scoring.web.store.database import Database
from scoring.web.store.published import write_published

MAX_BODY_BYTES = 1024 * 1024
"""The largest request body read: a facts document or a filled form is a few kilobytes."""
STATIC = Path(__file__).resolve().parent / "static"
LOG = logging.getLogger("scoring.web")


def create_app(
    search_path: Iterable[Path] = (),
    *,
    max_body: int = MAX_BODY_BYTES,
    database: Database | None = None,
) -> FastAPI:
    """The app, with ``search_path`` searched for rulesets before the shipped ones.

    With a ``database``, people log in, and departments save drafts and submit; without one,
    the app is stateless: the pages and the API score what they are sent and keep nothing.
    """
    app = FastAPI(
        title="scoring",
        version=__version__,
        description="预算绩效评价: score facts against published rulesets.",
    )
    app.state.search_path = tuple(search_path)
    if database is not None:  # the rulesets the bureau published, after the --rulesets ones
        app.state.search_path += (write_published(database),)
    app.state.max_body = max_body
    app.state.database = database
    app.include_router(api.router)
    if database is not None:
        app.include_router(accounts.router)
        app.include_router(submissions.router)
        app.include_router(audit.router)
        app.include_router(bureau.router)
        app.add_middleware(
            SessionMiddleware,
            secret_key=database.session_key(),
            session_cookie="scoring_session",
            same_site="lax",
            https_only=False,  # served on 127.0.0.1 or behind a proxy that terminates TLS
        )
    app.include_router(imports.router)
    app.include_router(pages.router)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    app.add_exception_handler(HTTPException, _http_error)
    app.add_exception_handler(Exception, _server_error)
    app.add_middleware(BodyLimit, limit=max_body)
    return app


class BodyLimit:
    """Refuse a request body over ``limit`` bytes (413), by its length or as it arrives."""

    def __init__(self, app: ASGIApp, limit: int):
        self.app = app
        self.limit = limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Pass the request on, stopping it with 413 once its body is too large."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        length = dict(scope["headers"]).get(b"content-length", b"")
        if length.isdigit() and int(length) > self.limit:
            await self._refuse(scope, receive, send)
            return
        received = 0

        async def limited() -> Message:
            nonlocal received
            message = await receive()
            received += len(message.get("body", b""))
            if received > self.limit:
                raise HTTPException(413)
            return message

        await self.app(scope, limited, send)

    async def _refuse(self, scope: Scope, receive: Receive, send: Send) -> None:
        request = Request(scope, receive)
        await (await _http_error(request, HTTPException(413)))(scope, receive, send)


async def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    with speaking(asked_language(request.headers.get("accept-language"))):
        message = _status_message(exc.status_code, request.app.state.max_body)
        if request.url.path.startswith("/api/"):
            return JSONResponse({"error": message}, status_code=exc.status_code)
        return pages.error_page(request, message, exc.status_code)


async def _server_error(request: Request, exc: Exception) -> Response:
    LOG.error("%s %s failed", request.method, request.url.path, exc_info=exc)
    with speaking(asked_language(request.headers.get("accept-language"))):
        message = _("the server could not answer this request; nothing was saved, try again")
        if request.url.path.startswith("/api/"):
            return JSONResponse({"error": message}, status_code=500)
        return HTMLResponse(pages.plain_page(message), status_code=500)


def _status_message(status: int, limit: int) -> str:
    if status == 404:
        return _("no such page")
    if status == 413:
        return _("the request is too large: the limit is {limit:,} bytes").format(limit=limit)
    if status == 401:
        return _("log in to see this page")
    if status == 403:
        return _("this page is not open to your account")
    if status == 405:
        return _("this page does not take that method")
    return _("the request cannot be answered (HTTP {status})").format(status=status)
