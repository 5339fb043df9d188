"""Policy §7 — Governance: significant partnerships are identified, and their governance and
risk controls recorded so the council is not exposed to unknown risks (PP701, PP702), and a
governance assurance rating of Limited or none is followed up (PP703).
"""

from __future__ import annotations

from .base import RISK_ASSESSED, Context, Hit, needs, needs_one_of, points_at


@points_at("governance")
@needs("governance")
def pp701(ctx: Context) -> Hit:
    """Significant partnership without governance arrangements: significant (a contribution of at least
    significance_threshold, a High risk band, or the council as lead or accountable body) and governance
    blank.

    Fires: £15,000 a year, Governance arrangements blank.
    Passes: £15,000 a year, Governance arrangements "Partnership agreement 2024"; or £2,000 a year, low risk, council a member.
    """
    mask = ctx.table["significant"] & ctx.is_blank("governance")
    return Hit(mask, "governance", "Significant partnership (" + ctx.table.loc[mask, "significant_why"] + ") without governance arrangements: record its terms of reference or governing document.")


@points_at("controls")
@needs_one_of(*RISK_ASSESSED)
@needs("controls")
def pp702(ctx: Context) -> Hit:
    """High risk (scored, or rated High in one word) without control measures.

    Fires: likelihood 4, impact 4 (score 16, High), Control measures blank.
    Passes: score 16 with Control measures "Quarterly monitoring by the board"; or score 9 (Medium) without controls.
    """
    mask = ctx.high_risk() & ctx.is_blank("controls")
    return Hit(mask, "controls", "High risk (" + ctx.risk_text(mask) + ") without control measures: record how the risk is controlled.")


@points_at("assurance")
@needs("assurance")
def pp703(ctx: Context) -> Hit:
    """Governance assurance Limited or none (status not Closed).

    Fires: Governance assurance "Limited" or "No assurance".
    Passes: Governance assurance "Reasonable", with the weaknesses fixed; or status Closed.
    """
    mask = ctx.weak_assurance() & ~ctx.status_in("Closed")
    return Hit(mask, "assurance", "Governance assurance is " + ctx.col("assurance")[mask].astype(str)
               + ": agree an action plan to strengthen the governance and reassess it within six months.")
