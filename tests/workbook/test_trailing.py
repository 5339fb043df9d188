"""A register formatted down to row 1,048,576 (SPEC §2): the same findings as without the
formatting, read without parsing a million empty rows, and an annotated copy that keeps every
one of those rows' formats (SPEC §7), written as openpyxl itself would write them."""

from __future__ import annotations

import re
import shutil
import zipfile
from pathlib import Path

import openpyxl
import pytest

from partnership_xl.annotate import write_annotated
from partnership_xl.config import Settings
from partnership_xl.engine import check
from partnership_xl.workbook import trailing

from ..conftest import AS_OF

SAMPLE = Path(__file__).resolve().parents[2] / "sample_register.xlsx"
SHEET = "Partnership Register"
LAST = trailing.EXCEL_MAX_ROW

pytestmark = pytest.mark.filterwarnings("ignore:.*extension is not supported:UserWarning")


def _format_rows(src: Path, dst: Path, last: int = LAST, prefix_rows: bool = True) -> int:
    """Copy ``src`` with every row after the register sheet's last used row down to ``last``
    formatted, as Excel writes whole-row formatting: a cell-less <row/> for each, mostly alike,
    with a few of other formats (a height, hidden, spans, one openpyxl keeps nothing of).
    Returns the first formatted row."""
    with zipfile.ZipFile(src) as z:
        part = trailing.sheet_parts(z)[SHEET]
        parts = {i.filename: z.read(i) for i in z.infolist()}
    xml = parts[part]
    end = xml.rfind(b"</sheetData>")
    first = int(re.findall(rb'<row r="([0-9]+)"', xml[:end])[-1]) + 1
    special = {
        first: b' spans="1:43" s="2" customFormat="1"',  # xlsxwriter writes spans on the rows next to data
        first + 7: b' s="4" customFormat="1" ht="30" customHeight="1"',
        first + 8: b' s="2" customFormat="1" hidden="1"',
        first + 9: b' spans="1:3"',  # nothing openpyxl keeps: it writes no row for it
        last - 1: b' s="5" customFormat="1"',
    }
    rows = [b'<row r="%d"%s/>' % (r, special.get(r, b' s="2" customFormat="1"')) for r in range(first, last + 1)]
    parts[part] = xml[:end] + b"".join(rows) + xml[end:]
    with zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as out:
        for name, data in parts.items():
            out.writestr(name, data)
    return first


def _sheet_xml(path: Path) -> bytes:
    with zipfile.ZipFile(path) as z:
        return z.read(trailing.sheet_parts(z)[SHEET])


def _findings(result) -> list[tuple]:
    return [(f.code, f.ref, f.sheet, f.cell, f.row, f.field, f.message) for f in result.findings]


@pytest.fixture(scope="module")
def formatted(tmp_path_factory) -> tuple[Path, int]:
    path = tmp_path_factory.mktemp("formatted") / "register.xlsx"
    return path, _format_rows(SAMPLE, path)


def test_the_formatted_rows_are_cut_before_reading(formatted):
    path, first = formatted
    cut = trailing.cut_package(path)
    assert cut is not None and cut.data is not None
    with zipfile.ZipFile(cut.data) as z:
        xml = z.read(trailing.sheet_parts(z)[SHEET])
    assert b'<row r="%d"' % LAST not in xml and b'<row r="%d"' % first not in xml
    assert cut.xml[SHEET] == xml  # kept for the reader's scan of error cells


def test_findings_are_the_same_with_and_without_the_formatting(formatted):
    path, _ = formatted
    plain, styled = check(SAMPLE, Settings(), AS_OF), check(path, Settings(), AS_OF)
    assert _findings(styled) == _findings(plain)
    assert styled.register.skipped_rows == plain.register.skipped_rows
    assert list(styled.scores.index) == list(plain.scores.index)


def test_the_copy_keeps_every_trailing_row_byte_for_byte(formatted, tmp_path):
    """The copy streams the register sheet: rows after the last one it marks are copied as they are."""
    path, first = formatted
    result = check(path, Settings(), AS_OF)
    out = tmp_path / "copy.xlsx"
    write_annotated(result, out)
    before, after = _sheet_xml(path), _sheet_xml(out)
    run = before[before.index(b'<row r="%d"' % first):before.rindex(b"</sheetData>")]
    assert len(run) > 40_000_000 and run in after
    assert after.count(b"<row ") == before.count(b"<row ")

    again = check(out, Settings(), AS_OF)  # checking the copy again: the same sheet, the same findings
    assert again.register.sheet == SHEET and _findings(again) == _findings(result)
    second = tmp_path / "second.xlsx"
    write_annotated(again, second)
    assert _sheet_xml(second) == after


def test_cells_below_the_table_in_a_formatted_sheet_keep_their_place(tmp_path):
    """A note typed below the table, among the formatted rows: rows stay in order, the formats stay."""
    path = tmp_path / "register.xlsx"
    first = _format_rows(SAMPLE, path, last=3000)
    with zipfile.ZipFile(path) as z:
        parts = {i.filename: z.read(i) for i in z.infolist()}
    part = [n for n in parts if n.endswith(".xml") and b'<row r="%d"' % first in parts[n]][0]
    note = b'<row r="%d" s="2" customFormat="1"><c r="B%d" t="inlineStr"><is><t>Notes below the table</t></is></c></row>' % (first + 100, first + 100)
    parts[part] = re.sub(rb'<row r="%d"[^>]*/>' % (first + 100), note, parts[part])
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in parts.items():
            z.writestr(name, data)
    out = tmp_path / "out.xlsx"
    write_annotated(check(path, Settings(), AS_OF), out)
    xml = _sheet_xml(out)
    rows = [int(r) for r in re.findall(rb'<row r="([0-9]+)"', xml)]
    assert rows == sorted(rows) and rows[-1] == 3000 and first + 100 in rows
    ws = openpyxl.load_workbook(out)[SHEET]
    assert ws.cell(first + 100, 2).value == "Notes below the table"
    assert ws.row_dimensions[first + 7].height == 30 and ws.row_dimensions[first + 8].hidden


@pytest.mark.parametrize("case", ["prefixed", "out of order", "spaced", "no r", "a cell"])
def test_unusual_trailing_rows(case):
    """Whatever the rows after the last cell look like, the run cut holds no cell, and only rows."""
    head = b'<worksheet xmlns="m"><sheetData><row r="1"><c r="A1"><v>1</v></c></row>'
    rows = [b'<row r="%d" s="1" customFormat="1"/>' % r for r in range(2, 500)]
    if case == "prefixed":
        head = b'<x:worksheet xmlns:x="m"><x:sheetData><x:row r="1"><x:c r="A1"><x:v>1</x:v></x:c></x:row>'
        rows = [r.replace(b"<row", b"<x:row") for r in rows]
    elif case == "out of order":
        rows[100], rows[101] = rows[101], rows[100]
    elif case == "spaced":
        rows = [b"\n  " + r for r in rows]
    elif case == "no r":
        rows[5] = b'<row s="1" customFormat="1"/>'
    elif case == "a cell":
        rows[5] = b'<row r="7" s="1"><c r="A7" s="1"/></row>'
    end_tag = b"</x:sheetData></x:worksheet>" if case == "prefixed" else b"</sheetData></worksheet>"
    xml = head + b"".join(rows) + end_tag
    found = trailing.find_tail(xml, 1)
    if case == "spaced":
        assert found is None  # the run must start with a row: left alone
        return
    start, end = found
    assert b"<c" not in xml[start:end].replace(b"<x:c", b"<c") and xml[start:end].count(b"row") >= 490
    if case == "a cell":
        assert xml[start:end].startswith(b'<row r="8"')


def test_a_workbook_without_formatted_rows_is_read_as_it_is(tmp_path):
    copy = tmp_path / "plain.xlsx"
    shutil.copyfile(SAMPLE, copy)
    assert trailing.cut_package(copy, min_bytes=1).data is None
