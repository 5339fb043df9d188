"""workbook/extent.py: an .ods or .xlsb sheet whose cells reach too far is refused in a plain sentence (SPEC §8, issue 14)."""

from __future__ import annotations

import struct
import zipfile

import pytest

from partnership_xl import errors
from partnership_xl.config import Limits
from partnership_xl.workbook.sniff import inspect_register

from .. import stray_cells
from .refusals import refused, replace_part

# --- far cells in .ods and .xlsb (issue 14) --------------------------------------------------------

def test_an_ods_with_a_value_in_the_last_cell_is_refused(tmp_path):
    refused(stray_cells.ods(tmp_path / "Register.ods"), errors.OversizedSheet, "sheet 'Register' has something as far out as row 1,048,576 and column XFD")


def test_an_ods_with_librecalcs_million_empty_rows_passes(tmp_path):
    assert inspect_register(stray_cells.ods(tmp_path / "Register.ods", far=None), Limits(max_cells=100)) == "ods"


def test_an_ods_cut_short_after_a_far_value_is_still_refused(tmp_path):
    """The scan stops where the XML breaks, but what it saw before counts."""
    path = stray_cells.ods(tmp_path / "Register.ods")
    content = zipfile.ZipFile(path).read("content.xml")
    path.write_bytes(replace_part(path.read_bytes(), "content.xml", content[: content.index(b"</table:table>")]))
    refused(path, errors.OversizedSheet, "as far out as row 1,048,576")


def test_an_xlsb_with_a_value_in_the_last_cell_is_refused_and_named(tmp_path):
    path = stray_cells.xlsb(tmp_path / "Register.xlsb")
    refused(path, errors.OversizedSheet, "sheet 'Register' has something as far out as row 1,048,576 and column XFD")
    oversized: list = []
    assert inspect_register(path, Limits(), oversized) == "xlsb" and [exc.sheet for exc in oversized] == ["Register"]


def test_an_xlsb_formatted_to_the_last_cell_passes(tmp_path):
    """A blank cell record is formatting only: calamine does not place it, so it does not count."""
    assert inspect_register(stray_cells.xlsb(tmp_path / "Register.xlsb", blank_far=True), Limits()) == "xlsb"


@pytest.mark.parametrize("part, text", [("xl/workbook.bin", "rId1"), ("xl/workbook.bin", "Register"), ("xl/worksheets/sheet1.bin", "Ref")])
def test_an_xlsb_whose_strings_run_past_their_record_is_damaged(tmp_path, part, text):
    """Found by the fuzz test: a sheet's relationship id longer than its record made python-calamine
    panic ("range end index 4042322172 out of range"), printing a Rust report before the sentence."""
    path = stray_cells.xlsb(tmp_path / "Register.xlsb", far=None)
    content = zipfile.ZipFile(path).read(part)
    string = struct.pack("<I", len(text)) + text.encode("utf-16-le")
    assert content.count(string) == 1
    path.write_bytes(replace_part(path.read_bytes(), part, content.replace(string, struct.pack("<I", 0xF0F0F0F0) + string[4:])))
    refused(path, errors.NotAWorkbook, "is damaged or incomplete")


def test_an_xlsb_cut_short_is_damaged(tmp_path):
    path = stray_cells.xlsb(tmp_path / "Register.xlsb", far=None)
    content = zipfile.ZipFile(path).read("xl/worksheets/sheet1.bin")
    path.write_bytes(replace_part(path.read_bytes(), "xl/worksheets/sheet1.bin", content[: len(content) // 2]))
    refused(path, errors.NotAWorkbook, "is damaged or incomplete")


@pytest.mark.parametrize("rels", [lambda r: r.replace(b'Id="rId1"', b'Id="rIe1"'), lambda r: b""])
def test_an_xlsb_naming_a_sheet_its_relationships_lack_is_damaged(tmp_path, rels):
    """Found by the fuzz test: a flipped byte in workbook.bin.rels made python-calamine panic ("no
    entry found for key"), printing a Rust report before the sentence."""
    path = stray_cells.xlsb(tmp_path / "Register.xlsb", far=None)
    content = zipfile.ZipFile(path).read("xl/_rels/workbook.bin.rels")
    assert b'Id="rId1"' in content
    path.write_bytes(replace_part(path.read_bytes(), "xl/_rels/workbook.bin.rels", rels(content)))
    refused(path, errors.NotAWorkbook, "is damaged or incomplete")


def test_an_xlsb_whose_sheets_are_all_linked_passes(tmp_path):
    assert inspect_register(stray_cells.xlsb(tmp_path / "Register.xlsb", far=None), Limits()) == "xlsb"
