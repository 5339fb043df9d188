"""The library: the README's snippet runs, and each function does what its command does."""

from __future__ import annotations

import json
import re
import shutil
import sys
from pathlib import Path

import pytest

import partnership_xl as pxl
from partnership_xl.cli import main
from partnership_xl.errors import PartnershipXLError

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "sample_register.xlsx"


@pytest.fixture
def folder(tmp_path, monkeypatch):
    shutil.copy(SAMPLE, tmp_path / "Partnership Register.xlsx")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_the_readme_snippet_runs_on_the_sample(folder, capsys):
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("## Use it from Python", 1)[1]
    code = re.search(r"```python\n(.*?)```", section, re.S).group(1)
    exec(compile(code, "README.md", "exec"), {})
    for name in ("checked.xlsx", "findings.json", "scrutiny.xlsx", "risks.xlsx", "Scrutiny report.docx"):
        assert (folder / name).stat().st_size > 0, name
    assert list((folder / "reminders").glob("*.eml"))
    first = capsys.readouterr().out.splitlines()[0]
    assert first.startswith("1 ") and first.endswith(" errors")


def test_check_flattens_to_rows_and_codes_as_the_findings_have_them(folder):
    result = pxl.check("Partnership Register.xlsx", as_of="2026-11-25")
    flat = result.flatten()
    assert flat == sorted(flat) and len(flat) == len(result.findings)
    assert set(flat) == {(f.row, f.code) for f in result.findings}
    assert (6, "PP802") in flat


def test_settings_as_a_dict_a_path_or_the_file_beside_the_register(folder):
    assert pxl.check("Partnership Register.xlsx", as_of="2026-11-25", settings={"due_soon_days": 0}).settings.due_soon_days == 0
    (folder / "partnership-xl.toml").write_text("due_soon_days = 5\n", encoding="utf-8")
    assert pxl.check("Partnership Register.xlsx", as_of="2026-11-25").settings.due_soon_days == 5
    other = folder / "other.toml"
    other.write_text("due_soon_days = 7\n", encoding="utf-8")
    assert pxl.check("Partnership Register.xlsx", as_of="2026-11-25", settings=other).settings.due_soon_days == 7
    with pytest.raises(PartnershipXLError, match="Unknown setting 'due_soon'"):
        pxl.check("Partnership Register.xlsx", settings={"due_soon": 1})


def test_as_of_is_a_date_or_text_in_either_order(folder):
    assert pxl.check("Partnership Register.xlsx", as_of="25/11/2026").as_of.isoformat() == "2026-11-25"
    with pytest.raises(PartnershipXLError, match="is not a date"):
        pxl.check("Partnership Register.xlsx", as_of="next Friday")


def test_validate_writes_what_the_command_writes(folder, capsys):
    done = pxl.validate("Partnership Register.xlsx", as_of="2026-11-25", json="api.json")
    assert main(["validate", "Partnership Register.xlsx", "--as-of", "2026-11-25", "--json", "cli.json", "--out", "cli.xlsx", "--quiet"]) == done.exit_code == 1
    assert done.workbook.path.resolve() == folder / "Partnership Register - checked 2026-11-25.xlsx" and done.workbook.path.is_file()
    assert json.loads(Path("api.json").read_text(encoding="utf-8")) == json.loads(Path("cli.json").read_text(encoding="utf-8"))
    assert done.history.resolve() == folder / "partnership-xl history.csv"
    assert len(done.history.read_text(encoding="utf-8-sig").splitlines()) == 3  # header, the library's run, the command's


def test_annotate_without_a_name_writes_the_dated_copy(folder):
    result = pxl.check("Partnership Register.xlsx", as_of="2026-11-25")
    assert pxl.annotate(result).path.resolve() == folder / "Partnership Register - checked 2026-11-25.xlsx"
    with pytest.raises(PartnershipXLError, match="is the register itself"):
        pxl.annotate(result, "Partnership Register.xlsx")


def test_the_package_imports_no_pandas_until_a_function_is_called():
    import subprocess

    code = "import sys, partnership_xl, partnership_xl.cli; print('pandas' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT).stdout
    assert out.strip() == "False"
