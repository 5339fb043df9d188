"""Helpers for the rule tests: the one finding of a code on a one-row register, its expected
cell, and the rules a register without some columns does not check."""

from __future__ import annotations

import pytest
from openpyxl.utils import get_column_letter

from tests.conftest import AS_OF, CLEAN, HEADER_OF, row


@pytest.fixture
def cell():
    """``cell("last_review")`` → "AG2": where a finding on that field of the one data row points."""
    return lambda field, excel_row=2: f"{get_column_letter(list(CLEAN).index(HEADER_OF[field]) + 1)}{excel_row}"


@pytest.fixture
def finding(run):
    """``finding("PP501", last_review=...)`` → the single ``PP501`` Finding on the one data row."""

    def _finding(code: str, as_of=AS_OF, drop=(), settings: dict | None = None, **changes):
        result = run([row(**changes)], as_of=as_of, drop=drop, **(settings or {}))
        hits = [f for f in result.findings if f.code == code and f.row == 2]
        assert len(hits) == 1, f"expected one {code}, got {[f.code for f in result.findings]}"
        return hits[0]

    return _finding


@pytest.fixture
def not_checked(run):
    """``not_checked("Last reviewed")`` → the rule codes skipped when those headers are dropped."""

    def _not_checked(*dropped: str) -> set[str]:
        return set(run([row()], drop=dropped).not_checked)

    return _not_checked


@pytest.fixture
def fires_with(run):
    """``fires_with({"Governance assurance": "Limited"}, last_review=...)`` → the codes of one row
    with columns CLEAN does not have added after its own (``drop`` removes CLEAN's)."""

    def _fires_with(extra: dict, as_of=AS_OF, drop=(), settings: dict | None = None, **changes) -> dict[str, object]:
        headers = [h for h in CLEAN if h not in drop] + list(extra)
        result = run([{**row(**changes), **extra}], as_of=as_of, headers=headers, **(settings or {}))
        return {f.code: f for f in result.findings if f.row == 2}

    return _fires_with
