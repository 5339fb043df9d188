"""The annual scrutiny workbook (policy §8: Scrutiny receives an annual report on the register).

Sheets: Overview (headline figures and four native charts, one landscape page), Register, Risk
map, Reviews, Exits, Findings, then Changes with a previous register and Trend with a run history.
Every figure comes from :func:`.figures.headline_figures`; every register value is written by
:func:`.cells.put`.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import xlsxwriter

from ..model import CheckResult
from .cells import (
    ACCENT,
    ACCENT_LIGHT,
    BAND_COLOURS,
    LINE_PT,
    NOT_RECORDED,
    RAG_COLOURS,
    Formats,
    footer_text,
    lines_needed,
    new_workbook,
    put,
    save,
    set_print,
)
from .changes import change_counts, compare
from .figures import BANDS, NOT_ASSESSED, RAGS, STATUSES, decision_breaches, headline_figures, headline_sentence, risk_scale
from .over_time import write_changes, write_trend
from .sheets import write_exits, write_findings, write_register, write_reviews, write_risk_map

TITLE = "Partnership Register: annual report to Scrutiny"
_LEFT_WIDTHS = (42, 12, 8, 2)  # label, figure, share, gap
_CHART_COLUMNS = 12  # columns E:P hold the four charts, 2 × 2
_CHART_COLUMN_WIDTH = 9.5
_ROW_PX = 20


def write_scrutiny(result: CheckResult, out: Path, previous: CheckResult | None = None, history: pd.DataFrame | None = None) -> None:
    """Write the annual scrutiny workbook for ``result`` to ``out`` (temporary file, then moved into place).

    ``previous`` (last year's register, checked) adds the Changes sheet; ``history`` (the run
    history of :func:`partnership_xl.history.read_history`) adds the Trend sheet when it has rows.
    """

    def build(path: Path) -> None:
        wb = new_workbook(path, title=TITLE, council=result.settings.council_name)
        f = Formats(wb)
        changes = compare(result, previous) if previous is not None else None
        write_overview(wb, f, result, previous, changes)
        write_register(wb, f, result)
        write_risk_map(wb, f, result)
        write_reviews(wb, f, result)
        write_exits(wb, f, result)
        write_findings(wb, f, result)
        if previous is not None:
            write_changes(wb, f, result, previous, changes)
        if history is not None and len(history):
            write_trend(wb, f, result, history)
        wb.close()

    save(out, build)


class _Column:
    """Writes the Overview's left column line by line and remembers where each block is."""

    def __init__(self, ws, f: Formats, top: int) -> None:
        self.ws, self.f, self.row = ws, f, top
        self.blocks: dict[str, tuple[int, int]] = {}

    def heading(self, text: str, right: str = "", share: str = "") -> None:
        self.ws.write_string(self.row, 0, text, self.f.heading)
        self.ws.write_string(self.row, 1, right, self.f.heading_right)
        self.ws.write_string(self.row, 2, share, self.f.heading_right)
        self.row += 1

    def line(self, label: str, value: object, *, money: bool = False, share: float | None = None, indent: bool = False) -> None:
        f = self.f
        self.ws.write_string(self.row, 0, label, f.label_indent if indent else f.label)
        if value is None:
            self.ws.write_string(self.row, 1, NOT_RECORDED, f.make(italic=True, font_color="#595959", align="right"))
        else:
            put(self.ws, self.row, 1, value, f.figure_money if money else f.figure)
        if share is not None:
            self.ws.write_number(self.row, 2, share, f.figure_percent)
        self.row += 1

    def block(self, name: str, lines: dict[str, object], **kw) -> None:
        start = self.row
        for label, value in lines.items():
            self.line(label, value, **kw)
        self.blocks[name] = (start, self.row - 1)

    def gap(self) -> None:
        self.row += 1


def write_overview(
    wb: xlsxwriter.Workbook, f: Formats, result: CheckResult, previous: CheckResult | None = None, changes: pd.DataFrame | None = None
) -> dict:
    """Overview: headline figures down the left, four charts on the right, on one landscape page.

    Returns the figures it shows (those of :func:`headline_figures`).
    """
    figures = headline_figures(result)
    ws = wb.add_worksheet("Overview")
    ws.hide_gridlines(2)
    for c, width in enumerate(_LEFT_WIDTHS):
        ws.set_column(c, c, width)
    ws.set_column(4, 3 + _CHART_COLUMNS, _CHART_COLUMN_WIDTH)
    last_col = 3 + _CHART_COLUMNS

    ws.set_row(0, 30)
    ws.merge_range(0, 0, 0, last_col, "", f.title)
    ws.write_string(0, 0, TITLE, f.title)
    register = result.register
    ws.merge_range(1, 0, 1, last_col, "", f.subtitle)
    put(ws, 1, 0, f"{result.settings.council_name} · position at {result.as_of:%d %B %Y}", f.subtitle)
    source = f"Register: {register.path.name}, sheet {register.sheet}"
    if previous is not None:
        source += f" · compared with last year's register {previous.register.path.name}"
    ws.merge_range(2, 0, 2, last_col, "", f.muted)
    put(ws, 2, 0, source, f.muted)
    headline = f.make(bold=True, font_size=11, text_wrap=True, valign="vcenter", bg_color=ACCENT_LIGHT, border=0)
    ws.set_row(3, 36)
    ws.merge_range(3, 0, 3, last_col, "", headline)
    if previous is not None and changes is None:
        changes = compare(result, previous)
    since = change_counts(changes) if changes is not None else None
    ws.write_string(3, 0, headline_sentence(figures, since), headline)

    top = _breaches(ws, f, result, 5, last_col)
    left = _Column(ws, f, top + 2)
    left.heading("The register", "Number")
    by_status = figures["by_status"]
    left.line("Partnerships on the register", figures["partnerships"])
    left.block("status", {s: by_status[s] for s in (*STATUSES, NOT_RECORDED) if s in by_status}, indent=True)
    left.line("Total direct contribution (£ a year)", figures["direct_contribution"], money=True)
    left.line("Significant partnerships (policy §7)", figures["significant"])
    left.gap()

    n = figures["partnerships"] or 1
    left.heading("Benefits claimed (policy §3)", "Number", "Share")
    if figures["benefits"] is None:
        left.line("Benefit categories", None)
    else:
        start = left.row
        for label, count in figures["benefits"].items():
            left.line(label, count, share=count / n, indent=True)
        left.blocks["benefits"] = (start, left.row - 1)
        left.line("No benefit recorded", figures["no_benefit"], share=figures["no_benefit_share"])
    left.gap()

    left.heading("Reviews (policy §5)", "Number")
    left.line("Annual review overdue", figures["reviews_overdue"])
    left.line("Never reviewed", figures["never_reviewed"])
    left.line(f"Review due in the next {result.settings.due_soon_days} days", figures["reviews_due_soon"])
    left.gap()

    left.heading("Exits (policy §9)", "Number")
    left.line("Exiting", figures["exiting"])
    left.line("Closed in the last 12 months", figures["closed_in_year"])
    left.line("Past end date but still running", figures["past_end_date"])
    left.gap()

    left.heading("RAG (all partnerships)", "Number")
    left.block("rag", {"Red: at least one error finding": figures["rag"]["Red"], "Amber: warnings only": figures["rag"]["Amber"], "Green: no error or warning": figures["rag"]["Green"]})
    left.gap()

    left.heading(f"Risk bands ({figures['live']} partnerships not closed)", "Number")
    left.block("risk", {b: figures["risk_bands"][b] for b in (*BANDS, NOT_ASSESSED)})
    left.gap()

    left.heading("Direct contribution by service area", "£ a year")
    areas = figures["contribution_by_service_area"]
    if areas is None:
        left.line("Direct contribution", None)
    else:
        left.block("areas", areas, money=True)
    left.gap()
    c, st = figures["findings"], result.settings
    ws.write_string(left.row, 0, f"Findings: {c['error']} errors, {c['warning']} warnings, {c['info']} for information; see the Findings sheet.", f.muted)
    ws.write_string(left.row + 1, 0, f"Risk score = likelihood × impact (1 to {risk_scale(result)} each): Low up to {st.low_max}, Medium up to {st.medium_max}, High above.", f.muted)
    bottom = left.row + 1

    _charts(wb, ws, f, figures, left.blocks, top + 2, bottom - 2)
    ws.print_area(0, 0, bottom, last_col)
    set_print(ws, one_page=True, footer=footer_text(result.as_of))
    ws.activate()
    return figures


def _breaches(ws, f: Formats, result: CheckResult, top: int, last_col: int) -> int:
    """The policy breaches that need a decision, one line a breach, across the page; returns the last row.

    Label (clause, finding, code) | partnerships | their refs and the decision needed. Every line
    is one of the check's findings (:func:`.figures.decision_breaches`), never judged here.
    """
    breaches = decision_breaches(result)
    ws.merge_range(top, 2, top, last_col, "", f.heading)
    ws.write_string(top, 0, "Policy breaches needing a decision", f.heading)
    ws.write_string(top, 1, "Number", f.heading_right)
    ws.write_string(top, 2, "Which, and the decision needed", f.heading)
    row = top
    wrap = f.make(text_wrap=True, valign="top")
    red = f.make(num_format="#,##0", bold=True, align="right", font_color="#C00000")
    for b in breaches:
        row += 1
        ws.write_string(row, 0, f"{b['policy']} {b['finding']} ({b['code']})", f.make(text_wrap=True))
        ws.write_number(row, 1, b["count"], red if b["count"] else f.figure)
        refs = _refs_text(b["refs"])
        text = f"{refs}: {b['decision']}." if b["count"] else "None."
        ws.merge_range(row, 2, row, last_col, "", wrap)
        put(ws, row, 2, text, f.muted_wrap if not b["count"] else wrap)
        lines = max(lines_needed(f"{b['policy']} {b['finding']} ({b['code']})", _LEFT_WIDTHS[0]), lines_needed(text, 140))
        ws.set_row(row, LINE_PT * lines + 2.25 if lines > 1 else None)
    return row


def _refs_text(refs: list[str], most: int = 12) -> str:
    """Refs as a list, at most ``most`` of them, then how many more (the Findings sheet has all)."""
    if len(refs) <= most:
        return ", ".join(refs)
    return ", ".join(refs[:most]) + f" and {len(refs) - most} more (see Findings)"


def _charts(wb, ws, f: Formats, figures: dict, blocks: dict, top: int, bottom: int) -> None:
    """Four native charts over the Overview's own figures, 2 × 2 beside the left column."""
    total_px = (bottom - top + 1) * _ROW_PX
    width = int(_CHART_COLUMNS * (_CHART_COLUMN_WIDTH * 7 + 5) / 2) - 12
    height = max(240, total_px // 2 - 12)
    charts = [
        _bar(wb, "Partnerships claiming each benefit", blocks.get("benefits"), figures["benefits"], ACCENT, "0", "Benefits are not recorded in this register."),
        _column(wb, "RAG: partnerships by rating", blocks["rag"], [RAG_COLOURS[r] for r in RAGS]),
        _bar(
            wb, "Direct contribution by service area (£ a year)", blocks.get("areas"), figures["contribution_by_service_area"],
            "#2E75B6", "£#,##0", "Direct contribution is not recorded in this register.",
        ),  # fmt: skip
        _column(wb, "Partnerships by risk band (not closed)", blocks["risk"], [BAND_COLOURS[b] for b in (*BANDS, NOT_ASSESSED)]),
    ]
    for i, chart in enumerate(charts):
        x, y = (i % 2) * (width + 16) + 8, (i // 2) * (height + 16)
        if isinstance(chart, str):  # nothing to chart: say so where the chart would be
            ws.write_string(top + 1 + y // _ROW_PX, 4 + (i % 2) * (_CHART_COLUMNS // 2), chart, f.muted)
            continue
        chart.set_size({"width": width, "height": height})
        chart.set_chartarea({"border": {"color": "#BFBFBF"}})
        ws.insert_chart(top, 4, chart, {"x_offset": x, "y_offset": y, "object_position": 3})


def _title(text: str) -> dict:
    return {"name": text, "name_font": {"name": "Arial", "size": 11, "bold": True, "color": ACCENT}}


def _bar(wb, title: str, block: tuple[int, int] | None, values: dict | None, colour: str, num_format: str, missing: str):
    """A horizontal bar chart of one block of the left column (labels in A, values in B).

    The bars carry their values as labels, so the value axis is hidden and sized to leave room.
    """
    if block is None:
        return missing
    first, last = block
    chart = wb.add_chart({"type": "bar"})
    chart.add_series({
        "name": title,
        "categories": ["Overview", first, 0, last, 0],
        "values": ["Overview", first, 1, last, 1],
        "fill": {"color": colour},
        "border": {"none": True},
        "gap": 50,
        "data_labels": {"value": True, "num_format": num_format, "font": {"name": "Arial", "size": 9}},
    })  # fmt: skip
    chart.set_title(_title(title))
    chart.set_legend({"none": True})
    top = max([v for v in (values or {}).values()] + [1]) * 1.25
    chart.set_x_axis({"min": 0, "max": top, "label_position": "none", "major_tick_mark": "none", "line": {"none": True}, "major_gridlines": {"visible": False}})
    chart.set_y_axis({"reverse": True, "crossing": "max", "num_font": {"name": "Arial", "size": 9}})
    return chart


def _column(wb, title: str, block: tuple[int, int], colours: list[str]):
    """A column chart of one block, each column in its own colour (RAG or band)."""
    first, last = block
    chart = wb.add_chart({"type": "column"})
    categories = ["Overview", first, 0, last, 0]
    chart.add_series({
        "name": title,
        "categories": categories,
        "values": ["Overview", first, 1, last, 1],
        "points": [{"fill": {"color": c}, "border": {"color": "#7F7F7F"}} for c in colours],
        "gap": 60,
        "data_labels": {"value": True, "font": {"name": "Arial", "size": 10, "bold": True}},
    })  # fmt: skip
    chart.set_title(_title(title))
    chart.set_legend({"none": True})
    chart.set_y_axis({"min": 0, "num_format": "0", "num_font": {"name": "Arial", "size": 8}, "major_gridlines": {"visible": True, "line": {"color": "#E7E6E6"}}})
    chart.set_x_axis({"num_font": {"name": "Arial", "size": 9}})
    return chart
