"""The two sheets the annotated copy adds: Findings (one row a finding) and Summary.

Everything that came from the register (refs, names, messages, headings) is written as text,
never as a formula; the Findings sheet's links are internal locations only (``'Register'!B7``).
Both print on A4 landscape, one page wide, the Findings header repeated on every page.
"""

from __future__ import annotations

from collections import Counter
from datetime import date

import pandas as pd

from ..config import HELP
from ..findings import CATALOGUE, Severity, sort_key
from ..model import CheckResult
from ..workbook.newsheet import NewSheet
from ..workbook.styles import StyleBook
from .marks import SEVERITY_FILLS, TAB_COLOUR

SUMMARY_TITLE = "partnership-xl: summary of the check"
FINDINGS_HEADERS = ("Ref", "Partnership", "Lead officer", "Service area", "Column", "Cell", "Code", "Severity", "Message", "Policy clause")
#: The Findings header of copies made before the officer's heading, lead officer and service area were added.
_OLD_FINDINGS_HEADERS = ("Code", "Severity", "Ref", "Partnership", "Field", "Cell", "Message", "Policy clause")
#: Words one of the tool's sheets always holds (its title, its last heading): only sheets holding one are read for the signature.
SIGNATURE_WORDS = ("partnership-xl", "Policy clause")
_FINDINGS_WIDTHS = (9, 30, 18, 18, 22, 8, 8, 9, 70, 26)


def is_tool_sheet_row(first_row: list) -> bool:
    """Is a sheet whose first row holds these values one of the tool's (by its signature)?"""
    texts = tuple("" if v is None else str(v) for v in first_row)
    return (bool(texts) and texts[0] == SUMMARY_TITLE) or texts in (FINDINGS_HEADERS, _OLD_FINDINGS_HEADERS)


class _Styles:
    def __init__(self, styles: StyleBook):
        s = styles
        self.header = s.xf(font=s.font(bold=True, rgb="FFFFFFFF"), fill=s.fill(TAB_COLOUR), vertical="center", wrap=True)
        self.link = s.xf(font=s.font(rgb="FF0563C1", underline=True), vertical="top")
        self.wrap = s.xf(vertical="top", wrap=True)
        self.top = s.xf(vertical="top")
        self.title = s.xf(font=s.font(bold=True, rgb=TAB_COLOUR, size=14))
        self.bold = s.xf(font=s.font(bold=True))
        self.left = s.xf(horizontal="left")
        self.date = s.xf(number_format=s.number_format("dd/mm/yyyy"), horizontal="left")
        self.severity = {sev: s.xf(fill=s.fill(rgb), vertical="top") for sev, rgb in SEVERITY_FILLS.items()}


def findings_sheet(styles: StyleBook, title: str, register_sheet: str, threaded: list[str], register_name: str,
                   result: CheckResult) -> NewSheet:
    """One row a finding: ref, name, lead officer, service area, the officer's heading, a link to the cell, code..."""
    st = _Styles(styles)
    sheet = NewSheet(tab_color=TAB_COLOUR, freeze_rows=1, print_title_rows=1)
    sheet.add_row(1, [(col, text, st.header) for col, text in enumerate(FINDINGS_HEADERS, 1)])
    scores = result.scores  # each row's name, lead officer and service area, looked up once (not a pandas lookup a finding)
    about = {key: scores[key].to_dict() if key in scores.columns else {} for key in ("name", "lead_officer", "service_area")}
    policy = {code: rule.policy_text for code, rule in CATALOGUE.items()}
    findings = sorted(result.findings, key=sort_key)

    def rows():  # made as the sheet is written: a Findings sheet of 100,000 rows is never held whole
        cell_styles = [st.top, st.wrap, st.top, st.top, st.top, st.link, st.top, None, st.wrap, st.top]
        for row, f in enumerate(findings, 2):
            name = _text(about["name"].get(f.row)) if f.ref else ""
            values = (f.ref, name, _text(about["lead_officer"].get(f.row)), _text(about["service_area"].get(f.row)),
                      result.column_heading(f), f.cell, f.code, f.severity.value, f.message, policy[f.code])
            cell_styles[5] = st.link if f.cell and f.sheet == register_sheet else st.top
            cell_styles[7] = st.severity[f.severity.value]
            lines = max(1 + len(f.message) // 80, 1 + len(name) // 34)
            yield row, list(zip(range(1, 11), values, cell_styles, strict=True)), (15 * lines + 2 if lines > 1 else None)

    def links():
        for row, f in enumerate(findings, 2):
            if f.cell and f.sheet == register_sheet:
                yield f"F{row}", f"{_quoted(f.sheet)}!{f.cell}", f"Go to {f.cell} on {f.sheet}"

    row = len(findings) + 1
    sheet.row_source, sheet.link_source, sheet.source_size = rows, links, (row, len(FINDINGS_HEADERS))
    sheet.widths = dict(enumerate(_FINDINGS_WIDTHS, 1))
    sheet.autofilter = f"A1:J{max(row, 2)}"
    return sheet


def summary_sheet(styles: StyleBook, title: str, register_sheet: str, threaded: list[str], register_name: str,
                  result: CheckResult, losses: list[str]) -> NewSheet:
    """As-of date, counts by severity and code, RAG, rules not checked, settings, what the copy could not keep."""
    st = _Styles(styles)
    sheet = NewSheet(tab_color=TAB_COLOUR)
    sheet.put(1, 1, SUMMARY_TITLE, st.title)
    register, summary = result.register, result.summary()
    rows: list[tuple] = [
        ("Register file", register_name),  # a copy checked again names the register it was made from
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
    rows += [(code, rule.severity.value, rule.policy_text, rule.finding, by_code[code]) for code, rule in CATALOGUE.items() if by_code[code]]
    rows += [(), ("Rules not checked", "Why", "", "Finding")]
    rows += [(code, why, "", CATALOGUE[code].finding) for code, why in sorted(result.not_checked.items())] or [("(none)",)]
    if threaded:
        rows += [(), ("Cells with a threaded comment", len(threaded), "",
                      "Their findings are on the Findings sheet only: the tool adds no note where a threaded comment is "
                      f"({', '.join(threaded[:20])}{' ...' if len(threaded) > 20 else ''}).")]
    rows += [(), ("Settings used", "Value", "", "Meaning")]
    rows += [(key, _setting(value), "", HELP.get(key, "")) for key, value in result.settings.public().items()]
    rows += [("Settings file", result.settings.source or "(none: the defaults)")]
    rows += [(), ("Not carried over from the original workbook",)]
    rows += [("", loss) for loss in losses] or [("", "Nothing: everything in the original workbook is in this copy.")]
    rows += [(), ("", "This sheet, the Findings sheet, the coloured cells' notes and the added columns are "
                      "partnership-xl's; they are replaced every time the register is checked.")]
    heads = {"Findings by severity", "RAG", "Findings by code", "Rules not checked", "Settings used",
             "Not carried over from the original workbook", "Cells with a threaded comment"}
    widths = (34, 60, 36, 60, 8)
    for r, values in enumerate(rows, 3):
        for c, value in enumerate(values, 1):
            if isinstance(value, date):
                sheet.put(r, c, value, st.date)
            elif isinstance(value, (int, float)) and not isinstance(value, bool):
                sheet.put(r, c, value, st.left)
            elif value != "":
                sheet.put(r, c, value, st.wrap if c in (2, 4) else st.top)
        if values and values[0] in heads:
            for c in range(1, len(values) + 1):
                value = values[c - 1]
                sheet.put(r, c, value if value != "" else None, st.bold)
        lines = max((1 + len(str(v)) // int(widths[c] * 1.15) for c, v in enumerate(values) if c in (1, 3) and isinstance(v, str)), default=1)
        if lines > 1:
            sheet.heights[r] = 15 * lines + 2
    sheet.widths = dict(enumerate(widths, 1))
    return sheet


def _text(value: object) -> str:
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return ""
    return str(value)


def _quoted(sheet: str) -> str:
    return "'" + sheet.replace("'", "''") + "'"


def _setting(value: object) -> object:
    if value is None:
        return "(not set)"
    if isinstance(value, dict):
        return "; ".join(f"{k} = {v}" for k, v in value.items()) or "(none)"
    return value
