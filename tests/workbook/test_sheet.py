"""workbook/sheet.py: the register sheet patched as bytes. Rows the annotation does not touch are copied
exactly; in a touched row only flagged cells' ``s`` changes and the tool's cells are put in column
order; of the skeleton only dimension, cols, autoFilter and legacyDrawing change (SPEC §7)."""

from __future__ import annotations

import re

import pytest
from lxml import etree

from partnership_xl.workbook.package import PackageError
from partnership_xl.workbook.sheet import (
    CellChange,
    SheetPatch,
    SheetXml,
    column_letters,
    column_number,
    parse_range,
    parse_ref,
)

from .schema_order import order_problems

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
HEAD = f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns="{MAIN}" xmlns:r="{R}">'


def part(rows: str, before: str = "", after: str = "", head: str = HEAD, close: str = "</worksheet>") -> bytes:
    return f"{head}{before}<sheetData>{rows}</sheetData>{after}{close}".encode()


def patched(data: bytes, patch: SheetPatch, base_style=None, progress=None) -> tuple[bytes, list[CellChange], dict[str, bytes]]:
    changes: list[CellChange] = []
    displaced: dict[str, bytes] = {}
    base_style = base_style or (lambda row, col, s, fill: 100 * fill + s)
    pieces = SheetXml(data).patch(patch, base_style, changes, displaced, progress)
    return b"".join(pieces), changes, displaced


def rows_of(data: bytes) -> str:
    """The sheetData's content as text."""
    text = data.decode()
    return text[text.index("<sheetData>") + len("<sheetData>"):text.index("</sheetData>")]


def tool(*cols: int) -> dict:
    return {"tool_columns": (min(cols), max(cols))}


# -- references ------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("number", "letters"), [(1, "A"), (2, "B"), (26, "Z"), (27, "AA"), (52, "AZ"), (53, "BA"), (702, "ZZ"),
                                                 (703, "AAA"), (16_384, "XFD")])
def test_column_letters_and_numbers(number, letters):
    assert column_letters(number) == letters
    assert column_number(letters) == number == column_number(letters.encode())


@pytest.mark.parametrize(("ref", "expected"), [("B7", (7, 2)), ("$C$10", (10, 3)), ("aa3", (3, 27)), ("XFD1048576", (1_048_576, 16_384))])
def test_parse_ref(ref, expected):
    assert parse_ref(ref) == expected


@pytest.mark.parametrize("ref", ["7B", "", "A", "12", "A1:B2", "AAAA1"])
def test_parse_ref_refuses_what_is_not_one_cell(ref):
    with pytest.raises(ValueError):
        parse_ref(ref)


@pytest.mark.parametrize(("ref", "expected"), [("A1:D9", (1, 1, 9, 4)), ("D9:A1", (1, 1, 9, 4)), ("C3", (3, 3, 3, 3)),
                                               ("$B$2:$B$40", (2, 2, 40, 2))])
def test_parse_range_gives_the_corners_lowest_first(ref, expected):
    assert parse_range(ref) == expected


# -- what the part must be -------------------------------------------------------------------------------

@pytest.mark.parametrize(("data", "message"), [
    (f'<chartsheet xmlns="{MAIN}"><sheetViews/></chartsheet>'.encode(), "not a worksheet"),
    (f'<worksheet xmlns="{MAIN}"><dimension ref="A1"/></worksheet>'.encode(), "no sheetData"),
    (part("<row r='1'><c r='A1' t='inlineStr'><is><t><![CDATA[x]]></t></is></c></row>"), "CDATA"),
    (f'<worksheet xmlns="{MAIN}"><sheetData><row r="1">'.encode(), "cut short"),
    (b"<worksheet><sheetData/></worksheet>", "not a SpreadsheetML worksheet"),
    (b'<?xml version="1.0" encoding="x-klingon"?><worksheet><sheetData/></worksheet>', "unknown encoding"),
])
def test_a_part_that_cannot_be_patched_safely_is_a_package_error(data, message):
    with pytest.raises(PackageError, match=message):
        SheetXml(data)


# -- rows carried over --------------------------------------------------------------------------------------

ODD_ROWS = ("<row r='1' spans=\"1:3\"  x14ac:dyDescent=\"0.25\" xmlns:x14ac=\"urn:x14ac\"><c r='A1' t=\"s\"><v>0</v></c></row>"
            '<row r="2"><c r="A2" s="3"><f>SUM( A1 )</f><v>1</v></c><c r="B2" t="inlineStr"><is><t xml:space="preserve"> a &amp; b </t></is></c></row>'
            '<row r="3" ht="30" customHeight="1"><c r="C3"><v>2</v></c></row>')


def test_with_nothing_to_do_the_rows_are_the_officers_bytes():
    data = part(ODD_ROWS, before='<dimension ref="A1:C3"/>', after='<pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" footer="0.3"/>')
    out, changes, displaced = patched(data, SheetPatch())
    assert rows_of(out) == ODD_ROWS
    assert out.replace(b"\n", b"") == data.replace(b"\n", b"")  # and the skeleton is as it was
    assert changes == [] and displaced == {}


def test_rows_after_the_last_touched_row_are_copied_in_one_piece():
    rest = "".join(f'<row r="{r}" s="4" customFormat="1"/>' for r in range(3, 2000))
    data = part('<row r="1"><c r="A1"><v>1</v></c></row><row r="2"><c r="A2"><v>2</v></c></row>' + rest)
    pieces = SheetXml(data).patch(SheetPatch(flagged={(2, 1): 5}), lambda *a: 9, [], {})
    assert bytes(pieces[-2]) == rest.encode()  # the last rows: one slice, never parsed


def test_untouched_rows_between_touched_ones_are_copied_exactly():
    rows = ('<row r="1"><c r="A1" s="1"><v>1</v></c></row>'
            "<row r='2' spans='1:1'><c r='A2' s='1' ><v>2</v></c></row>"
            '<row r="3"><c r="A3" s="1"><v>3</v></c></row>')
    out, _, _ = patched(part(rows), SheetPatch(flagged={(1, 1): 2, (3, 1): 2}))
    assert "<row r='2' spans='1:1'><c r='A2' s='1' ><v>2</v></c></row>" in rows_of(out)


# -- flagged cells --------------------------------------------------------------------------------------------

def test_a_flagged_cell_gets_the_style_the_caller_gives_for_its_own_and_nothing_else_changes():
    rows = '<row r="2"><c r="A2" s="3" t="s"><v>7</v></c><c r="B2" t="n"><v>5</v></c><c r="C2" s="1"><v>1</v></c></row>'
    seen = []

    def base_style(row, col, s, fill):
        seen.append((row, col, s, fill))
        return 40 + s

    out, changes, _ = patched(part(rows), SheetPatch(flagged={(2, 1): 2, (2, 2): 3}), base_style)
    assert rows_of(out) == '<row r="2"><c r="A2" s="43" t="s"><v>7</v></c><c r="B2" t="n" s="40"><v>5</v></c><c r="C2" s="1"><v>1</v></c></row>'
    assert sorted(seen) == [(2, 1, 3, 2), (2, 2, 0, 3)]
    assert changes == [CellChange("A2", "3", "43", False), CellChange("B2", None, "40", False)]


@pytest.mark.parametrize(("row", "cols", "expected_s"), [
    ('<row r="4"><c r="A4"><v>1</v></c><c r="D4"><v>2</v></c></row>', "", 0),  # no row or column format
    ('<row r="4" s="7" customFormat="1"><c r="A4"><v>1</v></c><c r="D4"><v>2</v></c></row>', "", 7),  # the row's format
    ('<row r="4" s="7"><c r="A4"><v>1</v></c><c r="D4"><v>2</v></c></row>', "", 0),  # s without customFormat means nothing
    ('<row r="4"><c r="A4"><v>1</v></c><c r="D4"><v>2</v></c></row>', '<cols><col min="2" max="3" width="9" style="9"/></cols>', 9),
])
def test_a_flagged_blank_cell_is_created_in_column_order_from_its_rows_or_columns_format(row, cols, expected_s):
    out, changes, _ = patched(part(row, before=cols), SheetPatch(flagged={(4, 2): 1}), lambda r, c, s, fill: s + 1000)
    cells = re.findall(r'<c r="([A-Z]+)4"', rows_of(out))
    assert cells == ["A", "B", "D"]
    assert f'<c r="B4" s="{expected_s + 1000}"/>' in rows_of(out)
    assert changes == [CellChange("B4", None, str(expected_s + 1000), True)]


def test_rows_the_sheet_lacks_are_made_in_order():
    rows = '<row r="2"><c r="A2"><v>1</v></c></row><row r="5"><c r="A5"><v>1</v></c></row>'
    out, changes, _ = patched(part(rows), SheetPatch(flagged={(3, 2): 1, (9, 1): 1, (1, 1): 1}), lambda *a: 8)
    assert re.findall(r'<row r="(\d+)"', rows_of(out)) == ["1", "2", "3", "5", "9"]
    assert {c.ref for c in changes if c.created} == {"A1", "B3", "A9"}


def test_cells_without_a_reference_are_given_one_when_their_row_is_patched():
    rows = '<row r="3"><c><v>1</v></c><c s="2"><v>2</v></c><c r="E3"><v>3</v></c><c><v>4</v></c></row>'
    out, changes, _ = patched(part(rows), SheetPatch(flagged={(3, 2): 1}), lambda *a: 8)
    assert re.findall(r'<c r="([A-Z]+3)"', rows_of(out)) == ["A3", "B3", "E3", "F3"]
    assert changes == [CellChange("B3", "2", "8", False)]


def test_a_self_closing_row_is_opened_to_take_a_cell():
    out, _, _ = patched(part('<row r="2" ht="20"/>'), SheetPatch(flagged={(2, 3): 1}), lambda *a: 8)
    assert rows_of(out) == '<row r="2" ht="20"><c r="C2" s="8"/></row>'


# -- the tool's columns ----------------------------------------------------------------------------------------

def test_the_tools_cells_follow_the_rows_last_cell_and_the_dimension_and_widths_cover_them():
    rows = '<row r="1"><c r="A1"><v>1</v></c><c r="B1"><v>2</v></c></row><row r="2"><c r="A2"><v>3</v></c></row>'
    data = part(rows, before='<dimension ref="A1:B2"/><cols><col min="1" max="8" width="11" customWidth="1"/></cols>')
    patch = SheetPatch(tool_cells={1: [(4, b'<c t="inlineStr"><is><t>Risk score</t></is></c>'), (3, b"<c><v>6</v></c>")],
                                   2: [(3, b"<c><v>9</v></c>")], 4: [(3, b"<c><v>1</v></c>")]}, tool_widths={3: 20}, **tool(3, 4))
    out, _, _ = patched(data, patch)
    assert rows_of(out) == ('<row r="1"><c r="A1"><v>1</v></c><c r="B1"><v>2</v></c><c r="C1"><v>6</v></c>'
                            '<c r="D1" t="inlineStr"><is><t>Risk score</t></is></c></row>'
                            '<row r="2"><c r="A2"><v>3</v></c><c r="C2"><v>9</v></c></row><row r="4"><c r="C4"><v>1</v></c></row>')
    skeleton = etree.fromstring(out)
    assert skeleton.find(f"{{{MAIN}}}dimension").get("ref") == "A1:D4"
    cols = [(c.get("min"), c.get("max"), c.get("width")) for c in skeleton.find(f"{{{MAIN}}}cols")]
    assert cols == [("1", "2", "11"), ("3", "3", "20"), ("4", "4", "13"), ("5", "8", "11")]  # the officer's col split round the tool's


def test_a_sheet_without_cols_gets_one_in_ct_worksheet_order():
    data = part('<row r="1"><c r="A1"><v>1</v></c></row>', before='<sheetPr/><dimension ref="A1"/><sheetViews><sheetView workbookViewId="0"/></sheetViews>'
                '<sheetFormatPr defaultRowHeight="15"/>', after='<pageMargins left="1" right="1" top="1" bottom="1" header="0" footer="0"/>')
    out, _, _ = patched(data, SheetPatch(tool_cells={1: [(2, b"<c><v>1</v></c>")]}, **tool(2)))
    root = etree.fromstring(out)
    assert [etree.QName(e).localname for e in root] == ["sheetPr", "dimension", "sheetViews", "sheetFormatPr", "cols", "sheetData", "pageMargins"]
    assert order_problems(root) == []


def test_an_officers_formatted_empty_cell_where_a_tool_column_goes_is_kept_in_displaced():
    rows = '<row r="1"><c r="A1"><v>1</v></c><c r="C1" s="4"/><c r="D1" s="5"></c></row>'
    out, _, displaced = patched(part(rows), SheetPatch(tool_cells={1: [(3, b"<c><v>6</v></c>"), (4, b"<c><v>7</v></c>")]}, **tool(3, 4)))
    assert rows_of(out) == '<row r="1"><c r="A1"><v>1</v></c><c r="C1"><v>6</v></c><c r="D1"><v>7</v></c></row>'
    assert displaced == {"C1": b'<c r="C1" s="4"/>', "D1": b'<c r="D1" s="5"></c>'}


def test_the_tools_cells_go_before_a_rows_own_ext_lst():
    rows = '<row r="1"><c r="A1"><v>1</v></c><extLst><ext uri="{x}"/></extLst></row>'
    out, _, _ = patched(part(rows), SheetPatch(tool_cells={1: [(2, b"<c><v>6</v></c>")]}, **tool(2)))
    assert rows_of(out) == '<row r="1"><c r="A1"><v>1</v></c><c r="B1"><v>6</v></c><extLst><ext uri="{x}"/></extLst></row>'


def test_a_prefixed_sheet_gets_prefixed_cells():
    head = f'<?xml version="1.0" encoding="UTF-8"?><x:worksheet xmlns:x="{MAIN}">'
    data = f'{head}<x:sheetData><x:row r="1"><x:c r="A1"><x:v>1</x:v></x:c></x:row></x:sheetData></x:worksheet>'.encode()
    out, changes, _ = patched(data, SheetPatch(flagged={(1, 1): 1, (1, 2): 1}, tool_cells={1: [(3, b'<c t="inlineStr"><is><t>x</t></is></c>')]},
                                                **tool(3)), lambda *a: 8)
    assert b'<x:c r="A1" s="8"><x:v>1</x:v></x:c><x:c r="B1" s="8"/><x:c r="C1" t="inlineStr"><x:is><x:t>x</x:t></x:is></x:c></x:row>' in out
    assert [etree.QName(e).localname for e in etree.fromstring(out).find(f"{{{MAIN}}}sheetData")[0]] == ["c", "c", "c"]


def test_progress_is_told_how_many_touched_rows_are_written():
    told = []
    rows = "".join(f'<row r="{r}"><c r="A{r}"><v>1</v></c></row>' for r in range(1, 6))
    patched(part(rows), SheetPatch(flagged={(2, 1): 1, (4, 1): 1}), progress=told.append)
    assert told[-1] == 2


# -- the skeleton ----------------------------------------------------------------------------------------------

SKELETON_AFTER = ('<autoFilter ref="A1:C9"/><mergeCells count="2"><mergeCell ref="A1:B1"/><mergeCell ref="junk"/><mergeCell ref="C5:C2"/>'
                  '</mergeCells><pageMargins left="1" right="1" top="1" bottom="1" header="0" footer="0"/><drawing r:id="rId1"/>'
                  '<tableParts count="0"/>')


def skeleton_sheet(after: str = SKELETON_AFTER) -> SheetXml:
    return SheetXml(part('<row r="1"><c r="A1"><v>1</v></c></row>', before='<cols><col min="2" max="3" width="9" style="4"/><col min="5" max="5" width="9"/></cols>',
                         after=after))


def test_the_facts_the_patch_reads_from_the_skeleton():
    sheet = skeleton_sheet()
    assert sheet.merged() == [(1, 1, 1, 2), (2, 3, 5, 3)]  # a ref that does not parse is left out
    assert sheet.column_styles() == [(2, 3, 4)]
    assert sheet.autofilter_ref() == "A1:C9"
    sheet.set_autofilter_ref("A1:H9")
    assert sheet.autofilter_ref() == "A1:H9"
    assert sheet.legacy_drawing_id() is None


def test_a_legacy_drawing_is_added_at_its_place_and_removed():
    sheet = skeleton_sheet()
    sheet.add_legacy_drawing("rId7")
    names = [etree.QName(e).localname for e in sheet.skeleton]
    assert names[-3:] == ["drawing", "legacyDrawing", "tableParts"]
    assert order_problems(sheet.skeleton) == []
    assert sheet.legacy_drawing_id() == "rId7"
    out = b"".join(sheet.patch(SheetPatch(), lambda *a: 0, [], {}))
    assert b'<legacyDrawing r:id="rId7"/><tableParts' in out
    sheet.remove_legacy_drawing()
    assert sheet.legacy_drawing_id() is None


def test_an_element_recorded_as_xml_is_recognised_however_written_and_put_back():
    sheet = skeleton_sheet()
    recorded = sheet.element_xml("cols")
    assert recorded.startswith("<cols ") and 'style="4"' in recorded
    assert sheet.element_is("cols", recorded.replace('width="9" style="4"', 'style="4"  width="9"'))
    assert not sheet.element_is("cols", recorded.replace('style="4"', 'style="5"'))
    assert sheet.element_is("sheetProtection", "") and not sheet.element_is("cols", "")
    sheet.replace_element("cols", f'<cols xmlns="{MAIN}"><col min="1" max="1" width="30"/></cols>')
    assert sheet.column_styles() == [] and sheet.element_xml("cols").count("<col ") == 1
    sheet.replace_element("cols", "")
    assert sheet.element_xml("cols") == ""
    sheet.replace_element("cols", recorded)  # with no cols left, it goes back at its place
    assert [etree.QName(e).localname for e in sheet.skeleton][:2] == ["cols", "sheetData"]


def test_a_utf16_part_is_read_as_utf8():
    text = f'<?xml version="1.0" encoding="UTF-16"?><worksheet xmlns="{MAIN}"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>£5</t></is></c></row></sheetData></worksheet>'
    sheet = SheetXml(text.encode("utf-16"))
    assert sheet.declaration.startswith(b'<?xml version="1.0" encoding="UTF-8"')
    assert "<t>£5</t>".encode() in sheet.data


def test_rows_are_numbered_from_their_r_or_by_counting():
    sheet = SheetXml(part('<row r="3"><c r="A3"/></row><row><c/></row><row r="9"/><row/>'))
    assert [number for number, _, _ in sheet.rows()] == [3, 4, 9, 10]
    assert [number for number, _, _ in sheet.rows(stop=4)] == [3, 4]
