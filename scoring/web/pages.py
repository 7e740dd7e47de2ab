"""The pages: the rulesets, a ruleset's form, the form scored, and the 自评表 downloaded.

Every page is a Jinja2 template with autoescape on; the 自评表 itself is the HTML renderer's page
(:func:`scoring.render.result_html.render_html`), shown in a frame, and each download is the
bytes of the renderer the command line uses for that format. The words of the pages go through
gettext as every message does (``{{ _("…") }}`` and ``{% trans %}`` in the templates, Jinja2's i18n
extension bound to :mod:`scoring.i18n`), so a page speaks the request's language; the 自评表 in
it is Chinese in every language.
"""

from __future__ import annotations

import html
from decimal import Decimal
from pathlib import Path
from typing import Any
from urllib.parse import quote

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response
from fastapi.templating import Jinja2Templates
from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData
from starlette.exceptions import HTTPException

from scoring import render
from scoring.errors import RulesetError
from scoring.i18n import _, language, ngettext
from scoring.load.catalogue import catalogue
from scoring.model.ruleset import Ruleset
from scoring.render.formats import RESULT_FORMATS
from scoring.render.result_html import render_html
from scoring.web import form
from scoring.web.language import asked_language, speaking
from scoring.web.session import csrf_token, current_user, saving

TEMPLATES = Path(__file__).resolve().parent / "templates"
DOWNLOADS = ("xlsx", "html", "json")
"""The formats of the 自评表 a department downloads."""
MEDIA_TYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "html": "text/html; charset=utf-8",
    "json": "application/json",
}

_environment = Environment(
    loader=FileSystemLoader(TEMPLATES),
    autoescape=select_autoescape(default=True),
    extensions=["jinja2.ext.i18n"],
)
# Old-style gettext: ``_()`` returns plain text, escaped when shown (a translation is never HTML);
# a ``{% trans %}`` block's translation is the template's own HTML, its variables escaped.
_environment.install_gettext_callables(  # type: ignore[attr-defined]  # the i18n extension's
    gettext=_, ngettext=ngettext, newstyle=False
)
templates = Jinja2Templates(env=_environment)
router = APIRouter(include_in_schema=False)


def shown(value: bool | Decimal) -> str:
    """A fact value as the form takes it: 是/否, or the number written out."""
    if isinstance(value, bool):
        return "是" if value else "否"
    return format(value, "f")


_environment.filters["shown"] = shown


def page(request: Request, name: str, status: int = 200, **context: Any) -> HTMLResponse:
    """The template ``name`` in the request's language, with the account and the CSRF token."""
    spoken = asked_language(request.headers.get("accept-language"))
    context = {
        "lang": html_language(spoken),
        "saving": saving(request),
        "user": current_user(request),
        "csrf": csrf_token(request),
        **context,
    }
    with speaking(spoken):  # the response renders the template now, in this language
        return templates.TemplateResponse(request, name, context, status_code=status)


def html_language(spoken: str) -> str:
    """The ``lang`` attribute of a page in ``spoken`` ("zh" or "en")."""
    return "en" if spoken == "en" else "zh-CN"


def error_page(request: Request, message: str, status: int) -> HTMLResponse:
    """A page that says what went wrong, in words, and links back to the rulesets."""
    return page(request, "error.html", status, message=message)


def plain_page(message: str) -> str:
    """A page with one message, made without templates (for when anything else failed)."""
    text, rulesets = html.escape(message), html.escape(_("Rulesets"))
    return (
        f'<!DOCTYPE html>\n<html lang="{html_language(language())}"><head><meta charset="utf-8">'
        f"<title>scoring</title></head><body><p>{text}</p>"
        f'<p><a href="/">{rulesets}</a></p></body></html>\n'
    )


def ruleset_of(request: Request, ref: str) -> Ruleset:
    """The ruleset ``ref`` on the app's search path (404 if there is none)."""
    try:
        return form.ruleset_by_ref(ref, request.app.state.search_path)
    except RulesetError as exc:
        raise HTTPException(404) from exc


@router.get("/", response_class=HTMLResponse)
def index(request: Request) -> HTMLResponse:
    """The rulesets on the search path, each a link to its form."""
    with speaking(asked_language(request.headers.get("accept-language"))):
        listed = catalogue(request.app.state.search_path)
        return page(request, "index.html", listed=[each for each in listed if each.title])


@router.get("/rulesets/{ref}", response_class=HTMLResponse)
def form_page(request: Request, ref: str) -> HTMLResponse:
    """The ruleset's form, empty."""
    with speaking(asked_language(request.headers.get("accept-language"))):
        ruleset = ruleset_of(request, ref)
        user = current_user(request)
        values = {"subject.unit": user.unit} if user is not None and user.unit else {}
        return form_page_of(request, ruleset, values, set(), form.Outcome())


@router.post("/rulesets/{ref}", response_class=HTMLResponse)
async def form_scored(request: Request, ref: str) -> HTMLResponse:
    """The form as filled, with its 自评表 and gap, or its problems at their fields."""
    filled = await request.form()
    return await run_in_threadpool(_scored, request, ref, filled)


def _scored(request: Request, ref: str, filled: FormData) -> HTMLResponse:
    with speaking(asked_language(request.headers.get("accept-language"))):
        ruleset = ruleset_of(request, ref)
        outcome = form.evaluate(ruleset, form.form_source(ruleset, filled))
        status = 422 if outcome.result is None else 200
        return _form(request, ruleset, filled, outcome, status)


@router.post("/rulesets/{ref}/preview")
async def preview(request: Request, ref: str) -> JSONResponse:
    """The form scored as far as it is filled (待填 for the blanks), for the page's script."""
    filled = await request.form()
    return await run_in_threadpool(_previewed, request, ref, filled)


def _previewed(request: Request, ref: str, filled: FormData) -> JSONResponse:
    with speaking(asked_language(request.headers.get("accept-language"))):
        ruleset = ruleset_of(request, ref)
        outcome = form.evaluate(ruleset, form.form_source(ruleset, filled), partial=True)
        fragment = _environment.get_template("result.html").render(
            _result_context(ruleset, outcome)
        )
        return JSONResponse({"result": fragment, "errors": outcome.errors})


@router.post("/rulesets/{ref}/download/{fmt}")
async def download(request: Request, ref: str, fmt: str) -> Response:
    """The 自评表 of the filled form as a file: the bytes of the command line's renderer."""
    if fmt not in DOWNLOADS:
        raise HTTPException(404)
    filled = await request.form()
    return await run_in_threadpool(_downloaded, request, ref, fmt, filled)


def _downloaded(request: Request, ref: str, fmt: str, filled: FormData) -> Response:
    with speaking(asked_language(request.headers.get("accept-language"))):
        ruleset = ruleset_of(request, ref)
        outcome = form.evaluate(ruleset, form.form_source(ruleset, filled))
        if outcome.result is None:
            return _form(request, ruleset, filled, outcome, 422)
        content = render.RENDERERS[fmt](outcome.result, ruleset)
    name = f"自评表-{ruleset.ref}{RESULT_FORMATS[fmt].suffix}"
    disposition = f"attachment; filename*=UTF-8''{quote(name)}"
    return Response(
        content, media_type=MEDIA_TYPES[fmt], headers={"Content-Disposition": disposition}
    )


def _form(
    request: Request, ruleset: Ruleset, filled: Any, outcome: form.Outcome, status: int = 200
) -> HTMLResponse:
    values = {key: filled.get(key) for key in filled} if filled else {}
    chosen = set(filled.getlist("not_applicable")) if filled else set()
    return form_page_of(request, ruleset, values, chosen, outcome, status)


def form_page_of(
    request: Request,
    ruleset: Ruleset,
    values: dict[str, Any],
    chosen: set[str],
    outcome: form.Outcome,
    status: int = 200,
) -> HTMLResponse:
    """The ruleset's form showing ``values`` and the not-applicable ``chosen``, scored."""
    return page(
        request,
        "form.html",
        status,
        ruleset=ruleset,
        fields=form.fields(ruleset),
        subject=form.SUBJECT,
        skippable=form.optional_indicators(ruleset),
        values=values,
        chosen=chosen,
        downloads=DOWNLOADS,
        **_result_context(ruleset, outcome),
    )


def _result_context(ruleset: Ruleset, outcome: form.Outcome) -> dict[str, Any]:
    result = outcome.result
    return {
        "outcome": outcome,
        "result": result,
        "gap": outcome.gap,
        "sheet": render_html(result, ruleset) if result is not None else None,
    }
