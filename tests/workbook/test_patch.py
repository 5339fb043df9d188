"""The package patcher on the workbooks officers really have: threaded comments, macros, templates,
Strict Open XML, prefixed SpreadsheetML, cells without references (SPEC §7)."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import openpyxl
import pytest

from partnership_xl import cli
from partnership_xl.annotate import write_annotated
from partnership_xl.config import Settings
from partnership_xl.engine import check
from partnership_xl.model import finding_dicts
from partnership_xl.workbook.package import Package

from ..conftest import AS_OF, row, write_register

SHEET_PART = "xl/worksheets/sheet1.xml"


def rewrite(path: Path, change) -> Path:
    """Rewrite the package at ``path``: ``change(parts)`` edits the dict of member → bytes."""
    with zipfile.ZipFile(path) as z:
        parts = {i.filename: z.read(i) for i in z.infolist()}
    change(parts)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in parts.items():
            z.writestr(name, data)
    return path


def members(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as z:
        return {n: z.read(n) for n in z.namelist()}


@pytest.fixture
def register(tmp_path) -> Path:
    return write_register(tmp_path / "register.xlsx", [row(ref="P001"), row(ref="P002", lead_officer=None), row(ref="P003")])


def lead_officer_cell(path: Path) -> str:
    return next(f.cell for f in check(path, Settings(), AS_OF).findings if f.code == "PP801")


THREADED = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<ThreadedComments xmlns="http://schemas.microsoft.com/office/'
            'spreadsheetml/2018/threadedcomments" xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
            '<threadedComment ref="{ref}" dT="2026-10-01T09:00:00.00" personId="{{5E1C1B2A-0000-4000-8000-000000000001}}" '
            'id="{{0F7A9C3E-0000-4000-8000-000000000001}}"><text>Who is taking this over?</text></threadedComment></ThreadedComments>')
LEGACY = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<comments xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
          '<authors><author>tc={{0F7A9C3E-0000-4000-8000-000000000001}}</author></authors><commentList><comment ref="{ref}" authorId="0" '
          'shapeId="0"><text><t>[Threaded comment]\n\nYour version of Excel allows you to read this threaded comment.\n\nComment:\n    '
          'Who is taking this over?</t></text></comment></commentList></comments>')


def add_threaded_comment(path: Path, ref: str) -> Path:
    def change(parts):
        parts["xl/threadedComments/threadedComment1.xml"] = THREADED.format(ref=ref).encode()
        parts["xl/comments1.xml"] = LEGACY.format(ref=ref).encode()
        parts["xl/worksheets/_rels/sheet1.xml.rels"] = (
            b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
            b'relationships"><Relationship Id="rId1" Type="http://schemas.microsoft.com/office/2017/10/relationships/threadedComment" '
            b'Target="../threadedComments/threadedComment1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/'
            b'officeDocument/2006/relationships/comments" Target="../comments1.xml"/></Relationships>')
        types = parts["[Content_Types].xml"].decode()
        types = types.replace("</Types>", '<Override PartName="/xl/threadedComments/threadedComment1.xml" ContentType="application/'
                              'vnd.ms-excel.threadedcomments+xml"/><Override PartName="/xl/comments1.xml" ContentType="application/vnd.'
                              'openxmlformats-officedocument.spreadsheetml.comments+xml"/></Types>')
        parts["[Content_Types].xml"] = types.encode()
    return rewrite(path, change)


def test_a_cell_with_a_threaded_comment_keeps_it_and_its_findings_go_to_the_findings_sheet(register, tmp_path):
    ref = lead_officer_cell(register)
    add_threaded_comment(register, ref)
    out = tmp_path / "copy.xlsx"
    write_annotated(check(register, Settings(), AS_OF), out)
    before, after = members(register), members(out)
    assert after["xl/threadedComments/threadedComment1.xml"] == before["xl/threadedComments/threadedComment1.xml"]
    assert after["xl/comments1.xml"] == before["xl/comments1.xml"]  # no note added on the threaded comment's cell
    wb = openpyxl.load_workbook(out)
    assert any(c.value == "PP801" for c in wb["Findings"]["G"])
    summary = {r[0]: r[1:] for r in wb["Summary"].iter_rows(values_only=True) if r and r[0]}
    assert summary["Cells with a threaded comment"][0] == 1 and ref in summary["Cells with a threaded comment"][2]
    again = tmp_path / "again.xlsx"
    write_annotated(check(out, Settings(), AS_OF), again)
    assert members(again) == after


def test_the_near_miss_a_flagged_cell_without_a_threaded_comment_gets_its_note(register, tmp_path):
    ref = lead_officer_cell(register)
    add_threaded_comment(register, "A1")  # a threaded comment elsewhere
    out = tmp_path / "copy.xlsx"
    write_annotated(check(register, Settings(), AS_OF), out)
    assert "PP801" in openpyxl.load_workbook(out).active[ref].comment.text


def make_macro_enabled(path: Path, template: bool = False) -> Path:
    main = "application/vnd.ms-excel.template.macroEnabled.main+xml" if template else "application/vnd.ms-excel.sheet.macroEnabled.main+xml"

    def change(parts):
        types = parts["[Content_Types].xml"].decode()
        types = re.sub(r'(PartName="/xl/workbook.xml" ContentType=")[^"]+"', rf'\g<1>{main}"', types)
        types = types.replace("</Types>", '<Default Extension="bin" ContentType="application/vnd.ms-office.vbaProject"/></Types>')
        parts["[Content_Types].xml"] = types.encode()
        parts["xl/vbaProject.bin"] = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(range(256)) * 8
        rels = parts["xl/_rels/workbook.xml.rels"].decode()
        parts["xl/_rels/workbook.xml.rels"] = rels.replace("</Relationships>", '<Relationship Id="rId99" Type="http://schemas.microsoft.com/'
                                                           'office/2006/relationships/vbaProject" Target="vbaProject.bin"/></Relationships>').encode()
    return rewrite(path, change)


def test_a_macro_enabled_register_gets_a_macro_enabled_copy_with_its_macros(register, tmp_path, capsys):
    xlsm = make_macro_enabled(register.rename(tmp_path / "Register.xlsm"))
    assert cli.main(["validate", str(xlsm), "--as-of", "2026-11-25", "--quiet"]) == 1
    copy = tmp_path / "Register - checked 2026-11-25.xlsm"
    assert copy.is_file() and members(copy)["xl/vbaProject.bin"] == members(xlsm)["xl/vbaProject.bin"]
    assert b"macroEnabled.main+xml" in members(copy)["[Content_Types].xml"]
    assert cli.main(["validate", str(xlsm), "--out", str(tmp_path / "copy.xlsx"), "--as-of", "2026-11-25"]) == 2
    assert "does not end in .xlsm" in capsys.readouterr().err
    assert cli.main(["validate", str(xlsm), "--out", str(tmp_path / "copy.xlsm"), "--as-of", "2026-11-25", "--quiet"]) == 1


def test_a_template_becomes_a_workbook(register, tmp_path):
    def change(parts):
        types = parts["[Content_Types].xml"].decode()
        parts["[Content_Types].xml"] = types.replace("spreadsheetml.sheet.main+xml", "spreadsheetml.template.main+xml").encode()
    template = rewrite(register.rename(tmp_path / "Register.xltx"), change)
    out = tmp_path / "copy.xlsx"
    write_annotated(check(template, Settings(), AS_OF), out)
    types = members(out)["[Content_Types].xml"]
    assert b"spreadsheetml.sheet.main+xml" in types and b"template.main" not in types
    assert openpyxl.load_workbook(out).sheetnames[-2:] == ["Findings", "Summary"]


def test_a_sheet_written_with_prefixed_elements_and_cells_without_references_is_patched(register, tmp_path):
    ref = lead_officer_cell(register)

    def change(parts):
        xml = parts[SHEET_PART].decode()
        xml = re.sub(r"<(/?)([A-Za-z]+)([ />])", r"<\1x:\2\3", xml)
        xml = xml.replace('xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"',
                          'xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main"')
        xml = re.sub(r'(<x:c) r="[ABC]3"', r"\1", xml)  # row 3's first cells carry no reference (A, B, C by their place)
        parts[SHEET_PART] = xml.encode()
    rewrite(register, change)
    result = check(register, Settings(), AS_OF)
    out = tmp_path / "copy.xlsx"
    write_annotated(result, out)
    ws = openpyxl.load_workbook(out).active
    assert "PP801" in ws[ref].comment.text
    assert ws["A3"].value == "P002" and ws.cell(1, result.register.last_column + 1).value.endswith("(partnership-xl)")
    assert finding_dicts(check(out, Settings(), AS_OF).findings) == finding_dicts(result.findings)


def test_a_strict_open_xml_workbook_gets_a_values_copy_that_says_so(register, tmp_path):
    package = Package.read(register)
    xml = package.get("xl/workbook.xml").replace(b"http://schemas.openxmlformats.org/spreadsheetml/2006/main",
                                                 b"http://purl.oclc.org/ooxml/spreadsheetml/main")
    package.set("xl/workbook.xml", xml)
    package.write(tmp_path / "strict.xlsx")
    try:
        result = check(tmp_path / "strict.xlsx", Settings(), AS_OF)
    except Exception as exc:  # noqa: BLE001 - a reader that refuses it is a code 2 elsewhere; the copy is not reached
        pytest.skip(f"the reader does not read it: {exc}")
    out = tmp_path / "copy.xlsx"
    losses = write_annotated(result, out)
    assert len(losses) == 1 and "Strict" in losses[0] and "values only" in losses[0]
    assert openpyxl.load_workbook(out).active["A2"].value == "P001"
