"""workbook/sheetsize.py: a worksheet too big to read is refused before a reader allocates for it (SPEC §8)."""

from __future__ import annotations

import zipfile

import pytest
import xlsxwriter

from partnership_xl import errors
from partnership_xl.config import Limits
from partnership_xl.workbook.sniff import inspect_register

from .. import stray_cells
from .refusals import refused, replace_part


def test_sheet_formatted_to_the_last_row_is_fine(tmp_path):
    path = tmp_path / "Register.xlsx"
    book = xlsxwriter.Workbook(path)
    sheet = book.add_worksheet()
    sheet.write_row(0, 0, ["Ref", "Partnership name"])
    sheet.write_blank(1_048_575, 16_383, None, book.add_format({"bg_color": "#FFFF00"}))
    book.close()
    with zipfile.ZipFile(path) as zf:
        assert b'<dimension ref="A1:XFD1048576"/>' in zf.read("xl/worksheets/sheet1.xml")
    assert inspect_register(path, Limits()) == "xlsx"
    assert inspect_register(path, Limits(max_cells=1000, max_rows=1000)) == "xlsx"


@pytest.mark.parametrize("sheet_name, cell, fragment", [
    ("Register", (1_048_575, 16_383), "as far out as row 1,048,576 and column XFD"),  # python-calamine aborted the process
    ("Guidance notes", (59_999, 701), "as far out as row 60,000 and column ZZ"),  # 42 million cells, 1.7 GB
])
def test_a_stray_value_far_from_the_table_is_refused_before_a_reader_allocates_for_it(tmp_path, sheet_name, cell, fragment):
    """The readers allocate the box from the first to the last cell holding something, not the cells held."""
    path = tmp_path / "Register.xlsx"
    book = xlsxwriter.Workbook(path)
    register = book.add_worksheet("Register")
    register.write_row(0, 0, ["Ref", "Partnership name"])
    sheet = register if sheet_name == "Register" else book.add_worksheet(sheet_name)
    sheet.write(0, 0, "How to keep the register")
    sheet.write(*cell, "oops")
    book.close()
    message = refused(path, errors.UnsafeWorkbook, fragment)
    assert f"sheet '{sheet_name}'" in message and "Ctrl+End" in message and "max_cells" in message
    assert inspect_register(path, Limits(max_cells=20_000_000_000)) == "xlsx"


def test_an_oversized_sheet_is_handed_back_when_asked_so_the_reader_can_pass_it_over(tmp_path):
    path = tmp_path / "Register.xlsx"
    book = xlsxwriter.Workbook(path)
    book.add_worksheet("Register").write_row(0, 0, ["Ref", "Partnership name"])
    book.add_worksheet("Guidance notes").write(59_999, 701, "oops")  # alone: the box read from A1 is still 42 million cells
    book.close()
    oversized: list = []
    assert inspect_register(path, Limits(), oversized) == "xlsx"
    assert [exc.sheet for exc in oversized] == ["Guidance notes"]
    assert isinstance(oversized[0], errors.UnsafeWorkbook) and "Ctrl+End" in str(oversized[0])


@pytest.mark.parametrize("cell", ['<c r="ZZZZ9"><v>1</v></c>', '<c r="A99999999"><v>1</v></c>', '<x:c s="1" r="XFE1" t="n"><x:v>1</x:v></x:c>'])
def test_a_cell_beyond_excels_last_one_is_refused(good, tmp_path, cell):
    """Even when the <dimension> says the sheet is small: calamine would try to allocate up to it."""
    with zipfile.ZipFile(good) as zf:
        sheet = zf.read("xl/worksheets/sheet1.xml")
    hostile = tmp_path / "hostile.xlsx"
    hostile.write_bytes(replace_part(good.read_bytes(), "xl/worksheets/sheet1.xml", sheet.replace(b"</sheetData>", b"<row r=\"9\">" + cell.encode() + b"</row></sheetData>")))
    refused(hostile, errors.UnsafeWorkbook, "beyond Excel's last cell XFD1048576")


def test_a_sheet_part_cut_short_inside_a_whole_zip_is_damaged_not_no_register(good, tmp_path):
    """The zip is whole but the sheet's XML stops half-way: the readers skipped the sheet and said
    'no sheet looks like a register'; it is a damaged file."""
    with zipfile.ZipFile(good) as zf:
        sheet = zf.read("xl/worksheets/sheet1.xml")
    cut = tmp_path / "cut.xlsx"
    cut.write_bytes(replace_part(good.read_bytes(), "xl/worksheets/sheet1.xml", sheet[: len(sheet) * 2 // 3]))
    refused(cut, errors.NotAWorkbook, "is damaged or incomplete")


# --- far cells in large parts (issue 14) ----------------------------------------------------------

def test_a_large_part_whose_dimension_understates_it_is_measured(tmp_path):
    """Parts over 2 MB declaring a small <dimension> were not scanned: a value in XFD1048576 crashed calamine."""
    path = stray_cells.xlsx_with_a_large_sheet(tmp_path / "Register.xlsx")
    assert zipfile.ZipFile(path).getinfo("xl/worksheets/sheet1.xml").file_size > 2 * 1024 * 1024
    refused(path, errors.OversizedSheet, "as far out as row 1,048,576 and column XFD")


def test_a_large_part_whose_cells_stay_inside_its_dimension_passes(tmp_path):
    path = stray_cells.xlsx_with_a_large_sheet(tmp_path / "Register.xlsx", far=None)
    sheet = zipfile.ZipFile(path).read("xl/worksheets/sheet1.xml")
    path.write_bytes(replace_part(path.read_bytes(), "xl/worksheets/sheet1.xml", sheet.replace(b'ref="A1:AN2"', b'ref="A1:AN30009"')))
    assert inspect_register(path, Limits()) == "xlsx"


@pytest.mark.parametrize("far, fits", [((30_009, 40), True), ((30_010, 40), True), ((200_000, 40), False), ((2, 200_000 // 40), False)])
def test_a_value_just_outside_the_dimension_is_measured_not_guessed(tmp_path, far, fits):
    """Outside the declared box, every cell is counted: 30,010 x 40 is within 5 million cells, 200,000 x 40 is not."""
    path = stray_cells.xlsx_with_a_large_sheet(tmp_path / "Register.xlsx", far=far)
    if fits:
        assert inspect_register(path, Limits()) == "xlsx"
    else:
        refused(path, errors.OversizedSheet, "setting max_cells")


def test_outside_pattern_compares_rows_and_columns_as_numbers():
    from partnership_xl.workbook.sheetsize import _outside_pattern

    inside, outside = ["AN2", "an2", "A1", "Z2", "AN02"], ["AO1", "ao1", "AN3", "BA1", "AAA1", "A0", "A10", "XFD1048576"]
    pattern = _outside_pattern(2, 40)
    assert [ref for ref in inside if pattern.search(f'<c r="{ref}">')] == []
    assert [ref for ref in outside if not pattern.search(f"<c  r = '{ref}'>")] == []
