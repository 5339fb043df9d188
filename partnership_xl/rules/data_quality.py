"""Data quality (DQ001–DQ009): the register must be usable before the policy can be checked.

Policy §5 asks the register to hold key information about each partnership; these codes say
where it does not. They are found while the register is read and by the column schema
(``schema.py``, pandera: required values, dates, numbers, choices, unique refs), and by the engine
for the cells themselves (Excel errors, unsaved formulas); DQ010 and DQ011 are rule functions
(``exit.py``, ``review.py``). This module is their user documentation, in the shape of the rule
functions' docstrings, and the registry lists their codes beside the rules'.
"""

from __future__ import annotations

#: Code → user text (what it means, a firing and a passing example), as ``partnership-xl rules CODE`` prints it.
DATA_QUALITY: dict[str, str] = {
    "DQ001": """Required column missing: a required field, or partners, lead officer, risk likelihood, risk impact or last
    review, has no column (one finding on the header row; the rules that need the column are listed as not checked).

    Fires: a register with no Status column.
    Passes: a Status column, even with blank cells (those are DQ002).
    """,
    "DQ002": """Required value missing: a required field (ref, name, arrangement, purpose, direct contribution, risks,
    status) is blank. Blanks in partners, lead officer, risk likelihood/impact and last review are PP204, PP801, PP601
    and PP502's to report.

    Fires: Purpose blank.
    Passes: Purpose "Reduce rough sleeping"; Direct contribution 0 (nothing paid is a value).
    """,
    "DQ003": """Not a date: a date field does not parse (dates are read day first, as in the UK).

    Fires: Last reviewed "next spring" or "31/02/2025".
    Passes: Last reviewed 26/02/2025, "26-Feb-2025", "Feb 2025" or "Sept 2024 - six-month reassessment".
    """,
    "DQ004": """Not a number: a money or 1..risk_scale field does not parse or is out of range.

    Fires: Risk likelihood 7 (on a 5x5 matrix) or "high"; Direct contribution "about five grand".
    Passes: Risk likelihood 4; Direct contribution "£5,000", "5k" or "nil".
    """,
    "DQ005": """Not an allowed value: a choice, yes/no or e-mail field does not match its list (case, spacing and
    punctuation ignored; the settings' [choices.FIELD] add a council's own words).

    Fires: Status "Dormant"; In existing budget "maybe".
    Passes: Status "Active" or "on hold" (read as Under review); In existing budget "Y".
    """,
    "DQ006": """Duplicate reference: a ref repeats; every occurrence is flagged.

    Fires: two rows with Ref "P-014".
    Passes: Refs "P-014" and "P-015".
    """,
    "DQ007": """Excel error value: a cell holds #REF!, #N/A, #VALUE!, #DIV/0!, #NAME?, #NUM! or #NULL!.

    Fires: Direct contribution =VLOOKUP(...) showing #N/A.
    Passes: the same formula showing £5,000.
    """,
    "DQ008": """Formula has no saved result: a formula cell has no cached value (the file was never recalculated in Excel).

    Fires: a register written by a script with formulas Excel never opened.
    Passes: the same register opened and saved in Excel.
    """,
    "DQ009": """Column not recognised: a heading maps to no field (reported once per column, never fuzzy-matched;
    where it clearly means a field, the message names it and the [aliases] line that maps it).

    Fires: a heading "Date of annual review" (it looks like last_review).
    Passes: "Last reviewed", or "Date of annual review" with the [aliases] line that maps it.
    """,
}
