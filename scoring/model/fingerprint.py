"""Canonical forms and sha256 fingerprints of rulesets and facts.

The canonical form is compact JSON with sorted keys and UTF-8 text, of the merged ruleset with
every default filled in (so leaving out ``rounding`` and writing the default give the same
fingerprint), formulas in their parsed form (spacing and redundant brackets do not count) and
numbers normalised, in formulas too (``10``, ``10.0`` and ``1E1`` are one number). Fields left
empty (null, or an empty list or mapping) are left out, so an optional field added in a later
release does not change the fingerprints of the rulesets that do not use it. YAML comments, key
order, quoting and layout never reach it. Every other value does, names and descriptions
included: the fingerprint names the exact published text, not only what can change a score.
The ``extends`` line is left out: the merged rules are what was scored; so are the ruleset's
worked examples (``tests``), which cannot change a score.

The facts fingerprint covers the subject (values as text: ``2022`` and ``"2022"`` are one year),
the fact values, the sorted 不适用 paths and the department's overrides; the facts file's
``ruleset:`` line is left out. An auditor's overrides have a fingerprint of their own.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from pydantic import BaseModel

from scoring.model.facts import Facts, Override
from scoring.model.formula import Formula
from scoring.model.ruleset import Ruleset


def _plain(value: Any) -> Any:
    kind = type(value)  # the common exact types first: this runs for every value of every unit
    if kind is str or kind is bool or kind is int or value is None:
        return value
    if kind is Decimal:
        return format(value.normalize(), "f")
    if kind is dict:
        return {str(key): _plain(item) for key, item in value.items()}
    if isinstance(value, BaseModel):
        fields = {name: getattr(value, name) for name in type(value).model_fields}
        return {name: _plain(item) for name, item in fields.items() if not _empty(item)}
    if isinstance(value, Formula):
        return value.canonical
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    if isinstance(value, dict):
        return {str(key): _plain(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(item) for item in value]
    return value


def _empty(value: Any) -> bool:
    return value is None or (isinstance(value, list | tuple | dict) and not value)


def canonical_json(value: Any) -> str:
    """The canonical JSON text of a model or plain value."""
    return json.dumps(_plain(value), sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def _sha256(text: str) -> str:
    return "sha256:" + hashlib.sha256(text.encode("utf-8")).hexdigest()


def ruleset_fingerprint(ruleset: Ruleset) -> str:
    """sha256 of the merged ruleset's canonical form (``extends`` and ``tests`` excluded).

    Computed once per ruleset and kept with it (a pickled ruleset carries it along): a ruleset
    is immutable, and every result of a batch names it.
    """
    kept = ruleset.kept
    if kept.fingerprint is None:
        plain = _plain(ruleset)
        plain.pop("extends", None)
        plain.pop("tests", None)
        kept.fingerprint = _sha256(canonical_json(plain))
    return kept.fingerprint


def audit_fingerprint(overrides: Mapping[str, Override]) -> str:
    """sha256 of an auditor's overrides: points, reason and who, by indicator path."""
    return _sha256(canonical_json(dict(sorted(overrides.items()))))


def facts_fingerprint(facts: Facts) -> str:
    """sha256 of the facts' canonical form: subject, values and 不适用 paths."""
    plain = _plain(facts)
    plain.pop("ruleset", None)
    if "not_applicable" in plain:
        plain["not_applicable"] = sorted(plain["not_applicable"])
    return _sha256(canonical_json(plain))
