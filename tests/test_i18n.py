"""Messages in two languages: the catalog is complete and compiled, the language is chosen well."""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys

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


def test_the_help_of_every_command_is_a_message():
    """Typer shows a command's docstring as its help: the catalog has it, to translate it."""
    spec = importlib.util.spec_from_file_location("i18n_tool", ROOT / "tools" / "i18n.py")
    assert spec is not None
    assert spec.loader is not None
    tool = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(tool)
    helps = {message for _, _, message in tool.command_docstrings()}
    assert "Print the engine's name and version." in helps
    assert any(message.startswith("Score a department's facts") for message in helps)
    extracted = {message.id for message in tool.extract()}
    assert helps <= extracted
