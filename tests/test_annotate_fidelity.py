"""Nothing lost, or every loss declared: the annotated copy against the original, cell by cell,
read by openpyxl, by python-calamine (an independent reader) and opened by LibreOffice."""

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
from openpyxl.worksheet.formula import ArrayFormula
from openpyxl.xml.functions import tostring

from partnership_xl.annotate import write_annotated
from partnership_xl.annotate_losses import Inventory, detect_losses, inspect, reconcile
from partnership_xl.config import Settings
from partnership_xl.engine import check
from partnership_xl.model import TOOL_COLUMN_SUFFIX, CheckResult

from .annotate.workbooks import add_parts, rich_register
from .conftest import AS_OF

pytestmark = pytest.mark.filterwarnings("ignore:.*extension is not supported:UserWarning")
ADDED_SHEETS = {"Findings", "Summary", "_partnership-xl"}


@dataclass
class Copy:
    original: Path
    copy: Path
    result: CheckResult
    losses: list[str]
    lossy: bool


@pytest.fixture(scope="module", params=[False, True], ids=["keepable", "lossy"])
def copies(request, tmp_path_factory) -> Copy:
    """The fidelity register, with and without content openpyxl cannot keep, and its annotated copy."""
    folder = tmp_path_factory.mktemp("fidelity")
    original = rich_register(folder / "register.xlsx", lossy=request.param)
    result = check(original, Settings(), AS_OF)
    copy = folder / "register - checked.xlsx"
    return Copy(original, copy, result, write_annotated(result, copy), request.param)


def tool_columns(ws) -> set[int]:
    return {c.column for row in ws.iter_rows(max_row=10) for c in row
            if isinstance(c.value, str) and c.value.endswith(TOOL_COLUMN_SUFFIX)}


def comparable(cell) -> tuple:
    value = cell.value
    if isinstance(value, ArrayFormula):
        value = ("array", value.ref, value.text)
    return value, cell.data_type


def style_of(cell) -> tuple:
    parts = ("font", "fill", "border", "alignment", "protection")
    return tuple(tostring(getattr(cell, k).to_tree()) for k in parts) + (cell.number_format,)


def test_every_value_and_formula_of_every_sheet_is_in_the_copy(copies):
    original, copy = copies.original, copies.copy
    for data_only in (False, True):  # formulas, then the results Excel saved with them
        before, after = openpyxl.load_workbook(original, data_only=data_only), openpyxl.load_workbook(copy, data_only=data_only)
        assert [s.title for s in before._sheets] == [s.title for s in after._sheets if s.title not in ADDED_SHEETS]
        for ws in before.worksheets:
            other = after[ws.title]
            for (r, c), cell in ws._cells.items():
                assert comparable(other.cell(r, c)) == comparable(cell), f"{ws.title}!{cell.coordinate}"
            extra = {k for k, v in other._cells.items() if k not in ws._cells and v.value is not None}
            assert {c for _, c in extra} <= tool_columns(other), ws.title
    assert openpyxl.load_workbook(copy, data_only=True)["Register"]["U4"].value == 2  # =1+1, its result kept


def test_every_style_is_kept_except_on_the_marked_cells(copies):
    original, copy, result = copies.original, copies.copy, copies.result
    before, after = openpyxl.load_workbook(original), openpyxl.load_workbook(copy)
    marked = {(f.sheet, f.cell) for f in result.findings}
    for ws in before.worksheets:
        for (r, c), cell in ws._cells.items():
            if (ws.title, cell.coordinate) not in marked:
                assert style_of(after[ws.title].cell(r, c)) == style_of(cell), f"{ws.title}!{cell.coordinate}"
            else:
                mine = after[ws.title].cell(r, c)
                assert style_of(mine)[:1] + style_of(mine)[2:] == style_of(cell)[:1] + style_of(cell)[2:]


def test_the_workbook_structure_is_kept(copies):
    original, copy = copies.original, copies.copy
    before, after = openpyxl.load_workbook(original), openpyxl.load_workbook(copy)
    assert [(s.title, s.sheet_state) for s in before._sheets] == [(s.title, s.sheet_state) for s in after._sheets if s.title not in ADDED_SHEETS]
    assert after["_partnership-xl"].sheet_state == "veryHidden"
    assert dict(before.defined_names) .keys() == dict(after.defined_names).keys()
    assert before.defined_names["Contributions"].attr_text == after.defined_names["Contributions"].attr_text
    for ws in before.worksheets:
        other = after[ws.title]
        assert sorted(map(str, other.merged_cells.ranges)) == sorted(map(str, ws.merged_cells.ranges))
        assert [(str(v.sqref), v.formula1) for v in other.data_validations.dataValidation] == \
               [(str(v.sqref), v.formula1) for v in ws.data_validations.dataValidation]
        assert [(str(cf.sqref), [r.type for r in cf.rules]) for cf in other.conditional_formatting] == \
               [(str(cf.sqref), [r.type for r in cf.rules]) for cf in ws.conditional_formatting]
        assert other.freeze_panes == ws.freeze_panes and other.print_title_rows == ws.print_title_rows
        assert other.print_area == ws.print_area and other.page_setup.orientation == ws.page_setup.orientation
        assert dict(other.defined_names).keys() == dict(ws.defined_names).keys()
        assert other.sheet_properties.tabColor == ws.sheet_properties.tabColor
        assert sorted(other.tables) == sorted(ws.tables)
        assert len(other._charts) == len(ws._charts) and len(other._images) == len(ws._images)
        assert [(h.ref, h.target) for h in other._hyperlinks] == [(h.ref, h.target) for h in ws._hyperlinks]
        widths = {k: (d.width, d.hidden) for k, d in ws.column_dimensions.items()}
        assert {k: (d.width, d.hidden) for k, d in other.column_dimensions.items() if k in widths} == widths
        assert {r: d.height for r, d in other.row_dimensions.items() if d.height} == {r: d.height for r, d in ws.row_dimensions.items() if d.height}
    assert len(after["Chart sheet"]._charts) == 1
    assert len(after["Charts"]._charts) == 1 and len(after["Charts"]._images) == 1


def test_the_copy_opens_with_python_calamine(copies):
    original, copy, result = copies.original, copies.copy, copies.result
    before, after = pc.CalamineWorkbook.from_path(str(original)), pc.CalamineWorkbook.from_path(str(copy))
    assert set(after.sheet_names) == set(before.sheet_names) | ADDED_SHEETS
    for meta in before.sheets_metadata:
        if str(meta.typ) != "SheetTypeEnum.WorkSheet":
            continue
        old = before.get_sheet_by_name(meta.name).to_python(skip_empty_area=False)
        new = after.get_sheet_by_name(meta.name).to_python(skip_empty_area=False)
        width = max((len(r) for r in old), default=0)
        assert [r[:width] for r in new[: len(old)]] == old, meta.name
    findings = after.get_sheet_by_name("Findings").to_python()
    assert len(findings) == len(result.findings) + 1 and findings[1][0] == result.findings[0].code


def test_the_copy_declares_exactly_what_it_could_not_keep(copies):
    copy, losses = copies.copy, copies.losses
    summary = [c.value for c in openpyxl.load_workbook(copy)["Summary"]["B"] if isinstance(c.value, str)]
    kinds = ["text box", "form control", "sparkline", "conditional format", "header or footer", "ignore error",
             "background picture", "dynamic array"]
    if not copies.lossy:  # charts, pictures, tables, notes, validations, formats, names... all kept
        assert losses == []
        assert any(t.startswith("Nothing") for t in summary)
        return
    for kind in kinds:
        assert sum(kind in loss for loss in losses) == 1, kind
    assert len(losses) == len(kinds)
    assert all(loss in summary for loss in losses)


def test_each_excel_only_part_is_named(tmp_path):
    path = rich_register(tmp_path / "register.xlsx")
    x14_validation = (b'<extLst><ext uri="{CCE6A557-97BC-4b89-ADB6-D9C93CAAB3DF}" '
                      b'xmlns:x14="http://schemas.microsoft.com/office/spreadsheetml/2009/9/main">'
                      b'<x14:dataValidations count="2"><x14:dataValidation type="list"/><x14:dataValidation type="list"/>'
                      b'</x14:dataValidations></ext><ext uri="{A8765BA9-456A-4dab-B4F3-ACF838C121DE}" '
                      b'xmlns:x14="http://schemas.microsoft.com/office/spreadsheetml/2009/9/main"><x14:slicerList>'
                      b'<x14:slicer/></x14:slicerList></ext></extLst>')
    ms = "application/vnd.ms-excel"
    add_parts(path, {
        "xl/threadedComments/threadedComment1.xml": (f"{ms}.threadedcomments+xml", b"<ThreadedComments/>"),
        "xl/printerSettings/printerSettings1.bin": ("application/vnd.openxmlformats-officedocument.spreadsheetml.printerSettings", b"\0"),
        "xl/vbaProject.bin": ("application/vnd.ms-office.vbaProject", b"\0"),
        "xl/mystery.bin": ("application/x-unknown-thing", b"\0"),
    }, sheet_rels={
        "http://schemas.microsoft.com/office/2017/10/relationships/threadedComment": "xl/threadedComments/threadedComment1.xml",
        "http://schemas.openxmlformats.org/officeDocument/2006/relationships/printerSettings": "xl/printerSettings/printerSettings1.bin",
    }, sheet_xml=x14_validation)
    losses = detect_losses(path)
    expected = ["2 data validations using Excel 2010 features", "1 slicer on sheet 'Register'",
                "Threaded comments on sheet 'Register'", "Printer settings on sheet 'Register'",
                "Workbook: macros (VBA)", "other parts that openpyxl does not read (application/x-unknown-thing)"]
    for text in expected:
        assert sum(text in loss for loss in losses) == 1, (text, losses)
    assert len(losses) == len(expected)
    result = check(path, Settings(), AS_OF)
    assert write_annotated(result, tmp_path / "out.xlsx")[: len(losses)] == losses


def test_pictures_are_declared_lost_without_pillow(tmp_path):
    path = rich_register(tmp_path / "register.xlsx")
    assert inspect(path, pillow=True).losses == []
    assert inspect(path, pillow=False).losses == ["1 picture on sheet 'Charts' (openpyxl keeps pictures only when Pillow is installed)"]


def test_what_openpyxl_fails_to_read_is_declared_too(tmp_path):
    wb = openpyxl.Workbook()
    wb.active.title = "Charts"
    inventory = Inventory(losses=["1 sparkline on sheet 'Charts' (openpyxl does not keep them)"])
    inventory.charts["Charts"], inventory.pictures["Charts"] = 2, 1
    losses = reconcile(inventory, wb, ["Sparkline Group extension is not supported and will be removed", "Cell A1 is marked as a date but the serial value 1e9 is outside the limits for dates."])
    assert losses == [
        "1 sparkline on sheet 'Charts' (openpyxl does not keep them)",
        "2 charts on sheet 'Charts' (openpyxl could not read them)",
        "1 picture on sheet 'Charts' (openpyxl could not read them)",
        "Other: openpyxl reported 'Cell A1 is marked as a date but the serial value 1e9 is outside the limits for dates.'",
    ]


def test_the_copy_opens_in_libreoffice(copies, tmp_path):
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        if os.environ.get("CI"):
            pytest.fail("LibreOffice (soffice) is not installed, and CI must run this test: .ci/run installs libreoffice-calc-nogui")
        pytest.skip("LibreOffice (soffice) is not installed here; CI installs it and runs this test")
    if not copies.lossy:
        pytest.skip("the lossy register's copy holds everything the keepable one does: one conversion is enough")
    copy = copies.copy
    profile = (tmp_path / "lo-profile").as_uri()
    done = subprocess.run([soffice, f"-env:UserInstallation={profile}", "--headless", "--convert-to", "pdf",
                           "--outdir", str(tmp_path), str(copy)], capture_output=True, text=True, timeout=180)
    pdf = tmp_path / (copy.stem + ".pdf")
    assert done.returncode == 0 and pdf.is_file(), done.stderr
    assert pdf.read_bytes().startswith(b"%PDF") and pdf.stat().st_size > 5000


def test_the_copy_is_a_valid_package(copies):
    copy = copies.copy
    with zipfile.ZipFile(copy) as z:
        assert z.testzip() is None
        names = set(z.namelist())
        types = z.read("[Content_Types].xml").decode()
    assert all(f'PartName="/{n}"' in types or n.rsplit(".", 1)[-1] in ("rels", "xml", "vml", "png", "bin") for n in names)
