"""The auditor's pages: a submission re-scored with overrides, verify, and the sign-off.

An auditor opens any unit's submission; its newest submitted version is audited. Each override
(an indicator's points and the reason) is kept in the audit trail and the version is scored
again with all of them as the audit layer, the department's score beside the audited one.
An uploaded result file is checked as ``scoring verify`` checks it. The sign-off keeps the
fingerprints and both totals, and freezes the submission: no version, override or sign-off is
accepted after it (409).
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile
from starlette.exceptions import HTTPException

from scoring.errors import ScoringError
from scoring.i18n import _
from scoring.web import auditing, pages
from scoring.web.language import asked_language, speaking
from scoring.web.session import check_csrf, database_of, logged_in
from scoring.web.store import audits
from scoring.web.store.database import BusyError, SignedOffError
from scoring.web.store.tables import Submission, User

router = APIRouter(include_in_schema=False)


def _submission(request: Request, submission_id: int) -> Submission:
    submission = database_of(request).submission(submission_id)
    if submission is None:
        raise HTTPException(404)
    return submission


def refusal(request: Request, exc: SignedOffError | BusyError) -> HTMLResponse:
    """409: the submission is signed off, or the write kept colliding with others."""
    if isinstance(exc, SignedOffError):
        message = _(
            "this submission is signed off: it accepts no new version, override or sign-off"
        )
    else:
        message = _("another save of this submission came at the same moment: try again")
    return pages.error_page(request, message, 409)


@router.get("/submissions/{submission_id}/audit", response_class=HTMLResponse)
def audit_page(request: Request, submission_id: int) -> HTMLResponse:
    """The submission's newest submitted version, audited, with the forms of the audit."""
    logged_in(request, "auditor")
    with speaking(asked_language(request.headers.get("accept-language"))):
        return _page(request, _submission(request, submission_id))


@router.post("/submissions/{submission_id}/audit/override", response_class=HTMLResponse)
async def override(request: Request, submission_id: int) -> Response:
    """Set an indicator's points with a reason, on the version being audited."""
    user = logged_in(request, "auditor")
    filled = await request.form()
    check_csrf(request, filled)
    typed = {key: str(filled.get(key) or "") for key in ("path", "points", "reason")}
    return await run_in_threadpool(_override, request, submission_id, user, typed)


def _override(request: Request, submission_id: int, user: User, typed: dict[str, str]) -> Response:
    with speaking(asked_language(request.headers.get("accept-language"))):
        submission = _submission(request, submission_id)
        state = _state(request, submission)
        audited = state.get("audited")
        if audited is None:
            return _page(request, submission, status=409, state=state)
        ruleset = state["ruleset"]
        checked, errors = auditing.check_override(
            ruleset, audited.facts, typed["path"], typed["points"], typed["reason"], user.name
        )
        if checked is None:
            return _page(request, submission, 422, state=state, typed=typed, errors=errors)
        points = format(checked.points, "f")
        refused = _recorded(
            request, user, submission, audited.version.number, audits.OVERRIDE,
            path=typed["path"], points=points, reason=checked.reason,
        )  # fmt: skip
    return refused or RedirectResponse(f"/submissions/{submission.id}/audit", status_code=303)


@router.post("/submissions/{submission_id}/audit/signoff", response_class=HTMLResponse)
async def sign_off(request: Request, submission_id: int) -> Response:
    """Sign the audited version off: the trail keeps who, when, the fingerprints and totals."""
    user = logged_in(request, "auditor")
    filled = await request.form()
    check_csrf(request, filled)
    seen = str(filled.get("version") or "")
    return await run_in_threadpool(_sign_off, request, submission_id, user, seen)


def _sign_off(request: Request, submission_id: int, user: User, seen: str) -> Response:
    with speaking(asked_language(request.headers.get("accept-language"))):
        submission = _submission(request, submission_id)
        state = _state(request, submission)
        audited = state.get("audited")
        if audited is None:
            return _page(request, submission, status=409, state=state)
        if seen != str(audited.version.number):
            return _stale(request)
        detail = auditing.signoff_detail(audited)
        number = audited.version.number
        refused = _recorded(request, user, submission, number, audits.SIGNOFF, detail=detail)
    return refused or RedirectResponse(f"/submissions/{submission.id}", status_code=303)


@router.post("/submissions/{submission_id}/audit/verify", response_class=HTMLResponse)
async def verify(request: Request, submission_id: int) -> Response:
    """Check an uploaded result file as ``scoring verify`` does, and keep the verdict."""
    user = logged_in(request, "auditor")
    async with request.form() as filled:
        check_csrf(request, filled)
        upload = filled.get("result")
        if isinstance(upload, UploadFile) and upload.filename:
            name, data = upload.filename, await upload.read()
        else:
            name, data = "", b""
    return await run_in_threadpool(_verify, request, submission_id, user, name, data)


def _verify(request: Request, submission_id: int, user: User, name: str, data: bytes) -> Response:
    with speaking(asked_language(request.headers.get("accept-language"))):
        submission = _submission(request, submission_id)
        state = _state(request, submission)
        if not name:
            errors = {"result": _("choose the result file (JSON) to verify")}
            return _page(request, submission, 422, state=state, errors=errors)
        check, detail = auditing.verify_upload(data, name, request.app.state.search_path)
        audited = state.get("audited")
        number = audited.version.number if audited is not None else 0
        refused = _recorded(request, user, submission, number, audits.VERIFY, detail=detail)
        return refused or _page(request, submission, state=state, verification=check)


def _recorded(
    request: Request, user: User, submission: Submission, number: int, kind: str, **fields: Any
) -> HTMLResponse | None:
    """Keep an audit action in the trail; the 409 page if the record is frozen or stays busy."""
    try:
        audits.record(database_of(request), user, submission.id, number, kind, **fields)
    except audits.StaleError:
        return _stale(request)
    except (SignedOffError, BusyError) as exc:
        return refusal(request, exc)
    return None


def _stale(request: Request) -> HTMLResponse:
    message = _("a newer version was submitted meanwhile: read it before signing off")
    return pages.error_page(request, message, 409)


def _state(request: Request, submission: Submission) -> dict[str, Any]:
    """The submission's trail, and its newest submitted version audited (if it has one)."""
    database = database_of(request)
    versions = [version for version, _author in database.history(submission.id)]
    entries = audits.trail(database, submission.id)
    state: dict[str, Any] = {"entries": entries, "signoff": audits.signoff(entries)}
    version = auditing.latest_submitted(versions)
    if version is None:
        state["problem"] = _("the department has not submitted this form yet: nothing to audit")
        return state
    ruleset = pages.ruleset_of(request, submission.ruleset_ref)
    state["ruleset"] = ruleset
    try:
        state["audited"] = auditing.audited(
            ruleset, version, audits.overrides_on(entries, version.number)
        )
    except ScoringError as exc:
        state["problem"] = str(exc)
    return state


def _page(
    request: Request,
    submission: Submission,
    status: int = 200,
    *,
    state: dict[str, Any] | None = None,
    typed: dict[str, str] | None = None,
    errors: dict[str, str] | None = None,
    verification: Any = None,
) -> HTMLResponse:
    state = state if state is not None else _state(request, submission)
    return pages.page(
        request,
        "audit.html",
        status,
        submission=submission,
        typed=typed or {},
        errors=errors or {},
        verification=verification,
        **state,
    )
