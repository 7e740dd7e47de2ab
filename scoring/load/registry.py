"""The ruleset search path: the files it holds, and which one an ``id@version`` names.

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
import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from scoring.errors import Issue, RulesetError, SearchPathError, SourceLocation, suggest
from scoring.i18n import _
from scoring.load.ruleset_text import may_declare
from scoring.load.yaml_source import parse_yaml
from scoring.model.base import version_text
from scoring.model.fingerprint import canonical_json
from scoring.model.located import LocatedDict


def _shipped_rulesets() -> Path:
    """The ``rulesets/`` installed with the package: the wheel's package data, or the checkout's."""
    shipped = resources.files("scoring.rulesets")
    # pip installs a wheel as files, and an editable install maps the package to the checkout's
    # rulesets/; a zipped package would need extracting, which nothing here does
    assert isinstance(shipped, Path), f"the shipped rulesets are not files: {shipped}"
    return shipped.resolve()


SHIPPED_RULESETS = _shipped_rulesets()
MAX_FILE_BYTES = 2 * 1024 * 1024
SUFFIXES = (".yaml", ".yml")
"""A ruleset or facts file: ``.yml`` is read like ``.yaml`` everywhere."""
SHIPPED_LABEL = "<shipped>"
"""How a result names a shipped ruleset file: ``<shipped>/mof/project-self-eval-2020.yaml``."""
REF = re.compile(r"^(?P<id>[a-z][a-z0-9_.-]*?)(?:@(?P<version>[0-9A-Za-z][0-9A-Za-z._-]*))?$")


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
    is_review: bool = False
    """A review ruleset (``kind: review``), for ``scoring review``: never offered for scoring."""

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
        self._of: dict[str, dict[tuple[str, str], list[Entry]]] = {}

    def candidates(self) -> dict[tuple[str, str], list[Entry]]:
        """Every file on the search path for each ``id@version``, in search order.

        A file reached twice (the shipped directory also given with --rulesets) counts once.
        """
        if self._candidates is None:
            self._candidates = self._index(None)
        return self._candidates

    def candidates_of(self, ruleset_id: str) -> dict[tuple[str, str], list[Entry]]:
        """:meth:`candidates` of one id, parsing only the files that may declare it.

        A file whose text cannot declare it (:func:`~scoring.load.ruleset_text.may_declare`) is
        not parsed: loading one ruleset that extends another parses the two files, not every
        file on the search path, nor the parent's other children.
        """
        if self._candidates is not None:
            return {key: found for key, found in self._candidates.items() if key[0] == ruleset_id}
        found = self._of.get(ruleset_id)
        if found is None:
            found = self._of[ruleset_id] = {
                key: entries
                for key, entries in self._index(ruleset_id).items()
                if key[0] == ruleset_id
            }
        return found

    def _index(self, ruleset_id: str | None) -> dict[tuple[str, str], list[Entry]]:
        index: dict[tuple[str, str], list[Entry]] = {}
        seen: set[Path] = set()
        for directory in self.directories:
            for entry in _scan(directory, ruleset_id):
                real = entry.path.resolve()
                if real not in seen:
                    seen.add(real)
                    index.setdefault((entry.id, entry.version), []).append(entry)
        return index

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
            for other in self.candidates_of(entry.id).get((entry.id, entry.version), [])
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
        if match:
            ruleset_id, version = match["id"], match["version"]
            entries = {key: found[0] for key, found in self.candidates_of(ruleset_id).items()}
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
        entries = self.entries()
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
            _text, data = read_ruleset_file(entry.path)
        except OSError as exc:
            message = _("cannot read {file}: {reason}").format(file=entry.path, reason=exc.strerror)
            raise SearchPathError([Issue(message)]) from exc
        return data, str(entry.path)


Names = tuple[str, str, str, bool]
"""A file's id, version, the digest of its data, and whether it is a review ruleset."""

_NAMES: dict[Path, tuple[tuple[int, int], Names | None]] = {}
"""Each file's id, version and digest by its path, kept while its size and mtime stay the same."""


def _scan(directory: Path, ruleset_id: str | None = None) -> Iterable[Entry]:
    """The rulesets in ``directory``; with ``ruleset_id``, at least every one that declares it."""
    root = directory.resolve()
    for path in yaml_files(directory):
        real = path.resolve()
        if not real.is_relative_to(root) or not real.is_file():
            continue  # a symlink out of the search path is not part of it
        if ruleset_id is not None and not _may_declare(real, path, ruleset_id):
            continue
        names = _names(real, path)
        if names is not None:
            declared, version, data_digest, is_review = names
            yield Entry(declared, version, path, data_digest, directory, is_review)


def _may_declare(real: Path, path: Path, ruleset_id: str) -> bool:
    """Whether the file may declare ``ruleset_id``: known to, or its text holds it (or escapes)."""
    cached = _NAMES.get(real)
    if cached is not None:
        try:
            stat = real.stat()
        except OSError:
            return False
        if cached[0] == (stat.st_size, stat.st_mtime_ns):
            return cached[1] is not None and cached[1][0] == ruleset_id
    try:
        text = read_text(path)
    except (RulesetError, OSError):
        return False  # unreadable: the full index leaves it out too
    return may_declare(text, ruleset_id)


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
        _text, data = read_ruleset_file(path)
    except (RulesetError, OSError):
        data = None  # lint reports broken files; the index lists what can be read
    if isinstance(data, dict) and isinstance(data.get("id"), str):
        version = version_text(data.get("version"))
        if isinstance(version, str):
            names = (data["id"], version, digest(data), data.get("kind") == "review")
    _NAMES[real] = (stamp, names)
    return names


Stamp = tuple[int, int, int, int]
"""A file's inode, size, modification and change time (ns): any edit or replacement changes it."""

_READ: dict[tuple[str, Path], tuple[Stamp, str, Any]] = {}
"""Each ruleset file's text and located data, by the name it is shown under and its real path."""
MAX_FILES_KEPT = 64
_KEEPING = threading.Lock()
SETTLED_NS = 2 * 10**9
"""A file changed less than this long ago is not kept: file systems stamp times in ticks of a few
ms, so an edit of the same size in the same tick would look unchanged (git's "racy" files)."""


def _stamp(real: Path) -> Stamp:
    stat = real.stat()
    return (stat.st_ino, stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns)


def read_ruleset_file(path: Path) -> tuple[str, Any]:
    """A ruleset file's text and located data, read and parsed once while it is unchanged.

    The search path's index, ``extends`` and ``load_ruleset`` all read through it, so a command
    parses each file once, and ``scoring serve`` again only after a file changes. The data is
    shared: callers copy before they change it (``merge`` does).

    Raises:
        OSError: when the file cannot be read.
        RulesetError: when it is too large, not UTF-8, or not YAML (never kept).
    """
    real = path.resolve()
    key = (str(path), real)
    before = _stamp(real)
    with _KEEPING:  # scoring serve reads from many threads
        kept = _READ.pop(key, None)
        if kept is not None and kept[0] == before:
            _READ[key] = kept  # now the most recently used
            return kept[1], kept[2]
    text = read_text(path)
    data = parse_yaml(text, str(path))
    settled = time.time_ns() - before[2] > SETTLED_NS
    if settled and _stamp(real) == before:  # and not changed while it was read
        with _KEEPING:
            _READ[key] = (before, text, data)
            if len(_READ) > MAX_FILES_KEPT:
                del _READ[next(iter(_READ))]  # the longest unused
    return text, data


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
