"""Shared test helpers: build small registers as real .xlsx files and check them."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import openpyxl
import pytest

from partnership_xl.config import Settings, settings_from_dict
from partnership_xl.engine import check

AS_OF = date(2026, 11, 25)

#: A clean partnership: no finding of any severity at AS_OF with the default settings.
CLEAN = {
    "Ref": "P001",
    "Partnership name": "Harborough Community Safety Partnership",
    "Partner organisations": "Leicestershire Police; Leicestershire Fire and Rescue",
    "Arrangement type": "Partnership",
    "Purpose": "Reduce crime and anti-social behaviour",
    "Council priority": "Safe communities",
    "Service area": "Community & Wellbeing",
    "Lead officer": "Sarah Whitfield",
    "Lead member": "Cllr Jane Doe",
    "External funding or investment": "Yes",
    "Cashable savings or income": "No",
    "Increased service quality": "Yes",
    "Improved speed or throughput": "No",
    "Risk mitigation": "Yes",
    "Benefit description": "Police funding for CCTV; joint tasking",
    "Direct contribution (£ a year)": 5000,
    "Indirect contribution": "0.2 FTE officer time",
    "In existing budget": "Yes",
    "Approved by": "Executive",
    "Approval date": date(2025, 3, 1),
    "Risk likelihood (1-5)": 2,
    "Risk impact (1-5)": 3,
    "Key risks": "Partners withdraw funding",
    "Control measures": "Quarterly board review",
    "Opportunity likelihood (1-5)": 3,
    "Opportunity impact (1-5)": 3,
    "Key opportunities": "Joint bids",
    "Governance arrangements": "Terms of reference 2024",
    "Council role": "Member",
    "Statutory": "Yes",
    "Start date": date(2015, 4, 1),
    "End date": None,
    "Last reviewed": date(2026, 6, 1),
    "Next review due": None,
    "Status": "Active",
    "Exit reason": None,
    "Exit strategy": None,
    "Exit decided by": None,
    "External funding ends": None,
    "Notes": None,
}


def write_register(path: Path, rows: list[dict], headers: list[str] | None = None, title_rows: int = 0, sheet: str = "Register") -> Path:
    """Write ``rows`` (header → value dicts) as a register workbook; headers default to CLEAN's."""
    headers = headers or list(CLEAN)
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = sheet
    for i in range(title_rows):
        ws.cell(i + 1, 1, "Harborough District Council — Partnership Register" if i == 0 else None)
    header_row = title_rows + 1
    for c, h in enumerate(headers, 1):
        ws.cell(header_row, c, h)
    for r, row in enumerate(rows, header_row + 1):
        for c, h in enumerate(headers, 1):
            v = row.get(h)
            if v is not None:
                cell = ws.cell(r, c, v)
                if isinstance(v, str) and v.startswith("="):
                    cell.data_type = "s"
    wb.save(path)
    return path


def row(**changes) -> dict:
    """CLEAN with some fields changed; keys are headers with spaces/brackets as underscores-free names via HEADER_OF."""
    out = dict(CLEAN)
    for key, value in changes.items():
        out[HEADER_OF.get(key, key)] = value
    return out


#: field name → CLEAN header, so tests can write row(last_review=...)
HEADER_OF = {
    "ref": "Ref", "name": "Partnership name", "partners": "Partner organisations", "arrangement": "Arrangement type",
    "purpose": "Purpose", "priority": "Council priority", "service_area": "Service area", "lead_officer": "Lead officer",
    "lead_member": "Lead member", "benefit_funding": "External funding or investment", "benefit_savings": "Cashable savings or income",
    "benefit_quality": "Increased service quality", "benefit_speed": "Improved speed or throughput", "benefit_risk": "Risk mitigation",
    "benefit_detail": "Benefit description", "direct_contribution": "Direct contribution (£ a year)", "indirect_contribution": "Indirect contribution",
    "budgeted": "In existing budget", "approved_by": "Approved by", "approval_date": "Approval date",
    "risk_likelihood": "Risk likelihood (1-5)", "risk_impact": "Risk impact (1-5)", "risks": "Key risks", "controls": "Control measures",
    "opp_likelihood": "Opportunity likelihood (1-5)", "opp_impact": "Opportunity impact (1-5)", "opportunities": "Key opportunities",
    "governance": "Governance arrangements", "council_role": "Council role", "statutory": "Statutory", "start_date": "Start date",
    "end_date": "End date", "last_review": "Last reviewed", "next_review": "Next review due", "status": "Status",
    "exit_reason": "Exit reason", "exit_strategy": "Exit strategy", "exit_decided_by": "Exit decided by",
    "funding_ends": "External funding ends", "notes": "Notes",
}


def codes_of(result) -> list[tuple[int, str]]:
    """Flatten findings to (excel_row, code) pairs, sorted — one-line assertions."""
    return sorted((f.row, f.code) for f in result.findings)


@pytest.fixture
def run(tmp_path):
    """Check rows: ``run([row(...), ...], as_of=..., drop=[headers], **settings)`` → CheckResult."""

    def _run(rows: list[dict], as_of: date = AS_OF, drop: tuple[str, ...] = (), headers: list[str] | None = None, **settings):
        hdrs = [h for h in (headers or list(CLEAN)) if h not in drop]
        path = write_register(tmp_path / "register.xlsx", rows, hdrs)
        s = settings_from_dict(settings) if settings else Settings()
        return check(path, s, as_of)

    return _run


@pytest.fixture
def fires(run):
    """The codes one row gets: ``fires(last_review=date(2025, 1, 1))`` → set of codes on that row."""

    def _fires(as_of: date = AS_OF, drop: tuple[str, ...] = (), settings: dict | None = None, **changes) -> set[str]:
        result = run([row(**changes)], as_of=as_of, drop=drop, **(settings or {}))
        return {f.code for f in result.findings if f.row == 2}

    return _fires
