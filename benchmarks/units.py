"""Generated units for the hengshan ruleset: a province's table of self-evaluations.

Every unit gets the 28 facts the ruleset's indicators read, drawn around what the 衡山县信访局
report gives (budgets in 万元 with two places, spending 60–130 % of them, head counts, yes/no
statements); about a third declare the 重点工作 and 满意度 indicators 不适用 (as the report itself
does), so the total is rescaled. The same seed gives the same units, byte for byte.

Run: ``python benchmarks/units.py 50000 units.csv`` (``.parquet`` writes Parquet).
"""

from __future__ import annotations

import csv
import io
import random
import sys
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RULESET = ROOT / "rulesets/xinfang/hengshan-department-2019.yaml"
SEED = 2019
SUBJECT = ("单位", "项目", "年度")
NOT_APPLICABLE = "不适用"
KEY_WORK = "output.duty_performance.key_work_completion_rate"
SATISFACTION = "effect.duty_benefit.satisfaction"
PAIRS = (  # (budget, spending): the ruleset divides the second by the first
    ("预算数", "预算完成数"),
    ("预算安排公用经费", "实际支出公用经费"),
    ("本年三公经费预算数", "三公经费实际支出"),
    ("信访救助预算", "信访救助支出"),
    ("维稳经费预算", "维稳经费支出"),
    ("局维稳经费预算", "局维稳经费支出"),
    ("联席会经费预算", "联席会经费支出"),
    ("大厅经费预算", "大厅经费支出"),
)
STATEMENTS = (
    "预算管理制度完善",
    "一般性经费开支规范",
    "预决算信息按规定公开",
    "基础信息真实完整",
    "重大活动信访保障完成",
    "越级访上升势头得到遏制",
)
COUNTS = ("重点工作交办或下达数", "重点工作实际完成数", "参评人数", "满意人数")
HEADERS = (
    *SUBJECT,
    "编制数",
    "在职人员数",
    *(name for pair in PAIRS for name in pair),
    *STATEMENTS,
    *COUNTS,
    NOT_APPLICABLE,
)


def _money(rng: random.Random, low: float, high: float) -> Decimal:
    return Decimal(rng.randint(round(low * 100), round(high * 100))).scaleb(-2)


def unit_rows(count: int, seed: int = SEED) -> Iterator[dict[str, str]]:
    """``count`` units as table rows (text cells, as a spreadsheet saves them), in order."""
    rng = random.Random(seed)
    for number in range(1, count + 1):
        row = {"单位": f"第{number:07d}号单位", "项目": "部门整体支出", "年度": "2019"}
        quota = rng.randint(5, 60)
        row["编制数"] = str(quota)
        row["在职人员数"] = str(max(1, round(quota * rng.uniform(0.7, 1.15))))
        for budget, spent in PAIRS:
            amount = _money(rng, 1, 500)
            row[budget] = str(amount)
            share = Decimal(str(rng.choice((1, 1, rng.uniform(0.6, 1.3)))))
            row[spent] = str((amount * share).quantize(Decimal("0.01")))
        for statement in STATEMENTS:
            row[statement] = "是" if rng.random() < 0.85 else "否"
        skipped = rng.random() < 0.3
        assigned, surveyed = rng.randint(1, 40), rng.randint(20, 600)
        row["重点工作交办或下达数"] = "" if skipped else str(assigned)
        row["重点工作实际完成数"] = "" if skipped else str(rng.randint(assigned // 2, assigned))
        row["参评人数"] = "" if skipped else str(surveyed)
        row["满意人数"] = "" if skipped else str(rng.randint(surveyed * 3 // 5, surveyed))
        row[NOT_APPLICABLE] = f"{KEY_WORK}, {SATISFACTION}" if skipped else ""
        yield row


def write_csv(count: int, path: Path, seed: int = SEED) -> None:
    """The units as a UTF-8 CSV table with a header row (as ``scoring template`` names columns)."""
    with path.open("w", encoding="utf-8", newline="") as file:
        writer = csv.DictWriter(file, HEADERS, lineterminator="\r\n")
        writer.writeheader()
        writer.writerows(unit_rows(count, seed))


def write_parquet(count: int, path: Path, seed: int = SEED) -> None:
    """The units as a Parquet file of text columns, in row groups of 65,536."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    schema = pa.schema([(name, pa.string()) for name in HEADERS])
    with pq.ParquetWriter(path, schema) as writer:
        batch: list[dict[str, str]] = []
        for row in unit_rows(count, seed):
            batch.append(row)
            if len(batch) == 65_536:
                writer.write_table(pa.Table.from_pylist(batch, schema))
                batch = []
        if batch:
            writer.write_table(pa.Table.from_pylist(batch, schema))


def csv_text(count: int, seed: int = SEED) -> str:
    """The CSV table as text (for small, in-process measurements)."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, HEADERS, lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(unit_rows(count, seed))
    return buffer.getvalue()


if __name__ == "__main__":
    target = Path(sys.argv[2])
    if target.suffix == ".parquet":
        write_parquet(int(sys.argv[1]), target)
    else:
        write_csv(int(sys.argv[1]), target)
