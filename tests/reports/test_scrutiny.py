"""The scrutiny workbook: read back, its figures are the check's, and register text stays text."""

from __future__ import annotations

import copy
import os
import re
import shutil
import subprocess
import zipfile
from collections import Counter
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from partnership_xl.config import Settings
from partnership_xl.engine import check
from partnership_xl.fields import BENEFIT_FIELDS
from partnership_xl.reports import headline_figures, write_scrutiny
from partnership_xl.reports.cells import BAND_COLOURS
from partnership_xl.reports.changes import change_counts, compare
from partnership_xl.reports.figures import headline_sentence, risk_grid
from partnership_xl.reports.over_time import monthly_trend
from tests.conftest import AS_OF, CLEAN, row, write_register
from tests.reports.conftest import HISTORY, INJECTION, assert_same_parts, labelled, table_records, to_pdf

GOLDEN = Path(__file__).parent / "golden"
REGEN = os.environ.get("PXL_REGEN_GOLDEN") == "1"


@pytest.fixture(scope="module")
def workbook(tmp_path_factory, result, previous) -> Path:
    out = tmp_path_factory.mktemp("scrutiny") / "scrutiny.xlsx"
    write_scrutiny(result, out, previous=previous, history=HISTORY)
    return out


@pytest.fixture(scope="module")
def wb(workbook):
    return openpyxl.load_workbook(workbook)


def rows_with(result, code: str) -> set[int]:
    return {f.row for f in result.findings if f.code == code}


# --- the figures, computed once --------------------------------------------------------------


def test_headline_figures_are_the_checks(result):
    """Each figure against the CheckResult computed directly, and against the register as written."""
    fig = headline_figures(result)
    table, scores = result.table, result.scores
    assert fig["partnerships"] == len(scores) == 10
    assert fig["by_status"] == {s: int((table["status"] == s).sum()) for s in ("Proposed", "Active", "Under review", "Exiting", "Closed")}
    assert fig["by_status"] == {"Proposed": 0, "Active": 8, "Under review": 0, "Exiting": 1, "Closed": 1}
    assert fig["direct_contribution"] == float(table["direct_contribution"].sum()) == 67000
    assert fig["benefits"] == {label: int(table[f"claimed:{name}"].sum()) for name, label in BENEFIT_FIELDS.items()}
    assert fig["no_benefit"] == int((scores["benefit_count"] == 0).sum()) == 1
    assert fig["no_benefit_share"] == pytest.approx(0.1)
    assert fig["reviews_overdue"] == len(rows_with(result, "PP501")) == 1
    assert fig["never_reviewed"] == len(rows_with(result, "PP502")) == 1
    assert fig["reviews_due_soon"] == len(rows_with(result, "PP503")) == 1
    assert fig["past_end_date"] == len(rows_with(result, "PP901")) == 1
    assert fig["exiting"] == 1 and fig["closed_in_year"] == 1
    assert fig["rag"] == {k: Counter(scores["rag"])[k] for k in ("Red", "Amber", "Green")} == {"Red": 5, "Amber": 0, "Green": 5}
    live = table["status"] != "Closed"
    assert fig["live"] == int(live.sum()) == 9
    expected_bands = Counter(scores.loc[live, "risk_band"].fillna("Not assessed"))
    assert fig["risk_bands"] == {b: expected_bands.get(b, 0) for b in ("High", "Medium", "Low", "Not assessed")}
    assert fig["contribution_by_service_area"] == table.groupby("service_area")["direct_contribution"].sum().sort_values(ascending=False, kind="stable").to_dict()
    assert fig["findings"] == dict(result.counts)


def test_headline_sentence_says_the_figures(result):
    text = headline_sentence(headline_figures(result))
    assert text.startswith("10 partnerships on the register, 8 of them active, with direct contributions of £67,000 a year.")
    assert "5 are rated Red, 0 Amber and 5 Green." in text
    assert "1 review overdue, 1 never reviewed, 1 past its end date, 1 with no benefit recorded" in text


# --- the workbook, read back -----------------------------------------------------------------


def test_sheets(wb, result, tmp_path):
    assert wb.sheetnames == ["Overview", "Register", "Risk map", "Reviews", "Exits", "Findings", "Changes", "Trend"]
    write_scrutiny(result, tmp_path / "plain.xlsx")
    assert openpyxl.load_workbook(tmp_path / "plain.xlsx").sheetnames == ["Overview", "Register", "Risk map", "Reviews", "Exits", "Findings"]


def test_overview_shows_the_headline_figures(wb, result, previous):
    fig = headline_figures(result)
    got = labelled(wb["Overview"])
    assert got["Partnerships on the register"] == fig["partnerships"]
    for status, n in fig["by_status"].items():
        assert got[status] == n
    assert got["Total direct contribution (£ a year)"] == fig["direct_contribution"]
    assert got["Significant partnerships (policy §7)"] == fig["significant"]
    for label, n in fig["benefits"].items():
        assert got[label] == n
    assert got["No benefit recorded"] == fig["no_benefit"]
    assert got["Annual review overdue"] == fig["reviews_overdue"]
    assert got["Never reviewed"] == fig["never_reviewed"]
    assert got["Review due in the next 60 days"] == fig["reviews_due_soon"]
    assert got["Exiting"] == fig["exiting"]
    assert got["Closed in the last 12 months"] == fig["closed_in_year"]
    assert got["Past end date but still running"] == fig["past_end_date"]
    assert got["Red: at least one error finding"] == fig["rag"]["Red"]
    assert got["Green: no error or warning"] == fig["rag"]["Green"]
    for band in ("High", "Medium", "Low", "Not assessed"):
        assert got[band] == fig["risk_bands"][band]
    for area, money in fig["contribution_by_service_area"].items():
        assert got[area] == money
    ws = wb["Overview"]
    assert ws["A4"].value == headline_sentence(fig, change_counts(compare(result, previous)))
    assert ws["A4"].value.endswith("Since last year: 1 added, 2 removed, 2 changed status; risk scores 1 up, 1 down.")
    assert ws.page_setup.orientation == "landscape" and ws.sheet_properties.pageSetUpPr.fitToPage
    assert ws.page_setup.fitToWidth in (None, 1) and ws.page_setup.fitToHeight in (None, 1)  # 1 × 1 is the default, left out
    assert ws.print_area


def _chart_ranges(path: Path) -> dict[str, list[str]]:
    """Chart title → the cell ranges its series plot (categories and values)."""
    out = {}
    with zipfile.ZipFile(path) as z:
        for name in sorted(n for n in z.namelist() if n.startswith("xl/charts/chart")):
            xml = z.read(name).decode()
            title = "".join(re.findall(r"<a:t>([^<]*)</a:t>", xml.split("</c:title>")[0]))
            out[title] = re.findall(r"<c:f>([^<]*)</c:f>", xml)
    return out


def _cells(ws, ref: str) -> list:
    ref = ref.split("!")[1].replace("$", "")
    return [c.value for line in ws[ref] for c in (line if isinstance(line, tuple) else (line,))]


def test_overview_charts_plot_the_figures(workbook, wb, result):
    fig = headline_figures(result)
    charts = _chart_ranges(workbook)
    assert set(charts) >= {
        "Partnerships claiming each benefit", "RAG: partnerships by rating",
        "Direct contribution by service area (£ a year)", "Partnerships by risk band (not closed)", "Findings by month",
    }  # fmt: skip
    ws = wb["Overview"]

    def plotted(title):
        categories, values = charts[title][:2]
        return dict(zip(_cells(ws, categories), _cells(ws, values), strict=True))

    assert plotted("Partnerships claiming each benefit") == fig["benefits"]
    assert list(plotted("RAG: partnerships by rating").values()) == list(fig["rag"].values())
    assert plotted("Direct contribution by service area (£ a year)") == fig["contribution_by_service_area"]
    assert plotted("Partnerships by risk band (not closed)") == fig["risk_bands"]


def test_register_sheet_is_a_filterable_table_of_every_partnership(wb, result):
    ws = wb["Register"]
    records = table_records(ws, "Register")
    scores = result.scores
    assert [r["Ref"] for r in records] == list(scores["ref"])
    assert [r["Partnership"] for r in records] == list(scores["name"])
    assert [r["RAG"] for r in records] == list(scores["rag"])
    assert [r["Risk score"] for r in records] == [None if pd.isna(v) else v for v in scores["risk_score"]]
    assert [r["Findings"] for r in records] == [c or None for c in scores["codes"]]
    assert ws.freeze_panes == "C5"
    assert ws.tables["Register"].autoFilter is not None
    header = [c.value for c in ws[4]]
    money = ws.cell(5, header.index("Direct contribution (£ a year)") + 1)
    assert money.number_format == "£#,##0" and money.value == 5000
    reviewed = ws.cell(5, header.index("Last reviewed") + 1)
    assert reviewed.number_format == "dd/mm/yyyy" and reviewed.value.date() == CLEAN["Last reviewed"]
    rules = {str(r.sqref) for r in ws.conditional_formatting}
    rag_col = openpyxl.utils.get_column_letter(header.index("RAG") + 1)
    assert f"{rag_col}5:{rag_col}14" in rules


def test_risk_map_counts_live_partnerships_in_each_cell(wb, result):
    ws = wb["Risk map"]
    top = next(c.row for c in ws["A"] if c.value == "Risks") + 2
    table = result.table[result.table["status"] != "Closed"]
    grid = risk_grid(result, "risk")
    s = result.settings
    for impact in range(1, 6):
        for likelihood in range(1, 6):
            cell = ws.cell(top + 2 * (5 - impact), 2 + likelihood)
            direct = int(((table["risk_likelihood"] == likelihood) & (table["risk_impact"] == impact)).sum())
            assert cell.value == direct == grid.counts[(likelihood, impact)], (likelihood, impact)
            score = likelihood * impact
            band = "Low" if score <= s.low_max else "Medium" if score <= s.medium_max else "High"
            assert cell.fill.fgColor.rgb.endswith(BAND_COLOURS[band].lstrip("#")), (likelihood, impact)
    refs = {r["Score"]: r["Refs"] for r in table_records(ws, "RiskCells")}
    assert refs[20] == "P002" and refs[9] == "P004"
    opp = {r["Score"]: r["Refs"] for r in table_records(ws, "OpportunityCells")}
    assert opp[16] == "P002"
    assert any(r["Band"] == "Not assessed" and r["Refs"] == "P009" for r in table_records(ws, "OpportunityCells"))


def test_reviews_are_the_review_findings(wb, result):
    records = table_records(wb["Reviews"], "Reviews")
    by_code = {"Overdue": "PP501", "Never reviewed": "PP502", "Due soon": "PP503"}
    got = sorted((by_code[r["Review"]], r["Ref"]) for r in records)
    assert got == sorted((f.code, f.ref) for f in result.findings if f.code in ("PP501", "PP502", "PP503"))
    assert got == [("PP501", "P003"), ("PP502", "P004"), ("PP503", "P005")]
    assert all(r["Lead officer"] == CLEAN["Lead officer"] for r in records)


def test_exits(wb):
    records = {r["Ref"]: r for r in table_records(wb["Exits"], "Exits")}
    assert set(records) == {"P006", "P007", "P008"}
    assert records["P006"]["Why listed"] == "Exiting" and records["P006"]["Exit decision"] == "Decided by Corporate Management Team"
    assert records["P007"]["Why listed"] == "Closed in the last 12 months" and records["P007"]["Exit reason"] == "Outcomes achieved"
    assert records["P008"]["Why listed"] == "Past end date (PP901)" and records["P008"]["Exit findings"] == "PP901"


def test_findings_sheet_lists_every_finding(wb, result):
    records = table_records(wb["Findings"], "Findings")
    assert sorted((r["Code"], r["Ref"] or "", r["Cell"]) for r in records) == sorted((f.code, f.ref, f.cell) for f in result.findings)
    ranks = [("error", "warning", "info").index(r["Severity"]) for r in records]
    assert ranks == sorted(ranks)


def test_changes_sheet(wb):
    ws = wb["Changes"]
    assert [r["Ref"] for r in table_records(ws, "Added")] == ["P010"]
    assert table_records(ws, "Added")[0]["Approval (policy §6)"] == "Yes: Executive on 26/02/2026"
    removed = {r["Ref last year"]: r["Exit recorded (policy §9)"] for r in table_records(ws, "Removed")}
    assert removed["P011"].startswith("Yes") and removed["P012"].startswith("No")
    assert {(r["Ref"], r["Last year"], r["This year"]) for r in table_records(ws, "StatusChanges")} == {("P006", "Active", "Exiting"), ("P007", "Exiting", "Closed")}
    assert {(r["Ref"], r["Movement"]) for r in table_records(ws, "RiskMovements")} == {("P002", "up"), ("P003", "down")}
    assert {(r["Ref last year"], r["Ref now"], r["Matched by"]) for r in table_records(ws, "Relabelled")} == {
        ("X-04", "P004", "name (ref changed)"), ("P005", "P005", "ref (renamed)"),
    }  # fmt: skip
    summary = labelled(ws, 1, 3)
    assert (summary["Partnerships added"], summary["Partnerships removed"], summary["Risk score rose"], summary["Risk score fell"]) == (1, 2, 1, 1)


def test_trend_takes_the_last_check_of_each_month(wb):
    trend = monthly_trend(HISTORY, "register.xlsx")
    assert list(trend["month"].dt.strftime("%Y-%m")) == ["2026-09", "2026-10", "2026-11"]
    assert list(trend["error"]) == [12, 9, 7]
    records = table_records(wb["Trend"], "Trend")
    assert [(r["Month"].strftime("%Y-%m"), r["Errors"], r["Warnings"], r["Info"]) for r in records] == [("2026-09", 12, 4, 1), ("2026-10", 9, 3, 2), ("2026-11", 7, 3, 3)]
    assert wb["Trend"]["A5"].number_format == "mmm yyyy"


def test_trend_uses_only_this_registers_runs():
    other = HISTORY.assign(register="other.xlsx", error=[99] * 5)
    both = pd.concat([HISTORY, other])
    assert list(monthly_trend(both, "register.xlsx")["error"]) == [12, 9, 7]


def test_trend_survives_blank_and_unreadable_history_lines():
    messy = pd.concat([HISTORY, pd.DataFrame({"run_at": [pd.NaT], "as_of": [pd.NaT], "register": [pd.NA], "error": [pd.NA]})])
    messy["register"] = messy["register"].astype("string")
    assert list(monthly_trend(messy, "register.xlsx")["error"]) == [12, 9, 7]
    assert list(monthly_trend(messy, "elsewhere.xlsx")["error"]) == [12, 9, 7]


def test_no_trend_sheet_without_history(tmp_path, result):
    write_scrutiny(result, tmp_path / "s.xlsx", history=HISTORY.iloc[0:0])
    assert "Trend" not in openpyxl.load_workbook(tmp_path / "s.xlsx").sheetnames


# --- safety ----------------------------------------------------------------------------------


def assert_register_text_stays_text(path: Path, texts: set[str]) -> None:
    """Every cell holding one of ``texts`` is a string cell; no formula, no link anywhere."""
    wb = openpyxl.load_workbook(path)
    seen = set()
    for ws in wb.worksheets:
        assert not ws._hyperlinks, ws.title
        for line in ws.iter_rows():
            for cell in line:
                assert cell.hyperlink is None, cell.coordinate
                if cell.value in texts:
                    assert cell.data_type == "s", (ws.title, cell.coordinate, cell.value)
                    seen.add(cell.value)
    assert seen == texts
    with zipfile.ZipFile(path) as z:
        for name in z.namelist():
            if name.startswith("xl/worksheets/") and name.endswith(".xml"):
                xml = z.read(name).decode()
                assert "<f>" not in xml and "<f " not in xml, name  # the reports write no formulas at all
                assert "<hyperlink" not in xml, name
            if name.endswith(".rels"):
                assert "relationships/hyperlink" not in z.read(name).decode(), name


def test_register_values_that_look_like_formulas_or_links_stay_text(tmp_path, result, previous):
    poisoned = copy.deepcopy(result)
    tab_row = poisoned.scores.index[0]
    poisoned.table.at[tab_row, "lead_officer"] = "\tTab-leading officer"
    out = tmp_path / "scrutiny.xlsx"
    write_scrutiny(poisoned, out, previous=previous, history=HISTORY)
    texts = {v for k, v in INJECTION.items() if k in ("name", "lead_officer", "service_area")} | {"\tTab-leading officer"}
    assert_register_text_stays_text(out, texts)
    wb = openpyxl.load_workbook(out)
    names = [r["Partnership"] for r in table_records(wb["Register"], "Register")]
    assert INJECTION["name"] in names


def test_put_writes_types_not_guesses(tmp_path):
    import xlsxwriter

    from partnership_xl.reports.cells import put

    path = tmp_path / "put.xlsx"
    wb = xlsxwriter.Workbook(str(path))  # default options: write() would make formulas and links of these
    ws = wb.add_worksheet()
    day = wb.add_format({"num_format": "dd/mm/yyyy"})
    values = ['=HYPERLINK("http://evil","x")', "+44 1858 821000", "-1+2", "@SUM(A1)", "\tTab", "http://x.example", "01/02/2026", "1e5",
              5.5, True, pd.NA, pd.Timestamp("2026-11-25")]
    for i, v in enumerate(values):
        put(ws, i, 0, v, date_fmt=day)
    wb.close()
    got = openpyxl.load_workbook(path).active
    for i, v in enumerate(values[:8]):
        assert (got.cell(i + 1, 1).value, got.cell(i + 1, 1).data_type) == (v, "s")
    assert got["A9"].value == 5.5 and got["A10"].value == "Yes" and got["A11"].value is None
    assert got["A12"].is_date


# --- missing data, no data -------------------------------------------------------------------


def test_written_when_columns_are_missing(tmp_path):
    drop = {"Opportunity likelihood (1-5)", "Opportunity impact (1-5)", "Key opportunities", "Service area", "Direct contribution (£ a year)",
            "External funding or investment", "Cashable savings or income", "Increased service quality", "Improved speed or throughput",
            "Risk mitigation"}  # fmt: skip
    headers = [h for h in CLEAN if h not in drop]
    path = write_register(tmp_path / "thin.xlsx", [row(ref="T1"), row(ref="T2", status="Closed")], headers)
    result = check(path, Settings(), AS_OF)
    out = tmp_path / "thin scrutiny.xlsx"
    write_scrutiny(result, out)
    wb = openpyxl.load_workbook(out)
    got = labelled(wb["Overview"])
    assert got["Total direct contribution (£ a year)"] == "Not recorded"
    assert got["Benefit categories"] == "Not recorded"
    texts = {c.value for line in wb["Risk map"].iter_rows() for c in line if isinstance(c.value, str)}
    assert "Opportunities are not recorded in this register (no likelihood and impact columns)." in texts
    headers_out = [c.value for c in wb["Register"][4]]
    assert "Opportunity score" not in headers_out and "Service area" not in headers_out
    assert "Not recorded in this register" in wb["Register"]["A3"].value


def test_written_for_an_empty_register(tmp_path):
    path = write_register(tmp_path / "empty.xlsx", [])
    result = check(path, Settings(), AS_OF)
    write_scrutiny(result, tmp_path / "empty scrutiny.xlsx", previous=result, history=HISTORY)
    wb = openpyxl.load_workbook(tmp_path / "empty scrutiny.xlsx")
    assert labelled(wb["Overview"])["Partnerships on the register"] == 0
    assert wb["Register"]["A4"].value == "The register has no partnerships."


def test_replaces_the_output_and_leaves_no_temporary_file(tmp_path, result):
    out = tmp_path / "scrutiny.xlsx"
    out.write_bytes(b"old")
    write_scrutiny(result, out)
    assert zipfile.is_zipfile(out)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["scrutiny.xlsx"]


# --- golden file and rendering ---------------------------------------------------------------


def test_matches_the_golden_file(workbook):
    """Part by part against tests/reports/golden/scrutiny.xlsx; PXL_REGEN_GOLDEN=1 rewrites it."""
    golden = GOLDEN / "scrutiny.xlsx"
    if REGEN:
        GOLDEN.mkdir(exist_ok=True)
        shutil.copyfile(workbook, golden)
    assert_same_parts(workbook, golden)


def _tools(*names: str) -> None:
    missing = [n for n in names if shutil.which(n) is None]
    if missing:
        if os.environ.get("CI"):
            pytest.fail(f"{', '.join(missing)} must be installed in CI (LibreOffice headless and poppler-utils)")
        pytest.skip(f"{', '.join(missing)} not installed: install LibreOffice and poppler-utils to render the reports")


def test_libreoffice_renders_it_with_the_overview_on_one_page(workbook, tmp_path):
    _tools("soffice", "pdftotext")
    pdf = to_pdf(workbook, tmp_path)
    first = subprocess.run(["pdftotext", "-f", "1", "-l", "1", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    for text in ("Partnership Register: annual report to Scrutiny", "Partnerships on the register", "Direct contribution by service area",
                 "Partnerships claiming each benefit", "Partnerships by risk band"):  # fmt: skip
        assert text in first
    second = subprocess.run(["pdftotext", "-f", "2", "-l", "2", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert "Register: every partnership" in second
