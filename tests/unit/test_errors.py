"""Near-miss suggestions: a typo gets a did-you-mean, an opposite answer never does."""

from __future__ import annotations

import pytest

from scoring.errors import MAX_LISTED, RulesetError, SearchPathError, negates, one_of, suggest


@pytest.mark.parametrize(
    ("name", "known", "expected"),
    [
        pytest.param("执行", ["执行数", "预算数"], " (did you mean '执行数'?)", id="a_typo"),
        pytest.param("基本不满意", ["满意", "基本满意", "不满意"], "", id="negation_removed"),
        pytest.param("未完成", ["完成"], "", id="negation_added"),
        pytest.param("有结余", ["无结余"], "", id="negation_for_its_opposite"),
        pytest.param(
            "有结余但未超过上年结转",
            ["有结余但不超过上年结转"],
            " (did you mean '有结余但不超过上年结转'?)",
            id="one_negation_for_another_means_the_same",
        ),
        pytest.param("zzz", ["执行数"], "", id="nothing_near"),
    ],
)
def test_suggest_never_offers_the_opposite_answer(name, known, expected):
    assert suggest(name, known) == expected


def test_negates_counts_negations_on_each_side():
    assert negates("满意", "不满意")
    assert negates("没有问题", "有问题")
    assert not negates("非常满意", "非常满足")


def test_one_of_quotes_the_choices_and_cuts_a_long_list():
    assert one_of(["满意", "基本满意", "满意"]) == "'满意', '基本满意'"
    many = [f"c{index}" for index in range(MAX_LISTED + 3)]
    assert one_of(many).endswith(f"'c{MAX_LISTED - 1}', …")


def test_a_search_path_error_is_a_ruleset_error():
    """Callers that catch RulesetError still catch it; the CLI tells the two apart for exit 2."""
    assert issubclass(SearchPathError, RulesetError)
