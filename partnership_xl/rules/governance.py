"""Policy §7 — Governance: significant partnerships are identified, and their governance and
risk controls recorded so the council is not exposed to unknown risks (PP701, PP702), and a
governance assurance rating of Limited or none is followed up (PP703).
"""

from __future__ import annotations

from .base import RISK_ASSESSED, Context, Hit, needs, needs_one_of


@needs("governance")
def pp701(ctx: Context) -> Hit:
    """Significant partnership without governance arrangements."""
    mask = ctx.table["significant"] & ctx.is_blank("governance")
    return Hit(mask, "governance", "Significant partnership (" + ctx.table.loc[mask, "significant_why"] + ") without governance arrangements: record its terms of reference or governing document.")


@needs_one_of(*RISK_ASSESSED)
@needs("controls")
def pp702(ctx: Context) -> Hit:
    """High risk (scored, or rated High in one word) without control measures."""
    mask = ctx.high_risk() & ctx.is_blank("controls")
    return Hit(mask, "controls", "High risk (" + ctx.risk_text(mask) + ") without control measures: record how the risk is controlled.")


@needs("assurance")
def pp703(ctx: Context) -> Hit:
    """Governance assurance Limited or none (status not Closed).

    Anti-pattern: Governance assurance "Limited". Best practice: "Reasonable", with the weaknesses fixed.
    """
    mask = ctx.weak_assurance() & ~ctx.status_in("Closed")
    return Hit(mask, "assurance", "Governance assurance is " + ctx.col("assurance")[mask].astype(str)
               + ": agree an action plan to strengthen the governance and reassess it within six months.")
