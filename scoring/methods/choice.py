"""``choice`` (按所选情形计分): the score of the option the unit states."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from decimal import Decimal

from scoring.errors import EvaluationError, suggest
from scoring.i18n import N_, _
from scoring.methods.common import found, hint, points_words, within_weight
from scoring.methods.spec import Checking, Emitter, Judge, MethodSpec, Outcome, Read, Words
from scoring.model.numbers import show
from scoring.model.problems import Loc, Problem
from scoring.model.ruleset import Indicator, Tier


def choice(node: Indicator, weight: Decimal, read: Read, tiers: tuple[Tier, ...]) -> Outcome:
    """Categorical, as the unit states it: the chosen option's score."""
    chosen = read("fact")
    options = node.options or {}
    if not isinstance(chosen, str) or chosen not in options:
        message = _("expected one of {options}, found {found}").format(
            options=_(", ").join(options), found=found(chosen)
        )
        raise EvaluationError(message)
    return Outcome(options[chosen], f"{chosen} → {show(options[chosen])}")


def _check(checking: Checking, node: Indicator, loc: Loc, path: str) -> Iterator[Problem]:
    ruleset = checking.ruleset
    if node.fact is None or node.options is None:
        return
    spec = ruleset.facts.get(node.fact)
    if spec is None:
        near = suggest(node.fact, list(ruleset.facts))
        message = _("unknown fact {name!r}{hint}").format(name=node.fact, hint=near)
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
            message = _("{option!r} is not an option of fact {name!r}{hint}").format(
                option=option, name=node.fact, hint=hint(option, declared)
            )
            yield Problem(where, message, path, "options", at_key=True)
        message = N_("option score {score} is outside 0–{weight}")
        yield from within_weight(score, node.weight, where, path, "options", message)
    for option in declared:
        if option not in node.options:
            message = _("option {option!r} of fact {name!r} has no score").format(
                option=option, name=node.fact
            )
            yield Problem((*loc, "options"), message, path, "options")


def _emit(node: Indicator, weight: Decimal, tiers: tuple[Tier, ...], out: Emitter) -> str:
    chosen, score = out.fact(node.fact), out.fresh()
    options = out.const(dict(node.options or {}))
    out.line(f"if type({chosen}) is not str or {chosen} not in {options}: {out.bail}")
    out.line(f"{score} = {options}[{chosen}]")
    return score


def _words(node: Indicator, words: Words) -> str:
    options = "；".join(
        f"{option}，{points_words(points, '得')}" for option, points in (node.options or {}).items()
    )
    return f"按 {node.fact} 计分：{options}"


def _judgement(node: Indicator, fact: Callable[[str], object]) -> str:
    option, points = max((node.options or {}).items(), key=lambda pair: pair[1])
    message = _("choice: the option the unit states; the best, {option}, scores {points}")
    return message.format(option=option, points=show(points))


CHOICE = MethodSpec(
    name="choice",
    required=frozenset({"fact", "options"}),
    optional=frozenset(),
    score=choice,
    check=_check,
    wording=_words,
    gap=Judge(_judgement),
    emit=_emit,
)
