"""Registers with one value left far out (XFD1048576 by default), built in each format calamine reads.

A value in the last cell makes a reader allocate the box from A1 to it: 17 billion cells. These
builders make the cases the safety check must refuse before python-calamine sees them.
"""

from __future__ import annotations

import io
import random
import struct
import zipfile
from pathlib import Path

from .conftest import row, write_register

HEADINGS = ["Ref", "Partnership name", "Status", "Lead officer", "Partner organisations"]
VALUES = ["P001", "Community Safety Partnership", "Active", "Sarah Whitfield", "Leicestershire Police"]


def xlsx_with_a_large_sheet(path: Path, far: tuple[int, int] | None = (1_048_576, 16_384), filler_rows: int = 30_000) -> Path:
    """A register whose sheet part is over 2 MB (random text under the table, so it compresses as
    real text does) while its <dimension> still names the small table; ``far`` (row, column) gets a value."""
    write_register(path, [row()])
    src = zipfile.ZipFile(io.BytesIO(path.read_bytes()))
    sheet = src.read("xl/worksheets/sheet1.xml")
    assert b'<dimension ref="A1:AN2"/>' in sheet
    rnd = random.Random(14)
    extra = "".join(f'<row r="{r}"><c r="AN{r}" t="inlineStr"><is><t>{rnd.randbytes(24).hex()}</t></is></c></row>' for r in range(10, 10 + filler_rows))
    if far is not None:
        extra += f'<row r="{far[0]}"><c r="{column_letters(far[1])}{far[0]}" t="inlineStr"><is><t>oops</t></is></c></row>'
    sheet = sheet.replace(b"</sheetData>", extra.encode() + b"</sheetData>")
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as out:
        for info in src.infolist():
            out.writestr(info.filename, sheet if info.filename == "xl/worksheets/sheet1.xml" else src.read(info))
    path.write_bytes(buf.getvalue())
    return path


def column_letters(number: int) -> str:
    letters = ""
    while number > 0:
        number, remainder = divmod(number - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


# --- OpenDocument (.ods): repeated rows and cells, as LibreOffice writes them ---------------------

_ODS_NS = ('xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
           'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"')


def _ods_cell(value: str) -> str:
    return f'<table:table-cell office:value-type="string"><text:p>{value}</text:p></table:table-cell>'


def ods(path: Path, far: tuple[int, int] | None = (1_048_576, 16_384)) -> Path:
    """A two-row register; LibreOffice's trailing million empty rows; a value at ``far`` if given."""
    rows = "".join(f"<table:table-row>{''.join(map(_ods_cell, cells))}</table:table-row>" for cells in (HEADINGS, VALUES))
    if far is None:  # what LibreOffice writes after the last row: empty, repeated to the sheet's end
        rows += '<table:table-row table:number-rows-repeated="1048574"><table:table-cell table:number-columns-repeated="16384"/></table:table-row>'
    else:
        rows += f'<table:table-row table:number-rows-repeated="{far[0] - 3}"><table:table-cell table:number-columns-repeated="5"/></table:table-row>'
        rows += f'<table:table-row><table:table-cell table:number-columns-repeated="{far[1] - 1}"/>{_ods_cell("oops")}</table:table-row>'
    content = (f'<?xml version="1.0" encoding="UTF-8"?><office:document-content {_ODS_NS} office:version="1.2"><office:body>'
               f'<office:spreadsheet><table:table table:name="Register">{rows}</table:table></office:spreadsheet></office:body></office:document-content>')
    manifest = ('<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" '
                'manifest:version="1.2"><manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
                '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/></manifest:manifest>')
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        z.writestr("content.xml", content, zipfile.ZIP_DEFLATED)
        z.writestr("META-INF/manifest.xml", manifest, zipfile.ZIP_DEFLATED)
    path.write_bytes(buf.getvalue())
    return path


# --- Excel binary (.xlsb): records, [MS-XLSB] 2.1.4 -------------------------------------------

def _varint(number: int) -> bytes:
    out = bytearray()
    while True:
        low, number = number & 0x7F, number >> 7
        out.append(low | (0x80 if number else 0))
        if not number:
            return bytes(out)


def _record(kind: int, payload: bytes = b"") -> bytes:
    return _varint(kind) + _varint(len(payload)) + payload


def _wide(text: str) -> bytes:
    return struct.pack("<I", len(text)) + text.encode("utf-16-le")


def xlsb(path: Path, far: tuple[int, int] | None = (1_048_576, 16_384), blank_far: bool = False) -> Path:
    """A two-row register whose BrtWsDim says A1:E2; a value (or, with ``blank_far``, formatting only) at ``far``."""
    cells = [(0, list(enumerate(HEADINGS))), (1, list(enumerate(VALUES)))]
    sheet = _record(129) + _record(148, struct.pack("<4I", 0, 1, 0, 4)) + _record(145)  # BrtBeginSheet, BrtWsDim, BrtBeginSheetData
    for r, values in cells:
        sheet += _record(0, struct.pack("<IIHBBBI", r, 0, 300, 0, 0, 0, 0))  # BrtRowHdr
        sheet += b"".join(_record(6, struct.pack("<II", c, 0) + _wide(v)) for c, v in values)  # BrtCellSt
    if far is not None:
        sheet += _record(0, struct.pack("<IIHBBBI", far[0] - 1, 0, 300, 0, 0, 0, 0))
        sheet += _record(1, struct.pack("<II", far[1] - 1, 0)) if blank_far else _record(5, struct.pack("<IId", far[1] - 1, 0, 1.0))  # BrtCellBlank / BrtCellReal
    sheet += _record(146) + _record(130)
    book = _record(131) + _record(143) + _record(156, struct.pack("<II", 0, 1) + _wide("rId1") + _wide("Register")) + _record(144) + _record(132)
    rel = '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/{}" Target="{}"/></Relationships>'
    types = ('<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
             '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
             '<Default Extension="bin" ContentType="application/vnd.ms-excel.sheet.binary.macroEnabled.main"/>'
             '<Override PartName="/xl/worksheets/sheet1.bin" ContentType="application/vnd.ms-excel.worksheet"/></Types>')
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", types)
        z.writestr("_rels/.rels", rel.format("officeDocument", "xl/workbook.bin"))
        z.writestr("xl/workbook.bin", book)
        z.writestr("xl/_rels/workbook.bin.rels", rel.format("worksheet", "worksheets/sheet1.bin"))
        z.writestr("xl/worksheets/sheet1.bin", sheet)
    path.write_bytes(buf.getvalue())
    return path
