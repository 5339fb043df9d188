"""Small OOXML packages for the workbook/ unit tests, written here by hand (never with the modules they test).

``book()`` is the parts of a one-sheet workbook as Excel lays it out; a test changes or adds a
few parts, then ``zipped()`` makes the package's bytes.
"""

from __future__ import annotations

import io
import zipfile

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
DECLARATION = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'

CT_SHEET_MAIN = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"
CT_WORKSHEET = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"
CT_STYLES = "application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"


def rels(*relationships: tuple[str, str, str]) -> str:
    """A relationships part of (Id, type suffix or full type, target)."""
    items = "".join(f'<Relationship Id="{rid}" Type="{kind if "://" in kind else R + "/" + kind}" Target="{target}"/>'
                     for rid, kind, target in relationships)
    return f'{DECLARATION}<Relationships xmlns="{PKG_REL}">{items}</Relationships>'


def content_types(overrides: dict[str, str], defaults: dict[str, str] | None = None) -> str:
    defaults = {"rels": "application/vnd.openxmlformats-package.relationships+xml", "xml": "application/xml"} if defaults is None else defaults
    return (f'{DECLARATION}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            + "".join(f'<Default Extension="{ext}" ContentType="{ct}"/>' for ext, ct in defaults.items())
            + "".join(f'<Override PartName="{name}" ContentType="{ct}"/>' for name, ct in overrides.items())
            + "</Types>")


def worksheet(rows: str = "", before: str = "", after: str = "") -> str:
    return f'{DECLARATION}<worksheet xmlns="{MAIN}" xmlns:r="{R}">{before}<sheetData>{rows}</sheetData>{after}</worksheet>'


STYLES = (f'{DECLARATION}<styleSheet xmlns="{MAIN}">'
          '<fonts count="1"><font><sz val="11"/><name val="Calibri"/><family val="2"/></font></fonts>'
          '<fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>'
          '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
          '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
          '<cellXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/></cellXfs>'
          '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>')


def book(sheet_xml: str | None = None, styles: str | None = STYLES) -> dict[str, str]:
    """The parts of a workbook with one sheet, "Register" (and a styles part unless ``styles`` is None)."""
    overrides = {"/xl/workbook.xml": CT_SHEET_MAIN, "/xl/worksheets/sheet1.xml": CT_WORKSHEET}
    wb_rels = [("rId1", "worksheet", "worksheets/sheet1.xml")]
    parts = {
        "_rels/.rels": rels(("rId1", "officeDocument", "xl/workbook.xml")),
        "xl/workbook.xml": (f'{DECLARATION}<workbook xmlns="{MAIN}" xmlns:r="{R}"><bookViews><workbookView/></bookViews>'
                            '<sheets><sheet name="Register" sheetId="1" r:id="rId1"/></sheets><calcPr calcId="191029"/></workbook>'),
        "xl/worksheets/sheet1.xml": sheet_xml or worksheet('<row r="1"><c r="A1"><v>1</v></c></row>'),
    }
    if styles is not None:
        overrides["/xl/styles.xml"] = CT_STYLES
        wb_rels.append(("rId2", "styles", "styles.xml"))
        parts["xl/styles.xml"] = styles
    parts["xl/_rels/workbook.xml.rels"] = rels(*wb_rels)
    parts["[Content_Types].xml"] = content_types(overrides)
    return {"[Content_Types].xml": parts.pop("[Content_Types].xml"), **parts}


def zipped(parts: dict[str, str | bytes]) -> bytes:
    """The parts as a zip, in the order given."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in parts.items():
            z.writestr(name, data.encode("utf-8") if isinstance(data, str) else data)
    return buffer.getvalue()


def unzipped(data: bytes) -> dict[str, bytes]:
    """Member name → bytes, in the zip's order."""
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return {info.filename: z.read(info) for info in z.infolist()}
