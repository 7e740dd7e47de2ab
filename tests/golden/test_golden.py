"""Every example in examples/ scores to the committed result, byte for byte.

The expected files are generated, never hand-edited: `pytest tests/golden --update-golden`
rewrites them; review the diff.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from scoring.engine.score import score
from scoring.load.facts import load_facts
from scoring.load.rulesets import load_ruleset
from scoring.load.yaml_source import parse_yaml
from scoring.render import render_json
from tests.conftest import EXAMPLES
from tests.helpers import check_golden

EXPECTED = Path(__file__).parent / "expected"
CASES = sorted(EXAMPLES.glob("*.yaml"))


def _ruleset_ref(facts: Path) -> str:
    data = parse_yaml(facts.read_text(encoding="utf-8"), str(facts))
    ref = data.get("ruleset")
    assert isinstance(ref, str), f"{facts} must name its ruleset"
    return ref


@pytest.mark.parametrize("facts", CASES, ids=lambda path: path.stem)
def test_example_scores_to_its_golden_result(facts: Path, update_golden: bool):
    ruleset = load_ruleset(_ruleset_ref(facts))
    actual = render_json(score(ruleset, load_facts(facts, ruleset)))
    check_golden(EXPECTED / f"{facts.stem}.json", actual, update_golden)


def test_every_golden_file_has_an_example():
    results = [path for path in EXPECTED.glob("*.json") if not path.name.endswith(".xlsx.json")]
    assert sorted(path.stem for path in results) == [path.stem for path in CASES]
