"""Policy §9 — Exiting a partnership: a proportionate exit strategy with its risks and
controls, a recorded reason, and a decision by CMT, the Executive or Council (PP901–PP907).
"""

from __future__ import annotations

import pandas as pd

from .base import Context, Hit, needs, needs_any, points_at

RUNNING = ("Proposed", "Active", "Under review")
LEAVING = ("Exiting", "Closed")


@points_at("end_date")
@needs("end_date", "status")
def pp901(ctx: Context) -> Hit:
    """Past its end date but still running: end date before the as-of date and status Proposed, Active or Under
    review.

    Fires: End date yesterday, status Active.
    Passes: End date tomorrow, status Active; or end date yesterday, status Exiting.
    """
    mask = (ctx.col("end_date") < ctx.as_of).fillna(False).astype(bool) & ctx.status_in(*RUNNING)
    return Hit(mask, "end_date", "Past its end date (" + ctx.date_text("end_date", mask) + ") but still " + ctx.col("status")[mask].astype(str) + ": extend it or record the exit.")


@points_at("exit_strategy")
@needs("status", "exit_strategy")
def pp902(ctx: Context) -> Hit:
    """Exit without an exit strategy: status Exiting or Closed and exit strategy blank.

    Fires: status Exiting, Exit strategy blank.
    Passes: status Exiting, Exit strategy "Services return in-house by March".
    """
    mask = ctx.status_in(*LEAVING) & ctx.is_blank("exit_strategy")
    return Hit(mask, "exit_strategy", ctx.col("status")[mask].astype(str) + " without an exit strategy: a proportionate exit strategy should be completed.")


@points_at("controls")
@needs("status", "exit_strategy", "controls")
def pp903(ctx: Context) -> Hit:
    """Exit strategy without risks and control measures: status Exiting or Closed, an exit strategy given, control
    measures blank.

    Fires: status Closed, Exit strategy given, Control measures blank.
    Passes: status Closed, Exit strategy and Control measures given.
    """
    mask = ctx.status_in(*LEAVING) & ctx.given("exit_strategy") & ctx.is_blank("controls")
    return Hit(mask, "controls", "Exit strategy without control measures: record the risks of leaving and how they are mitigated.")


@points_at("exit_decided_by")
@needs("status", "exit_decided_by")
def pp904(ctx: Context) -> Hit:
    """Exit not decided by CMT, Executive or Council: status Exiting or Closed and exit decided by blank.

    Fires: status Exiting, Exit decided by blank.
    Passes: status Exiting, Exit decided by the Executive.
    """
    mask = ctx.status_in(*LEAVING) & ctx.is_blank("exit_decided_by")
    return Hit(mask, "exit_decided_by", "Exit not decided by CMT, Executive or Council: record who decided to withdraw.")


@points_at("exit_reason")
@needs("status", "exit_reason")
def pp905(ctx: Context) -> Hit:
    """Exit reason missing: status Exiting or Closed and exit reason blank.

    Fires: status Closed, Exit reason blank.
    Passes: status Closed, Exit reason "Outcomes achieved".
    """
    mask = ctx.status_in(*LEAVING) & ctx.is_blank("exit_reason")
    return Hit(mask, "exit_reason", "Exit reason missing: record why the council is leaving.")


@points_at("funding_ends")
@needs_any("benefit_funding", "benefits")
@needs("funding_ends", "status")
def pp906(ctx: Context) -> Hit:
    """External funding has ended while the partnership is Active and claims External funding.

    Fires: External funding = Yes, External funding ends before the as-of date, status Active.
    Passes: the same with status Exiting, or funding ending after the as-of date.
    """
    mask = (ctx.col("funding_ends") < ctx.as_of).fillna(False).astype(bool) & ctx.table["claimed:benefit_funding"] & ctx.status_in("Active")
    return Hit(mask, "funding_ends", "External funding ended " + ctx.date_text("funding_ends", mask) + ": review whether the partnership should continue.")


@points_at("end_date")
@needs("end_date", "exit_strategy")
def pp907(ctx: Context) -> Hit:
    """Ends soon with no exit strategy: end date within due_soon_days (60) after the as-of date and exit strategy
    blank.

    Fires: End date 30 days after the as-of date, Exit strategy blank.
    Passes: End date 30 days after with an exit strategy; or end date 90 days after.
    """
    end = ctx.col("end_date")
    soon = ctx.as_of + pd.Timedelta(days=ctx.settings.due_soon_days)
    mask = ((end >= ctx.as_of) & (end <= soon)).fillna(False).astype(bool) & ctx.is_blank("exit_strategy")
    return Hit(mask, "end_date", "Ends " + ctx.date_text("end_date", mask) + " with no exit strategy: plan the exit or the extension.")


@points_at("end_date")
@needs("start_date", "end_date")
def dq010(ctx: Context) -> Hit:
    """End date before start date.

    Fires: Start date 01/04/2024, End date 31/03/2024.
    Passes: Start date 01/04/2024, End date 31/03/2027.
    """
    mask = (ctx.col("end_date") < ctx.col("start_date")).fillna(False).astype(bool)
    return Hit(mask, "end_date", "End date " + ctx.date_text("end_date", mask) + " is before the start date " + ctx.date_text("start_date", mask) + ".")
