"""Keep the message catalogs in step with the code: extract, update, compile.

    python tools/i18n.py            # after changing messages: update the .po, compile the .mo
    python tools/i18n.py --check    # exit 1: a catalog is stale or a message lacks a translation

Messages are the strings wrapped in ``_()``, ``N_()`` and ``ngettext()`` in ``scoring/``
(scoring/i18n.py), the docstrings of the command-line commands, which Typer shows as their help,
and the words of the web pages: ``_()``, ``ngettext()`` and ``{% trans %}`` in
``scoring/web/templates`` (Jinja2's extractor reads them).
Translate a new message by filling its ``msgstr`` in ``scoring/locale/zh/LC_MESSAGES/scoring.po``,
then run this again to compile it. Babel does the reading and writing of catalogs.
"""

from __future__ import annotations

import argparse
import ast
import datetime
import gettext
import io
import re
import sys
from collections.abc import Iterator
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "scoring"
LOCALE_DIR = PACKAGE / "locale"
DOMAIN = "scoring"
FIXED_DATE = datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC)
KEYWORDS = {"_": None, "N_": None, "ngettext": (1, 2), "gettext": None}
"""The calls that mark a message; a template's {% trans %} block is a ``gettext`` call."""
TEMPLATES = "web/templates/**.html"
"""The web pages' templates, relative to the package."""
METHODS = [(TEMPLATES, "jinja2.ext:babel_extract"), ("**.py", "python")]
PLACEHOLDER = re.compile(r"(?<!\{)\{([^{}]*)\}(?!\})")
TRANS_PLACEHOLDER = re.compile(r"(?<!%)%\((\w+)\)s")
"""A variable of a template's ``{% trans %}`` block, as its message has it: ``%(name)s``."""


def po_path(language: str) -> Path:
    return LOCALE_DIR / language / "LC_MESSAGES" / f"{DOMAIN}.po"


def mo_path(language: str) -> Path:
    return po_path(language).with_suffix(".mo")


def extract() -> Catalog:
    """Every message in the package and its pages, with where it is used (relative to the repo)."""
    catalog = Catalog(project=DOMAIN, charset="utf-8")
    for filename, lineno, message, comments, context in extract_from_dir(
        str(PACKAGE),
        method_map=METHODS,
        options_map={TEMPLATES: {"extensions": "jinja2.ext.i18n"}},
        keywords=KEYWORDS,
    ):
        location = (f"scoring/{filename}", lineno)
        catalog.add(message, None, [location], auto_comments=comments, context=context)
    for filename, lineno, message in command_docstrings():
        catalog.add(message, None, [(filename, lineno)])
    return catalog


def command_docstrings() -> Iterator[tuple[str, int, str]]:
    """The docstring of every function decorated with ``@….command(…)``: Typer's help for it.

    Typer reads it as ``inspect.getdoc`` does (``ast.get_docstring`` cleans it the same way), so
    the text is the msgid that scoring/cli/language.py translates at run time.
    """
    for path in sorted(PACKAGE.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
        for node in ast.walk(tree):
            if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                continue
            docstring = ast.get_docstring(node)
            if docstring and any(map(_is_command_decorator, node.decorator_list)):
                yield path.relative_to(ROOT).as_posix(), node.body[0].lineno, docstring


def _is_command_decorator(decorator: ast.expr) -> bool:
    target = decorator.func if isinstance(decorator, ast.Call) else decorator
    return isinstance(target, ast.Attribute) and target.attr == "command"


def updated(template: Catalog, language: str) -> Catalog:
    """The language's catalog with every message of ``template``, keeping its translations."""
    path = po_path(language)
    if path.exists():
        with path.open("rb") as file:
            catalog = read_po(file, locale=language)
    else:
        catalog = Catalog(locale=language, project=DOMAIN, charset="utf-8")
    catalog.update(template, no_fuzzy_matching=True)
    catalog.obsolete.clear()
    return catalog


def po_bytes(catalog: Catalog) -> bytes:
    # No header and no locations: the file changes only when a message or translation does.
    buffer = io.BytesIO()
    write_po(buffer, catalog, width=100, omit_header=True, sort_output=True, no_location=True)
    return buffer.getvalue()


def mo_bytes(catalog: Catalog) -> bytes:
    # A fixed date in the header, so the same translations always compile to the same bytes.
    catalog.creation_date = catalog.revision_date = FIXED_DATE
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    return buffer.getvalue()


def translations(catalog: Catalog) -> dict[str, str | tuple[str, ...]]:
    """What a compiled catalog answers, message by message (the header aside)."""
    answers: dict[str, str | tuple[str, ...]] = {}
    for message in catalog:
        if not message.id or not message.string:
            continue
        if isinstance(message.id, tuple):
            answers[message.id[0]] = tuple(message.string)
        else:
            answers[str(message.id)] = str(message.string)
    return answers


def compiled(path: Path) -> dict[str, str | tuple[str, ...]]:
    """What the .mo at ``path`` answers, in the shape of :func:`translations`."""
    with path.open("rb") as file:
        table: dict[object, str] = gettext.GNUTranslations(file)._catalog  # type: ignore[attr-defined]
    answers: dict[str, str | tuple[str, ...]] = {}
    plurals: dict[str, list[tuple[int, str]]] = {}
    for key, value in table.items():
        if isinstance(key, tuple):
            singular, index = key
            plurals.setdefault(singular, []).append((index, value))
        elif key:
            assert isinstance(key, str)
            answers[key] = value
    for singular, forms in plurals.items():
        answers[singular] = tuple(string for _, string in sorted(forms))
    return answers


def placeholders(text: str) -> list[str]:
    return sorted(PLACEHOLDER.findall(text) + TRANS_PLACEHOLDER.findall(text))


def problems(catalog: Catalog) -> list[str]:
    """Messages without a translation, or whose translation changes the placeholders."""
    found = []
    for message in catalog:
        if not message.id:
            continue
        ids = list(message.id) if isinstance(message.id, tuple) else [message.id]
        strings = list(message.string) if isinstance(message.string, tuple) else [message.string]
        where = ", ".join(f"{file}:{line}" for file, line in message.locations)
        if not all(strings) or message.fuzzy:
            found.append(f"{where}: no translation for {ids[0]!r}")
            continue
        expected = placeholders(str(ids[-1]))
        if any(placeholders(str(string)) != expected for string in strings):
            found.append(f"{where}: placeholders differ in the translation of {ids[0]!r}")
    return found


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="change nothing; exit 1 if stale")
    arguments = parser.parse_args()
    catalog = updated(extract(), "zh")
    po, mo = po_path("zh"), mo_path("zh")
    stale = [path for path in (po, mo) if not path.exists()]
    if po.exists() and po.read_bytes() != po_bytes(catalog):
        stale.append(po)
    if mo.exists() and compiled(mo) != translations(catalog):
        stale.append(mo)
    found = problems(catalog)
    if arguments.check:
        for path in stale:
            print(f"{path.relative_to(ROOT)} is stale: run python tools/i18n.py")
        for problem in found:
            print(problem)
        return 1 if stale or found else 0
    po.parent.mkdir(parents=True, exist_ok=True)
    po.write_bytes(po_bytes(catalog))
    mo.write_bytes(mo_bytes(catalog))
    for problem in found:
        print(problem)
    return 0


if __name__ == "__main__":
    sys.exit(main())
