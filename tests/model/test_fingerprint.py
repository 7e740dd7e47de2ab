"""The ruleset fingerprint is computed once per ruleset, and a changed copy gets its own."""

from __future__ import annotations

import pickle
from decimal import Decimal

from scoring.load.rulesets import load_ruleset
from scoring.model.fingerprint import _plain, _sha256, canonical_json, ruleset_fingerprint
from tests.conftest import ROOT

HENGSHAN = ROOT / "rulesets/xinfang/hengshan-department-2019.yaml"


def computed(ruleset):
    """The fingerprint worked out afresh, without the one kept with the ruleset."""
    plain = _plain(ruleset)
    plain.pop("extends", None)
    plain.pop("tests", None)
    return _sha256(canonical_json(plain))


def test_fingerprint_is_kept_with_the_ruleset_once_computed():
    ruleset = load_ruleset(HENGSHAN)
    first = ruleset_fingerprint(ruleset)
    assert ruleset.kept.fingerprint == first == computed(ruleset)
    assert ruleset_fingerprint(ruleset) is first


def test_a_copy_with_other_fields_has_its_own_fingerprint():
    ruleset = load_ruleset(HENGSHAN)
    before = ruleset_fingerprint(ruleset)
    changed = ruleset.model_copy(update={"total": Decimal(200)})
    assert ruleset_fingerprint(changed) == computed(changed) != before
    assert ruleset_fingerprint(ruleset.model_copy(deep=True)) == before


def test_a_pickled_ruleset_carries_its_fingerprint():
    ruleset = load_ruleset(HENGSHAN)
    fingerprint = ruleset_fingerprint(ruleset)
    restored = pickle.loads(pickle.dumps(ruleset))
    assert restored.kept.fingerprint == fingerprint == computed(restored)
