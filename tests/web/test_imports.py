"""A filled facts workbook imported into the form: its values filled in, its problems located."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient
from httpx2 import Response

from scoring.render.workbook import render_template_xlsx
from scoring.web import form
from tests.helpers import FACTS, invoke
from tests.render.test_workbook import ILLUSTRATIVE_VALUES, WANGCHENG_VALUES, fill
from tests.web.test_pages import PAGE

OTHER = "/rulesets/illustrative.project-self-eval@2020.1"


def _template(page: str) -> bytes:
    ruleset = form.ruleset_by_ref(page.removeprefix("/rulesets/"), ())
    return render_template_xlsx(ruleset)


def _import(client: TestClient, page: str, content: bytes, name: str = "单位.xlsx") -> Response:
    files = {"workbook": (name, content, "application/octet-stream")}
    return client.post(f"{page}/import", files=files)


def _figure(page: str, name: str) -> str:
    found = re.search(rf'<strong id="{name}">([^<]*)</strong>', page)
    assert found, name
    return found.group(1)


def test_a_filled_workbook_fills_the_form_and_scores_as_the_command_line(
    client: TestClient, tmp_path: Path
):
    written = tmp_path / "result.json"
    invoke(["score", FACTS, "--format", "json", "-o", written])
    expected: dict[str, Any] = json.loads(written.read_text(encoding="utf-8"))
    page = _import(client, PAGE, fill(_template(PAGE), WANGCHENG_VALUES))
    assert page.status_code == 200, page.text
    assert 'id="fact.救助人数" name="fact.救助人数"\n       value="48"' in page.text
    assert 'value="长沙市望城区信访局"' in page.text
    assert 'value="satisfaction" checked' in page.text
    assert '<option value="是" selected>' in page.text
    assert _figure(page.text, "total") == expected["total"]
    assert _figure(page.text, "grade") == expected["grade"]


def test_a_tiers_score_and_note_fill_their_fields(client: TestClient):
    page = _import(client, OTHER, fill(_template(OTHER), ILLUSTRATIVE_VALUES))
    assert page.status_code == 200, page.text
    score = str(ILLUSTRATIVE_VALUES["信访秩序.score"])
    assert f'name="fact.信访秩序.score" value="{score}"' in page.text
    assert f'value="{ILLUSTRATIVE_VALUES["信访秩序.note"]}"' in page.text


def test_a_wrong_cell_is_named_with_its_cell_and_at_its_field(client: TestClient):
    filled = fill(_template(PAGE), {**WANGCHENG_VALUES, "全年执行数": "一百"})
    page = _import(client, PAGE, filled)
    assert page.status_code == 422
    located = re.findall(r"<li>([^<]*)</li>", page.text)
    assert any(
        re.match(r"单位\.xlsx!facts!C\d+: ", each) and "全年执行数" in each for each in located
    )
    error = page.text.split('data-field="fact.全年执行数">', 1)[1].split("<", 1)[0]
    assert "一百" in error
    assert 'value="一百"' in page.text  # kept, to be corrected in the form


def test_a_file_that_is_no_workbook_is_refused_with_its_name(client: TestClient):
    page = _import(client, PAGE, b"<b>not a workbook</b>", "<b>x</b>.xlsx")
    assert page.status_code == 422
    assert "&lt;b&gt;x&lt;/b&gt;.xlsx" in page.text
    assert "<b>x</b>" not in page.text
    assert "Traceback" not in page.text


def test_another_rulesets_workbook_is_refused_at_its_ruleset_cell(client: TestClient):
    page = _import(client, PAGE, fill(_template(OTHER), ILLUSTRATIVE_VALUES))
    assert page.status_code == 422
    assert "illustrative.project-self-eval@2020.1 的模板" in page.text
    assert re.search(r"单位\.xlsx!facts!C\d+: ", page.text)


def test_importing_needs_a_file(client: TestClient):
    page = client.post(f"{PAGE}/import", files={"other": ("a.txt", b"x")})
    assert page.status_code == 422
    assert "请选择要导入的已填写事实模板" in page.text
