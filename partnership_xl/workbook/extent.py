"""How far the cells of an OpenDocument or Excel binary sheet reach, read without building the sheet.

python-calamine allocates the box from A1 to the farthest cell holding something, so one value
left in the last row and column asks it for 17 billion cells (an ``.xlsb`` aborts the process; an
``.ods`` fails with a technical message). :mod:`.sheetsize` asks these functions for
that box first and refuses the sheet in a plain sentence. Both stream the part: memory stays a
few MB however large the sheet.
"""

from __future__ import annotations

import re
import struct
from collections.abc import Iterator
from typing import BinaryIO

from lxml import etree

_TABLE = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"
_OFFICE = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
_CELLS = {f"{{{_TABLE}}}table-cell", f"{{{_TABLE}}}covered-table-cell"}


def ods_extents(fh: BinaryIO) -> Iterator[tuple[str, int, int]]:
    """(sheet name, last row, last column) holding something, 1-based, for each sheet of ``content.xml``.

    Rows and cells repeated with ``table:number-rows-repeated`` / ``number-columns-repeated``
    count as many times as they are repeated (LibreOffice writes a million empty rows as one
    element; calamine expands those that hold a value). XML that is not well-formed ends the
    scan, with the sheet read so far reported: the reader then says what is wrong with it.
    """
    name, high_row, high_col = "", 0, 0
    scan = _ods_scan(fh)
    try:
        for name, high_row, high_col, done in scan:
            if done:
                yield name, high_row, high_col
                high_row = 0
    except etree.LxmlError:
        if high_row:
            yield name, high_row, high_col


def _ods_scan(fh: BinaryIO) -> Iterator[tuple[str, int, int, bool]]:
    """(sheet, last row, last column, whether the sheet has ended) after each cell holding something."""
    tags = (f"{{{_TABLE}}}table", f"{{{_TABLE}}}table-row", *_CELLS)
    # A DTD was refused before this is called (sniff._check_part); no entity is resolved anyway.
    events = etree.iterparse(fh, events=("start", "end"), tag=tags, resolve_entities=False, no_network=True, huge_tree=True)
    depth = 0  # a table inside a cell (a sub-table) is part of its cell, not a sheet
    row = column = high_row = high_col = 0
    name = ""
    for event, element in events:
        tag = element.tag
        if tag == f"{{{_TABLE}}}table":
            if event == "start":
                depth += 1
                if depth == 1:
                    name, row, high_row, high_col = element.get(f"{{{_TABLE}}}name", ""), 0, 0, 0
            else:
                depth -= 1
                if depth == 0:
                    if high_row:
                        yield name, high_row, high_col, True
                    element.clear()
            continue
        if depth != 1 or event == "start":
            if tag == f"{{{_TABLE}}}table-row" and depth == 1 and event == "start":
                column = 0
            continue
        if tag in _CELLS:
            repeat = _repeat(element, "number-columns-repeated")
            if element.get(f"{{{_OFFICE}}}value-type") is not None or len(element) or (element.text or "").strip():
                high_col = max(high_col, column + repeat)
                high_row = max(high_row, row + _repeat(element.getparent(), "number-rows-repeated"))
                yield name, high_row, high_col, False
            column += repeat
            element.clear()
        else:  # the end of a row
            row += _repeat(element, "number-rows-repeated")
            element.clear()
            while element.getprevious() is not None:
                del element.getparent()[0]


def _repeat(element, attribute: str) -> int:
    if element is None:
        return 1
    value = element.get(f"{{{_TABLE}}}{attribute}", "1")
    if not value.isdigit() or not value.strip("0"):
        return 1
    return int(value) if len(value) <= 12 else 10**12  # an absurd repeat: huge, without converting 5,000 digits


# --- Excel binary workbooks (.xlsb): a stream of records, [MS-XLSB] 2.1.4 ------------------------

_ROW_HEADER = 0x0000  # BrtRowHdr: rw (4 bytes) first
_VALUED_CELLS = {2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 62}  # BrtCellRk ... BrtFmlaError, BrtCellRString: col (4 bytes) first
_BUNDLE_SHEET = 0x009C  # BrtBundleSh in workbook.bin: the sheet's relationship id and name


def xlsb_extent(fh: BinaryIO) -> tuple[tuple[int, int] | None, bool]:
    """((last row, last column) holding a value, 1-based, or None), and whether the part is damaged.

    Blank cells (formatting only) are not counted: calamine does not place them either. Damaged
    means a record or a string in it runs past its end, which calamine reads as a panic.
    """
    high_row = high_col = 0
    row = 0
    damaged = False
    for kind, head in _records(fh, keep=_STRING_AT):
        if kind is None or _bad_strings(kind, head):
            damaged = True
            break
        if kind == _ROW_HEADER and len(head) >= 4:
            row = struct.unpack_from("<I", head)[0] + 1
        elif kind in _VALUED_CELLS and len(head) >= 4:
            high_col = max(high_col, struct.unpack_from("<I", head)[0] + 1)
            high_row = max(high_row, row)
    return ((high_row, high_col) if high_col else None), damaged


def xlsb_damaged(fh: BinaryIO) -> bool:
    """Does any record of a binary part (workbook.bin, sharedStrings.bin...) run past its end?"""
    return any(kind is None or _bad_strings(kind, head) for kind, head in _records(fh, keep=_STRING_AT))


# Records whose text calamine slices by the length written before it: (offset of the first
# string, how many strings follow). BrtBundleSh (sheet), BrtCellSt, BrtFmlaString, BrtSSTItem.
_STRINGS = {156: (8, 2), 6: (8, 1), 8: (8, 1), 19: (1, 1)}
_STRING_AT = 1 << 16  # bytes of each record kept for the checks (strings are far shorter)


def _bad_strings(kind: int, payload: bytes) -> bool:
    where = _STRINGS.get(kind)
    if where is None or len(payload) >= _STRING_AT:
        return False
    at = where[0]
    for _ in range(where[1]):
        if at + 4 > len(payload):
            return True
        count = struct.unpack_from("<I", payload, at)[0]
        if count == 0xFFFFFFFF and kind == 156:  # a nullable string left empty
            at += 4
            continue
        at += 4 + 2 * count
        if at > len(payload):
            return True
    return False


def xlsb_sheet_names(workbook_bin: bytes, rels: str) -> dict[str, str]:
    """Worksheet part name (``xl/worksheets/sheet1.bin``) → sheet name, from workbook.bin and its rels."""
    targets = _targets(rels)
    return {targets[rid].lower(): sheet for rid, sheet in _bundle_sheets(workbook_bin) if rid in targets and sheet}


def xlsb_unlinked(workbook_bin: bytes, rels: str) -> bool:
    """Does workbook.bin name a sheet by a relationship its rels do not hold? (calamine panics on it.)"""
    targets = _targets(rels)
    return any(rid not in targets for rid, _ in _bundle_sheets(workbook_bin))


def _targets(rels: str) -> dict[str, str]:
    """Relationship id → target part, from a .rels part's text."""
    targets = {}
    for rel in re.finditer(r"<Relationship\b[^>]*>", rels):
        rid, target = re.search(r'\sId="([^"]*)"', rel.group(0)), re.search(r'\sTarget="([^"]*)"', rel.group(0))
        if rid and target:
            path = target.group(1)
            targets[rid.group(1)] = path.lstrip("/") if path.startswith("/") else "xl/" + path
    return targets


def _bundle_sheets(workbook_bin: bytes) -> Iterator[tuple[str, str]]:
    """(relationship id, sheet name) of each BrtBundleSh record of workbook.bin."""
    import io

    for kind, payload in _records(io.BytesIO(workbook_bin), keep=4096):
        if kind is None:
            return
        if kind == _BUNDLE_SHEET and len(payload) >= 12:
            rid, at = _wide_string(payload, 8)
            sheet, _ = _wide_string(payload, at)
            yield rid, sheet


def _wide_string(data: bytes, at: int) -> tuple[str, int]:
    if at + 4 > len(data):
        return "", len(data)
    count = struct.unpack_from("<I", data, at)[0]
    end = at + 4 + 2 * count
    if count == 0xFFFFFFFF or end > len(data):
        return "", len(data)
    return data[at + 4:end].decode("utf-16-le", errors="replace"), end


def _records(fh: BinaryIO, keep: int = 8) -> Iterator[tuple[int | None, bytes]]:
    """(record type, its first ``keep`` bytes) for each record; the rest of each record is skipped.

    A record cut short (its header, or its size running past the end) ends the walk with
    ``(None, b"")``.
    """
    buffer, at = b"", 0

    def fill(need: int) -> bool:
        nonlocal buffer, at
        while len(buffer) - at < need:
            more = fh.read(1 << 20)
            if not more:
                return False
            buffer, at = buffer[at:] + more, 0
        return True

    while fill(1):
        fill(6)
        kind, at = _varint(buffer, at, 2)
        size, at = _varint(buffer, at, 4) if kind is not None else (None, at)
        if kind is None or size is None:
            yield None, b""
            return
        fill(min(size, keep))
        head = buffer[at:at + min(size, keep)]
        if len(head) < min(size, keep):
            yield None, b""
            return
        yield kind, head
        left = size
        while left:
            available = len(buffer) - at
            if available >= left:
                at += left
                break
            left -= available
            buffer, at = fh.read(1 << 20), 0
            if not buffer:
                yield None, b""
                return


def _varint(data: bytes, at: int, most: int) -> tuple[int | None, int]:
    """A record type (up to 2 bytes) or size (up to 4), 7 bits a byte, high bit for 'more'."""
    value = 0
    for i in range(most):
        if at + i >= len(data):
            return None, at + i
        byte = data[at + i]
        value |= (byte & 0x7F) << (7 * i)
        if not byte & 0x80:
            return value, at + i + 1
    return value, at + most
