"""workbook/notes.py: the tool's text in a cell's note follows the officer's own (whose text, runs and box
are kept), a new note gets a box numbered clear of every other drawing's, and taking the tool's text
out leaves the officer's notes, boxes and form controls exactly as they were."""

from __future__ import annotations

import re

import pytest
from lxml import etree

from partnership_xl.workbook.notes import NOTE_AUTHOR, NOTE_MARKER, Notes, clean, comment_text
from partnership_xl.workbook.package import Package
from partnership_xl.workbook.sheet import SheetPatch, SheetXml

from .parts import DECLARATION, MAIN, book, content_types, rels, worksheet, zipped
from .schema_order import order_problems

SHEET = "xl/worksheets/sheet1.xml"
THREADED = "http://schemas.microsoft.com/office/2017/10/relationships/threadedComment"
CT_COMMENTS = "application/vnd.openxmlformats-officedocument.spreadsheetml.comments+xml"


def run(text: str, bold: bool = False) -> str:
    return f'<r><rPr>{"<b/>" if bold else ""}<sz val="9"/></rPr><t xml:space="preserve">{text}</t></r>'


def comments(*notes: tuple[str, str], authors: tuple[str, ...] = ("Sarah Whitfield",)) -> str:
    """A comments part of (ref, the inside of <text>)."""
    return (f'{DECLARATION}<comments xmlns="{MAIN}"><authors>' + "".join(f"<author>{a}</author>" for a in authors) + "</authors><commentList>"
            + "".join(f'<comment ref="{ref}" authorId="0" shapeId="0"><text>{text}</text></comment>' for ref, text in notes)
            + "</commentList></comments>")


def box(number: int, row: int, col: int, kind: str = "Note") -> str:
    """A VML shape as Excel writes one (row and column 0-based)."""
    return (f'<v:shape id="_x0000_s{number}" type="#_x0000_t202" style=\'position:absolute\'><v:textbox/>'
            f'<x:ClientData ObjectType="{kind}"><x:Row>{row}</x:Row><x:Column>{col}</x:Column></x:ClientData></v:shape>\n')


def drawing(*shapes: str, blocks: str = "1") -> str:
    return ('<xml xmlns:v="urn:schemas-microsoft-com:vml" xmlns:o="urn:schemas-microsoft-com:office:office" '
            f'xmlns:x="urn:schemas-microsoft-com:office:excel"><o:shapelayout v:ext="edit"><o:idmap v:ext="edit" data="{blocks}"/>'
            '</o:shapelayout><v:shapetype id="_x0000_t202" coordsize="21600,21600" o:spt="202" path="m,l,21600r21600,l21600,xe">'
            '<v:stroke joinstyle="miter"/><v:path gradientshapeok="t" o:connecttype="rect"/></v:shapetype>\n' + "".join(shapes) + "</xml>")


def package_with(notes: str | None = None, vml: str | None = None, extra: dict[str, str] | None = None,
                 sheet_rels: list[tuple[str, str, str]] | None = None) -> Package:
    """The one-sheet book, its sheet related to ``notes`` (xl/comments1.xml) and ``vml`` (xl/drawings/vmlDrawing1.vml)."""
    parts = book(worksheet('<row r="1"><c r="A1"><v>1</v></c></row>', after='<legacyDrawing r:id="rId2"/>' if vml else ""))
    overrides = {"/xl/workbook.xml": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
                 "/xl/worksheets/sheet1.xml": "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"}
    relationships = list(sheet_rels or [])
    if notes is not None:
        parts["xl/comments1.xml"] = notes
        overrides["/xl/comments1.xml"] = CT_COMMENTS
        relationships.append(("rId1", "comments", "../comments1.xml"))
    if vml is not None:
        parts["xl/drawings/vmlDrawing1.vml"] = vml
        relationships.append(("rId2", "vmlDrawing", "../drawings/vmlDrawing1.vml"))
    if relationships:
        parts["xl/worksheets/_rels/sheet1.xml.rels"] = rels(*relationships)
    parts.update(extra or {})
    parts["[Content_Types].xml"] = content_types(overrides, {"rels": "application/vnd.openxmlformats-package.relationships+xml",
                                                             "xml": "application/xml", "vml": "application/vnd.openxmlformats-officedocument.vmlDrawing"})
    return Package.read(zipped(parts))


def notes_of(package: Package) -> tuple[Notes, SheetXml]:
    sheet = SheetXml(package.get(SHEET))
    return Notes(package, SHEET, sheet), sheet


def by_ref(package: Package, part: str = "xl/comments1.xml") -> dict[str, etree._Element]:
    return {e.get("ref"): e for e in etree.fromstring(package.get(part)).iter(f"{{{MAIN}}}comment")}


# -- text ----------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("text", "expected"), [
    ("Plain text", "Plain text"),
    ("tab\tnew line\nreturn\r", "tab\tnew line\nreturn\r"),  # the three control characters XML allows
    ("bell\x07 null\x00 escape\x1b form\x0c", "bell null escape form"),
    ("\ufffe\uffffend", "end"),
    ("lone surrogate \ud800 gone", "lone surrogate  gone"),
    ("£ – “quotes” and emoji 🙂", "£ – “quotes” and emoji 🙂"),
])
def test_clean_leaves_out_what_xml_cannot_hold(text, expected):
    assert clean(text) == expected


def test_comment_text_is_every_run_joined():
    note = etree.fromstring(f'<comment xmlns="{MAIN}"><text>{run("Sarah:", bold=True)}{run(" chase the ")}<r><t>partners</t></r></text></comment>')
    assert comment_text(note) == "Sarah: chase the partners"
    assert comment_text(etree.fromstring(f'<comment xmlns="{MAIN}"/>')) == ""


# -- the tool's text ---------------------------------------------------------------------------------------

def test_the_tools_text_follows_an_officers_note_as_a_run_of_its_own():
    officer = run("Sarah Whitfield:", bold=True) + run("\nAsk the police for the new contact")
    package = package_with(comments(("C3", officer)), drawing(box(1025, 2, 2)))
    vml = package.get("xl/drawings/vmlDrawing1.vml")
    notes, _ = notes_of(package)
    assert notes.put("C3", ["ERROR PP801: Lead officer is blank"]) is False
    notes.save()
    note = by_ref(package)["C3"]
    runs = note.find(f"{{{MAIN}}}text")
    assert [etree.tostring(r) for r in runs][:2] == [etree.tostring(r) for r in etree.fromstring(f'<text xmlns="{MAIN}">{officer}</text>')]
    assert comment_text(note) == f"Sarah Whitfield:\nAsk the police for the new contact\n\n{NOTE_MARKER}\nERROR PP801: Lead officer is blank"
    assert note.get("authorId") == "0"
    assert package.get("xl/drawings/vmlDrawing1.vml") == vml  # the officer's box is the note's box


def test_the_tools_runs_go_before_a_notes_phonetic_runs():
    package = package_with(comments(("A1", '<t>Note</t><rPh sb="0" eb="1"><t>ノート</t></rPh><phoneticPr fontId="1"/>')), drawing(box(1025, 0, 0)))
    notes, _ = notes_of(package)
    notes.put("A1", ["INFO DQ009: x"])
    notes.save()
    text = by_ref(package)["A1"].find(f"{{{MAIN}}}text")
    assert [etree.QName(e).localname for e in text] == ["t", "r", "rPh", "phoneticPr"]


def test_a_new_note_gets_a_comments_part_a_box_and_their_relationships():
    package = package_with()
    notes, sheet = notes_of(package)
    assert notes.put("B3", ["ERROR PP204: partners are <blank> & unnamed", "bell\x07 gone"]) is True
    notes.save()
    note = by_ref(package)["B3"]
    assert comment_text(note) == f"{NOTE_MARKER}\nERROR PP204: partners are <blank> & unnamed\nbell gone"
    root = etree.fromstring(package.get("xl/comments1.xml"))
    assert [a.text for a in root.find(f"{{{MAIN}}}authors")] == [NOTE_AUTHOR] and note.get("authorId") == "0"
    assert order_problems(root) == []
    vml = package.get("xl/drawings/vmlDrawing1.vml")
    assert re.findall(rb"<x:Row>(\d+)</x:Row>\s*<x:Column>(\d+)</x:Column>", vml) == [(b"2", b"1")]  # 0-based
    assert b'data="1"' in vml and b'id="_x0000_s1025"' in vml and b"_x0000_t202" in vml
    types = {r.type.rsplit("/", 1)[-1]: r for r in package.rels(SHEET)}
    assert types["comments"].target == "../comments1.xml" and types["vmlDrawing"].target == "../drawings/vmlDrawing1.vml"
    assert package.content_type("xl/comments1.xml") == CT_COMMENTS
    assert package.content_type("xl/drawings/vmlDrawing1.vml") == "application/vnd.openxmlformats-officedocument.vmlDrawing"
    assert sheet.legacy_drawing_id() == types["vmlDrawing"].id
    assert b"<legacyDrawing" in b"".join(sheet.patch(SheetPatch(), lambda *a: 0, [], {}))


def test_a_new_note_is_added_after_the_officers_with_the_tools_author():
    package = package_with(comments(("A1", run("Officer's own"))), drawing(box(1025, 0, 0)))
    notes, _ = notes_of(package)
    notes.put("D9", ["WARNING PP401: no priority"])
    notes.save()
    root = etree.fromstring(package.get("xl/comments1.xml"))
    assert [a.text for a in root.find(f"{{{MAIN}}}authors")] == ["Sarah Whitfield", NOTE_AUTHOR]
    assert [(c.get("ref"), c.get("authorId")) for c in root.iter(f"{{{MAIN}}}comment")] == [("A1", "0"), ("D9", "1")]
    vml = package.get("xl/drawings/vmlDrawing1.vml")
    assert vml.startswith(drawing(box(1025, 0, 0)).encode()[:-len("</xml>")])  # the officer's box byte for byte
    assert re.findall(rb'id="_x0000_s(\d+)"', vml) == [b"1025", b"1026"]


def test_boxes_are_numbered_clear_of_another_sheets_drawing():
    other = drawing(box(1025, 0, 0, kind="Button"), box(1026, 1, 0), blocks="1")
    package = package_with(extra={"xl/drawings/vmlDrawing2.vml": other})
    notes, _ = notes_of(package)
    notes.put("A2", ["x"])
    notes.save()
    vml = package.get("xl/drawings/vmlDrawing1.vml")
    assert b'data="2"' in vml and re.findall(rb'id="_x0000_s(\d+)"', vml) == [b"2049"]
    assert package.get("xl/drawings/vmlDrawing2.vml") == other.encode()


def idmap_blocks(vml: bytes) -> set[int]:
    return {int(n) for m in re.findall(rb'<o:idmap[^>]*data="([^"]*)"', vml) for n in re.split(rb"[, ]+", m) if n}


def test_more_boxes_than_an_existing_drawings_block_holds_never_take_another_drawings_ids():
    other = drawing(box(2049, 0, 0, kind="Button"), blocks="2")
    package = package_with(comments(("A1", run("Officer's note"))), drawing(box(1025, 0, 0)), extra={"xl/drawings/vmlDrawing2.vml": other})
    notes, _ = notes_of(package)
    for r in range(2, 1102):  # 1,100 new notes: more than block 1 (ids 1024-2047) has room for
        notes.put(f"B{r}", ["x"])
    notes.save()
    vml = package.get("xl/drawings/vmlDrawing1.vml")
    ids = {int(n) for n in re.findall(rb'id="_x0000_s(\d+)"', vml)}
    assert len(ids) == 1101
    assert 2049 not in ids  # the other sheet's button
    assert {n // 1024 for n in ids} <= idmap_blocks(vml) and not idmap_blocks(vml) & idmap_blocks(other.encode())


def test_a_new_drawing_claims_as_many_free_blocks_as_its_boxes_need():
    other = drawing(box(1025, 0, 0, kind="Button"), blocks="1")
    package = package_with(extra={"xl/drawings/vmlDrawing2.vml": other})
    notes, _ = notes_of(package)
    for r in range(2, 1102):
        notes.put(f"B{r}", ["x"])
    notes.save()
    vml = package.get("xl/drawings/vmlDrawing1.vml")
    ids = {int(n) for n in re.findall(rb'id="_x0000_s(\d+)"', vml)}
    assert len(ids) == 1100 and min(ids) == 2049
    assert {n // 1024 for n in ids} <= idmap_blocks(vml) == {2, 3}


def test_a_prefixed_comments_part_gets_prefixed_notes():
    prefixed = (f'{DECLARATION}<x:comments xmlns:x="{MAIN}"><x:authors><x:author>Sarah</x:author></x:authors><x:commentList>'
                '<x:comment ref="A1" authorId="0"><x:text><x:t>Officer</x:t></x:text></x:comment></x:commentList></x:comments>')
    package = package_with(prefixed, drawing(box(1025, 0, 0)))
    notes, _ = notes_of(package)
    notes.put("B1", ["x"])
    notes.save()
    data = package.get("xl/comments1.xml")
    assert b"<comment" not in data and b'<x:comment ref="B1"' in data
    assert comment_text(by_ref(package)["B1"]) == f"{NOTE_MARKER}\nx"


# -- taking the tool's text out -------------------------------------------------------------------------------

def marked_package() -> Package:
    officer = run("Officer's note")
    tool = run(f"\n\n{NOTE_MARKER}\nERROR PP801: blank")
    return package_with(comments(("A1", officer + tool), ("B2", run(f"{NOTE_MARKER}\nERROR PP204: x")), ("C3", f"<t>{NOTE_MARKER}\nold copy</t>"),
                                 ("D4", officer), authors=("Sarah Whitfield", NOTE_AUTHOR)),
                        drawing(box(1025, 0, 0), box(1026, 1, 1), box(1027, 2, 2), box(1028, 3, 3), box(1029, 1, 1, kind="Checkbox")))


def test_taking_out_leaves_the_officers_notes_and_boxes_and_removes_the_tools():
    package = marked_package()
    notes, _ = notes_of(package)
    notes.take_out()
    notes.save()
    left = by_ref(package)
    assert sorted(left) == ["A1", "D4"]
    assert comment_text(left["A1"]) == "Officer's note" and comment_text(left["D4"]) == "Officer's note"
    vml = package.get("xl/drawings/vmlDrawing1.vml")
    assert re.findall(rb'id="_x0000_s(\d+)"', vml) == [b"1025", b"1028", b"1029"]  # B2's and C3's note boxes gone; the checkbox stays
    assert box(1025, 0, 0).encode() in vml and box(1029, 1, 1, kind="Checkbox").encode() in vml


def test_taking_out_the_only_notes_removes_the_parts_the_tool_made():
    package = package_with(comments(("B2", run(f"{NOTE_MARKER}\nx")), authors=(NOTE_AUTHOR,)), drawing(box(1025, 1, 1)))
    notes, sheet = notes_of(package)
    notes.take_out()
    notes.save()
    assert "xl/comments1.xml" not in package and "xl/drawings/vmlDrawing1.vml" not in package
    assert package.rels(SHEET) == [] and sheet.legacy_drawing_id() is None
    assert b"comments1" not in package.get("[Content_Types].xml")


def test_nothing_to_do_changes_nothing():
    package = package_with(comments(("A1", run("Officer's note"))), drawing(box(1025, 0, 0)))
    before = {name: package.get(name) for name in package.names()}
    notes, _ = notes_of(package)
    notes.take_out()
    notes.save()
    assert {name: package.get(name) for name in package.names()} == before


def test_cells_with_a_threaded_comment_are_known():
    threaded = ('<ThreadedComments xmlns="http://schemas.microsoft.com/office/spreadsheetml/2018/threadedcomments">'
                '<threadedComment ref="c7" id="{1}"><text>Who?</text></threadedComment><threadedComment ref="D2" id="{2}"/></ThreadedComments>')
    package = package_with(extra={"xl/threadedComments/threadedComment1.xml": threaded},
                           sheet_rels=[("rId3", THREADED, "../threadedComments/threadedComment1.xml")])
    notes, _ = notes_of(package)
    assert notes.threaded == {"C7", "D2"}
