"""The two sheets the annotated copy adds: Findings (one row a finding) and Summary.

Everything that came from the register (refs, names, messages, sheet names) is written as text,
never as a formula; the Findings sheet's links are internal locations only (``'Register'!B7``).
"""

from __future__ import annotations

from collections import Counter
from copy import copy
from datetime import date

import pandas as pd
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.styles.cell_style import StyleArray
from openpyxl.workbook import Workbook
from openpyxl.worksheet.hyperlink import Hyperlink
from openpyxl.worksheet.worksheet import Worksheet

from .annotate_marks import FINDINGS_HEADERS, SEVERITY_FILLS, SUMMARY_TITLE, put_text
from .config import HELP
from .findings import CATALOGUE, Severity, sort_key
from .model import CheckResult

TAB_COLOUR = "FF1F4E79"
HEADER_FILL = PatternFill("solid", fgColor=TAB_COLOUR)
HEADER_FONT = Font(bold=True, color="FFFFFFFF")
LINK_FONT = Font(color="FF0563C1", underline="single")
TITLE_FONT = Font(bold=True, size=14, color=TAB_COLOUR)
BOLD = Font(bold=True)
_FINDINGS_WIDTHS = (9, 10, 12, 40, 22, 10, 80, 34)


class Styles:
    """Each style the tool uses, registered once in the workbook and applied by copying its array."""

    def __init__(self, wb: Workbook):
        self.wb = wb
        self._arrays: dict[tuple, StyleArray] = {}

    def array(self, font: Font | None = None, fill: PatternFill | None = None, alignment: Alignment | None = None) -> StyleArray:
        key = (font, fill, alignment)
        if key not in self._arrays:
            a = StyleArray()
            if font is not None:
                a.fontId = self.wb._fonts.add(self._in_workbook_font(font))
            if fill is not None:
                a.fillId = self.wb._fills.add(fill)
            if alignment is not None:
                a.alignmentId = self.wb._alignments.add(alignment)
            self._arrays[key] = a
        return self._arrays[key]

    def _in_workbook_font(self, font: Font) -> Font:
        """``font`` in the typeface and size of the workbook's Normal style, unless it names its own."""
        base = self.wb._fonts[0] if len(self.wb._fonts) else None
        if base is None or font.name:
            return font
        font = copy(font)
        font.name, font.family, font.scheme = base.name, base.family, base.scheme
        font.sz = font.sz or base.sz
        return font

    def apply(self, cell, array: StyleArray) -> None:
        cell._style = StyleArray(array)


def unique_name(wb: Workbook, wanted: str) -> str:
    """``wanted``, or ``wanted (partnership-xl)`` when the officer already has a sheet of that name."""
    taken = {name.lower() for name in wb.sheetnames}
    if wanted.lower() not in taken:
        return wanted
    for n in range(1, 100):
        name = f"{wanted} (partnership-xl{'' if n == 1 else f' {n}'})"
        if name.lower() not in taken:
            return name
    raise AssertionError("no free sheet name")  # a workbook cannot hold 100 such sheets


def _header(ws: Worksheet, styles: Styles, row: int, headers: tuple[str, ...]) -> None:
    header = styles.array(HEADER_FONT, HEADER_FILL, Alignment(vertical="center", wrap_text=True))
    for col, text in enumerate(headers, 1):
        put_text(ws, row, col, text, header)


def _quoted(sheet: str) -> str:
    return "'" + sheet.replace("'", "''") + "'"


def add_findings_sheet(wb: Workbook, result: CheckResult, styles: Styles) -> Worksheet:
    """The Findings sheet: one row a finding, a link to its cell, a filter and a frozen header."""
    ws = wb.create_sheet(unique_name(wb, "Findings"))
    ws.sheet_properties.tabColor = TAB_COLOUR
    _header(ws, styles, 1, FINDINGS_HEADERS)
    names = result.scores["name"].to_dict() if "name" in result.scores else {}
    link = styles.array(LINK_FONT)
    wrap = styles.array(alignment=Alignment(vertical="top", wrap_text=True))
    fills = {s: styles.array(fill=SEVERITY_FILLS[s]) for s in SEVERITY_FILLS}
    row = 1
    for f in sorted(result.findings, key=sort_key):
        row += 1
        name = names.get(f.row) if f.ref else None
        values = (f.code, f.severity.value, f.ref, "" if name is None or pd.isna(name) else name, f.field, f.cell,
                  f.message, CATALOGUE[f.code].policy_text)
        for col, value in enumerate(values, 1):
            put_text(ws, row, col, value, fills[f.severity.value] if col == 2 else wrap if col == 7 else None)
        _fit_height(ws, row, [(f.message, _FINDINGS_WIDTHS[6])])
        if f.cell:
            cell = ws._cells[(row, 6)]
            cell._hyperlink = Hyperlink(ref=cell.coordinate, location=f"{_quoted(f.sheet)}!{f.cell}",
                                        tooltip=f"Go to {f.cell} on {f.sheet}"[:255])
            styles.apply(cell, link)
    for col, width in enumerate(_FINDINGS_WIDTHS, 1):
        ws.column_dimensions[chr(64 + col)].width = width
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = f"A1:H{max(row, 2)}"
    return ws


def add_summary_sheet(wb: Workbook, result: CheckResult, losses: list[str], styles: Styles) -> Worksheet:
    """The Summary sheet: as-of date, counts by severity and code, RAG, rules not checked, settings, losses."""
    ws = wb.create_sheet(unique_name(wb, "Summary"))
    ws.sheet_properties.tabColor = TAB_COLOUR
    bold, title = styles.array(BOLD), styles.array(TITLE_FONT)
    wrap = styles.array(alignment=Alignment(vertical="top", wrap_text=True))
    left = styles.array(alignment=Alignment(horizontal="left"))
    styles.apply(put_text(ws, 1, 1, SUMMARY_TITLE), title)
    register, summary = result.register, result.summary()
    rows: list[tuple] = [
        ("Register file", register.path.name),
        ("Sheet", register.sheet),
        ("Header row", register.header_row),
        ("As of", result.as_of),
        ("Partnerships checked", summary["partnerships"]),
        ("Rows skipped (notes or totals)", len(register.skipped_rows)),
        (),
        ("Findings by severity",),
        *[(s.value.capitalize(), summary[s.value]) for s in Severity],
        (),
        ("RAG",),
        ("Red", summary["red"]), ("Amber", summary["amber"]), ("Green", summary["green"]),
        (),
        ("Findings by code", "Severity", "Policy", "Finding", "Count"),
    ]
    by_code = Counter(f.code for f in result.findings)
    rows += [(code, rule.severity.value, rule.policy_text, rule.finding, by_code[code])
             for code, rule in CATALOGUE.items() if by_code[code]]
    rows += [(), ("Rules not checked", "Why", "", "Finding")]
    rows += [(code, why, "", CATALOGUE[code].finding) for code, why in sorted(result.not_checked.items())] or [("(none)",)]
    rows += [(), ("Settings used", "Value", "", "Meaning")]
    rows += [(key, _setting(value), "", HELP.get(key, "")) for key, value in result.settings.public().items()]
    rows += [("Settings file", result.settings.source or "(none: the defaults)")]
    rows += [(), ("Not carried over from the original workbook",)]
    rows += [("", loss) for loss in losses] or [("", "Nothing: everything in the original workbook is in this copy.")]
    rows += [(), ("", "This sheet, the Findings sheet, the coloured cells' notes and the added columns are "
                      "partnership-xl's; they are replaced every time the register is checked.")]
    heads = {"Findings by severity", "RAG", "Findings by code", "Rules not checked", "Settings used",
             "Not carried over from the original workbook"}
    widths = (34, 60, 36, 60, 8)
    for r, values in enumerate(rows, 3):
        for c, value in enumerate(values, 1):
            if isinstance(value, (int, float, date)) and not isinstance(value, bool):
                cell = ws.cell(r, c, value)
                styles.apply(cell, left)
                if isinstance(value, date):
                    cell.number_format = "dd/mm/yyyy"
            elif value != "":
                put_text(ws, r, c, value, wrap if c in (2, 4) else None)
        if values and values[0] in heads:
            for c in range(1, len(values) + 1):
                styles.apply(ws.cell(r, c), bold)
        _fit_height(ws, r, [(v, widths[c]) for c, v in enumerate(values) if c in (1, 3) and isinstance(v, str)])
    for letter, width in zip("ABCDE", widths, strict=True):
        ws.column_dimensions[letter].width = width
    return ws


def _fit_height(ws: Worksheet, row: int, texts: list[tuple[str, float]]) -> None:
    """Make a row tall enough for its wrapped texts (spreadsheet programs do not grow it on opening)."""
    lines = max((1 + len(str(text)) // int(width * 1.15) for text, width in texts), default=1)
    if lines > 1:
        ws.row_dimensions[row].height = 15 * lines + 2


def _setting(value: object) -> object:
    if value is None:
        return "(not set)"
    if isinstance(value, dict):
        return "; ".join(f"{k} = {v}" for k, v in value.items()) or "(none)"
    return value
