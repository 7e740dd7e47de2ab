"""What the bureau's tests share: a bureau account, the rulesets it uploads, publishing one."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx2
from fastapi.testclient import TestClient

from tests.web.conftest import csrf_of, log_in, password_hash
from tests.web.test_pages import FILLED

DATA = Path(__file__).resolve().parent / "data"
GOOD = DATA / "changsha-relief-2026.yaml"
"""Extends the 望城区 2022 ruleset under a new id@version, with one worked example."""
BAD = DATA / "changsha-relief-2026-bad.yaml"
"""The same with a misspelt method (``ratoi``) at line 18, column 21."""
GOOD_REF = "changsha.relief@2026.1"
FILLED_2026: dict[str, Any] = {**FILLED, "subject.year": "2026"}
"""The 望城区 example typed into the published ruleset's form, for 2026."""


def add_bureau(client: TestClient) -> None:
    """A bureau account, 财政局."""
    database = client.app.state.database  # type: ignore[attr-defined]
    database.add_user("财政局", "bureau", None, password_hash())


def upload(client: TestClient, path: Path, year: str = "2026", name: str | None = None) -> Any:
    """Upload a ruleset file through the bureau's page, as its form does; the answer."""
    token = csrf_of(client.get("/bureau/rulesets").text)
    files = {"file": (name or path.name, path.read_bytes(), "application/yaml")}
    return client.post("/bureau/rulesets/check", data={"year": year, "csrf": token}, files=files)


def publish(client: httpx2.Client, path: Path, year: str = "2026") -> Any:
    """Publish a ruleset file's text for ``year``, as the check page's form does; the answer."""
    token = csrf_of(client.get("/bureau/rulesets").text)
    text = path.read_text(encoding="utf-8")
    form = {"text": text, "filename": path.name, "year": year, "csrf": token}
    return client.post("/bureau/rulesets/publish", data=form)


def published_by_the_bureau(client: TestClient) -> None:
    """The bureau logs in and publishes GOOD for 2026."""
    add_bureau(client)
    log_in(client, "财政局")
    assert publish(client, GOOD).status_code == 200


def submit_2026(client: TestClient, name: str, data: dict[str, Any] | None = None) -> None:
    """Department ``name`` logs in and submits the example for 2026 under the published ruleset."""
    log_in(client, name)
    page = f"/rulesets/{GOOD_REF}"
    token = csrf_of(client.get(page).text)
    answer = client.post(f"{page}/submit", data={**(data or FILLED_2026), "csrf": token})
    assert answer.status_code == 200, answer.text
