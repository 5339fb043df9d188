"""reports/sheets.py: the scrutiny workbook's detail sheets, each written on its own from a CheckResult.
Columns the register lacks are left out and named; every list is the figures' (never re-judged)."""

from __future__ import annotations

from datetime import datetime

import openpyxl
import pytest

from partnership_xl.reports import figures as fg
from partnership_xl.reports import sheets as sh
from partnership_xl.reports.cells import Formats, new_workbook
from tests.conftest import row

from .conftest import table_records


def written(tmp_path, write, result) -> openpyxl.worksheet.worksheet.Worksheet:
    """The one sheet ``write(workbook, formats, result)`` adds, read back."""
    path = tmp_path / f"{write.__name__}.xlsx"
    wb = new_workbook(path, title="Test", council="Harborough District Council")
    write(wb, Formats(wb), result)
    wb.close()
    book = openpyxl.load_workbook(path)
    assert len(book.worksheets) == 1
    return book.worksheets[0]


def test_the_register_shows_a_column_only_where_the_register_has_its_field(result, run):
    cols, records, missing = sh.register_records(result)
    assert missing == ["Assurance"]  # conftest's register has no Governance assurance column
    assert [c.header for c in cols] == [c.header for c, _ in sh.REGISTER_COLUMNS if c.header != "Assurance"]
    assert len(records) == 10
    sparse = run([row()], drop=("Status", "Opportunity likelihood (1-5)", "Opportunity impact (1-5)", "Lead member"))
    _, _, missing = sh.register_records(sparse)
    assert missing == ["Status", "Lead member", "Assurance", "Opportunity score", "Opportunity band"]


def test_a_register_record_is_the_partnerships_fields_scores_and_short_benefit_names(result):
    _, records, _ = sh.register_records(result)
    by_ref = {r["ref"]: r for r in records}
    first = by_ref["P001"]
    assert (first["name"], first["status"], first["risk_score"], first["risk_band"], first["rag"], first["codes"]) == (
        "Harborough Community Safety Partnership", "Active", 6, "Low", "Green", "")
    assert first["benefit_list"] == "Funding; Quality; Risk mitigation"
    assert by_ref["P009"]["benefit_list"] == ""
    assert by_ref["P007"]["risk_band"] == "Not assessed" and by_ref["P007"]["risk_score"] is None
    assert by_ref["P002"]["codes"] == "PP603, PP702, PP802"


def test_the_register_sheet_is_one_table_row_a_partnership_and_says_what_is_not_recorded(tmp_path, result):
    ws = written(tmp_path, sh.write_register, result)
    assert ws.title == "Register" and ws["A3"].value == "Not recorded in this register: Assurance."
    records = table_records(ws, "Register")
    assert [r["Ref"] for r in records] == [f"P{n:03d}" for n in range(1, 11)]
    assert ws.freeze_panes == "C5"


def test_the_risk_map_lists_each_cells_refs_highest_score_first(tmp_path, result):
    ws = written(tmp_path, sh.write_risk_map, result)
    assert ws["A3"].value == "Closed partnerships are not shown (1)."
    risks = [(r["Score"], r["Band"], r["Partnerships"], r["Refs"]) for r in table_records(ws, "RiskCells")]
    assert risks == [(20, "High", 1, "P002"), (9, "Medium", 1, "P004"), (6, "Low", 7, "P001, P003, P005, P006, P008, P009, P010")]
    opportunities = [(r["Score"], r["Band"], r["Refs"]) for r in table_records(ws, "OpportunityCells")]
    assert opportunities[-1] == (None, "Not assessed", "P009")


def test_the_risk_map_grid_holds_the_counts(tmp_path, result):
    ws = written(tmp_path, sh.write_risk_map, result)
    grid = fg.risk_grid(result)
    first = 6  # heading at row 5 (0-based 4), grid two rows below
    for likelihood in range(1, 6):
        for i, impact in enumerate(range(5, 0, -1)):
            assert ws.cell(first + 1 + 2 * i, 2 + likelihood).value == grid.counts[(likelihood, impact)]


def test_a_register_without_opportunities_says_so_on_the_risk_map(tmp_path, run):
    result = run([row()], drop=("Opportunity likelihood (1-5)", "Opportunity impact (1-5)"))
    ws = written(tmp_path, sh.write_risk_map, result)
    texts = [c.value for line in ws.iter_rows() for c in line if isinstance(c.value, str)]
    assert "Opportunities are not recorded in this register (no likelihood and impact columns)." in texts
    assert "OpportunityCells" not in ws.tables


def test_the_reviews_sheet_is_the_review_list(tmp_path, result):
    ws = written(tmp_path, sh.write_reviews, result)
    records = table_records(ws, "Reviews")
    assert [(r["Review"], r["Ref"]) for r in records] == [("Overdue", "P003"), ("Never reviewed", "P004"), ("Due soon", "P005")]
    assert records[0]["Last reviewed"] == datetime(2025, 1, 10)
    assert ws["A2"].value == "Each partnership is reviewed every 12 months. Due soon: within 60 days of 25/11/2026."


@pytest.mark.parametrize(("value", "said"), [("Executive", "Decided by Executive"), (None, "Not decided"), ("  ", "Not decided"),
                                             ("Not recorded", "Not recorded")])
def test_an_exit_decision_is_said_in_words(value, said):
    assert sh._decision(value) == said


def test_the_exits_sheet_says_why_each_is_listed_and_who_decided(tmp_path, result):
    records = table_records(written(tmp_path, sh.write_exits, result), "Exits")
    assert [(r["Ref"], r["Why listed"], r["Exit decision"], r["Exit findings"]) for r in records] == [
        ("P006", "Exiting", "Decided by Corporate Management Team", None),
        ("P007", "Closed in the last 12 months", "Decided by Executive", None),
        ("P008", "Past end date (PP901)", "Not decided", "PP901"),
    ]


def test_the_findings_sheet_lists_every_finding_errors_first(tmp_path, result):
    ws = written(tmp_path, sh.write_findings, result)
    records = table_records(ws, "Findings")
    assert [(r["Severity"], r["Code"], r["Cell"]) for r in records] == [
        (f["severity"], f["code"], f["cell"]) for f in fg.finding_list(result).to_dict("records")]
    assert ws["A2"].value.startswith("5 errors (breaches of the policy or unusable data), 1 warnings (to check), 2 for information.")


def test_a_register_with_no_findings_says_so(tmp_path, run):
    clean = run([row()])
    assert clean.findings == []
    ws = written(tmp_path, sh.write_findings, clean)
    assert ws["A4"].value == "No findings: the register meets the policy." and not ws.tables
