"""Checks of a ruleset's formulas: unknown names and labels, divisions by zero, cycles, corners.

A ``formula`` leaf must stay within 0–weight at every corner of its facts' declared bounds.
"""

from __future__ import annotations

import ast
import itertools
from collections.abc import Iterator
from decimal import Decimal

from scoring.engine.plan import leaf_names, names_behind, plan
from scoring.errors import DivisionByZeroError, EvaluationError, suggest
from scoring.i18n import _
from scoring.methods.common import hint
from scoring.model.formula import Formula, Value, normalize_name
from scoring.model.problems import Loc, Problem
from scoring.model.program import evaluate
from scoring.model.ruleset import Ruleset

READ_BY = {"date": "deadline", "list": "listed"}
"""The fact types no formula reads, and the method that does."""


def known_names(ruleset: Ruleset) -> dict[str, str]:
    """Every name a formula may read, folded (NFKC) → as declared (the plan's: do not change it).

    Worked out once per ruleset: a check of each formula asks for it.
    """
    return plan(ruleset).declared


def check_formula(
    ruleset: Ruleset,
    formula: Formula | None,
    loc: Loc,
    path: str,
    field: str,
    local: frozenset[str] = frozenset(),
) -> Iterator[Problem]:
    """Names a formula reads that nothing declares (but ``local``), and unknown tier labels."""
    if formula is None:
        return
    known = known_names(ruleset)
    for name in sorted(formula.names):
        if name not in known and name not in local:
            near = suggest(name, list(known.values()))
            message = _("unknown fact {name!r}{hint}").format(name=name, hint=near)
            yield Problem(loc, message, path, field)
        spec = ruleset.facts.get(known.get(name, ""))
        if spec is not None and spec.type in READ_BY:
            message = _("fact {name!r} is a {type}: method {method} reads it, a formula cannot")
            message = message.format(name=known[name], type=spec.type, method=READ_BY[spec.type])
            yield Problem(loc, message, path, field)
    labels, synonyms = _tier_labels(ruleset)
    for node in ast.walk(formula.tree):
        text = node.value if isinstance(node, ast.Constant) else None
        if not isinstance(text, str) or text in labels:
            continue
        if text in synonyms:
            message = _("write the tier label {label!r}, not its synonym {text!r}").format(
                label=synonyms[text], text=text
            )
        else:
            message = _("{text!r} is not a tier label or option{hint}").format(
                text=text, hint=hint(text, labels)
            )
        yield Problem(loc, message, path, field)


def _tier_labels(ruleset: Ruleset) -> tuple[set[str], dict[str, str]]:
    """The tier labels a formula may compare with, and each synonym's label: facts hold labels.

    Worked out once per ruleset and kept in its plan: a check of each formula asks for them.
    """
    kept = plan(ruleset)
    if kept.labels is None:
        kept.labels = _formula_labels(ruleset)
    return kept.labels  # type: ignore[no-any-return]


def _formula_labels(ruleset: Ruleset) -> tuple[set[str], dict[str, str]]:
    scales = [ruleset.tiers or ()] + [node.tiers or () for _, _, node in ruleset.walk()]
    tiers = [tier for scale in scales for tier in scale]
    synonyms = {synonym: tier.label for tier in tiers for synonym in tier.synonyms}
    options = {option for spec in ruleset.facts.values() for option in spec.options or ()}
    return {tier.label for tier in tiers} | options, synonyms


def check_derived(ruleset: Ruleset) -> Iterator[Problem]:
    """The derived values' formulas, their divisions by a fact that may be 0, and cycles."""
    for name, derived in ruleset.derived.items():
        loc: Loc = ("derived", name, "expr")
        yield from check_formula(ruleset, derived.expr, loc, f"derived.{name}", "expr")
        readers = _readers(ruleset, name)
        if "on_zero_division" not in derived.model_fields_set and readers:
            yield from zero_divisors(ruleset, derived.expr, loc, f"derived.{name}", "expr", readers)
    for cycle in derived_cycles(ruleset):
        first = cycle[0]
        message = _("depends on itself: {cycle}").format(cycle=" → ".join(cycle))
        yield Problem(("derived", first), message, f"derived.{first}", at_key=True)


def may_be_zero(ruleset: Ruleset, name: str) -> str | None:
    """How a number fact's declared bounds let it be 0 ("its min is 0"), or None if they don't."""
    fact = plan(ruleset).facts.get(name)
    spec = ruleset.facts.get(fact) if fact is not None else None
    if spec is None or spec.type not in ("number", "integer"):
        return None
    if (spec.max is not None and spec.max < 0) or (spec.min is not None and spec.min > 0):
        return None
    if spec.min is None:
        return _("it declares no min")
    return _("its min is {min}").format(min=spec.min) if spec.min == 0 else _("its range holds 0")


def _divisors(node: ast.AST, guarded: frozenset[str] = frozenset()) -> Iterator[str]:
    """The names a formula divides by, bare, outside a condition that reads them first.

    ``a / b if b > 0 else 0`` and ``b > 0 and a / b > 1`` guard ``b``; ``a / (b - c)`` cannot be
    judged from the bounds, and ``a / max(b, 1)`` cannot be 0.
    """
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Div | ast.FloorDiv | ast.Mod):
        divisor = node.right
        while isinstance(divisor, ast.UnaryOp) and isinstance(divisor.op, ast.UAdd | ast.USub):
            divisor = divisor.operand
        if isinstance(divisor, ast.Name) and divisor.id not in guarded:
            yield divisor.id
    if isinstance(node, ast.IfExp):
        yield from _divisors(node.test, guarded)
        inside = guarded | _names_in(node.test)
        yield from _divisors(node.body, inside)
        yield from _divisors(node.orelse, inside)
        return
    if isinstance(node, ast.BoolOp):
        for operand in node.values:  # 'and'/'or' stop early: later operands run after the test
            yield from _divisors(operand, guarded)
            guarded = guarded | _names_in(operand)
        return
    for child in ast.iter_child_nodes(node):
        yield from _divisors(child, guarded)


def _names_in(node: ast.AST) -> frozenset[str]:
    return frozenset(child.id for child in ast.walk(node) if isinstance(child, ast.Name))


def _readers(ruleset: Ruleset, derived: str) -> list[str]:
    """The indicators whose score needs the derived value (a value only shown cannot stop one)."""
    key = normalize_name(derived)
    found = []
    for path, _level, node in ruleset.walk():
        if not node.is_leaf:
            continue
        names = leaf_names(node).union(*map(leaf_names, node.alternatives or ()))
        if key in names_behind(ruleset, frozenset(names)):
            found.append(path)
    return found


def zero_divisors(
    ruleset: Ruleset,
    formula: Formula,
    loc: Loc,
    path: str,
    field: str,
    readers: list[str] | None = None,
) -> Iterator[Problem]:
    """A warning for each fact the formula divides by that its declared bounds let be 0.

    Such a unit stops at score time with a division by zero; the bureau should decide now.
    ``readers`` are the indicators that read a derived value's formula.
    """
    names = known_names(ruleset)
    for name in sorted(set(_divisors(formula.tree))):
        why = may_be_zero(ruleset, name)
        if why is None:
            continue
        fact = names[name]
        if readers is not None:
            shown = _(", ").join(readers[:3]) + (" …" if len(readers) > 3 else "")
            message = _(
                "divides by fact {fact!r}, which may be 0 ({why}): {indicators} cannot be scored "
                "for a unit with {fact} = 0; set on_zero_division to the value it takes then, or "
                "declare a min above 0"
            ).format(fact=fact, why=why, indicators=shown)
        else:
            message = _(
                "divides by fact {fact!r}, which may be 0 ({why}): the indicator cannot be scored "
                "for a unit with {fact} = 0; declare a min above 0, or guard the division "
                "(… if {fact} > 0 else …)"
            ).format(fact=fact, why=why)
        yield Problem(loc, message, path, field, severity="warning")


def derived_cycles(ruleset: Ruleset) -> list[list[str]]:
    """Each cycle of derived values that read each other, as the names around it."""
    by_key = {normalize_name(name): name for name in ruleset.derived}
    state: dict[str, int] = {}
    cycles: list[list[str]] = []

    def visit(name: str, trail: list[str]) -> None:
        state[name] = 1
        for read in sorted(ruleset.derived[name].expr.names):
            target = by_key.get(read)
            if target is None:
                continue
            if state.get(target) == 1:
                cycles.append([*trail[trail.index(target) :], target])
            elif target not in state:
                visit(target, [*trail, target])
        state[name] = 2

    for name in ruleset.derived:
        if name not in state:
            visit(name, [name])
    return cycles


MAX_CORNER_FACTS = 8
"""2**8 corners: beyond that the bounds check is skipped with a warning."""


def corner_problems(
    ruleset: Ruleset, formula: Formula, weight: Decimal, loc: Loc, path: str
) -> Iterator[Problem]:
    """An error where ``formula`` leaves 0–weight at a corner of its facts' bounds.

    A warning instead when the bounds are not all declared, or there are too many corners.
    """
    behind = names_behind(ruleset, formula.names)
    if derived_cycles(ruleset) or not behind <= set(known_names(ruleset)):
        return  # reported already; the corners cannot be computed
    declared = plan(ruleset).facts
    behind &= set(declared)
    corners: list[list[tuple[str, Value]]] = []
    unchecked: list[str] = []
    for key in sorted(behind):
        name = declared[key]
        spec = ruleset.facts[name]
        if spec.type == "boolean":
            corners.append([(key, False), (key, True)])
        elif spec.type in ("number", "integer") and spec.min is not None and spec.max is not None:
            corners.append([(key, spec.min), (key, spec.max)])
        elif spec.type in ("choice", "tier"):
            # text takes no min or max: try every value the fact can hold instead
            corners.append([(key, label) for label in _labels_of(ruleset, name)])
        else:
            unchecked.append(name)
    if unchecked or len(corners) > MAX_CORNER_FACTS:
        reason = (
            _("give min and max for {names}").format(names=_(", ").join(unchecked))
            if unchecked
            else _("it reads more than {limit} facts").format(limit=MAX_CORNER_FACTS)
        )
        message = _("cannot check that the formula stays within 0–{weight}: {reason}").format(
            weight=weight, reason=reason
        )
        yield Problem(loc, message, path, "expr", severity="warning")
        return
    for corner in itertools.product(*corners):
        values = dict(corner)
        try:
            result = _evaluate_at(ruleset, formula, values)
        except DivisionByZeroError:
            continue  # a division by zero at a corner is the facts' problem, met at score time
        except EvaluationError as exc:  # it fails at these bounds, so it can fail on real facts
            at = _(", ").join(f"{declared[key]} = {_shown(value)}" for key, value in corner)
            message = (
                _("{problem} at {values}").format(problem=exc.message, values=at)
                if at
                else exc.message
            )
            yield Problem(loc, message, path, "expr")
            return
        if isinstance(result, Decimal) and 0 <= result <= weight:
            continue
        at = _(", ").join(f"{declared[key]} = {_shown(value)}" for key, value in corner)
        message = _("the formula gives {result} at {values}, outside 0–{weight}").format(
            result=_shown(result), values=at, weight=weight
        )
        yield Problem(loc, message, path, "expr")
        return


def _labels_of(ruleset: Ruleset, fact: str) -> tuple[str, ...]:
    """The texts a choice or tier fact can hold: its options, or its scale's tier labels."""
    spec = ruleset.facts[fact]
    if spec.type == "choice":
        return spec.options or ()
    scale = next(
        (n.tiers for _, _, n in ruleset.walk() if n.method == "tiers" and n.fact == fact), None
    )
    return tuple(tier.label for tier in scale or ruleset.tiers or ())


def _shown(value: Value) -> str:
    if isinstance(value, bool):
        return str(value).lower()
    return format(value, "f") if isinstance(value, Decimal) else str(value)


def _evaluate_at(ruleset: Ruleset, formula: Formula, values: dict[str, Value]) -> Value:
    derived = {normalize_name(name): spec for name, spec in ruleset.derived.items()}
    bound: dict[str, Value] = {}
    for name in formula.names:
        if name not in values:
            spec = derived[name]
            try:
                values[name] = _evaluate_at(ruleset, spec.expr, values)
            except DivisionByZeroError:
                if spec.on_zero_division is None:
                    raise
                values[name] = spec.on_zero_division
        bound[name] = values[name]
    return evaluate(formula, bound)
