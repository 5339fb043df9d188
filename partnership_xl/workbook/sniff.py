"""What a register file really is, and whether a reader may be handed it (SPEC §8).

:func:`inspect_register` sniffs what the file really is from its first bytes (never its
extension) and refuses, with one plain sentence, anything a reader should not be handed: a
missing or empty file, something that is not a spreadsheet, a damaged zip, a password-protected
workbook, a zip bomb (judged from the zip's central directory before anything is unpacked) and an
XML part that declares a DTD (entity expansion, external entities). It reads a few KB: the zip
directory plus the first bytes of each part; a worksheet too big to read is judged by
:mod:`.sheetsize`. :func:`not_found` is the sentence for a file that is not there.
"""

from __future__ import annotations

import codecs
import os
import re
import stat
import struct
import zipfile
import zlib
from collections.abc import Callable
from pathlib import Path, PurePath
from typing import BinaryIO

from ..config import Limits  # the limits are written once, beside the settings that raise them
from ..errors import NotAWorkbook, OversizedSheet, PartnershipXLError, ProtectedWorkbook, RegisterNotFound, UnsafeWorkbook
from .cfb import CompoundFile, Damaged
from .sheetsize import (
    _DAMAGED,
    _DIMENSION,
    _RAISE,
    _SCAN_ALWAYS_BYTES,
    MB,
    _check_sheet_extent,
    _check_sheet_size,
    _dimension,
    _dimension_bounds,
    _mb,
    _ods_oversized,
    _within,
    _xlsb_oversized,
)

CFB_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


_MAX_PARTS = 20_000  # Excel never writes this many parts; a zip that has them is built to stall us
_CHUNK = 4096
_PROLOG_BUDGET = 64 * 1024  # bytes allowed before a part's first element (Excel writes ~60)
_DIMENSION_BUDGET = 16 * 1024  # <dimension> comes before <sheetData>, within the first KB

_RESAVE = "open it in Excel and save it as an Excel Workbook (.xlsx) with File > Save As, then run again"


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
