"""Fuzzing `validate` with damaged registers (SPEC §8, issue 14).

Real registers (the sample, last year's sample, an .ods and an .xlsb) have one zip member
mutated: bytes flipped, cut short, XML broken, a huge string, invalid UTF-8, deep nesting, a
value in the last cell, or the zip's own bytes flipped. Each runs `validate` in a child process
(an abort inside a native reader must not take pytest down) and must end the way SPEC §8 says:
exit 0, 1 or 2; for 2 exactly one sentence on stderr; never a traceback or an abort; nothing
left behind (no ~pxl- temporary file); the register unchanged, bytes and timestamps.

Bounded: 40 examples, each with a 45-second deadline; about a minute in all.
"""

from __future__ import annotations

import io
import os
import subprocess
import sys
import tempfile
import zipfile
from datetime import timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from . import stray_cells

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = int(os.environ.get("PXL_FUZZ_EXAMPLES", "40"))


def _registers() -> dict[str, bytes]:
    with tempfile.TemporaryDirectory() as folder:
        ods = stray_cells.ods(Path(folder) / "r.ods", far=None).read_bytes()
        xlsb = stray_cells.xlsb(Path(folder) / "r.xlsb", far=None).read_bytes()
    return {
        "Partnership Register.xlsx": (ROOT / "sample_register.xlsx").read_bytes(),
        "Register 2025.xlsx": (ROOT / "samples" / "sample_register_2025.xlsx").read_bytes(),
        "Register.ods": ods,
        "Register.xlsb": xlsb,
    }


REGISTERS = _registers()
MUTATIONS = ["flip", "truncate", "malformed", "huge string", "invalid utf-8", "deep nesting", "last cell", "zip bytes"]
_BROKEN_XML = [b"<", b">", b"</x>", b"<c r=", b"&bogus;", b"&#0;", b"<!DOCTYPE x [<!ENTITY a 'b'>]>", b"]]>", b'"', b"<?xml?>", b"\x00"]


@st.composite
def damaged_registers(draw) -> tuple[str, bytes, str]:
    """(file name, its bytes, what was done) for one register with one thing broken."""
    name = draw(st.sampled_from(sorted(REGISTERS)))
    original = REGISTERS[name]
    mutation = draw(st.sampled_from(MUTATIONS))
    if mutation == "zip bytes":  # the package itself: headers, directory, compressed streams
        data = bytearray(original)
        for _ in range(draw(st.integers(1, 8))):
            at = draw(st.integers(0, len(data) - 1))
            data[at] ^= draw(st.integers(1, 255))
        return name, bytes(data), mutation
    src = zipfile.ZipFile(io.BytesIO(original))
    members = [i.filename for i in src.infolist() if not i.is_dir() and i.filename != "mimetype"]
    member = draw(st.sampled_from(members))
    content = src.read(member)
    at = draw(st.integers(0, max(len(content) - 1, 0)))
    if mutation == "flip":
        data = bytearray(content)
        for _ in range(draw(st.integers(1, 16))):
            i = draw(st.integers(0, max(len(data) - 1, 0)))
            if data:
                data[i] ^= draw(st.integers(1, 255))
        content = bytes(data)
    elif mutation == "truncate":
        content = content[:at]
    elif mutation == "malformed":
        content = content[:at] + draw(st.sampled_from(_BROKEN_XML)) + content[at + draw(st.integers(0, 3)):]
    elif mutation == "huge string":
        text = b"x" * draw(st.integers(1_000, 3_000_000))
        content = content.replace(b"<t>", b"<t>" + text, 1) if b"<t>" in content else content[:at] + text + content[at:]
    elif mutation == "invalid utf-8":
        content = content[:at] + draw(st.sampled_from([b"\xff", b"\xc3\x28", b"\xed\xa0\x80", b"\xf8\x88\x80\x80\x80", b"\xfe\xff"])) + content[at:]
    elif mutation == "deep nesting":
        depth = draw(st.integers(100, 20_000))
        content = content[:at] + b"<a>" * depth + b"</a>" * draw(st.sampled_from([depth, 0])) + content[at:]
    elif mutation == "last cell":
        if b"</sheetData>" in content:
            content = content.replace(b"</sheetData>", b'<row r="1048576"><c r="XFD1048576"><v>1</v></c></row></sheetData>', 1)
        else:  # .ods content or a binary part: a far value where the mutation can put one
            content = content.replace(b"</table:table>", b'<table:table-row table:number-rows-repeated="1048570"><table:table-cell/></table:table-row>'
                                      b'<table:table-row><table:table-cell table:number-columns-repeated="16383"/><table:table-cell office:value-type="float" '
                                      b'office:value="1"/></table:table-row></table:table>', 1)
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as out:
        for info in src.infolist():
            out.writestr(info, content if info.filename == member else src.read(info))
    return name, buf.getvalue(), f"{mutation} in {member}"


@pytest.mark.fuzz
@settings(max_examples=EXAMPLES, deadline=timedelta(seconds=45), suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large], print_blob=True)
@given(damaged_registers())
def test_validate_never_crashes_loses_or_leaves_anything(case):
    name, data, what = case
    with tempfile.TemporaryDirectory() as folder:
        register = Path(folder) / name
        register.write_bytes(data)
        os.utime(register, ns=(1_700_000_000_000_000_000, 1_700_000_000_000_000_000))
        before = (register.read_bytes(), register.stat().st_mtime_ns)
        env = {**os.environ, "PYTHONPATH": str(ROOT)}
        done = subprocess.run([sys.executable, "-m", "partnership_xl", "validate", str(register), "--as-of", "2026-11-25", "--quiet"],
                              capture_output=True, text=True, timeout=40, env=env, cwd=folder)
        said = f"{what}: exit {done.returncode}\n{done.stdout[-1500:]}\n{done.stderr[-1500:]}"
        assert done.returncode in (0, 1, 2), said  # never an abort (134), a signal (negative) or anything else
        assert "Traceback" not in done.stderr and "panicked" not in done.stderr and "Exception ignored" not in done.stderr, said
        if done.returncode == 2:
            lines = [line for line in done.stderr.splitlines() if line.strip()]
            assert len(lines) == 1 and lines[0].startswith("partnership-xl: ") and lines[0].rstrip().endswith("."), said
        else:
            assert "\n" not in done.stdout.strip() or all(line.startswith(("Note:", "Not carried")) for line in done.stdout.strip().splitlines()[1:]), said
        left = sorted(p.name for p in Path(folder).iterdir() if p.name.startswith("~pxl-"))
        assert left == [], said
        assert (register.read_bytes(), register.stat().st_mtime_ns) == before, said
