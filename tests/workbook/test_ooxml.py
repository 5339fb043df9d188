"""workbook/ooxml.py: elements placed in the schema's order, and the workbook part's sheets read once and
added or removed without changing what the existing sheet ids, relationship ids and defined names mean."""

from __future__ import annotations

import pytest
from lxml import etree

from partnership_xl.workbook.ooxml import WORKBOOK_ORDER, WorkbookMap, insert_in_order, local, q, same_element
from partnership_xl.workbook.package import Package, PackageError
from partnership_xl.workbook.sheet import WORKSHEET_ORDER

from . import schema_order
from .parts import CT_SHEET_MAIN, CT_WORKSHEET, DECLARATION, MAIN, R, book, content_types, rels, zipped

MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
X14 = "http://schemas.microsoft.com/office/spreadsheetml/2009/9/main"


def test_q_and_local_name_spreadsheetml_elements():
    e = etree.Element(q("sheetData"))
    assert e.tag == f"{{{MAIN}}}sheetData" and local(e) == "sheetData"
    assert local(etree.Comment("a comment")) == ""


@pytest.mark.parametrize(("a", "b", "same"), [
    ('<col min="1" max="2" width="9"/>', '<col width="9"  max="2" min="1" />', True),  # attribute order, spacing
    ("<f> SUM(A1) </f>", "<f>SUM(A1)</f>", True),  # text around the value
    ('<a><b x="1"/><!-- c --><c/></a>', '<a><b x="1"/><c/></a>', True),  # comments are not elements
    ('<col min="1" max="2"/>', '<col min="1" max="3"/>', False),
    ("<a><b/><c/></a>", "<a><c/><b/></a>", False),  # children's order matters
    ("<a><b/></a>", "<a><b/><b/></a>", False),
    ("<a>x</a>", "<a>y</a>", False),
])
def test_same_element_compares_elements_as_values(a, b, same):
    assert (same_element(etree.fromstring(a)) == same_element(etree.fromstring(b))) is same


def test_the_orders_are_the_schemas():
    assert WORKSHEET_ORDER == tuple(name.rstrip("*") for name in schema_order.WORKSHEET)
    # CT_Workbook with the two extension elements Excel writes in it (x15ac:absPath in mc:AlternateContent)
    assert tuple(n for n in WORKBOOK_ORDER if n not in ("AlternateContent", "absPath")) == schema_order.WORKBOOK


def sheet_with(*children: str) -> etree._Element:
    root = etree.Element(q("worksheet"), nsmap={None: MAIN, "mc": MC, "x14": X14})
    for name in children:
        if name == "AlternateContent:legacyDrawing":
            alt = etree.SubElement(root, f"{{{MC}}}AlternateContent")
            etree.SubElement(etree.SubElement(alt, f"{{{MC}}}Choice", Requires="x14"), q("legacyDrawing"))
        elif name == "x14:foreign":
            etree.SubElement(root, f"{{{X14}}}foreign")
        else:
            etree.SubElement(root, q(name))
    return root


def names(root) -> list[str]:
    return [("AlternateContent:" + local(e[0][0])) if local(e) == "AlternateContent" else
            (("x14:" + local(e)) if etree.QName(e).namespace == X14 else local(e)) for e in root]


@pytest.mark.parametrize(("children", "new", "expected"), [
    ([], "cols", ["cols"]),
    (["sheetPr", "sheetData", "pageMargins", "tableParts", "extLst"], "legacyDrawing",
     ["sheetPr", "sheetData", "pageMargins", "legacyDrawing", "tableParts", "extLst"]),
    (["sheetPr", "dimension", "sheetViews", "sheetFormatPr", "sheetData"], "cols",
     ["sheetPr", "dimension", "sheetViews", "sheetFormatPr", "cols", "sheetData"]),
    (["sheetData", "pageMargins"], "extLst", ["sheetData", "pageMargins", "extLst"]),  # last in the sequence: at the end
    (["sheetData", "conditionalFormatting", "dataValidations"], "conditionalFormatting",
     ["sheetData", "conditionalFormatting", "conditionalFormatting", "dataValidations"]),  # after its own kind
    (["sheetData", "x14:foreign", "pageMargins"], "autoFilter", ["sheetData", "x14:foreign", "autoFilter", "pageMargins"]),
    (["sheetData", "drawing", "AlternateContent:legacyDrawing", "tableParts"], "legacyDrawingHF",
     ["sheetData", "drawing", "AlternateContent:legacyDrawing", "legacyDrawingHF", "tableParts"]),
])
def test_insert_in_order_puts_an_element_where_ct_worksheet_has_it(children, new, expected):
    root = sheet_with(*children)
    insert_in_order(root, etree.Element(q(new)), WORKSHEET_ORDER, alternate=lambda e: local(e[0][0]))
    assert names(root) == expected
    assert schema_order.order_problems(root) == []


def test_an_element_goes_after_those_of_its_own_kind():
    root = sheet_with("sheetData", "conditionalFormatting", "conditionalFormatting", "dataValidations")
    new = etree.Element(q("conditionalFormatting"))
    insert_in_order(root, new, WORKSHEET_ORDER)
    assert root.index(new) == 3


def test_an_alternate_content_is_ranked_as_the_element_it_stands_for_only_when_told():
    told = sheet_with("sheetData", "AlternateContent:legacyDrawing")
    insert_in_order(told, etree.Element(q("drawing")), WORKSHEET_ORDER, alternate=lambda e: local(e[0][0]))
    assert names(told) == ["sheetData", "drawing", "AlternateContent:legacyDrawing"]
    untold = sheet_with("sheetData", "AlternateContent:legacyDrawing")
    insert_in_order(untold, etree.Element(q("drawing")), WORKSHEET_ORDER)
    assert names(untold) == ["sheetData", "AlternateContent:legacyDrawing", "drawing"]


# -- the workbook part ------------------------------------------------------------------------------------

WORKBOOK = (f'{DECLARATION}<workbook xmlns="{MAIN}" xmlns:r="{R}"><bookViews><workbookView activeTab="2" firstSheet="1"/></bookViews>'
            '<sheets><sheet name="Notes" sheetId="3" r:id="rId3"/><sheet name="Register" sheetId="1" r:id="rId1"/>'
            '<sheet name="Chart" sheetId="7" state="hidden" r:id="rId7"/><sheet name="Lost" sheetId="4" r:id="rId9"/></sheets>'
            '<definedNames><definedName name="_xlnm.Print_Titles" localSheetId="1">Register!$1:$1</definedName>'
            '<definedName name="_xlnm._FilterDatabase" localSheetId="1" hidden="1">Register!$A$1:$C$9</definedName>'
            '<definedName name="Later" localSheetId="3">Lost!$A$1</definedName>'
            '<definedName name="Everywhere">Register!$B$2</definedName></definedNames><calcPr calcId="191029"/></workbook>')


def four_sheets(workbook: str = WORKBOOK, main_type: str = CT_SHEET_MAIN) -> Package:
    parts = book()
    parts["xl/workbook.xml"] = workbook
    parts["xl/_rels/workbook.xml.rels"] = rels(("rId1", "worksheet", "worksheets/sheet1.xml"), ("rId3", "worksheet", "worksheets/Sheet3.xml"),
                                               ("rId7", "chartsheet", "chartsheets/sheet1.xml"), ("rId2", "styles", "styles.xml"))
    parts["xl/worksheets/Sheet3.xml"] = parts["xl/worksheets/sheet1.xml"]
    parts["xl/worksheets/_rels/Sheet3.xml.rels"] = rels(("rId1", "comments", "../comments1.xml"))
    parts["xl/comments1.xml"] = "<comments/>"
    parts["xl/chartsheets/sheet1.xml"] = "<chartsheet/>"
    parts["[Content_Types].xml"] = content_types({"/xl/workbook.xml": main_type, "/xl/worksheets/sheet1.xml": CT_WORKSHEET,
                                                  "/xl/worksheets/sheet3.xml": CT_WORKSHEET})
    return Package.read(zipped(parts))


def test_the_sheets_are_read_in_order_with_their_parts_and_states():
    wb = WorkbookMap(four_sheets())
    assert wb.part == "xl/workbook.xml"
    assert [(s.name, s.sheet_id, s.rel_id, s.part, s.state, s.is_worksheet) for s in wb.sheets] == [
        ("Notes", 3, "rId3", "xl/worksheets/Sheet3.xml", "visible", True),
        ("Register", 1, "rId1", "xl/worksheets/sheet1.xml", "visible", True),
        ("Chart", 7, "rId7", "xl/chartsheets/sheet1.xml", "hidden", False),
        ("Lost", 4, "rId9", None, "visible", False),  # its relationship is missing
    ]
    assert wb.sheet("Register").sheet_id == 1 and wb.sheet("register") is None


@pytest.mark.parametrize(("main_type", "kind", "becomes"), [
    (CT_SHEET_MAIN, "xlsx", CT_SHEET_MAIN),
    ("application/vnd.ms-excel.sheet.macroEnabled.main+xml", "xlsm", "application/vnd.ms-excel.sheet.macroEnabled.main+xml"),
    ("application/vnd.openxmlformats-officedocument.spreadsheetml.template.main+xml", "xlsx", CT_SHEET_MAIN),
    ("application/vnd.ms-excel.template.macroEnabled.main+xml", "xlsm", "application/vnd.ms-excel.sheet.macroEnabled.main+xml"),
])
def test_the_copy_is_an_xlsx_or_an_xlsm_workbook_never_a_template(main_type, kind, becomes):
    package = four_sheets(main_type=main_type)
    wb = WorkbookMap(package)
    assert wb.kind == kind
    wb.make_workbook()
    assert package.content_type("xl/workbook.xml") == becomes == wb.content_type


@pytest.mark.parametrize(("workbook", "message"), [
    ('<workbook xmlns="http://purl.oclc.org/ooxml/spreadsheetml/main"><sheets/></workbook>', "Strict"),
    ("<workbook><sheets/></workbook>", "not a SpreadsheetML workbook"),
])
def test_a_workbook_part_the_copy_cannot_patch_is_a_package_error(workbook, message):
    with pytest.raises(PackageError, match=message):
        WorkbookMap(four_sheets(workbook=workbook))


def test_a_package_without_a_workbook_part_is_a_package_error():
    parts = book()
    parts["_rels/.rels"] = rels(("rId1", "core-properties", "docProps/core.xml"))
    with pytest.raises(PackageError, match="no workbook part"):
        WorkbookMap(Package.read(zipped(parts)))


def test_a_sheet_is_added_at_the_end_with_the_next_sheet_id_and_a_new_relationship():
    package = four_sheets()
    wb = WorkbookMap(package)
    assert wb.add_sheet("Findings", "xl/worksheets/sheet5.xml", b"<worksheet/>") == 4
    sheets = wb.root.find(q("sheets"))
    added = sheets[-1]
    assert (added.get("name"), added.get("sheetId")) == ("Findings", "8")
    rel_id = added.get(f"{{{R}}}id")
    assert rel_id not in ("rId1", "rId2", "rId3", "rId7")
    assert [s.get("name") for s in sheets] == ["Notes", "Register", "Chart", "Lost", "Findings"]
    assert {r.id: r.target for r in package.rels("xl/workbook.xml")}[rel_id] == "worksheets/sheet5.xml"
    assert package.content_type("xl/worksheets/sheet5.xml") == CT_WORKSHEET
    assert package.get("xl/worksheets/sheet5.xml") == b"<worksheet/>"
    wb.save()
    assert b'name="Findings"' in package.get("xl/workbook.xml")


def test_removing_a_sheet_takes_its_part_relationship_and_names_and_shifts_later_indexes_down():
    package = four_sheets()
    wb = WorkbookMap(package)
    wb.remove_sheet("Notes")
    wb.save()
    root = etree.fromstring(package.get("xl/workbook.xml"))
    assert [s.get("name") for s in root.find(q("sheets"))] == ["Register", "Chart", "Lost"]
    defined = [(e.get("name"), e.get("localSheetId")) for e in root.find(q("definedNames"))]
    assert defined == [("_xlnm.Print_Titles", "0"), ("_xlnm._FilterDatabase", "0"), ("Later", "2"), ("Everywhere", None)]
    view = root.find(q("bookViews"))[0]
    assert (view.get("activeTab"), view.get("firstSheet")) == ("1", "0")
    assert "xl/worksheets/Sheet3.xml" not in package and "xl/worksheets/_rels/Sheet3.xml.rels" not in package
    assert "rId3" not in {r.id for r in package.rels("xl/workbook.xml")}
    assert b"sheet3.xml" not in package.get("[Content_Types].xml").lower()
    assert [s.name for s in wb.sheets] == ["Register", "Chart", "Lost"]
    assert "xl/comments1.xml" in package  # another part's own relations are not followed


def test_removing_a_sheet_drops_its_names_and_an_empty_defined_names():
    workbook = WORKBOOK.replace('<definedName name="Later" localSheetId="3">Lost!$A$1</definedName>', "")
    workbook = workbook.replace('<definedName name="Everywhere">Register!$B$2</definedName>', "")
    package = four_sheets(workbook)
    wb = WorkbookMap(package)
    wb.remove_sheet("Register")
    wb.remove_sheet("No such sheet")
    assert wb.root.find(q("definedNames")) is None
    assert [s.name for s in wb.sheets] == ["Notes", "Chart", "Lost"]


def test_defined_names_are_found_by_sheet_and_added_in_the_workbooks_order():
    workbook = WORKBOOK[:WORKBOOK.index("<definedNames>")] + WORKBOOK[WORKBOOK.index("<calcPr"):]
    wb = WorkbookMap(four_sheets(workbook))
    assert wb.defined_name("_xlnm.Print_Titles", "Register") is None
    wb.add_defined_name("_xlnm.Print_Titles", 1, "Register!$1:$1")
    wb.add_defined_name("_xlnm._FilterDatabase", 1, "Register!$A$1:$J$9", hidden=True)
    assert [local(e) for e in wb.root] == ["bookViews", "sheets", "definedNames", "calcPr"]
    assert schema_order.order_problems(wb.root) == []
    found = wb.defined_name("_xlnm._FilterDatabase", "Register")
    assert (found.text, found.get("hidden"), found.get("localSheetId")) == ("Register!$A$1:$J$9", "1", "1")
    assert wb.defined_name("_xlnm._FilterDatabase", "Notes") is None
