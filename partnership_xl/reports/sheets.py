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
    benefit_flags,
    column,
    exit_list,
    finding_list,
    has_column,
    opportunities_recorded,
    review_list,
    risk_grid,
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
REGISTER_COLUMNS: list[tuple[Col, str | None]] = [
    (Col("Ref", "ref", width=9), None),
    (Col("Partnership", "name", "wrap", 34), None),
    (Col("Status", "status", width=12), "status"),
    (Col("Arrangement", "arrangement", "wrap", 18), "arrangement"),
    (Col("Service area", "service_area", "wrap", 18), "service_area"),
    (Col("Lead officer", "lead_officer", "wrap", 18), "lead_officer"),
    (Col("Council role", "council_role", "wrap", 14), "council_role"),
    (Col("Direct contribution (£ a year)", "direct_contribution", "money", 14), "direct_contribution"),
    (Col("In existing budget", "budgeted", width=10), "budgeted"),
    (Col("Approved by", "approved_by", "wrap", 14), "approved_by"),
    (Col("Benefits claimed", "benefit_count", "number", 10), "benefits"),
    (Col("Benefit categories", "benefit_list", "wrap", 24), "benefits"),
    (Col("Risk likelihood", "risk_likelihood", "number", 10), "risk_likelihood"),
    (Col("Risk impact", "risk_impact", "number", 9), "risk_impact"),
    (Col("Risk score", "risk_score", "number", 8), "risk_likelihood"),
    (Col("Risk band", "risk_band", width=10, colours=BAND_COLOURS), "risk_likelihood"),
    (Col("Opportunity likelihood", "opp_likelihood", "number", 12), "opp"),
    (Col("Opportunity impact", "opp_impact", "number", 11), "opp"),
    (Col("Opportunity score", "opp_score", "number", 11), "opp"),
    (Col("Opportunity band", "opp_band", width=12, colours=BAND_COLOURS), "opp"),
    (Col("Significant", "significant", width=11), None),
    (Col("Start date", "start_date", "date", 11), "start_date"),
    (Col("End date", "end_date", "date", 11), "end_date"),
    (Col("Last reviewed", "last_review", "date", 11), "last_review"),
    (Col("Next review due", "next_review", "date", 11), "next_review"),
    (Col("RAG", "rag", width=8, colours=RAG_COLOURS), None),
    (Col("Findings", "codes", "wrap", 22), None),
]


def _shown(result: CheckResult, need: str | None) -> bool:
    if need is None:
        return True
    if need == "opp":
        return opportunities_recorded(result)
    if need == "benefits":
        return benefit_flags(result) is not None
    return has_column(result, need)


def register_records(result: CheckResult) -> tuple[list[Col], list[dict], list[str]]:
    """The Register sheet's columns, one record per partnership, and the headers not recorded."""
    shown = [(col, need) for col, need in REGISTER_COLUMNS if _shown(result, need)]
    missing = [col.header for col, need in REGISTER_COLUMNS if not _shown(result, need)]
    flags = benefit_flags(result)
    scores = result.scores
    values = {col.key: scores[col.key] if col.key in scores.columns else column(result, col.key) for col, _ in shown if col.key != "benefit_list"}
    if flags is not None:
        values["benefit_list"] = pd.Series(
            ["; ".join(BENEFIT_SHORT[label] for label, claimed in line.items() if claimed) for _, line in flags.iterrows()], index=flags.index
        )
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
    ws.set_row(top, 30)
    ws.freeze_panes(top + 1, 2)
    set_print(ws, header_row=top, footer=footer_text(result.as_of), pages_wide=2)
    ws.repeat_columns(0, 1)
    ws.print_across()


def write_risk_map(wb: xlsxwriter.Workbook, f: Formats, result: CheckResult) -> None:
    """Risk map: the 5×5 likelihood × impact grids (risks, then opportunities) with refs beside them."""
    ws = wb.add_worksheet("Risk map")
    ws.set_column(0, 0, 10)
    ws.set_column(1, 1, 4)
    ws.set_column(2, 6, 9)
    ws.set_column(7, 7, 3)
    ws.write_string(0, 0, "Risk map: likelihood × impact", f.title)
    ws.set_row(0, 26)
    s = result.settings
    closed = int(column(result, "status").isin(["Closed"]).sum())
    ws.write_string(1, 0, f"Score = likelihood × impact. Low: up to {s.low_max}; Medium: up to {s.medium_max}; High: above {s.medium_max}. Each cell shows how many partnerships sit there.", f.muted)
    ws.write_string(2, 0, f"Closed partnerships are not shown ({closed})." if closed else "All partnerships are shown (none is closed).", f.muted)
    top = _grid(ws, f, result, risk_grid(result, "risk"), 4, "Risks", "RiskCells")
    _grid(ws, f, result, risk_grid(result, "opp"), top + 2, "Opportunities", "OpportunityCells")
    set_print(ws, one_page=True, footer=footer_text(result.as_of))


def _band(score: int, result: CheckResult) -> str:
    s = result.settings
    return "Low" if score <= s.low_max else "Medium" if score <= s.medium_max else "High"


def _grid(ws, f: Formats, result: CheckResult, grid: Grid, top: int, title: str, table: str) -> int:
    """One heat map under a heading at row ``top``, the refs of each cell in a table beside it.

    Impact runs 5 (top) to 1 down, likelihood 1 to 5 across; each grid cell is two rows tall so
    the table beside it keeps ordinary rows. Returns the last row used.
    """
    ws.merge_range(top, 0, top, 6, "", f.heading)
    ws.write_string(top, 0, title, f.heading)
    if not grid.recorded:
        ws.write_string(top + 1, 0, f"{title} are not recorded in this register (no likelihood and impact columns).", f.muted)
        return top + 1
    first = top + 2  # the grid's first row; the table's header sits level with it
    axis = f.make(bold=True, align="center", valign="vcenter", font_color="#404040")
    upright = f.make(bold=True, rotation=90, align="center", valign="vcenter")
    ws.merge_range(first, 0, first + 9, 0, "", upright)
    ws.write_string(first, 0, "Impact", upright)
    for i, impact in enumerate(range(5, 0, -1)):
        r = first + 2 * i
        ws.merge_range(r, 1, r + 1, 1, "", axis)
        ws.write_number(r, 1, impact, axis)
        for likelihood in range(1, 6):
            score = likelihood * impact
            cell = f.band(_band(score, result), align="center", valign="vcenter", bold=True, font_size=14,
                          border=1, border_color="#FFFFFF", num_format="0;-0;;@")
            ws.merge_range(r, 1 + likelihood, r + 1, 1 + likelihood, "", cell)
            ws.write_number(r, 1 + likelihood, grid.counts[(likelihood, impact)], cell)
    for likelihood in range(1, 6):
        ws.write_number(first + 10, 1 + likelihood, likelihood, axis)
    ws.merge_range(first + 11, 2, first + 11, 6, "", f.make(bold=True, align="center"))
    ws.write_string(first + 11, 2, "Likelihood", f.make(bold=True, align="center"))
    assessed = sum(grid.counts.values())
    ws.write_string(first + 12, 0, f"{assessed} partnership{'s' if assessed != 1 else ''} assessed; not assessed: {len(grid.not_assessed)}.", f.muted)
    cells = sorted(grid.refs.items(), key=lambda kv: (-kv[0][0] * kv[0][1], -kv[0][1], -kv[0][0]))
    records = [
        {"score": li * im, "band": _band(li * im, result), "likelihood": li, "impact": im, "count": len(refs), "refs": ", ".join(refs)}
        for (li, im), refs in cells
    ]
    if grid.not_assessed:
        records.append({"band": "Not assessed", "count": len(grid.not_assessed), "refs": ", ".join(grid.not_assessed)})
    cols = [
        Col("Score", "score", "number", 7), Col("Band", "band", width=11, colours=BAND_COLOURS),
        Col("Likelihood", "likelihood", "number", 10), Col("Impact", "impact", "number", 8),
        Col("Partnerships", "count", "number", 11), Col("Refs", "refs", "wrap", 72),
    ]  # fmt: skip
    last = write_table(ws, first, cols, records, f, name=table, empty="No partnership to show.", left=8, style="Table Style Light 9")
    return max(first + 12, last)


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
    ws.set_row(3, 30)
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
    ws.set_row(3, 30)
    ws.freeze_panes(4, 0)
    set_print(ws, header_row=3, footer=footer_text(result.as_of))


def _decision(value: object) -> str:
    if isinstance(value, str) and value == NOT_RECORDED:
        return NOT_RECORDED
    return "Not decided" if is_blank(value) else f"Decided by {value}"


def write_findings(wb: xlsxwriter.Workbook, f: Formats, result: CheckResult) -> None:
    """Findings: every open finding, errors first, with the policy clause and the cell it is on."""
    ws = wb.add_worksheet("Findings")
    ws.write_string(0, 0, "Findings: what the check found, errors first", f.title)
    ws.set_row(0, 26)
    c = result.counts
    ws.write_string(1, 0, f"{c['error']} errors (breaches of the policy or unusable data), {c['warning']} warnings (to check), {c['info']} for information.", f.muted)
    frame = finding_list(result)
    cols = [
        Col("Severity", "severity", width=10, colours={k: v for k, v in SEVERITY_COLOURS.items()}),
        Col("Code", "code", width=8), Col("Policy", "policy", width=7), Col("Ref", "ref", width=9),
        Col("Partnership", "name", "wrap", 30), Col("Cell", "cell", width=7), Col("Field", "field", width=16),
        Col("Finding", "finding", "wrap", 34), Col("Detail", "message", "wrap", 50),
    ]  # fmt: skip
    write_table(ws, 3, cols, frame.to_dict("records"), f, name="Findings", empty="No findings: the register meets the policy.")
    ws.set_row(3, 20)
    ws.freeze_panes(4, 0)
    set_print(ws, header_row=3, footer=footer_text(result.as_of))
