"""Cheap checks on a register file before any reader opens it (SPEC §8).

:func:`inspect_register` sniffs what the file really is from its first bytes (never its
extension) and refuses, with one plain sentence, anything a reader should not be handed: a
missing or empty file, something that is not a spreadsheet, a damaged zip, a password-protected
workbook, a zip bomb (judged from the zip's central directory before anything is unpacked) and an
XML part that declares a DTD (entity expansion, external entities). It reads a few KB: the zip
directory plus the first bytes of each part. :func:`lock_owner` says who has a file open in Excel.
"""

from __future__ import annotations

import codecs
import errno
import os
import re
import stat
import struct
import zipfile
import zlib
from collections.abc import Callable
from html import unescape
from pathlib import Path, PurePath
from typing import BinaryIO

from .config import Limits  # the limits are written once, beside the settings that raise them
from .errors import NotAWorkbook, OversizedSheet, PartnershipXLError, ProtectedWorkbook, RegisterNotFound, UnsafeWorkbook
from .workbook import extent
from .workbook.cfb import CompoundFile, Damaged

MB = 1024 * 1024
CFB_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


_MAX_PARTS = 20_000  # Excel never writes this many parts; a zip that has them is built to stall us
_CHUNK = 4096
_PROLOG_BUDGET = 64 * 1024  # bytes allowed before a part's first element (Excel writes ~60)
_DIMENSION_BUDGET = 16 * 1024  # <dimension> comes before <sheetData>, within the first KB
# The smallest cell and row a worksheet part can hold: '<c r="A1"><v>1</v></c>' and
# '<row r="1"/>'. A part of N bytes holds at most N // these, whatever its dimension claims.
_MIN_CELL_BYTES = 20
_MIN_ROW_BYTES = 12

_RESAVE = "open it in Excel and save it as an Excel Workbook (.xlsx) with File > Save As, then run again"
_DAMAGED = ("{name} is damaged or incomplete (it may not have finished copying): copy it again from "
            "the original, or open it in Excel and save it again, then run again.")
_RAISE = "if you trust this file, raise {key} in partnership-xl.toml and run again"


def inspect_register(path: Path, limits: Limits = Limits(), oversized: list[OversizedSheet] | None = None) -> str:
    """Check that ``path`` is a workbook that is safe to read and return its kind.

    The kind is ``"xlsx"`` (also .xlsm/.xltx), ``"xlsb"``, ``"ods"`` or ``"xls"``. Raises
    :class:`RegisterNotFound`, :class:`NotAWorkbook`, :class:`ProtectedWorkbook` or
    :class:`UnsafeWorkbook` (all :class:`PartnershipXLError`) with one sentence saying what to do.
    With ``oversized`` given, a worksheet whose cells span more than ``max_cells`` (a stray value
    far from the rest: often on a guidance or lookup sheet) is added to it instead of raised, so
    the reader can pass that sheet over and refuse only if it is the register.
    """
    path = Path(path)
    name = path.name or str(path)
    try:
        st = path.stat()
    except (FileNotFoundError, NotADirectoryError):
        raise not_found(path) from None
    except OSError as exc:
        raise _unreadable(name, exc) from None
    if stat.S_ISDIR(st.st_mode):
        raise RegisterNotFound(f"{name} is a folder, not a workbook: give the path of the register file inside it, then run again.")
    if not stat.S_ISREG(st.st_mode):
        raise NotAWorkbook(f"{name} is not an ordinary file, so it is not an Excel workbook: give the path of the register file, then run again.")
    if st.st_size == 0:
        raise NotAWorkbook(f"{name} is empty (0 bytes): copy the register again from the original or a backup, then run again.")
    try:
        with open(path, "rb") as fh:
            head = fh.read(2048)
            if head.startswith(b"PK"):
                return _inspect_zip(fh, name, limits, oversized)
            if head.startswith(CFB_MAGIC):
                return _inspect_cfb(fh, name, st.st_size)
    except PartnershipXLError:
        raise
    except OSError as exc:
        raise _unreadable(name, exc) from None
    raise NotAWorkbook(f"{name} is not an Excel workbook{_describe(head)}: {_RESAVE}.")


def not_found(path: Path, what: str = "", exists: Callable[[PurePath], bool] = os.path.exists) -> RegisterNotFound:
    """The sentence for a file that is not there: the path as given, and what is missing on the way.

    ``what`` names the file's role (``"The --previous register"``). A missing folder or drive is
    named as such: an unmapped ``W:`` in a scheduled task's log says the drive does not exist.
    """
    shown = str(path)
    subject = f"{what} {shown}" if what else shown
    return RegisterNotFound(f"{subject} was not found: {missing_part(path, exists)}, then run again.")


def missing_part(path: PurePath, exists: Callable[[PurePath], bool] = os.path.exists) -> str:
    """What is missing on the way to ``path``, as the middle of a sentence."""
    parent = path.parent
    if str(parent) in ("", ".") or exists(parent):
        where = f"the folder {parent}" if str(parent) not in ("", ".") else f"the current folder ({Path.cwd()})"
        return f"there is no file called {path.name} in {where}; check the file name and the folder"
    ancestors = [p for p in reversed(path.parents) if str(p) not in ("", ".")]  # the drive or root first
    missing = next((p for p in ancestors if not exists(p)), parent)
    if path.drive and str(missing) in (path.anchor, path.drive):
        if path.drive.startswith(("\\\\", "//")):
            return f"the network share {path.drive} cannot be reached; check the network connection and the server's name"
        return (f"the drive {path.drive} does not exist on this computer (a drive letter mapped in your own session is not seen by a "
                f"scheduled task set to run whether you are logged on or not: use the drive's \\\\server\\share path instead)")
    return f"the folder {missing} does not exist; check the path"


def _unreadable(name: str, exc: OSError) -> PartnershipXLError:
    if isinstance(exc, PermissionError):
        return PartnershipXLError(f"You do not have permission to read {name}: ask for access to it, or copy it somewhere you can read, then run again.")
    reason = exc.strerror or type(exc).__name__
    return PartnershipXLError(f"{name} could not be read ({reason}): check that the drive is connected and that you can open the file, then run again.")


def _describe(head: bytes) -> str:
    """A few words on what the file seems to be instead, for the 'not a workbook' sentence."""
    if head.startswith(b"%PDF"):
        return " (it is a PDF)"
    text = head.decode("utf-8", errors="ignore").lower()
    if "urn:schemas-microsoft-com:office:spreadsheet" in text:
        return " in today's format (it is an old Excel 2003 XML spreadsheet)"
    if "<html" in text or "<table" in text:
        return " (it is a web page)"
    printable = sum(ch.isprintable() or ch in "\r\n\t" for ch in text)
    if text and b"\0" not in head and printable >= 0.95 * len(text):
        return " (it looks like a CSV or text file)"
    return ""


# --- zip packages: xlsx, xlsm, xlsb, ods ---------------------------------------------------------

def _inspect_zip(fh: BinaryIO, name: str, limits: Limits, oversized: list[OversizedSheet] | None = None) -> str:
    try:
        zf = zipfile.ZipFile(fh)
        infos = zf.infolist()
    except (zipfile.BadZipFile, EOFError, ValueError, NotImplementedError, struct.error, OSError):
        raise NotAWorkbook(_DAMAGED.format(name=name)) from None
    if len(infos) > _MAX_PARTS:
        raise UnsafeWorkbook(f"{name} was refused for safety: it holds {len(infos):,} parts, far more than any workbook Excel writes; open the original in Excel and save it again as .xlsx, then run again.")
    parts = {info.filename.replace("\\", "/").lstrip("/").lower(): info for info in infos}
    kind = _zip_kind(parts, name)
    _check_sizes(infos, name, limits)
    try:
        if kind == "ods":
            _check_ods(zf, parts, name)
        for info in infos:
            if not info.is_dir() and info.file_size > 0:
                try:
                    _check_part(zf, info, name, limits)
                except OversizedSheet as exc:
                    if oversized is None:
                        raise
                    oversized.append(exc)
        if kind == "ods":  # calamine reads every sheet of an .ods when it opens it: none can be passed over
            for exc in _ods_oversized(zf, parts, name, limits):
                raise exc
        if kind == "xlsb":
            for exc in _xlsb_oversized(zf, parts, name, limits):
                if oversized is None:
                    raise exc
                oversized.append(exc)
    except (zipfile.BadZipFile, zlib.error, EOFError, ValueError, NotImplementedError, RuntimeError, OSError):
        raise NotAWorkbook(_DAMAGED.format(name=name)) from None
    return kind


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


def _zip_kind(parts: dict[str, zipfile.ZipInfo], name: str) -> str:
    if "xl/workbook.xml" in parts:
        return "xlsx"
    if "xl/workbook.bin" in parts:
        return "xlsb"
    if "content.xml" in parts:
        return "ods"
    if "word/document.xml" in parts:
        raise NotAWorkbook(f"{name} is a Word document, not an Excel workbook: give the path of the register workbook, then run again.")
    if "ppt/presentation.xml" in parts:
        raise NotAWorkbook(f"{name} is a PowerPoint presentation, not an Excel workbook: give the path of the register workbook, then run again.")
    raise NotAWorkbook(f"{name} is a zip file with no workbook inside, so it is not an Excel workbook: {_RESAVE}.")


def _check_sizes(infos: list[zipfile.ZipInfo], name: str, limits: Limits) -> None:
    """Zip-bomb checks on the sizes the central directory declares: nothing is unpacked yet."""
    total = 0
    for info in infos:
        if info.flag_bits & 0x1:  # zip-level encryption: Excel never writes it
            raise NotAWorkbook(f"{name} has password-locked parts that Excel itself does not write: open the original in Excel and save it again as .xlsx, then run again.")
        size, packed = info.file_size, info.compress_size
        if info.compress_type == zipfile.ZIP_STORED and size != packed:
            raise NotAWorkbook(_DAMAGED.format(name=name))
        if size > limits.max_part_mb * MB:
            raise UnsafeWorkbook(f"{name} was refused for safety: its part '{info.filename}' would unpack to {_mb(size)} MB, more than the limit of {limits.max_part_mb} MB (setting max_part_mb); {_RAISE.format(key='max_part_mb')}.")
        if size > MB and (packed == 0 or size > limits.max_ratio * packed):
            ratio = f"{size // packed:,} times" if packed else "from nothing"
            raise UnsafeWorkbook(f"{name} was refused for safety as a possible zip bomb: its part '{info.filename}' would grow {ratio} when unpacked ({_mb(packed)} MB to {_mb(size)} MB), more than the limit of {limits.max_ratio} times (setting max_ratio); {_RAISE.format(key='max_ratio')}.")
        total += size
    if total > limits.max_total_mb * MB:
        raise UnsafeWorkbook(f"{name} was refused for safety: it would unpack to {_mb(total)} MB in all, more than the limit of {limits.max_total_mb} MB (setting max_total_mb); {_RAISE.format(key='max_total_mb')}.")


def _mb(size: int) -> str:
    return f"{size / MB:,.1f}" if size < 10 * MB else f"{size // MB:,}"


def _check_ods(zf: zipfile.ZipFile, parts: dict[str, zipfile.ZipInfo], name: str) -> None:
    mimetype = parts.get("mimetype")
    if mimetype is not None:
        with zf.open(mimetype) as fh:
            declared = fh.read(200).decode("ascii", errors="replace").strip()
        if declared.startswith("application/vnd.oasis.opendocument.") and ".spreadsheet" not in declared:
            raise NotAWorkbook(f"{name} is an OpenDocument file but not a spreadsheet: give the path of the register workbook, then run again.")
    manifest = parts.get("meta-inf/manifest.xml")
    if manifest is not None and manifest.file_size <= 4 * MB:
        with zf.open(manifest) as fh:
            if b"encryption-data" in fh.read(4 * MB):
                raise ProtectedWorkbook(f"{name} is protected with a password: open it, save a copy without the password (in LibreOffice untick Save with password; in Excel save it as .xlsx), then run again.")


def _check_part(zf: zipfile.ZipFile, info: zipfile.ZipInfo, name: str, limits: Limits) -> None:
    """Refuse a DTD in any XML part, and a worksheet part too big for the cells allowed."""
    with zf.open(info) as fh:
        raw = fh.read(_CHUNK)
        sniffed = _sniff_xml(raw)
        if sniffed is None:
            if info.filename.lower().endswith((".xml", ".rels")):  # named as XML, holding something else
                raise NotAWorkbook(_DAMAGED.format(name=name))
            return  # not XML (an image, a .bin record stream...): readers do not parse it as XML
        encoding, prefix, start = sniffed
        decoder = codecs.getincrementaldecoder(encoding)(errors="replace")
        text, read = prefix + decoder.decode(raw[start:]), len(raw)
        while (found := _prolog(text)) is None:
            more = fh.read(_CHUNK) if read < _PROLOG_BUDGET else b""
            if not more:
                if read >= _PROLOG_BUDGET:
                    raise UnsafeWorkbook(f"{name} was refused for safety: its part '{info.filename}' hides more than {_PROLOG_BUDGET // 1024} KB of preamble before its content, which Excel never writes; use a copy saved by Excel, or ask IT to check the file.")
                return  # ended inside the preamble: not well-formed, the reader will say so
            read += len(more)
            text += decoder.decode(more)
        if found == "<!":
            raise UnsafeWorkbook(f"{name} was refused for safety: its part '{info.filename}' contains XML instructions (a DTD) that Excel never writes and that are used in attacks on the computer reading the file; use a copy saved by Excel, or ask IT to check the file.")
        if found.rpartition(":")[2] != "worksheet":
            return
        while not (dim := _DIMENSION.search(text)) and "sheetData" not in text and read < _DIMENSION_BUDGET:
            more = fh.read(_CHUNK)
            if not more:
                break
            read += len(more)
            text += decoder.decode(more)
    bounds = _dimension_bounds(dim.group(1)) if dim else None
    claimed = _dimension(dim.group(1)) if dim else None
    _check_sheet_size(info, claimed, name, limits)
    # The box from A1 to the dimension's far corner is what a reader allocates if the dimension
    # tells the truth. A small box in a large part is checked cheaply (is any cell outside it?);
    # otherwise, or when a cell is outside it, every cell is measured.
    if (bounds is None or bounds[0] * bounds[1] > limits.max_cells or info.file_size <= _SCAN_ALWAYS_BYTES
            or not _within(zf, info, encoding, bounds, name)):
        _check_sheet_extent(zf, info, encoding, name, limits)


_XML_DECL_ENCODING = re.compile(rb"""<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9._\-]+)["'][^>]*?\?>""")


def _sniff_xml(raw: bytes) -> tuple[str, str, int] | None:
    """(encoding, text of the XML declaration, where to decode from) when ``raw`` starts like XML."""
    if raw.startswith(codecs.BOM_UTF8):
        return "utf-8", "", 3
    if raw.startswith((codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)):
        return "utf-32", "", 0
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16", "", 0
    if raw.startswith(b"<\0"):
        return "utf-16-le", "", 0
    if raw.startswith(b"\0<"):
        return "utf-16-be", "", 0
    if not raw.lstrip(b" \t\r\n").startswith(b"<"):
        return None
    declared = _XML_DECL_ENCODING.match(raw.lstrip(b" \t\r\n"))
    if declared:  # the declaration is ASCII; what follows it is in the declared encoding
        try:
            encoding = codecs.lookup(declared.group(1).decode("ascii")).name
        except LookupError:
            encoding = "latin-1"  # unknown to Python: decode byte for byte, ASCII markup still shows
        end = raw.index(b"?>") + 2
        return encoding, raw[:end].decode("latin-1"), end
    return "utf-8", "", 0


def _prolog(text: str) -> str | None:
    """Walk the XML prolog: the root element's name, "<!" for a DTD, "" for junk, None for more.

    A DTD, and so any entity, can only stand before the root element, so this is all of a part
    that has to be read to know it declares none.
    """
    i, n = (1 if text.startswith("\ufeff") else 0), len(text)
    while True:
        while i < n and text[i] in " \t\r\n":
            i += 1
        if i + 1 >= n:
            return None
        if text[i] != "<":
            return ""
        if text.startswith("<?", i):
            end = text.find("?>", i + 2)
            if end < 0:
                return None
            i = end + 2
        elif text.startswith("<!--", i):
            end = text.find("-->", i + 4)
            if end < 0:
                return None
            i = end + 3
        elif text[i + 1] == "!":
            return None if n - i < 4 else "<!"  # DOCTYPE, ENTITY or any other declaration
        else:
            root = re.match(r"<([^\s/>]+)[\s/>]", text[i:])
            return root.group(1) if root else (None if n - i < 200 else "")


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


# --- OLE compound files: legacy .xls, and password-protected workbooks of any kind --------------

_BOF_RECORDS, _FILEPASS = {0x0809, 0x0409, 0x0209, 0x0009}, 0x002F
_PROTECTED = ("{name} is protected with a password: open it in Excel, choose File > Info > Protect Workbook > "
              "Encrypt with Password, clear the password, save it{xlsx}, then run again.")


def _inspect_cfb(fh: BinaryIO, name: str, file_size: int) -> str:
    try:
        cfb = CompoundFile(fh, file_size)
        streams = cfb.entries()
        if "encryptedpackage" in streams or "encryptioninfo" in streams:
            raise ProtectedWorkbook(_PROTECTED.format(name=name, xlsx=""))
        book = streams.get("workbook") or streams.get("book")
        if book is None:
            what = ("a Word document" if "worddocument" in streams else
                    "a PowerPoint presentation" if "powerpoint document" in streams else "an Office file")
            raise NotAWorkbook(f"{name} is {what}, not an Excel workbook: give the path of the register workbook, then run again.")
        if book[1] > file_size:
            raise Damaged
        head = cfb.stream_head(*book, streams["\0root"])
    except (Damaged, struct.error):
        raise NotAWorkbook(_DAMAGED.format(name=name)) from None
    if len(head) >= 8:
        record, length = struct.unpack_from("<HH", head)
        if record in _BOF_RECORDS and 4 + length + 2 <= len(head):
            if struct.unpack_from("<H", head, 4 + length)[0] == _FILEPASS:  # FILEPASS follows BOF
                raise ProtectedWorkbook(_PROTECTED.format(name=name, xlsx=" as an Excel Workbook (.xlsx)"))
    return "xls"


# --- who has a file open in Excel ----------------------------------------------------------------

def owner_file_names(name: str) -> list[str]:
    """The names Office gives the owner file (``~$...``) of a file called ``name``.

    Excel writes ``~$`` + the full name (``~$Register.xlsx``). Word drops the first two characters
    of a name whose stem has 8 or more characters (``~$gister.docx``) and the first one at 7; both
    forms are accepted, since tools and versions differ.
    """
    names = ["~$" + name]
    stem = len(Path(name).stem)
    if stem >= 8:
        names.append("~$" + name[2:])
    elif stem == 7:
        names.append("~$" + name[1:])
    return names


def lock_owner(path: Path) -> str | None:
    """Who has ``path`` open in Excel, from the owner file beside it; ``None`` when nobody does.

    Returns the user name the owner file records, or ``"someone"`` when it cannot be read.
    """
    path = Path(path)
    for owner_name in owner_file_names(path.name):
        owner = path.with_name(owner_name)
        try:
            if not owner.is_file():
                continue
            with open(owner, "rb") as fh:
                data = fh.read(512)
        except OSError as exc:
            if exc.errno == errno.ENAMETOOLONG:  # the ~$ name is longer than a file name can be: it cannot exist
                continue
            return "someone"
        return _owner_name(data) or "someone"
    return None


def _owner_name(data: bytes) -> str | None:
    # Byte 0: length of the name; the name follows in the Windows ANSI code page. A UTF-16LE copy
    # (2-byte length first) sits at offset 54 in Word's owner files and 55 in Excel's.
    for at in (54, 55):
        if len(data) >= at + 2:
            length = struct.unpack_from("<H", data, at)[0]
            if 0 < length <= 52 and len(data) >= at + 2 + 2 * length:
                try:
                    text = data[at + 2:at + 2 + 2 * length].decode("utf-16-le").strip()
                except UnicodeDecodeError:
                    continue
                if text and text.isprintable():
                    return text
    if data and 0 < data[0] < len(data):
        text = data[1:1 + data[0]].decode("cp1252", errors="replace").strip()
        if text and text.isprintable():
            return text
    return None
