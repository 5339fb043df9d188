"""The register's column schema, run with pandera (SPEC §2.1, DQ002–DQ006).

The schema is built from ``schemas/register.json`` for the columns a register actually has.
The frame it validates is indexed by Excel row, so every failure case pandera reports is a row
number, and its column names the field: ``(code, row, field)`` is all a Finding needs.
Each Check is named by the rule code it enforces.
"""

from __future__ import annotations

import pandas as pd
import pandera.pandas as pa
from pandera.errors import SchemaErrors

from .fields import Field
from .normalise import UNPARSED_CODE

_DTYPES = {"date": "datetime64[ns]", "money": "Float64", "score": "Float64", "yesno": "boolean"}


def _not(code: str) -> pa.Check:
    """A check on a boolean mask column: every row must be False."""
    return pa.Check(lambda s: ~s.astype(bool), name=code, error=code)


def build_schema(present: list[Field], risk_scale: int = 5) -> pa.DataFrameSchema:
    """The pandera schema for the fields this register has (likelihood and impact: 1..risk_scale)."""
    columns: dict[str, pa.Column] = {}
    scores = list(range(1, risk_scale + 1))
    for f in present:
        checks = []
        if f.kind == "score":
            checks.append(pa.Check(lambda s: s.isin(scores), name="DQ004", error="DQ004", ignore_na=True))
        if f.kind == "money":
            checks.append(pa.Check.ge(0, name="DQ004", error="DQ004", ignore_na=True))
        if f.unique:
            columns[f"{f.name}:key"] = pa.Column(
                None, nullable=True,
                checks=pa.Check(lambda s: ~s.duplicated(keep=False) | s.isna(), name="DQ006", error="DQ006"),
            )
        if f.kind in _DTYPES:  # a text column has no type to hold and nothing to check: pandera is not asked
            columns[f.name] = pa.Column(_DTYPES[f.kind], nullable=True, checks=checks, coerce=False)
        if f.required:
            columns[f"{f.name}:blank"] = pa.Column(bool, checks=_not("DQ002"))
        if f.kind in UNPARSED_CODE:
            columns[f"{f.name}:unparsed"] = pa.Column(bool, checks=_not(UNPARSED_CODE[f.kind]))
    return pa.DataFrameSchema(columns, index=pa.Index(int, name="row"), strict=False, name="register")


def validation_frame(table: pd.DataFrame, blank: pd.DataFrame, unparsed: pd.DataFrame, present: list[Field]) -> pd.DataFrame:
    """Typed columns plus the masks the schema checks, all indexed by Excel row."""
    parts = {}
    for f in present:
        col = table[f.name]
        if f.kind in _DTYPES:
            parts[f.name] = col
        if f.unique:
            parts[f"{f.name}:key"] = col.map(lambda v: v.casefold() if isinstance(v, str) else None)
        if f.required:
            parts[f"{f.name}:blank"] = blank[f.name]
        if f.kind in UNPARSED_CODE:
            parts[f"{f.name}:unparsed"] = unparsed[f.name]
    return pd.DataFrame(parts, index=table.index)


def run_schema(frame: pd.DataFrame, present: list[Field], risk_scale: int = 5) -> list[tuple[str, int, str]]:
    """Validate lazily; return ``(code, excel_row, field)`` for every failure case."""
    if frame.empty:
        return []
    schema = build_schema(present, risk_scale)
    # A blank/unparsed mask with no True cannot fail its check, and pandera's cost is per column:
    # validate only the masks that can fail (usually a handful of the ~75 columns).
    quiet = [c for c in frame.columns if c.endswith((":blank", ":unparsed")) and not frame[c].any()]
    if quiet:
        schema = schema.remove_columns(quiet)
        frame = frame.drop(columns=quiet)
    try:
        schema.validate(frame, lazy=True)
    except SchemaErrors as exc:
        cases = exc.failure_cases
        out = []
        for check, column, row in zip(cases["check"], cases["column"], cases["index"], strict=True):
            code = str(check)
            if not (code.startswith("DQ") and len(code) == 5) or row is None or pd.isna(row):
                raise RuntimeError(f"Unexpected schema failure in column {column}: {check}") from exc
            out.append((code, int(row), str(column).split(":")[0]))
        return out
    return []
