"""scoring/analysis/frame.py: score_frame reads a frame like batch reads a table, and runs under Dask."""

from __future__ import annotations

import csv
import io
import pickle
from decimal import Decimal
from functools import partial

import numpy as np
import pandas as pd
import pytest

from scoring import i18n
from scoring.analysis import batch, frame
from scoring.analysis import summary as batch_summary
from scoring.analysis.frame import frame_columns, frame_summary, score_frame
from scoring.engine.score import score
from scoring.errors import FactsError
from scoring.load import units as load_units
from scoring.load.facts import load_facts
from scoring.load.rulesets import load_ruleset
from scoring.model.fingerprint import ruleset_fingerprint
from scoring.render import render_json
from tests.conftest import ROOT, ruleset_from

RULESET = """\
id: test.frame
version: "1"
title: 分区测试
kind: project
facts:
  预算数: {label: 全年预算数, unit: 万元, min: 0}
  执行数: {label: 全年执行数, unit: 万元, min: 0}
  受理率: {label: 及时受理率, unit: "%", min: 0, max: 1}
  制度健全: {label: 资金管理制度健全, type: boolean}
  人数: {label: 受助人数, type: integer, min: 0}
indicators:
  - {id: execution, name: 预算执行率, weight: 40, method: ratio, actual: 执行数, target: 预算数}
  - id: output
    name: 产出指标
    weight: 40
    children:
      - {id: accepted, name: 及时受理率, weight: 20, method: ratio, actual: 受理率, target: 1}
      - {id: rules, name: 资金管理制度健全, weight: 20, method: boolean, value: 制度健全}
  - {id: people, name: 受助人数, weight: 20, method: ratio, actual: 人数, target: 50}
"""
HEADER = ["单位", "项目", "年度", "预算数", "全年执行数", "受理率", "制度健全", "人数", "不适用"]
ROWS = [
    ["甲局", "救助资金", "2022", "1,280", "1280", "86.75%", "是", "48", ""],
    ["乙局", "救助资金", "2022", "100", "90", "", "否", "50", "output.accepted"],
    ["", "", "", "", "", "", "", "", ""],  # a blank row: left out, as batch leaves it out
    ["丙局", "救助资金", "2022", "100", "一百", "90%", "是", "12", ""],
    ["丁局", "救助资金", "2022", "80", "79.99", "100%", "是", "50", ""],
]


@pytest.fixture(scope="module")
def ruleset():
    return ruleset_from(RULESET)


def table_bytes(rows=ROWS, header=HEADER) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows([header, *rows])
    return buffer.getvalue().encode("utf-8")


def as_read(rows=ROWS, header=HEADER) -> pd.DataFrame:
    """The table as pandas reads a CSV file: text cells, indexed by their rows in the file."""
    data = pd.read_csv(io.BytesIO(table_bytes(rows, header)), dtype=str, keep_default_na=False)
    data.index = pd.RangeIndex(2, len(data) + 2)  # the header is row 1
    return data


def batch_summary_csv(ruleset, data: bytes, filename: str) -> str:
    units = load_units.read_table(data, filename, ruleset)
    rows = [batch.summary_row(batch.score_unit(unit, ruleset)) for unit in units]
    return batch_summary.render_summary_csv(batch_summary.summarise(ruleset, rows))


def test_rows_are_scored_like_batch_scores_the_table(ruleset):
    scored = score_frame(ruleset, as_read(), source="units.csv")
    summary = batch_summary.render_summary_csv(frame_summary(ruleset, scored))
    assert summary == batch_summary_csv(ruleset, table_bytes(), "units.csv")
    assert list(scored.index) == [2, 3, 5, 6]  # the blank row 4 left out


def test_each_unit_is_one_row_of_text_with_fingerprints(ruleset):
    scored = score_frame(ruleset, as_read(), source="units.csv")
    assert tuple(scored.columns) == frame_columns(ruleset)
    assert all(dtype == pd.StringDtype() for dtype in scored.dtypes)
    first = scored.loc[2].to_dict()
    assert first == {
        "source": "units.csv:row 2",
        "unit": "甲局",
        "project": "救助资金",
        "year": "2022",
        "total": "96.55",  # 40 + 17.35 + 20 + 19.20
        "grade": "优",
        "lost_execution": "0.00",
        "lost_output": "2.65",
        "lost_people": "0.80",
        "ruleset": "test.frame@1",
        "ruleset_fingerprint": ruleset_fingerprint(ruleset),
        "facts_fingerprint": first["facts_fingerprint"],
        "error": "",
    }
    assert first["facts_fingerprint"].startswith("sha256:")
    assert scored.loc[3, "total"] == "70.00"  # 不适用 20 points: (36 + 0 + 20) / 80 × 100


def test_a_bad_cell_is_that_units_error_located_by_row_and_column(ruleset):
    scored = score_frame(ruleset, as_read(), source="units.csv")
    bad = scored.loc[5].to_dict()
    assert bad["error"].startswith("units.csv:row 5, column 全年执行数: [execution] 执行数: ")
    assert (bad["total"], bad["grade"], bad["lost_execution"], bad["facts_fingerprint"]) == (
        "",
        "",
        "",
        "",
    )
    assert bad["unit"] == "丙局"  # still told apart from the others


def test_a_bad_header_stops_the_frame_naming_the_column(ruleset):
    data = as_read(header=[*HEADER[:-1], "备注"])
    with pytest.raises(FactsError, match=r"units\.csv:row 1, column 备注: unknown column '备注'"):
        score_frame(ruleset, data, source="units.csv")


def test_typed_cells_are_read_exactly_and_blanks_are_blank(ruleset):
    """What pandas gives for a typed table: floats as a spreadsheet shows them, never binary."""
    data = pd.DataFrame(
        {
            "单位": ["甲局", "乙局", "丙局"],
            "预算数": [Decimal("60"), Decimal("60"), Decimal("60")],
            "执行数": [52.05, np.float64(52.05), 60.0],
            "受理率": [0.9, np.nan, 1.0],
            "制度健全": [True, np.True_, False],
            "人数": pd.array([48, 50, None], dtype="Int64"),
            "不适用": [None, "output.accepted", "people"],
        },
        index=pd.Index([7, 8, 9], name="line"),
    )
    scored = score_frame(ruleset, data)
    # 34.70 + 18 + 20 + 19.20; (34.70 + 20 + 20) / 80 × 100; (40 + 20 + 0) / 80 × 100
    assert list(scored["total"]) == ["91.90", "93.38", "75.00"]
    assert scored.index.name == "line"
    assert list(scored["error"]) == ["", "", ""]


def test_an_empty_frame_gives_the_columns_dask_needs_as_meta(ruleset):
    meta = score_frame(ruleset, as_read().iloc[:0])
    assert meta.empty
    assert tuple(meta.columns) == frame_columns(ruleset)
    assert all(dtype == pd.StringDtype() for dtype in meta.dtypes)


def test_rows_without_integer_labels_are_numbered_by_position(ruleset):
    data = as_read()
    data.index = pd.Index([f"u{i}" for i in range(len(data))])
    scored = score_frame(ruleset, data, source="lake")
    assert list(scored.index) == ["u0", "u1", "u3", "u4"]
    assert scored.loc["u3", "error"].startswith("lake:row 4, column 全年执行数: ")


def test_a_pickled_ruleset_scores_identically():
    ruleset = load_ruleset(ROOT / "rulesets/xinfang/hengshan-department-2019.yaml")
    facts = load_facts(ROOT / "examples/xinfang-hengshan-2019.yaml", ruleset)
    restored = pickle.loads(pickle.dumps(ruleset))
    assert restored is not ruleset
    assert render_json(score(restored, facts)) == render_json(score(ruleset, facts))


def test_the_plan_is_prepared_once_per_ruleset_however_often_it_is_unpickled(ruleset):
    first = score_frame(ruleset, as_read())
    copies = [pickle.loads(pickle.dumps(ruleset)) for _ in range(3)]
    plan = frame._plan(ruleset)
    assert all(frame._plan(copy) is plan for copy in copies)
    assert plan.ruleset is ruleset  # the first one seen, with whatever it keeps
    for copy in copies:
        assert score_frame(copy, as_read()).equals(first)


def test_score_frame_under_a_dask_local_cluster_gives_batchs_bytes(ruleset, tmp_path):
    """Partitions scored by two Dask workers, gathered and rendered: batch's summary exactly.

    In Chinese, as the caller asks: a worker's thread speaks the process's default otherwise.
    """
    dd = pytest.importorskip("dask.dataframe")
    distributed = pytest.importorskip("distributed")
    rows = [
        [
            *(f"第{n}号单位", "救助资金", "2022", "100", str(60 + n % 45), f"{80 + n % 21}%"),
            *("是否"[n % 2], str(n % 60), "output.accepted" if n % 7 == 0 else ""),
        ]
        for n in range(1, 41)
    ]
    rows[12][4] = "一百"  # a bad cell: its unit's error, in the language asked
    path = tmp_path / "units.csv"
    path.write_bytes(table_bytes(rows))
    with i18n.speaking("zh"):
        expected = batch_summary_csv(ruleset, path.read_bytes(), "units.csv")
    data = as_read(rows)
    meta = {name: "string" for name in frame_columns(ruleset)}
    with (
        distributed.LocalCluster(
            n_workers=2,
            threads_per_worker=1,
            processes=False,  # threads: fast to start; tcp still pickles every task and result
            protocol="tcp://",
            host="127.0.0.1",
            dashboard_address=None,
        ) as cluster,
        distributed.Client(cluster) as client,
    ):
        parts = dd.from_pandas(data, npartitions=4)
        scoring = partial(score_frame, ruleset, source="units.csv", language="zh")
        scored = parts.map_partitions(scoring, meta=meta)
        gathered = client.compute(scored).result()
    assert parts.npartitions == 4
    assert "应为数字" in gathered.loc[14, "error"]
    assert batch_summary.render_summary_csv(frame_summary(ruleset, gathered)) == expected


def test_the_error_column_speaks_the_language_asked_and_else_the_callers(ruleset):
    data = as_read()
    with i18n.speaking("zh"):
        chinese = score_frame(ruleset, data, source="units.csv").loc[5, "error"]
    english = score_frame(ruleset, data, source="units.csv").loc[5, "error"]
    assert chinese != english
    assert english.startswith("units.csv:row 5, column 全年执行数")
    assert score_frame(ruleset, data, source="units.csv", language="zh").loc[5, "error"] == chinese
    with i18n.speaking("zh"):
        asked = score_frame(ruleset, data, source="units.csv", language="en").loc[5, "error"]
        assert asked == english
        assert i18n.language() == "zh"  # the caller's language is left as it was
    with pytest.raises(ValueError, match="unknown language 'fr'"):
        score_frame(ruleset, data, language="fr")


def test_cells_read_column_by_column_are_the_cells_of_each_row():
    """Columns read as lists give each value as a row of pandas would give it to ``_cell``."""
    data = pd.DataFrame(
        {
            "text": ["甲", "乙", "丙"],
            "text_na": pd.array(["甲", None, "丙"], dtype="string"),
            "objects": ["1,280", Decimal("52.05"), None],
            "floats": [52.05, np.nan, 0.9743999999999999],
            "ints": np.array([1, 2, 3], dtype=np.int64),
            "nullable": pd.array([48, None, 50], dtype="Int64"),
            "bools": [True, False, np.True_],
            "when": pd.to_datetime(["2022-12-28", None, "2023-01-01 08:30"], format="ISO8601"),
            "kinds": pd.Categorical(["是", "否", None]),
        },
        index=pd.Index([7, 8, 9]),
    )
    by_rows = [[frame._cell(value) for value in row] for _, *row in data.itertuples(name=None)]
    by_columns = [frame._cells(data.iloc[:, at].tolist()) for at in range(data.shape[1])]
    assert repr([list(row) for row in zip(*by_columns, strict=True)]) == repr(by_rows)
    assert frame._cells(["a", "b"]) == ["a", "b"]


def test_a_frame_with_a_column_twice_is_refused_naming_it(ruleset):
    data = as_read()
    data.columns = [*HEADER[:3], "预算数", "预算数", *HEADER[5:]]
    with pytest.raises(FactsError, match="预算数"):
        score_frame(ruleset, data, source="units.csv")
