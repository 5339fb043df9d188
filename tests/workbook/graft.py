"""Registers grafted into real Excel workbooks, and registers whose own sheet carries features.

``graft`` does what an officer does who adds a sheet to a workbook in Excel and types the
register into it: one new worksheet part at the end of ``<sheets>`` (a new sheetId and rId), its
relationship, its content type, its strings appended to the shared string table and its dates as
serials in a date cell format. Every other member of the package is carried over byte for byte.

The ``*_register`` builders write a register with xlsxwriter (which writes its parts as Excel
does) whose register sheet itself carries notes, tables, formats, a button, macros, a threaded
comment or formatting down to the last row.
"""

from __future__ import annotations

import io
import re
import zipfile
from datetime import date, datetime
from pathlib import Path

import python_calamine as pc
from lxml import etree

from .package_compare import _resolve
from .schema_order import insert_in_order

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
CT = "http://schemas.openxmlformats.org/package/2006/content-types"
OFFICE_DOCUMENT = f"{REL}/officeDocument"
WORKSHEET_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"
SST_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"

SAMPLE = Path(__file__).resolve().parents[2] / "sample_register.xlsx"
CORPUS = Path(__file__).resolve().parents[1] / "data" / "fidelity"
CORPUS_FILES = sorted(p.name for p in CORPUS.iterdir() if p.suffix.lower() in (".xlsx", ".xlsm", ".xltx", ".xltm"))
#: registers whose own sheet carries the features (built by featured_register and its helpers)
BUILT = ["register-features.xlsx", "register-macro.xlsm", "register-threaded.xlsx", "register-formatted-to-last-row.xlsx"]
#: the flagged register cell (PP201) that carries a threaded comment in register-threaded.xlsx
THREADED_CELL = "D22"
SAMPLE_SHEET = "Partnership Register"
REGISTER_SHEET = "Partnership Register"
EXCEL_MAX_ROW = 1_048_576
#: Excel's built-in number formats that show a date
DATE_FORMAT_IDS = {14, 15, 16, 17, 22}


def sample_rows() -> list[list[object]]:
    """The sample register's values, row by row, as python-calamine reads them ('' for empty)."""
    book = pc.CalamineWorkbook.from_path(str(SAMPLE))
    return book.get_sheet_by_name(SAMPLE_SHEET).to_python(skip_empty_area=False)


def column_letter(index: int) -> str:
    """1 → A, 27 → AA."""
    letters = ""
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def excel_serial(value: date | datetime) -> float:
    base = datetime(1899, 12, 30)
    moment = value if isinstance(value, datetime) else datetime(value.year, value.month, value.day)
    delta = moment - base
    serial = delta.days + delta.seconds / 86400
    return int(serial) if serial == int(serial) else serial


def _xml(part: etree._Element) -> bytes:
    return etree.tostring(part, xml_declaration=True, encoding="UTF-8", standalone=True)


def _rels_name(part: str) -> str:
    folder, _, name = part.rpartition("/")
    return f"{folder}/_rels/{name}.rels" if folder else f"_rels/{name}.rels"


def workbook_part(members: dict[str, bytes]) -> str:
    """The workbook part the package's root relationships name."""
    root = etree.fromstring(members["_rels/.rels"])
    target = next(r.get("Target") for r in root if r.get("Type") == OFFICE_DOCUMENT)
    return _resolve("", target)


class _Package:
    """The members of a zip, in order, with their ZipInfo; edited parts replace bytes in place."""

    def __init__(self, data: bytes):
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            self.infos = [i for i in z.infolist()]
            self.members = {i.filename: z.read(i) for i in self.infos}
        self.added: list[str] = []

    def put(self, name: str, data: bytes) -> None:
        if name not in self.members:
            self.added.append(name)
        self.members[name] = data

    def bytes(self) -> bytes:
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
            for info in self.infos:
                z.writestr(info, self.members[info.filename], compress_type=info.compress_type)
            for name in self.added:
                z.writestr(name, self.members[name])
        return out.getvalue()


def _add_override(pkg: _Package, part: str, content_type: str) -> None:
    root = etree.fromstring(pkg.members["[Content_Types].xml"])
    override = etree.SubElement(root, f"{{{CT}}}Override")
    override.set("PartName", "/" + part)
    override.set("ContentType", content_type)
    pkg.put("[Content_Types].xml", _xml(root))


def _add_relationship(pkg: _Package, source: str, rel_type: str, target: str) -> str:
    name = _rels_name(source)
    root = etree.fromstring(pkg.members[name]) if name in pkg.members else etree.Element(f"{{{PKG_REL}}}Relationships", nsmap={None: PKG_REL})
    taken = {r.get("Id") for r in root}
    n = 1
    while f"rId{n}" in taken:
        n += 1
    rel = etree.SubElement(root, f"{{{PKG_REL}}}Relationship")
    rel.set("Id", f"rId{n}")
    rel.set("Type", rel_type)
    rel.set("Target", target)
    pkg.put(name, _xml(root))
    return f"rId{n}"


def _relationships(pkg: _Package, source: str) -> list[etree._Element]:
    name = _rels_name(source)
    return list(etree.fromstring(pkg.members[name])) if name in pkg.members else []


class _SharedStrings:
    """The package's shared string table, appended to as Excel appends a new sheet's strings."""

    def __init__(self, pkg: _Package, wb_part: str):
        self.pkg = pkg
        rel = next((r for r in _relationships(pkg, wb_part) if r.get("Type") == f"{REL}/sharedStrings"), None)
        if rel is None:
            self.part = _resolve(wb_part, "sharedStrings.xml")
            _add_relationship(pkg, wb_part, f"{REL}/sharedStrings", "sharedStrings.xml")
            _add_override(pkg, self.part, SST_TYPE)
            self.root = etree.Element(f"{{{MAIN}}}sst", nsmap={None: MAIN})
        else:
            self.part = _resolve(wb_part, rel.get("Target"))
            self.root = etree.fromstring(pkg.members[self.part])
        self.index: dict[str, int] = {}
        for i, si in enumerate(self.root.findall(f"{{{MAIN}}}si")):
            t = si.find(f"{{{MAIN}}}t")
            if t is not None and len(si) == 1:
                self.index.setdefault(t.text or "", i)
        self.count = int(self.root.get("count", len(self.root)))
        self.items = len(self.root.findall(f"{{{MAIN}}}si"))

    def add(self, text: str) -> int:
        self.count += 1
        if text in self.index:
            return self.index[text]
        si = etree.Element(f"{{{MAIN}}}si")
        t = etree.SubElement(si, f"{{{MAIN}}}t")
        t.text = text
        if text != text.strip() or "\n" in text:
            t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
        # Excel puts new strings after the existing <si>, before any extLst
        ext = self.root.find(f"{{{MAIN}}}extLst")
        if ext is not None:
            ext.addprevious(si)
        else:
            self.root.append(si)
        self.index[text] = self.items
        self.items += 1
        return self.items - 1

    def save(self) -> None:
        self.root.set("count", str(self.count))
        self.root.set("uniqueCount", str(self.items))
        self.pkg.put(self.part, _xml(self.root))


def _date_style(pkg: _Package, wb_part: str) -> int:
    """A cellXfs index showing a date: an existing one, or one appended as Excel appends it."""
    rel = next(r for r in _relationships(pkg, wb_part) if r.get("Type") == f"{REL}/styles")
    part = _resolve(wb_part, rel.get("Target"))
    root = etree.fromstring(pkg.members[part])
    custom_dates = {
        int(n.get("numFmtId")) for n in root.iter(f"{{{MAIN}}}numFmt")
        if re.search(r"(?i)(^|[^\"\\])(d{1,4}|y{2,4})", re.sub(r'"[^"]*"|\[[^\]]*\]', "", n.get("formatCode", "")))
    }
    xfs = root.find(f"{{{MAIN}}}cellXfs")
    for i, xf in enumerate(xfs.findall(f"{{{MAIN}}}xf")):
        if int(xf.get("numFmtId", "0")) in DATE_FORMAT_IDS | custom_dates:
            return i
    xf = etree.SubElement(xfs, f"{{{MAIN}}}xf")
    for key, value in (("numFmtId", "14"), ("fontId", "0"), ("fillId", "0"), ("borderId", "0"), ("xfId", "0"), ("applyNumberFormat", "1")):
        xf.set(key, value)
    count = len(xfs.findall(f"{{{MAIN}}}xf"))
    xfs.set("count", str(count))
    pkg.put(part, _xml(root))
    return count - 1


def _sheet_xml(rows: list[list[object]], strings: _SharedStrings, date_style: int) -> bytes:
    width = max((len(r) for r in rows), default=1)
    out = [
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<worksheet xmlns="{MAIN}" xmlns:r="{REL}">'
        f'<dimension ref="A1:{column_letter(width)}{len(rows)}"/>'
        '<sheetViews><sheetView workbookViewId="0"/></sheetViews>'
        '<sheetFormatPr defaultRowHeight="15"/><sheetData>'
    ]
    for r, row in enumerate(rows, 1):
        cells = []
        for c, value in enumerate(row, 1):
            ref = f"{column_letter(c)}{r}"
            if value is None or value == "":
                continue
            if isinstance(value, bool):
                cells.append(f'<c r="{ref}" t="b"><v>{int(value)}</v></c>')
            elif isinstance(value, (date, datetime)):
                cells.append(f'<c r="{ref}" s="{date_style}"><v>{excel_serial(value)}</v></c>')
            elif isinstance(value, (int, float)):
                number = int(value) if float(value).is_integer() else value
                cells.append(f'<c r="{ref}"><v>{number}</v></c>')
            else:
                cells.append(f'<c r="{ref}" t="s"><v>{strings.add(str(value))}</v></c>')
        if cells:
            out.append(f'<row r="{r}" spans="1:{width}">{"".join(cells)}</row>')
    out.append('</sheetData><pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" footer="0.3"/></worksheet>')
    return "".join(out).encode()


def graft(data: bytes, rows: list[list[object]] | None = None, name: str = REGISTER_SHEET, print_titles: int | None = None) -> bytes:
    """``data`` (an Excel package) with a register sheet appended holding ``rows`` (default: the
    sample register's values). With ``print_titles`` (an Excel row), the new sheet also gets a
    sheet-scoped ``_xlnm.Print_Titles`` name, as Page Setup → Rows to repeat writes it."""
    rows = sample_rows() if rows is None else rows
    pkg = _Package(data)
    wb_part = workbook_part(pkg.members)
    wb = etree.fromstring(pkg.members[wb_part])
    sheets = wb.find(f"{{{MAIN}}}sheets")
    sheet_id = max(int(s.get("sheetId")) for s in sheets) + 1
    folder = wb_part.rsplit("/", 1)[0]
    n = 1
    while f"{folder}/worksheets/sheet{n}.xml" in pkg.members:
        n += 1
    part = f"{folder}/worksheets/sheet{n}.xml"
    strings = _SharedStrings(pkg, wb_part)
    style = _date_style(pkg, wb_part)
    pkg.put(part, _sheet_xml(rows, strings, style))
    strings.save()
    rid = _add_relationship(pkg, wb_part, f"{REL}/worksheet", f"worksheets/sheet{n}.xml")
    _add_override(pkg, part, WORKSHEET_TYPE)
    sheet = etree.SubElement(sheets, f"{{{MAIN}}}sheet")
    sheet.set("name", name)
    sheet.set("sheetId", str(sheet_id))
    sheet.set(f"{{{REL}}}id", rid)
    if print_titles is not None:
        names = wb.find(f"{{{MAIN}}}definedNames")
        if names is None:
            names = insert_in_order(wb, etree.Element(f"{{{MAIN}}}definedNames"))
        defined = etree.SubElement(names, f"{{{MAIN}}}definedName")
        defined.set("name", "_xlnm.Print_Titles")
        defined.set("localSheetId", str(len(sheets) - 1))
        quoted = "'" + name.replace("'", "''") + "'"
        defined.text = f"{quoted}!${print_titles}:${print_titles}"
    pkg.put(wb_part, _xml(wb))
    return pkg.bytes()


# --- registers whose own sheet carries features (xlsxwriter) -----------------------------------

def _png() -> bytes:
    """A 4×4 red PNG, for the register sheet's picture."""
    import struct
    import zlib

    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF)

    raw = b"".join(b"\x00" + b"\xff\x00\x00" * 4 for _ in range(4))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 4, 4, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


def _write_values(workbook, ws, rows: list[list[object]], date_format) -> None:
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            if value is None or value == "":
                continue
            if isinstance(value, (date, datetime)):
                ws.write_datetime(r, c, datetime(value.year, value.month, value.day) if not isinstance(value, datetime) else value, date_format)
            elif isinstance(value, str):
                ws.write_string(r, c, value)
            else:
                ws.write(r, c, value)


HEADER_ROW = 4  # the sample's heading row (Excel's numbering)


def featured_register(path: Path, variant: str = "features", vba: bytes | None = None, notes: dict[str, str] | None = None) -> Path:
    """A register written by xlsxwriter from the sample's values, whose register sheet carries
    features. ``variant``: "features" (notes, table, formats, data bar, validation, sparkline,
    chart, picture, button, panes, widths, merged title) or "autofilter" (an autofilter instead
    of a table, notes and validations). With ``vba`` the book is an .xlsm with that project;
    ``notes`` adds officers' notes (cell → text) to the two every variant has."""
    import xlsxwriter

    rows = sample_rows()
    last = len(rows)
    width = max(len(r) for r in rows)
    headers = rows[HEADER_ROW - 1]
    col = {h: i for i, h in enumerate(headers) if h}
    workbook = xlsxwriter.Workbook(str(path))
    if vba is not None:
        workbook.add_vba_project(io.BytesIO(vba), is_stream=True)
    date_format = workbook.add_format({"num_format": "dd/mm/yyyy"})
    lookups = workbook.add_worksheet("Lookups")
    lookups.write_column(0, 0, ["Status", "Proposed", "Active", "Exited"])
    ws = workbook.add_worksheet(REGISTER_SHEET)
    _write_values(workbook, ws, rows, date_format)
    ws.set_column(0, 0, 8)
    ws.set_column(1, 1, 40)
    ws.set_column(2, width - 1, 14)
    ws.freeze_panes(HEADER_ROW, 2)
    title = rows[0][0]
    ws.merge_range(0, 0, 0, 5, title, workbook.add_format({"bold": True, "font_size": 14}))
    # notes: one on a cell the check flags (W6, PP802), one on a clean cell
    ws.write_comment("W6", "Officer: review booked for January.", {"author": "Sarah Whitfield"})
    ws.write_comment("B5", "Officer: name as on the agreement.", {"author": "Sarah Whitfield"})
    for cell, text in (notes or {}).items():
        ws.write_comment(cell, text, {"author": "Sarah Whitfield"})
    status = col.get("Status")
    money = next((i for h, i in col.items() if h.startswith("Direct contribution")), 15)
    first_data, last_data = HEADER_ROW, last - 1
    if status is not None:
        ws.data_validation(first_data, status, last_data, status,
                           {"validate": "list", "source": "=Lookups!$A$2:$A$4"})
    ws.data_validation(first_data, 0, last_data, 0, {"validate": "length", "criteria": "<=", "value": 10})
    if variant == "features":
        ws.add_table(HEADER_ROW - 1, 0, last_data, width - 1, {
            "name": "Register", "style": "Table Style Light 9",
            "columns": [{"header": str(h) if h else f"Column{i + 1}"} for i, h in enumerate(headers)],
        })
        ws.conditional_format(first_data, money, last_data, money, {"type": "data_bar", "data_bar_2010": True})
        ws.conditional_format(first_data, money, last_data, money, {"type": "cell", "criteria": ">", "value": 50000,
                                                                    "format": workbook.add_format({"bold": True})})
        ws.conditional_format(first_data, 1, last_data, 1, {"type": "duplicate", "format": workbook.add_format({"font_color": "#9C0006"})})
        ws.add_sparkline(HEADER_ROW - 2, money, {"range": f"'{REGISTER_SHEET}'!{column_letter(money + 1)}{first_data + 1}:{column_letter(money + 1)}{last}"})
        chart = workbook.add_chart({"type": "column"})
        chart.add_series({"values": [REGISTER_SHEET, first_data, money, min(first_data + 9, last_data), money], "name": "Contribution"})
        ws.insert_chart(last + 2, 2, chart)
        ws.insert_image(last + 2, 12, "register-logo.png", {"image_data": io.BytesIO(_png())})
        ws.insert_button(last + 2, 0, {"caption": "Refresh", "macro": "Refresh" if vba else None})
    else:
        ws.autofilter(HEADER_ROW - 1, 0, last_data, width - 1)
        if vba is not None:
            ws.insert_button(last + 2, 0, {"caption": "Run checks", "macro": "Refresh"})
    ws.activate()
    workbook.close()
    return path


def formatted_to_last_row(data: bytes, sheet_part: str) -> bytes:
    """``data`` with every row after ``sheet_part``'s last used row formatted down to row
    1,048,576, as Excel writes whole-row formatting (a cell-less ``<row/>`` each, a few unlike
    the rest), and the sheet's dimension left as Excel leaves it."""
    pkg = _Package(data)
    xml = pkg.members[sheet_part]
    end = xml.rfind(b"</sheetData>")
    first = int(re.findall(rb'<row r="([0-9]+)"', xml[:end])[-1]) + 1
    special = {
        first + 3: b' s="0" customFormat="1" ht="30" customHeight="1"',
        first + 4: b' s="0" customFormat="1" hidden="1"',
        EXCEL_MAX_ROW - 1: b' spans="1:3"',
    }
    rows = b"".join(b'<row r="%d"%s/>' % (r, special.get(r, b' s="0" customFormat="1"')) for r in range(first, EXCEL_MAX_ROW + 1))
    pkg.put(sheet_part, xml[:end] + rows + xml[end:])
    return pkg.bytes()


def threaded_comment(data: bytes, sheet_part: str, cell: str, text: str, model: bytes) -> bytes:
    """``data`` with a threaded comment on ``sheet_part``'s ``cell``, written as Excel writes one:
    a threadedComments part and the workbook's person list (both copied in shape from ``model``,
    a real Excel file), and the legacy note Excel keeps beside it for older versions. The sheet
    must already have a legacy note on ``cell`` (its comments part is rewritten to Excel's
    placeholder text)."""
    with zipfile.ZipFile(io.BytesIO(model)) as z:
        person_xml = z.read(next(n for n in z.namelist() if n.startswith("xl/persons/")))
        threaded_xml = z.read(next(n for n in z.namelist() if n.startswith("xl/threadedComments/")))
    person_root = etree.fromstring(person_xml)
    for extra in person_root[1:]:
        person_root.remove(extra)
    person = person_root[0]
    person.set("displayName", "Sarah Whitfield")  # the model's shape, not its author
    person.set("userId", "S::sarah.whitfield@harborough.gov.uk::6f1c2a9e-3b4d-4e5f-8a7b-1c2d3e4f5a6b")
    person_id = person.get("id")
    threaded = etree.fromstring(threaded_xml)
    entry = threaded[0]
    comment_id = "{6B3F4C2A-9E1D-4B7A-8C55-2F0E1D3A4B5C}"
    entry.set("ref", cell)
    entry.set("id", comment_id)
    entry.set("personId", person_id)
    entry.find("{*}text").text = text
    for extra in threaded[1:]:
        threaded.remove(extra)
    pkg = _Package(data)
    wb_part = workbook_part(pkg.members)
    n = 1
    while f"xl/threadedComments/threadedComment{n}.xml" in pkg.members:
        n += 1
    tc_part = f"xl/threadedComments/threadedComment{n}.xml"
    pkg.put(tc_part, _xml(threaded))
    _add_override(pkg, tc_part, "application/vnd.ms-excel.threadedcomments+xml")
    _add_relationship(pkg, sheet_part, "http://schemas.microsoft.com/office/2017/10/relationships/threadedComment",
                      "../" + tc_part.split("/", 1)[1])
    if not any(n.startswith("xl/persons/") for n in pkg.members):
        pkg.put("xl/persons/person.xml", _xml(person_root))
        _add_override(pkg, "xl/persons/person.xml", "application/vnd.ms-excel.person+xml")
        _add_relationship(pkg, wb_part, "http://schemas.microsoft.com/office/2017/10/relationships/person", "persons/person.xml")
    comments_rel = next(r for r in _relationships(pkg, sheet_part) if r.get("Type") == f"{REL}/comments")
    comments_part = _resolve(sheet_part, comments_rel.get("Target"))
    comments = etree.fromstring(pkg.members[comments_part])
    authors = comments.find(f"{{{MAIN}}}authors")
    author = etree.SubElement(authors, f"{{{MAIN}}}author")
    author.text = f"tc={comment_id}"
    for comment in comments.iter(f"{{{MAIN}}}comment"):
        if comment.get("ref") == cell:
            comment.set("authorId", str(len(authors) - 1))
            body = comment.find(f"{{{MAIN}}}text")
            for child in list(body):
                body.remove(child)
            t = etree.SubElement(body, f"{{{MAIN}}}t")
            t.text = ("[Threaded comment]\n\nYour version of Excel allows you to read this threaded comment; however, "
                      "any edits to it will get removed if the file is opened in a newer version of Excel. Learn more: "
                      f"https://go.microsoft.com/fwlink/?linkid=870924\n\nComment:\n    {text}")
    pkg.put(comments_part, _xml(comments))
    return pkg.bytes()


def sheet_part_of(data: bytes, name: str) -> str:
    """The part name of the sheet called ``name``, through workbook.xml and its relationships."""
    pkg = _Package(data)
    wb_part = workbook_part(pkg.members)
    wb = etree.fromstring(pkg.members[wb_part])
    rid = next(s.get(f"{{{REL}}}id") for s in wb.iter(f"{{{MAIN}}}sheet") if s.get("name") == name)
    rel = next(r for r in _relationships(pkg, wb_part) if r.get("Id") == rid)
    return _resolve(wb_part, rel.get("Target"))


def _needs_print_titles(data: bytes) -> bool:
    """Workbooks where a sheet-scoped name's localSheetId is easy to get wrong: chart or dialog
    sheets among the worksheets, or names already scoped to sheets."""
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        types = z.read("[Content_Types].xml")
        workbook = next((z.read(n) for n in z.namelist() if n.endswith("workbook.xml")), b"")
    return b"chartsheet+xml" in types or b"dialogsheet+xml" in types or b"localSheetId" in workbook


def build_register(name: str, folder: Path) -> Path:
    """The register for case ``name`` (a corpus file, grafted, or one of BUILT) written in ``folder``."""
    path = folder / name
    if name in CORPUS_FILES:
        data = (CORPUS / name).read_bytes()
        path.write_bytes(graft(data, print_titles=4 if _needs_print_titles(data) else None))
        return path
    if name == "register-features.xlsx":
        return featured_register(path)
    if name == "register-macro.xlsm":
        vba = zipfile.ZipFile(CORPUS / "poi-SimpleMacro.xlsm").read("xl/vbaProject.bin")
        return featured_register(path, variant="autofilter", vba=vba)
    base = featured_register(folder / f"base-{name}", variant="autofilter",
                             notes={THREADED_CELL: "placeholder: replaced by the threaded comment's legacy note"})
    data = base.read_bytes()
    base.unlink()
    part = sheet_part_of(data, REGISTER_SHEET)
    if name == "register-threaded.xlsx":
        model = (CORPUS / "poi-right-to-left.xlsx").read_bytes()
        path.write_bytes(threaded_comment(data, part, THREADED_CELL, "Is this the partner's legal name?", model))
    else:
        path.write_bytes(formatted_to_last_row(data, part))
    return path
