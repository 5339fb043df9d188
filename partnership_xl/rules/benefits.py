"""Policy §3 — Benefits: every partnership should deliver one or more of five benefits.

The five categories come as yes/no columns or as one Benefits list; both count (PP301). A
claimed benefit needs describing, so it can be measured (PP302).
"""

from __future__ import annotations

from ..fields import BENEFIT_FIELDS
from .base import Context, Hit, needs, needs_any, points_at


def _claimed_any(ctx: Context):
    return ctx.table[[f"claimed:{f}" for f in BENEFIT_FIELDS]].any(axis=1)


def _benefit_cell(ctx: Context) -> str:
    if ctx.has("benefits"):
        return "benefits"
    return next(f for f in BENEFIT_FIELDS if ctx.has(f))


@points_at("benefits", "benefit_funding", "benefit_savings", "benefit_quality", "benefit_speed", "benefit_risk")
@needs_any("benefits", *BENEFIT_FIELDS)
def pp301(ctx: Context) -> Hit:
    """No benefit recorded: none of the five benefit categories is claimed.

    Fires: all five benefit columns blank or No (or a Benefits column naming none).
    Passes: Risk mitigation = Yes (any one category claimed).
    """
    mask = ~_claimed_any(ctx)
    return Hit(mask, _benefit_cell(ctx), "No benefit recorded: claim at least one of the five benefits of policy §3 (funding, savings, quality, speed, risk mitigation).")


@points_at("benefit_detail")
@needs_any("benefits", *BENEFIT_FIELDS)
@needs("benefit_detail")
def pp302(ctx: Context) -> Hit:
    """Benefit claimed but not described: a benefit category is claimed and the benefit description is blank.

    Fires: External funding = Yes, Benefit description blank.
    Passes: External funding = Yes, Benefit description "£40,000 a year from the Arts Council".
    """
    mask = _claimed_any(ctx) & ctx.is_blank("benefit_detail")
    return Hit(mask, "benefit_detail", "A benefit is claimed but not described: say what it is and how it will be measured.")
