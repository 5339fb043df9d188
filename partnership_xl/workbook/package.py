"""An OOXML package (a workbook's zip) held as its parts, in their order, to carry over byte for byte.

A workbook is a zip of parts linked by relationships (ECMA-376 Part 2). The annotated copy is the
officer's own package: :class:`Package` reads every member once, lets the patcher replace, add or
remove a few, and writes the members back in their original order (added ones at the end), each
with its original name, timestamp and attributes. A part nobody changed is written with exactly
the bytes it was read with.

Part names here are zip member names (``xl/worksheets/sheet1.xml``, no leading slash). OPC names
are case-insensitive; :meth:`Package.find` looks them up that way.
"""

from __future__ import annotations

import posixpath
import zipfile
import zlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from lxml import etree

NS_PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
NS_CT = "http://schemas.openxmlformats.org/package/2006/content-types"
NS_R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
NS_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
NS_STRICT_MAIN = "http://purl.oclc.org/ooxml/spreadsheetml/main"
REL_OFFICE_DOCUMENT = NS_R + "/officeDocument"
REL_WORKSHEET = NS_R + "/worksheet"
REL_COMMENTS = NS_R + "/comments"
REL_VML = NS_R + "/vmlDrawing"
REL_CUSTOM_XML = NS_R + "/customXml"
REL_CUSTOM_XML_PROPS = NS_R + "/customXmlProps"
REL_STYLES = NS_R + "/styles"
REL_THREADED_COMMENTS = "http://schemas.microsoft.com/office/2017/10/relationships/threadedComment"

CT_WORKSHEET = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"
CT_COMMENTS = "application/vnd.openxmlformats-officedocument.spreadsheetml.comments+xml"
CT_VML = "application/vnd.openxmlformats-officedocument.vmlDrawing"
CT_CUSTOM_XML_PROPS = "application/vnd.openxmlformats-officedocument.customXmlProperties+xml"
CT_XML = "application/xml"
CT_RELS = "application/vnd.openxmlformats-package.relationships+xml"

#: The timestamp of members the copy adds, fixed so that checking a copy again gives the same bytes.
ADDED_MEMBER_TIME = (2015, 1, 1, 0, 0, 0)

#: Parts larger than this are compressed at zlib level 1 rather than 6.
_LARGE_PART = 8 << 20
#: A part given in pieces is joined and written at once up to this size, and streamed beyond it.
_STREAM_OVER = 64 << 20

#: A parser that never reads a DTD, an entity or the network (the package has passed sniff.py too).
PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=True, remove_blank_text=False)


class PackageError(Exception):
    """The package cannot be patched safely (a part missing or not parseable)."""


def parse_xml(data: bytes) -> etree._Element:
    """An XML part as a tree; PackageError when it does not parse."""
    try:
        return etree.fromstring(data, PARSER)
    except etree.XMLSyntaxError as exc:
        raise PackageError(f"a part is not well-formed XML ({exc})") from None


def serialize(root: etree._Element) -> bytes:
    """An XML part as Excel writes it: UTF-8 with a standalone declaration."""
    return b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n' + etree.tostring(root, encoding="UTF-8")


@dataclass
class Relationship:
    id: str
    type: str
    target: str
    external: bool = False


def rels_name(part: str) -> str:
    """The relationships part of ``part``: ``xl/_rels/workbook.xml.rels`` for ``xl/workbook.xml``."""
    folder, name = posixpath.split(part)
    return posixpath.join(folder, "_rels", name + ".rels")


def resolve(source_part: str, target: str) -> str:
    """A relationship's target as a member name, relative to the folder of ``source_part``."""
    if target.startswith("/"):
        name = posixpath.normpath(target.lstrip("/"))
    else:
        name = posixpath.normpath(posixpath.join(posixpath.dirname(source_part), target))
    while name.startswith("../"):  # nothing is above the package's root (LibreOffice writes ../customXml/... from _rels/.rels)
        name = name[3:]
    return name


def relative(source_part: str, target_part: str) -> str:
    """The relationship target from ``source_part`` to ``target_part`` (as Excel writes it)."""
    return posixpath.relpath(target_part, posixpath.dirname(source_part) or ".")


class Package:
    """The members of a zip package in their order; unchanged members keep their exact bytes."""

    def __init__(self) -> None:
        self._infos: dict[str, zipfile.ZipInfo] = {}
        self._data: dict[str, bytes] = {}
        self._order: list[str] = []
        self.comment = b""  # the zip's own comment, carried over

    @classmethod
    def read(cls, source: Path | BinaryIO | bytes, unpacked: dict[str, bytes] | None = None) -> Package:
        """Read every member of the zip at ``source`` (a path, a file object or bytes).

        ``unpacked`` holds members already unpacked (by the reader): each is used as it is when its
        size and CRC-32 match the zip's, instead of being unpacked again.
        """
        import io

        package = cls()
        fh = io.BytesIO(source) if isinstance(source, bytes) else source
        with zipfile.ZipFile(fh) as z:
            package.comment = z.comment
            for info in z.infolist():  # folder entries too: some writers list them, and they are carried over
                if info.filename in package._data:
                    continue
                package._infos[info.filename] = info
                known = (unpacked or {}).get(info.filename)
                if known is not None and len(known) == info.file_size and zlib.crc32(known) == info.CRC:
                    package._data[info.filename] = known
                else:
                    package._data[info.filename] = z.read(info)
                package._order.append(info.filename)
        return package

    # -- members -------------------------------------------------------------------------------
    def names(self) -> list[str]:
        return list(self._order)

    def __contains__(self, name: str) -> bool:
        return self.find(name) is not None

    def find(self, name: str) -> str | None:
        """The member name as stored, matched without regard to case; None when absent."""
        if name in self._data:
            return name
        lower = name.lower()
        return next((n for n in self._order if n.lower() == lower), None)

    def get(self, name: str) -> bytes:
        found = self.find(name)
        if found is None:
            raise PackageError(f"the part {name} is missing")
        data = self._data[found]
        if callable(data):
            data = data()
        if not isinstance(data, bytes):  # written in pieces: joined when someone reads it back
            data = self._data[found] = b"".join(data)
        return data

    def set(self, name: str, data: bytes | list | Callable[[], Iterable[bytes]]) -> None:
        """Replace a member's bytes, or add a new member at the end.

        ``data`` may be a list of bytes-like pieces (a streamed sheet: views of the original rows
        and the rows patched), written one after the other without being joined in memory, or a
        function giving such pieces, called only when the package is written (a Findings sheet of
        100,000 rows is never held whole).
        """
        found = self.find(name)
        if found is None:
            self._order.append(name)
            found = name
        self._data[found] = data

    def remove(self, name: str) -> None:
        found = self.find(name)
        if found is not None:
            self._order.remove(found)
            del self._data[found]
            self._infos.pop(found, None)

    def free_name(self, pattern: str) -> str:
        """The first ``pattern.format(n)`` for n = 1, 2, ... that no member has."""
        n = 1
        while self.find(pattern.format(n)) is not None:
            n += 1
        return pattern.format(n)

    def write(self, target: Path | BinaryIO) -> None:
        """Write the package: members in order, each with its original name, timestamp and attributes."""
        with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED, allowZip64=True) as z:
            z.comment = self.comment
            for name in self._order:
                original = self._infos.get(name)
                info = zipfile.ZipInfo(name, date_time=original.date_time if original else ADDED_MEMBER_TIME)
                info.compress_type = zipfile.ZIP_DEFLATED if original is None or original.compress_type != zipfile.ZIP_STORED else zipfile.ZIP_STORED
                if original is not None:
                    info.external_attr, info.create_system, info.comment = original.external_attr, original.create_system, original.comment
                    info.extra = b""
                data = self._data[name]
                if not isinstance(data, bytes):
                    # pieces: joined when they come to less than _STREAM_OVER (one fast write), else streamed
                    pieces = iter(data() if callable(data) else data)
                    buffer, size = [], 0
                    for piece in pieces:
                        buffer.append(piece)
                        size += len(piece)
                        if size > _STREAM_OVER:
                            break
                    else:
                        data = b"".join(buffer)
                        del buffer
                        z.writestr(info, data, compresslevel=1 if len(data) > _LARGE_PART else None)
                        continue
                    with z.open(info, "w", force_zip64=True) as member:
                        for piece in buffer:
                            member.write(piece)
                        del buffer
                        for piece in pieces:
                            member.write(piece)
                    continue
                # a large part (a sheet formatted to row 1,048,576) compresses almost as well, and far faster, at level 1
                z.writestr(info, data, compresslevel=1 if len(data) > _LARGE_PART else None)

    # -- relationships ---------------------------------------------------------------------------
    def rels(self, part: str) -> list[Relationship]:
        """The relationships of ``part`` ('' for the package's own), empty when it has none."""
        name = rels_name(part) if part else "_rels/.rels"
        if self.find(name) is None:
            return []
        root = parse_xml(self.get(name))
        return [Relationship(e.get("Id", ""), e.get("Type", ""), e.get("Target", ""), e.get("TargetMode") == "External")
                for e in root if isinstance(e.tag, str) and etree.QName(e).localname == "Relationship"]

    def targets(self, part: str, rel_type: str) -> Iterator[tuple[Relationship, str]]:
        """(relationship, member name) for each internal relationship of ``part`` of ``rel_type``."""
        for rel in self.rels(part):
            if rel.type == rel_type and not rel.external:
                yield rel, resolve(part, rel.target)

    def add_rel(self, part: str, rel_type: str, target_part: str) -> str:
        """Add a relationship from ``part`` to ``target_part``; return its new Id (the first free rIdN)."""
        name = rels_name(part)
        root = parse_xml(self.get(name)) if self.find(name) else etree.Element(f"{{{NS_PKG_REL}}}Relationships", nsmap={None: NS_PKG_REL})
        taken = {e.get("Id") for e in root}
        n = 1
        while f"rId{n}" in taken:
            n += 1
        etree.SubElement(root, f"{{{NS_PKG_REL}}}Relationship", Id=f"rId{n}", Type=rel_type, Target=relative(part, target_part))
        self.set(name, serialize(root))
        if self.find(name) == name and not self._content_type_covers(name):
            self.ensure_default("rels", CT_RELS)
        return f"rId{n}"

    def remove_rel(self, part: str, rel_id: str) -> None:
        """Remove one relationship of ``part``; the rels part goes when it is left empty."""
        name = rels_name(part)
        if self.find(name) is None:
            return
        root = parse_xml(self.get(name))
        for e in list(root):
            if e.get("Id") == rel_id:
                root.remove(e)
        if len(root):
            self.set(name, serialize(root))
        else:
            self.remove(name)
            self.set_override(name, None)

    # -- content types ---------------------------------------------------------------------------
    def _types(self) -> etree._Element:
        return parse_xml(self.get("[Content_Types].xml"))

    def content_type(self, name: str) -> str | None:
        """The content type of member ``name`` (its Override, else the Default of its extension)."""
        root = self._types()
        partname = "/" + name.lower()
        for e in root:
            if isinstance(e.tag, str) and etree.QName(e).localname == "Override" and (e.get("PartName") or "").lower() == partname:
                return e.get("ContentType")
        ext = name.rsplit(".", 1)[-1].lower() if "." in name else ""
        for e in root:
            if isinstance(e.tag, str) and etree.QName(e).localname == "Default" and (e.get("Extension") or "").lower() == ext:
                return e.get("ContentType")
        return None

    def _content_type_covers(self, name: str) -> bool:
        return self.content_type(name) is not None

    def set_override(self, name: str, content_type: str | None) -> None:
        """Give member ``name`` an Override content type (None removes its Override)."""
        root = self._types()
        partname = "/" + name
        changed = False
        for e in list(root):
            if isinstance(e.tag, str) and etree.QName(e).localname == "Override" and (e.get("PartName") or "").lower() == partname.lower():
                if content_type is None:
                    root.remove(e)
                    changed = True
                else:
                    changed = changed or e.get("ContentType") != content_type
                    e.set("ContentType", content_type)
                    content_type = None
        if content_type is not None:
            etree.SubElement(root, f"{{{NS_CT}}}Override", PartName=partname, ContentType=content_type)
            changed = True
        if changed:
            self.set("[Content_Types].xml", serialize(root))

    def ensure_default(self, extension: str, content_type: str) -> None:
        """Make sure members ending in ``.extension`` have a content type (a Default, placed before the Overrides)."""
        root = self._types()
        if any(isinstance(e.tag, str) and etree.QName(e).localname == "Default" and (e.get("Extension") or "").lower() == extension
               for e in root):
            return
        default = etree.Element(f"{{{NS_CT}}}Default", Extension=extension, ContentType=content_type)
        defaults = [e for e in root if isinstance(e.tag, str) and etree.QName(e).localname == "Default"]
        if defaults:
            defaults[-1].addnext(default)
        else:
            root.insert(0, default)
        self.set("[Content_Types].xml", serialize(root))
