"""workbook/record.py: the tool's record of what it changed round-trips through its custom XML part, is
found where Excel or LibreOffice relate it, and leaves no trace when taken out."""

from __future__ import annotations

import pytest
from lxml import etree

from partnership_xl.workbook.package import Package
from partnership_xl.workbook.record import NS_RECORD, Record, add, find, remove
from partnership_xl.workbook.sheet import CellChange

from .parts import book, content_types, rels, zipped

CUSTOM_XML = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/customXml"
CUSTOM_XML_PROPS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/customXmlProps"
CT_PROPS = "application/vnd.openxmlformats-officedocument.customXmlProperties+xml"


def full_record() -> Record:
    return Record(
        sheet="Register 'A' & <B>",
        register="Partnership Register – 2026 \"final\".xlsx",
        sheets=["Findings", "Summary (2)"],
        cells=[CellChange("B7", "3", "41", False), CellChange("C9", None, "42", True), CellChange("AA100", "0", "43", False)],
        displaced={"K1": b'<c r="K1" s="4"/>', "K2": '<c r="K2" t="inlineStr"><is><t>£ &amp; &lt;x&gt;</t></is></c>'.encode()},
        elements={"cols": ('<cols xmlns="urn:x"><col min="1" max="3" width="9"/></cols>', "<cols>&amp;</cols>"), "autoFilter": ("", "A1:K9")},
        tool_columns=(11, 15),
        fills={"12": ('<fill><patternFill patternType="solid"/></fill>', "1"), "3": ("<fill/>", None)},
    )


def test_a_record_round_trips_through_its_xml():
    record = full_record()
    back = Record.from_xml(record.to_xml())
    assert back == record
    assert back.to_xml() == record.to_xml()


def test_the_xml_is_in_the_records_namespace_and_lists_fills_by_style_number():
    root = etree.fromstring(full_record().to_xml())
    assert root.tag == f"{{{NS_RECORD}}}record" and root.get("toolColumns") == "11:15"
    assert [e.get("style") for e in root if etree.QName(e).localname == "fill"] == ["3", "12"]


def test_an_empty_record_round_trips():
    assert Record.from_xml(Record().to_xml()) == Record()


@pytest.mark.parametrize("data", [b"not xml", b"<record/>", f'<other xmlns="{NS_RECORD}"/>'.encode(), b""])
def test_what_is_not_a_record_reads_as_none(data):
    assert Record.from_xml(data) is None


@pytest.mark.parametrize("columns", ["x:y", "11", ":", "11:"])
def test_unreadable_tool_columns_are_ignored(columns):
    data = f'<record xmlns="{NS_RECORD}" sheet="Register" register="r.xlsx" toolColumns="{columns}"/>'.encode()
    assert Record.from_xml(data).tool_columns is None


def workbook_package(extra: dict[str, str] | None = None, workbook_rels: tuple = (), root_rels: tuple = (), defaults: dict | None = None) -> Package:
    parts = book()
    parts["xl/_rels/workbook.xml.rels"] = rels(("rId1", "worksheet", "worksheets/sheet1.xml"), ("rId2", "styles", "styles.xml"), *workbook_rels)
    parts["_rels/.rels"] = rels(("rId1", "officeDocument", "xl/workbook.xml"), *root_rels)
    if defaults is not None:
        parts["[Content_Types].xml"] = content_types({"/xl/workbook.xml": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"},
                                                     defaults)
    parts.update(extra or {})
    return Package.read(zipped(parts))


def test_add_relates_the_record_from_the_workbook_with_its_properties_and_find_reads_it_back():
    package = workbook_package()
    add(package, "xl/workbook.xml", full_record())
    assert "customXml/item1.xml" in package and "customXml/itemProps1.xml" in package
    assert [(r.type, r.target) for r in package.rels("xl/workbook.xml")][-1] == (CUSTOM_XML, "../customXml/item1.xml")
    assert [(r.type, r.target) for r in package.rels("customXml/item1.xml")] == [(CUSTOM_XML_PROPS, "itemProps1.xml")]
    assert package.content_type("customXml/itemProps1.xml") == CT_PROPS
    assert package.content_type("customXml/item1.xml") == "application/xml"
    found = find(package, "xl/workbook.xml")
    assert found.part == "customXml/item1.xml"
    found.part = None
    assert found == full_record()


def test_add_takes_the_first_free_item_number_and_find_skips_other_custom_xml():
    other = '<?xml version="1.0"?><b:Sources xmlns:b="http://schemas.openxmlformats.org/officeDocument/2006/bibliography"/>'
    package = workbook_package({"customXml/item1.xml": other, "customXml/itemProps2.xml": "<x/>"},
                               workbook_rels=(("rId3", "customXml", "../customXml/item1.xml"),))
    assert find(package, "xl/workbook.xml") is None
    add(package, "xl/workbook.xml", Record(sheet="Register"))
    assert "customXml/item3.xml" in package and find(package, "xl/workbook.xml").part == "customXml/item3.xml"


def test_a_package_whose_xml_default_is_another_type_gives_the_record_its_own():
    package = workbook_package(defaults={"rels": "application/vnd.openxmlformats-package.relationships+xml", "xml": "text/xml"})
    add(package, "xl/workbook.xml", Record(sheet="Register"))
    assert package.content_type("customXml/item1.xml") == "application/xml"


def test_a_record_libreoffice_moved_to_the_package_root_is_found_and_removed():
    record_xml = Record(sheet="Register", register="r.xlsx").to_xml()
    package = workbook_package({"customXml/item1.xml": record_xml, "customXml/itemProps1.xml": "<ds/>",
                                "customXml/_rels/item1.xml.rels": rels(("rId1", "customXmlProps", "itemProps1.xml"))},
                               root_rels=(("rId9", "customXml", "../customXml/item1.xml"),))
    found = find(package, "xl/workbook.xml")
    assert found is not None and found.register == "r.xlsx"
    remove(package, "xl/workbook.xml", found)
    assert not any(name.startswith("customXml/") for name in package.names())
    assert [r.id for r in package.rels("")] == ["rId1"]


def test_removing_an_added_record_leaves_the_package_as_it_was():
    package = workbook_package()
    before_names = package.names()
    before_rels = package.rels("xl/workbook.xml")
    before_types = etree.fromstring(package.get("[Content_Types].xml"))
    add(package, "xl/workbook.xml", full_record())
    remove(package, "xl/workbook.xml", find(package, "xl/workbook.xml"))
    assert package.names() == before_names
    assert package.rels("xl/workbook.xml") == before_rels
    after_types = etree.fromstring(package.get("[Content_Types].xml"))
    assert [dict(e.attrib) for e in after_types] == [dict(e.attrib) for e in before_types]


def test_removing_a_record_that_was_never_in_a_package_does_nothing():
    package = workbook_package()
    before = {name: package.get(name) for name in package.names()}
    remove(package, "xl/workbook.xml", Record(sheet="Register"))
    assert {name: package.get(name) for name in package.names()} == before
