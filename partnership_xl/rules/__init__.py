"""The rule registry: every catalogue code that a rule function checks, collected from the policy sections.

One module per policy section; each rule's docstring is its user text (what it means, a firing
and a passing example), which ``partnership-xl rules --verbose`` prints, and its decorators say
which columns it needs (``@needs``) and whose cell its finding points at (``@points_at``).
``schema.py`` runs every rule here as a pandera check named by its code, on each column it points
at, in the same lazy validation as the column checks DQ001–DQ009 (``schemas/register.json``'s
``checks``; their user text is in ``data_quality.py``). Together the two lists are the catalogue
(``findings.CATALOGUE``), code for code.
"""

from __future__ import annotations

import inspect
import re

from . import benefits, context, definition, entry, exit, governance, management, review
from .base import Context, Hit, RuleFunc, targets
from .data_quality import DATA_QUALITY
from .entry import approval_state
from .review import review_due

_CODE = re.compile(r"(pp|dq)\d{3}")
#: The policy sections' modules, in the policy's order.
SECTIONS = (definition, benefits, context, review, entry, governance, management, exit)


def _collect() -> dict[str, RuleFunc]:
    """Every rule function of the sections (named by its code: ``ppNNN`` is PPNNN), policy rules first."""
    found = [(name.upper(), func) for module in SECTIONS for name, func in vars(module).items() if _CODE.fullmatch(name)]
    return dict(sorted(found, key=lambda item: (item[0].startswith("DQ"), item[0] if item[0].startswith("DQ") else "")))


#: Code → rule function: what ``schema.py`` runs, and with DATA_QUALITY the catalogue, code for code.
RULES: dict[str, RuleFunc] = _collect()


def rule_doc(code: str) -> str:
    """The user text of a code: its rule function's docstring, or the data-quality text (KeyError for no such code)."""
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
