"""The quarterly risk extract: High first, movement against the previous register, text stays text."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from partnership_xl.config import Settings
from partnership_xl.engine import check
from partnership_xl.reports import changes as ch
from partnership_xl.reports import write_risks
from partnership_xl.reports.risks import band_counts, movement_summary, risk_records
from tests.conftest import AS_OF, CLEAN, row, write_register
from tests.reports.conftest import INJECTION, assert_same_parts, labelled, table_records, to_pdf
from tests.reports.test_scrutiny import _tools, assert_register_text_stays_text

GOLDEN = Path(__file__).parent / "golden"
REGEN = os.environ.get("PXL_REGEN_GOLDEN") == "1"
BAND_RANK = {"High": 0, "Medium": 1, "Low": 2, "Not assessed": 3}


@pytest.fixture(scope="module")
def workbook(tmp_path_factory, result, previous) -> Path:
    out = tmp_path_factory.mktemp("risks") / "risks.xlsx"
    write_risks(result, out, previous=previous)
    return out


@pytest.fixture(scope="module")
def wb(workbook):
    return openpyxl.load_workbook(workbook)


def _num(v):
    return None if v is None or pd.isna(v) else float(v)


def test_rows_are_live_partnerships_high_first_then_risk_then_opportunity(wb, result):
    records = table_records(wb["Risks and opportunities"], "Risks")
    live = result.scores[result.table["status"] != "Closed"]
    assert sorted(r["Ref"] for r in records) == sorted(live["ref"])  # P007 (closed) is left out
    keys = [(BAND_RANK[r["Risk band"]], -(_num(r["Risk score"]) or 0), -(_num(r["Opportunity score"]) or 0)) for r in records]
    assert keys == sorted(keys)
    assert records[0]["Ref"] == "P002" and records[0]["Risk band"] == "High" and records[0]["Risk score"] == 20
    assert records[1]["Ref"] == "P004" and records[1]["Risk band"] == "Medium"
    assert [r["Ref"] for r in records] == [r["ref"] for r in risk_records(result)]


def test_each_row_has_its_scores_lead_officer_and_controls(wb, result):
    records = {r["Ref"]: r for r in table_records(wb["Risks and opportunities"], "Risks")}
    scores = result.scores.set_index("ref")
    for ref, r in records.items():
        assert _num(r["Risk score"]) == _num(scores.at[ref, "risk_score"])
        assert _num(r["Opportunity score"]) == _num(scores.at[ref, "opp_score"])
        assert r["RAG"] == scores.at[ref, "rag"]
    assert records["P001"]["Lead officer"] == CLEAN["Lead officer"]
    assert records["P001"]["Control measures"] == CLEAN["Control measures"]
    assert records["P002"]["Control measures"] is None  # blank in the register (PP702)
    assert records["P009"]["Opportunity band"] == "Not assessed"


def test_movement_against_the_previous_register(wb, result, previous):
    records = {r["Ref"]: r for r in table_records(wb["Risks and opportunities"], "Risks")}
    assert (records["P002"]["Previous risk score"], records["P002"]["Risk movement"]) == (12, "up")
    assert (records["P003"]["Previous risk score"], records["P003"]["Risk movement"]) == (9, "down")
    assert records["P001"]["Risk movement"] == "same"
    assert (records["P010"]["Previous risk score"], records["P010"]["Risk movement"]) == (None, "new")
    assert records["P004"]["Risk movement"] == "same"  # matched by name although its ref changed
    direct = ch.compare(result, previous)
    for ref, r in records.items():
        assert r["Risk movement"] == direct.loc[direct["ref"] == ref, "risk_movement"].item()


def test_movement_counts(wb, result, previous):
    moves = movement_summary(result, previous)
    assert moves["risk"] == {"up": 1, "down": 1, "same": 6, "new": 1, "not assessed": 0, "removed": 2}
    ws = wb["Risks and opportunities"]
    got = labelled(ws, 1, 3)
    assert (got["Score rose"], got["Score fell"], got["Stayed the same"], got["New partnership"], got["Left the register"]) == (1, 1, 6, 1, 2)
    opp = labelled(ws, 1, 4)
    assert opp["Score rose"] == moves["opp"]["up"] == 1
    bands = {b: (n, m) for b, n, m in band_counts(risk_records(result))}
    for band, (risks, opps) in bands.items():
        assert (got[band], opp[band]) == (risks, opps)
    assert bands["High"] == (1, 1)


def test_band_and_movement_colours_are_conditional_formats(wb):
    ws = wb["Risks and opportunities"]
    header = {c.value: c.column_letter for c in ws[next(c.row for c in ws["A"] if c.value == "Ref")]}
    ranges = {str(r.sqref).split(":")[0].rstrip("0123456789") for r in ws.conditional_formatting}
    for name in ("Risk band", "Opportunity band", "Risk movement", "Opportunity movement", "RAG"):
        assert header[name] in ranges, name


def test_removed_partnerships_are_listed(wb):
    removed = {r["Ref"]: r for r in table_records(wb["Removed"], "Removed")}
    assert set(removed) == {"P011", "P012"}
    assert removed["P011"]["Exit recorded"].startswith("Yes")


def test_without_previous_there_is_no_movement(tmp_path, result):
    write_risks(result, tmp_path / "r.xlsx")
    wb = openpyxl.load_workbook(tmp_path / "r.xlsx")
    assert wb.sheetnames == ["Risks and opportunities"]
    headers = set(table_records(wb.active, "Risks")[0])
    assert "Risk movement" not in headers and "Previous risk score" not in headers


def test_register_text_stays_text(workbook):
    texts = {INJECTION[k] for k in ("name", "lead_officer", "service_area", "controls")}
    assert_register_text_stays_text(workbook, texts)


def test_written_without_opportunity_columns(tmp_path):
    drop = {"Opportunity likelihood (1-5)", "Opportunity impact (1-5)", "Key opportunities", "Control measures"}
    path = write_register(tmp_path / "thin.xlsx", [row(ref="T1"), row(ref="T2", risk_likelihood=5, risk_impact=5)], [h for h in CLEAN if h not in drop])
    result = check(path, Settings(), AS_OF)
    write_risks(result, tmp_path / "r.xlsx", previous=result)
    ws = openpyxl.load_workbook(tmp_path / "r.xlsx").active
    headers = set(table_records(ws, "Risks")[0])
    assert not any(h.startswith("Opportunity") for h in headers)
    assert "Opportunities are not recorded in this register." in ws["A3"].value
    assert [r["Ref"] for r in table_records(ws, "Risks")] == ["T2", "T1"]


def test_written_for_an_empty_register(tmp_path):
    result = check(write_register(tmp_path / "empty.xlsx", []), Settings(), AS_OF)
    write_risks(result, tmp_path / "r.xlsx", previous=result)
    ws = openpyxl.load_workbook(tmp_path / "r.xlsx").active
    assert "No live partnership to report." in [c.value for line in ws.iter_rows() for c in line]


def test_matches_the_golden_file(workbook):
    """Part by part against tests/reports/golden/risks.xlsx; PXL_REGEN_GOLDEN=1 rewrites it."""
    golden = GOLDEN / "risks.xlsx"
    if REGEN:
        GOLDEN.mkdir(exist_ok=True)
        shutil.copyfile(workbook, golden)
    assert_same_parts(workbook, golden)


def test_libreoffice_renders_it(workbook, tmp_path):
    _tools("soffice", "pdftotext")
    pdf = to_pdf(workbook, tmp_path)
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert "Partnership risks and opportunities: update to the Executive" in text
    assert "Leicestershire Revenues Partnership" in text
