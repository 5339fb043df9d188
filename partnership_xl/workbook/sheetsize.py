"""Whether a worksheet is too big to read, judged before any reader allocates for it (SPEC §8).

A reader allocates the box from A1 to a sheet's farthest cell holding something, so one stray
value in XFD1048576 asks python-calamine for 17 billion cells (the process aborts), and a sheet
part can claim more rows than Excel holds. :mod:`.sniff` hands each worksheet part of an .xlsx
here: its unpacked size against the cells and rows its ``<dimension>`` claims
(:func:`_check_sheet_size`), then the box its cells really span, measured by streaming the part
(:func:`_within`, :func:`_check_sheet_extent`); the sheets of an .ods or .xlsb are measured by
:mod:`.extent` (:func:`_ods_oversized`, :func:`_xlsb_oversized`). A sheet that is too big gets
:func:`oversized_sheet`'s sentence. The units and sentences both modules use are written here.
"""

from __future__ import annotations

import codecs
import re
import zipfile
import zlib
from html import unescape

from ..config import Limits
from ..errors import NotAWorkbook, OversizedSheet, UnsafeWorkbook
from . import extent

MB = 1024 * 1024
# The smallest cell and row a worksheet part can hold: '<c r="A1"><v>1</v></c>' and
# '<row r="1"/>'. A part of N bytes holds at most N // these, whatever its dimension claims.
_MIN_CELL_BYTES = 20
_MIN_ROW_BYTES = 12

_DAMAGED = ("{name} is damaged or incomplete (it may not have finished copying): copy it again from "
            "the original, or open it in Excel and save it again, then run again.")
_RAISE = "if you trust this file, raise {key} in partnership-xl.toml and run again"


def _mb(size: int) -> str:
    return f"{size / MB:,.1f}" if size < 10 * MB else f"{size // MB:,}"


def _ods_oversized(zf: zipfile.ZipFile, parts: dict[str, zipfile.ZipInfo], name: str, limits: Limits) -> list[OversizedSheet]:
    """The sheets of an OpenDocument spreadsheet whose box from A1 to their farthest value is too big."""
    content = parts.get("content.xml")
    if content is None:
        return []
    found = []
    with zf.open(content) as fh:
        for sheet, high_row, high_col in extent.ods_extents(fh):
            if high_row * high_col > limits.max_cells:
                found.append(oversized_sheet(name, sheet, f"'{sheet}'", high_row, high_col, limits))
    return found


def _xlsb_oversized(zf: zipfile.ZipFile, parts: dict[str, zipfile.ZipInfo], name: str, limits: Limits) -> list[OversizedSheet]:
    """The worksheets of an Excel binary workbook whose box from A1 to their farthest value is too big.

    Every binary part is walked record by record first: one whose records or strings run past
    their end is damaged (python-calamine would panic on it, printing a Rust report).
    """
    found = []
    names: dict[str, str] | None = None
    if "xl/workbook.bin" in parts:  # a sheet named by a relationship the rels lack: calamine would panic
        rels = zf.read(parts["xl/_rels/workbook.bin.rels"]).decode("utf-8", "replace") if "xl/_rels/workbook.bin.rels" in parts else ""
        if extent.xlsb_unlinked(zf.read(parts["xl/workbook.bin"]), rels):
            raise NotAWorkbook(_DAMAGED.format(name=name))
    for part, info in parts.items():
        if not (part.startswith("xl/") and part.endswith(".bin")) or part.endswith("vbaproject.bin") or "/printersettings/" in part:
            continue
        with zf.open(info) as fh:
            if not part.startswith("xl/worksheets/"):
                if extent.xlsb_damaged(fh):
                    raise NotAWorkbook(_DAMAGED.format(name=name))
                continue
            far, damaged = extent.xlsb_extent(fh)
        if damaged:
            raise NotAWorkbook(_DAMAGED.format(name=name))
        if far is None or far[0] * far[1] <= limits.max_cells:
            continue
        if names is None:
            try:
                rels = zf.read(parts["xl/_rels/workbook.bin.rels"]).decode("utf-8", "replace")
                names = extent.xlsb_sheet_names(zf.read(parts["xl/workbook.bin"]), rels)
            except KeyError:
                names = {}
        sheet = names.get(part)
        found.append(oversized_sheet(name, sheet, f"'{sheet}'" if sheet else f"part '{info.filename}'", *far, limits))
    return found


_DIMENSION = re.compile(r"""<(?:[\w.-]+:)?dimension\b[^>]*?\bref\s*=\s*["']([^"']*)["']""")
_REF = re.compile(r"\$?([A-Za-z]{1,4})\$?(\d{1,10})(?::\$?([A-Za-z]{1,4})\$?(\d{1,10}))?")


def _dimension(ref: str) -> tuple[int, int] | None:
    """(rows, cells) that a worksheet's <dimension ref="A1:XFD1048576"/> claims."""
    m = _REF.fullmatch(ref.strip())
    if not m:
        return None
    c1, r1 = _column_number(m.group(1)), int(m.group(2))
    c2, r2 = (_column_number(m.group(3)), int(m.group(4))) if m.group(3) else (c1, r1)
    rows = abs(r2 - r1) + 1
    return rows, rows * (abs(c2 - c1) + 1)


def _dimension_bounds(ref: str) -> tuple[int, int] | None:
    """(last row, last column) of a worksheet's <dimension ref="B2:AN500"/>: (500, 40)."""
    m = _REF.fullmatch(ref.strip())
    if not m:
        return None
    rows = (int(m.group(2)), int(m.group(4) or m.group(2)))
    columns = (_column_number(m.group(1)), _column_number(m.group(3) or m.group(1)))
    return max(rows), max(columns)


def _column_number(letters: str) -> int:
    number = 0
    for ch in letters.upper():
        number = number * 26 + ord(ch) - 64
    return number


def _check_sheet_size(info: zipfile.ZipInfo, claimed: tuple[int, int] | None, name: str, limits: Limits) -> None:
    # A sheet formatted to row 1,048,576 claims billions of cells in a few KB: legal and common.
    # Only a part large enough to really hold more than the limit is refused.
    size = info.file_size
    cells = size // _MIN_CELL_BYTES if claimed is None else min(claimed[1], size // _MIN_CELL_BYTES)
    if cells > limits.max_cells:
        raise UnsafeWorkbook(f"{name} was refused: its sheet part '{info.filename}' unpacks to {_mb(size)} MB, room for about {cells:,} cells, more than the limit of {limits.max_cells:,} cells (setting max_cells); {_RAISE.format(key='max_cells')}.")
    if claimed is not None and min(claimed[0], size // _MIN_ROW_BYTES) > limits.max_rows:
        raise UnsafeWorkbook(f"{name} was refused: its sheet part '{info.filename}' unpacks to {_mb(size)} MB and claims {claimed[0]:,} rows, more than the {limits.max_rows:,} rows Excel can hold; use a copy saved by Excel, or ask IT to check the file.")


# What the readers allocate for a worksheet is the box from its first to its last cell holding
# something, not the cells it holds: one stray value in XFD1048576 makes 17 billion cells, which
# python-calamine cannot allocate (the process aborts, no exception to catch). The box is measured
# from the cells themselves when the sheet claims a large one (<dimension>, which Excel keeps), when
# it claims none, and for any part small enough to scan in a few milliseconds.
_SCAN_ALWAYS_BYTES = 2 * MB
# A cell's opening tag with its reference, when it holds something (not a self-closing <c .../>).
_VALUED_CELL = re.compile(r"""<(?:[\w.-]+:)?c\s[^>]*?(?<=\s)r\s*=\s*["']([A-Za-z]{1,10})([0-9]{1,12})["'][^>]*(?<!/)>""")
_EXCEL_LAST = (1_048_576, 16_384)  # XFD1048576
_WORKSHEET_END = re.compile(r"(?:</(?:[\w.-]+:)?worksheet\s*>|<(?:[\w.-]+:)?worksheet\b[^<>]*/>)\s*\Z")


def _within(zf: zipfile.ZipFile, info: zipfile.ZipInfo, encoding: str, bounds: tuple[int, int], name: str) -> bool:
    """True when no cell reference in the worksheet part lies beyond ``bounds`` (last row, last column).

    One regular-expression search per MB, for references outside the box only (none, in a sheet
    whose <dimension> is true), so a 100 MB sheet costs a fraction of a second and a few MB of
    memory. False also for a part cut short: the full scan then says which.
    """
    outside = _outside_pattern(*bounds)
    decoder = codecs.getincrementaldecoder(encoding)(errors="replace")
    tail = text = ""
    with zf.open(info) as fh:
        while True:
            chunk = fh.read(1 << 20)
            text = tail + decoder.decode(chunk, final=not chunk)
            cut = len(text) if not chunk else max(text.rfind("<"), 0)  # no tag is cut in two
            if outside.search(text, 0, cut):
                return False
            tail = text[cut:]
            if not chunk:
                break
    return bool(_WORKSHEET_END.search(text[-4096:]))


def _outside_pattern(last_row: int, last_column: int) -> re.Pattern[str]:
    """Matches r="XFD9", r="A1048576" or r="A0": an r attribute naming a cell outside A1:<last>."""
    columns = _greater(_column_letters(last_column), "ABCDEFGHIJKLMNOPQRSTUVWXYZ")
    rows = _greater(str(last_row), "0123456789")
    # Letters in either case (re.IGNORECASE would make the search three times slower).
    pattern = rf"""r\s*=\s*["'](?:(?:{columns})[0-9]+|[A-Z]+0*(?:{rows})|[A-Z]+0+)["']"""
    return re.compile(re.sub(r"\[([A-Z])-Z\]", lambda m: f"[{m.group(1)}-Z{m.group(1).lower()}-z]", pattern))


def _greater(digits: str, alphabet: str) -> str:
    """A regular expression for the numerals in ``alphabet`` (without a zero) longer or larger than ``digits``.

    Columns (A..Z, then AA) and rows (no leading zeros) compare as numerals: longer is larger, and
    of equal length the first differing digit decides.
    """
    low, high = alphabet[1] if alphabet[0] == "0" else alphabet[0], alphabet[-1]
    any_digit = f"[{alphabet[0]}-{high}]"
    options = [f"[{low}-{high}]{any_digit}{{{len(digits)},}}"]
    for i, digit in enumerate(digits):
        if digit != high:
            following = alphabet[alphabet.index(digit) + 1]
            prefix = "".join(f"[{d}{d.lower()}]" if d.isalpha() else d for d in digits[:i])
            options.append(f"{prefix}[{following}-{high}]{any_digit}{{{len(digits) - i - 1}}}")
    return "|".join(options)


def _column_letters(number: int) -> str:
    letters = ""
    while number > 0:
        number, remainder = divmod(number - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


def _check_sheet_extent(zf: zipfile.ZipFile, info: zipfile.ZipInfo, encoding: str, name: str, limits: Limits) -> None:
    """Refuse a worksheet whose cells span more than ``max_cells``, or lie beyond Excel's last cell."""
    rows: list[int] = []
    columns: set[str] = set()
    decoder = codecs.getincrementaldecoder(encoding)(errors="replace")
    tail = ""
    with zf.open(info) as fh:
        while True:
            chunk = fh.read(1 << 20)
            text = tail + decoder.decode(chunk, final=not chunk)
            cut = len(text) if not chunk else text.rfind("<")  # no tag is cut in two
            if cut > 0:
                found = _VALUED_CELL.findall(text, 0, cut)
                if found:
                    numbers = [int(r) for _, r in found]
                    columns.update(c.upper() for c, _ in found)
                    rows += (min(numbers), max(numbers))
                tail = text[cut:]
            else:
                tail = text
            if not chunk:
                break
    if not _WORKSHEET_END.search(text):  # cut short inside the zip: readers would call it "no register"
        raise NotAWorkbook(_DAMAGED.format(name=name))
    if not rows:
        return
    by_number = {_column_number(c): c for c in columns}
    low_col, high_col, low_row, high_row = min(by_number), max(by_number), min(rows), max(rows)
    if high_row > _EXCEL_LAST[0] or high_col > _EXCEL_LAST[1] or low_row == 0:
        far = f"{by_number[high_col]}{high_row}" if low_row else f"{by_number[low_col]}0"
        raise UnsafeWorkbook(f"{name} was refused for safety: sheet {_sheet_label(zf, info.filename)} has cells beyond Excel's last cell XFD1048576 "
                             f"(as far as {far}), which Excel never writes; use a copy saved by Excel, or ask IT to check the file.")
    # The reader takes every sheet from A1 (so that rows and columns are Excel's), so the box it
    # builds starts there, however far from A1 the first cell is.
    if high_row * high_col > limits.max_cells:
        label = _sheet_label(zf, info.filename)
        raise oversized_sheet(name, label[1:-1] if label.startswith("'") else None, label, high_row, high_col, limits)


def oversized_sheet(name: str, sheet: str | None, label: str, high_row: int, high_col: int, limits: Limits) -> OversizedSheet:
    """The sentence for a sheet whose box from A1 to its farthest cell holding something is too big."""
    letters = _column_letters(high_col)
    return OversizedSheet(f"{name} was refused: sheet {label} has something as far out as row {high_row:,} and "
                          f"column {letters}, far from its other cells, which makes it {high_row:,} rows by {high_col:,} columns from A1 "
                          f"({high_row * high_col:,} cells), more than the limit of {limits.max_cells:,} cells (setting max_cells): in Excel "
                          f"press Ctrl+End on that sheet to find it, delete the stray rows or columns and save; or, if the sheet really "
                          f"is that large, raise max_cells in partnership-xl.toml; then run again.", sheet)


def _sheet_label(zf: zipfile.ZipFile, part: str) -> str:
    """'Register' for a worksheet part, from workbook.xml and its relationships; else the part name."""
    try:
        book = zf.read("xl/workbook.xml").decode("utf-8", "replace")
        rels = zf.read("xl/_rels/workbook.xml.rels").decode("utf-8", "replace")
    except (KeyError, OSError, zipfile.BadZipFile, zlib.error, RuntimeError):
        return f"part '{part}'"
    targets: dict[str, str] = {}
    for rel in re.finditer(r"<Relationship\b[^>]*>", rels):
        rid, target = re.search(r'\sId="([^"]*)"', rel.group(0)), re.search(r'\sTarget="([^"]*)"', rel.group(0))
        if rid and target:
            targets[rid.group(1)] = target.group(1)
    for m in re.finditer(r"<(?:\w+:)?sheet\b[^>]*>", book):
        sheet_name, rid = re.search(r'\sname="([^"]*)"', m.group(0)), re.search(r'\s[\w]+:id="([^"]*)"', m.group(0))
        target = targets.get(rid.group(1), "") if rid else ""
        if sheet_name and target and part.endswith(target.lstrip("/").removeprefix("xl/")):
            return f"'{unescape(sheet_name.group(1))}'"
    return f"part '{part}'"
