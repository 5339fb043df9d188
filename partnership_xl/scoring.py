"""Scores (SPEC §4): risk and opportunity score and band, benefit count, significance, RAG.

The one place a band is decided: from likelihood x impact on the council's risk_scale matrix
with low_max / medium_max, or, for a register that rates risk in one word, from the risk_rating
itself (no score then). Writers read ``risk_band`` from the result; a heat map colours its
cells with :func:`score_band`.
"""

from __future__ import annotations

import pandas as pd

from .config import Settings
from .fields import BENEFIT_FIELDS, allowed_range

BANDS = ("Low", "Medium", "High")


def score_band(score: int, settings: Settings) -> str:
    """The band of one score (e.g. a cell of the heat map): Low ≤ low_max, Medium ≤ medium_max, High above."""
    return "Low" if score <= settings.low_max else "Medium" if score <= settings.medium_max else "High"


def matrix_bands(settings: Settings) -> dict[tuple[int, int], str]:
    """The band of every (likelihood, impact) cell of the council's risk_scale matrix, for the heat maps."""
    scale = range(1, settings.risk_scale + 1)
    return {(li, im): score_band(li * im, settings) for li in scale for im in scale}


def band(score: pd.Series, settings: Settings) -> pd.Series:
    """Low ≤ low_max, Medium ≤ medium_max, High above; NA where there is no score."""
    out = pd.Series(pd.NA, index=score.index, dtype=object)
    out[score.notna() & (score <= settings.low_max)] = "Low"
    out[score.notna() & (score > settings.low_max) & (score <= settings.medium_max)] = "Medium"
    out[score.notna() & (score > settings.medium_max)] = "High"
    return out


def _valid(s: pd.Series, settings: Settings) -> pd.Series:
    """The scores the schema allows (whole numbers 1..risk_scale); an out-of-range one is its DQ004, and no score."""
    low, high, _ = allowed_range("score", settings.risk_scale)
    return s.where(s.isin(range(int(low), int(high) + 1)))


def add_scores(table: pd.DataFrame, settings: Settings) -> None:
    """Add risk_score, risk_band, risk_rated, opp_score, opp_band, benefit_count, significant(_why) to ``table``.

    ``risk_rated`` is True where the risk band is the one-word risk_rating (there is no score).
    """
    empty = pd.Series(pd.NA, index=table.index, dtype="Float64")
    for prefix, label in (("risk", "risk"), ("opp", "opp")):
        likelihood = _valid(table.get(f"{prefix}_likelihood", empty), settings).astype("Float64")
        impact = _valid(table.get(f"{prefix}_impact", empty), settings).astype("Float64")
        score = (likelihood * impact).astype("Int64")
        table[f"{label}_score"] = score
        table[f"{label}_band"] = band(score, settings)
    rating = table["risk_rating"] if "risk_rating" in table else pd.Series(pd.NA, index=table.index, dtype=object)
    rated = table["risk_score"].isna().to_numpy() & rating.isin(BANDS).to_numpy()
    table["risk_rated"] = pd.Series(rated, index=table.index, dtype=bool)
    table.loc[table["risk_rated"], "risk_band"] = rating[table["risk_rated"]]
    table["benefit_count"] = table[[f"claimed:{f}" for f in BENEFIT_FIELDS]].sum(axis=1).astype(int)
    money = table.get("direct_contribution", empty).astype("Float64")
    by_money = (money >= settings.significance_threshold).fillna(False).astype(bool)
    by_risk = table["risk_band"].eq("High").fillna(False).astype(bool)
    role = table["council_role"] if "council_role" in table else pd.Series(pd.NA, index=table.index, dtype=object)
    by_role = role.eq("Lead or accountable body").fillna(False).astype(bool)
    table["significant"] = by_money | by_risk | by_role
    why = pd.Series("", index=table.index, dtype=object)
    for mask, text in ((by_money, f"contribution of £{settings.significance_threshold:,.0f} or more"), (by_risk, "high risk"), (by_role, "council is lead or accountable body")):
        why = why.mask(mask, why + why.ne("").map({True: "; ", False: ""}) + text)
    table["significant_why"] = why


def rag(rows: pd.Index, worst: pd.Series) -> pd.Series:
    """Red with any error finding, Amber with any warning, else Green. ``worst`` is rank by row."""
    out = pd.Series("Green", index=rows, dtype=object)
    worst = worst.reindex(rows)
    out[worst.eq(1)] = "Amber"
    out[worst.eq(0)] = "Red"
    return out
