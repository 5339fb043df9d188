"""Policy §4 — context: linked to a council priority (PP401)."""

from __future__ import annotations

import pytest

from partnership_xl.findings import Severity
from tests.conftest import row


@pytest.mark.parametrize("priority, expected", [(None, True), ("   ", True), ("Safe communities", False)])
def test_pp401_priority_blank(fires, priority, expected):
    assert ("PP401" in fires(priority=priority)) is expected


def test_finding_cell_clause_and_severity(finding, cell):
    f = finding("PP401", priority=None)
    assert (f.cell, f.field, f.policy, f.severity) == (cell("priority"), "priority", "§4", Severity.WARNING)


def test_only_when_the_column_exists(run, not_checked):
    assert "PP401" in not_checked("Council priority")
    assert "PP401" not in {f.code for f in run([row(priority=None)], drop=("Council priority",)).findings}
