"""Two small, deterministic registers (this year and last year) checked by the real engine.

Each partnership is there for one reason, named in its ``why``; the goldens are written from
these with a fixed as-of date, so they change only when the reports (or the engine) change.
"""

from __future__ import annotations

import subprocess
import zipfile
from datetime import date, datetime
from pathlib import Path

import pandas as pd
import pytest

from partnership_xl.config import Settings
from partnership_xl.engine import check
from tests.conftest import AS_OF, row, write_register

INJECTION = {
    "name": '=HYPERLINK("http://evil","x")',
    "partners": "+44 1858 821000",
    "lead_officer": "-1+2",
    "service_area": "@SUM(A1)",
    "risks": "\tTab-leading text",
    "controls": "=1+1",
    "notes": "http://example.com/not-a-link",
}

THIS_YEAR = [
    row(ref="P001"),  # clean, Low risk (2 x 3)
    row(ref="P002", name="Leicestershire Revenues Partnership", service_area="Finance", risk_likelihood=4, risk_impact=5, controls=None,
        direct_contribution=25000, budgeted="No", approved_by="Portfolio Holder", opp_likelihood=4, opp_impact=4),  # High, PP702 PP802 PP603
    row(ref="P003", name="Welland Valley Partnership", service_area="Environment", last_review=date(2025, 1, 10), risk_likelihood=2, risk_impact=3),  # PP501
    row(ref="P004", name="Harborough Youth Partnership", last_review=None, risk_likelihood=3, risk_impact=3, direct_contribution=0),  # PP502, renumbered
    row(ref="P005", name="Foxton Locks Partnership (renamed)", last_review=date(2025, 12, 20), service_area="Regeneration"),  # PP503, renamed
    row(ref="P006", name="Shared Legal Service", arrangement="Shared service", status="Exiting", end_date=date(2027, 3, 31),
        exit_reason="No longer relevant", exit_strategy="Transfer cases to the county", exit_decided_by="CMT"),  # exiting, status change
    row(ref="P007", name="Supporting Families Partnership", status="Closed", end_date=date(2026, 6, 30), exit_reason="Outcomes achieved",
        exit_strategy="Handed to county", exit_decided_by="Executive", risk_likelihood=None, risk_impact=None),  # closed in year
    row(ref="P008", name="Homelessness Trailblazer", end_date=date(2026, 3, 31), service_area="Housing", direct_contribution=0),  # PP901
    row(ref="P009", name="Climate Officers Network", benefit_funding="No", benefit_quality="No", benefit_risk="No",
        opp_likelihood=None, opp_impact=None),  # PP301 no benefit, opportunity not assessed
    row(ref="P010", direct_contribution=12000, budgeted="No", approved_by="Executive",
        approval_date=date(2026, 2, 26), **INJECTION),  # added this year, formulas-that-are-not
]

LAST_YEAR = [
    row(ref="P001"),
    row(ref="P002", name="Leicestershire Revenues Partnership", risk_likelihood=3, risk_impact=4),  # 12 → 20: up
    row(ref="P003", name="Welland Valley Partnership", risk_likelihood=3, risk_impact=3),  # 9 → 6: down
    row(ref="X-04", name="Harborough Youth Partnership", risk_likelihood=3, risk_impact=3),  # same name, ref changed
    row(ref="P005", name="Foxton Locks Partnership"),  # same ref, renamed
    row(ref="P006", name="Shared Legal Service", arrangement="Shared service", status="Active"),  # Active → Exiting
    row(ref="P007", name="Supporting Families Partnership", status="Exiting", exit_strategy="Handed to county", exit_decided_by="Executive"),
    row(ref="P008", name="Homelessness Trailblazer"),
    row(ref="P009", name="Climate Officers Network"),
    row(ref="P011", name="Business Voice Partnership", status="Exiting", exit_reason="Outcomes achieved", exit_decided_by="CMT",
        exit_strategy="Wind up at year end"),  # removed, exit recorded
    row(ref="P012", name="Shared CCTV Monitoring"),  # removed, no exit recorded
]

HISTORY = pd.DataFrame(
    {
        "run_at": pd.to_datetime(["2026-09-01 07:00", "2026-10-01 07:00", "2026-10-20 07:00", "2026-11-02 07:00", "2026-11-20 07:00"]),
        "as_of": pd.to_datetime(["2026-09-01", "2026-10-01", "2026-10-20", "2026-11-02", "2026-11-20"]),
        "register": ["register.xlsx"] * 5,
        "size": [1000] * 5,
        "sha256": ["0" * 64] * 5,
        "partnerships": [9, 10, 10, 10, 10],
        "error": [12, 10, 9, 8, 7],
        "warning": [4, 4, 3, 3, 3],
        "info": [1, 2, 2, 3, 3],
        "red": [6, 6, 5, 5, 5],
        "amber": [1, 1, 1, 1, 1],
        "green": [2, 3, 4, 4, 4],
    }
)


@pytest.fixture(scope="session")
def registers(tmp_path_factory) -> tuple[Path, Path]:
    """(this year's register, last year's register) as real .xlsx files."""
    folder = tmp_path_factory.mktemp("registers")
    last = folder / "last year"
    last.mkdir()
    return write_register(folder / "register.xlsx", THIS_YEAR), write_register(last / "register 2025.xlsx", LAST_YEAR)


@pytest.fixture(scope="session")
def result(registers):
    """This year's register, checked at AS_OF."""
    return check(registers[0], Settings(), AS_OF)


@pytest.fixture(scope="session")
def previous(registers):
    """Last year's register, checked at AS_OF (as the CLI does)."""
    return check(registers[1], Settings(), AS_OF)


def sheet_values(ws) -> dict[tuple[int, int], object]:
    """Every non-empty cell of an openpyxl worksheet: (row, column) → value, 1-based."""
    return {(c.row, c.column): c.value for r in ws.iter_rows() for c in r if c.value is not None}


def labelled(ws, label_col: int = 1, value_col: int = 2) -> dict[str, object]:
    """Label → value for a sheet laid out as label | figure lines (first occurrence wins)."""
    out: dict[str, object] = {}
    for r in ws.iter_rows():
        label = r[label_col - 1].value if len(r) >= label_col else None
        if isinstance(label, str) and label not in out and len(r) >= value_col:
            out[label] = r[value_col - 1].value
    return out


def table_records(ws, name: str) -> list[dict]:
    """The rows of the Excel table ``name`` as header → value dicts."""
    table = ws.tables[name]
    cells = ws[table.ref]
    headers = [c.value for c in cells[0]]
    return [dict(zip(headers, (c.value for c in line), strict=True)) for line in cells[1:]]


def xml_parts(path: Path) -> dict[str, str]:
    """The parts of an .xlsx as text, core.xml timestamps blanked (XlsxWriter's comparison)."""
    import re

    out = {}
    with zipfile.ZipFile(path) as z:
        for name in sorted(z.namelist()):
            text = z.read(name).decode("utf-8")
            if name == "docProps/core.xml":
                text = re.sub(r"(<dcterms:(created|modified)[^>]*>)[^<]*(</dcterms:\2>)", r"\1\3", text)
            out[name] = text
    return out


def assert_same_parts(got: Path, golden: Path) -> None:
    """Compare two .xlsx files part by part (timestamps blanked); say where the first difference is."""
    have, want = xml_parts(got), xml_parts(golden)
    assert sorted(have) == sorted(want), "the workbook's parts differ from the golden file's"
    for part, text in want.items():
        if have[part] != text:
            at = next((i for i, (a, b) in enumerate(zip(have[part], text, strict=False)) if a != b), min(len(have[part]), len(text)))
            raise AssertionError(
                f"{part} differs from {golden.name} at character {at}:\n  got:    {have[part][max(0, at - 120):at + 120]!r}\n"
                f"  golden: {text[max(0, at - 120):at + 120]!r}\nRun with PXL_REGEN_GOLDEN=1 to accept the change."
            )


def to_pdf(xlsx: Path, out_dir: Path) -> Path:
    """Render a workbook to PDF with LibreOffice headless, in a private profile."""
    import shutil

    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    profile = out_dir / "lo-profile"
    subprocess.run(
        [soffice, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--convert-to", "pdf", "--outdir", str(out_dir), str(xlsx)],
        check=True, capture_output=True, timeout=240,
    )  # fmt: skip
    return out_dir / (xlsx.stem + ".pdf")


FIXED_TIME = datetime(2026, 11, 25, 9, 0, 0)
