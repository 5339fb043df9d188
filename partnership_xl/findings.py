"""Findings, severities and the rule catalogue (SPEC §3).

Codes are a public contract: officers and reports quote them. Never renumber; retire a code
rather than reuse it. The catalogue here is the single source for the checker, the ``rules``
command, the template's Guidance sheet and the reports.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Severity(StrEnum):
    """How bad a finding is: error (breach or unusable data), warning (check it), info."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    @property
    def rank(self) -> int:
        """0 for error, 1 for warning, 2 for info: sort worst first."""
        return ("error", "warning", "info").index(self.value)


#: Titles of the policy's clauses, for people reading a finding.
POLICY_CLAUSES = {
    "§2": "Defining a partnership",
    "§3": "Benefits of partnership working",
    "§4": "Context of partnership working at HDC",
    "§5": "Partnership Register",
    "§6": "Entering into a Partnership",
    "§7": "Partnership Governance",
    "§8": "Management of Partnerships",
    "§9": "Exiting a partnership",
}


@dataclass(frozen=True)
class Rule:
    """One entry of the catalogue: code, severity, policy clause, finding and when it fires."""

    code: str
    severity: Severity
    policy: str
    finding: str
    fires_when: str

    @property
    def policy_text(self) -> str:
        """The clause with its title, e.g. ``§5 Partnership Register``."""
        return f"{self.policy} {POLICY_CLAUSES[self.policy]}"


E, W, N = Severity.ERROR, Severity.WARNING, Severity.INFO  # N: info (notice)

# Data-quality rules have no clause of their own in the catalogue: they keep the register usable,
# which §5 (the register outlines key information about each partnership) asks for.
_CATALOGUE = [
    ("PP201", W, "§2", "Officer network, forum or consultation group: not a partnership", "arrangement is Officer network or forum / Consultation group"),
    ("PP202", W, "§2", "Contractual or outsourced arrangement: not a partnership", "arrangement is Contract or outsourced service"),
    ("PP203", W, "§2", "External or governing body: not a partnership", "arrangement is External or governing body"),
    ("PP204", E, "§2", "No independent partner organisation", "partners blank, or naming only the council itself (config council_name)"),
    ("PP301", E, "§3", "No benefit recorded", "none of the five benefit categories is claimed"),
    ("PP302", W, "§3", "Benefit claimed but not described", "a category is claimed and benefit_detail is blank"),
    ("PP401", W, "§4", "Not linked to a council priority", "priority blank (only when the column exists)"),
    ("PP501", E, "§5", "Annual review overdue", "last_review older than review_interval_months before the as-of date"),
    ("PP502", E, "§5", "Never reviewed", "last_review blank and status not Proposed/Closed"),
    ("PP504", E, "§5", "Limited assurance: six-monthly reassessment overdue", "assurance Limited or No assurance and last_review older than weak_review_months (6) before the as-of date (PP501 not also reported)"),
    ("PP503", N, "§5", "Review due soon", "the review falls due within the next due_soon_days after the as-of date (due = next_review, else last_review + review_interval_months)"),
    ("PP601", E, "§6", "No risk and opportunity assessment", "risk_likelihood or risk_impact blank and no risk_rating (status not Closed)"),
    ("PP602", E, "§6", "Unbudgeted contribution without approval", "direct_contribution > 0, budgeted not Yes (No or blank), approved_by blank or Not required"),
    ("PP603", E, "§6", "Approved at the wrong level", "unbudgeted (budgeted not Yes) direct_contribution ≥ executive_threshold, approved by the Portfolio Holder or CMT only"),
    ("PP701", W, "§7", "Significant partnership without governance arrangements", "significant (a direct contribution of at least significance_threshold, a High risk band, or the council as lead or accountable body) and governance blank"),
    ("PP702", W, "§7", "High risk without control measures", "risk band High and controls blank"),
    ("PP703", W, "§7", "Governance assurance Limited or none", "assurance is Limited or No assurance (status not Closed)"),
    ("PP801", E, "§8", "No council representative", "lead_officer blank"),
    ("PP802", N, "§8", "High risk: for the Executive's quarterly update", "risk band High"),
    ("PP901", E, "§9", "Past its end date but still running", "end_date before as-of and status Proposed/Active/Under review"),
    ("PP902", E, "§9", "Exit without an exit strategy", "status Exiting/Closed and exit_strategy blank"),
    ("PP903", W, "§9", "Exit strategy without risks and control measures", "status Exiting/Closed, exit_strategy given, controls blank"),
    ("PP904", E, "§9", "Exit not decided by CMT, Executive or Council", "status Exiting/Closed and exit_decided_by blank"),
    ("PP905", W, "§9", "Exit reason missing", "status Exiting/Closed and exit_reason blank"),
    ("PP906", W, "§9", "External funding has ended", "funding_ends before as-of, External funding claimed, status Active"),
    ("PP907", N, "§9", "Ends soon with no exit strategy", "end_date within due_soon_days after as-of and exit_strategy blank"),
    ("DQ001", E, "§5", "Required column missing", "a required field, or partners, lead_officer, risk_likelihood, risk_impact or last_review, has no column"),
    ("DQ002", E, "§5", "Required value missing", "a required field (ref, name, arrangement, purpose, direct_contribution, risks, status) is blank"),
    ("DQ003", E, "§5", "Not a date", "a date field does not parse"),
    ("DQ004", E, "§5", "Not a number", "a money or 1..risk_scale field does not parse or is out of range"),
    ("DQ005", E, "§5", "Not an allowed value", "a choice, yes/no or e-mail field does not match"),
    ("DQ006", E, "§5", "Duplicate reference", "ref repeats (every occurrence is flagged)"),
    ("DQ007", E, "§5", "Excel error value", "a cell holds #REF!, #N/A, #VALUE!, #DIV/0!, #NAME?, #NUM!, #NULL!"),
    ("DQ008", W, "§5", "Formula has no saved result", "a formula cell has no cached value (file never recalculated)"),
    ("DQ009", N, "§5", "Column not recognised", "a header maps to no field (reported once per column)"),
    ("DQ010", E, "§5", "End date before start date", "end_date < start_date"),
    ("DQ011", W, "§5", "Review date in the future", "last_review after the as-of date"),
]

#: Code → Rule, in catalogue order.
CATALOGUE: dict[str, Rule] = {c: Rule(c, s, p, f, w) for c, s, p, f, w in _CATALOGUE}

#: The breaches a councillor or CMT must decide on (SPEC §7), with the decision each needs: the
#: scrutiny Overview and the committee report list them from the findings.
DECISION_NEEDED = {
    "PP204": "confirm it is a partnership: no independent partner is recorded",
    "PP601": "assess its risks and opportunities before deciding on involvement",
    "PP602": "approve the unbudgeted contribution (Executive or Portfolio Holder), or stop it",
    "PP603": "take the contribution to the Executive: it was approved below the level it needs",
    "PP703": "decide how to strengthen governance: assurance is limited or none",
    "PP801": "name a council representative",
    "PP902": "complete a proportionate exit strategy",
    "PP904": "have the exit decided by CMT, the Executive or Council",
}

#: Findings about the sheet or for the Executive are not an officer's to fix.
NOT_FOR_OFFICERS = ("DQ001", "DQ009", "PP802")
#: What to do, where a finding's own message does not say (the reminders' "to do").
TO_DO = {
    "PP201": "confirm whether it belongs on the register, or change its arrangement type.",
    "PP202": "manage it as a contract, or change its arrangement type if it is a partnership.",
    "PP501": "review the partnership against the policy and enter the date in Last reviewed.",
    "PP906": "review whether the partnership should continue, and record the decision.",
    "DQ002": "fill it in.",
    "DQ003": "enter a date such as 26/02/2025.",
    "DQ004": "enter a number as the column asks.",
    "DQ005": "choose one of the allowed values (see the template's Guidance sheet).",
    "DQ006": "give each partnership its own Ref.",
    "DQ007": "fix the formula or type the value.",
    "DQ008": "open the register in Excel and save it, so the formula's result is kept.",
    "DQ010": "check the start and end dates.",
    "DQ011": "check the date: it is after the check date.",
}
#: The §6 approval breaches and what each says about a partnership's approval; the reports read
#: them from the findings, never re-decide them (the state otherwise: ``scores["approval"]``).
APPROVAL_BREACHES = {"PP602": "unapproved", "PP603": "wrong level"}


@dataclass(frozen=True, slots=True)
class Finding:
    """One breach or data problem, pinned to a cell of the register.

    ``row`` is the Excel row number (1-based) and ``cell`` its A1 address on ``sheet``. A
    sheet-level finding (DQ001, DQ009) has an empty ``ref`` and points at the header row.
    """

    code: str
    ref: str
    sheet: str
    cell: str
    row: int
    field: str
    message: str

    @property
    def rule(self) -> Rule:
        """The catalogue entry of this finding's code."""
        return CATALOGUE[self.code]

    @property
    def severity(self) -> Severity:
        """The catalogue severity of this finding's code."""
        return CATALOGUE[self.code].severity

    @property
    def policy(self) -> str:
        """The policy clause, e.g. ``§5``."""
        return CATALOGUE[self.code].policy


def sort_key(f: Finding) -> tuple:
    """Register order: by row, then column position in the A1 address, then code."""
    letters = f.cell.rstrip("0123456789")
    return (f.row, len(letters), letters, f.code)
