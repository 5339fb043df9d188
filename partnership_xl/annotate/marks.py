"""What goes where in the register sheet: fills, notes and the tool's columns, from a CheckResult.

Nothing here touches a file: the decisions are handed to :class:`partnership_xl.workbook.patch.Annotation`.
"""

from __future__ import annotations

import pandas as pd

from ..findings import CATALOGUE, Finding
from ..model import TOOL_COLUMNS, CheckResult, tool_header
from ..workbook.patch import Annotation
from ..workbook.sheet import parse_ref
from ..workbook.styles import StyleBook

#: The fill of a flagged cell, by its worst severity: error red, warning amber, info blue (ARGB).
SEVERITY_FILLS = {"error": "FFF8A5A5", "warning": "FFFFD27F", "info": "FF9DC3E6"}
#: The fills of the Risk band and RAG columns.
BAND_FILLS = {"Low": "FFC6EFCE", "Green": "FFC6EFCE", "Medium": "FFFFEB9C", "Amber": "FFFFEB9C", "High": "FFFFC7CE", "Red": "FFFFC7CE"}
TAB_COLOUR = "FF1F4E79"
TOOL_CELL_FILL = "FFDDEBF7"

#: Widths of the tool's columns, by name.
WIDTHS = {"Risk score": 13, "Opportunity score": 16, "Risk band": 13, "RAG": 13, "Findings": 30}


def column_style(styles: StyleBook, key: str) -> int:
    """The cell format of the tool's columns for ``key``: the header, plain scores, the codes, or a band's colour."""
    s = styles
    if key == "header":
        return s.xf(font=s.font(bold=True, rgb="FFFFFFFF"), fill=s.fill(TAB_COLOUR), horizontal="center", vertical="center", wrap=True)
    if key == "codes":
        return s.xf(font=s.font(rgb=TAB_COLOUR), fill=s.fill(TOOL_CELL_FILL))
    if key in BAND_FILLS:
        return s.xf(font=s.font(bold=True), fill=s.fill(BAND_FILLS[key]), horizontal="center")
    return s.xf(font=s.font(rgb=TAB_COLOUR), fill=s.fill(TOOL_CELL_FILL), horizontal="center")


def note_line(f: Finding) -> str:
    """One finding as a line of a cell's note: severity, code, message, policy clause."""
    return f"{f.severity.value.upper()} {f.code}: {f.message} (policy {CATALOGUE[f.code].policy_text})"


def register_annotation(result: CheckResult) -> Annotation:
    """Fills, notes and the tool's columns for ``result``'s register sheet."""
    register = result.register
    own = [*register.headers, *register.columns.values(), *register.unknown, *register.duplicate_columns]
    headed = max([*(c for c, h in register.headers.items() if str(h or "").strip()), *register.columns.values()], default=0)
    annotation = Annotation(sheet=register.sheet, header_row=register.header_row, register_name=register.path.name,
                            after_column=max([register.last_column, *own], default=0), after_column_headed=headed,
                            column_style=column_style)
    by_cell: dict[tuple[int, int], list[Finding]] = {}
    for f in result.findings:
        if f.cell and f.sheet == register.sheet:
            try:
                by_cell.setdefault(parse_ref(f.cell), []).append(f)
            except ValueError:
                continue
    for key, found in by_cell.items():
        found.sort(key=lambda f: (f.severity.rank, f.code))
        annotation.flagged[key] = found[0].severity.value
        annotation.notes[key] = [note_line(f) for f in found]

    annotation.column_headers = [tool_header(name) for name in TOOL_COLUMNS]
    annotation.column_widths = [WIDTHS[name] for name in TOOL_COLUMNS]
    scores = result.scores
    for row, risk, opp, band, rag, codes in zip(scores.index, scores["risk_score"], scores["opp_score"], scores["risk_band"],
                                                 scores["rag"], scores["codes"], strict=True):
        band_text = _text(band)
        rag_text = _text(rag)
        annotation.column_values[int(row)] = [
            (None if pd.isna(risk) else int(risk), "plain"),
            (None if pd.isna(opp) else int(opp), "plain"),
            (band_text, band_text if band_text else "plain"),
            (rag_text, rag_text if rag_text else "plain"),
            (codes or "", "codes"),
        ]
    return annotation


def _text(value: object) -> str:
    return "" if value is None or (not isinstance(value, str) and pd.isna(value)) else str(value)
