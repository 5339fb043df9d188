"""Policy §7 — Governance: significant partnerships are identified, and their governance and
risk controls recorded so the council is not exposed to unknown risks (PP701, PP702).
"""

from __future__ import annotations

from .base import Context, Hit, needs


@needs("governance")
def pp701(ctx: Context) -> Hit:
    """Significant partnership without governance arrangements."""
    mask = ctx.table["significant"] & ctx.is_blank("governance")
    return Hit(mask, "governance", "Significant partnership (" + ctx.table.loc[mask, "significant_why"] + ") without governance arrangements: record its terms of reference or governing document.")


@needs("risk_likelihood", "risk_impact", "controls")
def pp702(ctx: Context) -> Hit:
    """High risk without control measures."""
    mask = ctx.table["risk_band"].eq("High").fillna(False).astype(bool) & ctx.is_blank("controls")
    return Hit(mask, "controls", "High risk (score " + ctx.table.loc[mask, "risk_score"].astype("Int64").astype(str) + ") without control measures: record how the risk is controlled.")
