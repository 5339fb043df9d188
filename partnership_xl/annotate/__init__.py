"""The annotated workbook (SPEC §7): the officer's own package, patched, with the problems marked.

Each flagged cell keeps its own format plus a fill by its worst severity and carries a note
listing its findings; five columns (scores, band, RAG, codes) follow the register's last column;
a Findings and a Summary sheet are added. Every other part of the workbook is carried over byte
for byte (:mod:`partnership_xl.workbook.patch`). A register no patch can keep (.xls, .xlsb, .ods,
Strict Open XML, a sheet part that cannot be parsed) gets a new .xlsx of its values with the same
marks, and says so. The register itself is only ever read; the copy is written to a temporary
file beside ``out`` and moved into place. Checking a copy again gives the same copy: the
previous marks are taken out first.
"""

from __future__ import annotations

import zipfile
from collections.abc import Callable
from pathlib import Path

from ..errors import OutputError
from ..model import CheckResult
from ..outputs import same_file, write_atomically
from ..workbook.package import Package, PackageError
from ..workbook.patch import Patcher
from .marks import SEVERITY_FILLS, register_annotation
from .sheets import SIGNATURE_WORDS, findings_sheet, is_tool_sheet_row, summary_sheet
from .values import values_only_sentence, values_package


def copy_suffix(register: Path) -> str:
    """The annotated copy's extension: .xlsm for a macro-enabled register (it keeps its macros), else .xlsx."""
    return ".xlsm" if _is_macro_enabled(register) else ".xlsx"


def write_annotated(result: CheckResult, out: Path, progress: Callable[[int], None] | None = None) -> list[str]:
    """Write the annotated copy of ``result``'s register to ``out``; return what could not be carried over.

    The list is empty when the copy is the officer's whole workbook; otherwise it holds one plain
    sentence saying the copy holds values only, and why. The same sentence is on the copy's
    Summary sheet. ``progress(n)`` is told how many of the register's rows have been written.
    Raises OutputError when ``out`` is the register itself or cannot be written.
    """
    register = result.register
    out = Path(out)
    if same_file(out, register.path):
        raise OutputError(f"The output {out.name} is the register itself, which is never overwritten: choose another file name with --out, then run again.")
    losses: list[str] = []
    package = None
    if register.kind == "xlsx":
        try:
            package = Package.read(register.path, register.unpacked)
            package, outcome = _annotate(package, result, losses, progress)
        except (PackageError, zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
            package = None
            losses = [values_only_sentence(register.path, reason=str(exc))]
    if package is None:
        losses = losses or [values_only_sentence(register.path, kind=register.kind)]
        package, outcome = _annotate(values_package(register.path), result, losses, progress)
    write_atomically(out, package.write)
    return losses


def _annotate(package: Package, result: CheckResult, losses: list[str], progress: Callable[[int], None] | None = None):
    register = result.register
    patcher = Patcher(package, register.sheet, SEVERITY_FILLS)
    patcher.unmark(register.header_row, is_tool_sheet_row, SIGNATURE_WORDS)
    annotation = register_annotation(result)
    annotation.sheets = [("Findings", findings_sheet, {"result": result}),
                         ("Summary", summary_sheet, {"result": result, "losses": losses})]
    outcome = patcher.mark(annotation, progress)
    return package, outcome


def _is_macro_enabled(path: Path) -> bool:
    try:
        with zipfile.ZipFile(path) as z:
            types = z.read("[Content_Types].xml")
    except (OSError, KeyError, zipfile.BadZipFile):
        return False
    return b"ms-excel.sheet.macroEnabled.main+xml" in types or b"ms-excel.template.macroEnabled.main+xml" in types


__all__ = ["write_annotated", "copy_suffix"]
