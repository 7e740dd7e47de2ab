"""What the wheel is built from: every package listed, the shipped rulesets found in development."""

from __future__ import annotations

import tomllib

from scoring.registry import SHIPPED_RULESETS
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
