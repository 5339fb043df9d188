"""The register is never changed, outputs are whole or absent, and register text never runs."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import openpyxl
import pytest

from partnership_xl import cli
from partnership_xl.outputs import STALE_AFTER_SECONDS, TEMP_PREFIX, write_atomically

from .conftest import row, write_register

ROOT = Path(__file__).resolve().parents[1]

HOSTILE = '=HYPERLINK("http://evil.example/x","click")'


def _fingerprint(path: Path) -> tuple[bytes, int]:
    st = path.stat()
    return path.read_bytes(), st.st_mtime_ns


@pytest.mark.parametrize("args", [
    ["validate", "{reg}", "--as-of", "2026-11-25"],
    ["validate", "{reg}", "--no-workbook", "--json", "{tmp}/f.json"],
    ["scrutiny", "{reg}", "--out", "{tmp}/s.xlsx", "--previous", "{prev}"],
    ["risks", "{reg}", "--out", "{tmp}/r.xlsx", "--previous", "{prev}"],
    ["validate", "{reg}", "--out", "{reg}"],                    # refused: the register itself
    ["scrutiny", "{reg}", "--out", "{reg}"],                    # refused
    ["validate", "{reg}", "--sheet", "No such sheet"],          # refused: no register there
    ["validate", "{reg}", "--config", "{tmp}/bad.toml"],        # refused: bad settings
    ["validate", "{reg}", "--out", "{tmp}/missing folder/x.xlsx"],  # refused: no folder
])
def test_register_bytes_and_timestamp_never_change(tmp_path, args, capsys):
    reg = write_register(tmp_path / "register.xlsx", [row(), row(ref="P002", name=HOSTILE, last_review=None)])
    prev = write_register(tmp_path / "previous.xlsx", [row()])
    (tmp_path / "bad.toml").write_text("low_max = 'six'\n", encoding="utf-8")
    before, before_prev = _fingerprint(reg), _fingerprint(prev)
    time.sleep(0.01)
    rc = cli.main([a.format(reg=reg, tmp=tmp_path, prev=prev) for a in args])
    assert rc in (0, 1, 2)
    assert _fingerprint(reg) == before and _fingerprint(prev) == before_prev
    assert not list(tmp_path.glob(f"{TEMP_PREFIX}*"))


def test_killed_write_leaves_the_previous_output_whole(tmp_path):
    """A run killed half-way through writing (power cut, task ended) never leaves half a file."""
    target = tmp_path / "checked.xlsx"
    target.write_bytes(b"previous whole output")
    script = (
        "import os, signal, sys\n"
        "from pathlib import Path\n"
        "from partnership_xl.outputs import write_atomically\n"
        "def write(tmp):\n"
        "    tmp.write_bytes(b'PK half of a workbook')\n"
        "    os.kill(os.getpid(), signal.SIGKILL)\n"
        "write_atomically(Path(sys.argv[1]), write)\n"
    )
    done = subprocess.run([sys.executable, "-c", script, str(target)], capture_output=True)
    assert done.returncode == -signal.SIGKILL
    assert target.read_bytes() == b"previous whole output"
    leftovers = list(tmp_path.glob(f"{TEMP_PREFIX}*"))
    assert len(leftovers) == 1  # nothing could remove it as the process died; the next run does
    old = time.time() - STALE_AFTER_SECONDS - 60
    os.utime(leftovers[0], (old, old))
    write_atomically(target, lambda tmp: tmp.write_bytes(b"new whole output"))
    assert target.read_bytes() == b"new whole output"
    assert not list(tmp_path.glob(f"{TEMP_PREFIX}*"))


def test_hostile_text_stays_text_in_json_and_annotated_copy(tmp_path):
    reg = write_register(tmp_path / "register.xlsx", [row(name=HOSTILE), row(ref="+44 1858 821000", last_review=None)])
    out, js = tmp_path / "checked.xlsx", tmp_path / "f.json"
    assert cli.main(["validate", str(reg), "--out", str(out), "--json", str(js), "--as-of", "2026-11-25"]) == 1
    data = json.loads(js.read_text(encoding="utf-8"))
    assert [f["ref"] for f in data["findings"]] == ["+44 1858 821000"]  # text, not the number 441858821000
    wb = openpyxl.load_workbook(out)
    ws = wb["Register"]
    assert ws["B2"].value == HOSTILE and ws["B2"].data_type == "s"
    findings = wb["Findings"]
    for line in findings.iter_rows():
        for cell in line:
            assert cell.data_type != "f", f"formula in Findings!{cell.coordinate}"
            if cell.hyperlink is not None:
                assert cell.hyperlink.target is None and cell.hyperlink.location  # internal jumps only
