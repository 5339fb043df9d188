"""annotate_io reads a workbook with one style array per style, shared by its cells (memory):
marking a cell must never change the other cells of the same style."""

from __future__ import annotations

import openpyxl
from openpyxl.styles import Border, Font, PatternFill, Side

from partnership_xl import annotate_io
from partnership_xl.annotate import write_annotated
from partnership_xl.config import Settings
from partnership_xl.engine import check

from .conftest import AS_OF, CLEAN


def _register(path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Register"
    headers = list(CLEAN)
    ws.append(headers)
    for i in range(6):
        row = dict(CLEAN, Ref=f"P{i:03}")
        if i % 2:
            row["Lead officer"] = None  # PP801 on these rows' Lead officer cell
        ws.append([row[h] for h in headers])
    yellow = PatternFill("solid", fgColor="FFFFFF00")
    for row in ws.iter_rows(min_row=2):
        for cell in row:
            cell.fill, cell.font = yellow, Font(italic=True)
    ws.merge_cells("A10:C11")
    thick = Side(style="thick")
    ws["A10"].border = Border(left=thick, right=thick, top=thick, bottom=thick)
    ws["A10"] = "merged note"
    wb.save(path)
    return headers.index("Lead officer") + 1


def test_cells_read_share_their_style_and_marking_one_changes_only_it(tmp_path):
    path = tmp_path / "register.xlsx"
    col = _register(path)
    wb, _ = annotate_io.load(path)
    ws = wb["Register"]
    assert ws.cell(2, 1)._style is ws.cell(3, 1)._style  # one array for the style, not one per cell
    assert ws.cell(2, 1)._style is not wb._cell_styles[wb._cell_styles.index(ws.cell(2, 1)._style)]

    out = tmp_path / "copy.xlsx"
    result = check(path, Settings(), AS_OF)
    write_annotated(result, out)
    copy = openpyxl.load_workbook(out)["Register"]
    flagged = {f.cell for f in result.findings if f.code == "PP801"}
    assert flagged == {f"{openpyxl.utils.get_column_letter(col)}{r}" for r in (3, 5, 7)}
    for row in copy.iter_rows(min_row=2, max_row=7, max_col=len(CLEAN)):
        for cell in row:
            if cell.coordinate in flagged:
                assert cell.fill.fgColor.rgb != "FFFFFF00"
            else:
                assert cell.fill.fgColor.rgb == "FFFFFF00" and cell.font.i, cell.coordinate
    # a merged block's border is drawn on its own cells only
    assert copy["C11"].border.right.style == "thick"
    assert copy["D2"].border.right.style is None and copy["B3"].border.left.style is None

    again = tmp_path / "again.xlsx"  # checking the copy again gives the officer's fills back where fixed, and no more
    write_annotated(check(out, Settings(), AS_OF), again)
    twice = openpyxl.load_workbook(again)["Register"]
    for row in twice.iter_rows(min_row=2, max_row=7, max_col=len(CLEAN)):
        for cell in row:
            assert (cell.fill.fgColor.rgb == "FFFFFF00") == (cell.coordinate not in flagged), cell.coordinate
