"""The language of the command line: chosen before anything prints, Chinese or English throughout.

``--lang zh|en`` (before the command) wins; else ``SCORING_LANG``; else the locale variables;
where none is set (Windows), the system's locale. Every test here says which language it wants:
the suite otherwise runs with ``SCORING_LANG=en`` (tests/conftest.py).
"""

from __future__ import annotations

import errno
import locale
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from typer import rich_utils  # noqa: TID251 (Typer's own words, which the CLI translates)

from scoring import i18n
from scoring.cli.language import asked_language, os_reason, usage_error_text
from tests.cli.test_commands import registered_commands
from tests.conftest import ROOT
from tests.helpers import FACTS, REF, invoke, run_module

NO_LOCALE: dict[str, str | None] = {
    "SCORING_LANG": None,
    "LANGUAGE": None,
    "LC_ALL": None,
    "LC_MESSAGES": None,
    "LANG": None,
}
"""An environment that names no language at all (as on Windows)."""

COMMANDS = [[], *(list(words) for words in registered_commands())]
"""Every command (and the app itself), for its --help."""

ENGLISH_WORDS = re.compile(
    r"\b(the|a|an|of|to|and|or|for|with|is|are|this|that|each|every|its|when|from|by|as|not|"
    r"file|files|show|print|write|options?|arguments?|commands?|usage|error|help|message|exit|"
    r"default|required|ruleset|facts|score|result|results)\b",
    re.IGNORECASE,
)
"""Words that appear in any English help sentence, and in no option name once those are gone."""


def prose(help_text: str) -> str:
    """A help screen without what stays English in every language: names, metavars, examples."""
    text = re.sub(r"--?[A-Za-z][\w-]*", " ", help_text)  # options
    text = re.sub(r"<[^>]*>|\{[^}]*\}|\[[A-Z][^\]]*\]", " ", text)  # metavars, [OPTIONS]
    text = re.sub(r"`[^`]*`", " ", text)  # command lines quoted in a command's help
    text = re.sub(r"\b[A-Z][A-Z_]+\b…?", " ", text)  # COMMAND, RULESET…, JSON
    text = re.sub(r"(?m)^│ [a-z]+ ", " ", text)  # the names in the commands panel
    return re.sub(r"\bscoring( [a-z]+)*", " ", text)  # command lines named in a help text


@pytest.fixture
def workspace(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The worked example's facts, and an empty folder, in the current directory."""
    shutil.copy(FACTS, tmp_path / "facts.yaml")
    (tmp_path / "empty").mkdir()
    monkeypatch.chdir(tmp_path)
    return tmp_path


# --- choosing the language --------------------------------------------------------------------


def test_lang_zh_gives_chinese_errors_and_summaries(workspace):
    assert invoke(["--lang", "zh", "lint", "facts.yaml"]).stderr == "已检查 1 个文件，没有问题\n"
    refused = invoke(["--lang", "zh", "lint", "empty"], exit_code=2)
    assert refused.stderr == "错误：empty 中没有规则集、填报文件、自报得分文件或结果文件\n"
    wrote = invoke(["--lang", "zh", "score", REF, "facts.yaml", "-o", "r.json"])
    assert wrote.stderr == "已写入 r.json\n"


def test_lang_en_gives_english_even_over_scoring_lang(workspace):
    env = {"SCORING_LANG": "zh", "LANG": "zh_CN.UTF-8"}
    assert (
        invoke(["--lang", "en", "lint", "facts.yaml"], env=env).stderr
        == "1 file checked, no problems\n"
    )
    refused = invoke(["--lang=en", "lint", "empty"], exit_code=2, env=env)
    assert refused.stderr == "error: no ruleset, facts, claims or result files in empty\n"


@pytest.mark.parametrize(
    ("environ", "expected"),
    [
        ({"LANG": "zh_CN.UTF-8"}, "已检查 1 个文件，没有问题\n"),
        ({"LC_ALL": "zh_CN.GB18030", "LANG": "en_US.UTF-8"}, "已检查 1 个文件，没有问题\n"),
        ({"LANG": "C"}, "1 file checked, no problems\n"),
        ({"LANG": "en_US.UTF-8"}, "1 file checked, no problems\n"),
        ({"SCORING_LANG": "zh", "LANG": "C"}, "已检查 1 个文件，没有问题\n"),
        ({"SCORING_LANG": "en", "LANG": "zh_CN.UTF-8"}, "1 file checked, no problems\n"),
    ],
)
def test_the_environment_chooses_when_lang_is_not_given(workspace, environ, expected):
    assert invoke(["lint", "facts.yaml"], env={**NO_LOCALE, **environ}).stderr == expected


def test_a_chinese_windows_names_its_language_only_in_the_system_locale(workspace, monkeypatch):
    monkeypatch.setattr(locale, "getlocale", lambda: ("Chinese (Simplified)_China", "936"))
    assert invoke(["lint", "facts.yaml"], env=NO_LOCALE).stderr == "已检查 1 个文件，没有问题\n"
    # a locale variable, even C, says more than the system's locale
    english = invoke(["lint", "facts.yaml"], env={**NO_LOCALE, "LANG": "C"})
    assert english.stderr == "1 file checked, no problems\n"


def test_the_real_command_speaks_the_locale(workspace):
    def real(args: list[str], **variables: str) -> subprocess.CompletedProcess[str]:
        return run_module(
            args, workspace, env={**NO_LOCALE, "PYTHONIOENCODING": "utf-8", **variables}
        )

    chinese = real(["lint", "facts.yaml"], LANG="zh_CN.UTF-8")
    assert (chinese.returncode, chinese.stderr) == (0, "已检查 1 个文件，没有问题\n")
    english = real(["lint", "facts.yaml"], LANG="C")
    assert (english.returncode, english.stderr) == (0, "1 file checked, no problems\n")
    asked = real(["--lang", "en", "lint", "empty"], LANG="zh_CN.UTF-8")
    assert asked.returncode == 2
    assert asked.stderr == "error: no ruleset, facts, claims or result files in empty\n"
    helped = real(["--lang", "zh", "--help"], LANG="C")
    assert "用法：scoring [OPTIONS] COMMAND [ARGS]..." in helped.stdout


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        ([], None),
        (["--lang", "zh", "score"], "zh"),
        (["--lang=EN", "lint"], "en"),
        (["--version", "--lang", "zh"], "zh"),
        (["--lang", "zh", "--lang", "en", "score"], "en"),
        (["--lang", "fr", "score"], None),  # left to click to refuse
        (["--lang"], None),
        (["score", "--lang", "zh"], None),  # an option of scoring, not of its commands
        (["--", "--lang", "zh"], None),
    ],
)
def test_lang_is_read_among_scorings_own_options(args, expected):
    assert asked_language(args) == expected


def test_an_unknown_language_is_a_usage_error():
    refused = invoke(["--lang", "fr", "version"], exit_code=2)
    assert "Invalid value for '--lang'" in refused.stderr
    assert "'fr' is not one of 'zh', 'en'" in refused.stderr


def test_a_run_in_chinese_leaves_english_behind(workspace):
    make_text = rich_utils._make_rich_text
    invoke(["--lang", "zh", "score", "--help"])
    assert i18n.language() == "en"
    assert i18n._("wrote {file}") == "wrote {file}"
    assert rich_utils.OPTIONS_PANEL_TITLE == "Options"
    assert rich_utils._make_rich_text is make_text


# --- help -------------------------------------------------------------------------------------


@pytest.mark.parametrize("command", COMMANDS, ids=lambda command: " ".join(command) or "scoring")
def test_help_in_chinese_has_no_english_sentence(command):
    shown = invoke(["--lang", "zh", *command, "--help"]).stdout
    assert shown.lstrip().startswith("用法：scoring")
    assert "选项" in shown
    assert "显示本帮助并退出。" in shown
    assert ENGLISH_WORDS.findall(prose(shown)) == []
    assert "…" not in prose(shown)  # a sentence folds at the edge of its column, never cut short


def test_help_in_english_is_typers_own_words():
    shown = invoke(["--lang", "en", "score", "--help"]).stdout
    assert shown.lstrip().startswith("Usage: scoring score")
    assert "Score a department's facts: the breakdown, the total and the grade." in shown
    assert "Show this message and" in shown
    assert len(ENGLISH_WORDS.findall(prose(shown))) > 50


def test_the_commands_and_their_arguments_are_explained_in_chinese():
    shown = invoke(["--lang", "zh", "--help"]).stdout
    assert "依据带版本号的 YAML 规则集进行预算绩效评价。" in shown
    assert "为部门的填报数据评分：评分明细、总分和等级。" in shown
    assert "╭─ 命令 " in shown
    score = invoke(["--lang", "zh", "score", "--help"]).stdout
    assert "╭─ 参数 " in score
    assert "[必填]" in score
    schema = invoke(["--lang", "zh", "schema", "--help"]).stdout
    assert "[默认：schemas]" in schema


# --- usage errors -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "english", "chinese"),
    [
        (["score"], "Missing argument 'RULESET'.", "缺少参数 'RULESET'"),
        (
            ["score", "--format", "pdf", "r.yaml", "f.yaml"],
            "Invalid value for '--format': Value error, 'pdf' is not one of",
            "'--format' 的值无效：'pdf' 不是可选的值（'text', 'json', 'md', 'html',",
        ),
        (["scre"], "No such command 'scre'. Did you mean", "没有命令 'scre'（是否应为 'score'"),
        (["score", "a", "b", "c"], "Got unexpected extra argument(s) (c)", "多余的参数：c"),
        (["schema", "--directory"], "Option '--directory' requires", "选项 '--directory' 后面要给"),
        (["score", "--nothing"], "No such option: --nothing", "没有选项 --nothing"),
    ],
)
def test_usage_errors_are_in_the_language_chosen(args, english, chinese):
    in_english = invoke(["--lang", "en", *args], exit_code=2).stderr
    in_chinese = invoke(["--lang", "zh", *args], exit_code=2).stderr
    assert english in in_english
    assert chinese in in_chinese
    assert "╭─ 错误 " in in_chinese
    assert "Error" not in in_chinese


def test_a_usage_error_keeps_its_usage_line_and_help_hint_in_chinese():
    refused = invoke(["--lang", "zh", "score"], exit_code=2).stderr
    assert refused.splitlines()[:2] == [
        "用法：scoring score [OPTIONS] {RULESET} [FACTS]",
        "输入 'scoring score --help' 查看帮助",
    ]


def test_an_unknown_usage_error_is_left_in_clicks_words(chinese):
    assert usage_error_text("Something click never said.") == "Something click never said."
    reason = "Invalid value for 'X': something new."
    assert usage_error_text(reason) == "'X' 的值无效：something new."


def test_usage_error_text_is_clicks_own_in_english():
    assert usage_error_text("Missing argument 'RULESET'.") == "Missing argument 'RULESET'."


@pytest.mark.parametrize(
    ("english", "expected"),
    [
        ("Missing option '--name'.", "缺少选项 '--name'"),
        ("Missing command.", "缺少命令"),
        (
            "No such option: --x (Possible options: --json, --sign)",
            "没有选项 --x（是否应为 --json, --sign？）",
        ),
        ("No such option: --x Did you mean --json?", "没有选项 --x（是否应为 --json？）"),
        ("Got unexpected extra arguments (a b)", "多余的参数：a b"),
        ("Invalid value for '-d': dir 'x' does not exist.", "'-d' 的值无效：'x' 不存在"),
        (
            "Invalid value for 'FACTS': File 'x' is a directory.",
            "'FACTS' 的值无效：'x' 是目录，不是文件",
        ),
        ("Invalid value for '-d': Directory 'x' is a file.", "'-d' 的值无效：'x' 是文件，不是目录"),
    ],
)
def test_clicks_usage_errors_in_chinese(chinese, english, expected):
    assert usage_error_text(english) == expected


# --- messages ---------------------------------------------------------------------------------


def test_what_the_operating_system_says_is_in_the_language_chosen(chinese):
    assert (
        os_reason(FileNotFoundError(errno.ENOENT, "No such file or directory"))
        == "文件或目录不存在"
    )
    assert os_reason(PermissionError(errno.EACCES, "Permission denied")) == "没有权限"
    assert os_reason(OSError(errno.EIO, "Input/output error")) == "Input/output error"


def test_what_the_operating_system_says_in_english_is_its_own():
    assert os_reason(OSError(errno.ENOENT, "Datei nicht gefunden")) == "Datei nicht gefunden"


def test_a_file_that_cannot_be_written_says_why_in_chinese(workspace):
    (workspace / "taken").write_text("", encoding="utf-8")
    refused = invoke(["--lang", "zh", "schema", "-d", "taken/schemas"], exit_code=2)
    assert refused.stderr == "错误：无法把JSON Schema写入 taken/schemas：不是目录\n"


def test_summaries_of_many_files_in_chinese(workspace):
    invoke(["score", REF, "facts.yaml", "--json", "-o", "empty/r.json"])
    verified = invoke(["--lang", "zh", "verify", "empty"])
    assert verified.stderr == "1 个结果：1 个一致，0 个不一致，0 个无法核对\n"
    skipped = invoke(["--lang", "zh", "lint", "empty/r.json", "facts.yaml"])
    assert skipped.stderr.splitlines() == [
        "注：empty/r.json：这是 scoring score 的结果，已跳过：请用 scoring verify empty/r.json 核对",
        "已检查 1 个文件，没有问题，跳过 1 个",
    ]


def test_worked_examples_summary_in_chinese(workspace):
    shown = invoke(["--lang", "zh", "test", ROOT / "rulesets/xinfang/wangcheng-relief-2022.yaml"])
    assert re.fullmatch(r"(\d+) 个测试用例：\1 个通过，0 个未通过\n", shown.stderr)
