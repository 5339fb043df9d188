"""Matching this year's partnerships with last year's, and how their scores moved."""

from __future__ import annotations

import pandas as pd
import pytest

from partnership_xl.reports import changes as ch


def frame(*pairs: tuple[object, object], start: int = 2) -> pd.DataFrame:
    """A scores-like frame of (ref, name) pairs indexed by Excel row."""
    return pd.DataFrame({"ref": [p[0] for p in pairs], "name": [p[1] for p in pairs]}, index=range(start, start + len(pairs)))


def pairs_of(matched: pd.DataFrame) -> list[tuple]:
    return [(None if pd.isna(r) else int(r), None if pd.isna(p) else int(p), m) for r, p, m in matched.itertuples(index=False)]


def test_same_ref_and_name_pair_up():
    got = ch.match(frame(("P1", "Alpha"), ("P2", "Beta")), frame(("P1", "Alpha"), ("P2", "Beta")))
    assert pairs_of(got) == [(2, 2, ch.BY_REF_AND_NAME), (3, 3, ch.BY_REF_AND_NAME)]


def test_refs_compare_without_case_or_spaces_and_names_without_punctuation():
    got = ch.match(frame((" p1 ", "Alpha & Omega Partnership")), frame(("P1", "alpha and omega partnership.")))
    assert pairs_of(got) == [(2, 2, ch.BY_REF_AND_NAME)]


def test_renumbered_refs_fall_back_on_the_name():
    # last year P1 Alpha, P2 Beta; this year Beta is P1 and Gamma is P2: Alpha left, Gamma is new
    got = ch.match(frame(("P1", "Beta"), ("P2", "Gamma")), frame(("P1", "Alpha"), ("P2", "Beta")))
    assert pairs_of(got) == [(2, 3, ch.BY_NAME), (3, None, ""), (None, 2, "")]


def test_renamed_partnership_keeps_its_ref():
    got = ch.match(frame(("P1", "Alpha Partnership (new name)")), frame(("P1", "Alpha Partnership")))
    assert pairs_of(got) == [(2, 2, ch.BY_REF)]


def test_swapped_refs_follow_the_names():
    got = ch.match(frame(("P1", "Beta"), ("P2", "Alpha")), frame(("P1", "Alpha"), ("P2", "Beta")))
    assert pairs_of(got) == [(2, 3, ch.BY_NAME), (3, 2, ch.BY_NAME)]


def test_duplicate_refs_pair_in_register_order_and_blanks_never_match():
    this = frame(("P1", "Alpha"), ("P1", "Alpha"), (None, None))
    last = frame(("P1", "Alpha"), ("P1", "Alpha"), (None, None))
    assert pairs_of(ch.match(this, last)) == [(2, 2, ch.BY_REF_AND_NAME), (3, 3, ch.BY_REF_AND_NAME), (4, None, ""), (None, 4, "")]


def test_empty_registers():
    assert ch.match(frame(), frame()).empty
    assert pairs_of(ch.match(frame(("P1", "A")), frame())) == [(2, None, "")]


@pytest.mark.parametrize(
    ("now", "before", "expected"),
    [(20, 12, ch.UP), (6, 9, ch.DOWN), (9, 9, ch.SAME), (pd.NA, 9, ch.NOT_ASSESSED), (9, None, ch.NOT_ASSESSED), (9.0, 9, ch.SAME)],
)
def test_movement(now, before, expected):
    assert ch.movement(now, before) == expected


def test_compare_on_two_registers(result, previous):
    got = ch.compare(result, previous).set_index(["ref", "prev_ref"], drop=False)
    by_ref = {(r if isinstance(r, str) else p): row for (r, p), row in got.iterrows()}
    assert by_ref["P001"]["change"] == ch.KEPT and by_ref["P001"]["risk_movement"] == ch.SAME
    assert by_ref["P002"]["risk_movement"] == ch.UP and by_ref["P002"]["prev_risk_score"] == 12 and by_ref["P002"]["risk_score"] == 20
    assert by_ref["P003"]["risk_movement"] == ch.DOWN
    assert by_ref["P004"]["matched_by"] == ch.BY_NAME and by_ref["P004"]["prev_ref"] == "X-04"
    assert by_ref["P005"]["matched_by"] == ch.BY_REF and by_ref["P005"]["prev_name"] == "Foxton Locks Partnership"
    assert by_ref["P006"]["status_changed"] and (by_ref["P006"]["prev_status"], by_ref["P006"]["status"]) == ("Active", "Exiting")
    assert by_ref["P007"]["status_changed"] and by_ref["P007"]["risk_movement"] == ch.NOT_ASSESSED
    assert by_ref["P010"]["change"] == ch.ADDED and by_ref["P010"]["risk_movement"] == ch.NEW
    assert by_ref["P010"]["approval"] == "Yes: Executive on 26/02/2026"
    assert by_ref["P011"]["change"] == ch.REMOVED and by_ref["P011"]["exit_recorded"].startswith("Yes: exiting last year, decided by Corporate Management Team")
    assert by_ref["P012"]["exit_recorded"] == "No: status was Active last year"
    assert sorted(got["change"]) == sorted([ch.KEPT] * 9 + [ch.ADDED] + [ch.REMOVED] * 2)


def test_counts(result, previous):
    got = ch.counts(ch.compare(result, previous), "risk")
    assert got == {ch.UP: 1, ch.DOWN: 1, ch.SAME: 6, ch.NEW: 1, ch.NOT_ASSESSED: 1, ch.REMOVED: 2}
    assert sum(got.values()) == len(result.scores) + 2


def test_approval_reads_the_findings(result):
    rows = {result.scores.at[r, "ref"]: r for r in result.scores.index}
    assert ch.approval(result, rows["P002"], ["PP603"]).startswith("Approved at the wrong level (PP603): Portfolio Holder")
    assert ch.approval(result, rows["P002"], ["PP602"]) == "No: unbudgeted contribution without approval (PP602)"
    assert ch.approval(result, rows["P001"], []) == "Yes: Executive on 01/03/2025"
