"""The blank register officers start from (``partnership-xl template``, issue 5).

One workbook, made fresh with xlsxwriter:

* ``Partnership Register``: the SPEC §2.1 template headers in row 1 (styled, frozen), an Excel
  table over the header and :data:`TEMPLATE_ROWS` empty rows, and on those rows a data validation
  per column: drop-downs for choices (from the hidden ``Lists`` sheet) and yes/no, whole numbers
  1-5 for scores, dates, amounts of 0 or more, and an input message saying what to enter.
* ``Guidance``: what each column takes and the full rule catalogue, generated from
  :mod:`partnership_xl.fields` and :data:`partnership_xl.findings.CATALOGUE` so it cannot drift.
* ``Lists``: the canonical choices the drop-downs point at (hidden and protected).

The data rows hold no cells at all, so checking the blank template finds no partnerships and
no findings.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import xlsxwriter
from xlsxwriter.utility import xl_range_abs

from .config import Settings
from .fields import BENEFIT_FIELDS, Field, all_fields
from .findings import CATALOGUE

REGISTER_SHEET = "Partnership Register"
GUIDANCE_SHEET = "Guidance"
LISTS_SHEET = "Lists"
TABLE_NAME = "PartnershipRegister"
#: Empty data rows the table and its validations cover; Excel grows the table as officers type.
TEMPLATE_ROWS = 200
#: Empty rows printed under the headings (the blank form on paper).
PRINTED_ROWS = 30
#: The list form of the benefits is left out: the template records them as five yes/no columns.
LEFT_OUT = ("benefits",)
YES_NO = ("Yes", "No")
DATE_EXAMPLE = "26/02/2025"

#: What to type, by kind, added after each field's help text.
KIND_HINTS = {
    "choice": "Choose from the drop-down list.",
    "yesno": "Choose Yes or No from the drop-down list.",
    "score": "Enter a whole number from 1 (low) to 5 (high).",
    "date": f"Enter a date, e.g. {DATE_EXAMPLE}.",
    "money": "Enter pounds as a number, e.g. 5000.",
    "list": "",
    "text": "",
    "benefits": "",
}
_WIDTHS = {"text": 22, "list": 22, "choice": 18, "benefits": 22, "yesno": 11, "money": 13, "score": 11, "date": 12}
_NUMBER_FORMATS = {"date": "dd/mm/yyyy", "money": "£#,##0", "score": "0"}


def template_fields() -> tuple[Field, ...]:
    """The fields the template has columns for, in template order."""
    return tuple(f for f in all_fields() if f.name not in LEFT_OUT)


def field_help(field: Field) -> str:
    """The short help text of a field (``help`` in schemas/register.json)."""
    # fields.Field does not carry "help" yet; read it from the same schema data.
    return field.help


def what_to_enter(field: Field) -> str:
    """The input message of a column: required or not, its help text and what to type."""
    parts = ["Required." if field.required else "", field_help(field), KIND_HINTS.get(field.kind, "")]
    return " ".join(p for p in parts if p)


def allowed_values(field: Field) -> str:
    """The values a column accepts, as the Guidance sheet states them."""
    if field.kind in ("choice", "benefits"):
        return "; ".join(field.choices)
    return {
        "yesno": "Yes; No",
        "score": "A whole number from 1 to 5",
        "date": f"A date, day first, e.g. {DATE_EXAMPLE}",
        "money": "Pounds, 0 or more",
        "list": "Names separated by ; or on new lines",
    }.get(field.kind, "Text")


def also_accepted(field: Field) -> str:
    """The synonyms the checker also accepts for a choice field, e.g. ``CMT``, ``Cabinet``."""
    if field.kind not in ("choice", "benefits"):
        return ""
    return "; ".join(field.synonyms)


def required_text(field: Field) -> str:
    """The Guidance sheet's "Required?" entry for a field."""
    if field.required:
        return "Yes"
    if field.column_required:
        return "Column must be there; a blank is its rule's finding"
    return "No"


def write_template(out: Path, settings: Settings | None = None) -> None:
    """Write the blank register workbook to ``out`` (overwriting it).

    ``settings`` only changes the thresholds quoted on the Guidance sheet (defaults otherwise).
    Example: ``write_template(Path("Partnership Register.xlsx"))``.
    """
    settings = settings or Settings()
    fields = template_fields()
    book = xlsxwriter.Workbook(str(out), {"strings_to_formulas": False, "strings_to_urls": False})
    try:
        book.set_properties({"title": "Partnership Register", "comments": "Made by partnership-xl template"})
        formats = _formats(book)
        register = book.add_worksheet(REGISTER_SHEET)
        guidance = book.add_worksheet(GUIDANCE_SHEET)
        lists = book.add_worksheet(LISTS_SHEET)
        ranges = _write_lists(lists, fields, formats)
        _write_register(register, fields, ranges, formats)
        _write_guidance(guidance, fields, settings, formats)
        register.activate()
    finally:
        book.close()


def _formats(book: xlsxwriter.Workbook) -> dict:
    header = {"bold": True, "text_wrap": True, "valign": "top", "font_color": "#FFFFFF", "border": 1}
    return {
        "header": book.add_format({**header, "bg_color": "#2E6E73"}),
        "header_required": book.add_format({**header, "bg_color": "#163E42"}),
        "title": book.add_format({"bold": True, "font_size": 14}),
        "heading": book.add_format({"bold": True, "font_size": 12}),
        "wrap": book.add_format({"text_wrap": True, "valign": "top"}),
        "error": book.add_format({"text_wrap": True, "valign": "top", "bg_color": "#F4B6B6"}),
        "warning": book.add_format({"text_wrap": True, "valign": "top", "bg_color": "#FCE4B6"}),
        "info": book.add_format({"text_wrap": True, "valign": "top", "bg_color": "#CFE2F3"}),
        **{kind: book.add_format({"num_format": fmt, "valign": "top"}) for kind, fmt in _NUMBER_FORMATS.items()},
    }


def _write_lists(sheet, fields: tuple[Field, ...], formats: dict) -> dict[str, str]:
    """One column per choice field; returns field name → absolute range for the drop-down."""
    ranges = {}
    for col, field in enumerate(f for f in fields if f.kind == "choice"):
        # "Choices: ..." keeps this row from looking like a register header to the reader.
        sheet.write_string(0, col, f"Choices: {field.header}", formats["heading"])
        for row, value in enumerate(field.choices, start=1):
            sheet.write_string(row, col, value)
        sheet.set_column(col, col, 32)
        ranges[field.name] = f"={LISTS_SHEET}!{xl_range_abs(1, col, len(field.choices), col)}"
    sheet.hide()
    sheet.protect()
    return ranges


def _write_register(sheet, fields: tuple[Field, ...], ranges: dict[str, str], formats: dict) -> None:
    last_col = len(fields) - 1
    sheet.add_table(0, 0, TEMPLATE_ROWS, last_col, {
        "name": TABLE_NAME,
        "style": "Table Style Light 9",
        "columns": [
            {"header": f.header, "header_format": formats["header_required" if f.required else "header"]}
            for f in fields
        ],
    })
    sheet.set_row(0, 48)
    sheet.freeze_panes(1, 2)  # header row, and Ref + name while scrolling right
    _print_a4(sheet, tall=1)
    sheet.repeat_rows(0)
    sheet.print_area(0, 0, PRINTED_ROWS, last_col)  # a blank form: the headings and a page of empty rows
    for col, field in enumerate(fields):
        width = 10 if field.name == "ref" else _WIDTHS.get(field.kind, 20)
        cell_format = formats.get(field.kind) if field.kind in _NUMBER_FORMATS else formats["wrap"]
        sheet.set_column(col, col, width, cell_format)
        options = {"input_title": field.header[:32], "input_message": what_to_enter(field), **_validation(field, ranges)}
        if sheet.data_validation(1, col, TEMPLATE_ROWS, col, options) != 0:
            raise ValueError(f"Excel refuses the data validation of column {field.header!r}: is its help text over 255 characters?")


def _print_a4(sheet, tall: int = 0) -> None:
    """A4 (paper 9) landscape, one page wide (and ``tall`` pages tall, 0: as many as needed), page numbers in the footer."""
    sheet.set_paper(9)
    sheet.set_landscape()
    sheet.set_margins(left=0.4, right=0.4, top=0.5, bottom=0.6)
    sheet.fit_to_pages(1, tall)
    sheet.set_footer("&L&8Partnership Register&R&8Page &P of &N")


def _validation(field: Field, ranges: dict[str, str]) -> dict:
    """The data validation options of one column (Excel checks what officers type)."""
    allowed = {"error_title": "Not an allowed value", "error_message": f"{field.header}: {allowed_values(field)}. See the Guidance sheet."}
    if field.kind == "choice":
        return {"validate": "list", "source": ranges[field.name], **allowed}
    if field.kind == "yesno":
        return {"validate": "list", "source": list(YES_NO), **allowed}
    if field.kind == "score":
        return {"validate": "integer", "criteria": "between", "minimum": 1, "maximum": 5, **allowed}
    if field.kind == "date":
        return {"validate": "date", "criteria": "between", "minimum": date(1900, 1, 1), "maximum": date(2099, 12, 31),
                "error_title": "Not a date", "error_message": f"Enter a date, day first, e.g. {DATE_EXAMPLE}."}
    if field.kind == "money":
        return {"validate": "decimal", "criteria": ">=", "value": 0,
                "error_title": "Not an amount", "error_message": "Enter pounds as a number of 0 or more, e.g. 5000 (0 if none)."}
    return {"validate": "any"}  # text: the input message only


def _write_guidance(sheet, fields: tuple[Field, ...], settings: Settings, formats: dict) -> None:
    benefit_headers = ", ".join(BENEFIT_FIELDS.values())
    notes = [
        (f"One row per partnership on the '{REGISTER_SHEET}' sheet. Keep the headings in row 1 as they are: "
         "the checker finds each column by its heading, or by one of the other headings listed below."),
        ("Columns with dark headings are required for every partnership; others are needed when a rule below says so "
         "(see 'What to enter'). Click a cell to see what to enter, and use the drop-down lists for choices and Yes/No."),
        f"Dates are day first ({DATE_EXAMPLE}). Amounts are pounds a year, as numbers.",
        (f"Benefits (policy §3): this template records them as five Yes/No columns ({benefit_headers}). "
         "Some registers use one 'Benefits' column naming the categories instead; the checker reads either form, "
         "even mixed, but this template leaves the 'Benefits' column out so each benefit is recorded once."),
        (f"Risk and opportunity scores are likelihood x impact (1 to 25): Low up to {settings.low_max}, "
         f"Medium up to {settings.medium_max}, High above. Unbudgeted contributions of £{settings.executive_threshold:,.0f} "
         f"a year or more need the Executive (PP603); £{settings.significance_threshold:,.0f} or more makes a partnership "
         f"significant (PP701). Reviews are due every {settings.review_interval_months} months (PP501). "
         "These thresholds are set in partnership-xl.toml ('partnership-xl init' writes one)."),
        ("Check the register with: partnership-xl validate \"Partnership Register.xlsx\". "
         "Each finding has a code from the rule list below."),
    ]
    _print_a4(sheet)
    for col, width in enumerate(_GUIDANCE_WIDTHS):
        sheet.set_column(col, col, width)
    sheet.write_string(0, 0, "How to fill in the Partnership Register", formats["title"])
    row = 2
    for note in notes:
        sheet.merge_range(row, 0, row, len(_GUIDANCE_WIDTHS) - 1, note, formats["wrap"])
        sheet.set_row(row, _height([note], [sum(_GUIDANCE_WIDTHS)]))
        row += 1

    row += 1
    sheet.write_string(row, 0, "Columns", formats["heading"])
    row += 1
    columns = [(f.header, f.name, required_text(f), what_to_enter(f), allowed_values(f), also_accepted(f), "; ".join(f.aliases))
               for f in fields]
    headers = ["Column", "Field name (for [aliases])", "Required?", "What to enter", "Allowed values", "Also accepted",
               "Other headings the checker reads"]
    _guidance_table(sheet, row, "Columns", headers, columns, formats)
    row += len(columns) + 2

    sheet.set_h_pagebreaks([row])  # the rule list starts a page: its heading never ends one
    sheet.write_string(row, 0, "Rules the checker applies", formats["heading"])
    row += 1
    rules = [(r.code, r.severity.value, r.policy_text, r.finding, r.fires_when) for r in CATALOGUE.values()]
    _guidance_table(sheet, row, "Rules", ["Code", "Severity", "Policy clause", "Finding", "Fires when"], rules, formats,
                    severity_col=1)


#: Guidance column widths, chosen for both tables: Column/Code, Field name/Severity,
#: Required?/Policy clause, What to enter/Finding, Allowed values/Fires when, then the synonyms.
_GUIDANCE_WIDTHS = (26, 22, 30, 55, 50, 30, 30)


def _guidance_table(sheet, first_row: int, name: str, headers: list[str], rows: list[tuple], formats: dict,
                    severity_col: int | None = None) -> None:
    sheet.add_table(first_row, 0, first_row + len(rows), len(headers) - 1, {
        "name": f"Guidance{name}",
        "style": "Table Style Light 9",
        "columns": [{"header": h, "header_format": formats["header"]} for h in headers],
    })
    sheet.set_row(first_row, _height(headers, _GUIDANCE_WIDTHS))
    for r, values in enumerate(rows, start=first_row + 1):
        for c, value in enumerate(values):
            fmt = formats.get(value, formats["wrap"]) if c == severity_col else formats["wrap"]
            sheet.write_string(r, c, value, fmt)
        sheet.set_row(r, _height(values, _GUIDANCE_WIDTHS))


def _height(values, widths) -> float:
    # Excel does not grow a row for wrapped text written by a library: estimate the lines needed.
    lines = max(-(-len(str(v)) // max(int(w) - 2, 1)) for v, w in zip(values, widths, strict=False))
    return 15 * max(lines, 1)
