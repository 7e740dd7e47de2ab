"""The department's form: made from the ruleset, scored by the engine, rendered by the renderers."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.helpers import FACTS, REF, invoke

PAGE = f"/rulesets/{REF}"
FILLED: dict[str, Any] = {
    "subject.unit": "长沙市望城区信访局",
    "subject.project": "信访救助资金",
    "subject.year": "2022",
    "fact.全年预算数": "128",
    "fact.全年执行数": "128",
    "fact.救助人数": "48",
    "fact.党组研究每批资金": "是",
    "fact.年内完成拨付": "是",
    "fact.再次上访人数": "0",
    "fact.纳入常年预算": "是",
    "not_applicable": ["satisfaction"],
}
"""examples/xinfang-wangcheng-2022.yaml, as a department types it into the form."""


def test_the_index_lists_the_rulesets_and_says_nothing_is_kept(client: TestClient):
    page = client.get("/")
    assert page.status_code == 200
    assert "2022年度望城区信访局信访救助资金绩效自评表" in page.text
    assert "xinfang.wangcheng-relief%402022.1" in page.text
    assert "不保存任何数据" in page.text
    assert "<th>施行期间</th>" in page.text
    assert "<td>2022-01-01 – 2022-12-31</td>" in page.text  # xinfang.wangcheng-relief-by-year
    assert "<td>自 2023-01-01 起</td>" in page.text


def test_the_form_asks_for_each_declared_fact(client: TestClient):
    page = client.get(PAGE)
    assert page.status_code == 200
    text = page.text
    assert "救助生活困难信访群众人数（人）" in text
    assert 'name="fact.党组研究每批资金"' in text
    assert '<option value="是">是</option>' in text
    assert 'name="not_applicable" value="satisfaction"' in text
    for label in ("单位", "项目", "年度"):
        assert f">{label}</label>" in text


def test_the_filled_form_shows_the_total_grade_sheet_and_gap(client: TestClient):
    page = client.post(PAGE, data=FILLED)
    assert page.status_code == 200
    assert '<strong id="total">100.00</strong>' in page.text
    assert '<strong id="grade">优</strong>' in page.text
    assert "与下一等级的差距" in page.text
    assert "srcdoc=" in page.text
    assert 'value="48"' in page.text  # the form keeps what was typed


@pytest.mark.parametrize("fmt", ["xlsx", "html", "json"])
def test_downloads_are_the_files_the_command_line_writes(
    client: TestClient, fmt: str, tmp_path: Path
):
    written = tmp_path / f"自评表.{fmt}"
    invoke(["--lang", "zh", "score", FACTS, "-o", written])
    answer = client.post(f"{PAGE}/download/{fmt}", data=FILLED)
    assert answer.status_code == 200
    assert answer.content == written.read_bytes()
    assert "attachment" in answer.headers["content-disposition"]


def test_a_form_over_the_size_limit_is_refused_with_a_page(client: TestClient):
    page = client.post(PAGE, data={"subject.unit": "单" * 400_000})
    assert page.status_code == 413
    assert "请求过大" in page.text


def test_field_errors_are_inline_in_chinese_with_the_clis_messages(client: TestClient):
    page = client.post(PAGE, data={**FILLED, "fact.救助人数": "很多", "fact.党组研究每批资金": ""})
    assert page.status_code == 422
    assert 'data-field="fact.救助人数">' in page.text
    assert 'data-field="fact.救助人数">应为数字，实际为文字 &#39;很多&#39;' in page.text
    assert 'data-field="fact.党组研究每批资金">未填写（每批救助资金经局党组会议研究）<' in page.text
    assert 'id="total"' not in page.text


def test_the_preview_scores_a_form_in_progress(client: TestClient):
    answer = client.post(
        f"{PAGE}/preview", data={"fact.救助人数": "48", "not_applicable": "satisfaction"}
    )
    assert answer.status_code == 200
    found = answer.json()
    assert "待填" in found["result"]
    assert found["errors"] == {}
    data = {"fact.救助人数": "-3", "not_applicable": "satisfaction"}
    bad = client.post(f"{PAGE}/preview", data=data).json()
    assert set(bad["errors"]) == {"fact.救助人数"}


def test_every_value_is_escaped(client: TestClient):
    unit = "<script>alert(1)</script>"
    page = client.post(PAGE, data={**FILLED, "subject.unit": unit})
    assert page.status_code == 200
    assert unit not in page.text
    assert "&lt;script&gt;" in page.text


def test_english_when_the_browser_asks_for_it(client: TestClient):
    page = client.post(
        PAGE, data={**FILLED, "fact.救助人数": "很多"}, headers={"Accept-Language": "en-GB,en"}
    )
    assert page.status_code == 422
    assert "很多" in page.text
    assert "expected" in page.text.lower() or "number" in page.text.lower()


def test_an_unknown_ruleset_is_a_404_page_and_no_file_is_read(client: TestClient):
    for ref in ("no.such@1", "%2Fetc%2Fpasswd"):
        page = client.get(f"/rulesets/{ref}")
        assert page.status_code == 404
        assert "没有这个页面" in page.text
        assert "root:" not in page.text


def test_a_failure_shows_a_plain_message_and_no_stack_trace(client: TestClient, monkeypatch):
    def broken(*_args: Any, **_kwargs: Any) -> None:
        raise RuntimeError("secret internals")

    monkeypatch.setattr("scoring.web.form.score", broken)
    page = client.post(PAGE, data=FILLED)
    assert page.status_code == 500
    assert "服务器未能处理此请求" in page.text
    assert "secret internals" not in page.text
    assert "Traceback" not in page.text


def test_a_rate_is_read_as_people_type_it(client: TestClient):
    page = "/rulesets/xinfang.hengnan-stability@2021.1"
    assert 'placeholder="如 86.75%"' in client.get(page).text
    typed = client.post(f"{page}/preview", data={"fact.预期目标完成程度": "95%"}).json()
    assert "fact.预期目标完成程度" not in typed["errors"]
    whole = client.post(f"{page}/preview", data={"fact.预期目标完成程度": "95"}).json()
    assert "95%" in whole["errors"]["fact.预期目标完成程度"]
