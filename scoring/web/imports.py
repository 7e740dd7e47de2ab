"""A filled facts workbook imported into the department's form.

The workbook ``scoring template --format xlsx`` wrote, filled in, is read by the reader of
every command (:mod:`scoring.load.workbook`): its values fill the form's fields, and each
problem is said at its field and, with its cell (``unit.xlsx!facts!C14``), above the form.
A workbook of another ruleset is refused at its 规则集 cell.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile

from scoring.errors import FactsError, Issue
from scoring.i18n import _
from scoring.load.workbook import facts_input, read_filled
from scoring.model.located import LocatedDict
from scoring.model.ruleset import Ruleset
from scoring.web import form, pages
from scoring.web.language import asked_language, speaking

router = APIRouter(include_in_schema=False)
WORKBOOK_FIELD = "workbook"


@router.post("/rulesets/{ref}/import", response_class=HTMLResponse)
async def import_workbook(request: Request, ref: str) -> HTMLResponse:
    """The form filled from an uploaded facts workbook, scored as far as it is filled."""
    async with request.form() as filled:
        upload = filled.get(WORKBOOK_FIELD)
        if isinstance(upload, UploadFile) and upload.filename:
            name, data = upload.filename, await upload.read()
        else:
            name, data = "", b""
    # reading a workbook and scoring it is work for the thread pool, not the event loop
    return await run_in_threadpool(_import_page, request, ref, name, data)


def _import_page(request: Request, ref: str, name: str, data: bytes) -> HTMLResponse:
    with speaking(asked_language(request.headers.get("accept-language"))):
        ruleset = pages.ruleset_of(request, ref)
        values, chosen, outcome = imported(ruleset, name, data)
        status = 200 if outcome.result is not None and not outcome.problems else 422
        return pages.form_page_of(request, ruleset, values, chosen, outcome, status)


def imported(
    ruleset: Ruleset, name: str, data: bytes
) -> tuple[dict[str, Any], set[str], form.Outcome]:
    """The form's values from a workbook, and the workbook scored (待填 for its blanks)."""
    if not name:
        message = _("choose the filled facts workbook (xlsx) to import")
        return {}, set(), form.Outcome(problems=[message])
    try:
        read = read_filled(data, name)
    except FactsError as exc:
        return {}, set(), form.Outcome(problems=[str(issue) for issue in exc.issues])
    values, chosen = form.form_values(_plain(read.data))
    named = read.data.get("ruleset")
    if isinstance(named, str) and named not in (ruleset.id, ruleset.ref):
        message = _("this workbook is the template of {named}, not of {ref}: open its form").format(
            named=named, ref=ruleset.ref
        )
        where = read.data.value_locations.get("ruleset") or read.data.location
        return values, chosen, form.Outcome(problems=[str(Issue(message, where))])
    outcome = form.evaluate(ruleset, facts_input(read, name), partial=True)
    outcome.problems = [str(issue) for issue in outcome.issues]
    return values, chosen, outcome


def _plain(value: Any) -> Any:
    """Located data as plain dicts and lists, for the form's fields."""
    if isinstance(value, LocatedDict | dict):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_plain(item) for item in value]
    return value
