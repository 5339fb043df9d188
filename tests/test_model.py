"""CheckResult.finding_context: the officer's own heading, lead officer and service area of a finding."""

from __future__ import annotations

import json

import jsonschema

from partnership_xl.findings import Finding
from partnership_xl.model import finding_dicts, findings_json
from partnership_xl.schemafiles import load_schema
from tests.conftest import CLEAN, row


def test_findings_carry_the_officers_own_heading(run):
    headers = [h if h != "Risk likelihood (1-5)" else "Likelihood" for h in CLEAN] + ["Officer's own notes"]
    result = run([row(**{"Likelihood": "high"}), row(ref="P002", lead_officer=None)], headers=headers, drop=("Last reviewed",))
    context = {f.code: result.finding_context(f) for f in result.findings}
    assert context["DQ004"]["column"] == "Likelihood"  # not risk_likelihood
    assert context["DQ004"]["lead_officer"] == CLEAN["Lead officer"] and context["DQ004"]["service_area"] == CLEAN["Service area"]
    assert context["DQ009"]["column"] == "Officer's own notes" and context["DQ009"]["lead_officer"] is None
    assert context["DQ001"]["column"] == ""  # the column is missing: no heading to show
    assert context["PP801"]["lead_officer"] is None and context["PP801"]["name"] == CLEAN["Partnership name"]


def test_the_json_has_the_column_and_meets_its_schema(run):
    result = run([row(**{"Risk likelihood (1-5)": "high"})])
    data = result.as_json()
    schema = load_schema("findings.schema.json")
    jsonschema.validate(data, schema)
    assert [(f["code"], f["column"]) for f in data["findings"]] == [("DQ004", "Risk likelihood (1-5)")]


def test_the_json_text_is_json_dumps_of_the_json(run):
    """json_text writes the findings itself (fast): exactly what json.dumps(as_json(), indent=2) writes."""
    odd = 'Quote " backslash \\ tab \t newline \n % {} £ — é ✓ \U0001f600'
    headers = list(CLEAN) + [f"Notes {odd}"]
    result = run([row(ref=f"P1 {odd}", name=odd, lead_officer=None, **{"Risk likelihood (1-5)": odd}), row(ref="P2")],
                 headers=headers, drop=("Last reviewed",))
    assert len(result.findings) > 3
    assert result.json_text() == json.dumps(result.as_json(), ensure_ascii=False, indent=2)
    empty = run([])
    assert empty.json_text() == json.dumps(empty.as_json(), ensure_ascii=False, indent=2)


def test_findings_json_leaves_what_is_not_text_to_json_dumps():
    findings = [Finding("DQ002", "P1", "Register", "B2", 2, "name", "Required value missing: \x07 \x1f \u2028."),
                Finding("DQ009", "", "Register", "AB4", 4, "", "Column not recognised.")]
    heading = {"name": "Name \"1\"", "": "Own"}.get
    assert findings_json(findings, lambda f: heading(f.field)) == json.dumps(finding_dicts(findings, lambda f: heading(f.field)), ensure_ascii=False, indent=2)
    assert findings_json([]) == "[]"
    assert findings_json([Finding("DQ002", "P1", "Register", "B2", True, "name", "x")]) is None  # json.dumps writes true
    assert findings_json([Finding("DQ002", None, "Register", "B2", 2, "name", "x")]) is None  # ... and null
