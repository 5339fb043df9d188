"""Open and save a workbook with openpyxl without losing formulas' saved results, and quickly.

openpyxl keeps a formula but drops the result Excel saved with it, so a copy it writes shows no
values to any reader that does not recalculate (python-calamine, pandas, our own reader, which
would then report DQ008 on every formula). Here the result is carried on the formula while the
workbook is read (:class:`CachedFormula`) and written back beside it.

Saving is also where openpyxl spends its time: an element tree per cell and per note. Inside
:func:`save` each row of cells and the notes' drawing are written as plain strings instead (the
same XML), which makes the copy, though it adds columns and two sheets, cost about what openpyxl's
own load and save of the register costs. The hooks into openpyxl 3.1 are in place only inside
:func:`load` and :func:`save`; anything unusual (rich text, data tables, lxml's writer) goes
through openpyxl's own code.
"""

from __future__ import annotations

import datetime
import warnings
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from copy import copy
from pathlib import Path

import openpyxl
from openpyxl import LXML
from openpyxl.cell import _writer as cell_writer
from openpyxl.cell.cell import Cell
from openpyxl.cell.rich_text import CellRichText
from openpyxl.comments.comment_sheet import CommentRecord, CommentSheet
from openpyxl.compat import safe_string
from openpyxl.styles.cell_style import StyleArray
from openpyxl.utils import coordinate_to_tuple
from openpyxl.utils.datetime import to_excel
from openpyxl.workbook import Workbook
from openpyxl.worksheet import _reader as sheet_reader
from openpyxl.worksheet import _writer as sheet_writer
from openpyxl.worksheet.formula import ArrayFormula, DataTableFormula
from openpyxl.xml.functions import Element, SubElement

from . import trailing

_TAIL = "_partnership_xl_tail"  # a worksheet's trailing formatted rows, cut when it was read (trailing.Tail)
_RESULT_TYPES = ("str", "b", "e")
_DATE_TYPES = (datetime.date, datetime.time, datetime.timedelta)  # the <c t="..."> of a formula whose result is not a number


class CachedFormula(str):
    """A formula (``=SUM(A1:A3)``) that remembers the result Excel saved with it."""

    cached: tuple[str, str]


def load(path: Path) -> tuple[Workbook, list[str]]:
    """Read a workbook for copying: formulas keep their saved results, cells their rich text.

    Returns the workbook and the warnings openpyxl gave while reading it (what it dropped).
    A worksheet formatted down to row 1,048,576 is read without its trailing cell-less rows
    (one of each format is kept, :mod:`.trailing`); :func:`save` writes them all back.

    The cells read share one style array per style (openpyxl gives each cell its own copy: 100 bytes
    a cell, 300 MB for a 100,000-row register). So never change a read cell's style array in
    place: give it its own first, ``cell._style = StyleArray(cell._style)``, then change that.
    (openpyxl's ``cell.font = ...`` and the like do change it in place; a new cell has none.)
    """
    # With lxml openpyxl writes rows through its own writer, which cannot take them back: read all.
    cut = None if LXML else trailing.cut_package(path, representatives=True)
    source = cut.data if cut is not None and cut.data is not None else path
    with warnings.catch_warnings(record=True) as caught, \
            _patched(sheet_reader.WorkSheetParser, "parse_cell", _parse_cell_keeping_result), \
            _patched(sheet_reader.WorksheetReader, "bind_cells", _bind_cells_sharing_styles), \
            _patched(sheet_reader.WorksheetReader, "bind_merged_cells", _unshare_merged_first):
        warnings.simplefilter("always")
        workbook = openpyxl.load_workbook(source, rich_text=True, keep_links=True)
    if source is not path:
        for name, tail in cut.tails.items():
            if name in workbook.sheetnames and tail is not None:
                setattr(workbook[name], _TAIL, tail)
    messages = list(dict.fromkeys(str(w.message) for w in caught))
    return workbook, messages


def save(workbook: Workbook, path: Path) -> None:
    """Write the workbook as .xlsx, with every formula's saved result beside it."""
    workbook.template = False  # an .xltx opened here is saved as a workbook, not a template
    for ws in workbook.worksheets:
        tail = getattr(ws, _TAIL, None)
        if tail is not None and not _tail_fits(ws, tail):
            _expand_tail(ws, tail)
    with ExitStack() as stack:
        stack.enter_context(_patched(sheet_writer, "write_cell", _write_cell_with_result))
        if not LXML:  # with lxml, openpyxl's writer is fast enough as it is
            stack.enter_context(_patched(sheet_writer.WorksheetWriter, "write_rows", _write_rows_as_text))
        stack.enter_context(_patched(CommentSheet, "write_shapes", _write_shapes_as_text))
        workbook.save(path)


@contextmanager
def _patched(owner, name: str, wrap) -> Iterator[None]:
    original = getattr(owner, name)
    setattr(owner, name, wrap(original))
    try:
        yield
    finally:
        setattr(owner, name, original)


def _parse_cell_keeping_result(original):
    def parse_cell(self, element):
        cell = original(self, element)
        if cell["data_type"] == "f":
            text = element.findtext(sheet_reader.VALUE_TAG)
            value = cell["value"]
            if text is not None and value is not None:
                if isinstance(value, str):
                    value = CachedFormula(value)
                    cell["value"] = value
                if isinstance(value, (CachedFormula, ArrayFormula)):
                    value.cached = (element.get("t", "n"), text)
        return cell
    return parse_cell


def _bind_cells_sharing_styles(original):
    """openpyxl's WorksheetReader.bind_cells, with one StyleArray per style for all the sheet's cells."""
    def bind_cells(self):
        ws = self.ws
        styles = ws.parent._cell_styles
        cells = ws._cells
        shared: dict[int, StyleArray] = {}
        for _, row in self.parser.parse():
            for cell in row:
                style_id = cell["style_id"]
                style = shared.get(style_id)
                if style is None:
                    style = shared[style_id] = StyleArray(styles[style_id])  # a copy: never the workbook's own
                c = Cell(ws, row=cell["row"], column=cell["column"])
                c._style = style
                c._value = cell["value"]
                c.data_type = cell["data_type"]
                cells[(cell["row"], cell["column"])] = c
        if cells:
            ws._current_row = ws.max_row
    return bind_cells


def _unshare_merged_first(original):
    """Merged ranges get their border drawn onto their cells (in place): those cells get their own style first."""
    def bind_merged_cells(self):
        from openpyxl.utils import range_boundaries

        cells = self.ws._cells
        for merged in (self.parser.merged_cells.mergeCell if self.parser.merged_cells else []):
            min_col, min_row, max_col, max_row = range_boundaries(merged.ref)
            for row in range(min_row, max_row + 1):
                for col in range(min_col, max_col + 1):
                    cell = cells.get((row, col))
                    if cell is not None and cell._style is not None:
                        cell._style = StyleArray(cell._style)
        return original(self)
    return bind_merged_cells


def _write_rows_as_text(original):
    def write_rows(self):
        xf = self.xf.send(True)
        out = xf._file  # et_xmlfile's raw output
        ws = self.ws
        styles = ws.parent._cell_styles
        dimensions = ws.row_dimensions
        tail = getattr(ws, _TAIL, None)
        first_tail_row = tail.first_row if tail is not None else None
        representative = {row: i for i, (row, _) in enumerate(tail.representatives)} if tail is not None else {}
        written: dict[int, str | None] = {}
        # Read cells share their style arrays (see load): whether a style is set, and its index in the
        # workbook's styles, once per array rather than once per cell. The array is kept in the
        # entry, so its id() cannot be taken by another array while the sheet is written.
        seen: dict[int, tuple[StyleArray, bool, int]] = {}
        with xf.element("sheetData"):
            for row_idx, row in self.rows():
                dimension = dimensions.get(row_idx)
                extra = "".join(f' {k}="{v}"' for k, v in dimension) if dimension is not None else ""
                if first_tail_row is not None and row_idx >= first_tail_row:
                    written[representative[row_idx]] = extra if dimension is not None else None  # (save() checked)
                    continue
                out(f'<row r="{row_idx}"{extra}>')
                for cell in row:
                    if cell._comment is not None:
                        ws._comments.append(CommentRecord.from_cell(cell))
                    style = cell._style
                    if style is None:
                        styled, style_id = False, 0
                    else:
                        entry = seen.get(id(style))
                        if entry is None:
                            styled = any(style)
                            entry = seen[id(style)] = (style, styled, styles.add(style) if styled else 0)
                        _, styled, style_id = entry
                    if cell._value is None and not styled and cell._comment is None:
                        continue
                    text = _cell_as_text(cell, style_id, styled)
                    if text is None:
                        sheet_writer.write_cell(xf, ws, cell, styled)
                    else:
                        out(text)
                out("</row>")
            if tail is not None:  # the trailing formatted rows, each as the representative of its format was written
                out(tail.rows_as_written(written))
        self.xf.send(None)
    return write_rows


def _tail_fits(ws, tail: trailing.Tail) -> bool:
    """Whether nothing was put after the sheet's last used row since it was read (the tail's rows
    can then be written back as they were): only the representative rows are there, without cells."""
    first = tail.first_row
    reps = {row for row, _ in tail.representatives}
    if any(row >= first for row, _ in ws._cells):
        return False
    return all(row in reps for row in ws.row_dimensions if row >= first)


def _expand_tail(ws, tail: trailing.Tail) -> None:
    """Give openpyxl every trailing row as a RowDimension (slow, as openpyxl reads them itself):
    for a sheet where cells were added after the last used row."""
    delattr(ws, _TAIL)
    dims = ws.row_dimensions
    formats = [dims.get(row) for row, _ in tail.representatives]
    for row, i in tail.rows():
        if formats[i] is not None and row not in dims:
            dim = copy(formats[i])
            dim.index = row
            dims[row] = dim


def _cell_as_text(cell, style_id: int, styled: bool) -> str | None:
    """The <c> element of a cell as openpyxl would write it, or None to let openpyxl write it."""
    value, data_type = cell._value, cell.data_type
    if isinstance(value, (CellRichText, DataTableFormula)) or (data_type == "s" and not isinstance(value, str)):
        return None
    if data_type == "d" and (not isinstance(value, _DATE_TYPES) or getattr(value, "tzinfo", None) is not None
                             or cell.parent.parent.iso_dates):
        return None  # openpyxl's own writer (which refuses time zones)
    link = cell.hyperlink
    if link is not None:
        cell.parent._hyperlinks.append(link)
    attributes = f'r="{cell.coordinate}"'
    if styled:
        attributes += f' s="{style_id}"'
    if data_type == "d":  # as openpyxl writes it: the Excel serial number
        return f'<c {attributes} t="n"><v>{safe_string(to_excel(value, cell.parent.parent.epoch))}</v></c>'
    if data_type == "f":
        if isinstance(value, ArrayFormula):
            body = f'<f t="array" ref="{value.ref}">{_escape((value.text or "=")[1:])}</f>'
        else:
            body = f"<f>{_escape(value[1:])}</f>"
        cached = getattr(value, "cached", None)
        if cached is None:
            return f"<c {attributes}>{body}<v/></c>"
        if cached[0] in _RESULT_TYPES:
            attributes += f' t="{cached[0]}"'
        return f"<c {attributes}>{body}<v>{_escape(cached[1])}</v></c>"
    attributes += ' t="inlineStr"' if data_type == "s" else f' t="{data_type}"'
    if value is None or value == "":
        return f"<c {attributes}/>"
    if data_type == "s":
        stripped = value.strip()
        space = ' xml:space="preserve"' if stripped and stripped != value else ""
        return f"<c {attributes}><is><t{space}>{_escape(value)}</t></is></c>"
    return f"<c {attributes}><v>{_escape(safe_string(value))}</v></c>"


def _escape(text: str) -> str:
    if "&" in text:
        text = text.replace("&", "&amp;")
    if "<" in text:
        text = text.replace("<", "&lt;")
    if ">" in text:
        text = text.replace(">", "&gt;")
    return text


def _write_cell_with_result(original):
    """openpyxl's own cell writer (an element per cell), with the formula's saved result added."""
    def write_cell(xf, worksheet, cell, styled=None):
        value = cell._value
        cached = getattr(value, "cached", None) if cell.data_type == "f" else None
        if cached is None:
            return original(xf, worksheet, cell, styled)
        result_type, text = cached
        _, attributes = cell_writer._set_attributes(cell, styled)
        if result_type in _RESULT_TYPES:
            attributes["t"] = result_type
        element = Element("c", attributes)
        if isinstance(value, ArrayFormula):
            formula = SubElement(element, "f", dict(value))
            formula.text = (value.text or "=")[1:]
        else:
            formula = SubElement(element, "f")
            formula.text = value[1:]
        SubElement(element, "v").text = text
        xf.write(element)
    return write_cell


_VML_HEAD = ('<xml xmlns:v="urn:schemas-microsoft-com:vml" xmlns:o="urn:schemas-microsoft-com:office:office" '
             'xmlns:x="urn:schemas-microsoft-com:office:excel"><o:shapelayout v:ext="edit"><o:idmap v:ext="edit" data="1"/>'
             '</o:shapelayout><v:shapetype id="_x0000_t202" coordsize="21600,21600" o:spt="202" '
             'path="m,l,21600r21600,l21600,xe"><v:stroke joinstyle="miter"/><v:path gradientshapeok="t" o:connecttype="rect"/>'
             '</v:shapetype>')
_VML_NOTE = ('<v:shape id="_x0000_s{idx:04d}" type="#_x0000_t202" style="position:absolute; margin-left:59.25pt;'
             'margin-top:1.5pt;width:{width}px;height:{height}px;z-index:1;visibility:hidden" fillcolor="#ffffe1" '
             'o:insetmode="auto"><v:fill color2="#ffffe1"/><v:shadow color="black" obscured="t"/>'
             '<v:path o:connecttype="none"/><v:textbox style="mso-direction-alt:auto"><div style="text-align:left"/>'
             '</v:textbox><x:ClientData ObjectType="Note"><x:MoveWithCells/><x:SizeWithCells/>'
             '<x:AutoFill>False</x:AutoFill><x:Row>{row}</x:Row><x:Column>{column}</x:Column></x:ClientData></v:shape>')


def _write_shapes_as_text(original):
    """The notes' drawing (VML) as openpyxl writes it, as one string."""
    def write_shapes(self, vml=None):
        if vml is not None:  # a drawing kept from a macro workbook: let openpyxl merge into it
            return original(self, vml)
        shapes = []
        for idx, (coordinate, comment) in enumerate(self.comments, 1026):
            row, column = coordinate_to_tuple(coordinate)
            shapes.append(_VML_NOTE.format(idx=idx, width=comment.width, height=comment.height, row=row - 1, column=column - 1))
        return (_VML_HEAD + "".join(shapes) + "</xml>").encode("utf-8")
    return write_shapes
