"""Worksheets the copy adds (Findings, Summary), written as SpreadsheetML in CT_Worksheet's order.

Text is written as inline strings, never as formulas, so ``sharedStrings.xml`` is left as it was
and a partnership named ``=HYPERLINK(...)`` stays text. Links are internal locations only.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from xml.sax.saxutils import quoteattr

from .notes import clean
from .package import NS_MAIN, NS_R
from .sheet import column_letters

_EPOCH = date(1899, 12, 30)
_NEEDS_CLEANING = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


@dataclass
class NewSheet:
    """The content of one added worksheet: cells by (row, col) → (value, style index)."""

    cells: dict[tuple[int, int], tuple[object, int]] = field(default_factory=dict)
    widths: dict[int, float] = field(default_factory=dict)
    heights: dict[int, float] = field(default_factory=dict)
    links: list[tuple[str, str, str]] = field(default_factory=list)  # (cell, location, tooltip)
    freeze_rows: int = 0
    autofilter: str | None = None
    tab_color: str | None = None
    landscape: bool = True
    print_title_rows: int = 0  # the rows repeated at the top of every printed page

    rendered: list[tuple[int, bytes]] = field(default_factory=list)  # rows written whole by add_row, in order
    _last: tuple[int, int] = (0, 0)  # the largest row and column of the rendered rows
    # a long sheet's rows, made only as the sheet is written: () → (row, [(col, value, style)], height) in order;
    # ``source_size`` is its last (row, col), and ``link_source`` gives its links the same way
    row_source: Callable[[], Iterable[tuple[int, list[tuple[int, object, int]], float | None]]] | None = None
    source_size: tuple[int, int] = (0, 0)
    link_source: Callable[[], Iterable[tuple[str, str, str]]] | None = None

    def put(self, row: int, col: int, value: object, style: int = 0) -> None:
        """One cell (a sheet built cell by cell, in any order)."""
        if value is None or value == "":
            if style:
                self.cells[(row, col)] = (None, style)
            return
        self.cells[(row, col)] = (value, style)

    def add_row(self, row: int, values: list[tuple[int, object, int]], height: float | None = None) -> None:
        """A whole row of (col, value, style), written at once: held as its XML only."""
        self.rendered.append((row, row_xml(row, values, height)))
        self._last = (max(self._last[0], row), max([self._last[1], *(c for c, _, _ in values)]))

    def xml(self) -> bytes:
        return b"".join(self.pieces())

    def pieces(self) -> Iterator[bytes]:
        """The worksheet's XML in pieces, to be written one after the other (a long sheet is never joined)."""
        out = ['<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n',
               f'<worksheet xmlns="{NS_MAIN}" xmlns:r="{NS_R}">']
        pr = f'<tabColor rgb="{self.tab_color}"/>' if self.tab_color else ""
        out.append(f'<sheetPr>{pr}<pageSetUpPr fitToPage="1"/></sheetPr>')
        last_row = max([*(r for r, _ in self.cells), self._last[0], self.source_size[0], 1])
        last_col = max([*(c for _, c in self.cells), self._last[1], self.source_size[1], 1])
        out.append(f'<dimension ref="A1:{column_letters(last_col)}{last_row}"/>')
        if self.freeze_rows:
            top = f"A{self.freeze_rows + 1}"
            out.append(f'<sheetViews><sheetView workbookViewId="0"><pane ySplit="{self.freeze_rows}" topLeftCell="{top}" '
                       f'activePane="bottomLeft" state="frozen"/><selection pane="bottomLeft" activeCell="{top}" sqref="{top}"/>'
                       "</sheetView></sheetViews>")
        else:
            out.append('<sheetViews><sheetView workbookViewId="0"/></sheetViews>')
        out.append('<sheetFormatPr defaultRowHeight="15"/>')
        if self.widths:
            out.append("<cols>" + "".join(f'<col min="{c}" max="{c}" width="{w:g}" customWidth="1"/>'
                                          for c, w in sorted(self.widths.items())) + "</cols>")
        out.append("<sheetData>")
        by_row: dict[int, list[int]] = {}
        for r, c in self.cells:
            by_row.setdefault(r, []).append(c)
        rows: list[tuple[int, bytes]] = list(self.rendered)
        for r in sorted(by_row):
            height = self.heights.get(r)
            attrs = f' ht="{height:g}" customHeight="1"' if height else ""
            cells = "".join(cell_xml(*self.cells[(r, c)], f"{column_letters(c)}{r}") for c in sorted(by_row[r]))
            rows.append((r, f'<row r="{r}"{attrs}>{cells}</row>'.encode()))
        if self.rendered and by_row:
            rows.sort(key=lambda row: row[0])
        head = "".join(out).encode("utf-8")
        out = ["</sheetData>"]
        if self.autofilter:
            out.append(f'<autoFilter ref="{self.autofilter}"/>')
        links = [*self.links, *(self.link_source() if self.link_source else ())]
        if links:
            out.append("<hyperlinks>" + "".join(
                f'<hyperlink ref="{ref}" location={quoteattr(clean(location))} tooltip={quoteattr(clean(tip)[:255])} '
                f'display={quoteattr(clean(location))}/>' for ref, location, tip in links) + "</hyperlinks>")
            del links
        out.append('<printOptions gridLines="0"/>')
        out.append('<pageMargins left="0.5" right="0.5" top="0.6" bottom="0.6" header="0.3" footer="0.3"/>')
        orientation = "landscape" if self.landscape else "portrait"
        out.append(f'<pageSetup paperSize="9" orientation="{orientation}" fitToWidth="1" fitToHeight="0"/>')
        out.append('<headerFooter><oddFooter>&amp;L&amp;A&amp;RPage &amp;P of &amp;N</oddFooter></headerFooter>')
        out.append("</worksheet>")
        yield head
        for _, text in rows:
            yield text
        if self.row_source is not None:
            for row, values, height in self.row_source():
                yield row_xml(row, values, height)
        yield "".join(out).encode("utf-8")


def row_xml(row: int, values: list[tuple[int, object, int]], height: float | None = None) -> bytes:
    """One ``<row>`` of (col, value, style) cells; empty unstyled cells are left out."""
    attrs = f' ht="{height:g}" customHeight="1"' if height else ""
    cells = "".join(cell_xml(value, style, f"{column_letters(col)}{row}") for col, value, style in values if value not in (None, "") or style)
    return f'<row r="{row}"{attrs}>{cells}</row>'.encode()


def cell_xml(value: object, style: int, ref: str | None = None) -> str:
    """One ``<c>``: text inline (never a formula), numbers and dates as numbers."""
    r = f' r="{ref}"' if ref else ""
    s = f' s="{style}"' if style else ""
    if value is None:
        return f"<c{r}{s}/>"
    if isinstance(value, bool):
        value = "Yes" if value else "No"
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, date):
        return f"<c{r}{s}><v>{(value - _EPOCH).days}</v></c>"
    if isinstance(value, float):
        return f"<c{r}{s}/>" if value != value or value in (float("inf"), float("-inf")) else f"<c{r}{s}><v>{value!r}</v></c>"
    if isinstance(value, int):
        return f"<c{r}{s}><v>{value}</v></c>"
    text = str(value)
    if _NEEDS_CLEANING.search(text):
        text = clean(text)
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return f'<c{r}{s} t="inlineStr"><is><t xml:space="preserve">{text}</t></is></c>'
