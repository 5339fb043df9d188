"""Every sheet of the scrutiny workbook, the risk extract and the template prints on A4, one page wide, titles whole."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import openpyxl
import pytest

from partnership_xl.reports import write_risks, write_scrutiny
from partnership_xl.template import write_template
from tests.reports.conftest import HISTORY, to_pdf
from tests.reports.test_scrutiny import _tools

TITLES = {
    "scrutiny": ["Partnership Register: annual report to Scrutiny", "Register: every partnership, with its scores and RAG", "Risk map: likelihood × impact (5 × 5)",
                 "Reviews: overdue, never done, or due soon (policy §5)", "Exits: partnerships leaving, closed, or past their end date (policy §9)",
                 "Findings: what the check found, errors first", "Changes since last year's register", "Trend: findings by month"],
    "risks": ["Partnership risks and opportunities: update to the Executive", "No longer on the register"],
    "template": ["How to fill in the Partnership Register", "Rules the checker applies"],
}  # fmt: skip
PAGES = {"scrutiny": 8, "risks": 2, "template": 4}


@pytest.fixture(scope="module")
def outputs(tmp_path_factory, result, previous) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("print")
    write_scrutiny(result, folder / "scrutiny.xlsx", previous=previous, history=HISTORY)
    write_risks(result, folder / "risks.xlsx", previous=previous)
    write_template(folder / "template.xlsx")
    return {name: folder / f"{name}.xlsx" for name in TITLES}


@pytest.mark.parametrize("name", list(TITLES))
def test_every_sheet_is_a4_one_page_wide_with_its_header_repeated(outputs, name):
    wb = openpyxl.load_workbook(outputs[name])
    for ws in wb.worksheets:
        if ws.sheet_state == "hidden":
            continue
        setup = ws.page_setup
        assert setup.paperSize == 9, (name, ws.title)  # A4
        assert setup.orientation == "landscape", (name, ws.title)
        assert ws.sheet_properties.pageSetUpPr.fitToPage and setup.fitToWidth in (None, 1), (name, ws.title)
        if ws.tables and ws.title not in ("Risk map", "Changes", "Trend", "Guidance", "Overview"):
            assert ws.print_title_rows, (name, ws.title)  # one table: its header on every page


@pytest.mark.parametrize("name", list(TITLES))
def test_libreoffice_prints_each_title_whole_on_a4(outputs, name, tmp_path):
    _tools("soffice", "pdftotext", "pdfinfo")
    pdf = to_pdf(outputs[name], tmp_path)
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    pages = int(re.search(r"Pages:\s+(\d+)", info).group(1))
    assert pages == PAGES[name]
    width, height = (float(v) for v in re.search(r"Page size:\s+([\d.]+) x ([\d.]+)", info).groups())
    assert (round(width), round(height)) == (842, 595)  # A4 landscape, in points
    texts = [subprocess.run(["pdftotext", "-f", str(p), "-l", str(p), str(pdf), "-"], capture_output=True, text=True, check=True).stdout
             for p in range(1, pages + 1)]  # fmt: skip
    for title in TITLES[name]:
        assert any(title in " ".join(t.split()) for t in texts), f"{title!r} is not whole on any page of {name}"
    for p, text in enumerate(texts, 1):
        lines = [line.strip() for line in text.splitlines() if line.strip() and not line.startswith("Page ") and "position at" not in line]
        assert lines, f"page {p} of {name} is blank"
        assert lines[-1] not in TITLES[name], f"page {p} of {name} ends on the heading {lines[-1]!r}"


def test_a_risk_and_its_controls_are_on_the_same_row(outputs):
    ws = openpyxl.load_workbook(outputs["risks"])["Risks and opportunities"]
    header = next(r for r in ws.iter_rows() if r[0].value == "Ref")
    cols = {c.value: c.column for c in header}
    assert {"Key risks", "Control measures"} <= set(cols)
    assert not ws.print_title_cols  # no second page across: the row prints whole
