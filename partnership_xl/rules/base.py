"""What a rule sees and returns.

A rule is a small function ``(ctx: Context) -> Hit``: it looks at typed columns, all rows at
once, and returns a boolean mask of the rows it fires on, the field whose cell the finding
points at, and the message (one text, or one per row). It never opens a file or builds a cell
address; the engine does that.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..config import Settings


@dataclass
class Context:
    """Typed register columns (index = Excel row), blank masks, settings and the as-of date."""

    table: pd.DataFrame
    blank: pd.DataFrame
    settings: Settings
    as_of: pd.Timestamp

    def has(self, field: str) -> bool:
        """True when the register has a column for ``field``."""
        return field in self.blank.columns

    def col(self, field: str) -> pd.Series:
        """The typed column (all NA when the register has no such column)."""
        if field in self.table:
            return self.table[field]
        return pd.Series(pd.NA, index=self.table.index, dtype=object)

    def is_blank(self, field: str) -> pd.Series:
        """Rows where the cell is empty (an Excel error or unsaved formula is not empty)."""
        if field in self.blank:
            return self.blank[field]
        return pd.Series(True, index=self.table.index)

    def given(self, field: str) -> pd.Series:
        """Rows where the cell holds something."""
        return ~self.is_blank(field)

    def status_in(self, *statuses: str) -> pd.Series:
        """Rows whose status is one of ``statuses`` (canonical names)."""
        return self.col("status").isin(statuses).fillna(False).astype(bool)

    def high_risk(self) -> pd.Series:
        """Rows whose risk band (scored, or the one-word rating) is High."""
        return self.table["risk_band"].eq("High").fillna(False).astype(bool)

    def risk_text(self, mask: pd.Series) -> pd.Series:
        """How the risk was assessed on ``mask`` rows: "score 16" or "rated High"."""
        rows = self.table.loc[mask]
        scored = "score " + rows["risk_score"].astype("Int64").astype(str)
        return scored.where(~rows["risk_rated"], "rated " + rows["risk_band"].astype(str))

    def weak_assurance(self) -> pd.Series:
        """Rows whose governance assurance is Limited or No assurance."""
        return self.col("assurance").isin(WEAK_ASSURANCE).fillna(False).astype(bool)

    def date_text(self, field: str, mask: pd.Series) -> pd.Series:
        """The field's dates on ``mask`` rows as dd/mm/yyyy."""
        return self.col(field)[mask].dt.strftime("%d/%m/%Y")


@dataclass
class Hit:
    """The rows a rule fires on, the field to point at (one, or one per row), and the message(s)."""

    mask: pd.Series
    field: str | pd.Series
    message: str | pd.Series


RuleFunc = Callable[[Context], Hit]


def points_at(*fields: str) -> Callable[[RuleFunc], RuleFunc]:
    """Declare the columns whose cell a rule's finding can point at (the schema puts its check on each)."""

    def mark(func: RuleFunc) -> RuleFunc:
        func.points_at = fields  # type: ignore[attr-defined]
        return func

    return mark


def targets(func: RuleFunc) -> tuple[str, ...]:
    """The columns a rule's finding can point at (its ``@points_at``)."""
    return getattr(func, "points_at", ())


def needs(*fields: str) -> Callable[[RuleFunc], RuleFunc]:
    """Declare the columns a rule cannot run without; without them it is listed as not checked."""

    def mark(func: RuleFunc) -> RuleFunc:
        func.needs = fields  # type: ignore[attr-defined]
        return func

    return mark


def needs_any(*fields: str) -> Callable[[RuleFunc], RuleFunc]:
    """Declare that a rule needs at least one of these columns."""

    def mark(func: RuleFunc) -> RuleFunc:
        func.needs_any = fields  # type: ignore[attr-defined]
        return func

    return mark


def needs_one_of(*groups: tuple[str, ...]) -> Callable[[RuleFunc], RuleFunc]:
    """Declare that a rule needs every column of at least one group, e.g. likelihood and impact, or a risk rating."""

    def mark(func: RuleFunc) -> RuleFunc:
        func.needs_one_of = groups  # type: ignore[attr-defined]
        return func

    return mark


#: The risk columns a rule on the risk band needs: likelihood and impact scored, or a one-word rating.
RISK_ASSESSED = (("risk_likelihood", "risk_impact"), ("risk_rating",))
#: The assurance words that call for six-monthly reassessment (PP504, PP703).
WEAK_ASSURANCE = ("Limited", "No assurance")


def map_distinct(values: pd.Series, func: Callable[[object], bool]) -> pd.Series:
    """``values.map(func)`` as booleans, with ``func`` run once per distinct value (False for a blank).

    A register repeats itself down a column (the same partner list on many rows), so a rule that
    must look at each text in Python looks at each distinct text once.
    """
    try:
        codes, uniques = pd.factorize(values, use_na_sentinel=True)
    except TypeError:  # an unhashable value: every cell on its own
        return values.map(func).astype(bool)
    answers = np.fromiter((bool(func(v)) for v in uniques), dtype=bool, count=len(uniques))
    out = np.zeros(len(values), dtype=bool)
    known = codes >= 0
    out[known] = answers[codes[known]]
    return pd.Series(out, index=values.index)


def money(v: float) -> str:
    """£12,345 for messages."""
    return f"£{v:,.0f}" if float(v).is_integer() else f"£{v:,.2f}"
