"""The reader (SPEC §2): officers' own layouts, and every value kept with its Excel row and column.

Registers are written as real workbooks (openpyxl, and xlsxwriter where a cached Excel error or
a sheet formatted to the last row is needed) and read back through ``read_register`` or the
whole engine. A finding's cell is checked by reading that cell back with openpyxl.
"""

from __future__ import annotations

import random
import re
import tempfile
import time
import zipfile
from datetime import date, datetime
from pathlib import Path

import openpyxl
import pytest
import xlsxwriter
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import PatternFill

from partnership_xl.config import Settings, settings_from_dict
from partnership_xl.engine import check
from partnership_xl.errors import NoRegisterSheet
from partnership_xl.fields import alias_index, all_fields, fields_by_name, header_key
from partnership_xl.model import tool_header
from partnership_xl.reader import HEADER_SEARCH_ROWS, NoCachedValue, read_register
from partnership_xl.workbook.sheet import column_letters as column_letter

from .conftest import AS_OF, CLEAN, HEADER_OF, row, write_register

HEADERS = list(CLEAN)
FIELD_OF = {h: f for f, h in HEADER_OF.items()}
VALUE_CODES = {"DQ003", "DQ004", "DQ005", "DQ007", "DQ008"}


class F(str):
    """A formula to write as a formula: openpyxl saves it with no cached result."""


def write_sheets(path: Path, sheets: dict[str, list[list]], hidden_rows: dict[str, list[int]] | None = None,
                 merges: dict[str, list[str]] | None = None) -> Path:
    """Write sheets of rows (lists of values from column A, row 1 first; None leaves a cell empty)."""
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for name, rows in sheets.items():
        ws = wb.create_sheet(name)
        for r, values in enumerate(rows, 1):
            for c, v in enumerate(values, 1):
                if v is None:
                    continue
                cell = ws.cell(r, c, str(v) if isinstance(v, F) else v)
                if isinstance(v, str) and v.startswith("=") and not isinstance(v, F):
                    cell.data_type = "s"
        for r in (hidden_rows or {}).get(name, []):
            ws.row_dimensions[r].hidden = True
        for ref in (merges or {}).get(name, []):
            ws.merge_cells(ref)
    wb.save(path)
    return path


def grid(rows: list[dict], headers: list[str] | None = None, title: list[list] | None = None) -> list[list]:
    """Title rows, the header row, then one row per dict (header → value)."""
    headers = headers or HEADERS
    return [*(title or []), list(headers), *[[r.get(h) for h in headers] for r in rows]]


def renamed(r: dict, names: dict[str, str]) -> dict:
    """A row dict keyed by other headers: ``names`` maps CLEAN's header → the header used."""
    return {names.get(h, h): v for h, v in r.items()}


def run_file(path: Path, sheet: str | None = None, **config):
    return check(path, settings_from_dict(config) if config else Settings(), AS_OF, sheet=sheet)


def read(path: Path, sheet: str | None = None, **config):
    return read_register(path, settings_from_dict(config) if config else Settings(), sheet=sheet)


def cell_value(path: Path, sheet: str, ref: str):
    return openpyxl.load_workbook(path)[sheet][ref].value


def same(held: object, written: object) -> bool:
    """Whether a cell read back with openpyxl holds the value written (floats to 15 digits, dates as datetimes)."""
    if isinstance(written, float) and isinstance(held, (int, float)) and not isinstance(held, bool):
        return held == pytest.approx(written, rel=1e-14)
    if isinstance(written, date) and not isinstance(written, datetime) and isinstance(held, datetime):
        return held.date() == written
    if isinstance(written, str) and isinstance(held, str):  # XML reads a carriage return as a line feed
        return held.replace("\r\n", "\n").replace("\r", "\n") == written.replace("\r\n", "\n").replace("\r", "\n")
    return held == written


def cells_with(result, codes=VALUE_CODES) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for f in result.findings:
        if f.code in codes:
            out.setdefault(f.cell, set()).add(f.code)
    return out


def col_of(header: str, headers: list[str] | None = None) -> str:
    return column_letter((headers or HEADERS).index(header) + 1)


# --- columns: aliases, order, extras, odd spellings ----------------------------------------------

ALIASES = {
    "Ref": "Partnership ID", "Partnership name": "Name of partnership", "Partner organisations": "Partners",
    "Arrangement type": "Type", "Purpose": "Aims and objectives", "Council priority": "Corporate priority",
    "Service area": "Directorate", "Lead officer": "Lead / responsible officer", "Lead member": "Portfolio holder",
    "Benefit description": "Expected outcomes", "Direct contribution (£ a year)": "Council contribution",
    "Indirect contribution": "Officer time", "In existing budget": "Budgeted", "Approved by": "Approving body",
    "Approval date": "Date approved", "Risk likelihood (1-5)": "Likelihood", "Risk impact (1-5)": "Impact",
    "Key risks": "Risks", "Control measures": "Mitigation", "Key opportunities": "Opportunities",
    "Governance arrangements": "Terms of reference", "Council role": "Role", "Statutory": "Statutory status",
    "Start date": "Date joined", "End date": "Expiry date", "Last reviewed": "Date of last review",
    "Next review due": "Review due", "Status": "Partnership status", "Exit reason": "Reason for exit",
    "Exit strategy": "Exit plan", "Exit decided by": "Exit approved by", "External funding ends": "Funding end date",
    "Notes": "Comments",
}


def test_every_alias_names_its_own_field():
    index = alias_index()
    for f in all_fields():
        for text in (f.header, f.name, *f.aliases):
            assert index[header_key(text)] == f.name, (f.name, text)


def test_renamed_columns_are_read_through_their_aliases(tmp_path):
    headers = [ALIASES.get(h, h) for h in HEADERS]
    path = write_sheets(tmp_path / "r.xlsx", {"Register": grid([renamed(row(), ALIASES), renamed(row(ref="P002", last_review="soon"), ALIASES)], headers)})
    result = run_file(path)
    assert set(result.register.columns) == {FIELD_OF[h] for h in HEADERS}
    assert result.register.unknown == {}
    assert cells_with(result, {f.code for f in result.findings}) == {f"{col_of('Date of last review', headers)}3": {"DQ003"}}


def test_reordered_columns_keep_their_fields(tmp_path):
    headers = HEADERS[:]
    random.Random(2015).shuffle(headers)
    path = write_sheets(tmp_path / "r.xlsx", {"Register": grid([row(), row(ref="P002", status="maybe", direct_contribution="lots")], headers)})
    result = run_file(path)
    assert result.register.columns == {FIELD_OF[h]: headers.index(h) + 1 for h in HEADERS}
    assert cells_with(result, {f.code for f in result.findings}) == {
        f"{col_of('Status', headers)}3": {"DQ005"}, f"{col_of('Direct contribution (£ a year)', headers)}3": {"DQ004"}}


def test_extra_columns_are_kept_and_reported_once_each_on_their_header_cell(tmp_path):
    headers = HEADERS[:3] + ["Partner website"] + HEADERS[3:] + ["Officer RAG rating", "Budget code"]
    rows = [{**row(ref=f"P{i:03d}"), "Partner website": f"www.partner{i}.org.uk", "Officer RAG rating": "Green"} for i in range(1, 6)]
    path = write_sheets(tmp_path / "r.xlsx", {"Register": grid(rows, headers)})
    result = run_file(path)
    dq009 = sorted(f.cell for f in result.findings if f.code == "DQ009")
    assert dq009 == sorted(f"{col_of(h, headers)}1" for h in ("Partner website", "Officer RAG rating", "Budget code"))
    assert {f.code for f in result.findings} == {"DQ009"}
    assert result.register.unknown == {headers.index(h) + 1: h for h in ("Partner website", "Officer RAG rating", "Budget code")}
    assert len(result.scores) == 5


@pytest.mark.parametrize(("header", "field"), [
    ("DIRECT CONTRIBUTION (£)", "direct_contribution"), ("Lead / Responsible Officer", "lead_officer"), ("  ref. ", "ref"),
    ("Partnership Name:", "name"), ("STATUS", "status"), ("Key_Risks", "risks"), ("Risk Likelihood (1 - 5)", "risk_likelihood"),
    ("Last Reviewed (date)", "last_review"), ("Arrangement Type (see Lookups)", "arrangement"), ("£ Direct contribution", "direct_contribution"),
    ("Direct contribution (£ a year) (2024/25)", "direct_contribution"), ("Lead member(s)", "lead_member"), ("Partner Organisations\n", "partners"),
    ("Aims & Objectives", "purpose"), ("No.", "ref"), ("Date of last review?", "last_review"),
    ("Direct contribution £ a year", "direct_contribution"), ("Council contribution £ per annum", "direct_contribution"),
    ("DIRECT CONTRIBUTION £", "direct_contribution"), ("Council contribution: £", "direct_contribution"),
])
def test_odd_header_spellings_name_their_field(tmp_path, header, field):
    headers = [header if FIELD_OF[h] == field else h for h in HEADERS]
    path = write_sheets(tmp_path / "r.xlsx", {"Register": grid([renamed(row(), {HEADER_OF[field]: header})], headers)})
    result = run_file(path)
    assert result.register.columns[field] == headers.index(header) + 1
    assert result.findings == []


def test_config_aliases_map_an_officers_own_headers(tmp_path):
    names = {"Lead officer": "OFFICER:", "Direct contribution (£ a year)": "Money we put in (£)"}
    headers = [names.get(h, h) for h in HEADERS]
    path = write_sheets(tmp_path / "r.xlsx", {"Register": grid([renamed(row(), names)], headers)})
    without = run_file(path)
    assert sorted(f.code for f in without.findings if f.row == 1) == ["DQ001", "DQ001", "DQ009", "DQ009"]
    with_aliases = run_file(path, aliases={"Officer": "lead_officer", "Money we put in": "direct_contribution"})
    assert with_aliases.findings == []
    assert with_aliases.register.columns["lead_officer"] == headers.index("OFFICER:") + 1


def test_a_config_alias_wins_over_a_built_in_one(tmp_path):
    # This council's "Type" column holds the service type; its arrangement is in "Arrangement".
    headers = [h if h != "Service area" else "Type" for h in HEADERS]
    headers = [h if h != "Arrangement type" else "Arrangement" for h in headers]
    r = renamed(row(), {"Service area": "Type", "Arrangement type": "Arrangement"})
    path = write_sheets(tmp_path / "r.xlsx", {"Register": grid([r], headers)})
    result = run_file(path, aliases={"Type": "service_area"})
    assert result.register.columns["service_area"] == headers.index("Type") + 1
    assert result.register.columns["arrangement"] == headers.index("Arrangement") + 1
    assert result.findings == []


def test_tool_columns_are_ignored(tmp_path):
    headers = HEADERS + [tool_header("Risk score"), tool_header("RAG"), tool_header("Findings")]
    rows = [{**row(), tool_header("Risk score"): 6, tool_header("RAG"): "Green", tool_header("Findings"): ""},
            {tool_header("Risk score"): 25, tool_header("RAG"): "Red", tool_header("Findings"): "PP501 Annual review overdue"}]
    path = write_sheets(tmp_path / "r.xlsx", {"Register": grid(rows, headers)})
    result = run_file(path)
    assert result.findings == []
    assert result.register.tool_columns == [len(HEADERS) + 1, len(HEADERS) + 2, len(HEADERS) + 3]
    assert result.register.unknown == {}
    assert list(result.scores.index) == [2]  # a row holding only the tool's own columns is not a partnership


def test_a_duplicated_column_is_reported_and_the_first_is_read(tmp_path):
    headers = HEADERS + ["Status"]
    path = write_sheets(tmp_path / "r.xlsx", {"Register": grid([{**row(), "Status": "Active"}], headers)})
    result = run_file(path)
    assert [(f.code, f.cell) for f in result.findings] == [("DQ009", f"{column_letter(len(headers))}1")]
    assert result.register.columns["status"] == HEADERS.index("Status") + 1


def test_a_column_with_no_heading_is_reported_only_when_it_holds_data(tmp_path):
    headers = HEADERS + [None, None]
    data = grid([row(), row(ref="P002")], headers)
    data[2][len(HEADERS) + 1] = "a stray note"  # the second headless column, row 3
    path = write_sheets(tmp_path / "r.xlsx", {"Register": data})
    result = run_file(path)
    assert [(f.code, f.cell) for f in result.findings] == [("DQ009", f"{column_letter(len(HEADERS) + 2)}1")]


# --- where the table is: title block, header search, sheets -------------------------------------

def test_title_block_and_blank_rows_above_the_header(tmp_path):
    title = [["Harborough District Council"], ["Partnership Register 2025/26"], [None, "Owner: Community Partnerships"], [], []]
    path = write_sheets(tmp_path / "r.xlsx", {"Register": grid([row(), row(ref="P002", risk_impact=9)], title=title)}, merges={"Register": ["A1:F1"]})
    result = run_file(path)
    assert result.register.header_row == 6
    assert list(result.scores.index) == [7, 8]
    assert cells_with(result) == {f"{col_of('Risk impact (1-5)')}8": {"DQ004"}}
    assert cell_value(path, "Register", f"{col_of('Risk impact (1-5)')}8") == 9


@pytest.mark.parametrize("title_rows", [0, 1, HEADER_SEARCH_ROWS - 1])
def test_the_header_is_found_in_the_first_30_rows(tmp_path, title_rows):
    path = write_register(tmp_path / "r.xlsx", [row()], title_rows=title_rows)
    register = read(path)
    assert register.header_row == title_rows + 1
    assert list(register.raw.index) == [title_rows + 2]


def test_a_header_below_row_30_is_not_searched_for(tmp_path):
    path = write_register(tmp_path / "r.xlsx", [row()], title_rows=HEADER_SEARCH_ROWS)
    with pytest.raises(NoRegisterSheet):
        read(path)
    register = read(path, header_row=HEADER_SEARCH_ROWS + 1)
    assert register.header_row == 31 and list(register.raw.index) == [32]


def test_header_row_setting_chooses_the_row(tmp_path):
    legend = ["Key:", "Ref", "Status", "Key risks", "Purpose"]  # names four fields: the first row that would match
    data = [legend, [], [], *grid([row(), row(ref="P002", last_review="31/02/2025")])]
    path = write_sheets(tmp_path / "r.xlsx", {"Register": data})
    result = check(path, settings_from_dict({"header_row": 4}), AS_OF)
    assert result.register.header_row == 4
    assert cells_with(result) == {f"{col_of('Last reviewed')}6": {"DQ003"}}
    with pytest.raises(NoRegisterSheet, match="Row 2"):
        read(path, header_row=2)
    with pytest.raises(NoRegisterSheet, match="Row 900"):
        read(path, header_row=900)


GUIDANCE = [
    ["How to keep the Partnership Register"],
    ["Every partnership has a row. Fill in the Ref, the Partnership name, the Status and the Key risks for each one."],
    ["Column", "What to enter"],
    ["Ref", "A unique reference"], ["Partnership name", "The name partners use"], ["Status", "Proposed, Active, Under review, Exiting or Closed"],
    ["Key risks", "The main risks"], ["Last reviewed", "The date of the last annual review"],
]
LOOKUPS = [
    ["Status", "Arrangement type", "Approved by", "Council role", "Exit reason", "Exit decided by"],
    ["Proposed", "Partnership", "Executive", "Lead or accountable body", "Outcomes achieved", "Corporate Management Team"],
    ["Active", "Shared service", "Portfolio Holder", "Member", "Not delivering outcomes", "Executive"],
    ["Under review", "Joint committee", "Corporate Management Team", "Observer", "No longer relevant", "Council"],
]


def test_the_best_matching_sheet_is_chosen(tmp_path):
    path = write_sheets(tmp_path / "r.xlsx", {
        "Guidance": GUIDANCE, "Lookups": LOOKUPS, "Partnership Register": grid([row(), row(ref="P002", status="Dormant")]),
        "Pivot": [["Status", "Count"], ["Active", 2]],
    })
    result = run_file(path)
    assert result.register.sheet == "Partnership Register"
    assert result.register.sheet_names == ["Guidance", "Lookups", "Partnership Register", "Pivot"]
    assert [(f.code, f.sheet, f.cell) for f in result.findings] == [("DQ005", "Partnership Register", f"{col_of('Status')}3")]


def test_sheet_argument_and_setting_choose_explicitly(tmp_path):
    old = [h for h in HEADERS if h not in ("Council priority", "Lead member", "Notes")]
    path = write_sheets(tmp_path / "r.xlsx", {
        "Guidance": GUIDANCE, "2024": grid([row(ref="OLD1")], old), "2025": grid([row(ref="NEW1"), row(ref="NEW2")]),
    })
    assert read(path).sheet == "2025"  # more known columns
    for register in (read(path, sheet="2024"), read_register(path, settings_from_dict({"sheet": "2025"}), sheet="2024"), read_register(path, settings_from_dict({"sheet": "2024"}))):
        assert register.sheet == "2024"
        assert list(register.raw["ref"]) == ["OLD1"]
    with pytest.raises(NoRegisterSheet, match="no sheet called 'Register'.*Guidance, 2024, 2025"):
        read(path, sheet="Register")
    with pytest.raises(NoRegisterSheet):
        read(path, sheet="Guidance")


def test_no_register_sheet_at_all(tmp_path):
    path = write_sheets(tmp_path / "r.xlsx", {"Guidance": GUIDANCE, "Budget": [["Cost centre", "Amount"], ["HDC01", 5000]]})
    with pytest.raises(NoRegisterSheet):
        read(path)


# --- rows: notes, totals, blanks, hidden, merged ------------------------------------------------

def test_notes_and_total_rows_below_the_table_are_skipped_and_counted(tmp_path):
    rows = [row(), row(ref="P002"), {},
            {"Ref": "Notes: contributions are as at 31 March 2025."},
            {"Ref": "Source: finance ledger", "Purpose": "see tab 3"},
            {"Partnership name": "Total", "Direct contribution (£ a year)": 10000, "Risk likelihood (1-5)": 4, "Risk impact (1-5)": 6},
            {"Partnership name": "Grand total", "Direct contribution (£ a year)": "=SUM(P2:P3)", "Ref": "", "Status": "n/a"},
            {"Partnership name": "TOTAL:", "Direct contribution (£ a year)": -1}]
    path = write_sheets(tmp_path / "r.xlsx", {"Register": grid(rows)})
    result = run_file(path)
    assert list(result.scores.index) == [2, 3]
    assert result.register.skipped_rows == [5, 6, 7, 8, 9]
    assert result.findings == []


def test_a_total_typed_in_the_ref_column_is_a_total_row(tmp_path):
    # officers often type "Total" in column A (Ref) and leave the name blank
    totals = {"Direct contribution (£ a year)": 10000, "Risk likelihood (1-5)": 4, "Risk impact (1-5)": 4, "Status": "Active"}
    rows = [row(), row(ref="P002"), {"Ref": "Total", **totals}, {"Ref": "Grand Total:", **totals}]
    path = write_sheets(tmp_path / "r.xlsx", {"Register": grid(rows)})
    result = run_file(path)
    assert list(result.scores.index) == [2, 3]
    assert result.register.skipped_rows == [4, 5]
    assert result.findings == []


def test_a_partnership_whose_ref_reads_total_but_has_a_name_is_kept(tmp_path):
    path = write_sheets(tmp_path / "r.xlsx", {"Register": grid([row(), row(ref="Total")])})
    assert list(run_file(path).scores.index) == [2, 3]


def test_fully_blank_rows_in_the_middle_are_skipped_and_later_rows_keep_their_numbers(tmp_path):
    rows = [row(), {}, {}, row(ref="P002"), {"Ref": "   ", "Notes": "\n"}, row(ref="P003", budgeted="perhaps")]
    path = write_sheets(tmp_path / "r.xlsx", {"Register": grid(rows)})
    result = run_file(path)
    assert list(result.scores.index) == [2, 5, 7]
    assert result.register.skipped_rows == []
    assert cells_with(result) == {f"{col_of('In existing budget')}7": {"DQ005"}}
    assert cell_value(path, "Register", f"{col_of('In existing budget')}7") == "perhaps"


def test_hidden_rows_and_columns_are_still_read(tmp_path):
    path = write_sheets(tmp_path / "r.xlsx", {"Register": grid([row(), row(ref="P002", end_date="31/13/2030"), row(ref="P003")])},
                        hidden_rows={"Register": [3]})
    book = openpyxl.load_workbook(path)
    book["Register"].column_dimensions[col_of("End date")].hidden = True
    book.save(path)
    result = run_file(path)
    assert list(result.scores.index) == [2, 3, 4]
    assert cells_with(result) == {f"{col_of('End date')}3": {"DQ003"}}


def test_merged_cells_in_data_rows_mean_their_value_for_every_row(tmp_path):
    rows = [row(), row(ref="P002", lead_officer=None, status=None), row(ref="P003", status=None)]
    officer, status = col_of("Lead officer"), col_of("Status")
    path = write_sheets(tmp_path / "r.xlsx", {"Register": grid(rows)}, merges={"Register": [f"{officer}2:{officer}3", f"{status}2:{status}4"]})
    result = run_file(path)
    assert list(result.register.raw["lead_officer"]) == ["Sarah Whitfield"] * 3
    assert list(result.register.raw["status"]) == ["Active"] * 3
    assert result.findings == []


def test_a_cell_merged_across_columns_does_not_break_the_read(tmp_path):
    rows = [row(), row(ref="P002", priority=None)]
    path = write_sheets(tmp_path / "r.xlsx", {"Register": grid(rows)}, merges={"Register": [f"{col_of('Purpose')}3:{col_of('Council priority')}3"]})
    result = run_file(path)
    assert list(result.scores.index) == [2, 3]
    assert {f.code for f in result.findings} <= {"PP401"}


def test_a_header_with_no_data_rows(tmp_path):
    for rows in ([], [{}, {}], [{"Ref": "No partnerships recorded yet"}]):
        path = write_sheets(tmp_path / "r.xlsx", {"Register": grid(rows, title=[["Partnership Register"]])})
        result = run_file(path)
        assert len(result.scores) == 0
        assert result.findings == []
        assert result.summary()["partnerships"] == 0


# --- values keep their cell ---------------------------------------------------------------------

def test_every_finding_points_at_the_cell_holding_the_offending_value(tmp_path):
    headers = HEADERS[:]
    random.Random(26).shuffle(headers)
    headers = headers[:5] + ["Budget code"] + headers[5:20] + ["Contact"] + headers[20:]
    bad = {
        "Last reviewed": "31/02/2025", "Direct contribution (£ a year)": "£5,000-£10,000", "Risk likelihood (1-5)": "High",
        "Status": "Dormant", "In existing budget": "maybe", "Approval date": "soon", "Risk impact (1-5)": 0, "Approved by": "Mayor",
        "Arrangement type": "Alliance", "Statutory": 2, "Opportunity impact (1-5)": 2.5, "End date": "26/02",
    }
    rows = []
    for i, (header, value) in enumerate(bad.items()):
        rows.append({**row(ref=f"P{i:03d}"), header: value, "Budget code": f"BC{i}"})
        if i % 3 == 0:
            rows.append({})
    title = [["Harborough District Council"], [None, None, "Partnership Register"], []]
    path = write_sheets(tmp_path / "r.xlsx", {"Guidance": GUIDANCE, "Register": grid(rows, headers, title=title)})
    result = run_file(path)
    found = [f for f in result.findings if f.code in ("DQ003", "DQ004", "DQ005")]
    assert len(found) == len(bad)
    book = openpyxl.load_workbook(path)
    for f in found:
        assert f.sheet == "Register"
        held = book["Register"][f.cell].value
        header = book["Register"][f"{re.match('[A-Z]+', f.cell).group()}{result.register.header_row}"].value
        assert bad[header] == held, (f.cell, header, held)
        assert f.field == FIELD_OF[header]
        assert f.row == int(re.search(r"\d+", f.cell).group())


# --- Excel error values and formulas ------------------------------------------------------------

def write_xlsxwriter(path: Path, rows: list[dict], headers: list[str] | None = None, extra=None) -> Path:
    """A register written with xlsxwriter; ``extra(workbook, worksheet, header_row_index)`` adds to it."""
    headers = headers or HEADERS
    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet("Register")
    dates = wb.add_format({"num_format": "dd/mm/yyyy"})
    ws.write_row(0, 0, headers)
    for r, values in enumerate(rows, 1):
        for c, h in enumerate(headers):
            v = values.get(h)
            if v is None:
                continue
            if isinstance(v, date):
                ws.write_datetime(r, c, v, dates)
            elif isinstance(v, str):
                ws.write_string(r, c, v)
            else:
                ws.write(r, c, v)
    if extra:
        extra(wb, ws)
    wb.close()
    return path


def test_excel_error_values_are_dq007_on_their_cell(tmp_path):
    headers = HEADERS + ["Officer RAG rating"]
    errors = {"Key risks": "#REF!", "Direct contribution (£ a year)": "#DIV/0!", "Last reviewed": "#N/A", "Status": "#VALUE!",
              "Partnership name": "#NAME?", "Risk impact (1-5)": "#NUM!", "Officer RAG rating": "#NULL!"}

    def put_errors(wb, ws):
        for i, (header, err) in enumerate(errors.items()):
            ws.write_formula(i + 1, headers.index(header), "=1/0", None, err)

    rows = [row(ref=f"P{i:03d}") for i in range(1, len(errors) + 1)]
    path = write_xlsxwriter(tmp_path / "r.xlsx", rows, headers, put_errors)
    result = run_file(path)
    expected = {f"{column_letter(headers.index(h) + 1)}{i + 2}": {"DQ007"} for i, h in enumerate(errors)}
    assert cells_with(result) == expected
    book = openpyxl.load_workbook(path)
    for f in result.findings:
        if f.code == "DQ007":
            assert str(book["Register"][f.cell].value).startswith("=")  # the formula that gave the error
            assert errors[book["Register"][f"{re.match('[A-Z]+', f.cell).group()}1"].value] in f.message
    # an error value is not a blank: no DQ002 for the name, no "never reviewed" for the review date
    assert not [f for f in result.findings if f.code in ("DQ002", "PP502")]


def test_excel_errors_typed_or_pasted_as_text_are_dq007_too(tmp_path):
    path = write_xlsxwriter(tmp_path / "r.xlsx", [row(), row(ref="P002", end_date="#N/A")])
    result = run_file(path)
    assert cells_with(result) == {f"{col_of('End date')}3": {"DQ007"}}


def test_a_formula_with_no_saved_result_is_dq008_on_its_cell(tmp_path):
    rows = [row(), row(ref="P002", last_review=F("=TODAY()"), direct_contribution=F("=SUM(1,2)"), name=F("=A2"))]
    path = write_sheets(tmp_path / "r.xlsx", {"Register": grid(rows)})
    result = run_file(path)
    assert cells_with(result) == {f"{col_of(h)}3": {"DQ008"} for h in ("Last reviewed", "Direct contribution (£ a year)", "Partnership name")}
    assert not [f for f in result.findings if f.code in ("DQ002", "PP502") and f.row == 3]
    assert isinstance(result.register.raw.at[3, "last_review"], NoCachedValue)


def test_a_row_of_unsaved_formulas_is_still_read(tmp_path):
    formulas = {h: F(f"=Sheet2!{col_of(h)}2") for h in HEADERS[:6]}
    path = write_sheets(tmp_path / "r.xlsx", {"Register": grid([row(), formulas])})
    register = read(path)
    assert list(register.raw.index) == [2, 3]
    assert all(isinstance(register.raw.at[3, FIELD_OF[h]], NoCachedValue) for h in formulas)


def test_formulas_with_saved_results_are_read_as_their_values(tmp_path):
    def put_formulas(wb, ws):
        ws.write_formula(1, HEADERS.index("Status"), '="Act"&"ive"', None, "Active")
        ws.write_formula(1, HEADERS.index("Direct contribution (£ a year)"), "=2500*2", None, 5000)
        ws.write_formula(1, HEADERS.index("Next review due"), '=IF(TRUE,"","")', None, "")

    path = write_xlsxwriter(tmp_path / "r.xlsx", [row(status=None, direct_contribution=None)], extra=put_formulas)
    # xlsxwriter saves an empty result as "recalculate me" (<v></v>, no type); Excel saves it as an empty string
    # (t="str" and <v/>): make the file say what Excel would.
    patched = tmp_path / "excel.xlsx"
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(patched, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                cell = f'r="{col_of("Next review due")}2"'.encode()
                data, n = re.subn(rb"<c " + re.escape(cell) + rb"([^>]*)><f>(.*?)</f><v></v></c>", rb'<c ' + cell + rb'\1 t="str"><f>\2</f><v/></c>', data)
                assert n == 1
            dst.writestr(info, data)
    result = run_file(patched)
    assert result.findings == []
    assert result.register.raw.at[2, "status"] == "Active"
    assert result.register.raw.at[2, "direct_contribution"] == 5000


def test_cells_written_with_a_namespace_prefix_are_scanned_too(tmp_path):
    def put_error(wb, ws):
        ws.write_formula(1, HEADERS.index("Key risks"), "=1/0", None, "#DIV/0!")

    path = write_xlsxwriter(tmp_path / "r.xlsx", [row()], extra=put_error)
    prefixed = tmp_path / "sdk.xlsx"  # as the Open XML SDK writes sheets: <x:c>, <x:f>, <x:v>
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(prefixed, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                data = data.replace(b"<worksheet xmlns=", b"<x:worksheet xmlns:x=").replace(b"</worksheet>", b"</x:worksheet>")
                data = re.sub(rb"<(/?)(dimension|sheetViews|sheetView|selection|sheetFormatPr|cols|col|sheetData|row|c|f|v|pageMargins)\b", rb"<\1x:\2", data)
            dst.writestr(info, data)
    result = run_file(prefixed)
    assert cells_with(result) == {f"{col_of('Key risks')}2": {"DQ007"}}


# --- size: a sheet formatted to its last row -----------------------------------------------------

def test_a_sheet_formatted_to_row_1048576_reads_like_its_used_rows(tmp_path):
    rows = [row(ref=f"P{i:03d}") for i in range(1, 41)]
    plain = write_xlsxwriter(tmp_path / "plain.xlsx", rows)

    def format_everything(wb, ws):
        fill = wb.add_format({"bg_color": "#FFF2CC", "border": 1})
        ws.set_column(0, len(HEADERS) - 1, 18, fill)
        for r in (1000, 65535, 500000, 1048575):
            ws.set_row(r, 15, fill)
        ws.write_blank(1048575, 5, None, fill)
        ws.write_blank(1048575, len(HEADERS) + 3, None, fill)
        ws.write_blank(999999, 0, None, fill)

    formatted = write_xlsxwriter(tmp_path / "formatted.xlsx", rows, extra=format_everything)
    book = openpyxl.load_workbook(plain)  # and as openpyxl saves formatting far down
    book["Register"].cell(1048576, 3).fill = PatternFill("solid", fgColor="FFFF00")
    book.save(tmp_path / "openpyxl.xlsx")

    expected = read(plain)
    for path in (formatted, tmp_path / "openpyxl.xlsx"):
        start = time.perf_counter()
        register = read(path)
        elapsed = time.perf_counter() - start
        assert register.raw.equals(expected.raw)
        assert register.skipped_rows == [] and register.unknown == {}
        assert elapsed < 3, f"{path.name} took {elapsed:.1f}s"


# --- other formats ------------------------------------------------------------------------------

def test_an_ods_register(tmp_path):
    pytest.importorskip("odf", reason="no .ods writer (odfpy) installed")
    import pandas as pd

    path = tmp_path / "r.ods"
    frame = pd.DataFrame([row(), row(ref="P002", status="Dormant")], columns=HEADERS)
    frame.to_excel(path, engine="odf", index=False, sheet_name="Register")
    result = check(path, Settings(), AS_OF)
    assert cells_with(result) == {f"{col_of('Status')}3": {"DQ005"}}


LEGACY_XLS = Path(__file__).parent / "data" / "bad" / "legacy.xls"  # made by scripts/make_bad_corpus.py


def test_an_xls_register():
    result = check(LEGACY_XLS, Settings(), AS_OF)
    assert result.register.kind == "xls"
    assert [(f.code, f.cell) for f in result.findings] == [("PP501", "Q2"), ("PP801", "F3"), ("PP301", "G3"), ("PP501", "Q3")]


@pytest.mark.parametrize("source, misnamed", [("xls", "Register.xlsx"), ("xlsx", "Register.xls"), ("xlsx", "Register.ods")])
def test_a_workbook_under_the_wrong_extension_is_read_by_its_content(tmp_path, source, misnamed):
    # officers rename files: an .xls saved as "Register.xlsx" is still an .xls, and is read as one
    if source == "xls":
        original = LEGACY_XLS
    else:
        original = write_register(tmp_path / "good.xlsx", [row(), row(ref="P002", status="Dormant")])
    path = tmp_path / misnamed
    path.write_bytes(original.read_bytes())
    assert [(f.code, f.cell) for f in check(path, Settings(), AS_OF).findings] == [(f.code, f.cell) for f in check(original, Settings(), AS_OF).findings]


# --- property-based: random header layouts ------------------------------------------------------

def _legal(s: str) -> str:
    return ILLEGAL_CHARACTERS_RE.sub("", s)


SPELLINGS = {h: [h, *fields_by_name()[FIELD_OF[h]].aliases] for h in HEADERS}
TYPING = st.sampled_from([
    lambda s: s, str.upper, str.lower, str.title, lambda s: f"  {s} ", lambda s: s.replace(" ", "  "), lambda s: s.replace(" ", "_"),
    lambda s: s + ":", lambda s: s + ".", lambda s: s + " (£)", lambda s: s + " (see Guidance)", lambda s: s + " £", lambda s: s.replace(" ", " - "),
])
_KNOWN = alias_index()
EXTRA_HEADERS = st.text(min_size=1, max_size=40).map(_legal).filter(
    lambda t: t.strip() and header_key(t) not in _KNOWN and not t.strip().endswith("(partnership-xl)") and not re.search(r"_x[0-9A-Fa-f]{4}_", t))


@st.composite
def layouts(draw):
    """A register layout: spelt headers in a random order, extra columns, title rows, blank rows."""
    headers = [draw(TYPING)(draw(st.sampled_from(SPELLINGS[h]))) for h in HEADERS]
    order = draw(st.permutations(range(len(HEADERS))))
    extras = draw(st.lists(EXTRA_HEADERS, max_size=4))
    columns = [(HEADERS[i], headers[i]) for i in order]
    for text in extras:
        columns.insert(draw(st.integers(0, len(columns))), (None, text))
    title_rows = draw(st.integers(0, HEADER_SEARCH_ROWS - 1))
    blank_after = draw(st.sets(st.integers(0, 2), max_size=2))
    return columns, title_rows, sorted(blank_after)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(layout=layouts())
def test_any_header_layout_reads_every_field_and_keeps_every_cell(layout):
    columns, title_rows, blank_after = layout
    bad = [row(ref="P001"), row(ref="P002", last_review="31/02/2025", status="Dormant"), row(ref="P003", direct_contribution="lots")]
    sheet: list[list] = [["Partnership Register"] if i == 0 else [] for i in range(title_rows)]
    sheet.append([text for _, text in columns])
    data_rows: list[int] = []
    for i, r in enumerate(bad):
        sheet.append([r.get(h) if h else f"extra {i}" for h, _ in columns])
        data_rows.append(len(sheet))
        if i in blank_after:
            sheet.append([])
    with tempfile.TemporaryDirectory() as tmp:
        path = write_sheets(Path(tmp) / "r.xlsx", {"Register": sheet})
        result = run_file(path)
        held = {f.cell: cell_value(path, "Register", f.cell) for f in result.findings if f.code in VALUE_CODES}
    header_row = title_rows + 1
    assert result.register.header_row == header_row
    assert result.register.columns == {FIELD_OF[h]: c for c, (h, _) in enumerate(columns, 1) if h}
    assert list(result.scores.index) == data_rows
    extra_cells = {f"{column_letter(c)}{header_row}" for c, (h, _) in enumerate(columns, 1) if h is None}
    assert {f.cell for f in result.findings if f.code == "DQ009"} == extra_cells
    col = {h: column_letter(c) for c, (h, _) in enumerate(columns, 1) if h}
    assert cells_with(result) == {f"{col['Last reviewed']}{data_rows[1]}": {"DQ003"}, f"{col['Status']}{data_rows[1]}": {"DQ005"},
                                  f"{col['Direct contribution (£ a year)']}{data_rows[2]}": {"DQ004"}}
    assert held == {f"{col['Last reviewed']}{data_rows[1]}": "31/02/2025", f"{col['Status']}{data_rows[1]}": "Dormant",
                    f"{col['Direct contribution (£ a year)']}{data_rows[2]}": "lots"}
    assert {f.code for f in result.findings} == {"DQ003", "DQ004", "DQ005"} | ({"DQ009"} if extra_cells else set())


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(values=st.lists(st.one_of(
    st.text(max_size=200).map(_legal).filter(lambda s: not re.search(r"_x[0-9A-Fa-f]{4}_", s)),
    st.floats(allow_nan=False, allow_infinity=False, min_value=-1e300, max_value=1e300),
    st.booleans(), st.dates(min_value=date(1900, 1, 1)), st.none(),
), min_size=len(HEADERS), max_size=len(HEADERS)))
def test_any_row_of_values_reads_without_error_and_keeps_its_values(values):
    r = {**dict(zip(HEADERS, values, strict=True)), "Ref": "P001", "Partnership name": "Anything Partnership"}
    with tempfile.TemporaryDirectory() as tmp:
        path = write_register(Path(tmp) / "r.xlsx", [r])
        result = run_file(path)  # never raises
        book = openpyxl.load_workbook(path)
    assert list(result.scores.index) == [2]
    for f in result.findings:
        if f.code in ("DQ003", "DQ004", "DQ005"):
            header = book["Register"][f"{re.match('[A-Z]+', f.cell).group()}1"].value
            assert f.cell == f"{col_of(header)}2"
            assert same(book["Register"][f.cell].value, r[header])


def test_a_damaged_sheet_is_named_rather_than_no_register_found(tmp_path):
    # a package missing its shared strings: every sheet is unreadable, which is damage, not "no register"
    from partnership_xl.errors import NotAWorkbook

    good = Path(__file__).parent.parent / "sample_register.xlsx"
    damaged = tmp_path / "Register.xlsx"
    with zipfile.ZipFile(good) as src, zipfile.ZipFile(damaged, "w") as dst:
        for info in src.infolist():
            if info.filename != "xl/sharedStrings.xml":
                dst.writestr(info, src.read(info))
    with pytest.raises(NotAWorkbook, match="cannot be read"):
        read(damaged)
