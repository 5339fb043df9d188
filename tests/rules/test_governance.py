"""Policy §7 — governance of significant partnerships (PP701) and control of high risks (PP702)."""

from __future__ import annotations

import pytest

from partnership_xl.findings import Severity

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
