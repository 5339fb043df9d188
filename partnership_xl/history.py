"""The run history: one CSV line per ``validate`` run, beside the outputs (issue 5).

The file, ``partnership-xl history.csv``, opens in Excel with a double-click (UTF-8 with a BOM,
comma-separated, dates Excel recognises). Each line says when the run was, the as-of date, which
register file it checked (name, size, SHA-256, so an unchanged register is plain to see) and the
counts by severity and RAG. The scrutiny report's Trend sheet reads it back with
:func:`read_history`.

The history never fails a run: if the file cannot be written (typically because it is open in
Excel) :func:`append_history` returns ``None`` and the caller prints a warning.
"""

from __future__ import annotations

import csv
import hashlib
import io
from datetime import datetime
from pathlib import Path

import pandas as pd

from .model import CheckResult

HISTORY_NAME = "partnership-xl history.csv"
#: The history's columns, in the order a new file gets them.
COLUMNS = ("run_at", "as_of", "register", "size", "sha256",
           "partnerships", "error", "warning", "info", "red", "amber", "green")
_COUNTS = ("size", "partnerships", "error", "warning", "info", "red", "amber", "green")
_CHUNK = 1 << 20


def history_row(result: CheckResult, run_at: datetime | None = None) -> dict[str, str | int]:
    """The history line of one check, as column → value."""
    path = result.register.path
    try:
        size: int | str = path.stat().st_size
        sha256 = file_sha256(path)
    except OSError:  # the register moved or went offline since it was read: record the run anyway
        size, sha256 = "", ""
    summary = result.summary()
    return {
        # Space, not "T": Excel reads "2026-11-25 09:30:00" as a date and time, the "T" form as text.
        "run_at": (run_at or datetime.now()).isoformat(sep=" ", timespec="seconds"),
        "as_of": result.as_of.isoformat(),
        "register": path.name,
        "size": size,
        "sha256": sha256,
        **{key: summary[key] for key in COLUMNS[5:]},
    }


def file_sha256(path: Path) -> str:
    """The SHA-256 of a file's bytes, read in chunks (registers on a network drive can be large)."""
    digest = hashlib.sha256()
    with path.open("rb") as f:
        while chunk := f.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def append_history(result: CheckResult, folder: Path) -> Path | None:
    """Append one line for ``result`` to ``folder/partnership-xl history.csv``; return its path.

    A new file gets the header row and a BOM. A hand-edited file keeps its own column order if it
    still has every column. Returns ``None`` when the file cannot be written (open in Excel, folder
    read-only or offline): the run must not fail for its history, so the caller warns instead.
    """
    path = Path(folder) / HISTORY_NAME
    row = history_row(result)
    try:
        existing = path.read_bytes() if path.exists() else b""
        header, delimiter, encoding = _existing_format(existing)
        # Keep a hand-edited file's own column order (and extra columns) while it has all of ours.
        fieldnames = header if header and set(COLUMNS) <= set(header) else list(COLUMNS)
        buffer = io.StringIO(newline="")
        writer = csv.DictWriter(buffer, fieldnames=fieldnames, delimiter=delimiter, restval="", extrasaction="ignore")
        if header is None:
            writer.writeheader()
        writer.writerow(row)
        text = buffer.getvalue()
        if existing.strip() and not existing.endswith((b"\n", b"\r")):
            text = "\r\n" + text  # a hand edit left no line end: do not glue this line onto the last
        with path.open("a", encoding=encoding, errors="replace", newline="") as f:
            f.write(text)
    except OSError:  # PermissionError when Excel has it open; anything else about the file
        return None
    return path


def _existing_format(data: bytes) -> tuple[list[str] | None, str, str]:
    """Header (None for a new or empty file), delimiter and encoding to append with."""
    if not data.strip():
        return None, ",", "utf-8" if data.startswith(b"\xef\xbb\xbf") else "utf-8-sig"  # one BOM only
    try:
        data.decode("utf-8")
        encoding = "utf-8"
    except UnicodeDecodeError:  # re-saved by Excel as "CSV (Comma delimited)": Windows-1252
        encoding = "cp1252"
    first = _decode(data).splitlines()[0]
    delimiter = _delimiter(first)
    return [_column_key(c) for c in next(csv.reader([first], delimiter=delimiter))], delimiter, encoding


def read_history(path: Path) -> pd.DataFrame:
    """The run history as a DataFrame, oldest line first.

    Always has the :data:`COLUMNS` (a missing file gives an empty frame), then any columns added
    by hand. ``run_at`` and ``as_of`` are datetimes (ISO, or day-first as Excel re-saves them),
    the counts nullable integers; unreadable values become missing, blank lines are dropped.
    """
    path = Path(path)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        data = b""
    text = _decode(data)
    if not text.strip():
        return _typed(pd.DataFrame(columns=list(COLUMNS), dtype="object"))
    first = text.splitlines()[0]
    frame = pd.read_csv(io.StringIO(text), sep=_delimiter(first), dtype=str, keep_default_na=False,
                        skip_blank_lines=True, on_bad_lines="skip", engine="python")
    frame.columns = [_column_key(c) for c in frame.columns]
    frame = frame.loc[:, ~frame.columns.duplicated()]
    for column in COLUMNS:
        if column not in frame.columns:
            frame[column] = ""
    frame = frame[list(COLUMNS) + [c for c in frame.columns if c not in COLUMNS]]
    if len(frame):  # on no rows apply() gives a frame, not a mask, and indexing by it drops every column
        frame = frame[frame.apply(lambda r: any(str(v).strip() for v in r), axis=1)]
    return _typed(frame.reset_index(drop=True))


def _typed(frame: pd.DataFrame) -> pd.DataFrame:
    frame = frame.copy()
    for column in ("run_at", "as_of"):
        frame[column] = _dates(frame[column].astype("object").map(_text))
    for column in _COUNTS:
        cleaned = frame[column].astype("object").map(lambda v: (_text(v) or "").replace(",", ""))
        frame[column] = pd.to_numeric(cleaned, errors="coerce").round().astype("Int64")
    for column in ("register", "sha256"):
        frame[column] = frame[column].astype("object").map(_text).astype("string")
    return frame


def _dates(values: pd.Series) -> pd.Series:
    # ISO first (what append_history writes): dayfirst=True would turn 2026-01-02 into 1 February.
    iso = pd.to_datetime(values, format="ISO8601", errors="coerce")
    uk = pd.to_datetime(values.where(iso.isna()), format="mixed", dayfirst=True, errors="coerce")
    return iso.fillna(uk).astype("datetime64[s]")


def _text(value: object) -> str | None:
    text = "" if value is None or (isinstance(value, float) and pd.isna(value)) else str(value).strip()
    return text or None


def _decode(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:  # re-saved by Excel as "CSV (Comma delimited)": Windows-1252
        return data.decode("cp1252", errors="replace")


def _delimiter(header_line: str) -> str:
    # Excel in some locales re-saves CSV with semicolons.
    return ";" if header_line.count(";") > header_line.count(",") else ","


def _column_key(name: object) -> str:
    return "_".join(str(name).strip().lower().replace("-", " ").split())
