"""Policy §6 — entering a partnership: risk assessment (PP601) and approval (PP602, PP603)."""

from __future__ import annotations

import pytest

from partnership_xl.findings import Severity
from tests.conftest import row

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
