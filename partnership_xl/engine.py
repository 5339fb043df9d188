"""The checking engine: one read, one set of findings and scores, for every command.

``check(path, settings, as_of)`` inspects the file, reads the register, normalises the values,
runs the column schema and the rules, scores each partnership and returns a CheckResult.
"""

from __future__ import annotations

import re
from datetime import date
from itertools import groupby
from pathlib import Path

import numpy as np
import pandas as pd

from .config import Settings
from .fields import all_fields, fields_by_name
from .findings import CATALOGUE, Finding, sort_key
from .model import CheckResult, Register
from .normalise import benefit_claims, parse_column
from .progress import NO_PROGRESS, NoProgress
from .reader import ExcelError, NoCachedValue, read_register
from .rules import RULES, Context, approval_state, missing_columns, review_due
from .rules.data_quality import cell_message, column_message
from .schema import Facts, RuleRun, build_schema, run_schema, unknown_key, validation_frame
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
    index = raw.index
    typed, blank, unparsed = {}, {}, {}
    errors: dict[str, pd.Series] = {}  # column → where it holds an Excel error (DQ007) ...
    formulas: dict[str, pd.Series] = {}  # ... or a formula never calculated (DQ008)
    for f in present:
        typed[f.name], blank[f.name], unparsed[f.name], (where, found) = _parse(f, raw[f.name], settings.choices.get(f.name))
        _markers(f.name, index, where, found, errors, formulas)
        advance(1)
    table = pd.DataFrame(typed, index=index)
    facts = Facts(pd.DataFrame(blank, index=index, dtype=bool), pd.DataFrame(unparsed, index=index, dtype=bool), errors, formulas)
    unknown = {unknown_key(col): col for col in sorted({**register.unknown, **register.duplicate_columns})}
    by_position = {col: key for key, col in unknown.items()}
    other: dict[int, list[tuple[int, object]]] = {}
    for (row, col), v in register.other_cells.items():
        other.setdefault(col, []).append((row, v))
    for col, cells in other.items():
        rows, found = zip(*cells, strict=True)
        _markers(by_position[col], index, index.get_indexer(list(rows)), list(found), errors, formulas)

    for name, claimed in benefit_claims(table).items():
        table[f"claimed:{name}"] = claimed
    add_scores(table, settings)

    names = {f.name for f in present}
    not_checked: dict[str, str] = {}
    runnable = {}
    for code, func in RULES.items():
        missing = missing_columns(func, names)
        if missing:
            not_checked[code] = "no column for " + ", ".join(_headers_in(m) for m in missing)
        else:
            runnable[code] = func
    ctx = Context(table=table, blank=facts.blank, settings=settings, as_of=pd.Timestamp(as_of))
    rules = RuleRun(ctx, runnable) if len(index) else None

    # One lazy validation: the schema's column checks and every rule the register can run (schema.py)
    schema = build_schema(present, list(unknown), facts, rules, settings.risk_scale)
    failures = run_schema(validation_frame(table, present, list(unknown)), schema)
    advance(len(RULES))

    findings = _findings(register, table, failures, unknown, rules, settings)
    table["approval"] = approval_state(ctx)  # §6 approval as recorded, for the reports (its breaches are findings)
    table["review_due"] = review_due(ctx)  # the next review date, for the reminders
    findings.sort(key=sort_key)
    scores = _scores(table, findings, index)
    return CheckResult(register=register, settings=settings, as_of=as_of, table=table,
                       scores=scores, findings=findings, not_checked=not_checked)


def _markers(key: str, index: pd.Index, where: np.ndarray, found, errors: dict, formulas: dict) -> None:
    """Record where column ``key`` holds Excel errors and unsaved formulas (positions ``where``), as masks."""
    if not len(where):
        return
    is_error = np.fromiter((isinstance(v, ExcelError) for v in found), dtype=bool, count=len(where))
    for masks, picked in ((errors, where[is_error]), (formulas, where[~is_error])):
        if len(picked):
            mask = np.zeros(len(index), dtype=bool)
            mask[picked] = True
            masks[key] = pd.Series(mask, index=index)


def _findings(register: Register, table: pd.DataFrame, failures: list, unknown: dict[str, int], rules, settings: Settings) -> list[Finding]:
    """The schema's failure cases as Findings: code, cell, field and the officer's message.

    A failure with no row is about a column as a whole (a required column missing, a heading that
    names no field) and sits on the header row; one in an unknown column sits on its exact cell.
    The message is the rule's own, or data_quality's for a DQ code.
    """
    make = _FindingMaker(register, table)
    raw = register.raw
    position = {row: i for i, row in enumerate(raw.index.tolist())}
    values: dict[str, np.ndarray] = {}
    findings: list[Finding] = []
    order = {f.name: i for i, f in enumerate(all_fields())}  # several missing columns on the one header cell: in template order
    ran = _ran(rules)
    ordered = sorted(failures, key=lambda fail: order.get(fail.column, -1) if fail.row is None else -1)
    for (code, column), group in groupby(ordered, key=lambda fail: (fail.code, fail.column)):
        rows = [fail.row for fail in group]
        col = unknown.get(column)
        if code in ran:  # a policy rule: its message, one text or one per row (all its rows at once)
            hit = rules.hit(code)
            if isinstance(hit.message, pd.Series):
                text = hit.message.reindex(rows).tolist()
            else:
                text = [hit.message] * len(rows)
            findings.extend(make.on_rows(code, rows, column, text))
        elif rows[0] is None:  # the column as a whole, on the header row
            field = "" if col else column
            findings.extend(make.sheet_level(code, field, register.header_row, col or 1, column_message(code, register, field or col)) for _ in rows)
        elif col:  # cells of a column that is not a field
            findings.extend(make.cell(code, row, col, "", cell_message(code, None, register.other_cells.get((row, col)), settings.risk_scale)) for row in rows)
        else:
            if column not in values:
                values[column] = raw[column].to_numpy(dtype=object)
            cells = values[column]
            text = [cell_message(code, column, cells[position[row]], settings.risk_scale) for row in rows]
            findings.extend(make.on_rows(code, rows, column, text))
    return findings


def _ran(rules) -> dict:
    """The rules the schema ran (none for a register with no rows)."""
    return rules.rules if rules is not None else {}


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
    types = _type_of(arr)
    if (types == types[0]).all():  # every cell of one type: no True == 1 == 1.0 (or "#N/A" == #N/A) to tell apart
        _, firsts = np.unique(value_codes, return_index=True)
        return value_codes, firsts
    type_codes, _ = pd.factorize(types.astype(object), use_na_sentinel=False)
    key = type_codes.astype(np.int64) * max(len(value_uniques), 1) + value_codes
    codes, _ = pd.factorize(key)
    _, firsts = np.unique(codes, return_index=True)
    return codes, firsts


def _headers_in(text: str) -> str:
    """Field names in a rule's needs as the template headers: "Risk likelihood (1-5) and ... or Risk rating"."""
    known = fields_by_name()
    return re.sub(r"[a-z_]+", lambda m: known[m.group()].header if m.group() in known else m.group(), text)


class _FindingMaker:
    """Turns (code, row, field) into Findings with the cell address, ref and sheet filled in."""

    def __init__(self, register: Register, table: pd.DataFrame) -> None:
        self.register = register
        refs = table["ref"] if "ref" in table else pd.Series("", index=table.index, dtype=object)
        self.refs = dict(zip(refs.index.tolist(), (_ref_text(v) for v in refs.tolist()), strict=True))
        self._letters: dict[str, str] = {}

    def _ref(self, row: int) -> str:
        return self.refs.get(row, "")

    def _letter(self, field: str) -> str:
        letter = self._letters.get(field)
        if letter is None:
            col = self.register.columns.get(field) or self.register.columns.get("ref") or 1
            letter = self._letters[field] = column_letter(col)
        return letter

    def on_rows(self, code: str, rows: list[int], field: str, messages: list) -> list[Finding]:
        """Findings on ``field``'s cell of each of ``rows``, one message each; on the Ref cell when that column is missing."""
        letter, sheet, refs = self._letter(field), self.register.sheet, self.refs
        return [Finding(code, refs.get(row, ""), sheet, f"{letter}{row}", row, field, str(message))
                for row, message in zip(rows, messages, strict=True)]

    def cell(self, code: str, row: int, col: int, field: str, message: str) -> Finding:
        """A finding on an exact cell."""
        return Finding(code, self._ref(row), self.register.sheet, f"{column_letter(col)}{row}", row, field, message)

    def sheet_level(self, code: str, field: str, row: int, col: int, message: str) -> Finding:
        """A finding about the sheet (DQ001, DQ009), on the header row."""
        return Finding(code, "", self.register.sheet, f"{column_letter(col)}{row}", row, field, message)


def _ref_text(v: object) -> str:
    return "" if v is None or (not isinstance(v, str) and pd.isna(v)) else str(v)


_RANK = {code: rule.severity.rank for code, rule in CATALOGUE.items()}


def _scores(table: pd.DataFrame, findings: list[Finding], index: pd.Index) -> pd.DataFrame:
    data_rows = set(index.tolist())
    worst: dict[int, int] = {}
    codes: dict[int, list[str]] = {}
    for f in findings:
        if f.row in data_rows:  # a finding about a column sits on the header row: no partnership's
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
