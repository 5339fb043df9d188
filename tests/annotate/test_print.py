"""The annotated copy's own sheets print legibly on A4 (SPEC §7): landscape, one page wide, the
Findings header on every printed page, no page ending on a heading."""

from __future__ import annotations

import re
import subprocess

import pytest

from partnership_xl.annotate import write_annotated
from partnership_xl.annotate.sheets import FINDINGS_HEADERS
from partnership_xl.config import Settings
from partnership_xl.engine import check
from tests.reports.conftest import to_pdf
from tests.reports.test_scrutiny import _tools

from ..conftest import AS_OF, row, write_register


@pytest.fixture(scope="module")
def pdf_pages(tmp_path_factory) -> list[tuple[str, tuple[int, int]]]:
    """(text, page size in points) of each printed page of a copy with a few pages of findings."""
    _tools("soffice", "pdftotext", "pdfinfo")
    folder = tmp_path_factory.mktemp("print")
    rows = [row(ref=f"P{i:03d}", lead_officer=None, council_priority=None) for i in range(1, 61)]  # two findings each
    register = write_register(folder / "register.xlsx", rows)
    out = folder / "copy.xlsx"
    write_annotated(check(register, Settings(), AS_OF), out)
    pdf = to_pdf(out, folder)
    count = int(re.search(r"Pages:\s+(\d+)", subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout).group(1))
    pages = []
    for p in range(1, count + 1):
        text = subprocess.run(["pdftotext", "-layout", "-f", str(p), "-l", str(p), str(pdf), "-"], capture_output=True, text=True, check=True).stdout
        info = subprocess.run(["pdfinfo", "-f", str(p), "-l", str(p), str(pdf)], capture_output=True, text=True, check=True).stdout
        size = re.search(r"Page\s+\d+ size:\s+([\d.]+) x ([\d.]+)", info)
        pages.append((text, (round(float(size.group(1))), round(float(size.group(2))))))
    return pages


def _of_sheet(pages, name: str) -> list[tuple[str, tuple[int, int]]]:
    """The pages of one sheet, told by the footer the tool gives its sheets ("<sheet> ... Page n of m")."""
    return [(t, s) for t, s in pages if re.search(rf"^\s*{name}\s+Page \d+ of \d+\s*$", t, re.M)]


def test_the_findings_print_on_several_a4_landscape_pages_each_with_the_header(pdf_pages):
    findings = _of_sheet(pdf_pages, "Findings")
    assert len(findings) >= 2  # 120 findings: more than one page, so the header repeat is tested
    for text, size in findings:
        assert size == (842, 595)  # A4 landscape
        first = next(line for line in text.splitlines() if line.strip())
        assert all(h in first for h in FINDINGS_HEADERS[:4]) and "Policy clause" in first


def test_the_summary_prints_on_a4_landscape_with_its_title_whole(pdf_pages):
    summary = _of_sheet(pdf_pages, "Summary")
    assert summary and all(size == (842, 595) for _, size in summary)
    assert "partnership-xl: summary of the check" in summary[0][0]
    for text, _ in summary:
        lines = [line.strip() for line in text.splitlines() if line.strip() and not re.search(r"Page \d+ of \d+", line)]
        assert lines[-1] not in ("Findings by code", "Rules not checked", "Settings used", "Findings by severity")
