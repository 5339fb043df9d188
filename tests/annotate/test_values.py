"""annotate/values.py: a register no patch can keep gets a new .xlsx of every worksheet's values, text kept
as text, dates as dates, sheets hidden as they were, and one plain sentence saying what it lacks."""

from __future__ import annotations

import io
import zipfile
from datetime import date, datetime, time
from pathlib import Path

import openpyxl
import pytest

from partnership_xl.annotate.values import values_only_sentence, values_package


def reopened(package) -> openpyxl.Workbook:
    out = io.BytesIO()
    package.write(out)
    return openpyxl.load_workbook(io.BytesIO(out.getvalue()))


@pytest.fixture
def register(tmp_path) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Register"
    ws.append(["Ref", "Partnership", "Direct contribution", "Last reviewed", "Stamp", "Statutory", "Meets at", "Blank"])
    ws.append(["P001", "=HYPERLINK(\"http://evil\",\"x\")", 5000.5, date(2026, 1, 2), datetime(2026, 1, 2, 9, 30), True, time(9, 15), ""])
    ws["B2"].data_type = "s"  # text that looks like a formula
    ws["A4"] = "after a gap"
    hidden = wb.create_sheet("Lists")
    hidden.sheet_state = "hidden"
    hidden["A1"] = "Active"
    secret = wb.create_sheet("Workings")
    secret.sheet_state = "veryHidden"
    secret["A1"] = 42
    wb.create_chartsheet("Chart")
    path = tmp_path / "register.xlsx"
    wb.save(path)
    return path


def test_every_worksheet_is_copied_with_its_values_and_state(register):
    wb = reopened(values_package(register))
    assert [(ws.title, ws.sheet_state) for ws in wb.worksheets] == [("Register", "visible"), ("Lists", "hidden"), ("Workings", "veryHidden")]
    assert wb.chartsheets == []  # charts are not values
    ws = wb["Register"]
    assert [c.value for c in ws[2]][:6] == ["P001", '=HYPERLINK("http://evil","x")', 5000.5, datetime(2026, 1, 2), datetime(2026, 1, 2, 9, 30), True]
    assert ws["A4"].value == "after a gap" and ws["H2"].value is None
    assert wb["Workings"]["A1"].value == 42 and wb["Lists"]["A1"].value == "Active"


def test_text_that_looks_like_a_formula_stays_text(register):
    ws = reopened(values_package(register))["Register"]
    assert ws["B2"].data_type == "s"


def test_dates_show_as_uk_dates_and_times_with_their_time(register):
    ws = reopened(values_package(register))["Register"]
    assert ws["D2"].number_format == "dd/mm/yyyy" and ws["E2"].number_format == "dd/mm/yyyy hh:mm"
    assert ws["G2"].is_date and ws["G2"].value.hour == 9 and ws["G2"].value.minute == 15


def test_a_workbook_whose_every_sheet_is_hidden_gets_its_first_shown(tmp_path):
    wb = openpyxl.Workbook()
    wb.active.title = "Register"
    wb.create_sheet("Other")
    wb["Other"].sheet_state = "hidden"
    path = tmp_path / "hidden.xlsx"
    wb.save(path)
    with zipfile.ZipFile(path) as z:  # openpyxl will not save it with no sheet visible: hide the first by hand
        parts = {i.filename: z.read(i) for i in z.infolist()}
    parts["xl/workbook.xml"] = parts["xl/workbook.xml"].replace(b'<sheet name="Register" sheetId="1"', b'<sheet name="Register" sheetId="1" state="hidden"')
    with zipfile.ZipFile(path, "w") as z:
        for name, data in parts.items():
            z.writestr(name, data)
    copy = reopened(values_package(path))
    assert [(ws.title, ws.sheet_state) for ws in copy.worksheets] == [("Register", "visible"), ("Other", "hidden")]


@pytest.mark.parametrize(("kind", "said"), [
    ("xls", "a legacy .xls (Excel 97-2003) file"),
    ("xlsb", "a .xlsb (Excel binary) file"),
    ("ods", "a .ods (OpenDocument) file"),
])
def test_the_sentence_names_the_kind_of_file(kind, said):
    sentence = values_only_sentence(Path(f"Register.{kind}"), kind=kind)
    assert sentence.startswith(f"The register is {said}, which cannot be copied with its formatting")
    assert "values only" in sentence and sentence.endswith("Save the register as an Excel Workbook (.xlsx) to get a full copy.")


def test_the_sentence_names_an_unknown_kind_by_its_extension():
    assert values_only_sentence(Path("Register.XLSX.bak"), kind="other").startswith("The register is a .bak file")
    assert values_only_sentence(Path("Register"), kind=None).startswith("The register is a non-Excel 2007 file")


def test_the_sentence_gives_why_the_workbook_could_not_be_patched_in_at_most_120_characters():
    sentence = values_only_sentence(Path("Register.xlsx"), reason="the register sheet's part is cut short " + "x" * 200)
    reason = sentence[sentence.index("(") + 1:sentence.index(")")]
    assert reason.startswith("the register sheet's part is cut short") and len(reason) == 120
    assert sentence.startswith("This workbook could not be patched safely") and "its values were read and checked" in sentence
