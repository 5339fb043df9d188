"""The annotated workbook (SPEC §7): a copy of the officer's register with the problems marked.

Each flagged cell is filled by its worst severity and carries a note listing its findings; five
columns (scores, band, RAG, codes) follow the register's last column; a Findings and a Summary
sheet are added. Everything else in the workbook is kept as openpyxl can keep it, and what it
cannot keep is named (:mod:`.annotate_losses`). The register itself is only ever read; the copy
is written to a temporary file beside ``out`` and moved into place.

Checking a copy again gives the same copy: the previous marks are taken out first
(:mod:`.annotate_marks`) and written afresh.
"""

from __future__ import annotations

import os
import zipfile
from collections import defaultdict
from copy import copy
from pathlib import Path

import pandas as pd
from openpyxl.cell.cell import MergedCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.styles.cell_style import StyleArray
from openpyxl.utils import get_column_letter, range_boundaries
from openpyxl.workbook import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from . import annotate_io
from .annotate_losses import inspect, is_openxml, reconcile, values_only
from .annotate_marks import (
    SEVERITY_FILLS,
    Record,
    fill_xml,
    note_with_findings,
    put_text,
    remove_annotations,
    write_record,
)
from .annotate_sheets import HEADER_FILL, HEADER_FONT, Styles, add_findings_sheet, add_summary_sheet
from .errors import OutputError
from .findings import CATALOGUE, Finding
from .model import TOOL_COLUMNS, CheckResult, Register, tool_header
from .outputs import write_atomically

#: Fills of the Risk band and RAG columns.
BAND_FILLS = {
    "Low": PatternFill("solid", fgColor="FFC6EFCE"), "Green": PatternFill("solid", fgColor="FFC6EFCE"),
    "Medium": PatternFill("solid", fgColor="FFFFEB9C"), "Amber": PatternFill("solid", fgColor="FFFFEB9C"),
    "High": PatternFill("solid", fgColor="FFFFC7CE"), "Red": PatternFill("solid", fgColor="FFFFC7CE"),
}
TOOL_CELL_FILL = PatternFill("solid", fgColor="FFDDEBF7")
_OPENPYXL_SUFFIXES = (".xlsx", ".xlsm", ".xltx", ".xltm")
_LAST_COLUMN = 16_384  # XFD
_WIDTHS = {"Risk score": 13, "Opportunity score": 16, "Risk band": 13, "RAG": 13, "Findings": 30}


def write_annotated(result: CheckResult, out: Path) -> list[str]:
    """Write the annotated copy of ``result``'s register to ``out``; return what could not be carried over.

    Each returned item is one plain sentence naming a kind of thing in the original workbook that
    the copy does not hold (shapes, form controls, sparklines...); the list is empty when nothing
    was lost. The same sentences are on the copy's Summary sheet. Raises OutputError when ``out``
    is the register itself or cannot be written.
    """
    register = result.register
    out = Path(out)
    if _same_file(out, register.path):
        raise OutputError(f"The output {out.name} is the register itself, which is never overwritten: choose another file name with --out, then run again.")
    if is_openxml(register.path):
        inventory = inspect(register.path)
        try:
            if register.path.suffix.lower() in _OPENPYXL_SUFFIXES:
                wb, warnings = annotate_io.load(register.path)
            else:  # openpyxl goes by the name; a register saved as "Register" or "register.bak" is opened by content
                with open(register.path, "rb") as fh:
                    wb, warnings = annotate_io.load(fh)
        except (ValueError, TypeError, KeyError, IndexError, AttributeError, OSError, SyntaxError, zipfile.BadZipFile) as exc:
            # openpyxl cannot open what calamine has read (a part it insists on, a value it chokes
            # on): the copy holds the values and the marks, and says so, rather than no copy at all
            wb, losses = _values_workbook(register.path), [values_only(register.path, f"{type(exc).__name__}: {exc}".replace(str(register.path), register.path.name))]
        else:
            losses = reconcile(inventory, wb, warnings)
    else:
        wb = _values_workbook(register.path)
        losses = [values_only(register.path, kind=register.kind)]
    annotate_workbook(wb, result, losses)
    write_atomically(out, lambda tmp: annotate_io.save(wb, tmp))
    return losses


def annotate_workbook(wb: Workbook, result: CheckResult, losses: list[str]) -> None:
    """Mark ``wb`` (the register loaded with openpyxl) with ``result``: fills, notes, columns, sheets."""
    register = result.register
    if register.sheet not in wb.sheetnames or not isinstance(wb[register.sheet], Worksheet):
        raise OutputError(f"The sheet '{register.sheet}' could not be found again in {register.path.name} when writing the copy: save the register and run again.")
    positions = remove_annotations(wb, register.sheet, register.header_row)
    ws = wb[register.sheet]
    styles = Styles(wb)
    record = Record()
    _mark_cells(wb, result.findings, record)
    _add_columns(ws, result, positions, styles, record)
    findings = add_findings_sheet(wb, result, styles)
    summary = add_summary_sheet(wb, result, losses, styles)
    record.sheets = [findings.title, summary.title]
    write_record(wb, record)
    if ws.sheet_state == "visible":
        for sheet in wb.worksheets:
            sheet.sheet_view.tabSelected = False
        ws.sheet_view.tabSelected = True
        wb.active = wb.index(ws)


def _mark_cells(wb: Workbook, findings: list[Finding], record: Record) -> None:
    """Fill each flagged cell by its worst severity and note its findings, in one pass."""
    sheets = {ws.title: ws for ws in wb.worksheets}
    by_cell: dict[tuple[str, str], list[Finding]] = defaultdict(list)
    for f in findings:
        if f.cell and f.sheet in sheets:
            by_cell[(f.sheet, _anchor(sheets[f.sheet], f.cell))].append(f)
    fill_ids = {severity: wb._fills.add(fill) for severity, fill in SEVERITY_FILLS.items()}
    before: dict[int, str] = {}
    for (sheet, coordinate), found in by_cell.items():
        cell = sheets[sheet][coordinate]
        found.sort(key=lambda f: (f.severity.rank, f.code))
        cell._style = StyleArray(cell._style) if cell._style is not None else StyleArray()  # its own: read cells share theirs
        fill_id = cell._style.fillId
        if fill_id not in before:
            before[fill_id] = fill_xml(wb._fills[fill_id])
        record.marks.append((sheet, coordinate, before[fill_id]))
        cell._style.fillId = fill_ids[found[0].severity.value]
        lines = [f"{f.severity.value.upper()} {f.code}: {f.message} (policy {CATALOGUE[f.code].policy_text})" for f in found]
        cell.comment = note_with_findings(cell.comment, lines)


def _anchor(ws: Worksheet, coordinate: str) -> str:
    """The cell that holds a merged block's value, for a cell inside the block; else the cell."""
    if not isinstance(ws[coordinate], MergedCell):
        return coordinate
    for block in ws.merged_cells.ranges:
        if coordinate in block:
            return block.start_cell.coordinate
    return coordinate


def _add_columns(ws: Worksheet, result: CheckResult, positions: dict[str, int], styles: Styles, record: Record) -> None:
    """Risk score, Opportunity score, Risk band, RAG and Findings after the register's last column."""
    register, scores = result.register, result.scores
    if sorted(positions) == sorted(TOOL_COLUMNS) and len(set(positions.values())) == len(TOOL_COLUMNS):
        columns = [positions[name] for name in TOOL_COLUMNS]  # the previous check's place
    else:
        start = _first_free_column(ws, register, list(scores.index))
        columns = list(range(start, start + len(TOOL_COLUMNS)))
    header = styles.array(HEADER_FONT, HEADER_FILL, Alignment(horizontal="center", vertical="center", wrap_text=True))
    for name, col in zip(TOOL_COLUMNS, columns, strict=True):
        put_text(ws, register.header_row, col, tool_header(name), header)
        _set_width(ws, col, _WIDTHS[name])
    plain = styles.array(Font(color="FF1F4E79"), TOOL_CELL_FILL, Alignment(horizontal="center"))
    codes_style = styles.array(Font(color="FF1F4E79"), TOOL_CELL_FILL)
    coloured = {value: styles.array(Font(bold=True), fill, Alignment(horizontal="center")) for value, fill in BAND_FILLS.items()}
    risk_col, opp_col, band_col, rag_col, codes_col = columns
    for row, risk, opp, band, rag, codes in zip(scores.index, scores["risk_score"], scores["opp_score"],
                                                 scores["risk_band"], scores["rag"], scores["codes"], strict=True):
        row = int(row)
        for col, value in ((risk_col, risk), (opp_col, opp)):
            cell = ws.cell(row, col)
            cell._value, cell.data_type = (None, "n") if pd.isna(value) else (int(value), "n")
            styles.apply(cell, plain)
        for col, value in ((band_col, band), (rag_col, rag)):
            text = "" if value is None or pd.isna(value) else str(value)
            styles.apply(put_text(ws, row, col, text) if text else ws.cell(row, col), coloured.get(text, plain))
        put_text(ws, row, codes_col, codes or "", codes_style)
    _widen_autofilter(ws, register.header_row, max(columns), record)


def _first_free_column(ws: Worksheet, register: Register, rows: list[int]) -> int:
    """The column after the register's last used one, past any value or merged block from the header down.

    Notes and totals rows below the table count too: the tool's columns are emptied from the
    header down when the copy is checked again, so they must hold nothing of the officer's there.
    When something stray near Excel's last column (XFD) leaves no room after it, the first five
    free columns after the register's own are used instead.
    """
    used = [register.last_column, *register.headers, *register.columns.values(), *register.unknown, *register.duplicate_columns]
    own = max(used, default=0)
    top = register.header_row
    taken: set[int] = set()
    for (row, col), cell in ws._cells.items():
        if col > own and row >= top and cell.value not in (None, ""):
            taken.add(col)
    for block in ws.merged_cells.ranges:
        if block.max_row >= top and block.max_col > own:
            taken.update(range(max(block.min_col, own + 1), block.max_col + 1))
    start = max(taken, default=own) + 1
    if start + len(TOOL_COLUMNS) - 1 <= _LAST_COLUMN:
        return start
    headed = max([*(c for c, h in register.headers.items() if str(h or "").strip()), *register.columns.values()], default=0)
    start = headed + 1  # the register's last column with a heading: a stray value counts in last_column too
    while any(c in taken or (c <= own and _holds_something(ws, c, top)) for c in range(start, start + len(TOOL_COLUMNS))):
        start += 1
    if start + len(TOOL_COLUMNS) - 1 > _LAST_COLUMN:
        raise OutputError(f"The sheet '{ws.title}' has no five empty columns left for the added scores and findings: "
                          "delete the stray columns far to the right of the register (Ctrl+End finds them), save it, then run again.")
    return start


def _holds_something(ws: Worksheet, col: int, top: int) -> bool:
    return any(c == col and r >= top and cell.value not in (None, "") for (r, c), cell in ws._cells.items())


def _set_width(ws: Worksheet, col: int, width: float) -> None:
    """Give column ``col`` its own width, splitting an officer's <col> range that spans it."""
    for key, dim in list(ws.column_dimensions.items()):
        low, high = dim.min or col, dim.max or dim.min or col
        if low <= col <= high and low != high:
            del ws.column_dimensions[key]
            for a, b in ((low, col - 1), (col, col), (col + 1, high)):
                if a <= b:
                    piece = copy(dim)
                    piece.index, piece.min, piece.max = get_column_letter(a), a, b
                    ws.column_dimensions[piece.index] = piece
    dim = ws.column_dimensions[get_column_letter(col)]
    dim.width, dim.min, dim.max = width, col, col


def _widen_autofilter(ws: Worksheet, header_row: int, last_col: int, record: Record) -> None:
    """Let the header row's filter cover the added columns too."""
    ref = ws.auto_filter.ref
    if not ref:
        return
    try:
        min_col, min_row, max_col, max_row = range_boundaries(ref)
    except (TypeError, ValueError):
        return
    if min_row == header_row and max_col is not None and max_col < last_col:
        new = f"{get_column_letter(min_col)}{min_row}:{get_column_letter(last_col)}{max_row}"
        ws.auto_filter.ref = new
        record.autofilters[ws.title] = (ref, new)


def _values_workbook(path: Path) -> Workbook:
    """A new workbook holding the values of every sheet of an .xls/.xlsb/.ods register."""
    import python_calamine as pc

    with open(path, "rb") as fh:  # by content, not by name: an .ods saved as "Register.xlsx" too
        book = pc.CalamineWorkbook.from_filelike(fh)
    wb = Workbook()
    wb.remove(wb.active)
    date_style: dict[str, StyleArray] = {}
    try:
        for meta in book.sheets_metadata:
            if str(meta.typ) != "SheetTypeEnum.WorkSheet":
                continue
            ws = wb.create_sheet(meta.name)
            state = str(meta.visible).rsplit(".", 1)[-1].lower()
            ws.sheet_state = {"hidden": "hidden", "veryhidden": "veryHidden"}.get(state, "visible")
            rows = book.get_sheet_by_name(meta.name).to_python(skip_empty_area=False)
            for r, values in enumerate(rows, 1):
                for c, value in enumerate(values, 1):
                    if isinstance(value, str):
                        if value:
                            put_text(ws, r, c, value)
                    elif value is not None:
                        cell = ws.cell(r, c, value)
                        if cell.is_date:
                            fmt = "dd/mm/yyyy hh:mm" if hasattr(value, "hour") and (value.hour or value.minute) else "dd/mm/yyyy"
                            if fmt not in date_style:
                                cell.number_format = fmt
                                date_style[fmt] = StyleArray(cell._style)
                            cell._style = StyleArray(date_style[fmt])
    finally:
        book.close()
    if not wb.worksheets or all(ws.sheet_state != "visible" for ws in wb.worksheets):
        (wb.worksheets[0] if wb.worksheets else wb.create_sheet("Sheet1")).sheet_state = "visible"
    return wb


def _same_file(a: Path, b: Path) -> bool:
    try:
        if a.exists() and b.exists():
            return os.path.samefile(a, b)
    except OSError:
        pass
    return os.path.normcase(os.path.realpath(a)) == os.path.normcase(os.path.realpath(b))
