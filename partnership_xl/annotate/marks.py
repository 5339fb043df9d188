"""What goes where in the register sheet: fills, notes and the tool's columns, from a CheckResult.

Nothing here touches a file: the decisions are handed to :class:`partnership_xl.workbook.patch.Annotation`.
"""

from __future__ import annotations

import pandas as pd

from ..findings import CATALOGUE, Finding
from ..model import TOOL_COLUMNS, CheckResult, tool_header
from ..workbook.patch import Annotation
from ..workbook.sheet import parse_ref

#: Widths of the tool's columns, by name.
WIDTHS = {"Risk score": 13, "Opportunity score": 16, "Risk band": 13, "RAG": 13, "Findings": 30}


def note_line(f: Finding) -> str:
    """One finding as a line of a cell's note: severity, code, message, policy clause."""
    return f"{f.severity.value.upper()} {f.code}: {f.message} (policy {CATALOGUE[f.code].policy_text})"


def register_annotation(result: CheckResult) -> Annotation:
    """Fills, notes and the tool's columns for ``result``'s register sheet."""
    register = result.register
    own = [*register.headers, *register.columns.values(), *register.unknown, *register.duplicate_columns]
    headed = max([*(c for c, h in register.headers.items() if str(h or "").strip()), *register.columns.values()], default=0)
    annotation = Annotation(sheet=register.sheet, header_row=register.header_row, register_name=register.path.name,
                            after_column=max([register.last_column, *own], default=0), after_column_headed=headed)
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
