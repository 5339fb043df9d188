"""The register sheet's XML, streamed: only flagged cells' style, the tool's cells and a few elements change.

A worksheet part is split at ``<sheetData>``: the elements around it (the *skeleton*: sheet
views, columns, merged cells, conditional formats, validations, extensions, drawings...) are
parsed as a small tree, and the rows are scanned as bytes. A row the annotation does not touch
is copied exactly as it is, and once the last touched row is passed the rest of ``sheetData`` —
a register formatted down to row 1,048,576 included — is copied in one piece, never expanded.
In a touched row only the flagged cells' ``s`` attribute changes, and the tool's cells (and
flagged blank cells) are inserted in column order.

Of the skeleton the patch owns only ``dimension``'s ref, the tool columns' widths in ``cols``,
the autofilter's ref (widened over the tool columns) and a ``legacyDrawing`` it adds for notes;
every other element is carried over as it was, and elements are added at their place in
CT_Worksheet's sequence.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache

from lxml import etree

from .ooxml import insert_in_order, local, q, same_element
from .package import NS_R, PackageError, parse_xml

#: CT_Worksheet's children in schema order (ECMA-376 Part 1, §18.3.1.99).
WORKSHEET_ORDER = ("sheetPr", "dimension", "sheetViews", "sheetFormatPr", "cols", "sheetData", "sheetCalcPr", "sheetProtection",
                   "protectedRanges", "scenarios", "autoFilter", "sortState", "dataConsolidate", "customSheetViews", "mergeCells",
                   "phoneticPr", "conditionalFormatting", "dataValidations", "hyperlinks", "printOptions", "pageMargins", "pageSetup",
                   "headerFooter", "rowBreaks", "colBreaks", "customProperties", "cellWatches", "ignoredErrors", "smartTags",
                   "drawing", "legacyDrawing", "legacyDrawingHF", "drawingHF", "picture", "oleObjects", "controls",
                   "webPublishItems", "tableParts", "extLst")

_ROOT = re.compile(rb"<([A-Za-z_][\w.-]*:)?worksheet[\s>/]")
_DECLARATION = re.compile(rb"\A\s*<\?xml[^>]*\?>")
_ENCODING = re.compile(rb"""encoding\s*=\s*["']([A-Za-z0-9_.-]+)["']""")
_REF = re.compile(rb"""\sr\s*=\s*["']([A-Z]{1,3})?([0-9]{1,7})["']""")
_STYLE = re.compile(rb"""\ss\s*=\s*["']([0-9]+)["']""")
_CUSTOM_FORMAT = re.compile(rb"""\scustomFormat\s*=\s*["'](1|true)["']""")


@cache
def column_letters(col: int) -> str:
    """``A`` for 1, ``XFD`` for 16,384."""
    letters = ""
    while col:
        col, rem = divmod(col - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


@cache
def column_number(letters: str | bytes) -> int:
    """1 for ``A``, 16,384 for ``XFD``."""
    n = 0
    for ch in letters.decode() if isinstance(letters, bytes) else letters:
        n = n * 26 + ord(ch) - 64
    return n


def parse_ref(ref: str) -> tuple[int, int]:
    """(row, col) of an A1 reference."""
    m = re.fullmatch(r"\$?([A-Z]{1,3})\$?([0-9]+)", ref.upper())
    if not m:
        raise ValueError(ref)
    return int(m.group(2)), column_number(m.group(1))


def parse_range(ref: str) -> tuple[int, int, int, int]:
    """(min_row, min_col, max_row, max_col) of ``A1`` or ``A1:D9``."""
    first, _, last = ref.partition(":")
    r1, c1 = parse_ref(first)
    r2, c2 = parse_ref(last) if last else (r1, c1)
    return min(r1, r2), min(c1, c2), max(r1, r2), max(c1, c2)


@dataclass
class CellChange:
    """What the patch did to one cell, for the record that lets a later check undo it."""

    ref: str
    before: str | None  # the cell's ``s`` before (None: it had none)
    after: str  # the ``s`` the patch gave it
    created: bool  # the patch created the cell (it was blank and had no element)


@dataclass
class SheetPatch:
    """What to do to the register sheet's rows."""

    flagged: dict[tuple[int, int], int] = field(default_factory=dict)  # (row, col) → fill id of its severity
    tool_cells: dict[int, list[tuple[int, bytes]]] = field(default_factory=dict)  # row → [(col, cell XML without r)]
    tool_columns: tuple[int, int] | None = None  # first and last column of the tool's columns
    tool_widths: dict[int, float] = field(default_factory=dict)
    header_row: int = 1


class SheetXml:
    """One worksheet part: the skeleton as a tree, the rows as bytes."""

    def __init__(self, data: bytes):
        data = _as_utf8(data)
        root = _ROOT.search(data)
        if root is None:
            raise PackageError("the register sheet's part is not a worksheet")
        self.prefix = root.group(1) or b""
        p = re.escape(self.prefix)
        self._row = re.compile(rb"<" + p + rb"row(?=[\s/>])[^>]*?(/?)>")
        self._cell = re.compile(rb"<" + p + rb"c(?=[\s/>])[^>]*?(/?)>")
        self._cell_r = re.compile(rb"<" + p + rb'c r="([A-Z]{1,3})[0-9]{1,7}"[^>]*?(/?)>')
        start = re.compile(rb"<" + p + rb"sheetData(?=[\s/>])[^>]*?(/?)>").search(data)
        if start is None:
            raise PackageError("the register sheet's part has no sheetData")
        if start.group(1):  # <sheetData/>
            self.inner = (start.end(), start.end())
            tail_at = start.end()
        else:
            close = b"</" + self.prefix + b"sheetData>"
            end = data.rfind(close)
            if end < start.end():
                raise PackageError("the register sheet's part is cut short")
            self.inner = (start.end(), end)
            tail_at = end + len(close)
        if data.find(b"<![CDATA[", self.inner[0], self.inner[1]) >= 0:
            raise PackageError("the register sheet's rows hold CDATA sections")
        self.data = data
        self.declaration = m.group(0) if (m := _DECLARATION.match(data)) else b""
        self.root_tag = data[root.start():data.index(b">", root.start()) + 1]
        skeleton = data[len(self.declaration):start.start()] + b"<" + self.prefix + b"sheetData/>" + data[tail_at:]
        self.skeleton = parse_xml(skeleton)
        self.placeholder = self.skeleton.find(q("sheetData"))
        if self.placeholder is None:
            raise PackageError("the register sheet's part is not a SpreadsheetML worksheet")

    # -- facts -------------------------------------------------------------------------------------
    def merged(self) -> list[tuple[int, int, int, int]]:
        blocks = []
        for e in self.skeleton.iter(q("mergeCell")):
            try:
                blocks.append(parse_range(e.get("ref", "")))
            except ValueError:
                continue
        return blocks

    def legacy_drawing_id(self) -> str | None:
        e = self.skeleton.find(q("legacyDrawing"))
        return e.get(f"{{{NS_R}}}id") if e is not None else None

    def add_legacy_drawing(self, rel_id: str) -> None:
        e = etree.Element(q("legacyDrawing"))
        e.set(f"{{{NS_R}}}id", rel_id)
        insert_in_order(self.skeleton, e, WORKSHEET_ORDER, alternate=_alternate_name)

    def remove_legacy_drawing(self) -> None:
        e = self.skeleton.find(q("legacyDrawing"))
        if e is not None:
            self.skeleton.remove(e)

    def column_styles(self) -> list[tuple[int, int, int]]:
        """(min, max, style) of each ``<col>`` that gives its columns a style."""
        out = []
        for e in self.skeleton.iter(q("col")):
            if e.get("style"):
                out.append((int(e.get("min", "0")), int(e.get("max", "0")), int(e.get("style"))))
        return out

    def element_xml(self, name: str) -> str:
        """The XML of the skeleton's ``name`` element ('' when absent), for the record."""
        e = self.skeleton.find(q(name))
        return "" if e is None else etree.tostring(e, encoding="unicode")

    def element_is(self, name: str, xml: str) -> bool:
        """Is the skeleton's ``name`` element the one recorded as ``xml`` (however written)?"""
        e = self.skeleton.find(q(name))
        if e is None or not xml:
            return e is None and not xml
        return same_element(e) == same_element(etree.fromstring(xml.encode()))

    def replace_element(self, name: str, xml: str) -> None:
        """Put back an element recorded with :meth:`element_xml` ('' removes it)."""
        e = self.skeleton.find(q(name))
        new = etree.fromstring(xml.encode()) if xml else None
        if e is not None and new is not None:
            e.addprevious(new)
        elif new is not None:
            insert_in_order(self.skeleton, new, WORKSHEET_ORDER, alternate=_alternate_name)
        if e is not None:
            self.skeleton.remove(e)

    def autofilter_ref(self) -> str | None:
        e = self.skeleton.find(q("autoFilter"))
        return e.get("ref") if e is not None else None

    def set_autofilter_ref(self, ref: str) -> None:
        e = self.skeleton.find(q("autoFilter"))
        if e is not None:
            e.set("ref", ref)

    # -- rows ----------------------------------------------------------------------------------------
    def rows(self, stop: int | None = None):
        """(row number, start, end) of each ``<row>`` in sheetData, in order, up to row ``stop``."""
        data, (pos, end) = self.data, self.inner
        close = b"</" + self.prefix + b"row>"
        number = 0
        while True:
            m = self._row.search(data, pos, end)
            if m is None:
                return
            ref = _REF.search(data, m.start(), m.end())
            number = int(ref.group(2)) if ref else number + 1
            row_end = m.end() if m.group(1) else data.find(close, m.end(), end) + len(close)
            if row_end < m.end():
                raise PackageError("a row of the register sheet is not closed")
            yield number, m.start(), row_end
            if stop is not None and number >= stop:
                return
            pos = row_end

    def cells(self, row: bytes, row_number: int) -> list[tuple[int, int, int, bool, bool]]:
        """(col, start, end of start tag, self-closing, has r) of each cell start tag in ``row``."""
        opener = b"<" + self.prefix + b"c"
        if row.count(opener + b' r="') == row.count(opener + b" ") + row.count(opener + b">") + row.count(opener + b"/"):
            # every cell has r first, as Excel writes it: one match a cell
            return [(column_number(m.group(1)), m.start(), m.end(), bool(m.group(2)), True) for m in self._cell_r.finditer(row)]
        out, col = [], 0
        for m in self._cell.finditer(row):
            ref = _REF.search(row, m.start(), m.end())
            col = column_number(ref.group(1)) if ref and ref.group(1) else col + 1
            out.append((col, m.start(), m.end(), bool(m.group(1)), ref is not None))
        return out

    def patch(self, patch: SheetPatch, base_style, changes: list[CellChange], displaced: dict[str, bytes], progress=None) -> list:
        """The part with ``patch`` applied, as a list of pieces to write one after the other (views of
        the rows carried over and the rows patched); ``base_style(row, col, s)`` gives a flagged cell's new ``s``.

        ``changes`` receives what was done to each flagged cell; ``displaced`` the officer's cells
        the tool's columns replaced (only cells that hold formatting and no value can be there).
        ``progress(n)``, when given, is told every thousand rows how many touched rows are written.
        """
        self._skeleton_edits(patch)
        head, tail = self._skeleton_bytes()
        by_row: dict[int, dict[int, int]] = {}
        for (r, c), fill in patch.flagged.items():
            by_row.setdefault(r, {})[c] = fill
        pending = sorted(set(by_row) | set(patch.tool_cells))
        out = [self.declaration, head]
        data, (pos, end) = memoryview(self.data), self.inner  # slices of a view: the rows copied are not copied twice
        out_rows: list[bytes] = []
        i = 0  # the next of the pending rows
        if pending:
            col_styles = self.column_styles()
            for number, start, stop in self.rows(stop=pending[-1]):
                while i < len(pending) and pending[i] < number:
                    r = pending[i]
                    i += 1
                    out_rows.append(self._new_row(r, by_row.get(r, {}), patch.tool_cells.get(r, []), base_style, col_styles, changes))
                out_rows.append(data[pos:start])
                if i < len(pending) and pending[i] == number:
                    i += 1
                    out_rows.append(self._patch_row(self.data[start:stop], number, by_row.get(number, {}), patch.tool_cells.get(number, []),
                                                    base_style, col_styles, changes, displaced))
                else:
                    out_rows.append(data[start:stop])
                pos = stop
                if progress is not None and i % 1000 == 0:
                    progress(i)
                if i >= len(pending):
                    break
            for r in pending[i:]:  # rows after the last one the sheet has
                out_rows.append(self._new_row(r, by_row.get(r, {}), patch.tool_cells.get(r, []), base_style, col_styles, changes))
        if progress is not None:
            progress(len(pending))
        out += out_rows
        out.append(data[pos:end])
        out.append(tail)
        return out

    # -- internals -----------------------------------------------------------------------------------
    def _skeleton_edits(self, patch: SheetPatch) -> None:
        if patch.tool_columns is None:
            return
        first, last = patch.tool_columns
        dimension = self.skeleton.find(q("dimension"))
        if dimension is not None:
            try:
                r1, c1, r2, c2 = parse_range(dimension.get("ref", ""))
            except ValueError:
                pass
            else:
                rows = [r for r in patch.tool_cells] + [r for r, _ in patch.flagged]
                r2 = max([r2, *rows])
                dimension.set("ref", f"{column_letters(c1)}{r1}:{column_letters(max(c2, last))}{r2}")
        cols = self.skeleton.find(q("cols"))
        if cols is None:
            cols = etree.Element(q("cols"))
            insert_in_order(self.skeleton, cols, WORKSHEET_ORDER, alternate=_alternate_name)
        for col in list(cols):
            if local(col) != "col":
                continue
            low, high = int(col.get("min", "0")), int(col.get("max", "0"))
            if high < first or low > last:
                continue
            index = cols.index(col)
            cols.remove(col)
            for a, b in ((low, first - 1), (last + 1, high)):
                if a <= b:
                    piece = etree.Element(col.tag, dict(col.attrib))
                    piece.set("min", str(a))
                    piece.set("max", str(b))
                    cols.insert(index, piece)
                    index += 1
        for c in range(first, last + 1):
            e = etree.Element(q("col"), min=str(c), max=str(c), width=f"{patch.tool_widths.get(c, 13):g}", customWidth="1")
            cols.append(e)
        ordered = sorted((e for e in cols if local(e) == "col"), key=lambda e: int(e.get("min", "0")))
        for e in ordered:
            cols.remove(e)
        for e in ordered:
            cols.append(e)

    def _skeleton_bytes(self) -> tuple[bytes, bytes]:
        marker = etree.Comment("pxl-sheetData")
        self.placeholder.addprevious(marker)
        try:
            text = etree.tostring(self.skeleton, encoding="UTF-8")
        finally:
            self.skeleton.remove(marker)
        at = text.index(b"<!--pxl-sheetData-->")
        rest = text[at + len(b"<!--pxl-sheetData-->"):]
        empty = re.match(rb"<" + re.escape(self.prefix) + rb"sheetData(?=[\s/>])[^>]*?/>", rest)
        if empty is None:
            raise PackageError("the register sheet could not be put back together")
        tag = empty.group(0)[:-2] + b">"
        return text[:at] + tag, b"</" + self.prefix + b"sheetData>" + rest[empty.end():]

    def _patch_row(self, row: bytes, number: int, flagged: dict[int, int], tools: list[tuple[int, bytes]], base_style,
                   col_styles, changes: list[CellChange], displaced: dict[str, bytes]) -> bytes:
        p = self.prefix
        if row.endswith(b"/>") and not row.endswith(b"</" + p + b"row>"):
            row = row[:-2].rstrip() + b"></" + p + b"row>"
        fast = self._fast_row(row, number, flagged, tools, base_style, changes)
        if fast is not None:
            return fast
        cells = self.cells(row, number)
        edits: list[tuple[int, int, bytes]] = []  # (start, end, replacement), applied from the end
        if cells and not all(c[4] for c in cells):  # cells without r: give every cell its reference first
            for col, start, _, _, has_r in cells:
                if has_r:
                    continue
                name_end = start + 1 + len(p) + 1
                edits.append((name_end, name_end, b' r="' + f"{column_letters(col)}{number}".encode() + b'"'))
        by_col = {c[0]: c for c in cells}
        tool_cols = {col for col, _ in tools}
        close = len(row) - len(b"</" + p + b"row>")
        new_cells: list[tuple[int, bytes]] = []
        for col, fill in sorted(flagged.items()):
            ref = f"{column_letters(col)}{number}"
            if col in tool_cols:
                continue
            cell = by_col.get(col)
            if cell is None:
                style = _row_style(row, self._row) or _col_style(col_styles, col)
                s = base_style(number, col, style, fill)
                changes.append(CellChange(ref, None, str(s), True))
                new_cells.append((col, b"<" + p + b'c r="' + ref.encode() + b'" s="' + str(s).encode() + b'"/>'))
                continue
            _, start, tag_end, _, _ = cell
            m = _STYLE.search(row, start, tag_end)
            before = m.group(1).decode() if m else None
            s = base_style(number, col, int(before) if before else 0, fill)
            changes.append(CellChange(ref, before, str(s), False))
            if m:
                edits.append((m.start(1), m.end(1), str(s).encode()))
            else:
                at = tag_end - (2 if row[tag_end - 2:tag_end] == b"/>" else 1)
                edits.append((at, at, b' s="' + str(s).encode() + b'"'))
        for col, xml in tools:
            ref = f"{column_letters(col)}{number}".encode()
            cell = by_col.get(col)
            tag = b"<c r=\"" + ref + b"\"" + xml[2:]  # the tool's cell XML starts "<c"
            if p:
                tag = _prefixed(tag, p)
            if cell is not None:  # an officer's formatted empty cell where the tool's column goes
                start = cell[1]
                stop = cell[2] if cell[3] else row.index(b"</" + p + b"c>", cell[2]) + len(b"</" + p + b"c>")
                displaced[ref.decode()] = row[start:stop]
                edits.append((start, stop, tag))
            else:
                new_cells.append((col, tag))
        for col, xml in new_cells:
            later = [c for c in cells if c[0] > col]
            at = later[0][1] if later else close
            edits.append((at, at, xml))
        for start, stop, text in sorted(edits, key=lambda e: (e[0], e[1]), reverse=True):
            row = row[:start] + text + row[stop:]
        return row

    def _fast_row(self, row: bytes, number: int, flagged: dict[int, int], tools: list[tuple[int, bytes]], base_style,
                  changes: list[CellChange]) -> bytes | None:
        """The common case without parsing every cell: each cell has ``r`` first, every flagged cell
        exists, and the tool's cells go after the row's last cell. None when the row needs the full parse."""
        p = self.prefix
        opener = b"<" + p + b"c"
        if row.count(opener + b' r="') != row.count(opener + b" ") + row.count(opener + b">") + row.count(opener + b"/"):
            return None
        edits: list[tuple[int, int, bytes]] = []
        pending: list[CellChange] = []
        for col, fill in flagged.items():
            ref = f"{column_letters(col)}{number}".encode()
            at = row.find(opener + b' r="' + ref + b'"')
            if at < 0:
                return None
            tag_end = row.index(b">", at) + 1
            m = _STYLE.search(row, at, tag_end)
            before = m.group(1).decode() if m else None
            s = str(base_style(number, col, int(before) if before else 0, fill))
            pending.append(CellChange(ref.decode(), before, s, False))
            if m:
                edits.append((m.start(1), m.end(1), s.encode()))
            else:
                at2 = tag_end - (2 if row[tag_end - 2:tag_end] == b"/>" else 1)
                edits.append((at2, at2, b' s="' + s.encode() + b'"'))
        if tools:
            last = row.rfind(opener + b' r="')
            if last >= 0:
                ref = _REF.search(row, last, row.index(b">", last) + 1)
                if ref is None or not ref.group(1) or column_number(ref.group(1)) >= min(c for c, _ in tools):
                    return None
            close = len(row) - len(b"</" + p + b"row>")
            cells = []
            for col, xml in sorted(tools):
                tag = b'<c r="' + f"{column_letters(col)}{number}".encode() + b'"' + xml[2:]
                cells.append(_prefixed(tag, p) if p else tag)
            edits.append((close, close, b"".join(cells)))
        changes.extend(pending)
        for start, stop, text in sorted(edits, key=lambda e: (e[0], e[1]), reverse=True):
            row = row[:start] + text + row[stop:]
        return row

    def _new_row(self, number: int, flagged: dict[int, int], tools: list[tuple[int, bytes]], base_style, col_styles,
                 changes: list[CellChange]) -> bytes:
        p = self.prefix
        row = b"<" + p + b'row r="' + str(number).encode() + b'"></' + p + b"row>"
        return self._patch_row(row, number, flagged, tools, base_style, col_styles, changes, {})


def _prefixed(xml: bytes, prefix: bytes) -> bytes:
    """The tool's cell XML (written without a prefix) for a sheet whose elements carry ``prefix``."""
    return re.sub(rb"<(/?)(?!" + re.escape(prefix) + rb")([A-Za-z]+)([\s/>])", lambda m: b"<" + m.group(1) + prefix + m.group(2) + m.group(3), xml)


def _row_style(row: bytes, row_pattern: re.Pattern) -> int | None:
    m = row_pattern.match(row)
    if m is None or not _CUSTOM_FORMAT.search(row, 0, m.end()):
        return None
    s = _STYLE.search(row, 0, m.end())
    return int(s.group(1)) if s else None


def _col_style(col_styles: list[tuple[int, int, int]], col: int) -> int:
    return next((s for low, high, s in col_styles if low <= col <= high), 0)


def _alternate_name(element) -> str:
    """The element an ``mc:AlternateContent`` stands for (its first choice's first element)."""
    for choice in element:
        for child in choice:
            if isinstance(child.tag, str):
                return local(child)
    return ""


def _as_utf8(data: bytes) -> bytes:
    """The part in UTF-8 (Excel always writes UTF-8; a UTF-16 part is re-encoded)."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        text = data.decode("utf-16")
    else:
        m = _ENCODING.search(data[:200])
        encoding = m.group(1).decode().lower() if m else "utf-8"
        if encoding.replace("-", "") in ("utf8",):
            return data[3:] if data.startswith(b"\xef\xbb\xbf") else data
        try:
            text = data.decode(encoding)
        except (LookupError, UnicodeDecodeError):
            raise PackageError("the register sheet's part is in an unknown encoding") from None
    text = re.sub(r"""\A\s*<\?xml[^>]*\?>""", "", text.lstrip("\ufeff"))
    return b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n' + text.encode("utf-8")
