"""What the wheel is built from and what users read: every package listed, citations they can follow."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest

from scoring.load.registry import SHIPPED_RULESETS
from scoring.load.rulesets import load_ruleset
from tests.conftest import ROOT, RULESETS


def test_every_package_of_the_source_tree_is_listed_for_the_wheel():
    """pyproject.toml lists the packages (it maps rulesets/ into one): a new one must be added."""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    listed = config["tool"]["setuptools"]["packages"]
    found = sorted(
        ".".join(init.parent.relative_to(ROOT).parts)
        for init in (ROOT / "scoring").rglob("__init__.py")
    )
    assert sorted(listed) == sorted([*found, "scoring.rulesets"])
    assert config["tool"]["setuptools"]["package-dir"] == {"scoring.rulesets": "rulesets"}


def test_the_development_install_reads_the_checkouts_rulesets():
    assert RULESETS.resolve() == SHIPPED_RULESETS


# Paths into the developers' own workspace: a user of the wheel or the repository has none of them.
UNREACHABLE = re.compile(r"shared/|seeds/|standards\.md|reference/standards")
USER_TEXTS = sorted(
    [
        *RULESETS.rglob("*.yaml"),
        *(path for path in (ROOT / "examples").rglob("*") if path.is_file()),
        *(ROOT / "docs").rglob("*.md"),
        ROOT / "README.md",
    ]
)


@pytest.mark.parametrize("path", USER_TEXTS, ids=lambda path: str(path.relative_to(ROOT)))
def test_shipped_texts_cite_documents_by_name_not_by_a_path_users_do_not_have(path: Path):
    lines = path.read_text(encoding="utf-8").splitlines()
    found = [f"{n}: {line}" for n, line in enumerate(lines, 1) if UNREACHABLE.search(line)]
    assert found == []


def test_each_xinfang_ruleset_cites_its_report_by_title():
    for path in sorted((RULESETS / "xinfang").glob("*.yaml")):
        basis = load_ruleset(path).basis or ""
        assert re.search(r"《[^》]*报告[^》]*》", basis), f"{path.name}: {basis}"
