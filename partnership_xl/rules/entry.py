"""Policy §6 — Entering into a partnership: assessed for risk and opportunity, and a direct
contribution outside existing budgets approved by the Executive or the Portfolio Holder
depending on its size.

PP601 no risk assessment; PP602 unbudgeted contribution without approval; PP603 approved at
the wrong level (at or above executive_threshold needs the Executive or Council).
"""

from __future__ import annotations

import pandas as pd

from .base import RISK_ASSESSED, Context, Hit, money, needs, needs_one_of, points_at


@points_at("risk_likelihood", "risk_impact", "risk_rating")
@needs_one_of(*RISK_ASSESSED)
@needs("status")
def pp601(ctx: Context) -> Hit:
    """No risk and opportunity assessment: risk likelihood or impact blank and no risk rating (status not Closed). A
    register that rates risk in one word (a Risk rating column) is assessed by that word alone.

    Fires: likelihood 3, impact blank, no rating.
    Passes: likelihood 3, impact 4; or rated Medium; or status Closed.
    """
    scored = ctx.has("risk_likelihood") and ctx.has("risk_impact")
    missing_l = ctx.is_blank("risk_likelihood")
    unscored = (missing_l | ctx.is_blank("risk_impact")) if scored else pd.Series(True, index=ctx.table.index)
    mask = unscored & ctx.is_blank("risk_rating") & ~ctx.status_in("Closed")
    scale = ctx.settings.risk_scale
    if scored:
        field = missing_l.map({True: "risk_likelihood", False: "risk_impact"})
        message = f"No risk and opportunity assessment: score the risk likelihood and impact (1-{scale}) using the Risk and Opportunity Framework."
    else:
        field = "risk_rating"
        message = "No risk and opportunity assessment: rate the risk (High, Medium or Low) using the Risk and Opportunity Framework."
    return Hit(mask, field, message)


def _unbudgeted(ctx: Context):
    return ~ctx.col("budgeted").fillna(False).astype(bool)


@points_at("approved_by")
@needs("direct_contribution", "budgeted", "approved_by")
def pp602(ctx: Context) -> Hit:
    """Unbudgeted contribution without approval: direct contribution > 0, not in existing budget (No or blank),
    approved by blank or Not required.

    Fires: £5,000 a year, In existing budget = No, Approved by blank.
    Passes: £5,000 a year, In existing budget = No, approved by the Portfolio Holder; or In existing budget = Yes.
    """
    amount = ctx.col("direct_contribution")
    approval = ctx.col("approved_by")
    unapproved = ctx.is_blank("approved_by") | approval.eq("Not required").fillna(False).astype(bool)
    mask = (amount > 0).fillna(False).astype(bool) & _unbudgeted(ctx) & unapproved
    return Hit(mask, "approved_by", "Unbudgeted contribution of " + amount[mask].astype(object).map(money) + " a year without approval: it needs the Executive or the Portfolio Holder.")


@points_at("approved_by")
@needs("direct_contribution", "budgeted", "approved_by")
def pp603(ctx: Context) -> Hit:
    """Approved at the wrong level: an unbudgeted contribution of at least executive_threshold (£10,000) approved by
    the Portfolio Holder or CMT only.

    Fires: £25,000 a year, In existing budget = No, approved by the Portfolio Holder.
    Passes: £25,000 a year, In existing budget = No, approved by the Executive; or £9,000 approved by the Portfolio Holder.
    """
    amount = ctx.col("direct_contribution")
    limit = ctx.settings.executive_threshold
    low_level = ctx.col("approved_by").isin(["Portfolio Holder", "Corporate Management Team"]).fillna(False).astype(bool)
    mask = (amount >= limit).fillna(False).astype(bool) & _unbudgeted(ctx) & low_level
    return Hit(mask, "approved_by", "Approved at the wrong level: an unbudgeted " + amount[mask].astype(object).map(money) + f" a year (at least {money(limit)}) needs the Executive, not the " + ctx.col("approved_by")[mask].astype(str) + ".")


#: The approval states of :func:`approval_state` (a breach is a finding, above, not a state).
APPROVED, NOT_RECORDED, IN_BUDGET, NO_CONTRIBUTION, NOT_REQUIRED, NONE_RECORDED = (
    "approved", "not recorded", "in budget", "no contribution", "not required", "none recorded")


def approval_state(ctx: Context) -> pd.Series:
    """Policy §6 approval of each partnership as recorded, for the reports (the breaches are PP602/PP603's findings).

    ``approved`` (approved_by names a body), ``not recorded`` (no Approved by column), ``in budget``
    (In existing budget = Yes), ``no contribution`` (a direct contribution of 0), ``not required``
    (Approved by "Not required"), else ``none recorded``.
    """
    index = ctx.table.index
    if not ctx.has("approved_by"):
        return pd.Series(NOT_RECORDED, index=index, dtype=object)
    by = ctx.col("approved_by")
    state = pd.Series(NONE_RECORDED, index=index, dtype=object)
    state[by.eq("Not required").fillna(False).astype(bool)] = NOT_REQUIRED
    state[ctx.col("direct_contribution").eq(0).fillna(False).astype(bool)] = NO_CONTRIBUTION
    state[ctx.col("budgeted").fillna(False).astype(bool)] = IN_BUDGET
    state[by.notna().to_numpy() & ~by.eq("Not required").fillna(False).astype(bool)] = APPROVED
    return state
