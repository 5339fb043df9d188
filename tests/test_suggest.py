"""DQ009 suggestions: which field an unrecognised heading looks like (issue 11, SPEC §2).

The table is the measure: real-style headings from councils' registers with the field each
should suggest, or None where no field is clearly meant. Every heading is one the aliases do
not already map (a mapped heading never gets this far).
"""

from __future__ import annotations

import pytest

from partnership_xl.fields import alias_index, header_key
from partnership_xl.suggest import alias_line, suggest_field

HEADINGS = [
    # named in the issue and in SPEC §2
    ("Date of annual review", "last_review"),
    ("Council resources (£)", "direct_contribution"),
    ("Areas for improvement or risk", "risks"),
    ("Name of Outside Body", "name"),
    ("Aims and Objectives of their Organisation", "purpose"),
    ("Lead Directorate", "service_area"),
    ("Governance strength rating", "assurance"),
    ("Reporting arrangements", None),
    ("Budget code", None),
    # more headings that mean a field
    ("Lead Officer Name", "lead_officer"),
    ("Officer Contact Email Address", "lead_officer_email"),
    ("Annual contribution (£)", "direct_contribution"),
    ("Financial contribution 2024/25 (£)", "direct_contribution"),
    ("Date of next review", "next_review"),
    ("Partnership reference number", "ref"),
    ("Key partners", "partners"),
    ("RAG risk rating", "risk_rating"),
    ("Level of assurance", "assurance"),
    ("Strategic objective", "purpose"),
    ("Council priority supported", "priority"),
    ("Corporate objective supported", "priority"),
    ("Officer representative", "lead_officer"),
    ("Governance documents", "governance"),
    ("Exit arrangements in place", None),
    ("Notes / comments", "notes"),
    ("Date external funding ends", "funding_ends"),
    ("Expiry date of agreement", "end_date"),
    ("Agreement end date", "end_date"),
    ("Key outcomes and targets", "benefit_detail"),
    ("Risk likelihood score (1-4)", None),
    ("Status of partnership", "status"),
    ("Current status", "status"),
    ("Type of partnership", "arrangement"),
    ("Role of the council", "council_role"),
    ("Start date of partnership", "start_date"),
    ("Date of approval", "approval_date"),
    ("Reason for leaving", "exit_reason"),
    ("Is it statutory?", "statutory"),
    # headings that mean no field, or could mean several
    ("Review date", None),
    ("Website", None),
    ("Address", None),
    ("Telephone", None),
    ("Meeting frequency", None),
    ("Value for money", None),
    ("Department", None),
    ("Significant partnership?", None),
    ("Contact details", None),
    ("Chair", None),
    ("Secretariat", None),
    ("Legal status", None),
    ("Councillor representative", None),
    ("Decision reference", None),
    ("Cabinet portfolio", None),
    ("Budget holder", None),
    ("Date partnership started", None),
    ("Likelihood score", None),
]


def test_the_table_is_large_and_of_unmapped_headings():
    assert len(HEADINGS) >= 40
    known = alias_index()
    assert [h for h, _ in HEADINGS if header_key(h) in known] == []
    assert sum(expected is None for _, expected in HEADINGS) >= 15


@pytest.mark.parametrize("heading, expected", HEADINGS)
def test_suggestion(heading, expected):
    found = suggest_field(heading)
    assert (found.field if found else None) == expected


def test_a_field_already_mapped_is_not_suggested_again():
    assert suggest_field("Lead Directorate").field == "service_area"
    assert suggest_field("Lead Directorate", exclude={"service_area"}) is None


def test_the_reason_quotes_the_heading_s_own_words():
    found = suggest_field("Council resources (£)")
    assert "'resources'" in found.why("Council resources (£)") and found.header == "Direct contribution (£ a year)"


@pytest.mark.parametrize("heading, field, line", [
    ("Date of annual review", "last_review", '"Date of annual review" = "last_review"'),
    (' Officer "lead" ', "lead_officer", '"Officer \\"lead\\"" = "lead_officer"'),
])
def test_alias_line_is_toml(heading, field, line):
    import tomllib

    assert alias_line(heading, field) == line
    assert tomllib.loads(line) == {heading.strip(): field}
