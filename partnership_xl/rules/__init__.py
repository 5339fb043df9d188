"""The rule registry: every catalogue code that a rule function checks, listed explicitly.

One module per policy section; each rule's docstring is its user text (what it means, a firing
and a passing example), which ``partnership-xl rules --verbose`` prints, and its decorators say
which columns it needs (``@needs``) and whose cell its finding points at (``@points_at``).
``schema.py`` runs every rule here as a pandera check named by its code, on each column it points
at, in the same lazy validation as the column checks DQ001–DQ009 (``schemas/register.json``'s
``checks``; their user text is in ``data_quality.py``). Together the two lists are the catalogue
(``findings.CATALOGUE``), code for code.
"""

from __future__ import annotations

from . import benefits, context, definition, entry, exit, governance, management, review
from .base import Context, Hit, RuleFunc, targets
from .data_quality import DATA_QUALITY
from .entry import approval_state
from .review import review_due

RULES: dict[str, RuleFunc] = {
    "PP201": definition.pp201,
    "PP202": definition.pp202,
    "PP203": definition.pp203,
    "PP204": definition.pp204,
    "PP301": benefits.pp301,
    "PP302": benefits.pp302,
    "PP401": context.pp401,
    "PP501": review.pp501,
    "PP502": review.pp502,
    "PP504": review.pp504,
    "PP503": review.pp503,
    "PP601": entry.pp601,
    "PP602": entry.pp602,
    "PP603": entry.pp603,
    "PP701": governance.pp701,
    "PP702": governance.pp702,
    "PP703": governance.pp703,
    "PP801": management.pp801,
    "PP802": management.pp802,
    "PP901": exit.pp901,
    "PP902": exit.pp902,
    "PP903": exit.pp903,
    "PP904": exit.pp904,
    "PP905": exit.pp905,
    "PP906": exit.pp906,
    "PP907": exit.pp907,
    "DQ010": exit.dq010,
    "DQ011": review.dq011,
}


def rule_doc(code: str) -> str:
    """The user text of a code: its rule function's docstring, or the data-quality text (KeyError for no such code)."""
    import inspect

    text = RULES[code].__doc__ if code in RULES else DATA_QUALITY[code]
    return inspect.cleandoc(text or "")


def missing_columns(func: RuleFunc, present: set[str]) -> list[str]:
    """The columns a rule needs that the register lacks (empty when it can run)."""
    missing = [f for f in getattr(func, "needs", ()) if f not in present]
    any_of = getattr(func, "needs_any", ())
    if any_of and not any(f in present for f in any_of):
        missing.append(" or ".join(any_of))
    groups = getattr(func, "needs_one_of", ())
    if groups and not any(all(f in present for f in group) for group in groups):
        missing.append(" or ".join(" and ".join(group) for group in groups))
    return missing


__all__ = ["RULES", "DATA_QUALITY", "approval_state", "review_due", "Context", "Hit", "missing_columns", "rule_doc", "targets"]
