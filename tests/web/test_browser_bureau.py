"""End to end in headless Chromium: the bureau publishes a ruleset, a department submits under it.

The bureau uploads a ruleset with a misspelt method and sees the error at its line, uploads a
good one and sees its worked example pass, and publishes it for 2026. A department finds it in
its list, fills it and submits; the bureau sees the submission in the year's table and downloads
the CSV export, which is the summary ``scoring batch`` writes for the same facts.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml  # noqa: TID251 (the example read to be typed in, as a person would)

from scoring.web.app import create_app
from scoring.web.store.database import Database, database_url
from tests.helpers import FACTS, invoke
from tests.web import test_browser
from tests.web.bureau_helpers import BAD, GOOD, GOOD_REF
from tests.web.conftest import password_hash
from tests.web.test_browser import CHROMIUM, fill_the_example, log_in, serving

pytestmark = test_browser.pytestmark  # skipped without Chromium, as test_browser.py is
TITLE = "2026年度长沙市信访救助资金绩效自评表"


def test_the_bureau_publishes_a_ruleset_and_reads_the_submission_made_under_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    from playwright.sync_api import Page, expect, sync_playwright

    def upload(page: Page, path: Path) -> None:
        page.click("#bureau-rulesets")
        page.set_input_files("#file", path)
        page.fill("#year", "2026")
        with page.expect_navigation():
            page.click("#check")

    data = tmp_path / "data"
    database = Database(database_url(data, None) or "")
    database.add_user("财政局", "bureau", None, password_hash())
    database.add_user("望城信访", "department", "长沙市望城区信访局", password_hash())
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True)
        try:
            with serving(create_app(database=database)) as base:
                bureau = browser.new_page(locale="zh-CN")
                log_in(bureau, base, "财政局")
                upload(bureau, BAD)
                expect(bureau.locator("#verdict")).to_contain_text("有错误的规则集不能发布")
                bureau.click("table.findings >> text=第 18 行第 21 列")
                assert bureau.url.endswith("#L18")
                expect(bureau.locator("#L18")).to_have_class("error")
                expect(bureau.locator("#L18")).to_contain_text("method: ratoi")
                assert bureau.locator("#publish").count() == 0
                upload(bureau, GOOD)
                expect(bureau.locator("#verdict")).to_contain_text("1 个示例全部通过")
                expect(bureau.locator("table.examples tr.passed")).to_contain_text("通过")
                with bureau.expect_navigation():
                    bureau.click("#publish-button")
                expect(bureau.locator("#year")).to_have_text("2026")
                expect(bureau.locator("#ref")).to_have_text(GOOD_REF)

                department = browser.new_page(locale="zh-CN")
                log_in(department, base, "望城信访")
                department.goto(f"{base}/")
                department.get_by_text(TITLE).click()
                department.wait_for_url("**/rulesets/*2026.1")
                fill_the_example(department)
                department.fill('input[name="subject.year"]', "2026")
                expect(department.locator("#total")).to_have_text("100.00")
                with department.expect_navigation():
                    department.click("#submit")
                expect(department.locator("table.versions")).to_contain_text("已提交")

                bureau.click("#bureau-submissions")
                table = bureau.locator("table.summary")
                expect(table).to_contain_text("长沙市望城区信访局")
                expect(table).to_contain_text("100.00")
                with bureau.expect_download() as downloading:
                    bureau.click("#export-csv")
                exported = Path(downloading.value.path()).read_bytes()
        finally:
            browser.close()
            database.close()
    example = yaml.safe_load(FACTS.read_text(encoding="utf-8"))
    facts = {**example, "ruleset": GOOD_REF, "subject": {**example["subject"], "year": 2026}}
    folder = tmp_path / "facts"
    folder.mkdir()
    named = folder / "长沙市望城区信访局-信访救助资金-2026.json"
    named.write_text(json.dumps(facts, ensure_ascii=False), encoding="utf-8")
    summary = tmp_path / "summary.csv"
    rulesets = data / "published-rulesets"
    monkeypatch.chdir(folder)  # the summary's 来源 is the file's name as given
    invoke(["batch", GOOD_REF, named.name, "--rulesets", rulesets, "-o", summary])
    assert exported == summary.read_bytes()
