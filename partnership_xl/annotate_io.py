"""Open and save a workbook with openpyxl without losing formulas' saved results.

openpyxl keeps a formula but drops the result Excel saved with it, so a copy it writes shows no
values to any reader that does not recalculate (python-calamine, pandas, our own reader, which
would then report DQ008 on every formula). Here the result is carried on the formula itself while
the workbook is read and written back beside it, through two small hooks into openpyxl 3.1's
cell parser and cell writer that are in place only inside :func:`load` and :func:`save`.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import openpyxl
from openpyxl.cell import _writer as cell_writer
from openpyxl.workbook import Workbook
from openpyxl.worksheet import _reader as sheet_reader
from openpyxl.worksheet import _writer as sheet_writer
from openpyxl.worksheet.formula import ArrayFormula
from openpyxl.xml.functions import Element, SubElement

_RESULT_TYPES = ("str", "b", "e")  # the <c t="..."> of a formula whose result is not a number


class CachedFormula(str):
    """A formula (``=SUM(A1:A3)``) that remembers the result Excel saved with it."""

    cached: tuple[str, str]


def _parse_cell_keeping_result(original):
    def parse_cell(self, element):
        cell = original(self, element)
        if cell["data_type"] == "f":
            text = element.findtext(sheet_reader.VALUE_TAG)
            value = cell["value"]
            if text is not None and value is not None:
                if isinstance(value, str):
                    value = CachedFormula(value)
                    cell["value"] = value
                if isinstance(value, (CachedFormula, ArrayFormula)):
                    value.cached = (element.get("t", "n"), text)
        return cell
    return parse_cell


def _write_cell_with_result(original):
    def write_cell(xf, worksheet, cell, styled=None):
        value = cell._value
        cached = getattr(value, "cached", None) if cell.data_type == "f" else None
        if cached is None:
            return original(xf, worksheet, cell, styled)
        result_type, text = cached
        _, attributes = cell_writer._set_attributes(cell, styled)
        if result_type in _RESULT_TYPES:
            attributes["t"] = result_type
        element = Element("c", attributes)
        if isinstance(value, ArrayFormula):
            formula = SubElement(element, "f", dict(value))
            formula.text = (value.text or "=")[1:]
        else:
            formula = SubElement(element, "f")
            formula.text = value[1:]
        SubElement(element, "v").text = text
        xf.write(element)
    return write_cell


@contextmanager
def _patched(owner, name: str, wrap) -> Iterator[None]:
    original = getattr(owner, name)
    setattr(owner, name, wrap(original))
    try:
        yield
    finally:
        setattr(owner, name, original)


def load(path: Path) -> tuple[Workbook, list[str]]:
    """Read a workbook for copying: formulas keep their saved results, cells their rich text.

    Returns the workbook and the warnings openpyxl gave while reading it (what it dropped).
    """
    with warnings.catch_warnings(record=True) as caught, \
            _patched(sheet_reader.WorkSheetParser, "parse_cell", _parse_cell_keeping_result):
        warnings.simplefilter("always")
        workbook = openpyxl.load_workbook(path, rich_text=True, keep_links=True)
    messages = list(dict.fromkeys(str(w.message) for w in caught))
    return workbook, messages


def save(workbook: Workbook, path: Path) -> None:
    """Write the workbook as .xlsx, with every formula's saved result beside it."""
    workbook.template = False  # an .xltx opened here is saved as a workbook, not a template
    with _patched(sheet_writer, "write_cell", _write_cell_with_result):
        workbook.save(path)
