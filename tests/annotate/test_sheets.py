"""annotate/sheets.py: the Findings and Summary sheets the copy adds. One row a finding in register order,
linked to its cell; the Summary's counts are the check's; register text stays text; and both sheets
carry the signature that lets a later check find and replace them."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date

import pytest
from lxml import etree

from partnership_xl.annotate.marks import SEVERITY_FILLS
from partnership_xl.annotate.sheets import FINDINGS_HEADERS, SUMMARY_TITLE, findings_sheet, is_tool_sheet_row, summary_sheet
from partnership_xl.config import Settings
from partnership_xl.engine import check
from partnership_xl.findings import sort_key
from partnership_xl.workbook.package import Package
from partnership_xl.workbook.styles import StyleBook
from tests.conftest import AS_OF, CLEAN, row, write_register
from tests.workbook.parts import MAIN, book, zipped

SHEET = "Bob's Register"


def m(tag: str) -> str:
    return f"{{{MAIN}}}{tag}"


@pytest.fixture(scope="module")
def checked(tmp_path_factory):
    path = tmp_path_factory.mktemp("sheets") / "register.xlsx"
    rows = [row(ref="P001"), row(ref="P002", name='=HYPERLINK("http://evil","x")', lead_officer=None, last_review=date(2024, 1, 1)),
            row(ref="P003", status="Dormant", lead_officer=None, priority=None, service_area="Finance")]
    return check(write_register(path, rows, [*CLEAN, "Mystery heading"], sheet=SHEET), Settings(), AS_OF)


@pytest.fixture
def styles() -> StyleBook:
    return StyleBook(Package.read(zipped(book())), "xl/workbook.xml")


def grid(sheet) -> tuple[etree._Element, dict[tuple[int, int], object], dict[tuple[int, int], int]]:
    """The sheet's XML, its values by (row, col) and its cells' styles."""
    root = etree.fromstring(sheet.xml())
    values, styles = {}, {}
    for c in root.iter(m("c")):
        letters, number = re.fullmatch(r"([A-Z]+)(\d+)", c.get("r")).groups()
        key = (int(number), sum((ord(ch) - 64) * 26 ** i for i, ch in enumerate(reversed(letters))))
        styles[key] = int(c.get("s", "0"))
        if c.get("t") == "inlineStr":
            values[key] = "".join(t.text or "" for t in c.iter(m("t")))
        elif c.find(m("v")) is not None:
            values[key] = float(c.find(m("v")).text)
    return root, values, styles


def row_values(values: dict, r: int) -> list:
    return [values.get((r, c)) for c in range(1, 1 + max(col for (rr, col) in values if rr == r))]


@pytest.mark.parametrize(("first_row", "is_ours"), [
    ([SUMMARY_TITLE], True),
    ([SUMMARY_TITLE, None, "anything"], True),
    (list(FINDINGS_HEADERS), True),
    (["Code", "Severity", "Ref", "Partnership", "Field", "Cell", "Message", "Policy clause"], True),  # copies made before the new columns
    ([*FINDINGS_HEADERS, "My own column"], False),
    (list(FINDINGS_HEADERS[:-1]), False),
    (["Findings"], False),
    ([], False),
    ([None], False),
    (["partnership-xl: summary"], False),
])
def test_a_tool_sheet_is_known_by_its_first_row(first_row, is_ours):
    assert is_tool_sheet_row(first_row) is is_ours


# -- Findings ---------------------------------------------------------------------------------------------

def test_findings_are_one_row_each_in_register_order_under_the_headers(checked, styles):
    shuffled = replace(checked, findings=list(reversed(checked.findings)))
    _, values, _ = grid(findings_sheet(styles, "Findings", SHEET, [], "register.xlsx", shuffled))
    assert tuple(row_values(values, 1)) == FINDINGS_HEADERS
    ordered = sorted(checked.findings, key=sort_key)
    assert len(ordered) == 6 and max(r for r, _ in values) == 7
    assert [(values[(r, 7)], values[(r, 6)]) for r in range(2, 8)] == [(f.code, f.cell) for f in ordered]


def test_a_findings_row_names_the_partnership_its_officer_area_and_the_officers_heading(checked, styles):
    _, values, _ = grid(findings_sheet(styles, "Findings", SHEET, [], "register.xlsx", checked))
    by_code_cell = {(values[(r, 7)], values[(r, 6)]): row_values(values, r) for r in range(2, 8)}
    assert by_code_cell[("DQ005", "AI4")] == ["P003", "Harborough Community Safety Partnership", "", "Finance", "Status", "AI4", "DQ005", "error",
                                              "Not an allowed value: 'Dormant' in Status; use one of: Proposed; Active; Under review; Exiting; Closed.",
                                              "§5 Partnership Register"]
    assert by_code_cell[("PP501", "AG3")][:5] == ["P002", '=HYPERLINK("http://evil","x")', "", "Community & Wellbeing", "Last reviewed"]
    assert by_code_cell[("DQ009", "AO1")][:5] == ["", "", "", "", "Mystery heading"]  # about the sheet: no partnership


def test_register_text_is_written_as_text_never_a_formula(checked, styles):
    root, values, _ = grid(findings_sheet(styles, "Findings", SHEET, [], "register.xlsx", checked))
    assert root.find(f".//{m('f')}") is None
    assert '=HYPERLINK("http://evil","x")' in values.values()


def test_each_finding_on_the_register_sheet_links_to_its_cell(checked, styles):
    elsewhere = replace(checked.findings[0], sheet="Other", cell="B2")
    result = replace(checked, findings=[*checked.findings, elsewhere])
    root, values, cell_styles = grid(findings_sheet(styles, "Findings", SHEET, [], "register.xlsx", result))
    links = {e.get("ref"): (e.get("location"), e.get("tooltip")) for e in root.find(m("hyperlinks"))}
    assert len(links) == 6 and all(ref.startswith("F") for ref in links)
    heading_row = next(r for r in range(2, 9) if values.get((r, 6)) == "AO1")
    assert links[f"F{heading_row}"] == ("'Bob''s Register'!AO1", "Go to AO1 on Bob's Register")
    other_row = next(r for r in range(2, 9) if values.get((r, 6)) == "B2")
    assert f"F{other_row}" not in links
    assert cell_styles[(other_row, 6)] != cell_styles[(heading_row, 6)]  # only a linked cell looks like a link


def test_the_severity_cell_is_filled_by_its_severity(checked, styles):
    _, values, cell_styles = grid(findings_sheet(styles, "Findings", SHEET, [], "register.xlsx", checked))
    xfs = list(styles.root.find(m("cellXfs")))
    fills = list(styles.root.find(m("fills")))
    for r in range(2, 8):
        fill = fills[int(xfs[cell_styles[(r, 8)]].get("fillId"))]
        assert fill.find(m("patternFill")).find(m("fgColor")).get("rgb") == SEVERITY_FILLS[values[(r, 8)]]


def test_the_findings_sheet_is_filtered_frozen_and_repeats_its_header(checked, styles):
    sheet = findings_sheet(styles, "Findings", SHEET, [], "register.xlsx", checked)
    assert (sheet.autofilter, sheet.freeze_rows, sheet.print_title_rows) == ("A1:J7", 1, 1)
    empty = findings_sheet(styles, "Findings", SHEET, [], "register.xlsx", replace(checked, findings=[]))
    assert empty.autofilter == "A1:J2"
    _, values, _ = grid(empty)
    assert max(r for r, _ in values) == 1


# -- Summary ----------------------------------------------------------------------------------------------

def labelled(values: dict) -> dict[str, object]:
    out = {}
    for (r, c), v in sorted(values.items()):
        if c == 1 and isinstance(v, str) and v not in out:
            out[v] = values.get((r, 2))
    return out


def test_the_summary_holds_the_checks_counts(checked, styles):
    _, values, _ = grid(summary_sheet(styles, "Summary", SHEET, [], "register.xlsx", checked, []))
    assert values[(1, 1)] == SUMMARY_TITLE
    said = labelled(values)
    summary = checked.summary()
    assert said["Register file"] == "register.xlsx" and said["Sheet"] == SHEET and said["Header row"] == 1
    assert said["Partnerships checked"] == summary["partnerships"] == 3
    assert (said["Error"], said["Warning"], said["Info"]) == (summary["error"], summary["warning"], summary["info"]) == (4, 1, 1)
    assert (said["Red"], said["Amber"], said["Green"]) == (2, 0, 1)
    assert said["PP801"] == "error" and said["Settings file"] == "(none: the defaults)"
    by_code = {values[(r, 1)]: values.get((r, 5)) for (r, c) in values if c == 5 and r > 20 and isinstance(values.get((r, 5)), float)}
    assert by_code == {"PP401": 1, "PP501": 1, "PP801": 2, "DQ005": 1, "DQ009": 1}


def test_the_summary_lists_rules_not_checked_or_none(checked, styles):
    _, values, _ = grid(summary_sheet(styles, "Summary", SHEET, [], "register.xlsx", checked, []))
    assert labelled(values)["PP504"] == "no column for Governance assurance"
    _, values, _ = grid(summary_sheet(styles, "Summary", SHEET, [], "register.xlsx", replace(checked, not_checked={}), []))
    assert "(none)" in labelled(values)


def test_the_summary_says_what_the_copy_could_not_keep_and_which_cells_have_threaded_comments(checked, styles):
    _, values, _ = grid(summary_sheet(styles, "Summary", SHEET, [], "register.xlsx", checked, []))
    texts = set(values.values())
    assert "Nothing: everything in the original workbook is in this copy." in texts
    assert "Cells with a threaded comment" not in texts
    threaded = [f"H{r}" for r in range(2, 30)]
    _, values, _ = grid(summary_sheet(styles, "Summary", SHEET, threaded, "register.xlsx", checked, ["The copy holds values only."]))
    texts = set(values.values())
    assert "The copy holds values only." in texts and "Nothing: everything in the original workbook is in this copy." not in texts
    said = labelled(values)
    assert said["Cells with a threaded comment"] == 28
    note = next(v for v in texts if isinstance(v, str) and v.startswith("Their findings are on the Findings sheet only"))
    assert "H2, H3" in note and "H21 ..." in note and "H22" not in note  # the first twenty


def test_both_sheets_carry_the_signature_a_later_check_looks_for(checked, styles):
    for sheet in (findings_sheet(styles, "Findings", SHEET, [], "register.xlsx", checked),
                  summary_sheet(styles, "Summary", SHEET, [], "register.xlsx", checked, [])):
        _, values, _ = grid(sheet)
        assert is_tool_sheet_row(row_values(values, 1))
