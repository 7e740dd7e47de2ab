"""Near-miss suggestions: a typo gets a did-you-mean, an opposite answer never does."""

from __future__ import annotations

import pytest

from scoring.errors import (
    MAX_LISTED,
    Issue,
    OverridesError,
    RulesetError,
    SearchPathError,
    SourceLocation,
    negates,
    one_of,
    suggest,
)


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


# --- in Chinese -----------------------------------------------------------------------------


def test_the_did_you_mean_and_the_choices_are_said_in_chinese(chinese):
    assert suggest("执行", ["执行数", "预算数"]) == "（是否应为 '执行数'？）"
    assert one_of(["满意", "基本满意"]) == "'满意'、'基本满意'"
    many = [f"c{index}" for index in range(MAX_LISTED + 3)]
    assert one_of(many).endswith(f"'c{MAX_LISTED - 1}'、…")


def test_the_header_counts_the_problems_in_chinese(chinese):
    issues = [
        Issue("甲", SourceLocation("r.yaml", 1, 1)),
        Issue("乙", SourceLocation("r.yaml", 2, 1)),
    ]
    assert str(RulesetError(issues, "r.yaml")) == "r.yaml：2 个问题\nr.yaml:1:1: 甲\nr.yaml:2:1: 乙"
    assert str(RulesetError(issues)).splitlines()[0] == "2 个问题"
    assert str(RulesetError(issues[:1], "r.yaml")) == "r.yaml:1:1: 甲"  # one problem: no header
    assert str(OverridesError(issues[:1], "audit.yaml")) == (
        "audit.yaml：审核调整文件（--overrides）中有 1 个问题\nr.yaml:1:1: 甲"
    )


def test_the_header_says_one_problem_and_many_problems_in_english():
    issues = [Issue("a"), Issue("b")]
    assert str(RulesetError(issues, "r.yaml")).splitlines()[0] == "r.yaml: 2 problems"
    assert str(OverridesError(issues[:1], "audit.yaml")).splitlines()[0] == (
        "audit.yaml: 1 problem in the auditor's overrides (--overrides)"
    )
    assert str(OverridesError(issues, "audit.yaml")).splitlines()[0] == (
        "audit.yaml: 2 problems in the auditor's overrides (--overrides)"
    )
