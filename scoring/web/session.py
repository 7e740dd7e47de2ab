"""Who is logged in, and the CSRF token of their forms, read from the signed session cookie.

The cookie is Starlette's ``SessionMiddleware`` (signed with a key the database keeps,
HttpOnly, SameSite=Lax); it holds the account's id and the token every form that changes
anything must send back. Without a database there is no session: every page is stateless.
"""

from __future__ import annotations

import hmac
import secrets
from typing import Any

from fastapi import Request
from starlette.exceptions import HTTPException

from scoring.web.store.database import Database
from scoring.web.store.tables import User

CSRF_FIELD = "csrf"
USER_KEY = "user"


def saving(request: Request) -> bool:
    """Whether the app keeps anything (it has a database, and so sessions)."""
    return request.app.state.database is not None


def _has_session(request: Request) -> bool:
    # a request refused before the session middleware (a body too large) has none
    return saving(request) and "session" in request.scope


def current_user(request: Request) -> User | None:
    """The logged-in account, if any."""
    if not _has_session(request):
        return None
    user_id = request.session.get(USER_KEY)
    if not isinstance(user_id, int):
        return None
    user: User | None = request.app.state.database.user_by_id(user_id)
    return user


def logged_in(request: Request, role: str | None = None) -> User:
    """The logged-in account (401 if none), of ``role`` if one is named (403 otherwise)."""
    user = current_user(request)
    if user is None:
        raise HTTPException(401)
    if role is not None and user.role != role:
        raise HTTPException(403)
    return user


def database_of(request: Request) -> Database:
    """The app's database (only routes registered with one ask for it)."""
    kept: Database = request.app.state.database
    return kept


def csrf_token(request: Request) -> str:
    """The session's CSRF token, made the first time a form asks for it."""
    if not _has_session(request):
        return ""
    token = request.session.get(CSRF_FIELD)
    if not isinstance(token, str):
        token = secrets.token_urlsafe(32)
        request.session[CSRF_FIELD] = token
    return token


def check_csrf(request: Request, form: Any) -> None:
    """Refuse (403) a form whose CSRF token is not the session's."""
    expected = request.session.get(CSRF_FIELD) if _has_session(request) else None
    sent = form.get(CSRF_FIELD)
    if not (isinstance(expected, str) and isinstance(sent, str)):
        raise HTTPException(403)
    if not hmac.compare_digest(expected.encode(), sent.encode()):
        raise HTTPException(403)


def log_in(request: Request, user: User) -> None:
    """Start a new session for ``user`` (a fresh CSRF token with it)."""
    request.session.clear()
    request.session[USER_KEY] = user.id
    request.session[CSRF_FIELD] = secrets.token_urlsafe(32)


def log_out(request: Request) -> None:
    """End the session."""
    request.session.clear()
