"""A full disk (outputs.py, issue 14): one sentence, nothing half-written, nothing left behind.

A real small drive is needed: a tmpfs mounted in the test's folder, which needs root (CI runs as
root); elsewhere these tests are skipped and say why.
"""

from __future__ import annotations

import gc
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import openpyxl
import pytest

from partnership_xl.errors import OutputError
from partnership_xl.history import HISTORY_NAME
from partnership_xl.outputs import TEMP_PREFIX, write_atomically

ROOT = Path(__file__).resolve().parents[1]
PAGE = 4096


@pytest.fixture
def small_drive(tmp_path):
    """``make(size_in_bytes)`` → an empty folder on a drive of that size (a tmpfs), unmounted afterwards."""
    if os.name != "posix" or os.geteuid() != 0 or shutil.which("mount") is None:
        pytest.skip("a full disk is simulated with a small tmpfs, which only root can mount (CI runs as root)")
    mounted: list[Path] = []

    def make(size: int) -> Path:
        drive = tmp_path / f"W drive {len(mounted)}"
        drive.mkdir()
        done = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(drive)], capture_output=True, text=True)
        if done.returncode != 0:
            pytest.skip(f"cannot mount a tmpfs here ({done.stderr.strip()}): the full-disk tests need it")
        mounted.append(drive)
        return drive

    yield make
    for drive in mounted:
        subprocess.run(["umount", "-l", str(drive)], check=False)


def pages(size: int) -> int:
    return -(-size // PAGE) * PAGE


def run(*args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run([sys.executable, "-m", "partnership_xl", *args], capture_output=True, text=True, timeout=120, env=env)


def register_on(drive: Path) -> tuple[Path, tuple[bytes, int]]:
    register = Path(shutil.copy2(ROOT / "sample_register.xlsx", drive / "Partnership Register.xlsx"))
    return register, (register.read_bytes(), register.stat().st_mtime_ns)


def output_sizes(tmp_path: Path) -> tuple[int, int]:
    """The sizes of the sample's annotated copy and JSON, written on an ordinary disk."""
    folder = tmp_path / "measure"
    folder.mkdir()
    register = Path(shutil.copy2(ROOT / "sample_register.xlsx", folder / "Partnership Register.xlsx"))
    done = run("validate", str(register), "--out", str(folder / "copy.xlsx"), "--json", str(folder / "f.json"), "--as-of", "2026-11-25", "--quiet")
    assert done.returncode == 1, done.stderr
    return (folder / "copy.xlsx").stat().st_size, (folder / "f.json").stat().st_size


def assert_one_sentence(done: subprocess.CompletedProcess) -> str:
    lines = [line for line in (done.stdout + done.stderr).splitlines() if line.strip()]
    assert done.returncode == 2 and len(lines) == 1, done.stdout + done.stderr
    assert "Traceback" not in done.stderr and "Exception ignored" not in done.stderr
    return lines[0]


def test_a_copy_that_does_not_fit_is_one_sentence_and_leaves_nothing(small_drive):
    """Was: the generic "send the output to the developers" sentence, then 'Exception ignored in:
    ZipFile.__del__' and a traceback of OSError 28."""
    drive = small_drive(pages(ROOT.joinpath("sample_register.xlsx").stat().st_size) + 4 * PAGE)
    register, before = register_on(drive)
    sentence = assert_one_sentence(run("validate", str(register), "--as-of", "2026-11-25"))
    assert "not enough space on the drive to write Partnership Register - checked 2026-11-25.xlsx" in sentence
    assert "free some space" in sentence and "developers" not in sentence
    assert sorted(p.name for p in drive.iterdir()) == [register.name]  # no copy, no ~pxl- file, no history line
    assert (register.read_bytes(), register.stat().st_mtime_ns) == before


@pytest.mark.parametrize("room_for", ["the JSON", "the copy"])
def test_both_outputs_or_neither(small_drive, tmp_path, room_for):
    """Was: with room for the copy but not the JSON, exit 2 after a complete copy was written and no
    history line. Now the JSON is written first and both are moved into place only when both are whole."""
    copy_size, json_size = output_sizes(tmp_path)
    room = pages(json_size) + pages(copy_size) // 2 if room_for == "the JSON" else pages(copy_size) + PAGE
    drive = small_drive(pages(ROOT.joinpath("sample_register.xlsx").stat().st_size) + room)
    register, before = register_on(drive)
    sentence = assert_one_sentence(run("validate", str(register), "--json", str(drive / "findings.json"), "--as-of", "2026-11-25"))
    assert "not enough space" in sentence
    assert sorted(p.name for p in drive.iterdir()) == [register.name]
    assert (register.read_bytes(), register.stat().st_mtime_ns) == before


def test_outputs_written_whole_make_a_successful_run_even_when_the_history_does_not_fit(small_drive, tmp_path):
    """Was: exit 2 after the complete workbook was written, and no history line. The outputs are
    complete, so the run succeeds (exit 1: the sample has error findings) and says the history was not updated."""
    copy_size, json_size = output_sizes(tmp_path)
    drive = small_drive(pages(ROOT.joinpath("sample_register.xlsx").stat().st_size) + pages(json_size) + pages(copy_size))
    register, before = register_on(drive)
    done = run("validate", str(register), "--json", str(drive / "findings.json"), "--as-of", "2026-11-25", "--quiet")
    assert done.returncode == 1 and not done.stderr, done.stdout + done.stderr
    assert "the run history was not updated" in done.stdout and "full" in done.stdout
    copy = drive / "Partnership Register - checked 2026-11-25.xlsx"
    assert openpyxl.load_workbook(copy, read_only=True)["Findings"] is not None
    assert (drive / "findings.json").stat().st_size == json_size
    assert not (drive / HISTORY_NAME).exists() or (drive / HISTORY_NAME).stat().st_size == 0
    assert not [p for p in drive.iterdir() if p.name.startswith(TEMP_PREFIX)]
    assert (register.read_bytes(), register.stat().st_mtime_ns) == before


def test_a_writer_that_leaves_its_zip_open_on_a_full_disk_is_closed_quietly(small_drive):
    """Any writer: one that fails half-way leaves its ZipFile open; collecting it later printed a traceback."""
    drive = small_drive(8 * PAGE)
    reported: list = []
    hook, sys.unraisablehook = sys.unraisablehook, reported.append

    def careless_writer(tmp: Path) -> None:
        book = zipfile.ZipFile(tmp, "w")  # never closed, as a writer failing half-way leaves it
        book.writestr("xl/worksheets/sheet1.xml", os.urandom(64 * PAGE))

    try:
        with pytest.raises(OutputError, match="not enough space on the drive to write checked.xlsx in the folder"):
            write_atomically(drive / "checked.xlsx", careless_writer)
        gc.collect()
    finally:
        sys.unraisablehook = hook
    assert reported == [] and list(drive.iterdir()) == []
