"""The guard rails of docs/architecture.md that are not import directions (lint-imports has those).

Every module of scoring/ stays small enough to read in one sitting, and no run of eleven lines is
written twice: the same lines, or lines of the same shape with other names, strings and numbers.
"""

from __future__ import annotations

import hashlib
import io
import keyword
import tokenize
import tomllib
from collections import defaultdict
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "scoring"
MODULES = sorted(PACKAGE.rglob("*.py"))
MAX_LINES = 400
RUN = 11
"""Lines that make a copy: ten shared lines may be a pattern, eleven are a function written twice."""
STRINGS = {
    tokenize.STRING,
    getattr(tokenize, "FSTRING_START", tokenize.STRING),
}  # 3.12 splits f-strings
MOST_PLACES = 8
"""A run found in more places than this is an idiom of the language, not a copy."""


@pytest.mark.parametrize("module", MODULES, ids=lambda path: str(path.relative_to(PACKAGE)))
def test_no_module_is_longer_than_400_lines(module: Path) -> None:
    lines = module.read_text(encoding="utf-8").count("\n")
    assert lines <= MAX_LINES, f"{module.relative_to(PACKAGE)}: {lines} lines; split it by concern"


def _shapes(module: Path) -> list[tuple[int, str]]:
    """Each line of code as its shape: names, strings and numbers blanked, keywords kept.

    Imports and lines of three tokens or fewer (a name in a list, a closing bracket) are left
    out: they say nothing about whether logic was copied.
    """
    lines: dict[int, list[str]] = defaultdict(list)
    skipped = {tokenize.COMMENT, tokenize.NL, tokenize.NEWLINE, tokenize.INDENT, tokenize.DEDENT}
    source = io.StringIO(module.read_text(encoding="utf-8"))
    for token in tokenize.generate_tokens(source.readline):
        if token.type in skipped or token.type == tokenize.ENDMARKER:
            continue
        if token.type == tokenize.NAME:
            word = token.string if keyword.iskeyword(token.string) else "N"
        elif token.type in STRINGS:
            word = "S"
        elif token.type == tokenize.NUMBER:
            word = "0"
        else:
            word = token.string
        lines[token.start[0]].append(word)
    return [
        (number, " ".join(words))
        for number, words in sorted(lines.items())
        if words[0] not in ("import", "from") and len(words) > 3
    ]


Place = tuple[str, int, int]


def _copies(modules: list[Path], root: Path) -> list[list[Place]]:
    places: dict[str, list[Place]] = defaultdict(list)
    for module in modules:
        shapes = _shapes(module)
        name = str(module.relative_to(root))
        for start in range(len(shapes) - RUN + 1):
            run = shapes[start : start + RUN]
            if len({shape for _number, shape in run}) < 3:
                continue  # a table of like lines (a registry, a list) is not a copy
            key = hashlib.sha256("\n".join(shape for _n, shape in run).encode()).hexdigest()
            places[key].append((name, run[0][0], run[-1][0]))
    copies = []
    for found in places.values():
        apart: list[Place] = []
        for place in found:
            if not any(
                other[0] == place[0] and other[1] <= place[2] and place[1] <= other[2]
                for other in apart
            ):
                apart.append(place)
        if 2 <= len(apart) <= MOST_PLACES:
            copies.append(apart)
    return copies


def test_no_eleven_lines_are_written_twice() -> None:
    shown = [
        " ~ ".join(f"{name}:{first}-{last}" for name, first, last in c)
        for c in _copies(MODULES, PACKAGE)
    ]
    assert not shown, "the same code in two places; let one serve both:\n" + "\n".join(shown)


def _function(name: str, word: str) -> str:
    """A function of fourteen lines of different shapes, its names and numbers chosen by word."""
    lines = (
        "def {n}({w}_items, {w}_limit):",
        "    {w}_total = 0",
        "    {w}_seen = set()",
        "    {w}_count = len({w}_items) + 1",
        "    print({w}_count, {w}_limit, sep=', ')",
        "    for {w}_item in {w}_items:",
        "        if {w}_item in {w}_seen:",
        "            continue",
        "        {w}_seen.add({w}_item)",
        "        {w}_total += {w}_item * {w}_limit",
        "        if {w}_total > {w}_limit ** 2:",
        "            raise ValueError('{w} too large')",
        "    {w}_mean = {w}_total / max(len({w}_seen), 1)",
        "    return round({w}_mean, 2), sorted({w}_seen)",
    )
    return "".join(line.format(n=name, w=word) + "\n" for line in lines)


def test_the_copy_check_finds_a_function_written_again_with_other_names(tmp_path: Path) -> None:
    (tmp_path / "one.py").write_text(_function("first", "a"))
    (tmp_path / "two.py").write_text("x = 1\n\n\n" + _function("second", "b"))
    modules = sorted(tmp_path.glob("*.py"))
    assert [[place[0] for place in copy] for copy in _copies(modules, tmp_path)][:1] == [
        ["one.py", "two.py"]
    ]


def test_the_copy_check_lets_a_table_of_like_lines_be(tmp_path: Path) -> None:
    table = "".join(f"    'name{index}': function{index},\n" for index in range(30))
    (tmp_path / "table.py").write_text(f"TABLE = {{\n{table}}}\n")
    assert _copies([tmp_path / "table.py"], tmp_path) == []


def test_every_package_is_a_layer_of_the_contract_and_of_the_architecture_page() -> None:
    packages = sorted(
        init.parent.name for init in PACKAGE.glob("*/__init__.py") if init.parent.name != "rulesets"
    )
    contract = tomllib.loads((PACKAGE.parent / "pyproject.toml").read_text(encoding="utf-8"))
    layers = " ".join(contract["tool"]["importlinter"]["contracts"][0]["layers"])
    page = (PACKAGE.parent / "docs" / "architecture.md").read_text(encoding="utf-8")
    assert [name for name in packages if f"scoring.{name}" not in layers] == []
    assert [name for name in packages if f"| `{name}/` |" not in page] == []
