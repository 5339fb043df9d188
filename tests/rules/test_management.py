"""Policy §8 — a council representative (PP801) and high risks for the Executive (PP802)."""

from __future__ import annotations

import pytest

from partnership_xl.findings import Severity


@pytest.mark.parametrize("lead_officer, expected", [(None, True), (" ", True), ("Sarah Whitfield", False)])
def test_pp801_no_council_representative(fires, lead_officer, expected):
    assert ("PP801" in fires(lead_officer=lead_officer)) is expected


@pytest.mark.parametrize("likelihood, impact, settings, expected", [
    (4, 4, {}, True),                      # 16
    (5, 5, {}, True),                      # 25
    (3, 4, {}, False),                     # 12: Medium
    (4, 4, {"medium_max": 16}, False),
    (3, 3, {"low_max": 4, "medium_max": 8}, True),
])
def test_pp802_high_risk(fires, likelihood, impact, settings, expected):
    assert ("PP802" in fires(risk_likelihood=likelihood, risk_impact=impact, settings=settings)) is expected


@pytest.mark.parametrize("code, changes, field, severity", [
    ("PP801", {"lead_officer": None}, "lead_officer", Severity.ERROR),
    ("PP802", {"risk_likelihood": 5, "risk_impact": 4}, "risk_likelihood", Severity.INFO),
])
def test_finding_cell_clause_and_severity(finding, cell, code, changes, field, severity):
    f = finding(code, **changes)
    assert (f.cell, f.field, f.policy, f.severity) == (cell(field), field, "§8", severity)


@pytest.mark.parametrize("header, codes", [
    ("Lead officer", {"PP801"}),
    ("Risk impact (1-5)", {"PP802"}),
])
def test_not_checked_without_its_column(not_checked, header, codes):
    assert codes <= not_checked(header)


@pytest.mark.parametrize("rating, expected", [("High", True), ("RED", True), ("Medium", False), ("Green", False), (None, False)])
def test_pp802_on_a_one_word_rating(fires_with, rating, expected):
    codes = fires_with({"Risk rating": rating}, drop=("Risk likelihood (1-5)", "Risk impact (1-5)"))
    assert ("PP802" in codes) is expected
    if expected:
        assert codes["PP802"].field == "risk_rating" and "rated High" in codes["PP802"].message


@pytest.mark.parametrize("likelihood, impact, expected", [(3, 3, True), (2, 4, False), (4, 4, True), (1, 4, False)])
def test_pp802_on_a_four_by_four_matrix(fires, likelihood, impact, expected):
    # risk_scale 4: Low up to 4, Medium up to 8 (24 % and 48 % of 16), High above
    assert ("PP802" in fires(risk_likelihood=likelihood, risk_impact=impact, settings={"risk_scale": 4})) is expected
