"""Generate the bad-input corpus in ``tests/data/bad/`` (SPEC §8) and its ``expected.json``.

    pip install --target /tmp/corpus-deps xlwt msoffcrypto-tool   # for this script only
    PYTHONPATH=/tmp/corpus-deps python scripts/make_bad_corpus.py

Each file is tiny (the zip bomb is about 200 KB that would unpack to 200 MB) and the output is
deterministic: fixed dates, a seeded random generator, and msoffcrypto's salts and timestamps
pinned. The files are committed, so the tests need neither xlwt nor msoffcrypto-tool; without
them this script still writes everything else and keeps the committed ``legacy.xls`` and
``encrypted.xlsx``.

``encrypted-legacy.xls`` is not generated here: it is a genuine password-protected .xls (RC4,
FILEPASS record) that LibreOffice saved from ``no-register.xlsx`` with the password "secret"
(``storeToURL`` with ``FilterName="MS Excel 97"`` and ``Password``), committed once.

``expected.json`` maps each file to ``{"exit", "error", "message"}``: the exit code the CLI gives,
the exception class, and a fragment of its sentence; ``"kind"`` where ``inspect_register`` lets the
file through (the reader then reads it or says why not).
"""

from __future__ import annotations

import io
import json
import random
import re
import zipfile
from datetime import date, datetime
from pathlib import Path

import xlsxwriter

REPO_ROOT = Path(__file__).resolve().parent.parent
OUT = REPO_ROOT / "tests" / "data" / "bad"
FIXED = datetime(2024, 4, 1, 9, 0, 0)
PASSWORD = "Partnership1"
BOMB_MB = 200  # 200 MB of whitespace deflates to ~200 KB: a ratio near 1,000, over max_ratio (200)

HEADERS = ["Ref", "Partnership name", "Partner organisations", "Arrangement type", "Purpose",
           "Lead officer", "External funding or investment", "Benefit description",
           "Direct contribution (£ a year)", "In existing budget", "Approved by",
           "Risk likelihood (1-5)", "Risk impact (1-5)", "Key risks", "Control measures",
           "Governance arrangements", "Last reviewed", "Status"]
ROWS = [
    ["P001", "Harborough Community Safety Partnership", "Leicestershire Police; Leicestershire Fire and Rescue",
     "Partnership", "Reduce crime and anti-social behaviour", "Sarah Whitfield", "Yes",
     "Police funding for CCTV", 5000, "Yes", "Executive", 2, 3, "Partners withdraw funding",
     "Quarterly board review", "Terms of reference 2024", date(2024, 2, 1), "Active"],
    # No lead officer: PP801 (an error), so a register read from this data exits 1, whatever the date.
    ["P002", "Market Harborough Town Centre Forum", "Chamber of Trade; Harborough BID",
     "Partnership", "A lively town centre", None, "No", None, 0, "Yes", "Not required", 1, 2,
     "Low attendance", "Annual review of membership", "Constitution 2019", date(2023, 11, 3), "Active"],
]

# --- minimal valid workbook parts, written by hand so a part can carry an attack -----------------
MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
CONTENT_TYPES = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>"""
ROOT_RELS = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"""
WORKBOOK = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<workbook xmlns="{MAIN_NS}" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Register" sheetId="1" r:id="rId1"/></sheets></workbook>"""
WORKBOOK_RELS = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>"""
XML_DECL = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
LAUGHS = ('<!DOCTYPE worksheet [\n <!ENTITY lol "lol">\n'
          + "".join(f' <!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">\n' for i in range(1, 10))
          + "]>\n")
XXE = '<!DOCTYPE sst [\n <!ENTITY xxe SYSTEM "file:///etc/passwd">\n]>\n'


def sheet_xml(first_cell: str, dtd: str = "", dimension: str = "A1:B2") -> str:
    return (f'{XML_DECL}{dtd}<worksheet xmlns="{MAIN_NS}"><dimension ref="{dimension}"/><sheetData>'
            f'<row r="1"><c r="A1" t="inlineStr"><is><t>{first_cell}</t></is></c><c r="B1" t="s"><v>0</v></c></row>'
            f'<row r="2"><c r="A2"><v>1</v></c><c r="B2"><v>2</v></c></row></sheetData></worksheet>')


def shared_strings(text: str, dtd: str = "") -> str:
    return f'{XML_DECL}{dtd}<sst xmlns="{MAIN_NS}" count="1" uniqueCount="1"><si><t>{text}</t></si></sst>'


def zip_bytes(parts: dict[str, str | bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in parts.items():
            info = zipfile.ZipInfo(name, date_time=FIXED.timetuple()[:6])
            info.compress_type = zipfile.ZIP_DEFLATED
            zf.writestr(info, data.encode("utf-8") if isinstance(data, str) else data)
    return buf.getvalue()


def hand_made_xlsx(sheet: str, strings: str) -> bytes:
    return zip_bytes({"[Content_Types].xml": CONTENT_TYPES, "_rels/.rels": ROOT_RELS, "xl/workbook.xml": WORKBOOK,
                      "xl/_rels/workbook.xml.rels": WORKBOOK_RELS, "xl/worksheets/sheet1.xml": sheet,
                      "xl/sharedStrings.xml": strings})


def zip_bomb() -> bytes:
    """A valid workbook whose sheet part is BOMB_MB of whitespace inside <sheetData>."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as zf:
        for name, data in {"[Content_Types].xml": CONTENT_TYPES, "_rels/.rels": ROOT_RELS, "xl/workbook.xml": WORKBOOK,
                           "xl/_rels/workbook.xml.rels": WORKBOOK_RELS, "xl/sharedStrings.xml": shared_strings("Ref")}.items():
            zf.writestr(zipfile.ZipInfo(name, date_time=FIXED.timetuple()[:6]), data, zipfile.ZIP_DEFLATED, 9)
        info = zipfile.ZipInfo("xl/worksheets/sheet1.xml", date_time=FIXED.timetuple()[:6])
        info.compress_type = zipfile.ZIP_DEFLATED
        head, tail = sheet_xml("Ref", dimension="A1:XFD1048576").split("<sheetData>")
        with zf.open(info, "w", force_zip64=False) as part:
            part.write(f"{head}<sheetData>".encode())
            block = b" " * (1024 * 1024)
            for _ in range(BOMB_MB):
                part.write(block)
            part.write(tail.encode())
    return buf.getvalue()


def workbook(sheets: dict[str, list[list]]) -> bytes:
    """A real workbook written by xlsxwriter, with fixed properties so the bytes never change."""
    buf = io.BytesIO()
    book = xlsxwriter.Workbook(buf, {"in_memory": True})
    book.set_properties({"created": FIXED, "author": "partnership-xl tests"})
    dates = book.add_format({"num_format": "dd/mm/yyyy"})
    for title, rows in sheets.items():
        sheet = book.add_worksheet(title)
        for r, values in enumerate(rows):
            for c, value in enumerate(values):
                if isinstance(value, date):
                    sheet.write_datetime(r, c, datetime(value.year, value.month, value.day), dates)
                elif value is not None:
                    sheet.write(r, c, value)
    book.close()
    return buf.getvalue()


def corrupt(data: bytes) -> bytes:
    """The register with the sheet part's local header overwritten; the zip directory is intact."""
    offset = zipfile.ZipFile(io.BytesIO(data)).getinfo("xl/worksheets/sheet1.xml").header_offset
    return data[:offset] + b"\xa5" * 64 + data[offset + 64:]


def encrypted(data: bytes) -> bytes | None:
    """The register encrypted by msoffcrypto-tool, the way Excel's Encrypt with Password does."""
    try:
        import msoffcrypto.method.container.ecma376_encrypted as container
        import msoffcrypto.method.ecma376_agile as agile
        from msoffcrypto.format.ooxml import OOXMLFile
    except ImportError:
        return None
    seeded = random.Random(20240401)
    agile._random_buffer = lambda size: seeded.randbytes(size)  # deterministic salts and keys
    container.datetime2filetime = lambda _dt: 133563600000000000  # fixed directory timestamps
    out = io.BytesIO()
    OOXMLFile(io.BytesIO(data)).encrypt(PASSWORD, out)
    return out.getvalue()


def legacy_xls() -> bytes | None:
    """The register as a real BIFF8 .xls, written by xlwt."""
    try:
        import xlwt
    except ImportError:
        return None
    book = xlwt.Workbook(encoding="utf-8")
    sheet = book.add_sheet("Register")
    dates = xlwt.easyxf(num_format_str="dd/mm/yyyy")
    for c, header in enumerate(HEADERS):
        sheet.write(0, c, header)
    for r, values in enumerate(ROWS, 1):
        for c, value in enumerate(values):
            if isinstance(value, date):
                sheet.write(r, c, datetime(value.year, value.month, value.day), dates)
            elif value is not None:
                sheet.write(r, c, value)
    buf = io.BytesIO()
    book.save(buf)
    return buf.getvalue()


def csv_text() -> bytes:
    lines = [",".join(HEADERS)]
    for values in ROWS:
        lines.append(",".join(f'"{v}"' if isinstance(v, str) and ("," in v or ";" in v) else
                              ("" if v is None else v.strftime("%d/%m/%Y") if isinstance(v, date) else str(v))
                              for v in values))
    return ("\r\n".join(lines) + "\r\n").encode("utf-8")


def random_bytes() -> bytes:
    data = bytearray(random.Random(20240401).randbytes(4096))
    data[:4] = b"\x8e\x13\xf7\x02"  # no accidental zip, OLE or XML signature
    return bytes(data)


FRAGMENTS = {
    "zero-byte.xlsx": ("NotAWorkbook", "is empty (0 bytes)"),
    "random-bytes.xlsx": ("NotAWorkbook", "is not an Excel workbook"),
    "csv-named.xlsx": ("NotAWorkbook", "looks like a CSV or text file"),
    "truncated.xlsx": ("NotAWorkbook", "is damaged or incomplete"),
    "corrupt-zip.xlsx": ("NotAWorkbook", "is damaged or incomplete"),
    "no-workbook-part.xlsx": ("NotAWorkbook", "no workbook inside"),
    "encrypted.xlsx": ("ProtectedWorkbook", "is protected with a password"),
    "billion-laughs.xlsx": ("UnsafeWorkbook", "(a DTD)"),
    "xxe.xlsx": ("UnsafeWorkbook", "(a DTD)"),
    "zip-bomb.xlsx": ("UnsafeWorkbook", "max_ratio"),
    "encrypted-legacy.xls": ("ProtectedWorkbook", "is protected with a password"),
    "no-register.xlsx": ("NoRegisterSheet", "looks like a partnership register"),
}


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    register = workbook({"Register": [HEADERS, *ROWS]})
    files: dict[str, bytes | None] = {
        "zero-byte.xlsx": b"",
        "random-bytes.xlsx": random_bytes(),
        "csv-named.xlsx": csv_text(),
        "truncated.xlsx": register[: len(register) // 2],
        "corrupt-zip.xlsx": corrupt(register),
        "no-workbook-part.xlsx": zip_bytes({"readme.txt": "Partnership register: see the W: drive.\r\n"}),
        "encrypted.xlsx": encrypted(register),
        "legacy.xls": legacy_xls(),
        "billion-laughs.xlsx": hand_made_xlsx(sheet_xml("&lol9;", LAUGHS), shared_strings("Ref")),
        "xxe.xlsx": hand_made_xlsx(sheet_xml("Ref"), shared_strings("&xxe;", XXE)),
        "zip-bomb.xlsx": zip_bomb(),
        "encrypted-legacy.xls": None,  # committed once, see the module docstring
        "no-register.xlsx": workbook({
            "Budget": [["Cost centre", "Month", "Amount"], ["CS100", "April", 1200], ["CS100", "May", 980]],
            "Contacts": [["Team", "Phone"], ["Community Partnerships", "01858 821000"]],
        }),
    }
    expected = {}
    for name, data in files.items():
        if data is None:
            print(f"kept the committed {name}")
        else:
            (OUT / name).write_bytes(data)
        if name == "legacy.xls":
            # calamine reads .xls: the register is checked, and its P002 has no lead officer (PP801).
            expected[name] = {"exit": 1, "error": None, "message": None, "kind": "xls"}
        else:
            error, fragment = FRAGMENTS[name]
            expected[name] = {"exit": 2, "error": error, "message": fragment}
            if error == "NoRegisterSheet":
                expected[name]["kind"] = "xlsx"
    text = json.dumps(expected, indent=2, ensure_ascii=False) + "\n"
    (OUT / "expected.json").write_text(re.sub(r"\{\n\s+([^{}]*?)\n\s+\}", _one_line, text), encoding="utf-8")
    total = sum(p.stat().st_size for p in OUT.iterdir())
    print(f"wrote {len(files)} files and expected.json to {OUT.relative_to(REPO_ROOT)} ({total // 1024} KB)")


def _one_line(match: re.Match) -> str:
    return "{" + " ".join(line.strip() for line in match.group(1).splitlines()) + "}"


if __name__ == "__main__":
    main()
