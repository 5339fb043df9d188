"""Policy §3 — benefits: at least one claimed (PP301), and described (PP302)."""

from __future__ import annotations

import pytest

from partnership_xl.fields import BENEFIT_FIELDS
from partnership_xl.findings import Severity
from tests.conftest import CLEAN, row

FIVE = tuple(BENEFIT_FIELDS.values())  # the five yes/no headers
NONE_CLAIMED = {"benefit_funding": "No", "benefit_quality": None, "benefit_risk": "N"}  # savings, speed are No in CLEAN
WITH_LIST = [*CLEAN, "Benefits"]


def by_list(run, benefits, detail="Joint bids for funding", drop=FIVE, **changes):
    """The codes of a row that claims its benefits through a Benefits list column."""
    result = run([row(Benefits=benefits, benefit_detail=detail, **changes)], headers=WITH_LIST, drop=drop)
    return {f.code for f in result.findings if f.row == 2}


@pytest.mark.parametrize("changes, expected", [
    (NONE_CLAIMED, True),
    ({**NONE_CLAIMED, "benefit_speed": "x"}, False),
    ({**NONE_CLAIMED, "benefit_savings": "Yes"}, False),
    ({}, False),
])
def test_pp301_no_benefit_claimed(fires, changes, expected):
    assert ("PP301" in fires(**changes)) is expected


@pytest.mark.parametrize("changes, expected", [
    ({"benefit_detail": None}, True),
    ({"benefit_detail": "Police funding for CCTV"}, False),
    ({**NONE_CLAIMED, "benefit_detail": None}, False),  # nothing claimed: PP301's, not PP302's
])
def test_pp302_claimed_but_not_described(fires, changes, expected):
    assert ("PP302" in fires(**changes)) is expected


@pytest.mark.parametrize("benefits, detail, expected", [
    ("Risk mitigation", None, {"PP302"}),
    ("Funding; Quality", None, {"PP302"}),
    ("Risk mitigation", "Shared risk register", set()),
    (None, None, {"PP301"}),
])
def test_benefits_list_column(run, benefits, detail, expected):
    assert by_list(run, benefits, detail) & {"PP301", "PP302"} == expected


@pytest.mark.parametrize("benefits, expected", [("Happiness", {"DQ005", "PP301"}), ("Risk; Happiness", {"DQ005"})])
def test_unknown_item_in_benefits_list(run, benefits, expected):
    assert by_list(run, benefits) & {"DQ005", "PP301"} == expected


def test_list_and_yes_no_columns_mixed(run):
    assert "PP301" not in by_list(run, "Risk mitigation", drop=(), **NONE_CLAIMED)
    assert "PP301" in by_list(run, None, drop=(), **NONE_CLAIMED)


@pytest.mark.parametrize("code, changes, field, severity", [
    ("PP301", NONE_CLAIMED, "benefit_funding", Severity.ERROR),
    ("PP302", {"benefit_detail": None}, "benefit_detail", Severity.WARNING),
])
def test_finding_cell_clause_and_severity(finding, cell, code, changes, field, severity):
    f = finding(code, **changes)
    assert (f.cell, f.field, f.policy, f.severity) == (cell(field), field, "§3", severity)


@pytest.mark.parametrize("dropped, skipped", [
    (FIVE, {"PP301", "PP302"}),
    (["Benefit description"], {"PP302"}),
    (FIVE[:4], set()),  # one benefit column is enough to check
])
def test_not_checked_without_its_column(not_checked, dropped, skipped):
    assert not_checked(*dropped) & {"PP301", "PP302"} == skipped
