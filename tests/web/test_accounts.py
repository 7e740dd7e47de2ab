"""Accounts: argon2 hashes, login and logout, the session cookie, CSRF on every form."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from scoring.web.accounts import hash_password, password_matches
from scoring.web.store.database import Database, database_url
from scoring.web.store.tables import User
from tests.helpers import invoke
from tests.web.conftest import BOTH_DATABASES, PASSWORD, csrf_of, log_in


def test_a_password_is_kept_as_an_argon2_hash(saving: TestClient):
    user = saving.app.state.database.user("望城信访")  # type: ignore[attr-defined]
    assert user.password_hash.startswith("$argon2id$")
    assert PASSWORD not in user.password_hash
    assert password_matches(user, PASSWORD)
    assert not password_matches(user, "wrong")
    assert not password_matches(None, PASSWORD)
    assert hash_password(PASSWORD) != hash_password(PASSWORD)  # salted


@BOTH_DATABASES
def test_log_in_and_out(saving: TestClient):
    assert "登录" in saving.get("/").text
    log_in(saving, "望城信访")
    page = saving.get("/submissions")
    assert "长沙市望城区信访局的自评表" in page.text
    assert "还没有保存的自评表" in page.text
    token = csrf_of(page.text)
    assert saving.post("/logout", data={"csrf": token}).status_code == 200
    assert "/login" in str(saving.get("/submissions").url)


def test_the_session_cookie_is_signed_httponly_and_samesite_lax(saving: TestClient):
    token = csrf_of(saving.get("/login").text)
    answer = saving.post(
        "/login",
        data={"name": "望城信访", "password": PASSWORD, "csrf": token},
        follow_redirects=False,
    )
    assert answer.status_code == 303
    cookie = answer.headers["set-cookie"].lower()
    assert "httponly" in cookie
    assert "samesite=lax" in cookie
    forged = saving.cookies.get("scoring_session")
    assert forged
    saving.cookies.clear()
    saving.cookies.set("scoring_session", "x" + forged)
    assert "/login" in str(saving.get("/submissions").url)


@BOTH_DATABASES
def test_a_wrong_password_is_refused_in_chinese(saving: TestClient):
    token = csrf_of(saving.get("/login").text)
    for name, password in (("望城信访", "wrong"), ("nobody", PASSWORD)):
        page = saving.post("/login", data={"name": name, "password": password, "csrf": token})
        assert page.status_code == 401
        assert "用户名或密码错误" in page.text
    assert "/login" in str(saving.get("/submissions").url)


def test_every_form_that_changes_anything_needs_the_csrf_token(saving: TestClient):
    saving.get("/login")
    refused = saving.post("/login", data={"name": "望城信访", "password": PASSWORD})
    assert refused.status_code == 403
    assert "无权" in refused.text
    forged = {"name": "望城信访", "password": PASSWORD, "csrf": "forged"}
    assert saving.post("/login", data=forged).status_code == 403
    log_in(saving, "望城信访")
    assert saving.post("/logout", data={}).status_code == 403
    ref = "xinfang.wangcheng-relief@2022.1"
    assert saving.post(f"/rulesets/{ref}/save", data={}).status_code == 403


def test_users_add_reads_the_password_from_stdin(tmp_path: Path):
    data = tmp_path / "data"
    args: list[str | Path] = [
        "users",
        "add",
        "财政局",
        "--role",
        "bureau",
        "--data",
        data,
        "--password-stdin",
    ]
    done = invoke(["--lang", "zh", *args], input="s3cret\n")
    assert "财政局" in done.stdout
    database = Database(database_url(data, None) or "")
    try:
        user = database.user("财政局")
        assert user is not None
        assert (user.role, user.unit) == ("bureau", None)
        assert password_matches(user, "s3cret")
    finally:
        database.close()
    again = invoke(["--lang", "zh", *args], exit_code=2, input="s3cret\n")
    assert "已有名为 财政局 的账户" in again.stderr


def test_users_add_asks_for_the_password_twice(tmp_path: Path):
    db = f"sqlite:///{tmp_path / 'other.sqlite3'}"
    args = ["users", "add", "望城信访", "--role", "department", "--unit", "望城区信访局"]
    invoke(["--lang", "zh", *args, "--db", db], input="pw\npw\n")
    database = Database(db)
    try:
        user = database.user("望城信访")
        assert user is not None
        assert user.unit == "望城区信访局"
    finally:
        database.close()


def test_users_add_refuses_what_cannot_be_an_account(tmp_path: Path):
    data: list[str | Path] = ["--data", tmp_path, "--password-stdin"]
    no_unit = invoke(["--lang", "zh", "users", "add", "x", *data], exit_code=2, input="pw\n")
    assert "--unit" in no_unit.stderr
    role: list[str | Path] = ["users", "add", "x", "--role", "king", *data]
    assert "bureau" in invoke(["--lang", "zh", *role], exit_code=2, input="pw\n").stderr
    nowhere = ["users", "add", "x", "--role", "auditor", "--password-stdin"]
    assert "--data" in invoke(["--lang", "zh", *nowhere], exit_code=2, input="pw\n").stderr


def test_two_logins_check_their_passwords_at_the_same_time(
    saving: TestClient, monkeypatch: pytest.MonkeyPatch
):
    """argon2 runs off the event loop: each login waits for the other inside the check.

    Both logins must be inside the password check at once to pass the barrier. Were the check
    run on the event loop, the first would hold the loop while it waits and the second could
    never arrive: the barrier would break after its timeout and both logins fail.
    """
    import asyncio
    import threading

    import httpx2 as httpx

    from scoring.web import accounts

    barrier = threading.Barrier(2, timeout=30)
    checked = accounts.password_matches

    def waiting(user: User | None, password: str) -> bool:
        barrier.wait()
        return checked(user, password)

    monkeypatch.setattr(accounts, "password_matches", waiting)

    async def log_in_twice() -> list[int]:
        transport = httpx.ASGITransport(app=saving.app)
        clients = [
            httpx.AsyncClient(transport=transport, base_url="http://127.0.0.1") for _ in range(2)
        ]
        forms = []
        for client, name in zip(clients, ("望城信访", "衡南信访"), strict=True):
            token = csrf_of((await client.get("/login")).text)
            forms.append({"name": name, "password": PASSWORD, "csrf": token})
        answers = await asyncio.gather(
            *(client.post("/login", data=form) for client, form in zip(clients, forms, strict=True))
        )
        for client in clients:
            await client.aclose()
        return [answer.status_code for answer in answers]

    assert asyncio.run(log_in_twice()) == [303, 303]
    assert barrier.n_waiting == 0
    assert not barrier.broken
