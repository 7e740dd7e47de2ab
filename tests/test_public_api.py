"""The public API: scoring.__all__ is sorted and complete, and the version is the package's."""

from __future__ import annotations

import importlib.metadata

import scoring


def test_all_is_sorted_and_names_only_what_exists():
    assert scoring.__all__ == sorted(scoring.__all__)
    assert all(hasattr(scoring, name) for name in scoring.__all__)


def test_every_public_name_is_listed():
    public = {name for name in vars(scoring) if not name.startswith("_")}
    modules = {name for name in public if type(getattr(scoring, name)).__name__ == "module"}
    assert public - modules - {"annotations"} <= set(scoring.__all__)


def test_engine_version_is_the_installed_package_version():
    assert scoring.__version__ == importlib.metadata.version("scoring")
