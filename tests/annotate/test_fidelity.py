"""The copy is the officer's own package (SPEC §7): every part carried over byte for byte except the
few the annotation changes, nothing removed, in the same order; it reopens with python-calamine and
openpyxl with the same values, LibreOffice converts it, and checking it again changes nothing.

Made with the rich register of :mod:`.workbooks` (charts, pictures, a table, notes, validations,
conditional formats, a chart sheet between worksheets, defined names) and, ``lossy``, the things
openpyxl could not keep: a text box, a form control, a sparkline, an Excel 2010 data bar, a header
picture, ignored errors, a background picture and a dynamic array formula."""

from __future__ import annotations

import os
import shutil
import subprocess
import zipfile
from dataclasses import dataclass
from pathlib import Path

import openpyxl
import pytest
import python_calamine as pc

from partnership_xl.annotate import write_annotated
from partnership_xl.config import Settings
from partnership_xl.engine import check
from partnership_xl.model import CheckResult, finding_dicts
from partnership_xl.workbook.ooxml import WorkbookMap
from partnership_xl.workbook.package import Package, rels_name

from ..conftest import AS_OF
from .order import assert_schema_order
from .workbooks import rich_register

pytestmark = pytest.mark.filterwarnings("ignore:.*extension is not supported:UserWarning")
ADDED_SHEETS = ("Findings", "Summary")


@dataclass
class Copy:
    original: Path
    copy: Path
    result: CheckResult
    losses: list[str]


@pytest.fixture(scope="module", params=[False, True], ids=["plain", "lossy"])
def copies(request, tmp_path_factory) -> Copy:
    folder = tmp_path_factory.mktemp("fidelity")
    original = rich_register(folder / "register.xlsx", lossy=request.param)
    result = check(original, Settings(), AS_OF)
    copy = folder / "register - checked.xlsx"
    return Copy(original, copy, result, write_annotated(result, copy))


def allowed_to_change(path: Path, sheet: str) -> set[str]:
    """The parts SPEC §7 lets the annotation change, found through workbook.xml and the rels."""
    package = Package.read(path)
    book = WorkbookMap(package)
    part = book.sheet(sheet).part
    allowed = {"[Content_Types].xml", book.part, rels_name(book.part), "docProps/app.xml", part, rels_name(part)}
    for rel in package.rels(part):
        if rel.type.endswith(("/comments", "/vmlDrawing")):
            allowed.add(package.find(os.path.normpath(os.path.join(os.path.dirname(part), rel.target))) or "")
    for rel in package.rels(book.part):
        if rel.type.endswith(("/styles", "/sharedStrings")):
            allowed.add(package.find(os.path.normpath(os.path.join(os.path.dirname(book.part), rel.target))) or "")
    return allowed


def test_nothing_is_removed_and_the_order_is_kept(copies):
    with zipfile.ZipFile(copies.original) as a, zipfile.ZipFile(copies.copy) as b:
        before, after = a.namelist(), b.namelist()
    assert [n for n in after if n in before] == before
    added = after[len(before):]
    assert all(n not in before for n in added)


def test_every_part_the_annotation_does_not_own_is_byte_identical(copies):
    allowed = allowed_to_change(copies.original, copies.result.register.sheet)
    with zipfile.ZipFile(copies.original) as a, zipfile.ZipFile(copies.copy) as b:
        changed = [n for n in a.namelist() if a.read(n) != b.read(n)]
    assert changed and set(changed) <= allowed, set(changed) - allowed
    assert copies.losses == []


def test_every_value_of_every_sheet_is_in_the_copy(copies):
    a, b = pc.CalamineWorkbook.from_path(str(copies.original)), pc.CalamineWorkbook.from_path(str(copies.copy))
    assert b.sheet_names == a.sheet_names + list(ADDED_SHEETS)
    tool = copies.result.register
    for name in a.sheet_names:
        if str(next(m for m in a.sheets_metadata if m.name == name).typ) != "SheetTypeEnum.WorkSheet":
            continue
        before = a.get_sheet_by_name(name).to_python(skip_empty_area=False)
        after = b.get_sheet_by_name(name).to_python(skip_empty_area=False)
        if name == tool.sheet:
            after = [r[: tool.last_column] for r in after]
            before = [r[: tool.last_column] for r in before]
        assert after[: len(before)] == before, name


def test_the_copy_reopens_with_openpyxl_with_the_same_formulas(copies):
    before, after = openpyxl.load_workbook(copies.original), openpyxl.load_workbook(copies.copy)
    assert after.sheetnames == before.sheetnames + list(ADDED_SHEETS)
    for ws in before.worksheets:
        other = after[ws.title]
        for row in ws.iter_rows():
            for c in row:
                assert _value(other[c.coordinate]) == _value(c), (ws.title, c.coordinate)
    assert {n: d.attr_text for n, d in after.defined_names.items()} == {n: d.attr_text for n, d in before.defined_names.items()}
    for ws in before.worksheets:  # sheet-scoped names stay on their sheets
        assert {n: d.attr_text for n, d in after[ws.title].defined_names.items()} == {n: d.attr_text for n, d in ws.defined_names.items()}


def _value(cell) -> object:
    value = cell.value
    return (value.ref, value.text) if hasattr(value, "text") and hasattr(value, "ref") else value


def test_every_changed_part_is_in_schema_order(copies):
    assert_schema_order(copies.copy)


def test_checking_the_copy_again_changes_nothing(copies, tmp_path):
    again = check(copies.copy, Settings(), AS_OF)
    assert finding_dicts(again.findings) == finding_dicts(copies.result.findings)
    second = tmp_path / "second.xlsx"
    write_annotated(again, second)
    with zipfile.ZipFile(copies.copy) as a, zipfile.ZipFile(second) as b:
        assert a.namelist() == b.namelist()
        changed = [n for n in a.namelist() if a.read(n) != b.read(n)]
    assert changed == []


def test_the_copy_opens_in_libreoffice(copies, tmp_path):
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        if os.environ.get("CI"):
            pytest.fail("LibreOffice (soffice) is not installed, and CI must run this test: .ci/run installs libreoffice-calc-nogui")
        pytest.skip("LibreOffice (soffice) is not installed here; CI installs it and runs this test")
    profile = (tmp_path / "lo-profile").as_uri()
    done = subprocess.run([soffice, f"-env:UserInstallation={profile}", "--headless", "--convert-to", "xlsx:Calc MS Excel 2007 XML",
                           "--outdir", str(tmp_path / "lo"), str(copies.copy)], capture_output=True, text=True, timeout=180)
    converted = tmp_path / "lo" / copies.copy.name
    assert done.returncode == 0 and converted.is_file(), done.stderr
    names = pc.CalamineWorkbook.from_path(str(converted)).sheet_names
    assert {"Findings", "Summary", copies.result.register.sheet} <= set(names)
