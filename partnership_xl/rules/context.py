"""Policy §4 — Context: partnerships are entered where they best achieve council aims."""

from __future__ import annotations

from .base import Context, Hit, needs, points_at


@points_at("priority")
@needs("priority")
def pp401(ctx: Context) -> Hit:
    """Not linked to a council priority (only when the register has a priority column).

    Fires: Council priority blank.
    Passes: Council priority "Healthy communities"; or the register has no Council priority column (not checked).
    """
    return Hit(ctx.is_blank("priority"), "priority", "Not linked to a council priority: name the council aim this partnership supports.")
