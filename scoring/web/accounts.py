"""Accounts: argon2 password hashes, and the login and logout pages.

An account is made on the command line (``scoring users add``); a page never makes one.
"""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from scoring.i18n import _
from scoring.web import pages
from scoring.web.language import asked_language, speaking
from scoring.web.session import check_csrf, log_in, log_out
from scoring.web.store.database import Database
from scoring.web.store.tables import User

_HASHER = PasswordHasher()
_UNKNOWN = _HASHER.hash("no such account")
"""Checked against for an unknown name, so that it takes as long as a wrong password."""
router = APIRouter(include_in_schema=False)


def hash_password(password: str) -> str:
    """The argon2id hash of ``password``, as kept in the users table."""
    return _HASHER.hash(password)


def password_matches(user: User | None, password: str) -> bool:
    """Whether ``password`` is the account's (False for no account, after the same work)."""
    try:
        return _HASHER.verify(user.password_hash if user else _UNKNOWN, password) and bool(user)
    except (VerificationError, InvalidHashError):
        return False


def _verified(database: Database, name: str, password: str) -> User | None:
    """The account ``name``, if ``password`` is its password (blocking: database and argon2)."""
    user = database.user(name)
    return user if password_matches(user, password) else None


@router.get("/login", response_class=HTMLResponse)
def login_page(request: Request) -> HTMLResponse:
    """The login form."""
    with speaking(asked_language(request.headers.get("accept-language"))):
        return pages.page(request, "login.html", account="", message="")


@router.post("/login")
async def login(request: Request) -> Response:
    """Log in with a name and password, then go to the submissions."""
    filled = await request.form()
    check_csrf(request, filled)
    name = str(filled.get("name") or "").strip()
    password = str(filled.get("password") or "")
    # argon2 takes tens of milliseconds on purpose: in the thread pool, not the event loop
    user = await run_in_threadpool(_verified, request.app.state.database, name, password)
    if user is None:
        with speaking(asked_language(request.headers.get("accept-language"))):
            message = _("the name or the password is wrong")
            return pages.page(request, "login.html", 401, account=name, message=message)
    log_in(request, user)
    return RedirectResponse("/submissions", status_code=303)


@router.post("/logout")
async def logout(request: Request) -> Response:
    """Log out, back to the rulesets."""
    check_csrf(request, await request.form())
    log_out(request)
    return RedirectResponse("/", status_code=303)
