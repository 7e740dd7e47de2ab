"""Messages in two languages: the catalog is complete and compiled, the language is chosen well."""

from __future__ import annotations

import asyncio
import importlib.util
import os
import re
import subprocess
import sys
import threading
from typing import Any

import pytest

from scoring import i18n
from tests.conftest import ROOT


def test_every_message_has_a_compiled_chinese_translation():
    run = subprocess.run(
        [sys.executable, str(ROOT / "tools" / "i18n.py"), "--check"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert run.returncode == 0, run.stdout + run.stderr


@pytest.mark.parametrize(
    ("environ", "expected"),
    [
        ({}, "en"),
        ({"LANG": "zh_CN.UTF-8"}, "zh"),
        ({"LANG": "en_US.UTF-8"}, "en"),
        ({"LANG": "C.UTF-8"}, "en"),
        ({"LC_ALL": "zh_TW.Big5", "LANG": "en_US.UTF-8"}, "zh"),
        ({"LC_ALL": "en_GB.UTF-8", "LANG": "zh_CN.UTF-8"}, "en"),
        ({"LANGUAGE": "zh_CN:en", "LANG": "en_US.UTF-8"}, "zh"),
        ({"LC_MESSAGES": "zh_CN.GBK"}, "zh"),
    ],
)
def test_language_follows_the_posix_locale_variables(environ, expected):
    assert i18n.language_from_environment(environ) == expected


def test_an_unknown_language_is_refused():
    with pytest.raises(ValueError, match="unknown language 'fr'"):
        i18n.set_language("fr")


def test_english_is_the_library_default_and_passes_messages_through():
    assert i18n.language() == "en"
    assert i18n._("unknown fact {name!r}") == "unknown fact {name!r}"


@pytest.mark.parametrize(
    ("name", "encoding", "expected"),
    [
        ("Chinese (Simplified)_China", "936", "zh"),  # Windows
        ("Chinese (Traditional)_Taiwan", "950", "zh"),
        ("zh_CN", "cp936", "zh"),
        ("zh_CN", "UTF-8", "zh"),
        (None, "cp936", "zh"),  # only the code page tells
        ("English_United States", "1252", "en"),
        ("en_US", "UTF-8", "en"),
        ("C", "UTF-8", "en"),
        (None, None, "en"),
    ],
)
def test_a_chinese_system_locale_is_chinese(name, encoding, expected):
    assert i18n.language_from_locale(name, encoding) == expected


CHINESE_WINDOWS = ("Chinese (Simplified)_China", "936")


@pytest.mark.parametrize(
    ("environ", "system", "expected"),
    [
        ({}, CHINESE_WINDOWS, "zh"),  # no locale variable: the system's locale decides
        ({}, ("English_United States", "1252"), "en"),
        ({}, (None, None), "en"),
        ({"LANG": "C"}, CHINESE_WINDOWS, "en"),  # a locale variable says more
        ({"LANG": ""}, CHINESE_WINDOWS, "zh"),  # an empty one says nothing
        ({"LANG": "zh_CN.UTF-8"}, (None, None), "zh"),
        ({"SCORING_LANG": "en", "LANG": "zh_CN.UTF-8"}, CHINESE_WINDOWS, "en"),
        ({"SCORING_LANG": "ZH ", "LANG": "C"}, (None, None), "zh"),
        ({"SCORING_LANG": "fr", "LANG": "zh_CN.UTF-8"}, (None, None), "zh"),  # ignored
    ],
)
def test_the_default_language_is_scoring_lang_then_the_locale_then_the_system(
    environ, system, expected
):
    assert i18n.default_language(environ, system) == expected


def test_n_marks_a_message_and_leaves_it_as_it_is(chinese):
    assert i18n.N_("wrote {file}") == "wrote {file}"
    assert i18n._(i18n.N_("wrote {file}")) == "已写入 {file}"


def test_tests_run_in_english_whatever_the_developers_locale():
    assert os.environ[i18n.LANGUAGE_VARIABLE] == "en"
    assert i18n.language() == "en"


def test_the_chinese_fixture_reaches_the_command_line_too(chinese):
    assert os.environ[i18n.LANGUAGE_VARIABLE] == "zh"
    assert i18n.language() == "zh"


def _tool() -> Any:
    """tools/i18n.py, imported."""
    spec = importlib.util.spec_from_file_location("i18n_tool", ROOT / "tools" / "i18n.py")
    assert spec is not None
    assert spec.loader is not None
    tool = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(tool)
    return tool


def test_the_words_of_the_web_pages_are_messages_and_checked():
    tool = _tool()
    catalog = tool.updated(tool.extract(), "zh")
    button, block = "Save draft", "<code>%(path)s</code> audited score %(points)s: %(reason)s"
    assert [file for file, _ in catalog[button].locations] == ["scoring/web/templates/form.html"]
    assert catalog[block].string == "<code>%(path)s</code> 审核得分 %(points)s：%(reason)s"
    assert tool.problems(catalog) == []
    catalog[button].string = ""
    catalog[block].string = "<code>%(path)s</code> 审核得分：%(reason)s"
    unplaced = [re.sub(r":[0-9]+:", ":", problem) for problem in tool.problems(catalog)]
    assert unplaced == [
        f"scoring/web/templates/audit_trail.html: placeholders differ in the translation of {block!r}",
        f"scoring/web/templates/form.html: no translation for {button!r}",
    ]


def test_the_help_of_every_command_is_a_message():
    """Typer shows a command's docstring as its help: the catalog has it, to translate it."""
    tool = _tool()
    helps = {message for _, _, message in tool.command_docstrings()}
    assert "Print the engine's name and version." in helps
    assert any(message.startswith("Score a department's facts") for message in helps)
    extracted = {message.id for message in tool.extract()}
    assert helps <= extracted


def _spoken_together(languages: tuple[str, ...]) -> dict[str, list[str]]:
    """Each language spoken in a thread of its own, all inside :func:`speaking` at once."""
    inside = threading.Barrier(len(languages), timeout=10)
    heard: dict[str, list[str]] = {}

    def speak(language: str) -> None:
        with i18n.speaking(language):
            inside.wait()  # every thread is inside its block before any translates
            heard[language] = [i18n.language(), i18n._("no such page")]
            inside.wait()  # and none leaves before all have translated

    threads = [threading.Thread(target=speak, args=(each,)) for each in languages]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return heard


def test_two_threads_speaking_at_once_each_hear_their_own_language():
    heard = _spoken_together(("zh", "en"))
    assert heard == {"zh": ["zh", "没有这个页面"], "en": ["en", "no such page"]}
    assert i18n.language() == "en"  # and the process's language is left as it was


def test_two_tasks_speaking_at_once_each_hear_their_own_language():
    async def speak(language: str, both: asyncio.Barrier) -> str:
        with i18n.speaking(language):
            await both.wait()
            return i18n._("no such page")

    async def together() -> list[str]:
        both = asyncio.Barrier(2)
        return list(await asyncio.gather(speak("zh", both), speak("en", both)))

    assert asyncio.run(together()) == ["没有这个页面", "no such page"]


def test_the_command_lines_language_is_the_whole_process(chinese):
    heard: list[str] = []
    thread = threading.Thread(target=lambda: heard.append(i18n._("no such page")))
    thread.start()
    thread.join()
    assert heard == ["没有这个页面"]
    with i18n.speaking("en"):
        assert i18n._("no such page") == "no such page"
    assert i18n._("no such page") == "没有这个页面"


def test_speaking_an_unknown_language_is_refused():
    with pytest.raises(ValueError, match="unknown language 'fr'"), i18n.speaking("fr"):
        pass
