"""Policy §6 — entering a partnership: risk assessment (PP601) and approval (PP602, PP603)."""

from __future__ import annotations

import pytest
from openpyxl.utils import get_column_letter

from partnership_xl.findings import Severity
from tests.conftest import CLEAN, row

UNBUDGETED = {"budgeted": "No", "approved_by": "Portfolio Holder"}


@pytest.mark.parametrize("changes, expected", [
    ({"risk_likelihood": None}, True),
    ({"risk_impact": None}, True),
    ({"risk_likelihood": None, "status": "Exiting"}, True),
    ({"risk_likelihood": None, "risk_impact": None, "status": "Closed"}, False),
    ({}, False),
])
def test_pp601_no_risk_assessment(fires, changes, expected):
    assert ("PP601" in fires(**changes)) is expected


def test_pp601_points_at_the_blank_score_of_each_row(run, cell):
    result = run([row(risk_likelihood=None), row(ref="P002", risk_impact=None)])
    assert [f.cell for f in result.findings if f.code == "PP601"] == [cell("risk_likelihood", 2), cell("risk_impact", 3)]


@pytest.mark.parametrize("changes, expected", [
    ({"budgeted": "No", "approved_by": None}, True),
    ({"budgeted": None, "approved_by": None}, True),
    ({"budgeted": "N", "approved_by": "Not required"}, True),
    ({"budgeted": "No", "approved_by": "Portfolio Holder"}, False),
    ({"budgeted": "Yes", "approved_by": None}, False),
    ({"budgeted": "No", "approved_by": None, "direct_contribution": 0}, False),
    ({"budgeted": "No", "approved_by": None, "direct_contribution": "nil"}, False),
])
def test_pp602_unbudgeted_without_approval(fires, changes, expected):
    assert ("PP602" in fires(**changes)) is expected


@pytest.mark.parametrize("changes, expected", [
    ({"direct_contribution": 9999}, False),
    ({"direct_contribution": 10000}, True),
    ({"direct_contribution": "£10,000"}, True),
    ({"direct_contribution": 25000, "approved_by": "CMT"}, True),
    ({"direct_contribution": 25000, "budgeted": None}, True),
    ({"direct_contribution": 25000, "budgeted": "Yes"}, False),
    ({"direct_contribution": 25000, "approved_by": "Cabinet"}, False),
    ({"direct_contribution": 25000, "approved_by": "Council"}, False),
])
def test_pp603_approved_at_the_wrong_level(fires, changes, expected):
    assert ("PP603" in fires(**{**UNBUDGETED, **changes})) is expected


def test_pp603_uses_executive_threshold(fires):
    assert "PP603" in fires(**UNBUDGETED, direct_contribution=5000, settings={"executive_threshold": 5000})
    assert "PP603" not in fires(**UNBUDGETED, direct_contribution=5000)


@pytest.mark.parametrize("code, changes, field", [
    ("PP601", {"risk_likelihood": None}, "risk_likelihood"),
    ("PP601", {"risk_impact": None}, "risk_impact"),
    ("PP602", {"budgeted": "No", "approved_by": None}, "approved_by"),
    ("PP603", {**UNBUDGETED, "direct_contribution": 10000}, "approved_by"),
])
def test_finding_cell_clause_and_severity(finding, cell, code, changes, field):
    f = finding(code, **changes)
    assert (f.cell, f.field, f.policy, f.severity) == (cell(field), field, "§6", Severity.ERROR)


@pytest.mark.parametrize("header, codes", [
    ("Risk likelihood (1-5)", {"PP601"}),
    ("Risk impact (1-5)", {"PP601"}),
    ("Status", {"PP601"}),  # Closed is exempt: without a status, not guessed
    ("Direct contribution (£ a year)", {"PP602", "PP603"}),
    ("In existing budget", {"PP602", "PP603"}),
    ("Approved by", {"PP602", "PP603"}),
])
def test_not_checked_without_its_column(not_checked, header, codes):
    assert codes <= not_checked(header)


# PP601 where risk is rated in one word (SPEC §3: "... and no risk_rating").
UNSCORED = ("Risk likelihood (1-5)", "Risk impact (1-5)")


@pytest.mark.parametrize("extra, drop, changes, expected", [
    ({"Risk rating": None}, UNSCORED, {}, True),                          # rating column only, blank
    ({"Risk rating": "Amber"}, UNSCORED, {}, False),                      # rated: assessed
    ({"Risk rating": None}, UNSCORED, {"status": "Closed"}, False),       # closed
    ({"Risk rating": "Medium"}, (), {"risk_likelihood": None}, False),    # a score blank, but rated
    ({"Risk rating": None}, (), {"risk_likelihood": None}, True),         # neither
    ({"Risk rating": None}, (), {}, False),                               # scored
])
def test_pp601_with_a_risk_rating_column(fires_with, extra, drop, changes, expected):
    assert ("PP601" in fires_with(extra, drop=drop, **changes)) is expected


def test_pp601_points_at_the_rating_when_risk_is_rated_in_one_word(fires_with):
    f = fires_with({"Overall risk": None}, drop=UNSCORED)["PP601"]
    assert (f.field, f.cell, f.severity) == ("risk_rating", f"{get_column_letter(len(CLEAN) - 1)}2", Severity.ERROR)


def test_a_rating_register_needs_no_likelihood_or_impact_column(fires_with, run):
    codes = fires_with({"Risk rating": "Low"}, drop=UNSCORED)
    assert not codes
    result = run([row()], drop=UNSCORED)
    assert [f.field for f in result.findings if f.code == "DQ001"] == ["risk_likelihood", "risk_impact"]
    assert "PP601" in result.not_checked


@pytest.mark.parametrize("changes, state", [
    ({"budgeted": "No", "approved_by": "Executive"}, "approved"),
    ({"budgeted": "Yes", "approved_by": "Executive"}, "approved"),
    ({"budgeted": "Yes", "approved_by": None}, "in budget"),
    ({"budgeted": "No", "approved_by": None, "direct_contribution": 0}, "no contribution"),
    ({"budgeted": "No", "approved_by": "Not required"}, "not required"),
    ({"budgeted": "No", "approved_by": None}, "none recorded"),
    ({"budgeted": None, "approved_by": "Nobody"}, "none recorded"),  # a word it cannot read (DQ005) approves nothing
])
def test_the_approval_state_the_reports_read(run, changes, state):
    assert run([row(**changes)]).scores["approval"].tolist() == [state]


def test_without_an_approved_by_column_the_approval_is_not_recorded(run):
    assert run([row()], drop=("Approved by",)).scores["approval"].tolist() == ["not recorded"]
