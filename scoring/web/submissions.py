"""A department's drafts and submissions: each save a new immutable version, and the history.

A department saves its form as a draft (as far as it is filled: blanks are 待填) or submits it
(every fact given); each is a new version of the unit's submission for that ruleset and year.
A department sees only its own unit's submissions (403 otherwise); the bureau and auditors see
every one.
"""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData
from starlette.exceptions import HTTPException

from scoring.i18n import _
from scoring.render.result_json import render_json
from scoring.web import audit, form, pages
from scoring.web.language import asked_language, speaking
from scoring.web.session import check_csrf, current_user, database_of, logged_in
from scoring.web.store import audits
from scoring.web.store.database import BusyError, SignedOffError
from scoring.web.store.tables import DRAFT, SUBMITTED, Submission, User, Version

router = APIRouter(include_in_schema=False)


def _department(request: Request) -> User:
    user = logged_in(request)
    if user.role != "department" or not user.unit:
        raise HTTPException(403)
    return user


def _visible(request: Request, submission_id: int) -> Submission:
    """The submission, if the logged-in account may see it (404 if none, 403 if not theirs)."""
    user = logged_in(request)
    submission = database_of(request).submission(submission_id)
    if submission is None:
        raise HTTPException(404)
    if user.role == "department" and submission.unit != user.unit:
        raise HTTPException(403)
    return submission


@router.post("/rulesets/{ref}/save")
async def save_draft(request: Request, ref: str) -> Response:
    """Keep the form as it is filled as a new draft version."""
    return await _save(request, ref, DRAFT)


@router.post("/rulesets/{ref}/submit")
async def submit(request: Request, ref: str) -> Response:
    """Submit the filled form: a new version, every fact given."""
    return await _save(request, ref, SUBMITTED)


async def _save(request: Request, ref: str, kind: str) -> Response:
    filled = await request.form()
    # the checks, the scoring and the database: in the thread pool, not on the event loop
    return await run_in_threadpool(_save_filled, request, ref, kind, filled)


def _save_filled(request: Request, ref: str, kind: str, filled: FormData) -> Response:
    user = _department(request)
    check_csrf(request, filled)
    with speaking(asked_language(request.headers.get("accept-language"))):
        ruleset = pages.ruleset_of(request, ref)
        document = form.facts_document(ruleset, filled)
        outcome = form.evaluate(ruleset, form.form_source(ruleset, filled), partial=kind == DRAFT)
        _check_subject(document, user, outcome)
        if outcome.errors or outcome.problems or outcome.result is None:
            values = {key: filled.get(key) for key in filled}
            chosen = {str(each) for each in filled.getlist("not_applicable")}
            return pages.form_page_of(request, ruleset, values, chosen, outcome, 422)
    result = outcome.result
    try:
        saved = database_of(request).save(
            user,
            user.unit or "",
            ruleset.ref,
            document["subject"]["year"],
            kind=kind,
            facts_json=form.document_json(document, sort_keys=True),
            result_json=render_json(result, ruleset),
            ruleset_fingerprint=result.ruleset.fingerprint,
            facts_fingerprint=result.facts_fingerprint,
        )
    except (SignedOffError, BusyError) as exc:
        with speaking(asked_language(request.headers.get("accept-language"))):
            return audit.refusal(request, exc)
    return RedirectResponse(f"/submissions/{saved.submission.id}", status_code=303)


def _check_subject(document: dict[str, Any], user: User, outcome: form.Outcome) -> None:
    """A version belongs to the account's unit and to a year: say so at the fields if not."""
    subject = document["subject"]
    if subject.get("unit") != user.unit:
        outcome.errors["subject.unit"] = _("the unit must be your account's: {unit}").format(
            unit=user.unit
        )
    if not subject.get("year"):
        outcome.errors.setdefault("subject.year", _("give the year to save the form"))


@router.get("/submissions", response_class=HTMLResponse)
def submissions(request: Request) -> Response:
    """The submissions the account may see, each with its latest version."""
    user = current_user(request)
    if user is None:
        return RedirectResponse("/login", status_code=303)
    unit = user.unit if user.role == "department" else None
    rows = [(each, _summary(latest)) for each, latest in database_of(request).submissions(unit)]
    return pages.page(request, "submissions.html", rows=rows)


@router.get("/submissions/{submission_id}", response_class=HTMLResponse)
def history(request: Request, submission_id: int) -> HTMLResponse:
    """A submission's versions, oldest first: who saved each, when, and what it scored."""
    submission = _visible(request, submission_id)
    versions = [
        (version, author, _summary(version))
        for version, author in database_of(request).history(submission.id)
    ]
    entries = audits.trail(database_of(request), submission.id)
    return pages.page(
        request,
        "submission.html",
        submission=submission,
        versions=versions,
        entries=entries,
        signoff=audits.signoff(entries),
    )


@router.get("/submissions/{submission_id}/versions/{number}", response_class=HTMLResponse)
def version_page(request: Request, submission_id: int, number: int) -> HTMLResponse:
    """The form as this version kept it, scored again, to read or to go on from."""
    version = _version(request, submission_id, number)
    with speaking(asked_language(request.headers.get("accept-language"))):
        submission = _visible(request, submission_id)
        ruleset = pages.ruleset_of(request, submission.ruleset_ref)
        values, chosen = form.form_values(json.loads(version.facts_json, parse_float=Decimal))
        filled = FormData([*values.items(), *(("not_applicable", each) for each in chosen)])
        outcome = form.evaluate(ruleset, form.form_source(ruleset, filled), partial=True)
        return pages.form_page_of(request, ruleset, values, chosen, outcome)


@router.get("/submissions/{submission_id}/versions/{number}/result.json")
def version_result(request: Request, submission_id: int, number: int) -> Response:
    """The result this version kept: the bytes ``scoring score --format json`` wrote."""
    version = _version(request, submission_id, number)
    return Response(version.result_json or "", media_type="application/json")


def _version(request: Request, submission_id: int, number: int) -> Version:
    submission = _visible(request, submission_id)
    for version, _author in database_of(request).history(submission.id):
        if version.number == number:
            return version
    raise HTTPException(404)


def _summary(version: Version) -> dict[str, Any]:
    """The total and grade a version's result reads (blank for a result not complete)."""
    result = json.loads(version.result_json) if version.result_json else {}
    total = "" if result.get("pending") else result.get("total") or ""
    return {
        "total": total,
        "grade": result.get("grade") or "",
        "kind": version.kind,
        "number": version.number,
    }
