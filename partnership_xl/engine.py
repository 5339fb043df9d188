"""The checking engine: one read, one set of findings and scores, for every command.

``check(path, settings, as_of)`` inspects the file, reads the register, normalises the values,
runs the column schema and the rules, scores each partnership and returns a CheckResult.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd

from .config import Settings
from .fields import COLUMN_REQUIRED, RATED_INSTEAD, all_fields, fields_by_name
from .findings import CATALOGUE, Finding, sort_key
from .model import CheckResult, Register
from .normalise import benefit_claims, parse_column, parse_text
from .progress import NO_PROGRESS, NoProgress
from .reader import ExcelError, NoCachedValue, read_register
from .rules import RULES, Context, approval_state, missing_columns, review_due
from .schema import run_schema, validation_frame
from .scoring import add_scores, rag
from .workbook.sheet import column_letters as column_letter


def check(path: Path, settings: Settings, as_of: date, sheet: str | None = None, progress: NoProgress = NO_PROGRESS) -> CheckResult:
    """Check the register at ``path`` against the policy as of ``as_of``.

    ``progress`` (see :mod:`partnership_xl.progress`) is told of the reading and checking stages.
    """
    from .workbook import lockfile, sniff

    path = Path(path)
    limits = settings.limits()
    with progress.stage(f"Reading {path.name}"):
        oversized: list = []  # sheets too large to read (a stray value far out): passed over unless the register
        kind = sniff.inspect_register(path, limits, oversized)
        register = read_register(path, settings, sheet=sheet, kind=kind, oversized=oversized)
        register.lock_owner = lockfile.lock_owner(path)
    return check_register(register, settings, as_of, progress=progress)


def check_register(register: Register, settings: Settings, as_of: date, progress: NoProgress = NO_PROGRESS) -> CheckResult:
    """Check an already-read register (the engine without file handling)."""
    present = [f for f in all_fields() if f.name in register.columns]
    with progress.stage(f"Checking {len(register.raw):,} partnerships", total=len(present) + len(RULES), unit="columns and rules") as advance:
        return _check_register(register, settings, as_of, present, advance)


def _check_register(register: Register, settings: Settings, as_of: date, present: list, advance) -> CheckResult:
    raw = register.raw
    typed, blank, unparsed = {}, {}, {}
    markers: dict[str, tuple[np.ndarray, np.ndarray]] = {}  # field → (positions, values) of Excel errors / unsaved formulas
    for f in present:
        typed[f.name], blank[f.name], unparsed[f.name], markers[f.name] = _parse(f, raw[f.name], settings.choices.get(f.name))
        advance(1)
    index = raw.index
    table = pd.DataFrame(typed, index=index)
    blank_df = pd.DataFrame(blank, index=index, dtype=bool)
    unparsed_df = pd.DataFrame(unparsed, index=index, dtype=bool)

    for name, claimed in benefit_claims(table).items():
        table[f"claimed:{name}"] = claimed
    add_scores(table, settings)

    findings: list[Finding] = []
    make = _FindingMaker(register, table)
    row_numbers = index.to_numpy()
    names = {f.name for f in present}

    # DQ001 / DQ009: the columns themselves
    rated = "risk_rating" in names  # a register rating risk in one word needs no likelihood or impact column
    for f in all_fields():
        if rated and f.name in RATED_INSTEAD:
            continue
        if (f.required or f.name in COLUMN_REQUIRED) and f.name not in names:
            findings.append(make.sheet_level("DQ001", f.name, register.header_row, 1,
                                             f"Required column missing: no column for {f.header} (or one of its other names); add it to the register."))
    for col, text in {**register.unknown, **register.duplicate_columns}.items():
        if col in register.duplicate_columns:
            message = f"Column '{text}' repeats a column already read as {_field_of(register, text)}: only the first is checked."
        elif col in register.suggestions:
            message = _suggestion_message(text, register.suggestions[col])
        elif text:
            message = f"Column '{text}' is not a register field and is not checked (add an alias in partnership-xl.toml if it should be)."
        else:
            message = "Column with no heading holds data that is not checked: give it a heading."
        findings.append(make.sheet_level("DQ009", "", register.header_row, col, message))

    # DQ002-DQ006: the column schema (pandera)
    if len(index):
        frame = validation_frame(table, blank_df, unparsed_df, present)
        failures = run_schema(frame, present, settings.risk_scale)
        if failures:
            position = dict(zip(row_numbers.tolist(), range(len(index)), strict=True))
            values = {}
            for code, row, field in failures:
                if field not in values:
                    values[field] = raw[field].to_numpy(dtype=object)
                findings.append(make.at(code, row, field, _schema_message(code, field, values[field][position[row]], settings.risk_scale)))

    # DQ007 / DQ008: Excel errors and unsaved formulas, in any column of the table
    by_col = {col: f for f, col in register.columns.items()}
    cells = dict(register.other_cells)
    for f in present:
        where, found = markers[f.name]
        for row, v in zip(row_numbers[where].tolist(), found, strict=True):
            cells[(int(row), register.columns[f.name])] = v
    for (row, col), v in sorted(cells.items()):
        field = by_col.get(col, "")
        if isinstance(v, ExcelError):
            findings.append(make.cell("DQ007", row, col, field, f"Excel error value {v} in this cell: fix the formula or the value."))
        else:
            findings.append(make.cell("DQ008", row, col, field, "Formula has no saved result: open the workbook in Excel, let it recalculate and save it."))

    # The policy rules
    not_checked: dict[str, str] = {}
    ctx = Context(table=table, blank=blank_df, settings=settings, as_of=pd.Timestamp(as_of))
    for code, func in RULES.items():
        advance(1)
        missing = missing_columns(func, names)
        if missing:
            not_checked[code] = "no column for " + ", ".join(_headers_in(m) for m in missing)
            continue
        if not len(index):
            continue
        hit = func(ctx)
        rows = hit.mask[hit.mask].index
        if not len(rows):
            continue
        # Whole columns at once: the rows that fire, with their field and message (one or one per row).
        n = len(rows)
        fields = hit.field.loc[rows].tolist() if isinstance(hit.field, pd.Series) else [hit.field] * n
        messages = hit.message.loc[rows].tolist() if isinstance(hit.message, pd.Series) else [hit.message] * n
        at = make.at
        findings.extend(at(code, int(row), field, str(message)) for row, field, message in zip(rows.tolist(), fields, messages, strict=True))

    table["approval"] = approval_state(ctx)  # §6 approval as recorded, for the reports (its breaches are findings)
    table["review_due"] = review_due(ctx)  # the next review date, for the reminders
    findings.sort(key=sort_key)
    scores = _scores(table, findings, index)
    return CheckResult(register=register, settings=settings, as_of=as_of, table=table,
                       scores=scores, findings=findings, not_checked=not_checked)


_type_of = np.frompyfunc(type, 1, 1)


def _parse(f, values: pd.Series, choices: dict[str, str] | None = None) -> tuple[pd.Series, pd.Series, pd.Series, tuple[np.ndarray, np.ndarray]]:
    """``parse_column`` run on each distinct value of the column once, spread back over its rows.

    A register repeats itself (statuses, yes/no, scores, choices, the same dates and amounts), so
    parsing distinct values only turns a per-cell Python loop into one per distinct value. Values
    are distinct by type *and* value: ``True``, ``1`` and ``1.0`` are equal in Python but parse
    differently as text. Also returns where the column holds an Excel error or an unsaved
    formula (DQ007/DQ008): positions and values.
    """
    arr = values.to_numpy(dtype=object)
    try:
        codes, firsts = _distinct(arr)
    except TypeError:  # an unhashable value: parse every cell (never seen from a reader)
        typed, blank, unparsed = parse_column(f, values, choices)
        where = np.flatnonzero([isinstance(v, (ExcelError, NoCachedValue)) for v in arr])
        return typed, blank, unparsed, (where, arr[where])
    uniques = arr[firsts]
    is_marker = np.fromiter((isinstance(v, (ExcelError, NoCachedValue)) for v in uniques), dtype=bool, count=len(uniques))
    where = np.flatnonzero(is_marker[codes]) if is_marker.any() else np.empty(0, dtype=np.intp)
    if len(uniques) == len(arr):
        typed, blank, unparsed = parse_column(f, values, choices)
        return typed, blank, unparsed, (where, arr[where])
    typed_u, blank_u, unparsed_u = parse_column(f, pd.Series(uniques, dtype=object), choices)
    typed = typed_u.take(codes).set_axis(values.index)
    blank = pd.Series(blank_u.to_numpy()[codes], index=values.index, dtype=bool)
    unparsed = pd.Series(unparsed_u.to_numpy()[codes], index=values.index, dtype=bool)
    return typed, blank, unparsed, (where, arr[where])


def _distinct(arr: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Codes (0..k-1, in order of first appearance) of the distinct (type, value) pairs, and each one's first position."""
    if not len(arr):
        return np.empty(0, dtype=np.intp), np.empty(0, dtype=np.intp)
    value_codes, value_uniques = pd.factorize(arr, use_na_sentinel=False)
    type_codes, _ = pd.factorize(_type_of(arr).astype(object), use_na_sentinel=False)
    key = type_codes.astype(np.int64) * max(len(value_uniques), 1) + value_codes
    codes, _ = pd.factorize(key)
    _, firsts = np.unique(codes, return_index=True)
    return codes, firsts


def _headers_in(text: str) -> str:
    """Field names in a rule's needs as the template headers: "Risk likelihood (1-5) and ... or Risk rating"."""
    known = fields_by_name()
    return re.sub(r"[a-z_]+", lambda m: known[m.group()].header if m.group() in known else m.group(), text)


def _field_of(register: Register, text: str) -> str:
    from .fields import alias_index, header_key

    field = alias_index().get(header_key(text), "")
    return fields_by_name()[field].header if field in fields_by_name() else "another column"


def _suggestion_message(text: str, suggestion) -> str:
    """DQ009 for a heading that looks like a field: name the field and the [aliases] line that maps it."""
    from .suggest import alias_line

    return (f"Column '{text}' is not a register field and is not checked; it looks like {suggestion.header} "
            f"({suggestion.field}): to check it as that, add this line under [aliases] in partnership-xl.toml: "
            f"{alias_line(text, suggestion.field)}")


def _schema_message(code: str, field: str, value: object, risk_scale: int = 5) -> str:
    f = fields_by_name()[field]
    # as the officer sees it: 17 not 17.0, TRUE not True, 26/02/2015 not 2015-02-26 00:00:00
    text = str(value).upper() if isinstance(value, bool) else parse_text(value)
    shown = (text if isinstance(text, str) else str(value)).strip()
    if len(shown) > 60:
        shown = shown[:57] + "..."
    if code == "DQ002":
        return f"Required value missing: {f.header} is blank."
    if code == "DQ003":
        return f"Not a date: '{shown}' in {f.header}; enter a date such as 26/02/2025."
    if code == "DQ004":
        if f.kind == "score":
            return f"Not a number from 1 to {risk_scale}: '{shown}' in {f.header.replace('(1-5)', f'(1-{risk_scale})')}."
        return f"Not an amount of money: '{shown}' in {f.header}; enter pounds a year such as 5000 (0 for none)."
    if code == "DQ005":
        if f.kind == "yesno":
            return f"Not Yes or No: '{shown}' in {f.header}."
        if f.kind == "email":
            return f"Not an e-mail address: '{shown}' in {f.header}; enter an address such as j.smith@harborough.gov.uk."
        allowed = "; ".join(f.choices)
        return f"Not an allowed value: '{shown}' in {f.header}; use one of: {allowed}."
    if code == "DQ006":
        return f"Duplicate reference: '{shown}' is used by more than one partnership."
    return CATALOGUE[code].finding


class _FindingMaker:
    """Turns (code, row, field) into Findings with the cell address, ref and sheet filled in."""

    def __init__(self, register: Register, table: pd.DataFrame) -> None:
        self.register = register
        refs = table["ref"] if "ref" in table else pd.Series("", index=table.index, dtype=object)
        self.refs = dict(zip(refs.index.tolist(), refs.tolist(), strict=True))
        self._letters: dict[str, str] = {}

    def _ref(self, row: int) -> str:
        v = self.refs.get(row, "")
        return "" if v is None or (not isinstance(v, str) and pd.isna(v)) else str(v)

    def _letter(self, field: str) -> str:
        letter = self._letters.get(field)
        if letter is None:
            col = self.register.columns.get(field) or self.register.columns.get("ref") or 1
            letter = self._letters[field] = column_letter(col)
        return letter

    def at(self, code: str, row: int, field: str, message: str) -> Finding:
        """A finding on ``field``'s cell of ``row``; on the Ref cell when that column is missing."""
        return Finding(code, self._ref(row), self.register.sheet, f"{self._letter(field)}{row}", row, field, message)

    def cell(self, code: str, row: int, col: int, field: str, message: str) -> Finding:
        """A finding on an exact cell."""
        return Finding(code, self._ref(row), self.register.sheet, f"{column_letter(col)}{row}", row, field, message)

    def sheet_level(self, code: str, field: str, row: int, col: int, message: str) -> Finding:
        """A finding about the sheet (DQ001, DQ009), on the header row."""
        return Finding(code, "", self.register.sheet, f"{column_letter(col)}{row}", row, field, message)


_RANK = {code: rule.severity.rank for code, rule in CATALOGUE.items()}


def _scores(table: pd.DataFrame, findings: list[Finding], index: pd.Index) -> pd.DataFrame:
    data_rows = set(index.tolist())
    worst: dict[int, int] = {}
    codes: dict[int, list[str]] = {}
    for f in findings:
        if f.row in data_rows and f.code not in ("DQ001", "DQ009"):
            rank = _RANK[f.code]
            if rank < worst.get(f.row, 9):
                worst[f.row] = rank
            row_codes = codes.setdefault(f.row, [])
            if f.code not in row_codes:
                row_codes.append(f.code)
    empty = pd.Series(pd.NA, index=index, dtype=object)
    scores = pd.DataFrame({
        "ref": table["ref"] if "ref" in table else empty,
        "name": table["name"] if "name" in table else empty,
        "risk_score": table["risk_score"],
        "risk_band": table["risk_band"],
        "opp_score": table["opp_score"],
        "opp_band": table["opp_band"],
        "benefit_count": table["benefit_count"],
        "significant": table["significant"],
        # who must act on the row's findings: kept with the scores, which outlive the typed table
        "lead_officer": table["lead_officer"] if "lead_officer" in table else empty,
        "service_area": table["service_area"] if "service_area" in table else empty,
        "approval": table["approval"],
        "review_due": table["review_due"],
    }, index=index)
    scores["rag"] = rag(index, pd.Series(worst, dtype="Int64"))
    scores["codes"] = pd.Series({r: ", ".join(sorted(c)) for r, c in codes.items()}, dtype=object).reindex(index).fillna("")
    return scores


__all__ = ["check", "check_register"]
