"""workbook/strings.py: the shared strings as the plain text Excel shows, read only through the workbook's
relationship; a missing or broken table reads as empty."""

from __future__ import annotations

import pytest

from partnership_xl.workbook.package import Package
from partnership_xl.workbook.strings import SharedStrings

from .parts import DECLARATION, MAIN, book, rels, zipped

SST = (f'{DECLARATION}<sst xmlns="{MAIN}" count="7" uniqueCount="7">'
       "<si><t>Ref</t></si>"
       '<si><t xml:space="preserve">  Fish &amp; chips &lt;3  </t></si>'
       '<si><r><rPr><b/></rPr><t>Risk</t></r><r><t xml:space="preserve"> score (partnership-xl)</t></r></si>'
       '<si><t>東京</t><rPh sb="0" eb="2"><t>トウキョウ</t></rPh><phoneticPr fontId="1"/></si>'
       "<si><t/></si>"
       "<si/>"
       "<si><t>line one\nline two</t></si></sst>")


def strings_of(sst: str | bytes | None, target: str = "sharedStrings.xml") -> SharedStrings:
    parts = book()
    extra = []
    if sst is not None:
        parts["xl/sharedStrings.xml"] = sst
        extra = [("rId3", "sharedStrings", target)]
    parts["xl/_rels/workbook.xml.rels"] = rels(("rId1", "worksheet", "worksheets/sheet1.xml"), ("rId2", "styles", "styles.xml"), *extra)
    return SharedStrings(Package.read(zipped(parts)), "xl/workbook.xml")


def test_each_item_is_its_text_runs_joined_without_the_phonetic_reading():
    assert strings_of(SST).items == ["Ref", "  Fish & chips <3  ", "Risk score (partnership-xl)", "東京", "", "", "line one\nline two"]


@pytest.mark.parametrize(("index", "expected"), [(0, "Ref"), (2, "Risk score (partnership-xl)"), (6, "line one\nline two"), (7, ""), (-1, "")])
def test_get_gives_an_item_and_an_empty_text_past_either_end(index, expected):
    assert strings_of(SST).get(index) == expected


@pytest.mark.parametrize(("sst", "target"), [
    (None, ""),  # the workbook has no shared strings
    (SST, "strings/missing.xml"),  # its relationship points at nothing
    (b"<sst><si><t>broken", "sharedStrings.xml"),  # not well-formed
])
def test_a_missing_or_broken_table_reads_as_empty(sst, target):
    strings = strings_of(sst, target or "sharedStrings.xml")
    assert strings.items == [] and strings.get(0) == ""
