"""Rows that only carry formatting after a sheet's last used row (a register formatted to 1,048,576).

Formatting whole rows, or a table "to the bottom", makes Excel write one cell-less element per row
down to row 1,048,576 (``<row r="205" s="7" customFormat="1"/>`` a million times: 40 MB of XML
for a 200-row register). python-calamine parses all of it and openpyxl builds a RowDimension
object for each, which made such a register cost 1.4x (the check) and 20x (the annotated copy)
the same register without the formatting (SPEC §2: it must cost no more than its used rows).

:func:`cut_package` finds that run — everything between the sheet's last row with content and
``</sheetData>``, when it is only self-closing ``<row .../>`` elements — and returns an in-memory
copy of the package with it cut, for the reader (nothing at all is kept: those rows hold no
values) or for openpyxl (one representative row is kept for each distinct set of row attributes,
so openpyxl resolves its style as it would for every row). :class:`Tail` keeps the original run
and, once the representatives' output is known, gives back every row with the attributes openpyxl
would have written for it, to be written into the copy's sheet in their place
(:mod:`.annotate_io`); the copy then holds the same rows as openpyxl's own copy would.

For the copy, anything unusual (a row without ``r`` or whose ``r`` is not first, whitespace between
rows, more than a few distinct row formats, rows numbered out of order) is left alone: the
package is read whole, as before. The package has already passed
:func:`partnership_xl.safety.inspect_register`; only parts it accepted are unpacked here (once:
the reader's unpacked XML is kept for the copy), and the in-memory copy holds the same parts.
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
#: More distinct row formats than this in the run: leave the package as it is.
MAX_TEMPLATES = 16
EXCEL_MAX_ROW = 1_048_576

_SHEET_DATA = re.compile(rb"<([A-Za-z_][\w.-]*:)?sheetData[\s>/]")
_ROW_NUMBER = re.compile(rb'\br="([0-9]{1,7})"')
_NS_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_NS_R = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_WORKSHEET_REL = "/worksheet"


@dataclass
class Tail:
    """The run of cell-less rows cut from one worksheet part."""

    first_row: int  # the run's first row number (every row with content is above it)
    count: int  # number of <row/> elements in the run
    prefix: bytes  # the namespace prefix of the sheet's elements (b"" or e.g. b"x:")
    marked: bytes  # the run, each element's attributes after r="N" (and its "/>") replaced by a placeholder
    representatives: list[tuple[int, bytes]] = field(default_factory=list)  # per distinct format: (row, original element)

    def rows_as_written(self, written: dict[int, str | None]) -> str:
        """Every row of the run with the attributes openpyxl writes for it: ``written`` maps a
        representative's index to the attributes openpyxl wrote for it (after ``r``), or None when
        it wrote no row. The rows stay self-closing (openpyxl would write ``<row ...></row>``, the
        same XML), so that checking the copy again finds them as it did in the original."""
        text = self.marked
        if self.prefix:
            text = text.replace(b"<" + self.prefix + b'row r="', b'<row r="')
        for i in range(len(self.representatives)):
            attributes = written.get(i)
            if attributes is None:  # openpyxl keeps no row that only had r/spans/extension attributes
                text = re.sub(rb'<row r="[0-9]+"' + re.escape(_placeholder(i)), b"", text)
            else:
                text = text.replace(_placeholder(i), attributes.encode("utf-8") + b"/>")
        return text.decode("utf-8")

    def rows(self) -> list[tuple[int, int]]:
        """(row number, representative index) of every row of the run, in order (the slow path)."""
        found = re.findall(rb'row r="([0-9]+)"\x00([A-Z])\x01', self.marked)
        return [(int(r), i[0] - 65) for r, i in found]


def _placeholder(i: int) -> bytes:
    return b"\x00" + bytes([65 + i]) + b"\x01"  # \x00 cannot occur in XML: never confused with the sheet's text


_DIGITS = b"0123456789"


def find_tail(xml: bytes, min_bytes: int | None = None, representatives: bool = True) -> tuple[int, int, Tail | None] | None:
    """Where the sheet XML's trailing run of cell-less rows is: (start, end, tail), or None.

    ``xml[start:end]`` is the run. Without ``representatives`` (the reader, which only drops it)
    the Tail, needed to write the rows back, is not built and is None.
    """
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
    if not representatives:
        return start, end, None  # they hold no values: the reader drops them all

    run = xml[start:end]
    if b"</" in run:  # openpyxl writes an empty row as <row ...></row>: the same as <row .../>
        run = run.replace(b"></" + prefix + b"row>", b"/>")
    n = run.count(b"<")
    last_used = 0
    if last >= 0:
        row_start = xml.rfind(b"<" + prefix + b"row", body, last)
        number = _ROW_NUMBER.search(xml, row_start, xml.find(b">", row_start)) if row_start >= 0 else None
        if number is None:
            return None  # rows numbered by position only: leave it alone
        last_used = int(number.group(1))
    number_at = re.compile(re.escape(open_tag) + rb'([0-9]{1,7})"')
    first, final = number_at.match(run), number_at.match(run, run.rfind(open_tag))
    if first is None or final is None or not last_used < int(first.group(1)) <= int(final.group(1)) <= EXCEL_MAX_ROW:
        return None

    # The format of the last row is usually the format of nearly all: mark those in one pass
    # (bytes.replace). A marked row reads <row r="N"\x00A\x01; every other row still holds a '/>'
    # or a '" ' (its own attributes, or a longer format that merely ends like the common one
    # and was caught by the replace too), so the two searches below skip straight to them.
    common = run[final.end():run.find(b"/>", final.end())]
    old, new = b'"' + common + b"/>", b'"' + _placeholder(0)
    marked = run.replace(old, new)
    replaced = (len(run) - len(marked)) // (len(old) - len(new)) if len(old) != len(new) else marked.count(new)
    element = re.compile(re.escape(open_tag) + rb'([0-9]+)"(?:([^\x00<]+)' + re.escape(_placeholder(0)) + rb'|([^\x00<]*)/>)')
    templates = {common: 0}
    reps = [(0, b"")]
    segments, pos, own_rows = [], 0, 0
    for hint in (b"/>", b'" '):
        at = marked.find(hint, pos)
        while at >= 0:
            if len(segments) > 500_000:
                return None  # many rows of other formats: not worth it
            element_start = marked.rfind(b"<", pos, at)
            found = element.match(marked, element_start) if element_start >= 0 else None
            if found is None:
                return None
            number, caught, own = found.groups()
            template = caught + common if caught is not None else own
            own_rows += caught is None
            i = templates.setdefault(template, len(templates))
            if i == len(reps):
                if i >= MAX_TEMPLATES:
                    return None
                reps.append((int(number), open_tag + number + b'"' + template + b"/>"))
            segments += [marked[pos:element_start], open_tag, number, b'"', _placeholder(i)]
            pos = found.end()
            at = marked.find(hint, pos)
        if segments:
            segments.append(marked[pos:])
            marked, segments, pos = b"".join(segments), [], 0
    if replaced + own_rows != n:
        return None  # a row that is not <row r="N" .../>
    first_common = re.compile(re.escape(open_tag) + rb'([0-9]+)"' + re.escape(_placeholder(0))).search(marked)
    if first_common is None:
        return None
    reps[0] = (int(first_common.group(1)), open_tag + first_common.group(1) + b'"' + common + b"/>")
    return start, end, Tail(int(first.group(1)), n, prefix, marked, reps)


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


# The sheet XML of the last package whose trailing rows the reader cut, for the annotated copy,
# which cuts them again (with representatives) right after: (path, size, mtime) → {part: xml}.
_UNPACKED: dict[tuple, dict[str, bytes]] = {}


def _stamp(path: Path) -> tuple | None:
    try:
        st = Path(path).stat()
    except (OSError, TypeError):
        return None
    return (str(Path(path).resolve()), st.st_size, st.st_mtime_ns)


@dataclass
class CutPackage:
    """A package's worksheets with their trailing formatted rows cut."""

    data: io.BytesIO | None  # the package to hand to python-calamine or openpyxl; None when nothing was cut
    tails: dict[str, Tail | None]  # sheet name → what was cut (None for the reader's cut)
    xml: dict[str, bytes]  # sheet name → the sheet XML as handed on (cut), for each large sheet unpacked


def cut_package(path: Path, representatives: bool, min_bytes: int | None = None, keep_xml: bool = False,
                skip: Container[str] = ()) -> CutPackage | None:
    """An in-memory copy of the .xlsx at ``path`` with each worksheet's trailing cell-less rows cut.

    ``representatives``: keep one row per distinct row format for openpyxl (see :class:`Tail`).
    Only worksheet parts of at least ``min_bytes`` are unpacked. ``data`` is None when no worksheet
    has such a run; with ``keep_xml`` the XML of the unpacked worksheets is kept all the same
    (the reader scans it, and need not unpack it again). Sheets named in ``skip`` (the ones the
    reader passes over) are not unpacked. None when the package cannot be read.
    """
    min_bytes = MIN_TAIL_BYTES if min_bytes is None else min_bytes
    try:
        with zipfile.ZipFile(path) as src:
            by_part = {part: name for name, part in sheet_parts(src).items()}
            infos = src.infolist()
            cut: dict[str, bytes] = {}
            tails: dict[str, Tail | None] = {}
            xml_of: dict[str, bytes] = {}
            stamp = _stamp(path)
            remembered = _UNPACKED.pop(stamp, {}) if stamp is not None else {}
            for info in infos:
                name = by_part.get(info.filename)
                if name is None or name in skip or info.file_size < min_bytes:
                    continue
                xml = remembered.get(info.filename) or src.read(info)
                found = find_tail(xml, min_bytes, representatives)
                if found is not None:
                    if stamp is not None and not representatives:  # the annotated copy reads it next: unpack once
                        _UNPACKED.clear()
                        _UNPACKED.setdefault(stamp, {})[info.filename] = xml
                    start, end, tail = found
                    kept = b"".join(e for _, e in sorted(tail.representatives)) if tail is not None else b""
                    xml = cut[info.filename] = xml[:start] + kept + xml[end:]
                    tails[name] = tail
                if keep_xml:
                    xml_of[name] = xml
                del xml
            if not cut:
                return CutPackage(None, {}, xml_of)
            buf = io.BytesIO()
            with zipfile.ZipFile(buf, "w", zipfile.ZIP_STORED) as dst:
                for info in infos:
                    dst.writestr(info.filename, cut[info.filename] if info.filename in cut else src.read(info))
    except (OSError, zipfile.BadZipFile, zlib.error, KeyError, RuntimeError, ValueError, EOFError, NotImplementedError):
        return None  # damaged: let the reader or openpyxl say so, as without this module
    buf.seek(0)
    return CutPackage(buf, tails, xml_of)
