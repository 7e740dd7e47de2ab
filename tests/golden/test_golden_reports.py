"""Every example in examples/ renders to the committed 自评表, as Markdown and as HTML, byte for byte.

The expected files (`<example>.md`, `<example>.html`) are generated, never hand-edited:
`pytest tests/golden --update-golden` rewrites them; review the diff (and open an HTML one).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from scoring.engine import score
from scoring.loader import load_facts, load_ruleset
from scoring.render import RENDERERS
from scoring.results import ScoreResult
from tests.golden.test_golden import CASES, EXPECTED, _ruleset_ref

FORMATS = ("md", "html")


def _result(facts: Path) -> ScoreResult:
    ruleset = load_ruleset(_ruleset_ref(facts))
    return score(ruleset, load_facts(facts, ruleset))


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("facts", CASES, ids=lambda path: path.stem)
def test_example_renders_to_its_golden_report(facts: Path, fmt: str, update_golden: bool):
    render = RENDERERS[fmt]
    actual = render(_result(facts))
    assert render(_result(facts)) == actual, "the same facts must give the same bytes"
    expected = EXPECTED / f"{facts.stem}.{fmt}"
    if update_golden:
        expected.parent.mkdir(exist_ok=True)
        expected.write_text(actual, encoding="utf-8", newline="\n")
    assert expected.read_bytes() == actual.encode("utf-8")


@pytest.mark.parametrize("fmt", FORMATS)
def test_every_golden_report_has_an_example(fmt: str):
    assert sorted(path.stem for path in EXPECTED.glob(f"*.{fmt}")) == [path.stem for path in CASES]
