"""Citations of the documents rules come from, and 结果应用: a grade's proposed budget treatment.

A ruleset may cite, per indicator, the document the rule comes from (文件名, 文号, 条款); the
citation is recorded in the result's breakdown and shown in the 自评表's 说明.

Its ``application:`` table says what a grade (and, where the table gives it, whether the problems
found were rectified, 整改到位) proposes for next year's budget: 优 → 优先保障, 中 → 核减 a declared
share of a declared amount, and so on. The proposal is advice with its source, never a decision:
every report says so. The reduction is money: Decimal, rounded half up (四舍五入) to the table's
places. Pure.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from pydantic import Field

from scoring.model.base import Model


class Citation(Model):
    """The document a rule comes from: its name, its 文号 and the article (条款), as published."""

    document: str = Field(min_length=1, description="文件名, e.g. 项目支出绩效评价管理办法")
    number: str | None = Field(default=None, description="文号, e.g. 财预〔2020〕10号")
    article: str | None = Field(default=None, description="条款, e.g. 第三十条")

    @property
    def text(self) -> str:
        """``《项目支出绩效评价管理办法》（财预〔2020〕10号）第三十条``."""
        name = self.document.strip().removeprefix("《").removesuffix("》")
        number = f"（{self.number}）" if self.number else ""
        return f"《{name}》{number}{self.article or ''}"


def cite_text(citation: Citation | None) -> str | None:
    """A citation as the breakdown records it, or None."""
    return None if citation is None else citation.text


class Treatment(Model):
    """One line of the table: a grade (and rectification status) and what it proposes."""

    grade: str = Field(min_length=1)
    rectified: bool | None = Field(
        default=None,
        description="true / false: only when 整改到位 is (not) the case; left out: either",
    )
    treatment: str = Field(min_length=1, description="the proposal in words, e.g. 核减")
    reduce: Decimal | None = Field(
        default=None, description="the share of the budget amount to reduce: 0.1 for 10%"
    )


class Application(Model):
    """结果应用: the rule table from grades to proposed treatments of next year's budget."""

    source: Citation
    budget: str | None = Field(
        default=None, description="the fact or derived value (an amount) a reduction is taken from"
    )
    rectified: str | None = Field(
        default=None, description="a yes/no fact: whether the problems found were rectified"
    )
    places: int = Field(default=2, ge=0, le=6, description="decimal places of a reduction")
    rules: tuple[Treatment, ...] = Field(min_length=1)

    def rule_for(self, grade: str, rectified: bool | None) -> Treatment | None:
        """The first rule for ``grade`` whose rectification status agrees, or None."""
        for rule in self.rules:
            if rule.grade == grade and rule.rectified in (None, rectified):
                return rule
        return None


def reduction_of(amount: Decimal, share: Decimal, places: int) -> Decimal:
    """``amount × share``, rounded half up (四舍五入) to ``places``."""
    return (amount * share).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
