"""The quarterly risk and opportunity extract (policy §8: the Executive receives updates on
partnership risks and opportunities each quarter, as part of the corporate risk register).

One sheet, High risks first: each live partnership's risk and opportunity scores and bands, lead
officer, key risks and control measures and, against a previous register, how each score moved
(up, down, same, new) with the counts councils report. Partnerships that left the register since
are listed on a second sheet.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import xlsxwriter

from ..model import CheckResult
from . import changes as ch
from .cells import BAND_COLOURS, OPP_COLOURS, RAG_COLOURS, Col, Formats, footer_text, is_blank, new_workbook, put, save, set_print, write_table
from .figures import BANDS, NOT_ASSESSED, band_of, column, has_column, live, opportunities_recorded

TITLE = "Partnership risks and opportunities: update to the Executive"
RISK_MOVEMENT_COLOURS = {"up": "#F4CCCC", "down": "#D9EAD3", "new": "#CFE2F3"}
OPP_MOVEMENT_COLOURS = {"up": "#D9EAD3", "down": "#F4CCCC", "new": "#CFE2F3"}
_BAND_ORDER = {b: i for i, b in enumerate((*BANDS, NOT_ASSESSED))}


_FIELDS = ("status", "service_area", "lead_officer", "risk_likelihood", "risk_impact", "risks", "controls", "opp_likelihood", "opp_impact", "opportunities")


def risk_records(result: CheckResult, previous: CheckResult | None = None, changes: pd.DataFrame | None = None) -> list[dict]:
    """The extract's rows: live partnerships, High band first, then risk score, then opportunity score.

    With ``previous`` (or its ``changes``, :func:`.changes.compare` already run), each row also has
    ``prev_risk_score``, ``risk_movement``, ``prev_opp_score`` and ``opp_movement`` (up, down,
    same, new, not assessed).
    """
    scores = result.scores
    if changes is None and previous is not None:
        changes = ch.compare(result, previous)
    moves = changes.dropna(subset=["row"]).set_index("row") if changes is not None else None
    fields = {name: column(result, name).to_dict() for name in _FIELDS}
    fields.update({name: scores[name].to_dict() for name in ("ref", "name", "risk_score", "opp_score", "rag")})
    fields.update({name: scores[name].map(band_of).to_dict() for name in ("risk_band", "opp_band")})
    if moves is not None:
        fields.update({name: moves[name].to_dict() for name in ("prev_risk_score", "risk_movement", "prev_opp_score", "opp_movement")})
    records = [{"row": int(row), **{name: values.get(row) for name, values in fields.items()}} for row in scores.index[live(result)]]

    def order(r: dict) -> tuple:
        risk = -float(r["risk_score"]) if not is_blank(r["risk_score"]) else 1.0
        opp = -float(r["opp_score"]) if not is_blank(r["opp_score"]) else 1.0
        return (_BAND_ORDER[r["risk_band"]], risk, opp, r["row"])

    return sorted(records, key=order)


def movement_summary(result: CheckResult, previous: CheckResult, changes: pd.DataFrame | None = None) -> dict[str, dict[str, int]]:
    """Risk and opportunity movements of the live partnerships, plus how many left the register."""
    changes = ch.compare(result, previous) if changes is None else changes
    records = risk_records(result, changes=changes)
    removed = int((changes["change"] == ch.REMOVED).sum())
    out = {}
    for kind in ("risk", "opp"):
        moved = pd.Series([r[f"{kind}_movement"] for r in records], dtype="object").value_counts()
        out[kind] = {m: int(moved.get(m, 0)) for m in ch.MOVEMENTS if m != ch.REMOVED}
        out[kind][ch.REMOVED] = removed
    return out


def write_risks(result: CheckResult, out: Path, previous: CheckResult | None = None) -> None:
    """Write the quarterly risk and opportunity extract to ``out`` (temporary file, then moved into place).

    ``previous`` (the register as it was last quarter, checked) adds the movement columns and counts.
    """

    def build(path: Path) -> None:
        wb = new_workbook(path, title=TITLE, council=result.settings.council_name)
        f = Formats(wb)
        changes = ch.compare(result, previous) if previous is not None else None
        _extract(wb, f, result, previous, changes)
        if previous is not None:
            _removed(wb, f, result, previous, changes)
        wb.close()

    save(out, build)


def _columns(result: CheckResult, previous: CheckResult | None) -> list[Col]:
    """The extract's columns: one row holds a partnership's scores, its risks and their controls,
    so a risk and its control measures always print on the same page."""
    cols = [
        Col("Ref", "ref", width=7), Col("Partnership", "name", "wrap", 30), Col("Status", "status", "wrap", 9),
        Col("Service area", "service_area", "wrap", 11), Col("Lead officer", "lead_officer", "wrap", 11),
        Col("Risk likelihood", "risk_likelihood", "number", 6), Col("Risk impact", "risk_impact", "number", 6),
        Col("Risk score", "risk_score", "number", 6), Col("Risk band", "risk_band", "wrap", 8, colours=BAND_COLOURS),
    ]  # fmt: skip
    if previous is not None:
        cols += [Col("Previous risk score", "prev_risk_score", "number", 9), Col("Risk movement", "risk_movement", width=9, colours=RISK_MOVEMENT_COLOURS)]
    cols += [Col("Key risks", "risks", "wrap", 30), Col("Control measures", "controls", "wrap", 30)]
    if opportunities_recorded(result):
        cols += [
            Col("Opportunity score", "opp_score", "number", 8), Col("Opportunity band", "opp_band", "wrap", 9, colours=OPP_COLOURS),
        ]  # fmt: skip
        if previous is not None:
            cols += [Col("Previous opportunity score", "prev_opp_score", "number", 9), Col("Opportunity movement", "opp_movement", width=9, colours=OPP_MOVEMENT_COLOURS)]
        if has_column(result, "opportunities"):
            cols.append(Col("Key opportunities", "opportunities", "wrap", 24))
    cols.append(Col("RAG", "rag", width=6, colours=RAG_COLOURS))
    return [c for c in cols if c.key not in ("risks", "controls", "service_area", "lead_officer") or has_column(result, c.key)]


def _extract(wb: xlsxwriter.Workbook, f: Formats, result: CheckResult, previous: CheckResult | None, changes: pd.DataFrame | None) -> None:
    ws = wb.add_worksheet("Risks and opportunities")
    records = risk_records(result, changes=changes)
    cols = _columns(result, previous)
    ws.set_row(0, 26)
    ws.write_string(0, 0, TITLE, f.title)
    put(ws, 1, 0, f"{result.settings.council_name} · position at {result.as_of:%d %B %Y} · register {result.register.path.name}", f.subtitle)
    closed = int((~live(result)).sum())
    s = result.settings
    note = f"Score = likelihood × impact: Low up to {s.low_max}, Medium up to {s.medium_max}, High above. High risks first."
    if closed:
        note += f" Closed partnerships are not listed ({closed})."
    if not opportunities_recorded(result):
        note += " Opportunities are not recorded in this register."
    ws.write_string(2, 0, note, f.muted)

    opp = opportunities_recorded(result)
    bands = {b: (int(n), int(m)) for b, n, m in band_counts(records)}
    row = _summary(ws, f, 4, "Live partnerships by band", bands, opp, coloured=True)
    if previous is not None:
        moves = movement_summary(result, previous, changes)
        labels = {"up": "Score rose", "down": "Score fell", "same": "Stayed the same", "new": "New partnership", "not assessed": "Not assessed", "removed": "Left the register"}
        lines = {label: (moves["risk"][key], moves["opp"][key]) for key, label in labels.items()}
        row = _summary(ws, f, row + 2, f"Movement since {previous.register.path.name}", lines, opp)
    top = row + 2
    write_table(ws, top, cols, records, f, name="Risks", empty="No live partnership to report.")
    ws.freeze_panes(top + 1, 2)
    set_print(ws, header_row=top, footer=footer_text(result.as_of))


def band_counts(records: list[dict]) -> list[tuple[str, int, int]]:
    """(band, risks, opportunities) for High, Medium, Low and Not assessed, over the extract's rows."""
    risk = pd.Series([r["risk_band"] for r in records], dtype="object").value_counts()
    opp = pd.Series([r["opp_band"] for r in records], dtype="object").value_counts()
    return [(b, int(risk.get(b, 0)), int(opp.get(b, 0))) for b in (*BANDS, NOT_ASSESSED)]


def _summary(ws, f: Formats, row: int, heading: str, lines: dict[str, tuple[int, int]], opp: bool, coloured: bool = False) -> int:
    """A small block: heading, then label | risks | opportunities per line; returns the last row."""
    ws.merge_range(row, 0, row, 1, "", f.heading)
    put(ws, row, 0, heading, f.heading)
    ws.write_string(row, 2, "Risks", f.heading_right)
    ws.write_string(row, 3, "Opportunities" if opp else "", f.heading_right)
    for i, (label, (risks, opps)) in enumerate(lines.items(), start=row + 1):
        fmt = f.band(label) if coloured else f.label  # the band colours of risks; opportunities' figures stay plain
        ws.merge_range(i, 0, i, 1, "", fmt)
        ws.write_string(i, 0, label, fmt)
        ws.write_number(i, 2, risks, f.figure)
        if opp:
            ws.write_number(i, 3, opps, f.figure)
    return row + len(lines)


def _removed(wb: xlsxwriter.Workbook, f: Formats, result: CheckResult, previous: CheckResult, changes: pd.DataFrame) -> None:
    removed = changes[changes["change"] == ch.REMOVED]
    ws = wb.add_worksheet("Removed")
    ws.set_row(0, 26)
    ws.write_string(0, 0, "No longer on the register", f.title)
    put(ws, 1, 0, f"On {previous.register.path.name} but not on {result.register.path.name}.", f.muted)
    cols = [
        Col("Ref", "prev_ref", width=9), Col("Partnership", "prev_name", "wrap", 34), Col("Status then", "prev_status", width=12),
        Col("Risk score then", "prev_risk_score", "number", 10), Col("Risk band then", "prev_risk_band", width=11, colours=BAND_COLOURS),
        Col("Exit recorded", "exit_recorded", "wrap", 48),
    ]  # fmt: skip
    write_table(ws, 3, cols, removed.to_dict("records"), f, name="Removed", empty="No partnership left the register.")
    set_print(ws, header_row=3, footer=footer_text(result.as_of))
