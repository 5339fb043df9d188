"""workbook/package.py: a zip's members carried byte for byte, in order, with their own timestamps and
attributes; relationships and content types edited without disturbing the rest (SPEC §7)."""

from __future__ import annotations

import io
import warnings
import zipfile

import pytest
from lxml import etree

from partnership_xl.workbook.package import (
    ADDED_MEMBER_TIME,
    Package,
    PackageError,
    parse_xml,
    relative,
    rels_name,
    resolve,
    serialize,
)

from .parts import book, content_types, rels, unzipped, zipped

OFFICE_DOC = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"
COMMENTS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/comments"
CT_COMMENTS = "application/vnd.openxmlformats-officedocument.spreadsheetml.comments+xml"


def officer_zip() -> bytes:
    """A zip as an officer's tools write one: a folder entry, odd timestamps, a stored member, comments."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        z.comment = b"saved by Excel"
        members = [
            ("[Content_Types].xml", (2024, 3, 1, 10, 20, 30), zipfile.ZIP_DEFLATED, b"<Types/>"),
            ("xl/", (2024, 3, 1, 10, 20, 30), zipfile.ZIP_STORED, b""),
            ("xl/workbook.xml", (2023, 12, 31, 23, 59, 58), zipfile.ZIP_DEFLATED, b"<workbook>\r\n  <sheets/>\r\n</workbook>"),
            ("xl/media/image1.png", (2020, 1, 2, 3, 4, 6), zipfile.ZIP_STORED, bytes(range(256)) * 4),
            ("docProps/app.xml", (1999, 9, 9, 9, 9, 8), zipfile.ZIP_DEFLATED, "<Company>Harborough – £</Company>".encode()),
        ]
        for name, when, compression, data in members:
            info = zipfile.ZipInfo(name, date_time=when)
            info.compress_type = compression
            info.external_attr = 0o100644 << 16 if not name.endswith("/") else (0o40755 << 16) | 0x10
            info.comment = name.encode()
            z.writestr(info, data)
    return buffer.getvalue()


def written(package: Package) -> bytes:
    out = io.BytesIO()
    package.write(out)
    return out.getvalue()


def infos(data: bytes) -> list[zipfile.ZipInfo]:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return z.infolist()


# -- members --------------------------------------------------------------------------------------------

def test_an_unchanged_package_is_written_back_member_for_member():
    original = officer_zip()
    copy = written(Package.read(original))
    assert unzipped(copy) == unzipped(original)  # the same bytes, in the same order
    keep = ("filename", "date_time", "compress_type", "external_attr", "comment", "CRC", "file_size")
    assert [tuple(getattr(i, k) for k in keep) for i in infos(copy)] == [tuple(getattr(i, k) for k in keep) for i in infos(original)]
    with zipfile.ZipFile(io.BytesIO(copy)) as z:
        assert z.comment == b"saved by Excel"


@pytest.mark.parametrize("source", ["bytes", "file", "path"])
def test_a_package_is_read_from_bytes_a_file_object_or_a_path(source, tmp_path):
    data = officer_zip()
    path = tmp_path / "register.xlsx"
    path.write_bytes(data)
    given = {"bytes": data, "file": io.BytesIO(data), "path": path}[source]
    assert Package.read(given).names() == ["[Content_Types].xml", "xl/", "xl/workbook.xml", "xl/media/image1.png", "docProps/app.xml"]


def test_a_replaced_member_keeps_its_place_and_timestamp_and_an_added_one_goes_last_with_the_fixed_time():
    package = Package.read(officer_zip())
    package.set("xl/workbook.xml", b"<workbook/>")
    package.set("xl/comments1.xml", b"<comments/>")
    copy = written(package)
    names = [i.filename for i in infos(copy)]
    assert names == ["[Content_Types].xml", "xl/", "xl/workbook.xml", "xl/media/image1.png", "docProps/app.xml", "xl/comments1.xml"]
    by_name = {i.filename: i for i in infos(copy)}
    assert by_name["xl/workbook.xml"].date_time == (2023, 12, 31, 23, 59, 58)
    assert by_name["xl/comments1.xml"].date_time == ADDED_MEMBER_TIME == (2015, 1, 1, 0, 0, 0)
    assert by_name["xl/comments1.xml"].compress_type == zipfile.ZIP_DEFLATED
    assert by_name["xl/media/image1.png"].compress_type == zipfile.ZIP_STORED
    assert unzipped(copy)["xl/workbook.xml"] == b"<workbook/>"


def test_a_member_given_in_pieces_or_as_a_function_is_written_joined_and_read_back_joined():
    package = Package.read(officer_zip())
    calls = []

    def later():
        calls.append(1)
        yield b"<sst>"
        yield memoryview(b"<si/>")
        yield b"</sst>"

    package.set("xl/sheet.xml", [b"<row>", memoryview(b"<c/>"), b"</row>"])
    package.set("xl/sharedStrings.xml", later)
    assert calls == []  # the function is only called when someone needs the bytes
    copy = unzipped(written(package))
    assert copy["xl/sheet.xml"] == b"<row><c/></row>" and copy["xl/sharedStrings.xml"] == b"<sst><si/></sst>"
    assert package.get("xl/sheet.xml") == b"<row><c/></row>"


def test_members_are_found_without_regard_to_case_and_missing_ones_are_a_package_error():
    package = Package.read(officer_zip())
    assert package.find("XL/Workbook.XML") == "xl/workbook.xml"
    assert "xl/WORKBOOK.xml" in package and "xl/styles.xml" not in package
    assert package.find("xl/styles.xml") is None
    with pytest.raises(PackageError, match="xl/styles.xml"):
        package.get("xl/styles.xml")
    package.set("XL/WORKBOOK.XML", b"<w/>")  # replaces the member as stored, adds nothing
    assert package.names().count("xl/workbook.xml") == 1 and package.get("xl/workbook.xml") == b"<w/>"


def test_a_removed_member_is_not_written():
    package = Package.read(officer_zip())
    package.remove("docProps/App.xml")
    package.remove("not/there.xml")
    assert "docProps/app.xml" not in unzipped(written(package))


def test_free_name_is_the_first_number_no_member_has():
    package = Package.read(zipped({"xl/comments1.xml": "", "xl/comments2.xml": "", "xl/Comments4.xml": ""}))
    assert package.free_name("xl/comments{}.xml") == "xl/comments3.xml"
    assert package.free_name("xl/drawings/vmlDrawing{}.vml") == "xl/drawings/vmlDrawing1.vml"


def test_a_member_already_unpacked_is_used_only_when_its_size_and_crc_match():
    data = officer_zip()
    real = unzipped(data)["xl/workbook.xml"]
    same = bytes(real)  # equal, another object
    assert Package.read(data, {"xl/workbook.xml": same}).get("xl/workbook.xml") is same
    forged = real.replace(b"sheets", b"sheetz")  # same size, another CRC
    assert Package.read(data, {"xl/workbook.xml": forged}).get("xl/workbook.xml") == real


def test_a_name_the_zip_lists_twice_is_read_once_the_first():
    buffer = io.BytesIO()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # zipfile warns of the duplicate name
        with zipfile.ZipFile(buffer, "w") as z:
            z.writestr("a.xml", b"first")
            z.writestr("a.xml", b"second")
    package = Package.read(buffer.getvalue())
    assert package.names() == ["a.xml"] and package.get("a.xml") == b"first"


# -- XML --------------------------------------------------------------------------------------------------

def test_parse_xml_refuses_what_is_not_xml_and_never_expands_an_entity():
    with pytest.raises(PackageError, match="not well-formed"):
        parse_xml(b"<a><b></a>")
    root = parse_xml(b'<!DOCTYPE a [<!ENTITY e "EXPANDED">]><a>&e;</a>')
    assert b"EXPANDED" not in etree.tostring(root)


def test_serialize_writes_the_declaration_excel_writes():
    assert serialize(etree.fromstring("<a>£</a>".encode())) == '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<a>£</a>'.encode()


# -- names and relationships ---------------------------------------------------------------------------------

@pytest.mark.parametrize(("part", "expected"), [
    ("xl/workbook.xml", "xl/_rels/workbook.xml.rels"),
    ("xl/worksheets/sheet1.xml", "xl/worksheets/_rels/sheet1.xml.rels"),
    ("customXml/item1.xml", "customXml/_rels/item1.xml.rels"),
    ("book.xml", "_rels/book.xml.rels"),
])
def test_rels_name(part, expected):
    assert rels_name(part) == expected


@pytest.mark.parametrize(("source", "target", "expected"), [
    ("xl/workbook.xml", "worksheets/sheet1.xml", "xl/worksheets/sheet1.xml"),
    ("xl/worksheets/sheet1.xml", "../comments1.xml", "xl/comments1.xml"),
    ("xl/worksheets/sheet1.xml", "/xl/drawings/vmlDrawing1.vml", "xl/drawings/vmlDrawing1.vml"),
    ("", "xl/workbook.xml", "xl/workbook.xml"),
    ("xl/workbook.xml", "./styles.xml", "xl/styles.xml"),
    ("_rels/.rels", "../customXml/item1.xml", "customXml/item1.xml"),  # LibreOffice: nothing is above the root
    ("xl/workbook.xml", "../../../etc/passwd", "etc/passwd"),
])
def test_resolve_names_the_member_a_target_points_at(source, target, expected):
    assert resolve(source, target) == expected


@pytest.mark.parametrize(("source", "target", "expected"), [
    ("xl/workbook.xml", "xl/worksheets/sheet3.xml", "worksheets/sheet3.xml"),
    ("xl/worksheets/sheet1.xml", "xl/comments1.xml", "../comments1.xml"),
    ("xl/workbook.xml", "customXml/item1.xml", "../customXml/item1.xml"),
    ("", "xl/workbook.xml", "xl/workbook.xml"),
])
def test_relative_is_the_target_excel_writes(source, target, expected):
    assert relative(source, target) == expected
    assert resolve(source, relative(source, target)) == target


def sheet_package(sheet_rels: str | None = None) -> Package:
    parts = book()
    if sheet_rels is not None:
        parts["xl/worksheets/_rels/sheet1.xml.rels"] = sheet_rels
    return Package.read(zipped(parts))


def test_rels_lists_a_parts_relationships_and_targets_skips_external_ones():
    external = f'<Relationship Id="rId1" Type="{COMMENTS}" Target="../comments5.xml" TargetMode="External"/>'
    listed = rels(("rId2", "comments", "../comments1.xml"), ("rId3", "comments", "../comments9.xml"))
    package = sheet_package(listed.replace("<Relationship ", external + "<Relationship ", 1))
    found = package.rels("xl/worksheets/sheet1.xml")
    assert [(r.id, r.external) for r in found] == [("rId1", True), ("rId2", False), ("rId3", False)]
    assert [(rel.id, name) for rel, name in package.targets("xl/worksheets/sheet1.xml", COMMENTS)] == [
        ("rId2", "xl/comments1.xml"), ("rId3", "xl/comments9.xml")]
    assert [name for _, name in package.targets("", OFFICE_DOC)] == ["xl/workbook.xml"]
    assert package.rels("xl/styles.xml") == []


def test_add_rel_takes_the_first_free_id_and_writes_a_relative_target():
    package = sheet_package(rels(("rId1", "hyperlink", "https://example.org"), ("rId3", "drawing", "../drawings/drawing1.xml")))
    assert package.add_rel("xl/worksheets/sheet1.xml", COMMENTS, "xl/comments1.xml") == "rId2"
    assert package.add_rel("xl/worksheets/sheet1.xml", COMMENTS, "xl/comments2.xml") == "rId4"
    added = [(r.id, r.target) for r in package.rels("xl/worksheets/sheet1.xml")][-2:]
    assert added == [("rId2", "../comments1.xml"), ("rId4", "../comments2.xml")]


def test_add_rel_makes_the_rels_part_when_there_is_none_and_gives_rels_a_content_type():
    parts = book()
    parts["[Content_Types].xml"] = content_types({"/xl/workbook.xml": "x"}, defaults={"xml": "application/xml"})
    package = Package.read(zipped(parts))
    assert package.add_rel("xl/worksheets/sheet1.xml", COMMENTS, "xl/comments1.xml") == "rId1"
    assert "xl/worksheets/_rels/sheet1.xml.rels" in package.names()
    assert package.content_type("xl/worksheets/_rels/sheet1.xml.rels") == "application/vnd.openxmlformats-package.relationships+xml"


def test_remove_rel_removes_one_and_the_rels_part_with_the_last():
    package = sheet_package(rels(("rId1", "comments", "../comments1.xml"), ("rId2", "vmlDrawing", "../drawings/vmlDrawing1.vml")))
    package.set_override("xl/worksheets/_rels/sheet1.xml.rels", "application/vnd.openxmlformats-package.relationships+xml")
    package.remove_rel("xl/worksheets/sheet1.xml", "rId1")
    assert [r.id for r in package.rels("xl/worksheets/sheet1.xml")] == ["rId2"]
    package.remove_rel("xl/worksheets/sheet1.xml", "rId2")
    assert "xl/worksheets/_rels/sheet1.xml.rels" not in package
    assert b"sheet1.xml.rels" not in package.get("[Content_Types].xml")  # its Override went with it
    package.remove_rel("xl/worksheets/sheet1.xml", "rId9")  # nothing left to remove: no error


# -- content types ----------------------------------------------------------------------------------------------

def test_content_type_is_the_override_else_the_default_of_the_extension_without_regard_to_case():
    package = sheet_package()
    assert package.content_type("xl/worksheets/sheet1.xml") == "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"
    assert package.content_type("XL/Worksheets/Sheet1.xml").endswith("worksheet+xml")
    assert package.content_type("customXml/item1.XML") == "application/xml"
    assert package.content_type("xl/media/image1.png") is None


def test_set_override_adds_changes_and_removes_an_override_and_leaves_the_part_alone_when_nothing_changes():
    package = sheet_package()
    before = package.get("[Content_Types].xml")
    package.set_override("xl/worksheets/sheet1.xml", "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml")
    assert package.get("[Content_Types].xml") is before
    package.set_override("xl/comments1.xml", CT_COMMENTS)
    assert package.content_type("xl/comments1.xml") == CT_COMMENTS
    package.set_override("xl/comments1.xml", "text/plain")
    assert package.content_type("xl/comments1.xml") == "text/plain"
    assert package.get("[Content_Types].xml").count(b"/xl/comments1.xml") == 1
    package.set_override("xl/comments1.xml", None)
    assert b"comments1" not in package.get("[Content_Types].xml")


def test_ensure_default_goes_after_the_last_default_and_before_the_overrides_once():
    package = sheet_package()
    package.ensure_default("vml", "application/vnd.openxmlformats-officedocument.vmlDrawing")
    root = etree.fromstring(package.get("[Content_Types].xml"))
    kinds = [(etree.QName(e).localname, e.get("Extension")) for e in root]
    assert kinds[:3] == [("Default", "rels"), ("Default", "xml"), ("Default", "vml")]
    assert {k for k, _ in kinds[3:]} == {"Override"}
    package.ensure_default("vml", "something/else")
    assert package.get("[Content_Types].xml").count(b'Extension="vml"') == 1
