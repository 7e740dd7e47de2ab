"""The finance bureau's pages: upload and check a ruleset, publish it, read the year's submissions."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from scoring.web.store.published import published_directory
from tests.helpers import invoke
from tests.web.bureau_helpers import (
    BAD,
    FILLED_2026,
    GOOD,
    GOOD_REF,
    add_bureau,
    publish,
    published_by_the_bureau,
    submit_2026,
    upload,
)
from tests.web.conftest import BOTH_DATABASES, csrf_of, log_in

PAGES = (
    "/bureau/rulesets",
    f"/bureau/rulesets/{GOOD_REF}",
    f"/bureau/rulesets/{GOOD_REF}/ruleset.yaml",
    "/bureau/submissions",
    f"/bureau/submissions/2026/{GOOD_REF}/summary.csv",
)


def test_only_the_bureau_sees_its_pages(saving: TestClient):
    published_by_the_bureau(saving)
    submit_2026(saving, "望城信访")
    log_in(saving, "财政局")
    for path in PAGES:
        assert saving.get(path).status_code == 200, path
    for name in ("望城信访", "审计"):
        log_in(saving, name)
        token = csrf_of(saving.get("/submissions").text)
        for path in PAGES:
            refused = saving.get(path)
            assert refused.status_code == 403, (name, path)
            assert "您的账户无权查看此页面" in refused.text
        for action in ("check", "publish"):
            form = {"csrf": token, "text": GOOD.read_text(encoding="utf-8"), "year": "2026"}
            assert saving.post(f"/bureau/rulesets/{action}", data=form).status_code == 403
        assert "/bureau/" not in saving.get("/submissions").text  # no links to them either
    saving.cookies.clear()
    for path in PAGES:
        assert saving.get(path).status_code == 401, path


def test_a_ruleset_with_an_error_is_shown_located_in_chinese_and_cannot_be_published(
    saving: TestClient,
):
    add_bureau(saving)
    log_in(saving, "财政局")
    page = upload(saving, BAD)
    assert page.status_code == 422
    assert "有错误的规则集不能发布" in page.text
    assert '<a href="#L18">第 18 行第 21 列</a>' in page.text
    assert "[output.quantity.aided] method: 应为" in page.text
    assert '<tr id="L18" class="error">' in page.text
    assert 'id="publish"' not in page.text
    refused = publish(saving, BAD)  # posted without the page's button: checked again
    assert refused.status_code == 422
    assert "不能发布" in refused.text
    assert "还没有发布的规则集" in saving.get("/bureau/rulesets").text


def test_a_good_ruleset_shows_its_worked_examples_passing_then_is_published(
    saving: TestClient, tmp_path: Path
):
    add_bureau(saving)
    log_in(saving, "财政局")
    page = upload(saving, GOOD)
    assert page.status_code == 200
    assert "1 个示例全部通过" in page.text
    assert "全部达标：满意度不适用，100.00 优" in page.text
    assert "<td>通过</td>" in page.text
    assert 'id="publish"' in page.text
    done = publish(saving, GOOD)
    assert done.status_code == 200
    assert str(done.url).endswith("/bureau/rulesets/changsha.relief%402026.1")
    assert '<td id="year">2026</td>' in done.text
    database = saving.app.state.database  # type: ignore[attr-defined]
    from scoring.web.store.published import published

    ((row, author),) = published(database)
    assert (row.ref, row.year, author) == (GOOD_REF, 2026, "财政局")
    assert row.text == GOOD.read_text(encoding="utf-8")
    kept = saving.get(f"/bureau/rulesets/{GOOD_REF}/ruleset.yaml")
    assert kept.content == GOOD.read_bytes()
    facts = tmp_path / "facts.yaml"
    facts.write_text(
        f"ruleset: {GOOD_REF}\nsubject: {{unit: 望城, year: 2026}}\n"
        "facts: {全年预算数: 1, 全年执行数: 1, 救助人数: 48, 党组研究每批资金: 是, 年内完成拨付: 是,"
        " 再次上访人数: 0, 纳入常年预算: 是}\nnot_applicable: [satisfaction]\n",
        encoding="utf-8",
    )
    result = invoke(["score", GOOD, facts, "--json"]).stdout
    assert row.fingerprint in result


@BOTH_DATABASES
def test_an_id_at_version_is_published_once_a_change_is_a_new_version(saving: TestClient):
    published_by_the_bureau(saving)
    again = upload(saving, GOOD)
    assert again.status_code == 422
    assert "changsha.relief@2026.1 已发布或随软件提供" in again.text
    assert publish(saving, GOOD).status_code == 422
    token = csrf_of(saving.get("/bureau/rulesets").text)
    edited = GOOD.read_text(encoding="utf-8").replace("长沙市财政局", "长沙市财政局（修订）")
    form = {"text": edited, "filename": "edited.yaml", "year": "2026", "csrf": token}
    refused = saving.post("/bureau/rulesets/publish", data=form)
    assert refused.status_code == 422  # an edit of a published ruleset is refused
    assert "请给这个规则集一个新版本" in refused.text
    changed = GOOD.read_text(encoding="utf-8").replace('"2026.1"', '"2026.2"')
    form = {"text": changed, "filename": "v2.yaml", "year": "2026", "csrf": token}
    assert saving.post("/bureau/rulesets/publish", data=form).status_code == 200
    listed = saving.get("/bureau/rulesets").text
    assert listed.count("<code>changsha.relief@2026.") == 2
    shipped = upload(saving, Path("rulesets/xinfang/wangcheng-relief-2022.yaml"))
    assert "xinfang.wangcheng-relief@2022.1 已发布或随软件提供" in shipped.text


def test_a_published_ruleset_is_offered_to_departments_and_scored_by_the_api(
    saving: TestClient, data: Path
):
    published_by_the_bureau(saving)
    index = saving.get("/").text
    assert "2026年度长沙市信访救助资金绩效自评表" in index
    listed = saving.get("/api/rulesets").json()
    assert GOOD_REF in {f"{each['id']}@{each['version']}" for each in listed}
    form = saving.get(f"/rulesets/{GOOD_REF}")
    assert form.status_code == 200
    facts = {
        "ruleset": GOOD_REF,
        "subject": {"unit": "望城", "year": "2026"},
        "facts": {"全年预算数": 128, "全年执行数": 128, "救助人数": 48, "党组研究每批资金": True,
                  "年内完成拨付": True, "再次上访人数": 0, "纳入常年预算": True},
        "not_applicable": ["satisfaction"],
    }  # fmt: skip
    scored = saving.post("/api/score", json=facts)
    assert scored.status_code == 200
    assert scored.json()["total"] == "100.00"
    directory = data / "published-rulesets"
    facts_file = directory.parent / "facts.json"
    import json

    facts_file.write_text(json.dumps(facts, ensure_ascii=False), encoding="utf-8")
    command = invoke(["score", facts_file, "--json", "--rulesets", directory]).stdout
    assert scored.content == command.encode("utf-8")


@BOTH_DATABASES
def test_published_rulesets_are_written_again_from_the_database_on_a_restart(
    saving: TestClient, restart
):
    published_by_the_bureau(saving)
    database = saving.app.state.database  # type: ignore[attr-defined]
    written = published_directory(database) / f"{GOOD_REF}.yaml"
    written.write_text("tampered", encoding="utf-8")
    again = restart()
    assert written.read_bytes() == GOOD.read_bytes()
    assert again.get(f"/rulesets/{GOOD_REF}").status_code == 200


@pytest.mark.parametrize(
    ("year", "message"),
    [("", "请填写规则集发布的年度"), ("明年", "年度为 2000 到 2100 之间的数字"), ("1999", "2100")],
)
def test_a_year_is_asked_for_at_its_field(saving: TestClient, year: str, message: str):
    add_bureau(saving)
    log_in(saving, "财政局")
    page = publish(saving, GOOD, year)
    assert page.status_code == 422
    assert re.search(rf'data-field="year">[^<]*{message}', page.text)
    assert "还没有发布的规则集" in saving.get("/bureau/rulesets").text


def test_bad_uploads_are_told_never_a_stack_trace(saving: TestClient, tmp_path: Path):
    add_bureau(saving)
    log_in(saving, "财政局")
    token = csrf_of(saving.get("/bureau/rulesets").text)
    none = saving.post("/bureau/rulesets/check", data={"year": "2026", "csrf": token})
    assert none.status_code == 422
    assert 'data-field="file">请选择要上传的规则集文件' in none.text
    latin = tmp_path / "latin.yaml"
    latin.write_bytes("title: 规则".encode("gbk"))
    page = upload(saving, latin)
    assert page.status_code == 422
    assert "不是 UTF-8 文本" in page.text
    orphan = tmp_path / "orphan.yaml"
    orphan.write_text(
        GOOD.read_text(encoding="utf-8").replace("wangcheng-relief@2022.1", "nowhere@1"),
        encoding="utf-8",
    )
    page = upload(saving, orphan, name="../../etc/orphan.yaml")
    assert page.status_code == 422
    assert "nowhere@1" in page.text
    assert "检查规则集：orphan.yaml" in page.text
    huge = tmp_path / "huge.yaml"
    huge.write_bytes(b"# " + b"x" * 2_000_000)
    too_large = upload(saving, huge)
    assert too_large.status_code == 413
    assert "请求过大" in too_large.text
    for answer in (none, page, too_large):
        assert "Traceback" not in answer.text


def test_every_value_is_escaped_on_the_bureaus_pages(saving: TestClient, tmp_path: Path):
    from tests.web.conftest import password_hash

    script = "<script>alert(1)</script>"
    published_by_the_bureau(saving)
    titled = tmp_path / "titled.yaml"
    titled.write_text(
        GOOD.read_text(encoding="utf-8")
        .replace('"2026.1"', '"2026.9"')
        .replace("title: 2026年度", f'title: "{script}"  # '),
        encoding="utf-8",
    )
    database = saving.app.state.database  # type: ignore[attr-defined]
    database.add_user("x", "department", script, password_hash())
    submit_2026(saving, "x", {**FILLED_2026, "subject.unit": script})
    log_in(saving, "财政局")
    pages = [upload(saving, titled).text, saving.get("/bureau/submissions?year=2026").text]
    for text in pages:
        assert script not in text
        assert "&lt;script&gt;" in text


def test_the_years_submissions_show_each_units_latest_submitted_version(saving: TestClient):
    published_by_the_bureau(saving)
    submit_2026(saving, "望城信访")
    log_in(saving, "望城信访")  # a draft after the submission: the bureau sees the submission
    token = csrf_of(saving.get(f"/rulesets/{GOOD_REF}").text)
    draft = {**FILLED_2026, "fact.救助人数": "", "csrf": token}
    assert saving.post(f"/rulesets/{GOOD_REF}/save", data=draft).status_code == 200
    draft_only = {**FILLED_2026, "subject.unit": "衡南县信访局"}
    log_in(saving, "衡南信访")
    token = csrf_of(saving.get(f"/rulesets/{GOOD_REF}").text)
    saving.post(f"/rulesets/{GOOD_REF}/save", data={**draft_only, "csrf": token})
    log_in(saving, "财政局")
    page = saving.get("/bureau/submissions").text  # the newest year by default
    assert "2026年度自评表汇总" in page
    assert "<th>总分</th><th>等级</th><th>预算执行率失分</th><th>产出指标失分</th>" in page
    assert "长沙市望城区信访局" in page
    assert "衡南县信访局" not in page
    assert "<td>100.00</td><td>优</td>" in page
    assert '<rect x="50" y="6" width="400"' in page  # 优: the one unit, the longest bar
    assert "<title>优 1</title>" in page
    assert "这一年度还没有提交的自评表" in saving.get("/bureau/submissions?year=2019").text


def test_the_exports_are_the_batch_summarys_bytes(
    saving: TestClient, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, data: Path
):
    published_by_the_bureau(saving)
    submit_2026(saving, "望城信访")
    submit_2026(saving, "衡南信访", {**FILLED_2026, "subject.unit": "衡南县信访局",
                                     "fact.全年执行数": "76.8", "fact.再次上访人数": "1"})  # fmt: skip
    log_in(saving, "财政局")
    database = saving.app.state.database  # type: ignore[attr-defined]
    from scoring.web.store.published import submitted_in

    monkeypatch.chdir(tmp_path)
    names = []
    for submission, version in submitted_in(database, "2026"):
        name = f"{submission.unit}-信访救助资金-2026.json"
        (tmp_path / name).write_text(version.facts_json, encoding="utf-8")
        names.append(name)
    rulesets = data / "published-rulesets"
    for suffix in ("csv", "xlsx"):
        exported = saving.get(f"/bureau/submissions/2026/{GOOD_REF}/summary.{suffix}")
        assert exported.status_code == 200
        output = tmp_path / f"summary.{suffix}"
        args: list[str | Path] = ["batch", GOOD_REF, *sorted(names), "--rulesets", rulesets]
        args += ["-o", output]
        invoke(args, exit_code=0)
        assert exported.content == output.read_bytes(), suffix
    text = saving.get(f"/bureau/submissions/2026/{GOOD_REF}/summary.csv").text
    assert "衡南县信访局" in text
    assert saving.get("/bureau/submissions/2026/nothing@1/summary.csv").status_code == 404
    assert saving.get(f"/bureau/submissions/2026/{GOOD_REF}/summary.pdf").status_code == 404


def test_the_year_page_flags_a_unit_whose_facts_are_anothers_as_the_batch_does(
    saving: TestClient, tmp_path: Path
):
    flagged = tmp_path / "changsha-relief-2026.yaml"
    text = GOOD.read_text(encoding="utf-8") + "red_flags: {identical_facts: true}\n"
    flagged.write_text(text, encoding="utf-8")
    add_bureau(saving)
    log_in(saving, "财政局")
    assert publish(saving, flagged).status_code == 200
    submit_2026(saving, "望城信访")
    submit_2026(saving, "衡南信访", {**FILLED_2026, "subject.unit": "衡南县信访局"})
    log_in(saving, "财政局")
    page = saving.get("/bureau/submissions").text
    assert "<th>疑点</th>" in page
    first = "衡南县信访局-信访救助资金-2026.json"  # first by name, as a batch of the files reads
    assert page.count(f"事实与 {first} 完全相同") == 1
    assert "事实与 长沙市望城区信访局" not in page
    exported = saving.get(f"/bureau/submissions/2026/{GOOD_REF}/summary.csv").text
    assert f"事实与 {first} 完全相同" in exported


def test_a_worked_example_that_fails_is_shown_at_its_line_and_stops_publishing(
    saving: TestClient, tmp_path: Path
):
    add_bureau(saving)
    log_in(saving, "财政局")
    wrong = tmp_path / "wrong.yaml"
    wrong.write_text(
        GOOD.read_text(encoding="utf-8").replace("total: 100.00", "total: 99.00"),
        encoding="utf-8",
    )
    page = upload(saving, wrong)
    assert page.status_code == 422
    assert '<tr class="failed"><td>全部达标：满意度不适用，100.00 优</td>' in page.text
    assert "<td>未通过</td>" in page.text
    assert "99" in page.text.split('<table class="examples">')[1].split("</table>")[0]
    assert '<tr id="L8" class="error">' in page.text
    assert 'id="publish"' not in page.text


def test_a_version_in_force_with_another_on_the_same_dates_cannot_be_published(
    saving: TestClient, tmp_path: Path
):
    """As lint refuses it: two versions of one id in force together (here with the shipped 2022.1)."""
    add_bureau(saving)
    log_in(saving, "财政局")
    clashing = tmp_path / "by-year-2022.9.yaml"
    clashing.write_text(
        'id: xinfang.wangcheng-relief-by-year\nversion: "2022.9"\ntitle: 同期的另一版本\n'
        "kind: project\nextends: xinfang.wangcheng-relief-by-year@2022.1\n"
        "effective: {from: 2022-06-01, to: 2022-12-31}\n",
        encoding="utf-8",
    )
    page = upload(saving, clashing)
    assert page.status_code == 422
    assert "xinfang.wangcheng-relief-by-year@2022.1" in page.text
    assert "同一日期" in page.text or "same date" in page.text
    assert 'id="publish"' not in page.text
    invoke(["lint", "--rulesets", tmp_path, clashing], exit_code=1)  # lint says the same
