"""annotate/marks.py: what goes where in the register sheet. Each flagged cell is filled by its worst
finding and its note lists every finding worst first; the tool's five columns follow the register's
last column and carry each row's scores, band, RAG and codes (SPEC §7)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pandas as pd
import pytest

from partnership_xl.annotate.marks import BAND_FILLS, SEVERITY_FILLS, TAB_COLOUR, column_style, note_line, register_annotation
from partnership_xl.config import Settings
from partnership_xl.engine import check
from partnership_xl.findings import Finding, Severity
from partnership_xl.workbook.package import Package
from partnership_xl.workbook.styles import StyleBook
from tests.conftest import AS_OF, CLEAN, row, write_register
from tests.workbook.parts import MAIN, book, zipped


@pytest.fixture(scope="module")
def checked(tmp_path_factory):
    """Three partnerships: clean, lead officer blank and review overdue, status unknown; and a heading no field has."""
    path = tmp_path_factory.mktemp("marks") / "register.xlsx"
    rows = [row(ref="P001"), row(ref="P002", lead_officer=None, last_review=date(2024, 1, 1)),
            row(ref="P003", status="Dormant", lead_officer=None, priority=None)]
    return check(write_register(path, rows, [*CLEAN, "Mystery heading"]), Settings(), AS_OF)


def finding(code: str, cell: str, row_number: int, sheet: str = "Register", message: str = "m") -> Finding:
    return Finding(code, "P001", sheet, cell, row_number, "", message)


@pytest.mark.parametrize(("code", "message", "expected"), [
    ("PP801", "No council representative.", "ERROR PP801: No council representative. (policy §8 Management of Partnerships)"),
    ("PP702", "High risk, no controls.", "WARNING PP702: High risk, no controls. (policy §7 Partnership Governance)"),
    ("DQ009", "Column 'X' is not a field.", "INFO DQ009: Column 'X' is not a field. (policy §5 Partnership Register)"),
])
def test_a_note_line_is_severity_code_message_and_clause(code, message, expected):
    assert note_line(finding(code, "A1", 1, message=message)) == expected


def test_every_finding_on_a_cell_of_the_register_sheet_flags_it(checked):
    annotation = register_annotation(checked)
    cells = {(f.row, f.cell) for f in checked.findings}
    assert len(annotation.flagged) == len(cells) == 6
    assert annotation.flagged[(3, 8)] == "error"  # H3: lead officer blank (PP801)
    assert annotation.flagged[(4, 6)] == "warning"  # F4: no priority (PP401)
    assert annotation.flagged[(1, 41)] == "info"  # AO1: the heading no field has (DQ009)
    assert annotation.notes[(3, 8)] == [note_line(f) for f in checked.findings if f.cell == "H3"]


def test_a_cell_is_filled_by_its_worst_finding_and_its_note_lists_them_worst_first_then_by_code(checked):
    findings = [finding("PP503", "AG2", 2), finding("PP702", "AG2", 2), finding("PP801", "AG2", 2), finding("PP501", "AG2", 2),
                finding("PP401", "F2", 2), finding("PP801", "B9", 9, sheet="Other sheet"), finding("DQ001", "", 1)]
    annotation = register_annotation(replace(checked, findings=findings))
    assert annotation.flagged == {(2, 33): "error", (2, 6): "warning"}  # another sheet's cell and a finding without a cell: no mark
    assert [line.split(":")[0] for line in annotation.notes[(2, 33)]] == ["ERROR PP501", "ERROR PP801", "WARNING PP702", "INFO PP503"]


def test_the_tools_columns_follow_the_last_column_and_carry_each_rows_scores(checked):
    annotation = register_annotation(checked)
    assert (annotation.sheet, annotation.header_row, annotation.register_name) == ("Register", 1, "register.xlsx")
    assert annotation.after_column == annotation.after_column_headed == len(CLEAN) + 1
    assert annotation.column_headers == ["Risk score (partnership-xl)", "Opportunity score (partnership-xl)", "Risk band (partnership-xl)",
                                         "RAG (partnership-xl)", "Findings (partnership-xl)"]
    assert annotation.column_widths == [13, 16, 13, 13, 30]
    assert annotation.column_values == {
        2: [(6, "plain"), (9, "plain"), ("Low", "Low"), ("Green", "Green"), ("", "codes")],
        3: [(6, "plain"), (9, "plain"), ("Low", "Low"), ("Red", "Red"), ("PP501, PP801", "codes")],
        4: [(6, "plain"), (9, "plain"), ("Low", "Low"), ("Red", "Red"), ("DQ005, PP401, PP801", "codes")],
    }


def test_a_stray_value_far_out_moves_the_columns_but_not_the_last_headed_column(checked):
    annotation = register_annotation(replace(checked, register=replace(checked.register, last_column=60)))
    assert (annotation.after_column, annotation.after_column_headed) == (60, len(CLEAN) + 1)


def test_a_row_not_scored_gets_blank_scores_and_plain_cells(checked):
    scores = pd.DataFrame({"risk_score": [pd.NA, 12.0], "opp_score": [float("nan"), 4], "risk_band": [None, "Medium"],
                           "rag": [pd.NA, "Amber"], "codes": ["", "PP702"]}, index=[2, 3])
    annotation = register_annotation(replace(checked, scores=scores, findings=[]))
    assert annotation.column_values == {
        2: [(None, "plain"), (None, "plain"), ("", "plain"), ("", "plain"), ("", "codes")],
        3: [(12, "plain"), (4, "plain"), ("Medium", "Medium"), ("Amber", "Amber"), ("PP702", "codes")],
    }
    assert type(annotation.column_values[3][0][0]) is int


# -- the columns' formats -----------------------------------------------------------------------------------

def q(tag: str) -> str:
    return f"{{{MAIN}}}{tag}"


def fmt(styles: StyleBook, index: int) -> dict:
    """A cell format as its fill colour, font (bold, colour) and alignment."""
    xf = [e for e in styles.root.find(q("cellXfs"))][index]
    fill = [e for e in styles.root.find(q("fills"))][int(xf.get("fillId"))]
    font = [e for e in styles.root.find(q("fonts"))][int(xf.get("fontId"))]
    colour = font.find(q("color"))
    alignment = xf.find(q("alignment"))
    return {"fill": fill.find(q("patternFill")).find(q("fgColor")).get("rgb"), "bold": font.find(q("b")) is not None,
            "font": colour.get("rgb") if colour is not None else None, "align": dict(alignment.attrib) if alignment is not None else {}}


@pytest.fixture
def styles() -> StyleBook:
    return StyleBook(Package.read(zipped(book())), "xl/workbook.xml")


def test_the_header_is_bold_white_on_the_tools_colour(styles):
    assert fmt(styles, column_style(styles, "header")) == {"fill": TAB_COLOUR, "bold": True, "font": "FFFFFFFF",
                                                           "align": {"horizontal": "center", "vertical": "center", "wrapText": "1"}}


@pytest.mark.parametrize("band", sorted(BAND_FILLS))
def test_a_band_or_rag_cell_is_filled_with_its_colour(styles, band):
    assert fmt(styles, column_style(styles, band)) == {"fill": BAND_FILLS[band], "bold": True, "font": None, "align": {"horizontal": "center"}}


def test_scores_and_codes_share_the_tools_light_fill_and_anything_else_is_plain(styles):
    plain, codes = column_style(styles, "plain"), column_style(styles, "codes")
    assert fmt(styles, plain)["fill"] == fmt(styles, codes)["fill"] == "FFDDEBF7"
    assert fmt(styles, plain)["align"] == {"horizontal": "center"} and fmt(styles, codes)["align"] == {}
    assert column_style(styles, "Not assessed") == plain == column_style(styles, "plain")


def test_each_severity_has_a_fill_of_its_own():
    assert sorted(SEVERITY_FILLS) == sorted(s.value for s in Severity)
    assert len(set(SEVERITY_FILLS.values())) == 3
    assert all(len(c) == 8 and c.startswith("FF") for c in [*SEVERITY_FILLS.values(), *BAND_FILLS.values()])  # opaque ARGB
