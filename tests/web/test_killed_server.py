"""A killed server loses nothing it acknowledged: ``scoring serve --data`` run for real, then SIGKILL.

The server is the real command in a subprocess on 127.0.0.1 and a free port, the account made by
``scoring users add --password-stdin``, and the client a real HTTP client. Whatever a page answered
as saved is there after a SIGKILL (no shutdown, no checkpoint) and a new start on the same DIR.
"""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx2

from scoring.web.store.database import Database, database_url
from scoring.web.store.published import published
from tests.helpers import REF
from tests.web.bureau_helpers import GOOD, GOOD_REF, publish
from tests.web.conftest import PASSWORD, csrf_of, log_in
from tests.web.test_browser import free_port
from tests.web.test_pages import FILLED, PAGE

UNIT = "长沙市望城区信访局"
STARTING = 60
"""Seconds a start may take on a loaded machine before the test gives up (not a measurement)."""


def _add_account(data: Path, name: str, role: str, *unit: str) -> None:
    args = ["users", "add", name, "--role", role, *unit, "--data", str(data), "--password-stdin"]
    made = subprocess.run(
        [sys.executable, "-m", "scoring", *args],
        input=f"{PASSWORD}\n",
        capture_output=True,
        text=True,
        encoding="utf-8",
        check=False,
        timeout=120,
    )
    assert made.returncode == 0, made.stderr


@contextmanager
def serving(data: Path, log: Path) -> Iterator[tuple[httpx2.Client, subprocess.Popen[bytes]]]:
    """``scoring serve --data DATA`` started for real; a client for it and the process."""
    port = free_port()
    command = [sys.executable, "-m", "scoring", "serve", "--host", "127.0.0.1"]
    with log.open("ab") as output:
        process = subprocess.Popen(
            [*command, "--port", str(port), "--data", str(data)], stdout=output, stderr=output
        )
    base = f"http://127.0.0.1:{port}"
    try:
        with httpx2.Client(base_url=base, follow_redirects=True, timeout=60) as client:
            _wait_until_up(client, process, log)
            yield client, process
    finally:
        if process.poll() is None:
            process.terminate()
        process.wait(timeout=60)


def _wait_until_up(client: httpx2.Client, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + STARTING
    while True:
        assert process.poll() is None, log.read_text(encoding="utf-8", errors="replace")
        try:
            if client.get("/healthz").status_code == 200:
                return
        except httpx2.TransportError:
            pass
        assert time.monotonic() < deadline, "scoring serve did not start"
        time.sleep(0.1)


def _save(client: httpx2.Client, action: str, data: dict[str, Any]) -> str:
    """Save or submit the form; the submission's page it was acknowledged with."""
    token = csrf_of(client.get(PAGE).text)
    answer = client.post(f"{PAGE}/{action}", data={**data, "csrf": token})
    assert answer.status_code == 200, answer.text
    assert [each.status_code for each in answer.history] == [303]  # saved, then redirected
    return answer.url.path


def test_a_killed_server_loses_nothing_it_acknowledged(tmp_path: Path):
    data = tmp_path / "data"
    log = tmp_path / "serve.log"
    _add_account(data, "望城信访", "department", "--unit", UNIT)
    _add_account(data, "财政局", "bureau")
    draft = {key: value for key, value in FILLED.items() if key != "fact.救助人数"}
    with serving(data, log) as (client, process):
        log_in(client, "望城信访")
        pages = [_save(client, "save", draft), _save(client, "save", FILLED)]
        pages.append(_save(client, "submit", FILLED))
        (submission,) = set(pages)
        results = [client.get(f"{submission}/versions/{n}/result.json").content for n in (2, 3)]
        log_in(client, "财政局")
        assert publish(client, GOOD).status_code == 200
        process.send_signal(signal.SIGKILL)
        assert process.wait(timeout=60) == -signal.SIGKILL
    with serving(data, log) as (client, _process):
        log_in(client, "望城信访")
        history = client.get(submission).text
        assert "第 3 版" in history
        assert "已提交" in history
        kept = [client.get(f"{submission}/versions/{n}/result.json").content for n in (2, 3)]
        assert kept == results
        assert client.get(f"/rulesets/{GOOD_REF}").status_code == 200
    database = Database(database_url(data, None) or "")
    try:
        versions = [
            version for version, _author in database.history(int(submission.split("/")[-1]))
        ]
        assert [(v.number, v.kind) for v in versions] == [
            (1, "draft"),
            (2, "draft"),
            (3, "submitted"),
        ]
        assert "救助人数" not in json.loads(versions[0].facts_json)["facts"]
        for version, result in zip(versions[1:], results, strict=True):
            facts = json.loads(version.facts_json)
            assert (facts["ruleset"], facts["facts"]["救助人数"]) == (REF, "48")
            written = json.loads(result)
            assert version.facts_fingerprint == written["facts_fingerprint"]
            assert version.ruleset_fingerprint == written["ruleset"]["fingerprint"]
        ((ruleset, publisher),) = published(database)
        assert (ruleset.ref, publisher) == (GOOD_REF, "财政局")
        assert ruleset.text == GOOD.read_text(encoding="utf-8")
    finally:
        database.close()
