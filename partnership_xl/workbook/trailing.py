"""Rows that only carry formatting after a sheet's last used row (a register formatted to 1,048,576).

Formatting whole rows, or a table "to the bottom", makes Excel write one cell-less element per row
down to row 1,048,576 (``<row r="205" s="7" customFormat="1"/>`` a million times: 40 MB of XML
for a 200-row register). python-calamine parses all of it, which made such a register cost far
more than its used rows (SPEC §2: it must cost no more).

:func:`cut_package` finds that run — everything between the sheet's last row with content and
``</sheetData>``, when it is only ``<row>`` elements without cells — and returns an in-memory copy
of the package with it cut, for the reader: those rows hold no values. The annotated copy does
not need this: it streams the sheet and copies the run as it is
(:mod:`partnership_xl.workbook.sheet`). The package has already passed
:func:`partnership_xl.workbook.sniff.inspect_register`; only parts it accepted are unpacked here, once
(the reader's unpacked XML is kept for its scan of error cells).
"""

from __future__ import annotations

import io
import posixpath
import re
import zipfile
import zlib
from collections.abc import Container
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from defusedxml import ElementTree

#: A run shorter than this is not worth a copy of the package (about 25,000 formatted rows).
MIN_TAIL_BYTES = 1 << 20
EXCEL_MAX_ROW = 1_048_576

_SHEET_DATA = re.compile(rb"<([A-Za-z_][\w.-]*:)?sheetData[\s>/]")
_ROW_NUMBER = re.compile(rb'\br="([0-9]{1,7})"')
_NS_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_NS_R = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_WORKSHEET_REL = "/worksheet"


def find_tail(xml: bytes, min_bytes: int | None = None) -> tuple[int, int] | None:
    """Where the sheet XML's trailing run of cell-less rows is: (start, end), or None."""
    min_bytes = MIN_TAIL_BYTES if min_bytes is None else min_bytes
    m = _SHEET_DATA.search(xml)
    if not m:
        return None
    prefix = m.group(1) or b""
    open_end = xml.find(b">", m.start())
    if open_end < 0 or xml[open_end - 1:open_end] == b"/":
        return None
    body = open_end + 1
    end = xml.rfind(b"</" + prefix + b"sheetData>")
    if end < body:
        return None
    row_close = b"</" + prefix + b"row>"
    # The run starts after the row holding the sheet's last cell (the last "<c" of any kind: a
    # cell, or an element inside one); rows after it hold no cells, whatever they are written as.
    last_cell = xml.rfind(b"<" + prefix + b"c", body, end)
    last = xml.find(row_close, last_cell, end) if last_cell >= 0 else -1
    if last_cell >= 0 and last < 0:
        return None
    start = last + len(row_close) if last >= 0 else body
    if end - start < max(min_bytes, 1):
        return None
    open_tag = b"<" + prefix + b'row r="'
    if not xml.startswith(open_tag, start):
        return None
    return start, end


def sheet_parts(z: zipfile.ZipFile) -> dict[str, str]:
    """Sheet name → its worksheet part (``xl/worksheets/sheet1.xml``) in the package."""
    try:
        book = ElementTree.fromstring(z.read("xl/workbook.xml"))
        rels = ElementTree.fromstring(z.read("xl/_rels/workbook.xml.rels"))
    except (KeyError, ElementTree.ParseError):
        return {}
    targets = {}
    for rel in rels:
        if rel.get("Type", "").endswith(_WORKSHEET_REL):
            target = rel.get("Target", "")
            targets[rel.get("Id")] = (posixpath.normpath(target.lstrip("/")) if target.startswith("/")
                                      else posixpath.normpath(str(PurePosixPath("xl") / target)))
    out = {}
    for s in book.iter(f"{_NS_MAIN}sheet"):
        part = targets.get(s.get(f"{_NS_R}id"))
        if part is not None and s.get("name") is not None:
            out[s.get("name")] = part
    return out


@dataclass
class CutPackage:
    """A package's worksheets with their trailing formatted rows cut."""

    data: io.BytesIO | None  # the package to hand to python-calamine; None when nothing was cut
    xml: dict[str, bytes]  # sheet name → the sheet XML as handed on (cut), for each large sheet unpacked
    originals: dict[str, bytes] = field(default_factory=dict)  # member → its bytes before the cut, for the annotated copy


def cut_package(path: Path, min_bytes: int | None = None, skip: Container[str] = ()) -> CutPackage | None:
    """An in-memory copy of the .xlsx at ``path`` with each worksheet's trailing cell-less rows cut.

    Only worksheet parts of at least ``min_bytes`` are unpacked, and their (cut) XML is kept in
    ``xml`` (the reader scans it, and need not unpack it again). ``data`` is None when no
    worksheet has such a run. Sheets named in ``skip`` (the ones the reader passes over) are not
    unpacked. None when the package cannot be read.
    """
    min_bytes = MIN_TAIL_BYTES if min_bytes is None else min_bytes
    try:
        with zipfile.ZipFile(path) as src:
            by_part = {part: name for name, part in sheet_parts(src).items()}
            infos = src.infolist()
            cut: dict[str, bytes] = {}
            xml_of: dict[str, bytes] = {}
            originals: dict[str, bytes] = {}
            for info in infos:
                name = by_part.get(info.filename)
                if name is None or name in skip or info.file_size < min_bytes:
                    continue
                xml = src.read(info)
                found = find_tail(xml, min_bytes)
                if found is not None:
                    start, end = found
                    originals[info.filename] = xml  # the copy needs it whole: it need not unpack it again
                    xml = cut[info.filename] = xml[:start] + xml[end:]
                xml_of[name] = xml
                del xml
            if not cut:
                return CutPackage(None, xml_of, originals)
            buf = io.BytesIO()
            with zipfile.ZipFile(buf, "w", zipfile.ZIP_STORED) as dst:
                for info in infos:
                    dst.writestr(info.filename, cut[info.filename] if info.filename in cut else src.read(info))
    except (OSError, zipfile.BadZipFile, zlib.error, KeyError, RuntimeError, ValueError, EOFError, NotImplementedError):
        return None  # damaged: let the reader say so, as without this module
    buf.seek(0)
    return CutPackage(buf, xml_of, originals)
