"""workbook/styles.py: styles.xml is only ever appended to. The officer's formats keep their indexes, a
format already there is reused (so checking a copy again appends nothing), and a flagged cell's new
format is its own with the severity fill."""

from __future__ import annotations

import pytest
from lxml import etree

from partnership_xl.workbook.package import Package
from partnership_xl.workbook.styles import StyleBook

from .parts import CT_STYLES, DECLARATION, MAIN, book, zipped
from .schema_order import order_problems

RED = "FFF8A5A5"

#: An officer's styles: a date format, two fonts, a red fill already there, and formats 0-3.
OFFICERS = (f'{DECLARATION}<styleSheet xmlns="{MAIN}" xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006">'
            '<numFmts count="1"><numFmt numFmtId="164" formatCode="dd/mm/yyyy"/></numFmts>'
            '<fonts count="2"><font><sz val="10"/><color theme="1"/><name val="Arial"/><family val="2"/></font>'
            '<font><b/><sz val="10"/><name val="Arial"/></font></fonts>'
            '<fills count="3"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill>'
            f'<fill><patternFill patternType="solid"><fgColor rgb="{RED}"/><bgColor indexed="64"/></patternFill></fill></fills>'
            '<borders count="2"><border><left/><right/><top/><bottom/><diagonal/></border>'
            '<border><left style="thin"/><right/><top/><bottom/><diagonal/></border></borders>'
            '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
            '<cellXfs count="4"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
            '<xf numFmtId="164" fontId="1" fillId="0" borderId="1" xfId="0" applyNumberFormat="1"><alignment wrapText="1"/><protection locked="0"/></xf>'
            '<xf numFmtId="0" fontId="0" fillId="2" borderId="0" xfId="0" applyFill="1"/>'
            '<xf numFmtId="0" fontId="0" fillId="1" borderId="0" xfId="0"/></cellXfs>'
            '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles><dxfs count="0"/></styleSheet>')


def make(styles: str | None = OFFICERS) -> tuple[Package, StyleBook]:
    package = Package.read(zipped(book(styles=styles)))
    return package, StyleBook(package, "xl/workbook.xml")


def items(package: Package, name: str) -> list[bytes]:
    root = etree.fromstring(package.get("xl/styles.xml"))
    return [etree.tostring(e) for e in root.find(f"{{{MAIN}}}{name}")]


def count(package: Package, name: str) -> str:
    return etree.fromstring(package.get("xl/styles.xml")).find(f"{{{MAIN}}}{name}").get("count")


def listed(styles: StyleBook, name: str) -> list:
    return [e for e in styles.root.find(f"{{{MAIN}}}{name}") if isinstance(e.tag, str)]


def test_a_flagged_format_is_the_cells_own_with_the_fill_appended_after_the_officers():
    package, styles = make()
    before = {name: items(package, name) for name in ("cellXfs", "fills", "fonts", "numFmts")}
    fill = styles.fill("FFFFD27F")
    assert fill == 3  # appended after the officer's three fills
    index = styles.flagged(1, fill)
    assert index == 4
    styles.save()
    for name, officers in before.items():
        assert items(package, name)[:len(officers)] == officers, f"the officer's {name} moved or changed"
    assert count(package, "cellXfs") == "5" and count(package, "fills") == "4"
    new = etree.fromstring(items(package, "cellXfs")[4])
    assert dict(new.attrib) == {"numFmtId": "164", "fontId": "1", "fillId": "3", "borderId": "1", "xfId": "0",
                                "applyNumberFormat": "1", "applyFill": "1"}
    assert [etree.QName(c).localname for c in new] == ["alignment", "protection"]


def test_a_format_already_there_is_reused_and_the_part_is_left_as_it_was():
    package, styles = make()
    original = package.get("xl/styles.xml")
    assert styles.fill(RED) == 2
    assert styles.flagged(0, 2) == 2  # format 2 is format 0 with the red fill
    assert styles.flagged(0, 2) == 2
    assert not styles.changed
    styles.save()
    assert package.get("xl/styles.xml") is original


def test_asking_twice_appends_once():
    package, styles = make()
    first = [styles.fill("FF9DC3E6"), styles.flagged(3, 3), styles.font(bold=True, rgb="FFFFFFFF"), styles.number_format("0.0%"),
             styles.xf(font=1, fill=3, horizontal="center", wrap=True)]
    again = [styles.fill("FF9DC3E6"), styles.flagged(3, 3), styles.font(bold=True, rgb="FFFFFFFF"), styles.number_format("0.0%"),
             styles.xf(font=1, fill=3, horizontal="center", wrap=True)]
    assert first == again
    styles.save()
    assert count(package, "fills") == "4" and count(package, "fonts") == "3" and count(package, "numFmts") == "2"


@pytest.mark.parametrize(("base", "expected"), [
    (0, {"numFmtId": "0", "fontId": "0", "borderId": "0"}),
    (99, {"numFmtId": "0", "fontId": "0", "borderId": "0"}),  # a style index past the end: the default format
    (-1, {"numFmtId": "0", "fontId": "0", "borderId": "0"}),
])
def test_a_flagged_format_of_a_missing_base_is_the_default_one(base, expected):
    _, styles = make()
    index = styles.flagged(base, 3)
    xf = listed(styles, "cellXfs")[index]
    assert {k: xf.get(k) for k in expected} == expected and xf.get("fillId") == "3" and xf.get("applyFill") == "1"


def test_fonts_are_the_default_font_bold_coloured_sized_or_underlined():
    _, styles = make()
    index = styles.font(bold=True, rgb="FF1F4E79", size=14, underline=True)
    font = listed(styles, "fonts")[index]
    children = [(etree.QName(c).localname, dict(c.attrib)) for c in font]
    assert children == [("b", {}), ("u", {}), ("sz", {"val": "14"}), ("color", {"rgb": "FF1F4E79"}), ("name", {"val": "Arial"}),
                        ("family", {"val": "2"})]  # CT_Font's order; the theme colour replaced


def test_number_formats_are_reused_or_numbered_after_the_highest_custom_one():
    _, styles = make()
    assert styles.number_format("dd/mm/yyyy") == 164
    assert styles.number_format("£#,##0") == 165
    assert styles.number_format("0.0") == 166
    _, plain = make(OFFICERS.replace('<numFmts count="1"><numFmt numFmtId="164" formatCode="dd/mm/yyyy"/></numFmts>', ""))
    assert plain.number_format("dd/mm/yyyy") == 164
    assert etree.QName(plain.root[0]).localname == "numFmts"  # made at its place, first
    assert order_problems(plain.root) == []


def test_the_tools_own_format():
    _, styles = make()
    index = styles.xf(font=1, fill=2, number_format=164, vertical="top", wrap=True)
    xf = listed(styles, "cellXfs")[index]
    assert dict(xf.attrib) == {"numFmtId": "164", "fontId": "1", "fillId": "2", "borderId": "0", "xfId": "0", "applyNumberFormat": "1",
                               "applyFont": "1", "applyFill": "1", "applyAlignment": "1"}
    assert dict(xf[0].attrib) == {"vertical": "top", "wrapText": "1"}
    index = styles.xf()
    plain = listed(styles, "cellXfs")[index]
    assert "applyFont" not in plain.attrib and len(plain) == 0


def test_a_formats_fill_is_read_for_the_record_and_put_back_by_content():
    _, styles = make()
    fill_xml, apply_fill = styles.fill_of(2)
    assert RED in fill_xml and apply_fill == "1"
    assert styles.fill_of(1)[1] is None and styles.fill_of(40) is None
    assert styles.has_solid_fill(2, {RED}) and not styles.has_solid_fill(2, {"FF000000"})
    assert not styles.has_solid_fill(3, {RED}) and not styles.has_solid_fill(40, {RED})  # gray125, and no such format
    flagged = styles.flagged(1, 2)
    back = styles.with_fill(flagged, styles.fill_of(1)[0], None)
    assert back == 1  # the officer's own format again, found, not appended
    assert flagged == 4 and styles.with_fill(3, styles.fill_of(0)[0], "1") == 5  # format 3 with no fill but applyFill: a new one


def test_a_workbook_without_styles_gets_a_minimal_part_related_and_typed():
    package, styles = make(styles=None)
    assert styles.created and styles.part == "xl/styles.xml"
    styles.save()
    assert package.content_type("xl/styles.xml") == CT_STYLES
    assert any(r.target == "styles.xml" and r.type.endswith("/styles") for r in package.rels("xl/workbook.xml"))
    root = etree.fromstring(package.get("xl/styles.xml"))
    assert order_problems(root) == []
    assert root.find(f"{{{MAIN}}}cellXfs").get("count") == "1"
