"""Fact values as people type them: YAML numbers, text from a spreadsheet cell, full-width digits.

Each rule gives a value exactly one meaning or refuses it with a message that says how to write it:

- numbers from YAML are exact (``52.05`` is 52.05); NaN and infinities are refused;
- text is normalised first (NFKC: ``５２．０５`` is ``52.05``) and stripped (`` 48 `` is 48); empty
  text is an empty value, like ``null``;
- thousands separators are read only where they group exactly three digits (``1,280`` is 1280;
  ``1,28`` and ``12,80`` are refused, never 1.28 or 1280 by accident); no exponents (``1e400``);
- the declared unit may follow the number (``128万元`` for a fact in 万元); no other unit;
- ``%`` is read only for a fact declared ``unit: "%"`` (``86.75%`` is 0.8675); such a fact written
  as a bare number is a fraction, and a bare number above 1 is refused when its bounds allow no
  more than 100% (``97.7`` would be 9770%);
- yes/no facts take true/false, or the text 是/否 or true/false.

A value echoed in a message is cut when it is long (:func:`shown`): a message never repeats
half a megabyte of what was typed.
"""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal, InvalidOperation
from typing import Any

from scoring.i18n import _
from scoring.model.base import check_number, plain
from scoring.model.ruleset import FactSpec

DIGITS = re.compile(r"[+-]?(?:[0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)(?:\.[0-9]+)?")
YES = frozenset({"是", "true"})
NO = frozenset({"否", "false"})
ONE = Decimal(1)
MAX_SHOWN_CHARACTERS = 100
"""A value written longer than this is cut in messages: its start and end, and its length."""

NOT_APPLICABLE_SEPARATORS = re.compile(r"[,;]")
"""Between the 不适用 paths of one cell: after NFKC, which folds ， and ； into these."""


class UnreadableError(ValueError):
    """A value that cannot be read as its fact's type; the message says how to write it."""


def shown(value: Any) -> str:
    """A value as a message quotes it (``repr``), cut when long (:func:`cut`)."""
    return cut(repr(value))


def cut(text: str) -> str:
    """Text for a message: whole, or its start and end and its length when it is long.

    ``'1111111111111111111111111111111111111111…1111111111' (500,002 characters)``
    """
    if len(text) <= MAX_SHOWN_CHARACTERS:
        return text
    return _("{start}…{end} ({length:,} characters)").format(
        start=text[:40], end=text[-10:], length=len(text)
    )


def normalise_text(value: str) -> str:
    """Full-width forms folded (NFKC) and surrounding spaces removed."""
    return unicodedata.normalize("NFKC", value).strip()


def number(value: Any, spec: FactSpec) -> Decimal | None:
    """A number fact's value; None when left empty.

    Raises:
        UnreadableError: with a message saying how to write the value.
    """
    if isinstance(value, bool):
        message = _("expected a number, found {found} (a yes/no value)").format(
            found=str(value).lower()
        )
        raise UnreadableError(message)
    if isinstance(value, int):
        return _rate(_bounded(Decimal(value)), spec, written=str(value))
    if isinstance(value, Decimal):
        if not value.is_finite():
            message = _("expected a finite number, found {found}").format(found=value)
            raise UnreadableError(message)
        return _rate(_bounded(value), spec, written=plain(value))
    if not isinstance(value, str):
        message = _("expected a number, found {found}").format(found=shown(value))
        raise UnreadableError(message)
    text = normalise_text(value)
    if not text:
        return None
    unit = normalise_text(spec.unit or "")
    percent = text.endswith("%")
    if percent:
        if unit != "%":
            message = (
                _("{found} is a percentage, but this fact is in {unit}: write the number alone")
                if spec.unit
                else _(
                    "{found} is a percentage, but this fact is in plain numbers: "
                    "write the number alone"
                )
            ).format(found=shown(value), unit=spec.unit)
            raise UnreadableError(message)
        text = text[:-1].rstrip()
    elif unit and unit != "%" and text.endswith(unit):
        text = text[: -len(unit)].rstrip()
    if not DIGITS.fullmatch(text):
        message = _("expected a number, found text {found}: {how}").format(
            found=shown(value), how=_how(spec)
        )
        raise UnreadableError(message)
    try:
        parsed = Decimal(text.replace(",", ""))
    except InvalidOperation:  # pragma: no cover - DIGITS admits only what Decimal reads
        message = _("expected a number, found text {found}: {how}").format(
            found=shown(value), how=_how(spec)
        )
        raise UnreadableError(message) from None
    if percent:  # 12.3456789012% is 0.123456789012: its places checked once scaled
        return _bounded(_bounded(parsed).scaleb(-2))
    return _rate(_bounded(parsed), spec, written=text)


def _bounded(value: Decimal) -> Decimal:
    """``value`` within the engine's range, checked before any arithmetic on it can overflow."""
    try:
        return check_number(value)
    except ValueError as exc:
        raise UnreadableError(str(exc)) from None


def _how(spec: FactSpec) -> str:
    if spec.unit == "%":
        return _("write a rate as 86.75% or 0.8675")
    if spec.unit:
        message = _(
            "write digits only in {unit}, e.g. 1280 or 52.05 (a comma only between groups of three)"
        )
        return message.format(unit=spec.unit)
    return _("write digits only, e.g. 1280 or 52.05 (a comma only between groups of three)")


def _rate(value: Decimal, spec: FactSpec, written: str) -> Decimal:
    """A bare number for a rate is a fraction; above 1 it is refused unless the bounds allow it."""
    if spec.unit == "%" and value > ONE and (spec.max is None or spec.max <= ONE):
        hundred = plain(value.scaleb(2).normalize())
        fraction = plain(value.scaleb(-2))
        message = _(
            "{written} for a rate would be {hundred}%: write {written}% (or {fraction})"
        ).format(written=written, hundred=hundred, fraction=fraction)
        raise UnreadableError(message)
    return value


def boolean(value: Any) -> bool | None:
    """A yes/no fact's value; None when left empty.

    Raises:
        UnreadableError: for anything but true/false, 是/否.
    """
    if isinstance(value, bool):
        return value
    if isinstance(value, str):
        text = normalise_text(value).lower()
        if not text:
            return None
        if text in YES:
            return True
        if text in NO:
            return False
    message = _("expected true or false (是 or 否), found {found}").format(found=shown(value))
    raise UnreadableError(message)
