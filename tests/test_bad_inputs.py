"""The whole CLI over the bad-input corpus (SPEC §8): one sentence, exit 2, nothing lost."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from partnership_xl.cli import main

from . import stray_cells

BAD = Path(__file__).parent / "data" / "bad"
EXPECTED = json.loads((BAD / "expected.json").read_text(encoding="utf-8"))


@pytest.fixture
def copy_of(tmp_path):
    """The corpus file copied into a folder of its own, so nothing is written beside the corpus."""

    def _copy(name: str) -> Path:
        folder = tmp_path / "W drive"
        folder.mkdir(exist_ok=True)
        return Path(shutil.copy2(BAD / name, folder / name))

    return _copy


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_validate_over_the_corpus(name, copy_of, capsys):
    expected = EXPECTED[name]
    path = copy_of(name)
    before = (path.read_bytes(), path.stat().st_mtime_ns)

    rc = main(["validate", str(path), "--no-workbook", "--quiet"])

    err = capsys.readouterr().err
    assert rc == expected["exit"], err
    assert "Traceback" not in err
    if expected["exit"] == 2:
        lines = [line for line in err.splitlines() if line.strip()]
        assert len(lines) == 1, err
        assert expected["message"] in lines[0]
        assert name in lines[0]
        assert str(path.parent) not in lines[0]
    assert (path.read_bytes(), path.stat().st_mtime_ns) == before  # the register is never modified


@pytest.mark.parametrize("name", sorted(n for n, e in EXPECTED.items() if e["exit"] == 2))
def test_refused_file_leaves_no_output(name, copy_of, capsys):
    path = copy_of(name)
    rc = main(["validate", str(path), "--quiet"])
    assert rc == 2
    assert sorted(p.name for p in path.parent.iterdir()) == [name]


def test_missing_register(tmp_path, capsys):
    rc = main(["validate", str(tmp_path / "Partnership Register.xlsx"), "--no-workbook"])
    assert rc == 2
    assert "Partnership Register.xlsx was not found" in capsys.readouterr().err


def test_folder_given_as_register(tmp_path, capsys):
    rc = main(["validate", str(tmp_path), "--no-workbook"])
    assert rc == 2
    assert "is a folder, not a workbook" in capsys.readouterr().err


def test_out_is_the_register(copy_of, capsys):
    path = copy_of("legacy.xls")
    before = path.read_bytes()
    rc = main(["validate", str(path), "--out", str(path.parent / ".." / path.parent.name / path.name)])
    assert rc == 2
    assert "is the register itself" in capsys.readouterr().err
    assert path.read_bytes() == before


def test_a_stray_value_far_out_on_another_sheet_is_passed_over_and_kept(tmp_path):
    """A guidance sheet with a value left in XFD1048576 cannot be read for values, but it is not the
    register: the register is checked and the copy keeps that sheet and its stray value."""
    import subprocess
    import sys

    import openpyxl

    from .conftest import row, write_register

    path = write_register(tmp_path / "Partnership Register.xlsx", [row()])
    wb = openpyxl.load_workbook(path)
    wb.create_sheet("Guidance")["XFD1048576"] = "oops"
    wb.save(path)
    out = tmp_path / "checked.xlsx"
    done = subprocess.run([sys.executable, "-m", "partnership_xl", "validate", str(path), "--out", str(out), "--as-of", "2026-11-25"],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode in (0, 1) and "Partnerships checked: 1" in done.stdout, done.stdout + done.stderr[:500]
    assert openpyxl.load_workbook(out)["Guidance"]["XFD1048576"].value == "oops"


def test_a_stray_value_in_the_last_cell_is_one_sentence_not_a_crash(tmp_path):
    """A value left in XFD1048576 made python-calamine abort the process (a Rust backtrace, exit 134).

    Run in a child process: a regression would take pytest down with it otherwise."""
    import subprocess
    import sys

    import openpyxl

    from .conftest import row, write_register

    path = write_register(tmp_path / "Partnership Register.xlsx", [row()])
    wb = openpyxl.load_workbook(path)
    wb.active["XFD1048576"] = "oops"
    wb.save(path)
    before = (path.read_bytes(), path.stat().st_mtime_ns)
    done = subprocess.run([sys.executable, "-m", "partnership_xl", "validate", str(path)], capture_output=True, text=True, timeout=120)
    lines = [line for line in (done.stdout + done.stderr).splitlines() if line.strip()]
    assert done.returncode == 2 and len(lines) == 1 and "Ctrl+End" in lines[0], done.stderr[:500]
    assert (path.read_bytes(), path.stat().st_mtime_ns) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == [path.name]


@pytest.mark.parametrize("build, name", [
    (stray_cells.xlsx_with_a_large_sheet, "Partnership Register.xlsx"),  # the 2 MB part the scan used to skip
    (stray_cells.ods, "Partnership Register.ods"),  # calamine: "Cell limit exceeded (17179852800 cells requested...)"
    (stray_cells.xlsb, "Partnership Register.xlsb"),  # calamine aborted the process
])
def test_a_stray_value_in_the_last_cell_of_any_format_is_one_sentence(tmp_path, build, name):
    """Before the fix these aborted inside python-calamine (exit 134, a Rust backtrace) or printed its error."""
    import subprocess
    import sys

    path = build(tmp_path / name)
    before = (path.read_bytes(), path.stat().st_mtime_ns)
    done = subprocess.run([sys.executable, "-m", "partnership_xl", "validate", str(path)], capture_output=True, text=True, timeout=120)
    lines = [line for line in (done.stdout + done.stderr).splitlines() if line.strip()]
    assert done.returncode == 2 and len(lines) == 1, done.stderr[-800:]
    assert "sheet 'Register' has something as far out as row 1,048,576 and column XFD" in lines[0] and "Ctrl+End" in lines[0]
    assert (path.read_bytes(), path.stat().st_mtime_ns) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == [path.name]


@pytest.mark.parametrize("build, name", [
    (stray_cells.xlsx_with_a_large_sheet, "Partnership Register.xlsx"),
    (stray_cells.ods, "Partnership Register.ods"),
    (stray_cells.xlsb, "Partnership Register.xlsb"),
])
def test_the_same_registers_without_the_stray_value_are_checked(tmp_path, build, name):
    path = build(tmp_path / name, far=None)
    assert main(["validate", str(path), "--no-workbook", "--quiet", "--as-of", "2026-11-25"]) in (0, 1)
