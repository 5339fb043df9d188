"""Render the scrutiny workbook's Overview page to docs/scrutiny-overview.png, for the README.

    python scripts/render_overview.py [--keep FOLDER]

Checks ``sample_register.xlsx`` as of 2026-11-25 against last year's
``samples/sample_register_2025.xlsx`` (what ``partnership-xl scrutiny sample_register.xlsx
--previous samples/sample_register_2025.xlsx --as-of 2026-11-25`` does), writes the scrutiny
workbook, converts it to PDF with LibreOffice headless (in a private profile) and the first page,
the Overview, to a PNG with pdftoppm. Needs ``soffice`` and ``pdftoppm`` (Debian:
libreoffice-calc-nogui, poppler-utils). ``--keep`` leaves the workbook and PDF in FOLDER.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from datetime import date
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO_ROOT))

from partnership_xl.config import Settings  # noqa: E402
from partnership_xl.engine import check  # noqa: E402
from partnership_xl.reports import write_scrutiny  # noqa: E402

AS_OF = date(2026, 11, 25)
REGISTER = REPO_ROOT / "sample_register.xlsx"
PREVIOUS = REPO_ROOT / "samples" / "sample_register_2025.xlsx"
PNG = REPO_ROOT / "docs" / "scrutiny-overview.png"
DPI = 120  # A4 landscape at 120 dpi: 1403 × 992 pixels


def render(folder: Path, png: Path = PNG) -> Path:
    """Write the scrutiny workbook and its PDF into ``folder`` and the Overview page to ``png``."""
    for tool in ("soffice", "pdftoppm"):
        if shutil.which(tool) is None:
            raise SystemExit(f"{tool} is not installed: install LibreOffice (libreoffice-calc-nogui) and poppler-utils, then run again.")
    if not REGISTER.is_file() or not PREVIOUS.is_file():
        subprocess.run([sys.executable, str(REPO_ROOT / "scripts" / "make_samples.py")], check=True)
    settings = Settings()
    workbook = folder / "scrutiny.xlsx"
    write_scrutiny(check(REGISTER, settings, AS_OF), workbook, previous=check(PREVIOUS, settings, AS_OF))
    profile = folder / "lo-profile"
    subprocess.run(
        ["soffice", f"-env:UserInstallation={profile.as_uri()}", "--headless", "--convert-to", "pdf", "--outdir", str(folder), str(workbook)],
        check=True,
        capture_output=True,
        timeout=300,
    )
    pdf = folder / "scrutiny.pdf"
    png.parent.mkdir(parents=True, exist_ok=True)
    subprocess.run(["pdftoppm", "-f", "1", "-l", "1", "-r", str(DPI), "-png", "-singlefile", str(pdf), str(png.with_suffix(""))], check=True)
    return png


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--keep", type=Path, help="folder to keep the workbook and PDF in")
    parser.add_argument("--out", type=Path, default=PNG, help=f"the PNG to write (default {PNG.relative_to(REPO_ROOT)})")
    args = parser.parse_args()
    if args.keep:
        args.keep.mkdir(parents=True, exist_ok=True)
        print(f"Written: {render(args.keep, args.out)}")
    else:
        with tempfile.TemporaryDirectory(prefix="pxl-render-") as tmp:
            print(f"Written: {render(Path(tmp), args.out)}")


if __name__ == "__main__":
    main()
