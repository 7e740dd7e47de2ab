"""The ruleset search path: resolve ``id@version``, merge ``extends`` by indicator id.

A ruleset names its parent by ``id@version`` only, never by a file: the parent is looked up among
the ``*.yaml`` and ``*.yml`` files of the search path (any ``--rulesets DIR``, then the shipped
``rulesets/``), so a ruleset cannot make the engine read an arbitrary file.

An ``id@version`` names one set of rules. Two files that give it different content are refused
whenever that name is looked up: within one directory there is no telling which was meant, and a
``--rulesets DIR`` that holds a different file under a shipped name would change every score
without a word. Only ``allow_shadow`` (``--allow-shadow``) lets an earlier directory's file
replace a later one's; identical copies (the same YAML data, whatever the comments) always pass.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from scoring.errors import Issue, RulesetError, SearchPathError, SourceLocation, suggest
from scoring.i18n import _
from scoring.load.yaml_source import parse_yaml
from scoring.model.base import version_text
from scoring.model.fingerprint import canonical_json
from scoring.model.located import LocatedDict, LocatedList, locate


def _shipped_rulesets() -> Path:
    """The ``rulesets/`` installed with the package: the wheel's package data, or the checkout's."""
    shipped = resources.files("scoring.rulesets")
    # pip installs a wheel as files, and an editable install maps the package to the checkout's
    # rulesets/; a zipped package would need extracting, which nothing here does
    assert isinstance(shipped, Path), f"the shipped rulesets are not files: {shipped}"
    return shipped.resolve()


SHIPPED_RULESETS = _shipped_rulesets()
MAX_FILE_BYTES = 2 * 1024 * 1024
MAX_EXTENDS_DEPTH = 8
SUFFIXES = (".yaml", ".yml")
"""A ruleset or facts file: ``.yml`` is read like ``.yaml`` everywhere."""
SHIPPED_LABEL = "<shipped>"
"""How a result names a shipped ruleset file: ``<shipped>/mof/project-self-eval-2020.yaml``."""
REF = re.compile(r"^(?P<id>[a-z][a-z0-9_.-]*?)(?:@(?P<version>[0-9A-Za-z][0-9A-Za-z._-]*))?$")

Parents = Callable[[str], tuple[LocatedDict, str]]
"""Looks up a parent ruleset by ``id@version``: its data and the file it came from."""


def version_key(version: str) -> tuple[tuple[int, int | str], ...]:
    """Order versions naturally: 2020.10 after 2020.9, numbers before words."""
    parts = re.findall(r"\d+|[^\d.]+", version)
    return tuple((0, int(part)) if part.isdigit() else (1, part) for part in parts)


def read_text(path: Path, error: type[RulesetError] | Any = RulesetError) -> str:
    """Read a YAML file, refusing one over the size limit or not UTF-8.

    Raises:
        OSError: when the file cannot be read (the CLI exits 2).
        RulesetError: (or ``error``) when it is too large or not UTF-8 text.
    """
    data = path.read_bytes()
    where = SourceLocation(str(path), 1, 1)
    if len(data) > MAX_FILE_BYTES:
        message = _("file is {size:,} bytes, the limit is {limit:,}").format(
            size=len(data), limit=MAX_FILE_BYTES
        )
        raise error([Issue(message, where)], str(path))
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        before = data[: exc.start]
        line_start = before.rfind(b"\n") + 1
        column = len(before[line_start:].decode("utf-8-sig", errors="replace")) + 1
        at = SourceLocation(str(path), before.count(b"\n") + 1, column)
        message = _("not UTF-8 text; save the file as UTF-8")
        raise error([Issue(message, at)], str(path)) from exc


@dataclass(frozen=True)
class Entry:
    """One ruleset file found on the search path."""

    id: str
    version: str
    path: Path
    digest: str = ""
    """sha256 of the file's YAML data: copies that differ only in comments or layout agree."""
    root: Path | None = None
    """The search directory it was found in."""

    @property
    def ref(self) -> str:
        """``id@version``."""
        return f"{self.id}@{self.version}"


def yaml_files(directory: Path) -> list[Path]:
    """Every ``*.yaml`` and ``*.yml`` file under ``directory``, sorted."""
    return sorted(path for suffix in SUFFIXES for path in directory.rglob(f"*{suffix}"))


def shown_file(name: str) -> str:
    """A ruleset file as a result records it: a shipped one as ``<shipped>/…``, others as given.

    A shipped file's absolute path depends on where scoring is installed; the label does not, so
    the same inputs give the same result on every machine.
    """
    try:
        inside = Path(name).resolve().relative_to(SHIPPED_RULESETS)
    except (OSError, ValueError):
        return name
    return f"{SHIPPED_LABEL}/{inside.as_posix()}"


class Registry:
    """The rulesets found on a search path, by id and version.

    Args:
        directories: searched in order, before the shipped ``rulesets/``.
        allow_shadow: let a file in an earlier directory replace a different file with the same
            ``id@version`` in a later one (a shipped ruleset); refused otherwise.
    """

    def __init__(self, directories: Iterable[Path] = (), *, allow_shadow: bool = False):
        self.directories = tuple(dict.fromkeys([*directories, SHIPPED_RULESETS]))
        self.allow_shadow = allow_shadow
        self._candidates: dict[tuple[str, str], list[Entry]] | None = None

    def candidates(self) -> dict[tuple[str, str], list[Entry]]:
        """Every file on the search path for each ``id@version``, in search order.

        A file reached twice (the shipped directory also given with --rulesets) counts once.
        """
        if self._candidates is None:
            self._candidates = {}
            seen: set[Path] = set()
            for directory in self.directories:
                for entry in _scan(directory):
                    real = entry.path.resolve()
                    if real not in seen:
                        seen.add(real)
                        self._candidates.setdefault((entry.id, entry.version), []).append(entry)
        return self._candidates

    def entries(self) -> dict[tuple[str, str], Entry]:
        """The file each ``id@version`` resolves to: the first on the search path."""
        return {key: found[0] for key, found in self.candidates().items()}

    def clashes(self, entry: Entry) -> list[Entry]:
        """The other files that give ``entry``'s ``id@version`` different content, and may not.

        Two such files in one search directory always clash; in different directories (a
        ``--rulesets DIR`` and the shipped rulesets) they clash unless shadowing is allowed.
        """
        real = entry.path.resolve()
        return [
            other
            for other in self.candidates().get((entry.id, entry.version), [])
            if other.path.resolve() != real
            and other.digest != entry.digest
            and (other.root == entry.root or not self.allow_shadow)
        ]

    def find(self, ref: str) -> Entry:
        """The entry for ``id@version``, or the newest version of a bare ``id``.

        Raises:
            SearchPathError: when no ruleset on the search path has that id and version, or two
                files with different content do.
            RulesetError: when the one file that declares the id cannot be parsed.
        """
        match = REF.match(ref)
        entries = self.entries()
        if match:
            ruleset_id, version = match["id"], match["version"]
            if version is not None and (ruleset_id, version) in entries:
                return self._unique(entries[ruleset_id, version])
            versions = sorted(
                (entry for (id_, _), entry in entries.items() if id_ == ruleset_id),
                key=lambda entry: version_key(entry.version),
            )
            if version is None and versions:
                return self._unique(versions[-1])
            if versions:
                listed = _(", ").join(entry.version for entry in versions)
                message = _("no version {version!r} of {id!r} (found: {listed})").format(
                    version=version, id=ruleset_id, listed=listed
                )
                raise SearchPathError([Issue(message)])
        if match:
            self._raise_if_broken(match["id"])
        hint = suggest(ref, [entry.ref for entry in entries.values()])
        searched = _(", ").join(str(directory) for directory in self.directories)
        message = _(
            "no ruleset {ref!r} on the search path ({searched}){hint}; "
            "add the directory that holds it with --rulesets DIR"
        ).format(ref=ref, searched=searched, hint=hint)
        raise SearchPathError([Issue(message)])

    def _unique(self, entry: Entry) -> Entry:
        """``entry``, unless another file gives its ``id@version`` different content."""
        clashing = self.clashes(entry)
        if clashing:
            raise SearchPathError([Issue(clash_message(entry, clashing[0]))])
        return entry

    def _raise_if_broken(self, ruleset_id: str) -> None:
        """Report the file that declares ``ruleset_id`` but cannot be read, if there is one."""
        declares = re.compile(rf"^id:\s*['\"]?{re.escape(ruleset_id)}['\"]?\s*(#.*)?$", re.M)
        for directory in self.directories:
            for path in yaml_files(directory):
                if _names(path.resolve(), path) is not None:
                    continue
                try:
                    text = read_text(path)
                except (OSError, RulesetError):
                    continue  # too large or not UTF-8: it cannot be told apart
                if declares.search(text):
                    parse_yaml(text, str(path))  # raises the file's own problem

    def parent(self, ref: str) -> tuple[LocatedDict, str]:
        """The data and file name of the ruleset ``ref``, for ``extends``.

        Raises:
            SearchPathError: when it is not on the search path, or cannot be told apart.
            RulesetError: when it cannot be parsed.
        """
        entry = self.find(ref)
        try:
            text = read_text(entry.path)
        except OSError as exc:
            message = _("cannot read {file}: {reason}").format(file=entry.path, reason=exc.strerror)
            raise SearchPathError([Issue(message)]) from exc
        data = parse_yaml(text, str(entry.path))
        return data, str(entry.path)


Names = tuple[str, str, str]
"""A file's id, version and the digest of its data."""

_NAMES: dict[Path, tuple[tuple[int, int], Names | None]] = {}
"""Each file's id, version and digest by its path, kept while its size and mtime stay the same."""


def _scan(directory: Path) -> Iterable[Entry]:
    root = directory.resolve()
    for path in yaml_files(directory):
        real = path.resolve()
        if not real.is_relative_to(root) or not real.is_file():
            continue  # a symlink out of the search path is not part of it
        names = _names(real, path)
        if names is not None:
            ruleset_id, version, data_digest = names
            yield Entry(ruleset_id, version, path, data_digest, directory)


def _names(real: Path, path: Path) -> Names | None:
    """The id, version and digest a file declares, parsed once per change of the file."""
    try:
        stat = real.stat()
    except OSError:
        return None
    stamp = (stat.st_size, stat.st_mtime_ns)
    cached = _NAMES.get(real)
    if cached is not None and cached[0] == stamp:
        return cached[1]
    names: Names | None = None
    try:
        data = parse_yaml(read_text(real), str(path))
    except (RulesetError, OSError):
        data = None  # lint reports broken files; the index lists what can be read
    if isinstance(data, dict) and isinstance(data.get("id"), str):
        version = version_text(data.get("version"))
        if isinstance(version, str):
            names = (data["id"], version, digest(data))
    _NAMES[real] = (stamp, names)
    return names


def digest(data: Any) -> str:
    """sha256 of parsed YAML data: comments, layout, quoting and key order do not count."""
    return hashlib.sha256(canonical_json(data).encode("utf-8")).hexdigest()


def clash_message(entry: Entry, other: Entry) -> str:
    """Why ``entry`` and ``other``, two different files with one ``id@version``, are refused."""
    if other.root is not None and other.root.resolve() == SHIPPED_RULESETS:
        message = _(
            "{file} gives {ref} different rules from the shipped {other}: give it a version of "
            "its own, or pass --allow-shadow to use it in place of the shipped one"
        )
    elif other.root == entry.root:
        message = _(
            "{file} and {other} both give {ref}, with different rules: give one of them "
            "another version, or remove it"
        )
    else:
        message = _(
            "{file} gives {ref} different rules from {other}: give it a version of its own, "
            "or pass --allow-shadow to use the first on the search path"
        )
    return message.format(file=entry.path, other=other.path, ref=entry.ref)


def resolve_extends(
    data: LocatedDict, filename: str, parents: Parents | None
) -> tuple[LocatedDict, tuple[str, ...]]:
    """Merge ``data`` into its chain of parents; returns the merged data and the files read.

    Raises:
        RulesetError: for a missing parent, an ``extends`` loop, or a bad overlay.
    """
    chain = [(data, filename)]
    seen = [f"{data.get('id')}@{data.get('version')}"]
    current = data
    while isinstance(current.get("extends"), str):
        ref = current["extends"]
        where = locate(current, ("extends",))
        if parents is None:
            message = _("extends needs a ruleset search path (load the ruleset by file or id)")
            raise RulesetError([Issue(message, where, field="extends")], filename)
        if "/" in ref or "\\" in ref or ref.endswith((".yaml", ".yml")):
            message = _(
                "{ref!r} is a file path: name the parent ruleset by id@version "
                "(like mof.project-self-eval@2020.1), never by a file"
            ).format(ref=ref)
            raise RulesetError([Issue(message, where, field="extends")], filename)
        if len(chain) > MAX_EXTENDS_DEPTH:
            message = _("more than {limit} levels of extends").format(limit=MAX_EXTENDS_DEPTH)
            raise RulesetError([Issue(message, where, field="extends")], filename)
        try:
            parent, parent_file = parents(ref)
        except RulesetError as exc:
            lifted = [  # the parent's own problems keep their place in the parent's file
                Issue(issue.message, where, field="extends")
                if issue.location is None
                else Issue(issue.message, issue.location, issue.path, issue.field)
                for issue in exc.issues
            ]
            raise type(exc)(lifted, filename) from exc
        parent_ref = f"{parent.get('id')}@{parent.get('version')}"
        if parent_ref in seen:
            message = _("extends loop: {chain}").format(chain=" → ".join([*seen, parent_ref]))
            raise RulesetError([Issue(message, where, field="extends")], filename)
        seen.append(parent_ref)
        chain.append((parent, parent_file))
        current = parent
    merged = chain[-1][0]
    issues: list[Issue] = []
    for overlay, _file in reversed(chain[:-1]):
        merged = merge(merged, overlay, issues)
    if issues:
        raise RulesetError(issues, filename)
    if "tests" not in data and "tests" in merged:
        del merged["tests"]  # a parent's worked examples are for the parent's rules
    return merged, tuple(name for _, name in chain)


def _set(target: LocatedDict, source: LocatedDict, key: str, value: Any) -> None:
    target[key] = value
    if key in source.key_locations:
        target.key_locations[key] = source.key_locations[key]
        target.value_locations[key] = source.value_locations[key]


def merge(parent: LocatedDict, child: LocatedDict, issues: list[Issue]) -> LocatedDict:
    """``child`` laid over ``parent``: facts and derived values by name, indicators by id.

    Top-level fields of the child replace the parent's. Within ``indicators`` a node with the same
    id path overrides the fields it gives, a new id adds a node, and ``remove: true`` drops one.
    Problems with the overlay are appended to ``issues``.
    """
    result = parent.located_copy()
    result.location = child.location
    for key, value in child.items():
        if key in ("facts", "derived") and isinstance(value, dict):
            inherited = parent.get(key)
            combined = (
                inherited.located_copy() if isinstance(inherited, LocatedDict) else LocatedDict()
            )
            if isinstance(value, LocatedDict):
                combined.location = value.location
                for name, spec in value.items():
                    _set(combined, value, name, spec)
            _set(result, child, key, combined)
        elif key == "indicators" and isinstance(value, list) and isinstance(parent.get(key), list):
            _set(result, child, key, _merge_nodes(parent[key], value, "", issues))
        else:
            _set(result, child, key, value)
    return result


def _merge_nodes(
    base: list[Any], overlay: list[Any], prefix: str, issues: list[Issue]
) -> LocatedList:
    merged = LocatedList(base)
    merged.location = getattr(overlay, "location", None) or getattr(base, "location", None)
    merged.item_locations = list(getattr(base, "item_locations", [None] * len(base)))
    ids = [node.get("id") if isinstance(node, dict) else None for node in merged]
    for index, node in enumerate(overlay):
        where = overlay.item_locations[index] if isinstance(overlay, LocatedList) else None
        if not isinstance(node, LocatedDict) or not isinstance(node.get("id"), str):
            message = _("an indicator in an extending ruleset needs an id")
            issues.append(Issue(message, where))
            continue
        path = f"{prefix}.{node['id']}" if prefix else node["id"]
        remove = node.get("remove", False)
        if node["id"] not in ids:
            if remove is True:
                hint = suggest(node["id"], [i for i in ids if isinstance(i, str)])
                message = _("nothing to remove: the parent has no indicator {path!r}{hint}")
                message = message.format(path=path, hint=hint)
                issues.append(Issue(message, where, path, "remove"))
                continue
            merged.append(node)
            merged.item_locations.append(where)  # type: ignore[arg-type]
            ids.append(node["id"])
            continue
        position = ids.index(node["id"])
        if remove is True:
            del merged[position], merged.item_locations[position], ids[position]
            continue
        combined = merged[position].located_copy()
        for key, value in node.items():
            if key == "remove":
                if value is not False:
                    message = _("must be true or false, found {found!r}").format(found=value)
                    issues.append(Issue(message, where, path, key))
                continue
            inherited = combined.get("children")
            if key == "children" and isinstance(value, list) and isinstance(inherited, list):
                _set(combined, node, key, _merge_nodes(inherited, value, path, issues))
            else:
                _set(combined, node, key, value)
        if "method" in node and "children" not in node and combined.get("children") == []:
            del combined["children"]  # a leaf filling an empty slot of the template
        merged[position] = combined
    return merged
