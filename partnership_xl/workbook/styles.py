"""``styles.xml``, by appending only: the officer's formats stay where they are, at their indexes.

A flagged cell gets a new cell format: a copy of its own (number format, font, border,
alignment, protection, cell style) with the severity fill. Each format the copy needs is looked
for first among the formats already there — so checking a copy again appends nothing — and
appended only when missing.
"""

from __future__ import annotations

from copy import deepcopy

from lxml import etree

from .ooxml import local, q, same_element
from .package import NS_MAIN, REL_STYLES, Package, parse_xml, serialize

#: CT_Stylesheet's children in schema order (ECMA-376 Part 1, §18.8.39).
STYLESHEET_ORDER = ("numFmts", "fonts", "fills", "borders", "cellStyleXfs", "cellXfs", "cellStyles", "dxfs", "tableStyles",
                    "colors", "extLst")
#: CT_Font's children in the order Excel writes them.
_FONT_ORDER = ("b", "i", "strike", "condense", "extend", "outline", "shadow", "u", "vertAlign", "sz", "color", "name", "family",
               "charset", "scheme")

_MINIMAL = (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            b'<styleSheet xmlns="' + NS_MAIN.encode() + b'"><fonts count="1"><font><sz val="11"/><name val="Calibri"/>'
            b'<family val="2"/></font></fonts><fills count="2"><fill><patternFill patternType="none"/></fill><fill>'
            b'<patternFill patternType="gray125"/></fill></fills><borders count="1"><border><left/><right/><top/><bottom/>'
            b'<diagonal/></border></borders><cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/>'
            b'</cellStyleXfs><cellXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/></cellXfs>'
            b'<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>')


def _canon(e) -> tuple:
    return same_element(e)


class StyleBook:
    """The workbook's styles part, appended to as the copy needs new formats."""

    def __init__(self, package: Package, workbook_part: str):
        self.package = package
        parts = [target for _, target in package.targets(workbook_part, REL_STYLES)]
        self.part = package.find(parts[0]) if parts and package.find(parts[0]) else None
        self.created = self.part is None
        if self.part is None:
            self.part = "xl/styles.xml"
            self.root = parse_xml(_MINIMAL)
        else:
            self.root = parse_xml(package.get(self.part))
        self._workbook_part = workbook_part
        self._lists = {name: self._list(name) for name in ("numFmts", "fonts", "fills", "cellXfs")}
        self._known: dict[str, dict[tuple, int]] = {}
        self._flagged: dict[tuple[int, int], int] = {}
        self.changed = False

    def _list(self, name: str):
        e = self.root.find(q(name))
        if e is None:
            e = etree.Element(q(name), count="0")
            from .ooxml import insert_in_order

            insert_in_order(self.root, e, STYLESHEET_ORDER)
        return e

    def _items(self, name: str) -> list:
        return [e for e in self._lists[name] if isinstance(e.tag, str)]

    def _index_of(self, name: str, element) -> int:
        """The index of an item equal to ``element`` in list ``name``, appending it when there is none."""
        known = self._known.get(name)
        if known is None:
            known = {}
            for i, e in enumerate(self._items(name)):
                known.setdefault(_canon(e), i)
            self._known[name] = known
        key = _canon(element)
        if key in known:
            return known[key]
        parent = self._lists[name]
        parent.append(element)
        index = len(self._items(name)) - 1
        parent.set("count", str(index + 1))
        known[key] = index
        self.changed = True
        return index

    # -- the parts of a format ---------------------------------------------------------------------
    def fill(self, rgb: str) -> int:
        """A solid fill of colour ``rgb`` (ARGB hex)."""
        fill = etree.Element(q("fill"))
        pattern = etree.SubElement(fill, q("patternFill"), patternType="solid")
        etree.SubElement(pattern, q("fgColor"), rgb=rgb)
        etree.SubElement(pattern, q("bgColor"), indexed="64")
        return self._index_of("fills", fill)

    def font(self, bold: bool = False, rgb: str | None = None, size: float | None = None, underline: bool = False) -> int:
        """The workbook's default font (its first) in bold, another colour, size or underlined."""
        fonts = self._items("fonts")
        base = deepcopy(fonts[0]) if fonts else etree.Element(q("font"))
        children = {local(c): c for c in base if isinstance(c.tag, str)}
        for name in ("b", "u", "color"):
            children.pop(name, None)
        if bold:
            children["b"] = etree.Element(q("b"))
        if underline:
            children["u"] = etree.Element(q("u"))
        if rgb:
            children["color"] = etree.Element(q("color"), rgb=rgb)
        if size:
            children["sz"] = etree.Element(q("sz"), val=f"{size:g}")
        font = etree.Element(q("font"))
        for name in _FONT_ORDER:
            if name in children:
                font.append(children.pop(name))
        for child in children.values():
            font.append(child)
        return self._index_of("fonts", font)

    def number_format(self, code: str) -> int:
        """The id of number format ``code`` (a custom one, from 164 up, appended when missing)."""
        for e in self._items("numFmts"):
            if e.get("formatCode") == code:
                return int(e.get("numFmtId", "0"))
        taken = [int(e.get("numFmtId", "0")) for e in self._items("numFmts")]
        new_id = max([163, *taken]) + 1
        self._index_of("numFmts", etree.Element(q("numFmt"), numFmtId=str(new_id), formatCode=code))
        return new_id

    # -- cell formats ------------------------------------------------------------------------------
    def flagged(self, base: int, fill_id: int) -> int:
        """The cell format ``base`` (an index into cellXfs) with fill ``fill_id`` instead of its own."""
        key = (base, fill_id)
        if key not in self._flagged:
            self._flagged[key] = self._flagged_xf(base, fill_id)
        return self._flagged[key]

    def _flagged_xf(self, base: int, fill_id: int) -> int:
        xfs = self._items("cellXfs")
        xf = deepcopy(xfs[base]) if 0 <= base < len(xfs) else etree.Element(q("xf"), numFmtId="0", fontId="0", fillId="0", borderId="0", xfId="0")
        xf.set("fillId", str(fill_id))
        xf.set("applyFill", "1")
        return self._index_of("cellXfs", xf)

    def fill_of(self, xf_index: int) -> tuple[str, str | None] | None:
        """The fill of cell format ``xf_index`` as XML, and its ``applyFill`` (for the record)."""
        xfs = self._items("cellXfs")
        if not 0 <= xf_index < len(xfs):
            return None
        fills = self._items("fills")
        fill_id = int(xfs[xf_index].get("fillId", "0") or 0)
        fill = fills[fill_id] if 0 <= fill_id < len(fills) else etree.Element(q("fill"))
        return etree.tostring(fill, encoding="unicode"), xfs[xf_index].get("applyFill")

    def has_solid_fill(self, xf_index: int, rgbs) -> bool:
        """Does cell format ``xf_index`` have a solid fill of one of the colours ``rgbs``?"""
        xfs = self._items("cellXfs")
        fills = self._items("fills")
        if not 0 <= xf_index < len(xfs):
            return False
        fill_id = int(xfs[xf_index].get("fillId", "0") or 0)
        if not 0 <= fill_id < len(fills):
            return False
        pattern = fills[fill_id].find(q("patternFill"))
        colour = pattern.find(q("fgColor")) if pattern is not None else None
        return pattern is not None and pattern.get("patternType") == "solid" and colour is not None and (colour.get("rgb") or "").upper() in rgbs

    def with_fill(self, xf_index: int, fill_xml: str, apply_fill: str | None) -> int:
        """Cell format ``xf_index`` with the fill ``fill_xml`` (and ``applyFill``) instead of its own."""
        fill = etree.fromstring(fill_xml.encode())
        fill_id = self._index_of("fills", fill)
        xf = deepcopy(self._items("cellXfs")[xf_index])
        xf.set("fillId", str(fill_id))
        if apply_fill is None:
            xf.attrib.pop("applyFill", None)
        else:
            xf.set("applyFill", apply_fill)
        return self._index_of("cellXfs", xf)

    def xf(self, font: int = 0, fill: int = 0, number_format: int = 0, horizontal: str | None = None,
           vertical: str | None = None, wrap: bool = False) -> int:
        """A cell format of the tool's own: font, fill, number format and alignment."""
        xf = etree.Element(q("xf"), numFmtId=str(number_format), fontId=str(font), fillId=str(fill), borderId="0", xfId="0")
        for attr, value in (("applyNumberFormat", number_format), ("applyFont", font), ("applyFill", fill)):
            if value:
                xf.set(attr, "1")
        if horizontal or vertical or wrap:
            xf.set("applyAlignment", "1")
            alignment = etree.SubElement(xf, q("alignment"))
            if horizontal:
                alignment.set("horizontal", horizontal)
            if vertical:
                alignment.set("vertical", vertical)
            if wrap:
                alignment.set("wrapText", "1")
        return self._index_of("cellXfs", xf)

    def save(self) -> None:
        if not self.changed and not self.created:
            return
        self.package.set(self.part, serialize(self.root))
        if self.created:
            self.package.set_override(self.part, "application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml")
            self.package.add_rel(self._workbook_part, REL_STYLES, self.part)
            self.created = False
