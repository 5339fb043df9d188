"""The annual report to Scrutiny as a Word document, in the shape of a committee report (SPEC §7).

``partnership-xl report REGISTER --out FILE.docx [--previous REGISTER]`` writes it with python-docx:
title block, Purpose, Recommendations, Background, the state of the register, policy breaches by
clause, reviews overdue, risks (the likelihood × impact map as a shaded table), exits, changes
since last year, and an appendix of the significant partnerships. Headings use Word's own
Heading styles and tables are native Word tables, so a council can restyle them; no macro, no
field holds register text.

Every figure comes from :mod:`.figures` (the same functions the scrutiny workbook's Overview
uses); register text is written as plain runs (never a field, link or formula), with characters
XML cannot hold removed.
"""

from __future__ import annotations

import re
from pathlib import Path

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

from ..model import CheckResult
from .cells import BAND_COLOURS, NOT_RECORDED, is_blank, save, text_of
from .changes import change_counts, compare
from .figures import (
    NOT_ASSESSED,
    STATUSES,
    breaches_by_clause,
    decision_breaches,
    exit_list,
    headline_figures,
    headline_sentence,
    review_list,
    risk_grid,
    significant_list,
)

TITLE = "Partnership Register: annual report"
COMMITTEE = "Scrutiny Panel"
REPORT_OF = "Community Partnerships Service Manager"
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def plain(value: object) -> str:
    """A register value as text for a Word run: blanks are "", characters XML cannot hold removed."""
    return _NOT_XML.sub("", text_of(value))


def money(value: float | None) -> str:
    """£ and thousands, or "Not recorded"."""
    return NOT_RECORDED if value is None else f"£{value:,.0f}"


def state_of_register(result: CheckResult, figures: dict) -> list[tuple[str, str]]:
    """The report's figures table: (label, figure as shown), with the Overview's labels and numbers."""
    n = figures["partnerships"] or 1
    lines = [("Partnerships on the register", str(figures["partnerships"]))]
    lines += [(s, str(figures["by_status"][s])) for s in (*STATUSES, NOT_RECORDED) if s in figures["by_status"]]
    lines.append(("Total direct contribution (£ a year)", money(figures["direct_contribution"])))
    lines.append(("Significant partnerships (policy §7)", str(figures["significant"])))
    if figures["benefits"] is None:
        lines.append(("Benefit categories", NOT_RECORDED))
    else:
        lines += [(label, f"{count} ({count / n:.0%})") for label, count in figures["benefits"].items()]
        lines.append(("No benefit recorded", f"{figures['no_benefit']} ({figures['no_benefit_share']:.0%})"))
    lines += [
        ("Annual review overdue", str(figures["reviews_overdue"])),
        ("Never reviewed", str(figures["never_reviewed"])),
        (f"Review due in the next {result.settings.due_soon_days} days", str(figures["reviews_due_soon"])),
        ("Exiting", str(figures["exiting"])),
        ("Closed in the last 12 months", str(figures["closed_in_year"])),
        ("Past end date but still running", str(figures["past_end_date"])),
        ("Red: at least one error finding", str(figures["rag"]["Red"])),
        ("Amber: warnings only", str(figures["rag"]["Amber"])),
        ("Green: no error or warning", str(figures["rag"]["Green"])),
    ]
    return lines


def write_report(result: CheckResult, out: Path, previous: CheckResult | None = None) -> None:
    """Write the committee report for ``result`` to ``out`` (a .docx; temporary file, then moved into place)."""
    save(out, lambda path: build_report(result, previous).save(str(path)))


def build_report(result: CheckResult, previous: CheckResult | None = None):
    """The committee report as a python-docx Document (see the module docstring for its sections)."""
    doc = Document()
    _page(doc, result)
    figures = headline_figures(result)
    changes = compare(result, previous) if previous is not None else None
    since = change_counts(changes) if changes is not None else None
    s = result.settings
    doc.core_properties.title = TITLE
    doc.core_properties.author = "partnership-xl"
    doc.core_properties.comments = f"Made by partnership-xl from {result.register.path.name}"

    doc.add_paragraph(plain(s.council_name), style="Title")
    _table(doc, ["", ""], [
        ("Committee", COMMITTEE),
        ("Date", f"{result.as_of:%d %B %Y}"),
        ("Report of", REPORT_OF),
        ("Subject", TITLE),
        ("Register", f"{plain(result.register.path.name)}, sheet {plain(result.register.sheet)}, position at {result.as_of:%d/%m/%Y}"),
    ], header=False, widths=(35, 135), bold_first=True)  # fmt: skip

    doc.add_heading("1. Purpose of the report", level=1)
    doc.add_paragraph("To give the Scrutiny Panel its annual report on the Partnership Register (Partnership Policy §8): the state of the "
                      "register, the policy breaches that need a decision, reviews overdue, the partnerships' risks, and exits.")
    doc.add_paragraph(headline_sentence(figures, since))

    doc.add_heading("2. Recommendations", level=1)
    doc.add_paragraph("That the Scrutiny Panel:")
    sig, exiting = figures["significant"], figures["exiting"] + figures["closed_in_year"]
    for text in (
        "notes this report on the Partnership Register;",
        f"endorses the council's continued involvement in the {sig} significant partnership{'s' if sig != 1 else ''} listed in Appendix A;",
        f"notes the exits and proposed exits in section 8 ({exiting} partnership{'s' if exiting != 1 else ''}).",
    ):
        doc.add_paragraph(text, style="List Number")

    doc.add_heading("3. Background", level=1)
    doc.add_paragraph("The Partnership Policy (§5) sets out every partnership the council is involved in on the Partnership Register, with "
                      "the benefit to the council, its direct and indirect contribution, and the risks and opportunities. The register is "
                      "reviewed annually against the council's Risk and Opportunity Strategy.")
    doc.add_paragraph("Under §8, officers representing the council keep their partnerships' entries up to date, the Community Partnerships "
                      "Service Manager is accountable for the register, and Scrutiny receives an annual report on it.")
    total = money(figures["direct_contribution"])
    doc.add_paragraph(f"The register holds {figures['partnerships']} partnerships, with direct contributions of {total} a year. "
                      f"It was checked against the policy on {result.as_of:%d %B %Y} by partnership-xl.")

    doc.add_heading("4. The state of the register", level=1)
    _table(doc, ["Figure", "Number"], state_of_register(result, figures), widths=(120, 50), right=(1,))
    bands = figures["risk_bands"]
    doc.add_paragraph(f"Of the {figures['live']} partnerships not closed, {bands['High']} are High risk, {bands['Medium']} Medium, "
                      f"{bands['Low']} Low and {bands[NOT_ASSESSED]} not assessed.")

    doc.add_heading("5. Policy breaches", level=1)
    doc.add_heading("Breaches needing a decision", level=2)
    rows = [(f"{b['policy']} {b['finding']} ({b['code']})", str(b["count"]), (", ".join(b["refs"]) + f": {b['decision']}.") if b["count"] else "None.")
            for b in decision_breaches(result)]
    _table(doc, ["Breach", "Number", "Partnerships and the decision needed"], rows, widths=(60, 22, 88), right=(1,))
    doc.add_heading("All policy findings by clause", level=2)
    rows = [(f"{b['policy']} {b['clause']}", b["code"], b["finding"], b["severity"], str(b["count"]), ", ".join(b["refs"])) for b in breaches_by_clause(result)]
    _table(doc, ["Clause", "Code", "Finding", "Severity", "Number", "Partnerships"], rows, widths=(32, 15, 47, 20, 18, 38), right=(4,),
           empty="No policy finding: every partnership meets the policy.")

    doc.add_heading("6. Reviews overdue", level=1)
    doc.add_paragraph(f"Each partnership is reviewed every {s.review_interval_months} months (policy §5).")
    reviews = review_list(result)
    rows = [(r["review"], plain(r["ref"]), plain(r["name"]), plain(r["lead_officer"]), plain(r["last_review"])) for r in reviews.to_dict("records")]
    _table(doc, ["Review", "Ref", "Partnership", "Lead officer", "Last reviewed"], rows, widths=(28, 16, 66, 36, 24), empty="No review is overdue or due soon.")

    doc.add_heading("7. Risks", level=1)
    _risk_map(doc, result)

    doc.add_heading("8. Exits", level=1)
    doc.add_paragraph("An exit needs a proportionate exit strategy, with its risks and control measures, and a decision by CMT, the Executive or Council (policy §9).")
    exits = exit_list(result)
    rows = [(r["why"], plain(r["ref"]), plain(r["name"]), plain(r["exit_reason"]), "Yes" if not is_blank(r["exit_strategy"]) and r["exit_strategy"] != NOT_RECORDED else "No",
             plain(r["exit_decided_by"]) or "Not decided") for r in exits.to_dict("records")]
    _table(doc, ["Why listed", "Ref", "Partnership", "Exit reason", "Exit strategy", "Decided by"], rows, widths=(28, 14, 44, 28, 22, 34),
           empty="No partnership is exiting, closed in the year or past its end date.")

    if changes is not None:
        doc.add_heading("9. Changes since last year", level=1)
        doc.add_paragraph(f"Compared with last year's register, {plain(previous.register.path.name)}.")
        c = change_counts(changes)
        _table(doc, ["Change", "Number"], [("Partnerships added", str(c["added"])), ("Partnerships removed", str(c["removed"])),
                                           ("Status changed", str(c["status_changed"])), ("Risk score rose", str(c["risk_up"])),
                                           ("Risk score fell", str(c["risk_down"]))], widths=(120, 50), right=(1,))  # fmt: skip
        rows = [(r["change"], plain(r["ref"] if r["change"] != "removed" else r["prev_ref"]), plain(r["name"] if r["change"] != "removed" else r["prev_name"]),
                 plain(r["approval"] or r["exit_recorded"])) for r in changes[changes["change"] != "kept"].to_dict("records")]
        _table(doc, ["Change", "Ref", "Partnership", "Approval or exit recorded"], rows, widths=(20, 16, 64, 70), empty="No partnership was added or removed.")

    doc.add_page_break()
    doc.add_heading("Appendix A: Significant partnerships", level=1)
    doc.add_paragraph(f"Significant: a direct contribution of £{s.significance_threshold:,.0f} a year or more, a High risk, or the council as lead or accountable body.")
    sig_rows = significant_list(result)
    rows = [(plain(r["ref"]), plain(r["name"]), plain(r["lead_officer"]), _money_cell(r["direct_contribution"]), r["risk_band"], r["rag"], plain(r["why"]))
            for r in sig_rows.to_dict("records")]
    _table(doc, ["Ref", "Partnership", "Lead officer", "Direct contribution (£ a year)", "Risk band", "RAG", "Why significant"], rows,
           widths=(14, 40, 26, 26, 17, 17, 30), right=(3,), empty="No partnership is significant.")
    return doc


def _money_cell(value: object) -> str:
    if isinstance(value, str):
        return value  # "Not recorded"
    return "" if is_blank(value) else f"£{float(value):,.0f}"


def _page(doc, result: CheckResult) -> None:
    """A4 portrait, 2 cm margins, Arial; the footer names the register's position date."""
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Mm(20))
    normal = doc.styles["Normal"]
    normal.font.name = "Arial"
    normal.font.size = Pt(11)
    for name in ("Title", "Heading 1", "Heading 2"):
        doc.styles[name].font.name = "Arial"
        doc.styles[name].font.color.rgb = RGBColor(0x1F, 0x4E, 0x79)
    footer = section.footer.paragraphs[0]
    footer.text = f"Partnership Register, position at {result.as_of:%d/%m/%Y}"
    footer.runs[0].font.size = Pt(8)


def _table(doc, headers: list[str], rows: list[tuple], *, widths: tuple[float, ...], header: bool = True, right: tuple[int, ...] = (),
           bold_first: bool = False, empty: str | None = None):
    """A native Word table (style Table Grid): header row repeated on each page, rows never split."""
    if not rows and empty is not None:
        doc.add_paragraph(empty)
        return None
    table = doc.add_table(rows=0, cols=len(widths))
    table.style = doc.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    lines = ([tuple(headers)] if header else []) + [tuple(r) for r in rows]
    for i, values in enumerate(lines):
        cells = table.add_row().cells
        _keep_row_whole(table.rows[-1], repeat=header and i == 0)
        for c, value in enumerate(values):
            cells[c].width = Mm(widths[c])
            para = cells[c].paragraphs[0]
            run = para.add_run(_NOT_XML.sub("", str(value)))
            run.font.size = Pt(9)
            if (header and i == 0) or (bold_first and c == 0):
                run.bold = True
            if header and i == 0:
                _shade(cells[c], "DDEBF7")
            if c in right:
                para.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    _widths(table, widths)
    doc.add_paragraph()  # two tables in a row would merge into one
    return table


def _widths(table, widths: tuple[float, ...]) -> None:
    """Fixed column widths (mm), which Word and LibreOffice Writer both honour."""
    table.autofit = False
    for c, width in enumerate(widths):
        table.columns[c].width = Mm(width)
        for cell in table.columns[c].cells:
            cell.width = Mm(width)


def _keep_row_whole(row, repeat: bool) -> None:
    """A row never breaks across pages; the header row repeats at the top of each page."""
    props = row._tr.get_or_add_trPr()
    props.append(OxmlElement("w:cantSplit"))
    if repeat:
        props.append(OxmlElement("w:tblHeader"))


def _shade(cell, colour: str) -> None:
    """Fill a table cell (w:shd), e.g. a band colour on the risk map."""
    shd = OxmlElement("w:shd")
    shd.set(qn("w:val"), "clear")
    shd.set(qn("w:color"), "auto")
    shd.set(qn("w:fill"), colour.lstrip("#"))
    cell._tc.get_or_add_tcPr().append(shd)


def _risk_map(doc, result: CheckResult) -> None:
    """The likelihood × impact map as a table: impact down, likelihood across, shaded by band, counts in the cells."""
    grid = risk_grid(result, "risk")
    s = result.settings
    n = grid.scale
    doc.add_paragraph(f"Risk score = likelihood × impact (1 to {n} each): Low up to {s.low_max}, Medium up to {s.medium_max}, High above. "
                      "Each cell shows how many partnerships (not closed) sit there.")
    table = doc.add_table(rows=n + 1, cols=n + 1)
    table.style = doc.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for i, impact in enumerate(range(n, 0, -1)):
        _cell_text(table.cell(i, 0), f"Impact {impact}", bold=True)
        for likelihood in range(1, n + 1):
            cell = table.cell(i, likelihood)
            count = grid.counts[(likelihood, impact)]
            _cell_text(cell, str(count) if count else "", bold=True, centre=True)
            _shade(cell, BAND_COLOURS[grid.bands[(likelihood, impact)]])
    _cell_text(table.cell(n, 0), "", bold=True)
    for likelihood in range(1, n + 1):
        _cell_text(table.cell(n, likelihood), f"Likelihood {likelihood}", bold=True, centre=True)
    for row in table.rows:
        _keep_row_whole(row, repeat=False)
    _widths(table, (26,) + (144 / n,) * n)
    assessed = sum(grid.counts.values())
    text = f"{assessed} partnerships assessed; {len(grid.not_assessed)} not assessed"
    text += f" ({', '.join(grid.not_assessed)})." if grid.not_assessed else "."
    doc.add_paragraph(plain(text))
    high = [(li * im, li, im, refs) for (li, im), refs in grid.refs.items() if grid.bands[(li, im)] == "High"]
    rows = [(str(score), str(li), str(im), ", ".join(refs)) for score, li, im, refs in sorted(high, reverse=True)]
    if rows:
        doc.add_paragraph("High risks (reported to the Executive each quarter):")
        _table(doc, ["Score", "Likelihood", "Impact", "Partnerships"], rows, widths=(18, 26, 20, 106), right=(0, 1, 2))


def _cell_text(cell, text: str, *, bold: bool = False, centre: bool = False) -> None:
    para = cell.paragraphs[0]
    run = para.add_run(text)
    run.bold, run.font.size = bold, Pt(9)
    if centre:
        para.alignment = WD_ALIGN_PARAGRAPH.CENTER


def report_figures(path: Path) -> dict[str, str]:
    """The "state of the register" figures of a written report: label → figure as shown (for tests and checks)."""
    doc = Document(str(path))
    for table in doc.tables:
        if table.rows and [c.text for c in table.rows[0].cells] == ["Figure", "Number"]:
            return {r.cells[0].text: r.cells[1].text for r in table.rows[1:]}
    return {}


__all__ = ["build_report", "report_figures", "state_of_register", "write_report"]
