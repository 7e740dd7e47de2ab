"""A formula read at score time as one generated function: its values, its audit trail, its result.

Reading a parameter used to be interpreted on every read: bind each name, record what it read,
then run the formula's program, which looks every name up again and checks it. Here each formula
a ruleset reads becomes, once per ruleset (kept in its plan), one Python function built from our
own text: it takes each value from the facts (or the derived values), writes the audit trail,
and runs the formula's straight-line program (:func:`scoring.model.program.straight_source`) on
them as local variables. Whatever it cannot decide alone (a value of another type, a failure, a
formula with branches, a budget nearly spent) it leaves to :func:`scoring.model.program.evaluate`
on the same values, so the result, the error and the steps counted are that one meaning's.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from scoring.engine.generated import generated
from scoring.model.facts import TierClaim
from scoring.model.formula import Formula, Value
from scoring.model.program import MAX_STEPS, evaluate, straight_source
from scoring.model.ruleset import CHECK_NAMES

if TYPE_CHECKING:
    from scoring.engine.derive import Read, Values

Reader = Callable[["Values", dict[str, "Read"], dict[str, Value] | None], Value]
"""A formula read: the subject's values, the leaf's audit trail and a check's own parameters
(``actual``, ``target``, ``value``: None outside a check) in, the formula's value out."""


def reader(formula: Formula, trail: Callable[[str], tuple[tuple[str, str], ...]]) -> Reader:
    """The generated function that reads ``formula`` (``trail``: the plan's, by folded name)."""
    constants: list[Any] = [formula, evaluate, TierClaim, Decimal]

    def held(value: Any) -> str:
        constants.append(value)
        return f"K[{len(constants) - 1}]"

    names = formula.ordered
    local = {name: f"b{index}" for index, name in enumerate(names)}
    lines = ["def read(values, reads, L):", "    F = values.facts", "    get = values.get"]
    for index, name in enumerate(names):
        key, indent = held(name), "    "
        if name in CHECK_NAMES:  # a check's own parameters come first (``L``), not recorded
            lines += [f"    if L is not None and {key} in L:", f"        b{index} = L[{key}]"]
            lines.append("    else:")
            indent = "        "
        lines.append(f"{indent}x{index} = F[{key}] if {key} in F else get({key})")
        lines.append(f"{indent}b{index} = x{index}.tier if type(x{index}) is K[2] else x{index}")
        for folded, shown in trail(name):  # the name itself first, then what a derived one read
            value = f"x{index}" if folded == name else f"get({held(folded)})"
            lines.append(f"{indent}reads[{held(shown)}] = {value}")
    text = formula.source.strip()
    straight = straight_source(
        formula.tree, text, lambda name, _: local[name], constants, bare=True
    )
    if straight is not None and straight[2] <= MAX_STEPS:
        body, _, steps = straight
        fit = " and ".join(
            f"(type(b{i}) is K[3] and b{i}.is_finite() or type(b{i}) is bool or type(b{i}) is str)"
            for i in range(len(names))
        )
        lines += [
            "    budget = values.budget",
            f"    used = budget.used + {steps}",
            f"    if used <= budget.limit and {fit or 'True'}:",
            "        budget.used = used",
            "        try:",
            f"            result = {body}",
            "        except Exception:",
            "            result = None",
            "        kind = type(result)",
            "        if kind is bool or (kind is K[3] and result.is_finite()):",
            "            return result",
            f"        budget.used = used - {steps}  # evaluate() runs it again and says why",
        ]
    bound = ", ".join(f"{held(name)}: b{index}" for index, name in enumerate(names))
    lines.append(f"    return K[1](K[0], {{{bound}}}, values.budget, in_context=True)")
    return generated("\n".join(lines), "read", constants)
