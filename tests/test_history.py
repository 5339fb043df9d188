"""The run history CSV written beside the outputs by each ``validate``."""

from __future__ import annotations

import csv
import hashlib
import os
from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from partnership_xl.config import Settings
from partnership_xl.engine import check
from partnership_xl.findings import Finding
from partnership_xl.history import COLUMNS, HISTORY_NAME, append_history, read_history
from partnership_xl.model import CheckResult, Register
from partnership_xl.template import write_template

BOM = b"\xef\xbb\xbf"


def make_register_file(folder: Path, name: str = "Partnership Register.xlsx", content: bytes = b"not really a workbook") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_bytes(content)
    return path


def make_result(register_path: Path, as_of: date, codes: list[str], rags: list[str]) -> CheckResult:
    """A CheckResult built by hand: the given finding codes and one RAG per partnership."""
    register = Register(path=register_path, sheet="Partnership Register", header_row=1, columns={}, headers={},
                        unknown={}, duplicate_columns={}, tool_columns=[], raw=pd.DataFrame(), skipped_rows=[],
                        last_column=1)
    findings = [Finding(code, f"P{i}", "Partnership Register", f"A{i + 2}", i + 2, "ref", "message")
                for i, code in enumerate(codes)]
    scores = pd.DataFrame({"rag": rags}, index=range(2, 2 + len(rags)))
    return CheckResult(register, Settings(), as_of, pd.DataFrame(index=scores.index), scores, findings, {})


def csv_rows(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8-sig", newline="") as f:
        return list(csv.reader(f))


def test_two_runs_give_two_lines_with_their_counts(tmp_path):
    register = make_register_file(tmp_path)
    november = make_result(register, date(2026, 11, 25), ["PP501", "DQ002", "PP302", "PP503"], ["Red", "Amber", "Green"])
    december = make_result(register, date(2026, 12, 28), ["PP503"], ["Green", "Green", "Green", "Green"])

    assert append_history(november, tmp_path) == tmp_path / HISTORY_NAME
    assert append_history(december, tmp_path) == tmp_path / HISTORY_NAME

    data = (tmp_path / HISTORY_NAME).read_bytes()
    assert data.startswith(BOM) and data.count(BOM) == 1  # Excel reads it as UTF-8
    rows = csv_rows(tmp_path / HISTORY_NAME)
    assert rows[0] == list(COLUMNS)
    assert len(rows) == 3
    first, second = (dict(zip(rows[0], r, strict=True)) for r in rows[1:])
    assert (first["as_of"], first["partnerships"], first["error"], first["warning"], first["info"]) == ("2026-11-25", "3", "2", "1", "1")
    assert (first["red"], first["amber"], first["green"]) == ("1", "1", "1")
    assert (second["as_of"], second["partnerships"], second["error"], second["info"], second["green"]) == ("2026-12-28", "4", "0", "1", "4")
    assert len(first["run_at"]) == len("2026-11-25 09:30:00")

    frame = read_history(tmp_path / HISTORY_NAME)
    assert list(frame.columns) == list(COLUMNS)
    assert list(frame["as_of"]) == [pd.Timestamp(2026, 11, 25), pd.Timestamp(2026, 12, 28)]
    assert list(frame["error"]) == [2, 0]
    assert list(frame["green"]) == [1, 4]
    assert frame["run_at"].notna().all()


def test_the_register_is_named_sized_and_hashed(tmp_path):
    content = os.urandom(3 * 1024 * 1024 + 17)  # more than one read chunk
    register = make_register_file(tmp_path, content=content)
    append_history(make_result(register, date(2026, 11, 25), [], []), tmp_path)
    line = dict(zip(*csv_rows(tmp_path / HISTORY_NAME), strict=True))
    assert line["register"] == "Partnership Register.xlsx"
    assert line["size"] == str(len(content))
    assert line["sha256"] == hashlib.sha256(content).hexdigest()
    assert line["partnerships"] == "0"


def test_paths_with_spaces_commas_and_pound_signs(tmp_path):
    folder = tmp_path / "W drive" / "COMMUNITY PARTNERSHIPS" / "Managing Partnerships"
    register = make_register_file(folder, name="Partnership Register, 2026 – £ (final).xlsx")
    out = tmp_path / "checks folder"
    out.mkdir()
    assert append_history(make_result(register, date(2026, 11, 25), ["PP801"], ["Red"]), out) == out / HISTORY_NAME
    assert read_history(out / HISTORY_NAME)["register"].tolist() == ["Partnership Register, 2026 – £ (final).xlsx"]


def test_a_history_file_that_cannot_be_written_does_not_fail_the_run(tmp_path):
    register = make_register_file(tmp_path)
    (tmp_path / HISTORY_NAME).mkdir()  # cannot be opened as a file (on Windows: PermissionError)
    assert append_history(make_result(register, date(2026, 11, 25), [], []), tmp_path) is None


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() == 0, reason="root can write a read-only file")
def test_a_history_file_open_in_excel_returns_none(tmp_path):
    register = make_register_file(tmp_path)
    history = tmp_path / HISTORY_NAME
    append_history(make_result(register, date(2026, 10, 25), [], []), tmp_path)
    before = history.read_bytes()
    history.chmod(0o444)  # what Excel's lock looks like to us: PermissionError on open
    try:
        assert append_history(make_result(register, date(2026, 11, 25), [], []), tmp_path) is None
    finally:
        history.chmod(0o644)
    assert history.read_bytes() == before


def test_a_missing_or_empty_history_is_an_empty_frame(tmp_path):
    for path in (tmp_path / HISTORY_NAME, tmp_path / "empty.csv"):
        if path.name == "empty.csv":
            path.write_bytes(BOM)
        frame = read_history(path)
        assert frame.empty
        assert list(frame.columns) == list(COLUMNS)


def test_a_hand_edited_history_keeps_its_columns(tmp_path):
    register = make_register_file(tmp_path)
    append_history(make_result(register, date(2026, 10, 25), ["PP501"], ["Red"]), tmp_path)
    history = tmp_path / HISTORY_NAME
    rows = csv_rows(history)
    rows[0].append("Manager's comment")
    rows[1].append("Reviews chased, see email")
    with history.open("w", encoding="utf-8-sig", newline="") as f:
        csv.writer(f).writerows(rows)
    with history.open("a", encoding="utf-8", newline="") as f:
        f.write("\r\n\r\n")  # blank lines typed at the end

    append_history(make_result(register, date(2026, 11, 25), [], ["Green"]), tmp_path)

    frame = read_history(history)
    assert list(frame.columns) == [*COLUMNS, "manager's_comment"]
    assert frame["manager's_comment"].tolist() == ["Reviews chased, see email", ""]
    assert frame["as_of"].dt.month.tolist() == [10, 11]
    assert frame["error"].tolist() == [1, 0]


def test_a_history_resaved_by_excel_is_read_and_appended_to(tmp_path):
    register = make_register_file(tmp_path)
    history = tmp_path / HISTORY_NAME
    # Excel "CSV (Comma delimited)" in a semicolon locale: Windows-1252, day-first dates, no final line end.
    header = ";".join(COLUMNS)
    line = "02/10/2026 09:30;02/10/2026;Partnership Register £.xlsx;1,234;abc;3;2;1;0;1;1;1"
    history.write_bytes(f"{header}\r\n{line}".encode("cp1252"))

    assert append_history(make_result(register, date(2026, 11, 2), [], ["Green"]), tmp_path) == history

    lines = history.read_bytes().decode("cp1252").splitlines()
    assert len(lines) == 3 and lines[2].count(";") == len(COLUMNS) - 1
    frame = read_history(history)
    assert frame["as_of"].tolist() == [pd.Timestamp(2026, 10, 2), pd.Timestamp(2026, 11, 2)]
    assert frame["run_at"].iloc[0] == pd.Timestamp(2026, 10, 2, 9, 30)
    assert frame["register"].iloc[0] == "Partnership Register £.xlsx"
    assert frame["size"].iloc[0] == 1234
    assert frame["partnerships"].tolist() == [3, 1]


def test_unreadable_values_become_missing(tmp_path):
    history = tmp_path / HISTORY_NAME
    history.write_text(",".join(COLUMNS) + "\nyesterday,soon,R.xlsx,big,,n/a,,,,,,\n", encoding="utf-8")
    frame = read_history(history)
    assert len(frame) == 1
    assert frame[["run_at", "as_of", "size", "partnerships", "error"]].isna().all(axis=None)


def test_history_of_a_real_check(tmp_path):
    folder = tmp_path / "Managing Partnerships"
    folder.mkdir()
    register = folder / "Partnership Register.xlsx"
    write_template(register)
    result = check(register, Settings(), date(2026, 11, 25))
    path = append_history(result, folder)
    line = dict(zip(*csv_rows(path), strict=True))
    summary = result.summary()
    assert {k: line[k] for k in COLUMNS[5:]} == {k: str(summary[k]) for k in COLUMNS[5:]}
    assert line["sha256"] == hashlib.sha256(register.read_bytes()).hexdigest()


@pytest.mark.parametrize("content", [b"garbage\x00\xff\xfe", b"run_at,as_of,register\r\n", b"\xef\xbb\xbfjust a title line\r\n"])
def test_a_history_with_a_header_and_no_lines_reads_as_empty(tmp_path, content):
    """pandas' apply() on no rows gives a frame, not a mask: indexing by it dropped every column,
    and the scrutiny report failed with "Something unexpected (KeyError: 'run_at')"."""
    path = tmp_path / HISTORY_NAME
    path.write_bytes(content)
    frame = read_history(path)
    assert len(frame) == 0 and list(frame.columns[: len(COLUMNS)]) == list(COLUMNS)
