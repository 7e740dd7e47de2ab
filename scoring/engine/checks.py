"""Checks of a validated ruleset as a whole: weights, names, method parameters, tiers, grades.

Each check yields a :class:`Problem` that points into the ruleset's data by key path, so the loader
can name the file, line and column, and the indicator path, for every problem at once.
"""

from __future__ import annotations

import ast
import itertools
import keyword
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Literal

from scoring.engine.plan import leaf_names, names_behind, plan
from scoring.errors import DivisionByZeroError, EvaluationError, one_of, suggest
from scoring.i18n import N_, _
from scoring.model.arithmetic import FUNCTIONS
from scoring.model.formula import Formula, Value, normalize_name
from scoring.model.intervals import Interval, covers, gaps
from scoring.model.program import evaluate
from scoring.model.ruleset import CHECK_NAMES, MAX_LEVELS, Indicator, Ruleset, Tier

Loc = tuple[str | int, ...]

METHOD_PARAMETERS: Mapping[str, tuple[frozenset[str], frozenset[str]]] = {
    "ratio": (frozenset({"actual", "target"}), frozenset({"on_zero_target"})),
    "reverse_ratio": (frozenset({"actual", "target"}), frozenset()),
    "reverse_linear": (frozenset({"actual", "target"}), frozenset()),
    "equal": (frozenset({"actual", "target"}), frozenset({"tolerance"})),
    "bands": (frozenset({"value", "bands"}), frozenset({"otherwise", "hit"})),
    "threshold": (
        frozenset({"value", "step", "points"}),
        frozenset({"at_least", "at_most", "steps"}),
    ),
    "tiers": (frozenset({"fact"}), frozenset({"tiers"})),
    "boolean": (frozenset({"value"}), frozenset({"false_score"})),
    "deduct": (frozenset(), frozenset({"count", "points", "items"})),
    "checklist": (frozenset({"items"}), frozenset()),
    "cases": (frozenset({"cases"}), frozenset({"otherwise"})),
    "choice": (frozenset({"fact", "options"}), frozenset()),
    "weighted_average": (frozenset({"parts"}), frozenset()),
    "either": (frozenset({"alternatives"}), frozenset()),
    "formula": (frozenset({"expr"}), frozenset()),
}
"""For each method: the parameters it needs, and those it may take."""

PARAMETERS = frozenset().union(*(need | may for need, may in METHOD_PARAMETERS.values()))
RESERVED_NAMES = frozenset({*FUNCTIONS, "True", "False", "None", *CHECK_NAMES})
"""Names no fact may take: functions, constants, and what a check's ``when`` reads as the
indicator's own parameters (``actual``, ``target``, ``value``)."""


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a ruleset, placed by its key path in the ruleset's data."""

    loc: Loc
    message: str
    path: str | None = None
    field: str | None = None
    at_key: bool = False
    severity: Literal["error", "warning"] = "error"


def check_ruleset(ruleset: Ruleset) -> list[Problem]:
    """Every problem with a merged ruleset, in the order they appear in the file."""
    problems = [
        *_check_grades(ruleset),
        *_check_facts(ruleset),
        *_check_derived(ruleset),
        *_check_tier_scale(ruleset.tiers, ("tiers",), None),
    ]
    if not ruleset.indicators:
        message = _("give at least one indicator")
        problems.append(Problem(("indicators",), message, field="indicators"))
    seen: set[str] = set()
    for index, node in enumerate(ruleset.indicators):
        problems += _check_node(ruleset, node, ("indicators", index), "", 1, seen)
    problems += _check_sum(ruleset.indicators, ruleset.total, ("indicators",), None, "total")
    return problems


def _check_grades(ruleset: Ruleset) -> Iterator[Problem]:
    if ruleset.total <= 0:
        message = _("must be positive, found {found}").format(found=ruleset.total)
        yield Problem(("total",), message, field="total")
        return  # every grade bound would be outside 0–total too
    share = ruleset.min_applicable_share
    if share is not None and not 0 < share <= 1:
        message = _("a share of the total between 0 and 1 (0.6 for 60%), found {share}").format(
            share=share
        )
        yield Problem(("min_applicable_share",), message, field="min_applicable_share")
    elif share is not None and ruleset.grades is None:
        message = _("this ruleset gives no grade to withhold: remove min_applicable_share")
        yield Problem(("min_applicable_share",), message, field="min_applicable_share")
    if ruleset.grades is None:
        return
    if not ruleset.grades:
        message = _("give at least one grade, or null for no grading")
        yield Problem(("grades",), message, field="grades")
        return
    bounds: dict[Decimal, str] = {}
    for label, bound in ruleset.grades.items():
        loc: Loc = ("grades", label)
        if not 0 <= bound <= ruleset.total:
            message = _("{label!r} starts at {bound}, outside 0–{total}").format(
                label=label, bound=bound, total=ruleset.total
            )
            yield Problem(loc, message)
        if bound in bounds:
            message = _("{label!r} and {other!r} both start at {bound}").format(
                label=label, other=bounds[bound], bound=bound
            )
            yield Problem(loc, message)
        bounds[bound] = label
    if 0 not in bounds:
        message = _("no grade covers totals below {lowest}: the lowest grade must start at 0")
        yield Problem(("grades",), message.format(lowest=min(bounds)))


def _check_facts(ruleset: Ruleset) -> Iterator[Problem]:
    folded: dict[str, str] = {}
    for name, spec in ruleset.facts.items():
        loc: Loc = ("facts", name)
        where = f"facts.{name}"
        if not name.isidentifier() or keyword.iskeyword(name):
            yield Problem(loc, _not_a_name(name), where, at_key=True)
        elif name in RESERVED_NAMES:
            message = _(
                "{name!r} is reserved for a function, a constant or a check's own parameter"
            ).format(name=name)
            yield Problem(loc, message, where, at_key=True)
        key = normalize_name(name)
        if key in folded:
            message = _("{name!r} is the same name as {other!r} once full-width letters fold")
            message = message.format(name=name, other=folded[key])
            yield Problem(loc, message, where, at_key=True)
        folded[key] = name
        if spec.min is not None and spec.max is not None and spec.min > spec.max:
            message = _("min {min} is above max {max}").format(min=spec.min, max=spec.max)
            yield Problem((*loc, "min"), message, where, "min")
        if spec.type in ("tier", "boolean", "choice") and (
            spec.min is not None or spec.max is not None
        ):
            message = _("a {type} fact takes no min or max").format(type=spec.type)
            yield Problem(loc, message, where)
        if spec.type == "choice" and not spec.options:
            yield Problem(loc, _("a choice fact needs its options"), where, "options")
        elif spec.type != "choice" and spec.options is not None:
            message = _("options belong to a choice fact, not a {type} fact").format(type=spec.type)
            yield Problem((*loc, "options"), message, where, "options", at_key=True)
        elif spec.options and len(set(spec.options)) != len(spec.options):
            message = _("an option is listed twice")
            yield Problem((*loc, "options"), message, where, "options")
    for name in ruleset.derived:
        key = normalize_name(name)
        loc = ("derived", name)
        if not name.isidentifier() or keyword.iskeyword(name):
            yield Problem(loc, _not_a_name(name), f"derived.{name}", at_key=True)
        elif key in folded or name in RESERVED_NAMES:
            message = _("{name!r} is already a fact name").format(name=name)
            yield Problem(loc, message, f"derived.{name}", at_key=True)
        folded.setdefault(key, name)


def _not_a_name(name: str) -> str:
    return _(
        "{name!r} is not a usable name: use letters, digits and _ (Chinese is fine), "
        "no spaces, not a Python keyword"
    ).format(name=name)


def known_names(ruleset: Ruleset) -> dict[str, str]:
    """Every name a formula may read, folded (NFKC) → as declared."""
    names = {normalize_name(name): name for name in ruleset.facts}
    names.update({normalize_name(name): name for name in ruleset.derived})
    return names


def _check_formula(
    ruleset: Ruleset,
    formula: Formula | None,
    loc: Loc,
    path: str,
    field: str,
    local: frozenset[str] = frozenset(),
) -> Iterator[Problem]:
    if formula is None:
        return
    known = known_names(ruleset)
    for name in sorted(formula.names):
        if name not in known and name not in local:
            hint = suggest(name, list(known.values()))
            message = _("unknown fact {name!r}{hint}").format(name=name, hint=hint)
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
                text=text, hint=_hint(text, labels)
            )
        yield Problem(loc, message, path, field)


def _hint(text: str, choices: Iterable[str]) -> str:
    """A near miss, or, when there is none that is safe to offer, the choices listed.

    A tier label or option one negation away (基本满意 for 基本不满意) is the opposite answer.
    """
    known = sorted(choices)
    hint = suggest(text, known)
    if hint or not known:
        return hint
    return _(" (choose one of {choices})").format(choices=one_of(known))


def _tier_labels(ruleset: Ruleset) -> tuple[set[str], dict[str, str]]:
    """The tier labels a formula may compare with, and each synonym's label: facts hold labels."""
    scales = [ruleset.tiers or ()] + [node.tiers or () for _, _, node in ruleset.walk()]
    tiers = [tier for scale in scales for tier in scale]
    synonyms = {synonym: tier.label for tier in tiers for synonym in tier.synonyms}
    options = {option for spec in ruleset.facts.values() for option in spec.options or ()}
    return {tier.label for tier in tiers} | options, synonyms


def _check_derived(ruleset: Ruleset) -> Iterator[Problem]:
    for name, derived in ruleset.derived.items():
        loc: Loc = ("derived", name, "expr")
        yield from _check_formula(ruleset, derived.expr, loc, f"derived.{name}", "expr")
        readers = _readers(ruleset, name)
        if "on_zero_division" not in derived.model_fields_set and readers:
            yield from _zero_divisors(
                ruleset, derived.expr, loc, f"derived.{name}", "expr", readers
            )
    for cycle in _derived_cycles(ruleset):
        first = cycle[0]
        message = _("depends on itself: {cycle}").format(cycle=" → ".join(cycle))
        yield Problem(("derived", first), message, f"derived.{first}", at_key=True)


def _may_be_zero(ruleset: Ruleset, name: str) -> str | None:
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


def _zero_divisors(
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
        why = _may_be_zero(ruleset, name)
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


def _zero_target(ruleset: Ruleset, node: Indicator, loc: Loc, path: str) -> Iterator[Problem]:
    """A warning when method ratio's target is a fact that may be 0 and 0 is not provided for."""
    target = node.target
    if node.method != "ratio" or target is None or "on_zero_target" in node.model_fields_set:
        return
    if not isinstance(target.tree, ast.Name):
        return
    why = _may_be_zero(ruleset, target.tree.id)
    if why is None:
        return
    fact = known_names(ruleset)[target.tree.id]
    message = _(
        "the target is fact {fact!r}, which may be 0 ({why}): method ratio divides by it, so a "
        "unit with {fact} = 0 cannot be scored; set on_zero_target (full, zero or error) to say "
        "what a target of 0 gives"
    ).format(fact=fact, why=why)
    yield Problem((*loc, "target"), message, path, "target", severity="warning")


def _derived_cycles(ruleset: Ruleset) -> list[list[str]]:
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


def _check_tier_scale(
    tiers: tuple[Tier, ...] | None, loc: Loc, path: str | None
) -> Iterator[Problem]:
    if tiers is None:
        return
    if not tiers:
        yield Problem(loc, _("give at least one tier"), path, "tiers")
    names: dict[str, int] = {}
    ranges_ok = True
    for index, tier in enumerate(tiers):
        where = (*loc, index)
        low, high = tier.range
        if not 0 <= low < high <= 1:
            ranges_ok = False
            message = _(
                "tier {tier!r} range [{low}, {high}] must satisfy 0 ≤ low < high ≤ 1"
            ).format(tier=tier.label, low=low, high=high)
            yield Problem((*where, "range"), message, path, "tiers")
        if tier.default is not None and not tier.allows(tier.default):
            message = _("tier {tier!r} default {default} is outside its range").format(
                tier=tier.label, default=tier.default
            )
            yield Problem((*where, "default"), message, path, "tiers")
        for label in tier.names():
            if label in names:
                message = _("tier label {label!r} is used twice").format(label=label)
                yield Problem(where, message, path, "tiers")
            names[label] = index
    ordered = sorted(tiers, key=lambda tier: tier.range[0]) if ranges_ok else []
    for lower, upper in itertools.pairwise(ordered):
        if lower.range[1] > upper.range[0]:
            message = _("tiers {lower!r} and {upper!r} overlap").format(
                lower=lower.label, upper=upper.label
            )
            yield Problem(loc, message, path, "tiers")
        elif lower.range[1] < upper.range[0]:
            message = _(
                "tiers {lower!r} and {upper!r} leave a gap between {start} and {end}"
            ).format(lower=lower.label, upper=upper.label, start=lower.range[1], end=upper.range[0])
            yield Problem(loc, message, path, "tiers")


def _check_node(
    ruleset: Ruleset, node: Indicator, loc: Loc, prefix: str, level: int, seen: set[str]
) -> Iterator[Problem]:
    path = f"{prefix}.{node.id}" if prefix else node.id
    if path in seen:
        message = _("duplicate indicator id {id!r}").format(id=node.id)
        yield Problem((*loc, "id"), message, path, "id")
    seen.add(path)
    if level > MAX_LEVELS:
        message = _(
            "indicators nest at most {limit} levels (一级/二级/三级), this is level {level}"
        ).format(limit=MAX_LEVELS, level=level)
        yield Problem(loc, message, path)
    if node.weight is not None and node.weight <= 0:
        message = _("must be positive, found {found}").format(found=node.weight)
        yield Problem((*loc, "weight"), message, path, "weight")
    places = ruleset.rounding.places
    exponent = node.weight.normalize().as_tuple().exponent if node.weight is not None else 0
    if isinstance(exponent, int) and exponent < -places:
        # a full score would round above its own weight
        message = _("{weight} has more decimal places than the rounding's {places}").format(
            weight=node.weight, places=places
        )
        yield Problem((*loc, "weight"), message, path, "weight")
    if node.children is not None:
        if node.method is not None:
            message = _("a node has children or a method, never both")
            yield Problem((*loc, "method"), message, path, "method", at_key=True)
        for name in sorted(_given(node) | ({"checks"} if node.checks else set())):
            message = _("{name!r} belongs to a leaf with a method, not to a group").format(
                name=name
            )
            yield Problem((*loc, name), message, path, name, at_key=True)
        for index, child in enumerate(node.children):
            yield from _check_node(ruleset, child, (*loc, "children", index), path, level + 1, seen)
        yield from _check_sum(node.children, node.weight, (*loc, "children"), path, "weight")
        return
    if node.method is None:
        if node.weight is None:
            return  # a template's slot: the extending ruleset sets the weight and the method
        message = _(
            "a leaf with a weight needs a method (ratio, bands, tiers, checklist …: "
            "docs/format.md §6)"
        )
        yield Problem(loc, message, path, "method")
        return
    yield from _check_method(ruleset, node, loc, path)


def _given(node: Indicator) -> set[str]:
    """The method parameters written on a node (an empty ``value:`` is not a value)."""
    return {name for name in PARAMETERS & node.model_fields_set if getattr(node, name) is not None}


def _check_sum(
    children: tuple[Indicator, ...], weight: Decimal | None, loc: Loc, path: str | None, what: str
) -> Iterator[Problem]:
    weights = [child.weight for child in children]
    if weight is None or not children or None in weights:
        return  # a template: the unit fills in the weights
    total = sum((w for w in weights if w is not None), Decimal(0))
    if total != weight:
        if what == "total":
            message = _("top-level weights sum to {sum}, expected the total {total}").format(
                sum=total, total=weight
            )
            yield Problem(loc, message, path)
        else:
            message = _("children's weights sum to {sum}, expected {weight}").format(
                sum=total, weight=weight
            )
            yield Problem(loc, message, path, "weight")


def _check_method(ruleset: Ruleset, node: Indicator, loc: Loc, path: str) -> Iterator[Problem]:
    assert node.method is not None
    need, may = METHOD_PARAMETERS[node.method]
    given = _given(node)
    for name in sorted(need - given):
        message = _("method {method} needs {name!r}").format(method=node.method, name=name)
        yield Problem(loc, message, path, name)
    for name in sorted(given - need - may):
        message = _("{name!r} does not apply to method {method}").format(
            name=name, method=node.method
        )
        yield Problem((*loc, name), message, path, name, at_key=True)
    for where, formula in node.formulas():
        local = _CHECK_LOCALS if where[0] == "checks" else frozenset()
        field = str(where[0])
        yield from _check_formula(ruleset, formula, (*loc, *where), path, field, local)
        yield from _zero_divisors(ruleset, formula, (*loc, *where), path, field)
    yield from _zero_target(ruleset, node, loc, path)
    for index, check in enumerate(node.checks):
        for name in sorted(CHECK_NAMES & check.when.names):
            if getattr(node, name) is None:
                message = _("method {method} has no {name!r} for a check to read").format(
                    method=node.method, name=name
                )
                yield Problem((*loc, "checks", index, "when"), message, path, "checks")
    weight = node.weight
    if weight is not None:
        for field in ("otherwise", "false_score"):
            score = getattr(node, field)
            if field in node.model_fields_set and not 0 <= score <= weight:
                message = _("{score} is outside 0–{weight}").format(score=score, weight=weight)
                yield Problem((*loc, field), message, path, field)
    method_check = _METHOD_CHECKS.get(node.method)
    if method_check is not None:
        yield from method_check(ruleset, node, loc, path)


_CHECK_LOCALS = frozenset(CHECK_NAMES)


def _positive(value: Decimal | None, loc: Loc, path: str, field: str) -> Iterator[Problem]:
    if value is not None and value <= 0:
        yield Problem(loc, _("must be positive, found {found}").format(found=value), path, field)


def _within_weight(
    score: Decimal, weight: Decimal | None, loc: Loc, path: str, field: str, message: str
) -> Iterator[Problem]:
    """A problem when ``score`` leaves 0–weight; ``message`` (marked with N_) says which score."""
    if weight is not None and not 0 <= score <= weight:
        yield Problem(loc, _(message).format(score=score, weight=weight), path, field)


def _check_bands(ruleset: Ruleset, node: Indicator, loc: Loc, path: str) -> Iterator[Problem]:
    if node.bands is None:
        return
    if not node.bands:
        yield Problem((*loc, "bands"), _("give at least one band"), path, "bands")
    earlier: list[Interval] = []
    for index, band in enumerate(node.bands):
        where = (*loc, "bands", index)
        yield from _within_weight(
            band.score,
            node.weight,
            (*where, "score"),
            path,
            "bands",
            N_("band score {score} is outside 0–{weight}"),
        )
        interval = band.interval
        if interval.empty:
            reason = (
                _("for the single value write equals: {value}").format(value=interval.low)
                if interval.low == interval.high
                else _("its ends cross")
            )
            message = _("band {band} holds no value: {reason}").format(band=interval, reason=reason)
            yield Problem(where, message, path, "bands")
        elif node.hit == "unique":
            for other_index, other in enumerate(earlier):
                if other.intersects(interval):
                    message = _(
                        "band {band} overlaps band {number} ({other}): "
                        "hit: unique needs bands that do not overlap"
                    ).format(band=interval, number=other_index + 1, other=other)
                    yield Problem(where, message, path, "bands")
        elif covers(earlier, interval):
            message = _(
                "band {band} can never match: the bands before it cover it "
                "(the first match wins; list bands from the highest down)"
            ).format(band=interval)
            yield Problem(where, message, path, "bands")
        earlier.append(interval)
    if "otherwise" in node.model_fields_set:
        return  # written out: the bureau meant values between the bands to score it
    for gap in gaps(earlier):
        message = _(
            "values {gap} match no band and score otherwise ({otherwise}); "
            "write otherwise: to confirm"
        ).format(gap=gap, otherwise=node.otherwise)
        yield Problem((*loc, "bands"), message, path, "bands", severity="warning")


def _check_threshold(ruleset: Ruleset, node: Indicator, loc: Loc, path: str) -> Iterator[Problem]:
    if node.at_least is None and node.at_most is None:
        message = _("method threshold needs one limit: at_most (full marks up to it) or at_least")
        yield Problem(loc, message, path, "at_most")
    elif node.at_least is not None and node.at_most is not None:
        message = _("method threshold takes one limit, at_most or at_least, not both")
        yield Problem((*loc, "at_least"), message, path, "at_least", at_key=True)
    yield from _positive(node.step, (*loc, "step"), path, "step")
    yield from _positive(node.points, (*loc, "points"), path, "points")


def _check_equal(ruleset: Ruleset, node: Indicator, loc: Loc, path: str) -> Iterator[Problem]:
    if node.tolerance is not None and node.tolerance < 0:
        message = _("must be 0 or more, found {found}").format(found=node.tolerance)
        yield Problem((*loc, "tolerance"), message, path, "tolerance")


def _check_items(node: Indicator, loc: Loc, path: str, needs: str) -> Iterator[Problem]:
    other = "count" if needs == "met" else "met"
    ids: set[str] = set()
    for index, item in enumerate(node.items or ()):
        where = (*loc, "items", index)
        if item.id in ids:
            message = _("duplicate item id {id!r}").format(id=item.id)
            yield Problem((*where, "id"), message, path, "items")
        ids.add(item.id)
        yield from _positive(item.points, (*where, "points"), path, "items")
        if getattr(item, needs) is None:
            message = _("item {id!r} needs {name!r}").format(id=item.id, name=needs)
            yield Problem(where, message, path, "items")
        if getattr(item, other) is not None:
            message = _("{name!r} does not apply to an item of method {method}").format(
                name=other, method=node.method
            )
            yield Problem((*where, other), message, path, "items", at_key=True)
    if node.items is not None and not node.items:
        yield Problem((*loc, "items"), _("give at least one item"), path, "items")


def _check_checklist(ruleset: Ruleset, node: Indicator, loc: Loc, path: str) -> Iterator[Problem]:
    yield from _check_items(node, loc, path, "met")
    points = sum((item.points for item in node.items or ()), Decimal(0))
    if node.items and node.weight is not None and points != node.weight:
        message = _("items' points sum to {points}, expected the weight {weight}").format(
            points=points, weight=node.weight
        )
        yield Problem((*loc, "items"), message, path, "items")


def _check_deduct(ruleset: Ruleset, node: Indicator, loc: Loc, path: str) -> Iterator[Problem]:
    if node.items is not None:
        if node.count is not None or node.points is not None:
            message = _("give items, or one count and points, not both")
            yield Problem((*loc, "items"), message, path, "items")
        yield from _check_items(node, loc, path, "count")
        return
    for name in ("count", "points"):
        if getattr(node, name) is None:
            message = _("method deduct needs {name!r} (or items)").format(name=name)
            yield Problem(loc, message, path, name)
    yield from _positive(node.points, (*loc, "points"), path, "points")


def _check_cases(ruleset: Ruleset, node: Indicator, loc: Loc, path: str) -> Iterator[Problem]:
    if node.cases is not None and not node.cases:
        yield Problem((*loc, "cases"), _("give at least one case"), path, "cases")
    for index, case in enumerate(node.cases or ()):
        where = (*loc, "cases", index, "score")
        message = N_("case score {score} is outside 0–{weight}")
        yield from _within_weight(case.score, node.weight, where, path, "cases", message)


def _check_choice(ruleset: Ruleset, node: Indicator, loc: Loc, path: str) -> Iterator[Problem]:
    if node.fact is None or node.options is None:
        return
    spec = ruleset.facts.get(node.fact)
    if spec is None:
        hint = suggest(node.fact, list(ruleset.facts))
        message = _("unknown fact {name!r}{hint}").format(name=node.fact, hint=hint)
        yield Problem((*loc, "fact"), message, path, "fact")
        return
    if spec.type != "choice":
        message = _(
            "fact {name!r} is declared type {type}, method choice needs type choice"
        ).format(name=node.fact, type=spec.type)
        yield Problem((*loc, "fact"), message, path, "fact")
        return
    if not spec.options:
        return  # reported at the fact: every option here would be reported again
    declared = spec.options
    for option, score in node.options.items():
        where = (*loc, "options", option)
        if option not in declared:
            hint = _hint(option, declared)
            message = _("{option!r} is not an option of fact {name!r}{hint}").format(
                option=option, name=node.fact, hint=hint
            )
            yield Problem(where, message, path, "options", at_key=True)
        message = N_("option score {score} is outside 0–{weight}")
        yield from _within_weight(score, node.weight, where, path, "options", message)
    for option in declared:
        if option not in node.options:
            message = _("option {option!r} of fact {name!r} has no score").format(
                option=option, name=node.fact
            )
            yield Problem((*loc, "options"), message, path, "options")


def _check_parts(ruleset: Ruleset, node: Indicator, loc: Loc, path: str) -> Iterator[Problem]:
    if node.parts is not None and not node.parts:
        yield Problem((*loc, "parts"), _("give at least one part"), path, "parts")
    for index, part in enumerate(node.parts or ()):
        yield from _positive(part.share, (*loc, "parts", index, "share"), path, "parts")


def _check_alternatives(
    ruleset: Ruleset, node: Indicator, loc: Loc, path: str
) -> Iterator[Problem]:
    alternatives = node.alternatives or ()
    if node.alternatives is not None and len(alternatives) < 2:
        message = _("give at least two alternatives to choose from")
        yield Problem((*loc, "alternatives"), message, path, "alternatives")
    ids: set[str] = set()
    for index, alternative in enumerate(alternatives):
        where = (*loc, "alternatives", index)
        where_path = f"{path}.{alternative.id}"
        if alternative.id in ids:
            message = _("duplicate alternative id {id!r}").format(id=alternative.id)
            yield Problem((*where, "id"), message, path, "alternatives")
        ids.add(alternative.id)
        if alternative.children is not None:
            message = _("an alternative is a leaf with a method, not a group")
            yield Problem((*where, "children"), message, where_path, "children", at_key=True)
            continue
        if alternative.weight is not None:
            message = _(
                "an alternative takes no weight: it is scored out of the indicator's weight"
            )
            yield Problem((*where, "weight"), message, where_path, "weight", at_key=True)
            continue
        if alternative.method in (None, "either"):
            message = _("an alternative needs a method other than either")
            yield Problem(where, message, where_path, "method")
            continue
        if alternative.checks:
            # the engine runs the checks of the indicator, never those of an alternative
            message = _(
                "an alternative takes no checks: give them to the indicator itself "
                "(they may read facts, not actual, target or value)"
            )
            yield Problem((*where, "checks"), message, where_path, "checks", at_key=True)
        scored = alternative.model_copy(update={"weight": node.weight})
        yield from _check_method(ruleset, scored, where, where_path)


def _check_formula_bounds(
    ruleset: Ruleset, node: Indicator, loc: Loc, path: str
) -> Iterator[Problem]:
    """A ``formula`` must stay within 0–weight at every corner of its facts' declared bounds."""
    if node.expr is None or node.weight is None:
        return
    yield from corner_problems(ruleset, node.expr, node.weight, (*loc, "expr"), path)


def _check_tiers(ruleset: Ruleset, node: Indicator, loc: Loc, path: str) -> Iterator[Problem]:
    if node.fact is not None:
        spec = ruleset.facts.get(node.fact)
        if spec is None:
            hint = suggest(node.fact, list(ruleset.facts))
            message = _("unknown fact {name!r}{hint}").format(name=node.fact, hint=hint)
            yield Problem((*loc, "fact"), message, path, "fact")
        elif spec.type != "tier":
            message = _(
                "fact {name!r} is declared type {type}, method tiers needs type tier"
            ).format(name=node.fact, type=spec.type)
            yield Problem((*loc, "fact"), message, path, "fact")
        first = next(
            (p for p, _, n in ruleset.walk() if n.method == "tiers" and n.fact == node.fact), path
        )
        if first != path:  # a claim's points are checked against one indicator's weight
            message = _("fact {name!r} is already scored by {first}: give each its own fact")
            message = message.format(name=node.fact, first=first)
            yield Problem((*loc, "fact"), message, path, "fact")
    if node.tiers is None and ruleset.tiers is None:
        message = _("method tiers needs 'tiers' here or at the top of the ruleset")
        yield Problem(loc, message, path, "tiers")
    yield from _check_tier_scale(node.tiers, (*loc, "tiers"), path)


MAX_CORNER_FACTS = 8
"""2**8 corners: beyond that the bounds check is skipped with a warning."""


def corner_problems(
    ruleset: Ruleset, formula: Formula, weight: Decimal, loc: Loc, path: str
) -> Iterator[Problem]:
    """An error where ``formula`` leaves 0–weight at a corner of its facts' bounds.

    A warning instead when the bounds are not all declared, or there are too many corners.
    """
    behind = names_behind(ruleset, formula.names)
    if _derived_cycles(ruleset) or not behind <= set(known_names(ruleset)):
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


_METHOD_CHECKS: Mapping[str, Callable[[Ruleset, Indicator, Loc, str], Iterator[Problem]]] = {
    "bands": _check_bands,
    "equal": _check_equal,
    "threshold": _check_threshold,
    "tiers": _check_tiers,
    "deduct": _check_deduct,
    "checklist": _check_checklist,
    "cases": _check_cases,
    "choice": _check_choice,
    "weighted_average": _check_parts,
    "either": _check_alternatives,
    "formula": _check_formula_bounds,
}
