"""What a reader of a report sees, as text, and the English words left in it.

The 自评表 is Chinese in every format. A report may still show identifiers the user wrote or the
engine stamps (indicator ids, fact names, units, the ruleset's id@version, fingerprints, the
engine's name): ``english_words`` takes those out first, then returns every ASCII word left.
"""

from __future__ import annotations

import io
import json
import re
from collections.abc import Iterable
from html.parser import HTMLParser
from typing import Any

WORD = re.compile(r"[A-Za-z]{2,}")
STAMPS = re.compile(
    r"sha256:[0-9a-f]*…?"  # a fingerprint, or its start in the terminal's caption
    r"|[a-z][a-z0-9_.-]*@[0-9A-Za-z._-]+"  # a ruleset's id@version
    r"|\bscoring \d+\.\d+\.\d+"  # the engine that computed the report
)


def english_words(text: str, identifiers: Iterable[str] = ()) -> list[str]:
    """The ASCII words in ``text`` that are neither stamps nor one of ``identifiers``' words."""
    allowed = {word for name in identifiers for word in WORD.findall(name)}
    return [word for word in WORD.findall(STAMPS.sub(" ", text)) if word not in allowed]


def result_identifiers(result: dict[str, Any]) -> set[str]:
    """Everything a result (as JSON data) names that its author chose: ids, facts, units, subject."""
    names = {*result["subject"].values(), *result["facts"]["facts"], *result["derived"]}
    names |= {value["unit"] or "" for value in result["derived"].values()}
    names |= set(result["not_applicable"])
    stack = list(result["indicators"])
    while stack:
        node = stack.pop()
        names |= {node["id"], node["path"], node["unit"] or ""}
        stack.extend(node["children"])
    return names


def explanations(result: dict[str, Any]) -> str:
    """The words a result (as JSON data) holds for people: explanations and findings."""
    texts = [finding["message"] for finding in result["findings"]]
    stack = list(result["indicators"])
    while stack:
        node = stack.pop()
        texts.append(node["explanation"])
        stack.extend(node["children"])
    return "\n".join(texts)


class _Visible(HTMLParser):
    """The text of a page a reader sees or hears: content and labels, not markup or style."""

    LABELS = ("title", "aria-label", "alt", "placeholder")

    def __init__(self) -> None:
        super().__init__()
        self.texts: list[str] = []
        self.in_style = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.in_style = tag in ("style", "script")
        self.texts += [value or "" for name, value in attrs if name in self.LABELS]

    def handle_endtag(self, tag: str) -> None:
        self.in_style = False

    def handle_data(self, data: str) -> None:
        if not self.in_style:
            self.texts.append(data)


def html_text(page: str) -> str:
    """What a reader of an HTML page sees (and a screen reader says)."""
    parser = _Visible()
    parser.feed(page)
    return "\n".join(parser.texts)


def markdown_text(text: str) -> str:
    """Markdown without its one HTML tag (line breaks inside table cells)."""
    return text.replace("<br>", "\n")


def workbook_text(data: bytes) -> str:
    """Every sheet's name and every text cell of a workbook."""
    import openpyxl

    book = openpyxl.load_workbook(io.BytesIO(data))
    texts = list(book.sheetnames)
    for sheet in book.worksheets:
        texts += [
            cell.value for row in sheet.iter_rows() for cell in row if isinstance(cell.value, str)
        ]
    return "\n".join(texts)


def json_result(text: str) -> dict[str, Any]:
    data = json.loads(text)
    assert isinstance(data, dict)
    return data
