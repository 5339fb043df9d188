"""CheckResult.finding_context: the officer's own heading, lead officer and service area of a finding."""

from __future__ import annotations

import jsonschema

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
