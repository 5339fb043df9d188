"""The fidelity corpus is what SOURCES.md says it is, and the graft changes only what an officer's
new sheet changes."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
import python_calamine as pc

from ..fidelity_features import application, features
from .graft import CORPUS, CORPUS_FILES, REGISTER_SHEET, SAMPLE, graft, sample_rows
from .package_compare import Package, allowed_to_change, byte_problems, removed_and_order_problems, shared_strings_problems, styles_problems

#: what issue 10 asks the corpus to carry, between its files
REQUIRED = [
    "threaded comments", "legacy notes", "slicers", "chart grouped with a slicer", "sparklines",
    "x14 data validations", "x14 conditional formats", "data bars", "icon sets", "shapes", "text boxes",
    "SmartArt", "form controls", "ActiveX", "pivot tables", "pivot cache records", "VBA",
    "rich text with trailing spaces", "chart sheet between worksheets", "sheet-scoped defined names",
    "external links", "XML maps", "query tables", "data connections", "custom XML", "printer settings",
    "in-cell pictures", "dynamic arrays", "template",
]


def test_the_corpus_carries_every_feature_issue_10_names():
    carried = {f for name in CORPUS_FILES for f in features(CORPUS / name)}
    assert [f for f in REQUIRED if f not in carried] == []


def test_a_workbook_xlsxwriter_wrote_carries_none_of_them():
    found = set(features(SAMPLE))
    assert found & {"threaded comments", "slicers", "VBA", "pivot tables", "sparklines"} == set()


@pytest.mark.parametrize("name", CORPUS_FILES)
def test_each_file_was_saved_by_excel_and_is_listed_with_its_source(name):
    path = CORPUS / name
    with zipfile.ZipFile(path) as z:
        saved_by = application(z)
    assert saved_by.startswith("Microsoft Excel") and any(ch.isdigit() for ch in saved_by), saved_by
    assert path.stat().st_size < 400_000
    assert f"| {name} | [" in (CORPUS / "SOURCES.md").read_text(encoding="utf-8")


def test_the_corpus_is_small():
    assert sum((CORPUS / n).stat().st_size for n in CORPUS_FILES) < 6_000_000
    assert 20 <= len(CORPUS_FILES) <= 30


@pytest.mark.parametrize("name", ["poi-right-to-left.xlsx", "epplus-Control.xlsm", "xlsxwriter-checkbox01.xlsx"])
def test_the_graft_adds_one_sheet_and_changes_only_what_a_new_sheet_changes(name, tmp_path):
    source = CORPUS / name
    grafted = tmp_path / name
    grafted.write_bytes(graft(source.read_bytes()))
    before, after = Package.read(source), Package.read(grafted)
    assert removed_and_order_problems(before, after) == []
    assert [s.get("name") for s in after.sheets()] == [s.get("name") for s in before.sheets()] + [REGISTER_SHEET]
    # the register's part is new: the parts SPEC §7 lets the copy change are the ones a new sheet changes
    allowed = allowed_to_change(after, REGISTER_SHEET) - {after.sheet_part(REGISTER_SHEET)}
    assert byte_problems(before, after, allowed) == []
    assert styles_problems(before, after) == [] and shared_strings_problems(before, after) == []
    rows = pc.CalamineWorkbook.from_path(str(grafted)).get_sheet_by_name(REGISTER_SHEET).to_python(skip_empty_area=False)
    assert rows == sample_rows()


def test_the_graft_scopes_print_titles_to_the_new_sheet_past_chart_sheets(tmp_path):
    source = CORPUS / "poi-60255_extra_drawingparts.xlsx"
    after = Package.read(_write(tmp_path / "g.xlsx", graft(source.read_bytes(), print_titles=4)))
    names = [s.get("name") for s in after.sheets()]
    text = after.data[after.workbook].decode()
    assert f'localSheetId="{names.index(REGISTER_SHEET)}"' in text and "'Partnership Register'!$4:$4" in text


def _write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path
