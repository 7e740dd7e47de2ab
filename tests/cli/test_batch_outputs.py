"""`scoring batch --results DIR`: the results of two runs never mix.

A run holds the directory's lock while it writes, so a second run into it at the same time is
refused; a later run into a directory that still holds results is refused too, unless --force,
which replaces those results (and never removes anything that is not one).
"""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from scoring.cli import writing
from tests.helpers import FACTS, REF, invoke, snapshot

WANGCHENG = FACTS.read_text(encoding="utf-8")


def unit(name: str) -> str:
    return WANGCHENG.replace("unit: 长沙市望城区信访局", f"unit: {name}")


@pytest.fixture
def here(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    Path("units").mkdir()
    for name in ("甲局", "乙局"):
        Path(f"units/{name}.yaml").write_text(unit(name), encoding="utf-8")
    return tmp_path


def results() -> list[str]:
    return sorted(path.name for path in Path("out").iterdir())


def test_a_second_run_into_a_directory_with_results_is_refused(here):
    invoke(["batch", REF, "units", "--results", "out"])
    before = snapshot(here)
    result = invoke(["batch", REF, "units", "--results", "out", "-o", "summary.csv"], exit_code=2)
    assert result.stderr == (
        "error: --results out already holds 2 files (乙局-信访救助资金-2022.json …) from an "
        "earlier run: give an empty or new directory, or --force to replace its results\n"
    )
    assert snapshot(here) == before  # no result replaced, no summary written


def test_force_replaces_the_earlier_results_so_none_is_left_over(here):
    invoke(["batch", REF, "units", "--results", "out"])
    Path("units/乙局.yaml").unlink()
    Path("units/丙局.yaml").write_text(unit("丙局"), encoding="utf-8")
    invoke(["batch", REF, "units", "--results", "out", "--force"])
    assert results() == ["丙局-信访救助资金-2022.json", "甲局-信访救助资金-2022.json"]


def test_force_never_removes_a_file_that_is_not_a_result(here):
    invoke(["batch", REF, "units", "--results", "out"])
    Path("out/说明.txt").write_text("审核组的笔记\n", encoding="utf-8")
    Path("out/other.json").write_text('{"not": "a result"}\n', encoding="utf-8")
    before = snapshot(here)
    result = invoke(["batch", REF, "units", "--results", "out", "--force"], exit_code=2)
    assert result.stderr == (
        "error: --results out holds files that are not results (other.json, 说明.txt); "
        "--force replaces results only: give an empty or new directory\n"
    )
    assert snapshot(here) == before


def test_the_summary_may_live_beside_the_results(here):
    args = ["batch", REF, "units", "--results", "out", "-o", "out/summary.csv"]
    invoke(args)
    invoke([*args, "--force"])
    assert "summary.csv" in results()
    assert len(results()) == 3


def test_an_empty_directory_and_a_lock_left_by_a_killed_run_are_fine(here):
    Path("out").mkdir()
    Path("out", writing.LOCK_NAME).write_text("", encoding="utf-8")  # a run killed with -9
    invoke(["batch", REF, "units", "--results", "out"])
    assert results() == ["乙局-信访救助资金-2022.json", "甲局-信访救助资金-2022.json"]


# A real `scoring batch` that stops before scoring its first unit until told to go on.
HELD = textwrap.dedent(
    """
    import sys
    from scoring.analysis import batch
    from scoring.cli import main

    score_unit = batch.score_unit

    def waiting(unit, ruleset, facts=None):
        print("scoring", flush=True)
        sys.stdin.readline()
        return score_unit(unit, ruleset, facts)

    batch.score_unit = waiting
    main(sys.argv[1:])
    """
)


def test_a_concurrent_second_run_is_refused_and_the_first_finishes_alone(here):
    Path("more").mkdir()
    Path("more/丙局.yaml").write_text(unit("丙局"), encoding="utf-8")
    first = subprocess.Popen(
        [sys.executable, "-c", HELD, "batch", REF, "units", "--results", "out", "-o", "a.csv"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        encoding="utf-8",
    )
    try:
        assert first.stdout is not None
        assert first.stdout.readline() == "scoring\n"  # it holds the lock and is scoring
        second = invoke(["batch", REF, "more", "--results", "out", "-o", "b.csv"], exit_code=2)
        assert second.stderr == (
            "error: another scoring batch is writing into out: wait until it has finished, or "
            "give another directory\n"
        )
        _, errors = first.communicate("\n\n", timeout=120)
    finally:
        first.kill()
        first.wait()
    assert first.returncode == 0, errors
    assert results() == ["乙局-信访救助资金-2022.json", "甲局-信访救助资金-2022.json"]
    assert not Path("b.csv").exists()
    invoke(["batch", REF, "more", "--results", "out", "--force"])  # the lock went with the run


def test_a_result_file_name_has_no_control_or_bidi_override(here):
    Path("units/乙局.yaml").write_text(unit('"乙\\u202e局\\x9b\\e[31m"'), encoding="utf-8")
    invoke(["batch", REF, "units", "--results", "out"])
    assert results() == ["乙局[31m-信访救助资金-2022.json", "甲局-信访救助资金-2022.json"]
