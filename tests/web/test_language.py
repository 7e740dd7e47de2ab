"""The language of a page: Chinese unless the browser asks for English first."""

from __future__ import annotations

import pytest

from scoring import i18n
from scoring.web.language import asked_language, speaking


@pytest.mark.parametrize(
    ("header", "language"),
    [
        (None, "zh"),
        ("", "zh"),
        ("zh-CN,zh;q=0.9,en;q=0.8", "zh"),
        ("en-US,en;q=0.9", "en"),
        ("EN", "en"),
        ("fr-FR,en;q=0.5", "zh"),
    ],
)
def test_the_first_language_asked_decides(header: str | None, language: str):
    assert asked_language(header) == language


def test_speaking_puts_the_language_before_back():
    assert i18n.language() == "en"
    with speaking("zh"):
        assert i18n.language() == "zh"
        assert i18n._("no such page") == "没有这个页面"
    assert i18n.language() == "en"
