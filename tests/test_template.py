"""The blank register written by ``partnership-xl template``."""

from __future__ import annotations

import csv
import shutil
import subprocess
from datetime import date, datetime

import openpyxl
import pytest
from openpyxl.utils import get_column_letter
from openpyxl.utils.cell import range_boundaries

from partnership_xl.config import Settings
from partnership_xl.engine import check
from partnership_xl.fields import alias_index, all_fields, fields_by_name, header_key
from partnership_xl.findings import CATALOGUE
from partnership_xl.template import (
    GUIDANCE_SHEET,
    LISTS_SHEET,
    REGISTER_SHEET,
    TEMPLATE_ROWS,
    YES_NO,
    template_fields,
    write_template,
)

AS_OF = date(2026, 11, 25)
LAST_ROW = TEMPLATE_ROWS + 1


@pytest.fixture(scope="module")
def template(tmp_path_factory):
    path = tmp_path_factory.mktemp("template") / "Partnership Register.xlsx"
    write_template(path)
    return path


@pytest.fixture(scope="module")
def book(template):
    return openpyxl.load_workbook(template)


def test_header_row_holds_the_template_headers(book):
    ws = book[REGISTER_SHEET]
    assert book.sheetnames[0] == REGISTER_SHEET and book.active.title == REGISTER_SHEET
    headers = [c.value for c in ws[1]]
    assert headers == [f.header for f in all_fields() if f.name != "benefits"]
    assert "Benefits" not in headers  # the five yes/no benefit columns instead
    assert ws.freeze_panes == "C2"
    assert ws.max_row == 1  # no data cells at all: nothing the checker could read as a partnership


def test_the_register_is_an_excel_table(book):
    ws = book[REGISTER_SHEET]
    (table,) = ws.tables.values()
    assert table.ref == f"A1:{get_column_letter(len(template_fields()))}{LAST_ROW}"
    assert [c.name for c in table.tableColumns] == [f.header for f in template_fields()]


def test_blank_template_checks_clean(template):
    result = check(template, Settings(), AS_OF)
    assert result.register.sheet == REGISTER_SHEET
    assert result.findings == []
    assert result.summary()["partnerships"] == 0
    assert result.not_checked == {}
    assert result.exit_code == 0


def _validations(ws) -> dict[int, object]:
    """Column number → the data validation covering rows 2..LAST_ROW of that column."""
    found = {}
    for dv in ws.data_validations.dataValidation:
        for cells in dv.sqref.ranges:
            min_col, min_row, max_col, max_row = range_boundaries(cells.coord)
            if (min_row, max_row) == (2, LAST_ROW):
                for col in range(min_col, max_col + 1):
                    assert col not in found, f"two validations on column {col}"
                    found[col] = dv
    return found


def _list_values(book, formula: str) -> list[str]:
    sheet, cells = formula.lstrip("=").split("!")
    min_col, min_row, max_col, max_row = range_boundaries(cells.replace("$", ""))
    assert min_col == max_col
    return [book[sheet].cell(r, min_col).value for r in range(min_row, max_row + 1)]


def test_every_column_has_its_validation_and_input_message(book):
    validations = _validations(book[REGISTER_SHEET])
    fields = template_fields()
    assert sorted(validations) == list(range(1, len(fields) + 1))
    for col, field in enumerate(fields, start=1):
        dv = validations[col]
        assert dv.showInputMessage and dv.prompt and len(dv.prompt) <= 255, field.name
        assert dv.promptTitle and len(dv.promptTitle) <= 32
        if field.required:
            assert dv.prompt.startswith("Required.")
        if field.kind == "choice":
            assert dv.type == "list" and dv.formula1.startswith(f"{LISTS_SHEET}!")
            assert _list_values(book, dv.formula1) == list(field.choices), field.name
        elif field.kind == "yesno":
            assert (dv.type, dv.formula1) == ("list", '"Yes,No"'), field.name
        elif field.kind == "score":
            assert (dv.type, dv.operator or "between", dv.formula1, dv.formula2) == ("whole", "between", "1", "5"), field.name
        elif field.kind == "date":
            assert dv.type == "date" and "Enter a date, e.g. 26/02/2025" in dv.prompt, field.name
        elif field.kind == "money":
            assert (dv.type, dv.operator, dv.formula1) == ("decimal", "greaterThanOrEqual", "0"), field.name
        else:
            assert dv.type is None, field.name  # text: the input message only
        if dv.type is not None:
            assert dv.showErrorMessage and dv.error


def test_lists_sheet_is_hidden_protected_and_not_a_register(book):
    lists = book[LISTS_SHEET]
    assert lists.sheet_state == "hidden"
    assert lists.protection.sheet
    known = alias_index()
    assert not any(header_key(c.value) in known for c in lists[1] if c.value)
    choice_fields = [f for f in template_fields() if f.kind == "choice"]
    assert lists.max_column == len(choice_fields)


def test_guidance_lists_every_column_and_every_rule(book):
    ws = book[GUIDANCE_SHEET]
    tables = {t.name: t for t in ws.tables.values()}

    def rows(table_name):
        min_col, min_row, max_col, max_row = range_boundaries(tables[table_name].ref)
        return [[ws.cell(r, c).value for c in range(min_col, max_col + 1)] for r in range(min_row + 1, max_row + 1)]

    rules = rows("GuidanceRules")
    assert rules == [[r.code, r.severity.value, r.policy_text, r.finding, r.fires_when] for r in CATALOGUE.values()]
    columns = rows("GuidanceColumns")
    assert [(c[0], c[1]) for c in columns] == [(f.header, f.name) for f in template_fields()]
    by_name = {c[1]: c for c in columns}
    assert by_name["ref"][2] == "Yes"
    assert by_name["ref"][3].startswith("Required.")
    assert by_name["approved_by"][4] == "; ".join(fields_by_name()["approved_by"].choices)
    assert "CMT" in by_name["approved_by"][5]  # synonyms the checker also accepts
    text = " ".join(str(c.value) for r in ws.iter_rows() for c in r if c.value)
    assert "leaves the 'Benefits' column out" in text


def _fill(template, path, rows: int, typed: dict[tuple[int, str], object] | None = None) -> None:
    """Type values into the template as its drop-downs allow: every allowed value somewhere."""
    wb = openpyxl.load_workbook(template)
    ws = wb[REGISTER_SHEET]
    for i in range(rows):
        r = i + 2
        for col, field in enumerate(template_fields(), start=1):
            if field.kind == "choice":
                value = field.choices[i % len(field.choices)]
            elif field.kind == "yesno":
                value = YES_NO[i % 2]
            elif field.kind == "score":
                value = i % 5 + 1
            elif field.kind == "date":
                value = datetime(2025, 1 + i, 10)
            elif field.kind == "money":
                value = 1000 * i
            elif field.kind == "email":
                value = f"officer{i + 1}@harborough.gov.uk"
            elif field.name == "ref":
                value = f"P{i + 1:03d}"
            else:
                value = f"{field.header} {i + 1}"
            ws.cell(r, col, (typed or {}).get((r, field.name), value))
    wb.save(path)


def test_values_from_the_drop_downs_are_all_accepted(template, tmp_path):
    rows = max(len(f.choices) for f in template_fields())
    filled = tmp_path / "filled register.xlsx"
    _fill(template, filled, rows)
    result = check(filled, Settings(), AS_OF)
    assert result.summary()["partnerships"] == rows
    codes = {f.code for f in result.findings}
    assert not codes & {"DQ002", "DQ003", "DQ004", "DQ005", "DQ009"}, [f for f in result.findings if f.code.startswith("DQ")]


def test_a_value_typed_past_the_drop_down_is_still_caught(template, tmp_path):
    filled = tmp_path / "filled register.xlsx"
    _fill(template, filled, 2, typed={(3, "approved_by"): "Cabinet member", (2, "status"): "Ongoing"})
    result = check(filled, Settings(), AS_OF)
    assert sorted((f.row, f.field) for f in result.findings if f.code == "DQ005") == [(2, "status"), (3, "approved_by")]


def test_guidance_quotes_the_settings_in_use(tmp_path):
    path = tmp_path / "t.xlsx"
    write_template(path, Settings(low_max=4, medium_max=9, executive_threshold=25000))
    ws = openpyxl.load_workbook(path)[GUIDANCE_SHEET]
    text = " ".join(str(c.value) for r in ws.iter_rows() for c in r if c.value)
    assert "Low up to 4" in text and "Medium up to 9" in text and "£25,000" in text


def test_text_that_looks_like_a_formula_stays_text(tmp_path):
    # Guidance text comes from data; strings_to_formulas=False keeps any leading "=" as text.
    path = tmp_path / "t.xlsx"
    write_template(path)
    ws = openpyxl.load_workbook(path)[GUIDANCE_SHEET]
    assert all(c.data_type != "f" for r in ws.iter_rows() for c in r)


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_the_template_opens_in_a_spreadsheet_program(template, tmp_path):
    profile = (tmp_path / "lo-profile").as_uri()  # its own profile: parallel runs do not collide
    subprocess.run(["soffice", f"-env:UserInstallation={profile}", "--headless", "--convert-to", "csv:Text - txt - csv (StarCalc):44,34,76", "--outdir", str(tmp_path), str(template)],
                   check=True, capture_output=True, timeout=180)
    with (tmp_path / f"{template.stem}.csv").open(encoding="utf-8", newline="") as f:  # 76: UTF-8 above
        lines = list(csv.reader(f))
    assert lines[0] == [f.header for f in template_fields()]
    assert not any(any(cell.strip() for cell in line) for line in lines[1:])
