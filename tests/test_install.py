"""The wheel builds, installs in a fresh virtual environment, and its partnership-xl command runs.

What a council PC gets (README, "Install on a council PC without admin rights"): the wheel, installed
with pip, and the ``partnership-xl`` program in the environment's Scripts (bin) folder. Built from a
copy of the sources (so no build/ or .egg-info is left in the repository), without build isolation
and installed with --no-deps into a venv that sees this environment's packages: no download at all.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

pytestmark = pytest.mark.install


def _run(args: list, **kwargs) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}  # the installed copy, not this checkout
    done = subprocess.run([str(a) for a in args], capture_output=True, text=True, timeout=180, env=env, **kwargs)
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    return done


def _source_copy(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name in ("pyproject.toml", "README.md"):
        shutil.copy2(ROOT / name, folder / name)
    for name in ("partnership_xl", "schemas"):
        shutil.copytree(ROOT / name, folder / name, ignore=shutil.ignore_patterns("__pycache__"))
    return folder


def _venv(folder: Path) -> Path:
    """A fresh venv that sees this environment's packages; its python."""
    _run([sys.executable, "-m", "venv", "--system-site-packages", "--without-pip", folder])
    return folder / ("Scripts" if os.name == "nt" else "bin") / ("python.exe" if os.name == "nt" else "python")


_SCHEMAS_FOUND = ("from partnership_xl.schemafiles import schema_file; from partnership_xl.fields import all_fields; "
                  "print(schema_file('register.json')); print(schema_file('findings.schema.json')); print(len(all_fields()))")


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    source = _source_copy(tmp_path_factory.mktemp("source"))
    out = tmp_path_factory.mktemp("wheelhouse")
    _run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "--no-index", "-q", source, "-w", out])
    (built,) = out.glob("partnership_xl-*-py3-none-any.whl")
    return built


def test_the_wheel_holds_the_package_and_its_schemas(wheel):
    names = zipfile.ZipFile(wheel).namelist()
    assert "partnership_xl/cli.py" in names
    assert {f"partnership_xl/schemas/{p.name}" for p in (ROOT / "schemas").glob("*.json")} <= set(names)  # the top-level schemas/, inside
    sources = {p.relative_to(ROOT).as_posix() for p in (ROOT / "partnership_xl").rglob("*.py") if "__pycache__" not in p.parts}
    assert sources <= set(names), sources - set(names)  # every subpackage is in the packages list
    entry_points = next(n for n in names if n.endswith(".dist-info/entry_points.txt"))
    assert "partnership-xl = partnership_xl.cli:main_exit" in zipfile.ZipFile(wheel).read(entry_points).decode()
    assert not [n for n in names if n.startswith("tests/") or "__pycache__" in n]


def test_the_wheel_installs_in_a_fresh_venv_and_its_command_runs(wheel, tmp_path):
    venv = tmp_path / "venv"
    _run([sys.executable, "-m", "venv", "--system-site-packages", "--without-pip", venv])
    scripts = venv / ("Scripts" if os.name == "nt" else "bin")
    python = scripts / ("python.exe" if os.name == "nt" else "python")
    _run([python, "-m", "pip", "install", "--no-deps", "--no-index", "-q", wheel])
    program = scripts / ("partnership-xl.exe" if os.name == "nt" else "partnership-xl")
    assert program.is_file()
    done = _run([program, "rules", "--quiet"], cwd=tmp_path)
    assert done.stdout.splitlines()[0].startswith("PP201") and "DQ011" in done.stdout
    where = _run([python, "-c", "import partnership_xl; print(partnership_xl.__file__)"], cwd=tmp_path).stdout.strip()
    assert Path(where).is_relative_to(venv), where  # the wheel's copy, not an editable install elsewhere
    found = _run([python, "-c", _SCHEMAS_FOUND], cwd=tmp_path).stdout.split()
    assert all(Path(p).is_relative_to(venv) and Path(p).parent.name == "schemas" for p in found[:2]), found  # read from the wheel
    assert int(found[2]) > 40



def test_an_editable_install_reads_the_top_level_schemas(tmp_path):
    source = _source_copy(tmp_path / "source")  # a copy: the editable build leaves its .egg-info beside the sources
    python = _venv(tmp_path / "venv")
    _run([python, "-m", "pip", "install", "--no-deps", "--no-build-isolation", "--no-index", "-q", "-e", source])
    found = _run([python, "-c", _SCHEMAS_FOUND], cwd=tmp_path).stdout.split()
    assert [Path(p) for p in found[:2]] == [source / "schemas" / "register.json", source / "schemas" / "findings.schema.json"], found
    assert int(found[2]) > 40


# --- the documented Windows route: one program path, the same in every place ----------------------

PROGRAM = r"%APPDATA%\Python\Python311\Scripts\partnership-xl.exe"


def test_the_user_scripts_folder_of_python_311_on_windows_is_the_documented_one():
    """pip install --user puts console scripts in sysconfig's nt_user 'scripts' path, under
    site.USER_BASE, which on Windows is %APPDATA%\\Python."""
    import sysconfig

    folder = sysconfig.get_path("scripts", "nt_user", vars={"userbase": "%APPDATA%/Python", "py_version_nodot_plat": "311", "py_version_nodot": "311"})
    assert Path(folder).as_posix() == "%APPDATA%/Python/Python311/Scripts"
    assert PROGRAM.replace("\\", "/") == f"{Path(folder).as_posix()}/partnership-xl.exe"


def test_the_batch_file_the_guide_and_the_readme_name_the_same_program():
    bat = (ROOT / "scripts" / "monthly-run.bat").read_text(encoding="utf-8")
    guide = (ROOT / "docs" / "monthly-run.md").read_text(encoding="utf-8")
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert f'set "PXL={PROGRAM}"' in bat and PROGRAM in guide and PROGRAM in readme
    assert "py -m pip install --user partnership_xl-0.1.0-py3-none-any.whl" in readme and "py -m pip show -f partnership-xl" in readme
    assert "Join-Path $env:APPDATA 'Python\\Python311\\Scripts\\partnership-xl.exe'" in guide


def test_the_guides_batch_file_is_the_scripts_one_without_comments():
    bat = (ROOT / "scripts" / "monthly-run.bat").read_text(encoding="utf-8").splitlines()
    guide = (ROOT / "docs" / "monthly-run.md").read_text(encoding="utf-8")
    block = guide.split("```bat\n", 1)[1].split("```", 1)[0].splitlines()
    code = [line for line in bat if line.strip() and not line.lower().startswith("rem ")]
    assert code == [line for line in block if line.strip()]


def test_the_version_in_the_documented_wheel_name_is_the_projects():
    import tomllib

    version = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["version"]
    assert f"partnership_xl-{version}-py3-none-any.whl" in (ROOT / "README.md").read_text(encoding="utf-8")
