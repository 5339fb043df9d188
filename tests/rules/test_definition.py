"""Policy §2 — what counts as a partnership (PP201–PP204)."""

from __future__ import annotations

import pytest

from partnership_xl.findings import Severity

NOT_A_PARTNERSHIP = {  # arrangement → the one code it gets
    "Officer network or forum": "PP201", "Forum": "PP201", "officer group": "PP201", "Consultation group": "PP201",
    "Contract or outsourced service": "PP202", "SLA": "PP202", "Commissioned service": "PP202",
    "External or governing body": "PP203", "Outside body": "PP203",
}


@pytest.mark.parametrize("arrangement, code", NOT_A_PARTNERSHIP.items())
def test_arrangement_that_is_not_a_partnership(fires, arrangement, code):
    assert fires(arrangement=arrangement) & {"PP201", "PP202", "PP203"} == {code}


@pytest.mark.parametrize("arrangement", ["Partnership", "Shared service", "Joint committee"])
def test_real_partnership_arrangements_pass(fires, arrangement):
    assert not fires(arrangement=arrangement) & {"PP201", "PP202", "PP203"}


@pytest.mark.parametrize("partners, expected", [
    (None, True),
    ("Harborough District Council", True),
    ("HDC", True),
    ("harborough district council;  HDC", True),
    ("Harborough District Council; Leicestershire County Council", False),
    ("Leicestershire Police", False),
])
def test_pp204_needs_an_independent_partner(fires, partners, expected):
    assert ("PP204" in fires(partners=partners)) is expected


@pytest.mark.parametrize("partners, expected", [
    ("Harborough District Council (HDC)", True),  # a bracketed abbreviation is still the council
    ("The Harborough District Council", True),
    ("-", True), ("None", True), ("n/a", True), (" ; ", True),  # placeholders name no organisation
    ("None; Leicestershire County Council", False),
    ("Harborough District Council (HDC); Leicestershire Police", False),
    ("Leicestershire County Council (lead)", False),
])
def test_pp204_placeholders_and_bracketed_council_names(fires, partners, expected):
    assert ("PP204" in fires(partners=partners)) is expected


@pytest.mark.parametrize("partners, expected", [
    ("Melton Borough Council", True), ("MBC", True), ("Melton BC", True), ("Melton Borough", True),
    ("Melton DC; Melton District", False),  # not names of this council
    ("Harborough District Council", False),
])
def test_pp204_uses_the_configured_council_name(fires, partners, expected):
    assert ("PP204" in fires(partners=partners, settings={"council_name": "Melton Borough Council"})) is expected


@pytest.mark.parametrize("code, changes, field", [
    ("PP201", {"arrangement": "Forum"}, "arrangement"),
    ("PP202", {"arrangement": "Contract"}, "arrangement"),
    ("PP203", {"arrangement": "Governing body"}, "arrangement"),
    ("PP204", {"partners": None}, "partners"),
])
def test_finding_cell_clause_and_severity(finding, cell, code, changes, field):
    f = finding(code, **changes)
    assert (f.cell, f.field, f.policy) == (cell(field), field, "§2")
    assert f.severity is (Severity.ERROR if code == "PP204" else Severity.WARNING)


@pytest.mark.parametrize("header, codes", [
    ("Arrangement type", {"PP201", "PP202", "PP203"}),
    ("Partner organisations", {"PP204"}),
])
def test_not_checked_without_its_column(not_checked, header, codes):
    assert codes <= not_checked(header)
