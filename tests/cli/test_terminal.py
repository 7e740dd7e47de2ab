"""What the terminal shows: the breakdown wrapped (never cut) at 80 columns and whole in a pipe,
any console encoding, data shown as data (no escape sequences, links or markup from files), and
a progress bar on every command that reads many files."""

from __future__ import annotations

import io
import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import pytest

from scoring.cli import consoles
from tests.helpers import FACTS, REF, RULESET, invoke

WANGCHENG = FACTS.read_text(encoding="utf-8")
LONG_REASON = (
    "经复核，2022年度救助台账中有3人为重复登记，另有1人不符合救助条件，实际有效救助人数为44人，"
    "按照评分标准扣减相应分值，详见审核底稿第12页至第15页及附件https://example.gov.cn/"
    "audit/2022/wangcheng/relief-working-papers-appendix-3.pdf"
)
OVERRIDES = f"""\
overrides:
  output.quantity.aided: {{points: 18, reason: "{LONG_REASON}", by: 区财政局 张三}}
"""


def walk(nodes: list[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    for node in nodes:
        yield node
        yield from walk(node["children"])


def terminal(monkeypatch: pytest.MonkeyPatch, name: str, **options: Any) -> io.StringIO:
    """Make ``consoles.<name>`` a terminal of the given width; return what it shows."""
    screen = io.StringIO()
    options = {"width": 80, "color_system": None, **options}
    monkeypatch.setattr(
        consoles, name, consoles.SafeConsole(file=screen, force_terminal=True, **options)
    )
    return screen


@pytest.fixture
def audited(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """``score`` arguments for the worked example under an auditor's long reason."""
    monkeypatch.chdir(tmp_path)
    Path("audit.yaml").write_text(OVERRIDES, encoding="utf-8")
    return ["score", str(RULESET), str(FACTS), "--overrides", "audit.yaml"]


def notes(args: Sequence[str]) -> list[str]:
    """Every 说明 the breakdown has to show: each leaf's explanation, each override."""
    result = json.loads(invoke([*args, "--json"]).stdout)
    found = []
    for node in walk(result["indicators"]):
        if not node["children"]:
            found.append(node["explanation"])
            found.extend(override["reason"] for override in node["overrides"])
    return found


def column(text: str, index: int) -> str:
    """The cells of one table column, line after line, with no spaces: what the column shows."""
    cells = [line.split("│") for line in text.splitlines() if line.startswith("│")]
    return "".join(cell[index] for cell in cells if len(cell) > abs(index)).replace(" ", "")


# --- the breakdown: wrapped at a terminal, whole in a pipe or a file -----------------------------


def test_at_80_columns_the_notes_wrap_and_nothing_is_cut(audited, monkeypatch):
    screen = terminal(monkeypatch, "stdout")
    invoke(audited)
    shown = screen.getvalue()
    assert "…" not in shown
    assert max(map(len, shown.splitlines())) <= 80
    explained = column(shown, -2)
    for note in notes(audited):
        assert note.replace(" ", "") in explained, note
    assert "sha256:" in shown


def test_in_a_pipe_every_row_is_one_whole_line(audited):
    shown = invoke(audited).stdout
    assert "…" not in shown
    for note in notes(audited):
        assert any(note in line for line in shown.splitlines()), note
    assert re.search(r"^│ 总分 +│ +100 │ +│ +│ +\d+\.\d\d │ +\d+\.\d\d │", shown, re.MULTILINE)


def test_a_text_file_is_what_the_pipe_gets(audited):
    invoke([*audited, "-o", "breakdown.txt"])
    assert Path("breakdown.txt").read_text(encoding="utf-8") == invoke(audited).stdout


def test_the_real_command_in_a_pipe_is_whole_too():
    shown = subprocess.run(
        [sys.executable, "-m", "scoring", "score", str(RULESET), str(FACTS)],
        capture_output=True,
        text=True,
        encoding="utf-8",
        check=True,
        timeout=120,
    ).stdout
    assert "党组研究每批资金：是 → 10.00 / 10" in shown
    assert "…" not in shown


# --- any console encoding, any path --------------------------------------------------------------


def run(args: Sequence[str | Path], encoding: str, cwd: Path) -> subprocess.CompletedProcess[bytes]:
    """The real command with stdout and stderr in ``encoding`` (a Chinese Windows console: gbk)."""
    environment = {**os.environ, "PYTHONIOENCODING": encoding}
    return subprocess.run(
        [sys.executable, "-m", "scoring", *map(str, args)],
        capture_output=True,
        env=environment,
        cwd=cwd,
        check=False,
        timeout=120,
    )


@pytest.fixture
def chinese_paths(tmp_path: Path) -> Path:
    """The worked example's facts in a folder whose name has 汉字 and a space."""
    folder = tmp_path / "评价 材料"
    folder.mkdir()
    shutil.copyfile(FACTS, folder / "望城 信访.yaml")
    (tmp_path / "评价 结果").mkdir()
    return tmp_path


@pytest.mark.parametrize(
    ("encoding", "line"),
    [
        ("gbk", "20 - 0 × 5 → 20.00 / 20"),
        ("ascii", "20 - 0 x 5 -> 20.00 / 20"),
        ("utf-8", "20 − 0 × 5 → 20.00 / 20"),
    ],
)
def test_the_breakdown_prints_in_any_console_encoding(chinese_paths, encoding, line):
    done = run(["score", REF, "评价 材料/望城 信访.yaml"], encoding, chinese_paths)
    assert done.returncode == 0, done.stderr.decode(encoding, "replace")
    shown = done.stdout.decode(encoding)  # strict: every byte is the console's encoding
    assert line in shown
    assert "Traceback" not in done.stderr.decode(encoding)
    if encoding != "ascii":
        assert "长沙市望城区信访局" in shown


@pytest.mark.parametrize("encoding", ["gbk", "ascii"])
def test_outputs_and_messages_with_chinese_paths_in_any_console_encoding(chinese_paths, encoding):
    facts, output = "评价 材料/望城 信访.yaml", "评价 结果/结果 一.json"
    done = run(["score", REF, facts, "-o", output], encoding, chinese_paths)
    assert done.returncode == 0, done.stderr.decode(encoding, "replace")
    wrote = f"wrote {output}\n"
    if encoding == "ascii":  # each 汉字 shows as ?? (two columns, as it was)
        wrote = "".join("??" if ord(character) > 127 else character for character in wrote)
    assert done.stderr.decode(encoding) == wrote
    assert json.loads((chinese_paths / output).read_text(encoding="utf-8"))["total"] == "100.00"
    verified = run(["verify", output], encoding, chinese_paths)
    assert verified.returncode == 0, verified.stderr.decode(encoding, "replace")
    assert ": agrees\n" in verified.stdout.decode(encoding)
    missing = run(["score", REF, "评价 材料/没有 这个.yaml"], encoding, chinese_paths)
    assert missing.returncode == 2
    assert "Traceback" not in missing.stderr.decode(encoding)


def test_json_on_stdout_stays_utf8_whatever_the_console_encoding(chinese_paths):
    done = run(["score", REF, "评价 材料/望城 信访.yaml", "--json"], "gbk", chinese_paths)
    assert done.returncode == 0
    assert json.loads(done.stdout.decode("utf-8"))["subject"]["unit"] == "长沙市望城区信访局"
    (chinese_paths / "评价 结果/r.json").write_bytes(done.stdout)
    assert run(["verify", "评价 结果/r.json"], "gbk", chinese_paths).returncode == 0


def test_the_console_fallback_keeps_columns_and_common_symbols():
    assert consoles._lookalike("−") == "-"
    assert consoles._lookalike("━") == "-"
    assert consoles._lookalike("┃") == "|"
    assert consoles._lookalike("╇") == "+"
    assert consoles._lookalike("％") == "%"
    assert consoles._lookalike("总") == "??"  # two columns wide, as the 汉字 was
    assert consoles._lookalike("é") == "?"


# --- data shown as data ------------------------------------------------------------------------

HOSTILE_UNIT = (
    r'"望城\e[8m隐\e]8;;https://evil.example\e\\链\e]8;;\e\\ [conceal]藏[/conceal] [/bold]'
    r'\u202e局\x9b2J"'
)
HOSTILE_REASON = r'"[conceal]审核意见[/conceal] [link=https://evil.example]点此[/link] \e[31m红"'
ESCAPES = re.compile(r"\x1b|\x9b|\x9d|\u202e")


@pytest.fixture
def hostile(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """``score`` arguments for facts and an auditor's file full of escapes and markup."""
    monkeypatch.chdir(tmp_path)
    text = WANGCHENG.replace("unit: 长沙市望城区信访局", f"unit: {HOSTILE_UNIT}")
    Path("hostile.yaml").write_text(text, encoding="utf-8")
    Path("audit.yaml").write_text(
        f"overrides:\n  output.quantity.aided: {{points: 18, reason: {HOSTILE_REASON}, "
        'by: "王[/bold]五"}\n',
        encoding="utf-8",
    )
    return ["score", str(RULESET), "hostile.yaml", "--overrides", "audit.yaml"]


def assert_shown_as_data(shown: str) -> None:
    assert not ESCAPES.search(shown), repr(shown)
    assert "[conceal]藏[/conceal] [/bold]" in shown
    assert "[conceal]审核意见[/conceal] [link=https://evil.example]点此[/link] [31m红" in shown
    assert "王[/bold]五" in shown


def test_escapes_links_and_markup_in_data_reach_no_pipe(hostile):
    assert_shown_as_data(invoke(hostile).stdout)


def test_escapes_links_and_markup_in_data_reach_no_terminal(hostile, monkeypatch):
    screen = terminal(monkeypatch, "stdout", width=300, color_system="truecolor")
    invoke(hostile)
    shown = screen.getvalue()
    codes = {code for style in re.findall(r"\x1b\[([0-9;]*)m", shown) for code in style.split(";")}
    assert codes <= {"0", "1", "2", "3"}  # the table's own bold, dim and italic: no 8 (conceal)
    assert_shown_as_data(re.sub(r"\x1b\[[0-9;]*m", "", shown))


def test_a_result_and_its_verdict_show_the_subject_as_data(hostile):
    invoke([*hostile, "-o", "r.json"])
    assert_shown_as_data(invoke([*hostile[:3], "--overrides", "audit.yaml"]).stdout)
    verdict = invoke(["verify", "r.json"]).stdout
    assert not ESCAPES.search(verdict)
    assert "[conceal]藏[/conceal] [/bold]" in verdict


def test_a_markup_tag_in_a_unit_name_stops_no_batch(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    Path("units").mkdir()
    Path("units/a.yaml").write_text(WANGCHENG, encoding="utf-8")
    Path("units/b.yaml").write_text(
        WANGCHENG.replace("unit: 长沙市望城区信访局", 'unit: "[/bold]乙局"'), encoding="utf-8"
    )
    screen = terminal(monkeypatch, "stdout", width=200)
    result = invoke(["batch", REF, "units", "--results", "out", "-o", "-"])
    assert "[/bold]乙局" in screen.getvalue()
    assert "units/a.yaml" in screen.getvalue()
    assert result.stderr.splitlines()[-1] == "优 2 · 良 0 · 中 0 · 差 0"
    assert len(list(Path("out").iterdir())) == 2


def test_a_message_about_data_shows_no_escape(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    name = "\x1b]8;;evil.example\x1b\\甲\u202e局.yaml"
    Path(name).write_text(WANGCHENG.replace("救助人数: 48", "救助人数: 四十八"), encoding="utf-8")
    result = invoke(["score", RULESET, name], exit_code=1)
    assert result.stderr.startswith("]8;;evil.example\\甲局.yaml:10:9: ")
    assert not ESCAPES.search(result.stderr)


# --- progress bars -----------------------------------------------------------------------------


@pytest.fixture
def many(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Two facts files and their two results."""
    monkeypatch.chdir(tmp_path)
    for name in ("facts", "results"):
        Path(name).mkdir()
    for index in (1, 2):  # two units: the same one twice would be a duplicate
        unit = WANGCHENG.replace("长沙市望城区信访局", f"长沙市望城区信访局{index}")
        Path(f"facts/{index}.yaml").write_text(unit, encoding="utf-8")
        invoke(["score", REF, f"facts/{index}.yaml", "-o", f"results/{index}.json"])
    return tmp_path


@pytest.mark.parametrize(
    ("args", "label", "code"),
    [
        (["verify", "results"], "verifying", 0),
        (["lint", "facts"], "checking", 0),
        (["diff", str(RULESET), str(RULESET), "--facts", "facts"], "comparing", 0),
        (["batch", REF, "facts"], "scoring", 0),
        (["test", "facts"], "testing", 2),  # facts only: no ruleset to test,
    ],
)
def test_commands_that_read_many_files_show_progress_on_a_terminal(
    many, monkeypatch, args, label, code
):
    screen = terminal(monkeypatch, "stderr", width=100)
    invoke(args, exit_code=code)
    shown = screen.getvalue()
    assert label in shown
    assert "2/2" in shown


@pytest.mark.parametrize(
    "args",
    [
        ["verify", "results"],
        ["lint", "facts"],
        ["diff", str(RULESET), str(RULESET), "--facts", "facts"],
    ],
)
def test_no_progress_bar_when_stderr_is_not_a_terminal(many, args):
    result = invoke(args)
    assert "2/2" not in result.stderr
    assert "\x1b[" not in result.stderr
