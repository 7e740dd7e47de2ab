"""Take the README's screenshots of ``scoring serve`` in headless Chromium (the system's).

    python tools/screenshots.py          # writes docs/img/*.png

A server on 127.0.0.1 with a fresh database: the bureau publishes a ruleset, three departments
fill its form and submit, and the pages are photographed: the department's form, its breakdown
(the 自评表 and the gap), a ruleset's error located on the bureau's check page, and the bureau's
page of the year's submissions. Needs ``chromium`` and ``fonts-noto-cjk`` (apt-get), never a
browser that Playwright downloads.
"""

from __future__ import annotations

import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # the tests' helpers: the example as a person types it

from playwright.sync_api import Browser, Page, sync_playwright  # noqa: E402

from scoring.web.app import create_app  # noqa: E402
from scoring.web.store.database import Database, database_url  # noqa: E402
from tests.web.bureau_helpers import BAD, GOOD  # noqa: E402
from tests.web.conftest import password_hash  # noqa: E402
from tests.web.test_browser import fill_the_example, log_in, serving  # noqa: E402

IMAGES = ROOT / "docs" / "img"
UNITS = {
    "望城信访": ("长沙市望城区信访局", {}),
    "衡南信访": ("衡南县信访局", {"全年执行数": "76.8", "再次上访人数": "1"}),
    "衡山信访": ("衡山县信访局", {"救助人数": "20"}),
}
"""Each department's account, unit, and the facts it gives other than the 望城区 example's."""


def logged_in_page(browser: Browser, base: str, name: str) -> Page:
    """A new page, logged in as ``name``."""
    page = browser.new_page(locale="zh-CN", viewport={"width": 1280, "height": 900})
    log_in(page, base, name)
    return page


def upload(page: Page, path: Path) -> None:
    """Upload a ruleset on the bureau's page, for 2026."""
    page.click("#bureau-rulesets")
    page.set_input_files("#file", path)
    page.fill("#year", "2026")
    with page.expect_navigation():
        page.click("#check")


def main() -> None:
    """Serve, publish, submit, and photograph."""
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        sys.exit("no chromium: apt-get install -y chromium fonts-noto-cjk")
    IMAGES.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as data:
        database = Database(database_url(Path(data), None) or "")
        database.add_user("财政局", "bureau", None, password_hash())
        for name, (unit, _facts) in UNITS.items():
            database.add_user(name, "department", unit, password_hash())
        with sync_playwright() as playwright, serving(create_app(database=database)) as base:
            browser = playwright.chromium.launch(executable_path=chromium, headless=True)
            bureau = logged_in_page(browser, base, "财政局")
            upload(bureau, BAD)
            bureau.screenshot(path=IMAGES / "bureau-check.png")
            upload(bureau, GOOD)
            with bureau.expect_navigation():
                bureau.click("#publish-button")
            for name, (unit, facts) in UNITS.items():
                page = logged_in_page(browser, base, name)
                page.goto(f"{base}/rulesets/changsha.relief@2026.1")
                fill_the_example(page)
                page.fill('input[name="subject.unit"]', unit)
                page.fill('input[name="subject.year"]', "2026")
                for fact, value in facts.items():
                    page.fill(f'input[name="fact.{fact}"]', value)
                with page.expect_navigation():
                    page.click("#score")
                with page.expect_navigation():
                    page.click("#submit")
                if name == "衡南信访":  # the submitted version, opened again in the form
                    page.goto(f"{page.url}/versions/1")
                    page.screenshot(path=IMAGES / "form.png")
                    page.locator("#result").screenshot(path=IMAGES / "breakdown.png")
            bureau.click("#bureau-submissions")
            bureau.screenshot(path=IMAGES / "bureau-submissions.png", full_page=True)
            browser.close()
        database.close()
    for image in sorted(IMAGES.glob("*.png")):
        print(image.relative_to(ROOT))


if __name__ == "__main__":
    main()
