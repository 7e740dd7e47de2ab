"""load/fact_values.py: a number fact's reader, plain digits read at once as the long way reads them."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from scoring.load.fact_values import _number, fact_reader
from scoring.model.ruleset import FactSpec
from scoring.model.values import UnreadableError
from tests.load.test_rows import _ruleset

SPECS = [
    FactSpec(),
    FactSpec(type="integer"),
    FactSpec(min=Decimal(0)),
    FactSpec(type="integer", min=Decimal(0), max=Decimal(500)),
    FactSpec(unit="万元", min=Decimal("-5.5"), max=Decimal("1280.25")),
    FactSpec(unit="%", min=Decimal(0), max=Decimal(1)),
]


def _outcome(read: Any, value: Any) -> str:
    try:
        return repr(read(value))
    except UnreadableError as exc:
        return f"refused: {exc}"


@given(
    st.one_of(
        st.from_regex(r"[+-]?[0-9]{1,17}(\.[0-9]{1,12})?", fullmatch=True),
        st.from_regex(r"[+-]?[0-9]{1,4}(\.0{1,3})?", fullmatch=True),
        st.sampled_from(["1,280", " 12 ", "12万元", "１２", "", "-0", "0.50", "1e3"]),
    ),
    st.sampled_from(SPECS),
)
def test_a_number_facts_reader_reads_as_the_long_way(text: str, spec: FactSpec):
    read = fact_reader("x", spec, _ruleset())
    assert _outcome(read, text) == _outcome(lambda value: _number(spec, value), text)
