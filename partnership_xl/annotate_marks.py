"""The tool's own marks in an annotated copy, and how they are taken out again.

Checking an annotated copy must give the same findings and the same workbook as checking the
original (SPEC §7), so everything the copy adds is recognisable:

* a veryHidden sheet, :data:`RECORD_SHEET`, lists the sheets the tool added, the register's
  autofilter before it was widened, and each marked cell with the fill it had before;
* the tool's part of a note starts with the line :data:`NOTE_MARKER`, after the officer's own
  text when the cell already had a note;
* the added columns' headers end with `` (partnership-xl)`` (:func:`model.tool_header`);
* the added sheets carry a signature (the Findings header row, the Summary title), which also
  finds them when the record sheet has been lost.

:func:`remove_annotations` undoes all of it on a loaded workbook: the officer's fills and notes
come back, the tool's sheets go, its columns are emptied.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.comments import Comment
from openpyxl.styles import PatternFill
from openpyxl.styles.cell_style import StyleArray
from openpyxl.styles.fills import Fill
from openpyxl.workbook import Workbook
from openpyxl.worksheet.worksheet import Worksheet
from openpyxl.xml.functions import fromstring, tostring

from .model import TOOL_COLUMN_SUFFIX

RECORD_SHEET = "_partnership-xl"
RECORD_TITLE = "partnership-xl record of what it added to this copy (replaced on every check; do not edit)"
NOTE_AUTHOR = "partnership-xl"
NOTE_MARKER = "[partnership-xl]"
SUMMARY_TITLE = "partnership-xl: summary of the check"
FINDINGS_HEADERS = ("Code", "Severity", "Ref", "Partnership", "Field", "Cell", "Message", "Policy clause")

#: The fill of a flagged cell, by its worst severity: error red, warning amber, info blue.
SEVERITY_FILLS = {
    "error": PatternFill("solid", fgColor="FFF8A5A5"),
    "warning": PatternFill("solid", fgColor="FFFFD27F"),
    "info": PatternFill("solid", fgColor="FF9DC3E6"),
}

_OUR_NOTE = re.compile(r"(?:\A|\n+)" + re.escape(NOTE_MARKER) + r".*\Z", re.S)


def clean_text(value: object) -> str:
    """Text safe to write into a cell: characters XML cannot hold are left out."""
    return ILLEGAL_CHARACTERS_RE.sub("", str(value))


def put_text(ws: Worksheet, row: int, column: int, value: object, style: StyleArray | None = None) -> Cell:
    """Write ``value`` as text, never as a formula or an error value, and return the cell."""
    cell = ws._cells.get((row, column))
    if cell is None:  # openpyxl's ws.cell() does the same, more slowly
        cell = ws._cells[(row, column)] = Cell(ws, row=row, column=column)
    text = clean_text(value)
    cell._value, cell.data_type = (text, "s") if text else (None, "n")
    if style is not None:
        cell._style = StyleArray(style)
    return cell


def officer_note(comment: Comment | None) -> Comment | None:
    """The officer's part of a note (a new Comment), or None when the note was only the tool's."""
    if comment is None:
        return None
    text = _OUR_NOTE.sub("", comment.text or "")
    if not text.strip():
        return None
    return Comment(text, comment.author or "")


def note_with_findings(officer: Comment | None, lines: list[str]) -> Comment:
    """The note for a flagged cell: the officer's own note kept, the tool's findings after it."""
    ours = NOTE_MARKER + "\n" + clean_text("\n".join(lines))  # a finding quotes the cell: no control characters in the XML
    text = f"{clean_text(officer.text).rstrip()}\n\n{ours}" if officer is not None else ours
    author = officer.author if officer is not None and officer.author else NOTE_AUTHOR
    lengths = [len(line) for line in text.split("\n")]
    width = min(480, max(240, 7 * max(lengths) // 2 + 24))
    chars_a_line = max(20, (width - 16) // 6)
    lines_shown = sum(1 + n // chars_a_line for n in lengths)
    return Comment(text, author, height=min(600, 18 * lines_shown + 20), width=width)


@dataclass
class Record:
    """What the tool added to a copy: its sheets, widened autofilters, marked cells' old fills."""

    sheets: list[str] = field(default_factory=list)
    autofilters: dict[str, tuple[str, str]] = field(default_factory=dict)  # sheet → (ref before, ref set)
    marks: list[tuple[str, str, str]] = field(default_factory=list)  # (sheet, cell, fill XML before)


def write_record(wb: Workbook, record: Record) -> None:
    """Add the veryHidden record sheet to ``wb``."""
    ws = wb.create_sheet(RECORD_SHEET)
    ws.sheet_state = "veryHidden"
    rows: list[tuple] = [(RECORD_TITLE, "1")]
    rows += [("sheet", name) for name in record.sheets]
    rows += [("autofilter", sheet, before, after) for sheet, (before, after) in record.autofilters.items()]
    keys: dict[str, str] = {}
    for _, _, xml in record.marks:
        keys.setdefault(xml, str(len(keys)))
    rows += [("fill", key, xml) for xml, key in keys.items()]
    cells: dict[tuple[str, str], list[str]] = {}
    for sheet, cell, xml in record.marks:
        cells.setdefault((sheet, keys[xml]), []).append(cell)
    for (sheet, key), coordinates in cells.items():  # a few thousand cells to a row, within Excel's 32,767 characters
        rows += [("marks", sheet, key, " ".join(coordinates[i:i + 3000])) for i in range(0, len(coordinates), 3000)]
    for r, values in enumerate(rows, 1):
        for c, value in enumerate(values, 1):
            put_text(ws, r, c, value)


def read_record(wb: Workbook) -> Record | None:
    """The record of a previous check in ``wb``, or None when it has none."""
    if RECORD_SHEET not in wb.sheetnames:
        return None
    ws = wb[RECORD_SHEET]
    if ws["A1"].value != RECORD_TITLE:
        return None
    record, fills = Record(), {}
    for values in ws.iter_rows(min_row=2, values_only=True):
        kind, *rest = [("" if v is None else str(v)) for v in values] + ["", "", "", ""]
        if kind == "sheet":
            record.sheets.append(rest[0])
        elif kind == "autofilter":
            record.autofilters[rest[0]] = (rest[1], rest[2])
        elif kind == "fill":
            fills[rest[0]] = rest[1]
        elif kind == "marks":
            record.marks += [(rest[0], cell, fills.get(rest[1], "")) for cell in rest[2].split()]
    return record


def fill_xml(fill: Fill) -> str:
    """A fill as the XML the record keeps."""
    return tostring(fill.to_tree()).decode("utf-8")


def is_tool_sheet(ws) -> bool:
    """Is this one of the sheets the tool adds (by its signature)?"""
    if not isinstance(ws, Worksheet):
        return False
    if ws["A1"].value == SUMMARY_TITLE:
        return True
    return tuple(ws.cell(1, c).value for c in range(1, len(FINDINGS_HEADERS) + 1)) == FINDINGS_HEADERS \
        and ws.cell(1, len(FINDINGS_HEADERS) + 1).value is None and ws.sheet_properties.tabColor is not None


def remove_annotations(wb: Workbook, sheet: str, header_row: int) -> dict[str, int]:
    """Take the tool's marks out of ``wb`` (a copy checked before, or an untouched register).

    Returns the columns of ``sheet`` that held the tool's columns, by header name without the
    suffix; those columns are emptied, so new ones can be written in the same place.
    """
    record = read_record(wb)
    if RECORD_SHEET in wb.sheetnames:
        wb.remove(wb[RECORD_SHEET])
    for ws in list(wb.worksheets):
        # with a record only the sheets it names go: an officer's copy of an old Findings sheet stays
        if is_tool_sheet(ws) and (ws.title in record.sheets if record else ws.sheet_state == "visible"):
            wb.remove(ws)
    ours = {i for i, fill in enumerate(wb._fills) if fill in SEVERITY_FILLS.values()}
    before_ids: dict[str, int] = {}
    restored: set[tuple[str, str]] = set()
    for sheet_name, coordinate, before in (record.marks if record else []):
        if sheet_name not in wb.sheetnames:
            continue
        cell = wb[sheet_name][coordinate]
        if cell._style is not None and cell._style.fillId in ours:  # an officer's own recolouring since is kept
            if before not in before_ids:
                before_ids[before] = _fill_id(wb, before)
            cell._style = StyleArray(cell._style)  # its own first: read cells share their style array
            cell._style.fillId = before_ids[before]
        restored.add((sheet_name, coordinate))
    for ws in wb.worksheets:
        for cell in list(ws._cells.values()):
            comment = cell.comment
            if comment is not None and NOTE_MARKER in (comment.text or ""):
                cell.comment = officer_note(comment)
                if (ws.title, cell.coordinate) not in restored and cell._style is not None and cell._style.fillId in ours:
                    cell._style = StyleArray(cell._style)  # its own first: read cells share their style array
                    cell._style.fillId = wb._fills.add(PatternFill())  # no record: our fill on our note goes
    for name, (before, after) in (record.autofilters.items() if record else []):
        if name in wb.sheetnames and wb[name].auto_filter.ref == after:  # unless the officer changed it since
            wb[name].auto_filter.ref = before or None
    return _empty_tool_columns(wb[sheet], header_row) if sheet in wb.sheetnames else {}


def _fill_id(wb: Workbook, xml: str) -> int:
    try:
        fill = Fill.from_tree(fromstring(xml))
    except Exception:  # a damaged record: the cell loses our fill, not the check
        fill = None
    return wb._fills.add(fill) if fill is not None else 0


def _empty_tool_columns(ws: Worksheet, header_row: int) -> dict[str, int]:
    """Empty the tool's columns from the header row down (title rows above are the officer's)."""
    found: dict[str, int] = {}
    for (row, col), cell in ws._cells.items():
        if row == header_row and isinstance(cell.value, str) and cell.value.endswith(TOOL_COLUMN_SUFFIX):
            found.setdefault(cell.value[: -len(TOOL_COLUMN_SUFFIX)], col)
    columns = set(found.values())
    if columns:
        for key in [k for k in ws._cells if k[1] in columns and k[0] >= header_row]:
            del ws._cells[key]
    return found
