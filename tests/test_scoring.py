"""Scores (SPEC §4): risk and opportunity score and band, significance, RAG."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from partnership_xl.config import Settings
from partnership_xl.scoring import band, rag
from tests.conftest import CLEAN, row


def scores_of(run, settings=None, **changes) -> pd.Series:
    """The scores row of a one-partnership register."""
    return run([row(**changes)], **(settings or {})).scores.loc[2]


@pytest.mark.parametrize("score, expected", [(1, "Low"), (6, "Low"), (7, "Medium"), (12, "Medium"), (13, "High"), (25, "High")])
def test_band_at_default_thresholds(score, expected):
    assert band(pd.Series([score], dtype="Int64"), Settings())[0] == expected


@pytest.mark.parametrize("score, expected", [(4, "Low"), (5, "Medium"), (9, "Medium"), (10, "High")])
def test_band_at_custom_thresholds(score, expected):
    assert band(pd.Series([score], dtype="Int64"), Settings(low_max=4, medium_max=9))[0] == expected


def test_band_of_no_score_is_blank():
    assert pd.isna(band(pd.Series([pd.NA], dtype="Int64"), Settings())[0])


@pytest.mark.parametrize("likelihood, impact, score, expected", [
    (2, 3, 6, "Low"), (2, 4, 8, "Medium"), (3, 4, 12, "Medium"), (3, 5, 15, "High"), (5, 5, 25, "High"),
])
def test_risk_and_opportunity_score_and_band(run, likelihood, impact, score, expected):
    s = scores_of(run, risk_likelihood=likelihood, risk_impact=impact, opp_likelihood=impact, opp_impact=likelihood)
    assert (s.risk_score, s.risk_band, s.opp_score, s.opp_band) == (score, expected, score, expected)


@pytest.mark.parametrize("likelihood, impact, expected", [(2, 2, "Low"), (1, 5, "Medium"), (3, 3, "Medium"), (2, 5, "High")])
def test_custom_band_limits_through_the_engine(run, likelihood, impact, expected):
    s = scores_of(run, settings={"low_max": 4, "medium_max": 9}, risk_likelihood=likelihood, risk_impact=impact)
    assert s.risk_band == expected


@pytest.mark.parametrize("changes", [{"risk_likelihood": None}, {"risk_impact": 6}, {"risk_likelihood": "high"}])
def test_no_score_without_a_valid_likelihood_and_impact(run, changes):
    s = scores_of(run, **changes)
    assert pd.isna(s.risk_score) and pd.isna(s.risk_band)


@pytest.mark.parametrize("changes, expected", [
    ({}, False),
    ({"direct_contribution": 9999}, False),
    ({"direct_contribution": 10000}, True),
    ({"risk_likelihood": 3, "risk_impact": 4}, False),  # 12: Medium
    ({"risk_likelihood": 3, "risk_impact": 5}, True),   # 15: High
    ({"council_role": "Lead or accountable body"}, True),
    ({"council_role": "Observer"}, False),
])
def test_significant(run, changes, expected):
    assert bool(scores_of(run, **changes).significant) is expected


def test_significance_threshold_is_a_setting(run):
    assert bool(scores_of(run, settings={"significance_threshold": 5000}).significant)  # CLEAN gives £5,000


def test_benefit_count(run):
    assert scores_of(run).benefit_count == 3
    assert scores_of(run, benefit_savings="Yes", benefit_speed="Y").benefit_count == 5


@pytest.mark.parametrize("changes, expected", [
    ({}, "Green"),
    ({"next_review": date(2026, 12, 1)}, "Green"),         # info only (PP503)
    ({"priority": None}, "Amber"),                          # warning (PP401)
    ({"lead_officer": None}, "Red"),                        # error (PP801)
    ({"lead_officer": None, "priority": None}, "Red"),
    ({"status": "Dormant"}, "Red"),                         # data error (DQ005)
])
def test_rag(run, changes, expected):
    assert scores_of(run, **changes).rag == expected


def test_rag_from_worst_rank():
    rows = pd.Index([2, 3, 4, 5])
    assert list(rag(rows, pd.Series({2: 0, 3: 1, 4: 2}, dtype="Int64"))) == ["Red", "Amber", "Green", "Green"]


# --- issue 11: the council's own matrix, and risk rated in one word -----------------------------

from partnership_xl.scoring import score_band  # noqa: E402

FOUR = {"risk_scale": 4}


@pytest.mark.parametrize("likelihood, impact, band_", [(1, 4, "Low"), (2, 2, "Low"), (2, 3, "Medium"), (2, 4, "Medium"), (3, 3, "High"), (4, 4, "High")])
def test_a_four_by_four_matrix_is_banded_by_its_own_scale(run, likelihood, impact, band_):
    s = scores_of(run, settings=FOUR, risk_likelihood=likelihood, risk_impact=impact)
    assert (s.risk_score, s.risk_band) == (likelihood * impact, band_)


def test_a_score_above_the_scale_is_dq004_and_no_score(run):
    result = run([row(risk_likelihood=5, risk_impact=2)], **FOUR)
    assert [f.code for f in result.findings if f.code == "DQ004"] == ["DQ004"]
    assert "from 1 to 4" in next(f.message for f in result.findings if f.code == "DQ004")
    assert pd.isna(result.scores.loc[2, "risk_score"]) and pd.isna(result.scores.loc[2, "risk_band"])


def test_a_ten_by_ten_matrix_accepts_ten(run):
    s = scores_of(run, settings={"risk_scale": 10}, risk_likelihood=10, risk_impact=5)
    assert (s.risk_score, s.risk_band) == (50, "High")


@pytest.mark.parametrize("score, band_", [(4, "Low"), (5, "Medium"), (8, "Medium"), (9, "High")])
def test_score_band_for_a_heat_map_cell(score, band_):
    assert score_band(score, Settings(risk_scale=4)) == band_


@pytest.mark.parametrize("rating, band_", [("High", "High"), ("Red", "High"), ("amber", "Medium"), ("M", "Medium"), ("Green", "Low"), (None, None)])
def test_a_one_word_rating_is_the_band_with_no_score(run, rating, band_):
    headers = [h for h in CLEAN if h not in ("Risk likelihood (1-5)", "Risk impact (1-5)")] + ["Risk rating"]
    result = run([{**row(), "Risk rating": rating}], headers=headers)
    s = result.scores.loc[2]
    assert pd.isna(s.risk_score)
    assert (s.risk_band if isinstance(s.risk_band, str) else None) == band_
    assert bool(s.significant) is (band_ == "High")
