"""The engine: parse each column once per distinct value, one lazy validation, failures as findings."""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd
import pytest

from partnership_xl.engine import _distinct, _parse
from partnership_xl.fields import fields_by_name
from partnership_xl.reader import NO_CACHED_VALUE, ExcelError
from tests.conftest import CLEAN, row


@pytest.mark.parametrize(("cells", "groups"), [
    (["a", "b", "a", "a"], [0, 1, 0, 0]),
    ([True, 1, 1.0, True], [0, 1, 2, 0]),  # equal in Python, different to an officer
    (["#N/A", ExcelError("#N/A"), "#N/A"], [0, 1, 0]),  # an ExcelError is a str, but not text
    ([date(2025, 1, 1), date(2025, 1, 1)], [0, 0]),
    ([], []),
])
def test_distinct_values_are_distinct_by_type_and_value(cells, groups):
    codes, firsts = _distinct(np.array(cells, dtype=object))
    assert codes.tolist() == groups
    assert firsts.tolist() == [groups.index(g) for g in sorted(set(groups))]


def test_a_column_is_parsed_per_distinct_value_and_its_markers_found():
    values = pd.Series(["Y", "no", "Y", ExcelError("#REF!"), NO_CACHED_VALUE, "maybe"], index=range(5, 11), dtype=object)
    typed, blank, unparsed, (where, found) = _parse(fields_by_name()["budgeted"], values)
    assert typed.tolist()[:3] == [True, False, True] and typed.index.tolist() == list(range(5, 11))
    assert unparsed.tolist() == [False, False, False, False, False, True]
    assert where.tolist() == [3, 4] and list(found) == [ExcelError("#REF!"), NO_CACHED_VALUE]


def test_missing_columns_are_on_the_header_row_in_template_order_and_score_no_partnership(run):
    result = run([row()], drop=("Status", "Purpose", "Partnership name"))
    missing = [(f.code, f.cell, f.field) for f in result.findings if f.code == "DQ001"]
    assert missing == [("DQ001", "A1", "name"), ("DQ001", "A1", "purpose"), ("DQ001", "A1", "status")]
    assert "DQ001" not in result.scores["codes"].iloc[0]  # a column's finding is no partnership's


def test_a_register_with_no_rows_still_has_its_columns_checked(run):
    result = run([], headers=[*list(CLEAN), "Budget code"], drop=("Status",))
    assert sorted(f.code for f in result.findings) == ["DQ001", "DQ009"]


def test_a_rule_message_per_row_lands_on_its_row(run):
    result = run([row(ref="P1", last_review="01/01/2020"), row(ref="P2", last_review="01/01/2021")])
    overdue = {f.ref: f.message for f in result.findings if f.code == "PP501"}
    assert "01/01/2020" in overdue["P1"] and "01/01/2021" in overdue["P2"]
