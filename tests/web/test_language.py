"""The language of a page: Chinese unless the browser asks for English first, every word of it."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from markupsafe import escape

from scoring import i18n
from scoring.load.catalogue import catalogue
from scoring.load.rulesets import load_ruleset
from scoring.web.language import asked_language, speaking
from tests.helpers import FACTS, REF, invoke
from tests.web.bureau_helpers import BAD, GOOD, GOOD_REF, add_bureau, publish, upload
from tests.web.conftest import csrf_of, log_in
from tests.web.test_pages import FILLED, PAGE

STATIC = Path(__file__).resolve().parents[2] / "scoring" / "web" / "static"
CJK = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]+")
"""Chinese characters and Chinese punctuation (，。：（）)."""
LEAF = "output.quantity.aided"


@pytest.mark.parametrize(
    ("header", "language"),
    [
        (None, "zh"),
        ("", "zh"),
        ("zh-CN,zh;q=0.9,en;q=0.8", "zh"),
        ("en-US,en;q=0.9", "en"),
        ("EN", "en"),
        ("fr-FR,en;q=0.5", "zh"),
    ],
)
def test_the_first_language_asked_decides(header: str | None, language: str):
    assert asked_language(header) == language


def test_speaking_puts_the_language_before_back():
    assert i18n.language() == "en"
    with speaking("zh"):
        assert i18n.language() == "zh"
        assert i18n._("no such page") == "没有这个页面"
    assert i18n.language() == "en"


def _stateless_pages(client: TestClient) -> Iterator[tuple[str, str]]:
    yield "index", client.get("/").text
    yield "form", client.get("/rulesets/xinfang.hengnan-stability@2021.1").text
    yield "scored", client.post(PAGE, data={**FILLED, "fact.救助人数": "40"}).text
    yield "wrong", client.post(PAGE, data={**FILLED, "fact.救助人数": "很多"}).text
    preview = client.post(f"{PAGE}/preview", data={**FILLED, "fact.救助人数": ""})
    yield "preview", preview.json()["result"]
    yield "error", client.get("/no/such/page").text


def _department_pages(client: TestClient) -> Iterator[tuple[str, str]]:
    yield "login", client.get("/login").text
    log_in(client, "望城信访")
    yield "department form", client.get(PAGE).text
    token = csrf_of(client.get(PAGE).text)
    submitted = client.post(f"{PAGE}/submit", data={**FILLED, "csrf": token})
    assert submitted.status_code == 200, submitted.text
    yield "submissions", client.get("/submissions").text


def _auditor_pages(client: TestClient, result: bytes) -> Iterator[tuple[str, str]]:
    log_in(client, "审计")
    submission = "/submissions/1"

    def post(action: str, **data: Any) -> str:
        token = csrf_of(client.get(f"{submission}/audit").text)
        answer = client.post(f"{submission}/audit/{action}", data={**data, "csrf": token})
        assert answer.status_code == 200, answer.text
        return answer.text

    post("override", path=LEAF, points="18", reason="两人不符合条件")
    token = csrf_of(client.get(f"{submission}/audit").text)
    edited = json.loads(result)
    edited["total"] = "99.00"
    files = {"result": ("edited.json", json.dumps(edited).encode(), "application/json")}
    verified = client.post(f"{submission}/audit/verify", data={"csrf": token}, files=files)
    yield "audit", verified.text
    yield "signed history", post("signoff", version="1")
    yield "signed audit", client.get(f"{submission}/audit").text


def _bureau_pages(client: TestClient) -> Iterator[tuple[str, str]]:
    add_bureau(client)
    log_in(client, "财政局")
    yield "bureau rulesets (none)", client.get("/bureau/rulesets").text
    yield "bureau check (bad)", upload(client, BAD).text
    yield "bureau check (good)", upload(client, GOOD).text
    assert publish(client, GOOD).status_code == 200
    yield "bureau rulesets", client.get("/bureau/rulesets").text
    yield "bureau ruleset", client.get(f"/bureau/rulesets/{GOOD_REF}").text
    yield "bureau submissions", client.get("/bureau/submissions?year=2022").text
    yield "bureau submissions (none)", client.get("/bureau/submissions?year=2019").text


@pytest.fixture
def result_json(tmp_path: Path) -> bytes:
    """The example's result as ``scoring score --format json`` writes it."""
    written = tmp_path / "result.json"
    invoke(["score", FACTS, "--format", "json", "-o", written])
    return written.read_bytes()


def _every_page(
    client: TestClient, saving: TestClient, language: str, result: bytes
) -> dict[str, str]:
    """Every template, filled in, as a browser asking for ``language`` gets it."""
    for each in (client, saving):
        each.headers["Accept-Language"] = language
    pages = dict(_stateless_pages(client))
    pages.update(_department_pages(saving))
    pages.update(_auditor_pages(saving, result))
    pages.update(_bureau_pages(saving))
    return pages


LABELS: dict[str, tuple[tuple[str, str], ...]] = {
    "index": (
        ("Choose the ruleset that applies to your unit", "选择本单位适用的规则集"),
        ("<th>Ruleset (id@version)</th>", "<th>规则集 (id@version)</th>"),
        ("API documentation (OpenAPI)", "API 文档 (OpenAPI)"),
        ("This system keeps no data yet", "本系统暂不保存任何数据"),
    ),
    "form": (
        ("made by <code>scoring template --format xlsx</code>)", "生成）"),
        ("<legend>Basic information</legend>", "<legend>基本信息</legend>"),
        ('<label for="subject.unit">Unit</label>', '<label for="subject.unit">单位</label>'),
        ('placeholder="e.g. 86.75%"', 'placeholder="如 86.75%"'),
        (">Score the self-evaluation<", ">计算自评分<"),
    ),
    "scored": (
        ("Total score <strong", "总分 <strong"),
        ("<h2>The gap to the next grade</h2>", "<h2>与下一等级的差距</h2>"),
        ("<th>Points lost</th>", "<th>失分</th>"),
        ('title="Self-evaluation"', 'title="自评表"'),
        (">Download xlsx<", ">下载 xlsx<"),
    ),
    "wrong": (("Please correct the marked fields.", "请更正标出的字段。"),),
    "preview": (("facts left to fill in; at most", "项；最高可达"),),
    "error": (
        ("<h1>Something went wrong</h1>", "<h1>出错了</h1>"),
        ("no such page", "没有这个页面"),
    ),
    "login": (
        ('<label for="name">User name</label>', '<label for="name">用户名</label>'),
        ('id="login">Log in<', 'id="login">登录<'),
    ),
    "department form": (("Save draft", "保存草稿"), ('id="logout">Log out<', 'id="logout">退出<')),
    "submissions": (
        ("The self-evaluations of 长沙市望城区信访局", "长沙市望城区信访局的自评表"),
        ("<th>Status</th>", "<th>状态</th>"),
        ("<td>Submitted</td>", "<td>已提交</td>"),
    ),
    "audit": (
        ("The self-assessment and the audit side by side (version 1)", "自评与审核对照（第 1 版）"),
        ("· 1 override", "· 审核调整 1 项"),
        ("<th>Reason for the override</th>", "<th>审核调整理由</th>"),
        (
            'Verdict: <strong id="verdict">does not agree</strong>',
            '核验结论：<strong id="verdict">不一致</strong>',
        ),
        ("<th>Recomputed</th>", "<th>重算</th>"),
        ('id="signoff">Sign off<', 'id="signoff">签署<'),
        ("<h2>Audit trail</h2>", "<h2>审核记录</h2>"),
        ("audited score 18: 两人不符合条件", "审核得分 18：两人不符合条件"),
    ),
    "signed history": (
        ("Signed off by 审计 at", "已签署：审计，"),
        ("<th>Saved by</th>", "<th>保存人</th>"),
        (">version 1</a>", ">第 1 版</a>"),
        ("Overrides fingerprint", "审核调整指纹"),
        ("<td>Sign-off</td>", "<td>签署</td>"),
        (
            "edited.json: does not agree (1 difference) · SHA-256",
            "edited.json：不一致（差异 1 处）",
        ),
    ),
    "signed audit": (
        ("this record is frozen and takes no new version", "本记录已冻结，不再接受新版本"),
    ),
    "bureau rulesets (none)": (
        (
            "it is checked as <code>scoring lint</code> checks it",
            "系统按 <code>scoring lint</code> 检查它",
        ),
        ("No ruleset is published yet.", "还没有发布的规则集。"),
        ('id="bureau-submissions">Yearly summaries<', 'id="bureau-submissions">年度汇总<'),
    ),
    "bureau check (bad)": (
        ("1 error found: correct it and upload the file again.", "发现 1 个错误：改正后重新上传。"),
        (">line 18, column 21</a>", ">第 18 行第 21 列</a>"),
        ("<th>Problem</th>", "<th>问题</th>"),
    ),
    "bureau check (good)": (
        (
            "No errors found, and its 1 example passes. It can be published.",
            "没有发现错误，1 个示例全部通过。可以发布。",
        ),
        ("<td>passed</td>", "<td>通过</td>"),
        (
            'id="publish-button">Publish changsha.relief@2026.1<',
            'id="publish-button">发布 changsha.relief@2026.1<',
        ),
    ),
    "bureau rulesets": (("<th>Published at (UTC)</th>", "<th>发布时间 (UTC)</th>"),),
    "bureau ruleset": (
        ("<th>Year of publication</th>", "<th>发布年度</th>"),
        ("A published ruleset cannot be changed", "已发布的规则集不能修改"),
    ),
    "bureau submissions": (
        ("The self-evaluations of 2022, summarised", "2022年度自评表汇总"),
        (
            "<figcaption>Grades (1 unit)</figcaption>",
            "<figcaption>等级分布（1 个单位）</figcaption>",
        ),
        ('id="export-csv">Download CSV<', 'id="export-csv">下载 CSV<'),
        (
            "the columns are those of the summary of <code>scoring batch</code>",
            "各列与 <code>scoring batch</code> 的汇总相同",
        ),
    ),
    "bureau submissions (none)": (
        ("No self-evaluation is submitted for this year yet.", "这一年度还没有提交的自评表。"),
    ),
}
"""Words of each page in English and in Chinese: each language shows its own and not the other."""


def _data(*refs: str) -> set[str]:
    """Every text of the rulesets and of the facts typed: what a page shows as it was written."""
    found: set[str] = {str(value) for value in FILLED.values() if isinstance(value, str)}
    found |= {
        "望城信访",
        "审计",
        "长沙市望城区信访局",
        "两人不符合条件",
        "很多",
        "财政局",
        "是",
        "否",
    }

    def walk(value: Any) -> None:
        if isinstance(value, str):
            found.add(value)
        elif isinstance(value, dict):
            for key, each in value.items():
                walk(key)
                walk(each)
        elif isinstance(value, list | tuple):
            for each in value:
                walk(each)

    for ref in refs:
        walk(load_ruleset(ref).model_dump(mode="json"))
    found |= {each.title for each in catalogue(()) if each.title}
    walk(load_ruleset(GOOD).model_dump(mode="json"))
    return found


def _chrome(page: str, data: set[str]) -> str:
    """The page without its 自评表 and what it is made of (the rows of the auditor's comparison
    and of verify's differences), the batch summary and its chart, and the data it shows."""
    page = re.sub(r'srcdoc="[^"]*"', "", page)
    page = re.sub(
        r'(<table class="(?:comparison|differences)".*?<tbody>).*?</tbody>', r"\1", page, flags=re.S
    )
    page = re.sub(r'<table class="summary">.*?</table>', "", page, flags=re.S)
    page = re.sub(r"<svg .*?</svg>", "", page, flags=re.S)
    page = re.sub(r'<table class="source">.*?</table>', "", page, flags=re.S)
    for text in sorted(data, key=len, reverse=True):
        page = page.replace(str(escape(text)), "").replace(text, "")
    return page


def test_every_page_is_english_when_the_browser_asks_for_it(
    client: TestClient, saving: TestClient, result_json: bytes
):
    pages = _every_page(client, saving, "en-GB,en;q=0.9", result_json)
    assert set(pages) == set(LABELS)
    data = _data(REF, "xinfang.hengnan-stability@2021.1")
    for name, page in pages.items():
        assert '<html lang="en">' in page or name == "preview", name
        for english, chinese in LABELS[name]:
            assert english in page, (name, english)
            assert chinese not in page, (name, chinese)
        left = CJK.findall(_chrome(page, data))
        if left:
            print(name, left)


def test_every_page_is_chinese_by_default_with_the_same_words_as_before(
    client: TestClient, saving: TestClient, result_json: bytes
):
    pages = _every_page(client, saving, "zh-CN,zh;q=0.9,en;q=0.8", result_json)
    assert set(pages) == set(LABELS)
    for name, page in pages.items():
        assert '<html lang="zh-CN">' in page or name == "preview", name
        for english, chinese in LABELS[name]:
            assert chinese in page, (name, chinese)
            assert english not in page, (name, english)


def test_the_sheet_is_chinese_in_an_english_page(client: TestClient):
    page = client.post(PAGE, data=FILLED, headers={"Accept-Language": "en"}).text
    sheet = re.search(r'srcdoc="([^"]*)"', page)
    assert sheet is not None
    assert "指标" in sheet.group(1)
    assert "Indicator" not in sheet.group(1)


def _script_text(path: Path) -> str:
    """A script without its comments: what it runs and shows."""
    text = re.sub(r"/\*.*?\*/", "", path.read_text(encoding="utf-8"), flags=re.S)
    return re.sub(r"//[^\n]*", "", text)


def test_the_scripts_show_no_words_of_their_own():
    scripts = sorted(STATIC.glob("*.js"))
    assert scripts
    for script in scripts:
        assert CJK.findall(_script_text(script)) == [], script.name
        assert re.findall(r"[\"'][A-Z][a-z]+ [a-z]+[^\"']*[\"']", _script_text(script)) == []
