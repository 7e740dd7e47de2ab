"""The department's form: a tier's 得分 and 说明 as fields, read as ``{tier, score, note}``."""

from __future__ import annotations

import functools
import json
from decimal import Decimal
from typing import Any

import yaml  # noqa: TID251 (the ruleset's own worked example, read to be typed in)
from fastapi.testclient import TestClient
from hypothesis import given, settings
from hypothesis import strategies as st
from starlette.datastructures import FormData

from scoring.model.ruleset import Ruleset
from scoring.web import form
from tests.conftest import RULESETS
from tests.web.test_browser import typed

SOURCE = RULESETS / "illustrative" / "project-self-eval-2020.yaml"
REF = "illustrative.project-self-eval@2020.1"
PAGE = f"/rulesets/{REF}"


def _example() -> dict[str, Any]:
    """The ruleset's first worked example: its facts and what it expects."""
    document = yaml.safe_load(SOURCE.read_text(encoding="utf-8"))
    example: dict[str, Any] = document["tests"][0]
    return example


def _filled(facts: dict[str, Any]) -> dict[str, str]:
    """The example's facts as a person types them, a tier's parts in their own fields."""
    fields = {"subject.unit": "某信访局", "subject.year": "2020"}
    for name, value in facts.items():
        if isinstance(value, dict):
            fields |= {f"fact.{name}.{part}": str(value[part]) for part in ("score", "note")}
            value = value["tier"]
        fields[f"fact.{name}"] = typed(value)
    return fields


def test_a_tier_has_its_score_and_note_as_fields(client: TestClient):
    page = client.get(PAGE).text
    for name in ("信访秩序", "长效机制"):
        assert f'name="fact.{name}.score"' in page
        assert f'name="fact.{name}.note"' in page
    assert 'name="fact.接待人次.score"' not in page


def test_a_tier_filled_with_its_score_and_note_scores_as_the_worked_example(client: TestClient):
    example = _example()
    page = client.post(PAGE, data=_filled(example["facts"]))
    assert page.status_code == 200, page.text
    expected = example["expect"]
    assert f'<strong id="total">{expected["total"]:.2f}</strong>' in page.text
    assert f'<strong id="grade">{expected["grade"]}</strong>' in page.text


def test_a_tier_without_its_score_is_refused_at_its_field_in_chinese(client: TestClient):
    filled = _filled(_example()["facts"])
    del filled["fact.信访秩序.score"]
    del filled["fact.信访秩序.note"]
    page = client.post(PAGE, data=filled)
    assert page.status_code == 422
    assert 'data-field="fact.信访秩序">' in page.text
    error = page.text.split('data-field="fact.信访秩序">', 1)[1].split("<", 1)[0]
    assert "没有默认得分：请填写其得分和说明" in error
    filled = _filled(_example()["facts"]) | {"fact.信访秩序.score": "十分"}
    error = client.post(PAGE, data=filled).text.split('data-field="fact.信访秩序">', 1)[1]
    assert "应为数字" in error.split("<", 1)[0]


@functools.cache
def _ruleset() -> Ruleset:
    return form.ruleset_by_ref(REF, ())


@settings(max_examples=30)
@given(
    points=st.decimals(min_value=0, max_value=10, places=2, allow_nan=False),
    note=st.text(
        st.characters(blacklist_categories=("Cc", "Cs", "Zl", "Zp")), min_size=1, max_size=20
    ).filter(lambda text: text.strip() == text),
)
def test_a_tier_claim_goes_through_the_form_exactly(points: Decimal, note: str):
    """Its 得分 is read as the exact decimal typed, its 说明 as written, and read back alike."""
    ruleset = _ruleset()
    filled = {"fact.信访秩序": "达成年度指标", "fact.信访秩序.score": str(points)}
    filled["fact.信访秩序.note"] = note
    document = form.facts_document(ruleset, FormData(filled))
    text = form.document_json(document, sort_keys=True)
    assert json.loads(text, parse_float=Decimal)["facts"]["信访秩序"]["score"] == points
    data = form.form_source(ruleset, FormData(filled)).data
    claim = data["facts"]["信访秩序"]
    assert (Decimal(str(claim["score"])), claim["note"]) == (points, note)
    values, chosen = form.form_values(json.loads(text, parse_float=Decimal))
    assert values["fact.信访秩序.score"] == str(points)
    assert values["fact.信访秩序.note"] == note
    assert chosen == set()


_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(), inner, max_size=3),
    max_leaves=10,
)


@settings(max_examples=50)
@given(document=st.dictionaries(st.text(), _JSON, max_size=4))
def test_a_document_without_decimals_is_written_as_json_writes_it(document: dict[str, Any]):
    """A version's facts are kept byte for byte as before tiers had their own fields."""
    expected = json.dumps(document, ensure_ascii=False, sort_keys=True)
    assert form.document_json(document, sort_keys=True) == expected
    assert form.document_json(document) == json.dumps(document, ensure_ascii=False)
