"""`scoring rulesets` lists the search path; `scoring --version`; shell completion."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from scoring import __version__
from scoring.load.registry import SHIPPED_RULESETS
from scoring.load.rulesets import load_ruleset
from tests.conftest import RULESETS, SCORING_RULESET_FILES
from tests.helpers import invoke, run_module

SHIPPED = SCORING_RULESET_FILES


def test_version_option_prints_the_version_like_the_version_command():
    assert invoke(["--version"]).stdout == f"scoring {__version__}\n"
    assert invoke(["version"]).stdout == f"scoring {__version__}\n"


def test_version_option_runs_no_command():
    result = invoke(["--version", "rulesets"])
    assert result.stdout == f"scoring {__version__}\n"


def test_python_m_scoring_version_option():
    process = run_module(["--version"])
    assert (process.returncode, process.stdout) == (0, f"scoring {__version__}\n")


def test_rulesets_json_lists_every_shipped_ruleset_with_its_title_year_and_file():
    rows = json.loads(invoke(["rulesets", "--json"]).stdout)
    assert len(rows) == len(SHIPPED)
    assert sorted(Path(row["file"]).resolve() for row in rows) == [p.resolve() for p in SHIPPED]
    wangcheng = next(row for row in rows if row["id"] == "xinfang.wangcheng-relief")
    assert wangcheng == {
        "id": "xinfang.wangcheng-relief",
        "version": "2022.1",
        "title": "2022年度望城区信访局信访救助资金绩效自评表",
        "year": 2022,
        "effective": None,
        "file": str(SHIPPED_RULESETS / "xinfang" / "wangcheng-relief-2022.yaml"),
    }
    assert [(row["id"], row["version"]) for row in rows] == sorted(
        (row["id"], row["version"]) for row in rows
    )


def test_rulesets_table_names_each_ruleset_whole_and_where_the_shipped_ones_are():
    out = invoke(["rulesets"]).stdout
    lines = out.splitlines()
    for path in SHIPPED:
        ruleset = load_ruleset(path)
        (line,) = [line for line in lines if f"│ {ruleset.ref} " in line]
        assert f"│ {ruleset.version[:4]} │" in line
    assert f"shipped with scoring: {SHIPPED_RULESETS}" in " ".join(out.split())


def test_rulesets_json_gives_each_versions_dates_in_force_as_its_file_writes_them():
    rows = json.loads(invoke(["rulesets", "--json"]).stdout)
    by_year = {
        row["version"]: row["effective"]
        for row in rows
        if row["id"] == "xinfang.wangcheng-relief-by-year"
    }
    for version, effective in by_year.items():
        ruleset = load_ruleset(
            SHIPPED_RULESETS / "xinfang" / f"wangcheng-relief-by-year-{version[:4]}.yaml"
        )
        assert ruleset.effective is not None
        assert effective == {
            "from": ruleset.effective.starts,
            "to": ruleset.effective.ends,
            "fiscal_year": ruleset.effective.fiscal_year,
        }
    assert sorted(by_year) == ["2022.1", "2023.1"]


def test_rulesets_table_says_each_versions_period_and_fiscal_year_in_chinese(tmp_path: Path):
    text = (RULESETS / "xinfang" / "wangcheng-relief-by-year-2023.yaml").read_text(encoding="utf-8")
    text = text.replace('version: "2023.1"', 'version: "2030.1"').replace(
        "effective: {from: 2023-01-01}",
        "effective: {from: 2030-01-01, to: 2030-12-31, fiscal_year: 2030}",
    )
    (tmp_path / "by-year-2030.yaml").write_text(text, encoding="utf-8")
    wide = {"COLUMNS": "300"}  # each cell on one line
    lines = invoke(["rulesets", "--rulesets", tmp_path], env=wide).stdout.splitlines()
    assert "施行期间" in lines[2]

    def period_of(ref: str) -> str:
        (line,) = [line for line in lines if f"│ {ref} " in line]
        return line.split("│")[4].strip()

    assert period_of("xinfang.wangcheng-relief-by-year@2022.1") == "2022-01-01 至 2022-12-31"
    assert period_of("xinfang.wangcheng-relief-by-year@2023.1") == "自 2023-01-01 起"
    assert period_of("xinfang.wangcheng-relief-by-year@2030.1") == (
        "2030-01-01 至 2030-12-31（预算年度 2030）"
    )
    assert period_of("xinfang.wangcheng-relief@2022.1") == "—"


def test_rulesets_lists_a_directory_given_with_rulesets(tmp_path: Path):
    mine = tmp_path / "规则 集"
    mine.mkdir()
    text = (RULESETS / "xinfang" / "wangcheng-relief-2022.yaml").read_text(encoding="utf-8")
    text = text.replace('version: "2022.1"', 'version: "2024.1"').replace(
        "title: 2022年度望城区", "title: 2024年度望城区"
    )
    (mine / "wangcheng-2024.yaml").write_text(text, encoding="utf-8")
    rows = json.loads(invoke(["rulesets", "--rulesets", mine, "--json"]).stdout)
    assert len(rows) == len(SHIPPED) + 1
    (mine_row,) = [row for row in rows if row["version"] == "2024.1"]
    assert mine_row["year"] == 2024
    assert mine_row["title"].startswith("2024年度望城区")
    assert mine_row["file"] == str(mine / "wangcheng-2024.yaml")


def test_rulesets_warns_about_a_ruleset_that_cannot_be_loaded_and_lists_the_others(
    tmp_path: Path,
):
    (tmp_path / "bad.yaml").write_text(
        'id: local.bad\nversion: "v1"\ntitle: 坏\nkind: project\nindicators: []\n'
        "extends: local.missing@1\n",
        encoding="utf-8",
    )
    result = invoke(["rulesets", "--rulesets", tmp_path, "--json"])
    rows = json.loads(result.stdout)
    (bad,) = [row for row in rows if row["id"] == "local.bad"]
    assert (bad["title"], bad["year"]) == (None, None)
    assert result.stderr == (
        f"warning: {tmp_path / 'bad.yaml'}: cannot be loaded; "
        f"scoring lint {tmp_path / 'bad.yaml'} lists why\n"
    )
    assert len(rows) == len(SHIPPED) + 1


def test_rulesets_of_an_empty_search_directory_lists_the_shipped_ones(tmp_path: Path):
    shutil.rmtree(tmp_path)
    tmp_path.mkdir()
    rows = json.loads(invoke(["rulesets", "--rulesets", tmp_path, "--json"]).stdout)
    assert len(rows) == len(SHIPPED)


def test_completion_script_is_shown_for_a_named_shell():
    result = invoke(["--show-completion", "bash"])
    assert "_SCORING_COMPLETE" in result.stdout
    assert "complete" in result.stdout
