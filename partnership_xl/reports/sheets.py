"""The scrutiny workbook's detail sheets: Register, Risk map, Reviews, Exits and Findings.

Each function writes one sheet from a CheckResult and the lists of :mod:`.figures`; none decides
what is wrong. Columns the register does not have are left out and named as "not recorded".
"""

from __future__ import annotations

import pandas as pd
import xlsxwriter

from ..model import CheckResult
from .cells import (
    BAND_COLOURS,
    NOT_RECORDED,
    OPP_COLOURS,
    RAG_COLOURS,
    SEVERITY_COLOURS,
    Col,
    Formats,
    footer_text,
    is_blank,
    set_print,
    write_table,
)
from .figures import (
    Grid,
    band_of,
    benefit_flags,
    column,
    exit_list,
    finding_list,
    has_column,
    opportunities_recorded,
    review_list,
    risk_grid,
    risk_scale,
)

#: Short names of the benefit categories for the Register's one-cell list.
BENEFIT_SHORT = {
    "External funding or investment": "Funding",
    "Cashable savings or income": "Savings/income",
    "Increased service quality": "Quality",
    "Improved speed or throughput": "Speed",
    "Risk mitigation": "Risk mitigation",
}

#: The Register sheet's columns and the field each needs in the register (None: always shown).
#: Widths keep the sheet one A4 landscape page wide and legible: long texts wrap in their cells.
REGISTER_COLUMNS: list[tuple[Col, str | None]] = [
    (Col("Ref", "ref", width=6), None),
    (Col("Partnership", "name", "wrap", 17), None),
    (Col("Status", "status", "wrap", 8), "status"),
    (Col("Partners", "partners", "wrap", 17), "partners"),
    (Col("Purpose", "purpose", "wrap", 19), "purpose"),
    (Col("Council priority", "priority", "wrap", 10), "priority"),
    (Col("Service area", "service_area", "wrap", 10), "service_area"),
    (Col("Lead officer", "lead_officer", "wrap", 10), "lead_officer"),
    (Col("Lead member", "lead_member", "wrap", 10), "lead_member"),
    (Col("Direct contribution (£ a year)", "direct_contribution", "money", 9), "direct_contribution"),
    (Col("Indirect contribution", "indirect_contribution", "wrap", 12), "indirect_contribution"),
    (Col("Benefits claimed", "benefit_list", "wrap", 11), "benefits"),
    (Col("Governance", "governance", "wrap", 13), "governance"),
    (Col("Assurance", "assurance", "wrap", 9), "assurance"),
    (Col("Risk score", "risk_score", "number", 6), "risk"),
    (Col("Risk band", "risk_band", "wrap", 8, colours=BAND_COLOURS), "risk"),
    (Col("Opportunity score", "opp_score", "number", 8), "opp"),
    (Col("Opportunity band", "opp_band", "wrap", 8, colours=OPP_COLOURS), "opp"),
    (Col("Significant", "significant", width=8), None),
    (Col("Last reviewed", "last_review", "date", 10), "last_review"),
    (Col("RAG", "rag", width=6, colours=RAG_COLOURS), None),
    (Col("Findings", "codes", "wrap", 10), None),
]


def _shown(result: CheckResult, need: str | None) -> bool:
    if need is None:
        return True
    if need == "opp":
        return opportunities_recorded(result)
    if need == "benefits":
        return benefit_flags(result) is not None
    if need == "risk":  # likelihood × impact, or a Risk rating word
        return has_column(result, "risk_likelihood") or has_column(result, "risk_rating")
    return has_column(result, need)


def register_records(result: CheckResult) -> tuple[list[Col], list[dict], list[str]]:
    """The Register sheet's columns, one record per partnership, and the headers not recorded."""
    shown = [(col, need) for col, need in REGISTER_COLUMNS if _shown(result, need)]
    missing = [col.header for col, need in REGISTER_COLUMNS if not _shown(result, need)]
    flags = benefit_flags(result)
    scores = result.scores
    from_scores = ("ref", "name", "risk_score", "risk_band", "opp_score", "opp_band", "benefit_count", "significant", "rag", "codes")
    values = {col.key: scores[col.key] if col.key in from_scores else column(result, col.key) for col, _ in shown if col.key != "benefit_list"}
    if flags is not None:
        values["benefit_list"] = pd.Series(
            ["; ".join(BENEFIT_SHORT[label] for label, claimed in line.items() if claimed) for _, line in flags.iterrows()], index=flags.index
        )
    for band in ("risk_band", "opp_band"):  # the check's bands; a partnership without one is "Not assessed"
        if band in values:
            values[band] = values[band].map(band_of)
    values = {key: series.to_dict() for key, series in values.items()}
    records = [{key: by_row.get(row) for key, by_row in values.items()} for row in scores.index]
    return [col for col, _ in shown], records, missing


def write_register(wb: xlsxwriter.Workbook, f: Formats, result: CheckResult) -> None:
    """Register: every partnership with its key fields, scores, bands and RAG, as a filterable table."""
    ws = wb.add_worksheet("Register")
    cols, records, missing = register_records(result)
    ws.write_string(0, 0, "Register: every partnership, with its scores and RAG", f.title)
    ws.set_row(0, 26)
    note = "Use the arrows in the header row to filter or sort. RAG: Red = at least one error finding, Amber = warnings only, Green = none."
    ws.write_string(1, 0, note, f.muted)
    ws.write_string(2, 0, f"Not recorded in this register: {', '.join(missing)}." if missing else "", f.muted)
    top = 3
    write_table(ws, top, cols, records, f, name="Register", empty="The register has no partnerships.")
    ws.freeze_panes(top + 1, 2)
    set_print(ws, header_row=top, footer=footer_text(result.as_of))


def write_risk_map(wb: xlsxwriter.Workbook, f: Formats, result: CheckResult) -> None:
    """Risk map: the council's likelihood × impact grids (risks, then opportunities) with refs beside them."""
    ws = wb.add_worksheet("Risk map")
    n = risk_scale(result)
    ws.set_column(0, 0, 8)
    ws.set_column(1, 1, 4)
    ws.set_column(2, 1 + n, max(5, 45 // n))
    ws.set_column(2 + n, 2 + n, 2)
    ws.write_string(0, 0, f"Risk map: likelihood × impact ({n} × {n})", f.title)
    ws.set_row(0, 26)
    s = result.settings
    closed = int(column(result, "status").isin(["Closed"]).sum())
    ws.write_string(1, 0, f"Score = likelihood × impact. Low: up to {s.low_max}; Medium: up to {s.medium_max}; High: above {s.medium_max}. "
                          "Each cell shows how many partnerships sit there; opportunities are shaded green (good news).", f.muted)
    ws.write_string(2, 0, f"Closed partnerships are not shown ({closed})." if closed else "All partnerships are shown (none is closed).", f.muted)
    top = _grid(ws, f, risk_grid(result, "risk"), 4, "Risks", "RiskCells", "risk")
    _grid(ws, f, risk_grid(result, "opp"), top + 2, "Opportunities", "OpportunityCells", "opp")
    set_print(ws, one_page=True, footer=footer_text(result.as_of))


def _grid(ws, f: Formats, grid: Grid, top: int, title: str, table: str, kind: str) -> int:
    """One heat map under a heading at row ``top``, the refs of each cell in a table beside it.

    Impact runs from the top of the scale down, likelihood 1 up across; each grid cell is two
    rows tall so the table beside it keeps ordinary rows. Returns the last row used.
    """
    n = grid.scale
    ws.merge_range(top, 0, top, 1 + n, "", f.heading)
    ws.write_string(top, 0, title, f.heading)
    if not grid.recorded:
        ws.write_string(top + 1, 0, f"{title} are not recorded in this register (no likelihood and impact columns).", f.muted)
        return top + 1
    first = top + 2  # the grid's first row; the table's header sits level with it
    axis = f.make(bold=True, align="center", valign="vcenter", font_color="#404040")
    upright = f.make(bold=True, rotation=90, align="center", valign="vcenter")
    ws.merge_range(first, 0, first + 2 * n - 1, 0, "", upright)
    ws.write_string(first, 0, "Impact", upright)
    for i, impact in enumerate(range(n, 0, -1)):
        r = first + 2 * i
        ws.merge_range(r, 1, r + 1, 1, "", axis)
        ws.write_number(r, 1, impact, axis)
        for likelihood in range(1, n + 1):
            cell = f.band(grid.bands[(likelihood, impact)], kind, align="center", valign="vcenter", bold=True, font_size=14 if n <= 6 else 11,
                          border=1, border_color="#FFFFFF", num_format="0;-0;;@")
            ws.merge_range(r, 1 + likelihood, r + 1, 1 + likelihood, "", cell)
            ws.write_number(r, 1 + likelihood, grid.counts[(likelihood, impact)], cell)
    for likelihood in range(1, n + 1):
        ws.write_number(first + 2 * n, 1 + likelihood, likelihood, axis)
    ws.merge_range(first + 2 * n + 1, 2, first + 2 * n + 1, 1 + n, "", f.make(bold=True, align="center"))
    ws.write_string(first + 2 * n + 1, 2, "Likelihood", f.make(bold=True, align="center"))
    assessed = sum(grid.counts.values())
    ws.write_string(first + 2 * n + 2, 0, f"{assessed} partnership{'s' if assessed != 1 else ''} assessed; not assessed: {len(grid.not_assessed)}.", f.muted)
    cells = sorted(grid.refs.items(), key=lambda kv: (-kv[0][0] * kv[0][1], -kv[0][1], -kv[0][0]))
    records = [
        {"score": li * im, "band": grid.bands[(li, im)], "likelihood": li, "impact": im, "count": len(refs), "refs": ", ".join(refs)}
        for (li, im), refs in cells
    ]
    for band, refs in grid.rated.items():
        records.append({"band": band, "count": len(refs), "refs": "Rated in one word, no likelihood × impact: " + ", ".join(refs)})
    if grid.not_assessed:
        records.append({"band": "Not assessed", "count": len(grid.not_assessed), "refs": ", ".join(grid.not_assessed)})
    cols = [
        Col("Score", "score", "number", 7), Col("Band", "band", width=11, colours=OPP_COLOURS if kind == "opp" else BAND_COLOURS),
        Col("Likelihood", "likelihood", "number", 10), Col("Impact", "impact", "number", 8),
        Col("Partnerships", "count", "number", 11), Col("Refs", "refs", "wrap", 60),
    ]  # fmt: skip
    last = write_table(ws, first, cols, records, f, name=table, empty="No partnership to show.", left=3 + n, style="Table Style Light 9")
    return max(first + 2 * n + 2, last)


def write_reviews(wb: xlsxwriter.Workbook, f: Formats, result: CheckResult) -> None:
    """Reviews: partnerships whose annual review is overdue, never done or due soon (PP501-PP503)."""
    ws = wb.add_worksheet("Reviews")
    ws.write_string(0, 0, "Reviews: overdue, never done, or due soon (policy §5)", f.title)
    ws.set_row(0, 26)
    s = result.settings
    ws.write_string(1, 0, f"Each partnership is reviewed every {s.review_interval_months} months. Due soon: within {s.due_soon_days} days of {result.as_of:%d/%m/%Y}.", f.muted)
    cols = [
        Col("Review", "review", width=15), Col("Ref", "ref", width=9), Col("Partnership", "name", "wrap", 34),
        Col("Lead officer", "lead_officer", "wrap", 18), Col("Service area", "service_area", "wrap", 18),
        Col("Status", "status", width=12), Col("Last reviewed", "last_review", "date", 12),
        Col("Next review due", "next_review", "date", 12), Col("Finding", "message", "wrap", 50),
    ]  # fmt: skip
    records = review_list(result).to_dict("records")
    colours = {"Overdue": SEVERITY_COLOURS["error"], "Never reviewed": SEVERITY_COLOURS["error"], "Due soon": SEVERITY_COLOURS["info"]}
    cols[0] = Col("Review", "review", width=15, colours=colours)
    write_table(ws, 3, cols, records, f, name="Reviews", empty="No review is overdue or due soon.")
    ws.freeze_panes(4, 0)
    set_print(ws, header_row=3, footer=footer_text(result.as_of))


def write_exits(wb: xlsxwriter.Workbook, f: Formats, result: CheckResult) -> None:
    """Exits: partnerships exiting, closed in the year, past their end date or ending soon (policy §9)."""
    ws = wb.add_worksheet("Exits")
    ws.write_string(0, 0, "Exits: partnerships leaving, closed, or past their end date (policy §9)", f.title)
    ws.set_row(0, 26)
    ws.write_string(1, 0, "An exit needs a proportionate exit strategy and a decision by CMT, the Executive or Council.", f.muted)
    frame = exit_list(result)
    frame["decision"] = [_decision(v) for v in frame["exit_decided_by"]]
    cols = [
        Col("Why listed", "why", "wrap", 20), Col("Ref", "ref", width=9), Col("Partnership", "name", "wrap", 30),
        Col("Status", "status", width=12), Col("End date", "end_date", "date", 11),
        Col("Exit reason", "exit_reason", "wrap", 20), Col("Exit strategy", "exit_strategy", "wrap", 40),
        Col("Exit decision", "decision", "wrap", 18), Col("Lead officer", "lead_officer", "wrap", 18),
        Col("Exit findings", "codes", "wrap", 14),
    ]  # fmt: skip
    write_table(ws, 3, cols, frame.to_dict("records"), f, name="Exits", empty="No partnership is exiting, closed in the year or past its end date.")
    ws.freeze_panes(4, 0)
    set_print(ws, header_row=3, footer=footer_text(result.as_of))


def _decision(value: object) -> str:
    if isinstance(value, str) and value == NOT_RECORDED:
        return NOT_RECORDED
    return "Not decided" if is_blank(value) else f"Decided by {value}"


def write_findings(wb: xlsxwriter.Workbook, f: Formats, result: CheckResult) -> None:
    """Findings: every open finding, errors first, under the officer's own column heading, with who must act."""
    ws = wb.add_worksheet("Findings")
    ws.write_string(0, 0, "Findings: what the check found, errors first", f.title)
    ws.set_row(0, 26)
    c = result.counts
    ws.write_string(1, 0, f"{c['error']} errors (breaches of the policy or unusable data), {c['warning']} warnings (to check), {c['info']} for information. "
                          "Filter by lead officer or service area with the arrows in the header row.", f.muted)
    frame = finding_list(result)
    cols = [
        Col("Severity", "severity", width=8, colours=dict(SEVERITY_COLOURS)),
        Col("Code", "code", width=7), Col("Policy", "policy", width=6), Col("Ref", "ref", width=7),
        Col("Partnership", "name", "wrap", 22), Col("Lead officer", "lead_officer", "wrap", 13), Col("Service area", "service_area", "wrap", 13),
        Col("Column", "column", "wrap", 15), Col("Cell", "cell", width=6),
        Col("Finding", "finding", "wrap", 26), Col("Detail", "message", "wrap", 44),
    ]  # fmt: skip
    write_table(ws, 3, cols, frame.to_dict("records"), f, name="Findings", empty="No findings: the register meets the policy.")
    ws.freeze_panes(4, 0)
    set_print(ws, header_row=3, footer=footer_text(result.as_of))
