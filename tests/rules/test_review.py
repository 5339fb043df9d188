"""Policy §5 — the annual review (PP501–PP503) and review dates in the future (DQ011)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from partnership_xl.findings import Severity
from tests.conftest import AS_OF  # 2026-11-25


def days(n: int) -> date:
    return AS_OF + timedelta(days=n)


@pytest.mark.parametrize("last_review, expected", [
    (date(2025, 12, 25), False),  # 11 months ago
    (date(2025, 11, 25), False),  # exactly 12 months
    (date(2025, 11, 24), True),   # 12 months and a day
    (date(2025, 10, 25), True),   # 13 months
])
def test_pp501_annual_review_overdue(fires, last_review, expected):
    assert ("PP501" in fires(last_review=last_review)) is expected


def test_pp501_uses_review_interval_months(fires):
    assert "PP501" in fires(last_review=date(2026, 5, 1), settings={"review_interval_months": 6})
    assert "PP501" not in fires(last_review=date(2026, 5, 1))


@pytest.mark.parametrize("status, expected", [
    ("Active", True), ("Under review", True), ("Exiting", True), ("Proposed", False), ("Closed", False),
])
def test_pp502_never_reviewed(fires, status, expected):
    assert ("PP502" in fires(last_review=None, status=status)) is expected
    assert "PP502" not in fires(status=status)


@pytest.mark.parametrize("next_review, expected", [
    (days(0), True), (days(59), True), (days(60), True), (days(61), False), (days(-1), False),
])
def test_pp503_next_review_due_soon(fires, next_review, expected):
    assert ("PP503" in fires(next_review=next_review)) is expected


@pytest.mark.parametrize("changes, expected", [
    ({"last_review": date(2025, 12, 25)}, True),   # due 25/12/2026 by the interval
    ({"last_review": date(2026, 6, 1)}, False),    # due 01/06/2027
    ({"last_review": date(2025, 10, 1)}, False),   # overdue: PP501's
    ({"last_review": date(2025, 12, 25), "next_review": date(2027, 6, 1)}, False),  # next_review wins
    ({"last_review": None, "next_review": days(10)}, True),
])
def test_pp503_due_date_falls_back_to_last_review(fires, changes, expected):
    assert ("PP503" in fires(**changes)) is expected


def test_pp503_uses_due_soon_days(fires):
    assert "PP503" in fires(next_review=days(75), settings={"due_soon_days": 90})
    assert "PP503" not in fires(next_review=days(1), settings={"due_soon_days": 0})


@pytest.mark.parametrize("last_review, expected", [(days(1), True), (days(0), False), (days(-1), False)])
def test_dq011_review_date_in_the_future(fires, last_review, expected):
    assert ("DQ011" in fires(last_review=last_review)) is expected


def test_pp501_message_gives_the_dates(finding):
    message = finding("PP501", last_review=date(2025, 10, 1)).message
    assert "01/10/2025" in message and "due by 01/10/2026" in message


@pytest.mark.parametrize("code, changes, field, severity", [
    ("PP501", {"last_review": date(2025, 10, 1)}, "last_review", Severity.ERROR),
    ("PP502", {"last_review": None}, "last_review", Severity.ERROR),
    ("PP503", {"next_review": days(30)}, "next_review", Severity.INFO),
    ("PP503", {"last_review": date(2025, 12, 25)}, "last_review", Severity.INFO),
    ("DQ011", {"last_review": days(1)}, "last_review", Severity.WARNING),
])
def test_finding_cell_clause_and_severity(finding, cell, code, changes, field, severity):
    f = finding(code, **changes)
    assert (f.cell, f.field, f.policy, f.severity) == (cell(field), field, "§5", severity)


@pytest.mark.parametrize("header, codes", [
    ("Last reviewed", {"PP501", "PP502", "PP503", "DQ011"}),
    ("Status", {"PP502"}),  # Proposed and Closed are exempt: without a status, not guessed
])
def test_not_checked_without_its_column(not_checked, header, codes):
    assert codes <= not_checked(header)


# PP504: Limited or no assurance, reassessed every weak_review_months (6); PP501 not also reported.
LIMITED = {"Governance assurance": "Limited"}


@pytest.mark.parametrize("assurance, last_review, expected", [
    ("Limited", date(2026, 4, 25), True),        # 7 months ago
    ("No assurance", date(2026, 5, 24), True),   # 6 months and a day
    ("Weak", date(2026, 4, 25), True),           # a synonym of No assurance
    ("Limited", date(2026, 5, 25), False),       # exactly 6 months: near miss
    ("Limited", date(2026, 8, 1), False),        # reassessed 4 months ago
    ("Reasonable", date(2026, 1, 1), False),     # not weak: the annual review applies
    ("Substantial", date(2026, 4, 25), False),
    (None, date(2026, 4, 25), False),
])
def test_pp504_limited_assurance_reassessment_overdue(fires_with, assurance, last_review, expected):
    codes = fires_with({"Governance assurance": assurance}, last_review=last_review)
    assert ("PP504" in codes) is expected


def test_pp504_replaces_pp501_and_pp503(fires_with):
    codes = fires_with(LIMITED, last_review=date(2025, 10, 1))  # overdue both ways
    assert "PP504" in codes and "PP501" not in codes
    codes = fires_with(LIMITED, last_review=date(2025, 12, 20))  # annual review due soon, reassessment overdue
    assert "PP504" in codes and "PP503" not in codes
    codes = fires_with({"Governance assurance": "Reasonable"}, last_review=date(2025, 10, 1))
    assert "PP501" in codes and "PP504" not in codes


def test_pp504_uses_weak_review_months_and_points_at_the_review(fires_with, cell):
    assert "PP504" not in fires_with(LIMITED, last_review=date(2026, 4, 25), settings={"weak_review_months": 9})
    f = fires_with(LIMITED, last_review=date(2026, 4, 25))["PP504"]
    assert (f.cell, f.field, f.policy, f.severity) == (cell("last_review"), "last_review", "§5", Severity.ERROR)
    assert "25/04/2026" in f.message and "25/10/2026" in f.message


def test_pp504_not_checked_without_an_assurance_column(not_checked):
    assert "PP504" in not_checked()
    assert "PP501" not in not_checked()
