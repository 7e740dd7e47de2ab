"""Where the time goes when scoring: load once, score many; compile once, evaluate many.

Run: `python benchmarks/bench_engine.py` (a few seconds). It prints ratios measured in one run,
which hold across machines better than absolute times do. Results are kept in RESULTS.md.
"""

from __future__ import annotations

import sys
import timeit
from pathlib import Path

from simpleeval import SimpleEval

from scoring import load_facts, load_ruleset, render_json, score
from scoring.load.facts import parse_facts
from scoring.model.formula import compile_formula
from scoring.model.program import evaluate

ROOT = Path(__file__).resolve().parent.parent
RULESET = ROOT / "rulesets/xinfang/wangcheng-relief-2022.yaml"
FACTS = ROOT / "examples/xinfang-wangcheng-2022.yaml"


def best(statement, number: int) -> float:
    """Best of 5 repeats, seconds per call."""
    return min(timeit.repeat(statement, number=number, repeat=5)) / number


def main() -> None:
    started = timeit.default_timer()
    ruleset = load_ruleset(RULESET)  # the first load in a process indexes the whole search path
    first_load = timeit.default_timer() - started
    facts_text = FACTS.read_text(encoding="utf-8")
    facts = load_facts(FACTS, ruleset)
    result = score(ruleset, facts)

    load = best(lambda: load_ruleset(RULESET), 20)
    parse = best(lambda: parse_facts(facts_text, str(FACTS), ruleset), 200)
    scoring = best(lambda: score(ruleset, facts), 200)
    render = best(lambda: render_json(result), 200)

    source = "min(执行数 / 预算数, 1) * 10 + (2 if 救助人数 >= 48 else 0)"
    formula = compile_formula(source)
    names = {"执行数": "全年执行数", "预算数": "全年预算数", "救助人数": "救助人数"}
    values = {name: facts.facts[fact] for name, fact in names.items()}
    compiled = best(lambda: evaluate(formula, values), 2000)
    compile_each_time = best(lambda: evaluate(compile_formula(source), values), 2000)
    floats = {name: float(value) for name, value in values.items()}  # type: ignore[arg-type]
    plain = SimpleEval(names=floats, functions={"min": min})
    simpleeval_float = best(lambda: plain.eval(source), 2000)

    rows = [
        ("first load_ruleset in a process (also indexes the search path)", first_load),
        ("load_ruleset (read, merge extends, validate, check, compile)", load),
        ("parse_facts", parse),
        ("score", scoring),
        ("render_json", render),
    ]
    print(f"python {sys.version.split()[0]}; ratios to score() = 1.00")
    for label, seconds in rows:
        print(f"  {label:<62} {seconds / scoring:6.2f}")
    print("formula evaluation, ratios to evaluate() of a compiled formula = 1.00")
    for label, seconds in [
        ("evaluate(compiled formula)  [Decimal, checked types]", compiled),
        ("compile_formula + evaluate each time", compile_each_time),
        ("bare SimpleEval.eval on floats (parses every call, no checks)", simpleeval_float),
    ]:
        print(f"  {label:<62} {seconds / compiled:6.2f}")
    units = 1000
    batch = units * (parse + scoring)
    print(f"a county of {units} units, facts already read: {batch / load:.1f} × one load_ruleset")


if __name__ == "__main__":
    main()
