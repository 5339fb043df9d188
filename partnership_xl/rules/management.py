"""Policy §8 — Management: an officer represents the council on every partnership (PP801),
and high risks go to the Executive's quarterly update (PP802).
"""

from __future__ import annotations

from .base import RISK_ASSESSED, Context, Hit, needs, needs_one_of, points_at


@points_at("lead_officer")
@needs("lead_officer")
def pp801(ctx: Context) -> Hit:
    """No council representative: lead officer blank.

    Fires: Lead officer blank.
    Passes: Lead officer "Sarah Whitfield".
    """
    return Hit(ctx.is_blank("lead_officer"), "lead_officer", "No council representative: name the lead officer who represents the council.")


@points_at("risk_rating", "risk_likelihood")
@needs_one_of(*RISK_ASSESSED)
def pp802(ctx: Context) -> Hit:
    """High risk (scored, or rated High in one word): for the Executive's quarterly update.

    Fires: likelihood 5, impact 3 (score 15, High); or rated High.
    Passes: likelihood 3, impact 4 (score 12, Medium).
    """
    mask = ctx.high_risk()
    field = ctx.table["risk_rated"].map({True: "risk_rating", False: "risk_likelihood"})
    return Hit(mask, field, "High risk (" + ctx.risk_text(mask) + "): include it in the Executive's quarterly risk update.")
