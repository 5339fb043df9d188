"""The committee report (Word): its figures are the scrutiny workbook's, register text stays text, it opens in Writer."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import openpyxl
import pytest
from docx import Document

from partnership_xl.reports import write_scrutiny
from partnership_xl.reports.report import report_figures, write_report
from tests.reports.conftest import INJECTION, labelled
from tests.reports.test_scrutiny import _tools

GOLDEN = Path(__file__).parent / "golden"
REGEN = os.environ.get("PXL_REGEN_GOLDEN") == "1"


@pytest.fixture(scope="module")
def docx_path(tmp_path_factory, result, previous) -> Path:
    out = tmp_path_factory.mktemp("report") / "report.docx"
    write_report(result, out, previous=previous)
    return out


def _as_number(text: str) -> float:
    return float(re.sub(r"[£,]", "", text.split(" (")[0]))


def test_every_figure_is_the_scrutiny_workbooks(docx_path, result, previous, tmp_path):
    workbook = tmp_path / "scrutiny.xlsx"
    write_scrutiny(result, workbook, previous=previous)
    overview = labelled(openpyxl.load_workbook(workbook)["Overview"])
    figures = report_figures(docx_path)
    assert len(figures) >= 20
    for label, shown in figures.items():
        assert label in overview, label
        assert _as_number(shown) == overview[label], label


def test_headings_are_word_heading_styles_and_the_risk_map_is_shaded(docx_path):
    doc = Document(str(docx_path))
    headings = [p.text for p in doc.paragraphs if p.style.name == "Heading 1"]
    assert headings[:8] == ["1. Purpose of the report", "2. Recommendations", "3. Background", "4. The state of the register",
                            "5. Policy breaches", "6. Reviews overdue", "7. Risks", "8. Exits"]  # fmt: skip
    assert "9. Changes since last year" in headings and headings[-1] == "Appendix A: Significant partnerships"
    xml = zipfile.ZipFile(docx_path).read("word/document.xml").decode()
    assert xml.count("<w:shd ") >= 25 and 'w:fill="E06666"' in xml and 'w:fill="93C47D"' in xml  # the 5 × 5 map in band colours
    assert "<w:tblHeader/>" in xml and "<w:cantSplit/>" in xml
    assert not any(n.endswith(".bin") or "vba" in n.lower() for n in zipfile.ZipFile(docx_path).namelist())  # no macro


def test_breaches_needing_a_decision_are_on_the_first_pages(docx_path):
    text = "\n".join(c.text for t in Document(str(docx_path)).tables for r in t.rows for c in r.cells)
    assert "§6 Approved at the wrong level (PP603)" in text and "P002: take the contribution to the Executive" in text


def test_register_text_is_never_a_field_or_link(docx_path):
    xml = zipfile.ZipFile(docx_path).read("word/document.xml").decode()
    assert "<w:fldSimple" not in xml and "<w:instrText" not in xml and "<w:hyperlink" not in xml
    assert "=HYPERLINK(&quot;http://evil&quot;,&quot;x&quot;)" in xml or '=HYPERLINK("http://evil","x")' in xml
    assert INJECTION["lead_officer"] in xml


def test_characters_xml_cannot_hold_are_dropped_not_fatal(tmp_path, result):
    import copy

    poisoned = copy.deepcopy(result)
    first = poisoned.scores.index[poisoned.scores["ref"] == "P002"][0]  # significant: in the appendix
    poisoned.scores.at[first, "name"] = "Bad\x0bname\x01"
    poisoned.table.at[first, "lead_officer"] = "Officer\x0c"
    write_report(poisoned, tmp_path / "r.docx")
    assert "Badname" in zipfile.ZipFile(tmp_path / "r.docx").read("word/document.xml").decode()


def test_matches_the_golden_file(docx_path):
    """word/document.xml and styles part by part against golden/report.docx; PXL_REGEN_GOLDEN=1 rewrites it."""
    golden = GOLDEN / "report.docx"
    if REGEN:
        shutil.copyfile(docx_path, golden)
    with zipfile.ZipFile(docx_path) as got, zipfile.ZipFile(golden) as want:
        assert sorted(got.namelist()) == sorted(want.namelist())
        for part in want.namelist():
            if part == "docProps/core.xml":
                continue  # timestamps
            assert got.read(part) == want.read(part), f"{part} differs from golden/report.docx: run with PXL_REGEN_GOLDEN=1 to accept the change"


def test_libreoffice_writer_renders_it(docx_path, tmp_path):
    _tools("soffice", "pdftotext")
    from tests.reports.conftest import to_pdf

    pdf = to_pdf(docx_path, tmp_path)
    first_two = subprocess.run(["pdftotext", "-f", "1", "-l", "2", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert "Harborough District Council" in first_two and "Recommendations" in first_two
    assert "Breaches needing a decision" in first_two and "PP603" in first_two  # a councillor learns the breaches in two pages
    pages = int(re.search(r"Pages:\s+(\d+)", subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True).stdout).group(1))
    assert 3 <= pages <= 8
