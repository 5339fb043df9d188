"""reports/over_time.py: the Changes sheet (this year's register against last year's) and the Trend sheet
(the last check of each month from the run history), each written on its own."""

from __future__ import annotations

import zipfile

import openpyxl
import pandas as pd

from partnership_xl.reports import changes as ch
from partnership_xl.reports.cells import Formats, new_workbook
from partnership_xl.reports.over_time import monthly_trend, write_changes, write_trend

from .conftest import HISTORY, labelled, table_records

COLUMNS = ["month", "run_at", "partnerships", "error", "warning", "info", "red", "amber", "green"]


def history(*runs: tuple[str, str | None, str, int]) -> pd.DataFrame:
    """(run_at, as_of, register, errors) lines of a run history."""
    return pd.DataFrame({"run_at": pd.to_datetime([r[0] for r in runs]), "as_of": pd.to_datetime([r[1] for r in runs]),
                         "register": [r[2] for r in runs], "error": [r[3] for r in runs]})


def test_the_trend_is_the_last_check_of_each_month_by_its_as_of_date():
    runs = history(("2026-10-31 23:00", "2026-10-31", "r.xlsx", 5),
                   ("2026-11-01 08:00", "2026-10-15", "r.xlsx", 4),  # a check of October's position, run in November
                   ("2026-11-03 08:00", "2026-11-03", "r.xlsx", 3),
                   ("2026-11-02 08:00", "2026-11-02", "r.xlsx", 9))
    trend = monthly_trend(runs, "r.xlsx")
    assert list(trend.columns) == COLUMNS
    assert [(m.strftime("%Y-%m"), e) for m, e in zip(trend["month"], trend["error"], strict=True)] == [("2026-10", 4), ("2026-11", 3)]
    assert trend["month"].iloc[0] == pd.Timestamp("2026-10-01")
    assert trend["partnerships"].isna().all()  # a column the history lacks is blank, not an error


def test_without_an_as_of_date_a_run_counts_in_the_month_it_ran():
    runs = history(("2026-09-30 10:00", None, "r.xlsx", 1), ("2026-10-01 10:00", "2026-09-30", "r.xlsx", 2))
    assert list(monthly_trend(runs, "r.xlsx")["error"]) == [2]  # both September: the later run wins
    no_as_of = runs.drop(columns="as_of")
    assert [m.strftime("%Y-%m") for m in monthly_trend(no_as_of)["month"]] == ["2026-09", "2026-10"]


def test_run_times_with_a_time_zone_are_read_as_utc_without_it():
    runs = history(("2026-07-02 08:00", "2026-07-02", "r.xlsx", 3))
    runs["run_at"] = runs["run_at"].dt.tz_localize("Europe/London")  # British Summer Time: UTC+1
    assert monthly_trend(runs)["run_at"].iloc[0] == pd.Timestamp("2026-07-02 07:00")


def test_another_registers_runs_are_left_out_unless_there_are_no_others():
    runs = history(("2026-11-01", "2026-11-01", "ours.xlsx", 1), ("2026-11-02", "2026-11-02", "theirs.xlsx", 99))
    assert list(monthly_trend(runs, "ours.xlsx")["error"]) == [1]
    assert list(monthly_trend(runs, "unknown.xlsx")["error"]) == [99]  # the history has no run of it: every run
    assert list(monthly_trend(runs)["error"]) == [99]


def written(tmp_path, write, *args):
    path = tmp_path / "over_time.xlsx"
    wb = new_workbook(path, title="Test", council="Harborough District Council")
    returned = write(wb, Formats(wb), *args)
    wb.close()
    return openpyxl.load_workbook(path).worksheets[0], returned, path


def test_the_changes_sheet_counts_and_lists_what_changed(tmp_path, result, previous):
    ws, frame, _ = written(tmp_path, write_changes, result, previous)
    assert ws.title == "Changes"
    counted = ch.change_counts(frame)
    said = labelled(ws, 1, 3)
    assert said["Partnerships added"] == counted["added"] == 1
    assert said["Partnerships removed"] == counted["removed"] == 2
    assert said["Status changed"] == counted["status_changed"] == 2
    assert (said["Risk score rose"], said["Risk score fell"]) == (counted["risk_up"], counted["risk_down"]) == (1, 1)
    assert said["Ref or name changed"] == 2
    assert [r["Ref"] for r in table_records(ws, "Added")] == ["P010"]
    assert [(r["Ref last year"], r["Exit recorded (policy §9)"][:3]) for r in table_records(ws, "Removed")] == [("P011", "Yes"), ("P012", "No:")]
    assert [(r["Ref"], r["Last year"], r["This year"]) for r in table_records(ws, "StatusChanges")] == [
        ("P006", "Active", "Exiting"), ("P007", "Exiting", "Closed")]
    assert [(r["Ref"], r["Movement"]) for r in table_records(ws, "RiskMovements")] == [("P002", "up"), ("P003", "down")]
    assert [(r["Ref last year"], r["Ref now"]) for r in table_records(ws, "Relabelled")] == [("X-04", "P004"), ("P005", "P005")]
    assert ws["A2"].value == "This year: register.xlsx (position at 25/11/2026). Last year: register 2025.xlsx."


def test_the_changes_sheet_uses_the_comparison_it_is_given(tmp_path, result, previous):
    frame = ch.compare(result, previous)
    nothing_added = frame[frame["change"] != ch.ADDED]
    ws, returned, _ = written(tmp_path, write_changes, result, previous, nothing_added)
    assert returned is nothing_added
    assert labelled(ws, 1, 3)["Partnerships added"] == 0
    assert "Added" not in ws.tables
    texts = [c.value for line in ws.iter_rows() for c in line]
    assert "No partnership was added." in texts and "Added since last year (0)" in texts


def test_the_trend_sheet_is_a_table_and_a_chart_of_the_monthly_checks(tmp_path, result):
    ws, trend, path = written(tmp_path, write_trend, result, HISTORY)
    records = table_records(ws, "Trend")
    assert [(r["Month"].strftime("%Y-%m"), r["Errors"], r["Red"]) for r in records] == [("2026-09", 12, 6), ("2026-10", 9, 5), ("2026-11", 7, 5)]
    assert len(trend) == 3
    with zipfile.ZipFile(path) as z:
        assert "xl/charts/chart1.xml" in z.namelist()


def test_an_empty_history_gives_a_sentence_and_no_chart(tmp_path, result):
    ws, trend, path = written(tmp_path, write_trend, result, HISTORY.iloc[0:0])
    assert trend.empty and ws["A4"].value == "The run history has no checks yet." and not ws.tables
    with zipfile.ZipFile(path) as z:
        assert not any(name.startswith("xl/charts/") for name in z.namelist())
