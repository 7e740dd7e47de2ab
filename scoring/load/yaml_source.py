"""YAML text → data that remembers where each key and value stood; the only `yaml` import.

Mappings load as :class:`LocatedDict` and sequences as :class:`LocatedList`, which behave as plain
``dict`` and ``list`` but keep a 1-based :class:`SourceLocation` for the node, each key and each
value. Numbers with a fraction load as ``Decimal`` built from the text, never through float.
Only YAML's safe tags are accepted; duplicate keys, non-text keys and alias bombs are refused.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from typing import Any

import yaml
import yaml.composer
import yaml.constructor
import yaml.cyaml
import yaml.resolver

from scoring.errors import InputError, Issue, RulesetError, SourceLocation
from scoring.i18n import _
from scoring.load.yaml_words import plain_words
from scoring.model.located import LocatedDict, LocatedList

MAX_ALIASES = 100
MAX_NESTING = 50
"""Levels of nested mappings and lists; a ruleset needs about a dozen."""
MAX_INTEGER_DIGITS = 30
TEXT_TAG = "tag:yaml.org,2002:str"
"""The one explicit tag accepted (``!!str 2022`` keeps a year as text); every other is refused,
so no constructor ever meets a value it cannot take (``!!int x``, ``!!map 5``, ``!!python/…``)."""
MAX_EXPANDED_NODES = 100_000
"""An alias bomb expands a few lines into billions of nodes; real rulesets need a handful."""


def _mark(filename: str, mark: yaml.Mark | None) -> SourceLocation | None:
    if mark is None:
        return None
    return SourceLocation(filename, mark.line + 1, mark.column + 1)


class _Guarded:
    """What both loaders refuse while composing: alias bombs, tags, deep nesting."""

    filename = "<string>"
    aliases = 0
    depth = 0

    def compose_node(self, parent: yaml.Node | None, index: int) -> yaml.Node | None:
        if self.check_event(yaml.AliasEvent):
            self.aliases += 1
            if self.aliases > MAX_ALIASES:
                event = self.peek_event()
                message = _("more than {limit} aliases (*name): refusing to expand them").format(
                    limit=MAX_ALIASES
                )
                raise yaml.MarkedYAMLError(problem=message, problem_mark=event.start_mark)
        event = self.peek_event()
        tag = getattr(event, "tag", None)
        if tag not in (None, "!", TEXT_TAG):
            shown = tag.replace("tag:yaml.org,2002:", "!!")
            message = _(
                "the tag {tag} is not accepted: remove it (only plain values are read)"
            ).format(tag=shown)
            raise yaml.MarkedYAMLError(problem=message, problem_mark=event.start_mark)
        self.depth += 1
        try:
            if self.depth > MAX_NESTING:  # PyYAML recurses per level: stop well before Python does
                event = self.peek_event()
                message = _("nested more than {limit} levels deep").format(limit=MAX_NESTING)
                raise yaml.MarkedYAMLError(problem=message, problem_mark=event.start_mark)
            node: yaml.Node | None = super().compose_node(parent, index)  # type: ignore[misc]
            return node
        finally:
            self.depth -= 1

    # the parser's methods, which the loaders below take from PyYAML
    check_event: Any
    peek_event: Any


class _Loader(_Guarded, yaml.SafeLoader):
    """PyYAML's pure-Python loader: the reference, and the one that words every error."""


class _NoLibyaml:  # stands in for libyaml's parser where PyYAML lacks it (never used then)
    pass


_LIBYAML: type[Any] | None = yaml.cyaml.CParser if yaml.__with_libyaml__ else None  # type: ignore[attr-defined]


class _FastLoader(
    _Guarded,
    yaml.composer.Composer,
    _LIBYAML or _NoLibyaml,  # type: ignore[misc]
    yaml.constructor.SafeConstructor,
    yaml.resolver.Resolver,
):
    """libyaml scans and parses; the composer, the guards and the constructors are the pure ones.

    About five times faster than :class:`_Loader`, with the same marks. Used only for text
    libyaml and PyYAML read alike (:data:`_PURE_ONLY`), and only when it succeeds: on any
    problem the pure loader reads the text again and words the error, at PyYAML's position.
    """

    flows = 0
    """How many flow collections (``[…]``, ``{…}``) enclose the node being composed."""

    def __init__(self, stream: str):
        if _LIBYAML is not None:
            _LIBYAML.__init__(self, stream)
        yaml.composer.Composer.__init__(self)
        yaml.constructor.SafeConstructor.__init__(self)
        yaml.resolver.Resolver.__init__(self)

    def compose_scalar_node(self, anchor: Any) -> Any:
        event = self.peek_event()
        if event.tag is not None or (self.flows and not event.value and not event.style):
            # libyaml and PyYAML read '!' alone differently, and place an empty value inside
            # [...] or {...} apart (after the space, before it)
            raise _PureOnly
        return super().compose_scalar_node(anchor)

    def compose_sequence_node(self, anchor: Any) -> Any:
        flow = bool(self.peek_event().flow_style)
        self.flows += flow
        try:
            return super().compose_sequence_node(anchor)
        finally:
            self.flows -= flow

    def compose_mapping_node(self, anchor: Any) -> Any:
        flow = bool(self.peek_event().flow_style)
        self.flows += flow
        try:
            return super().compose_mapping_node(anchor)
        finally:
            self.flows -= flow


class _PureOnly(yaml.YAMLError):
    """Raised by :class:`_FastLoader` where libyaml's marks differ: the pure loader reads it."""


_PURE_ONLY = re.compile(yaml.reader.Reader.NON_PRINTABLE.pattern + r"|[\t\ufeff]|[|>][-+0-9]*#")
"""Only the pure loader reads characters its reader refuses (it words the error), tabs and a
comment right after ``|`` or ``>`` (libyaml takes some PyYAML refuses), a byte-order mark (the
columns after it differ). tests/load/test_yaml_source.py looks for more on generated text."""


def _construct_mapping(loader: _Loader, node: yaml.MappingNode) -> LocatedDict:
    written = sum(
        1 for key_node, _value_node in node.value if key_node.tag != "tag:yaml.org,2002:merge"
    )
    loader.flatten_mapping(node)
    merged = len(node.value) - written  # flatten_mapping puts the merged (<<: *a) pairs first
    result = LocatedDict()
    result.location = _mark(loader.filename, node.start_mark)
    explicit: set[str] = set()
    for index, (key_node, value_node) in enumerate(node.value):
        key = loader.construct_object(key_node, deep=True)
        if not isinstance(key, str):
            message = _("keys must be text, found {key!r}; put it in quotes").format(key=key)
            raise yaml.MarkedYAMLError(problem=message, problem_mark=key_node.start_mark)
        if index >= merged:  # a key written here overrides one merged in with <<
            if key in explicit:
                message = _("duplicate key {key!r}").format(key=key)
                raise yaml.MarkedYAMLError(problem=message, problem_mark=key_node.start_mark)
            explicit.add(key)
        result[key] = loader.construct_object(value_node, deep=True)
        result.key_locations[key] = _mark(loader.filename, key_node.start_mark)  # type: ignore[assignment]
        result.value_locations[key] = _mark(loader.filename, value_node.start_mark)  # type: ignore[assignment]
    return result


def _construct_sequence(loader: _Loader, node: yaml.SequenceNode) -> LocatedList:
    result = LocatedList(loader.construct_object(child, deep=True) for child in node.value)
    result.location = _mark(loader.filename, node.start_mark)
    result.item_locations = [_mark(loader.filename, child.start_mark) for child in node.value]  # type: ignore[misc]
    return result


def _construct_decimal(loader: _Loader, node: yaml.ScalarNode) -> Decimal | str:
    written = str(loader.construct_scalar(node))
    text = written.replace("_", "").lower()
    if ":" in text:  # YAML 1.1 reads 1:30.5 in base 60; nobody means that: keep the text
        return written
    special = {".inf": "Infinity", "+.inf": "Infinity", "-.inf": "-Infinity", ".nan": "NaN"}
    try:
        return Decimal(special.get(text, text))
    except InvalidOperation as exc:  # pragma: no cover - YAML's resolver only sends floats here
        message = _("not a number: {text!r}").format(text=text)
        raise yaml.MarkedYAMLError(problem=message, problem_mark=node.start_mark) from exc


DECIMAL_INTEGER = re.compile(r"[-+]?[0-9][0-9_]*")


def _construct_integer(loader: _Loader, node: yaml.ScalarNode) -> int | str:
    """Plain decimal integers only.

    YAML 1.1 also reads 0x1F, 0o17, 0b11 and 1:30 (base 60) as numbers, which a finance clerk
    never means; those stay text, which the fact reader then refuses with how to write it.
    """
    written = str(loader.construct_scalar(node))
    if not DECIMAL_INTEGER.fullmatch(written):
        return written
    if len(written) > MAX_INTEGER_DIGITS:  # Python refuses ints of over 4300 digits
        message = _("a number of {count} digits is too long").format(count=len(written))
        raise yaml.MarkedYAMLError(problem=message, problem_mark=node.start_mark)
    return int(written.replace("_", ""))


def _construct_timestamp(loader: _Loader, node: yaml.ScalarNode) -> str:
    """A date stays text (2022-01-05): no rule reads dates, and 2022-13-45 must not crash."""
    return str(loader.construct_scalar(node))


def _construct_text(loader: _Loader, node: yaml.ScalarNode) -> str:
    """A bare ``=`` (YAML 1.1's "value" key) is the text ``=``: a 指标方向, as written."""
    return str(loader.construct_scalar(node))


for _loader in (_Loader, _FastLoader):
    _loader.add_constructor("tag:yaml.org,2002:value", _construct_text)
    _loader.add_constructor("tag:yaml.org,2002:timestamp", _construct_timestamp)
    _loader.add_constructor("tag:yaml.org,2002:int", _construct_integer)
    _loader.add_constructor("tag:yaml.org,2002:map", _construct_mapping)
    _loader.add_constructor("tag:yaml.org,2002:seq", _construct_sequence)
    _loader.add_constructor("tag:yaml.org,2002:float", _construct_decimal)


def parse_yaml(text: str, filename: str, error: type[RulesetError] | Any = RulesetError) -> Any:
    """Parse one YAML document into located data.

    Args:
        text: the document.
        filename: the name to put in locations, as the user gave it.
        error: the exception class to raise (RulesetError or FactsError).

    Raises:
        RulesetError: (or ``error``) on a syntax error, a duplicate key, an unsafe tag or an
            alias bomb.
    """
    read, data = _read_with_libyaml(text, filename, error)
    return data if read else parse_yaml_pure(text, filename, error)


def _read_with_libyaml(text: str, filename: str, error: type[InputError]) -> tuple[bool, Any]:
    """``(True, data)`` when the libyaml loader reads ``text``, else ``(False, None)``.

    On ``False`` the pure loader is asked: it reads the text alike, or says what is wrong in its
    own words.
    """
    if _LIBYAML is None or _PURE_ONLY.search(text):
        return False, None
    try:
        return True, _load(_FastLoader(text), filename, error)
    except (yaml.YAMLError, InputError):
        return False, None


def parse_yaml_pure(
    text: str, filename: str, error: type[RulesetError] | Any = RulesetError
) -> Any:
    """:func:`parse_yaml` by PyYAML's pure-Python loader only: the reference the fast path meets.

    Raises:
        RulesetError: (or ``error``) as :func:`parse_yaml`.
    """
    try:
        loader = _Loader(text)  # reads the text at once: a control character stops it here
    except yaml.YAMLError as exc:
        raise error([_issue(exc, text, filename)], filename) from exc
    try:
        return _load(loader, filename, error)
    except yaml.YAMLError as exc:
        raise error([_issue(exc, text, filename)], filename) from exc


def _load(loader: _Guarded, filename: str, error: type[RulesetError] | Any) -> Any:
    """The one document ``loader`` holds, refused when its aliases expand too far."""
    assert isinstance(loader, _Loader | _FastLoader)
    loader.filename = filename
    try:
        data = loader.get_single_data()
        if loader.aliases and _expanded_size(data, {}) > MAX_EXPANDED_NODES:
            message = _("aliases expand to more than {limit:,} values: refusing").format(
                limit=MAX_EXPANDED_NODES
            )
            issue = Issue(
                _("YAML: {problem}").format(problem=message), SourceLocation(filename, 1, 1)
            )
            raise error([issue], filename)
        return data
    finally:
        loader.dispose()


def _issue(exc: yaml.YAMLError, text: str, filename: str) -> Issue:
    """A YAML error as one Issue at its position."""
    if isinstance(exc, yaml.reader.ReaderError):
        before = text[: exc.position]
        line = before.count("\n") + 1
        column = exc.position - (before.rfind("\n") + 1) + 1
        message = _(
            "a control character (U+{code:04X}) is not allowed here: delete it "
            "(it often comes with text pasted from a spreadsheet)"
        ).format(code=exc.character)
        return Issue(
            _("YAML: {problem}").format(problem=message), SourceLocation(filename, line, column)
        )
    if isinstance(exc, yaml.MarkedYAMLError):
        mark, problem = plain_words(exc, text)
        return Issue(
            _("YAML: {problem}").format(problem=problem),
            _mark(filename, mark) or SourceLocation(filename, 1, 1),
        )
    return Issue(  # pragma: no cover
        _("YAML: {problem}").format(problem=exc), SourceLocation(filename, 1, 1)
    )


def _expanded_size(node: Any, sizes: dict[int, int]) -> int:
    """How many values the data holds once every alias is expanded."""
    if not isinstance(node, dict | list):
        return 1
    known = sizes.get(id(node))
    if known is None:
        children = node.values() if isinstance(node, dict) else node
        sizes[id(node)] = -1  # a recursive alias reaches itself: count it as huge
        known = 1 + sum(_expanded_size(child, sizes) for child in children)
        sizes[id(node)] = known
    return known if known >= 0 else MAX_EXPANDED_NODES + 1
