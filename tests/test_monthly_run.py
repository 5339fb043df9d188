"""The service manager's monthly run: history, Trend, Excel's lock files, dated outputs."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import openpyxl

from partnership_xl import cli
from partnership_xl.history import HISTORY_NAME

from .reports.conftest import table_records

ROOT = Path(__file__).resolve().parents[1]


def _sample(folder: Path, name: str = "Partnership Register.xlsx") -> Path:
    """The sample register copied into a folder whose name has spaces, as on the W: drive."""
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / name
    shutil.copy2(ROOT / "sample_register.xlsx", target)
    return target


def test_two_runs_make_two_history_lines_and_a_trend(tmp_path, capsys):
    register = _sample(tmp_path / "Managing Partnerships")
    assert cli.main(["validate", str(register), "--as-of", "2026-10-25", "--quiet"]) == 1
    assert cli.main(["validate", str(register), "--as-of", "2026-11-25", "--quiet"]) == 1
    with open(register.parent / HISTORY_NAME, encoding="utf-8-sig", newline="") as f:
        lines = list(csv.DictReader(f))
    assert [line["as_of"] for line in lines] == ["2026-10-25", "2026-11-25"]
    assert all(line["register"] == register.name and line["partnerships"] == "43" for line in lines)
    dated = sorted(p.name for p in register.parent.glob("* - checked *.xlsx"))
    assert dated == ["Partnership Register - checked 2026-10-25.xlsx", "Partnership Register - checked 2026-11-25.xlsx"]

    out = tmp_path / "scrutiny.xlsx"
    assert cli.main(["scrutiny", str(register), "--out", str(out), "--as-of", "2026-11-25", "--quiet"]) == 1  # written; the sample has errors
    assert out.is_file()
    trend = table_records(openpyxl.load_workbook(out)["Trend"], "Trend")
    assert [r["Month"].strftime("%Y-%m") for r in trend] == ["2026-10", "2026-11"]
    assert [r["Errors"] for r in trend] == [int(line["error"]) for line in lines]


def test_quiet_is_one_line_plus_notes(tmp_path, capsys):
    register = _sample(tmp_path)
    cli.main(["validate", str(register), "--as-of", "2026-11-25", "--quiet"])
    out = capsys.readouterr().out.strip().splitlines()
    assert len(out) == 1 and out[0].startswith("Partnership Register.xlsx: 43 partnerships") and "checked 2026-11-25.xlsx" in out[0]


def test_register_open_in_excel_is_still_read_and_said(tmp_path, capsys):
    register = _sample(tmp_path)
    (tmp_path / f"~${register.name}").write_bytes(bytes([5]) + b"jsmith".ljust(54, b" "))
    assert cli.main(["validate", str(register), "--as-of", "2026-11-25", "--no-workbook"]) == 1
    assert "open in Excel" in capsys.readouterr().out


def test_default_output_open_in_excel_gets_a_numbered_name(tmp_path, capsys):
    register = _sample(tmp_path)
    busy = tmp_path / "Partnership Register - checked 2026-11-25.xlsx"
    busy.write_bytes(b"the copy someone has open")
    (tmp_path / f"~${busy.name}").write_bytes(bytes([5]) + b"jsmith".ljust(54, b" "))
    assert cli.main(["validate", str(register), "--as-of", "2026-11-25"]) == 1
    printed = capsys.readouterr().out
    second = tmp_path / "Partnership Register - checked 2026-11-25 (2).xlsx"
    assert second.is_file() and busy.read_bytes() == b"the copy someone has open"
    assert second.name in printed


def test_explicit_output_open_in_excel_is_refused(tmp_path, capsys):
    register = _sample(tmp_path)
    out = tmp_path / "checked.xlsx"
    out.write_bytes(b"old")
    (tmp_path / f"~${out.name}").write_bytes(bytes([5]) + b"jsmith".ljust(54, b" "))
    assert cli.main(["validate", str(register), "--out", str(out)]) == 2
    assert "open in Excel" in capsys.readouterr().err and out.read_bytes() == b"old"


def test_output_dir_setting(tmp_path, capsys):
    register = _sample(tmp_path / "W drive")
    outputs = tmp_path / "Checks"
    outputs.mkdir()
    (register.parent / "partnership-xl.toml").write_text(f"output_dir = '{outputs}'\n", encoding="utf-8")
    assert cli.main(["validate", str(register), "--as-of", "2026-11-25", "--quiet"]) == 1
    assert (outputs / "Partnership Register - checked 2026-11-25.xlsx").is_file()
    assert (outputs / HISTORY_NAME).is_file()
    assert not list(register.parent.glob("* - checked *"))
