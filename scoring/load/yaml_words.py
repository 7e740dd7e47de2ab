"""PyYAML's complaints in words a finance clerk can act on.

No `yaml` import: the parser's error is read by its attributes (``problem``, ``context`` and
their marks), so YAML stays parsed in `yaml_source.py` alone.
"""

from __future__ import annotations

from typing import Any

from scoring.i18n import N_, _, foreign_phrases, foreign_words

# PyYAML's words for the problems a user meets most, in the chosen language (as said, if rare)
_PYYAML_WORDS = foreign_phrases(
    N_("mapping values are not allowed here"),
    N_("found unexpected end of stream"),
    N_("could not find expected ':'"),
    N_("found undefined alias '{name}'"),
    N_("found duplicate anchor '{name}'; first occurrence"),
    N_("second occurrence"),
    N_("found unknown escape character {character}"),
    N_("found character {character} that cannot start any token"),
    N_("expected a single document in the stream, but found another document"),
    N_("while scanning a simple key"),
    N_("while scanning a quoted scalar"),
    N_("while scanning a double-quoted scalar"),
    N_("while scanning for the next token"),
    N_("while parsing a block mapping"),
    N_("while parsing a block collection"),
)


def plain_words(exc: Any, text: str) -> tuple[Any, str]:
    """The parser's complaint in words a finance clerk can act on, and where to look."""
    mark = exc.problem_mark or exc.context_mark
    problem, context = exc.problem or "", exc.context or ""
    lines = text.splitlines()
    if "'\\t' that cannot start any token" in problem:
        return mark, _("a tab indents this line: YAML indents with spaces only")
    if context.startswith("while parsing a flow") and exc.context_mark and exc.problem_mark:
        bracket = "{" if "mapping" in context else "["
        closing = "}" if bracket == "{" else "]"
        if "<stream end>" in problem:
            message = _(
                "the '{bracket}' opened here is not closed: expected ',' or '{closing}' before "
                "the end of the file"
            )
        else:
            message = _(
                "the '{bracket}' opened here is not closed: expected ',' or '{closing}' before "
                "line {line}"
            )
        return exc.context_mark, message.format(
            bracket=bracket, closing=closing, line=exc.problem_mark.line + 1
        )
    if "expected <block end>" in problem and exc.problem_mark is not None:
        at = exc.problem_mark
        written = lines[at.line] if at.line < len(lines) else ""
        word = written[at.column :].split(":")[0].strip().lstrip("- ") or written.strip()
        above = [
            len(previous) - len(previous.lstrip(" "))
            for previous in lines[: at.line]
            if previous.strip() and not previous.lstrip().startswith("#")
        ]
        if above:
            message = _(
                "bad indentation: {word!r} does not line up with the keys above it "
                "(column {column})"
            )
        else:
            message = _("bad indentation: {word!r} does not line up with the keys above it")
        return at, message.format(word=word, column=above[-1] + 1 if above else None)
    if context and problem and "tag" not in problem:
        said = _("{context}, {problem}")
        return mark, said.format(
            context=foreign_words(context, _PYYAML_WORDS),
            problem=foreign_words(problem, _PYYAML_WORDS),
        )
    if problem or context:
        return mark, foreign_words(problem or context, _PYYAML_WORDS)
    return mark, _("invalid YAML")
