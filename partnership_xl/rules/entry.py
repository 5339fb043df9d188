"""Policy §6 — Entering into a partnership: assessed for risk and opportunity, and a direct
contribution outside existing budgets approved by the Executive or the Portfolio Holder
depending on its size.

PP601 no risk assessment; PP602 unbudgeted contribution without approval; PP603 approved at
the wrong level (at or above executive_threshold needs the Executive or Council).
"""

from __future__ import annotations

from .base import Context, Hit, money, needs


@needs("risk_likelihood", "risk_impact", "status")
def pp601(ctx: Context) -> Hit:
    """No risk and opportunity assessment: risk likelihood or impact blank (status not Closed)."""
    missing_l = ctx.is_blank("risk_likelihood")
    mask = (missing_l | ctx.is_blank("risk_impact")) & ~ctx.status_in("Closed")
    field = missing_l.map({True: "risk_likelihood", False: "risk_impact"})
    return Hit(mask, field, "No risk and opportunity assessment: score the risk likelihood and impact (1-5) using the Risk and Opportunity Framework.")


def _unbudgeted(ctx: Context):
    return ~ctx.col("budgeted").fillna(False).astype(bool)


@needs("direct_contribution", "budgeted", "approved_by")
def pp602(ctx: Context) -> Hit:
    """Unbudgeted contribution without approval: contribution > 0, not in budget, no approval.

    Anti-pattern: £5,000 a year, In existing budget = No, Approved by blank. Best practice: approved by the Portfolio Holder.
    """
    amount = ctx.col("direct_contribution")
    approval = ctx.col("approved_by")
    unapproved = ctx.is_blank("approved_by") | approval.eq("Not required").fillna(False).astype(bool)
    mask = (amount > 0).fillna(False).astype(bool) & _unbudgeted(ctx) & unapproved
    return Hit(mask, "approved_by", "Unbudgeted contribution of " + amount[mask].astype(object).map(money) + " a year without approval: it needs the Executive or the Portfolio Holder.")


@needs("direct_contribution", "budgeted", "approved_by")
def pp603(ctx: Context) -> Hit:
    """Approved at the wrong level: unbudgeted contribution ≥ executive_threshold approved by the Portfolio Holder or CMT."""
    amount = ctx.col("direct_contribution")
    limit = ctx.settings.executive_threshold
    low_level = ctx.col("approved_by").isin(["Portfolio Holder", "Corporate Management Team"]).fillna(False).astype(bool)
    mask = (amount >= limit).fillna(False).astype(bool) & _unbudgeted(ctx) & low_level
    return Hit(mask, "approved_by", "Approved at the wrong level: an unbudgeted " + amount[mask].astype(object).map(money) + f" a year (at least {money(limit)}) needs the Executive, not the " + ctx.col("approved_by")[mask].astype(str) + ".")
