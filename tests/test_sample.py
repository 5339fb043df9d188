"""The sample register gets exactly the findings its generator intends, on the right cells."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import openpyxl

from partnership_xl.config import Settings
from partnership_xl.engine import check
from tests.conftest import AS_OF

ROOT = Path(__file__).resolve().parents[1]


def _intended():
    spec = importlib.util.spec_from_file_location("make_samples", ROOT / "scripts" / "make_samples.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_sample_findings_are_the_intended_ones():
    samples = _intended()
    result = check(ROOT / "sample_register.xlsx", Settings(), AS_OF)
    got: dict[str, set[str]] = {}
    for f in result.findings:
        if f.ref:
            got.setdefault(f.ref, set()).add(f.code)
    assert {ref: sorted(got.get(ref, set())) for ref in samples.INTENDED} == {ref: sorted(c) for ref, c in samples.INTENDED.items()}
    assert sorted(f.code for f in result.findings if not f.ref) == sorted(samples.INTENDED_SHEET_LEVEL)
    assert result.exit_code == 1


def test_every_finding_cell_holds_its_row_and_field():
    result = check(ROOT / "sample_register.xlsx", Settings(), AS_OF)
    ws = openpyxl.load_workbook(ROOT / "sample_register.xlsx", read_only=False)[result.register.sheet]
    ref_col = result.register.columns["ref"]
    for f in result.findings:
        cell = ws[f.cell]
        assert cell.row == f.row
        if f.ref:  # a row finding: the Ref cell of that row holds the finding's ref
            assert str(ws.cell(f.row, ref_col).value).strip() == f.ref
            if f.field:
                assert cell.column == result.register.columns[f.field], f
        else:  # sheet-level: on the header row
            assert f.row == result.register.header_row
