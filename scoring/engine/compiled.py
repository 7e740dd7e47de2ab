"""A ruleset's scores as one generated function: the fast path of :func:`.score.scored`.

Once per ruleset and set of 不适用 paths (kept in its plan), the indicator tree is unrolled into
one Python function built from our own text: each leaf's formulas as straight-line code on local
variables (:func:`scoring.model.program.straight_source`, the program the evaluator runs), its
method's arithmetic as its :class:`~scoring.methods.spec.MethodSpec` ``emit`` writes it, the
rounding, every group's sum and the plain sum. It returns the score of every indicator.

It computes numbers on the happy path only. Whatever the plain path would refuse, word specially
or note (a blank fact, a value of another type, a negative count, a check that holds, any
failure) makes it *bail*: the unit is then scored by the plain path, which says what is wrong.
A formula with branches (and/or, if/else) runs as the evaluator's own program; a ruleset that
cannot be compiled (a template, an over-long formula) is scored by the plain path.

The plain path stays the oracle: a result built from compiled scores walks the tree by it and
refuses a difference (:attr:`~scoring.engine.score.Scored.walk`), and
``tests/engine/test_compiled.py`` compares the two on shipped and generated rulesets and facts.
"""

from __future__ import annotations

import ast
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from scoring.engine.generated import generated
from scoring.engine.plan import _MODES, _QUANTA, MAX_KEPT, Plan, leaf_names, plan
from scoring.methods import METHODS
from scoring.model.facts import FactValue, TierClaim
from scoring.model.formula import Formula, normalize_name
from scoring.model.numbers import formula_text
from scoring.model.program import MAX_SCORE_STEPS, MAX_STEPS, evaluate, straight_source
from scoring.model.ruleset import CHECK_NAMES, Indicator, Ruleset, Tier


class BailError(Exception):
    """Leave the compiled function: the plain path scores this unit."""


BAIL = BailError()


@dataclass(frozen=True)
class Compiled:
    """A ruleset's compiled function for one set of 不适用 paths, and what it gives back.

    ``run(facts, notes)`` takes the facts by folded name and returns every indicator's score in
    the order of ``paths`` (None when 不适用) and the plain sum, adding to ``notes`` the findings
    of the checks that hold, as (code, message, path); it raises :class:`BailError` (or any
    error) when the plain path must score the unit.
    """

    run: Callable[
        [dict[str, FactValue], list[tuple[str, str, str | None]]],
        tuple[tuple[Decimal | None, ...], Decimal],
    ]
    paths: tuple[str, ...]
    """Every indicator's path, parents before children, as :meth:`Ruleset.walk` lists them."""
    tops: tuple[int, ...]
    """The index in ``paths`` of each top-level indicator."""
    applicable: tuple[Decimal, ...]
    """Each indicator's applicable weight (as :attr:`Node.applicable_weight`)."""
    source: str
    """The generated text, for the curious and for tests."""


class _Code:
    """Constants, local names and the step count shared by a function's emitters."""

    def __init__(self, plan: Plan):
        self.plan = plan
        self.constants: list[Any] = [BAIL, Decimal, TierClaim]
        self.held: dict[tuple[type, Any, str], str] = {}
        self.count = 0
        self.steps = 0

    def const(self, value: object) -> str:
        # 0 and 0.000 are equal, but not the same constant: a sum keeps its operands' places
        key = (
            (type(value), value, repr(value)) if _hashable(value) else (type(value), id(value), "")
        )
        found = self.held.get(key)
        if found is None:
            self.constants.append(value)
            found = self.held[key] = f"K[{len(self.constants) - 1}]"
        return found

    def fresh(self) -> str:
        self.count += 1
        return f"v{self.count}"


def _hashable(value: object) -> bool:
    try:
        hash(value)
    except TypeError:
        return False
    return True


class UnsupportedError(Exception):
    """This ruleset cannot be compiled (a template's slot, an over-long formula)."""


class _Emitter:
    """Writes a leaf's code: its reads hoisted before its method's lines (:class:`Emitter`)."""

    bail = "raise K[0]"

    def __init__(self, code: _Code, known: dict[str, str]):
        self.code = code
        self.known = known
        """Each name read so far in this block (or an enclosing one): the local holding it."""
        self.formulas: dict[int, str] = {}
        self.reads: list[str] = []
        self.lines: list[str] = []

    # --- Emitter ------------------------------------------------------------------------------

    def number(self, formula: Formula | None) -> str:
        local = self.value(formula)
        self.reads.append(f"if type({local}) is not K[1]: raise K[0]")
        return local

    def yes_no(self, formula: Formula | None) -> str:
        local = self.value(formula)
        self.reads.append(f"if type({local}) is not bool: raise K[0]")
        return local

    def fact(self, name: str | None) -> str:
        if name is None:
            raise UnsupportedError(name)
        return self.name(normalize_name(name))

    def const(self, value: object) -> str:
        return self.code.const(value)

    def fresh(self) -> str:
        return self.code.fresh()

    def line(self, text: str) -> None:
        self.lines.append(text)

    # --- an either's alternatives -------------------------------------------------------------

    def branch(self) -> _Emitter:
        """An emitter for code in a block of its own: what it reads stays in the block."""
        return _Emitter(self.code, dict(self.known))

    def block(self, child: _Emitter, indent: str) -> None:
        """``child``'s code, written here under ``indent``."""
        self.lines += [f"{indent}{line}" for line in [*child.reads, *child.lines]]

    # --- reading ------------------------------------------------------------------------------

    def name(self, folded: str) -> str:
        """The local holding a fact's or derived value's value, read (or computed) once."""
        found = self.known.get(folded)
        if found is not None:
            return found
        plan = self.code.plan
        local = self.known[folded] = self.fresh()
        if folded in plan.specs:  # a derived value: its formula, here, on first read
            expr = self.value(plan.specs[folded].expr, bound={})
            self.reads.append(f"{local} = {expr}")
        else:
            self.reads.append(f"{local} = F[{self.const(folded)}]")  # KeyError: blank, bail
        return local

    def value(self, formula: Formula | None, bound: dict[str, str] | None = None) -> str:
        """A local holding ``formula``'s value: true, false or a finite number (else bail)."""
        if formula is None:
            raise UnsupportedError(formula)
        bound = bound or {}
        if not bound and id(formula) in self.formulas:
            return self.formulas[id(formula)]
        local_of: dict[str, str] = {}
        for name in formula.ordered:
            if name in bound:
                local_of[name] = bound[name]
                continue
            raw = self.name(name)
            local = local_of[name] = self.fresh()  # a tier claim is read as its tier
            self.reads.append(f"{local} = {raw}.tier if type({raw}) is K[2] else {raw}")
            self.reads.append(
                f"if not (type({local}) is K[1] and {local}.is_finite() or type({local}) is bool"
                f" or type({local}) is str): raise K[0]"
            )
        text = formula.source.strip()
        straight = straight_source(
            formula.tree, text, lambda name, _: local_of[name], self.code.constants, bare=True
        )
        if straight is None:  # and/or, if/else: the evaluator's own program, node by node
            steps = sum(1 for _ in ast.walk(formula.tree))  # at most one step a node
            bound_names = ", ".join(f"{self.const(name)}: {local_of[name]}" for name in local_of)
            run = f"{self.const(evaluate)}({self.const(formula)}"
            body = f"{run}, {{{bound_names}}}, None, in_context=True)"
        else:
            body, _, steps = straight
        if steps > MAX_STEPS:
            raise UnsupportedError(text)
        self.code.steps += steps
        result = self.fresh()
        self.reads.append(f"{result} = {body}")
        self.reads.append(
            f"if not (type({result}) is bool or type({result}) is K[1] and {result}.is_finite()):"
            " raise K[0]"
        )
        if not bound:
            self.formulas[id(formula)] = result
        return result


def compiled_for(ruleset: Ruleset, not_applicable: frozenset[str]) -> Compiled | None:
    """The ruleset's compiled function for ``not_applicable``, compiled once and kept."""
    kept = plan(ruleset)
    if not_applicable in kept.compiled:
        return kept.compiled[not_applicable]  # type: ignore[no-any-return]
    if len(kept.compiled) >= MAX_KEPT:
        kept.compiled.clear()
    found = kept.compiled[not_applicable] = compile_ruleset(ruleset, kept, not_applicable)
    return found


def compile_ruleset(
    ruleset: Ruleset, plan: Plan, not_applicable: frozenset[str]
) -> Compiled | None:
    """The ruleset's compiled function for ``not_applicable``, or None when it has none."""
    code = _Code(plan)
    known: dict[str, str] = {}
    lines: list[str] = []
    paths: list[str] = []
    applicable: list[Decimal] = []
    scores: list[str] = []

    def visit(node: Indicator, prefix: str, skipped: bool) -> tuple[str, Decimal]:
        path = f"{prefix}.{node.id}" if prefix else node.id
        skipped = skipped or path in not_applicable
        index = len(paths)
        paths.append(path)
        applicable.append(Decimal(0))
        scores.append("None")
        if node.children is not None:
            children = [visit(child, path, skipped) for child in node.children]
            given = [local for local, _ in children if local != "None"]
            if not given:
                return "None", Decimal(0)
            local = code.fresh()
            lines.extend(_sum(local, code.const(Decimal(0)), given))
            weight = sum((weight for _, weight in children), Decimal(0))
            if node.weight is None:
                weight = Decimal(0)
        elif skipped:
            return "None", Decimal(0)
        else:
            local = _leaf(ruleset, node, path, code, known, lines)
            assert node.weight is not None
            weight = node.weight
        scores[index], applicable[index] = local, weight
        return local, weight

    try:
        tops = []
        for node in ruleset.indicators:
            tops.append(len(paths))
            visit(node, "", False)
    except UnsupportedError:
        return None
        return None
    if code.steps > MAX_SCORE_STEPS:
        return None
    given = [scores[index] for index in tops if scores[index] != "None"]
    lines.extend(_sum("total", code.const(Decimal(0)), given))
    text = "\n".join(
        [
            "def run(F, N):",
            *(f"    {line}" for line in lines),
            f"    return ({', '.join(scores)},), total",
        ]
    )
    try:
        run = generated(text, "run", code.constants)
    except (RecursionError, MemoryError, SyntaxError, ValueError):
        return None  # a ruleset too big for one function: the plain path scores it
    return Compiled(run, tuple(paths), tuple(tops), tuple(applicable), text)


TERMS = 32
"""Terms summed in one expression; more are added a line at a time (the compiler recurses)."""


def _sum(local: str, zero: str, terms: list[str]) -> list[str]:
    """Lines that set ``local`` to zero + each term, left to right, as ``sum(terms, 0)`` adds."""
    lines = [f"{local} = {' + '.join([zero, *terms[:TERMS]])}"]
    for start in range(TERMS, len(terms), TERMS):
        lines.append(f"{local} = {' + '.join([local, *terms[start : start + TERMS]])}")
    return lines


def _leaf(
    ruleset: Ruleset,
    node: Indicator,
    path: str,
    code: _Code,
    known: dict[str, str],
    lines: list[str],
) -> str:
    """Write a leaf's code into ``lines``; the local holding its rounded score."""
    if node.weight is None or node.method is None:
        raise UnsupportedError(path)  # a template's slot: the plain path refuses it
    emitter = _Emitter(code, known)
    tiers = node.tiers or ruleset.tiers or ()
    if node.method == "either":
        score = _either(node, node.weight, tiers, emitter)
    else:
        score = _method(node, node.weight, tiers, emitter)
    _checks(node, path, emitter)
    rounded = code.fresh()
    quantum = code.const(_QUANTA[ruleset.rounding.places])
    mode = code.const(_MODES[ruleset.rounding.mode])
    lines += [*emitter.reads, *emitter.lines]
    lines.append(f"{rounded} = {score}.quantize({quantum}, rounding={mode})")
    return rounded


def _method(node: Indicator, weight: Decimal, tiers: tuple[Tier, ...], out: _Emitter) -> str:
    assert node.method is not None
    emit = METHODS[node.method].emit
    score = emit(node, weight, tiers, out) if emit is not None else None
    if score is None:
        raise UnsupportedError(node.method)
    return score


def _either(node: Indicator, weight: Decimal, tiers: tuple[Tier, ...], out: _Emitter) -> str:
    """二者择其一: the first alternative whose facts are all given, as the plain path chooses."""
    plan = out.code.plan
    score = out.fresh()
    keyword = "if"
    for alternative in node.alternatives or ():
        behind = plan.names_behind(frozenset(leaf_names(alternative)))
        needed = sorted(name for name in behind if name in plan.facts)
        given = " and ".join(f"{out.const(name)} in F" for name in needed) or "True"
        inner = out.branch()
        found = _method(alternative, weight, tiers, inner)
        inner.line(f"{score} = {found}")
        out.line(f"{keyword} {given}:")
        out.block(inner, "    ")
        keyword = "elif"
    out.line("else:")
    out.line(f"    {out.bail}")
    return score


def _checks(node: Indicator, path: str, out: _Emitter) -> None:
    """A leaf's checks: a note for each that holds; one that is an error, or not yes/no, bails."""
    for check in node.checks:
        bound = {}
        for name in CHECK_NAMES & check.when.names:
            formula = getattr(node, name)
            if formula is not None:
                bound[name] = out.value(formula)
        holds = out.value(check.when, bound=bound)
        if check.level == "error":
            out.line(f"if {holds} is not False: {out.bail}")
            continue
        condition = formula_text(check.when.source, check=True)
        note = out.const(("check", f"{check.message}（{condition}）", path))
        out.line(f"if {holds} is True: N.append({note})")
        out.line(f"elif {holds} is not False: {out.bail}")
