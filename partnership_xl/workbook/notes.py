"""Notes (legacy comments) on the register sheet: the comments part and its VML drawing.

The tool's text on a flagged cell starts with the line :data:`NOTE_MARKER`. An officer's own
note on that cell keeps its text, runs and box; the tool's text follows it as runs of its own.
Cells with a threaded comment are never touched. Shapes in the VML drawing are added and
removed as text, so form controls and the officer's own note boxes in the same drawing are kept
exactly as they were.
"""

from __future__ import annotations

import re

from lxml import etree

from .ooxml import local
from .package import (
    CT_COMMENTS,
    CT_VML,
    NS_MAIN,
    REL_COMMENTS,
    REL_THREADED_COMMENTS,
    REL_VML,
    Package,
    parse_xml,
    serialize,
)
from .sheet import SheetXml, parse_ref

NOTE_AUTHOR = "partnership-xl"
NOTE_MARKER = "[partnership-xl]"
_XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
_SHAPE = re.compile(rb"<v:shape\b[^>]*>.*?</v:shape>\n?", re.S)
_SHAPE_ID = re.compile(rb"_x0000_s(\d+)")
_IDMAP = re.compile(rb"""<o:idmap\b[^>]*\bdata=["']([0-9, ]+)["']""")
_CLIENT_CELL = re.compile(rb"<x:Row>\s*(\d+)\s*</x:Row>\s*<x:Column>\s*(\d+)\s*</x:Column>")
_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")

_NEW_VML = (b'<xml xmlns:v="urn:schemas-microsoft-com:vml"\n xmlns:o="urn:schemas-microsoft-com:office:office"\n'
            b' xmlns:x="urn:schemas-microsoft-com:office:excel">\n <o:shapelayout v:ext="edit">\n'
            b'  <o:idmap v:ext="edit" data="%d"/>\n </o:shapelayout>%s</xml>')
_NOTE_SHAPETYPE = (b'<v:shapetype id="_x0000_t202" coordsize="21600,21600" o:spt="202"\n  path="m,l,21600r21600,l21600,xe">\n'
                   b'  <v:stroke joinstyle="miter"/>\n  <v:path gradientshapeok="t" o:connecttype="rect"/>\n </v:shapetype>')


def clean(text: str) -> str:
    """Text XML can hold: control characters left out."""
    return _ILLEGAL.sub("", text)


def q(tag: str) -> str:
    return f"{{{NS_MAIN}}}{tag}"


def comment_text(comment) -> str:
    """The plain text of a ``<comment>``."""
    text = comment.find(q("text"))
    return "" if text is None else "".join(t.text or "" for t in text.iter(q("t")))


class Notes:
    """The register sheet's notes, changed in memory and written back by :meth:`save`."""

    def __init__(self, package: Package, sheet_part: str, sheet: SheetXml):
        self.package, self.sheet_part, self.sheet = package, sheet_part, sheet
        comments = [(rel, target) for rel, target in package.targets(sheet_part, REL_COMMENTS) if package.find(target)]
        self.comments_rel = comments[0][0].id if comments else None
        self.comments_part = package.find(comments[0][1]) if comments else None
        self.root = parse_xml(package.get(self.comments_part)) if self.comments_part else None
        vml_id = sheet.legacy_drawing_id()
        vml = next((target for rel, target in package.targets(sheet_part, REL_VML) if rel.id == vml_id), None)
        self.vml_rel = vml_id if vml else None
        self.vml_part = package.find(vml) if vml else None
        self.vml = package.get(self.vml_part) if self.vml_part else None
        self.threaded: set[str] = set()
        for _, target in package.targets(sheet_part, REL_THREADED_COMMENTS):
            if package.find(target):
                for e in parse_xml(package.get(target)).iter():
                    if isinstance(e.tag, str) and local(e) == "threadedComment" and e.get("ref"):
                        self.threaded.add(e.get("ref").upper())
        self.created_comments = self.created_vml = False
        self._changed = False
        self._by_ref: dict | None = None
        self._new: list[tuple[str, int, int, str, int]] = []  # notes added: (ref, row, col, text, box id), after the officer's
        self._author_id: int | None = None
        self._next_shape: int | None = None
        self._blocks: set[int] = set()  # the idmap blocks this drawing's boxes are numbered in
        self._claimed: set[int] = set()  # ... and those its idmap claimed before
        self._elsewhere: set[int] = set()  # the blocks other drawings claim

    # -- reading -------------------------------------------------------------------------------------
    def by_ref(self) -> dict[str, etree._Element]:
        if self.root is None:
            return {}
        return {e.get("ref", "").upper(): e for e in self.root.iter(q("comment"))}

    # -- the tool's text -----------------------------------------------------------------------------
    def put(self, ref: str, lines: list[str]) -> bool:
        """Add the tool's ``lines`` to the note on ``ref``; return True when the note is new."""
        ours = NOTE_MARKER + "\n" + clean("\n".join(lines))
        self._ensure_parts()
        if self._by_ref is None:
            self._by_ref = self.by_ref()
        existing = self._by_ref.get(ref)
        if existing is not None:
            text = existing.find(q("text"))
            officer = comment_text(existing).rstrip()
            run = self._run(("\n\n" if officer else "") + ours)
            if text is None:
                text = etree.SubElement(existing, q("text"))
            phonetic = next((e for e in text if local(e) in ("rPh", "phoneticPr")), None)
            if phonetic is not None:  # CT_Rst is (t?, r*, rPh*, phoneticPr?): runs before the phonetic ones
                phonetic.addprevious(run)
            else:
                text.append(run)
            self._changed = True
            return False
        if self._author_id is None:
            self._author_id = self._author()
        row, col = parse_ref(ref)
        self._new.append((ref, row, col, ours, self._shape_number()))  # the note and its box are made as the package is written
        self._changed = True
        return True

    def _shape_number(self) -> int:
        """The next box's shape id, in one of this drawing's idmap blocks.

        Shape ids are unique across the workbook: each drawing numbers its shapes in its own idmap
        blocks (block n holds n*1024 ... n*1024+1023), so another sheet's notes or buttons
        (_x0000_s1025 in block 1) are never numbered again here. When the drawing's blocks are full,
        the next block no other drawing claims becomes this one's too (its idmap says so on save).
        """
        if self._next_shape is None:
            self._blocks = _idmap_blocks(self.vml) or {1}
            self._claimed = set(self._blocks)
            self._elsewhere = set()
            for name in self.package.names():
                if name.lower().endswith(".vml") and name != self.vml_part:
                    self._elsewhere |= _idmap_blocks(self.package.get(name))
            base = min(self._blocks) * 1024
            self._next_shape = max([int(m.group(1)) for m in _SHAPE_ID.finditer(self.vml)] + [base]) + 1
        number = self._next_shape
        block = number // 1024
        if block not in self._blocks:
            while block in self._elsewhere:
                block += 1
            if block != number // 1024:
                number = block * 1024 + 1
            self._blocks.add(block)
        self._next_shape = number + 1
        return number

    def take_out(self, refs_created: set[str] | None = None) -> None:
        """Remove the tool's text from every note, and the notes (and boxes) that were only the tool's."""
        if self.root is None:
            return
        gone: set[tuple[int, int]] = set()
        comments = self.root.find(q("commentList"))
        for comment in list(comments if comments is not None else []):
            text = comment.find(q("text"))
            if text is None:
                continue
            runs = [r for r in text if local(r) == "r"]
            marked = next((i for i, r in enumerate(runs) if NOTE_MARKER in "".join(t.text or "" for t in r.iter(q("t")))), None)
            plain = text.find(q("t"))
            if marked is None and plain is not None and (plain.text or "").startswith(NOTE_MARKER):
                marked = -1  # a note written in one piece (an older copy): all the tool's
            if marked is None:
                continue
            for r in runs[max(marked, 0):]:
                text.remove(r)
            if marked == -1 or not comment_text(comment).strip():
                comments.remove(comment)
                try:
                    gone.add(parse_ref(comment.get("ref", "")))
                except ValueError:
                    pass
            self._changed = True
        if gone and self.vml is not None:
            self.vml = _remove_shapes(self.vml, gone)

    # -- parts ---------------------------------------------------------------------------------------
    def _ensure_parts(self) -> None:
        if self.root is None:
            self.comments_part = self.package.free_name("xl/comments{}.xml")
            self.root = etree.Element(q("comments"), nsmap={None: NS_MAIN})
            etree.SubElement(self.root, q("authors"))
            etree.SubElement(self.root, q("commentList"))
            self.created_comments = True
        if self.vml is None:
            self.vml_part = self.package.free_name("xl/drawings/vmlDrawing{}.vml")
            self.vml = _NEW_VML % (self._free_idmap(), b"\n " + _NOTE_SHAPETYPE + b"\n")
            self.created_vml = True
        elif b"_x0000_t202" not in self.vml:
            at = self.vml.rfind(b"</xml>")
            self.vml = self.vml[:at] + _NOTE_SHAPETYPE + b"\n" + self.vml[at:]

    def _free_idmap(self) -> int:
        """The first idmap block after every block the workbook's drawings use (the blocks after it
        are free too, for a drawing of more than 1,023 boxes)."""
        taken = set()
        for name in self.package.names():
            if name.lower().endswith(".vml"):
                taken |= _idmap_blocks(self.package.get(name))
        return max(taken, default=0) + 1

    def _author(self) -> int:
        authors = self.root.find(q("authors"))
        names = [a.text or "" for a in authors]
        if NOTE_AUTHOR in names:
            return names.index(NOTE_AUTHOR)
        etree.SubElement(authors, q("author")).text = NOTE_AUTHOR
        return len(names)

    def _run(self, text: str, bold: bool = False):
        run = etree.Element(q("r"))
        props = etree.SubElement(run, q("rPr"))
        if bold:
            etree.SubElement(props, q("b"))
        etree.SubElement(props, q("sz"), val="9")
        etree.SubElement(props, q("color"), indexed="81")
        etree.SubElement(props, q("rFont"), val="Tahoma")
        etree.SubElement(props, q("family"), val="2")
        t = etree.SubElement(run, q("t"))
        t.text = text
        t.set(_XML_SPACE, "preserve")
        return run

    def save(self) -> None:
        """Write the comments part and the VML drawing back (adding or removing their relationships)."""
        if not self._changed and not self.created_comments:
            return
        vml_pieces = [self.vml] if self.vml is not None else None
        boxes_added = bool(self._new)
        if self._new:  # made as the package is written: a register of 100,000 rows has as many boxes
            m = _IDMAP.search(self.vml)
            if m is not None and self._blocks != self._claimed:  # more than its blocks hold: the blocks it took are its too
                blocks = ",".join(str(n) for n in sorted(self._blocks)).encode()
                self.vml = self.vml[:m.start(1)] + blocks + self.vml[m.end(1):]
            at = self.vml.rfind(b"</xml>")
            head, tail, added = self.vml[:at], self.vml[at:], self._new

            def vml_pieces():
                yield head
                for _, row, col, text, number in added:
                    yield _shape(number, row, col, text)
                yield tail
        has_notes = bool(self._new) or bool(self.by_ref())
        if not has_notes:
            if self.comments_part:
                self._drop_comments()
        else:
            self.package.set(self.comments_part, self._comments_pieces())
            if self.comments_rel is None:
                self.package.set_override(self.comments_part, CT_COMMENTS)
                self.comments_rel = self.package.add_rel(self.sheet_part, REL_COMMENTS, self.comments_part)
        if self.vml is not None:
            if self.vml_rel is not None and not boxes_added and not _SHAPE.search(self.vml) and self._only_ours():
                self._drop_vml()
            elif self.vml_part is not None and (self.vml_rel is not None or has_notes):
                self.package.set(self.vml_part, vml_pieces)
                if self.vml_rel is None:
                    self.package.ensure_default("vml", CT_VML)
                    self.vml_rel = self.package.add_rel(self.sheet_part, REL_VML, self.vml_part)
                    self.sheet.add_legacy_drawing(self.vml_rel)

    def _comments_pieces(self):
        """The comments part: the officer's notes as parsed, then the tool's new ones (made as it is written)."""
        data = serialize(self.root)
        if not self._new:
            return data
        comments = self.root.find(q("commentList"))
        prefix = (comments.prefix + ":") if comments.prefix else ""
        empty = f"<{prefix}commentList/>".encode()
        if empty in data:
            at = data.index(empty)
            head, tail = data[:at] + f"<{prefix}commentList>".encode(), f"</{prefix}commentList>".encode() + data[at + len(empty):]
        else:
            at = data.rindex(f"</{prefix}commentList>".encode())
            head, tail = data[:at], data[at:]
        added, author = self._new, self._author_id

        def pieces():
            yield head
            for ref, _, _, text, _ in added:
                text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
                xml = (f'<comment ref="{ref}" authorId="{author}" shapeId="0"><text><r><rPr><sz val="9"/><color indexed="81"/>'
                       f'<rFont val="Tahoma"/><family val="2"/></rPr><t xml:space="preserve">{text}</t></r></text></comment>').encode()
                yield re.sub(rb"<(/?)([A-Za-z]+)([\s/>])", lambda m: b"<" + m.group(1) + prefix.encode() + m.group(2) + m.group(3), xml) if prefix else xml
            yield tail
        return pieces

    def _only_ours(self) -> bool:
        """Is the drawing, with no shapes left, one the tool made (nothing of the officer's in it)?"""
        return not re.search(rb"<v:(?!shapetype|stroke|path)[a-z]+\b", self.vml.replace(_NOTE_SHAPETYPE, b""))

    def _drop_comments(self) -> None:
        if self.comments_part:
            self.package.remove(self.comments_part)
            self.package.set_override(self.comments_part, None)
        if self.comments_rel:
            self.package.remove_rel(self.sheet_part, self.comments_rel)
        self.root, self.comments_part, self.comments_rel = None, None, None

    def _drop_vml(self) -> None:
        if self.vml_part:
            self.package.remove(self.vml_part)
        if self.vml_rel:
            self.package.remove_rel(self.sheet_part, self.vml_rel)
            self.sheet.remove_legacy_drawing()
        self.vml, self.vml_part, self.vml_rel = None, None, None


def _idmap_blocks(vml: bytes) -> set[int]:
    """The shape-id blocks a VML drawing's ``o:idmap`` claims."""
    out: set[int] = set()
    for m in _IDMAP.finditer(vml):
        out.update(int(x) for x in re.split(rb"[, ]+", m.group(1)) if x)
    return out


def _key(comment) -> tuple[int, int]:
    try:
        return parse_ref(comment.get("ref", ""))
    except ValueError:
        return (0, 0)


def _shape(number: int, row: int, col: int, text: str) -> bytes:
    """A hidden note box for the cell at (row, col), sized for ``text``, as Excel writes one."""
    lengths = [len(line) for line in text.split("\n")]
    width = min(480, max(240, 7 * max(lengths) // 2 + 24))
    chars_a_line = max(20, (width - 16) // 6)
    height = min(600, 18 * sum(1 + n // chars_a_line for n in lengths) + 20)
    return (f'<v:shape id="_x0000_s{number}" type="#_x0000_t202" style=\'position:absolute;margin-left:59.25pt;'
            f'margin-top:1.5pt;width:{width}px;height:{height}px;z-index:1;visibility:hidden\' fillcolor="#ffffe1" o:insetmode="auto">\n'
            '  <v:fill color2="#ffffe1"/>\n  <v:shadow on="t" color="black" obscured="t"/>\n  <v:path o:connecttype="none"/>\n'
            "  <v:textbox style='mso-direction-alt:auto'>\n   <div style='text-align:left'></div>\n  </v:textbox>\n"
            '  <x:ClientData ObjectType="Note">\n   <x:MoveWithCells/>\n   <x:SizeWithCells/>\n'
            f"   <x:Anchor>{col}, 15, {max(row - 2, 0)}, 10, {col + 3}, 15, {row + 4}, 4</x:Anchor>\n"
            f"   <x:AutoFill>False</x:AutoFill>\n   <x:Row>{row - 1}</x:Row>\n   <x:Column>{col - 1}</x:Column>\n"
            "  </x:ClientData>\n </v:shape>\n").encode()


def _remove_shapes(vml: bytes, cells: set[tuple[int, int]]) -> bytes:
    """``vml`` without the note boxes of ``cells`` ((row, col), 1-based)."""
    def keep(m: re.Match) -> bytes:
        shape = m.group(0)
        where = _CLIENT_CELL.search(shape)
        if b'ObjectType="Note"' in shape and where and (int(where.group(1)) + 1, int(where.group(2)) + 1) in cells:
            return b""
        return shape
    return _SHAPE.sub(keep, vml)
