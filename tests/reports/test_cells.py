"""reports/cells.py: what the two report workbooks share. Values from the register are written by type
(never as formulas or links), blanks are blanks, tables are filterable with their colours, and rows
and page breaks are sized so a printed page keeps a heading with its table."""

from __future__ import annotations

import math
from datetime import date, datetime

import numpy as np
import openpyxl
import pandas as pd
import pytest

from partnership_xl.reports import cells
from partnership_xl.reports.cells import (
    Col,
    Formats,
    PageBreaks,
    footer_text,
    header_height,
    is_blank,
    lines_needed,
    new_workbook,
    print_scale,
    put,
    row_heights,
    text_of,
    write_table,
)


@pytest.mark.parametrize(("value", "blank"), [
    (None, True), (pd.NA, True), (pd.NaT, True), (math.nan, True), (np.nan, True), ("", True), ("   \t", True),
    ("x", False), (0, False), (0.0, False), (False, False), (date(2026, 1, 1), False), ([], False), (pd.Timestamp("2026-01-01"), False),
])
def test_is_blank(value, blank):
    assert is_blank(value) is blank


@pytest.mark.parametrize(("value", "text"), [
    (None, ""), (pd.NA, ""), ("  ", ""), ("Sarah", "Sarah"), (True, "Yes"), (np.bool_(False), "No"), (5000.0, "5000"), (2.5, "2.5"),
    (7, "7"), (date(2026, 2, 26), "26/02/2026"), (pd.Timestamp("2026-11-25 09:30"), "25/11/2026"), (datetime(2025, 1, 10), "10/01/2025"),
])
def test_text_of(value, text):
    assert text_of(value) == text


def written(tmp_path, write) -> openpyxl.worksheet.worksheet.Worksheet:
    """Run ``write(workbook, worksheet, formats)`` on a report workbook and read the sheet back."""
    path = tmp_path / "cells.xlsx"
    wb = new_workbook(path, title="Test", council="Harborough District Council")
    ws = wb.add_worksheet("Sheet")
    write(wb, ws, Formats(wb))
    wb.close()
    return openpyxl.load_workbook(path)["Sheet"]


def test_put_writes_each_value_by_its_type(tmp_path):
    values = [np.int64(7), np.float64(2.5), np.bool_(True), math.inf, pd.NaT, pd.Timestamp("2026-11-25 10:00", tz="Europe/London"),
              date(2026, 2, 26), ("P001", 2), "=1+1"]

    def write(wb, ws, f):
        for i, v in enumerate(values):
            put(ws, i, 0, v, f.text, date_fmt=f.date)

    ws = written(tmp_path, write)
    got = [(ws.cell(i + 1, 1).value, ws.cell(i + 1, 1).data_type) for i in range(len(values))]
    assert got[:5] == [(7, "n"), (2.5, "n"), ("Yes", "s"), ("inf", "s"), (None, "n")]
    assert got[5] == (datetime(2026, 11, 25, 10, 0), "d")  # the wall-clock time, no zone
    assert got[6] == (datetime(2026, 2, 26), "d") and ws["A7"].number_format == cells.DATE_FORMAT
    assert got[7:] == [("('P001', 2)", "s"), ("=1+1", "s")]


def test_a_report_workbook_never_turns_text_into_a_formula_link_or_number(tmp_path):
    def write(wb, ws, f):
        ws.write(0, 0, "=SUM(A2:A3)")  # even write(), the one call put never makes
        ws.write(1, 0, "https://example.org")
        ws.write(2, 0, "01858 821000")

    ws = written(tmp_path, write)
    assert [(ws[f"A{r}"].value, ws[f"A{r}"].data_type) for r in (1, 2, 3)] == [
        ("=SUM(A2:A3)", "s"), ("https://example.org", "s"), ("01858 821000", "s")]
    assert ws["A2"].hyperlink is None


def test_the_workbook_says_who_made_it(tmp_path):
    path = tmp_path / "props.xlsx"
    new_workbook(path, title="Partnership Register: scrutiny", council="Harborough District Council").close()
    props = openpyxl.load_workbook(path).properties
    assert (props.title, props.creator) == ("Partnership Register: scrutiny", "partnership-xl")


def test_formats_are_made_once_for_the_same_properties(tmp_path):
    wb = new_workbook(tmp_path / "f.xlsx", title="t", council="c")
    f = Formats(wb)
    assert f.make(bold=True, align="right") is f.make(align="right", bold=True)
    assert f.make(bold=True) is not f.make(bold=True, italic=True)
    assert f.band("High") is f.make(bg_color=cells.BAND_COLOURS["High"])
    assert f.band("High", "opp") is f.make(bg_color=cells.OPP_COLOURS["High"])
    assert f.fill("#123456") is f.fill("#123456")
    wb.close()


def test_high_opportunity_is_good_news_never_red():
    reds = {cells.BAND_COLOURS["High"], cells.RAG_COLOURS["Red"], cells.BAND_COLOURS["Medium"]}
    assert not reds & set(cells.OPP_COLOURS.values())
    assert set(cells.OPP_COLOURS) == set(cells.BAND_COLOURS)


@pytest.mark.parametrize(("header", "width", "at_least"), [
    ("Ref", 6, 6), ("Partnerships", 5, round(len("Partnerships") * 1.1 + 1, 1)), ("Direct contribution (£ a year)", 9, round(12 * 1.1 + 1, 1)),
    ("", 4, 4),
])
def test_a_column_is_never_narrower_than_its_longest_heading_word(header, width, at_least):
    assert Col(header, "key", width=width).width == at_least


@pytest.mark.parametrize(("value", "width", "lines"), [
    (None, 10, 1), ("", 10, 1), ("short", 10, 1), ("x" * 12, 10, 1), ("x" * 13, 10, 2), ("x" * 26, 10, 3), ("a\nb\nc", 40, 3),
    (12345, 1, 5),
])
def test_lines_needed(value, width, lines):
    assert lines_needed(value, width) == lines


def test_a_header_row_is_tall_enough_for_its_longest_wrapped_heading():
    one = header_height([Col("Ref", "ref", width=20), Col("Status", "status", width=20)])
    three = header_height([Col("Ref", "ref", width=20), Col("Opportunity score and band", "o", width=12)])
    assert one == pytest.approx(cells.LINE_PT + 4) and three == pytest.approx(3 * cells.LINE_PT + 4)


def test_rows_are_as_tall_as_their_longest_wrapped_value():
    cols = [Col("Ref", "ref", width=6), Col("Why", "why", "wrap", 8)]
    heights = row_heights(cols, [{"ref": "P001", "why": "short"}, {"ref": "x" * 100, "why": "y" * 30}, {"why": None}])
    assert heights == [15.0, pytest.approx(3 * cells.LINE_PT + 2.25), 15.0]  # only wrapped columns grow a row


def test_print_scale_fits_the_columns_one_page_wide_and_never_enlarges():
    assert print_scale([10, 10]) == 1.0
    wide = [30] * 12
    scale = print_scale(wide)
    assert 0 < scale < 1 and sum(w * 7 + 5 for w in wide) * 0.75 * scale == pytest.approx(cells.PRINT_WIDTH_PT)


def test_page_breaks_keep_a_heading_with_the_start_of_its_table():
    breaks = PageBreaks([10] * 5)
    page = breaks.page
    breaks.add(0, [15.0] * int(page // 15 - 2))  # nearly a page
    breaks.add(40, [15.0] * 6)  # a heading and its first rows do not fit under it: a break before the heading
    assert breaks.breaks == [40]
    fresh = PageBreaks([10] * 5)
    fresh.add(0, [15.0] * 3)
    fresh.add(10, [15.0] * 3)
    assert fresh.breaks == []


def test_the_footer_has_the_position_date_and_no_register_text():
    assert footer_text(date(2026, 11, 25)) == "Partnership Register, position at 25/11/2026"


def test_write_table_writes_a_filterable_table_with_colours_by_value(tmp_path):
    cols = [Col("Ref", "ref", width=6), Col("Band", "band", colours={"High": "#E06666", "Low": "#93C47D"}),
            Col("Contribution", "money", "money"), Col("Reviewed", "when", "date"), Col("Why", "why", "wrap", 10)]
    records = [{"ref": "P001", "band": "High", "money": 5000, "when": date(2026, 6, 1), "why": "w" * 40},
               {"ref": "=HYPERLINK(\"x\")", "band": "Low", "money": None, "when": None, "why": None}]
    last = []

    def write(wb, ws, f):
        last.append(write_table(ws, 3, cols, records, f, name="Things", empty="None."))

    ws = written(tmp_path, write)
    assert last == [5]
    table = ws.tables["Things"]
    assert table.ref == "A4:E6"
    assert [c.value for c in ws[4]] == ["Ref", "Band", "Contribution", "Reviewed", "Why"]
    assert (ws["A6"].value, ws["A6"].data_type) == ('=HYPERLINK("x")', "s")
    assert ws["C5"].number_format == cells.MONEY_FORMAT and ws["D5"].number_format == cells.DATE_FORMAT and ws["C6"].value is None
    rules = [(str(rng.sqref), rule.formula) for rng in ws.conditional_formatting for rule in rng.rules]
    assert sorted(rules) == [("B5:B6", ['"High"']), ("B5:B6", ['"Low"'])]
    assert ws.row_dimensions[5].height == pytest.approx(lines_needed("w" * 40, 10) * cells.LINE_PT + 2.25)
    assert ws.column_dimensions["A"].width == pytest.approx(6, abs=1)


def test_write_table_without_records_writes_the_sentence_instead(tmp_path):
    last = []

    def write(wb, ws, f):
        last.append(write_table(ws, 3, [Col("Ref", "ref")], [], f, name="Nothing", empty="No partnership to show."))

    ws = written(tmp_path, write)
    assert last == [3] and ws["A4"].value == "No partnership to show." and not ws.tables
