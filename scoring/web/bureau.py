"""The finance bureau's pages: upload a ruleset, check it, publish it; the year's submissions.

Only a bureau account sees them (401 logged out, 403 for a department or an auditor). Every
endpoint is a plain ``def``: FastAPI runs it in its thread pool, so the database, the checks and
the scoring never hold up the event loop.
"""

from __future__ import annotations

from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, File, Form, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.exceptions import HTTPException

from scoring.analysis.summary import render_summary_csv, render_summary_xlsx
from scoring.i18n import _
from scoring.model.fingerprint import ruleset_fingerprint
from scoring.web import bureau_year, pages
from scoring.web.bureau_check import (
    Checked,
    check_ruleset_text,
    decoded,
    lines_as_lf,
    upload_name,
    year_error,
)
from scoring.web.language import asked_language, speaking
from scoring.web.session import check_csrf, database_of, logged_in
from scoring.web.store.published import (
    AlreadyPublishedError,
    publish,
    published,
    submission_years,
    submitted_in,
)
from scoring.web.store.tables import PublishedRuleset

router = APIRouter(include_in_schema=False)
EXPORTS = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def _language(request: Request) -> str:
    return asked_language(request.headers.get("accept-language"))


@router.get("/bureau/rulesets", response_class=HTMLResponse)
def rulesets_page(request: Request) -> HTMLResponse:
    """The published rulesets, and the form to upload a new one."""
    logged_in(request, "bureau")
    with speaking(_language(request)):
        return _rulesets(request, year="", errors={})


def _rulesets(
    request: Request, year: str, errors: dict[str, str], status: int = 200
) -> HTMLResponse:
    listed = published(database_of(request))
    return pages.page(
        request, "bureau_rulesets.html", status, listed=listed, year=year, errors=errors
    )


@router.post("/bureau/rulesets/check", response_class=HTMLResponse)
def check(
    request: Request,
    file: Annotated[UploadFile | None, File()] = None,
    year: Annotated[str, Form()] = "",
    csrf: Annotated[str, Form()] = "",
) -> HTMLResponse:
    """An uploaded ruleset checked: its problems, warnings and worked examples, each located."""
    logged_in(request, "bureau")
    check_csrf(request, {"csrf": csrf})
    with speaking(_language(request)):
        if file is None or not file.filename:
            errors = {"file": _("choose the ruleset file (YAML) to upload")}
            return _rulesets(request, year, errors, 422)
        filename = upload_name(file.filename)
        text = decoded(file.file.read(), filename)
        if not isinstance(text, str):
            return _checked(request, Checked(filename, "", problems=[text]), year, 422)
        checked = _check(request, text, filename)
        return _checked(request, checked, year, 200 if checked.publishable else 422)


@router.post("/bureau/rulesets/publish", response_class=HTMLResponse)
def publish_ruleset(
    request: Request,
    text: Annotated[str, Form()] = "",
    filename: Annotated[str, Form()] = "",
    year: Annotated[str, Form()] = "",
    csrf: Annotated[str, Form()] = "",
) -> Response:
    """Publish a checked ruleset for a year; refused (422) while it has a problem."""
    user = logged_in(request, "bureau")
    check_csrf(request, {"csrf": csrf})
    text = lines_as_lf(text)
    with speaking(_language(request)):
        checked = _check(request, text, upload_name(filename))
        error = year_error(year)
        if error is not None or not checked.publishable or checked.ruleset is None:
            return _checked(request, checked, year, 422, {"year": error} if error else {})
        ruleset = checked.ruleset
        try:
            row = publish(
                database_of(request),
                user,
                ruleset_id=ruleset.id,
                version=ruleset.version,
                year=int(year),
                title=ruleset.title,
                text=text,
                fingerprint=ruleset_fingerprint(ruleset),
            )
        except AlreadyPublishedError:  # published by someone else since the check
            checked = _check(request, text, checked.filename)
            return _checked(request, checked, year, 422)
    return RedirectResponse(f"/bureau/rulesets/{quote(row.ref)}", status_code=303)


def _check(request: Request, text: str, filename: str) -> Checked:
    refs = [row.ref for row, _name in published(database_of(request))]
    return check_ruleset_text(text, filename, request.app.state.search_path, refs)


def _checked(
    request: Request,
    checked: Checked,
    year: str,
    status: int,
    errors: dict[str, str] | None = None,
) -> HTMLResponse:
    lines = list(enumerate(checked.text.splitlines(), start=1))
    return pages.page(
        request,
        "bureau_check.html",
        status,
        checked=checked,
        lines=lines,
        marked=checked.marked,
        year=year,
        errors=errors or {},
    )


def _published(request: Request, ref: str) -> tuple[PublishedRuleset, str]:
    for row, name in published(database_of(request)):
        if row.ref == ref:
            return row, name
    raise HTTPException(404)


@router.get("/bureau/rulesets/{ref}", response_class=HTMLResponse)
def published_page(request: Request, ref: str) -> HTMLResponse:
    """A published ruleset: who published it for which year, when, its fingerprint and text."""
    logged_in(request, "bureau")
    row, name = _published(request, ref)
    with speaking(_language(request)):
        lines = list(enumerate(row.text.splitlines(), start=1))
        return pages.page(request, "bureau_ruleset.html", row=row, author=name, lines=lines)


@router.get("/bureau/rulesets/{ref}/ruleset.yaml")
def published_text(request: Request, ref: str) -> Response:
    """A published ruleset's text, as it was uploaded: for ``scoring --rulesets DIR``."""
    logged_in(request, "bureau")
    row, _name = _published(request, ref)
    disposition = f"attachment; filename*=UTF-8''{quote(row.file_name)}"
    return Response(
        row.text.encode("utf-8"),
        media_type="application/yaml; charset=utf-8",
        headers={"Content-Disposition": disposition},
    )


@router.get("/bureau/submissions", response_class=HTMLResponse)
def year_page(request: Request, year: str | None = None) -> HTMLResponse:
    """A year's submissions: per ruleset, the grade chart and the batch summary's table."""
    logged_in(request, "bureau")
    database = database_of(request)
    years = submission_years(database)
    chosen = year or (years[0] if years else "")
    with speaking(_language(request)):
        groups = bureau_year.year_groups(
            submitted_in(database, chosen), request.app.state.search_path
        )
        return pages.page(
            request, "bureau_submissions.html", years=years, year=chosen, groups=groups
        )


@router.get("/bureau/submissions/{year}/{ref}/summary.{fmt}")
def export(request: Request, year: str, ref: str, fmt: str) -> Response:
    """The year's summary under one ruleset: the bytes ``scoring batch -o FILE`` writes."""
    logged_in(request, "bureau")
    if fmt not in EXPORTS:
        raise HTTPException(404)
    pairs = [
        pair for pair in submitted_in(database_of(request), year) if pair[0].ruleset_ref == ref
    ]
    if not pairs:
        raise HTTPException(404)
    with speaking(_language(request)):
        group = bureau_year.group_of(ref, pairs, request.app.state.search_path)
        if group.summary is None:
            raise HTTPException(404)
        content = (
            render_summary_csv(group.summary).encode("utf-8")
            if fmt == "csv"
            else render_summary_xlsx(group.summary)
        )
    name = f"汇总-{year}-{ref}.{fmt}"
    disposition = f"attachment; filename*=UTF-8''{quote(name)}"
    return Response(content, media_type=EXPORTS[fmt], headers={"Content-Disposition": disposition})
