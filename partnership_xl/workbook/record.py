"""The tool's record inside an annotated copy: what it changed, so a later check can undo it.

A custom XML part (``customXml/itemN.xml``, related from the workbook part as Excel relates its
own custom XML) lists the sheets the tool added, each flagged cell's style before and after,
the cells it created, the officer's formatted cells its columns replaced, and the register
sheet's column widths and autofilter before and after. Checking the copy again reads it first
and puts every cell back as it was, so the copy of a copy equals the copy.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from xml.sax.saxutils import escape, quoteattr

from lxml import etree

from .package import (
    CT_CUSTOM_XML_PROPS,
    CT_XML,
    REL_CUSTOM_XML,
    REL_CUSTOM_XML_PROPS,
    Package,
    PackageError,
    parse_xml,
    rels_name,
    serialize,
)
from .sheet import CellChange

NS_RECORD = "urn:partnership-xl:annotated-copy:1"
_ITEM_ID = "{" + str(uuid.uuid5(uuid.NAMESPACE_URL, NS_RECORD)).upper() + "}"
_DS = "http://schemas.openxmlformats.org/officeDocument/2006/customXml"


def _r(tag: str) -> str:
    return f"{{{NS_RECORD}}}{tag}"


@dataclass
class Record:
    sheet: str = ""  # the register sheet
    register: str = ""  # the file name of the register the copy was first made from
    sheets: list[str] = field(default_factory=list)  # the sheets the tool added
    cells: list[CellChange] = field(default_factory=list)
    displaced: dict[str, bytes] = field(default_factory=dict)  # ref → the officer's cell XML the tool's column replaced
    elements: dict[str, tuple[str, str]] = field(default_factory=dict)  # name → (canonical XML before, after)
    tool_columns: tuple[int, int] | None = None
    part: str | None = None  # where the record was read from

    def to_xml(self) -> bytes:
        """The record as XML (written as text: a large register has a line for each of thousands of cells)."""
        head = f"<record xmlns={quoteattr(NS_RECORD)} sheet={quoteattr(self.sheet)} register={quoteattr(self.register)}"
        if self.tool_columns:
            head += f' toolColumns="{self.tool_columns[0]}:{self.tool_columns[1]}"'
        out = ['<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n', head, ">"]
        out += [f"<addedSheet name={quoteattr(name)}/>" for name in self.sheets]
        for c in self.cells:
            before = f' before="{c.before}"' if c.before is not None else ""
            created = ' created="1"' if c.created else ""
            out.append(f'<cell ref="{c.ref}" after="{c.after}"{before}{created}/>')
        out += [f'<displaced ref="{ref}">{escape(xml.decode("utf-8"))}</displaced>' for ref, xml in self.displaced.items()]
        for name, (before, after) in self.elements.items():
            out.append(f"<element name={quoteattr(name)}><before>{escape(before)}</before><after>{escape(after)}</after></element>")
        out.append("</record>")
        return "".join(out).encode("utf-8")

    @classmethod
    def from_xml(cls, data: bytes) -> Record | None:
        try:
            root = parse_xml(data)
        except PackageError:
            return None
        if root.tag != _r("record"):
            return None
        record = cls(sheet=root.get("sheet", ""), register=root.get("register", ""))
        if cols := root.get("toolColumns"):
            first, _, last = cols.partition(":")
            if first.isdigit() and last.isdigit():
                record.tool_columns = (int(first), int(last))
        for e in root:
            if e.tag == _r("addedSheet"):
                record.sheets.append(e.get("name", ""))
            elif e.tag == _r("cell"):
                record.cells.append(CellChange(e.get("ref", ""), e.get("before"), e.get("after", ""), e.get("created") == "1"))
            elif e.tag == _r("displaced"):
                record.displaced[e.get("ref", "")] = (e.text or "").encode("utf-8")
            elif e.tag == _r("element"):
                before, after = e.find(_r("before")), e.find(_r("after"))
                record.elements[e.get("name", "")] = ((before.text or "") if before is not None else "", (after.text or "") if after is not None else "")
        return record


def find(package: Package, workbook_part: str) -> Record | None:
    """The tool's record in ``package``, or None."""
    for _, target in package.targets(workbook_part, REL_CUSTOM_XML):
        if package.find(target) is None:
            continue
        data = package.get(target)
        if NS_RECORD.encode() not in data[:400]:
            continue
        record = Record.from_xml(data)
        if record is not None:
            record.part = package.find(target)
            return record
    return None


def remove(package: Package, workbook_part: str, record: Record) -> None:
    """Take the record's parts and relationships out of ``package``."""
    if record.part is None:
        return
    for rel, target in list(package.targets(workbook_part, REL_CUSTOM_XML)):
        if package.find(target) == record.part:
            package.remove_rel(workbook_part, rel.id)
    for _, props in list(package.targets(record.part, REL_CUSTOM_XML_PROPS)):
        package.remove(props)
        package.set_override(props, None)
    package.remove(rels_name(record.part))
    package.remove(record.part)


def add(package: Package, workbook_part: str, record: Record) -> None:
    """Add ``record`` to ``package`` as a custom XML part with its properties."""
    n = 1
    while package.find(f"customXml/item{n}.xml") or package.find(f"customXml/itemProps{n}.xml"):
        n += 1
    item, props = f"customXml/item{n}.xml", f"customXml/itemProps{n}.xml"
    package.set(item, record.to_xml())
    package.ensure_default("xml", CT_XML)
    props_root = etree.Element(f"{{{_DS}}}datastoreItem", nsmap={"ds": _DS})
    props_root.set(f"{{{_DS}}}itemID", _ITEM_ID)
    etree.SubElement(props_root, f"{{{_DS}}}schemaRefs")
    package.set(props, serialize(props_root))
    package.set_override(props, CT_CUSTOM_XML_PROPS)
    package.add_rel(item, REL_CUSTOM_XML_PROPS, props)
    package.add_rel(workbook_part, REL_CUSTOM_XML, item)
