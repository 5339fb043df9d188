"""What the two report workbooks share: the workbook, its formats, and safe writing of values.

Every value that came from the register goes through :func:`put`: text with ``write_string``,
numbers with ``write_number``, dates with ``write_datetime``, never ``write()``. A partnership
named ``=HYPERLINK(...)`` or ``+44 1858 821000`` therefore stays text (SPEC §7). The workbook is
also opened with ``strings_to_formulas`` and ``strings_to_urls`` off, so even a slip cannot turn
register text into a formula or a link.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

import numpy as np
import pandas as pd
import xlsxwriter
from xlsxwriter.worksheet import Worksheet

from ..outputs import write_atomically

#: Fills of the risk and opportunity bands and of RAG, as the council's risk register shows them.
BAND_COLOURS = {"High": "#E06666", "Medium": "#FFD966", "Low": "#93C47D", "Not assessed": "#D9D9D9"}
#: Opportunity bands in a green scale: a high opportunity is good news, never red (SPEC §4).
OPP_COLOURS = {"High": "#6AA84F", "Medium": "#B6D7A8", "Low": "#E2F0D9", "Not assessed": "#D9D9D9"}
RAG_COLOURS = {"Red": "#E06666", "Amber": "#FFD966", "Green": "#93C47D"}
SEVERITY_COLOURS = {"error": "#F4CCCC", "warning": "#FFF2CC", "info": "#CFE2F3"}
ACCENT = "#1F4E79"  # headings and table headers
ACCENT_LIGHT = "#DDEBF7"
MUTED = "#595959"

NOT_RECORDED = "Not recorded"
DATE_FORMAT = "dd/mm/yyyy"
MONEY_FORMAT = "£#,##0"
TABLE_STYLE = "Table Style Medium 2"


def new_workbook(path: Path, *, title: str, council: str) -> xlsxwriter.Workbook:
    """A workbook that never turns strings into formulas, links or numbers, with its properties set."""
    wb = xlsxwriter.Workbook(
        str(path),
        {
            "strings_to_formulas": False,
            "strings_to_urls": False,
            "strings_to_numbers": False,
            "nan_inf_to_errors": False,
        },
    )
    wb.set_properties({"title": title, "author": "partnership-xl", "company": council})
    return wb


def save(out: Path, build: Callable[[Path], None]) -> None:
    """Write the workbook ``build`` makes to a temporary file, then move it into place."""
    write_atomically(Path(out), build)


class Formats:
    """The formats of one workbook, made once and shared by its sheets."""

    def __init__(self, wb: xlsxwriter.Workbook) -> None:
        self._wb = wb
        self._cache: dict[tuple, object] = {}
        base = {"font_name": "Arial", "font_size": 10, "valign": "top"}
        self._base = base
        self.text = self.make()
        self.wrap = self.make(text_wrap=True)
        self.number = self.make(num_format="0")
        self.money = self.make(num_format=MONEY_FORMAT)
        self.percent = self.make(num_format="0%")
        self.date = self.make(num_format=DATE_FORMAT, align="left")
        self.month = self.make(num_format="mmm yyyy", align="left")
        self.muted = self.make(italic=True, font_color=MUTED)
        self.muted_wrap = self.make(italic=True, font_color=MUTED, text_wrap=True)
        self.title = self.make(bold=True, font_size=18, font_color=ACCENT, valign="vcenter")
        self.subtitle = self.make(font_size=11, font_color=MUTED)
        self.heading = self.make(bold=True, font_size=12, font_color=ACCENT, bottom=2, bottom_color=ACCENT)
        self.heading_right = self.make(bold=True, font_size=10, font_color=ACCENT, bottom=2, bottom_color=ACCENT, align="right")
        self.label = self.make()
        self.label_indent = self.make(indent=1, align="left")
        self.label_bold = self.make(bold=True)
        self.figure = self.make(num_format="#,##0", bold=True, align="right")
        self.figure_money = self.make(num_format=MONEY_FORMAT, bold=True, align="right")
        self.figure_percent = self.make(num_format="0%", font_color=MUTED, align="right")
        self.header = self.make(bold=True, font_color="#FFFFFF", bg_color=ACCENT, text_wrap=True, valign="vcenter", border=1, border_color="#FFFFFF")

    def make(self, **props) -> object:
        """A format with the workbook's font and the given properties (cached)."""
        key = tuple(sorted(props.items()))
        if key not in self._cache:
            self._cache[key] = self._wb.add_format({**self._base, **props})
        return self._cache[key]

    def band(self, band: str, kind: str = "risk", **extra) -> object:
        """A fill for a risk band (High/Medium/Low/Not assessed), or an opportunity band with ``kind="opp"``."""
        return self.make(bg_color=(OPP_COLOURS if kind == "opp" else BAND_COLOURS)[band], **extra)

    def fill(self, colour: str) -> object:
        """A conditional-format fill (no font change) for band, RAG and severity cells."""
        key = (("fill", colour),)
        if key not in self._cache:
            self._cache[key] = self._wb.add_format({"bg_color": colour})
        return self._cache[key]


def is_blank(value: object) -> bool:
    """True for None, NaN, NaT, pd.NA and text that is only spaces."""
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    if isinstance(value, str):
        return not value.strip()
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def put(ws: Worksheet, row: int, col: int, value: object, fmt: object = None, *, date_fmt: object = None) -> None:
    """Write one value from the register safely: never as a formula, link or guessed date.

    Text → ``write_string``; booleans → "Yes"/"No" text; numbers → ``write_number``; dates →
    ``write_datetime`` (with ``date_fmt``, else ``fmt``); blanks → ``write_blank``; anything else
    → its text.
    """
    if is_blank(value):
        ws.write_blank(row, col, None, fmt)
    elif isinstance(value, str):
        ws.write_string(row, col, value, fmt)
    elif isinstance(value, (bool, np.bool_)):
        ws.write_string(row, col, "Yes" if bool(value) else "No", fmt)
    elif isinstance(value, numbers.Real):
        number = float(value)
        if math.isinf(number):
            ws.write_string(row, col, str(value), fmt)
        else:
            ws.write_number(row, col, number, fmt)
    elif isinstance(value, (pd.Timestamp, datetime, date)):
        when = value.to_pydatetime() if isinstance(value, pd.Timestamp) else value
        if not isinstance(when, datetime):
            when = datetime(when.year, when.month, when.day)
        ws.write_datetime(row, col, when.replace(tzinfo=None), date_fmt or fmt)
    else:
        ws.write_string(row, col, str(value), fmt)


def text_of(value: object) -> str:
    """A register value as plain text for joining into a sentence ("" when blank)."""
    if is_blank(value):
        return ""
    if isinstance(value, (bool, np.bool_)):
        return "Yes" if value else "No"
    if isinstance(value, (pd.Timestamp, datetime, date)):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


#: A4 landscape's printable width and height in points, inside the margins set_print sets.
PRINT_WIDTH_PT = (11.69 - 0.8) * 72
PRINT_HEIGHT_PT = (8.27 - 1.1) * 72 - 24  # less the footer's line


def set_print(ws: Worksheet, *, header_row: int | None = None, one_page: bool = False, footer: str = "", landscape: bool = True) -> None:
    """A4 (paper 9), landscape unless told, one page wide (or one page in all), table header repeated on each page."""
    if landscape:
        ws.set_landscape()
    else:
        ws.set_portrait()
    ws.set_paper(9)
    ws.set_margins(left=0.4, right=0.4, top=0.5, bottom=0.6)
    ws.center_horizontally()
    ws.fit_to_pages(1, 1 if one_page else 0)
    if header_row is not None:
        ws.repeat_rows(header_row)
    ws.set_footer(f"&L&8{footer}&R&8Page &P of &N" if footer else "&R&8Page &P of &N")


def print_scale(widths: list[float]) -> float:
    """The scale that fits columns of these widths (Excel characters) one page wide: at most 1."""
    pixels = sum(w * 7 + 5 for w in widths)
    return min(1.0, PRINT_WIDTH_PT / (pixels * 0.75))


class PageBreaks:
    """Keeps a heading with the table under it: a page break before a block that would not fit.

    Row heights are the ones the writer sets (15 points unless set); the scale is the one
    fitting the sheet one page wide. ``add(first, heights)`` records a block of rows that must
    stay together (a heading and the first rows of its table); ``apply`` sets the breaks.
    """

    def __init__(self, widths: list[float], top_rows: float = 0) -> None:
        self.page = PRINT_HEIGHT_PT / print_scale(widths) * 0.92  # a margin for the programs' own rounding
        self.used = top_rows
        self.breaks: list[int] = []

    def add(self, first: int, heights: list[float]) -> None:
        """Rows ``first``.. of ``heights`` points: the first ``min(len, 4)`` stay with the block's start."""
        keep = sum(heights[:4])
        if self.used and self.used + keep > self.page:
            self.breaks.append(first)
            self.used = 0
        for h in heights:
            if self.used + h > self.page:
                self.used = 0
            self.used += h

    def apply(self, ws: Worksheet) -> None:
        if self.breaks:
            ws.set_h_pagebreaks(self.breaks)


def footer_text(as_of: date) -> str:
    """The footer every report page carries (no register text: ``&`` there would be a code)."""
    return f"Partnership Register, position at {as_of.strftime('%d/%m/%Y')}"


@dataclass(frozen=True)
class Col:
    """One column of a report table: header, the record key it shows, how to format it, width.

    ``kind`` is text, wrap, number, money, date or percent; ``colours`` maps a cell value to a
    fill applied by conditional formatting (so filtering and re-sorting keep the colours).
    """

    header: str
    key: str
    kind: str = "text"
    width: float = 14
    colours: dict[str, str] | None = None

    def __post_init__(self) -> None:
        # A heading is never cut inside a word: the column is at least as wide as its longest word in bold.
        longest = max((len(word) for word in self.header.split()), default=0)
        object.__setattr__(self, "width", max(self.width, round(longest * 1.1 + 1, 1)))


def write_table(
    ws: Worksheet, top: int, cols: list[Col], records: list[dict], f: Formats, *,
    name: str, empty: str, widths: bool = True, left: int = 0, style: str = TABLE_STYLE,
) -> int:
    """Write records as an Excel table with filters, header at row ``top`` and column ``left``.

    Every value goes through :func:`put`; rows are made tall enough for wrapped text. With no
    records, writes the sentence ``empty`` instead. ``widths=False`` leaves the column widths
    alone (several tables on one sheet). Returns the last row used.
    """
    for c, col in enumerate(cols if widths else ()):
        ws.set_column(left + c, left + c, col.width)
    if not records:
        ws.write_string(top, left, empty, f.muted)
        return top
    kinds = {"text": f.text, "wrap": f.wrap, "number": f.number, "money": f.money, "date": f.date, "month": f.month, "percent": f.percent}
    for i, record in enumerate(records, start=top + 1):
        for c, col in enumerate(cols):
            fmt = kinds[col.kind]
            put(ws, i, left + c, record.get(col.key), fmt, date_fmt=fmt if col.kind in ("date", "month") else f.date)
    fit_rows(ws, top + 1, cols, records)
    ws.set_row(top, header_height(cols))
    last = top + len(records)
    ws.add_table(top, left, last, left + len(cols) - 1, {
        "name": name,
        "style": style,
        "columns": [{"header": col.header, "header_format": f.header} for col in cols],
    })  # fmt: skip
    for c, col in enumerate(cols):
        for value, colour in (col.colours or {}).items():
            rule = {"type": "cell", "criteria": "==", "value": f'"{value}"', "format": f.fill(colour)}
            ws.conditional_format(top + 1, left + c, last, left + c, rule)
    return last


LINE_PT = _LINE_PT = 12.75  # one line of 10pt Arial


def lines_needed(value: object, width: float) -> int:
    """How many lines ``value`` takes wrapped in a column ``width`` characters wide (an estimate).

    Neither Excel nor LibreOffice reliably grows a row for wrapped text in a file written from
    scratch, so the reports set row heights themselves.
    """
    text = text_of(value)
    if not text:
        return 1
    per_line = max(1, int(width * 1.25))
    return sum(max(1, -(-len(part) // per_line)) for part in text.split("\n"))


def header_height(cols: list[Col]) -> float:
    """The height of a table's header row that shows every heading whole (bold headings wrap)."""
    lines = max([_wrapped_lines(c.header, c.width) for c in cols] or [1])
    return _LINE_PT * lines + 4


def _wrapped_lines(text: str, width: float) -> int:
    """Lines a bold heading wraps to, word by word, in a column ``width`` characters wide."""
    per_line, lines, used = max(1.0, width * 0.95), 1, 0.0
    for word in text.split():
        need = len(word) * 1.1
        if used and used + 1 + need > per_line:
            lines, used = lines + 1, need
        else:
            used += need + (1 if used else 0)
    return lines


def row_heights(cols: list[Col], records: list[dict]) -> list[float]:
    """The heights :func:`fit_rows` gives these records, in points."""
    wrapped = [c for c in cols if c.kind == "wrap"]
    return [max(15.0, _LINE_PT * max([lines_needed(r.get(c.key), c.width) for c in wrapped] or [1]) + 2.25) for r in records]


def fit_rows(ws: Worksheet, first: int, cols: list[Col], records: list[dict], *, minimum: float = 15) -> None:
    """Set each record's row height to fit its wrapped columns (never below ``minimum`` points)."""
    wrapped = [c for c in cols if c.kind == "wrap"]
    for i, record in enumerate(records, start=first):
        lines = max([lines_needed(record.get(c.key), c.width) for c in wrapped] or [1])
        if lines > 1 or minimum > 15:
            ws.set_row(i, max(minimum, _LINE_PT * lines + 2.25))
