"""`scoring monitor`: the worked July, its formats, --as-of, notes for what is owed, many units."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from tests.conftest import EXAMPLES
from tests.helpers import FACTS, REF, invoke

JULY = EXAMPLES / "worked-year" / "monitor-2022-07.yaml"
MONITORED = EXAMPLES / "worked-year" / "ruleset-2022.yaml"
"""The approved ruleset of the worked year, which JULY names: monitored in July, scored at year end."""
YEAR: list[str | Path] = ["--rulesets", EXAMPLES / "worked-year"]


def test_the_worked_july_prints_its_lights():
    out = invoke(["monitor", *YEAR, JULY]).stdout
    assert "信访救助资金绩效运行监控表（截至2022年7月）" in out
    assert out.count("黄灯") >= 4  # three yellow rows and the project
    assert "年底前还需完成 19人（全年达到 39人 为绿灯）" in out  # people are counted whole


def test_each_format_is_written_where_o_says(tmp_path: Path):
    for suffix in (".json", ".md", ".html", ".xlsx", ".csv", ".txt"):
        target = tmp_path / f"july{suffix}"
        invoke(["monitor", MONITORED, JULY, "-o", target])
        assert target.stat().st_size > 0
    assert json.loads((tmp_path / "july.json").read_text(encoding="utf-8"))["light"] == "yellow"


def test_as_of_gives_the_month_a_file_leaves_out(tmp_path: Path):
    text = JULY.read_text(encoding="utf-8").replace("as_of: 2022-07\n", "")
    facts = tmp_path / "undated.yaml"
    facts.write_text(text, encoding="utf-8")
    out = invoke(["monitor", *YEAR, facts, "--as-of", "2022-10", "--format", "json"]).stdout
    assert json.loads(out)["as_of"] == "2022-10"
    assert "month" in invoke(["monitor", *YEAR, facts, "--as-of", "2022-13"], exit_code=2).stderr
    missing = invoke(["monitor", *YEAR, facts], exit_code=1).stderr
    assert "as_of: missing" in missing


def test_an_unexplained_yellow_is_a_note_not_an_error(tmp_path: Path):
    text = JULY.read_text(encoding="utf-8")
    start = text.index("  output.quantity.aided:")
    end = text.index("  output.quality.approval:")
    facts = tmp_path / "july.yaml"
    facts.write_text(text[:start] + text[end:], encoding="utf-8")
    result = invoke(["monitor", *YEAR, facts])
    assert "note: output.quantity.aided: 黄灯指标未说明偏差原因" in result.stderr
    assert "待补充 救助生活困难信访群众人数：黄灯指标未说明偏差原因" in result.stdout


def test_a_ruleset_without_monitoring_is_refused():
    result = invoke(["monitor", REF, JULY], exit_code=1)
    assert "xinfang.wangcheng-relief@2022.1 has no monitoring: section" in result.stderr


def test_many_units_give_a_summary_and_exit_1_when_one_fails(tmp_path: Path):
    folder = tmp_path / "units"
    folder.mkdir()
    shutil.copy(JULY, folder / "a.yaml")
    shutil.copy(FACTS, folder / "b.yaml")  # year-end facts: no as_of, no statements
    result = invoke(["monitor", MONITORED, folder, "-o", tmp_path / "summary.csv"], exit_code=1)
    assert "wrote" in result.stderr
    rows = (tmp_path / "summary.csv").read_text(encoding="utf-8").splitlines()
    assert rows[0].startswith("来源,单位,项目,监控期,红灯,黄灯,绿灯,蓝灯,项目灯色")
    assert rows[1].endswith("a.yaml,长沙市望城区信访局,信访救助资金,2022-07,0,3,4,0,黄灯,0,")
    assert "b.yaml" in rows[2]
    assert "b.yaml:5:1: as_of: missing" in rows[2]
    assert rows[2].endswith('(and 3 more)"')  # the two statements, and 人均救助金额 so far


def test_many_good_units_exit_0(tmp_path: Path):
    result = invoke(["monitor", MONITORED, JULY, JULY, "--format", "json"])
    units = json.loads(result.stdout)["units"]
    assert [unit["result"]["light"] for unit in units] == ["yellow", "yellow"]
