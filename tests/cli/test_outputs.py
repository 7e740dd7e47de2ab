"""Where outputs land: -o picks the format from its suffix, - is stdout, and special files, links
and inputs are never written over; a write that fails says what and where."""

from __future__ import annotations

import io
import json
import os
import shutil
import stat
import sys
from pathlib import Path

import openpyxl
import pytest
import typer  # noqa: TID251 (the exit the CLI's writer raises)

from scoring.cli import options, writing
from scoring.engine.score import score
from scoring.load.facts import load_facts
from scoring.load.rulesets import load_ruleset
from scoring.render import FORMATS
from tests.helpers import FACTS, REF, RULESET, invoke, snapshot, temporaries

SCORE: list[str | Path] = ["score", RULESET, FACTS]


@pytest.fixture
def here(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.fixture(scope="module")
def result_json() -> str:
    return invoke([*SCORE, "--json"]).stdout


# --- the formats come from the registry --------------------------------------------------------


def test_the_score_formats_are_the_registrys():
    assert [fmt.value for fmt in options.ScoreFormat] == list(FORMATS)
    assert {
        fmt.suffix: name for name, fmt in FORMATS.items()
    }.items() <= options.SUFFIX_FORMATS.items()
    binary = tuple(name for name, fmt in FORMATS.items() if fmt.is_binary)
    assert (*binary, "parquet") == options.BINARY_FORMATS  # and a batch summary in Parquet


@pytest.mark.parametrize("name", FORMATS)
def test_every_format_written_is_what_its_renderer_gives(name, here):
    """-o FILE with the format's suffix writes the registry renderer's output, byte for byte."""
    ruleset = load_ruleset(RULESET)
    expected = FORMATS[name].render(score(ruleset, load_facts(FACTS, ruleset)), ruleset)
    invoke([*SCORE, "-o", f"out{FORMATS[name].suffix}"])
    written = Path(f"out{FORMATS[name].suffix}").read_bytes()
    assert written == (expected if isinstance(expected, bytes) else expected.encode("utf-8"))


# --- the suffix picks the format ---------------------------------------------------------------


def test_score_to_a_json_file_writes_json_that_verifies(here, result_json):
    invoke([*SCORE, "-o", "r.json"])
    assert Path("r.json").read_text(encoding="utf-8") == result_json
    verdict = invoke(["verify", "r.json"])
    assert ": agrees\n" in verdict.stdout


@pytest.mark.parametrize(("suffix", "fmt"), [(".md", "md"), (".html", "html"), (".TXT", "text")])
def test_score_to_a_file_writes_what_its_suffix_says(here, suffix, fmt):
    invoke([*SCORE, "-o", f"r{suffix}"])
    assert (
        Path(f"r{suffix}").read_text(encoding="utf-8") == invoke([*SCORE, "--format", fmt]).stdout
    )


def test_score_to_an_xlsx_file_is_the_workbook(here):
    invoke([*SCORE, "-o", "r.xlsx"])
    assert openpyxl.load_workbook(io.BytesIO(Path("r.xlsx").read_bytes())).sheetnames


def test_gap_diff_and_template_write_what_the_suffix_says(here):
    invoke(["gap", RULESET, FACTS, "-o", "gap.json"])
    assert (
        Path("gap.json").read_text(encoding="utf-8")
        == invoke(["gap", RULESET, FACTS, "--json"]).stdout
    )
    invoke(["gap", RULESET, FACTS, "-o", "gap.txt"])
    assert Path("gap.txt").read_text(encoding="utf-8").startswith("总分 100.00 优\n")
    invoke(["diff", RULESET, RULESET, "-o", "diff.json"])
    assert json.loads(Path("diff.json").read_text(encoding="utf-8"))["changes"] == []
    invoke(["template", REF, "-o", "facts.yml"])
    assert Path("facts.yml").read_text(encoding="utf-8") == invoke(["template", REF]).stdout
    invoke(["template", REF, "-o", "facts.xlsx"])
    assert "facts" in openpyxl.load_workbook(io.BytesIO(Path("facts.xlsx").read_bytes())).sheetnames


@pytest.mark.parametrize(
    ("args", "message"),
    [
        pytest.param(
            [*SCORE, "--format", "md", "-o", "r.json"],
            "error: -o r.json is a .json file but --format asks for md: give one of them, or "
            "make them agree\n",
            id="score-format",
        ),
        pytest.param(
            [*SCORE, "--json", "-o", "r.html"],
            "error: -o r.html is a .html file but --json asks for json: give one of them, or "
            "make them agree\n",
            id="score-json",
        ),
        pytest.param(
            ["gap", RULESET, FACTS, "--json", "-o", "gap.txt"],
            "error: -o gap.txt is a .txt file but --json asks for json: give one of them, or "
            "make them agree\n",
            id="gap-json",
        ),
        pytest.param(
            ["template", REF, "--format", "yaml", "-o", "t.xlsx"],
            "error: -o t.xlsx is a .xlsx file but --format asks for yaml: give one of them, or "
            "make them agree\n",
            id="template-format",
        ),
        pytest.param(
            ["batch", REF, str(FACTS), "--format", "csv", "-o", "s.json"],
            "error: -o s.json is a .json file but --format asks for csv: give one of them, or "
            "make them agree\n",
            id="batch-format",
        ),
    ],
)
def test_a_suffix_that_contradicts_the_format_is_a_usage_error_naming_both(here, args, message):
    result = invoke(args, exit_code=2)
    assert (result.stdout, result.stderr) == ("", message)
    assert list(here.iterdir()) == []


@pytest.mark.parametrize(
    ("args", "suffixes"),
    [
        (SCORE, ".txt, .json, .md, .html, .xlsx"),
        (["gap", RULESET, FACTS], ".txt, .json"),
        (["diff", RULESET, RULESET], ".txt, .json"),
        (["template", REF], ".yaml, .xlsx"),
        (["batch", REF, str(FACTS)], ".txt, .csv, .json, .xlsx, .parquet"),
    ],
)
def test_an_unknown_suffix_without_format_lists_the_suffixes(here, args, suffixes):
    result = invoke([*args, "-o", "out.pdf"], exit_code=2)
    command = args[0]
    assert result.stderr == (
        f"error: -o out.pdf: scoring {command} writes {suffixes} files; "
        "end the file name with one of them, or give --format\n"
    )
    assert list(here.iterdir()) == []


def test_an_unknown_suffix_with_format_writes_that_format(here, result_json):
    invoke([*SCORE, "--format", "json", "-o", "result.out"])
    assert Path("result.out").read_text(encoding="utf-8") == result_json


# --- standard output ---------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["-", "/dev/stdout"])
def test_dash_and_dev_stdout_write_to_stdout(here, name, result_json):
    result = invoke([*SCORE, "--json", "-o", name])
    assert result.stdout == result_json
    assert "wrote" not in result.stderr
    assert list(here.iterdir()) == []
    assert invoke([*SCORE, "-o", name]).stdout == invoke(SCORE).stdout


def test_a_workbook_goes_to_stdout_only_when_it_is_not_a_terminal(here):
    workbook = invoke([*SCORE, "--format", "xlsx", "-o", "-"]).stdout_bytes
    assert openpyxl.load_workbook(io.BytesIO(workbook)).sheetnames
    assert invoke(["batch", REF, str(FACTS), "--format", "csv", "-o", "-"]).stdout.startswith(
        "\ufeff来源,"
    )


# --- what -o never writes over -----------------------------------------------------------------


def test_a_fifo_is_refused_and_stays_a_fifo(here):
    os.mkfifo("pipe")
    result = invoke([*SCORE, "--json", "-o", "pipe"], exit_code=2)
    assert result.stderr == (
        "error: cannot write the result to pipe: it is a named pipe (FIFO), not a regular file\n"
    )
    assert stat.S_ISFIFO(os.lstat("pipe").st_mode)
    assert temporaries(here) == []


def test_a_device_node_is_refused_and_never_replaced(here):
    try:
        os.mknod("null", stat.S_IFCHR | 0o666, os.makedev(1, 3))
    except (PermissionError, AttributeError):
        pytest.skip("making a device node needs root")
    result = invoke([*SCORE, "--json", "-o", "null"], exit_code=2)
    assert result.stderr == (
        "error: cannot write the result to null: it is a device, not a regular file\n"
    )
    assert stat.S_ISCHR(os.lstat("null").st_mode)
    assert temporaries(here) == []


def test_a_symbolic_link_is_refused_and_its_target_stays(here):
    Path("target.json").write_text("mine\n", encoding="utf-8")
    Path("link.json").symlink_to("target.json")
    result = invoke([*SCORE, "--json", "-o", "link.json"], exit_code=2)
    assert result.stderr == (
        "error: cannot write the result to link.json: it is a symbolic link; scoring does not "
        "write through links: give the file it points to\n"
    )
    assert Path("target.json").read_text(encoding="utf-8") == "mine\n"
    assert Path("link.json").is_symlink()


def test_a_dangling_symbolic_link_is_refused_too(here):
    Path("link.json").symlink_to("/nonexistent/elsewhere.json")
    invoke([*SCORE, "--json", "-o", "link.json"], exit_code=2)
    assert Path("link.json").is_symlink()
    assert not Path("/nonexistent/elsewhere.json").exists()


def test_a_hard_link_to_an_input_is_refused(here):
    shutil.copyfile(FACTS, "facts.yaml")
    os.link("facts.yaml", "same.json")
    before = snapshot(here)
    result = invoke(["score", RULESET, "facts.yaml", "-o", "same.json"], exit_code=2)
    assert result.stderr == (
        "error: -o same.json is one of the input files; choose another output file\n"
    )
    assert snapshot(here) == before


def test_batch_refuses_a_special_summary_file_before_scoring(here):
    os.mkfifo("summary.csv")
    result = invoke(["batch", REF, str(FACTS), "-o", "summary.csv"], exit_code=2)
    assert "it is a named pipe (FIFO)" in result.stderr
    assert "优" not in result.stderr  # refused before any unit was scored


# --- write errors say what could not be written, and where -------------------------------------


def test_a_missing_directory_is_named(here):
    result = invoke([*SCORE, "-o", "missing/r.json"], exit_code=2)
    assert result.stderr == (
        "error: cannot write the result to missing/r.json: there is no directory missing\n"
    )


def test_a_failing_write_names_the_output_and_leaves_no_temporary(here, monkeypatch):
    def refuse(source: object, target: object) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(os, "replace", refuse)
    result = invoke([*SCORE, "--json", "-o", "r.json"], exit_code=2)
    assert result.stderr == "error: cannot write the result to r.json: Permission denied\n"
    assert list(here.iterdir()) == []


def test_a_results_directory_that_cannot_be_made_is_named(here):
    Path("taken").write_text("a file\n", encoding="utf-8")
    result = invoke(["batch", REF, str(FACTS), "--results", "taken/results"], exit_code=2)
    assert result.stderr.startswith("error: cannot write the results to taken/results: ")
    assert "cannot read" not in result.stderr


def test_an_existing_file_keeps_its_mode(here, result_json):
    Path("r.json").write_text("old\n", encoding="utf-8")
    os.chmod("r.json", 0o640)
    invoke([*SCORE, "--json", "-o", "r.json"])
    assert stat.S_IMODE(os.stat("r.json").st_mode) == 0o640
    assert Path("r.json").read_text(encoding="utf-8") == result_json


def test_the_one_writer_writes_text_and_bytes_exactly(here):
    writing.write_atomic(Path("a.txt"), "一\n二\r\n")
    writing.write_atomic(Path("b.bin"), b"\x00\xff")
    writing.write_atomic(Path("key"), "secret\n", mode=0o600)
    assert Path("a.txt").read_bytes() == "一\n二\r\n".encode()
    assert Path("b.bin").read_bytes() == b"\x00\xff"
    assert stat.S_IMODE(os.stat("key").st_mode) == 0o600
    assert temporaries(here) == []


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX file types")
def test_the_writer_refuses_every_special_file_it_is_given(here):
    os.mkfifo("fifo")
    os.mkdir("folder")
    for name in ("fifo", "folder"):
        with pytest.raises(typer.Exit) as raised:
            writing.write_atomic(Path(name), "x")
        assert raised.value.exit_code == 2
    assert stat.S_ISFIFO(os.lstat("fifo").st_mode)
    assert Path("folder").is_dir()
