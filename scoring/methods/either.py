"""``either`` (二者择其一): scored by the first alternative whose facts are all given.

The engine resolves it (it knows which facts are given), then scores that alternative's method.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

from scoring.i18n import _
from scoring.methods.common import circled
from scoring.methods.spec import Checking, Judge, MethodSpec, Words
from scoring.model.problems import Loc, Problem
from scoring.model.ruleset import Indicator


def _check(checking: Checking, node: Indicator, loc: Loc, path: str) -> Iterator[Problem]:
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
        yield from checking.leaf(scored, where, where_path)


def _words(node: Indicator, words: Words) -> str:
    choices = []
    for index, alternative in enumerate(node.alternatives or ()):
        text = words.text(alternative)
        named = text if text.startswith(alternative.name) else f"{alternative.name}：{text}"
        choices.append(f"{circled(index)}{named}")
    return f"以下方案择其一（按先给齐事实的方案计分）：{'；'.join(choices)}"


def _judgement(node: Indicator, fact: Callable[[str], object]) -> str:
    names = _(" or ").join(alternative.name for alternative in node.alternatives or ())
    message = _("either: scored through one of its alternatives ({names})")
    return message.format(names=names)


EITHER = MethodSpec(
    name="either",
    required=frozenset({"alternatives"}),
    optional=frozenset(),
    score=None,
    check=_check,
    wording=_words,
    gap=Judge(_judgement),
    emit=None,
)
