"""workbook/sniff.py: what the register file really is, and the files that are refused (SPEC §8)."""

from __future__ import annotations

import json
import struct
import zipfile
from pathlib import Path

import defusedxml
import openpyxl
import openpyxl.xml
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from partnership_xl import errors
from partnership_xl.config import Limits
from partnership_xl.workbook.sniff import inspect_register

from .refusals import BAD, refused, replace_part, xlsx_parts

EXPECTED = json.loads((BAD / "expected.json").read_text(encoding="utf-8"))
REFUSED_BY_INSPECTION = {name: e for name, e in EXPECTED.items() if e["error"] not in (None, "NoRegisterSheet")}
PASSED_ON = {name: e for name, e in EXPECTED.items() if "kind" in e}


# --- the committed corpus ----------------------------------------------------------------------

@pytest.mark.parametrize("name", sorted(REFUSED_BY_INSPECTION))
def test_corpus_file_is_refused_with_its_sentence(name):
    expected = REFUSED_BY_INSPECTION[name]
    refused(BAD / name, getattr(errors, expected["error"]), expected["message"])


@pytest.mark.parametrize("name", sorted(PASSED_ON))
def test_corpus_file_is_passed_on_to_the_reader(name):
    assert inspect_register(BAD / name, Limits()) == EXPECTED[name]["kind"]


def test_corpus_is_small():
    assert sum(p.stat().st_size for p in BAD.iterdir()) < 1024 * 1024
    assert all(p.stat().st_size < 300 * 1024 for p in BAD.iterdir())


def test_expected_names_real_exception_classes():
    for expected in EXPECTED.values():
        if expected["error"]:
            assert issubclass(getattr(errors, expected["error"]), errors.PartnershipXLError)


# --- path, size and magic bytes -----------------------------------------------------------------

def not_found_sentence(path: Path) -> str:
    with pytest.raises(errors.RegisterNotFound) as caught:
        inspect_register(path, Limits())
    message = str(caught.value)
    assert "\n" not in message and message.endswith("then run again.")
    return message


def test_missing_file_names_the_path_as_given_and_the_folder_tried(tmp_path):
    """Was: "Register.xlsx was not found", whatever folder or drive was tried (issue 14)."""
    message = not_found_sentence(tmp_path / "Register.xlsx")
    assert message.startswith(f"{tmp_path / 'Register.xlsx'} was not found: there is no file called Register.xlsx in the folder {tmp_path}")


def test_missing_file_in_the_current_folder_names_that_folder(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert f"nothere.xlsx was not found: there is no file called nothere.xlsx in the current folder ({tmp_path})" in not_found_sentence(Path("nothere.xlsx"))


def test_missing_folder_on_the_way(tmp_path):
    message = not_found_sentence(tmp_path / "No such folder" / "Deeper" / "Register.xlsx")
    assert f"was not found: the folder {tmp_path / 'No such folder'} does not exist" in message


@pytest.mark.parametrize("path, present, fragment", [
    (r"W:\PUBLIC\Partnership Register.xlsx", set(), "the drive W: does not exist on this computer"),
    (r"W:\PUBLIC\Partnership Register.xlsx", {"W:\\"}, "the folder W:\\PUBLIC does not exist"),
    (r"W:\PUBLIC\Partnership Register.xlsx", {"W:\\", "W:\\PUBLIC"}, "there is no file called Partnership Register.xlsx in the folder W:\\PUBLIC"),
    (r"\\SERVER\SHARE\PUBLIC\Register.xlsx", set(), "the network share \\\\SERVER\\SHARE cannot be reached"),
])
def test_a_windows_drive_or_share_that_is_not_there(path, present, fragment):
    """An unmapped W: in a scheduled task's log: the drive is named, with why a task may not see it."""
    from pathlib import PureWindowsPath

    from partnership_xl.workbook.sniff import missing_part

    assert fragment in missing_part(PureWindowsPath(path), exists=lambda p: str(p) in present)


def test_folder(tmp_path):
    folder = tmp_path / "Managing Partnerships"
    folder.mkdir()
    refused(folder, errors.RegisterNotFound, "is a folder, not a workbook")


def test_folder_named_like_a_workbook(tmp_path):
    folder = tmp_path / "Register.xlsx"
    folder.mkdir()
    refused(folder, errors.RegisterNotFound, "is a folder, not a workbook")


def test_real_workbooks_pass(good, tmp_path):
    assert inspect_register(good, Limits()) == "xlsx"
    saved = tmp_path / "by openpyxl.xlsx"
    openpyxl.load_workbook(good).save(saved)
    assert inspect_register(saved, Limits()) == "xlsx"


def test_extension_is_not_trusted(good, tmp_path):
    renamed = tmp_path / "register.csv"
    renamed.write_bytes(good.read_bytes())
    assert inspect_register(renamed, Limits()) == "xlsx"
    assert inspect_register(BAD / "legacy.xls", Limits()) == "xls"
    xls_named_xlsx = tmp_path / "legacy.xlsx"
    xls_named_xlsx.write_bytes((BAD / "legacy.xls").read_bytes())
    assert inspect_register(xls_named_xlsx, Limits()) == "xls"


@pytest.mark.parametrize("content, hint", [
    (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "(it is a PDF)"),
    (b"<html><body><table><tr><td>Ref</td></tr></table></body></html>", "(it is a web page)"),
    (b'<?xml version="1.0"?><?mso-application progid="Excel.Sheet"?><Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet">',
     "Excel 2003 XML spreadsheet"),
    ("Ref;Partnership name\nP001;Forum £\n".encode(), "CSV or text file"),
])
def test_not_a_workbook_says_what_it_seems_to_be(tmp_path, content, hint):
    path = tmp_path / "Register.xls"
    path.write_bytes(content)
    message = refused(path, errors.NotAWorkbook, "is not an Excel workbook")
    assert hint in message and "save it as an Excel Workbook (.xlsx)" in message


# --- zips that are not workbooks ----------------------------------------------------------------

def test_kinds_of_zip_package(tmp_path):
    cases = {
        "macro.xlsm": ({"[Content_Types].xml": "<Types/>", "xl/workbook.xml": "<workbook/>"}, "xlsx"),
        "binary.xlsb": ({"[Content_Types].xml": "<Types/>", "xl/workbook.bin": b"\x83\x01\x00"}, "xlsb"),
        "calc.ods": ({"mimetype": "application/vnd.oasis.opendocument.spreadsheet", "content.xml": "<office:document-content/>"}, "ods"),
    }
    for name, (parts, kind) in cases.items():
        path = tmp_path / name
        path.write_bytes(xlsx_parts(parts))
        assert inspect_register(path, Limits()) == kind


@pytest.mark.parametrize("parts, fragment", [
    ({"[Content_Types].xml": "<Types/>", "word/document.xml": "<w:document/>"}, "is a Word document"),
    ({"[Content_Types].xml": "<Types/>", "ppt/presentation.xml": "<p:presentation/>"}, "is a PowerPoint presentation"),
    ({"mimetype": "application/vnd.oasis.opendocument.text", "content.xml": "<office:document-content/>"}, "OpenDocument file but not a spreadsheet"),
    ({"photo.jpg": b"\xff\xd8\xff\xe0"}, "no workbook inside"),
])
def test_other_zip_packages(tmp_path, parts, fragment):
    path = tmp_path / "Register.xlsx"
    path.write_bytes(xlsx_parts(parts))
    refused(path, errors.NotAWorkbook, fragment)


def test_password_protected_ods(tmp_path):
    path = tmp_path / "Register.ods"
    manifest = '<manifest:manifest><manifest:file-entry manifest:full-path="content.xml"><manifest:encryption-data/></manifest:file-entry></manifest:manifest>'
    path.write_bytes(xlsx_parts({"mimetype": "application/vnd.oasis.opendocument.spreadsheet",
                                 "content.xml": b"\x8f\x02binary", "META-INF/manifest.xml": manifest}))
    refused(path, errors.ProtectedWorkbook, "is protected with a password")


@pytest.mark.parametrize("cut", [1, 3, 30, 200, -22, -1])
def test_truncated_anywhere(good, tmp_path, cut):
    data = good.read_bytes()
    path = tmp_path / "Register.xlsx"
    path.write_bytes(data[:cut] if cut > 0 else data[:len(data) + cut])
    with pytest.raises(errors.NotAWorkbook):
        inspect_register(path, Limits())


def test_corrupt_data_in_a_small_part_is_caught(good, tmp_path):
    data = bytearray(good.read_bytes())
    info = zipfile.ZipFile(good).getinfo("xl/workbook.xml")
    start = info.header_offset + 30 + len(info.filename) + len(info.extra)
    data[start + 5:start + 25] = b"\x00" * 20
    path = tmp_path / "Register.xlsx"
    path.write_bytes(bytes(data))
    refused(path, errors.NotAWorkbook, "is damaged or incomplete")


# --- zip bombs: judged from the central directory -------------------------------------------------

@pytest.mark.parametrize("limits, setting", [
    (Limits(), "max_ratio"),
    (Limits(max_part_mb=100), "max_part_mb"),
    (Limits(max_total_mb=150, max_ratio=10_000), "max_total_mb"),
    (Limits(max_ratio=10_000), "max_cells"),  # 200 MB of sheet could hold 10 million cells
])
def test_zip_bomb_names_the_limit_and_its_setting(limits, setting):
    message = refused(BAD / "zip-bomb.xlsx", errors.UnsafeWorkbook, f"(setting {setting})", limits)
    assert f"raise {setting} in partnership-xl.toml" in message


def test_more_rows_than_excel_holds_is_refused_without_naming_a_setting():
    # max_rows is Excel's own limit, not a setting: the message must not send the officer to raise it
    limits = Limits(max_ratio=10_000, max_cells=10**9, max_rows=100_000)
    message = refused(BAD / "zip-bomb.xlsx", errors.UnsafeWorkbook, "rows Excel can hold", limits)
    assert "max_rows" not in message and "setting" not in message


def test_zip_bomb_passes_when_every_limit_is_raised():
    limits = Limits(max_ratio=10_000, max_cells=10**9)
    assert inspect_register(BAD / "zip-bomb.xlsx", limits) == "xlsx"


def test_part_sizes_are_read_without_unpacking(tmp_path):
    # A central directory that claims 600 MB for a tiny part is refused from the claim alone.
    data = bytearray(xlsx_parts({"xl/workbook.xml": "<workbook/>", "xl/worksheets/sheet1.xml": "<worksheet/>"}))
    at = data.rindex(b"PK\x01\x02")  # the central directory entry of the last part, sheet1.xml
    assert data[at + 46:at + 46 + 24] == b"xl/worksheets/sheet1.xml"
    data[at + 24:at + 28] = struct.pack("<I", 600 * 1024 * 1024)  # its uncompressed size
    path = tmp_path / "Register.xlsx"
    path.write_bytes(bytes(data))
    refused(path, errors.UnsafeWorkbook, "(setting max_part_mb)")


def test_a_sheet_part_holding_no_xml_is_damaged(good, tmp_path):
    garbage = tmp_path / "garbage.xlsx"
    garbage.write_bytes(replace_part(good.read_bytes(), "xl/worksheets/sheet1.xml", bytes(range(256)) * 8))
    refused(garbage, errors.NotAWorkbook, "is damaged or incomplete")


# --- XML attacks: a DTD anywhere before the root element of any part ------------------------------

def test_openpyxl_uses_defusedxml():
    assert openpyxl.xml.DEFUSEDXML is True


@pytest.mark.parametrize("name", ["billion-laughs.xlsx", "xxe.xlsx"])
def test_openpyxl_refuses_the_attack_files_too(name):
    with pytest.raises(Exception) as caught:
        openpyxl.load_workbook(BAD / name)
    cause = caught.value.__cause__ or caught.value.__context__
    assert isinstance(caught.value, defusedxml.DefusedXmlException) or isinstance(cause, defusedxml.DefusedXmlException)


def test_the_attack_files_are_otherwise_valid_workbooks():
    # Without its DTD the same sheet reads: the refusal is for the DTD, not for a broken file.
    for name in ("billion-laughs.xlsx", "xxe.xlsx"):
        with zipfile.ZipFile(BAD / name) as zf:
            assert any(b"<!DOCTYPE" in zf.read(part) for part in zf.namelist())


DTD = b'<!DOCTYPE x [<!ENTITY a "aaaaaaaaaa">]>'


@pytest.mark.parametrize("part, content", [
    ("xl/worksheets/sheet1.xml", b'<?xml version="1.0"?>\n<!-- <worksheet> -->\n' + DTD + b"<worksheet/>"),
    ("xl/worksheets/sheet1.xml", b'<?xml version="1.0"?>' + b"<!-- padding -->" * 300 + DTD + b"<worksheet/>"),
    ("xl/worksheets/sheet1.xml", b'<!DOCTYPE worksheet SYSTEM "http://example.invalid/evil.dtd"><worksheet/>'),
    ("xl/styles.xml", ('<?xml version="1.0" encoding="UTF-16"?>' + DTD.decode() + "<styleSheet/>").encode("utf-16")),
    ("xl/styles.xml", ('<?xml version="1.0" encoding="UTF-16"?>' + DTD.decode() + "<styleSheet/>").encode("utf-16-le")),
    ("xl/styles.xml", b"\xef\xbb\xbf" + DTD + b"<styleSheet/>"),
    ("xl/styles.xml", b'<?xml version="1.0" encoding="UTF-7"?>+ADw-!DOCTYPE x+AD4-<styleSheet/>'),
    ("xl/worksheets/_rels/sheet1.xml.rels", DTD + b"<Relationships/>"),
    ("xl/drawings/vmlDrawing1.vml", DTD + b"<xml/>"),
    ("xl/worksheets/sheet1.dat", DTD + b"<worksheet/>"),  # any name: openpyxl follows the rels
])
def test_dtd_is_refused_however_it_is_dressed(good, tmp_path, part, content):
    src = zipfile.ZipFile(good)
    parts = {i.filename: src.read(i) for i in src.infolist()}
    parts[part] = content
    path = tmp_path / "Register.xlsx"
    path.write_bytes(xlsx_parts(parts))
    refused(path, errors.UnsafeWorkbook, "(a DTD)")


def test_a_preamble_too_long_to_scan_is_refused(good, tmp_path):
    path = tmp_path / "Register.xlsx"
    path.write_bytes(replace_part(good.read_bytes(), "xl/workbook.xml", b"<!-- x -->" * 10_000 + b"<workbook/>"))
    refused(path, errors.UnsafeWorkbook, "preamble")


def test_doctype_words_inside_the_data_are_fine(good, tmp_path):
    # Only a declaration before the root element is a DTD; the words in a cell are just text.
    sheet = (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
             b'<dimension ref="A1"/><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&lt;!DOCTYPE x&gt; &lt;!ENTITY y&gt;</t></is></c></row></sheetData></worksheet>')
    path = tmp_path / "Register.xlsx"
    path.write_bytes(replace_part(good.read_bytes(), "xl/worksheets/sheet1.xml", sheet))
    assert inspect_register(path, Limits()) == "xlsx"
    assert openpyxl.load_workbook(path).active["A1"].value == "<!DOCTYPE x> <!ENTITY y>"


# --- whatever the bytes, a sentence or a kind, never a crash -------------------------------------

SEEDS = [(BAD / "legacy.xls").read_bytes(), (BAD / "encrypted.xlsx").read_bytes(),
         (BAD / "no-register.xlsx").read_bytes(), (BAD / "xxe.xlsx").read_bytes()]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(seed=st.sampled_from(SEEDS), cut=st.integers(0, 20_000),
       flips=st.lists(st.tuples(st.integers(0, 20_000), st.integers(0, 255)), max_size=8))
def test_damaged_bytes_never_crash(tmp_path, seed, cut, flips):
    data = bytearray(seed[:cut] if cut else seed)
    for at, value in flips:
        if at < len(data):
            data[at] = value
    path = tmp_path / "fuzzed.xlsx"
    path.write_bytes(bytes(data))
    try:
        assert inspect_register(path, Limits()) in {"xlsx", "xls", "xlsb", "ods"}
    except errors.PartnershipXLError as exc:
        assert "\n" not in str(exc) and "fuzzed.xlsx" in str(exc)
