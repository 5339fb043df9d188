"""Data quality (DQ001–DQ009): the register must be usable before the policy can be checked.

Policy §5 asks the register to hold key information about each partnership; these codes say
where it does not. They are checks of the register's schema, declared as data in
``schemas/register.json`` (``checks``: required columns and values, kinds, ranges, unique refs,
Excel errors, unsaved formulas, unknown headings) and run by ``schema.py`` with pandera, in the one
lazy validation that also runs the rules; DQ010 and DQ011 are rule functions (``exit.py``,
``review.py``). This module is their user documentation, in the shape of the rule functions'
docstrings, and the registry lists their codes beside the rules'.
"""

from __future__ import annotations

from ..fields import alias_index, fields_by_name, header_key
from ..normalise import parse_text
from ..suggest import alias_line

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


def column_message(code: str, register, key: str | int) -> str:
    """The message of a finding on a column as a whole: DQ001 (``key`` the missing field) or DQ009 (``key`` its position)."""
    if code == "DQ001":
        f = fields_by_name()[key]
        return f"Required column missing: no column for {f.header} (or one of its other names); add it to the register."
    if key in register.duplicate_columns:
        text = register.duplicate_columns[key]
        field = alias_index().get(header_key(text), "")
        already = fields_by_name()[field].header if field in fields_by_name() else "another column"
        return f"Column '{text}' repeats a column already read as {already}: only the first is checked."
    text = register.unknown[key]
    if key in register.suggestions:
        suggestion = register.suggestions[key]
        return (f"Column '{text}' is not a register field and is not checked; it looks like {suggestion.header} "
                f"({suggestion.field}): to check it as that, add this line under [aliases] in partnership-xl.toml: "
                f"{alias_line(text, suggestion.field)}")
    if text:
        return f"Column '{text}' is not a register field and is not checked (add an alias in partnership-xl.toml if it should be)."
    return "Column with no heading holds data that is not checked: give it a heading."


def cell_message(code: str, field: str | None, value: object, risk_scale: int = 5) -> str:
    """The message of a data-quality finding on a cell of ``field`` (None: a column that is not a field) holding ``value``."""
    if code == "DQ007":
        return f"Excel error value {value} in this cell: fix the formula or the value."
    if code == "DQ008":
        return "Formula has no saved result: open the workbook in Excel, let it recalculate and save it."
    f = fields_by_name()[field]
    # as the officer sees it: 17 not 17.0, TRUE not True, 26/02/2015 not 2015-02-26 00:00:00
    text = str(value).upper() if isinstance(value, bool) else parse_text(value)
    shown = (text if isinstance(text, str) else str(value)).strip()
    if len(shown) > 60:
        shown = shown[:57] + "..."
    if code == "DQ002":
        return f"Required value missing: {f.header} is blank."
    if code == "DQ003":
        return f"Not a date: '{shown}' in {f.header}; enter a date such as 26/02/2025."
    if code == "DQ004":
        if f.kind == "score":
            return f"Not a number from 1 to {risk_scale}: '{shown}' in {f.header.replace('(1-5)', f'(1-{risk_scale})')}."
        return f"Not an amount of money: '{shown}' in {f.header}; enter pounds a year such as 5000 (0 for none)."
    if code == "DQ005":
        if f.kind == "yesno":
            return f"Not Yes or No: '{shown}' in {f.header}."
        if f.kind == "email":
            return f"Not an e-mail address: '{shown}' in {f.header}; enter an address such as j.smith@harborough.gov.uk."
        allowed = "; ".join(f.choices)
        return f"Not an allowed value: '{shown}' in {f.header}; use one of: {allowed}."
    if code == "DQ006":
        return f"Duplicate reference: '{shown}' is used by more than one partnership."
    raise KeyError(f"{code} is not a data-quality code with a cell message")
