"""Officers' values → typed values (SPEC §2.1): UK dates, money, yes/no, choices.

Each parser takes one cell value as read and returns the typed value, or ``BLANK`` when the
cell is empty, or ``UNPARSED`` when it holds something that does not parse — which the schema
reports on its cell (``schemas/register.json``'s ``not_parsed``), never a crash and never a silent
blank. Excel errors and unsaved formulas (``reader.ExcelError``/``NoCachedValue``) are neither: the
schema reports them too, and their value counts as unknown. This module decides no finding.
"""

from __future__ import annotations

import math
import re
from datetime import date, datetime, timedelta
from functools import lru_cache

import numpy as np
import pandas as pd

from .fields import BENEFIT_FIELDS, Field, choice_index, choice_key, council_choice_index
from .reader import ExcelError, NoCachedValue


class _Marker:
    __slots__ = ("name",)

    def __init__(self, name: str) -> None:
        self.name = name

    def __repr__(self) -> str:
        return self.name


BLANK = _Marker("BLANK")
UNPARSED = _Marker("UNPARSED")
UNKNOWN = _Marker("UNKNOWN")

#: Which finding an unparsed value of each kind gives.
YES = frozenset({"y", "yes", "true", "1", "x", "✓", "✔", "☑", "✅", "yes✓", "tick"})
NO = frozenset({"n", "no", "false", "0", "-", "–", "—", "✗", "✘", "×", "☐"})

_EXCEL_EPOCH = datetime(1899, 12, 30)  # serial 61 is 01/03/1900 (Excel counts a 29/02/1900 that never was)
_MAX_SERIAL = 2958465  # 31/12/9999
#: Whole numbers in this range in a date column are years an officer typed, not serials (2015 is not 07/07/1905).
_YEARS = range(1900, 2101)
#: No date, amount or score an officer types is longer than this; longer text is not parsed at all.
_MAX_TEXT = 200


def _pre(value: object) -> object:
    """Common handling: markers pass through as UNKNOWN, empty text as BLANK."""
    if isinstance(value, (ExcelError, NoCachedValue)):
        return UNKNOWN
    if isinstance(value, np.generic):  # numpy scalars from a frame built by pandas
        value = value.item()
    if value is None or value is pd.NA or value is pd.NaT:
        return BLANK
    if isinstance(value, str):
        s = value.strip()
        return s if s else BLANK
    if isinstance(value, float) and math.isnan(value):
        return BLANK
    return value


def _finite(v: int | float) -> object:
    """A number as a finite float, or UNPARSED (infinities, and integers too large for a float)."""
    try:
        f = float(v)
    except OverflowError:
        return UNPARSED
    return f if math.isfinite(f) else UNPARSED


def parse_text(value: object) -> object:
    """Any value as stripped text; whole floats lose their ``.0`` (ref 12.0 → "12")."""
    v = _pre(value)
    if v is BLANK or v is UNKNOWN:
        return v
    if isinstance(v, bool):
        return "Yes" if v else "No"
    if isinstance(v, float):
        if math.isinf(v):
            return str(v)
        return str(int(v)) if v.is_integer() else repr(v)
    if isinstance(v, datetime):
        return v.strftime("%d/%m/%Y") if v.time() == datetime.min.time() else v.strftime("%d/%m/%Y %H:%M")
    if isinstance(v, date):
        return v.strftime("%d/%m/%Y")
    return str(v)


#: Words a yes/no column's own heading invites: "Statutory / non-statutory" is answered "Statutory".
FIELD_YESNO = {
    "statutory": (frozenset({"statutory", "statutoryduty", "requiredbylaw"}),
                  frozenset({"nonstatutory", "notstatutory", "discretionary", "voluntary"})),
}


def parse_yesno(value: object, field: str | None = None) -> object:
    """Y/yes/TRUE/1/x/✓ → True; N/no/FALSE/0/- → False (plus the field's own words, e.g. Statutory)."""
    v = _pre(value)
    if v is BLANK or v is UNKNOWN:
        return v
    if isinstance(v, bool):
        return v
    if isinstance(v, (int, float)):
        return True if v == 1 else False if v == 0 else UNPARSED
    if isinstance(v, str):
        k = re.sub(r"[\s.!]+", "", v.lower())
        if k in YES:
            return True
        if k in NO:
            return False
        words = FIELD_YESNO.get(field or "")
        if words:
            key = choice_key(v)
            if key in words[0]:
                return True
            if key in words[1]:
                return False
    return UNPARSED


def parse_choice(field: str, value: object, index: dict[str, str] | None = None) -> object:
    """A typed choice → its canonical value (case, spacing, punctuation and synonyms ignored).

    ``index`` is the field's choice index with the council's own ``[choices.FIELD]`` words
    (:func:`partnership_xl.fields.council_choice_index`); the catalogue's alone when not given.
    """
    v = _pre(value)
    if v is BLANK or v is UNKNOWN:
        return v
    text = parse_text(v)
    if index is None:
        index = choice_index(field)
    found = index.get(choice_key(text))
    if found is None and "(" in text and len(text) <= _MAX_TEXT and _BRACKETED.search(text):  # "Executive (Cabinet 12/03/15)": the bracket is a remark
        found = index.get(choice_key(_BRACKETED.sub("", text)))
    return UNPARSED if found is None else found


_BRACKETED = re.compile(r"\s*\([^()]*\)\s*$")


_MONEY_SUFFIX = re.compile(
    r"(\+|plus|inc\.?|incl\.?|including|ex\.?|excl\.?|excluding|exc\.?)?\s*vat\b|"
    r"\bp\.?\s?a\.?$|\bper\s+(year|annum)$|\ba\s+year$|/\s*(yr|year|annum)$|\bpounds?$|\bgbp\b",
    re.I,
)
# Thousands separated by commas or spaces only in threes: "5,00" and "1,2,3" are not amounts.
_NUMBER = r"(?:\d{1,3}(?:,\d{3})+|\d{1,3}(?:[ \u00a0\u202f]\d{3})+|\d+)(?:\.\d+)?|\.\d+"
_MONEY = re.compile(rf"^(-)?\s*£?\s*(-)?\s*({_NUMBER})\s*(k|m|bn)?$", re.I)
_NIL = frozenset({"nil", "none", "-", "–", "—", "n/a", "na", "nothing", "zero", "£0", "£-", "£ -"})
#: A contribution made in kind is no direct contribution: 0 (the indirect contribution says what it is).
_IN_KIND = re.compile(r"^(?:in[\s-]*kind|officer\s+time)(?:\s+(?:only|contribution|support))?(?:\s*\(.*\))?\.?$")


def _numeric(value: object, from_text) -> object:
    """What money and scores share: markers pass, booleans are not numbers, text goes to ``from_text``."""
    v = _pre(value)
    if v is BLANK or v is UNKNOWN:
        return v
    if isinstance(v, bool):
        return UNPARSED
    if isinstance(v, (int, float)):
        return _finite(v)
    if isinstance(v, str):
        return from_text(v)
    return UNPARSED


def parse_money(value: object) -> object:
    """£ a year as a float: 5000, £5,000, £5,605 + VAT (5605), 5k, nil/none/- (0). Negatives kept (DQ004)."""
    return _numeric(value, _money_text)


@lru_cache(maxsize=4096)
def _money_text(text: str) -> object:
    s = re.sub(r"\s+", " ", text.strip().lower())
    if s in _NIL or s.rstrip(".") in _NIL or s.lstrip("£ ").rstrip(".") in _NIL:  # "Nil.", "£nil"
        return 0.0
    if s.startswith(("in", "officer")) and len(s) <= _MAX_TEXT and _IN_KIND.match(s):  # "In kind only"
        return 0.0
    if len(s) > _MAX_TEXT:
        return UNPARSED
    s = _MONEY_SUFFIX.sub("", s).strip()
    if s.startswith("(") and s.endswith(")"):  # accountants' negative
        s = "-" + s[1:-1].strip()
    m = _MONEY.match(s)
    if not m:
        return 0.0 if s in _NIL else UNPARSED
    number = re.sub(r"[,\s]", "", m.group(3))
    amount = float(number) * {None: 1, "k": 1e3, "m": 1e6, "bn": 1e9}[(m.group(4) or "").lower() or None]
    if not math.isfinite(amount):
        return UNPARSED
    return -amount if (m.group(1) or m.group(2)) else amount


def parse_score(value: object) -> object:
    """A 1..risk_scale likelihood or impact as a float (range and wholeness are the schema's to check)."""
    return _numeric(value, _score_text)


def _score_text(text: str) -> object:
    if len(text) > _MAX_TEXT:
        return UNPARSED
    m = re.match(r"^(\d+(?:\.\d+)?)(?:\s*(?:[-–:(/]|\s)\s*[a-z ()]*)?$", text.strip().lower())
    return float(m.group(1)) if m else UNPARSED


_DATE_FORMATS = (
    "%d/%m/%Y", "%d/%m/%y", "%d.%m.%Y", "%d.%m.%y", "%d-%m-%Y", "%d-%m-%y", "%d %m %Y",
    "%d-%b-%Y", "%d-%b-%y", "%d %b %Y", "%d %b %y", "%d %B %Y", "%d %B %y", "%d-%B-%Y", "%d/%b/%Y",
    "%Y-%m-%d", "%Y/%m/%d", "%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M:%S", "%d/%m/%Y %H:%M", "%d/%m/%Y %H:%M:%S",
    "%b %Y", "%B %Y", "%b-%Y", "%B-%Y", "%b %y", "%b-%y", "%m/%Y", "%m.%Y",
)


def parse_date(value: object) -> object:
    """A date as a pandas Timestamp: Excel dates, serials, and UK day-first text."""
    v = _pre(value)
    if v is BLANK or v is UNKNOWN:
        return v
    if isinstance(v, bool):
        return UNPARSED
    if isinstance(v, date):  # an Excel date (datetime too: the time of day is dropped)
        d = v.date() if isinstance(v, datetime) else v
        return pd.Timestamp(d) if d.year >= 1900 else UNPARSED  # as typed text: no register date is that old
    if isinstance(v, (int, float)):
        n = _finite(v)
        return UNPARSED if n is UNPARSED else _serial(n)
    if isinstance(v, str):
        return _date_text(v)
    return UNPARSED  # times, durations and anything else


def _date_cell(value: object) -> object:
    """:func:`parse_date` for a column: an Excel date (the common cell) is left for pandas to convert with the column."""
    if type(value) is date:
        return value if value.year >= 1900 else UNPARSED
    return parse_date(value)


def _serial(n: float) -> object:
    """An Excel serial (1 = 01/01/1900); the time of day is dropped."""
    if not math.isfinite(n) or n < 1 or n >= _MAX_SERIAL + 1:
        return UNPARSED
    days = int(n)
    if n.is_integer() and days in _YEARS:
        return UNPARSED
    if days == 60:  # Excel's 29/02/1900, a day that never was
        return UNPARSED
    if days < 60:
        return pd.Timestamp(_EXCEL_EPOCH + timedelta(days=days + 1))
    return pd.Timestamp(_EXCEL_EPOCH + timedelta(days=days))


@lru_cache(maxsize=8192)
def _date_text(text: str) -> object:
    if len(text) > _MAX_TEXT:
        return UNPARSED
    s = re.sub(r"\s+", " ", text.strip())
    s = re.sub(r"(?<=\d)(st|nd|rd|th)\b", "", s, flags=re.I)
    s = re.sub(r"\b([Ss])ept\b", r"\1ep", s)
    if re.fullmatch(r"\d{4,7}(\.0+)?", s):  # a serial typed as text
        return _serial(float(s))
    found = _one_date(s)
    if found is UNPARSED and " " in s:
        return _date_then_remark(s)
    return found


#: Where a remark may start after a date: "Sept 2024 – six-month reassessment", "12/03/2024 (Cabinet)".
_REMARK_START = re.compile(r"\s*(?:[-–—:;,(/]|\bby\b|\bat\b)|\s+[A-Za-z]")
#: A remark holding another date makes the cell ambiguous: "01/02/2024 - 03/04/2025" is not read.
_ANOTHER_DATE = re.compile(r"\d{1,4}[/.-]\d{1,2}|\b(?:19|20)\d\d\b")
_MAX_DATE_WORDS = 4  # "26 February 2015" is the longest date before a remark


def _date_then_remark(s: str) -> object:
    """A date followed by a remark: the longest run of leading words that is a date, if what
    follows starts like a remark and holds no other date (SPEC §2.1)."""
    words = s.split(" ")
    for n in range(min(len(words) - 1, _MAX_DATE_WORDS), 0, -1):
        head = " ".join(words[:n]).rstrip(",;:–—-(")
        rest = s[len(" ".join(words[:n])):]
        if not head or not _REMARK_START.match(rest) or _ANOTHER_DATE.search(rest):
            continue
        found = _one_date(head)
        if found is not UNPARSED:
            return found
    return UNPARSED


def _one_date(s: str) -> object:
    """One date written alone, in any of the forms officers type."""
    quick = _numeric_date(s)
    if quick is None:
        quick = _named_month_date(s)
    if quick is not None:
        return quick
    for fmt in _DATE_FORMATS:
        try:
            d = datetime.strptime(s, fmt)
        except ValueError:
            continue
        if "%y" in fmt:  # Excel's window: 00-29 → 2000s, 30-99 → 1900s
            yy = d.year % 100
            d = d.replace(year=(2000 if yy < 30 else 1900) + yy)
        if d.year < 1900:
            return UNPARSED
        return pd.Timestamp(d.date())
    return UNPARSED


# The all-digit forms officers type most (26/02/2015, 26.02.15, 2015-02-26), read the way the
# first of _DATE_FORMATS that fits them reads them (%d/%m/%Y, %d/%m/%y, %d.%m.%Y, %d.%m.%y,
# %d-%m-%Y, %d-%m-%y, %Y-%m-%d: the same digit patterns strptime uses), without trying the
# formats one by one. Anything else, or a day that does not exist, goes through the formats.
_DMY = re.compile(r"(3[01]|[12]\d|0[1-9]|[1-9])([/.-])(1[0-2]|0[1-9]|[1-9])\2(\d\d\d\d|\d\d)")
_YMD = re.compile(r"(\d\d\d\d)-(1[0-2]|0[1-9]|[1-9])-(3[01]|[12]\d|0[1-9]|[1-9])")


def _numeric_date(s: str) -> object:
    """A Timestamp (or UNPARSED before 1900) for an all-digit date; None to try the formats."""
    m = _DMY.fullmatch(s)
    if m:
        day, month, year = int(m.group(1)), int(m.group(3)), int(m.group(4))
        if len(m.group(4)) == 2:  # Excel's window, as for %y below
            year += 2000 if year < 30 else 1900
    else:
        m = _YMD.fullmatch(s)
        if not m:
            return None
        year, month, day = int(m.group(1)), int(m.group(2)), int(m.group(3))
    try:
        d = date(year, month, day)
    except ValueError:
        return None
    return UNPARSED if year < 1900 else pd.Timestamp(d)


# The day-month-year forms with the month in words (26-Feb-2015, 26 February 15, 26/Feb/2015), read
# as the first of _DATE_FORMATS that fits them reads them, without strptime (which builds its
# pattern again on every call): for each separator, the month forms and year lengths a format has.
_DAY_NAMED_MONTH = re.compile(r"(3[01]|[12]\d|0[1-9]|[1-9])([- /])([A-Za-z]+)\2(\d\d\d\d|\d\d)")
_NAMED_FORMS = {"-": {("b", 4), ("b", 2), ("B", 4)}, " ": {("b", 4), ("b", 2), ("B", 4), ("B", 2)}, "/": {("b", 4)}}
_MONTH_ABBR = {name.lower(): n for n, name in enumerate(("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"), 1)}
_MONTH_FULL = {name.lower(): n for n, name in enumerate(("January", "February", "March", "April", "May", "June", "July", "August",
                                                          "September", "October", "November", "December"), 1)}


def _named_month_date(s: str) -> object:
    """A Timestamp (or UNPARSED before 1900) for a day, a month in words and a year; None to try the formats."""
    m = _DAY_NAMED_MONTH.fullmatch(s)
    if not m:
        return None
    day, sep, word, digits = m.groups()
    word = word.lower()
    forms = _NAMED_FORMS[sep]
    month = None
    if word in _MONTH_ABBR and ("b", len(digits)) in forms:
        month = _MONTH_ABBR[word]
    elif word in _MONTH_FULL and ("B", len(digits)) in forms:
        month = _MONTH_FULL[word]
    if month is None:
        return None
    year = int(digits)
    if len(digits) == 2:  # Excel's window, as for %y in _one_date
        year += 2000 if year < 30 else 1900
    try:
        d = date(year, month, int(day))
    except ValueError:
        return None
    return UNPARSED if year < 1900 else pd.Timestamp(d)


def parse_benefits(value: object) -> object:
    """A list naming benefit categories → frozenset of canonical names, or UNPARSED if any item is unknown."""
    v = _pre(value)
    if v is BLANK or v is UNKNOWN:
        return v
    items = [i for i in re.split(r"[;,\n\r•]+|\s+and\s+", parse_text(v)) if i.strip()]
    index = choice_index("benefits")
    found: set[str] = set()
    unknown = False
    for item in items:
        canonical = index.get(choice_key(item))
        if canonical is None:
            canonical = _benefit_by_keyword(item)
        if canonical is None:
            unknown = True
        else:
            found.add(canonical)
    if unknown:
        return _Partial(frozenset(found))
    return frozenset(found)


class _Partial(frozenset):
    """Benefits list with at least one item that names no category: the named ones still count."""


_BENEFIT_WORDS = (
    ("fund", "External funding or investment"), ("invest", "External funding or investment"),
    ("saving", "Cashable savings or income"), ("income", "Cashable savings or income"), ("cashable", "Cashable savings or income"),
    ("quality", "Increased service quality"), ("speed", "Improved speed or throughput"), ("throughput", "Improved speed or throughput"),
    ("risk", "Risk mitigation"),
)


def _benefit_by_keyword(item: str) -> str | None:
    k = item.lower()
    hits = {name for word, name in _BENEFIT_WORDS if word in k}
    return hits.pop() if len(hits) == 1 else None


_EMAIL = re.compile(r"[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+")
_MAILTO = re.compile(r"^mailto:", re.I)


def parse_email(value: object) -> object:
    """One or more e-mail addresses (``;``, ``,`` or new lines between), as ``a@x.gov.uk; b@y.org``.

    ``mailto:`` links and ``Jane Smith <jane@x.gov.uk>`` keep just the address; anything else
    that is not an address is UNPARSED (DQ005).
    """
    v = _pre(value)
    if v is BLANK or v is UNKNOWN:
        return v
    if not isinstance(v, str) or len(v) > _MAX_TEXT * 5:
        return UNPARSED
    addresses = []
    for item in re.split(r"[;,\n\r]+", v):
        item = item.strip()
        if not item:
            continue
        named = re.fullmatch(r"[^<>@]*<([^<>]+)>", item)  # Jane Smith <jane@x.gov.uk>
        address = _MAILTO.sub("", named.group(1) if named else item).strip()
        if not _EMAIL.fullmatch(address):
            return UNPARSED
        addresses.append(address)
    return "; ".join(addresses) if addresses else BLANK


def parse_column(f: Field, values: pd.Series, choices: dict[str, str] | None = None) -> tuple[pd.Series, pd.Series, pd.Series]:
    """Parse one column: (typed values with NA for blank/unparsed/unknown, blank mask, unparsed mask).

    ``choices`` are the council's own words for a choice column (``[choices.FIELD]``).
    """
    fast = _parse_column_at_once(f, values)
    return fast if fast is not None else parse_cells(f, values, choices)


def parse_cells(f: Field, values: pd.Series, choices: dict[str, str] | None = None) -> tuple[pd.Series, pd.Series, pd.Series]:
    """:func:`parse_column` one cell at a time (what every column could be parsed with)."""
    index = council_choice_index(f.name, choices) if f.kind == "choice" else None
    parse = {
        "text": parse_text, "list": parse_text, "yesno": lambda v: parse_yesno(v, f.name), "money": parse_money,
        "score": parse_score, "date": _date_cell, "benefits": parse_benefits, "email": parse_email,
        "choice": lambda v: parse_choice(f.name, v, index),
    }[f.kind]
    parsed = [parse(v) for v in values]
    blank = pd.Series([p is BLANK for p in parsed], index=values.index, dtype=bool)
    if f.kind == "benefits":
        unparsed = pd.Series([isinstance(p, _Partial) for p in parsed], index=values.index, dtype=bool)
        typed = pd.Series([frozenset(p) if isinstance(p, frozenset) else frozenset() for p in parsed], index=values.index, dtype=object)
        return typed, blank, unparsed
    unparsed = pd.Series([p is UNPARSED for p in parsed], index=values.index, dtype=bool)
    clean = [None if isinstance(p, _Marker) else p for p in parsed]
    if f.kind == "date":
        typed = pd.Series(pd.to_datetime(pd.Series(clean, dtype=object), errors="coerce").array, index=values.index)
    elif f.kind in ("money", "score"):
        typed = pd.Series(clean, index=values.index, dtype="Float64")
    elif f.kind == "yesno":
        typed = pd.Series(clean, index=values.index, dtype="boolean")
    else:
        typed = pd.Series(clean, index=values.index, dtype=object)
    return typed, blank, unparsed


def _parse_column_at_once(f: Field, values: pd.Series) -> tuple[pd.Series, pd.Series, pd.Series] | None:
    """``parse_column`` for the two common columns pandas can parse whole: all text, or all Excel dates.

    The same answer as parsing cell by cell (tests hold the two to it); None for any other column.
    """
    if not len(values) or f.kind not in ("text", "list", "date"):
        return None
    arr = values.to_numpy(dtype=object)
    first = type(arr[0])
    if first not in (str, datetime) or not all(type(v) is first for v in arr):  # an ExcelError is a str, but not one of these
        return None
    if first is str and f.kind in ("text", "list"):
        stripped = values.str.strip().to_numpy(dtype=object)
        blank = stripped == ""
        typed = pd.Series(np.where(blank, None, stripped), index=values.index, dtype=object)
        return typed, pd.Series(blank, index=values.index, dtype=bool), pd.Series(False, index=values.index, dtype=bool)
    if first is datetime and f.kind == "date":
        try:
            stamps = pd.to_datetime(arr).normalize()  # the time of day is dropped
        except (ValueError, OverflowError):  # beyond what pandas holds (year 2263 on): cell by cell
            return None
        old = np.asarray(stamps.year < 1900)  # as typed text: no register date is that old
        typed = pd.Series(stamps.as_unit("s"), index=values.index).where(~old)  # the unit a date's own Timestamp has
        return typed, pd.Series(False, index=values.index, dtype=bool), pd.Series(old, index=values.index, dtype=bool)
    return None


def benefit_claims(table: pd.DataFrame) -> pd.DataFrame:
    """One boolean column per benefit field: claimed by its yes/no column or named in Benefits."""
    claims = {}
    listed = table["benefits"] if "benefits" in table else None
    for field_name, category in BENEFIT_FIELDS.items():
        claimed = pd.Series(False, index=table.index)
        if field_name in table:
            claimed |= table[field_name].fillna(False).astype(bool)
        if listed is not None:
            claimed |= listed.map(lambda s, c=category: c in s).astype(bool)
        claims[field_name] = claimed
    return pd.DataFrame(claims, index=table.index)
