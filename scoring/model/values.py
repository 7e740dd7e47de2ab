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
- yes/no facts take true/false, or the text 是/否 or true/false;
- a date is written year-month-day with hyphens (``2022-12-28``), or comes from a date cell; an
  impossible date (``2022-02-30``) is refused, and so is a number (``44923``, a spreadsheet's count
  of days, shown as a date only in a cell formatted as one): a date is never guessed;
- a list is a YAML list of texts, or one cell's items separated by ``;`` (``；``) or line breaks;
  an empty item, an item given twice and an item not among the declared ``options`` are refused.

A value echoed in a message is cut when it is long (:func:`shown`): a message never repeats
half a megabyte of what was typed.
"""

from __future__ import annotations

import calendar
import re
import unicodedata
from decimal import Decimal, InvalidOperation
from typing import Any

from scoring.i18n import _
from scoring.model.base import check_number, plain
from scoring.model.ruleset import FactSpec

DIGITS = re.compile(r"[+-]?(?:[0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)(?:\.[0-9]+)?")
PLAIN_NUMBER = re.compile(r"[+-]?[0-9]{1,15}(?:\.[0-9]{1,10})?")
"""Digits as :data:`DIGITS` reads them, without commas or spaces, within the engine's range
(below 1e15, at most 10 places) by their length: what the long way reads, read at once."""
YES = frozenset({"是", "true"})
NO = frozenset({"否", "false"})
ONE = Decimal(1)
MAX_SHOWN_CHARACTERS = 100
"""A value written longer than this is cut in messages: its start and end, and its length."""

ISO_DATE = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})")
LIST_SEPARATORS = re.compile(r"[;\n]")
"""Between the items of a list written in one cell: after NFKC, which folds ； into ``;``."""

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


def not_applicable_paths(value: object) -> list[str]:
    """The 不适用 paths written in one cell: ``a.b，c.d`` → ``["a.b", "c.d"]``."""
    paths = NOT_APPLICABLE_SEPARATORS.split(normalise_text(str(value)))
    return [path.strip() for path in paths if path.strip()]


def normalise_text(value: str) -> str:
    """Full-width forms folded (NFKC) and surrounding spaces removed."""
    if value.isascii():  # NFKC leaves ASCII as it is: most cells of a table, read at once
        return value.strip()
    return unicodedata.normalize("NFKC", value).strip()


def number(value: Any, spec: FactSpec) -> Decimal | None:
    """A number fact's value; None when left empty.

    Raises:
        UnreadableError: with a message saying how to write the value.
    """
    if type(value) is str and PLAIN_NUMBER.fullmatch(value):  # most cells: read at once
        return _rate(Decimal(value), spec, written=value)
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


def day(value: Any) -> str | None:
    """A date fact's value as its ISO text (``2022-12-28``); None when left empty.

    Raises:
        UnreadableError: for a number, another way of writing a date, or a date that is no day.
    """
    if isinstance(value, int | Decimal) and not isinstance(value, bool):
        message = _(
            "expected a date written as 2022-12-28, found the number {found}: in a spreadsheet, "
            "format the cell as a date"
        ).format(found=shown(value) if isinstance(value, int) else plain(value))
        raise UnreadableError(message)
    if not isinstance(value, str):
        message = _("expected a date written as 2022-12-28, found {found}").format(
            found=shown(value)
        )
        raise UnreadableError(message)
    text = normalise_text(value)
    if not text:
        return None
    match = ISO_DATE.fullmatch(text)
    if match is None:
        message = _(
            "expected a date written as year-month-day with hyphens, e.g. 2022-12-28, found {found}"
        ).format(found=shown(value))
        raise UnreadableError(message)
    year, month, date = (int(part) for part in match.groups())
    if not 1 <= month <= 12:
        message = _("{found} is no date: there is no month {month}").format(found=text, month=month)
        raise UnreadableError(message)
    days = calendar.monthrange(year, month)[1] if year else 31
    if not year or not 1 <= date <= days:
        message = _("{found} is no date: {year}-{month:02d} has {days} days").format(
            found=text, year=year, month=month, days=days
        )
        raise UnreadableError(message)
    return text


def listed(value: Any, spec: FactSpec) -> tuple[str, ...] | None:
    """A list fact's items, each once and among the declared ``options``; None when left empty.

    Raises:
        UnreadableError: for an empty item, one given twice, one not allowed, or too few or many.
    """
    if isinstance(value, str):
        text = normalise_text(value)
        if not text:
            return None
        written: list[Any] = [part for part in LIST_SEPARATORS.split(text) if part.strip()]
    elif isinstance(value, list | tuple):
        written = list(value)
    else:
        message = _("expected a list of items, found {found}").format(found=shown(value))
        raise UnreadableError(message)
    allowed = {normalise_text(option): option for option in spec.options or ()}
    found: list[str] = []
    for number, each in enumerate(written, start=1):
        if isinstance(each, bool) or not isinstance(each, str | int):
            message = _("item {number}: expected text, found {found}").format(
                number=number, found=shown(each)
            )
            raise UnreadableError(message)
        item = normalise_text(str(each))
        if not item:
            raise UnreadableError(_("item {number} is empty").format(number=number))
        if item in found:
            raise UnreadableError(_("{item!r} is listed twice").format(item=item))
        if allowed and item not in allowed:
            message = _("{item!r} is not one of the allowed items: {options}").format(
                item=item, options=_(", ").join(allowed.values())
            )
            if "," in item or "、" in item:  # items run together: the separator is not a comma
                message += _(" (separate items with ; or a line break)")
            raise UnreadableError(message)
        found.append(allowed.get(item, item))
    if spec.min is not None and len(found) < spec.min:
        message = _("{count} items listed, fewer than the declared min {min}").format(
            count=len(found), min=spec.min
        )
        raise UnreadableError(message)
    if spec.max is not None and len(found) > spec.max:
        message = _("{count} items listed, more than the declared max {max}").format(
            count=len(found), max=spec.max
        )
        raise UnreadableError(message)
    return tuple(found)
