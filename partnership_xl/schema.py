"""The register's schema, run with pandera: every check, by its code, in one lazy validation.

The schema is built for the register being checked, from two places a newcomer reads:
- ``schemas/register.json`` (its ``checks``): a required column missing (DQ001, pandera's own
  column-presence check), a heading that names no field (DQ009), and in each field's column a
  required value blank (DQ002), a value that does not read as its kind (DQ003–DQ005), out of range
  (DQ004), a repeated ref (DQ006), an Excel error (DQ007) or a formula with no saved result (DQ008);
- ``rules/`` (the registry): every policy rule the register has the columns for, as a Check named
  by its code on the column its finding points at.

The frame pandera validates is indexed by Excel row and its columns are named by field (a column
with an unknown heading by its position, ``#12``), so every failure case is ``(code, row, column)``:
all a Finding needs. Nothing else decides what is wrong; the engine turns the failures into
findings with their messages.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import pandera.pandas as pa
from pandera.errors import SchemaErrors

from .fields import Field, all_fields, allowed_range, schema_checks
from .rules import Context, Hit, RuleFunc, targets

#: Kind → the code for a value that does not read as that kind (``checks.not_parsed``).
NOT_PARSED: dict[str, str] = schema_checks()["not_parsed"]


def unknown_key(col: int) -> str:
    """The frame's name for the column at position ``col`` whose heading names no field."""
    return f"#{col}"


@dataclass
class Facts:
    """What reading and parsing found, per cell: the schema's checks read these (index = Excel row)."""

    blank: pd.DataFrame  #: field → the cell is empty
    unparsed: pd.DataFrame  #: field → the cell holds something that is not a value of the field's kind
    errors: dict[str, pd.Series] = field(default_factory=dict)  #: column → the cell holds an Excel error
    formulas: dict[str, pd.Series] = field(default_factory=dict)  #: column → the cell is a formula never calculated


class RuleRun:
    """The registry's rules on one register, each run once, when pandera first asks for it."""

    def __init__(self, ctx: Context, rules: dict[str, RuleFunc]) -> None:
        self.ctx = ctx
        self.rules = rules
        self._hits: dict[str, Hit] = {}

    def hit(self, code: str) -> Hit:
        """What the rule ``code`` found (run on first use)."""
        found = self._hits.get(code)
        if found is None:
            found = self._hits[code] = self.rules[code](self.ctx)
            declared = set(targets(self.rules[code]))
            fields = set(found.field[found.mask].unique()) if isinstance(found.field, pd.Series) else {found.field}
            if found.mask.any() and not fields <= declared:
                raise RuntimeError(f"Rule {code} pointed at {sorted(fields - declared)}, which its @points_at does not name.")
            if found.mask.any() and not all(self.ctx.has(f) for f in fields):  # the schema has no column there to report it on
                raise RuntimeError(f"Rule {code} pointed at {sorted(f for f in fields if not self.ctx.has(f))}, a column this register lacks.")
        return found

    def passes(self, code: str, column: str) -> pd.Series:
        """True on the rows where rule ``code`` does not fire on ``column``'s cell."""
        hit = self.hit(code)
        if isinstance(hit.field, pd.Series):
            return ~(hit.mask & hit.field.eq(column))
        return ~hit.mask if hit.field == column else pd.Series(True, index=hit.mask.index)


def _fails_where(mask: pd.Series, code: str) -> list[pa.Check]:
    """A check that fails on the rows where ``mask`` (a fact about the cell) is True.

    No check when no row has it: a check that cannot fail is not asked (pandera's cost is per check).
    """
    if not mask.any():
        return []
    return [pa.Check(lambda s: ~mask, name=code, error=code, ignore_na=False)]


def _range_check(kind: str, code: str, risk_scale: int) -> pa.Check:
    low, high, whole = allowed_range(kind, risk_scale)
    if whole:
        allowed = list(range(int(low), int(high) + 1))
        return pa.Check(lambda s: s.isin(allowed), name=code, error=code, ignore_na=True)
    if high is None:
        return pa.Check.ge(low, name=code, error=code, ignore_na=True)
    return pa.Check.in_range(low, high, name=code, error=code, ignore_na=True)


def _unique_check(code: str) -> pa.Check:
    def unique(s: pd.Series) -> pd.Series:
        keys = s.str.casefold() if len(s) else s  # "p-014" repeats "P-014"; a blank is no key
        return ~keys.duplicated(keep=False) | keys.isna()

    return pa.Check(unique, name=code, error=code, ignore_na=False)


def build_schema(present: list[Field], unknown: list[str], facts: Facts, rules: RuleRun | None, risk_scale: int = 5) -> pa.DataFrameSchema:
    """The schema of this register: its fields' columns, its unknown columns and the rules it can run.

    ``rules`` is None for a register with no rows (its columns are still checked: DQ001, DQ009).
    """
    checks = schema_checks()
    names = {f.name for f in present}
    columns: dict[str, pa.Column] = {}
    for f in all_fields():  # DQ001: pandera's own check that a required column is there
        if f.name not in names and f.needs_column(names):
            columns[f.name] = pa.Column(required=True)
    on: dict[str, list[pa.Check]] = {f.name: [] for f in present}
    for f in present:
        if f.required:
            on[f.name] += _fails_where(facts.blank[f.name], checks["required_value"])
        if f.kind in NOT_PARSED:
            on[f.name] += _fails_where(facts.unparsed[f.name], NOT_PARSED[f.kind])
        if f.kind in checks["range"]:
            on[f.name].append(_range_check(f.kind, checks["range"][f.kind]["code"], risk_scale))
        if f.unique:
            on[f.name].append(_unique_check(checks["unique"]))
    for key in unknown:  # DQ009: a column whose heading names no field is not checked
        on[key] = [pa.Check(lambda s: False, name=checks["unknown_column"], error=checks["unknown_column"])]
    for key, mask in facts.errors.items():
        on[key] += _fails_where(mask, checks["excel_error"])
    for key, mask in facts.formulas.items():
        on[key] += _fails_where(mask, checks["unsaved_formula"])
    if rules is not None:
        for code, func in rules.rules.items():
            for target in targets(func):
                if target in on:
                    on[target].append(pa.Check(_rule_check(rules, code, target), name=code, error=code, ignore_na=False))
    kinds = {f.name: f.kind for f in present}
    for key, col_checks in on.items():
        dtype = checks["dtype"].get(kinds.get(key, ""))
        if col_checks or dtype:
            columns[key] = pa.Column(dtype, nullable=True, checks=col_checks, coerce=False)
    return pa.DataFrameSchema(columns, index=pa.Index(int, name="row"), strict=False, name="register")


def _rule_check(rules: RuleRun, code: str, column: str) -> Callable[[pd.Series], pd.Series]:
    return lambda s: rules.passes(code, column)


def validation_frame(table: pd.DataFrame, present: list[Field], unknown: list[str]) -> pd.DataFrame:
    """The typed field columns, and an empty column for each unknown heading, indexed by Excel row."""
    parts = {f.name: table[f.name] for f in present}
    for key in unknown:
        parts[key] = pd.Series(np.full(len(table.index), None, dtype=object), index=table.index)
    return pd.DataFrame(parts, index=table.index)


@dataclass(frozen=True)
class Failure:
    """One failure case: the code, the Excel row (None for a column as a whole) and the frame's column."""

    code: str
    row: int | None
    column: str


def run_schema(frame: pd.DataFrame, schema: pa.DataFrameSchema) -> list[Failure]:
    """Validate lazily: every failure case, in the schema's order."""
    try:
        schema.validate(frame, lazy=True)
    except SchemaErrors as exc:
        cases = exc.failure_cases
        out = []
        for check, column, row, case in zip(cases["check"], cases["column"], cases["index"], cases["failure_case"], strict=True):
            code = str(check)
            if code == "column_in_dataframe":  # pandera's column presence: a required column is missing
                out.append(Failure(schema_checks()["required_column"], None, str(case)))
                continue
            if not (len(code) == 5 and code[:2] in ("DQ", "PP")):
                raise RuntimeError(f"Unexpected schema failure in column {column}: {check} ({case})") from exc
            out.append(Failure(code, None if row is None or pd.isna(row) else int(row), str(column)))
        return out
    return []
