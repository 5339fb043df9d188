"""Read the register as officers keep it (SPEC §2).

Finds the register sheet and its header row, maps officers' headings to fields through the
aliases, and keeps every value with its Excel row and column. Values come from python-calamine
(fast, and it also reads .xls/.xlsb/.ods); for .xlsx the sheet's XML is scanned once for the two
things calamine cannot tell from a blank: Excel error values and formulas with no saved result.
A reader never knows about rules.
"""

from __future__ import annotations

import io
import posixpath
import re
import zipfile
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path, PurePosixPath

import numpy as np
import pandas as pd
from defusedxml import ElementTree

from .config import Settings
from .errors import NoRegisterSheet, NotAWorkbook, OversizedSheet, ProtectedWorkbook
from .fields import alias_index, header_key
from .model import TOOL_COLUMN_SUFFIX, Register
from .suggest import suggest_field
from .workbook import trailing

HEADER_SEARCH_ROWS = 30
MIN_HEADER_FIELDS = 4
EXCEL_ERRORS = frozenset({"#REF!", "#N/A", "#VALUE!", "#DIV/0!", "#NAME?", "#NUM!", "#NULL!",
                          "#GETTING_DATA", "#SPILL!", "#CALC!", "#FIELD!", "#BLOCKED!", "#UNKNOWN!"})
TOTAL_NAMES = frozenset({"total", "totals", "grandtotal", "subtotal"})


class ExcelError(str):
    """A cell holding an Excel error value such as ``#REF!`` (DQ007)."""

    __slots__ = ()


class NoCachedValue:
    """A formula cell whose result was never saved (DQ008): its value is unknown, not blank."""

    __slots__ = ()

    def __repr__(self) -> str:
        return "NoCachedValue()"


NO_CACHED_VALUE = NoCachedValue()


# What the safety check found the file to be → the extensions calamine reads that kind by.
_SUFFIXES = {"xlsx": (".xlsx", ".xlsm", ".xltx", ".xltm", ".xlam"), "xlsb": (".xlsb",), "ods": (".ods",), "xls": (".xls", ".xla")}


def _reraise_unless_calamine(exc: BaseException) -> None:
    """Let Ctrl+C and exits through; a Rust panic inside python-calamine (a BaseException) is a damaged sheet."""
    if not isinstance(exc, Exception) and type(exc).__name__ != "PanicException":
        raise exc


def _open(path: Path, package=None, kind: str = "xlsx"):
    import python_calamine as pc

    try:
        if package is not None:  # the package with its trailing formatted rows cut (see .trailing)
            return pc.CalamineWorkbook.from_filelike(package)
        if path.suffix.lower() not in _SUFFIXES.get(kind, ()):  # an .xls saved as .xlsx, an .ods named .xls...:
            with open(path, "rb") as fh:  # calamine goes by the extension of a path, by the content of a file
                return pc.CalamineWorkbook.from_filelike(io.BytesIO(fh.read()))
        return pc.CalamineWorkbook.from_path(str(path))
    except pc.PasswordError:
        raise ProtectedWorkbook(f"{path.name} is password-protected: open it in Excel, remove the password (File > Info > Protect Workbook), save it and run again.") from None
    except BaseException as exc:  # calamine raises several kinds for damaged files, and panics for some
        _reraise_unless_calamine(exc)
        raise NotAWorkbook(f"{path.name} cannot be read as a spreadsheet ({_short(exc)}): open it in Excel, save it as an Excel Workbook (.xlsx) and run again.") from None


def _short(exc: Exception) -> str:
    text = str(exc).splitlines()[0] if str(exc) else exc.__class__.__name__
    return text[:120]


def _match_count(row: list, index: dict[str, str]) -> int:
    seen = set()
    for value in row:
        if isinstance(value, str) and value.strip() and not value.endswith(TOOL_COLUMN_SUFFIX):
            field = index.get(header_key(value))
            if field:
                seen.add(field)
    return len(seen)


def _header_row(rows: list[list], index: dict[str, str]) -> int | None:
    """0-based index of the first row among the first 30 matching at least four fields."""
    for i, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        if _match_count(row, index) >= MIN_HEADER_FIELDS:
            return i
    return None


def read_register(path: Path, settings: Settings, sheet: str | None = None, kind: str = "xlsx",
                  oversized: Sequence[OversizedSheet] = ()) -> Register:
    """Read the register at ``path``: the sheet from ``sheet``/config or the best-matching one.

    ``oversized`` are the sheets the safety check found too large to read (a stray value far out):
    they are passed over, and refused only when the register is one of them.
    """
    too_large = {exc.sheet: exc for exc in oversized}
    # Large worksheet parts are unpacked once here: the rows after the last used row that only
    # carry formatting (a sheet formatted to row 1,048,576) are cut before calamine parses them,
    # and the (cut) XML is kept for the scan of error cells, which would unpack it again.
    cut = trailing.cut_package(path, skip=too_large) if kind == "xlsx" else None
    book = _open(path, cut.data if cut is not None else None, kind)
    index = alias_index(settings.aliases)
    try:
        names = list(book.sheet_names)
        wanted = sheet or settings.sheet
        if wanted is not None:
            if wanted not in names:
                raise NoRegisterSheet(f"{path.name} has no sheet called '{wanted}'; its sheets are: {', '.join(names)}.")
            if wanted in too_large:
                raise too_large[wanted]
            chosen = wanted
            rows, merged = _rows(book, chosen, path)
        else:
            chosen, rows, merged = _best_sheet(book, names, index, path, settings.header_row, too_large)
    finally:
        book.close()

    if settings.header_row is not None:
        h = settings.header_row - 1
        if h >= len(rows) or _match_count(rows[h], index) == 0:
            raise NoRegisterSheet(f"Row {settings.header_row} of sheet '{chosen}' in {path.name} holds no register headings: check header_row in the settings.")
    else:
        h = _header_row(rows, index)
        if h is None:
            raise NoRegisterSheet(f"Sheet '{chosen}' of {path.name} has no header row with at least {MIN_HEADER_FIELDS} known register columns in its first {HEADER_SEARCH_ROWS} rows: check the sheet name, or set 'sheet' and 'header_row' in partnership-xl.toml.")
    xml = cut.xml.get(chosen) if cut is not None else None
    register = _build(path, chosen, names, rows, merged, h, index, kind, xml)
    register.unpacked = cut.originals if cut is not None else {}
    return register


def _rows(book, name: str, path: Path) -> tuple[list[list], list]:
    """The sheet's rows from Excel row 1 and column A, and its merged blocks (1-based)."""
    try:
        s = book.get_sheet_by_name(name)
        merged = [(r1 + 1, c1 + 1, r2 + 1, c2 + 1) for (r1, c1), (r2, c2) in (s.merged_cell_ranges or [])]
        return s.to_python(skip_empty_area=False), merged
    except BaseException as exc:
        _reraise_unless_calamine(exc)
        raise NotAWorkbook(f"Sheet '{name}' of {path.name} cannot be read ({_short(exc)}): open the workbook in Excel, save it again and run again.") from None


def _best_sheet(book, names: list[str], index: dict[str, str], path: Path, header_row: int | None = None,
                too_large: dict | None = None) -> tuple[str, list[list], list]:
    """The sheet whose header matches most fields in its first 30 rows; with ``header_row`` set, the
    sheet whose row ``header_row`` matches most (wherever it is), then the first-30-rows search."""
    best: tuple[tuple[int, int], str, tuple] | None = None
    unreadable: list[NotAWorkbook] = []
    for meta in book.sheets_metadata:
        if str(meta.typ) != "SheetTypeEnum.WorkSheet" or meta.name in (too_large or {}):
            continue
        try:
            read = _rows(book, meta.name, path)
        except NotAWorkbook as exc:
            unreadable.append(exc)
            continue
        searched = max((_match_count(r, index) for r in read[0][:HEADER_SEARCH_ROWS]), default=0)
        at_row = _match_count(read[0][header_row - 1], index) if header_row is not None and 0 < header_row <= len(read[0]) else 0
        score = (at_row, searched)
        if max(score) >= MIN_HEADER_FIELDS and (best is None or score > best[0]):
            best = (score, meta.name, read)
    if best is None and too_large:  # the register may be the sheet that could not be read
        raise next(iter(too_large.values()))
    if best is None and unreadable:  # ... or the one that is damaged: say so, not "no register"
        raise unreadable[0]
    if best is None:
        raise NoRegisterSheet(f"No sheet in {path.name} looks like a partnership register (a header row naming at least {MIN_HEADER_FIELDS} of Ref, Partnership name, Status, Key risks...): check it is the right file, or set 'sheet' and 'header_row' in partnership-xl.toml.")
    return best[1], best[2][0], best[2][1]


def _build(path: Path, sheet: str, names: list[str], rows: list[list], merged: list, h: int, index: dict[str, str], kind: str,
           xml: bytes | None = None) -> Register:
    header = rows[h]
    width = max((len(r) for r in rows), default=0)
    columns: dict[str, int] = {}
    headers: dict[int, str] = {}
    unknown: dict[int, str] = {}
    duplicates: dict[int, str] = {}
    tool_columns: list[int] = []
    last_column = 0
    data = rows[h + 1:]
    for c in range(width):
        text = header[c] if c < len(header) else ""
        text = "" if text is None else str(text).strip() if not isinstance(text, str) else text.strip()
        col = c + 1
        if text.endswith(TOOL_COLUMN_SUFFIX.strip()):
            tool_columns.append(col)
            continue
        if not text:
            if any(c < len(r) and _filled(r[c]) for r in data):
                unknown[col] = ""
                last_column = col
            continue
        headers[col] = text
        last_column = col
        field = index.get(header_key(text))
        if field is None:
            unknown[col] = text
        elif field in columns:
            duplicates[col] = text
        else:
            columns[field] = col

    markers = _scan_markers(path, sheet, kind, xml)
    del xml
    header_excel_row = h + 1
    first_data_row = header_excel_row + 1
    last_marker_row = max((row for row, _ in markers), default=0)
    if last_marker_row >= first_data_row + len(data):  # calamine drops rows holding only unsaved formulas
        data = data + [[] for _ in range(last_marker_row - first_data_row - len(data) + 1)]

    # Values of each field column, with Excel errors and unsaved formulas marked. Columns are
    # taken out of the rows in one transposition (calamine's rows are all as wide as the sheet).
    wanted_cols = sorted(set(columns.values()) | set(unknown) | set(duplicates))
    values: dict[int, list] = {}
    if data and wanted_cols:
        need = max(wanted_cols)
        transposed = list(zip(*(r if len(r) >= need else list(r) + [""] * (need - len(r)) for r in data), strict=False))
        for col in wanted_cols:
            values[col] = list(transposed[col - 1])
        del transposed
    else:
        values = {col: [] for col in wanted_cols}
    for (row, col), marker in markers.items():
        i = row - first_data_row
        if col in values and 0 <= i < len(data):
            values[col][i] = marker
    for (r1, c1, r2, c2) in merged:  # a merged block means its top-left value for every cell
        for col in range(c1, c2 + 1):
            if col in values and r1 >= first_data_row:
                top = values[col][r1 - first_data_row] if r1 - first_data_row < len(data) else ""
                for row in range(r1 + 1, min(r2, first_data_row + len(data) - 1) + 1):
                    values[col][row - first_data_row] = top
    # Text that reads as an Excel error (e.g. from .ods) is one too; and which cells are filled.
    # Both are decided once per distinct value of a column, not once per cell.
    filled_of: dict[int, np.ndarray] = {}
    for col in wanted_cols:
        values[col], filled_of[col] = _errors_and_filled(values[col])

    index_rows = range(first_data_row, first_data_row + len(data))
    frame = pd.DataFrame({f: values[col] for f, col in columns.items()}, index=pd.Index(index_rows, name="row"), dtype=object)
    other = pd.DataFrame({col: values[col] for col in sorted(set(unknown) | set(duplicates))}, index=frame.index, dtype=object)

    filled = pd.DataFrame({f: filled_of[col] for f, col in columns.items()}, index=frame.index, dtype=bool) if len(frame.columns) else pd.DataFrame(index=frame.index)
    other_filled = pd.DataFrame({col: filled_of[col] for col in other.columns}, index=frame.index, dtype=bool) if len(other.columns) else pd.DataFrame(index=frame.index)
    known_count = filled.sum(axis=1) if len(filled.columns) else pd.Series(0, index=frame.index)
    any_other = other_filled.any(axis=1) if len(other_filled.columns) else pd.Series(False, index=frame.index)
    blank_row = (known_count == 0) & ~any_other
    if "name" in frame:
        name_given = filled["name"]
        is_total = _total_mask(frame["name"])
    else:
        name_given = pd.Series(False, index=frame.index)
        is_total = pd.Series(False, index=frame.index)
    if "ref" in frame:  # "Total" typed in the first column (Ref) of a row with no name is a total too
        is_total |= ~name_given & _total_mask(frame["ref"])
    note_row = ~blank_row & (((known_count < 3) & ~name_given) | is_total)
    keep = ~blank_row & ~note_row
    skipped = [int(r) for r in frame.index[note_row]]

    other_cells = {}
    for col in other.columns:
        for row, v in other[col][keep].items():
            if isinstance(v, (ExcelError, NoCachedValue)):
                other_cells[(int(row), int(col))] = v

    suggestions = {}
    for col, text in unknown.items():
        found = suggest_field(text, exclude=set(columns)) if text else None
        if found is not None:
            suggestions[col] = found

    return Register(
        path=path,
        sheet=sheet,
        header_row=header_excel_row,
        columns=columns,
        headers=headers,
        unknown=unknown,
        duplicate_columns=duplicates,
        tool_columns=tool_columns,
        raw=frame[keep],
        skipped_rows=skipped,
        last_column=last_column,
        kind=kind,
        sheet_names=names,
        other_cells=other_cells,
        suggestions=suggestions,
    )


_NOT_ALNUM = re.compile(r"[^0-9a-z]+")
_TOTAL_STARTS = tuple(TOTAL_NAMES)


def _is_total(v: object) -> bool:
    """Whether a cell reads Total / Grand total (``header_key(v) in TOTAL_NAMES``). header_key only
    cuts its text's end and drops what is not a letter or digit, so its key starts the text's
    letters and digits: text whose letters do not start with a total's name is not one (cheap)."""
    return (isinstance(v, str) and _NOT_ALNUM.sub("", v.lower().replace("&", "and")).startswith(_TOTAL_STARTS)
            and header_key(v) in TOTAL_NAMES)


def _total_mask(column: pd.Series) -> pd.Series:
    return column.map(_is_total).astype(bool)


def _errors_and_filled(values: list) -> tuple[np.ndarray, np.ndarray]:
    """The column as an object array with text Excel errors as ExcelError, and whether each cell is
    filled (:func:`_filled`), both decided per distinct value (values equal in Python, such as
    ``1``, ``1.0`` and ``True``, or ``"#N/A"`` and ``ExcelError("#N/A")``, are alike for both)."""
    arr = np.empty(len(values), dtype=object)
    arr[:] = values
    if not len(arr):
        return arr, np.zeros(0, dtype=bool)
    try:
        codes, uniques = pd.factorize(arr)
    except TypeError:  # an unhashable value (never from calamine): one cell at a time
        for i, v in enumerate(arr):
            if type(v) is str and v in EXCEL_ERRORS:
                arr[i] = ExcelError(v)
        return arr, np.fromiter((_filled(v) for v in arr), dtype=bool, count=len(arr))
    for k, v in enumerate(uniques):
        if isinstance(v, str) and v in EXCEL_ERRORS:
            error = ExcelError(v)
            for i in np.flatnonzero(codes == k).tolist():
                if type(arr[i]) is str:
                    arr[i] = error
    filled = np.fromiter((_filled(v) for v in uniques), dtype=bool, count=len(uniques))[codes]
    missing = codes < 0  # None / NaN / NaT: pandas gives them no code
    if missing.any():
        filled[missing] = [_filled(v) for v in arr[missing]]
    return arr, filled


def _filled(v: object) -> bool:
    if isinstance(v, str):
        return bool(v.strip()) or isinstance(v, ExcelError)
    return v is not None


# --- what calamine cannot tell from a blank (.xlsx only) -----------------------------------------

# Elements may carry a namespace prefix (<x:c>, as the Open XML SDK writes them): calamine reads
# those, so the scan must see them too, or their error cells would read as blanks. The prefix is
# read once from <sheetData>; every search then starts from a literal, which keeps a large sheet fast.
_SHEET_DATA = re.compile(rb"<([A-Za-z_][\w.-]*:)?sheetData[\s>/]")
_CELL_REF = re.compile(rb'\br="([A-Z]{1,3})([0-9]{1,7})"')
_STRING_TYPE = re.compile(rb'\bt="str"')


@lru_cache(maxsize=8)
def _patterns(prefix: bytes) -> tuple[re.Pattern, re.Pattern, re.Pattern, re.Pattern]:
    """(formula start, value, empty value, inline string) for elements with this prefix."""
    p = re.escape(prefix)
    return (
        re.compile(b"<" + p + rb"f[\s>/]"),
        re.compile(b"<" + p + rb"v>([^<]*)</" + p + rb"v>"),
        re.compile(b"<" + p + rb"v\s*/>|<" + p + rb"v>\s*</" + p + rb"v>"),
        re.compile(b"<" + p + rb"is[\s>]"),
    )


def _col_number(letters: bytes) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ch - 64
    return n


def _sheet_part(z: zipfile.ZipFile, sheet: str) -> str | None:
    try:
        book = ElementTree.fromstring(z.read("xl/workbook.xml"))
        rels = ElementTree.fromstring(z.read("xl/_rels/workbook.xml.rels"))
    except (KeyError, ElementTree.ParseError):
        return None
    ns_main = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
    ns_r = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
    rid = next((s.get(f"{ns_r}id") for s in book.iter(f"{ns_main}sheet") if s.get("name") == sheet), None)
    for rel in rels:
        if rel.get("Id") == rid:
            target = rel.get("Target", "")
            if target.startswith("/"):
                return posixpath.normpath(target.lstrip("/"))
            return posixpath.normpath(str(PurePosixPath("xl") / target))  # "../xl/worksheets/..." too
    return None


def _sheet_xml(path: Path, sheet: str, kind: str) -> bytes | None:
    if kind != "xlsx":
        return None
    try:
        with zipfile.ZipFile(path) as z:
            part = _sheet_part(z, sheet)
            return z.read(part) if part else None
    except (OSError, zipfile.BadZipFile, KeyError):
        return None


def _scan_markers(path: Path, sheet: str, kind: str, xml: bytes | None = None) -> dict[tuple[int, int], object]:
    """(row, col) → ExcelError / NO_CACHED_VALUE for the sheet's error and unsaved-formula cells
    (``xml``: the sheet's XML when already unpacked)."""
    if xml is None:
        xml = _sheet_xml(path, sheet, kind)
    found: dict[tuple[int, int], object] = {}
    if not xml:
        return found
    sheet_data = _SHEET_DATA.search(xml)
    if not sheet_data:
        return found
    prefix = sheet_data.group(1) or b""
    formula, value, empty_value, inline = _patterns(prefix)
    cell_open, cell_close = b"<" + prefix + b"c", b"</" + prefix + b"c>"

    def cell_around(pos: int) -> tuple[tuple[int, int], bytes, bytes] | None:
        """The cell whose start tag is the last tag before ``pos``: ((row, col), attributes, content)."""
        start = xml.rfind(b"<", 0, pos + 1)
        if not xml.startswith(cell_open, start) or xml[start + len(cell_open):start + len(cell_open) + 1] not in (b" ", b"\t", b"\r", b"\n"):
            return None
        tag_end = xml.find(b">", start)
        if tag_end < 0 or xml[tag_end - 1:tag_end] == b"/":
            return None
        attrs = xml[start + len(cell_open):tag_end]
        ref = _CELL_REF.search(attrs)
        if not ref:
            return None
        end = xml.find(cell_close, tag_end)
        content = xml[tag_end + 1:end if end >= 0 else len(xml)]
        return (int(ref.group(2)), _col_number(ref.group(1))), attrs, content

    pos = xml.find(b't="e"', sheet_data.end())
    while pos >= 0:
        cell = cell_around(pos)
        if cell:
            key, _, content = cell
            v = value.search(content)
            found[key] = ExcelError(v.group(1).decode("utf-8", "replace") if v else "#N/A")
        pos = xml.find(b't="e"', pos + 5)
    for m in formula.finditer(xml, sheet_data.end()):
        before = xml.rfind(b"<", 0, m.start())
        if before < 0 or xml[xml.find(b">", before) + 1:m.start()].strip():
            continue  # <f> is the first child of its <c>
        cell = cell_around(before)
        if cell and not _has_cached_value(cell[1], cell[2], value, empty_value, inline):
            found.setdefault(cell[0], NO_CACHED_VALUE)
    return found


def _has_cached_value(attrs: bytes, content: bytes, value: re.Pattern, empty_value: re.Pattern, inline: re.Pattern) -> bool:
    """Whether a formula cell saved its result. ``=IF(A2="","",...)`` saves an empty string as
    ``<c t="str"><f>..</f><v/></c>``: that is a result (a blank), not a missing one."""
    v = value.search(content)
    if v and v.group(1):
        return True
    if inline.search(content):
        return True
    return bool(_STRING_TYPE.search(attrs) and (v or empty_value.search(content)))
