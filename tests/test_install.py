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


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    source = tmp_path_factory.mktemp("source")
    for name in ("pyproject.toml", "README.md"):
        shutil.copy2(ROOT / name, source / name)
    shutil.copytree(ROOT / "partnership_xl", source / "partnership_xl", ignore=shutil.ignore_patterns("__pycache__"))
    out = tmp_path_factory.mktemp("wheelhouse")
    _run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "--no-index", "-q", source, "-w", out])
    (built,) = out.glob("partnership_xl-*-py3-none-any.whl")
    return built


def test_the_wheel_holds_the_package_and_its_schemas(wheel):
    names = zipfile.ZipFile(wheel).namelist()
    assert "partnership_xl/cli.py" in names and any(n.startswith("partnership_xl/schemas/") and n.endswith(".json") for n in names)
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
