"""The search path and `extends`: merge by indicator id, override, add, remove; refuse loops."""

from __future__ import annotations

import os
import textwrap
import time
from collections import Counter
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from scoring.engine.score import score
from scoring.errors import RulesetError, SearchPathError
from scoring.i18n import set_language
from scoring.load import registry
from scoring.load.facts import parse_facts
from scoring.load.registry import (
    SHIPPED_RULESETS,
    Registry,
    read_ruleset_file,
    shown_file,
    version_key,
)
from scoring.load.rulesets import load_ruleset
from scoring.load.yaml_source import parse_yaml
from scoring.model.ruleset import NATIONAL_GRADES
from tests.conftest import ROOT
from tests.load.test_yaml_source import shape

PARENT = """\
id: t.parent
version: "{version}"
title: 父
kind: project
grades: {{优: 90, 良: 80, 中: 60, 差: 0}}
facts:
  a: {{min: 0}}
indicators:
  - id: execution
    name: 执行
    weight: 40
    method: ratio
    actual: a
    target: 10
  - id: output
    name: 产出指标
    weight: 60
    children:
      - {{id: quantity, name: 数量指标, children: []}}
      - {{id: quality, name: 质量指标, children: []}}
"""


def write(directory: Path, name: str, text: str) -> Path:
    path = directory / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


@pytest.fixture
def search(tmp_path: Path) -> Path:
    write(tmp_path, "parent-1.yaml", PARENT.format(version="1"))
    write(
        tmp_path, "parent-2.yaml", PARENT.format(version="2").replace("weight: 40", "weight: 40.0")
    )
    return tmp_path


CHILD = """\
id: t.child
version: "1"
title: 子
kind: project
extends: t.parent@1
facts:
  n: {type: integer}
indicators:
  - id: execution
    weight: 40
    target: 20
  - id: output
    children:
      - id: quantity
        weight: 60
        children:
          - {id: count, name: 人数, weight: 60, method: ratio, actual: n, target: 48}
      - {id: quality, remove: true}
"""


def test_child_overrides_adds_and_removes_by_id(search):
    child = write(search, "child.yaml", CHILD)
    ruleset = load_ruleset(child, [search])
    paths = [path for path, _, _ in ruleset.walk()]
    assert paths == ["execution", "output", "output.quantity", "output.quantity.count"]
    execution = ruleset.indicators[0]
    assert execution.name == "执行"  # inherited
    assert execution.target is not None
    assert execution.target.source == "20"  # overridden
    assert set(ruleset.facts) == {"a", "n"}  # facts merged by name
    assert ruleset.grades == NATIONAL_GRADES  # inherited top-level field
    assert ruleset.extends == "t.parent@1"


def test_bare_id_picks_the_newest_version(search):
    assert Registry([search]).find("t.parent").version == "2"
    assert Registry([search]).find("t.parent@1").version == "1"
    assert load_ruleset("t.parent@2", [search]).indicators[0].weight == Decimal("40.0")


def test_versions_sort_naturally():
    assert sorted(["2020.10", "2020.9", "2020.1"], key=version_key) == [
        "2020.1",
        "2020.9",
        "2020.10",
    ]


def test_missing_parent_is_reported_at_extends_with_a_suggestion(search):
    child = write(search, "child.yaml", CHILD.replace("t.parent@1", "t.parent@3"))
    with pytest.raises(RulesetError) as caught:
        load_ruleset(child, [search])
    (issue,) = caught.value.issues
    assert str(issue) == f"{child}:5:10: extends: no version '3' of 't.parent' (found: 1, 2)"


def test_unknown_parent_suggests_a_near_miss(search):
    child = write(search, "child.yaml", CHILD.replace("t.parent@1", "t.parnet@1"))
    with pytest.raises(
        RulesetError,
        match=r"no ruleset 't.parnet@1' on the search path .* \(did you mean 't.parent@1'\?\)",
    ):
        load_ruleset(child, [search])


def test_extends_loop_is_refused(tmp_path):
    write(tmp_path, "a.yaml", "id: t.a\nversion: '1'\nextends: t.b@1\n")
    write(tmp_path, "b.yaml", "id: t.b\nversion: '1'\nextends: t.a@1\n")
    with pytest.raises(RulesetError, match=r"extends loop: t\.a@1 → t\.b@1 → t\.a@1"):
        load_ruleset(tmp_path / "a.yaml", [tmp_path])


def test_removing_a_missing_node_is_an_error(search):
    child = write(
        search,
        "child.yaml",
        CHILD.replace("{id: quality, remove: true}", "{id: qualty, remove: true}"),
    )
    with pytest.raises(RulesetError) as caught:
        load_ruleset(child, [search])
    assert [str(issue) for issue in caught.value.issues] == [
        f"{child}:18:9: [output.qualty] remove: nothing to remove: the parent has no indicator "
        "'output.qualty' (did you mean 'quality'?)"
    ]


def test_problems_in_the_merged_tree_point_at_the_file_that_caused_them(search):
    child = write(search, "child.yaml", CHILD.replace("weight: 60, method", "weight: 50, method"))
    with pytest.raises(RulesetError) as caught:
        load_ruleset(child, [search])
    assert [str(issue) for issue in caught.value.issues] == [
        f"{child}:17:11: [output.quantity] weight: children's weights sum to 50, expected 60"
    ]


def test_extends_is_resolved_only_on_the_search_path(tmp_path):
    outside = tmp_path / "outside"
    inside = tmp_path / "inside"
    outside.mkdir()
    inside.mkdir()
    write(outside, "secret.yaml", PARENT.format(version="1"))
    child = write(inside, "child.yaml", CHILD)
    with pytest.raises(RulesetError, match=r"no ruleset 't\.parent@1' on the search path"):
        load_ruleset(child, [inside])


def test_a_symlink_out_of_the_search_path_is_ignored(tmp_path):
    outside = tmp_path / "outside"
    inside = tmp_path / "inside"
    outside.mkdir()
    inside.mkdir()
    write(outside, "parent.yaml", PARENT.format(version="1"))
    (inside / "parent.yaml").symlink_to(outside / "parent.yaml")
    assert ("t.parent", "1") not in Registry([inside]).entries()


def test_shipped_template_is_refused_by_score_but_loads():
    from scoring.engine.score import score
    from scoring.model.facts import Facts

    template = load_ruleset("mof.project-self-eval@2020.1")
    assert template.is_template
    with pytest.raises(RulesetError, match=r"is a template: output\.quantity, output\.quality"):
        score(template, Facts(facts={"全年预算数": Decimal(1), "全年执行数": Decimal(1)}))


# --- one id@version, one set of rules -------------------------------------------------------

SHIPPED_CHILD = ROOT / "rulesets" / "xinfang" / "wangcheng-relief-2022.yaml"
SHIPPED_REF = "xinfang.wangcheng-relief@2022.1"


def test_two_different_files_with_one_id_and_version_are_refused_naming_both(search):
    other = write(search, "parent-1-copy.yaml", PARENT.format(version="1").replace("父", "另一个"))
    with pytest.raises(SearchPathError) as caught:
        Registry([search]).find("t.parent@1")
    assert str(caught.value) == (
        f"{other} and {search / 'parent-1.yaml'} both give t.parent@1, with different rules: "
        "give one of them another version, or remove it"
    )


def test_a_child_of_an_ambiguous_parent_cannot_be_looked_up(search):
    write(search, "parent-1-copy.yaml", PARENT.format(version="1").replace("父", "另一个"))
    child = write(search, "child.yaml", CHILD)
    with pytest.raises(SearchPathError, match=r"child\.yaml:5:10: extends: .* both give"):
        load_ruleset(child, [search])


def test_copies_that_differ_only_in_comments_and_layout_are_one_ruleset(search):
    text = PARENT.format(version="1").replace("kind: project", "kind:   project   # 项目")
    write(search, "parent-1-copy.yaml", "# a copy\n" + text)
    assert Registry([search]).find("t.parent@1").path == search / "parent-1-copy.yaml"


def test_a_directory_shadowing_a_shipped_ruleset_is_refused(tmp_path):
    text = SHIPPED_CHILD.read_text(encoding="utf-8").replace("target: 48", "target: 20")
    write(tmp_path, "mine.yaml", text)
    with pytest.raises(SearchPathError) as caught:
        Registry([tmp_path]).find(SHIPPED_REF)
    assert str(caught.value) == (
        f"{tmp_path / 'mine.yaml'} gives {SHIPPED_REF} different rules from the shipped "
        f"{SHIPPED_RULESETS / 'xinfang' / 'wangcheng-relief-2022.yaml'}: give it a version of its "
        "own, or pass --allow-shadow to use it in place of the shipped one"
    )


def test_allow_shadow_uses_the_directory_and_the_result_names_the_file(tmp_path):
    from scoring.engine.score import score
    from scoring.load.facts import load_facts

    text = SHIPPED_CHILD.read_text(encoding="utf-8").replace("target: 48", "target: 20")
    mine = write(tmp_path, "mine.yaml", text)
    assert Registry([tmp_path], allow_shadow=True).find(SHIPPED_REF).path == mine
    ruleset = load_ruleset(SHIPPED_REF, [tmp_path], allow_shadow=True)
    result = score(ruleset, load_facts(ROOT / "examples/xinfang-wangcheng-2022.yaml", ruleset))
    assert result.ruleset.files == (str(mine), "<shipped>/mof/project-self-eval-2020.yaml")


def test_an_identical_copy_of_a_shipped_ruleset_may_sit_on_the_search_path(tmp_path):
    copy = write(tmp_path, "copy.yaml", SHIPPED_CHILD.read_text(encoding="utf-8"))
    assert Registry([tmp_path]).find(SHIPPED_REF).path == copy


def test_the_shipped_directory_given_again_is_not_a_duplicate():
    assert Registry([SHIPPED_RULESETS]).find(SHIPPED_REF).path.name == SHIPPED_CHILD.name


def test_a_shipped_ruleset_is_recorded_the_same_on_every_machine():
    ruleset = load_ruleset(SHIPPED_CHILD)
    assert ruleset.origin.shown_files == (
        "<shipped>/xinfang/wangcheng-relief-2022.yaml",
        "<shipped>/mof/project-self-eval-2020.yaml",
    )
    assert shown_file("rules/mine.yaml") == "rules/mine.yaml"


def test_yml_files_are_on_the_search_path(search):
    (search / "parent-1.yaml").rename(search / "parent-1.yml")
    child = write(search, "child.yaml", CHILD)
    assert load_ruleset(child, [search]).extends == "t.parent@1"
    assert Registry([search]).find("t.parent@1").path.suffix == ".yml"


def test_a_ruleset_that_is_not_found_is_a_search_path_error(search):
    with pytest.raises(SearchPathError, match=r"no version '9' of 't\.parent' \(found: 1, 2\)"):
        Registry([search]).find("t.parent@9")
    with pytest.raises(SearchPathError, match=r"no ruleset 't\.nothing@1'"):
        Registry([search]).find("t.nothing@1")


# --- in Chinese -----------------------------------------------------------------------------


def test_a_missing_parent_is_said_in_chinese(chinese, search):
    child = write(search, "child.yaml", CHILD.replace("t.parent@1", "t.parent@3"))
    with pytest.raises(RulesetError) as caught:
        load_ruleset(child, [search])
    assert str(caught.value) == f"{child}:5:10: extends: 't.parent' 没有版本 '3'（现有版本：1、2）"
    with pytest.raises(SearchPathError) as caught:
        Registry([search]).find("t.parnet@1")
    assert str(caught.value) == (
        f"搜索路径（{search}、{SHIPPED_RULESETS}）上没有规则集 't.parnet@1'"
        "（是否应为 't.parent@1'？）；请用 --rulesets DIR 加入存放它的目录"
    )


def test_two_files_with_one_id_and_version_are_refused_in_chinese(chinese, search):
    other = write(search, "parent-1-copy.yaml", PARENT.format(version="1").replace("父", "另一个"))
    with pytest.raises(SearchPathError) as caught:
        Registry([search]).find("t.parent@1")
    assert str(caught.value) == (
        f"{other} 和 {search / 'parent-1.yaml'} 都给出了 t.parent@1，但规则不同："
        "请给其中一个换一个版本号，或删除它"
    )


def test_extends_problems_are_said_in_chinese(chinese, search, tmp_path):
    child = write(
        search,
        "child.yaml",
        CHILD.replace("{id: quality, remove: true}", "{id: qualty, remove: true}"),
    )
    with pytest.raises(RulesetError) as caught:
        load_ruleset(child, [search])
    assert str(caught.value) == (
        f"{child}:18:9: [output.qualty] remove: 无可删除：上级规则集没有指标 'output.qualty'"
        "（是否应为 'quality'？）"
    )
    loop = tmp_path / "loop"
    loop.mkdir()
    write(loop, "a.yaml", "id: t.a\nversion: '1'\nextends: t.b@1\n")
    write(loop, "b.yaml", "id: t.b\nversion: '1'\nextends: t.a@1\n")
    with pytest.raises(RulesetError, match=r"extends 形成循环：t\.a@1 → t\.b@1 → t\.a@1"):
        load_ruleset(loop / "a.yaml", [loop])


def settled(path: Path, seconds_ago: int) -> Path:
    """Date the file's change ``seconds_ago``: files changed in the last moments are never kept."""
    then = time.time_ns() - seconds_ago * 10**9
    os.utime(path, ns=(then, then))
    return path


def counting_parses(monkeypatch: pytest.MonkeyPatch) -> Counter[str]:
    """How often each file is parsed from here on."""
    parsed: Counter[str] = Counter()

    def parse(text: str, filename: str) -> Any:
        parsed[Path(filename).name] += 1
        return parse_yaml(text, filename)

    monkeypatch.setattr(registry, "parse_yaml", parse)
    return parsed


def test_each_file_is_parsed_once_while_it_is_unchanged(search, monkeypatch):
    for path in search.iterdir():
        settled(path, 60)
    child = settled(write(search, "child.yaml", CHILD), 60)
    parsed = counting_parses(monkeypatch)
    first = load_ruleset(child, [search])
    assert load_ruleset(child, [search]) == first
    Registry([search]).parent("t.parent@1")
    # the index, extends and the file loaded share one parse of each file
    assert parsed == {"parent-1.yaml": 1, "parent-2.yaml": 1, "child.yaml": 1}


def test_looking_up_a_parent_parses_neither_its_children_nor_ids_that_start_alike(
    search, monkeypatch
):
    for index in range(3):
        write(search, f"child-{index}.yaml", CHILD.replace("t.child", f"t.child{index}"))
    write(search, "cousin.yaml", PARENT.format(version="1").replace("t.parent", "t.parent-x"))
    parsed = counting_parses(monkeypatch)
    assert Registry([search]).parent("t.parent@1")[0]["title"] == "父"
    assert set(parsed) == {"parent-1.yaml", "parent-2.yaml"}
    parsed.clear()
    assert load_ruleset(search / "child-1.yaml", [search]).id == "t.child1"
    assert set(parsed) <= {"parent-1.yaml", "parent-2.yaml", "child-1.yaml"}


def test_an_edited_parent_is_read_again(search, monkeypatch):
    parent = settled(search / "parent-1.yaml", 60)
    child = settled(write(search, "child.yaml", CHILD), 60)
    assert load_ruleset(child, [search]).title == "子"
    parsed = counting_parses(monkeypatch)
    # the same size, and dated later than the first read
    settled(write(search, "parent-1.yaml", PARENT.format(version="1").replace("父", "母")), 30)
    assert parent.stat().st_size == len(PARENT.format(version="1").encode())
    grandparent = load_ruleset("t.parent@1", [search])
    assert grandparent.title == "母"
    assert parsed["parent-1.yaml"] == 1
    ruleset = load_ruleset(child, [search])
    assert parsed["parent-1.yaml"] == 1
    assert ruleset.grades == grandparent.grades


def test_a_file_changed_a_moment_ago_is_not_kept(search):
    child = write(search, "child.yaml", CHILD)
    assert load_ruleset(child, [search]).title == "子"
    # rewritten in place at once: the same size, maybe the same time stamp
    write(search, "child.yaml", CHILD.replace("title: 子", "title: 孙"))
    assert load_ruleset(child, [search]).title == "孙"


def test_shared_data_is_not_changed_by_loading_and_scoring(search):
    child = settled(write(search, "child.yaml", CHILD), 60)
    for path in search.glob("parent-*.yaml"):
        settled(path, 60)
    files = sorted(search.iterdir())
    before = [shape(read_ruleset_file(path)[1]) for path in files]
    ruleset = load_ruleset(child, [search])
    score(ruleset, parse_facts("facts: {a: 5, n: 40}\n", "f.yaml", ruleset))
    assert [shape(read_ruleset_file(path)[1]) for path in files] == before
    assert all(read_ruleset_file(path)[1] is read_ruleset_file(path)[1] for path in files)


def test_a_ruleset_loaded_again_is_the_one_loaded_before_until_a_file_changes(search):
    for path in search.iterdir():
        settled(path, 60)
    child = settled(write(search, "child.yaml", CHILD), 60)
    first = load_ruleset(child, [search])
    assert load_ruleset(child, [search]) is first
    settled(write(search, "parent-1.yaml", PARENT.format(version="1").replace("父", "母")), 30)
    again = load_ruleset(child, [search])
    assert again is not first
    assert again.indicators[0].name == first.indicators[0].name
    assert again == load_ruleset(child, [search])


def test_a_ruleset_kept_is_not_given_in_another_language(search, chinese):
    for path in search.iterdir():
        settled(path, 60)
    child = settled(write(search, "child.yaml", CHILD), 60)
    in_chinese = load_ruleset(child, [search])
    set_language("en")
    assert load_ruleset(child, [search]) is not in_chinese


def test_a_clash_that_appears_later_is_still_refused(search):
    for path in search.iterdir():
        settled(path, 60)
    child = settled(write(search, "child.yaml", CHILD), 60)
    load_ruleset(child, [search])
    settled(write(search, "parent-1-copy.yaml", PARENT.format(version="1").replace("父", "另")), 60)
    with pytest.raises(SearchPathError, match=r"both give t\.parent@1"):
        load_ruleset(child, [search])
