"""The values-only copy, for a register no patch can keep: a new .xlsx of every sheet's values.

An .xls, .xlsb or .ods register (read by python-calamine), or an .xlsx the patcher cannot patch
safely, gets a new workbook written with xlsxwriter holding each sheet's values (text as text,
never as a formula), which is then marked like any other package.
"""

from __future__ import annotations

import io
from datetime import date, datetime, time, timedelta
from pathlib import Path

from ..workbook.package import Package

_KIND_LABEL = {"xls": "legacy .xls (Excel 97-2003)", "xlsb": ".xlsb (Excel binary)", "ods": ".ods (OpenDocument)"}
_WHAT = "its formatting, formulas, column widths, merged cells, drop-down lists, notes, charts or pictures"


def values_only_sentence(path: Path, reason: str | None = None, kind: str | None = None) -> str:
    """The sentence for a copy that holds the register's values only."""
    if reason is not None:
        return (f"This workbook could not be patched safely ({reason[:120]}), though its values were read and checked: the copy "
                f"is a new .xlsx holding the register's values only, without {_WHAT}. "
                "Open the register in Excel and save it again as an Excel Workbook (.xlsx) to get a full copy.")
    label = _KIND_LABEL.get(kind or "", path.suffix.lower() or "non-Excel 2007")
    return (f"The register is a {label} file, which cannot be copied with its formatting: the copy is a new .xlsx "
            f"holding the register's values only, without {_WHAT}. Save the register as an Excel Workbook (.xlsx) to get a full copy.")


def values_package(path: Path) -> Package:
    """A new package holding the values of every worksheet of the register at ``path``."""
    import python_calamine as pc
    import xlsxwriter

    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False,
                                        "strings_to_numbers": False})
    dates = book.add_format({"num_format": "dd/mm/yyyy"})
    stamps = book.add_format({"num_format": "dd/mm/yyyy hh:mm"})
    with open(path, "rb") as fh:  # by content, not by name: an .ods saved as "Register.xlsx" too
        source = pc.CalamineWorkbook.from_filelike(fh)
    try:
        sheets = [m for m in source.sheets_metadata if str(m.typ) == "SheetTypeEnum.WorkSheet"]
        states = [str(m.visible).rsplit(".", 1)[-1].lower() for m in sheets]
        if states and all(s in ("hidden", "veryhidden") for s in states):
            states[0] = "visible"  # a workbook needs one visible sheet
        for meta, state in zip(sheets, states, strict=True):
            ws = book.add_worksheet(meta.name[:31])
            if state == "hidden":
                ws.hide()
            elif state == "veryhidden":
                ws.very_hidden()
            for r, values in enumerate(source.get_sheet_by_name(meta.name).to_python(skip_empty_area=False)):
                for c, value in enumerate(values):
                    if isinstance(value, str):
                        if value:
                            ws.write_string(r, c, value)
                    elif isinstance(value, bool):
                        ws.write_boolean(r, c, value)
                    elif isinstance(value, (int, float)):
                        ws.write_number(r, c, value)
                    elif isinstance(value, datetime):
                        ws.write_datetime(r, c, value, stamps if (value.hour or value.minute) else dates)
                    elif isinstance(value, date):
                        ws.write_datetime(r, c, datetime(value.year, value.month, value.day), dates)
                    elif isinstance(value, time):
                        ws.write_datetime(r, c, datetime(1899, 12, 31, value.hour, value.minute, value.second), stamps)
                    elif isinstance(value, timedelta):
                        ws.write_number(r, c, value.total_seconds() / 86400)
        if not sheets:
            book.add_worksheet("Sheet1")
    finally:
        source.close()
    book.close()
    return Package.read(buffer.getvalue())
