"""Policy §9 — exiting a partnership (PP901–PP907) and end dates before start dates (DQ010)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from partnership_xl.fields import BENEFIT_FIELDS
from partnership_xl.findings import Severity
from tests.conftest import AS_OF, CLEAN, row

#: A well-recorded exit: no PP902–PP905.
LEFT = {"status": "Closed", "exit_reason": "Outcomes achieved", "exit_strategy": "Handover to the county", "exit_decided_by": "CMT"}


def days(n: int) -> date:
    return AS_OF + timedelta(days=n)


@pytest.mark.parametrize("end_date, status, expected", [
    (days(1), "Active", False),
    (days(0), "Active", False),
    (days(-1), "Active", True),
    (days(-1), "Proposed", True),
    (days(-1), "Under review", True),
    (days(-1), "Exiting", False),
    (days(-1), "Closed", False),
])
def test_pp901_past_end_date_but_running(fires, end_date, status, expected):
    assert ("PP901" in fires(end_date=end_date, status=status, exit_strategy="Handover")) is expected


@pytest.mark.parametrize("code, blank", [("PP902", "exit_strategy"), ("PP904", "exit_decided_by"), ("PP905", "exit_reason")])
@pytest.mark.parametrize("status, expected", [("Exiting", True), ("Closed", True), ("Active", False), ("Proposed", False)])
def test_exit_needs_strategy_decision_and_reason(fires, code, blank, status, expected):
    assert (code in fires(**{**LEFT, "status": status, blank: None})) is expected
    assert code not in fires(**{**LEFT, "status": status})


@pytest.mark.parametrize("changes, expected", [
    ({"controls": None}, True),
    ({"controls": None, "status": "Exiting"}, True),
    ({"controls": None, "exit_strategy": None}, False),  # no strategy: PP902's
    ({"controls": None, "status": "Active"}, False),
    ({}, False),
])
def test_pp903_exit_strategy_without_controls(fires, changes, expected):
    assert ("PP903" in fires(**{**LEFT, **changes})) is expected


@pytest.mark.parametrize("changes, expected", [
    ({"funding_ends": days(-1)}, True),
    ({"funding_ends": days(0)}, False),
    ({"funding_ends": days(1)}, False),
    ({"funding_ends": days(-1), "status": "Under review"}, False),
    ({"funding_ends": days(-1), "benefit_funding": "No"}, False),
])
def test_pp906_external_funding_ended(fires, changes, expected):
    assert ("PP906" in fires(**changes)) is expected


@pytest.mark.parametrize("benefits, expected", [("External funding; Risk", True), ("Risk mitigation", False)])
def test_pp906_funding_claimed_in_a_benefits_list(run, benefits, expected):
    result = run([row(Benefits=benefits, funding_ends=days(-1))], headers=[*CLEAN, "Benefits"], drop=tuple(BENEFIT_FIELDS.values()))
    assert ("PP906" in {f.code for f in result.findings}) is expected


@pytest.mark.parametrize("end_date, strategy, expected", [
    (days(0), None, True), (days(30), None, True), (days(60), None, True),
    (days(61), None, False), (days(-1), None, False), (days(30), "Handover", False),
])
def test_pp907_ends_soon_without_exit_strategy(fires, end_date, strategy, expected):
    assert ("PP907" in fires(end_date=end_date, exit_strategy=strategy)) is expected


def test_pp907_uses_due_soon_days(fires):
    assert "PP907" in fires(end_date=days(80), settings={"due_soon_days": 90})


@pytest.mark.parametrize("start, end, expected", [
    (date(2020, 1, 1), date(2019, 12, 31), True),
    (date(2020, 1, 1), date(2020, 1, 1), False),
    (None, date(2019, 12, 31), False),
])
def test_dq010_end_before_start(fires, start, end, expected):
    assert ("DQ010" in fires(**LEFT, start_date=start, end_date=end)) is expected


def test_pp901_message_gives_the_end_date_and_status(finding):
    message = finding("PP901", end_date=days(-1), status="Under review").message
    assert "24/11/2026" in message and "Under review" in message


@pytest.mark.parametrize("code, changes, field, severity", [
    ("PP901", {"end_date": days(-1)}, "end_date", Severity.ERROR),
    ("PP902", {**LEFT, "exit_strategy": None}, "exit_strategy", Severity.ERROR),
    ("PP903", {**LEFT, "controls": None}, "controls", Severity.WARNING),
    ("PP904", {**LEFT, "exit_decided_by": None}, "exit_decided_by", Severity.ERROR),
    ("PP905", {**LEFT, "exit_reason": None}, "exit_reason", Severity.WARNING),
    ("PP906", {"funding_ends": days(-1)}, "funding_ends", Severity.WARNING),
    ("PP907", {"end_date": days(10)}, "end_date", Severity.INFO),
    ("DQ010", {**LEFT, "start_date": date(2020, 1, 1), "end_date": date(2019, 1, 1)}, "end_date", Severity.ERROR),
])
def test_finding_cell_clause_and_severity(finding, cell, code, changes, field, severity):
    f = finding(code, **changes)
    assert (f.cell, f.field, f.severity) == (cell(field), field, severity)
    assert f.policy == ("§9" if code.startswith("PP") else "§5")


@pytest.mark.parametrize("header, codes", [
    ("End date", {"PP901", "PP907", "DQ010"}),
    ("Exit strategy", {"PP902", "PP903", "PP907"}),
    ("Exit decided by", {"PP904"}),
    ("Exit reason", {"PP905"}),
    ("External funding ends", {"PP906"}),
    ("External funding or investment", {"PP906"}),
    ("Start date", {"DQ010"}),
])
def test_not_checked_without_its_column(not_checked, header, codes):
    assert codes <= not_checked(header)
