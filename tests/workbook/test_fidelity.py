"""The annotated copy against real Excel-saved workbooks (SPEC §7, issue 10): the officer's own
package, patched, never regenerated.

Each workbook of tests/data/fidelity/ (see SOURCES.md) gets the sample register grafted in as a
new sheet, the way an officer adds one in Excel; a few registers built with xlsxwriter carry the
features on the register sheet itself. Each is checked once through the public command line
(``validate REGISTER --out COPY``), and its copy checked again, and every test below reads those
runs: nothing removed, every untouched part byte for byte, styles and strings appended only, the
register sheet's elements and cells kept in schema order, the workbook's sheets and names kept,
the copy reopened by python-calamine, openpyxl and LibreOffice, and a second check that changes
nothing and finds the same.
"""

from __future__ import annotations

import functools
import json
import os
import re
import shutil
import subprocess
import sys
import warnings
import zipfile
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import openpyxl
import pytest
import python_calamine as pc
from lxml import etree

from ..fidelity_features import sheet_entries
from .graft import BUILT, CORPUS_FILES, REGISTER_SHEET, THREADED_CELL, build_register
from .package_compare import (
    MAIN,
    Package,
    all_problems,
    allowed_to_change,
    byte_problems,
    register_sheet_problems,
    removed_and_order_problems,
    same_parts_problems,
    schema_order_problems,
    shared_strings_problems,
    styles_problems,
    workbook_problems,
)

ROOT = Path(__file__).resolve().parents[2]
AS_OF = "2026-11-25"
CASES = CORPUS_FILES + BUILT

pytestmark = pytest.mark.filterwarnings("ignore::UserWarning")


@dataclass
class Run:
    """One register, its annotated copy, and the copy of that copy."""

    original: Path
    copy: Path
    copy2: Path
    findings: Path
    findings2: Path
    first: subprocess.CompletedProcess | None = None
    second: subprocess.CompletedProcess | None = None

    def __repr__(self) -> str:
        return f"Run({self.original.name})"

    def written(self) -> None:
        """Fail with the tool's own words unless the first check wrote the copy."""
        done = self.first
        assert done is not None and done.returncode in (0, 1) and self.copy.is_file(), (
            f"validate {self.original.name} exited {done.returncode if done else '?'}: {(done.stderr if done else '').strip()[:600]}")

    def rewritten(self) -> None:
        self.written()
        done = self.second
        assert done is not None and done.returncode in (0, 1) and self.copy2.is_file(), (
            f"validate {self.copy.name} exited {done.returncode if done else '?'}: {(done.stderr if done else '').strip()[:600]}")


def _validate(register: Path, out: Path, findings: Path) -> subprocess.CompletedProcess:
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")]))
    return subprocess.run([sys.executable, "-m", "partnership_xl", "validate", str(register), "--out", str(out),
                           "--json", str(findings), "--as-of", AS_OF, "--quiet"],
                          capture_output=True, text=True, timeout=600, env=env, cwd=register.parent)


class Runs(dict):
    """Case name → Run, shown briefly in a failure's traceback."""

    def __repr__(self) -> str:
        return f"<{len(self)} runs>"


@pytest.fixture(scope="module")
def runs(tmp_path_factory) -> Runs:
    """Every case checked once, and its copy checked again: two command-line runs a case, two at a time."""
    folder = tmp_path_factory.mktemp("fidelity")
    result = Runs()
    for name in CASES:
        case = folder / Path(name).stem
        case.mkdir()
        original = build_register(name, case)
        ext = ".xlsm" if original.suffix.lower() in (".xlsm", ".xltm") else ".xlsx"
        result[name] = Run(original, case / f"copy{ext}", case / f"copy2{ext}", case / "findings.json", case / "findings2.json")

    def both(run: Run) -> None:
        run.first = _validate(run.original, run.copy, run.findings)
        if run.first.returncode in (0, 1) and run.copy.is_file():
            run.second = _validate(run.copy, run.copy2, run.findings2)

    with ThreadPoolExecutor(max_workers=2) as pool:
        list(pool.map(both, result.values()))
    return result


@pytest.fixture(scope="module")
def converted(runs, tmp_path_factory) -> Path | None:
    """Every copy converted by LibreOffice in one call; the folder of its outputs."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        return None
    out = tmp_path_factory.mktemp("libreoffice")
    profile = (out / "profile").as_uri()
    inputs = []
    for name, run in runs.items():
        if run.copy.is_file():
            named = out / "in" / f"{Path(name).stem}{run.copy.suffix}"
            named.parent.mkdir(exist_ok=True)
            shutil.copyfile(run.copy, named)
            inputs.append(str(named))
    if inputs:
        subprocess.run([soffice, f"-env:UserInstallation={profile}", "--headless", "--convert-to", "xlsx",
                        "--outdir", str(out / "out"), *inputs], capture_output=True, text=True, timeout=900)
    return out / "out"


@functools.cache
def _package(path: Path) -> Package:
    return Package.read(path)


def _packages(run: Run) -> tuple[Package, Package]:
    run.written()
    return _package(run.original), _package(run.copy)


def _report(problems: list[str]) -> str:
    return "\n".join(problems[:40]) + (f"\n... and {len(problems) - 40} more" if len(problems) > 40 else "")


# --- the copy, part by part ---------------------------------------------------------------------

@pytest.mark.parametrize("case", CASES)
def test_a_copy_is_written_under_the_registers_kind(runs, case):
    run = runs[case]
    run.written()
    if run.original.suffix.lower() in (".xlsm", ".xltm"):
        assert "xl/vbaProject.bin" in Package.read(run.copy).data


@pytest.mark.parametrize("case", CASES)
def test_nothing_is_removed_and_every_member_keeps_its_place(runs, case):
    original, copy = _packages(runs[case])
    problems = removed_and_order_problems(original, copy)
    assert problems == [], _report(problems)


@pytest.mark.parametrize("case", CASES)
def test_every_part_the_annotation_need_not_change_is_byte_identical(runs, case):
    original, copy = _packages(runs[case])
    problems = byte_problems(original, copy, allowed_to_change(original, REGISTER_SHEET))
    assert problems == [], _report(problems)


@pytest.mark.parametrize("case", CASES)
def test_styles_and_shared_strings_are_only_appended_to(runs, case):
    original, copy = _packages(runs[case])
    problems = styles_problems(original, copy) + shared_strings_problems(original, copy)
    assert problems == [], _report(problems)


@pytest.mark.parametrize("case", CASES)
def test_the_register_sheet_keeps_every_element_and_cell_it_does_not_own(runs, case):
    original, copy = _packages(runs[case])
    problems = register_sheet_problems(original, copy, REGISTER_SHEET)
    assert problems == [], _report(problems)


@pytest.mark.parametrize("case", CASES)
def test_the_workbooks_sheets_and_defined_names_are_kept(runs, case):
    original, copy = _packages(runs[case])
    problems = workbook_problems(original, copy)
    assert problems == [], _report(problems)


@pytest.mark.parametrize("case", CASES)
def test_every_changed_or_added_part_follows_the_schema_order(runs, case):
    original, copy = _packages(runs[case])
    problems = schema_order_problems(original, copy, REGISTER_SHEET)
    assert problems == [], _report(problems)


def _notes(pkg: Package) -> dict[str, str]:
    sheet = pkg.sheet_part(REGISTER_SHEET)
    notes = {}
    for part in pkg.related(sheet, "/comments"):
        for comment in etree.fromstring(pkg.data[part]).iter(f"{{{MAIN}}}comment"):
            notes[comment.get("ref")] = "".join(t.text or "" for t in comment.iter(f"{{{MAIN}}}t"))
    return notes


@pytest.mark.parametrize("case", [c for c in BUILT if c != "register-formatted-to-last-row.xlsx"])
def test_the_officers_notes_are_kept_and_threaded_comments_untouched(runs, case):
    original, copy = _packages(runs[case])
    before, after = _notes(original), _notes(copy)
    assert before, "the register was built with notes"
    for ref, text in before.items():
        assert ref in after and after[ref].startswith(text), f"the officer's note on {ref} became {after.get(ref)!r}"
    if case == "register-threaded.xlsx":
        assert after[THREADED_CELL] == before[THREADED_CELL], "a threaded comment's cell keeps its note as it was"


@pytest.mark.parametrize("case", [c for c in CASES if c.lower().endswith((".xltx", ".xltm"))])
def test_a_template_becomes_a_workbook(runs, case):
    original, copy = _packages(runs[case])
    types = copy.data["[Content_Types].xml"].decode()
    assert "template.main+xml" not in types and ("sheet.main+xml" in types or "sheet.macroEnabled.main+xml" in types)


# --- the copy, opened ---------------------------------------------------------------------------

def _calamine_sheets(path: Path) -> dict[str, list[list]]:
    book = pc.CalamineWorkbook.from_path(str(path))
    out = {}
    for name in book.sheet_names:
        try:
            out[name] = book.get_sheet_by_name(name).to_python(skip_empty_area=False)
        except Exception:  # noqa: BLE001 - chart and dialog sheets have no cells for calamine
            out[name] = None
    return out


def _cells(rows) -> dict[tuple[int, int], object]:
    """The non-empty values of ``rows`` by (row, column), formulas as comparable tuples."""
    out = {}
    for r, row in enumerate(rows or []):
        for c, value in enumerate(row):
            if value is None or value == "":
                continue
            if hasattr(value, "text") and hasattr(value, "ref"):  # openpyxl's ArrayFormula
                value = ("array formula", value.ref, value.text)
            elif type(value).__module__.startswith("openpyxl"):
                value = (type(value).__name__, repr(vars(value)))
            out[r, c] = value
    return out


def _value_problems(name: str, before, after, register: bool) -> list[str]:
    """``after`` holds ``before``'s values where they were; new ones only right of them on the register."""
    old, new = _cells(before), _cells(after)
    width = max((c for _, c in old), default=-1)
    problems = [f"{name}!R{r + 1}C{c + 1}: {v!r} became {new.get((r, c))!r}" for (r, c), v in old.items() if new.get((r, c)) != v]
    problems += [f"{name}!R{r + 1}C{c + 1}: {v!r} is new" for (r, c), v in new.items()
                 if (r, c) not in old and not (register and c > width)]
    return problems[:20]


@pytest.mark.parametrize("case", CASES)
def test_the_copy_reopens_with_calamine_and_openpyxl_with_the_same_values(runs, case):
    run = runs[case]
    run.written()
    before, after = _calamine_sheets(run.original), _calamine_sheets(run.copy)
    for name, rows in before.items():
        assert name in after, f"sheet {name!r} is not in the copy"
        if rows is not None:
            assert _value_problems(name, rows, after[name], name == REGISTER_SHEET) == [], f"python-calamine reads other values on {name!r}"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        book_before = openpyxl.load_workbook(run.original, read_only=True)
        book_after = openpyxl.load_workbook(run.copy, read_only=True)  # must not raise
    try:
        for ws in book_before.worksheets:
            height = len(before.get(ws.title) or []) or 1
            width = max((len(r) for r in before.get(ws.title) or []), default=1)
            old = ws.iter_rows(max_row=height, max_col=width, values_only=True)
            new = book_after[ws.title].iter_rows(max_row=height, max_col=width, values_only=True)
            assert _value_problems(ws.title, old, new, ws.title == REGISTER_SHEET) == [], f"openpyxl reads other values on {ws.title!r}"
    finally:
        book_before.close()
        book_after.close()


@pytest.mark.parametrize("case", CASES)
def test_libreoffice_converts_the_copy(runs, converted, case):
    if converted is None:
        if os.environ.get("CI"):
            pytest.fail("LibreOffice (soffice) is not installed, and CI must run this test")
        pytest.skip("LibreOffice (soffice) is not installed here")
    run = runs[case]
    run.written()
    out = converted / f"{Path(case).stem}.xlsx"
    assert out.is_file(), f"LibreOffice wrote nothing for {case}'s copy"
    names = set(pc.CalamineWorkbook.from_path(str(out)).sheet_names)
    with zipfile.ZipFile(run.original) as z:
        worksheets = {name for name, _, kind in sheet_entries(z) if kind.endswith("worksheet+xml")}
    assert worksheets <= names, f"LibreOffice's conversion lacks {sorted(worksheets - names)}"


# --- checking the copy again --------------------------------------------------------------------

@pytest.mark.parametrize("case", CASES)
def test_checking_the_copy_again_changes_nothing(runs, case):
    run = runs[case]
    run.rewritten()
    problems = same_parts_problems(_package(run.copy), _package(run.copy2))
    assert problems == [], _report(problems)


def _findings(path: Path) -> dict:
    data = json.loads(path.read_text(encoding="utf-8"))
    data.pop("register", None)
    return data


@pytest.mark.parametrize("case", CASES)
def test_the_copy_has_the_findings_of_the_original(runs, case):
    run = runs[case]
    run.rewritten()
    assert _findings(run.findings2) == _findings(run.findings)


# --- the harness itself -------------------------------------------------------------------------

#: every case but the million-row one (its comparison alone takes seconds): the harness must pass each as it is
HARNESS_CASES = [c for c in CASES if c != "register-formatted-to-last-row.xlsx"]


def _rezip(src: Path, dst: Path, edit=None, drop: str | None = None) -> Path:
    """``src``'s members re-zipped (stored, not deflated: other bytes, same contents), optionally
    with one member edited or dropped."""
    with zipfile.ZipFile(src) as z, zipfile.ZipFile(dst, "w", zipfile.ZIP_STORED) as out:
        for info in z.infolist():
            if info.filename == drop:
                continue
            data = z.read(info)
            if edit is not None:
                data = edit(info.filename, data)
            out.writestr(info.filename, data)
    return dst


@pytest.fixture(scope="module")
def harness_inputs(tmp_path_factory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("harness")
    return {name: build_register(name, folder) for name in HARNESS_CASES}


@pytest.mark.parametrize("case", HARNESS_CASES)
def test_the_harness_passes_a_perfect_copy(harness_inputs, tmp_path, case):
    original = harness_inputs[case]
    copy = _rezip(original, tmp_path / f"copy{original.suffix}")
    assert all_problems(Package.read(original), Package.read(copy), REGISTER_SHEET) == []
    assert same_parts_problems(Package.read(original), Package.read(copy)) == []


def test_the_harness_catches_what_a_bad_copy_does(harness_inputs, tmp_path):
    original = harness_inputs["register-features.xlsx"]
    pkg = Package.read(original)
    sheet = pkg.sheet_part(REGISTER_SHEET)

    def problems(**how) -> list[str]:
        copy = _rezip(original, tmp_path / "bad.xlsx", **how)
        return all_problems(pkg, Package.read(copy), REGISTER_SHEET)

    def edit_part(part: str, old: bytes, new: bytes):
        return lambda name, data: data.replace(old, new, 1) if name == part else data

    assert "xl/theme/theme1.xml is missing from the copy" in problems(drop="xl/theme/theme1.xml")
    assert "xl/theme/theme1.xml changed" in problems(edit=edit_part("xl/theme/theme1.xml", b"Office", b"Offyce"))
    moved = problems(edit=lambda name, data: _move_before_sheet_data(data, b"<pageMargins") if name == sheet else data)
    assert any("<sheetData> after <pageMargins>" in p for p in moved), moved
    assert any("<tableParts> changed" in p for p in problems(edit=edit_part(sheet, b'<tablePart r:id="', b'<tablePart r:id="x')))
    assert any(p.startswith(f"{REGISTER_SHEET}!B5:") for p in problems(edit=edit_part(sheet, b'<c r="B5" t="s"><v>', b'<c r="B5" t="s"><v>1')))
    def prepend_xf(name: str, data: bytes) -> bytes:
        return re.sub(rb"(<cellXfs[^>]*>)", rb'\1<xf numFmtId="3" fontId="0" fillId="0" borderId="0"/>', data) if name == "xl/styles.xml" else data

    assert any("<cellXfs> item 0" in p for p in problems(edit=prepend_xf))
    assert any(p.startswith("sheets ") for p in problems(edit=edit_part("xl/workbook.xml", b'name="Lookups"', b'name="Look ups"')))


def _move_before_sheet_data(xml: bytes, tag: bytes) -> bytes:
    start = xml.index(tag)
    end = xml.index(b"/>", start) + 2
    element = xml[start:end]
    xml = xml[:start] + xml[end:]
    at = xml.index(b"<sheetData")
    return xml[:at] + element + xml[at:]
