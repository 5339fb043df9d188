"""The normaliser (SPEC §2.1): every form officers really type parses; nothing else crashes or goes blank.

Table-driven tests pin the forms the spec lists; property-based tests (hypothesis) feed every
parser values of every type and check that each result is a marker or the right type, that the
listed forms round-trip, and, end to end, that an unparseable cell is a DQ003/DQ004/DQ005 finding
on exactly that cell.
"""

from __future__ import annotations

import math
import re
import tempfile
from datetime import date, datetime, time, timedelta
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from partnership_xl.config import Settings
from partnership_xl.engine import check
from partnership_xl.fields import BENEFIT_FIELDS, fields_by_name
from partnership_xl.normalise import (
    BLANK,
    UNKNOWN,
    UNPARSED,
    parse_benefits,
    parse_choice,
    parse_column,
    parse_date,
    parse_money,
    parse_score,
    parse_text,
    parse_yesno,
)
from partnership_xl.reader import EXCEL_ERRORS, NO_CACHED_VALUE, ExcelError
from partnership_xl.schema import NOT_PARSED as UNPARSED_CODE
from partnership_xl.schemafiles import load_schema
from partnership_xl.workbook.sheet import column_letters as column_letter

from .conftest import AS_OF, CLEAN, HEADER_OF, row, write_register

TS = pd.Timestamp
MARKERS = (BLANK, UNPARSED, UNKNOWN)
CHOICE_FIELDS = ("arrangement", "approved_by", "status", "exit_reason", "exit_decided_by", "council_role", "benefit_kind")


def is_marker(v: object) -> bool:
    return any(v is m for m in MARKERS)


# --- yes / no ------------------------------------------------------------------------------------

YES = ["Y", "y", "yes", "Yes", "YES", " yes ", "Yes.", "TRUE", "True", "true", "1", "x", "X", "✓", "✔", True, 1, 1.0]
NO = ["N", "n", "no", "No", "NO", " no ", "FALSE", "False", "false", "0", "-", "–", False, 0, 0.0, -0.0]
BLANKS = [None, "", " ", "   ", "\n", "\t \r\n", float("nan")]
NOT_YESNO = ["maybe", "Y/N", "yes and no", "TBC", "n/a?", "2", 2, 0.5, -1, 1.5, float("inf"), date(2015, 1, 1), time(12, 0), "✓✓x"]


@pytest.mark.parametrize("value", YES, ids=repr)
def test_yes_forms(value):
    assert parse_yesno(value) is True


@pytest.mark.parametrize("value", NO, ids=repr)
def test_no_forms(value):
    assert parse_yesno(value) is False


@pytest.mark.parametrize("value", BLANKS, ids=repr)
def test_blank_is_blank_not_no(value):
    for parse in (parse_yesno, parse_money, parse_score, parse_date, parse_text, parse_benefits, lambda v: parse_choice("status", v)):
        assert parse(value) is BLANK


@pytest.mark.parametrize("value", NOT_YESNO, ids=repr)
def test_not_yes_or_no_is_unparsed(value):
    assert parse_yesno(value) is UNPARSED


@pytest.mark.parametrize(("value", "expected"), [("Statutory", True), ("statutory duty", True), ("Non-statutory", False),
                                                 ("non statutory", False), ("Discretionary", False), ("Yes", True)])
def test_the_statutory_column_takes_its_own_heading_words(value, expected):
    # "Statutory / non-statutory" is an alias of the column: its answers are the two words
    assert parse_yesno(value, "statutory") is expected
    assert parse_column(fields_by_name()["statutory"], pd.Series([value], dtype=object))[0].iloc[0] == expected


@pytest.mark.parametrize("value", ["Statutory", "Non-statutory"])
def test_statutory_words_are_not_yes_or_no_elsewhere(value):
    assert parse_yesno(value) is UNPARSED
    assert parse_yesno(value, "budgeted") is UNPARSED


@pytest.mark.parametrize("value", [ExcelError("#REF!"), ExcelError("#N/A"), NO_CACHED_VALUE], ids=repr)
def test_excel_errors_and_unsaved_formulas_are_unknown(value):
    for parse in (parse_yesno, parse_money, parse_score, parse_date, parse_text, parse_benefits, lambda v: parse_choice("status", v)):
        assert parse(value) is UNKNOWN


# --- money ---------------------------------------------------------------------------------------

MONEY = [
    ("5000", 5000), (5000, 5000), (5000.0, 5000), (1234.56, 1234.56), ("£5,000", 5000), ("£5000", 5000), ("5,000", 5000),
    ("£5,605 + VAT", 5605), ("£5,605+VAT", 5605), ("£5,605 plus VAT", 5605), ("£5,605 inc VAT", 5605), ("£5,605 ex VAT", 5605),
    ("5k", 5000), ("5K", 5000), ("£5k", 5000), ("£2.5k", 2500), ("nil", 0), ("Nil", 0), ("NIL", 0), ("none", 0), ("None", 0),
    ("-", 0), ("£0", 0), ("0", 0), (0, 0), ("£1.2m", 1_200_000), ("£1.2M", 1_200_000), ("1m", 1_000_000), ("£1,250,000", 1_250_000),
    ("£5,000.50", 5000.5), ("£5,000 pa", 5000), ("£5,000 p.a.", 5000), ("£5,000 per annum", 5000), ("£5,000 a year", 5000),
    ("£ 5 000", 5000), ("  £5,000  ", 5000), (".5k", 500), ("Nil.", 0), ("£nil", 0), ("None.", 0),
    # negatives are kept, so the schema can say so (DQ004)
    ("-500", -500), ("-£500", -500), ("£-500", -500), ("(500)", -500), ("(£5,000)", -5000), (-250.0, -250), (-3, -3),
]
NOT_MONEY = [
    "£5,000-£10,000", "£5k-£10k", "soon", "TBC", "maybe", "about £5k", "5,00", "1,2,3", "£5,000 10,000", "1e5", "inf", "nan",
    "five thousand", "£", "£5,000 + £1,000", True, False, float("inf"), float("-inf"), 10**400, -(10**400),
    date(2015, 1, 1), datetime(2015, 1, 1, 9, 0), time(9, 0), timedelta(days=1), "9" * 5000,
]


@pytest.mark.parametrize(("value", "expected"), MONEY, ids=repr)
def test_money_forms(value, expected):
    got = parse_money(value)
    assert isinstance(got, float)
    assert got == pytest.approx(expected)


@pytest.mark.parametrize("value", NOT_MONEY, ids=lambda v: repr(v)[:30])
def test_not_money_is_unparsed(value):
    assert parse_money(value) is UNPARSED


# --- 1..5 scores ---------------------------------------------------------------------------------

SCORES = [("3", 3), (3, 3), (3.0, 3), ("3 - Medium", 3), ("4 (High)", 4), ("5: very high", 5), (" 2 ", 2), ("1 – low", 1),
          ("7", 7), (0, 0), (2.5, 2.5)]  # range and wholeness are the schema's to check (DQ004)
NOT_SCORES = ["High", "three", "3-5", "3/5", "3 out of 5", True, float("inf"), date(2015, 1, 1), "x" * 1000]


@pytest.mark.parametrize("value", NOT_SCORES, ids=lambda v: repr(v)[:30])
def test_not_a_score(value):
    assert parse_score(value) is UNPARSED


# --- dates ---------------------------------------------------------------------------------------

FEB26 = TS(2015, 2, 26)
DATES = [
    (date(2015, 2, 26), FEB26), (datetime(2015, 2, 26, 13, 45), FEB26), (TS(2015, 2, 26, 9), FEB26),
    (42061, FEB26), (42061.0, FEB26), (42061.75, FEB26), ("42061", FEB26), (np.int64(42061), FEB26),
    ("26/02/2015", FEB26), ("26/2/2015", FEB26), ("26/02/15", FEB26), ("26.02.15", FEB26), ("26.02.2015", FEB26),
    ("26-02-2015", FEB26), ("26-Feb-2015", FEB26), ("26-feb-15", FEB26), ("26 Feb 2015", FEB26), ("26 February 2015", FEB26),
    ("26th February 2015", FEB26), ("2015-02-26", FEB26), ("2015/02/26", FEB26), ("2015-02-26 00:00:00", FEB26),
    ("  26/02/2015 ", FEB26), ("26/02/2015 14:30", FEB26),
    ("Feb 2015", TS(2015, 2, 1)), ("February 2015", TS(2015, 2, 1)), ("Sept 2015", TS(2015, 9, 1)), ("feb-15", TS(2015, 2, 1)),
    # always day first (UK)
    ("01/02/2015", TS(2015, 2, 1)), ("12/01/2015", TS(2015, 1, 12)), ("02.01.15", TS(2015, 1, 2)), ("29/02/2016", TS(2016, 2, 29)),
    # Excel's two-digit-year window
    ("01/01/29", TS(2029, 1, 1)), ("01/01/30", TS(1930, 1, 1)),
    # Excel's serials, with its 1900 leap-year bug (serial 60 is a 29/02/1900 that never was)
    (1, TS(1900, 1, 1)), (59, TS(1900, 2, 28)), (61, TS(1900, 3, 1)), (2958465, TS(9999, 12, 31)), (date(9999, 12, 31), TS(9999, 12, 31)),
]
NOT_DATES = [
    "31/02/2015", "29/02/2015", "2015-02-30", "13/13/2015", "32/01/2015", "soon", "TBC", "Q1 2015", "26/02", "next year",
    "31/12/1899", date(1899, 12, 31), date(1, 1, 1), datetime(1850, 6, 1),
    0, -1, -42061, 60, 2958466, 10**12, 10**400, float("inf"), float("-inf"), True, False,
    "2015", 2015, 2015.0, 1900, 2100,  # a year typed on its own is not the 1905 date its serial would be
    time(12, 0), timedelta(days=3), "x" * 32767, "26/02/2015" * 3,
]


@pytest.mark.parametrize(("value", "expected"), DATES, ids=repr)
def test_date_forms(value, expected):
    got = parse_date(value)
    assert isinstance(got, pd.Timestamp)
    assert got == expected


@pytest.mark.parametrize("value", NOT_DATES, ids=lambda v: repr(v)[:30])
def test_not_a_date_is_unparsed(value):
    assert parse_date(value) is UNPARSED


def test_a_year_after_the_serial_window_is_still_a_serial():
    assert parse_date(2101) == TS(1905, 10, 1)
    assert parse_date(42061.5) == FEB26


# --- choices -------------------------------------------------------------------------------------

CHOICES = [
    ("arrangement", "partnership", "Partnership"), ("arrangement", "  SHARED   service ", "Shared service"),
    ("arrangement", "Shared-service", "Shared service"), ("arrangement", "Joint Committee.", "Joint committee"),
    ("arrangement", "SLA", "Contract or outsourced service"), ("arrangement", "s.l.a.", "Contract or outsourced service"),
    ("arrangement", "Contract", "Contract or outsourced service"), ("arrangement", "Commissioned service", "Contract or outsourced service"),
    ("arrangement", "Outside body", "External or governing body"), ("arrangement", "OUTSIDE-BODY", "External or governing body"),
    ("arrangement", "Governing body", "External or governing body"), ("arrangement", "Network", "Officer network or forum"),
    ("arrangement", "officer group", "Officer network or forum"), ("arrangement", "Consultation Group", "Consultation group"),
    ("approved_by", "cabinet", "Executive"), ("approved_by", "Cabinet", "Executive"), ("approved_by", "EXECUTIVE", "Executive"),
    ("approved_by", "CMT", "Corporate Management Team"), ("approved_by", "c.m.t.", "Corporate Management Team"),
    ("approved_by", "corporate management team", "Corporate Management Team"), ("approved_by", "Portfolio holder", "Portfolio Holder"),
    ("approved_by", "Full Council", "Council"), ("approved_by", "not required", "Not required"), ("approved_by", "Not-Required", "Not required"),
    ("status", "ACTIVE", "Active"), ("status", " active ", "Active"), ("status", "under-review", "Under review"),
    ("status", "Under Review", "Under review"), ("status", "closed.", "Closed"), ("status", "Proposed", "Proposed"),
    ("exit_reason", "time limited", "Time limited or superseded"), ("exit_reason", "Superseded", "Time limited or superseded"),
    ("exit_reason", "outcomes achieved", "Outcomes achieved"), ("exit_decided_by", "cmt", "Corporate Management Team"),
    ("exit_decided_by", "Cabinet", "Executive"), ("council_role", "Accountable body", "Lead or accountable body"),
    ("council_role", "lead", "Lead or accountable body"), ("benefit_kind", "hard", "Hard"), ("benefit_kind", "Hard and soft", "Both"),
    # officers' own spellings: a slash for "or", a bracketed remark after the choice, N/A for no approval needed
    ("council_role", "Lead / accountable body", "Lead or accountable body"), ("council_role", "Lead/Accountable body", "Lead or accountable body"),
    ("approved_by", "Executive (Cabinet 12/03/15)", "Executive"), ("approved_by", "Portfolio holder (Cllr Smith)", "Portfolio Holder"),
    ("approved_by", "N/A", "Not required"), ("exit_reason", "Funding ceased", "External funding ceased"),
    ("exit_reason", "Outcomes met", "Outcomes achieved"),
]
NOT_CHOICES = [
    ("status", "maybe"), ("status", "Activ"), ("status", "Active?? maybe"), ("status", "-"), ("status", True), ("status", 3.0),
    ("status", date(2015, 1, 1)), ("arrangement", "Partnership / contract"), ("approved_by", "Mayor"), ("approved_by", "Yes"),
    ("exit_decided_by", "Portfolio Holder"), ("exit_decided_by", "Not required"), ("council_role", "x" * 32767),
    ("approved_by", "Mayor (Cabinet)"), ("exit_decided_by", "Portfolio Holder (CMT noted)"),
]


@pytest.mark.parametrize(("field", "value", "expected"), CHOICES, ids=repr)
def test_choice_forms(field, value, expected):
    assert parse_choice(field, value) == expected


@pytest.mark.parametrize(("field", "value"), NOT_CHOICES, ids=lambda v: repr(v)[:30])
def test_not_an_allowed_choice_is_unparsed(field, value):
    assert parse_choice(field, value) is UNPARSED


# --- text and benefits ---------------------------------------------------------------------------

TEXT = [(12.0, "12"), (12.5, "12.5"), (12, "12"), ("  P001 ", "P001"), (True, "Yes"), (False, "No"),
        (date(2015, 2, 26), "26/02/2015"), (datetime(2015, 2, 26, 9, 30), "26/02/2015 09:30"), (float("inf"), "inf")]


@pytest.mark.parametrize(("value", "expected"), TEXT, ids=repr)
def test_text(value, expected):
    assert parse_text(value) == expected


@pytest.mark.parametrize(("value", "expected"), [
    ("External funding; Savings", {"External funding or investment", "Cashable savings or income"}),
    ("Quality, Speed and Risk", {"Increased service quality", "Improved speed or throughput", "Risk mitigation"}),
    ("Funding\nRisk mitigation", {"External funding or investment", "Risk mitigation"}),
    ("cashable savings/ income", {"Cashable savings or income"}),
])
def test_benefit_lists(value, expected):
    got = parse_benefits(value)
    assert got == frozenset(expected)
    assert type(got) is frozenset  # not partial


def test_benefit_list_with_an_unknown_item_keeps_the_known_ones_and_is_unparsed():
    f = fields_by_name()["benefits"]
    typed, blank, unparsed = parse_column(f, pd.Series(["Funding; world peace", "Risk", ""], index=[2, 3, 4], dtype=object))
    assert list(unparsed) == [True, False, False]
    assert list(blank) == [False, False, True]
    assert typed[2] == frozenset({"External funding or investment"})


@pytest.mark.parametrize(("kind", "field", "values", "typed", "blank", "unparsed"), [
    ("yesno", "budgeted", ["Y", "maybe", "", ExcelError("#N/A"), "no"], [True, None, None, None, False], [0, 0, 1, 0, 0], [0, 1, 0, 0, 0]),
    ("money", "direct_contribution", ["£5k", "soon", None, NO_CACHED_VALUE, -3], [5000, None, None, None, -3], [0, 0, 1, 0, 0], [0, 1, 0, 0, 0]),
    ("date", "last_review", ["26/02/2015", "31/02/2015", " ", ExcelError("#REF!"), 42061], [FEB26, None, None, None, FEB26], [0, 0, 1, 0, 0], [0, 1, 0, 0, 0]),
    ("choice", "status", ["active", "nope", "", NO_CACHED_VALUE, "Closed"], ["Active", None, None, None, "Closed"], [0, 0, 1, 0, 0], [0, 1, 0, 0, 0]),
])
def test_parse_column_masks(kind, field, values, typed, blank, unparsed):
    f = fields_by_name()[field]
    assert f.kind == kind
    index = pd.Index(range(7, 7 + len(values)), name="row")
    got, got_blank, got_unparsed = parse_column(f, pd.Series(values, index=index, dtype=object))
    assert list(got.index) == list(index)
    assert [None if pd.isna(v) else v for v in got] == typed
    assert list(got_blank) == [bool(b) for b in blank]
    assert list(got_unparsed) == [bool(u) for u in unparsed]


# --- property-based: any value, any parser ------------------------------------------------------

def _legal(s: str) -> str:
    return ILLEGAL_CHARACTERS_RE.sub("", s)


def _repeat(piece: str, n: int) -> str:
    return (piece * (n // max(len(piece), 1) + 1))[:n] if piece else ""


OFFICER_FORMS = [str(v) for v in YES + NO] + [v for v, _ in MONEY if isinstance(v, str)] + [v for v in NOT_MONEY if isinstance(v, str)] \
    + [v for v, _ in DATES if isinstance(v, str)] + [v for v in NOT_DATES if isinstance(v, str) and len(v) < 100] \
    + [v for _, v, _ in CHOICES] + [v for _, v in NOT_CHOICES if isinstance(v, str) and len(v) < 100] + sorted(EXCEL_ERRORS)

#: Text as officers might type it: the listed forms, the forms with something stuck on, anything at all, huge strings.
TEXTS = st.one_of(
    st.sampled_from(OFFICER_FORMS),
    st.tuples(st.sampled_from(OFFICER_FORMS), st.text(max_size=4), st.text(max_size=4)).map(lambda t: t[1] + t[0] + t[2]),
    st.text(),
    st.text(alphabet=st.characters(codec="utf-8", categories=("Cc", "Cf", "Zs", "Zl", "Zp", "So", "Sk", "Nd", "No", "Po"))),
    st.text(alphabet="0123456789£$,.-+ /kKmM()"),
    st.builds(_repeat, st.text(min_size=1, max_size=8), st.integers(1000, 32767)),
)

#: Cell values of every type a reader can hand the normaliser, and some it cannot.
ANY_VALUE = st.one_of(
    st.none(),
    TEXTS,
    st.floats(allow_nan=True, allow_infinity=True),
    st.integers(),
    st.integers(min_value=-(10**400), max_value=10**400),
    st.booleans(),
    st.dates(),
    st.datetimes(),
    st.times(),
    st.timedeltas(),
    st.sampled_from(sorted(EXCEL_ERRORS)).map(ExcelError),
    st.just(NO_CACHED_VALUE),
    st.sampled_from([pd.NA, pd.NaT, np.nan, np.float64(1.0), np.int64(42061), np.bool_(True)]),
)

PARSERS = {
    "text": parse_text, "yesno": parse_yesno, "money": parse_money, "score": parse_score, "date": parse_date,
    "benefits": parse_benefits, **{f"choice:{name}": (lambda v, n=name: parse_choice(n, v)) for name in CHOICE_FIELDS},
}


def _blank_input(v: object) -> bool:
    if v is None or v is pd.NA or v is pd.NaT:
        return True
    if isinstance(v, str) and not isinstance(v, ExcelError):
        return not v.strip()
    return isinstance(v, float) and math.isnan(v)


def assert_well_typed(kind: str, got: object) -> None:
    """A parser's result is one of the markers or a value of the kind's type."""
    if is_marker(got):
        return
    if kind == "text":
        assert isinstance(got, str) and got == got.strip() and got
    elif kind == "yesno":
        assert type(got) is bool
    elif kind in ("money", "score"):
        assert type(got) is float and math.isfinite(got)
    elif kind == "date":
        assert isinstance(got, pd.Timestamp) and not pd.isna(got) and 1900 <= got.year <= 9999
        assert got == got.normalize()
    elif kind == "benefits":
        assert isinstance(got, frozenset) and got <= set(BENEFIT_FIELDS.values())
    else:
        assert kind.startswith("choice:") and got in fields_by_name()[kind[7:]].choices


@pytest.mark.parametrize("kind", list(PARSERS))
@settings(max_examples=150, deadline=None)
@given(value=ANY_VALUE)
@example(value=float("nan"))
@example(value=float("inf"))
@example(value="\x00\x07\x1b")
@example(value="👍🏽")
@example(value=ExcelError("#DIV/0!"))
def test_any_value_parses_to_a_marker_or_the_right_type(kind, value):
    parse = PARSERS[kind]
    got = parse(value)  # never raises
    assert_well_typed(kind, got)
    # blank only for what is really blank; unknown only for Excel errors and unsaved formulas
    assert (got is BLANK) == _blank_input(value)
    assert (got is UNKNOWN) == isinstance(value, (ExcelError, type(NO_CACHED_VALUE)))
    if kind == "text":
        assert got is not UNPARSED
    # a parsed value parses to itself again
    if not is_marker(got) and kind != "benefits":
        assert parse(got) == got


# --- property-based: round trips ----------------------------------------------------------------

REGISTER_DATES = st.dates(min_value=date(1900, 3, 1), max_value=date(9999, 12, 31))


@settings(max_examples=200, deadline=None)
@given(d=REGISTER_DATES, fmt=st.sampled_from(["%d/%m/%Y", "%d.%m.%Y", "%d-%m-%Y", "%d-%b-%Y", "%d %B %Y", "%Y-%m-%d", "%d %b %Y"]))
def test_a_date_written_out_parses_back(d, fmt):
    assert parse_date(d.strftime(fmt)) == TS(d)


@settings(max_examples=100, deadline=None)
@given(d=st.dates(min_value=date(1930, 1, 1), max_value=date(2029, 12, 31)), fmt=st.sampled_from(["%d/%m/%y", "%d.%m.%y", "%d-%b-%y"]))
def test_a_two_digit_year_date_parses_back(d, fmt):
    assert parse_date(d.strftime(fmt)) == TS(d)


@settings(max_examples=100, deadline=None)
@given(d=REGISTER_DATES, fmt=st.sampled_from(["%b %Y", "%B %Y", "%b-%Y"]))
def test_a_month_parses_to_its_first_day(d, fmt):
    assert parse_date(d.strftime(fmt)) == TS(d.replace(day=1))


@settings(max_examples=200, deadline=None)
@given(d=REGISTER_DATES, t=st.times(), as_datetime=st.booleans())
def test_an_excel_date_parses_back_to_itself(d, t, as_datetime):
    value = datetime.combine(d, t) if as_datetime else d
    assert parse_date(value) == TS(d)


@settings(max_examples=200, deadline=None)
@given(d=st.dates(min_value=date(1900, 1, 1), max_value=date(9999, 12, 31)), fraction=st.floats(0, 0.999), how=st.sampled_from(["int", "float", "text"]))
def test_an_excel_serial_parses_back_to_its_date(d, fraction, how):
    serial = (d - date(1899, 12, 30)).days
    if d < date(1900, 3, 1):
        serial -= 1  # Excel counts a 29/02/1900
    assume(serial not in range(1900, 2101) or how == "float" and fraction)  # whole numbers there are years: not dates
    assume(how != "text" or serial >= 1000)  # a serial typed as text has at least four digits
    value = {"int": serial, "float": serial + fraction, "text": str(serial)}[how]
    assert parse_date(value) == TS(d)


@settings(max_examples=200, deadline=None)
@given(n=st.integers(min_value=0, max_value=10**12), fmt=st.sampled_from(["£{n:,}", "{n}", "{n:,}", "£{n}", "£{n:,} + VAT", "£{n:,}.00", " £ {n:,} ", "£{n:,} pa"]))
def test_an_amount_formatted_parses_back(n, fmt):
    assert parse_money(fmt.format(n=n)) == n
    assert parse_money(n) == n
    assert parse_money(float(n)) == n
    if n:
        assert parse_money("-" + fmt.format(n=n).strip()) == -n


@settings(max_examples=100, deadline=None)
@given(pence=st.integers(min_value=0, max_value=10**11))
def test_pounds_and_pence_parse_back(pence):
    assert parse_money(f"£{pence // 100:,}.{pence % 100:02d}") == pytest.approx(pence / 100)


@settings(max_examples=100, deadline=None)
@given(n=st.integers(min_value=0, max_value=10**6), suffix=st.sampled_from(["k", "K"]), pound=st.booleans())
def test_thousands_with_k_parse_back(n, suffix, pound):
    assert parse_money(f"{'£' if pound else ''}{n}{suffix}") == n * 1000


_SCHEMA = load_schema("register.json")
#: (field, text, canonical) for every canonical choice and every synonym the schema lists.
SYNONYMS = [(f, text, canonical) for f in CHOICE_FIELDS for canonical, synonyms in _SCHEMA["choices"][f].items()
            for text in (canonical, *synonyms)]

TYPING = st.sampled_from([
    str.upper, str.lower, str.title, str.swapcase, lambda s: f"  {s}  ", lambda s: s.replace(" ", "  "), lambda s: s + ".",
    lambda s: s.replace(" ", "-"), lambda s: s.replace(" ", "_"), lambda s: s.replace(" ", "\n"), lambda s: s + " ", lambda s: f"'{s}'",
])


@settings(max_examples=300, deadline=None)
@given(spelling=st.sampled_from(SYNONYMS), typing=st.lists(TYPING, max_size=3))
def test_every_choice_and_synonym_however_typed_maps_to_its_canonical_value(spelling, typing):
    field, text, canonical = spelling
    for t in typing:
        text = t(text)
    assert parse_choice(field, text) == canonical


def test_every_synonym_is_listed():
    assert ("arrangement", "SLA", "Contract or outsourced service") in SYNONYMS
    assert ("approved_by", "Cabinet", "Executive") in SYNONYMS
    assert ("approved_by", "CMT", "Corporate Management Team") in SYNONYMS
    assert ("arrangement", "Outside body", "External or governing body") in SYNONYMS


@settings(max_examples=200, deadline=None)
@given(form=st.sampled_from([(v, True) for v in YES if isinstance(v, str)] + [(v, False) for v in NO if isinstance(v, str)]),
       typing=st.lists(st.sampled_from([str.upper, str.lower, lambda s: f" {s} ", lambda s: s + "."]), max_size=2))
def test_yes_and_no_however_typed(form, typing):
    text, expected = form
    for t in typing:
        text = t(text)
    assert parse_yesno(text) is expected


# --- property-based, end to end: an unparseable cell is a finding on exactly that cell ----------

#: Columns of each kind to put random values into (field, header).
KIND_FIELDS = {
    "date": ["approval_date", "last_review", "end_date", "start_date", "next_review", "funding_ends"],
    "money": ["direct_contribution"],
    "score": ["risk_likelihood", "risk_impact", "opp_likelihood", "opp_impact"],
    "choice": ["status", "arrangement", "approved_by", "council_role", "exit_reason", "exit_decided_by"],
    "yesno": ["budgeted", "statutory", "benefit_risk", "benefit_savings"],
}
_ESCAPE = re.compile(r"_x[0-9A-Fa-f]{4}_")  # OOXML's escape: openpyxl writes it as typed and readers decode it

#: Values openpyxl can write and calamine reads back unchanged (as far as any parser can tell).
CELL_VALUE = st.one_of(
    TEXTS.map(_legal).map(lambda s: s[:32767]).filter(lambda s: not _ESCAPE.search(s)),
    st.floats(allow_nan=False, allow_infinity=False, min_value=-1e300, max_value=1e300),
    st.integers(min_value=-(10**15), max_value=10**15),
    st.booleans(),
    st.dates(min_value=date(1900, 1, 1)),
    st.datetimes(min_value=datetime(1900, 1, 1)).map(lambda d: d.replace(microsecond=0)),
    st.times().map(lambda t: t.replace(microsecond=0)),
    st.sampled_from([1, 2, 3, 4, 5, 0, 6, 2.5, -1, "3", "Y", "N", "x", "-", "nil", "£5,605 + VAT", "5k", "26.02.15", "Feb 2015", "cabinet", "SLA"]),
)


def expected_codes(kind: str, field: str, value: object) -> set[str]:
    """What the normaliser and schema say about ``value`` in ``field``: the DQ code(s) due on its cell."""
    if isinstance(value, str) and value in EXCEL_ERRORS:
        return {"DQ007"}  # text that reads as an Excel error is one
    parse = {"date": parse_date, "money": parse_money, "score": parse_score, "yesno": parse_yesno,
             "choice": lambda v: parse_choice(field, v)}[kind]
    got = parse(value)
    if got is UNPARSED:
        return {UNPARSED_CODE[kind]}
    if kind == "money" and not is_marker(got) and got < 0:
        return {"DQ004"}
    if kind == "score" and not is_marker(got) and got not in (1, 2, 3, 4, 5):
        return {"DQ004"}
    return set()


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(values=st.lists(st.fixed_dictionaries({kind: st.tuples(st.sampled_from(fields), CELL_VALUE) for kind, fields in KIND_FIELDS.items()}),
                       min_size=1, max_size=3))
@example(values=[{"date": ("last_review", "31/02/2015"), "money": ("direct_contribution", "£5,000-£10,000"), "score": ("risk_impact", 7),
                  "choice": ("status", "maybe"), "yesno": ("budgeted", "perhaps")}])
@example(values=[{"date": ("end_date", "x" * 32767), "money": ("direct_contribution", -5.0), "score": ("risk_likelihood", True),
                  "choice": ("approved_by", "cabinet"), "yesno": ("statutory", "✓")}])
@example(values=[{"date": ("approval_date", "#REF!"), "money": ("direct_contribution", "\t£5k\n"), "score": ("opp_impact", "\U0001f600"),
                  "choice": ("arrangement", 1e300), "yesno": ("benefit_risk", date(2015, 1, 1))}])
def test_an_unparseable_cell_is_a_finding_on_exactly_that_cell(values):
    rows = []
    due: dict[str, set[str]] = {}
    for i, cells in enumerate(values):
        r = row(ref=f"P{i + 1:03d}", name=f"Partnership {i + 1}")
        for kind, (field, value) in cells.items():
            r[HEADER_OF[field]] = value
            col = list(CLEAN).index(HEADER_OF[field]) + 1
            due[f"{column_letter(col)}{i + 2}"] = expected_codes(kind, field, value)
        rows.append(r)
    with tempfile.TemporaryDirectory() as tmp:
        path = write_register(Path(tmp) / "register.xlsx", rows)
        result = check(path, Settings(), AS_OF)  # never raises
    assert len(result.scores) == len(rows)
    cell_codes = {"DQ003", "DQ004", "DQ005", "DQ007"}
    got: dict[str, set[str]] = {}
    for f in result.findings:
        if f.code in cell_codes:
            got.setdefault(f.cell, set()).add(f.code)
    assert got == {cell: codes for cell, codes in due.items() if codes}


# --- issue 11: other councils' words ---------------------------------------------------------

from partnership_xl.fields import council_choice_index  # noqa: E402
from partnership_xl.normalise import parse_email  # noqa: E402


@pytest.mark.parametrize("text, expected", [
    ("Sept 2024 – six-month reassessment", date(2024, 9, 1)),
    ("Sept 2024", date(2024, 9, 1)),
    ("sept 2024 - annual review", date(2024, 9, 1)),
    ("26/02/2015 (Cabinet)", date(2015, 2, 26)),
    ("26 February 2015, by the board", date(2015, 2, 26)),
    ("Feb 2015 reviewed", date(2015, 2, 1)),
    ("12.03.24: verbal update", date(2024, 3, 12)),
])
def test_a_date_followed_by_a_remark_is_the_date(text, expected):
    assert parse_date(text) == pd.Timestamp(expected)


@pytest.mark.parametrize("text", [
    "01/02/2024 - 03/04/2025",      # two dates: which one?
    "March 2025 or April 2025",
    "Reviewed 12/03/2024",          # the date is not first
    "2015 review",                  # a year alone is no date
    "tbc - after the election",
    "5 years",
])
def test_a_remark_does_not_make_a_date(text):
    assert parse_date(text) is UNPARSED


@pytest.mark.parametrize("text", ["In kind only", "in kind", "In-kind", "IN KIND ONLY.", "In kind (officer time)", "Officer time only"])
def test_in_kind_money_is_nothing_direct(text):
    assert parse_money(text) == 0.0


@pytest.mark.parametrize("text", ["kind", "in kind £500", "£500 in kind plus cash"])
def test_in_kind_with_an_amount_is_not_silently_nothing(text):
    assert parse_money(text) is UNPARSED


@pytest.mark.parametrize("word, expected", [
    ("Ceased", "Closed"), ("ended", "Closed"), ("Dissolved", "Closed"), ("Not yet live", "Proposed"),
    ("In development", "Proposed"), ("pending", "Proposed"), ("On hold", "Under review"), ("Paused", "Under review"),
])
def test_other_councils_status_words(word, expected):
    assert parse_choice("status", word) == expected


@pytest.mark.parametrize("field, word", [("status", "Dormant"), ("status", "Wound up"), ("risk_rating", "Severe"), ("assurance", "Partial")])
def test_words_that_are_not_synonyms_on_purpose(field, word):
    assert parse_choice(field, word) is UNPARSED


@pytest.mark.parametrize("field, word, expected", [
    ("risk_rating", "H", "High"), ("risk_rating", "Red", "High"), ("risk_rating", "Med", "Medium"), ("risk_rating", "amber", "Medium"),
    ("risk_rating", "green", "Low"), ("risk_rating", "L", "Low"),
    ("assurance", "Full", "Substantial"), ("assurance", "Good", "Substantial"), ("assurance", "Adequate", "Reasonable"),
    ("assurance", "Low", "Limited"), ("assurance", "Nil", "No assurance"), ("assurance", "weak", "No assurance"),
])
def test_risk_rating_and_assurance_words(field, word, expected):
    assert parse_choice(field, word) == expected


def test_a_council_s_own_words_from_the_settings():
    index = council_choice_index("status", {"Wound up": "Closed", "Dormant": "Under review"})
    assert parse_choice("status", "wound-up", index) == "Closed"
    assert parse_choice("status", "DORMANT", index) == "Under review"
    assert parse_choice("status", "Active", index) == "Active"
    f = fields_by_name()["status"]
    typed, _, unparsed = parse_column(f, pd.Series(["Wound up", "Dormant"], index=[2, 3], dtype=object), {"Wound up": "Closed"})
    assert typed.tolist()[0] == "Closed" and unparsed.tolist() == [False, True]


@pytest.mark.parametrize("text, expected", [
    ("j.smith@harborough.gov.uk", "j.smith@harborough.gov.uk"),
    (" J.Smith@Harborough.gov.uk ", "J.Smith@Harborough.gov.uk"),
    ("mailto:a.b@x.org.uk", "a.b@x.org.uk"),
    ("Jane Smith <jane@x.gov.uk>", "jane@x.gov.uk"),
    ("a@x.gov.uk; b@y.org", "a@x.gov.uk; b@y.org"),
    ("", BLANK),
])
def test_email_addresses(text, expected):
    assert parse_email(text) == expected


@pytest.mark.parametrize("text", ["Jane Smith", "jane@", "@x.gov.uk", "jane@localhost", "a@x.gov.uk; Jane", 42, True])
def test_not_an_email_address(text):
    assert parse_email(text) is UNPARSED


def test_an_unparsed_email_is_dq005_on_its_cell(run):
    headers = list(CLEAN) + ["Lead officer email"]
    result = run([{**row(), "Lead officer email": "Sarah W"}, {**row(ref="P002"), "Lead officer email": "s.w@harborough.gov.uk"}], headers=headers)
    assert [(f.code, f.cell) for f in result.findings] == [("DQ005", f"{column_letter(len(headers))}2")]
    assert "Not an e-mail address" in result.findings[0].message


@given(st.one_of(st.text(max_size=80), st.integers(), st.floats(), st.booleans(), st.none(), st.datetimes()))
@settings(max_examples=200, suppress_health_check=[HealthCheck.too_slow])
def test_any_value_in_an_email_column_is_an_address_a_blank_or_unparsed(value):
    got = parse_email(value)
    assert got is BLANK or got is UNPARSED or (isinstance(got, str) and "@" in got and got == got.strip())


@pytest.mark.parametrize("text", ["26-Feb-2015", "26-feb-15", "26 February 2015", "26 Feb 15", "26 february 15", "26/Feb/2015",
                                  "26-February-2015", "31-Feb-2015", "26/Feb/15", "26-February-15", "26.Feb.2015", "26-Febr-2015",
                                  "1-Jan-1899", "29-Feb-2016", "29-Feb-2015", "5 Sep 30"])
def test_a_month_in_words_reads_as_the_formats_read_it(text):
    """The quick path for day, month in words, year gives what strptime through _DATE_FORMATS gives."""
    from partnership_xl import normalise

    def by_formats(s):
        for fmt in normalise._DATE_FORMATS:
            try:
                d = datetime.strptime(s, fmt)
            except ValueError:
                continue
            if "%y" in fmt:
                d = d.replace(year=(2000 if d.year % 100 < 30 else 1900) + d.year % 100)
            return UNPARSED if d.year < 1900 else pd.Timestamp(d.date())
        return UNPARSED

    quick = normalise._named_month_date(text)
    assert quick is None or quick is by_formats(text) or quick == by_formats(text)
    assert normalise._one_date(text) is by_formats(text) or normalise._one_date(text) == by_formats(text)


# --- A column parsed whole gives the answer its cells give one by one ---

from partnership_xl.normalise import parse_cells  # noqa: E402

_MARKERS = st.sampled_from([ExcelError("#N/A"), ExcelError("#REF!"), NO_CACHED_VALUE, None])  # an ExcelError is a str
_TEXTS = st.lists(st.sampled_from(["", " ", "P001", "  Harborough DC ", "a\nb", "\t", "#N/A", "Leicestershire Police; NHS"]) | st.text(max_size=8) | _MARKERS,
                  min_size=1, max_size=12)
_STAMPS = st.lists(st.datetimes(min_value=datetime(1800, 1, 1), max_value=datetime(2262, 1, 1)) | _MARKERS, min_size=1, max_size=12)


@settings(max_examples=60, deadline=None)
@given(values=_TEXTS)
@example(values=["P001", ExcelError("#N/A")])
def test_a_text_column_parsed_whole_is_parsed_as_its_cells(values):
    for name in ("name", "partners"):
        whole = parse_column(fields_by_name()[name], pd.Series(values, dtype=object))
        cells = parse_cells(fields_by_name()[name], pd.Series(values, dtype=object))
        for a, b in zip(whole, cells, strict=True):
            pd.testing.assert_series_equal(a, b)


@settings(max_examples=60, deadline=None)
@given(values=_STAMPS)
@example(values=[datetime(1899, 12, 31, 23, 59), datetime(1900, 1, 1), datetime(2025, 2, 26, 14, 30)])
def test_a_column_of_excel_dates_parsed_whole_is_parsed_as_its_cells(values):
    f = fields_by_name()["last_review"]
    whole = parse_column(f, pd.Series(values, dtype=object))
    cells = parse_cells(f, pd.Series(values, dtype=object))
    for a, b in zip(whole, cells, strict=True):
        pd.testing.assert_series_equal(a, b)
