"""When a ruleset version is in force (``effective:``), and which year a facts file is for.

A bureau publishes a new version of its rules when they change; each version may say the dates
it is in force (施行期间) and, optionally, the 预算年度 (fiscal year) it scores. Facts that name
only the ruleset's id are scored by the version in force for their year:

- a version with ``fiscal_year`` is in force for that year only;
- otherwise, for every year whose 31 December (the close of the fiscal year being evaluated)
  lies within ``from`` … ``to`` (``to`` left out: still in force).

Dates are written ``YYYY-MM-DD`` (the YAML reader keeps them as text, never as a date of its
own), and must exist on the calendar. Pure: no clock, no files.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Annotated, Any

from pydantic import BeforeValidator, Field, model_validator

from scoring.i18n import _
from scoring.model.base import Model

DATE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")
YEAR = re.compile(r"^([0-9]{4})(?:年度?)?$")
"""A subject's year as written: ``2022``, ``2022年`` or ``2022年度``."""
FOREVER = date.max


def _iso_date(value: Any) -> Any:
    if not isinstance(value, str) or not DATE.match(value):
        message = _("expected a date written YYYY-MM-DD (2021-01-01), found {found!r}").format(
            found=value if isinstance(value, str) else str(value)
        )
        raise ValueError(message)
    try:
        date.fromisoformat(value)
    except ValueError:
        message = _("{found!r} is not a date on the calendar").format(found=value)
        raise ValueError(message) from None
    return value


IsoDate = Annotated[str, BeforeValidator(_iso_date), Field(pattern=DATE.pattern)]


class Effective(Model):
    """The dates a ruleset version is in force (施行期间), and the fiscal year it scores."""

    # the and the bureau's own words: from … to; Python cannot name a field `from`
    starts: IsoDate = Field(alias="from", description="the first day in force, YYYY-MM-DD")
    ends: IsoDate | None = Field(
        default=None, alias="to", description="the last day in force; left out: still in force"
    )
    fiscal_year: int | None = Field(
        default=None, ge=1900, le=9999, description="the 预算年度 these rules score, if one"
    )

    @model_validator(mode="after")
    def _in_order(self) -> Effective:
        if self.ends is not None and self.first > self.last:
            message = _("from {start} is after to {end}").format(start=self.starts, end=self.ends)
            raise ValueError(message)
        if self.fiscal_year is not None and not (
            self.first <= date(self.fiscal_year, 12, 31)
            and self.last >= date(self.fiscal_year, 1, 1)
        ):
            message = _("fiscal_year {year} lies outside {period}").format(
                year=self.fiscal_year, period=self.period
            )
            raise ValueError(message)
        return self

    @property
    def first(self) -> date:
        """The first day in force."""
        return date.fromisoformat(self.starts)

    @property
    def last(self) -> date:
        """The last day in force (``date.max`` when open-ended)."""
        return FOREVER if self.ends is None else date.fromisoformat(self.ends)

    @property
    def period(self) -> str:
        """``2021-01-01 – 2021-12-31``, or ``from 2022-01-01`` when still in force."""
        if self.ends is None:
            return _("from {start}").format(start=self.starts)
        return f"{self.starts} – {self.ends}"

    @property
    def period_zh(self) -> str:
        """The period as a result (in Chinese, in every language) records it."""
        return f"{self.starts} 至 {self.ends}" if self.ends else f"自 {self.starts} 起"

    def covers(self, year: int) -> bool:
        """Whether these rules are in force for the fiscal year ``year``."""
        if self.fiscal_year is not None:
            return self.fiscal_year == year
        return self.first <= date(year, 12, 31) <= self.last

    def overlaps(self, other: Effective) -> bool:
        """Whether both are in force on some date, or both score the same fiscal year."""
        same_year = self.fiscal_year is not None and self.fiscal_year == other.fiscal_year
        return same_year or (self.first <= other.last and other.first <= self.last)


def facts_year(subject: dict[str, str]) -> int | None:
    """The fiscal year a subject names (``year: 2022``), or None when it names none.

    Raises:
        ValueError: when ``year`` is given but is not a year like 2022.
    """
    written = subject.get("year")
    if written is None or not written.strip():
        return None
    match = YEAR.match(written.strip())
    if match is None:
        message = _("the facts' year {year!r} is not a year like 2022").format(year=written)
        raise ValueError(message)
    return int(match[1])


def in_force_text(ref: str, effective: Effective, year: int, *, chosen: bool) -> str:
    """What a result records (in Chinese, as every 自评表 note) about the version's dates."""
    if chosen:
        return (
            f"填报文件只注明规则集编号，按 {year} 年度选用施行中的版本 {ref}（施行期间 "
            f"{effective.period_zh}）"
        )
    return f"规则集 {ref} 的施行期间（{effective.period_zh}）不含 {year} 年度：按指定的版本评分"
