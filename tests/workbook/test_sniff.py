"""safety.py: what the register file really is, and the files that are refused (SPEC §8)."""

from __future__ import annotations

import io
import json
import struct
import zipfile
from pathlib import Path

import defusedxml
import openpyxl
import openpyxl.xml
import pytest
import xlsxwriter
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from partnership_xl import errors
from partnership_xl.config import Limits
from partnership_xl.workbook.lockfile import lock_owner, owner_file_names
from partnership_xl.workbook.sniff import CFB_MAGIC, inspect_register

BAD = Path(__file__).parents[1] / "data" / "bad"
EXPECTED = json.loads((BAD / "expected.json").read_text(encoding="utf-8"))
REFUSED_BY_INSPECTION = {name: e for name, e in EXPECTED.items() if e["error"] not in (None, "NoRegisterSheet")}
PASSED_ON = {name: e for name, e in EXPECTED.items() if "kind" in e}


def refused(path: Path, error: type[errors.PartnershipXLError], fragment: str, limits: Limits = Limits()) -> str:
    """Inspect ``path``, expecting ``error`` with ``fragment``; the sentence is checked for plainness."""
    with pytest.raises(error) as caught:
        inspect_register(path, limits)
    message = str(caught.value)
    assert fragment in message
    assert path.name in message
    assert str(path.parent) not in message  # the file name, never this machine's full path
    assert "\n" not in message and "Traceback" not in message
    return message


def xlsx_parts(parts: dict[str, bytes | str]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in parts.items():
            zf.writestr(name, data)
    return buf.getvalue()


def replace_part(data: bytes, part: str, content: bytes) -> bytes:
    src = zipfile.ZipFile(io.BytesIO(data))
    return xlsx_parts({i.filename: content if i.filename == part else src.read(i) for i in src.infolist()})


@pytest.fixture
def good(tmp_path) -> Path:
    """A small real workbook written by xlsxwriter."""
    path = tmp_path / "Partnership Register.xlsx"
    book = xlsxwriter.Workbook(path)
    sheet = book.add_worksheet("Register")
    sheet.write_row(0, 0, ["Ref", "Partnership name", "Status"])
    sheet.write_row(1, 0, ["P001", "Community Safety Partnership", "Active"])
    book.close()
    return path


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


def test_sheet_formatted_to_the_last_row_is_fine(tmp_path):
    path = tmp_path / "Register.xlsx"
    book = xlsxwriter.Workbook(path)
    sheet = book.add_worksheet()
    sheet.write_row(0, 0, ["Ref", "Partnership name"])
    sheet.write_blank(1_048_575, 16_383, None, book.add_format({"bg_color": "#FFFF00"}))
    book.close()
    with zipfile.ZipFile(path) as zf:
        assert b'<dimension ref="A1:XFD1048576"/>' in zf.read("xl/worksheets/sheet1.xml")
    assert inspect_register(path, Limits()) == "xlsx"
    assert inspect_register(path, Limits(max_cells=1000, max_rows=1000)) == "xlsx"



@pytest.mark.parametrize("sheet_name, cell, fragment", [
    ("Register", (1_048_575, 16_383), "as far out as row 1,048,576 and column XFD"),  # python-calamine aborted the process
    ("Guidance notes", (59_999, 701), "as far out as row 60,000 and column ZZ"),  # 42 million cells, 1.7 GB
])
def test_a_stray_value_far_from_the_table_is_refused_before_a_reader_allocates_for_it(tmp_path, sheet_name, cell, fragment):
    """The readers allocate the box from the first to the last cell holding something, not the cells held."""
    path = tmp_path / "Register.xlsx"
    book = xlsxwriter.Workbook(path)
    register = book.add_worksheet("Register")
    register.write_row(0, 0, ["Ref", "Partnership name"])
    sheet = register if sheet_name == "Register" else book.add_worksheet(sheet_name)
    sheet.write(0, 0, "How to keep the register")
    sheet.write(*cell, "oops")
    book.close()
    message = refused(path, errors.UnsafeWorkbook, fragment)
    assert f"sheet '{sheet_name}'" in message and "Ctrl+End" in message and "max_cells" in message
    assert inspect_register(path, Limits(max_cells=20_000_000_000)) == "xlsx"


def test_an_oversized_sheet_is_handed_back_when_asked_so_the_reader_can_pass_it_over(tmp_path):
    path = tmp_path / "Register.xlsx"
    book = xlsxwriter.Workbook(path)
    book.add_worksheet("Register").write_row(0, 0, ["Ref", "Partnership name"])
    book.add_worksheet("Guidance notes").write(59_999, 701, "oops")  # alone: the box read from A1 is still 42 million cells
    book.close()
    oversized: list = []
    assert inspect_register(path, Limits(), oversized) == "xlsx"
    assert [exc.sheet for exc in oversized] == ["Guidance notes"]
    assert isinstance(oversized[0], errors.UnsafeWorkbook) and "Ctrl+End" in str(oversized[0])


@pytest.mark.parametrize("cell", ['<c r="ZZZZ9"><v>1</v></c>', '<c r="A99999999"><v>1</v></c>', '<x:c s="1" r="XFE1" t="n"><x:v>1</x:v></x:c>'])
def test_a_cell_beyond_excels_last_one_is_refused(good, tmp_path, cell):
    """Even when the <dimension> says the sheet is small: calamine would try to allocate up to it."""
    with zipfile.ZipFile(good) as zf:
        sheet = zf.read("xl/worksheets/sheet1.xml")
    hostile = tmp_path / "hostile.xlsx"
    hostile.write_bytes(replace_part(good.read_bytes(), "xl/worksheets/sheet1.xml", sheet.replace(b"</sheetData>", b"<row r=\"9\">" + cell.encode() + b"</row></sheetData>")))
    refused(hostile, errors.UnsafeWorkbook, "beyond Excel's last cell XFD1048576")


def test_a_sheet_part_cut_short_inside_a_whole_zip_is_damaged_not_no_register(good, tmp_path):
    """The zip is whole but the sheet's XML stops half-way: the readers skipped the sheet and said
    'no sheet looks like a register'; it is a damaged file."""
    with zipfile.ZipFile(good) as zf:
        sheet = zf.read("xl/worksheets/sheet1.xml")
    cut = tmp_path / "cut.xlsx"
    cut.write_bytes(replace_part(good.read_bytes(), "xl/worksheets/sheet1.xml", sheet[: len(sheet) * 2 // 3]))
    refused(cut, errors.NotAWorkbook, "is damaged or incomplete")


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


# --- OLE compound files ----------------------------------------------------------------------------

def _directory_entry_offset(data: bytes, stream: str) -> int:
    return data.index(stream.encode("utf-16-le") + b"\0\0")


def test_legacy_xls_is_read_as_xls():
    assert inspect_register(BAD / "legacy.xls", Limits()) == "xls"


def test_encrypted_xlsx_is_a_genuine_compound_file():
    data = (BAD / "encrypted.xlsx").read_bytes()
    assert data.startswith(CFB_MAGIC)
    assert "EncryptionInfo".encode("utf-16-le") in data and "EncryptedPackage".encode("utf-16-le") in data


def test_password_on_a_legacy_xls(tmp_path):
    # legacy.xls with the record after BOF turned into FILEPASS, as Excel writes an encrypted .xls
    data = bytearray((BAD / "legacy.xls").read_bytes())
    bof = data.index(b"\x09\x08\x10\x00\x00\x06\x05\x00")  # BIFF8 workbook globals BOF, length 16
    data[bof + 20:bof + 22] = struct.pack("<H", 0x002F)
    path = tmp_path / "Old register.xls"
    path.write_bytes(bytes(data))
    message = refused(path, errors.ProtectedWorkbook, "is protected with a password")
    assert "Encrypt with Password" in message and ".xlsx" in message


def test_word_document_in_a_compound_file(tmp_path):
    data = bytearray((BAD / "legacy.xls").read_bytes())
    at = _directory_entry_offset(bytes(data), "Workbook")
    name = "WordDocument".encode("utf-16-le") + b"\0\0"
    data[at:at + 64] = name.ljust(64, b"\0")
    data[at + 64:at + 66] = struct.pack("<H", len(name))
    path = tmp_path / "Register.xls"
    path.write_bytes(bytes(data))
    refused(path, errors.NotAWorkbook, "is a Word document")


@pytest.mark.parametrize("keep", [8, 100, 512, 1024, 2816, 4096, 5532])
def test_truncated_compound_file(tmp_path, keep):
    path = tmp_path / "Register.xls"
    path.write_bytes((BAD / "legacy.xls").read_bytes()[:keep])
    refused(path, errors.NotAWorkbook, "is damaged or incomplete")


def test_compound_file_with_a_directory_loop(tmp_path):
    data = bytearray((BAD / "legacy.xls").read_bytes())
    first_dir = struct.unpack_from("<I", data, 0x30)[0]
    fat = struct.unpack_from("<I", data, 0x4C)[0]
    struct.pack_into("<I", data, (fat + 1) * 512 + first_dir * 4, first_dir)  # directory -> itself
    path = tmp_path / "Register.xls"
    path.write_bytes(bytes(data))
    refused(path, errors.NotAWorkbook, "is damaged or incomplete")


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


# --- Excel's owner file ---------------------------------------------------------------------------

def excel_owner_file(user: str) -> bytes:
    """An owner file as Excel writes it: length, ANSI name, spaces to 55, length, UTF-16 name."""
    ansi = user.encode("cp1252", errors="replace")
    data = bytes([len(user)]) + ansi
    data = data.ljust(55, b" ") + struct.pack("<H", len(user)) + user.encode("utf-16-le")
    return data.ljust(165, b" ")


def word_owner_file(user: str) -> bytes:
    data = (bytes([len(user)]) + user.encode("cp1252")).ljust(54, b"\0")
    return (data + struct.pack("<H", len(user)) + user.encode("utf-16-le")).ljust(162, b"\0")


def test_owner_file_names():
    assert owner_file_names("Register.xlsx") == ["~$Register.xlsx", "~$gister.xlsx"]
    assert owner_file_names("Regist1.xlsx") == ["~$Regist1.xlsx", "~$egist1.xlsx"]
    assert owner_file_names("Reg.xlsx") == ["~$Reg.xlsx"]


def test_nobody_has_it_open(good):
    assert lock_owner(good) is None


@pytest.mark.parametrize("owner_name", ["~$Partnership Register.xlsx", "~$rtnership Register.xlsx"])
def test_who_has_it_open(good, owner_name):
    (good.parent / owner_name).write_bytes(excel_owner_file("Zoë Fairbanks"))
    assert lock_owner(good) == "Zoë Fairbanks"


def test_owner_of_a_short_name(tmp_path):
    (tmp_path / "~$Reg.xlsx").write_bytes(excel_owner_file("Sarah Whitfield"))
    assert lock_owner(tmp_path / "Reg.xlsx") == "Sarah Whitfield"


def test_owner_file_in_word_layout(tmp_path):
    (tmp_path / "~$Reg.xlsx").write_bytes(word_owner_file("J Smith"))
    assert lock_owner(tmp_path / "Reg.xlsx") == "J Smith"


def test_owner_file_with_only_the_ansi_name(tmp_path):
    (tmp_path / "~$Reg.xlsx").write_bytes(b"\x07J Smith")
    assert lock_owner(tmp_path / "Reg.xlsx") == "J Smith"


@pytest.mark.parametrize("content", [b"", b"\x00", b"\xff\xfe\x00garbage", b"\x09\x01\x02\x03"])
def test_unreadable_owner_file_means_someone(tmp_path, content):
    (tmp_path / "~$Reg.xlsx").write_bytes(content)
    assert lock_owner(tmp_path / "Reg.xlsx") == "someone"


def test_owner_file_of_another_workbook_does_not_count(tmp_path):
    (tmp_path / "~$Other.xlsx").write_bytes(excel_owner_file("J Smith"))
    assert lock_owner(tmp_path / "Reg.xlsx") is None


# --- far cells in large parts, .ods and .xlsb (issue 14) -----------------------------------------

from .. import stray_cells  # noqa: E402


def test_a_large_part_whose_dimension_understates_it_is_measured(tmp_path):
    """Parts over 2 MB declaring a small <dimension> were not scanned: a value in XFD1048576 crashed calamine."""
    path = stray_cells.xlsx_with_a_large_sheet(tmp_path / "Register.xlsx")
    assert zipfile.ZipFile(path).getinfo("xl/worksheets/sheet1.xml").file_size > 2 * 1024 * 1024
    refused(path, errors.OversizedSheet, "as far out as row 1,048,576 and column XFD")


def test_a_large_part_whose_cells_stay_inside_its_dimension_passes(tmp_path):
    path = stray_cells.xlsx_with_a_large_sheet(tmp_path / "Register.xlsx", far=None)
    sheet = zipfile.ZipFile(path).read("xl/worksheets/sheet1.xml")
    path.write_bytes(replace_part(path.read_bytes(), "xl/worksheets/sheet1.xml", sheet.replace(b'ref="A1:AN2"', b'ref="A1:AN30009"')))
    assert inspect_register(path, Limits()) == "xlsx"


@pytest.mark.parametrize("far, fits", [((30_009, 40), True), ((30_010, 40), True), ((200_000, 40), False), ((2, 200_000 // 40), False)])
def test_a_value_just_outside_the_dimension_is_measured_not_guessed(tmp_path, far, fits):
    """Outside the declared box, every cell is counted: 30,010 x 40 is within 5 million cells, 200,000 x 40 is not."""
    path = stray_cells.xlsx_with_a_large_sheet(tmp_path / "Register.xlsx", far=far)
    if fits:
        assert inspect_register(path, Limits()) == "xlsx"
    else:
        refused(path, errors.OversizedSheet, "setting max_cells")


def test_outside_pattern_compares_rows_and_columns_as_numbers():
    from partnership_xl.workbook.sheetsize import _outside_pattern

    inside, outside = ["AN2", "an2", "A1", "Z2", "AN02"], ["AO1", "ao1", "AN3", "BA1", "AAA1", "A0", "A10", "XFD1048576"]
    pattern = _outside_pattern(2, 40)
    assert [ref for ref in inside if pattern.search(f'<c r="{ref}">')] == []
    assert [ref for ref in outside if not pattern.search(f"<c  r = '{ref}'>")] == []


def test_an_ods_with_a_value_in_the_last_cell_is_refused(tmp_path):
    refused(stray_cells.ods(tmp_path / "Register.ods"), errors.OversizedSheet, "sheet 'Register' has something as far out as row 1,048,576 and column XFD")


def test_an_ods_with_librecalcs_million_empty_rows_passes(tmp_path):
    assert inspect_register(stray_cells.ods(tmp_path / "Register.ods", far=None), Limits(max_cells=100)) == "ods"


def test_an_ods_cut_short_after_a_far_value_is_still_refused(tmp_path):
    """The scan stops where the XML breaks, but what it saw before counts."""
    path = stray_cells.ods(tmp_path / "Register.ods")
    content = zipfile.ZipFile(path).read("content.xml")
    path.write_bytes(replace_part(path.read_bytes(), "content.xml", content[: content.index(b"</table:table>")]))
    refused(path, errors.OversizedSheet, "as far out as row 1,048,576")


def test_an_xlsb_with_a_value_in_the_last_cell_is_refused_and_named(tmp_path):
    path = stray_cells.xlsb(tmp_path / "Register.xlsb")
    refused(path, errors.OversizedSheet, "sheet 'Register' has something as far out as row 1,048,576 and column XFD")
    oversized: list = []
    assert inspect_register(path, Limits(), oversized) == "xlsb" and [exc.sheet for exc in oversized] == ["Register"]


def test_an_xlsb_formatted_to_the_last_cell_passes(tmp_path):
    """A blank cell record is formatting only: calamine does not place it, so it does not count."""
    assert inspect_register(stray_cells.xlsb(tmp_path / "Register.xlsb", blank_far=True), Limits()) == "xlsb"


@pytest.mark.parametrize("part, text", [("xl/workbook.bin", "rId1"), ("xl/workbook.bin", "Register"), ("xl/worksheets/sheet1.bin", "Ref")])
def test_an_xlsb_whose_strings_run_past_their_record_is_damaged(tmp_path, part, text):
    """Found by the fuzz test: a sheet's relationship id longer than its record made python-calamine
    panic ("range end index 4042322172 out of range"), printing a Rust report before the sentence."""
    path = stray_cells.xlsb(tmp_path / "Register.xlsb", far=None)
    content = zipfile.ZipFile(path).read(part)
    string = struct.pack("<I", len(text)) + text.encode("utf-16-le")
    assert content.count(string) == 1
    path.write_bytes(replace_part(path.read_bytes(), part, content.replace(string, struct.pack("<I", 0xF0F0F0F0) + string[4:])))
    refused(path, errors.NotAWorkbook, "is damaged or incomplete")


def test_an_xlsb_cut_short_is_damaged(tmp_path):
    path = stray_cells.xlsb(tmp_path / "Register.xlsb", far=None)
    content = zipfile.ZipFile(path).read("xl/worksheets/sheet1.bin")
    path.write_bytes(replace_part(path.read_bytes(), "xl/worksheets/sheet1.bin", content[: len(content) // 2]))
    refused(path, errors.NotAWorkbook, "is damaged or incomplete")
