"""The `scoring` command as a user meets it: exit codes, messages with file:line:column, outputs.

Every command goes through one helper, ``invoke`` (tests/helpers.py), which runs the typer app
in-process. A few tests run ``python -m scoring`` in a subprocess to show the in-process runner
gives the same exit codes and output as the real command.
"""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from typer.testing import Result  # noqa: TID251 (the CLI is tested through typer)

from scoring import __version__
from scoring.load.rulesets import load_ruleset
from scoring.load.yaml_source import parse_yaml
from scoring.model.located import LocatedDict
from tests.conftest import ROOT
from tests.helpers import (
    FACTS,
    PARENT,
    REF,
    RULESET,
    has_line,
    invoke,
    run_module,
    snapshot,
    stderr_lines,
    temporaries,
)

# What a workspace holds (relative to it): copies of the worked example, so that a bug in the
# refusal to overwrite an input could never damage the shipped files.
WS_RULESET = "rulesets/xinfang/wangcheng-relief-2022.yaml"
WS_PARENT = "rulesets/mof/project-self-eval-2020.yaml"
WS_FACTS = "facts.yaml"


def walk(nodes: list[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    for node in nodes:
        yield node
        yield from walk(node["children"])


@pytest.fixture
def workspace(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A working directory with copies of the worked example, as the current directory."""
    for source, target in ((RULESET, WS_RULESET), (PARENT, WS_PARENT), (FACTS, WS_FACTS)):
        (tmp_path / target).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, tmp_path / target)
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.fixture(scope="module")
def example_json() -> str:
    return invoke(["score", RULESET, FACTS, "--json"]).stdout


# --- score: the worked example --------------------------------------------------------------


def test_score_worked_example_shows_total_100_and_grade_you():
    result = invoke(["score", RULESET, FACTS])
    assert re.search(r"总分\s*│\s*100\s*│\s*│\s*│\s*100\.00\s*│", result.stdout)
    assert re.search(r"等级\s*│\s*│\s*│\s*│\s*优\s*│", result.stdout)
    assert re.search(r"合计\s*│\s*90\s*│\s*│\s*│\s*90\.00\s*│", result.stdout)
    assert "救助生活困难信访群众人数" in result.stdout
    assert result.stderr == ""


def test_score_json_has_total_grade_fingerprints_and_derived_values(example_json):
    data = json.loads(example_json)
    assert data["total"] == "100.00"
    assert data["grade"] == "优"
    assert data["ruleset"]["id"] == "xinfang.wangcheng-relief"
    assert data["ruleset"]["version"] == "2022.1"
    assert re.fullmatch(r"sha256:[0-9a-f]{64}", data["ruleset"]["fingerprint"])
    assert re.fullmatch(r"sha256:[0-9a-f]{64}", data["facts_fingerprint"])
    assert data["subject"] == {
        "unit": "长沙市望城区信访局",
        "project": "信访救助资金",
        "year": "2022",
    }
    assert data["derived"]["预算执行率"]["value"] == "1"
    assert data["derived"]["预算执行率"]["shown"] == "100.00%"
    assert data["derived"]["人均救助金额"]["shown"] == "2.6667"
    assert data["not_applicable"] == ["satisfaction"]


def test_score_json_lists_every_indicator_with_its_score_and_explanation(example_json):
    nodes = list(walk(json.loads(example_json)["indicators"]))
    assert [node["path"] for node in nodes] == [
        "execution",
        "output",
        "output.quantity",
        "output.quantity.aided",
        "output.quality",
        "output.quality.approval",
        "output.timeliness",
        "output.timeliness.disbursed",
        "output.cost",
        "output.cost.per_person",
        "effect",
        "effect.social",
        "effect.social.no_repeat_petitions",
        "effect.sustainable",
        "effect.sustainable.regular_budget",
        "satisfaction",
        "satisfaction.service_recipients",
    ]
    for node in nodes:
        assert {"path", "name", "level", "weight", "score", "explanation"} <= set(node)
        assert node["level"] == node["path"].count(".") + 1
        assert node["name"]
        if node["children"] and node["score"] is not None:
            children = sum(Decimal(child["score"]) for child in node["children"])
            assert Decimal(node["score"]) == children, node["path"]
        elif node["status"] == "scored":
            assert node["explanation"], node["path"]
            assert Decimal(0) <= Decimal(node["score"]) <= Decimal(node["weight"])
    aided = next(node for node in nodes if node["path"] == "output.quantity.aided")
    assert aided["name"] == "救助生活困难信访群众人数"
    assert (aided["weight"], aided["score"]) == ("20", "20.00")
    assert aided["explanation"] == "48 / 48 = 100.00% → 20.00 / 20"
    recipients = nodes[-1]
    assert (recipients["status"], recipients["score"]) == ("not_applicable", None)


@pytest.mark.parametrize("name", [REF, "xinfang.wangcheng-relief"])
def test_ruleset_given_by_id_scores_the_same_as_by_file(example_json, name):
    assert invoke(["score", name, FACTS, "--json"]).stdout == example_json


def test_ruleset_given_by_id_is_found_in_a_rulesets_directory(tmp_path):
    (tmp_path / "own.yaml").write_text(BASE, encoding="utf-8")
    facts = tmp_path / "facts.yaml"
    facts.write_text(GOOD_FACTS, encoding="utf-8")
    result = invoke(["score", "t.cli@1", facts, "--json", "--rulesets", tmp_path])
    assert json.loads(result.stdout)["total"] == "50.00"  # 5 / 10 of 60, and 5 / 10 × 40


def test_facts_naming_another_ruleset_version_warns_on_stderr(tmp_path):
    facts = tmp_path / "facts.yaml"
    facts.write_text(
        FACTS.read_text(encoding="utf-8").replace(REF, "xinfang.wangcheng-relief@2021.1"),
        encoding="utf-8",
    )
    result = invoke(["score", REF, facts, "--json"])
    assert json.loads(result.stdout)["total"] == "100.00"
    assert has_line(result, r"warning: .*xinfang\.wangcheng-relief@2021\.1")


# --- -o FILE --------------------------------------------------------------------------------


def test_output_file_holds_exactly_what_stdout_would_show(workspace):
    shown = invoke(["score", WS_RULESET, WS_FACTS, "--json"]).stdout
    result = invoke(["score", WS_RULESET, WS_FACTS, "--json", "-o", "out.json"])
    assert result.stdout == ""
    assert stderr_lines(result) == ["wrote out.json"]
    assert (workspace / "out.json").read_text(encoding="utf-8") == shown


def test_output_file_of_the_table_shows_total_and_grade(workspace):
    invoke(["score", WS_RULESET, WS_FACTS, "-o", "report.txt"])
    table = (workspace / "report.txt").read_text(encoding="utf-8")
    assert re.search(r"总分\s*│\s*100\s*│\s*│\s*│\s*100\.00\s*│", table)
    assert re.search(r"等级\s*│\s*│\s*│\s*│\s*优\s*│", table)


def test_output_file_is_replaced_without_leaving_temporary_files(workspace):
    shown = invoke(["score", WS_RULESET, WS_FACTS, "--json"]).stdout
    before = snapshot(workspace)
    (workspace / "out.json").write_text("old\n", encoding="utf-8")
    invoke(["score", WS_RULESET, WS_FACTS, "--json", "-o", "out.json"])
    invoke(["score", WS_RULESET, WS_FACTS, "--json", "--output", "out.json"])
    assert (workspace / "out.json").read_text(encoding="utf-8") == shown
    assert temporaries(workspace) == []
    after = snapshot(workspace)
    del after["out.json"]
    assert after == before


@pytest.mark.parametrize(
    ("command", "output"),
    [
        pytest.param(["score", WS_RULESET, WS_FACTS, "--json"], WS_FACTS, id="facts"),
        pytest.param(["score", WS_RULESET, WS_FACTS], "./" + WS_FACTS, id="facts-spelt-otherwise"),
        pytest.param(["score", WS_RULESET, WS_FACTS, "--json"], WS_RULESET, id="ruleset"),
        pytest.param(["score", WS_RULESET, WS_FACTS, "--json"], WS_PARENT, id="parent-ruleset"),
        pytest.param(["template", WS_RULESET], WS_RULESET, id="template-over-ruleset"),
        pytest.param(["score", REF, WS_FACTS], WS_RULESET, id="ruleset-given-by-id"),
    ],
)
def test_output_onto_an_input_file_is_refused_and_inputs_stay_unchanged(workspace, command, output):
    before = snapshot(workspace)
    result = invoke([*command, "--rulesets", "rulesets", "-o", output], exit_code=2)
    assert result.stdout == ""
    assert has_line(result, rf"error: -o {re.escape(str(Path(output)))} is one of the input files")
    assert snapshot(workspace) == before


def test_output_into_a_missing_directory_names_the_output_not_a_temporary_file(workspace):
    result = invoke(["score", WS_RULESET, WS_FACTS, "-o", "missing/out.json"], exit_code=2)
    assert "missing" in result.stderr
    assert ".tmp" not in result.stderr
    assert "cannot read" not in result.stderr


# --- bad facts ------------------------------------------------------------------------------

BAD_FACTS = """\
ruleset: xinfang.wangcheng-relief@2022.1
facts:
  全年预算数: -128
  全年执行数: "128元"
  救助人次: 48
  党组研究每批资金: true
  年内完成拨付: true
  再次上访人数: 0
  纳入常年预算: true
not_applicable: [satisfaction]
"""


@pytest.fixture(scope="module")
def bad_facts_result(tmp_path_factory: pytest.TempPathFactory) -> Result:
    directory = tmp_path_factory.mktemp("facts")
    (directory / "bad.yaml").write_text(BAD_FACTS, encoding="utf-8")
    with pytest.MonkeyPatch.context() as monkeypatch:
        monkeypatch.chdir(directory)
        return invoke(["score", RULESET, "bad.yaml"], exit_code=1)


def test_missing_fact_reports_file_line_column_and_indicator(bad_facts_result):
    assert has_line(
        bad_facts_result,
        r"bad\.yaml:2:1: \[output\.quantity\.aided\] 救助人数: missing \(救助生活困难信访群众人数, 人\)$",
    )


def test_undeclared_fact_reports_position_and_did_you_mean(bad_facts_result):
    assert has_line(
        bad_facts_result, r"bad\.yaml:5:3: 救助人次: undeclared fact \(did you mean '救助人数'\?\)$"
    )


def test_negative_amount_reports_the_declared_min(bad_facts_result):
    assert has_line(
        bad_facts_result,
        r"bad\.yaml:3:10: \[execution\] 全年预算数: -128 is below the declared min 0$",
    )


def test_text_value_asks_for_a_number(bad_facts_result):
    assert has_line(
        bad_facts_result,
        r"bad\.yaml:4:10: \[[a-z_.]+\] 全年执行数: expected a number, found text '128元': "
        r"write digits only in 万元",
    )


def test_bad_facts_are_all_reported_at_once_on_stderr_only(bad_facts_result):
    assert bad_facts_result.stdout == ""
    lines = stderr_lines(bad_facts_result)
    assert lines[0] == "bad.yaml: 4 problems"
    assert len(lines) == 5
    assert all(re.match(r"bad\.yaml:\d+:\d+: ", line) for line in lines[1:])


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        pytest.param(
            b"facts:\n  \xe5\xbf: 1\n",
            r"facts\.yaml:2:3: not UTF-8 text; save the file as UTF-8$",
            id="not-utf8",
        ),
        pytest.param(b"", r"facts\.yaml:1:1: .*mapping", id="empty"),
        pytest.param(b"- 1\n- 2\n", r"facts\.yaml:1:1: .*mapping", id="a-list"),
        pytest.param(
            b"facts: [1\n",
            r"facts\.yaml:1:8: YAML: the '\[' opened here is not closed: expected ',' or '\]' "
            r"before the end of the file$",
            id="yaml-syntax",
        ),
        pytest.param(
            "facts:\n  全年预算数: 1\n  全年预算数: 2\n".encode(),
            r"facts\.yaml:3:3: YAML: duplicate key '全年预算数'",
            id="duplicate-key",
        ),
    ],
)
def test_malformed_facts_file_reports_its_position(tmp_path, monkeypatch, content, expected):
    (tmp_path / "facts.yaml").write_bytes(content)
    monkeypatch.chdir(tmp_path)
    result = invoke(["score", RULESET, "facts.yaml"], exit_code=1)
    assert result.stdout == ""
    assert has_line(result, expected), result.stderr


# --- bad rulesets ---------------------------------------------------------------------------

BASE = """\
id: t.cli
version: "1"
title: 测试
kind: project
grades: {优: 90, 良: 80, 中: 60, 差: 0}
facts:
  预算数: {label: 全年预算数, unit: 万元, min: 0}
  执行数: {label: 全年执行数, unit: 万元, min: 0}
indicators:
  - id: execution
    name: 预算执行率
    weight: 60
    method: ratio
    actual: 执行数
    target: 10
  - id: share
    name: 占比
    weight: 40
    method: formula
    expr: 执行数 / 预算数 * 40
"""
GOOD_FACTS = "facts:\n  预算数: 10\n  执行数: 5\n"


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        pytest.param(
            "title: 测试",
            "title: [测试",
            r"ruleset\.yaml:3:8: YAML: the '\[' opened here is not closed: expected ',' or '\]' "
            r"before line 4$",
            id="yaml-syntax",
        ),
        pytest.param(
            "    method: ratio\n",
            "    method: ratio\n    wieght: 3\n",
            r"ruleset\.yaml:14:5: \[execution\] wieght: unknown key \(did you mean 'weight'\?\)$",
            id="unknown-key",
        ),
        pytest.param(
            "weight: 40",
            "weight: 30",
            r"ruleset\.yaml:\d+:\d+: .*weights sum to 90, expected the total 100$",
            id="weights",
        ),
        pytest.param(
            "expr: 执行数 /",
            "expr: 执行 /",
            r"ruleset\.yaml:20:11: \[share\] expr: unknown fact '执行' \(did you mean '执行数'\?\)$",
            id="unknown-fact-in-formula",
        ),
        pytest.param(
            "expr: 执行数 / 预算数 * 40",
            "expr: 执行数.__class__",
            r"ruleset\.yaml:20:11: \[share\] expr: .*not allowed",
            id="dunder-attribute",
        ),
    ],
)
def test_bad_ruleset_reports_file_line_column(tmp_path, monkeypatch, old, new, expected):
    assert old in BASE
    (tmp_path / "ruleset.yaml").write_text(BASE.replace(old, new), encoding="utf-8")
    (tmp_path / "facts.yaml").write_text(GOOD_FACTS, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    result = invoke(["score", "ruleset.yaml", "facts.yaml"], exit_code=1)
    assert result.stdout == ""
    assert has_line(result, expected), result.stderr


def test_a_missing_parent_cannot_be_scored_exit_2_at_its_extends_line(tmp_path, monkeypatch):
    """Nothing was found wanting: the rules could not be looked up at all."""
    text = BASE.replace("kind: project\n", "kind: project\nextends: t.nothere@1\n")
    (tmp_path / "ruleset.yaml").write_text(text, encoding="utf-8")
    (tmp_path / "facts.yaml").write_text(GOOD_FACTS, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    result = invoke(["score", "ruleset.yaml", "facts.yaml"], exit_code=2)
    assert result.stdout == ""
    assert has_line(result, r"ruleset\.yaml:5:10: extends: no ruleset 't\.nothere@1'")


def test_division_by_zero_at_score_time_names_the_indicator(tmp_path, monkeypatch):
    (tmp_path / "ruleset.yaml").write_text(BASE, encoding="utf-8")
    (tmp_path / "facts.yaml").write_text(GOOD_FACTS.replace("10", "0"), encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    result = invoke(["score", "ruleset.yaml", "facts.yaml", "--json"], exit_code=1)
    assert result.stdout == ""
    assert has_line(result, r"ruleset\.yaml:20:11: \[share\] division by zero")


# --- usage errors and unreadable files ------------------------------------------------------


@pytest.mark.parametrize(
    "args",
    [
        pytest.param(["score"], id="score-without-arguments"),
        pytest.param(["score", RULESET], id="score-without-facts"),
        pytest.param(["score", RULESET, FACTS, "--bogus"], id="unknown-option"),
        pytest.param(["bogus"], id="unknown-subcommand"),
        pytest.param(["lint"], id="lint-without-paths"),
        pytest.param(["score", RULESET, ROOT / "examples"], id="facts-is-a-directory"),
    ],
)
def test_usage_error_exits_2_with_usage_on_stderr(args):
    result = invoke(args, exit_code=2)
    assert result.stdout == ""
    assert "Usage: scoring" in result.stderr


def test_no_arguments_prints_the_commands_and_exits_2():
    result = invoke([], exit_code=2)
    for command in ("score", "lint", "template", "schema", "version"):
        assert command in result.stdout


def test_missing_facts_file_exits_2_naming_it(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = invoke(["score", RULESET, "nothere.yaml"], exit_code=2)
    assert result.stdout == ""
    assert has_line(result, r"error: cannot read nothere\.yaml: (?i:no such file)")
    assert len(stderr_lines(result)) == 1


def test_missing_ruleset_file_exits_2_naming_it(tmp_path, monkeypatch):
    """A path that cannot be an id (it has a slash) is a file that cannot be read: exit 2."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "facts.yaml").write_text(GOOD_FACTS, encoding="utf-8")
    result = invoke(["score", "rulesets/nothere.yaml", "facts.yaml"], exit_code=2)
    assert "rulesets/nothere.yaml" in result.stderr


def test_unknown_ruleset_id_suggests_the_shipped_one_and_exits_2():
    result = invoke(["score", "xinfang.wangcheng-releif@2022.1", FACTS], exit_code=2)
    assert f"did you mean '{REF}'" in result.stderr


# --- lint -----------------------------------------------------------------------------------


def test_lint_shipped_rulesets_finds_no_problems(monkeypatch):
    monkeypatch.chdir(ROOT)
    result = invoke(["lint", "rulesets/"])
    [summary] = stderr_lines(result)
    assert summary.endswith(" files checked, no problems")


def test_lint_examples_checks_facts_against_the_ruleset_they_name(monkeypatch):
    monkeypatch.chdir(ROOT)
    result = invoke(["lint", "examples"])
    every = sorted((ROOT / "examples").rglob("*.yaml"))
    tables = [path.relative_to(ROOT) for path in every if path.name.startswith("targets-")]
    notes = [
        f"note: {table}: a target table, skipped: check it with scoring review {table}"
        for table in tables
    ]
    count = len(every) - len(tables)
    skipped = f", {len(tables)} skipped" if tables else ""
    assert stderr_lines(result) == [*notes, f"{count} files checked, no problems{skipped}"]


def test_lint_directory_lists_every_problem_of_the_bad_ruleset(tmp_path, monkeypatch):
    (tmp_path / "good.yaml").write_text(BASE, encoding="utf-8")
    bad = BASE.replace("id: t.cli", "id: t.bad").replace("weight: 40", "weight: 30")
    (tmp_path / "bad.yaml").write_text(bad.replace("expr: 执行数 /", "expr: 执行 /"), "utf-8")
    monkeypatch.chdir(tmp_path)
    result = invoke(["lint", "."], exit_code=1)
    assert stderr_lines(result) == [
        "bad.yaml: 2 problems",
        "bad.yaml:10:3: top-level weights sum to 90, expected the total 100",
        "bad.yaml:20:11: [share] expr: unknown fact '执行' (did you mean '执行数'?)",
        "warning: good.yaml:20:11: [share] expr: divides by fact '预算数', which may be 0 (its "
        "min is 0): the indicator cannot be scored for a unit with 预算数 = 0; declare a min "
        "above 0, or guard the division (… if 预算数 > 0 else …)",
        "warning: good.yaml:20:11: [share] expr: cannot check that the formula stays within "
        "0–40: give min and max for 执行数, 预算数",
        "1 of 2 files with problems, 2 warnings",
    ]


def test_lint_reports_an_unknown_key_together_with_the_other_problems(tmp_path, monkeypatch):
    """Every problem at once: a schema problem must not hide the checks' problems."""
    bad = BASE.replace("weight: 40", "weight: 30").replace("expr: 执行数 /", "expr: 执行 /")
    (tmp_path / "bad.yaml").write_text(bad + "    colour: red\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    result = invoke(["lint", "bad.yaml"], exit_code=1)
    assert has_line(result, r"bad\.yaml:21:5: \[share\] colour: unknown key")
    assert has_line(result, r"bad\.yaml:10:3: top-level weights sum to 90")
    assert has_line(result, r"bad\.yaml:20:11: \[share\] expr: unknown fact '执行'")


def test_lint_reports_bad_facts_files_with_positions(tmp_path, monkeypatch):
    (tmp_path / "bad.yaml").write_text(BAD_FACTS, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    result = invoke(["lint", "bad.yaml"], exit_code=1)
    assert stderr_lines(result)[0] == "bad.yaml: 4 problems"
    assert has_line(result, r"bad\.yaml:5:3: 救助人次: undeclared fact")
    assert stderr_lines(result)[-1] == "1 of 1 file with problems"


def test_lint_of_a_missing_path_exits_2(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = invoke(["lint", "nothere"], exit_code=2)
    assert stderr_lines(result) == ["error: nothere: no such file or directory"]


# --- template -------------------------------------------------------------------------------

KIND_VALUES = {"number": "128", "whole number": "48", "true or false": "true"}
FACT_LINE = re.compile(
    r"^(?P<key>  (?P<name>[^\s:#]+):)(?P<rest>\s+# (?P<comment>.*)\[(?P<kind>[a-z ]+?)[,\]].*)$",
    re.MULTILINE,
)


def test_template_is_yaml_with_a_comment_per_fact_giving_label_and_unit():
    text = invoke(["template", REF]).stdout
    data = parse_yaml(text, "template.yaml")
    assert isinstance(data, LocatedDict)
    assert data["ruleset"] == REF
    ruleset = load_ruleset(REF)
    assert dict(data["facts"]) == dict.fromkeys(ruleset.facts)
    comments = {match["name"]: match["comment"] for match in FACT_LINE.finditer(text)}
    assert set(comments) == set(ruleset.facts)
    for name, spec in ruleset.facts.items():
        assert spec.label
        assert spec.label in comments[name]
        if spec.unit:
            assert spec.unit in comments[name]


def test_template_filled_in_scores(tmp_path):
    """Round trip: a template with every value filled in is a facts file that scores."""
    text = invoke(["template", REF]).stdout
    filled, count = FACT_LINE.subn(
        lambda match: f"{match['key']} {KIND_VALUES[match['kind']]}{match['rest']}", text
    )
    assert count == 8
    filled = filled.replace("not_applicable: []", "not_applicable: [satisfaction]")
    (tmp_path / "facts.yaml").write_text(filled, encoding="utf-8")
    data = json.loads(invoke(["score", REF, tmp_path / "facts.yaml", "--json"]).stdout)
    nodes = {node["path"]: node for node in walk(data["indicators"])}
    assert nodes["output.quantity.aided"]["reads"] == {"救助人数": "48"}
    assert nodes["effect.social.no_repeat_petitions"]["score"] == "0.00"
    assert data["total"] == "77.78"  # 70 of the 90 applicable points, rescaled to 100


def test_template_of_the_national_template_lists_its_facts():
    text = invoke(["template", "mof.project-self-eval@2020.1"]).stdout
    data = parse_yaml(text, "template.yaml")
    assert data["ruleset"] == "mof.project-self-eval@2020.1"
    assert list(data["facts"]) == ["年初预算数", "全年预算数", "全年执行数"]


def test_template_output_file_is_written(workspace):
    result = invoke(["template", WS_RULESET, "-o", "new-facts.yaml"])
    assert result.stdout == ""
    written = (workspace / "new-facts.yaml").read_text(encoding="utf-8")
    assert written == invoke(["template", WS_RULESET]).stdout
    assert temporaries(workspace) == []


# --- schema and version ---------------------------------------------------------------------


def test_schema_writes_the_committed_schemas(tmp_path):
    invoke(["schema", "-d", tmp_path])
    written = sorted(path.name for path in tmp_path.iterdir())
    assert written == [
        "audit-ruleset.schema.json",
        "facts.schema.json",
        "monitor-facts.schema.json",
        "result.schema.json",
        "review-ruleset.schema.json",
        "ruleset.schema.json",
        "target-table.schema.json",
    ]
    for name in written:
        assert (tmp_path / name).read_bytes() == (ROOT / "schemas" / name).read_bytes(), name


def test_python_m_scoring_version_prints_the_version():
    process = run_module(["version"])
    assert (process.returncode, process.stdout, process.stderr) == (
        0,
        f"scoring {__version__}\n",
        "",
    )


# --- the in-process runner is faithful to the real command ----------------------------------


@pytest.mark.parametrize(
    "args",
    [
        pytest.param(["score", RULESET, FACTS, "--json"], id="json"),
        pytest.param(["score", REF, ROOT / "examples" / "nothere.yaml"], id="unreadable-facts"),
        pytest.param(["score", REF, ROOT / "rulesets" / "mof"], id="usage-error"),
        pytest.param(["score", "mof.project-self-eval@2020.1", FACTS], id="facts-do-not-fit"),
        pytest.param(["lint", ROOT / "rulesets"], id="lint"),
    ],
)
def test_python_m_scoring_behaves_like_the_in_process_runner(args):
    process = run_module(args)
    expected = invoke(args, exit_code=process.returncode)
    assert "Traceback" not in process.stdout + process.stderr
    assert (process.stdout, process.stderr) == (expected.stdout, expected.stderr)


def test_real_command_reports_bad_facts_with_exit_1_and_no_traceback(tmp_path):
    (tmp_path / "bad.yaml").write_text(BAD_FACTS, encoding="utf-8")
    process = run_module(["score", REF, tmp_path / "bad.yaml"])
    assert process.returncode == 1
    assert process.stdout == ""
    assert "Traceback" not in process.stderr
    assert f"{tmp_path / 'bad.yaml'}:5:3: 救助人次: undeclared fact" in process.stderr


def test_score_with_only_facts_uses_the_ruleset_they_name():
    named = invoke(["score", FACTS, "--json"])
    given = invoke(["score", RULESET, FACTS, "--json"])
    assert named.stdout == given.stdout


def test_score_with_only_facts_that_name_no_ruleset_says_how_to_fix_it(tmp_path):
    facts = tmp_path / "facts.yaml"
    facts.write_text("facts: {}\n", encoding="utf-8")
    result = invoke(["score", str(facts)], exit_code=1)
    assert has_line(
        result,
        r".*facts\.yaml:1:1: ruleset: name the ruleset \(ruleset: id@version\), or give the ruleset before the facts$",
    )


def test_the_breakdown_says_when_most_of_the_weight_is_not_applicable(tmp_path, monkeypatch):
    ruleset = BASE.replace("kind: project\n", "kind: project\nmin_applicable_share: 0.7\n")
    (tmp_path / "ruleset.yaml").write_text(ruleset, encoding="utf-8")
    (tmp_path / "facts.yaml").write_text(GOOD_FACTS + "not_applicable: [execution]\n", "utf-8")
    monkeypatch.chdir(tmp_path)
    out = invoke(["score", "ruleset.yaml", "facts.yaml"]).stdout
    assert re.search(r"等级\s*│\s*│\s*│\s*│\s*不予定级\s*│", out)
    assert "超过一半的分值不适用" in out.replace("\n", "")
    assert "低于规则集要求的 70.00%：不予定级" in out.replace("\n", "")
