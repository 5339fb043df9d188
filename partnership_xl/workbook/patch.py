"""The annotated copy's package patch: undo a previous check's marks, then mark the register afresh.

Everything that touches the copy's bytes is here and in its sibling modules; *what* to mark
(which cells, which notes, the tool's columns and sheets) is decided by :mod:`partnership_xl.annotate`
and handed over as an :class:`Annotation`. The parts changed are only those SPEC §7 lists: the
register sheet (and its relationships, notes and their drawing), ``workbook.xml`` and its
relationships, ``[Content_Types].xml`` and ``styles.xml`` (appended to); the tool adds its two
sheets and its record (:mod:`.record`). Every other part is carried over byte for byte.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from ..errors import OutputError
from .newsheet import NewSheet, cell_xml
from .notes import NOTE_MARKER, Notes
from .ooxml import WorkbookMap
from .package import REL_COMMENTS, Package, PackageError
from .record import Record
from .record import add as add_record
from .record import find as find_record
from .record import remove as remove_record
from .sheet import _REF, _STYLE, CellChange, SheetPatch, SheetXml, column_letters, parse_range, parse_ref
from .strings import REL_SHARED_STRINGS, SharedStrings
from .styles import StyleBook

TOOL_SUFFIX = " (partnership-xl)"
_FILTER_DATABASE = "_xlnm._FilterDatabase"
_LAST_COLUMN = 16_384


@dataclass
class Annotation:
    """What the annotation puts into the register sheet, decided by :mod:`partnership_xl.annotate`."""

    sheet: str
    header_row: int
    register_name: str  # the register's file name, for the Summary
    after_column: int  # the register's last used column: the tool's columns follow it
    after_column_headed: int = 0  # its last column with a heading (a stray value far out counts in after_column)
    flagged: dict[tuple[int, int], str] = field(default_factory=dict)  # (row, col) → severity
    notes: dict[tuple[int, int], list[str]] = field(default_factory=dict)  # (row, col) → the note's lines
    # the tool's columns: their headers, widths, and for each row (col offset → (value, style key))
    column_headers: list[str] = field(default_factory=list)
    column_widths: list[float] = field(default_factory=list)
    column_values: dict[int, list[tuple[object, str]]] = field(default_factory=dict)
    # the cell format for a style key of the tool's columns ("header", "plain", "codes", a band): (styles, key) → index
    column_style: Callable[[StyleBook, str], int] = lambda styles, key: 0
    # the sheets to add, built once the styles are known: name → builder(styles, register sheet, ...) → NewSheet
    sheets: list[tuple[str, Callable[..., NewSheet], dict]] = field(default_factory=list)


@dataclass
class Outcome:
    """What the patch did, for the Summary and the screen."""

    threaded: list[str] = field(default_factory=list)  # flagged cells with a threaded comment (no note added)


class Patcher:
    """One package, one register sheet: :meth:`unmark` then :meth:`mark`."""

    def __init__(self, package: Package, sheet_name: str, severity_fills: dict[str, str]):
        """``severity_fills``: the tool's fill colours by severity (ARGB), which the undo recognises too."""
        self.package = package
        self.workbook = WorkbookMap(package)
        sheet = self.workbook.sheet(sheet_name)
        if sheet is None or not sheet.is_worksheet or sheet.part is None:
            raise PackageError(f"the sheet '{sheet_name}' is not a worksheet of the package")
        self.sheet_part = sheet.part
        self.sheet_name = sheet_name
        self.record = find_record(package, self.workbook.part)
        # a copy checked again keeps the name of the register it was made from (the copy of a copy equals the copy)
        self.made_from = self.record.register if self.record and self.record.register else None
        self.styles = StyleBook(package, self.workbook.part)
        self._strings: SharedStrings | None = None
        self.severity_fills = severity_fills

    @property
    def strings(self) -> SharedStrings:
        if self._strings is None:
            self._strings = SharedStrings(self.package, self.workbook.part)
        return self._strings

    # -- undo --------------------------------------------------------------------------------------
    def unmark(self, header_row: int, is_tool_sheet: Callable[[list], bool] = lambda first_row: False,
               signature_words: tuple[str, ...] = ()) -> None:
        """Take out every mark a previous check left: sheets, columns, fills, notes, record.

        ``is_tool_sheet(first_row)`` tells the tool's sheets by their first row's values, for a
        copy whose record was lost (the sheets' signature is the annotation's to know); only
        sheets holding one of ``signature_words`` (as bytes, here or in the shared strings) are read for it.
        """
        record = self.record
        for name in (record.sheets if record else self._tool_sheets_by_signature(is_tool_sheet, signature_words)):
            if self.workbook.sheet(name) is not None:
                self.workbook.remove_sheet(name)
        original = self.package.get(self.sheet_part)
        if record is None and not self._notes_marked() and not any(TOOL_SUFFIX.encode() in data for data in (original, self._strings_bytes())):
            return  # the register sheet holds nothing of the tool's (the workbook part is saved by mark)
        sheet = SheetXml(original)
        columns = self._tool_columns_by_header(sheet, header_row)
        if record and record.tool_columns and (columns is None or columns == record.tool_columns):
            columns = record.tool_columns
        # else the headers moved (the officer inserted or deleted a column in the copy): the recorded
        # columns now hold the officer's data, and the tool's are where their headings are
        data = sheet.data
        if columns or (record and record.cells):
            data = _restore_cells(sheet, record, columns, header_row, self.styles, self.severity_fills)
            sheet = SheetXml(data)
        if record:
            for name, (before, after) in record.elements.items():
                if name == "autoFilter" and sheet.autofilter_ref() == after and before:
                    sheet.set_autofilter_ref(before)  # unless the officer changed it since
                elif name == "cols" and sheet.element_is(name, after):
                    sheet.replace_element(name, before)
                elif name == "filterDatabase":
                    e = self.workbook.defined_name(_FILTER_DATABASE, self.sheet_name)
                    if e is not None and e.text == after:
                        e.text = before
        notes = Notes(self.package, self.sheet_part, sheet)
        notes.take_out()
        notes.save()
        head, tail = sheet._skeleton_bytes()
        lo, hi = sheet.inner
        self.package.set(self.sheet_part, sheet.declaration + head + sheet.data[lo:hi] + tail)
        if record:
            remove_record(self.package, self.workbook.part, record)
        self.styles.save()  # a fill put back by content may have added a format
        self.workbook.save()
        self.record = None

    def _strings_bytes(self) -> bytes:
        for _, target in self.package.targets(self.workbook.part, REL_SHARED_STRINGS):
            if self.package.find(target):
                return self.package.get(target)
        return b""

    def _notes_marked(self) -> bool:
        """Does any notes part of the register sheet hold the tool's text?"""
        for _, target in self.package.targets(self.sheet_part, REL_COMMENTS):
            if self.package.find(target) and NOTE_MARKER.encode() in self.package.get(target):
                return True
        return False

    def _tool_sheets_by_signature(self, is_tool_sheet: Callable[[list], bool], words: tuple[str, ...]) -> list[str]:
        names = []
        encoded = [w.encode() for w in words]
        in_strings = any(w in self._strings_bytes() for w in encoded)
        for s in self.workbook.sheets:
            if s.is_worksheet and s.part and s.state == "visible":
                if encoded and not in_strings and not any(w in self.package.get(s.part) for w in encoded):
                    continue
                first = _first_row_texts(SheetXml(self.package.get(s.part)), self.strings)
                if is_tool_sheet(first):
                    names.append(s.name)
        return names

    def _tool_columns_by_header(self, sheet: SheetXml, header_row: int) -> tuple[int, int] | None:
        for number, start, stop in sheet.rows(stop=header_row):
            if number != header_row:
                continue
            texts = _row_texts(sheet, sheet.data[start:stop], number, self.strings)
            cols = [c for c, t in texts.items() if isinstance(t, str) and t.endswith(TOOL_SUFFIX)]
            return (min(cols), max(cols)) if cols else None
        return None

    # -- marking -------------------------------------------------------------------------------------
    def mark(self, annotation: Annotation, progress: Callable[[int], None] | None = None) -> Outcome:
        """Mark the register sheet and add the tool's sheets and record; ``progress(n)``: rows written so far."""
        outcome = Outcome()
        self.workbook.make_workbook()
        sheet = SheetXml(self.package.get(self.sheet_part))
        record = Record(sheet=annotation.sheet, register=self.made_from or annotation.register_name)
        styles = self.styles
        fills = {sev: styles.fill(rgb) for sev, rgb in self.severity_fills.items()}

        # flagged cells, moved to the top-left cell of a merged block
        blocks = sheet.merged()
        rank = {"error": 0, "warning": 1, "info": 2}
        worst: dict[tuple[int, int], str] = {}
        for (r, c), severity in annotation.flagged.items():
            key = _anchor(blocks, r, c)
            if key not in worst or rank[severity] < rank[worst[key]]:
                worst[key] = severity
        flagged = {key: fills[sev] for key, sev in worst.items()}
        notes_by_cell: dict[tuple[int, int], list[str]] = {}
        for (r, c), lines in annotation.notes.items():
            notes_by_cell.setdefault(_anchor(blocks, r, c), []).extend(lines)

        # the tool's columns
        patch = SheetPatch(flagged=flagged, header_row=annotation.header_row)
        if annotation.column_headers:
            first = self._first_free_column(sheet, annotation, blocks)
            last = first + len(annotation.column_headers) - 1
            patch.tool_columns = (first, last)
            patch.tool_widths = {first + i: w for i, w in enumerate(annotation.column_widths)}
            record.tool_columns = (first, last)
            made: dict[str, int] = {}

            def style_of(key: str) -> int:  # each of the tool columns' formats made once
                if key not in made:
                    made[key] = annotation.column_style(styles, key)
                return made[key]
            patch.tool_cells[annotation.header_row] = [
                (first + i, _cell(text, style_of("header"))) for i, text in enumerate(annotation.column_headers)]
            for row, values in annotation.column_values.items():
                patch.tool_cells[row] = [(first + i, _cell(value, style_of(key))) for i, (value, key) in enumerate(values)
                                         if value not in (None, "") or key != "plain"]
            before = sheet.element_xml("cols"), sheet.autofilter_ref()
            _widen_autofilter(sheet, annotation.header_row, last)
            sheet._skeleton_edits(patch)
            patch.tool_columns = None  # done: the row pass must not edit the skeleton again
            record.elements["cols"] = (before[0], sheet.element_xml("cols"))
            if before[1] and before[1] != sheet.autofilter_ref():
                record.elements["autoFilter"] = (before[1], sheet.autofilter_ref())
                # the filter's defined name follows it (LibreOffice takes the filter's range from the name)
                name = self.workbook.defined_name(_FILTER_DATABASE, annotation.sheet)
                if name is not None and _range_of(name.text) == _range_of(before[1]):
                    old_text = name.text
                    name.text = f"{name.text.rpartition('!')[0]}!{_absolute_range(sheet.autofilter_ref())}"
                    record.elements["filterDatabase"] = (old_text, name.text)

        # notes: the tool's text, the officer's kept; none on a cell with a threaded comment
        notes = Notes(self.package, self.sheet_part, sheet)
        for (r, c), lines in sorted(notes_by_cell.items()):
            ref = f"{column_letters(c)}{r}"
            if ref in notes.threaded:
                outcome.threaded.append(ref)
                continue
            notes.put(ref, lines)
        notes.save()  # before the sheet is written: it may add the sheet's legacyDrawing

        def base_style(row: int, col: int, s: int, fill: int) -> int:
            return styles.flagged(s, fill)

        changes: list[CellChange] = []
        self.package.set(self.sheet_part, sheet.patch(patch, base_style, changes, record.displaced, progress))
        record.cells = changes
        for change in changes:
            before = change.before or "0"
            if before not in record.fills and (fill := styles.fill_of(int(before))) is not None:
                record.fills[before] = fill

        # the added sheets
        for name, build, kwargs in annotation.sheets:
            title = _unique_name(self.workbook, name)
            new = build(styles=styles, title=title, register_sheet=annotation.sheet, threaded=outcome.threaded,
                        register_name=record.register, **kwargs)
            part = self.package.free_name("xl/worksheets/sheet{}.xml")
            index = self.workbook.add_sheet(title, part, new.pieces)  # written as the package is
            if new.print_title_rows:
                self.workbook.add_defined_name("_xlnm.Print_Titles", index, f"{_quoted(title)}!$1:${new.print_title_rows}")
            if new.autofilter:
                a, _, b = new.autofilter.partition(":")
                self.workbook.add_defined_name("_xlnm._FilterDatabase", index, f"{_quoted(title)}!{_absolute(a)}:{_absolute(b or a)}", hidden=True)
            record.sheets.append(title)
        styles.save()
        self.workbook.save()
        add_record(self.package, self.workbook.part, record)
        return outcome

    def _first_free_column(self, sheet: SheetXml, annotation: Annotation, blocks) -> int:
        """The column after the register's last used one, past any merged block from the header down."""
        own = annotation.after_column
        top = annotation.header_row
        for _r1, _c1, r2, c2 in blocks:
            if r2 >= top and c2 > own:
                own = c2
        start = own + 1
        width = len(annotation.column_headers)
        if start + width - 1 <= _LAST_COLUMN:
            return start
        # something stray near XFD: the first free columns after the register's headed ones
        taken = _columns_with_values(sheet, top)
        start = annotation.after_column_headed + 1
        while any(c in taken for c in range(start, start + width)):
            start += 1
        if start + width - 1 > _LAST_COLUMN:
            raise OutputError(f"The sheet '{annotation.sheet}' has no {width} empty columns left for the added scores and findings: "
                              "delete the stray columns far to the right of the register (Ctrl+End finds them), save it, then run again.")
        return start


def _cell(value: object, style: int) -> bytes:
    return cell_xml(None if value == "" else value, style).encode("utf-8")


def _anchor(blocks, row: int, col: int) -> tuple[int, int]:
    for r1, c1, r2, c2 in blocks:
        if r1 <= row <= r2 and c1 <= col <= c2:
            return (r1, c1)
    return (row, col)


def _widen_autofilter(sheet: SheetXml, header_row: int, last_col: int) -> None:
    ref = sheet.autofilter_ref()
    if not ref:
        return
    try:
        r1, c1, r2, c2 = parse_range(ref)
    except ValueError:
        return
    if r1 == header_row and c2 < last_col:
        sheet.set_autofilter_ref(f"{column_letters(c1)}{r1}:{column_letters(last_col)}{r2}")


def _restore_cells(sheet: SheetXml, record: Record | None, columns: tuple[int, int] | None, header_row: int,
                   styles: StyleBook, severity_fills: dict[str, str]) -> bytes:
    """The sheet's bytes with the tool's columns taken out and flagged cells given back their style.

    A flagged cell whose ``s`` is no longer the one the tool gave it, but whose format still has a
    severity fill (the copy was saved by LibreOffice, which renumbers formats, or the officer changed
    its font in Excel), gets its own fill back by content: its format as it is now, with the fill
    it had before the tool's.
    """
    severity = {rgb.upper() for rgb in severity_fills.values()}
    data = sheet.data
    lo, hi = sheet.inner
    region = data[lo:hi]
    p = re.escape(sheet.prefix)
    if columns:
        letters = b"|".join(column_letters(c).encode() for c in range(columns[0], columns[1] + 1))
        # r first or not, in either quotes (the tool writes <c r="AR5" ...; another writer may not)
        pattern = re.compile(rb"<" + p + rb"""c(?=[\s/>])[^>]*?\sr\s*=\s*["'](""" + letters + rb""")([0-9]+)["'][^>]*?(?:/>|>.*?</"""
                             + p + rb"c>)", re.S)
        displaced = record.displaced if record else {}

        def drop(m: re.Match) -> bytes:
            if int(m.group(2)) < header_row:
                return m.group(0)
            ref = (m.group(1) + m.group(2)).decode()
            return displaced.get(ref, b"")
        region = pattern.sub(drop, region)
    if record and record.cells:
        wanted = {c.ref: c for c in record.cells}
        # a format the tool made → the officer's format it was made from: a flagged cell the officer
        # moved (a sort, a row inserted or deleted) still carries it, away from the cell the record names
        made = {c.after: c.before for c in record.cells if c.after != c.before}
        # any attribute order and quoting: the officer's own cells keep theirs (a cell written
        # <c s='3' r='B5'> is matched as well as <c r="B5" s="3">); r first, as Excel writes it, is read fastest
        cell = re.compile(rb"<" + p + rb"""c(?=[\s/>])(?: r="([A-Z]{1,3}[0-9]{1,7})")?[^>]*?(/?)>""")
        attribute = re.compile(rb"""\s([\w:]+)\s*=\s*["'][^"']*["']""")

        def only_r_and_s(tag: bytes) -> bool:
            return {a.group(1) for a in attribute.finditer(tag)} == {b"r", b"s"}

        def restore(m: re.Match) -> bytes:
            tag = m.group(0)
            if m.group(1):
                change = wanted.get(m.group(1).decode())
            else:
                ref = _REF.search(tag)
                change = wanted.get((ref.group(1) + ref.group(2)).decode()) if ref and ref.group(1) else None
            if change is None:
                return tag
            s = _STYLE.search(tag)
            if s is None:
                return tag
            empty_created = change.created and m.group(2) and only_r_and_s(tag)
            if s.group(1).decode() != change.after:
                if s.group(1).decode() in made:
                    return tag  # another flagged cell moved here: put back below
                fill = record.fills.get(change.before or "0")
                if fill is None or not styles.has_solid_fill(int(s.group(1)), severity):
                    return tag  # restyled by the officer since: kept
                if empty_created:
                    return b""
                return tag[:s.start(1)] + str(styles.with_fill(int(s.group(1)), *fill)).encode() + tag[s.end(1):]
            if empty_created:
                return b""
            if change.before is None:
                return tag[:s.start()] + tag[s.end():]
            return tag[:s.start(1)] + change.before.encode() + tag[s.end(1):]
        region = cell.sub(restore, region)

        if made:  # the tool's formats left anywhere else (cells the officer moved): put back as well
            styled = re.compile(rb"<" + p + rb"""c(?=[\s/>])[^>]*?\ss\s*=\s*["'](""" + b"|".join(a.encode() for a in made)
                                + rb""")["'][^>]*?(/?)>""")

            def moved(m: re.Match) -> bytes:
                tag, before = m.group(0), made[m.group(1).decode()]
                if before is None:
                    if m.group(2) and only_r_and_s(tag):
                        return b""  # a blank cell the tool created
                    s = _STYLE.search(tag)
                    return tag[:s.start()] + tag[s.end():]
                return tag[:m.start(1) - m.start(0)] + before.encode() + tag[m.end(1) - m.start(0):]
            region = styled.sub(moved, region)
    return data[:lo] + region + data[hi:]


def _columns_with_values(sheet: SheetXml, top: int) -> set[int]:
    taken = set()
    for number, start, stop in sheet.rows():
        if number < top:
            continue
        row = sheet.data[start:stop]
        for col, _s, _e, closed, _ in sheet.cells(row, number):
            if not closed:
                taken.add(col)
    return taken


def _row_texts(sheet: SheetXml, row: bytes, number: int, strings: SharedStrings) -> dict[int, object]:
    """The values of one row's cells as text (shared and inline strings resolved)."""
    out: dict[int, object] = {}
    p = sheet.prefix
    for col, start, tag_end, closed, _ in sheet.cells(row, number):
        if closed:
            continue
        end = row.find(b"</" + p + b"c>", tag_end)
        body = row[tag_end:end]
        tag = row[start:tag_end]
        t = re.search(rb'\st="([a-zA-Z]+)"', tag)
        kind = t.group(1) if t else b"n"
        if kind == b"s":
            v = re.search(rb"<" + re.escape(p) + rb"v>([0-9]+)</", body)
            out[col] = strings.get(int(v.group(1))) if v else ""
        elif kind == b"inlineStr":
            out[col] = _unescape("".join(x.decode("utf-8") for x in re.findall(rb"<" + re.escape(p) + rb"t(?:\s[^>]*)?>(.*?)</", body, re.S)))
        else:
            v = re.search(rb"<" + re.escape(p) + rb"v>(.*?)</", body, re.S)
            out[col] = _unescape(v.group(1).decode("utf-8")) if v else ""
    return out


def _first_row_texts(sheet: SheetXml, strings: SharedStrings) -> list[object]:
    for number, start, stop in sheet.rows(stop=1):
        if number == 1:
            texts = _row_texts(sheet, sheet.data[start:stop], number, strings)
            return [texts.get(c) for c in range(1, max(texts, default=0) + 1)]
    return []


def _unescape(text: str) -> str:
    from xml.sax.saxutils import unescape

    return unescape(text, {"&quot;": '"', "&apos;": "'"})


def _unique_name(workbook: WorkbookMap, wanted: str) -> str:
    taken = {s.name.lower() for s in workbook.sheets}
    if wanted.lower() not in taken:
        return wanted
    for n in range(1, 100):
        name = f"{wanted} (partnership-xl{'' if n == 1 else f' {n}'})"
        if name.lower() not in taken:
            return name
    raise PackageError("no free sheet name")


def _quoted(sheet: str) -> str:
    return "'" + sheet.replace("'", "''") + "'"


def _range_of(text: str | None) -> str | None:
    """``A4:AQ47`` of a reference like ``'Partnership Register'!$A$4:$AQ$47`` (or of ``A4:AQ47``)."""
    if not text:
        return None
    return text.rpartition("!")[2].replace("$", "").upper()


def _absolute_range(ref: str) -> str:
    a, _, b = ref.partition(":")
    return f"{_absolute(a)}:{_absolute(b or a)}"


def _absolute(ref: str) -> str:
    row, col = parse_ref(ref)
    return f"${column_letters(col)}${row}"


