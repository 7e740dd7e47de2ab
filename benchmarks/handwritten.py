"""The hengshan ruleset's scores written out by hand: the yardstick the benchmark measures against.

What a programmer would write for this one ruleset with nothing but ``decimal``: the same
arithmetic in the same order, the same context (28 digits, 四舍五入), each leaf rounded to the
cent and the total rescaled when indicators are 不适用, so every total agrees with ``scoring``
to the cent. No breakdown, no explanations, no checking beyond what ``Decimal()`` refuses.

Run: ``python benchmarks/handwritten.py units.csv summary.csv`` writes the summary CSV that
``scoring batch RULESET units.csv -o summary.csv`` writes, streaming rows in and out.
"""

from __future__ import annotations

import csv
import decimal
import sys
from collections.abc import Mapping
from decimal import ROUND_HALF_UP, Decimal, localcontext

CONTEXT = decimal.Context(
    prec=28,
    Emax=99,
    Emin=-99,
    rounding=ROUND_HALF_UP,
    traps=[decimal.InvalidOperation, decimal.DivisionByZero, decimal.Overflow],
)
CENT = Decimal("0.01")
ZERO = Decimal(0)
HUNDRED = Decimal(100)
NINETY, EIGHTY, SIXTY = Decimal(90), Decimal(80), Decimal(60)
KEY_WORK = "output.duty_performance.key_work_completion_rate"
SATISFACTION = "effect.duty_benefit.satisfaction"
LEVELS = (("input", "投入"), ("process", "过程"), ("output", "产出"), ("effect", "效果"))
BOOLEANS = {"是": True, "否": False, "true": True, "false": False}
W = {n: Decimal(n) for n in ("3", "4", "5", "7", "10")}
POINT, HALF, STEP = Decimal(1), Decimal("0.5"), Decimal("0.01")

Facts = Mapping[str, Decimal | bool]
Scores = tuple[Decimal, str, tuple[Decimal | None, ...], dict[str, Decimal | None]]


def _threshold(weight: Decimal, value: Decimal, limit: Decimal, points: Decimal) -> Decimal:
    excess = value - limit
    if excess <= 0:
        return weight
    lost = excess * points / STEP
    return ZERO if lost >= weight else weight - lost


def _ratio(weight: Decimal, actual: Decimal, target: Decimal) -> Decimal:
    if actual > target:
        return weight
    return weight * actual / target


def _yes(weight: Decimal, value: bool | Decimal) -> Decimal:
    return weight if value is True else ZERO


def score(facts: Facts, not_applicable: frozenset[str] = frozenset()) -> Scores:
    """Total, grade, points lost per 一级 (None when 不适用) and each leaf's score, by path."""
    f: dict[str, Decimal] = facts  # type: ignore[assignment]
    one = Decimal(1)
    with localcontext(CONTEXT):
        leaves: dict[str, Decimal | None] = {
            "input.budget_allocation.staff_control_rate": _threshold(
                W["10"], f["在职人员数"] / f["编制数"], one, POINT
            ),
            "process.budget_execution.budget_completion_rate": _threshold(
                W["5"], abs(f["预算完成数"] / f["预算数"] - 1), ZERO, HALF
            ),
            "process.budget_execution.public_expense_control_rate": _threshold(
                W["5"], f["实际支出公用经费"] / f["预算安排公用经费"], one, HALF
            ),
            "process.budget_execution.three_public_control_rate": _threshold(
                W["5"], f["三公经费实际支出"] / f["本年三公经费预算数"], one, HALF
            ),
            "process.budget_execution.relief_execution": _ratio(
                W["7"], f["信访救助支出"], f["信访救助预算"]
            ),
            "process.budget_execution.stability_execution": _ratio(
                W["7"], f["维稳经费支出"], f["维稳经费预算"]
            ),
            "process.budget_execution.bureau_stability_execution": _ratio(
                W["4"], f["局维稳经费支出"], f["局维稳经费预算"]
            ),
            "process.budget_execution.joint_meeting_execution": _ratio(
                W["4"], f["联席会经费支出"], f["联席会经费预算"]
            ),
            "process.budget_execution.hall_execution": _ratio(
                W["3"], f["大厅经费支出"], f["大厅经费预算"]
            ),
            "process.budget_management.management_rules_soundness": _yes(
                W["4"], f["预算管理制度完善"]
            ),
            "process.budget_management.funds_use_compliance": _yes(W["4"], f["一般性经费开支规范"]),
            "process.budget_management.budget_disclosure": _yes(W["4"], f["预决算信息按规定公开"]),
            "process.budget_management.basic_information_completeness": _yes(
                W["3"], f["基础信息真实完整"]
            ),
            KEY_WORK: None
            if KEY_WORK in not_applicable
            else _ratio(W["5"], f["重点工作实际完成数"], f["重点工作交办或下达数"]),
            "output.duty_performance.major_events_security": _yes(
                W["10"], f["重大活动信访保障完成"]
            ),
            "effect.duty_benefit.social_benefit": _yes(W["10"], f["越级访上升势头得到遏制"]),
            SATISFACTION: None
            if SATISFACTION in not_applicable
            else _ratio(W["10"], f["满意人数"], f["参评人数"]),
        }
        for path, value in leaves.items():
            if value is not None:
                leaves[path] = value.quantize(CENT, ROUND_HALF_UP)
        sums = dict.fromkeys(("input", "process", "output", "effect"), ZERO)
        applicable = dict.fromkeys(sums, ZERO)
        for path, value in leaves.items():
            if value is not None:
                top = path[: path.index(".")]
                sums[top] += value
                applicable[top] += WEIGHTS[path]
        plain = sum(sums.values(), ZERO)
        weight = sum(applicable.values(), ZERO)
        total = plain
        if weight != HUNDRED and not_applicable:
            total = (plain / weight * HUNDRED).quantize(CENT, ROUND_HALF_UP)
    bands = ((NINETY, "优"), (EIGHTY, "良"), (SIXTY, "中"))
    grade = next((label for bound, label in bands if total >= bound), "差")
    lost = tuple(applicable[top] - sums[top] if applicable[top] else None for top, _ in LEVELS)
    return total, grade, lost, leaves


WEIGHTS = {
    "input.budget_allocation.staff_control_rate": W["10"],
    "process.budget_execution.budget_completion_rate": W["5"],
    "process.budget_execution.public_expense_control_rate": W["5"],
    "process.budget_execution.three_public_control_rate": W["5"],
    "process.budget_execution.relief_execution": W["7"],
    "process.budget_execution.stability_execution": W["7"],
    "process.budget_execution.bureau_stability_execution": W["4"],
    "process.budget_execution.joint_meeting_execution": W["4"],
    "process.budget_execution.hall_execution": W["3"],
    "process.budget_management.management_rules_soundness": W["4"],
    "process.budget_management.funds_use_compliance": W["4"],
    "process.budget_management.budget_disclosure": W["4"],
    "process.budget_management.basic_information_completeness": W["3"],
    KEY_WORK: W["5"],
    "output.duty_performance.major_events_security": W["10"],
    "effect.duty_benefit.social_benefit": W["10"],
    SATISFACTION: W["10"],
}
SUBJECT = ("单位", "项目", "年度")


def read_row(row: Mapping[str, str]) -> tuple[dict[str, Decimal | bool], frozenset[str]]:
    """A table row's facts (numbers as Decimal, 是/否 as bool; blanks left out) and 不适用 paths."""
    facts: dict[str, Decimal | bool] = {}
    for name, text in row.items():
        if name in SUBJECT or name == "不适用" or not text:
            continue
        facts[name] = BOOLEANS[text] if text in BOOLEANS else Decimal(text)
    skipped = frozenset(path.strip() for path in row.get("不适用", "").split(",") if path.strip())
    return facts, skipped


def main(source: str, target: str) -> None:
    """Score a CSV table of units into a summary CSV, one row in, one row out."""
    with (
        open(source, encoding="utf-8-sig", newline="") as rows,
        open(target, "w", encoding="utf-8", newline="") as out,
    ):
        out.write("\ufeff")
        writer = csv.writer(out, lineterminator="\r\n")
        reader = csv.DictReader(rows)
        writer.writerow(
            ["来源", *SUBJECT, "总分", "等级", *(f"{name}失分" for _, name in LEVELS), "错误"]
        )
        for number, row in enumerate(reader, start=2):
            total, grade, lost, _ = score(*read_row(row))
            writer.writerow(
                [
                    f"{source}:row {number}",
                    *(row[key] for key in SUBJECT),
                    format(total, "f"),
                    grade,
                    *("" if value is None else format(value, "f") for value in lost),
                    "",
                ]
            )


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
