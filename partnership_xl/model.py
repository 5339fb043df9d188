"""The two objects that flow between the layers: a read Register and a CheckResult.

``workbook → Register → CheckResult (findings + scores) → writers``. Writers receive a
CheckResult and never decide what is wrong; rules receive typed columns and never open a file.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from itertools import chain, compress, repeat
from operator import attrgetter, itemgetter, not_
from pathlib import Path

import pandas as pd

from .config import Settings
from .findings import CATALOGUE, Finding, Severity

#: Headers of the columns the annotated copy adds; the reader recognises and ignores them.
TOOL_COLUMN_SUFFIX = " (partnership-xl)"
TOOL_COLUMNS = ("Risk score", "Opportunity score", "Risk band", "RAG", "Findings")


def tool_header(name: str) -> str:
    """The header text of one of the tool's added columns, e.g. ``Risk score (partnership-xl)``."""
    return name + TOOL_COLUMN_SUFFIX


@dataclass
class Register:
    """The register as read: where it is, and every value with its Excel row and column.

    ``raw`` has one row per partnership, indexed by Excel row number, one column per field found
    (named by field), holding the cell values as read (str, float, bool, date/datetime, or
    ``ExcelError``/``NoCachedValue`` markers from :mod:`partnership_xl.reader`). ``columns`` maps
    each field to its 1-based Excel column.
    """

    path: Path
    sheet: str
    header_row: int
    columns: dict[str, int]
    headers: dict[int, str]
    unknown: dict[int, str]
    duplicate_columns: dict[int, str]
    tool_columns: list[int]
    raw: pd.DataFrame
    skipped_rows: list[int]
    last_column: int
    kind: str = "xlsx"
    sheet_names: list[str] = field(default_factory=list)
    lock_owner: str | None = None
    # Cells of the data rows in columns no field maps to (for DQ007/DQ008 there): (row, col) → marker
    other_cells: dict[tuple[int, int], object] = field(default_factory=dict)
    # Large parts the reader unpacked whole (a sheet formatted to row 1,048,576): member → bytes, for the annotated copy
    unpacked: dict[str, bytes] = field(default_factory=dict, repr=False)
    # Unrecognised headings that clearly mean a field (DQ009 says so): column → suggest.Suggestion
    suggestions: dict[int, object] = field(default_factory=dict)


@dataclass
class CheckResult:
    """Everything one check produced: the typed table, scores per partnership and the findings.

    ``table`` and ``scores`` are indexed by Excel row. ``scores`` has the columns ``ref``,
    ``name``, ``risk_score``, ``risk_band``, ``opp_score``, ``opp_band``, ``benefit_count``,
    ``significant``, ``lead_officer``, ``service_area``, ``rag`` (Red/Amber/Green) and ``codes``
    (the row's finding codes, comma-separated). ``not_checked`` maps a rule code to why it was skipped.
    """

    register: Register
    settings: Settings
    as_of: date
    table: pd.DataFrame
    scores: pd.DataFrame
    findings: list[Finding]
    not_checked: dict[str, str]

    @property
    def counts(self) -> Counter:
        """Findings by severity value ('error', 'warning', 'info')."""
        c = Counter()
        for code, n in Counter(map(attrgetter("code"), self.findings)).items():  # counted by code in C, then by severity
            c[CATALOGUE[code].severity.value] += n
        return Counter({s.value: c.get(s.value, 0) for s in Severity})

    @property
    def exit_code(self) -> int:
        """0 with no error findings, 1 with any (SPEC §6)."""
        return 1 if self.counts["error"] else 0

    def summary(self) -> dict:
        """The ``summary`` object of the findings JSON."""
        rag = Counter(self.scores["rag"]) if len(self.scores) else Counter()
        c = self.counts
        return {
            "partnerships": int(len(self.scores)),
            "error": c["error"],
            "warning": c["warning"],
            "info": c["info"],
            "red": rag.get("Red", 0),
            "amber": rag.get("Amber", 0),
            "green": rag.get("Green", 0),
            "not_checked": sorted(self.not_checked),
        }

    def as_json(self) -> dict:
        """The findings JSON of SPEC §6."""
        return {**self._json_head(), "findings": finding_dicts(self.findings, self.column_heading)}

    def _json_head(self) -> dict:
        return {
            "register": self.register.path.name,
            "sheet": self.register.sheet,
            "as_of": self.as_of.isoformat(),
            "summary": self.summary(),
        }

    def matrix_bands(self) -> dict[tuple[int, int], str]:
        """The band of every (likelihood, impact) cell of the settings' matrix, as the check bands a score."""
        from .scoring import matrix_bands

        return matrix_bands(self.settings)

    def json_text(self) -> str:
        """The findings JSON of SPEC §6 as the text ``--json`` writes (UTF-8, indented): exactly
        ``json.dumps(self.as_json(), ensure_ascii=False, indent=2)``, made faster.

        With an indent, json.dumps encodes in Python, value by value (over a second for 100,000
        findings); here :func:`findings_json` writes the findings array in C loops, and json.dumps
        the few lines before it.
        """
        import json

        head = json.dumps({**self._json_head(), "findings": []}, ensure_ascii=False, indent=2)
        findings = findings_json(self.findings, self.column_heading, level=1)
        tail = '\n  "findings": []\n}'
        if findings is None or not head.endswith(tail):  # a value json.dumps writes its own way (never from the engine)
            return json.dumps(self.as_json(), ensure_ascii=False, indent=2)
        return f'{head[:-len(tail)]}\n  "findings": {findings}\n}}'

    def flatten(self) -> list[tuple[int, str]]:
        """Every finding as ``(Excel row, code)``, sorted: ``[(5, "PP301"), (7, "DQ003")]``."""
        return sorted((f.row, f.code) for f in self.findings)

    def column_heading(self, f: Finding) -> str:
        """The officer's own heading of the column a finding is about ("" when there is none).

        A finding on a field uses that field's heading as the register has it (``Likelihood``,
        not ``risk_likelihood``); one on a column no field maps to (DQ009, DQ007 there) uses the
        heading above its cell; a finding about a missing column (DQ001) has none.
        """
        reg = self.register
        if f.field:
            col = reg.columns.get(f.field)
            return reg.headers.get(col, "") if col is not None else ""
        letters = f.cell.rstrip("0123456789")
        col = 0
        for ch in letters:
            col = col * 26 + ord(ch.upper()) - 64
        return reg.headers.get(col, reg.unknown.get(col, ""))

    def finding_context(self, f: Finding) -> dict:
        """Who and what a finding is about, for the Findings sheets and the reminders.

        ``{"ref", "name", "lead_officer", "service_area", "column"}``: the partnership's ref, name,
        lead officer and service area as the register has them (None when blank or when the
        finding is about the sheet, not a row) and :meth:`column_heading`.
        """
        scores = self.scores
        out = {"ref": f.ref, "name": None, "lead_officer": None, "service_area": None, "column": self.column_heading(f)}
        if f.row in scores.index:
            for key in ("name", "lead_officer", "service_area"):
                if key in scores.columns:
                    value = scores.at[f.row, key]
                    out[key] = None if value is None or (not isinstance(value, str) and pd.isna(value)) else value
        return out


#: The keys of a finding in the findings JSON, in order (as :func:`finding_dicts` writes them).
FINDING_KEYS = ("code", "severity", "ref", "sheet", "cell", "row", "field", "column", "message", "policy")


def finding_dicts(findings: list[Finding], heading=None) -> list[dict]:
    """The ``findings`` array of the findings JSON (SPEC §6): the one place a finding becomes JSON
    (:func:`findings_json` writes the same as text).

    ``heading(f)`` gives each finding's ``column`` (the officer's own heading; "" without it).
    """
    per_code = {code: (rule.severity.value, rule.policy) for code, rule in CATALOGUE.items()}
    out = []
    for f in findings:
        severity, policy = per_code[f.code]
        out.append({"code": f.code, "severity": severity, "ref": f.ref, "sheet": f.sheet, "cell": f.cell,
                    "row": f.row, "field": f.field, "column": heading(f) if heading else "", "message": f.message, "policy": policy})
    return out


def findings_json(findings: list[Finding], heading=None, level: int = 0) -> str | None:
    """:func:`finding_dicts` as ``json.dumps(..., ensure_ascii=False, indent=2)`` writes it, nested
    ``level`` deep, or None when a value is not a text (the row: an int), which json.dumps would
    write its own way.

    Every step is a C loop over the findings (no Python line runs once a finding): the texts are
    escaped by json's own C encoder, then joined with the keys between them in one go. ``heading``
    is asked once per field (a finding on a field has that field's heading) and once per column
    letters of the findings on no field.
    """
    from json.encoder import encode_basestring as text

    if not findings:
        return "[]"
    pad = "  " * (level + 1)
    codes = list(map(attrgetter("code"), findings))
    fields = list(map(attrgetter("field"), findings))
    rows = list(map(attrgetter("row"), findings))
    if set(map(type, rows)) != {int}:
        return None
    try:
        per_code = {code: (text(code), text(CATALOGUE[code].severity.value), text(CATALOGUE[code].policy)) for code in set(codes)}
        by_field = {field: text(heading(f) if heading else "") for field, f in dict(zip(fields, findings, strict=True)).items() if field}
        columns = list(map(by_field.get, fields))
        by_letters: dict[str, str] = {}
        for i in compress(range(len(fields)), map(not_, fields)):  # the few on no field: by column letters
            f = findings[i]
            letters = f.cell.rstrip("0123456789")
            if letters not in by_letters:
                by_letters[letters] = text(heading(f) if heading else "")
            columns[i] = by_letters[letters]
        values = (
            map(itemgetter(0), map(per_code.__getitem__, codes)),
            map(itemgetter(1), map(per_code.__getitem__, codes)),
            map(text, map(attrgetter("ref"), findings)),
            map(text, map(attrgetter("sheet"), findings)),
            map(text, map(attrgetter("cell"), findings)),
            map(int.__repr__, rows),
            map(text, fields),
            columns,
            map(text, map(attrgetter("message"), findings)),
            map(itemgetter(2), map(per_code.__getitem__, codes)),
        )
        # Before each value its key: the first key opens the finding ("{"), after the first finding
        # closing the one before ("},"); the last "}" closes the array's last finding.
        opening = f'{pad}{{\n{pad}  "{FINDING_KEYS[0]}": '
        keys = [chain([opening], repeat(f"\n{pad}}},\n{opening}"))]
        keys += [repeat(f',\n{pad}  "{key}": ') for key in FINDING_KEYS[1:]]
        pieces = chain.from_iterable(zip(*chain.from_iterable(zip(keys, values, strict=True)), strict=False))  # the keys repeat without end
        return "".join(chain(["[\n"], pieces, [f"\n{pad}}}\n{'  ' * level}]"]))
    except TypeError:  # a value that is not a text
        return None
