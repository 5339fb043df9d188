"""The annotated copy (SPEC §7, issue 3): marks, notes, added columns and sheets, idempotency, safety."""

from __future__ import annotations

import hashlib
import re
import zipfile
from datetime import date
from pathlib import Path

import openpyxl
import pytest
from openpyxl.xml.functions import tostring

from partnership_xl.annotate import write_annotated
from partnership_xl.annotate.marks import BAND_FILLS, SEVERITY_FILLS
from partnership_xl.annotate.sheets import FINDINGS_HEADERS, SUMMARY_TITLE, is_tool_sheet_row
from partnership_xl.config import Settings
from partnership_xl.engine import check
from partnership_xl.errors import OutputError
from partnership_xl.findings import CATALOGUE
from partnership_xl.model import TOOL_COLUMNS, finding_dicts, tool_header
from partnership_xl.workbook.notes import NOTE_AUTHOR, NOTE_MARKER
from partnership_xl.workbook.package import Package
from partnership_xl.workbook.patch import Patcher

from ..conftest import AS_OF, CLEAN, row, write_register
from .workbooks import HEADER_ROW, OFFICER_FILL, OFFICER_NOTE, rich_register, write_ods


@pytest.fixture
def annotated(tmp_path):
    """(register path, CheckResult, copy path, losses) for the rich register."""
    register = rich_register(tmp_path / "register.xlsx")
    result = check(register, Settings(), AS_OF)
    out = tmp_path / "register - checked.xlsx"
    losses = write_annotated(result, out)
    return register, result, out, losses


def style_of(cell) -> tuple:
    return tuple(tostring(getattr(cell, k).to_tree()) for k in ("font", "fill", "border", "alignment")) + (cell.number_format,)


def fill_of(cell) -> str:
    return cell.fill.fgColor.rgb if cell.fill.fill_type == "solid" else ""


def test_each_flagged_cell_is_filled_by_its_worst_severity(annotated):
    _, result, out, _ = annotated
    ws = openpyxl.load_workbook(out)["Register"]
    worst: dict[str, int] = {}
    for f in result.findings:
        worst[f.cell] = min(worst.get(f.cell, 9), f.severity.rank)
    assert {"error", "warning", "info"} <= {f.severity.value for f in result.findings}
    for cell, rank in worst.items():
        severity = ("error", "warning", "info")[rank]
        assert fill_of(ws[cell]) == SEVERITY_FILLS[severity], cell


def test_each_note_lists_code_message_and_policy_and_fits_its_text(annotated):
    _, result, out, _ = annotated
    ws = openpyxl.load_workbook(out)["Register"]
    for f in result.findings:
        text = ws[f.cell].comment.text
        assert f.code in text and f.message in text and CATALOGUE[f.code].policy_text in text
    note = ws[result.findings[0].cell].comment
    assert note.author == NOTE_AUTHOR and note.text.startswith(NOTE_MARKER)
    with zipfile.ZipFile(out) as z:  # openpyxl does not read note sizes back: look at the drawing
        vml = "".join(z.read(n).decode() for n in z.namelist() if n.endswith(".vml"))
    sizes = [(int(w), int(h)) for w, h in re.findall(r"width:(\d+)px;height:(\d+)px", vml)]
    # one box of the tool's for each flagged cell without an officer's note (H5 keeps the officer's box)
    assert len(sizes) == len({f.cell for f in result.findings} - {"H5"})
    assert all(w >= 240 and h >= 38 for w, h in sizes)


def test_an_officers_note_is_kept_with_ours_after_it(annotated):
    _, _, out, _ = annotated
    cell = openpyxl.load_workbook(out)["Register"]["H5"]  # PP801 on the officer's noted, yellow cell
    officer, _, ours = cell.comment.text.partition("\n\n" + NOTE_MARKER + "\n")
    assert officer == OFFICER_NOTE and ours.startswith("ERROR PP801")
    assert cell.comment.author == "Jo Bloggs"
    assert fill_of(cell) == SEVERITY_FILLS["error"]


def test_unflagged_cells_keep_their_notes_and_fills(annotated):
    register, _, out, _ = annotated
    before, after = openpyxl.load_workbook(register)["Register"], openpyxl.load_workbook(out)["Register"]
    assert after["E4"].comment.text == before["E4"].comment.text and NOTE_MARKER not in after["E4"].comment.text
    for cell in ("A3", "B4", "P4"):
        assert style_of(after[cell]) == style_of(before[cell])


def test_the_added_columns_follow_the_last_column_with_scores(annotated):
    _, result, out, _ = annotated
    ws = openpyxl.load_workbook(out)["Register"]
    first = result.register.last_column + 1
    headers = [ws.cell(HEADER_ROW, c).value for c in range(first, first + 5)]
    assert headers == [tool_header(n) for n in TOOL_COLUMNS]
    assert ws.cell(HEADER_ROW, first + 5).value is None
    assert ws.cell(HEADER_ROW, first).font.b and fill_of(ws.cell(HEADER_ROW, first))
    for excel_row, s in result.scores.iterrows():
        values = [ws.cell(excel_row, c).value for c in range(first, first + 5)]
        assert values[0] == (None if s["risk_score"] is None or s["risk_score"] != s["risk_score"] else int(s["risk_score"]))
        assert values[2:4] == [s["risk_band"], s["rag"]] and (values[4] or "") == s["codes"]
        assert fill_of(ws.cell(excel_row, first + 3)) == BAND_FILLS[s["rag"]]
    original_filter = openpyxl.load_workbook(annotated[0])["Register"].auto_filter.ref
    assert ws.auto_filter.ref == f"A{HEADER_ROW}:{openpyxl.utils.get_column_letter(first + 4)}{original_filter.split(':')[1][2:]}"
    assert ws.freeze_panes == f"C{HEADER_ROW + 1}"


def test_the_findings_sheet_has_a_row_and_a_link_for_each_finding(annotated):
    _, result, out, _ = annotated
    ws = openpyxl.load_workbook(out)["Findings"]
    assert tuple(c.value for c in ws[1]) == FINDINGS_HEADERS
    assert ws.max_row == len(result.findings) + 1
    assert ws.freeze_panes == "A2" and ws.auto_filter.ref == f"A1:J{len(result.findings) + 1}"
    headings = {**result.register.unknown, **result.register.headers}
    for r, f in enumerate(result.findings, 2):
        ref, _, officer, area, heading, cell, code, severity, message, policy = (c.value for c in ws[r])
        assert (code, severity, ref or "", cell, message) == (f.code, f.severity.value, f.ref, f.cell, f.message)
        assert heading == headings.get(openpyxl.utils.cell.coordinate_to_tuple(f.cell)[1])
        assert policy == CATALOGUE[f.code].policy_text
        link = ws.cell(r, 6).hyperlink
        assert link.location == f"'Register'!{f.cell}" and not link.target
    officers = {c.value for c in ws["C"][1:]}
    assert "Jo Bloggs" in officers or len(officers - {None}) >= 1


def test_the_added_sheets_print_on_a4_landscape_one_page_wide_with_the_header_repeated(annotated):
    _, _, out, _ = annotated
    wb = openpyxl.load_workbook(out)
    for name in ("Findings", "Summary"):
        ws = wb[name]
        assert ws.page_setup.paperSize == 9 and ws.page_setup.orientation == "landscape"
        assert ws.page_setup.fitToWidth == 1 and ws.page_setup.fitToHeight == 0 and ws.sheet_properties.pageSetUpPr.fitToPage
    assert wb["Findings"].print_title_rows == "$1:$1"


def test_register_text_that_looks_like_a_formula_stays_text(annotated):
    _, result, out, _ = annotated
    wb = openpyxl.load_workbook(out)
    names = [c for c in wb["Findings"]["B"] if isinstance(c.value, str) and c.value.startswith("=")]
    assert names and all(c.data_type == "s" for c in names)
    assert wb["Register"]["B6"].data_type == "s" and wb["Register"]["B6"].value.startswith("=HYPERLINK")


def test_text_that_reads_as_a_formula_or_an_error_value_is_written_as_text(tmp_path):
    from partnership_xl.workbook.newsheet import NewSheet

    path = write_register(tmp_path / "r.xlsx", [row(name="=1+1", lead_officer=None)])
    write_annotated(check(path, Settings(), AS_OF), tmp_path / "out.xlsx")
    ws = openpyxl.load_workbook(tmp_path / "out.xlsx")["Findings"]
    assert {(c.value, c.data_type) for c in ws["B"][1:]} == {("=1+1", "s")}
    sheet = NewSheet()
    for column, text in enumerate(("#N/A", "=SUM(A1)", "@x", "", "bell\x07"), 1):
        sheet.put(1, column, text)
    book = openpyxl.Workbook()
    book.save(tmp_path / "texts.xlsx")
    package = Package.read(tmp_path / "texts.xlsx")
    package.set("xl/worksheets/sheet1.xml", sheet.xml())
    package.write(tmp_path / "texts.xlsx")
    cells = openpyxl.load_workbook(tmp_path / "texts.xlsx").active[1]
    assert [(c.value, c.data_type) for c in cells] == [("#N/A", "s"), ("=SUM(A1)", "s"), ("@x", "s"), (None, "n"), ("bell", "s")]


def test_the_summary_sheet(annotated):
    _, result, out, losses = annotated
    ws = openpyxl.load_workbook(out)["Summary"]
    assert ws["A1"].value == SUMMARY_TITLE and losses == []
    rows = {r[0]: r[1:] for r in ws.iter_rows(values_only=True) if r and r[0] is not None}
    assert rows["Register file"][0] == "register.xlsx"
    assert rows["As of"][0].date() == AS_OF
    assert rows["Error"][0] == result.counts["error"] and rows["Info"][0] == result.counts["info"]
    assert rows["Red"][0] == result.summary()["red"]
    assert rows["DQ006"][:4] == ("error", CATALOGUE["DQ006"].policy_text, CATALOGUE["DQ006"].finding, 2)
    assert rows["review_interval_months"][0] == 12
    texts = [c.value for c in ws["B"] if isinstance(c.value, str)]
    assert any(t.startswith("Nothing") for t in texts)


def test_rules_not_checked_are_on_the_summary(tmp_path):
    path = write_register(tmp_path / "r.xlsx", [row()], headers=[h for h in CLEAN if h != "Council priority"])
    result = check(path, Settings(), AS_OF)
    write_annotated(result, tmp_path / "out.xlsx")
    rows = [r for r in openpyxl.load_workbook(tmp_path / "out.xlsx")["Summary"].iter_rows(values_only=True)]
    assert ("PP401", result.not_checked["PP401"], None, CATALOGUE["PP401"].finding) in [r[:4] for r in rows]


def test_officers_own_findings_and_summary_sheets_are_kept(tmp_path):
    register = rich_register(tmp_path / "register.xlsx", extra_sheets=("Findings", "Summary"))
    result = check(register, Settings(), AS_OF)
    out = tmp_path / "out.xlsx"
    write_annotated(result, out)
    wb = openpyxl.load_workbook(out)
    assert wb["Findings"]["A1"].value == "The officer's own Findings sheet"
    assert wb["Summary"]["A1"].value == "The officer's own Summary sheet"
    assert wb["Findings (partnership-xl)"]["A1"].value == FINDINGS_HEADERS[0]
    assert wb["Summary (partnership-xl)"]["A1"].value == SUMMARY_TITLE
    write_annotated(check(out, Settings(), AS_OF), tmp_path / "again.xlsx")
    assert openpyxl.load_workbook(tmp_path / "again.xlsx").sheetnames == wb.sheetnames


def snapshot(path: Path) -> dict:
    """Everything the tool writes, per sheet: values, fills, notes, widths, filters, hidden state."""
    wb = openpyxl.load_workbook(path)
    out = {"sheets": [(ws.title, ws.sheet_state) for ws in wb._sheets]}
    for ws in wb.worksheets:
        out[ws.title] = {
            "cells": {c.coordinate: (c.value, c.data_type, fill_of(c), c.comment.text if c.comment else None,
                                     c.comment.author if c.comment else None)
                      for r in ws.iter_rows() for c in r if c.value is not None or c.comment or c.has_style},
            "filter": ws.auto_filter.ref, "freeze": ws.freeze_panes, "max_column": ws.max_column,
            "widths": {k: d.width for k, d in ws.column_dimensions.items()},
        }
    return out


def test_checking_the_copy_again_gives_the_same_findings_and_the_same_copy(annotated, tmp_path):
    _, result, out, _ = annotated
    again = check(out, Settings(), AS_OF)
    assert finding_dicts(again.findings) == finding_dicts(result.findings)
    assert again.register.sheet == "Register" and again.register.last_column == result.register.last_column
    second = tmp_path / "second.xlsx"
    write_annotated(again, second)
    first, then = snapshot(out), snapshot(second)
    assert first["Summary"]["cells"]["B3"][0] == "register.xlsx"  # the register the copy was made from, both times
    assert then == first
    note = openpyxl.load_workbook(second)["Register"]["H5"].comment.text
    assert note.count(OFFICER_NOTE) == 1 and note.count(NOTE_MARKER) == 1


def test_fixed_problems_give_the_officer_back_their_fill_and_note(annotated, tmp_path):
    _, _, out, _ = annotated
    # the officer fills in the lead officer in the copy (and Excel keeps everything else, the record too)
    package = Package.read(out)
    part = "xl/worksheets/sheet2.xml"  # the Register sheet
    xml = package.get(part)
    cell = re.search(rb'<c r="H5"( s="[0-9]+")?[^>]*?(/>|>.*?</c>)', xml, re.S)
    package.set(part, xml[:cell.start()] + b'<c r="H5"' + (cell.group(1) or b"") + b' t="inlineStr"><is><t>Sam Jones</t></is></c>'
                + xml[cell.end():])
    package.write(tmp_path / "edited.xlsx")
    result = check(tmp_path / "edited.xlsx", Settings(), AS_OF)
    assert "H5" not in {f.cell for f in result.findings}
    write_annotated(result, tmp_path / "again.xlsx")
    cell = openpyxl.load_workbook(tmp_path / "again.xlsx")["Register"]["H5"]
    assert fill_of(cell) == OFFICER_FILL
    assert cell.comment.text == OFFICER_NOTE and cell.comment.author == "Jo Bloggs"


def test_unmark_takes_out_everything_the_tool_added(annotated):
    register, result, out, _ = annotated
    package = Package.read(out)
    Patcher(package, "Register", SEVERITY_FILLS).unmark(HEADER_ROW, is_tool_sheet_row)
    package.write(out.with_name("unmarked.xlsx"))
    original, copy = openpyxl.load_workbook(register), openpyxl.load_workbook(out.with_name("unmarked.xlsx"))
    assert copy.sheetnames == original.sheetnames
    ws, before = copy["Register"], original["Register"]
    for r in before.iter_rows():
        for c in r:
            assert (ws[c.coordinate].value, style_of(ws[c.coordinate])) == (c.value, style_of(c)), c.coordinate
            assert (ws[c.coordinate].comment.text if ws[c.coordinate].comment else None) == (c.comment.text if c.comment else None)
    assert ws.max_column == before.max_column
    assert ws.auto_filter.ref == before.auto_filter.ref
    with zipfile.ZipFile(register) as a, zipfile.ZipFile(out.with_name("unmarked.xlsx")) as b:
        assert [n for n in b.namelist() if n not in a.namelist()] == []  # the record, sheets and notes parts are gone


def test_without_its_record_the_tool_still_finds_its_marks(annotated, tmp_path):
    _, _, out, _ = annotated
    package = Package.read(out)
    from partnership_xl.workbook import record

    found = record.find(package, "xl/workbook.xml")
    record.remove(package, "xl/workbook.xml", found)  # e.g. a program that drops custom XML parts
    package.write(tmp_path / "no-record.xlsx")
    write_annotated(check(tmp_path / "no-record.xlsx", Settings(), AS_OF), tmp_path / "again.xlsx")
    again = openpyxl.load_workbook(tmp_path / "again.xlsx")
    assert again.sheetnames == openpyxl.load_workbook(out).sheetnames
    assert again["Register"]["H5"].comment.text.count(NOTE_MARKER) == 1
    assert again["Register"].max_column == openpyxl.load_workbook(out)["Register"].max_column


def test_the_register_is_never_written(annotated):
    register, result, out, _ = annotated
    digest, mtime = hashlib.sha256(register.read_bytes()).hexdigest(), register.stat().st_mtime_ns
    write_annotated(result, out)
    assert hashlib.sha256(register.read_bytes()).hexdigest() == digest and register.stat().st_mtime_ns == mtime


def test_the_register_itself_is_refused_as_the_output(annotated):
    register, result, _, _ = annotated
    digest = hashlib.sha256(register.read_bytes()).hexdigest()
    with pytest.raises(OutputError, match="register itself"):
        write_annotated(result, register)
    assert hashlib.sha256(register.read_bytes()).hexdigest() == digest
    assert not list(register.parent.glob("~pxl-*"))


def test_an_ods_register_gets_a_values_copy_with_the_same_marks(tmp_path):
    headers = list(CLEAN)
    rows = [headers] + [[v for v in row(ref=f"P{i}", lead_officer=None if i == 2 else "Sam").values()] for i in (1, 2)]
    path = write_ods(tmp_path / "register.ods", {"Guidance": [["Keep it up to date"]], "Register": rows})
    result = check(path, Settings(), AS_OF)
    out = tmp_path / "register - checked.xlsx"
    losses = write_annotated(result, out)
    assert len(losses) == 1 and ".ods" in losses[0] and "values only" in losses[0]
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames[:2] == ["Guidance", "Register"] and {"Findings", "Summary"} <= set(wb.sheetnames)
    ws = wb["Register"]
    assert [c.value for c in ws[1]][: len(headers)] == headers
    assert ws["A3"].value == "P2" and ws["B3"].value == CLEAN["Partnership name"]
    assert ws["T3"].is_date and ws["T3"].value.date() == date(2025, 3, 1)
    assert fill_of(ws["H3"]) == SEVERITY_FILLS["error"] and "PP801" in ws["H3"].comment.text
    assert ws.cell(1, len(headers) + 1).value == tool_header("Risk score")
    assert losses[0] in [c.value for c in wb["Summary"]["B"]]


def test_officers_cells_right_of_the_table_survive_checking_the_copy_again(tmp_path):
    """A value in a notes row or a title row right of the register, or a merged block reaching past
    its last column, is the officer's: the tool's columns go after it, and a second check (which
    empties the tool's columns) leaves it, and the title rows above the header, alone."""
    register = write_register(tmp_path / "register.xlsx", [row(ref="P001"), row(ref="P002")], title_rows=2)
    wb = openpyxl.load_workbook(register)
    ws = wb.active
    last = ws.max_column
    letter = openpyxl.utils.get_column_letter
    ws.cell(1, last + 1, "Title note right of the table")
    ws.cell(8, last + 2, "=1+2")  # a notes row below the table, right of its last column
    ws.merge_cells(f"{letter(last)}4:{letter(last + 3)}4")  # a partnership row's merged block
    wb.save(register)
    first = tmp_path / "first.xlsx"
    write_annotated(check(register, Settings(), AS_OF), first)
    second = tmp_path / "second.xlsx"
    write_annotated(check(first, Settings(), AS_OF), second)
    for path in (first, second):
        ws = openpyxl.load_workbook(path).active
        assert ws.cell(1, last + 1).value == "Title note right of the table"
        assert ws.cell(8, last + 2).value == "=1+2"
        assert ws.cell(3, last + 3).value is None and ws.cell(3, last + 4).value == tool_header(TOOL_COLUMNS[0])
        assert f"{letter(last)}4:{letter(last + 3)}4" in {str(r) for r in ws.merged_cells.ranges}


def test_a_workbook_openpyxl_cannot_open_still_gets_a_values_copy_that_says_so(tmp_path):
    """calamine reads a workbook with no styles part; openpyxl fails on it (IndexError): that was a
    code 2 'something unexpected' after the whole check; now the copy holds the values and says why."""
    register = write_register(tmp_path / "register.xlsx", [row(ref="P001"), row(ref="P002", lead_officer=None)])
    with zipfile.ZipFile(register) as z:
        parts = {i.filename: z.read(i) for i in z.infolist() if i.filename != "xl/styles.xml"}
    broken = tmp_path / "no styles.xlsx"
    with zipfile.ZipFile(broken, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in parts.items():
            z.writestr(name, data)
    result = check(broken, Settings(), AS_OF)
    out = tmp_path / "copy.xlsx"
    losses = write_annotated(result, out)
    assert losses == []  # the patcher adds the styles part a workbook needs
    wb = openpyxl.load_workbook(out)
    ws = wb[result.register.sheet]
    flagged = next(f for f in result.findings if f.code == "PP801")
    assert ws[flagged.cell].comment is not None and "PP801" in ws[flagged.cell].comment.text
    assert ws["A2"].value == "P001" and {"Findings", "Summary"} <= set(wb.sheetnames)


@pytest.mark.parametrize("name", ["Partnership Register", "register.xlsx.bak"])
def test_a_register_whose_name_openpyxl_does_not_know_gets_a_full_copy(tmp_path, name):
    """openpyxl goes by the file name ("does not support  file format"): that was a code 2 after the check."""
    register = rich_register(tmp_path / "register.xlsx")
    renamed = register.rename(tmp_path / name)
    result = check(renamed, Settings(), AS_OF)
    out = tmp_path / "copy.xlsx"
    losses = write_annotated(result, out)
    assert not any("values only" in loss for loss in losses)
    ws = openpyxl.load_workbook(out)["Register"]
    assert ws["H5"].comment is not None and OFFICER_NOTE in ws["H5"].comment.text


def test_a_control_character_quoted_in_a_note_does_not_break_the_copy(tmp_path):
    """A finding quotes the cell ('26/02/20\\x1f15' is not a date): the note held the raw control
    character, which XML cannot, so the copy's notes part was not well-formed (Excel repairs it away)."""
    import xlsxwriter

    register = tmp_path / "register.xlsx"
    book = xlsxwriter.Workbook(register, {"strings_to_formulas": False, "strings_to_urls": False})
    sheet = book.add_worksheet("Register")
    values = row(start_date="26/02/20\x1f15")
    sheet.write_row(0, 0, list(values))
    for c, value in enumerate(values.values()):
        if value is not None:
            sheet.write(1, c, value)
    book.close()
    result = check(register, Settings(), AS_OF)
    finding = next(f for f in result.findings if f.code == "DQ003")
    out = tmp_path / "copy.xlsx"
    write_annotated(result, out)
    with zipfile.ZipFile(out) as z:
        for name in z.namelist():
            if name.endswith(".xml"):
                assert not re.search(rb"[\x00-\x08\x0b\x0c\x0e-\x1f]", z.read(name)), name
    note = openpyxl.load_workbook(out)["Register"][finding.cell].comment.text
    assert "DQ003" in note and "26/02/2015" in note


def test_a_stray_value_near_the_last_column_does_not_push_the_added_columns_past_xfd(tmp_path):
    """A value in XFB of a partnership row left no room after it: the columns went to XFE:XFI,
    beyond Excel's last column XFD, which Excel cannot open. They now take the first free columns."""
    register = write_register(tmp_path / "register.xlsx", [row(ref="P001"), row(ref="P002")])
    wb = openpyxl.load_workbook(register)
    last = wb.active.max_column
    wb.active["XFB2"] = "stray"
    wb.save(register)
    for path in (tmp_path / "first.xlsx", tmp_path / "second.xlsx"):
        write_annotated(check(register, Settings(), AS_OF), path)
        ws = openpyxl.load_workbook(path).active
        assert [ws.cell(1, c).value for c in range(last + 1, last + 6)] == [tool_header(n) for n in TOOL_COLUMNS]
        assert ws["XFB2"].value == "stray" and ws.max_column == 16_382
        register = path
