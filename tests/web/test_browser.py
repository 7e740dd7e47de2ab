"""End to end in headless Chromium: a department fills the 望城区 2022 form and sees 100.00 优.

The server runs in a thread (uvicorn), on 127.0.0.1 only, on a free port; the browser is the
system's Chromium, driven by Playwright (never ``playwright install``). Skipped without Chromium.
"""

from __future__ import annotations

import shutil
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
import uvicorn
import yaml  # noqa: TID251 (the example read to be typed in, as a person would)
from fastapi import FastAPI

from scoring.web.app import create_app
from tests.helpers import FACTS, REF, invoke

if TYPE_CHECKING:
    from playwright.sync_api import Page

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = pytest.mark.skipif(
    CHROMIUM is None,
    reason="no chromium binary found (apt-get install -y chromium fonts-noto-cjk to run it)",
)


def typed(value: object) -> str:
    """A value as a person enters it in the form: 是/否 for yes/no, numbers as written."""
    if isinstance(value, bool):
        return "是" if value else "否"
    return str(value)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@contextmanager
def serving(app: FastAPI) -> Iterator[str]:
    """``app`` served by uvicorn in a thread until the block ends; its address."""
    port = free_port()
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning")
    running = uvicorn.Server(config)
    thread = threading.Thread(target=running.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not running.started:
        assert time.monotonic() < deadline, "the server did not start"
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        running.should_exit = True
        thread.join(timeout=10)


def log_in(page: Page, base: str, name: str) -> None:
    """Log ``page`` in as ``name`` (every account of the tests has the one PASSWORD)."""
    from tests.web.conftest import PASSWORD

    page.goto(f"{base}/login")
    page.fill("#name", name)
    page.fill("#password", PASSWORD)
    with page.expect_navigation():
        page.click("#login")


def fill_the_example(page: Page) -> None:
    """Type the 望城区 2022 example into the form, as a person would."""
    example = yaml.safe_load(FACTS.read_text(encoding="utf-8"))
    entries = [
        *((f"subject.{key}", value) for key, value in example["subject"].items()),
        *((f"fact.{name}", value) for name, value in example["facts"].items()),
    ]
    for name, value in entries:
        if page.locator(f'select[name="{name}"]').count():
            page.select_option(f'select[name="{name}"]', typed(value))
        else:
            page.fill(f'input[name="{name}"]', typed(value))
    for path in example["not_applicable"]:
        page.locator(f'input[name="not_applicable"][value="{path}"]').check()


@pytest.fixture
def server() -> Iterator[str]:
    with serving(create_app()) as address:
        yield address


def test_a_department_fills_the_wangcheng_form_and_sees_its_total_and_grade(
    server: str, tmp_path: Path
):
    """Typed in by hand, scored as typed; the downloaded 自评表.xlsx is the CLI's, byte for byte."""
    from playwright.sync_api import expect, sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True)
        try:
            page = browser.new_page(locale="zh-CN")  # a department in China
            page.goto(f"{server}/")
            page.get_by_text("2022年度望城区信访局信访救助资金绩效自评表").click()
            page.wait_for_url("**/rulesets/*2022.1")
            assert REF in page.content()
            fill_the_example(page)
            # the page's script has scored the form as it was filled, before any submit
            expect(page.locator("#total")).to_have_text("100.00")
            with page.expect_navigation():
                page.click("#score")
            assert page.inner_text("#total") == "100.00"
            assert page.inner_text("#grade") == "优"
            sheet = page.frame_locator("iframe.sheet")
            assert "望城区" in sheet.locator("h1").inner_text()
            with page.expect_download() as downloading:
                page.click("button[formaction$='/download/xlsx']")
            downloaded = Path(downloading.value.path()).read_bytes()
        finally:
            browser.close()
    written = tmp_path / "自评表.xlsx"
    invoke(["--lang", "zh", "score", FACTS, "-o", written])
    assert downloaded == written.read_bytes()
