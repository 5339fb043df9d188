"""The scrutiny workbook's sheets about change over time.

``Changes`` compares this year's register with last year's (:mod:`.changes`); ``Trend`` charts
findings by month from the run history that ``validate`` keeps (issue 5).
"""

from __future__ import annotations

from dataclasses import replace

import pandas as pd
import xlsxwriter

from ..model import CheckResult
from . import changes as ch
from .cells import ACCENT, Col, Formats, footer_text, put, set_print, write_table
from .figures import column

MOVEMENT_COLOURS = {"up": "#F4CCCC", "down": "#D9EAD3", "new": "#CFE2F3"}
_WIDTHS = (12, 34, 16, 16, 16, 20, 44, 14)


def write_changes(wb: xlsxwriter.Workbook, f: Formats, result: CheckResult, previous: CheckResult, changes: pd.DataFrame | None = None) -> pd.DataFrame:
    """Changes: partnerships added, removed, changed status, or whose risk score moved, since last year.

    ``changes`` is :func:`.changes.compare` of the two, when the caller has it already.
    """
    ws = wb.add_worksheet("Changes")
    for c, width in enumerate(_WIDTHS):
        ws.set_column(c, c, width)
    frame = ch.compare(result, previous) if changes is None else changes
    ws.write_string(0, 0, "Changes since last year's register", f.title)
    ws.set_row(0, 26)
    ws.merge_range(1, 0, 1, 6, "", f.muted)
    put(ws, 1, 0, f"This year: {result.register.path.name} (position at {result.as_of:%d/%m/%Y}). Last year: {previous.register.path.name}.", f.muted)
    ws.write_string(2, 0, "Partnerships are matched by Ref, or by name where the Ref changed.", f.muted)

    added = frame[frame["change"] == ch.ADDED]
    removed = frame[frame["change"] == ch.REMOVED]
    status = frame[frame["status_changed"]]
    moved = frame[frame["risk_movement"].isin([ch.UP, ch.DOWN])]
    relabelled = frame[frame["matched_by"].isin([ch.BY_NAME, ch.BY_REF])]
    risk, counted = ch.counts(frame, "risk"), ch.change_counts(frame)
    summary = {
        "Partnerships added": counted["added"],
        "Partnerships removed": counted["removed"],
        "Status changed": counted["status_changed"],
        "Risk score rose": counted["risk_up"],
        "Risk score fell": counted["risk_down"],
        "Risk score unchanged": risk[ch.SAME],
        "Ref or name changed": len(relabelled),
    }
    row = 4
    ws.write_string(row, 0, "Summary", f.heading)
    ws.write_string(row, 1, "", f.heading)
    ws.write_string(row, 2, "Number", f.heading_right)
    for label, value in summary.items():
        row += 1
        ws.merge_range(row, 0, row, 1, "", f.label)
        ws.write_string(row, 0, label, f.label)
        ws.write_number(row, 2, value, f.figure)
    row += 2

    money = column(result, "direct_contribution")
    sections = [
        ("Added since last year", "Added", [
            Col("Ref", "ref"), Col("Partnership", "name", "wrap"), Col("Status", "status"),
            Col("Risk score", "risk_score", "number"), Col("Risk band", "risk_band"),
            Col("Direct contribution (£ a year)", "money", "money"), Col("Approval (policy §6)", "approval", "wrap"),
        ], [dict(r, money=money.get(r["row"])) for r in added.to_dict("records")], "No partnership was added."),
        ("Removed since last year", "Removed", [
            Col("Ref last year", "prev_ref"), Col("Partnership", "prev_name", "wrap"), Col("Status last year", "prev_status"),
            Col("Exit reason", "prev_exit_reason", "wrap"), Col("Exit decided by", "prev_exit_decided_by", "wrap"),
            Col("Exit recorded (policy §9)", "exit_recorded", "wrap"),
        ], removed.to_dict("records"), "No partnership was removed."),
        ("Status changes", "StatusChanges", [
            Col("Ref", "ref"), Col("Partnership", "name", "wrap"), Col("Last year", "prev_status"), Col("This year", "status"),
        ], status.to_dict("records"), "No partnership changed status."),
        ("Risk score movements", "RiskMovements", [
            Col("Ref", "ref"), Col("Partnership", "name", "wrap"), Col("Score last year", "prev_risk_score", "number"),
            Col("Band last year", "prev_risk_band"), Col("Score now", "risk_score", "number"), Col("Band now", "risk_band"),
            Col("Movement", "risk_movement", colours=MOVEMENT_COLOURS),
        ], moved.to_dict("records"), "No risk score moved."),
        ("Ref or name changed", "Relabelled", [
            Col("Ref last year", "prev_ref"), Col("Ref now", "ref"), Col("Partnership", "name", "wrap"),
            Col("Name last year", "prev_name", "wrap"), Col("Matched by", "matched_by", "wrap"),
        ], relabelled.to_dict("records"), "Every matched partnership kept its ref and name."),
    ]  # fmt: skip
    for heading, name, cols, records, empty in sections:
        cols = [replace(col, width=_WIDTHS[i]) for i, col in enumerate(cols)]  # the sheet's widths, for row heights
        ws.merge_range(row, 0, row, len(cols) - 1, "", f.heading)
        ws.write_string(row, 0, f"{heading} ({len(records)})", f.heading)
        last = write_table(ws, row + 1, cols, records, f, name=name, empty=empty, widths=False)
        row = last + 3
    set_print(ws, footer=footer_text(result.as_of))
    return frame


def monthly_trend(history: pd.DataFrame, register: str | None = None) -> pd.DataFrame:
    """Findings by month from the run history: the last run of each month (by its as-of date).

    Runs of ``register`` (a file name) are used when the history has any; otherwise every run.
    Returns columns month (first day), run_at, partnerships, error, warning, info, red, amber, green.
    """
    runs = history.copy()
    if register is not None and "register" in runs:
        mine = runs["register"].eq(register).fillna(False).astype(bool)
        if mine.any():
            runs = runs[mine]
    runs["run_at"] = pd.to_datetime(runs["run_at"], errors="coerce", utc=True).dt.tz_localize(None)
    when = pd.to_datetime(runs["as_of"], errors="coerce") if "as_of" in runs else runs["run_at"]
    runs["month"] = when.fillna(runs["run_at"]).dt.to_period("M").dt.to_timestamp()
    runs = runs.dropna(subset=["month"]).sort_values(["month", "run_at"], kind="stable")
    last = runs.groupby("month", as_index=False).tail(1)
    columns = ["month", "run_at", "partnerships", "error", "warning", "info", "red", "amber", "green"]
    for name in columns:
        if name not in last:
            last[name] = pd.NA
    return last[columns].reset_index(drop=True)


def write_trend(wb: xlsxwriter.Workbook, f: Formats, result: CheckResult, history: pd.DataFrame) -> pd.DataFrame:
    """Trend: findings by month from the run history, as a table and a stacked column chart."""
    ws = wb.add_worksheet("Trend")
    trend = monthly_trend(history, result.register.path.name)
    ws.write_string(0, 0, "Trend: findings by month", f.title)
    ws.set_row(0, 26)
    ws.write_string(1, 0, "From the history of monthly checks: the last check of each month.", f.muted)
    cols = [
        Col("Month", "month", "month", 12), Col("Checked on", "run_at", "date", 12), Col("Partnerships", "partnerships", "number", 12),
        Col("Errors", "error", "number", 9), Col("Warnings", "warning", "number", 10), Col("Info", "info", "number", 8),
        Col("Red", "red", "number", 7), Col("Amber", "amber", "number", 8), Col("Green", "green", "number", 8),
    ]  # fmt: skip
    top = 3
    last = write_table(ws, top, cols, trend.to_dict("records"), f, name="Trend", empty="The run history has no checks yet.")
    if len(trend):
        chart = wb.add_chart({"type": "column", "subtype": "stacked"})
        for c, key in ((3, "error"), (4, "warning"), (5, "info")):
            chart.add_series({
                "name": ["Trend", top, c],
                "categories": ["Trend", top + 1, 0, last, 0],
                "values": ["Trend", top + 1, c, last, c],
                "fill": {"color": {"error": "#E06666", "warning": "#FFD966", "info": "#9FC5E8"}[key]},
                "gap": 60,
            })  # fmt: skip
        chart.set_title({"name": "Findings by month", "name_font": {"name": "Arial", "size": 11, "bold": True, "color": ACCENT}})
        chart.set_x_axis({"num_format": "mmm yyyy", "date_axis": False})
        chart.set_y_axis({"min": 0, "major_gridlines": {"visible": True, "line": {"color": "#E7E6E6"}}})
        chart.set_legend({"position": "bottom"})
        chart.set_size({"width": 720, "height": 340})
        ws.insert_chart(top, len(cols) + 1, chart)
    ws.freeze_panes(top + 1, 0)
    set_print(ws, one_page=True, footer=footer_text(result.as_of))
    return trend
