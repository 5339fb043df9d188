"""workbook/newsheet.py: the sheets the copy adds are SpreadsheetML in CT_Worksheet's order, with text as
inline strings (never formulas), control characters left out, and rows streamed in row order."""

from __future__ import annotations

import math
from datetime import date, datetime

import pytest
from lxml import etree

from partnership_xl.workbook.newsheet import NewSheet, cell_xml, row_xml

from .schema_order import order_problems

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"


def m(tag: str) -> str:
    return f"{{{MAIN}}}{tag}"


def parsed(sheet: NewSheet) -> etree._Element:
    return etree.fromstring(sheet.xml())


def cell_values(root) -> dict[str, object]:
    """Cell ref → its text (inline string) or its number, as a reader would see it."""
    out = {}
    for c in root.iter(m("c")):
        if c.get("t") == "inlineStr":
            out[c.get("r")] = "".join(t.text or "" for t in c.iter(m("t")))
        elif c.find(m("v")) is not None:
            out[c.get("r")] = float(c.find(m("v")).text)
        else:
            out[c.get("r")] = None
    return out


@pytest.mark.parametrize(("value", "expected"), [
    ("Harborough", '<c t="inlineStr"><is><t xml:space="preserve">Harborough</t></is></c>'),
    ('=HYPERLINK("http://evil","x")', '<c t="inlineStr"><is><t xml:space="preserve">=HYPERLINK("http://evil","x")</t></is></c>'),
    ("Fish & <chips>", '<c t="inlineStr"><is><t xml:space="preserve">Fish &amp; &lt;chips&gt;</t></is></c>'),
    ("bell\x07 and\x00 null\ttab", '<c t="inlineStr"><is><t xml:space="preserve">bell and null\ttab</t></is></c>'),
    (5000, "<c><v>5000</v></c>"),
    (2.5, "<c><v>2.5</v></c>"),
    (0.1 + 0.2, "<c><v>0.30000000000000004</v></c>"),  # every digit kept
    (math.nan, "<c/>"),
    (math.inf, "<c/>"),
    (True, '<c t="inlineStr"><is><t xml:space="preserve">Yes</t></is></c>'),
    (False, '<c t="inlineStr"><is><t xml:space="preserve">No</t></is></c>'),
    (date(2026, 11, 25), "<c><v>46351</v></c>"),
    (datetime(2026, 11, 25, 17, 30), "<c><v>46351</v></c>"),  # the day
    (date(1900, 3, 1), "<c><v>61</v></c>"),
    (None, "<c/>"),
    (("P001", 2), '<c t="inlineStr"><is><t xml:space="preserve">(\'P001\', 2)</t></is></c>'),
])
def test_cell_xml_writes_text_inline_and_numbers_and_dates_as_numbers(value, expected):
    assert cell_xml(value, 0) == expected


def test_cell_xml_gives_the_reference_and_style_when_there_are_ones():
    assert cell_xml(7, 3, "B2") == '<c r="B2" s="3"><v>7</v></c>'
    assert cell_xml(None, 4, "C9") == '<c r="C9" s="4"/>'
    assert cell_xml("x", 0, "A1").startswith('<c r="A1" t="inlineStr">')


def test_row_xml_leaves_out_empty_unstyled_cells():
    assert row_xml(4, [(1, "a", 0), (2, "", 0), (3, None, 0), (4, None, 5), (28, 1, 0)], height=32) == (
        b'<row r="4" ht="32" customHeight="1"><c r="A4" t="inlineStr"><is><t xml:space="preserve">a</t></is></c><c r="D4" s="5"/>'
        b'<c r="AB4"><v>1</v></c></row>')


def test_a_sheet_is_in_ct_worksheet_order_with_its_views_columns_filter_links_and_page():
    sheet = NewSheet(freeze_rows=1, autofilter="A1:C4", tab_color="FF1F4E79", widths={2: 30, 1: 9.5})
    sheet.put(1, 1, "Code", 1)
    sheet.put(4, 3, 12)
    sheet.links.append(("A2", "'Register'!B7", "Go to B7"))
    root = parsed(sheet)
    assert order_problems(root) == []
    assert [etree.QName(e).localname for e in root] == ["sheetPr", "dimension", "sheetViews", "sheetFormatPr", "cols", "sheetData", "autoFilter",
                                                        "hyperlinks", "printOptions", "pageMargins", "pageSetup", "headerFooter"]
    assert root.find(m("sheetPr")).find(m("tabColor")).get("rgb") == "FF1F4E79"
    assert root.find(m("dimension")).get("ref") == "A1:C4"
    pane = root.find(m("sheetViews"))[0].find(m("pane"))
    assert (pane.get("ySplit"), pane.get("topLeftCell"), pane.get("state")) == ("1", "A2", "frozen")
    assert [(c.get("min"), c.get("width")) for c in root.find(m("cols"))] == [("1", "9.5"), ("2", "30")]
    assert root.find(m("autoFilter")).get("ref") == "A1:C4"
    link = root.find(m("hyperlinks"))[0]
    assert (link.get("ref"), link.get("location"), link.get("tooltip")) == ("A2", "'Register'!B7", "Go to B7")
    assert link.get(f"{{{'http://schemas.openxmlformats.org/officeDocument/2006/relationships'}}}id") is None  # internal only
    assert root.find(m("pageSetup")).get("orientation") == "landscape" and root.find(m("pageSetup")).get("paperSize") == "9"


def test_a_sheet_without_frozen_rows_widths_or_links_leaves_them_out():
    sheet = NewSheet(landscape=False)
    root = parsed(sheet)
    assert root.find(m("sheetViews"))[0].find(m("pane")) is None
    assert root.find(m("cols")) is None and root.find(m("hyperlinks")) is None and root.find(m("autoFilter")) is None
    assert root.find(m("dimension")).get("ref") == "A1:A1"
    assert root.find(m("pageSetup")).get("orientation") == "portrait"
    assert order_problems(root) == []


def test_put_keeps_a_blank_only_when_it_has_a_style():
    sheet = NewSheet()
    sheet.put(1, 1, "", 0)
    sheet.put(1, 2, None, 0)
    sheet.put(1, 3, "", 7)
    sheet.put(1, 4, 0)
    assert sheet.cells == {(1, 3): (None, 7), (1, 4): (0, 0)}


def test_rows_added_whole_and_cell_by_cell_and_streamed_come_out_in_row_order():
    sheet = NewSheet()
    sheet.add_row(1, [(1, "Header", 1), (2, "Two", 1)])
    sheet.put(3, 1, "by cell")
    sheet.put(2, 2, 5)
    sheet.heights[3] = 45
    calls = []

    def later():
        calls.append(1)
        yield 4, [(1, "streamed", 0), (12, 1.5, 0)], None
        yield 5, [(1, "tall", 0)], 40

    sheet.row_source, sheet.source_size = later, (5, 12)
    assert calls == []
    root = parsed(sheet)
    rows = root.find(m("sheetData"))
    assert [r.get("r") for r in rows] == ["1", "2", "3", "4", "5"]
    assert (rows[2].get("ht"), rows[4].get("ht")) == ("45", "40")
    assert cell_values(root) == {"A1": "Header", "B1": "Two", "B2": 5.0, "A3": "by cell", "A4": "streamed", "L4": 1.5, "A5": "tall"}
    assert root.find(m("dimension")).get("ref") == "A1:L5"


def test_link_text_is_cleaned_and_a_tooltip_cut_to_excels_limit():
    sheet = NewSheet()
    sheet.links.append(("F2", "'Reg & co'!B7", "Go to B7 \x07" + "x" * 300))
    sheet.link_source = lambda: iter([("F3", "'Reg'!C9", "Go to C9")])
    links = parsed(sheet).find(m("hyperlinks"))
    assert [(e.get("ref"), e.get("location")) for e in links] == [("F2", "'Reg & co'!B7"), ("F3", "'Reg'!C9")]
    assert len(links[0].get("tooltip")) == 255 and "\x07" not in links[0].get("tooltip")


def test_pieces_join_to_the_xml():
    sheet = NewSheet()
    sheet.add_row(1, [(1, "a", 0)])
    sheet.row_source = lambda: iter([(2, [(1, "b", 0)], None)])
    pieces = list(sheet.pieces())
    assert len(pieces) > 2 and b"".join(pieces) == sheet.xml()
