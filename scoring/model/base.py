"""The base of every input model: frozen, unknown keys refused, numbers finite and bounded.

A ruleset's and a facts file's numbers are Decimals from the text onward; :func:`check_number`
keeps them within what Decimal arithmetic holds exactly, and :func:`plain` writes them back.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator

from scoring.i18n import _

MAX_MAGNITUDE = Decimal("1e15")
"""No weight, bound or amount in 元 comes near it; beyond it Decimal arithmetic loses digits."""
MAX_PLACES = 10


def plain(value: Decimal) -> str:
    """A number as written, without an exponent, unless it is too large or small for that.

    Writing 1.0e+999999999 out in full would take a gigabyte; it stays 1.0E+999999999.
    """
    if value.is_finite() and -30 < value.adjusted() < 30:
        return format(value, "f")
    return str(value)


MAX_SHOWN_DIGITS = 30
"""A number with more digits is cut in messages: its first 20 and last 5 digits, and its length."""


def cut_number(text: str) -> str:
    """A number's text for a message: whole, or cut when it is too long to read.

    ``11111111111111111111…11111 (500,001 digits)``: a message never echoes half a megabyte.
    """
    digits = sum(char.isdigit() for char in text)
    if digits <= MAX_SHOWN_DIGITS:
        return text
    return _("{start}…{end} ({count:,} digits)").format(
        start=text[:20], end=text[-5:], count=digits
    )


_MAGNITUDE_DIGITS = MAX_MAGNITUDE.adjusted()


def check_number(value: Decimal) -> Decimal:
    """``value`` if finite, below MAX_MAGNITUDE and within MAX_PLACES; else a ValueError."""
    if not value.is_finite():
        message = _("must be a finite number, found {found}").format(found=value)
        raise ValueError(message)
    # context-free operations only: abs() or normalize() would overflow on 1E+1000000
    if value and value.adjusted() >= _MAGNITUDE_DIGITS:
        shown = cut_number(str(value))
        message = _("{number} is too large (numbers must stay below {limit:,f})").format(
            number=shown, limit=MAX_MAGNITUDE
        )
        raise ValueError(message)
    text = str(value)  # plain notation unless the exponent is above 0 or the number tiny
    if "E" not in text and ("." not in text or len(text) - text.index(".") <= MAX_PLACES + 1):
        return value  # its places (its digits after the point) are within MAX_PLACES
    _sign, digits, exponent = value.as_tuple()
    if value and isinstance(exponent, int) and exponent < -MAX_PLACES:  # else within, at once
        kept = len(digits)
        while digits[kept - 1] == 0:  # trailing zeros are not places: 1.50000 has 1
            kept -= 1
        if exponent + len(digits) - kept < -MAX_PLACES:
            message = _("{number} has more than {places} decimal places").format(
                number=cut_number(plain(value)), places=MAX_PLACES
            )
            raise ValueError(message)
    return value


NUMBERS_CHECKED = {"numbers_checked": True}
"""The validation context of values whose numbers :func:`check_number` has passed already
(``Facts.model_validate(data, context=NUMBERS_CHECKED)``): a table row's facts, read by the
facts' readers, are not walked a second time for their numbers."""


class Model(BaseModel):
    """Base of every input model: immutable, unknown keys refused, numbers finite."""

    model_config = ConfigDict(frozen=True, extra="forbid", allow_inf_nan=True)

    @field_validator("*", mode="after")
    @classmethod
    def _numbers_are_finite(cls, value: Any, info: ValidationInfo) -> Any:
        if info.context is not None and info.context.get("numbers_checked"):
            return value
        for number in _numbers_in(value):
            check_number(number)
        return value


def _numbers_in(value: Any) -> list[Decimal]:
    if isinstance(value, Decimal):
        return [value]
    if isinstance(value, dict):
        return [number for item in value.values() for number in _numbers_in(item)]
    if isinstance(value, tuple):
        return [number for item in value for number in _numbers_in(item)]
    return []


def version_text(value: Any) -> Any:
    """A version written as a number, as its text: 2020.10 reads as Decimal("2020.10") exactly."""
    if isinstance(value, int | Decimal) and not isinstance(value, bool):
        return plain(value) if isinstance(value, Decimal) else str(value)
    return value


RULESET_ID = r"^[a-z][a-z0-9_-]*(\.[a-z][a-z0-9_-]*)*$"
VERSION = r"^[0-9A-Za-z][0-9A-Za-z._-]*$"


class Named(Model):
    """A published document named ``id@version``: a scoring ruleset or a review ruleset."""

    id: str = Field(pattern=RULESET_ID)
    version: str = Field(pattern=VERSION)

    @field_validator("version", mode="before")
    @classmethod
    def _version_as_text(cls, value: Any) -> Any:
        return version_text(value)

    @property
    def ref(self) -> str:
        """``id@version``."""
        return f"{self.id}@{self.version}"
