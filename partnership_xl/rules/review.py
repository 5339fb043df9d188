"""Policy §5 — the Partnership Register is reviewed annually.

PP501 review overdue, PP502 never reviewed, PP503 review due soon, DQ011 a review date in the
future. The interval and the "soon" window are settings (review_interval_months, due_soon_days).
A partnership whose governance assurance is Limited or none is reassessed every six months
(weak_review_months): PP504 when that is overdue, reported instead of PP501 (and of PP503).
"""

from __future__ import annotations

import pandas as pd

from .base import Context, Hit, needs, points_at


def _interval(ctx: Context) -> pd.DateOffset:
    return pd.DateOffset(months=ctx.settings.review_interval_months)


def _weak_interval(ctx: Context) -> pd.DateOffset:
    return pd.DateOffset(months=ctx.settings.weak_review_months)


def _reassessment_overdue(ctx: Context) -> pd.Series:
    """Rows with Limited or no assurance last reviewed longer ago than weak_review_months (PP504)."""
    if not ctx.has("assurance"):
        return pd.Series(False, index=ctx.table.index)
    return ctx.weak_assurance() & (ctx.col("last_review") < ctx.as_of - _weak_interval(ctx)).fillna(False).astype(bool)


@points_at("last_review")
@needs("last_review")
def pp501(ctx: Context) -> Hit:
    """Annual review overdue: last reviewed longer ago than review_interval_months (12) before the as-of date.

    Fires: last reviewed 13 months before the as-of date.
    Passes: last reviewed 11 months before the as-of date.
    """
    last = ctx.col("last_review")
    mask = (last < ctx.as_of - _interval(ctx)).fillna(False).astype(bool) & ~_reassessment_overdue(ctx)
    due = (last[mask] + _interval(ctx)).dt.strftime("%d/%m/%Y")
    return Hit(mask, "last_review", "Annual review overdue: last reviewed " + ctx.date_text("last_review", mask) + ", due by " + due + ".")


@points_at("last_review")
@needs("assurance", "last_review")
def pp504(ctx: Context) -> Hit:
    """Limited assurance: six-monthly reassessment overdue (weak_review_months; PP501 is then not also reported).

    Fires: Governance assurance Limited, last reviewed 7 months before the as-of date.
    Passes: Governance assurance Limited, reassessed 5 months before; or assurance Reasonable, reviewed 7 months before.
    """
    mask = _reassessment_overdue(ctx)
    due = (ctx.col("last_review")[mask] + _weak_interval(ctx)).dt.strftime("%d/%m/%Y")
    months = ctx.settings.weak_review_months
    return Hit(mask, "last_review", "Governance assurance " + ctx.col("assurance")[mask].astype(str) + f", so reassessed every {months} months: overdue, last reviewed "
               + ctx.date_text("last_review", mask) + ", due by " + due + ".")


@points_at("last_review")
@needs("last_review", "status")
def pp502(ctx: Context) -> Hit:
    """Never reviewed: no last review date and the partnership is neither Proposed nor Closed.

    Fires: Last reviewed blank, status Active.
    Passes: Last reviewed blank, status Proposed (not running yet).
    """
    mask = ctx.is_blank("last_review") & ~ctx.status_in("Proposed", "Closed")
    return Hit(mask, "last_review", "Never reviewed: no last review date recorded; review it against the policy.")


@points_at("next_review", "last_review")
@needs("last_review")
def pp503(ctx: Context) -> Hit:
    """Review due soon: due (next_review, else last_review + review_interval_months) within due_soon_days (60) after
    the as-of date.

    Fires: Next review due 30 days after the as-of date.
    Passes: Next review due 90 days after the as-of date.
    """
    planned = ctx.col("next_review") if ctx.has("next_review") else pd.Series(pd.NaT, index=ctx.table.index)
    due = review_due(ctx)
    soon = ctx.as_of + pd.Timedelta(days=ctx.settings.due_soon_days)
    mask = ((due >= ctx.as_of) & (due <= soon)).fillna(False).astype(bool) & ~_reassessment_overdue(ctx)
    field = planned.notna().map({True: "next_review", False: "last_review"})
    return Hit(mask, field, "Review due soon: by " + due[mask].dt.strftime("%d/%m/%Y") + ".")


def review_due(ctx: Context) -> pd.Series:
    """Each partnership's next review date: Next review due, else Last reviewed + review_interval_months (NaT for neither).

    The one place a review's due date is worked out: PP503 reads it, and the check keeps it in
    ``scores["review_due"]`` for the reminders.
    """
    index = ctx.table.index
    planned = pd.to_datetime(ctx.col("next_review"), errors="coerce") if ctx.has("next_review") else pd.Series(pd.NaT, index=index)
    if not ctx.has("last_review"):
        return planned
    return planned.where(planned.notna(), pd.to_datetime(ctx.col("last_review"), errors="coerce") + _interval(ctx))


@points_at("last_review")
@needs("last_review")
def dq011(ctx: Context) -> Hit:
    """Review date in the future: last reviewed after the as-of date.

    Fires: Last reviewed tomorrow.
    Passes: Last reviewed today or before.
    """
    mask = (ctx.col("last_review") > ctx.as_of).fillna(False).astype(bool)
    return Hit(mask, "last_review", "Last reviewed " + ctx.date_text("last_review", mask) + " is after today's check date: is it a typing error?")
