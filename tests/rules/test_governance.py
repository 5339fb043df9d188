"""Policy §7 — governance of significant partnerships (PP701), control of high risks (PP702) and
governance assurance Limited or none (PP703)."""

from __future__ import annotations

import pytest
from openpyxl.utils import get_column_letter

from partnership_xl.findings import Severity
from tests.conftest import CLEAN

NO_GOVERNANCE = {"governance": None}


@pytest.mark.parametrize("changes, expected", [
    ({"direct_contribution": 10000}, True),
    ({"direct_contribution": 9999}, False),
    ({"risk_likelihood": 4, "risk_impact": 4}, True),   # 16: High
    ({"risk_likelihood": 3, "risk_impact": 4}, False),  # 12: Medium
    ({"council_role": "Lead or accountable body"}, True),
    ({"council_role": "Observer"}, False),
])
def test_pp701_significant_without_governance(fires, changes, expected):
    assert ("PP701" in fires(**NO_GOVERNANCE, **changes)) is expected
    assert "PP701" not in fires(**changes)  # governance recorded


def test_pp701_uses_significance_threshold(fires):
    assert "PP701" in fires(**NO_GOVERNANCE, settings={"significance_threshold": 5000})  # CLEAN gives £5,000


@pytest.mark.parametrize("changes, expected", [
    ({"risk_likelihood": 5, "risk_impact": 3, "controls": None}, True),
    ({"risk_likelihood": 3, "risk_impact": 4, "controls": None}, False),
    ({"risk_likelihood": 5, "risk_impact": 3}, False),
])
def test_pp702_high_risk_without_controls(fires, changes, expected):
    assert ("PP702" in fires(**changes)) is expected


@pytest.mark.parametrize("code, changes, field", [
    ("PP701", {"governance": None, "direct_contribution": 20000}, "governance"),
    ("PP702", {"risk_likelihood": 5, "risk_impact": 5, "controls": None}, "controls"),
])
def test_finding_cell_clause_and_severity(finding, cell, code, changes, field):
    f = finding(code, **changes)
    assert (f.cell, f.field, f.policy, f.severity) == (cell(field), field, "§7", Severity.WARNING)


@pytest.mark.parametrize("header, codes", [
    ("Governance arrangements", {"PP701"}),
    ("Control measures", {"PP702"}),
    ("Risk likelihood (1-5)", {"PP702"}),
])
def test_not_checked_without_its_column(not_checked, header, codes):
    assert codes <= not_checked(header)


# PP703: governance assurance Limited or none (status not Closed).
@pytest.mark.parametrize("assurance, status, expected", [
    ("Limited", "Active", True),
    ("No assurance", "Under review", True),
    ("nil", "Active", True),                 # a synonym of No assurance
    ("low", "Proposed", True),               # a synonym of Limited
    ("Limited", "Closed", False),            # near miss: closed
    ("Reasonable", "Active", False),
    ("Substantial", "Active", False),
    ("Adequate", "Active", False),           # a synonym of Reasonable
    (None, "Active", False),
])
def test_pp703_limited_or_no_assurance(fires_with, assurance, status, expected):
    assert ("PP703" in fires_with({"Governance assurance": assurance}, status=status)) is expected


def test_pp703_cell_clause_and_severity(fires_with):
    f = fires_with({"Assurance rating": "Limited"})["PP703"]
    assert (f.cell, f.field, f.policy, f.severity) == (f"{get_column_letter(len(CLEAN) + 1)}2", "assurance", "§7", Severity.WARNING)
    assert "Limited" in f.message


def test_pp703_not_checked_without_an_assurance_column(not_checked):
    assert "PP703" in not_checked()


# PP702 and PP701 on a one-word risk rating (no likelihood or impact scored).
UNSCORED = ("Risk likelihood (1-5)", "Risk impact (1-5)")


@pytest.mark.parametrize("rating, controls, expected", [
    ("High", None, True), ("Red", None, True), ("h", None, True),
    ("High", "Monthly monitoring", False), ("Amber", None, False), ("Low", None, False), (None, None, False),
])
def test_pp702_on_a_one_word_rating(fires_with, rating, controls, expected):
    codes = fires_with({"Risk rating": rating}, drop=UNSCORED, controls=controls)
    assert ("PP702" in codes) is expected
    if expected:
        assert "rated High" in codes["PP702"].message


def test_a_one_word_high_rating_makes_a_partnership_significant(fires_with):
    assert "PP701" in fires_with({"Overall risk": "High"}, drop=UNSCORED, governance=None)
    assert "PP701" not in fires_with({"Overall risk": "Medium"}, drop=UNSCORED, governance=None)


def test_a_scored_risk_wins_over_the_rating(fires_with):
    assert "PP702" not in fires_with({"Risk rating": "High"}, risk_likelihood=2, risk_impact=2, controls=None)
    assert "PP702" in fires_with({"Risk rating": "Low"}, risk_likelihood=5, risk_impact=5, controls=None)
