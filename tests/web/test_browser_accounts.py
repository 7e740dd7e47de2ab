"""End to end in headless Chromium, with a database: log in, save, submit, 403, restart.

A department logs in, fills the 望城区 2022 example by hand, saves a draft and submits; its
history shows both versions. Another department is refused that submission (403). The server
is stopped and started again on the same --data, and everything is still there.
"""

from __future__ import annotations

from pathlib import Path

from scoring.web.app import create_app
from scoring.web.store.database import Database, database_url
from tests.web import test_browser
from tests.web.conftest import password_hash
from tests.web.test_browser import CHROMIUM, fill_the_example, log_in, serving

pytestmark = test_browser.pytestmark  # skipped without Chromium, as test_browser.py is
PAGE = "/rulesets/xinfang.wangcheng-relief@2022.1"


def _started(data: Path) -> Database:
    return Database(database_url(data, None) or "")


def test_a_department_saves_and_submits_another_is_refused_and_a_restart_keeps_it(
    tmp_path: Path,
):
    from playwright.sync_api import sync_playwright

    data = tmp_path / "data"
    database = _started(data)
    database.add_user("望城信访", "department", "长沙市望城区信访局", password_hash())
    database.add_user("衡南信访", "department", "衡南县信访局", password_hash())
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True)
        try:
            with serving(create_app(database=database)) as base:
                page = browser.new_page(locale="zh-CN")
                log_in(page, base, "望城信访")
                page.goto(f"{base}{PAGE}")
                fill_the_example(page)
                with page.expect_navigation():
                    page.click("#save")
                submission = page.url
                assert "第 1 版" in page.content()
                page.goto(f"{base}{PAGE}")
                fill_the_example(page)
                with page.expect_navigation():
                    page.click("#submit")
                assert page.url == submission
                assert "已提交" in page.content()
                other = browser.new_page(locale="zh-CN")
                log_in(other, base, "衡南信访")
                refused = other.goto(submission)
                assert refused is not None
                assert refused.status == 403
                assert "您的账户无权查看此页面" in other.content()
            database.close()
            database = _started(data)
            with serving(create_app(database=database)) as again:
                page = browser.new_page(locale="zh-CN")
                log_in(page, again, "望城信访")
                page.goto(submission.replace(base, again))
                text = page.content()
                assert "第 2 版" in text
                assert "100.00" in text
        finally:
            browser.close()
            database.close()
