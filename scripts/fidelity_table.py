"""Print the markdown table of docs/fidelity.md: what the annotated copy keeps of each workbook of
the fidelity corpus (tests/data/fidelity/, sources in its SOURCES.md).

Each workbook gets the sample register grafted in as a new sheet (as tests/workbook/test_fidelity.py
does), is checked through the command line, and its copy compared part by part with it.

    python scripts/fidelity_table.py > /tmp/table.md
    python scripts/fidelity_table.py --with-built   # also the registers whose own sheet has features
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.fidelity_features import features  # noqa: E402
from tests.workbook.graft import BUILT, CORPUS, CORPUS_FILES, REGISTER_SHEET, build_register  # noqa: E402
from tests.workbook.package_compare import Package, allowed_to_change  # noqa: E402

#: features every workbook has, left out of the table
COMMON = {"themes"}


def sources() -> dict[str, str]:
    """File → "owner/name" from SOURCES.md's table."""
    text = (CORPUS / "SOURCES.md").read_text(encoding="utf-8")
    return {m.group(1): m.group(2) for m in re.finditer(r"^\| (\S+) \| \[([^\]]+)\]", text, flags=re.M)}


def row(name: str, folder: Path, as_of: str, source: str) -> tuple[str, list[int]]:
    """One table row and its counts (parts, changed, identical, removed): the register built in
    ``folder``, checked, its copy compared."""
    case = folder / Path(name).stem
    case.mkdir()
    original = build_register(name, case)
    ext = ".xlsm" if original.suffix.lower() in (".xlsm", ".xltm") else ".xlsx"
    copy = case / f"copy{ext}"
    done = subprocess.run([sys.executable, "-m", "partnership_xl", "validate", str(original), "--out", str(copy),
                           "--as-of", as_of, "--quiet"], capture_output=True, text=True, cwd=ROOT)
    feats = ", ".join(f for f in features(CORPUS / name if name in CORPUS_FILES else original) if f not in COMMON)
    before = Package.read(original)
    parts = [n for n in before.names if not n.endswith("/")]
    if done.returncode not in (0, 1) or not copy.is_file():
        reason = done.stderr.strip().splitlines()[-1][:120] if done.stderr.strip() else f"exit {done.returncode}"
        return f"| {name} | {source} | {feats} | {len(parts)} | no copy: {reason} | | |", [len(parts), 0, 0, 0]
    after = Package.read(copy)
    allowed = allowed_to_change(before, REGISTER_SHEET)
    removed = [n for n in parts if n not in after.data]
    changed = [n for n in parts if n in after.data and after.data[n] != before.data[n]]
    identical = len(parts) - len(removed) - len(changed)
    outside = [n for n in changed if n not in allowed]
    changed_text = f"{len(changed)}" + (f" ({len(outside)} outside SPEC §7: {', '.join(outside[:4])})" if outside else "")
    removed_text = f"{len(removed)}" + (f" ({', '.join(removed[:4])}{'…' if len(removed) > 4 else ''})" if removed else "")
    line = f"| {name} | {source} | {feats} | {len(parts)} | {changed_text} | {identical} | {removed_text} |"
    return line, [len(parts), len(changed), identical, len(removed)]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--as-of", default="2026-11-25")
    parser.add_argument("--with-built", action="store_true", help="also the registers built by tests/workbook/graft.py")
    parser.add_argument("--jobs", type=int, default=2)
    args = parser.parse_args(argv)
    names = CORPUS_FILES + (BUILT if args.with_built else [])
    where = sources()
    with tempfile.TemporaryDirectory() as tmp, ThreadPoolExecutor(max_workers=args.jobs) as pool:
        rows = list(pool.map(lambda n: row(n, Path(tmp), args.as_of, where.get(n, "built by tests/workbook/graft.py")), names))
    print("| file | source | features | parts | parts changed | parts byte-identical | parts removed |")
    print("|---|---|---|---|---|---|---|")
    for line, _ in rows:
        print(line)
    parts, changed, identical, removed = (sum(counts[i] for _, counts in rows) for i in range(4))
    print(f"\n{len(rows)} workbooks, {parts} parts (the grafted register sheet included): {identical} byte-identical, "
          f"{changed} changed, {removed} removed.")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
