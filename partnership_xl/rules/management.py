"""Policy §8 — Management: an officer represents the council on every partnership (PP801),
and high risks go to the Executive's quarterly update (PP802).
"""

from __future__ import annotations

from .base import Context, Hit, needs


@needs("lead_officer")
def pp801(ctx: Context) -> Hit:
    """No council representative: lead officer blank."""
    return Hit(ctx.is_blank("lead_officer"), "lead_officer", "No council representative: name the lead officer who represents the council.")


@needs("risk_likelihood", "risk_impact")
def pp802(ctx: Context) -> Hit:
    """High risk: for the Executive's quarterly update."""
    mask = ctx.table["risk_band"].eq("High").fillna(False).astype(bool)
    return Hit(mask, "risk_likelihood", "High risk (score " + ctx.table.loc[mask, "risk_score"].astype("Int64").astype(str) + "): include it in the Executive's quarterly risk update.")
