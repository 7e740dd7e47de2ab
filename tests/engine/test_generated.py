"""Generated functions: each distinct text compiled once a process, its constants its own.

The readers of formulas of the same shape, and the compiled functions of rulesets that unroll
alike (the same ruleset loaded twice, a ruleset and one that only renames it), share one code
object; each still reads its own constants, so they score as if compiled apart.
"""

from __future__ import annotations

from scoring import load_facts, load_ruleset
from scoring.engine.compiled import compiled_for
from scoring.engine.generated import generated
from scoring.engine.plan import plan
from scoring.engine.score import score
from scoring.load.registry import Registry
from scoring.load.rulesets import parse_ruleset
from scoring.model.formula import compile_formula
from scoring.render import render_json
from tests.conftest import EXAMPLES, RULESETS

TEXT = "def pick(i):\n    return K[i]"


def test_one_text_is_compiled_once_and_each_function_reads_its_own_constants():
    first = generated(TEXT, "pick", ["a", "b"])
    second = generated(TEXT, "pick", ["c", "d"])
    assert first.__code__ is second.__code__
    assert (first(1), second(1)) == ("b", "d")


def test_readers_of_formulas_of_one_shape_share_their_code():
    ruleset = load_ruleset(RULESETS / "xinfang" / "wangcheng-relief-2022.yaml")
    kept = plan(ruleset)
    rate = kept.reader(compile_formula("执行数 / 预算数"))
    other = kept.reader(compile_formula("救助人数 / 计划人数"))
    assert rate.__code__ is other.__code__


def test_a_ruleset_loaded_twice_shares_its_compiled_code_and_scores_alike():
    path = RULESETS / "xinfang" / "wangcheng-relief-2022.yaml"
    text = path.read_text(encoding="utf-8")
    once, again = (parse_ruleset(text, str(path), Registry().parent) for _ in range(2))
    assert once is not again
    compiled_once, compiled_again = (
        compiled_for(once, frozenset()),
        compiled_for(again, frozenset()),
    )
    assert compiled_once is not None
    assert compiled_again is not None
    assert compiled_once.run.__code__ is compiled_again.run.__code__
    facts = load_facts(EXAMPLES / "xinfang-wangcheng-2022.yaml", once)
    assert render_json(score(once, facts)) == render_json(score(again, facts))
