"""Registers laid out as other councils keep theirs (issue 11), built with openpyxl in the tests.

* :func:`outside_bodies` — an outside-bodies / strategic-partnerships register: a title row, its
  own headings (``Name of Outside Body``, ``Council resources (£)``, ``Date of annual review``...),
  its own words (``Ceased``, ``Not yet live``, ``Dormant``, ``In kind only``, ``Med``,
  ``Sept 2024 – six-month reassessment``), a 4×4 risk matrix and a governance assurance rating.
* :func:`one_word_rating` — a register that rates risk in one word (High / Medium / Low, or RAG).
* :func:`four_by_four` — every cell of a 4×4 likelihood × impact matrix, one partnership each.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import openpyxl

AS_OF = "2026-11-25"

OUTSIDE_BODIES_HEADINGS = [
    "Ref", "Name of Outside Body", "Partner organisations", "Type", "Aims and Objectives of their Organisation",
    "Lead Directorate", "Lead officer", "Council resources (£)", "Risk likelihood (1-4)", "Risk impact (1-4)",
    "Areas for improvement or risk", "Control measures", "Governance arrangements", "Governance strength rating",
    "Date of annual review", "Status", "Reporting arrangements", "Budget code",
]
#: The headings that clearly mean a field, and that field (DQ009 suggests it; init --from writes it).
OUTSIDE_BODIES_SUGGESTED = {
    "Name of Outside Body": "name", "Aims and Objectives of their Organisation": "purpose", "Lead Directorate": "service_area",
    "Council resources (£)": "direct_contribution", "Areas for improvement or risk": "risks",
    "Governance strength rating": "assurance", "Date of annual review": "last_review",
}
#: Headings that mean no field: DQ009 with no suggestion, before and after init --from.
OUTSIDE_BODIES_UNKNOWN = ("Reporting arrangements", "Budget code")

_ROWS = [
    # ref, name, type, contribution, likelihood, impact, controls, governance, assurance, review, status
    ("OB01", "Leicestershire Waste Partnership", "Partnership", "£5,000", 3, 4, "Quarterly board", "Constitution", "Substantial", datetime(2026, 6, 1), "Active"),
    ("OB02", "Market Harborough BID", "Partnership", "In kind only", 2, 3, "Officer on the board", "Articles", "Limited", "Sept 2024 – six-month reassessment", "Active"),
    ("OB03", "Welland Rivers Trust", "Partnership", 0, 1, 1, "None needed", "Terms of reference", "Reasonable", datetime(2026, 3, 1), "Dormant"),
    ("OB04", "Old Town Centre Forum", "Partnership", 0, 2, "Med", "Closed down", "Terms of reference", "Reasonable", datetime(2026, 5, 10), "Ceased"),
    ("OB05", "Harborough Leisure Trust", "Partnership", "£12,000", 4, 4, None, None, None, None, "Not yet live"),
    ("OB06", "Community Safety Partnership", "Partnership", "£2,500", 2, 2, "Action plan", "Statutory duty", "Good", "15/07/2025", "Active"),
]

#: (ref, code) of every finding the SPEC implies once the settings init --from writes are in use
#: (as of 2026-11-25, risk_scale 4 from the headings: Low up to 4, Medium up to 8, High above).
OUTSIDE_BODIES_AFTER_INIT = {
    ("OB01", "PP802"),  # 3 x 4 = 12: High on a 4x4 matrix (controls recorded)
    ("OB02", "PP504"), ("OB02", "PP703"),  # Limited assurance, reassessed Sept 2024: overdue (not PP501)
    ("OB03", "DQ005"),  # Dormant is not a status: the officer decides
    ("OB04", "DQ004"),  # Med in a 1..4 impact column (closed: no PP601)
    ("OB05", "PP701"), ("OB05", "PP702"), ("OB05", "PP802"),  # 16: High, no controls, significant, no governance
    ("OB06", "PP501"),  # reviewed 15/07/2025: 16 months ago
}


def _write(path: Path, rows: list[list], title: str | None = None) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Partnerships"
    if title:
        ws.append([title])
        ws.append([])
    for r in rows:
        ws.append(r)
    wb.save(path)
    return path


def outside_bodies(path: Path) -> Path:
    """The outside-bodies register (header on row 3, under a title)."""
    rows = [OUTSIDE_BODIES_HEADINGS]
    for ref, name, kind, money, li, im, controls, governance, assurance, review, status in _ROWS:
        rows.append([ref, name, "Leicestershire County Council; Partner Trust", kind, f"The aims of {name}", "Communities",
                     "Jane Smith", money, li, im, f"Reputation if {name} fails", controls, governance, assurance, review, status,
                     "Annual report to Scrutiny", "R1234"])
    return _write(path, rows, title="Outside bodies and strategic partnerships 2026/27")


ONE_WORD_HEADINGS = ["Ref", "Partnership name", "Partner organisations", "Arrangement type", "Purpose", "Lead officer",
                     "Direct contribution (£ a year)", "Key risks", "Control measures", "Overall risk", "Status", "Last reviewed"]
#: ref → (rating as typed, controls, band expected, findings expected)
ONE_WORD_ROWS = {
    "R1": ("High", None, "High", {"PP702", "PP802"}),
    "R2": ("Red", "Monthly monitoring", "High", {"PP802"}),
    "R3": ("Amber", None, "Medium", set()),
    "R4": ("Med", None, "Medium", set()),
    "R5": ("green", None, "Low", set()),
    "R6": (None, None, None, {"PP601"}),
}


def one_word_rating(path: Path) -> Path:
    """A register that rates risk in one word, with no likelihood or impact columns."""
    rows = [ONE_WORD_HEADINGS]
    for ref, (rating, controls, _, _) in ONE_WORD_ROWS.items():
        rows.append([ref, f"Partnership {ref}", "Partner Trust", "Partnership", "A common goal", "Jane Smith", 0,
                     "Loss of reputation", controls, rating, "Active", datetime(2026, 9, 1)])
    return _write(path, rows)


FOUR_BY_FOUR_HEADINGS = ["Ref", "Partnership name", "Partner organisations", "Arrangement type", "Purpose", "Lead officer",
                         "Direct contribution (£ a year)", "Risk likelihood (1-4)", "Risk impact (1-4)", "Key risks",
                         "Control measures", "Status", "Last reviewed"]


def four_by_four(path: Path) -> Path:
    """One partnership in each cell of a 4x4 matrix (refs L1I1 ... L4I4)."""
    rows = [FOUR_BY_FOUR_HEADINGS]
    for li in range(1, 5):
        for im in range(1, 5):
            rows.append([f"L{li}I{im}", f"Partnership {li}-{im}", "Partner Trust", "Partnership", "A common goal", "Jane Smith", 0,
                         li, im, "Loss of reputation", "Quarterly monitoring", "Active", datetime(2026, 9, 1)])
    return _write(path, rows)
