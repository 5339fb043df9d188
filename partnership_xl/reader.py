"""Read the register as officers keep it (SPEC §2).

Finds the register sheet and its header row, maps officers' headings to fields through the
aliases, and keeps every value with its Excel row and column. Values come from python-calamine
(fast, and it also reads .xls/.xlsb/.ods); for .xlsx the sheet's XML is scanned once for the two
things calamine cannot tell from a blank: Excel error values and formulas with no saved result.
A reader never knows about rules.
"""

from __future__ import annotations

import gc
import io
import posixpath
import re
import zipfile
from collections.abc import Sequence
from contextlib import contextmanager
from functools import lru_cache
from itertools import chain, compress, repeat
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
    with _collection_paused():
        return _read_register(path, settings, sheet, kind, oversized)


@contextmanager
def _collection_paused():
    """Python's cyclic garbage collector paused while a register is read.

    Reading makes millions of objects (a list a row, a value a cell), none of them in a cycle; the
    collector makes a full pass each time the objects alive grow by a quarter, walking them all
    again (over a second of a 100,000-row read). Cycles made meanwhile are collected afterwards.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _read_register(path: Path, settings: Settings, sheet: str | None, kind: str, oversized: Sequence[OversizedSheet]) -> Register:
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


def _grid(data: list[list], width: int) -> np.ndarray:
    """The data rows as one (rows × width) object array, short rows padded with blanks ("")."""
    if not data or not width:
        return np.empty((len(data), width), dtype=object)
    if len(set(map(len, data))) != 1 or len(data[0]) != width:  # calamine's rows are all as wide as the sheet
        data = [r if len(r) == width else list(r) + [""] * (width - len(r)) for r in data]
    return np.fromiter(chain.from_iterable(data), dtype=object, count=len(data) * width).reshape(len(data), width)


def _build(path: Path, sheet: str, names: list[str], rows: list[list], merged: list, h: int, index: dict[str, str], kind: str,
           xml: bytes | None = None) -> Register:
    header = rows[h]
    width = max(map(len, rows), default=0)
    data = rows[h + 1:]
    markers = _scan_markers(path, sheet, kind, xml)
    del xml
    header_excel_row = h + 1
    first_data_row = header_excel_row + 1
    last_marker_row = max((row for row, _ in markers), default=0)
    extra = max(0, last_marker_row - first_data_row - len(data) + 1)  # calamine drops rows holding only unsaved formulas
    # The cells below the header as one object array, row by row as calamine made them (so walking
    # it visits the values in the order they lie in memory): columns are views of it.
    grid = _grid(data, width)
    del data
    n = len(grid) + extra

    columns: dict[str, int] = {}
    headers: dict[int, str] = {}
    unknown: dict[int, str] = {}
    duplicates: dict[int, str] = {}
    tool_columns: list[int] = []
    last_column = 0
    for c in range(width):
        text = header[c] if c < len(header) else ""
        text = "" if text is None else str(text).strip() if not isinstance(text, str) else text.strip()
        col = c + 1
        if text.endswith(TOOL_COLUMN_SUFFIX.strip()):
            tool_columns.append(col)
            continue
        if not text:
            if _any_filled(grid[:, c]):
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

    # Values of the wanted columns (field, unknown and duplicate ones), with Excel errors and
    # unsaved formulas marked, as one (rows × wanted) array; ``at[col]`` is a column's place in it.
    wanted_cols = sorted(set(columns.values()) | set(unknown) | set(duplicates))
    at = {col: k for k, col in enumerate(wanted_cols)}
    if wanted_cols == list(range(1, width + 1)):
        values = grid
    else:
        values = grid[:, [col - 1 for col in wanted_cols]]
    del grid
    if extra:
        values = np.concatenate([values, np.full((extra, len(wanted_cols)), "", dtype=object)])
    values = np.ascontiguousarray(values)  # already is: _errors_and_filled changes it through a flat view
    touched: list[tuple[int, int]] = []  # cells given a marker or a merged block's value: their filled state is decided one by one
    for (row, col), marker in markers.items():
        i = row - first_data_row
        if col in at and 0 <= i < n:
            values[i, at[col]] = marker
            touched.append((i, at[col]))
    for (r1, c1, r2, c2) in merged:  # a merged block means its top-left value for every cell
        for col in range(c1, c2 + 1):
            if col in at and r1 >= first_data_row:
                k, i1, i2 = at[col], r1 - first_data_row, min(r2, first_data_row + n - 1) - first_data_row
                if i2 > i1:
                    values[i1 + 1:i2 + 1, k] = [values[i1, k] if i1 < n else ""] * (i2 - i1)
                    touched.extend((i, k) for i in range(i1 + 1, i2 + 1))
    # Text that reads as an Excel error (e.g. from .ods) is one too; and which cells are filled.
    filled = _errors_and_filled(values, touched)

    index_rows = pd.Index(range(first_data_row, first_data_row + n), name="row")
    field_at = [at[col] for col in columns.values()]
    other_cols = sorted(set(unknown) | set(duplicates))
    other_at = [at[col] for col in other_cols]
    known_count = filled[:, field_at].sum(axis=1) if field_at else np.zeros(n, dtype=int)
    any_other = filled[:, other_at].any(axis=1) if other_at else np.zeros(n, dtype=bool)
    blank_row = (known_count == 0) & ~any_other
    is_total = np.zeros(n, dtype=bool)
    name_given = filled[:, at[columns["name"]]] if "name" in columns else np.zeros(n, dtype=bool)
    if "name" in columns:  # only a given name can read Total
        is_total |= _total_mask(values[:, at[columns["name"]]], name_given & ~blank_row)
    if "ref" in columns:  # "Total" typed in the first column (Ref) of a row with no name is a total too
        is_total |= _total_mask(values[:, at[columns["ref"]]], ~name_given & ~blank_row)
    note_row = ~blank_row & (((known_count < 3) & ~name_given) | is_total)
    keep = ~blank_row & ~note_row
    skipped = [int(r) for r in index_rows[note_row]]
    kept = np.flatnonzero(keep)
    kept_rows = index_rows.take(kept)  # as DataFrame.take makes it (a RangeIndex while the rows kept are a run)
    if columns and len(kept):
        raw = pd.DataFrame(values[np.ix_(kept, field_at)], index=kept_rows, columns=list(columns), dtype=object)
    else:
        raw = pd.DataFrame({f: np.empty(len(kept), dtype=object) for f in columns}, index=kept_rows, dtype=object)

    other_cells = {}
    for col, k in zip(other_cols, other_at, strict=True):
        column = values[kept, k]
        for i in np.flatnonzero([isinstance(v, (ExcelError, NoCachedValue)) for v in column.tolist()]).tolist():
            other_cells[(int(index_rows[kept[i]]), int(col))] = column[i]

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
        raw=raw,
        skipped_rows=skipped,
        last_column=last_column,
        kind=kind,
        sheet_names=names,
        other_cells=other_cells,
        suggestions=suggestions,
    )


_NOT_ALNUM = re.compile(r"[^0-9a-z]+")
_TOTAL_STARTS = tuple(TOTAL_NAMES)
_LEADING_ALNUM = re.compile(r"[0-9A-Za-z]+")
_TOTAL_PREFIXES = frozenset(name[:k] for name in TOTAL_NAMES for k in range(1, len(name) + 1))


def _is_total(v: object) -> bool:
    """Whether a cell reads Total / Grand total (``header_key(v) in TOTAL_NAMES``). header_key only
    cuts its text's end and drops what is not a letter or digit, so its key starts the text's
    letters and digits: text whose letters do not start with a total's name is not one (cheap).
    Cheaper still: text opening with ASCII letters or digits has a key opening with them, lower-cased."""
    if not isinstance(v, str):
        return False
    lead = _LEADING_ALNUM.match(v)
    if lead is not None:
        start = lead.group().lower()
        if start not in _TOTAL_PREFIXES and not start.startswith(_TOTAL_STARTS):
            return False
    return (_NOT_ALNUM.sub("", v.lower().replace("&", "and")).startswith(_TOTAL_STARTS)
            and header_key(v) in TOTAL_NAMES)


def _total_mask(column: np.ndarray, where: np.ndarray) -> np.ndarray:
    """Which cells of ``column`` read Total, looking only ``where`` (True) and once per distinct value."""
    out = np.zeros(len(column), dtype=bool)
    at = np.flatnonzero(where)
    cells = column[at].tolist()
    try:
        verdict = {v: _is_total(v) for v in set(cells)}
        out[at] = list(map(verdict.__getitem__, cells))
    except TypeError:  # an unhashable value (never from calamine)
        out[at] = [_is_total(v) for v in cells]
    return out



def _errors_and_filled(values: np.ndarray, touched: Sequence[tuple[int, int]] = ()) -> np.ndarray:
    """Mark text Excel errors in ``values`` (a C-contiguous object array, changed in place) as
    ExcelError, and return whether each cell is filled (:func:`_filled`), a boolean array of its shape.

    A cell is filled unless it is "" (most blanks: one comparison in C for the whole array), None
    or other text only of spaces. Which texts are errors or spaces is found among the distinct
    values (one pass in C); only the cells holding those, and the ``touched`` cells (markers and
    merged blocks: a marker's ExcelError may have blank text), are then decided one by one.
    """
    flat = values.reshape(-1)
    if not flat.size:
        return np.zeros(values.shape, dtype=bool)
    try:
        filled = flat != ""
        distinct = set(flat)
    except TypeError:  # an unhashable or uncomparable value (never from calamine): one cell at a time
        for i, v in enumerate(flat):
            if type(v) is str and v in EXCEL_ERRORS:
                flat[i] = ExcelError(v)
        return np.fromiter((_filled(v) for v in flat), dtype=bool, count=flat.size).reshape(values.shape)
    texts = list(compress(distinct, map(isinstance, distinct, repeat(str))))  # no Python step per value
    errors = sorted(EXCEL_ERRORS.intersection(texts))
    for v in errors + list(compress(texts, map(str.isspace, texts))):
        cells = np.flatnonzero(flat == v)
        if v in errors:
            error = ExcelError(v)
            for i in cells.tolist():
                if type(flat[i]) is str:
                    flat[i] = error
        filled[cells] = [_filled(x) for x in flat[cells].tolist()]
    if None in distinct:
        filled[[x is None for x in flat.tolist()]] = False
    filled = filled.reshape(values.shape)
    for i, k in touched:
        filled[i, k] = _filled(values[i, k])
    return filled


def _any_filled(column: np.ndarray) -> bool:
    """Whether any cell of a column of calamine's values is filled (:func:`_filled`): "" never is."""
    return any(map(_filled, column[column != ""].tolist()))


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
