"""End to end in headless Chromium: an auditor overrides, compares, signs off; a restart keeps it.

A department submits the 望城区 2022 example; an auditor logs in, opens it, overrides one
indicator with a reason, sees the department's total beside the audited one, and signs off.
The department's next save is refused (409). The server is stopped and started again on the
same --data: the override, both totals and the sign-off are still there.
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
LEAF = "output.quantity.aided"
REASON = "救助对象中2人不符合条件"


def _started(data: Path) -> Database:
    return Database(database_url(data, None) or "")


def test_an_auditor_overrides_signs_off_and_a_restart_keeps_it(tmp_path: Path):
    from playwright.sync_api import sync_playwright

    data = tmp_path / "data"
    database = _started(data)
    database.add_user("望城信访", "department", "长沙市望城区信访局", password_hash())
    database.add_user("审计", "auditor", None, password_hash())
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True)
        try:
            with serving(create_app(database=database)) as base:
                department = browser.new_page(locale="zh-CN")
                log_in(department, base, "望城信访")
                department.goto(f"{base}{PAGE}")
                fill_the_example(department)
                with department.expect_navigation():
                    department.click("#submit")
                submission = department.url.removeprefix(base)

                auditor = browser.new_page(locale="zh-CN")
                log_in(auditor, base, "审计")
                auditor.click(f'a[href="{submission}"]')
                with auditor.expect_navigation():
                    auditor.click("#audit-link")
                before = auditor.text_content("#self-total")
                assert before == auditor.text_content("#audited-total")
                auditor.select_option("#path", LEAF)
                auditor.fill("#points", "18")
                auditor.fill("#reason", REASON)
                with auditor.expect_navigation():
                    auditor.click("#override")
                assert auditor.text_content("#self-total") == before
                audited = auditor.text_content("#audited-total")
                assert audited != before
                row = auditor.locator(f'tr[data-path="{LEAF}"]')
                assert row.locator("td.audited").text_content() == "18.00"
                assert REASON in (row.text_content() or "")
                with auditor.expect_navigation():
                    auditor.click("#signoff")
                assert "已签署：审计" in auditor.content()

                department.goto(f"{base}{PAGE}")
                fill_the_example(department)
                with department.expect_navigation() as refused:
                    department.click("#save")
                assert refused.value is not None
                assert refused.value.status == 409
                assert "不再接受新版本" in department.content()
            database.close()
            database = _started(data)
            with serving(create_app(database=database)) as again:
                auditor = browser.new_page(locale="zh-CN")
                log_in(auditor, again, "审计")
                auditor.goto(f"{again}{submission}")
                history = auditor.content()
                assert "已签署：审计" in history
                assert REASON in history
                auditor.goto(f"{again}{submission}/audit")
                assert auditor.text_content("#self-total") == before
                assert auditor.text_content("#audited-total") == audited
                assert auditor.locator("#override").count() == 0
        finally:
            browser.close()
            database.close()
