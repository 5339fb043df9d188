"""Fixtures for the workbook tests: a small real workbook to check, damage and lock."""

from __future__ import annotations

from pathlib import Path

import pytest
import xlsxwriter


@pytest.fixture
def good(tmp_path) -> Path:
    """A small real workbook written by xlsxwriter."""
    path = tmp_path / "Partnership Register.xlsx"
    book = xlsxwriter.Workbook(path)
    sheet = book.add_worksheet("Register")
    sheet.write_row(0, 0, ["Ref", "Partnership name", "Status"])
    sheet.write_row(1, 0, ["P001", "Community Safety Partnership", "Active"])
    book.close()
    return path
