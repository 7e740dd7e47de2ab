"""Messages in two languages: the catalog is complete and compiled, the language is chosen well."""

from __future__ import annotations

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
