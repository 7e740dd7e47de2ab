"""The stateless JSON API: ``POST /api/score``, ``GET /api/rulesets``, ``GET /healthz``.

``/api/score`` returns the bytes ``scoring score --format json`` prints for the same facts, and
``/api/rulesets`` those of ``scoring rulesets --json``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, Response
from starlette.concurrency import run_in_threadpool

from scoring.engine.score import score
from scoring.errors import FactsError, Issue, ScoringError, SourceLocation
from scoring.i18n import _
from scoring.load.catalogue import catalogue, catalogue_json
from scoring.load.facts import parse_facts_text
from scoring.load.rulesets import load_named_ruleset
from scoring.render.result_json import render_json
from scoring.web.form import ruleset_by_ref
from scoring.web.language import asked_language, speaking

REQUEST_FILE = "request.json"
"""The name the facts of a request are read under, in the messages' locations."""
FACTS_BODY: dict[str, Any] = {
    "requestBody": {
        "required": True,
        "content": {
            "application/json": {
                "schema": {
                    "type": "object",
                    "description": "A facts document: the shape of schemas/facts.schema.json.",
                }
            }
        },
    }
}

router = APIRouter()


def search_path(request: Request) -> tuple[Path, ...]:
    """The directories searched for rulesets before the shipped ones (``serve --rulesets``)."""
    found: tuple[Path, ...] = request.app.state.search_path
    return found


@router.get("/healthz", summary="Whether the server answers")
async def healthz() -> dict[str, str]:
    """``{"status": "ok"}`` while the server runs."""
    return {"status": "ok"}


@router.get("/api/rulesets", summary="The rulesets on the search path")
def api_rulesets(request: Request) -> Response:
    """Every ruleset on the search path, as ``scoring rulesets --json`` prints them."""
    return Response(catalogue_json(catalogue(search_path(request))), media_type="application/json")


@router.post("/api/score", summary="Score a facts document", openapi_extra=FACTS_BODY)
async def api_score(request: Request, ruleset: str | None = None) -> Response:
    """Score a facts document (JSON) under its ``ruleset:``, or the ``?ruleset=id@version`` given.

    The answer is the result as ``scoring score --format json`` prints it; facts that cannot be
    scored give 422 with every problem, located as the command line says them.
    """
    body = await request.body()
    # reading and scoring in the thread pool: the language lock may be held by a long page
    return await run_in_threadpool(_scored, request, body, ruleset)


def _scored(request: Request, body: bytes, ruleset: str | None) -> Response:
    with speaking(asked_language(request.headers.get("accept-language"))):
        try:
            text = body.decode("utf-8-sig")
        except UnicodeDecodeError:
            message = _("not UTF-8 text; save the file as UTF-8")
            return issues_response(FactsError([Issue(message, SourceLocation(REQUEST_FILE, 1, 1))]))
        try:
            source = parse_facts_text(text, REQUEST_FILE)
            loaded = (
                ruleset_by_ref(ruleset, search_path(request))
                if ruleset
                else load_named_ruleset(source, search_path(request))
            )
            content = render_json(score(loaded, source.check(loaded)), loaded)
        except ScoringError as exc:
            return issues_response(exc)
    return Response(content, media_type="application/json")


def issues_response(error: ScoringError) -> JSONResponse:
    """422 with the problems: the message the command line prints, and each problem located."""
    issues = [
        {
            "message": issue.message,
            "file": issue.location.file if issue.location else None,
            "line": issue.location.line if issue.location else None,
            "column": issue.location.column if issue.location else None,
            "path": issue.path,
            "field": issue.field,
            "text": str(issue),
        }
        for issue in error.issues
    ]
    return JSONResponse({"error": str(error), "issues": issues}, status_code=422)
